//! Every Swedish sentence a finding says, in one place, as templates over typed values.
//!
//! A finding is raised by naming its condition and the values it concerns, never by writing a
//! sentence where it is found: [`Message`] has one variant per distinct condition, knows its
//! [`Code`] and its severity, and renders the sentence (what was read, and what to do). Two
//! smaller vocabularies complete it: [`CellProblem`], why a cell cannot be read as what its
//! column holds (the reason inside a `BAD_VALUE` message), and [`FileProblem`], why a file is
//! no workbook we will read (a `FILE_UNREADABLE` message). [`Message::examples`] renders one of
//! each for `docs/findings.md`.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Code, Severity};
use crate::contract::KOSTNADSSLAG;
use crate::money::{sv_hours, sv_kr, sv_kr_whole, sv_number, sv_percent};
use crate::month::Month;

/// What to do with a file that is something else than an xlsx workbook.
const SAVE_AS_XLSX: &str = "Öppna den i Excel och spara som Excel-arbetsbok (.xlsx).";

/// The dated thing of a row outside the workbook's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dated {
    /// A time row's or participant's date.
    Day(NaiveDate),
    /// A time or absence row's month.
    Month(Month),
    /// An other cost's booking date.
    Booked(NaiveDate),
    /// A co-financing payment's date.
    Paid(NaiveDate),
}

/// A line of the approved budget, as `OVER_BUDGET` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Budgeted {
    /// One of an organisation's budget lines.
    Org { org: String, line: BudgetLine },
    /// An activity of the plan.
    Activity { code: String, name: String },
}

/// An organisation's budget line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetLine {
    Total,
    InKind,
    Staff,
    FlatRate,
    Other,
}

impl BudgetLine {
    fn swedish(self) -> &'static str {
        match self {
            BudgetLine::Total => "Summa kostnader",
            BudgetLine::InKind => "Bidrag i annat än pengar",
            BudgetLine::Staff => "Personal",
            BudgetLine::FlatRate => "Schablon",
            BudgetLine::Other => "Övriga kostnader",
        }
    }
}

/// Which part of a person's salary basis changed after the first month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasisField {
    Salary { before: Decimal, after: Decimal },
    Start { before: NaiveDate, after: NaiveDate },
}

/// How a claimed month's workbook stands now, for a correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revision {
    /// No workbook counts for the month any more.
    Gone { path: String, sha256: String },
    /// The same workbook, whose amounts another month changed.
    Unchanged { path: String },
    /// Another workbook counts now.
    Replaced { path: String, sha256: String, now_path: String, now_sha256: String },
}

/// A correction's amounts, per cost type, signed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Delta {
    pub total: Decimal,
    pub staff: Decimal,
    pub flat_rate: Decimal,
    pub other: Decimal,
    pub hours: Decimal,
}

/// A change decision that re-prices a claimed month retroactively, as a correction names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repriced {
    /// The change decision's number.
    pub change: String,
    /// The value in Swedish (`lönebikostnad`, `schablon`).
    pub what: String,
    /// The value the month was claimed at and the one it is priced by now, in Swedish.
    pub old: String,
    pub new: String,
}

/// Months as ranges: `2024-01 – 2024-12, 2025-03`.
pub fn month_ranges(months: &[Month]) -> String {
    let mut sorted = months.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut ranges: Vec<(Month, Month)> = Vec::new();
    for m in sorted {
        match ranges.last_mut() {
            Some((_, last)) if last.next() == m => *last = m,
            _ => ranges.push((m, m)),
        }
    }
    ranges.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a} – {b}") }).collect::<Vec<_>>().join(", ")
}

/// `ansökan 3`, `ansökningarna 1–6` or `ansökningarna 1, 2 och 4`.
fn claims_text(claims: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &c in claims {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == c => *last = c,
            _ => runs.push((c, c)),
        }
    }
    let n: Vec<String> = runs
        .iter()
        .flat_map(|&(a, b)| match b - a {
            0 => vec![a.to_string()],
            1 => vec![a.to_string(), b.to_string()],
            _ => vec![format!("{a}–{b}")],
        })
        .collect();
    match n.as_slice() {
        [] => "ingen ansökan".to_string(),
        [one] if !one.contains('–') => format!("ansökan {one}"),
        [one] => format!("ansökningarna {one}"),
        [init @ .., last] => format!("ansökningarna {} och {last}", init.join(", ")),
    }
}

/// Why a person's month is held out (`HELD_OUT`): a row or sheet of the workbook, by sheet name
/// and 1-based row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum HeldCause {
    /// An absence row of the person with an error.
    Absence { sheet: String, row: u32 },
    /// An absence row with an error that names nobody known: it could be anyone's.
    AbsenceOfNobody { sheet: String, row: u32 },
    /// The absence sheet could not be read (a required column missing).
    Unread { sheet: String },
}

/// The reporting plan's period nearest to a claim period outside the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub from: Month,
    pub to: Month,
    pub due: NaiveDate,
}

/// Every condition a finding reports, with the values its message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    // Intake: which file counts for which partner and month.
    /// The workbook's organisationsnummer is another partner's than the folder's.
    WrongFolder { partner: String, org_nr: String, folder: String, expected: String },
    /// The workbook's Period lies outside the project.
    MonthOutsideProject { month: Month, start: NaiveDate, end: NaiveDate },
    /// Different workbooks for one partner and month carry the same version.
    DuplicateSubmission { month: Month, version: u32, files: Vec<String> },
    /// A month claimed under a legacy ledger line has another workbook now.
    ChangedUnderLegacyClaim { month: Month },
    /// The organisationsnummer is no partner's.
    UnknownPartner { org_nr: String },
    /// Nobody has attested the workbook.
    NotAttested,
    /// A higher version of a month lacks attestation: nothing counts meanwhile.
    NewerNotAttested { month: Month, version: u32, lower: u32 },
    /// Most dated rows fall in another month than the Period.
    WrongPeriod { period: Month, rows: Month },
    /// A workbook without dated rows whose file name names another month than the Period.
    PeriodNotFileName { period: Month, named: Month },
    /// A pipe, a device, or a link to one under a workbook's name.
    NotARegularFile,
    /// A folder of the inbox that cannot be listed, with the system's reason.
    FolderUnreadable { folder: String, reason: String },
    /// `.xls`, `.ods`, `.csv`, `.xlsm`.
    WrongFormat,
    /// A file directly in the inbox or in an unknown folder.
    OutsidePartnerFolders,
    /// The file changed while the run read it.
    FileChangedDuringRun,
    /// Computing the workbook's month failed inside redovisa.
    InternalError,

    // Reading: the workbook's sheets, rows and cells.
    /// Why the file is no workbook we read.
    Unreadable(FileProblem),
    /// No `Uppgifter` sheet.
    MissingInfoSheet,
    /// No `Personal` sheet though time or absence is reported.
    MissingPersonalSheet,
    /// A required label of `Uppgifter` is absent.
    MissingLabel { label: String },
    /// A required label of `Uppgifter` has no value.
    EmptyLabel { label: String },
    /// The header row lacks a required column.
    MissingColumn { header: String, sheet: String, row: u32 },
    /// A required cell of a row is empty.
    EmptyCell { header: String },
    /// A cell that cannot be read as what its column (or label) holds.
    BadCell { header: String, problem: CellProblem },
    /// The workbook's own organisationsnummer (Uppgifter) is not valid.
    InvalidOwnOrgnr { text: String },
    /// A participant's organisationsnummer (or a sole trader's personnummer) is not valid.
    InvalidParticipantOrgnr { shown: String },
    /// A financier's organisationsnummer is not valid.
    InvalidFinancierOrgnr { text: String },
    /// A personnummer in `Personal` is not valid.
    InvalidPersonnummer,
    /// Månadslön 0.
    ZeroSalary,
    /// A fixed-share person without Andel.
    MissingShare,
    /// Slutdatum before Startdatum.
    EndBeforeStart { start: NaiveDate, end: NaiveDate },
    /// The same name and personnummer on two rows of `Personal`; `first` is the cell of the row
    /// that counts.
    NameTwice { name: String, first: String },
    /// The same name on two rows of `Personal` with different (or unreadable) personnummer:
    /// neither row counts.
    NameTwiceOthers { name: String, first: String },
    /// A negative indicator value.
    NegativeIndicator { value: Decimal },

    // Checks of one workbook's rows.
    /// Time or absence for a name not in `Personal`.
    UnknownPerson { name: String },
    /// An activity code not in the plan.
    UnknownActivity { code: String, known: Vec<String> },
    /// An unknown Huvudaktivitet of someone whose time rows place the hours (warning).
    UnknownMainActivityIgnored { code: String, known: Vec<String>, name: String },
    /// One personnummer on agreeing rows (name and Personnummer cell of each): counted once
    /// (warning).
    DuplicatePersonCounted { rows: Vec<(String, String)> },
    /// One personnummer on disagreeing rows (name and cell of each): left out.
    DuplicatePersonDisagrees { rows: Vec<(String, String)> },
    /// A dated row outside the workbook's month.
    RowOutsidePeriod { dated: Dated, month: Month },
    /// A payment in the workbook of a co-financier who gives time.
    PaymentFromInKindFinancier { org: String },
    /// A payment from a payer not in the partner's column of the financing plan.
    UnknownFinancier { financier: String, org_nr: Option<String>, partner: String, known: Vec<String> },
    /// A payment's Typ differs from the financing plan's.
    FinancingTypeMismatch { financier: String, planned: &'static str },
    /// Time outside the project's dates.
    TimeOutsideProject { start: NaiveDate, end: NaiveDate },
    /// Time outside the person's Startdatum–Slutdatum.
    TimeOutsidePerson { name: String, start: NaiveDate, end: Option<NaiveDate> },
    /// Time on an activity outside the activity's dates.
    ActivityOutsideDates { code: String, start: NaiveDate, end: NaiveDate },
    /// Other costs from a partner whose flat rate covers them.
    OtherCostsUnderFlatRate { org: String, rate: Decimal },
    /// Other costs from a co-financier who gives time.
    OtherCostsFromInKind { org: String },
    /// A fixed-share person whose hours no activity can take.
    MissingMainActivity { name: String },
    /// A fixed-share person whose time rows all have 0 hours, without Huvudaktivitet.
    HoursWithoutActivity { name: String },
    /// An indicator the project does not report by value.
    UnknownIndicator { name: String, known: Vec<String> },
    /// Absence for a person who reports time.
    AbsenceForTimeReporter { name: String },
    /// A person's month held out for errors in rows that could lower their hours.
    HeldOut { name: String, month: Month, causes: Vec<HeldCause> },
    /// A Månadslön larger than the organisation's whole staff (or in-kind) budget line.
    SalaryOverBudget { name: String, salary: Decimal, org: String, line: BudgetLine, budget: Decimal },
    /// An other cost larger than the partner's whole other-cost budget line.
    CostOverBudget { amount: Decimal, org: String, line: BudgetLine, budget: Decimal },
    /// A payment larger than the financier's whole decided co-financing.
    PaymentOverDecided { amount: Decimal, financier: String, decided: Decimal },

    /// Hours written `6.30`: read as 6,3 h, possibly meant as 6 h 30 min.
    AmbiguousTime { text: String, read_as: Decimal, hours: u32, minutes: u32 },

    // Checks of the period, the person and the claims.
    /// More hours than the month's weekdays × 8 × grade.
    HoursOverMonth { name: String, month: Month, hours: Decimal, weekdays: u32, employment: Decimal, limit: Decimal },
    /// Månadslön or Startdatum changed after the first month.
    SalaryBasisChanged { name: String, field: BasisField, first_month: Month },
    /// No accepted workbook for a month of the period.
    MissingSubmission { partner: String, folder: String, month: Month },
    /// Cumulative cost past an approved budget line.
    OverBudget { what: Budgeted, cumulative: Decimal, budget: Decimal, over: Decimal },
    /// The unit cost cannot be indexed that many times.
    IndexationOverflow { name: String, steps: u32, indexation: Decimal },
    /// One personnummer reported by two organisations in a month.
    DoubleReported { name: String, month: Month, org: String, others: Vec<String> },
    /// Hours past the person's annual cap.
    HoursOverAnnualCap {
        name: String,
        year: i32,
        cap: Decimal,
        hours_per_year: u32,
        reported: Decimal,
        costed: Decimal,
        left_out: Decimal,
    },
    /// The support of the claim reaches the approved support.
    SupportCapReached { uncapped: Decimal, claimed_before: Decimal, approved: Decimal, claimed: Decimal },
    /// A cash financier's payments lag the partner's claimed share.
    CofinancingLagging {
        financier: String,
        partner: String,
        paid: Decimal,
        decided: Decimal,
        share_paid: Decimal,
        share_claimed: Decimal,
        claimed: Decimal,
        lag_points: Decimal,
    },
    /// The claim period is not one of the reporting plan's.
    PeriodNotInPlan { from: Month, to: Month, nearest: Option<Planned> },
    /// A text of the final report the project has not written (`key` in `mallar/slutrapport.toml`).
    FinalTextMissing { key: String, heading: String },
    /// Claims recorded by a ledger without amounts.
    LegacyLedger { claims: Vec<u32> },
    /// A claimed partner folder is no longer in the project file.
    ClaimedFolderGone { claim: u32, folder: String },
    /// A legacy claim's workbook no longer counts.
    LegacyWorkbookGone { path: String, month: Month, claim: u32 },
    /// A month of a submitted period that no claim counted.
    LateMonth { month: Month, claim: u32, eligible: Decimal },
    /// A claimed month whose amounts changed (and the change decisions that re-price it).
    Corrected { month: Month, claim: Option<u32>, revision: Revision, delta: Delta, held: bool, changes: Vec<Repriced> },
    /// Lines of claims recorded before organisationsnummer were, mapped by folder: (folder,
    /// organisationsnummer).
    FolderKeyedLedger { claims: Vec<u32>, folders: Vec<(String, String)> },

    // The decision over the project's life.
    /// Claimed months the file now prices differently, without a retroactive change decision.
    DecisionChanged {
        partner: String,
        key: String,
        what: String,
        old: String,
        new: String,
        months: Vec<Month>,
        claims: Vec<u32>,
        amount: Decimal,
    },
    /// A workbook for a month outside the organisation's months in the decision.
    OutsidePartnerMonths { partner: String, month: Month, first: Month, last: Month },
    /// An organisation with claims that the project file no longer holds.
    ClaimedPartnerGone { partner: String, org_nr: String, claims: Vec<u32>, eligible: Decimal },
    /// The approved support in force is lower than the support claimed before.
    SupportBelowClaimed { approved: Decimal, claimed_before: Decimal },
    /// The run's period is a submitted claim's.
    AlreadySubmitted {
        claims: Vec<u32>,
        from: Month,
        to: Month,
        claimed_eligible: Decimal,
        claimed_support: Decimal,
        eligible: Decimal,
        support: Decimal,
        reasons: Vec<String>,
    },
}

