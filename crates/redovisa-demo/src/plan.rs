//! The demo generator's data model: every workbook of the demo inbox, cell by cell in meaning,
//! before anything is written.
//!
//! [`plan`] draws the whole project from the seed (the `draw` module). The result, [`Plan`],
//! is public so that a test can recompute what the pipeline should find — hours, staff costs,
//! flat rates, participants — from the plan alone, without the pipeline's own code.
//! [`super::render`] turns each [`WorkbookPlan`] into xlsx bytes in the organisation's
//! [`FileStyle`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::DemoOptions;
use redovisa::ids::{OrgNr, Personnummer};
use redovisa::month::Month;
use redovisa::project::Project;
use redovisa::read::{Gender, Reporting, When};

/// The whole demo inbox as data.
#[derive(Debug, Clone)]
pub struct Plan {
    /// First and last month with workbooks.
    pub from: Month,
    pub to: Month,
    /// Every partner and co-financier, in project-file order.
    pub orgs: Vec<OrgPlan>,
}

impl Plan {
    /// Number of `.xlsx` workbooks, superseded versions included.
    pub fn workbook_count(&self) -> usize {
        self.orgs.iter().map(|o| o.workbooks.len()).sum()
    }

    /// The workbooks that count (the highest version of each organisation and month).
    pub fn counting(&self) -> impl Iterator<Item = (&OrgPlan, &WorkbookPlan)> {
        self.orgs.iter().flat_map(|o| o.workbooks.iter().filter(|w| !w.superseded).map(move |w| (o, w)))
    }
}

/// One organisation's folder: who works there, how it fills in workbooks, and every workbook.
#[derive(Debug, Clone)]
pub struct OrgPlan {
    pub folder: String,
    pub name: String,
    pub org_nr: OrgNr,
    /// A co-financier giving time in kind (else a partner).
    pub cofinancier: bool,
    /// The seed organisation it is modelled on (`generic` for an unknown one).
    pub template: String,
    /// Which copy of the seed organisation (1 unless a programme workload).
    pub copy: u32,
    pub style: FileStyle,
    /// Everyone who ever works in the project for the organisation; workbooks refer by index.
    pub staff: Vec<Person>,
    /// Every workbook, month order; a corrected month has its superseded version first.
    pub workbooks: Vec<WorkbookPlan>,
    /// An Office lock file left next to the workbooks (someone has one open).
    pub lock_file: Option<LockFile>,
}

/// An Office lock file (`~$name.xlsx`): a few bytes naming who has the workbook open.
#[derive(Debug, Clone)]
pub struct LockFile {
    pub name: String,
    pub owner: String,
}

/// A person as written in the `Personal` sheet.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    /// Canonical `YYYYMMDD-NNNN`.
    pub personnummer: Personnummer,
    /// As the organisation writes it (see [`FileStyle::personnummer`]).
    pub personnummer_written: String,
    pub role: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Månadslön, kr.
    pub salary: Decimal,
    pub reporting: Reporting,
    /// Andel of full time as a fraction (Fast andel only).
    pub share: Option<Decimal>,
    /// Sysselsättningsgrad as a fraction.
    pub employment: Decimal,
    /// Huvudaktivitet.
    pub main_activity: String,
}

impl Person {
    /// Whether the person is in the project some day of `month`.
    pub fn in_month(&self, month: Month) -> bool {
        self.start <= month.last_day() && self.end.is_none_or(|e| e >= month.first_day())
    }
}

/// One workbook: an organisation's month, in one version.
#[derive(Debug, Clone)]
pub struct WorkbookPlan {
    pub file_name: String,
    pub month: Month,
    pub version: u32,
    /// A later version of the same month replaces this one.
    pub superseded: bool,
    /// Indices into [`OrgPlan::staff`] of the people listed in `Personal`.
    pub persons: Vec<usize>,
    pub time: Vec<TimeEntry>,
    pub absence: Vec<AbsenceEntry>,
    pub participants: Vec<ParticipantEntry>,
    pub indicators: Vec<IndicatorEntry>,
    pub narratives: Vec<NarrativeEntry>,
    /// `Medfinansiering`: co-financing paid in that month (partners only; the sheet is left
    /// out when empty).
    pub payments: Vec<PaymentEntry>,
    pub attestation: Attestation,
}

/// A row of `Medfinansiering`.
#[derive(Debug, Clone)]
pub struct PaymentEntry {
    pub date: NaiveDate,
    /// As in the financing plan.
    pub financier: String,
    pub org_nr: Option<OrgNr>,
    /// One of [`redovisa::contract::TYP`].
    pub kind: &'static str,
    pub amount: Decimal,
    pub voucher: String,
    pub comment: String,
}

/// A row of `Tidrapport`.
#[derive(Debug, Clone)]
pub struct TimeEntry {
    /// Index into [`OrgPlan::staff`].
    pub person: usize,
    pub when: When,
    pub activity: String,
    /// Exact hours, whole quarters.
    pub hours: Decimal,
    /// How the hours cell is written.
    pub cell: HoursCell,
    pub comment: String,
}

/// A row of `Frånvaro` (Fast andel staff, deductible reasons only).
#[derive(Debug, Clone)]
pub struct AbsenceEntry {
    pub person: usize,
    pub month: Month,
    pub hours: Decimal,
    /// One of [`redovisa::contract::ORSAK`].
    pub reason: &'static str,
}

