//! The HTML pages: the status page (`status.html`) and the receipts as pages
//! (`kvitto/<folder>.html`).
//!
//! Both are self-contained (styles inline, no script, no request leaves the file) so that they
//! open from a file share, offline, on any machine. They are rendered with minijinja from
//! templates compiled into the binary (`templates/status.html.j2`, `templates/kvitto.html.j2`,
//! `templates/sidor.css`), with HTML autoescaping: partner text is always escaped.
//!
//! The view models below are built from the reconciled [`Figures`]; they only format what the
//! model holds (amounts, dates, counts of findings), they compute no money figure. Every free
//! text that reaches a page (names, paths, notes, messages) goes through [`mask`], the one place
//! where personnummer are removed, and the rendered page passes through it once more.
//!
//! The cell details of the status grid are `<details>`/`<summary>`: they open with a click,
//! Enter or Space, without script, and only one is open at a time.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;

use super::EmitError;
use super::report::Texts;
use crate::finding::{Finding, Severity};
use crate::intake::Status;
use crate::money::{sv_hours, sv_kr, sv_percent};
use crate::month::{Month, SWEDISH_MONTHS};
use crate::reconcile::model::{Figures, FileRecord, MonthCell, MonthState, OrgFigures, PlanState};

/// The status page's file name.
pub const STATUS_FILE: &str = "status.html";

const STATUS_TEMPLATE: &str = include_str!("../../templates/status.html.j2");
const RECEIPT_TEMPLATE: &str = include_str!("../../templates/kvitto.html.j2");
const ERROR_TEMPLATE: &str = include_str!("../../templates/fel.html.j2");
const STYLE: &str = include_str!("../../templates/sidor.css");

/// Removes personnummer from a whole rendered page ([`crate::privacy`]): the one place the
/// pages mask, so that no field can be forgotten. Escaping leaves digits, dashes, plus signs and
/// spaces as they are, so every spelling the masker knows survives rendering unchanged.
fn mask(text: &str, on: NaiveDate) -> String {
    crate::privacy::mask_personnummer(text, on)
}

/// The templates, compiled once per process (a run renders a page per partner folder).
fn environment() -> Result<&'static Environment<'static>, EmitError> {
    static ENV: std::sync::OnceLock<Result<Environment<'static>, (&'static str, String)>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| if name.ends_with(".css") { AutoEscape::None } else { AutoEscape::Html });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, text) in [
            ("status.html.j2", STATUS_TEMPLATE),
            ("kvitto.html.j2", RECEIPT_TEMPLATE),
            ("fel.html.j2", ERROR_TEMPLATE),
            ("sidor.css", STYLE),
        ] {
            env.add_template(name, text).map_err(|e| (name, format!("{e:#}")))?;
        }
        Ok(env)
    })
    .as_ref()
    .map_err(|(name, e)| EmitError::Template(format!("templates/{name}").into(), e.clone()))
}

fn template_error(name: &str, e: &minijinja::Error) -> EmitError {
    EmitError::Template(format!("templates/{name}").into(), format!("{e:#}"))
}

fn render_page<T: Serialize>(name: &str, view: &T, on: NaiveDate) -> Result<String, EmitError> {
    let env = environment()?;
    let template = env.get_template(name).map_err(|e| template_error(name, &e))?;
    let html = template.render(view).map_err(|e| template_error(name, &e))?;
    Ok(mask(&html, on))
}

/// Renders `status.html`.
pub fn render_status(figures: &Figures, texts: &Texts) -> Result<String, EmitError> {
    render_page("status.html.j2", &StatusPage::new(figures, texts), mask_date(figures))
}

/// Renders `kvitto/<folder>.html`.
pub fn render_receipt(figures: &Figures, folder: &str) -> Result<String, EmitError> {
    render_page("kvitto.html.j2", &ReceiptPage::new(figures, folder), mask_date(figures))
}

