//! Read: one partner workbook (`.xlsx` bytes) → typed rows, each carrying its place, plus findings.
//!
//! The stage is project-agnostic: it knows the contract of `docs/partnerhandledning.md` and nothing
//! of budgets or activity plans. [`read_workbook`] first lets [`guard`] vet the zip container,
//! then streams each contract sheet through calamine into a [`grid::Grid`], finds its header row,
//! and converts cells at the one border ([`value`]) into the validated row types below. A cell
//! that cannot be read becomes a finding at that cell and its row is left out; a file that cannot
//! be read at all becomes `FILE_UNREADABLE`. A panic inside the parser is caught and reported the
//! same way, so one file never takes the run down.

pub mod grid;
pub mod guard;
pub mod value;
mod workbook;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::contract::{Column, Label, Sheet};
use crate::finding::{FileProblem, Finding, Message, Place, cell_ref};
use crate::ids::{OrgNr, ParticipantOrg, Personnummer};
use crate::money::Hours;
use crate::month::Month;

pub use guard::Limits;
pub use value::When;
pub use workbook::read_workbook;

/// Where a row is: its contract sheet and 0-based row index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub sheet: Sheet,
    pub row: u32,
}

/// How a sheet was laid out in this workbook: its own name and where each column was found.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub name: String,
    pub header_row: u32,
    pub columns: BTreeMap<Column, u32>,
}

/// The `Uppgifter` sheet.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// Projektpart as written.
    pub partner_name: Option<String>,
    /// Decides who the workbook is from; `None` when missing or invalid (a finding says which).
    pub org_nr: Option<OrgNr>,
    /// The month reported; `None` when missing or unreadable, or when the version is unreadable
    /// (which workbook counts cannot be told).
    pub month: Option<Month>,
    /// The Period as read, even when the version is unreadable.
    pub period: Option<Month>,
    /// 1 unless given.
    pub version: u32,
    /// The Version cell holds something that is no version.
    pub version_unreadable: bool,
    pub attested_by: Option<String>,
    pub attested_on: Option<NaiveDate>,
    /// The value cell of each label found, for findings about it later.
    pub places: BTreeMap<Label, String>,
}

/// How a person's hours are reported (`Redovisning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reporting {
    /// `Tidrapport`: the hours of the time report.
    TimeReport,
    /// `Fast andel`: a fixed share of full time.
    FixedShare,
}

impl Reporting {
    pub fn swedish(self) -> &'static str {
        match self {
            Reporting::TimeReport => "Tidrapport",
            Reporting::FixedShare => "Fast andel",
        }
    }
}

/// A row of `Personal`.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub loc: Loc,
    pub name: String,
    pub pnr: Personnummer,
    pub role: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Månadslön: ordinary full-time monthly salary in the first month, kr.
    pub salary: Decimal,
    pub reporting: Reporting,
    /// Andel (fraction) for fixed-share staff.
    pub share: Option<Decimal>,
    /// Sysselsättningsgrad (fraction), 1 unless given.
    pub employment: Decimal,
    /// Huvudaktivitet: where fixed-share hours go without time rows.
    pub main_activity: Option<String>,
}

/// A row of `Tidrapport`.
#[derive(Debug, Clone)]
pub struct TimeRow {
    pub loc: Loc,
    pub name: String,
    pub when: When,
    pub activity: String,
    pub hours: Hours,
    /// Kommentar: what the row says about the work (the time report shows it); empty when the
    /// cell is empty or cannot be read as text (it carries no figure).
    pub text: String,
}

/// A row of `Frånvaro`.
#[derive(Debug, Clone)]
pub struct AbsenceRow {
    pub loc: Loc,
    pub name: String,
    pub month: Month,
    pub hours: Hours,
    pub reason: &'static str,
}

/// Gender of a participant (`Kön`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    Woman,
    Man,
    NotStated,
}

/// A row of `Deltagare`.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub loc: Loc,
    pub date: NaiveDate,
    pub activity: String,
    pub event: String,
    /// An organisationsnummer, or a sole trader's personnummer (never printed).
    pub org_nr: ParticipantOrg,
    pub org_name: String,
    pub gender: Gender,
}

/// A row of `Indikatorer`.
#[derive(Debug, Clone)]
pub struct IndicatorRow {
    pub loc: Loc,
    pub name: String,
    pub value: Decimal,
    pub comment: String,
}