impl Message {
    /// The finding's code.
    pub fn code(&self) -> Code {
        use Message as M;
        match self {
            M::WrongFolder { .. } => Code::WrongFolder,
            M::MonthOutsideProject { .. } | M::TimeOutsideProject { .. } | M::TimeOutsidePerson { .. } => {
                Code::OutsideProjectPeriod
            }
            M::DuplicateSubmission { .. } => Code::DuplicateSubmission,
            M::ChangedUnderLegacyClaim { .. } | M::LegacyWorkbookGone { .. } | M::Corrected { .. } => {
                Code::ChangedAfterClaim
            }
            M::ClaimedFolderGone { .. } | M::ClaimedPartnerGone { .. } => Code::PartnerRemoved,
            M::DecisionChanged { .. } => Code::DecisionChanged,
            M::OutsidePartnerMonths { .. } => Code::OutsidePartnerPeriod,
            M::SupportBelowClaimed { .. } => Code::ApprovedSupportBelowClaimed,
            M::AlreadySubmitted { .. } => Code::PeriodAlreadySubmitted,
            M::UnknownPartner { .. } => Code::UnknownPartner,
            M::NotAttested | M::NewerNotAttested { .. } => Code::NotAttested,
            M::WrongPeriod { .. } | M::PeriodNotFileName { .. } => Code::WrongPeriod,
            M::HeldOut { .. } => Code::HeldOut,
            M::SalaryOverBudget { .. } | M::CostOverBudget { .. } | M::PaymentOverDecided { .. } => {
                Code::AmountOverBudget
            }
            M::NotARegularFile | M::InternalError | M::Unreadable(_) => Code::FileUnreadable,
            M::FolderUnreadable { .. } => Code::FolderUnreadable,
            M::WrongFormat => Code::WrongFormat,
            M::OutsidePartnerFolders => Code::FileOutsidePartnerFolder,
            M::FileChangedDuringRun => Code::FileChangedDuringRun,
            M::MissingInfoSheet | M::MissingPersonalSheet => Code::MissingSheet,
            M::MissingLabel { .. } | M::MissingColumn { .. } => Code::MissingColumn,
            M::EmptyLabel { .. }
            | M::EmptyCell { .. }
            | M::BadCell { .. }
            | M::ZeroSalary
            | M::MissingShare
            | M::EndBeforeStart { .. }
            | M::NegativeIndicator { .. }
            | M::IndexationOverflow { .. } => Code::BadValue,
            M::InvalidOwnOrgnr { .. } | M::InvalidParticipantOrgnr { .. } | M::InvalidFinancierOrgnr { .. } => {
                Code::InvalidOrgnr
            }
            M::InvalidPersonnummer => Code::InvalidPersonnummer,
            M::UnknownPerson { .. } => Code::UnknownPerson,
            M::UnknownActivity { .. } | M::UnknownMainActivityIgnored { .. } => Code::UnknownActivity,
            M::DuplicatePersonCounted { .. } | M::DuplicatePersonDisagrees { .. } => Code::DuplicatePerson,
            M::NameTwice { .. } | M::NameTwiceOthers { .. } => Code::DuplicateName,
            M::RowOutsidePeriod { .. } => Code::RowOutsidePeriod,
            M::PaymentFromInKindFinancier { .. } | M::UnknownFinancier { .. } => Code::UnknownFinancier,
            M::FinancingTypeMismatch { .. } => Code::FinancingTypeMismatch,
            M::ActivityOutsideDates { .. } => Code::ActivityOutsideDates,
            M::OtherCostsUnderFlatRate { .. } | M::OtherCostsFromInKind { .. } => Code::OtherCostsWithFlatRate,
            M::MissingMainActivity { .. } | M::HoursWithoutActivity { .. } => Code::MissingMainActivity,
            M::UnknownIndicator { .. } => Code::UnknownIndicator,
            M::AbsenceForTimeReporter { .. } => Code::AbsenceForTimeReporter,
            M::HoursOverMonth { .. } => Code::HoursOverMonth,
            M::AmbiguousTime { .. } => Code::AmbiguousTime,
            M::SalaryBasisChanged { .. } => Code::SalaryBasisChanged,
            M::MissingSubmission { .. } => Code::MissingSubmission,
            M::OverBudget { .. } => Code::OverBudget,
            M::DoubleReported { .. } => Code::DoubleReported,
            M::HoursOverAnnualCap { .. } => Code::HoursOverAnnualCap,
            M::SupportCapReached { .. } => Code::SupportCapReached,
            M::CofinancingLagging { .. } => Code::CofinancingLagging,
            M::PeriodNotInPlan { .. } => Code::PeriodNotInPlan,
            M::FinalTextMissing { .. } => Code::FinalTextMissing,
            M::LegacyLedger { .. } | M::FolderKeyedLedger { .. } => Code::LegacyLedger,
            M::LateMonth { .. } => Code::LateMonth,
        }
    }

    /// The severity: the code's, except for the conditions of an error code that only deserve a
    /// look (the row counts). `NOT_ATTESTED` outside a claim is made a warning by its caller.
    pub fn severity(&self) -> Severity {
        match self {
            Message::UnknownMainActivityIgnored { .. } | Message::DuplicatePersonCounted { .. } => Severity::Warning,
            _ => self.code().default_severity(),
        }
    }

    /// The Swedish message.
    pub fn text(&self) -> String {
        self.to_string()
    }