/// Renders `status.html` for a run that could not assess the inbox (`watch`): the reason.
pub fn render_status_error(message: &str) -> Result<String, EmitError> {
    #[derive(Serialize)]
    struct ErrorPage<'a> {
        message: &'a str,
    }
    // No clock (same inputs, same bytes): judge personnummer against a far date, so that every
    // date that can be one is masked.
    let on = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap_or(NaiveDate::MAX);
    render_page("fel.html.j2", &ErrorPage { message }, on)
}

/// The day personnummer are judged valid on (as the text receipt does).
fn mask_date(f: &Figures) -> NaiveDate {
    f.period.to.last_day()
}

/// `15 april 2025`.
fn sv_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), SWEDISH_MONTHS[d.month0() as usize], d.year())
}

/// `jan`, `feb`, … (the month names are ASCII).
fn short_month(m: Month) -> &'static str {
    &SWEDISH_MONTHS[(m.month() - 1) as usize][..3]
}

fn period_text(f: &Figures) -> String {
    if f.period.from == f.period.to {
        f.period.from.swedish()
    } else {
        format!("{} – {}", f.period.from.swedish(), f.period.to.swedish())
    }
}

fn kind_text(f: &Figures) -> &'static str {
    if f.claim { "ansökan om utbetalning" } else { "lägesavstämning, inte en ansökan" }
}

fn share(used: Option<rust_decimal::Decimal>) -> String {
    used.map_or_else(|| "–".to_string(), |u| sv_percent(u, 1))
}

/// How a month is shown: CSS class, a symbol that does not rely on colour, a short label.
#[derive(Debug, Clone, Serialize)]
pub struct StateView {
    pub class: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
}

fn state_view(state: MonthState) -> StateView {
    let (class, symbol) = match state {
        MonthState::Counted => ("raknas", "✓"),
        MonthState::Claimed(_) => ("inskickad", "✓"),
        MonthState::Late => ("sen", "+"),
        MonthState::Corrected => ("rattad", "±"),
        MonthState::CorrectionHeld => ("halls", "±"),
        MonthState::Outside => ("utanfor", "○"),
        MonthState::NotInDecision => ("ejbeslut", "·"),
        MonthState::NotAttested => ("ejattest", "!"),
        MonthState::Rejected => ("avvisad", "✗"),
        MonthState::Missing => ("saknas", "–"),
    };
    StateView { class, symbol, label: state.label() }
}

/// What the organisation should do about a month in this state, if anything.
fn action(state: MonthState, folder: &str) -> String {
    match state {
        MonthState::Missing => format!("Lägg månadens arbetsbok i mappen «{folder}»."),
        // A file that does not count is fixed as its error says (a higher version does not help).
        MonthState::Rejected => {
            "Rätta det felen nedan säger (till exempel Perioden i bladet Uppgifter) och spara arbetsboken i mappen igen."
                .to_string()
        }
        MonthState::NotAttested => {
            "Låt behörig person fylla i Attesterad av och Attestdatum i bladet Uppgifter och spara arbetsboken igen."
                .to_string()
        }
        _ => String::new(),
    }
}

/// A finding as a line: severity, code, place, what to do.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub class: &'static str,
    pub severity: &'static str,
    pub code: &'static str,
    pub explanation: String,
    pub place: String,
    pub message: String,
}

fn place_text(x: &Finding) -> String {
    let mut place = x.place.file.clone().unwrap_or_default();
    let sheet_cell = x.place.sheet_cell();
    if !sheet_cell.is_empty() {
        if !place.is_empty() {
            place.push(' ');
        }
        place.push_str(&sheet_cell);
    }
    if place.is_empty() { "hela perioden".to_string() } else { place }
}

fn finding_view(x: &Finding, texts: Option<&Texts>) -> FindingView {
    let (class, severity) = match x.severity {
        Severity::Error => ("fel", "Fel"),
        Severity::Warning => ("varning", "Varning"),
    };
    FindingView {
        class,
        severity,
        code: x.code.as_str(),
        explanation: texts.map_or_else(|| x.code.title().to_string(), |t| t.deviations.code(x.code)),
        place: place_text(x),
        message: x.message.clone(),
    }
}

