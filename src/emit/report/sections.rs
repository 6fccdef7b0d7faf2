//! The seven sections of the reports (`docs/outputs.md`), each a function from the figures and
//! the texts to headings, paragraphs, tables and charts of a [`Doc`].
//!
//! Sections 1–2 describe the project and its organisation, 3 the activities as the partners
//! report them, 4 indicators and results, 5 the economy with its charts ([`super::economy`]),
//! 6 deviations (the partners' own and the open findings counted by code), 7 the horizontal
//! criteria. The final report ([`Kind::Final`]) shows outcome against plan where the progress
//! report shows the period beside the cumulative figures.

use rayon::prelude::*;

use super::package::Meta;
use super::texts::{Texts, fill};
use super::word::{Column, Doc, Figure, Packed, Row, TEXT_WIDTH, TitlePage};
use super::{Kind, kr, quantity, share, sv_date, sv_month, sv_period};
use crate::emit::EmitError;
use crate::emit::charts::{self, Chart, Sketch};
use crate::finding::Severity;
use crate::money::{sv_number, sv_percent, sv_whole_percent};
use crate::privacy::mask_personnummer;
use crate::reconcile::model::{Figures, GenderCount, Narrative};

/// What every section needs: the figures, the texts, the report kind, the placeholder values.
pub(super) struct Ctx<'a> {
    pub(super) f: &'a Figures,
    pub(super) t: &'a Texts,
    pub(super) kind: Kind,
    values: Vec<(&'static str, String)>,
}

impl Ctx<'_> {
    /// A template text with its placeholders filled in.
    pub(super) fn fill(&self, text: &str) -> String {
        fill(text, &self.values)
    }

    /// The progress text or the final report's variant, filled in.
    pub(super) fn pick(&self, progress: &str, final_text: &str) -> String {
        self.fill(self.kind.pick(progress, final_text))
    }

    /// The report's span: the claim period, or the whole project up to the period's end.
    fn span(&self) -> String {
        sv_period(self.f.period)
    }

    /// A partner's free text, with anything that reads as a personnummer masked.
    pub(super) fn free_text(&self, text: &str) -> String {
        mask_personnummer(text.trim(), self.f.document_date())
    }

    pub(super) fn progress(&self) -> bool {
        self.kind == Kind::Progress
    }
}

/// The placeholder values of `templates/rapport.toml` for these figures.
fn values(f: &Figures) -> Vec<(&'static str, String)> {
    let gender = f.indicators.iter().find_map(|i| i.gender).unwrap_or_default();
    vec![
        ("projekt", f.project_name.clone()),
        ("projektnummer", f.project_id.clone()),
        ("projektagare", f.owner_name.clone()),
        ("program", f.programme.clone()),
        ("specifikt_mal", f.specific_objective.clone()),
        ("projektstart", sv_date(f.project_start)),
        ("projektslut", sv_date(f.project_end)),
        ("period", sv_period(f.period)),
        ("fran", f.period.from.to_string()),
        ("till", f.period.to.to_string()),
        ("datum", sv_date(f.document_date())),
        ("antal_parter", f.partners().count().to_string()),
        ("antal_medfinansiarer", f.cofinanciers().count().to_string()),
        ("stodgrundande_perioden", kr(f.totals.eligible)),
        ("stodgrundande_ackumulerat", kr(f.cumulative.eligible)),
        ("annat_an_pengar_perioden", kr(f.totals.in_kind)),
        ("annat_an_pengar_ackumulerat", kr(f.cumulative.in_kind)),
        ("budget_total", kr(f.budget.total.budget)),
        ("budget_forbrukad", share(f.budget.total.used)),
        ("stodandel", sv_percent(f.totals.support_rate, 2)),
        ("stod_perioden", kr(f.totals.support)),
        ("stod_tidigare", kr(f.support.claimed_before)),
        ("stod_totalt", kr(f.support.claimed_total)),
        ("stod_beviljat", kr(f.support.approved)),
        ("stod_kvar", kr(f.support.remaining)),
        ("kvinnor", gender.women.to_string()),
        ("man", gender.men.to_string()),
        ("ej_angivet", gender.not_stated.to_string()),
    ]
}

/// The report's charts as the document places them; their pixels are drawn while the document
/// is built.
pub(super) struct Charts {
    pub(super) cumulative: Figure,
    pub(super) orgs: Figure,
    pub(super) work_packages: Figure,
    /// `None` when [`charts::indicator_progress`] has nothing to draw.
    pub(super) indicators: Option<Figure>,
}