    /// One message of every condition, with made-up values, for the catalogue's documentation.
    pub fn examples() -> Vec<Message> {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let month = |y, m| Month::new(y, m).unwrap_or(Month::MIN);
        let kr = |units: i64, öre: i64| Decimal::new(units * 100 + öre, 2);
        let s = String::from;
        let activities = vec![s("1.1"), s("1.2"), s("2.1")];
        let mut all = vec![
            Message::WrongFolder {
                partner: s("Kramfors kommun"),
                org_nr: s("212000-2460"),
                folder: s("timra"),
                expected: s("kramfors"),
            },
            Message::MonthOutsideProject { month: month(2023, 12), start: day(2024, 1, 1), end: day(2027, 4, 30) },
            Message::DuplicateSubmission {
                month: month(2025, 3),
                version: 2,
                files: vec![s("kramfors/2025-03 v2.xlsx"), s("kramfors/2025-03 v2 (1).xlsx")],
            },
            Message::ChangedUnderLegacyClaim { month: month(2025, 1) },
            Message::UnknownPartner { org_nr: s("556677-8899") },
            Message::NotAttested,
            Message::NewerNotAttested { month: month(2025, 5), version: 2, lower: 1 },
            Message::WrongPeriod { period: month(2025, 4), rows: month(2025, 5) },
            Message::PeriodNotFileName { period: month(2025, 4), named: month(2025, 5) },
            Message::NotARegularFile,
            Message::FolderUnreadable { folder: s("kramfors"), reason: s("behörighet saknas") },
            Message::WrongFormat,
            Message::OutsidePartnerFolders,
            Message::FileChangedDuringRun,
            Message::InternalError,
            Message::MissingInfoSheet,
            Message::MissingPersonalSheet,
            Message::MissingLabel { label: s("Period") },
            Message::EmptyLabel { label: s("Organisationsnummer") },
            Message::MissingColumn { header: s("Timmar"), sheet: s("Tidrapport"), row: 1 },
            Message::EmptyCell { header: s("Datum") },
            Message::InvalidOwnOrgnr { text: s("212000-2461") },
            Message::InvalidParticipantOrgnr { shown: s("[personnummer]") },
            Message::InvalidFinancierOrgnr { text: s("12345") },
            Message::InvalidPersonnummer,
            Message::ZeroSalary,
            Message::MissingShare,
            Message::EndBeforeStart { start: day(2025, 3, 1), end: day(2025, 2, 28) },
            Message::NameTwice { name: s("Anna Andersson"), first: s("A2") },
            Message::NameTwiceOthers { name: s("Anna Andersson"), first: s("A2") },
            Message::NegativeIndicator { value: Decimal::from(-3) },
            Message::UnknownPerson { name: s("Ana Andersson") },
            Message::UnknownActivity { code: s("9.9"), known: activities.clone() },
            Message::UnknownMainActivityIgnored { code: s("9.9"), known: activities, name: s("Anna Andersson") },
            Message::DuplicatePersonCounted {
                rows: vec![(s("Anna Andersson"), s("B2")), (s("A. Andersson"), s("B5"))],
            },
            Message::DuplicatePersonDisagrees {
                rows: vec![(s("Anna Andersson"), s("B2")), (s("A. Andersson"), s("B5"))],
            },
            Message::RowOutsidePeriod { dated: Dated::Day(day(2025, 4, 1)), month: month(2025, 3) },
            Message::PaymentFromInKindFinancier { org: s("Region Västernorrland") },
            Message::UnknownFinancier {
                financier: s("Sparbanken"),
                org_nr: None,
                partner: s("Kramfors kommun"),
                known: vec![s("Kramfors kommun")],
            },
            Message::FinancingTypeMismatch { financier: s("Kramfors kommun"), planned: "offentlig" },
            Message::TimeOutsideProject { start: day(2024, 1, 1), end: day(2027, 4, 30) },
            Message::TimeOutsidePerson { name: s("Anna Andersson"), start: day(2025, 3, 10), end: None },
            Message::ActivityOutsideDates { code: s("2.1"), start: day(2025, 6, 1), end: day(2026, 12, 31) },
            Message::OtherCostsUnderFlatRate { org: s("Ånge kommun"), rate: Decimal::from(40) },
            Message::OtherCostsFromInKind { org: s("Region Västernorrland") },
            Message::MissingMainActivity { name: s("Bertil Berg") },
            Message::HoursWithoutActivity { name: s("Bertil Berg") },
            Message::UnknownIndicator { name: s("Antal möten"), known: vec![s("Antal deltagande organisationer")] },
            Message::UnknownIndicator { name: s("Antal möten"), known: Vec::new() },
            Message::AbsenceForTimeReporter { name: s("Anna Andersson") },
            Message::HeldOut {
                name: s("Björn Berg"),
                month: month(2025, 5),
                causes: vec![HeldCause::Absence { sheet: s("Frånvaro"), row: 2 }],
            },
            Message::HeldOut {
                name: s("Björn Berg"),
                month: month(2025, 5),
                causes: vec![HeldCause::AbsenceOfNobody { sheet: s("Frånvaro"), row: 3 }],
            },
            Message::HeldOut {
                name: s("Björn Berg"),
                month: month(2025, 5),
                causes: vec![HeldCause::Unread { sheet: s("Frånvaro") }],
            },
            Message::SalaryOverBudget {
                name: s("Anna Andersson"),
                salary: kr(4_500_000, 0),
                org: s("Kramfors kommun"),
                line: BudgetLine::Staff,
                budget: kr(2_270_430, 0),
            },
            Message::CostOverBudget {
                amount: kr(1_000_000_000, 0),
                org: s("Kramfors kommun"),
                line: BudgetLine::Other,
                budget: kr(120_000, 0),
            },
            Message::PaymentOverDecided {
                amount: kr(10_437_630, 0),
                financier: s("Härnösands kommun"),
                decided: kr(1_043_763, 0),
            },
            Message::AmbiguousTime { text: s("6.30"), read_as: Decimal::new(63, 1), hours: 6, minutes: 30 },
            Message::HoursOverMonth {
                name: s("Anna Andersson"),
                month: month(2025, 3),
                hours: Decimal::from(180),
                weekdays: 21,
                employment: Decimal::ONE,
                limit: Decimal::from(168),
            },
            Message::SalaryBasisChanged {
                name: s("Anna Andersson"),
                field: BasisField::Salary { before: kr(42_000, 0), after: kr(43_500, 0) },
                first_month: month(2024, 1),
            },
            Message::MissingSubmission { partner: s("Kramfors kommun"), folder: s("kramfors"), month: month(2025, 2) },
            Message::OverBudget {
                what: Budgeted::Org { org: s("Kramfors kommun"), line: BudgetLine::Staff },
                cumulative: kr(1_210_000, 0),
                budget: kr(1_200_000, 0),
                over: kr(10_000, 0),
            },
            Message::IndexationOverflow { name: s("Anna Andersson"), steps: 60, indexation: Decimal::from(90) },
            Message::DoubleReported {
                name: s("Anna Andersson"),
                month: month(2025, 1),
                org: s("Kramfors kommun"),
                others: vec![s("Timrå kommun")],
            },
            Message::HoursOverAnnualCap {
                name: s("Anna Andersson"),
                year: 2025,
                cap: Decimal::from(1720),
                hours_per_year: 1720,
                reported: Decimal::from(100),
                costed: Decimal::from(20),
                left_out: Decimal::from(80),
            },
            Message::SupportCapReached {
                uncapped: kr(400_000, 0),
                claimed_before: kr(12_500_000, 0),
                approved: kr(12_760_000, 0),
                claimed: kr(260_000, 0),
            },
            Message::CofinancingLagging {
                financier: s("Region Västernorrland"),
                partner: s("Härnösands kommun"),
                paid: kr(100_000, 0),
                decided: kr(1_000_000, 0),
                share_paid: Decimal::new(1, 1),
                share_claimed: Decimal::new(35, 2),
                claimed: kr(2_100_000, 0),
                lag_points: Decimal::from(10),
            },
            Message::PeriodNotInPlan {
                from: month(2024, 1),
                to: month(2026, 10),
                nearest: Some(Planned { from: month(2026, 9), to: month(2026, 12), due: day(2027, 1, 31) }),
            },
            Message::FinalTextMissing { key: s("effekter"), heading: s("Effekter") },
            Message::LegacyLedger { claims: vec![1, 2] },
            Message::ClaimedFolderGone { claim: 2, folder: s("ange") },
            Message::LegacyWorkbookGone { path: s("ange/2024-05.xlsx"), month: month(2024, 5), claim: 1 },
            Message::LateMonth { month: month(2025, 2), claim: 1, eligible: kr(73_249, 51) },
            Message::Corrected {
                month: month(2025, 1),
                claim: Some(1),
                revision: Revision::Replaced {
                    path: s("solleftea/2025-01.xlsx"),
                    sha256: s("3f2a9c01"),
                    now_path: s("solleftea/2025-01 v2.xlsx"),
                    now_sha256: s("b71e0d44"),
                },
                delta: Delta {
                    total: kr(1_461, 76),
                    staff: kr(1_044, 11),
                    flat_rate: kr(417, 65),
                    other: Decimal::ZERO,
                    hours: Decimal::new(25, 1),
                },
                held: false,
                changes: Vec::new(),
            },
            Message::Corrected {
                month: month(2025, 3),
                claim: Some(4),
                revision: Revision::Unchanged { path: s("solleftea/2025-03.xlsx") },
                delta: Delta {
                    total: kr(1_015, 47),
                    staff: kr(812, 38),
                    flat_rate: kr(203, 9),
                    other: Decimal::ZERO,
                    hours: Decimal::ZERO,
                },
                held: false,
                changes: vec![Repriced {
                    change: s("2"), what: s("lönebikostnad"), old: s("41,72 %"), new: s("44 %")
                }],
            },
            Message::FolderKeyedLedger {
                claims: vec![1, 2, 3],
                folders: vec![(s("kramfors"), s("212000-2429")), (s("solleftea"), s("212000-2437"))],
            },
            Message::DecisionChanged {
                partner: s("Sollefteå kommun"),
                key: s("solleftea.on_costs"),
                what: s("lönebikostnad"),
                old: s("41,72 %"),
                new: s("44 %"),
                months: (1..=12).map(|m| month(2025, m)).collect(),
                claims: vec![4, 5, 6],
                amount: kr(11_480, 27),
            },
            Message::OutsidePartnerMonths {
                partner: s("Timrå kommun"),
                month: month(2026, 2),
                first: month(2024, 1),
                last: month(2025, 12),
            },
            Message::ClaimedPartnerGone {
                partner: s("Örnsköldsviks kommun"),
                org_nr: s("212000-2445"),
                claims: vec![1, 2, 3],
                eligible: kr(1_230_251, 22),
            },
            Message::SupportBelowClaimed { approved: kr(7_000_000, 0), claimed_before: kr(7_304_468, 29) },
            Message::AlreadySubmitted {
                claims: vec![6],
                from: month(2025, 9),
                to: month(2025, 12),
                claimed_eligible: kr(3_223_034, 81),
                claimed_support: kr(1_286_635, 49),
                eligible: kr(3_250_508, 69),
                support: kr(1_297_603, 6),
                reasons: vec![s(
                    "Sollefteå kommun: lönebikostnad 41,72 % → 44 % i projektfilen (DECISION_CHANGED): +27 473,88 kr",
                )],
            },
        ];
        all.extend(FileProblem::examples().into_iter().map(Message::Unreadable));
        all.extend(CellProblem::examples().into_iter().map(|(header, problem)| Message::BadCell { header, problem }));
        all
    }
}

/// `«Anna Andersson» (B2), «A. Andersson» (B5)`.
fn named_cells(rows: &[(String, String)]) -> String {
    rows.iter().map(|(name, cell)| format!("«{name}» ({cell})")).collect::<Vec<_>>().join(", ")
}

/// A decimal as read, in Swedish: every decimal it has, none trailing (`12,345`, `2,4`).
fn sv_plain(d: &Decimal) -> String {
    let d = d.normalize();
    sv_number(d, d.scale())
}

/// The text with its first letter upper-case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn signed_kr(d: Decimal) -> String {
    if d > Decimal::ZERO { format!("+{}", sv_kr(d)) } else { sv_kr(d) }
}