/// A file and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub path: String,
    /// `månad 2025-01, version 2` or empty.
    pub what: String,
    /// `2025-01` or empty.
    pub month: String,
    /// `2` or empty.
    pub version: String,
    pub status: &'static str,
    pub class: &'static str,
    /// Why, when not simply used; `räknas i beloppen` when used.
    pub why: String,
    /// What was taken from it, formatted, or empty.
    pub taken: String,
    pub sha256: String,
}

fn file_view(f: &FileRecord) -> FileView {
    let class = match f.status {
        Status::Used => "anvands",
        Status::Superseded => "ersatt",
        Status::Rejected => "avvisad",
        Status::Ignored => "ignorerad",
        Status::Later => "senare",
    };
    let why = match (f.status, f.note.is_empty()) {
        (Status::Used, true) => "räknas i beloppen".to_string(),
        (_, true) => String::new(),
        (_, false) => f.note.clone(),
    };
    let what = match (f.month, f.version) {
        (Some(m), Some(v)) => format!("månad {m}, version {v}"),
        (Some(m), None) => format!("månad {m}"),
        _ => String::new(),
    };
    let taken = f.contribution.map_or_else(String::new, |c| {
        format!(
            "{} {}, {} timmar, personalkostnad {}, övriga kostnader {}, {} deltagare",
            c.persons,
            if c.persons == 1 { "person" } else { "personer" },
            sv_hours(c.hours),
            sv_kr(c.staff_cost),
            sv_kr(c.other_costs),
            c.participants
        )
    });
    FileView {
        path: f.path.clone(),
        what,
        month: f.month.map(|m| m.to_string()).unwrap_or_default(),
        version: f.version.map(|v| v.to_string()).unwrap_or_default(),
        status: f.status.swedish(),
        class,
        why: why.clone(),
        taken,
        sha256: f.sha256.clone(),
    }
}

/// A label and a formatted figure.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: &'static str,
    pub value: String,
    pub note: String,
}

/// One entry of the grid's legend.
#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    pub state: StateView,
    pub text: String,
}

/// How many months are in one state.
#[derive(Debug, Clone, Serialize)]
pub struct StateCount {
    pub state: StateView,
    pub count: usize,
}

/// A month column of the grid.
#[derive(Debug, Clone, Serialize)]
pub struct MonthHead {
    /// `2025-01`.
    pub iso: String,
    /// `jan`.
    pub short: &'static str,
    /// `januari 2025`.
    pub long: String,
    pub in_period: bool,
}

/// One organisation's month in the grid.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub iso: String,
    pub long: String,
    pub state: StateView,
    /// The sentence for the month (`räknas i denna ansökan (nr 3)`).
    pub describe: String,
    pub action: String,
    pub in_period: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Superseded versions of the month's workbook.
    pub superseded: usize,
    pub files: Vec<FileView>,
    pub findings: Vec<FindingView>,
    /// Late in the row: the details open to the left.
    pub right: bool,
}

/// An organisation's row.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub folder: String,
    pub name: String,
    /// `projektpart`, `medfinansiär (offentlig)`.
    pub role: String,
    /// All the organisation's findings, of any month or none.
    pub errors: usize,
    pub warnings: usize,
    /// `None` where the organisation has no such month.
    pub cells: Vec<Option<CellView>>,
}

/// The grid of one calendar year.
#[derive(Debug, Clone, Serialize)]
pub struct YearGrid {
    pub year: i32,
    pub months: Vec<MonthHead>,
    pub rows: Vec<RowView>,
}

/// An organisation's summary line: findings, files and figures.
#[derive(Debug, Clone, Serialize)]
pub struct OrgSummary {
    pub folder: String,
    pub name: String,
    pub role: String,
    pub errors: usize,
    pub warnings: usize,
    pub period: String,
    pub cumulative: String,
    pub budget: String,
    pub used: String,
    /// Findings that concern no single month (a missing month, a file without a month).
    pub general: Vec<FindingView>,
}