/// A row of `Deltagare`.
#[derive(Debug, Clone)]
pub struct ParticipantEntry {
    pub date: NaiveDate,
    pub activity: String,
    pub event: String,
    pub org_nr: OrgNr,
    pub org_name: String,
    pub gender: Gender,
}

/// A row of `Indikatorer`.
#[derive(Debug, Clone)]
pub struct IndicatorEntry {
    /// The indicator as written: its name, or its code (see [`FileStyle::indicator_codes`]).
    pub indicator: String,
    pub value: Decimal,
    pub comment: String,
}

/// A row of `Lägesbeskrivning`.
#[derive(Debug, Clone)]
pub struct NarrativeEntry {
    pub activity: String,
    pub done: String,
    pub results: String,
    pub deviations: String,
}

/// `Attesterad av` and `Attestdatum`.
#[derive(Debug, Clone)]
pub struct Attestation {
    pub by: String,
    pub on: NaiveDate,
}

/// How an hours cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursCell {
    /// A number cell, `7.5`.
    Number,
    /// A duration cell `[h]:mm` holding the fraction of a day (7:30 is 0.3125).
    Duration,
    /// Text with a decimal comma, `7,5`.
    Text,
}

/// The way an organisation fills in its workbooks. Every variant reads back without a finding
/// under the tolerance of `docs/partnerhandledning.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStyle {
    pub naming: FileNaming,
    /// A title line and a blank row above each header row (and above the labels of Uppgifter).
    pub title_rows: bool,
    /// An extra column `Anteckning` the contract does not know.
    pub extra_column: bool,
    /// Columns in another order than the template's.
    pub reorder_columns: bool,
    pub sheet_names: SheetNaming,
    /// An extra sheet `Instruktioner` before the contract sheets.
    pub extra_sheet: bool,
    /// Labels of Uppgifter written with a trailing colon (`Period:`).
    pub label_colons: bool,
    /// No `Version` row when the version is 1.
    pub omit_version_one: bool,
    pub dates: DateCell,
    pub period: PeriodCell,
    pub hours: HoursStyle,
    pub salary: SalaryCell,
    pub share: ShareCell,
    pub personnummer: PnrForm,
    pub org_nr: OrgNrForm,
    pub activity: ActivityCell,
    pub gender: GenderForm,
    /// Time rows per day (else one row per activity and month).
    pub daily: bool,
    pub indicators: IndicatorHabit,
    /// Indicators named by code (`RCO13`) where they have one.
    pub indicator_codes: bool,
}

/// File names in the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileNaming {
    /// `kramfors-2024-01.xlsx`
    FolderMonth,
    /// `Redovisning Kramfors 2024-01.xlsx`
    Redovisning,
    /// `Sollefteå januari 2024.xlsx`
    SwedishMonth,
    /// `2024-01 Sundsvall.xlsx`
    MonthFirst,
    /// `Timrå_202401.xlsx`
    Compact,
    /// `Tidredovisning Ånge 2024-01.xlsx`
    Tidredovisning,
}

/// Sheet names as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetNaming {
    /// `Tidrapport`
    Template,
    /// `tidrapport`
    Lower,
    /// `TIDRAPPORT`
    Upper,
    /// `Tidrapport ` (a trailing space)
    TrailingSpace,
}

/// Dates (Startdatum, Datum, Attestdatum, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCell {
    /// A date cell, `yyyy-mm-dd`.
    Date,
    /// Text `2024-01-15`.
    Text,
}

/// The `Period` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodCell {
    /// Text `2024-01`.
    Text,
    /// A date cell on the first day of the month.
    Date,
    /// Text `januari 2024`.
    SwedishText,
}

/// Hours cells of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursStyle {
    Number,
    Duration,
    Text,
    /// Mostly numbers, some durations (someone typed `7:30`).
    Mixed,
}

/// `Månadslön`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalaryCell {
    /// A number cell formatted `#,##0`.
    Number,
    /// Text `45 000 kr`.
    Text,
}

/// `Andel` and `Sysselsättningsgrad`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareCell {
    /// A number of percent, `50`.
    Percent,
    /// A fraction in a percent-formatted cell, `0.5` shown as `50%`.
    PercentCell,
    /// Text `50 %`.
    Text,
}

/// Personnummer as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PnrForm {
    /// `19800101-1234`
    Dash12,
    /// `198001011234` as text
    Plain12,
    /// `198001011234` as a number cell (Excel turned the typed digits into a number)
    Number12,
    /// `800101-1234`
    Dash10,
    /// `8001011234`
    Plain10,
}

/// Organisationsnummer as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgNrForm {
    /// `212000-2403`
    Dash,
    /// `2120002403`
    Plain,
    /// `16212000-2403`
    Prefix16,
}

/// Activity codes as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityCell {
    /// Text `1.1`.
    Text,
    /// A number cell 1.1.
    Number,
    /// Text with a decimal comma, `1,1`.
    Comma,
}

/// `Kön` as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenderForm {
    /// `Kvinna`, `Man`, `Ej angivet`.
    Words,
    /// `K`, `M`, and an empty cell when not stated.
    Letters,
}

/// When an organisation fills in `Indikatorer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorHabit {
    EveryMonth,
    /// March, June, September and December.
    Quarterly,
    Never,
}

/// Builds the plan of every workbook from the project start to `opts.to` (at most the project's
/// end). The same project and options always give the same plan, and a shorter `to` gives the
/// same workbooks for the months it covers.
pub fn plan(project: &Project, opts: &DemoOptions) -> Plan {
    super::draw::draw(project, opts)
}