impl Charts {
    /// Settles each chart's size; the sketches, in the order of the figures' ids, draw them.
    pub(super) fn sketch<'a>(f: &'a Figures, progress: bool) -> (Charts, Vec<Sketch<'a>>) {
        let mut sketches = Vec::with_capacity(4);
        let mut place = |sketch: Sketch<'a>| {
            let figure = Figure { id: sketches.len(), width: sketch.width, height: sketch.height };
            sketches.push(sketch);
            figure
        };
        let charts = Charts {
            cumulative: place(charts::cumulative_cost(f)),
            orgs: place(charts::cost_per_org(f)),
            work_packages: place(charts::cost_per_work_package(f, progress)),
            indicators: charts::indicator_progress(f).map(&mut place),
        };
        (charts, sketches)
    }
}

/// The whole report: `document` lays out its sections.
///
/// Rasterising and PNG-encoding the charts is the largest part of a report's rendering, so they
/// are drawn side by side while the document is built and packed; the package then gets their
/// images. The document is built on this thread alone: docx-rs numbers paragraphs per thread,
/// and paragraphs made on two threads collide and cost a renumbering pass when it packs.
pub(super) fn render(
    f: &Figures,
    t: &Texts,
    kind: Kind,
    document: impl Fn(&Ctx, &Charts) -> Result<Packed, EmitError> + Sync,
) -> Result<Vec<u8>, EmitError> {
    let cx = Ctx { f, t, kind, values: values(f) };
    let (charts, sketches) = Charts::sketch(f, cx.progress());
    let (packed, drawn) = rayon::join(
        || document(&cx, &charts),
        || sketches.into_par_iter().map(Sketch::paint).collect::<Result<Vec<Chart>, EmitError>>(),
    );
    packed?.finish(&drawn?)
}

/// The progress report's title page, contents and seven sections, packed with stand-ins for
/// the charts.
pub(super) fn progress_document(cx: &Ctx, charts: &Charts) -> Result<Packed, EmitError> {
    let t = cx.t;
    let mut doc = Doc::new(&t.document.figure);
    overview(cx, &mut doc);
    organisation(cx, &mut doc);
    activities(cx, &mut doc);
    results(cx, &mut doc, charts.indicators)?;
    super::economy::economy(cx, &mut doc, charts)?;
    deviations(cx, &mut doc);
    horizontal(cx, &mut doc);
    pack(cx, doc, &t.document.progress, cx.span(), None)
}

/// Title page (the report's kind, the project, its facts), table of contents, page furniture
/// (`header` on every page when given) and body, packed.
pub(super) fn pack(
    cx: &Ctx,
    doc: Doc,
    kind_name: &str,
    span: String,
    header: Option<String>,
) -> Result<Packed, EmitError> {
    let (f, t) = (cx.f, cx.t);
    let mut facts =
        vec![("Projektnummer".to_string(), f.project_id.clone()), ("Projektägare".to_string(), f.owner_name.clone())];
    if !f.programme.is_empty() {
        facts.push(("Program".to_string(), f.programme.clone()));
    }
    facts.push(("Projekttid".to_string(), format!("{} – {}", sv_date(f.project_start), sv_date(f.project_end))));
    facts.push(("Rapportperiod".to_string(), span.clone()));
    facts.push(("Datum".to_string(), sv_date(f.document_date())));
    let title = TitlePage {
        kind: kind_name.to_string(),
        project: f.project_name.clone(),
        facts,
        note: cx.fill(&t.document.no_personal_data),
        contents: t.document.contents.clone(),
        footer: cx.fill(&t.document.footer),
        page: t.document.page.clone(),
        page_of: t.document.page_of.clone(),
        header,
    };
    let meta = Meta {
        title: format!("{kind_name} {span} – {}", f.project_name),
        subject: format!("{} {}", f.project_id, f.project_name),
        creator: f.owner_name.clone(),
        date: f.document_date(),
    };
    doc.pack(&title, meta)
}

/// Column widths that fill the text width: the first column takes what the others leave.
fn widths(others: &[u32]) -> (u32, Vec<u32>) {
    let used: u32 = others.iter().sum();
    (TEXT_WIDTH.saturating_sub(used), others.to_vec())
}