/// The findings of one organisation under one code.
#[derive(Debug, Clone, Serialize)]
pub struct OrgFindings {
    pub name: String,
    pub findings: Vec<FindingView>,
}

/// The findings of one code, by organisation.
#[derive(Debug, Clone, Serialize)]
pub struct CodeGroup {
    pub code: &'static str,
    pub class: &'static str,
    pub severity: &'static str,
    pub explanation: String,
    pub count: usize,
    pub orgs: Vec<OrgFindings>,
}

/// The reporting plan: claim periods, when each is due and where the project stands. Built
/// without the clock (the page is the same whatever day it is opened or written): a planned
/// claim is submitted, this claim, the next one, or later.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub periods: Vec<PlanPeriodView>,
}

/// One claim period of the reporting plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanPeriodView {
    /// `januari – mars 2025`.
    pub label: String,
    /// `15 april 2025`.
    pub due: String,
    /// Swedish: submitted, this claim, next, later.
    pub state: String,
    /// `skickad`, `denna`, `nasta`, `senare` (a style class).
    pub class: &'static str,
}

/// The plan as the page shows it, or `None` when the project has no plan.
fn plan_view(f: &Figures) -> Option<PlanView> {
    let r = &f.reporting;
    if r.claims.is_empty() {
        return None;
    }
    let periods = r
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let label =
                if c.from == c.to { c.from.swedish() } else { format!("{} – {}", c.from.swedish(), c.to.swedish()) };
            let (state, class) = match c.state {
                PlanState::Submitted(seq) => (format!("inskickad (ansökan {seq})"), "skickad"),
                PlanState::ThisClaim => (format!("denna ansökan (nr {})", f.claim_seq), "denna"),
                _ if r.next == Some(i) => ("nästa ansökan".to_string(), "nasta"),
                _ => ("senare".to_string(), "senare"),
            };
            PlanPeriodView { label: format!("{}. {label}", c.number), due: sv_date(c.due), state, class }
        })
        .collect();
    Some(PlanView { periods })
}

/// Everything `status.html` shows, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct StatusPage {
    pub project_id: String,
    pub project_name: String,
    pub owner_name: String,
    pub period: String,
    pub kind: &'static str,
    pub claim_seq: u32,
    pub date: String,
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
    pub key_figures: Vec<KeyFigure>,
    pub legend: Vec<LegendEntry>,
    /// How many organisation-months of the period are in each state (states that occur).
    pub period_counts: Vec<StateCount>,
    pub years: Vec<YearGrid>,
    pub orgs: Vec<OrgSummary>,
    pub codes: Vec<CodeGroup>,
    /// Findings of no organisation (a file outside every folder, the ledger).
    pub general: Vec<FindingView>,
    /// The reporting plan, when the model has one (rendered only when present).
    pub plan: Option<PlanView>,
    /// What to upload with the claim, as `bilagor/bilagor.txt` lists it (a claim only).
    pub attachments: Option<crate::emit::bilagor::checklist::Checklist>,
}

fn role(o: &OrgFigures) -> String {
    if o.in_kind {
        format!("medfinansiär, {} bidrag i annat än pengar", o.kind.swedish())
    } else {
        "projektpart".to_string()
    }
}

fn short_role(o: &OrgFigures) -> String {
    if o.in_kind { format!("medfinansiär ({})", o.kind.swedish()) } else { "projektpart".to_string() }
}

/// The numbers of errors and warnings of an organisation.
fn org_counts(f: &Figures, folder: &str) -> (usize, usize) {
    let own = f.findings.iter().filter(|x| x.place.partner.as_deref() == Some(folder));
    let (errors, all) = own.fold((0, 0), |(e, a), x| (e + usize::from(x.is_error()), a + 1));
    (errors, all - errors)
}

/// Which grid cell a finding belongs to: the organisation and month of its file.
fn finding_cell<'a>(x: &Finding, files: &'a BTreeMap<&str, &FileRecord>) -> Option<(&'a str, Month)> {
    let record = files.get(x.place.file.as_deref()?)?;
    Some((record.folder.as_deref()?, record.month?))
}