/// A row of `Lägesbeskrivning`.
#[derive(Debug, Clone)]
pub struct NarrativeRow {
    pub loc: Loc,
    pub activity: String,
    pub done: String,
    pub results: String,
    pub deviations: String,
}

/// A row of `Övriga kostnader`.
#[derive(Debug, Clone)]
pub struct OtherCostRow {
    pub loc: Loc,
    pub voucher: String,
    pub date: NaiveDate,
    pub category: &'static str,
    pub description: String,
    pub activity: String,
    pub amount: Decimal,
}

/// Public or private cash (`Typ` of `Medfinansiering`).
pub use crate::project::FinancierKind;

/// A row of `Medfinansiering`: co-financing paid in to the partner.
#[derive(Debug, Clone)]
pub struct PaymentRow {
    pub loc: Loc,
    pub date: NaiveDate,
    /// Finansiär as written.
    pub financier: String,
    /// Organisationsnummer, when given.
    pub org_nr: Option<OrgNr>,
    pub kind: FinancierKind,
    /// Never negative (a negative amount is a finding and the row is left out).
    pub amount: Decimal,
    pub voucher: String,
    pub comment: String,
}

/// A row of `Frånvaro` the reader left out because a cell could not be read (its findings say
/// which). What leaving it out could change is decided in reconcile (`docs/rules.md`, "What an
/// error leaves out"): absence lowers a fixed-share person's hours, so the person it names (or,
/// naming nobody, every fixed-share person) is held out instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedRow {
    pub loc: Loc,
    /// Namn as written, when it could be read.
    pub name: Option<String>,
}

/// A workbook as read: the typed rows that passed the contract, and where everything was.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    /// The file's label in places (path relative to the inbox).
    pub file: String,
    pub info: Info,
    pub staff: Vec<PersonRow>,
    pub time: Vec<TimeRow>,
    pub absence: Vec<AbsenceRow>,
    pub participants: Vec<ParticipantRow>,
    pub indicators: Vec<IndicatorRow>,
    pub narratives: Vec<NarrativeRow>,
    pub other_costs: Vec<OtherCostRow>,
    /// `Medfinansiering` (empty when the sheet is absent).
    pub payments: Vec<PaymentRow>,
    /// Names (normalised) whose `Personal` row had an error: their time is not costed, and not
    /// reported a second time as `UNKNOWN_PERSON`.
    pub broken_staff: BTreeSet<String>,
    /// Rows of `Frånvaro` left out for a cell that could not be read.
    pub dropped: Vec<DroppedRow>,
    /// Sheets present but not read, for a required column missing (`MISSING_COLUMN`).
    pub unread: BTreeSet<Sheet>,
    pub layouts: BTreeMap<Sheet, Layout>,
}

impl Workbook {
    /// The place of `col` in the row at `loc`, in the sheet's own coordinates. When the column
    /// is absent (an optional one), the row's first cell is named instead.
    pub fn place(&self, loc: Loc, col: Column) -> Place {
        let layout = self.layouts.get(&loc.sheet);
        let name = layout.map_or(loc.sheet.name(), |l| l.name.as_str());
        // The table's first column, not column A: a table may start further right.
        let first = || layout.and_then(|l| l.columns.values().min().copied());
        let c = layout.and_then(|l| l.columns.get(&col).copied()).or_else(first).unwrap_or(0);
        Place::cell(&self.file, name, cell_ref(loc.row, c))
    }