/// The first 12 hex digits of a SHA-256, as messages show it.
fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Message as M;
        match self {
            M::WrongFolder { partner, org_nr, folder, expected } => write!(
                f,
                "Arbetsboken är från {partner} ({org_nr}) men ligger i mappen «{folder}». En part kan inte redovisa för \
                 en annan: flytta filen till mappen «{expected}»."
            ),
            M::MonthOutsideProject { month, start, end } => write!(
                f,
                "Perioden {month} ligger utanför projektets tid {start} – {end}. Kontrollera Period i bladet Uppgifter."
            ),
            M::DuplicateSubmission { month, version, files } => write!(
                f,
                "Flera olika arbetsböcker för {month} har samma version {version} ({}). Ingen av dem räknas förrän det \
                 är löst: ta bort den felaktiga eller ge den rättade en högre version.",
                files.join(", ")
            ),
            M::ChangedUnderLegacyClaim { month } => write!(
                f,
                "{month} ingår i en ansökan som registrerades av en äldre version av redovisa, som inte sparade beloppen, \
                 och den här arbetsboken skiljer sig från den som användes då. Skillnaden kan inte räknas ut: arbetsboken \
                 som användes då räknas fortfarande och den här räknas inte. Gör rättelsen för hand i Min ansökan, i \
                 samråd med Tillväxtverket."
            ),
            M::UnknownPartner { org_nr } => write!(
                f,
                "Organisationsnumret {org_nr} tillhör ingen part i projektet. Kontrollera numret i bladet Uppgifter."
            ),
            M::NotAttested => f.write_str(
                "Arbetsboken saknar attest (Attesterad av och Attestdatum i bladet Uppgifter). Den visas i månadsstatus \
                 men tas inte med i en ansökan förrän den är attesterad: i en ansökan är det därför ett fel, i \
                 kontrollen före inlämning och i månadsstatus en varning. Låt behörig person fylla i Attesterad av och \
                 Attestdatum och spara filen igen.",
            ),
            M::NewerNotAttested { month, version, lower } => write!(
                f,
                "Version {version} av {month} saknar attest (Attesterad av och Attestdatum i bladet Uppgifter) och \
                 tas inte med i en ansökan förrän den är attesterad. Till dess räknas ingen arbetsbok för {month}: \
                 version {lower} är ersatt av den nya. Ingick månaden redan i en inskickad ansökan tas den tillbaka \
                 som rättelse tills version {version} är attesterad (håll inne rättelsen med --hold-corrections om den \
                 ska vänta). Låt behörig person fylla i Attesterad av och Attestdatum och spara filen igen."
            ),
            M::WrongPeriod { period, rows } => write!(
                f,
                "Perioden är {period} men raderna gäller {rows} – rätta Perioden. Arbetsboken räknas inte förrän \
                 Perioden och raderna stämmer, och den ersätter inte arbetsboken för {period}. Gäller raderna \
                 verkligen {period}, rätta i stället datumen."
            ),
            M::PeriodNotFileName { period, named } => write!(
                f,
                "Perioden är {period} men filnamnet gäller {named}, och arbetsboken har inga daterade rader som kan \
                 avgöra – rätta Perioden, eller filnamnet om Perioden stämmer. Arbetsboken räknas inte förrän de \
                 stämmer, och den ersätter inte arbetsboken för {period}."
            ),
            M::NotARegularFile => f.write_str(
                "Filen är ingen vanlig fil (till exempel en länk till en enhet eller en namngiven pipe) och läses inte. \
                 Lägg in arbetsboken som en vanlig fil.",
            ),
            M::FolderUnreadable { folder, reason } => write!(
                f,
                "Mappen «{folder}» kan inte läsas ({reason}), så ingen arbetsbok i den räknas i den här körningen; övriga parter \
                 räknas som vanligt. Ge den som kör redovisa läsrätt till mappen (eller be IT om det) och kör igen."
            ),
            M::WrongFormat => f.write_str(
                "Filen är inte i formatet .xlsx (Excel-arbetsbok) och läses inte. Spara om den som .xlsx: i Excel \
                 Arkiv → Spara som → Excel-arbetsbok (*.xlsx); i LibreOffice Arkiv → Spara som → filtyp «Excel \
                 2007-365 (.xlsx)» → Behåll nuvarande format.",
            ),
            M::OutsidePartnerFolders => f.write_str(
                "Filen ligger inte i någon parts mapp och läses inte. Flytta den till rätt parts mapp i inkorgen.",
            ),
            M::FileChangedDuringRun => f.write_str(
                "Filen ändrades medan den lästes (någon sparade den samtidigt). Den räknas inte i den här körningen \
                 utan läses nästa gång; kör igen när filen är färdigsparad.",
            ),
            M::InternalError => f.write_str(
                "Arbetsboken kunde inte räknas igenom på grund av ett fel i redovisa (inte i arbetsboken) och räknas inte \
                 i den här körningen. Övriga arbetsböcker räknas som vanligt. Meddela den som sköter redovisa och skicka \
                 med arbetsboken, så att felet kan rättas.",
            ),
            M::Unreadable(problem) => write!(f, "{problem}"),
            M::MissingInfoSheet => f.write_str(
                "Bladet «Uppgifter» saknas, så det går inte att se vem arbetsboken kommer från eller vilken månad den \
                 gäller. Använd mallen (redovisa template) och fyll i Uppgifter.",
            ),
            M::MissingPersonalSheet => f.write_str(
                "Bladet «Personal» saknas men Tidrapport eller Frånvaro har rader. Lägg till Personal med varje person \
                 som redovisar tid (namn, personnummer, startdatum, månadslön, redovisning).",
            ),
            M::MissingLabel { label } => write!(
                f,
                "Uppgiften «{label}» saknas i bladet Uppgifter (etikett i kolumn A, värde i kolumn B). Fyll i den."
            ),
            M::EmptyLabel { label } => write!(f, "{label} saknar värde i kolumn B; fyll i det."),
            M::MissingColumn { header, sheet, row } => write!(
                f,
                "Kolumnen «{header}» saknas i rubrikraden för bladet {sheet} (rad {row}). Lägg till rubriken, eller \
                 använd mallen. Bladets rader har inte lästs."
            ),
            M::EmptyCell { header } => write!(f, "{header} saknas på raden; fyll i den."),
            M::BadCell { header, problem } => write!(f, "{header}: {problem}."),
            M::InvalidOwnOrgnr { text } => write!(
                f,
                "«{text}» är inget giltigt organisationsnummer (NNNNNN-NNNN med rätt kontrollsiffra). Skriv ert \
                 organisationsnummer."
            ),
            M::InvalidParticipantOrgnr { shown } => write!(
                f,
                "«{shown}» är inget giltigt organisationsnummer (NNNNNN-NNNN med rätt kontrollsiffra) eller, för en \
                 enskild firma, personnummer (ÅÅÅÅMMDD-NNNN). Rätta det."
            ),
            M::InvalidFinancierOrgnr { text } => write!(
                f,
                "«{text}» är inget giltigt organisationsnummer (NNNNNN-NNNN med rätt kontrollsiffra). Rätta det, eller \
                 lämna cellen tom."
            ),
            M::InvalidPersonnummer => {
                f.write_str("Personnumret är inte giltigt (ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra). Rätta det.")
            }
            M::ZeroSalary => f.write_str("Månadslön: 0 kr; ange den ordinarie heltidslönen."),
            M::MissingShare => {
                f.write_str("Andel saknas för en person med fast andel; ange andelen av heltid i projektet.")
            }
            M::EndBeforeStart { start, end } => {
                write!(f, "Slutdatum {end} ligger före startdatum {start}. Rätta datumen.")
            }
            M::NameTwice { name, first } => write!(
                f,
                "«{name}» står redan i Personal ({first}); varje person ska stå på en rad, eftersom raderna i \
                 Tidrapport och Frånvaro kopplas till personen via namnet. Raden räknas inte: ta bort den, eller skilj \
                 två personer med samma namn åt (till exempel med en initial) här och i Tidrapport och Frånvaro."
            ),
            M::NameTwiceOthers { name, first } => write!(
                f,
                "«{name}» står redan i Personal ({first}) men med ett annat personnummer (eller ett som inte kan \
                 läsas). Raderna i Tidrapport och Frånvaro kopplas till personen via namnet och kan inte fördelas \
                 mellan två personer, så ingen av raderna räknas. Skilj personerna åt (till exempel med en initial) \
                 här och i Tidrapport och Frånvaro, eller ta bort raden om det är samma person."
            ),
            M::NegativeIndicator { value } => write!(
                f,
                "Värde: {} är negativt; ett indikatorvärde är ett antal eller en mängd, 0 eller mer. Rätta värdet.",
                sv_plain(value)
            ),
            M::UnknownPerson { name } => write!(
                f,
                "«{name}» finns inte i bladet Personal. Lägg till personen där, eller rätta stavningen så att namnen är \
                 lika."
            ),
            M::UnknownActivity { code, known } => {
                write!(f, "Aktiviteten «{code}» finns inte i projektets aktivitetsplan. ")?;
                if known.is_empty() {
                    f.write_str("Planen i projektfilen har inga aktiviteter; be projektekonomen rätta project.toml.")
                } else {
                    write!(f, "Använd en av: {}.", known.join(", "))
                }
            }
            M::UnknownMainActivityIgnored { code, known, name } => write!(
                f,
                "{} Huvudaktivitet används inte för {name}, som redovisar tid i Tidrapport; tiden räknas.",
                M::UnknownActivity { code: code.clone(), known: known.clone() }
            ),
            M::DuplicatePersonCounted { rows } => write!(
                f,
                "Samma personnummer står på flera rader i Personal: {}. Raderna har samma Månadslön, Startdatum, \
                 Redovisning och Andel och räknas som en person, en gång. Ta bort den extra raden.",
                named_cells(rows)
            ),
            M::DuplicatePersonDisagrees { rows } => write!(
                f,
                "Samma personnummer står på flera rader i Personal: {}, men Månadslön, Startdatum, Redovisning eller \
                 Andel skiljer sig. Personen räknas inte förrän det står en rad per person; rätta arbetsboken och lämna \
                 in en ny version.",
                named_cells(rows)
            ),
            M::RowOutsidePeriod { dated, month } => {
                match dated {
                    Dated::Day(d) => write!(f, "Datumet {d}")?,
                    Dated::Month(m) => write!(f, "Månaden {m}")?,
                    Dated::Booked(d) => write!(f, "Bokföringsdatumet {d}")?,
                    Dated::Paid(d) => write!(f, "Inbetalningsdagen {d}")?,
                }
                write!(
                    f,
                    " ligger inte i arbetsbokens månad {month}. Redovisa den i arbetsboken för rätt månad, eller rätta \
                     datumet."
                )
            }
            M::PaymentFromInKindFinancier { org } => write!(
                f,
                "{org} bidrar med tid, inte med pengar till projektet: inbetald medfinansiering redovisas av den \
                 projektpart som tar emot pengarna. Ta bort raden här."
            ),
            M::UnknownFinancier { financier, org_nr, partner, known } => {
                let org_nr = org_nr.as_ref().map_or_else(String::new, |n| format!(" ({n})"));
                let known = if known.is_empty() {
                    "planen har inga".to_string()
                } else {
                    known.iter().map(|k| format!("«{k}»")).collect::<Vec<_>>().join(", ")
                };
                write!(
                    f,
                    "«{financier}»{org_nr} är ingen kontant medfinansiär i {partner}s kolumn i finansieringsplanen. \
                     Skriv finansiärens namn som i planen ({known}), eller kontrollera organisationsnumret; en ny \
                     finansiär behöver ett ändringsbeslut innan den kan redovisas."
                )
            }
            M::FinancingTypeMismatch { financier, planned } => write!(
                f,
                "Typ: {financier} är {planned} medfinansiering i finansieringsplanen. Beloppet räknas som {planned} \
                 medfinansiering; rätta Typ."
            ),
            M::TimeOutsideProject { start, end } => write!(
                f,
                "Tiden ligger utanför projektets tid {start} – {end} och kan inte redovisas. Ta bort raden, eller rätta \
                 datumet."
            ),
            M::TimeOutsidePerson { name, start, end } => {
                let span = match end {
                    Some(e) => format!("{start} – {e}"),
                    None => format!("från {start}"),
                };
                write!(
                    f,
                    "Tiden ligger utanför {name}s tid i projektet ({span}). Rätta datumet, eller Startdatum/Slutdatum i \
                     Personal."
                )
            }
            M::ActivityOutsideDates { code, start, end } => write!(
                f,
                "Aktivitet {code} pågår {start} – {end} enligt planen, men tid är redovisad utanför. Kontrollera \
                 aktiviteten; tiden räknas men kan ifrågasättas av Tillväxtverket."
            ),
            M::OtherCostsUnderFlatRate { org, rate } => write!(
                f,
                "{org} redovisar med schablon {} % som täcker alla övriga kostnader; övriga kostnader får inte \
                 redovisas. Ta bort raden.",
                sv_plain(rate)
            ),
            M::OtherCostsFromInKind { org } => write!(
                f,
                "{org} bidrar med tid (bidrag i annat än pengar) och redovisar inga övriga kostnader. Ta bort raden."
            ),
            M::MissingMainActivity { name } => write!(
                f,
                "Huvudaktivitet saknas för {name} (fast andel) och ingen tid är fördelad i Tidrapport. Ange \
                 huvudaktivitet, annars kan timmarna inte föras till någon aktivitet."
            ),
            M::HoursWithoutActivity { name } => write!(
                f,
                "Timmarna för {name} kan inte fördelas på någon aktivitet (alla rader i Tidrapport har 0 timmar och \
                 Huvudaktivitet saknas). Ange Huvudaktivitet eller fördela tiden."
            ),
            M::UnknownIndicator { name, known } => {
                write!(
                    f,
                    "«{name}» är ingen indikator som rapporteras med värde i projektet (de räknas ut av verktyget \
                     eller finns inte). "
                )?;
                if known.is_empty() {
                    f.write_str("Projektet har inga indikatorer som rapporteras med värde: ta bort raden.")
                } else {
                    write!(f, "Använd en av: {}.", known.join("; "))
                }
            }
            M::AbsenceForTimeReporter { name } => write!(
                f,
                "{name} redovisar tid i Tidrapport; frånvaro dras bara av för personal med fast andel. Raden påverkar \
                 inget; ta bort den, eller ändra Redovisning till Fast andel om personen har en fast andel."
            ),
            M::HeldOut { name, month, causes } => {
                let of = |c: &HeldCause| match c {
                    HeldCause::Absence { sheet, row } => format!("frånvaroraden på rad {row} i {sheet} har fel"),
                    HeldCause::AbsenceOfNobody { sheet, row } => format!(
                        "frånvaroraden på rad {row} i {sheet} har fel och kan inte kopplas till någon i Personal, så \
                         den kan gälla vem som helst med fast andel"
                    ),
                    HeldCause::Unread { sheet } => format!("bladet {sheet} kan inte läsas"),
                };
                write!(
                    f,
                    "{name} räknas inte alls för {month}: {}. Frånvaro dras av från den fasta tiden, och utan den kunde \
                     timmarna bli för många; därför hålls hela personens månad utanför, inte bara raden. Rätta felet, \
                     så räknas månaden (som sen månad eller rättelse om ansökan redan har skickats).",
                    causes.iter().map(of).collect::<Vec<_>>().join("; ")
                )
            }
            M::SalaryOverBudget { name, salary, org, line, budget } => write!(
                f,
                "Månadslönen {} för {name} är ensam större än hela den beviljade budgeten för {org} – {} ({}); det \
                 är troligen ett skrivfel. {name} räknas inte för månaden förrän Månadslön är rättad.",
                sv_kr(*salary),
                line.swedish(),
                sv_kr_whole(*budget)
            ),
            M::CostOverBudget { amount, org, line, budget } => write!(
                f,
                "Beloppet {} är ensamt större än hela den beviljade budgeten för {org} – {} ({}); det är troligen \
                 ett skrivfel. Raden räknas inte förrän beloppet är rättat.",
                sv_kr(*amount),
                line.swedish(),
                sv_kr_whole(*budget)
            ),
            M::PaymentOverDecided { amount, financier, decided } => write!(
                f,
                "Beloppet {} är ensamt större än hela den medfinansiering {financier} har beslutat ({}); det är \
                 troligen ett skrivfel. Inbetalningen räknas inte förrän beloppet är rättat.",
                sv_kr(*amount),
                sv_kr_whole(*decided)
            ),
            M::AmbiguousTime { text, read_as, hours, minutes } => write!(
                f,
                "«{text}» är läst som {} timmar. Betyder det {hours} timmar och {minutes} minuter, skriv {hours}:{minutes:02} \
                 (eller {}) i stället.",
                sv_hours(*read_as),
                sv_hours(Decimal::from(*hours) + Decimal::from(*minutes) / Decimal::from(60))
            ),
            M::HoursOverMonth { name, month, hours, weekdays, employment, limit } => write!(
                f,
                "{name} har {} timmar i {month}, mer än månadens {weekdays} vardagar × 8 h × sysselsättningsgrad {} = \
                 {} h. Kontrollera tidrapporten.",
                sv_hours(*hours),
                sv_percent(*employment, 0),
                sv_hours(*limit)
            ),
            M::SalaryBasisChanged { name, field, first_month } => {
                let (what, before, after) = match field {
                    BasisField::Salary { before, after } => ("Månadslön", sv_kr(*before), sv_kr(*after)),
                    BasisField::Start { before, after } => ("Startdatum", before.to_string(), after.to_string()),
                };
                write!(
                    f,
                    "{what} för {name} är {after} men var {before} i personens första månad ({first_month}). Timpriset \
                     bygger på första månadens uppgift och räknas upp med indexeringen; ändra tillbaka, eller rätta den \
                     första månadens arbetsbok med en ny version."
                )
            }
            M::MissingSubmission { partner, folder, month } => write!(
                f,
                "Ingen godkänd arbetsbok från {partner} för {month}. Lägg in månadens arbetsbok i mappen «{folder}» \
                 (eller rätta den som avvisats)."
            ),
            M::OverBudget { what, cumulative, budget, over } => {
                match what {
                    Budgeted::Org { org, line } => write!(f, "{org} – {}", line.swedish())?,
                    Budgeted::Activity { code, name } => write!(f, "Aktivitet {code} {name}")?,
                }
                write!(
                    f,
                    ": upparbetat {} från projektstart, över budgeten {} med {}. Stäm av med projektledningen; en \
                     ändring av budgeten kräver ändringsansökan.",
                    sv_kr_whole(*cumulative),
                    sv_kr_whole(*budget),
                    sv_kr_whole(*over)
                )
            }
            M::IndexationOverflow { name, steps, indexation } => write!(
                f,
                "Timpriset för {name} kan inte räknas upp {steps} gånger med {} % per år (talet blir orimligt stort). \
                 Kontrollera Startdatum i Personal och indexation i project.toml.",
                sv_plain(indexation)
            ),
            M::DoubleReported { name, month, org, others } => write!(
                f,
                "{name} redovisas för {month} både av {org} och av {} (samma personnummer). Tillväxtverket kontrollerar \
                 detta: stäm av med de andra organisationerna att timmarna inte räknas två gånger. Årstaket gäller \
                 personen över alla organisationer.",
                others.join(" och ")
            ),
            M::HoursOverAnnualCap { name, year, cap, hours_per_year, reported, costed, left_out } => write!(
                f,
                "{name} når taket för {year}: högst {} timmar (summan över årets månader av {hours_per_year} × månadens \
                 sysselsättningsgrad / 12), räknat över alla organisationer och ansökningar. Av månadens {} timmar \
                 räknas {}; {} timmar lämnas utanför. Kontrollera tidrapporterna för året.",
                sv_hours(*cap),
                sv_hours(*reported),
                sv_hours(*costed),
                sv_hours(*left_out)
            ),
            M::SupportCapReached { uncapped, claimed_before, approved, claimed } => write!(
                f,
                "Stödet för perioden blir {} enligt stödandelen, men tillsammans med tidigare ansökningar ({}) skulle \
                 det passera beviljat stöd {}. Perioden begär {}; resterande kostnader finansieras av medfinansiärerna. \
                 Inget behöver rättas i arbetsböckerna; kontakta handläggaren om projektet behöver mer stöd.",
                sv_kr(*uncapped),
                sv_kr(*claimed_before),
                sv_kr(*approved),
                sv_kr(*claimed)
            ),
            M::CofinancingLagging {
                financier,
                partner,
                paid,
                decided,
                share_paid,
                share_claimed,
                claimed,
                lag_points,
            } => write!(
                f,
                "{financier} har betalat in {} av beslutade {} till {partner} ({} av beslutat belopp), medan {} av \
                 partens budget är begärd med den här ansökan ({}). Skillnaden är större än projektets gräns på {} \
                 procentenheter. Stäm av med {financier} att medfinansieringen betalas in, och be {partner} föra in \
                 betalningarna i bladet Medfinansiering.",
                sv_kr(*paid),
                sv_kr(*decided),
                sv_percent(*share_paid, 1),
                sv_percent(*share_claimed, 1),
                sv_kr(*claimed),
                sv_plain(lag_points)
            ),
            M::PeriodNotInPlan { from, to, nearest } => {
                let near = nearest.as_ref().map_or_else(String::new, |p| {
                    format!(" Närmaste planerade period är {} – {} (senast {}).", p.from, p.to, p.due)
                });
                write!(
                    f,
                    "Perioden {from} – {to} är ingen av perioderna i projektets rapporteringsplan (reporting i \
                     project.toml).{near} Ansök enligt planen i beslutet, eller stäm av en ändrad plan med \
                     Tillväxtverket och uppdatera project.toml."
                )
            }
            M::FinalTextMissing { key, heading } => write!(
                f,
                "Slutrapportens text «{heading}» är inte skriven: rapporten visar en ruta «Att skriva» där den ska \
                 stå. Skriv texten under [{key}] i mallar/slutrapport.toml (redovisa final --texts skapar filen med \
                 alla rubriker) och kör redovisa final igen."
            ),
            M::LegacyLedger { claims } => write!(
                f,
                "Ansökan {} registrerades av en äldre version av redovisa som bara sparade arbetsböckernas \
                 kontrollsummor, inte beloppen. Rättelser av de månaderna kan därför inte räknas ut: de räknas med \
                 arbetsböckerna som användes då, och en ändrad arbetsbok för en sådan månad får rättas för hand i Min \
                 ansökan. Sena månader tas med som vanligt. När nästa ansökan registreras sparas beloppen, och den här \
                 varningen försvinner.",
                claims.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            ),
            M::ClaimedFolderGone { claim, folder } => write!(
                f,
                "Ansökan {claim} räknade mappen «{folder}», som inte finns i projektfilen, och ansökningsloggen \
                 registrerades innan organisationsnummer sparades, så parten kan inte kännas igen. Dess belopp ingår \
                 inte i de ackumulerade beloppen. Lägg tillbaka parten i project.toml med samma mappnamn (och until = \
                 sista månaden i beslutet om den har lämnat projektet)."
            ),
            M::ClaimedPartnerGone { partner, org_nr, claims, eligible } => write!(
                f,
                "{partner} ({org_nr}) finns inte längre i projektfilen, men {} begärde {} stödgrundande för parten. \
                 Beloppen ligger kvar i alla ackumulerade belopp (kostnader, stöd, medfinansiering och slutrapport), \
                 men inga nya månader räknas. Har parten lämnat projektet: lägg tillbaka den i project.toml med until \
                 = sista månaden i beslutet i stället för att ta bort den.",
                claims_text(claims),
                sv_kr(*eligible)
            ),
            M::FolderKeyedLedger { claims, folders } => write!(
                f,
                "{} registrerades innan ansökningsloggen sparade organisationsnummer; raderna känns igen på sina \
                 mappar: {}. En part är sitt organisationsnummer, så när nästa ansökan registreras följer beloppen \
                 organisationsnumret även om en mapp byter namn, och den här varningen försvinner.",
                capitalised(&claims_text(claims)),
                folders.iter().map(|(folder, nr)| format!("«{folder}» = {nr}")).collect::<Vec<_>>().join(", ")
            ),
            M::DecisionChanged { partner, key, what, old, new, months, claims, amount } => write!(
                f,
                "Projektfilen prissätter nu {} redan inskickade månader för {partner} ({}, {}) med {what} {new} i \
                 stället för {old}, som de skickades in med ({key}). Det skulle flytta {} stödgrundande. Månaderna \
                 behåller sitt inskickade pris, och ansökan kan inte registreras förrän projektfilen säger hur \
                 ändringen gäller: från en viss månad (en lista med from, där de inskickade månaderna behåller {old}), \
                 eller retroaktivt enligt ett ändringsbeslut ([[change]] med retroactive = {{ from = \"ÅÅÅÅ-MM\", keys \
                 = [\"{key}\"] }}).",
                months.len(),
                month_ranges(months),
                claims_text(claims),
                signed_kr(*amount)
            ),
            M::OutsidePartnerMonths { partner, month, first, last } => write!(
                f,
                "Arbetsboken gäller {month}, men {partner} ingår i beslutet bara {first} – {last} (from och until i \
                 project.toml). Kostnader räknas bara för månader då parten ingår i beslutet, så arbetsboken räknas \
                 inte. Kontrollera månaden, eller projektfilen om beslutet har ändrats."
            ),
            M::SupportBelowClaimed { approved, claimed_before } => write!(
                f,
                "Beviljat stöd är nu {}, men tidigare ansökningar har redan begärt {}: {} mer än beviljat. Ansökan \
                 begär därför tillbaka mellanskillnaden. Kontrollera approved_support mot beslutet och stäm av med \
                 handläggaren innan ansökan skickas in.",
                sv_kr(*approved),
                sv_kr(*claimed_before),
                sv_kr(*claimed_before - *approved)
            ),
            M::AlreadySubmitted { claims, from, to, claimed_eligible, claimed_support, eligible, support, reasons } => {
                write!(
                    f,
                    "Perioden {from} – {to} är {}, redan inskickad med {} stödgrundande och {} i stöd. Körd nu blir \
                     perioden {} stödgrundande ({}) och {} i stöd ({}), och utdata visar den som om den inte vore \
                     inskickad.",
                    claims_text(claims),
                    sv_kr(*claimed_eligible),
                    sv_kr(*claimed_support),
                    sv_kr(*eligible),
                    signed_kr(*eligible - *claimed_eligible),
                    sv_kr(*support),
                    signed_kr(*support - *claimed_support)
                )?;
                if reasons.is_empty() {
                    f.write_str(" Inget har ändrats sedan den skickades in.")
                } else {
                    write!(f, " Skillnaden kommer av: {}.", reasons.join("; "))
                }
            }
            M::LegacyWorkbookGone { path, month, claim } => write!(
                f,
                "Arbetsboken {path} som användes för {month} i ansökan {claim} räknas inte längre (den är borttagen \
                 eller kan inte läsas). Ansökan registrerades av en äldre version av redovisa som inte sparade \
                 beloppen, så det som begärdes för månaden kan inte räknas ut och saknas i de ackumulerade beloppen. \
                 Lägg tillbaka arbetsboken."
            ),
            M::LateMonth { month, claim, eligible } => write!(
                f,
                "{month} hör till perioden för ansökan {claim}, men arbetsboken kom (eller blev godkänd) efter att den \
                 skickades in. Månaden tas med i den här ansökan under Tidigare månader: stödgrundande {}. Inget att \
                 åtgärda.",
                sv_kr(*eligible)
            ),
            M::Corrected { month, claim, revision, delta, held, changes } => {
                let claim = claim.map_or_else(|| "en inskickad ansökan".to_string(), |s| format!("ansökan {s}"));
                match revision {
                    Revision::Unchanged { path } if !changes.is_empty() => {
                        write!(f, "{month} ingick i {claim}. Arbetsboken {path} är oförändrad.")?
                    }
                    Revision::Gone { path, sha256 } => write!(
                        f,
                        "{month} ingick i {claim} med arbetsboken {path} (SHA-256 {}…), men ingen arbetsbok räknas \
                         längre för månaden (den är borttagen, avvisad eller ersatt av en version som inte räknas).",
                        short(sha256)
                    )?,
                    Revision::Unchanged { path } => write!(
                        f,
                        "{month} ingick i {claim}. Arbetsboken {path} är oförändrad, men månadens belopp ändras av en \
                         annan månad (till exempel en sen månad som påverkar årstaket för timmar eller lönegrunden)."
                    )?,
                    Revision::Replaced { path, sha256, now_path, now_sha256 } => write!(
                        f,
                        "{month} ingick i {claim} med arbetsboken {path} (SHA-256 {}…); nu räknas {now_path} (SHA-256 \
                         {}…).",
                        short(sha256),
                        short(now_sha256)
                    )?,
                }
                for c in changes {
                    write!(
                        f,
                        " Ändringsbeslut {} ändrar {} retroaktivt för månaden: {} → {}.",
                        c.change, c.what, c.old, c.new
                    )?;
                }
                write!(
                    f,
                    " Skillnaden är {} stödgrundande (personal {}, schablon/indirekta {}, övriga {}, {} timmar). ",
                    signed_kr(delta.total),
                    signed_kr(delta.staff),
                    signed_kr(delta.flat_rate),
                    signed_kr(delta.other),
                    sv_hours(delta.hours)
                )?;
                f.write_str(if *held {
                    "Rättelsen hålls inne av projektekonomen: den tas inte med i den här ansökan utan väntar till en \
                     senare."
                } else if matches!(revision, Revision::Gone { .. }) {
                    "Den tas med som rättelse i den här ansökan. Lägg tillbaka arbetsboken om den försvann av misstag; \
                     projektekonomen kan också hålla inne rättelsen till en senare ansökan."
                } else {
                    "Den tas med som rättelse i den här ansökan (Tidigare månader); projektekonomen kan hålla inne den \
                     till en senare ansökan."
                })
            }
        }
    }
}