impl StatusPage {
    /// The page's view of the figures.
    pub fn new(f: &Figures, texts: &Texts) -> StatusPage {
        let by_path: BTreeMap<&str, &FileRecord> = f.files.iter().map(|r| (r.path.as_str(), r)).collect();
        let mut cell_findings: BTreeMap<(&str, Month), Vec<&Finding>> = BTreeMap::new();
        let mut org_general: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        let mut general = Vec::new();
        for x in &f.findings {
            match (finding_cell(x, &by_path), x.place.partner.as_deref()) {
                (Some(cell), _) => cell_findings.entry(cell).or_default().push(x),
                (None, Some(folder)) => org_general.entry(folder).or_default().push(x),
                (None, None) => general.push(finding_view(x, Some(texts))),
            }
        }
        // Findings of a month outside the grid go to the organisation's general list.
        let in_grid = |folder: &str, m: Month| {
            f.months.iter().any(|om| om.folder == folder && om.cells.iter().any(|c| c.month == m))
        };
        for (&(folder, m), xs) in &cell_findings {
            if !in_grid(folder, m) {
                org_general.entry(folder).or_default().extend(xs.iter().copied());
            }
        }

        let all_months: std::collections::BTreeSet<Month> =
            f.months.iter().flat_map(|om| om.cells.iter().map(|c| c.month)).collect();
        let mut years: Vec<YearGrid> = Vec::new();
        for &m in &all_months {
            if years.last().is_none_or(|y| y.year != m.year()) {
                years.push(YearGrid { year: m.year(), months: Vec::new(), rows: Vec::new() });
            }
            if let Some(grid) = years.last_mut() {
                grid.months.push(MonthHead {
                    iso: m.to_string(),
                    short: short_month(m),
                    long: m.swedish(),
                    in_period: f.period.contains(m),
                });
            }
        }
        for grid in &mut years {
            for (org, months) in f.orgs.iter().zip(&f.months) {
                let cells = grid
                    .months
                    .iter()
                    .map(|head| {
                        let cell = months.cells.iter().find(|c| c.month.to_string() == head.iso)?;
                        Some(cell_view(f, org, cell, &cell_findings, texts))
                    })
                    .collect();
                let (errors, warnings) = org_counts(f, &org.folder);
                grid.rows.push(RowView {
                    folder: org.folder.clone(),
                    name: org.name.clone(),
                    role: short_role(org),
                    errors,
                    warnings,
                    cells,
                });
            }
        }

        let orgs = f
            .orgs
            .iter()
            .map(|o| {
                let (errors, warnings) = org_counts(f, &o.folder);
                OrgSummary {
                    folder: o.folder.clone(),
                    name: o.name.clone(),
                    role: role(o),
                    errors,
                    warnings,
                    period: sv_kr(o.period.total()),
                    cumulative: sv_kr(o.cumulative.total()),
                    budget: sv_kr(o.budget_total.budget),
                    used: share(o.budget_total.used),
                    general: org_general
                        .get(o.folder.as_str())
                        .map(|xs| xs.iter().map(|x| finding_view(x, Some(texts))).collect())
                        .unwrap_or_default(),
                }
            })
            .collect();

        let errors = f.findings.iter().filter(|x| x.is_error()).count();
        StatusPage {
            project_id: f.project_id.clone(),
            project_name: f.project_name.clone(),
            owner_name: f.owner_name.clone(),
            period: period_text(f),
            kind: kind_text(f),
            claim_seq: f.claim_seq,
            date: sv_date(f.document_date()),
            errors,
            warnings: f.findings.len() - errors,
            files: f.files.len(),
            key_figures: key_figures(f),
            legend: legend(f.claim_seq),
            period_counts: period_counts(f),
            years,
            orgs,
            codes: code_groups(f, texts),
            general,
            plan: plan_view(f),
            attachments: f.claim.then(|| crate::emit::bilagor::checklist::checklist(f)),
        }
    }
}