/// A table whose first column is a label and the rest amounts.
pub(super) fn amount_columns(first: &str, others: &[(&str, u32)]) -> Vec<Column> {
    let (w0, _) = widths(&others.iter().map(|(_, w)| *w).collect::<Vec<_>>());
    std::iter::once(Column::left(first, w0)).chain(others.iter().map(|(h, w)| Column::right(h, *w))).collect()
}

/// 1 Övergripande uppgifter om projektet.
fn overview(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.overview);
    doc.heading(1, &format!("1 {}", t.heading));
    doc.text(&cx.fill(&t.intro));

    doc.heading(2, &format!("1.1 {}", t.facts_heading));
    let mut facts = vec![
        ("Projektnamn", f.project_name.clone()),
        ("Projektnummer", f.project_id.clone()),
        ("Projektägare", f.owner_name.clone()),
    ];
    if !f.programme.is_empty() {
        facts.push(("Program", f.programme.clone()));
    }
    if !f.specific_objective.is_empty() {
        facts.push(("Specifikt mål", f.specific_objective.clone()));
    }
    facts.extend([
        ("Projekttid", format!("{} – {}", sv_date(f.project_start), sv_date(f.project_end))),
        ("Rapportperiod", cx.span()),
        ("Stödandel", sv_percent(f.totals.support_rate, 2)),
        ("Beviljat stöd", kr(f.support.approved)),
        ("Total budget", kr(f.budget.total.budget)),
    ]);
    doc.table(
        &[Column::left("Uppgift", 2_400), Column::left("Värde", TEXT_WIDTH - 2_400)],
        &facts.into_iter().map(|(k, v)| Row::body(vec![k.to_string(), v])).collect::<Vec<_>>(),
    );

    doc.heading(2, &format!("1.2 {}", t.parties_heading));
    doc.text(&cx.fill(&t.parties_intro));
    let rows: Vec<Row> = f
        .orgs
        .iter()
        .map(|o| {
            let role = if o.in_kind {
                format!("Medfinansiär, {} (bidrag i annat än pengar)", o.kind.swedish())
            } else if o.name == f.owner_name {
                "Projektägare och projektpart".to_string()
            } else {
                "Projektpart".to_string()
            };
            let role = match o.months_in_decision() {
                Some(months) => format!("{role}, {months}"),
                None => role,
            };
            Row::body(vec![o.name.clone(), o.org_nr.clone(), role, kr(o.budget_total.budget)])
        })
        .collect();
    doc.table(
        &[
            Column::left("Organisation", 2_600),
            Column::left("Organisationsnr", 1_900),
            Column::left("Roll", 2_870),
            Column::right("Budget", 1_700),
        ],
        &rows,
    );

    if cx.progress() && !f.changes.is_empty() {
        doc.heading(2, &format!("1.3 {}", t.changes_heading));
        change_log(cx, doc);
    }
}

/// The change log (ändringsbeslut): what was decided and under which claim it came into force,
/// in the progress report (1.3) and the final report.
pub(super) fn change_log(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.overview);
    doc.text(&cx.fill(&t.changes_intro));
    let rows: Vec<Row> = f
        .changes
        .iter()
        .map(|c| {
            let what = match &c.retroactive {
                Some(r) => format!("{}. {r}", c.what.trim_end_matches('.')),
                None => c.what.clone(),
            };
            let claim =
                if c.submitted { format!("Ansökan {}", c.claim) } else { format!("Ansökan {} (denna)", c.claim) };
            Row::body(vec![c.number.clone(), sv_date(c.decided), claim, what])
        })
        .collect();
    doc.table(
        &[
            Column::left("Beslut", 1_300),
            Column::left("Beslutat", 1_500),
            Column::left("I kraft från", 1_700),
            Column::left("Vad som ändrades", TEXT_WIDTH - 4_500),
        ],
        &rows,
    );
}

/// 2 Arbetssätt och organisation.
fn organisation(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.organisation);
    doc.heading(1, &format!("2 {}", t.heading));
    doc.text(&cx.fill(&t.text));
    doc.heading(2, &format!("2.1 {}", t.reporting_heading));
    doc.text(&cx.fill(&t.reporting_intro));
    let hours = |d| sv_number(d, 0);
    let mut rows: Vec<Row> = f
        .orgs
        .iter()
        .map(|o| {
            Row::body(vec![
                o.name.clone(),
                o.months_reported.len().to_string(),
                hours(o.hours_period),
                hours(o.hours_cumulative),
            ])
        })
        .collect();
    rows.push(Row::total(vec!["Summa".into(), String::new(), hours(f.totals.hours), hours(f.cumulative.hours)]));
    doc.table(
        &amount_columns(
            "Organisation",
            &[("Godkända månader", 1_700), ("Timmar perioden", 1_700), ("Timmar ackumulerat", 1_800)],
        ),
        &rows,
    );
}

