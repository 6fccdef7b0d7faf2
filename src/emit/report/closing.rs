//! The final report (`slutrapport.docx`): what Tillväxtverket asks at a project's close, not a
//! transcript of its months (`docs/outputs.md`, "The final report").
//!
//! Sammanfattning (with the project in figures and what the report rests on: months not over or
//! without a workbook), Mål och resultat (the project's goals, indicators, participants by
//! gender), Genomförande per arbetspaket (each against its plan, the narratives condensed by
//! [`crate::reconcile::digest`]), Effekter, Spridning och implementering, Lärdomar, Efter
//! projektet, Horisontella principer, and Ekonomi under hela projekttiden (every claim, budget
//! against outcome, financing, charts, open findings). The texts only a person can write come
//! from the project's `mallar/slutrapport.toml` ([`FinalTexts`]); one not written is a visible
//! "Att skriva" box. A preliminary report says so at the top of every page.

use super::economy;
use super::final_texts::{FinalText, FinalTexts};
use super::sections::{Charts, Ctx, amount_columns, change_log, gender_table, indicator_table, open_findings, pack};
use super::word::{Column, Doc, Packed, Row};
use super::{kr, month_runs, share, sv_date, sv_period};
use crate::emit::EmitError;
use crate::money::{sv_kr, sv_number};
use crate::month::Month;
use crate::reconcile::model::{ActivityDigest, DigestLine, Period};