/// Why a cell cannot be read as what its column holds: the reason inside a `BAD_VALUE`
/// message, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    /// An Excel error value such as `#REF!`.
    ErrorValue(String),
    /// A number cell that is not finite.
    NumberUnreadable,
    /// A number cell beyond exact decimals.
    NumberOutOfRange(String),
    /// A number at or beyond Excel's 15 digits.
    NumberTooLarge(Decimal),
    /// Text that is no number.
    NotANumber(String),
    /// A date- or time-formatted cell where a number belongs.
    DateTimeNotNumber,
    /// TRUE/FALSE where a number belongs.
    BoolNotNumber,
    /// A negative amount.
    NegativeAmount(Decimal),
    /// An amount with more than two decimals.
    TooManyDecimals(Decimal),
    /// Text ending in `%` that is no percentage.
    NotAPercent(String),
    /// A share at or below 0, or above 100 %, in percent.
    ShareOutOfRange(Decimal),
    /// A date serial beyond Excel's dates.
    DateUnreadable,
    /// A time where a date belongs.
    TimeNotDate,
    /// A number that is no date serial.
    NumberNotDate(String),
    /// Text that is no date.
    NotADate(String),
    /// TRUE/FALSE where a date belongs.
    BoolNotDate,
    /// Text that is no month.
    NotAMonth(String),
    /// A time-report date that is neither a date nor a month.
    NotADateOrMonth(Box<CellProblem>),
    /// A date where hours belong.
    DateNotHours,
    /// Text that is no number of hours.
    NotHours(String),
    /// Negative hours.
    NegativeHours,
    /// A duration that is not finite.
    TimeUnreadable,
    /// A duration beyond any row's hours.
    TimeTooLong,
    /// More hours than any row can hold.
    TooManyHours(Decimal),
    /// More hours in one row than the workbook's month has.
    HoursBeyondMonth { hours: Decimal, month: Month, max: u32 },
    /// A version that is no whole number from 1.
    NotWhole(Decimal),
    /// Redovisning other than Tidrapport or Fast andel.
    NotReporting(String),
    /// An absence reason outside the list.
    NotAbsenceReason(String),
    /// Kön outside the list.
    NotGender(String),
    /// Kostnadsslag outside the list.
    NotCostCategory(String),
    /// Typ of a payment outside the list.
    NotFinancingKind(String),
}