/// `Härnösands kommun, mars 2025`.
fn attribution(n: &Narrative) -> String {
    format!("{}, {}", n.org_name, sv_month(n.month))
}

/// `1.1 Strukturbildskarta` for an activity code of the plan, else the code.
fn activity_label(f: &Figures, code: &str) -> String {
    f.activities.iter().find(|a| a.code == code).map_or_else(|| code.to_string(), |a| format!("{} {}", a.code, a.name))
}

/// 3 Aktiviteter: what the partners report as done, per work package and activity.
fn activities(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.activities);
    doc.heading(1, &format!("3 {}", t.heading));
    doc.text(&cx.fill(&t.intro));
    let mut n = 0;
    for wp in &f.work_packages {
        n += 1;
        doc.heading(2, &format!("3.{n} {} {}: {}", t.work_package, wp.code, wp.name));
        for a in f.activities.iter().filter(|a| a.work_package == wp.code) {
            doc.heading(3, &format!("{} {} {}", t.activity, a.code, a.name));
            let done: Vec<&Narrative> =
                f.narratives.iter().filter(|x| x.activity == a.code && !x.done.trim().is_empty()).collect();
            if done.is_empty() {
                doc.note(&cx.fill(&t.none));
            }
            for x in done {
                doc.quote(&attribution(x), &cx.free_text(&x.done));
            }
        }
    }
    let other: Vec<&Narrative> = f
        .narratives
        .iter()
        .filter(|x| !x.done.trim().is_empty() && !f.activities.iter().any(|a| a.code == x.activity))
        .collect();
    if !other.is_empty() {
        doc.heading(2, &format!("3.{} {}", n + 1, t.other_heading));
        for x in other {
            doc.quote(&format!("{} ({} {})", attribution(x), t.activity, x.activity), &cx.free_text(&x.done));
        }
    }
}

/// 4 Projektets resultat: indicators against target, gender split, the partners' results.
fn results(cx: &Ctx, doc: &mut Doc, indicators: Option<Figure>) -> Result<(), EmitError> {
    let (f, t) = (cx.f, &cx.t.results);
    doc.heading(1, &format!("4 {}", t.heading));
    doc.heading(2, &format!("4.1 {}", t.indicators_heading));
    doc.text(&cx.fill(&t.indicators_intro));
    indicator_table(cx, doc);
    if let Some(chart) = indicators {
        doc.chart(chart, &cx.fill(&t.chart_caption));
        if f.indicators.iter().any(|i| i.percent_of_target.is_none()) {
            doc.note(&cx.fill(&t.zero_target));
        }
    }
    let mut sub = 1;
    if f.indicators.iter().any(|i| i.gender.is_some()) {
        sub += 1;
        doc.heading(2, &format!("4.{sub} {}", t.gender_heading));
        doc.text(&cx.fill(&t.gender_intro));
        gender_table(cx, doc);
    }
    sub += 1;
    doc.heading(2, &format!("4.{sub} {}", t.reported_heading));
    doc.text(&cx.fill(&t.reported_intro));
    let reported: Vec<&Narrative> = f.narratives.iter().filter(|x| !x.results.trim().is_empty()).collect();
    if reported.is_empty() {
        doc.note(&cx.fill(&t.none));
    }
    for x in reported {
        doc.quote(&format!("{} – {}", attribution(x), activity_label(f, &x.activity)), &cx.free_text(&x.results));
    }
    Ok(())
}