fn cell_view(
    f: &Figures,
    org: &OrgFigures,
    cell: &MonthCell,
    cell_findings: &BTreeMap<(&str, Month), Vec<&Finding>>,
    texts: &Texts,
) -> CellView {
    let findings: Vec<FindingView> = cell_findings
        .get(&(org.folder.as_str(), cell.month))
        .map(|xs| xs.iter().map(|x| finding_view(x, Some(texts))).collect())
        .unwrap_or_default();
    let files: Vec<&FileRecord> = f
        .files
        .iter()
        .filter(|r| r.folder.as_deref() == Some(org.folder.as_str()) && r.month == Some(cell.month))
        .collect();
    let errors = findings.iter().filter(|x| x.class == "fel").count();
    CellView {
        iso: cell.month.to_string(),
        long: cell.month.swedish(),
        state: state_view(cell.state),
        describe: cell.state.describe(f.claim_seq),
        action: action(cell.state, &org.folder),
        in_period: f.period.contains(cell.month),
        errors,
        warnings: findings.len() - errors,
        superseded: files.iter().filter(|r| r.status == Status::Superseded).count(),
        files: files.iter().map(|r| file_view(r)).collect(),
        findings,
        right: cell.month.month() > 7,
    }
}

fn key_figures(f: &Figures) -> Vec<KeyFigure> {
    let mut out = vec![
        KeyFigure {
            label: "Stödgrundande kostnader i ansökan",
            value: sv_kr(f.totals.eligible),
            note: if f.adjustment_totals.eligible.is_zero() {
                String::new()
            } else {
                format!("varav sena månader och rättelser {}", sv_kr(f.adjustment_totals.eligible))
            },
        },
        KeyFigure {
            label: "Stöd som söks",
            value: sv_kr(f.totals.support),
            note: format!(
                "stödandel {}{}",
                sv_percent(f.totals.support_rate, 2),
                if f.support.capped { ", begränsat av beviljat stöd" } else { "" }
            ),
        },
        KeyFigure {
            label: "Andel av budgeten förbrukad",
            value: share(f.budget.total.used),
            note: format!(
                "{} av {} stödgrundande från projektets start",
                sv_kr(f.cumulative.eligible),
                sv_kr(f.budget.total.budget)
            ),
        },
        KeyFigure {
            label: "Stöd sökt hittills",
            value: sv_kr(f.support.claimed_total),
            note: format!("av beviljat {}, kvar {}", sv_kr(f.support.approved), sv_kr(f.support.remaining)),
        },
    ];
    if !f.support.eligible_held.is_zero() {
        out.push(KeyFigure {
            label: "Rättelser som hålls inne",
            value: sv_kr(f.support.eligible_held),
            note: "stödgrundande, inte med i denna ansökan".to_string(),
        });
    }
    out
}

fn period_counts(f: &Figures) -> Vec<StateCount> {
    let mut counts: BTreeMap<MonthState, usize> = BTreeMap::new();
    for cell in f.months.iter().flat_map(|om| &om.cells).filter(|c| f.period.contains(c.month)) {
        *counts.entry(cell.state).or_default() += 1;
    }
    counts.into_iter().map(|(state, count)| StateCount { state: state_view(state), count }).collect()
}

fn legend(seq: u32) -> Vec<LegendEntry> {
    [
        MonthState::Counted,
        MonthState::Claimed(seq.saturating_sub(1).max(1)),
        MonthState::Late,
        MonthState::Corrected,
        MonthState::CorrectionHeld,
        MonthState::NotAttested,
        MonthState::Rejected,
        MonthState::Missing,
        MonthState::Outside,
        MonthState::NotInDecision,
    ]
    .into_iter()
    .map(|s| LegendEntry {
        state: state_view(s),
        text: match s {
            MonthState::Claimed(_) => "ingår i en tidigare inskickad ansökan".to_string(),
            _ => s.describe(seq),
        },
    })
    .collect()
}