impl CellProblem {
    /// One problem of every kind, with the column it might be found in and made-up values, for
    /// the catalogue's documentation.
    pub fn examples() -> Vec<(String, CellProblem)> {
        use CellProblem as C;
        let s = String::from;
        let d = |units: i64, scale: u32| Decimal::new(units, scale);
        vec![
            (s("Timmar"), C::ErrorValue(s("#REF!"))),
            (s("Månadslön"), C::NumberUnreadable),
            (s("Månadslön"), C::NumberOutOfRange(s("1e300"))),
            (s("Belopp"), C::NumberTooLarge(d(1_000_000_000_000_000, 0))),
            (s("Månadslön"), C::NotANumber(s("fyrtiotusen"))),
            (s("Månadslön"), C::DateTimeNotNumber),
            (s("Värde"), C::BoolNotNumber),
            (s("Belopp"), C::NegativeAmount(d(-1200, 0))),
            (s("Belopp"), C::TooManyDecimals(d(12345, 3))),
            (s("Andel"), C::NotAPercent(s("halv %"))),
            (s("Sysselsättningsgrad"), C::ShareOutOfRange(d(150, 0))),
            (s("Datum"), C::DateUnreadable),
            (s("Startdatum"), C::TimeNotDate),
            (s("Datum"), C::NumberNotDate(s("2025"))),
            (s("Startdatum"), C::NotADate(s("1 mars"))),
            (s("Attestdatum"), C::BoolNotDate),
            (s("Period"), C::NotAMonth(s("våren 2025"))),
            (s("Datum"), C::NotADateOrMonth(Box::new(C::NotADate(s("v. 12"))))),
            (s("Timmar"), C::DateNotHours),
            (s("Timmar"), C::NotHours(s("åtta"))),
            (s("Timmar"), C::NegativeHours),
            (s("Timmar"), C::TimeUnreadable),
            (s("Timmar"), C::TimeTooLong),
            (s("Timmar"), C::TooManyHours(d(12_000, 0))),
            (
                s("Timmar"),
                C::HoursBeyondMonth { hours: d(750, 0), month: Month::new(2025, 3).unwrap_or(Month::MIN), max: 744 },
            ),
            (s("Version"), C::NotWhole(d(15, 1))),
            (s("Redovisning"), C::NotReporting(s("Timmar"))),
            (s("Orsak"), C::NotAbsenceReason(s("Sjuk dag 3"))),
            (s("Kön"), C::NotGender(s("X"))),
            (s("Kostnadsslag"), C::NotCostCategory(s("Mat"))),
            (s("Typ"), C::NotFinancingKind(s("Kontant"))),
        ]
    }
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CellProblem as C;
        match self {
            C::ErrorValue(e) => write!(
                f,
                "cellen innehåller felvärdet {e} (en formel som inte går att räkna ut); rätta formeln eller skriv in \
                 värdet"
            ),
            C::NumberUnreadable => f.write_str("talet går inte att läsa; skriv in det på nytt"),
            C::NumberOutOfRange(v) => write!(f, "talet {v} är för stort eller för litet; skriv in rätt tal"),
            C::NumberTooLarge(d) => {
                write!(f, "talet {} är orimligt stort; kontrollera att det är rätt tal", sv_plain(d))
            }
            C::NotANumber(s) => write!(f, "«{s}» är inget tal; skriv ett tal, till exempel 1 234,50"),
            C::DateTimeNotNumber => f.write_str(
                "cellen är formaterad som datum eller tid, inte som tal; ändra cellens format till Tal och skriv talet",
            ),
            C::BoolNotNumber => f.write_str("cellen innehåller SANT/FALSKT, inte ett tal; skriv ett tal"),
            C::NegativeAmount(d) => write!(f, "beloppet {} är negativt; ange ett belopp från 0 och uppåt", sv_plain(d)),
            C::TooManyDecimals(d) => {
                write!(f, "beloppet {} har fler än två decimaler; ange kronor och ören", sv_plain(d))
            }
            C::NotAPercent(s) => write!(f, "«{s}» är ingen procentsats; skriv till exempel 50 %"),
            C::ShareOutOfRange(p) => write!(f, "andelen {} % ska vara större än 0 och högst 100", sv_plain(p)),
            C::DateUnreadable => f.write_str("datumet går inte att läsa; skriv det som ÅÅÅÅ-MM-DD"),
            C::TimeNotDate => f.write_str("cellen innehåller en tid, inte ett datum; skriv datumet som ÅÅÅÅ-MM-DD"),
            C::NumberNotDate(v) => write!(f, "{} är inget datum; skriv ÅÅÅÅ-MM-DD", v.replace('.', ",")),
            C::NotADate(s) => write!(f, "«{s}» är inget datum; skriv ÅÅÅÅ-MM-DD"),
            C::BoolNotDate => {
                f.write_str("cellen innehåller SANT/FALSKT, inte ett datum; skriv datumet som ÅÅÅÅ-MM-DD")
            }
            C::NotAMonth(s) => write!(f, "«{s}» är ingen månad; skriv ÅÅÅÅ-MM"),
            C::NotADateOrMonth(e) => write!(f, "{e} (eller ÅÅÅÅ-MM för en hel månad)"),
            C::DateNotHours => f.write_str(
                "cellen innehåller ett datum, inte ett antal timmar; ändra cellens format till Tal och skriv timmarna",
            ),
            C::NotHours(s) => write!(f, "«{s}» är inget antal timmar; skriv till exempel 7,5 eller 7:30"),
            C::NegativeHours => f.write_str("antalet timmar är negativt; ange 0 eller fler timmar"),
            C::TimeUnreadable => {
                f.write_str("tiden i cellen går inte att läsa; skriv timmarna som tal, till exempel 7,5")
            }
            C::TimeTooLong => {
                f.write_str("tiden i cellen motsvarar orimligt många timmar för en rad; kontrollera värdet")
            }
            C::TooManyHours(h) => write!(f, "{} timmar är orimligt många för en rad; kontrollera talet", sv_plain(h)),
            C::HoursBeyondMonth { hours, month, max } => write!(
                f,
                "{} timmar är fler än hela månaden {month} har ({max} timmar dygnet runt); kontrollera talet",
                sv_plain(hours)
            ),
            C::NotWhole(d) => {
                write!(f, "«{}» är inget heltal från 1 och uppåt; skriv ett heltal, till exempel 1", sv_plain(d))
            }
            C::NotReporting(t) => write!(f, "«{t}» ska vara «Tidrapport» eller «Fast andel»"),
            C::NotAbsenceReason(t) => write!(
                f,
                "«{t}» ska vara «Sjukdom dag 15+», «VAB» eller «Tjänstledighet» (sjukdom dag 1–14 dras inte av och ska \
                 inte föras in)"
            ),
            C::NotGender(t) => write!(f, "«{t}» ska vara «Kvinna», «Man» eller «Ej angivet»"),
            C::NotCostCategory(t) => write!(f, "«{t}» ska vara ett av: {}", KOSTNADSSLAG.join(", ")),
            C::NotFinancingKind(t) => write!(f, "«{t}» ska vara «Offentlig kontant» eller «Privat kontant»"),
        }
    }
}