/// Each indicator against its target: the cumulative value first, then (progress report) what
/// is new in the period, and the share of the target in whole per cent rounded down.
pub(super) fn indicator_table(cx: &Ctx, doc: &mut Doc) {
    let name = |i: &crate::reconcile::model::IndicatorFigures| {
        let code = if i.code.is_empty() { String::new() } else { format!("{} ", i.code) };
        format!("{code}{} ({})", i.name, i.unit)
    };
    let target_share = |p: Option<rust_decimal::Decimal>| p.map_or_else(|| "–".to_string(), sv_whole_percent);
    let columns = if cx.progress() {
        amount_columns(
            "Indikator",
            &[("Målvärde", 1_250), ("Ackumulerat", 1_500), ("Nytt i perioden", 1_500), ("Andel av mål", 1_300)],
        )
    } else {
        amount_columns("Indikator", &[("Målvärde", 1_400), ("Utfall", 1_400), ("Andel av mål", 1_500)])
    };
    let rows: Vec<Row> =
        cx.f.indicators
            .iter()
            .map(|i| {
                let mut cells = vec![name(i), quantity(i.target), quantity(i.cumulative)];
                if cx.progress() {
                    cells.push(quantity(i.period));
                }
                cells.push(target_share(i.percent_of_target));
                Row::body(cells)
            })
            .collect();
    doc.table(&columns, &rows);
}

/// Participant registrations by gender, each split beside its own total.
pub(super) fn gender_table(cx: &Ctx, doc: &mut Doc) {
    let rows: Vec<Row> =
        cx.f.indicators
            .iter()
            .filter_map(|i| i.gender.map(|g| (i, g)))
            .map(|(i, g)| {
                Row::body(vec![
                    i.name.clone(),
                    g.women.to_string(),
                    g.men.to_string(),
                    g.not_stated.to_string(),
                    g.total().to_string(),
                ])
            })
            .collect();
    doc.table(
        &amount_columns(
            "Deltagarregistreringar",
            &[("Kvinnor", 1_150), ("Män", 1_150), ("Ej angivet", 1_250), ("Summa", 1_150)],
        ),
        &rows,
    );
}

/// 6 Avvikelser och åtgärder: the partners' deviations, and the open findings counted by code.
fn deviations(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.deviations);
    doc.heading(1, &format!("6 {}", t.heading));
    doc.heading(2, &format!("6.1 {}", t.reported_heading));
    doc.text(&cx.fill(&t.reported_intro));
    let reported: Vec<&Narrative> = f.narratives.iter().filter(|x| !x.deviations.trim().is_empty()).collect();
    if reported.is_empty() {
        doc.note(&cx.fill(&t.none));
    }
    for x in reported {
        doc.quote(&format!("{} – {}", attribution(x), activity_label(f, &x.activity)), &cx.free_text(&x.deviations));
    }
    doc.heading(2, &format!("6.2 {}", t.findings_heading));
    open_findings(cx, doc);
}

/// The run's open findings counted by code, with each code's Swedish title.
pub(super) fn open_findings(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.deviations);
    if f.finding_counts.is_empty() {
        doc.text(&cx.fill(&t.no_findings));
        return;
    }
    doc.text(&cx.fill(&t.findings_intro));
    let mut rows: Vec<Row> = f
        .finding_counts
        .iter()
        .map(|c| {
            let severity = match c.severity {
                Severity::Error => "Fel",
                Severity::Warning => "Varning",
            };
            let what = t.code(c.code);
            Row::body(vec![severity.to_string(), c.code.as_str().to_string(), what, c.count.to_string()])
        })
        .collect();
    rows.push(Row::total(vec!["Summa".into(), String::new(), String::new(), f.findings.len().to_string()]));
    doc.table(
        &[
            Column::left("Slag", 1_100),
            Column::left("Kod", 3_000),
            Column::left("Innebörd", TEXT_WIDTH - 1_100 - 3_000 - 900),
            Column::right("Antal", 900),
        ],
        &rows,
    );
}

/// 7 Horisontella kriterier: fixed texts and the participants' gender split.
fn horizontal(cx: &Ctx, doc: &mut Doc) {
    let (f, t) = (cx.f, &cx.t.horizontal);
    doc.heading(1, &format!("7 {}", t.heading));
    doc.text(&cx.fill(&t.intro));
    doc.heading(2, &format!("7.1 {}", t.gender_equality_heading));
    doc.text(&cx.fill(&t.gender_equality));
    let registered = f.indicators.iter().find_map(|i| i.gender).is_some_and(|g| g != GenderCount::default());
    doc.text(&cx.fill(if registered { &t.participants } else { &t.no_participants }));
    doc.heading(2, &format!("7.2 {}", t.diversity_heading));
    doc.text(&cx.fill(&t.diversity));
    doc.heading(2, &format!("7.3 {}", t.environment_heading));
    doc.text(&cx.fill(&t.environment));
}