/// The final report's title page, contents and sections, packed with stand-ins for the charts.
pub(super) fn document(cx: &Ctx, texts: &FinalTexts, charts: &Charts) -> Result<Packed, EmitError> {
    let t = &cx.t.slutrapport;
    let preliminary = cx.f.closing.as_ref().is_some_and(|c| c.preliminary);
    let mut doc = Doc::new(&cx.t.document.figure);
    let mut s = Sections::default();
    summary(cx, &mut doc, texts, &mut s);
    goals(cx, &mut doc, texts, charts, &mut s);
    implementation(cx, &mut doc, &mut s);
    for text in [&texts.effekter, &texts.spridning, &texts.lardomar, &texts.efter_projektet] {
        doc.heading(1, &s.next(&text.rubrik));
        written(cx, &mut doc, text);
    }
    horizontal(cx, &mut doc, texts, &mut s);
    economy(cx, &mut doc, charts, &mut s);
    changes(cx, &mut doc, &mut s);
    let kind = if preliminary { &t.preliminary } else { &cx.t.document.r#final };
    let header = preliminary.then(|| cx.fill(&t.preliminary_header));
    pack(cx, doc, kind, cx.fill(&t.span), header)
}

/// Ändringsbeslut: the change decisions over the project's life, and under which claim each came
/// into force.
fn changes(cx: &Ctx, doc: &mut Doc, s: &mut Sections) {
    doc.heading(1, &s.next(&cx.t.overview.changes_heading));
    if cx.f.changes.is_empty() {
        doc.text(&cx.t.slutrapport.no_changes);
    } else {
        change_log(cx, doc);
    }
}

/// Section numbers: `3 Genomförande per arbetspaket`, then `3.1 …` under it.
#[derive(Default)]
struct Sections {
    top: u32,
    sub: u32,
}

impl Sections {
    fn next(&mut self, heading: &str) -> String {
        self.top += 1;
        self.sub = 0;
        format!("{} {heading}", self.top)
    }
    fn sub(&mut self, heading: &str) -> String {
        self.sub += 1;
        format!("{}.{} {heading}", self.top, self.sub)
    }
}

/// A text the project wrote, or the box saying what to write there.
fn written(cx: &Ctx, doc: &mut Doc, text: &FinalText) {
    match text.written() {
        Some(body) => doc.text(&cx.free_text(body)),
        None => doc.frame(&cx.t.slutrapport.to_write, &text.vagledning),
    }
}

/// 1 Sammanfattning: the project's own summary, the project in figures, and what the report
/// rests on.
fn summary(cx: &Ctx, doc: &mut Doc, texts: &FinalTexts, s: &mut Sections) {
    let (f, t) = (cx.f, &cx.t.slutrapport);
    doc.heading(1, &s.next(&texts.sammanfattning.rubrik));
    if f.closing.as_ref().is_some_and(|c| c.preliminary) {
        doc.frame(&t.preliminary_label, &cx.fill(&t.preliminary_note));
    }
    written(cx, doc, &texts.sammanfattning);

    doc.heading(2, &s.sub(&t.key_figures_heading));
    let claims = &f.claims_to_date;
    let facts = [
        ("Projekttid", format!("{} – {}", sv_date(f.project_start), sv_date(f.project_end))),
        ("Projektägare", f.owner_name.clone()),
        (
            "Organisationer",
            format!("{} projektparter och {} medfinansiärer", f.partners().count(), f.cofinanciers().count()),
        ),
        ("Stödgrundande kostnader", format!("{} ({} av budgeten)", kr(claims.eligible), share(f.budget.total.used))),
        ("Total budget", kr(f.budget.total.budget)),
        ("Stöd", format!("{} av beviljade {}", kr(claims.support), kr(f.support.approved))),
        ("Ansökningar om utbetalning", claims.rows.len().to_string()),
    ];
    doc.table(
        &[Column::left("Uppgift", 2_900), Column::left("Värde", super::word::TEXT_WIDTH - 2_900)],
        &facts.into_iter().map(|(k, v)| Row::body(vec![k.to_string(), v])).collect::<Vec<_>>(),
    );

    doc.heading(2, &s.sub(&t.basis_heading));
    doc.text(&cx.fill(&t.basis_intro));
    let Some(c) = f.closing.as_ref() else { return };
    if let Some(claim) = c.submitted {
        doc.text(&format!(
            "Rapporten hör till ansökan {} ({}), registrerad i ansökningsloggen {}.",
            claim.seq,
            sv_period(f.period),
            sv_date(claim.on)
        ));
    }
    if c.unfinished.is_empty() && c.missing.is_empty() {
        doc.text(&cx.fill(&t.basis_complete));
    }
    if !c.unfinished.is_empty() {
        doc.text(&format!("{} {}.", t.basis_unfinished, month_runs(&c.unfinished)));
    }
    if !c.missing.is_empty() {
        doc.text(&t.basis_missing);
        let rows: Vec<Row> =
            c.missing.iter().map(|m| Row::body(vec![m.org_name.clone(), month_runs(&m.months)])).collect();
        doc.table(
            &[Column::left("Organisation", 3_400), Column::left("Månader", super::word::TEXT_WIDTH - 3_400)],
            &rows,
        );
    }
}

/// 2 Mål och resultat: the project's goals in its own words, indicators against their targets,
/// participants by gender.
fn goals(cx: &Ctx, doc: &mut Doc, texts: &FinalTexts, charts: &Charts, s: &mut Sections) {
    let (f, t) = (cx.f, &cx.t.slutrapport);
    doc.heading(1, &s.next(&t.goals_heading));
    doc.heading(2, &s.sub(&texts.mal.rubrik));
    written(cx, doc, &texts.mal);
    doc.heading(2, &s.sub(&t.indicators_heading));
    doc.text(&cx.fill(&t.indicators_intro));
    indicator_table(cx, doc);
    if let Some(chart) = charts.indicators {
        doc.chart(chart, &cx.fill(&t.chart_caption));
        if f.indicators.iter().any(|i| i.percent_of_target.is_none()) {
            doc.note(&cx.fill(&cx.t.results.zero_target));
        }
    }
    if f.indicators.iter().any(|i| i.gender.is_some()) {
        doc.heading(2, &s.sub(&t.gender_heading));
        doc.text(&cx.fill(&cx.t.results.gender_intro));
        gender_table(cx, doc);
    }
}

/// 3 Genomförande per arbetspaket: each work package's activities against their budget, and
/// the partners' narratives condensed per activity.
fn implementation(cx: &Ctx, doc: &mut Doc, s: &mut Sections) {
    let (f, t) = (cx.f, &cx.t.slutrapport);
    doc.heading(1, &s.next(&t.implementation_heading));
    doc.text(&cx.fill(&t.implementation_intro));
    // An activity, or the work package over it, against its plan: its planned months under it.
    let cells = |label: String, a: &crate::reconcile::model::ActivityFigures| {
        vec![
            format!("{label}\n{} {}–{}", t.planned, Month::of(a.start), Month::of(a.end)),
            sv_number(a.hours_cumulative, 0),
            kr(a.cumulative),
            kr(a.budget.budget),
            share(a.budget.used),
        ]
    };
    for wp in &f.work_packages {
        doc.heading(2, &s.sub(&format!("{} {}: {}", t.work_package, wp.code, wp.name)));
        let mut rows = vec![Row::group(cells(format!("{} {}", t.work_package, wp.code), wp))];
        let activities: Vec<_> = f.activities.iter().filter(|a| a.work_package == wp.code).collect();
        rows.extend(activities.iter().map(|a| Row::sub(cells(format!("{} {}", a.code, a.name), a))));
        doc.table(
            &amount_columns(
                "Aktivitet",
                &[("Timmar", 950), ("Utfall", 1_600), ("Budget", 1_600), ("Förbrukat", 1_200)],
            ),
            &rows,
        );
        for a in activities {
            doc.heading(3, &format!("{} {} {}", cx.t.activities.activity, a.code, a.name));
            match f.digest.activities.iter().find(|d| d.activity == a.code) {
                Some(d) => narratives(cx, doc, d),
                None => doc.note(&cx.fill(&t.no_narratives)),
            }
        }
    }
    let other: Vec<&ActivityDigest> =
        f.digest.activities.iter().filter(|d| !f.activities.iter().any(|a| a.code == d.activity)).collect();
    if !other.is_empty() {
        doc.heading(2, &s.sub(&t.other_heading));
        for d in other {
            doc.heading(3, &format!("{} {}", cx.t.activities.activity, d.activity));
            narratives(cx, doc, d);
        }
    }
    doc.heading(2, &s.sub(&t.deviations));
    doc.text(&cx.fill(&t.deviations_intro));
    if f.digest.deviations.is_empty() {
        doc.note(&cx.fill(&t.no_deviations));
    }
    lines(cx, doc, &f.digest.deviations, f.digest.deviations_left_out);
}

/// An activity's condensed narratives: what was done, then what was seen, each the latest first.
fn narratives(cx: &Ctx, doc: &mut Doc, d: &ActivityDigest) {
    let t = &cx.t.slutrapport;
    for (label, field) in [(&t.done, &d.done), (&t.results, &d.results)] {
        if !field.is_empty() {
            doc.label(label);
            lines(cx, doc, field, 0);
        }
    }
    lines(cx, doc, &[], d.left_out);
}

/// Condensed lines, each with who wrote it and when, and how many older ones are left out.
fn lines(cx: &Ctx, doc: &mut Doc, lines: &[DigestLine], left_out: u32) {
    for line in lines {
        doc.sourced(&cx.free_text(&line.text), &sources(line));
    }
    if left_out > 0 {
        doc.note(&format!("{left_out} {}", cx.t.slutrapport.left_out));
    }
}

/// `Ånge kommun jan–apr 2024, okt 2024; Timrå kommun feb 2025`.
fn sources(line: &DigestLine) -> String {
    line.sources.iter().map(|(org, months)| format!("{org} {}", month_runs(months))).collect::<Vec<_>>().join("; ")
}

/// Horisontella principer: the project's own account of each, in the past tense, with the
/// participants by gender under gender equality.
fn horizontal(cx: &Ctx, doc: &mut Doc, texts: &FinalTexts, s: &mut Sections) {
    let (f, t) = (cx.f, &cx.t.slutrapport);
    doc.heading(1, &s.next(&t.horizontal_heading));
    doc.heading(2, &s.sub(&texts.jamstalldhet.rubrik));
    written(cx, doc, &texts.jamstalldhet);
    let h = &cx.t.horizontal;
    let registered = f.indicators.iter().find_map(|i| i.gender).is_some_and(|g| g.total() > 0);
    doc.text(&cx.fill(if registered { &h.participants } else { &h.no_participants }));
    for text in [&texts.tillganglighet, &texts.hallbar_utveckling] {
        doc.heading(2, &s.sub(&text.rubrik));
        written(cx, doc, text);
    }
}

/// Ekonomi under hela projekttiden: every claim, budget against outcome per cost type,
/// organisation, work package and activity, the financing, the charts and the open findings.
fn economy(cx: &Ctx, doc: &mut Doc, charts: &Charts, s: &mut Sections) {
    let (f, t) = (cx.f, &cx.t.slutrapport);
    doc.heading(1, &s.next(&t.economy_heading));
    doc.text(&cx.fill(&t.economy_intro));

    doc.heading(2, &s.sub(&t.claims_heading));
    doc.text(&cx.fill(&t.claims_intro));
    let claims = &f.claims_to_date;
    let mut rows: Vec<Row> = claims
        .rows
        .iter()
        .map(|c| {
            Row::body(vec![
                c.seq.to_string(),
                sv_period(Period { from: c.from, to: c.to }),
                sv_kr(c.eligible),
                sv_kr(c.support),
                c.submitted.map_or_else(|| t.not_submitted.clone(), sv_date),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        String::new(),
        "Summa".into(),
        sv_kr(claims.eligible),
        sv_kr(claims.support),
        String::new(),
    ]));
    doc.table(
        &[
            Column::left("Nr", 600),
            Column::left("Period", 2_820),
            Column::right("Stödgrundande", 1_950),
            Column::right("Stöd", 1_950),
            Column::right("Inskickad", 1_750),
        ],
        &rows,
    );

    doc.heading(2, &s.sub(&t.categories_heading));
    economy::cost_types(cx, doc);

    doc.heading(2, &s.sub(&t.orgs_heading));
    doc.text(&cx.fill(&t.orgs_intro));
    let hours = |d| sv_number(d, 0);
    let mut rows: Vec<Row> = f
        .partners()
        .chain(f.cofinanciers())
        .map(|o| {
            let name = if o.in_kind { format!("{} (i annat än pengar)", o.name) } else { o.name.clone() };
            Row::body(vec![
                name,
                format!("{} av {}", o.months_counted, o.months_due),
                hours(o.hours_cumulative),
                kr(o.cumulative.total()),
                kr(o.budget_total.budget),
                share(o.budget_total.used),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        "Summa".into(),
        String::new(),
        hours(f.cumulative.hours),
        kr(f.cumulative.eligible),
        kr(f.budget.total.budget),
        share(f.budget.total.used),
    ]));
    doc.table(
        &amount_columns(
            "Organisation",
            &[("Månader", 1_050), ("Timmar", 950), ("Utfall", 1_600), ("Budget", 1_600), ("Förbrukat", 1_200)],
        ),
        &rows,
    );

    doc.heading(2, &s.sub(&t.work_packages_heading));
    economy::work_packages(cx, doc);

    doc.heading(2, &s.sub(&t.financing_heading));
    economy::financing(cx, doc);

    doc.heading(2, &s.sub(&t.charts_heading));
    doc.chart(charts.cumulative, &cx.fill(&t.chart_cumulative));
    doc.chart(charts.orgs, &cx.fill(&t.chart_orgs));
    doc.chart(charts.work_packages, &cx.fill(&t.chart_work_packages));

    doc.heading(2, &s.sub(&t.findings_heading));
    open_findings(cx, doc);
}