/// Why a file is no workbook we will read: the `FILE_UNREADABLE` message, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// 0 bytes.
    Empty,
    /// Larger than a month's workbook can be.
    TooLarge { mb: u64, max_mb: u64 },
    /// A password-protected workbook (an OLE container holding the encrypted package).
    Encrypted,
    /// A legacy Office file (`.xls`).
    LegacyOffice,
    /// A PDF.
    Pdf,
    /// A web page or XML export.
    Markup,
    /// A text file such as a CSV export.
    Text,
    /// Anything else that is no zip.
    NotAWorkbook,
    /// A zip whose directory cannot be read.
    NotAZip(String),
    /// More entries than a workbook has.
    TooManyEntries,
    /// An entry of the directory that cannot be read.
    CorruptEntry(String),
    /// An encrypted zip entry.
    EncryptedEntry,
    /// A compression Excel does not use.
    OddCompression,
    /// An entry that inflates far beyond a workbook's size.
    Bomb,
    /// Too large unpacked.
    TooBigUnpacked { entry_mb: u64, total_mb: u64 },
    /// A part that cannot be inflated.
    CorruptPart { part: String, detail: String },
    /// A Word document renamed `.xlsx`.
    Word,
    /// A PowerPoint presentation renamed `.xlsx`.
    PowerPoint,
    /// An OpenDocument file renamed `.xlsx`.
    OpenDocument,
    /// A binary workbook (`.xlsb`) renamed `.xlsx`.
    Xlsb,
    /// A zip that is no Office file.
    ZipNotWorkbook,
    /// More texts than a workbook holds.
    TooManyStrings { max: u64 },
    /// Styles, relationships or sheet list beyond reason.
    OversizedStructure,
    /// XML nested beyond reason.
    TooDeep { part: String },
    /// The parser refused the workbook.
    Parser { why: ParserTrouble, detail: String },
    /// A cell beyond Excel's grid.
    CellOutsideGrid { sheet: String, row: u64, col: u64 },
    /// A cell with more text than Excel allows.
    CellTextTooLong { sheet: String, cell: String, max: usize },
    /// More text than a month's workbook holds.
    TooMuchText { max_mb: u64 },
    /// More filled cells than a month's workbook holds.
    TooManyCells { sheet: String, max: u64 },
    /// More rows than a month's workbook holds.
    TooManyRows { sheet: String, max: u64 },
    /// The parser panicked.
    Panicked,
    /// The file could not be read from disk.
    Io(String),
}

/// What the parser's error means for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParserTrouble {
    NotUtf8,
    Damaged,
    Password,
    PartMissing,
    Other,
}

impl FileProblem {
    /// One problem of every kind, with made-up values, for the catalogue's documentation.
    pub fn examples() -> Vec<FileProblem> {
        use FileProblem as P;
        let s = String::from;
        vec![
            P::Empty,
            P::TooLarge { mb: 31, max_mb: 20 },
            P::Encrypted,
            P::LegacyOffice,
            P::Pdf,
            P::Markup,
            P::Text,
            P::NotAWorkbook,
            P::NotAZip(s("invalid Zip archive: Could not find EOCD")),
            P::TooManyEntries,
            P::CorruptEntry(s("invalid Zip archive: Invalid local file header")),
            P::EncryptedEntry,
            P::OddCompression,
            P::Bomb,
            P::TooBigUnpacked { entry_mb: 32, total_mb: 48 },
            P::CorruptPart { part: s("xl/worksheets/sheet2.xml"), detail: s("Invalid checksum") },
            P::Word,
            P::PowerPoint,
            P::OpenDocument,
            P::Xlsb,
            P::ZipNotWorkbook,
            P::TooManyStrings { max: 500_000 },
            P::OversizedStructure,
            P::TooDeep { part: s("xl/styles.xml") },
            P::Parser { why: ParserTrouble::NotUtf8, detail: s("invalid utf-8 sequence") },
            P::Parser { why: ParserTrouble::Damaged, detail: s("unexpected end of file") },
            P::Parser { why: ParserTrouble::Password, detail: s("Workbook is password protected") },
            P::Parser { why: ParserTrouble::PartMissing, detail: s("Relationship not found") },
            P::Parser { why: ParserTrouble::Other, detail: s("unexpected element") },
            P::CellOutsideGrid { sheet: s("Tidrapport"), row: 1_048_577, col: 1 },
            P::CellTextTooLong { sheet: s("Aktiviteter"), cell: s("C4"), max: 32_767 },
            P::TooMuchText { max_mb: 16 },
            P::TooManyCells { sheet: s("Tidrapport"), max: 400_000 },
            P::TooManyRows { sheet: s("Tidrapport"), max: 50_000 },
            P::Panicked,
            P::Io(s("Permission denied (os error 13)")),
        ]
    }
}