    /// The month of each dated row: time, absence, participants, other costs and payments.
    fn row_months(&self) -> impl Iterator<Item = Month> + '_ {
        let time = self.time.iter().map(|t| t.when.month());
        let absence = self.absence.iter().map(|a| a.month);
        let participants = self.participants.iter().map(|p| Month::of(p.date));
        let costs = self.other_costs.iter().map(|c| Month::of(c.date));
        let payments = self.payments.iter().map(|p| Month::of(p.date));
        time.chain(absence).chain(participants).chain(costs).chain(payments)
    }

    /// The month more than half of the dated rows fall in, if there is one, and how many dated
    /// rows there are.
    fn rows_month(&self) -> (Option<Month>, usize) {
        let mut count: BTreeMap<Month, usize> = BTreeMap::new();
        for m in self.row_months() {
            *count.entry(m).or_default() += 1;
        }
        let total: usize = count.values().sum();
        (count.into_iter().find(|(_, n)| 2 * n > total).map(|(m, _)| m), total)
    }

    /// The month the workbook's content says when its Period says another (`WRONG_PERIOD`):
    /// with two or more dated rows, the month more than half of them fall in; with one, its
    /// month unless the file name names the Period; with none, the month the file name names.
    pub fn period_contradicted(&self) -> Option<(Month, Evidence)> {
        let period = self.info.period?;
        let named = file_name_month(&self.file);
        let found = match self.rows_month() {
            (Some(m), n) if n >= 2 || named != Some(period) => Some((m, Evidence::Rows)),
            (_, 0) => named.map(|m| (m, Evidence::FileName)),
            _ => None,
        };
        found.filter(|(m, _)| *m != period)
    }

    /// What the workbook says it is, as far as it can be read, for a workbook that cannot count
    /// to keep lower versions of its month from counting: the month (the Period, or the rows'
    /// month when the Period is unreadable or contradicted) and the version (`None` when the
    /// Version cell is unreadable).
    pub fn stated(&self) -> Option<(Month, Option<u32>)> {
        let content = || self.rows_month().0.or_else(|| file_name_month(&self.file));
        let month = self.period_contradicted().map(|(m, _)| m).or(self.info.period).or_else(content)?;
        Some((month, (!self.info.version_unreadable).then_some(self.info.version)))
    }

    /// The place of an `Uppgifter` value, or of the sheet when the label is absent.
    pub fn info_place(&self, label: Label) -> Place {
        let name = self.layouts.get(&Sheet::Uppgifter).map_or("Uppgifter", |l| l.name.as_str());
        match self.info.places.get(&label) {
            Some(cell) => Place::cell(&self.file, name, cell.clone()),
            None => Place { sheet: Some(name.to_string()), ..Place::file(&self.file) },
        }
    }
}

/// The result of reading one file: the workbook when it could be opened, and every finding.
#[derive(Debug, Clone, Default)]
pub struct ReadOutcome {
    pub workbook: Option<Workbook>,
    pub findings: Vec<Finding>,
}

impl ReadOutcome {
    /// A file that could not be read at all.
    pub fn unreadable(file: &str, problem: FileProblem) -> ReadOutcome {
        ReadOutcome { workbook: None, findings: vec![Finding::of(Place::file(file), Message::Unreadable(problem))] }
    }

    /// Whether the workbook can be attributed to a partner and month at all.
    pub fn usable(&self) -> bool {
        self.workbook.as_ref().is_some_and(|w| w.info.org_nr.is_some() && w.info.month.is_some())
    }
}

/// What says a workbook's Period is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Its dated rows.
    Rows,
    /// Its file name (it has no dated rows).
    FileName,
}

/// The one month a file's name names, if it names exactly one: `2025-05`, `2025_05`, `202505`
/// or a Swedish month and year (`maj 2025`), as partners name their files.
pub fn file_name_month(path: &str) -> Option<Month> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s).to_lowercase();
    let tokens: Vec<&str> = stem.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let year = |t: &str| (t.len() == 4).then(|| t.parse::<i32>().ok()).flatten().filter(|y| (2000..2100).contains(y));
    let number = |t: &str| (t.len() <= 2).then(|| t.parse::<u32>().ok()).flatten();
    let mut found = BTreeSet::new();
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).copied();
        if let (Some(y), Some(m)) = (year(t), next.and_then(number)) {
            found.extend(Month::new(y, m));
        }
        if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
            found.extend(year(&t[..4]).and_then(|y| Month::new(y, t[4..].parse().ok()?)));
        }
        if let Some(y) = next.and_then(year) {
            found.extend(value::parse_month_text(&format!("{t} {y}")));
        }
    }
    let mut months = found.into_iter();
    match (months.next(), months.next()) {
        (Some(m), None) => Some(m),
        _ => None,
    }
}

/// Normalises a person's name for matching between sheets: trimmed, single spaces, lower case.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Normalises an activity code: `1,1` and ` 1.1 ` are `1.1`.
pub fn activity_code(text: &str) -> String {
    text.trim().replace(',', ".")
}