fn code_groups(f: &Figures, texts: &Texts) -> Vec<CodeGroup> {
    let name_of = |folder: Option<&str>| -> String {
        match folder {
            Some(d) => f.orgs.iter().find(|o| o.folder == d).map_or_else(|| d.to_string(), |o| o.name.clone()),
            None => "Utanför parternas mappar".to_string(),
        }
    };
    let mut out = Vec::new();
    for count in &f.finding_counts {
        let xs: Vec<&Finding> =
            f.findings.iter().filter(|x| x.code == count.code && x.severity == count.severity).collect();
        let mut orgs: Vec<OrgFindings> = Vec::new();
        // Organisations in project order, then findings of no organisation.
        let mut folders: Vec<Option<&str>> = f.orgs.iter().map(|o| Some(o.folder.as_str())).collect();
        folders.push(None);
        for folder in folders {
            let mine: Vec<FindingView> =
                xs.iter().filter(|x| x.place.partner.as_deref() == folder).map(|x| finding_view(x, None)).collect();
            if !mine.is_empty() {
                orgs.push(OrgFindings { name: name_of(folder), findings: mine });
            }
        }
        // A partner folder the project does not know (its findings would be lost otherwise).
        let known = |p: Option<&str>| p.is_none() || f.orgs.iter().any(|o| Some(o.folder.as_str()) == p);
        let mut unknown: BTreeMap<&str, Vec<FindingView>> = BTreeMap::new();
        for x in xs.iter().filter(|x| !known(x.place.partner.as_deref())) {
            if let Some(p) = x.place.partner.as_deref() {
                unknown.entry(p).or_default().push(finding_view(x, None));
            }
        }
        orgs.extend(unknown.into_iter().map(|(p, findings)| OrgFindings { name: p.to_string(), findings }));
        let (class, severity) = match count.severity {
            Severity::Error => ("fel", "Fel"),
            Severity::Warning => ("varning", "Varning"),
        };
        out.push(CodeGroup {
            code: count.code.as_str(),
            class,
            severity,
            explanation: texts.deviations.code(count.code),
            count: xs.len(),
            orgs,
        });
    }
    out
}

/// One month of a receipt.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptMonth {
    pub iso: String,
    pub long: String,
    pub state: StateView,
    pub describe: String,
    pub file: String,
    pub in_period: bool,
}

/// A row of the receipt's amounts.
#[derive(Debug, Clone, Serialize)]
pub struct AmountRow {
    pub label: &'static str,
    pub period: String,
    pub cumulative: String,
    pub total: bool,
}

/// The receipt's amounts for the organisation.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptTotals {
    pub rows: Vec<AmountRow>,
    pub budget: String,
    pub used: String,
    pub reported: String,
}

/// Everything `kvitto/<folder>.html` shows, formatted: the text receipt's content.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptPage {
    pub name: String,
    pub folder: String,
    pub project_id: String,
    pub project_name: String,
    pub period: String,
    pub period_iso: String,
    pub kind: &'static str,
    pub org_line: String,
    pub date: String,
    pub errors: usize,
    /// What to do about the errors, after "N fel:" ([`super::receipt::error_advice`]).
    pub advice: Vec<&'static str>,
    pub warnings: usize,
    pub files: Vec<FileView>,
    pub months_title: String,
    pub months: Vec<ReceiptMonth>,
    pub findings: Vec<FindingView>,
    pub totals: Option<ReceiptTotals>,
    pub cofinancing_title: &'static str,
    pub cofinancing: Option<super::receipt::CofinancingView>,
}