impl std::error::Error for FileProblem {}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FileProblem as P;
        const RESAVE: &str = "Spara arbetsboken på nytt och lägg in den igen.";
        const RESAVE_IN_EXCEL: &str = "Spara den på nytt som .xlsx i Excel.";
        match self {
            P::Empty => f.write_str("Filen är tom (0 byte). Spara arbetsboken på nytt som .xlsx och lägg in den igen."),
            P::TooLarge { mb, max_mb } => write!(
                f,
                "Filen är för stor ({mb} MB, högst {max_mb} MB). En månads redovisning ska rymmas i en liten arbetsbok; \
                 ta bort bilder och överflödiga blad."
            ),
            P::Encrypted => f.write_str(
                "Arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas. Ta bort lösenordet i Excel \
                 (Arkiv → Info → Skydda arbetsbok → Kryptera med lösenord, töm fältet) och spara den på nytt som .xlsx.",
            ),
            P::LegacyOffice => write!(
                f,
                "Filen är sparad i ett äldre Office-format (till exempel Excel 97–2003, .xls), inte som .xlsx. \
                 {SAVE_AS_XLSX}"
            ),
            P::Pdf => f.write_str(
                "Filen är en PDF, inte en Excel-arbetsbok. Lägg in arbetsboken själv (.xlsx), inte en utskrift av den.",
            ),
            P::Markup => write!(
                f,
                "Filen är en webbsida eller XML-fil med ändelsen .xlsx (till exempel en export från ett annat system), \
                 inte en Excel-arbetsbok. {SAVE_AS_XLSX}"
            ),
            P::Text => write!(
                f,
                "Filen är en textfil (till exempel CSV) med ändelsen .xlsx, inte en Excel-arbetsbok. {SAVE_AS_XLSX}"
            ),
            P::NotAWorkbook => write!(f, "Filen är ingen Excel-arbetsbok (.xlsx) och kan inte läsas. {SAVE_AS_XLSX}"),
            P::NotAZip(e) => write!(f, "Filen är skadad eller ofullständig och kan inte öppnas ({e}). {RESAVE}"),
            P::TooManyEntries => {
                f.write_str("Filen innehåller orimligt många delar för en arbetsbok. Spara den på nytt som .xlsx.")
            }
            P::CorruptEntry(e) => write!(f, "Filen är skadad ({e}). {RESAVE}"),
            P::EncryptedEntry => f.write_str(
                "Arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas. Ta bort lösenordet och spara som .xlsx.",
            ),
            P::OddCompression => f.write_str(
                "Filen använder en komprimering som Excel inte använder. Spara den på nytt som .xlsx i Excel.",
            ),
            P::Bomb => f.write_str(
                "Filen packas upp till en orimlig storlek (den kan vara skadad eller en så kallad zip-bomb) och läses \
                 inte. Spara arbetsboken på nytt som .xlsx.",
            ),
            P::TooBigUnpacked { entry_mb, total_mb } => write!(
                f,
                "Arbetsboken är för stor uppackad för en månads redovisning (högst {entry_mb} MB per del och {total_mb} \
                 MB sammanlagt). Ta bort överflödiga blad, rader och bilder och spara på nytt."
            ),
            P::CorruptPart { part, detail } => {
                let part = if part.is_empty() { String::new() } else { format!(" ({part})") };
                write!(f, "Filen är skadad: en del av arbetsboken{part} går inte att packa upp ({detail}). {RESAVE}")
            }
            P::Word => f.write_str(
                "Filen är ett Word-dokument (.docx) med ändelsen .xlsx, inte en Excel-arbetsbok. Lägg in månadens \
                 arbetsbok i stället.",
            ),
            P::PowerPoint => f.write_str(
                "Filen är en PowerPoint-presentation (.pptx) med ändelsen .xlsx, inte en Excel-arbetsbok. Lägg in \
                 månadens arbetsbok i stället.",
            ),
            P::OpenDocument => write!(
                f,
                "Filen är ett OpenDocument-dokument (till exempel .ods från LibreOffice) med ändelsen .xlsx. \
                 {SAVE_AS_XLSX}"
            ),
            P::Xlsb => write!(f, "Filen är en binär Excel-arbetsbok (.xlsb) med ändelsen .xlsx. {SAVE_AS_XLSX}"),
            P::ZipNotWorkbook => write!(f, "Filen är en zip-fil men ingen Excel-arbetsbok. {SAVE_AS_XLSX}"),
            P::TooManyStrings { max } => write!(
                f,
                "Arbetsboken innehåller eller uppger orimligt många texter (över {max} st); den kan vara skadad eller \
                 manipulerad. {RESAVE_IN_EXCEL}"
            ),
            P::OversizedStructure => write!(
                f,
                "Arbetsbokens formatmallar, relationer eller bladlista är orimligt stora (den kan vara skadad eller \
                 manipulerad). {RESAVE_IN_EXCEL}"
            ),
            P::TooDeep { part } => write!(
                f,
                "Arbetsboken innehåller XML som är orimligt djupt nästlad (i delen {part}); den är skadad eller inte \
                 skapad av Excel. {RESAVE_IN_EXCEL}"
            ),
            P::Parser { why, detail } => {
                let why = match why {
                    ParserTrouble::NotUtf8 => "den innehåller text som inte är giltig UTF-8, så den är inte sparad av Excel",
                    ParserTrouble::Damaged => "en del av filen är skadad",
                    ParserTrouble::Password => "den är lösenordsskyddad",
                    ParserTrouble::PartMissing => "en del som en arbetsbok ska ha saknas",
                    ParserTrouble::Other => "den är skadad eller inte sparad av Excel",
                };
                write!(
                    f,
                    "Arbetsboken går inte att läsa: {why} ({detail}). Öppna den i Excel, spara som .xlsx och lägg in \
                     den igen."
                )
            }
            P::CellOutsideGrid { sheet, row, col } => write!(
                f,
                "Bladet «{sheet}» har en cell utanför Excels rutnät (rad {row}, kolumn {col}); arbetsboken är skadad \
                 eller inte skapad av Excel. {RESAVE_IN_EXCEL}"
            ),
            P::CellTextTooLong { sheet, cell, max } => write!(
                f,
                "Cellen {cell} i bladet «{sheet}» innehåller mer text än Excel tillåter i en cell ({max} tecken); \
                 arbetsboken är skadad eller inte skapad av Excel. {RESAVE_IN_EXCEL}"
            ),
            P::TooMuchText { max_mb } => write!(
                f,
                "Arbetsboken innehåller för mycket text för en månads redovisning (över {max_mb} MB i de lästa bladen). \
                 Ta bort överflödiga rader och spara på nytt."
            ),
            P::TooManyCells { sheet, max } => write!(
                f,
                "Bladet «{sheet}» innehåller för mycket för en månads redovisning (högst {max} ifyllda celler i \
                 arbetsboken). Ta bort överflödiga rader och spara på nytt."
            ),
            P::TooManyRows { sheet, max } => write!(
                f,
                "Bladet «{sheet}» innehåller för mycket för en månads redovisning (högst {max} rader). Ta bort \
                 överflödiga rader och spara på nytt."
            ),
            P::Io(e) => write!(
                f,
                "Filen kan inte läsas från disken ({e}). Kontrollera att filen går att öppna och att den inte är \
                 låst eller flyttad, och kör igen."
            ),
            P::Panicked => f.write_str(
                "Arbetsboken är skadad på ett sätt som gör att den inte kan läsas. Spara den på nytt som .xlsx i Excel.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_have_a_decimal_comma() {
        let m =
            Message::BadCell { header: "Belopp".into(), problem: CellProblem::TooManyDecimals(Decimal::new(12345, 3)) };
        assert_eq!(m.text(), "Belopp: beloppet 12,345 har fler än två decimaler; ange kronor och ören.");
        let m = Message::IndexationOverflow { name: "Anna".into(), steps: 3, indexation: Decimal::new(240, 2) };
        assert!(m.text().contains("3 gånger med 2,4 % per år"), "{}", m.text());
    }

    #[test]
    fn a_correction_says_what_changed_and_what_happens_to_it() {
        let month = Month::new(2025, 1).unwrap_or(Month::MIN);
        let delta = Delta {
            total: Decimal::new(-146176, 2),
            staff: Decimal::new(-104411, 2),
            flat_rate: Decimal::new(-41765, 2),
            other: Decimal::ZERO,
            hours: Decimal::new(-25, 1),
        };
        let gone = Message::Corrected {
            month,
            claim: Some(1),
            revision: Revision::Gone { path: "x/2025-01.xlsx".into(), sha256: "0123456789abcdef".into() },
            delta: delta.clone(),
            held: false,
            changes: Vec::new(),
        };
        let text = gone.text();
        assert!(text.starts_with("2025-01 ingick i ansökan 1 med arbetsboken x/2025-01.xlsx (SHA-256 0123456789ab…)"));
        assert!(text.contains("Lägg tillbaka arbetsboken om den försvann av misstag"));
        let held = Message::Corrected {
            month,
            claim: None,
            revision: Revision::Unchanged { path: "x/2025-01.xlsx".into() },
            delta,
            held: true,
            changes: Vec::new(),
        };
        let text = held.text();
        assert!(text.starts_with("2025-01 ingick i en inskickad ansökan. Arbetsboken x/2025-01.xlsx är oförändrad"));
        assert!(text.ends_with("den tas inte med i den här ansökan utan väntar till en senare."));
        assert_eq!(held.code(), Code::ChangedAfterClaim);
        assert_eq!(held.severity(), Severity::Warning);
    }

    #[test]
    fn warnings_of_error_codes_are_warnings() {
        let m =
            Message::UnknownMainActivityIgnored { code: "9.9".into(), known: vec!["1.1".into()], name: "Anna".into() };
        assert_eq!((m.code(), m.severity()), (Code::UnknownActivity, Severity::Warning));
        assert_eq!(
            m.text(),
            "Aktiviteten «9.9» finns inte i projektets aktivitetsplan. Använd en av: 1.1. Huvudaktivitet används inte \
             för Anna, som redovisar tid i Tidrapport; tiden räknas."
        );
        let m = Message::UnknownActivity { code: "9.9".into(), known: vec!["1.1".into()] };
        assert_eq!((m.code(), m.severity()), (Code::UnknownActivity, Severity::Error));
    }
}