impl ReceiptPage {
    /// The receipt's view of the figures for one folder.
    pub fn new(f: &Figures, folder: &str) -> ReceiptPage {
        let org = f.orgs.iter().find(|o| o.folder == folder);
        let findings: Vec<FindingView> = f
            .findings
            .iter()
            .filter(|x| x.place.partner.as_deref() == Some(folder))
            .map(|x| finding_view(x, None))
            .collect();
        let errors = findings.iter().filter(|x| x.class == "fel").count();
        let months = f
            .months
            .iter()
            .find(|m| m.folder == folder)
            .map(|om| {
                om.cells
                    .iter()
                    .map(|c| ReceiptMonth {
                        iso: c.month.to_string(),
                        long: c.month.swedish(),
                        state: state_view(c.state),
                        describe: c.state.describe(f.claim_seq),
                        file: c.file.as_deref().map(|p| p.to_string()).unwrap_or_default(),
                        in_period: f.period.contains(c.month),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ReceiptPage {
            name: org.map_or(folder, |o| o.name.as_str()).to_string(),
            folder: folder.to_string(),
            project_id: f.project_id.clone(),
            project_name: f.project_name.clone(),
            period: period_text(f),
            period_iso: format!("{} – {}", f.period.from, f.period.to),
            kind: kind_text(f),
            org_line: org.map_or_else(String::new, |o| format!("{} ({}), {}", o.name, o.org_nr, role(o))),
            date: sv_date(f.document_date()),
            errors,
            advice: super::receipt::error_advice(f, folder),
            warnings: findings.len() - errors,
            files: f.files.iter().filter(|r| r.folder.as_deref() == Some(folder)).map(file_view).collect(),
            months_title: format!("Månader {} – {}", Month::of(f.project_start).swedish(), f.period.to.swedish()),
            months,
            findings,
            totals: org.map(receipt_totals),
            cofinancing_title: super::receipt::COFINANCING_TITLE,
            cofinancing: org.and_then(|_| super::receipt::CofinancingView::new(f, folder)),
        }
    }
}

fn receipt_totals(o: &OrgFigures) -> ReceiptTotals {
    let (p, c) = (&o.period, &o.cumulative);
    let row = |label, a, b, total| AmountRow { label, period: sv_kr(a), cumulative: sv_kr(b), total };
    let mut rows = if o.in_kind {
        vec![row("Bidrag i annat än pengar", p.total(), c.total(), true)]
    } else {
        vec![
            row("Personalkostnader", p.staff, c.staff, false),
            row("Schablon/indirekta", p.flat_rate, c.flat_rate, false),
            row("Övriga kostnader", p.other, c.other, false),
            row("Summa", p.total(), c.total(), true),
        ]
    };
    rows.push(AmountRow {
        label: "Timmar",
        period: sv_hours(o.hours_period),
        cumulative: sv_hours(o.hours_cumulative),
        total: false,
    });
    let months: Vec<String> = o.months_reported.iter().map(ToString::to_string).collect();
    ReceiptTotals {
        rows,
        budget: sv_kr(o.budget_total.budget),
        used: share(o.budget_total.used),
        reported: if months.is_empty() { "inga".to_string() } else { months.join(", ") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_text_is_escaped_and_masked() {
        // 19800101-1231: Luhn over 8,0,0,1,0,1,1,2,3 (weights 2,1,…) sums to 19, check digit 1.
        let page = render_status_error("fel i <b>\"projekt.toml\"</b> för 19800101-1231 & co").unwrap_or_default();
        assert!(
            page.contains(
                "fel i &lt;b&gt;&quot;projekt.toml&quot;&lt;&#x2f;b&gt; för [personnummer borttaget] &amp; co"
            ),
            "{page}"
        );
        assert!(!page.contains("<b>") && !page.contains("1231"));
    }

    #[test]
    fn every_month_state_has_a_symbol_and_a_word() {
        let states = [
            MonthState::Claimed(1),
            MonthState::Counted,
            MonthState::Late,
            MonthState::Corrected,
            MonthState::CorrectionHeld,
            MonthState::Outside,
            MonthState::NotInDecision,
            MonthState::NotAttested,
            MonthState::Rejected,
            MonthState::Missing,
        ];
        for s in states {
            let v = state_view(s);
            assert!(!v.symbol.is_empty() && !v.label.is_empty() && !v.class.is_empty(), "{s:?}");
        }
        let classes: std::collections::BTreeSet<&str> = states.iter().map(|s| state_view(*s).class).collect();
        assert_eq!(classes.len(), states.len(), "each state has its own colour class");
    }
}
