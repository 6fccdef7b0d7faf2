//! The reconciled model: every figure the claim workbook, the reports, the receipts and
//! `summary.json` show, computed once by [`super::reconcile`]. Renderers only format these.
//!
//! Amounts are exact [`Decimal`] kronor, already rounded by the rules (öre); hours are exact
//! decimals, shown with two decimals by the renderers. "Period" figures are what this claim
//! takes: the months of its period `from`–`to`, plus the late months and corrections of earlier
//! months it carries ([`Adjustment`]). "Cumulative" figures are what the submitted claims
//! counted plus this claim, so the claims always add up.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::finding::{Code, Finding, Severity};
use crate::intake::Status;
use crate::ledger::{ClaimedMonth, LineKind, PersonAmounts};
use crate::month::Month;
use crate::project::{FinancierKind, FlatRateModel};

/// The claim period, whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

impl Period {
    pub fn contains(&self, m: Month) -> bool {
        self.from <= m && m <= self.to
    }
    /// `2025-01_2025-03`, as in output file names.
    pub fn slug(&self) -> String {
        format!("{}_{}", self.from, self.to)
    }
}

/// Costs of one organisation in one span, by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    /// Personalkostnader: lön + lönebikostnad.
    pub staff: Decimal,
    /// Schablon (40 % model) or indirekta kostnader (15 % model).
    pub flat_rate: Decimal,
    /// Övriga kostnader (15 % model only).
    pub other: Decimal,
}

impl Amounts {
    pub fn total(&self) -> Decimal {
        self.staff + self.flat_rate + self.other
    }
}

/// Approved budget and share used, for one line of budget follow-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BudgetUse {
    pub budget: Decimal,
    /// Cumulative ÷ budget; `None` when the budget is 0.
    pub used: Option<Decimal>,
}

impl BudgetUse {
    pub fn new(cumulative: Decimal, budget: Decimal) -> BudgetUse {
        BudgetUse { budget, used: (!budget.is_zero()).then(|| cumulative / budget) }
    }
}

/// A partner (projektpart) or co-financier (medfinansiär) with its figures.
#[derive(Debug, Clone)]
pub struct OrgFigures {
    pub folder: String,
    pub name: String,
    pub org_nr: String,
    /// A co-financier giving time in kind (its costs are `bidrag i annat än pengar`).
    pub in_kind: bool,
    /// Public or private (co-financiers); partners are public here.
    pub kind: FinancierKind,
    /// In the project file. An organisation that left it keeps what it claimed in every
    /// cumulative figure, with no budget and no new months.
    pub in_file: bool,
    /// First and last month in the decision (`from` / `until`), when the file gives them.
    pub from: Option<Month>,
    pub until: Option<Month>,
    /// On-cost rate as a fraction, in force in the period's last month.
    pub on_cost_rate: Decimal,
    /// Flat-rate model and rate (a fraction), in force in the period's last month.
    pub flat_model: FlatRateModel,
    pub flat_rate: Decimal,
    pub period: Amounts,
    pub cumulative: Amounts,
    /// Hours costed.
    pub hours_period: Decimal,
    pub hours_cumulative: Decimal,
    /// Budget per category (for a co-financier: its in-kind budget as staff).
    pub budget_staff: BudgetUse,
    pub budget_flat_rate: BudgetUse,
    pub budget_other: BudgetUse,
    pub budget_total: BudgetUse,
    /// Months of the period with an accepted workbook.
    pub months_reported: Vec<Month>,
    /// Months from the project's start to the period's end that count (a claim took them, this
    /// claim takes them, or they count in the cumulative figures), and how many months that
    /// span has: the final report's months over the whole project.
    pub months_counted: u32,
    pub months_due: u32,
}

impl OrgFigures {
    /// The organisation's time in the decision in Swedish, when it is not the whole project:
    /// `från 2024-04`, `till 2025-12`, `2024-04 – 2025-12`, or `inte längre i beslutet` for an
    /// organisation that left the project file.
    pub fn months_in_decision(&self) -> Option<String> {
        match (self.in_file, self.from, self.until) {
            (false, _, _) => Some("inte längre i beslutet".to_string()),
            (true, Some(from), Some(until)) => Some(format!("{from} – {until}")),
            (true, Some(from), None) => Some(format!("från {from}")),
            (true, None, Some(until)) => Some(format!("till {until}")),
            (true, None, None) => None,
        }
    }
}

/// What a `Personal` line concerns: the claim period, a late month, or a correction of a month
/// an earlier claim counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Concerns {
    Period,
    Late(Month),
    Correction(Month),
}

/// One line of the `Personal` sheet: a person, in the period, at one hourly rate.
///
/// When a person's rate is indexed inside the period there is one line per rate, as Min ansökan
/// computes cost per rate. A late month gets lines of its own, and a correction one line per
/// person with the difference (hours and costs may be negative).
#[derive(Debug, Clone)]
pub struct StaffLine {
    pub folder: String,
    pub org_name: String,
    pub in_kind: bool,
    pub kind: FinancierKind,
    pub name: String,
    /// Canonical `YYYYMMDD-NNNN`: the claim workbook only, never a report or receipt.
    pub personnummer: String,
    pub role: String,
    pub start: NaiveDate,
    /// Månadslön, the basis from the person's first month.
    pub monthly_salary: Decimal,
    /// Timpris: monthly salary × 12 / 1 720 × indexation, exact (shown with two decimals);
    /// `None` on a correction line of a person no longer reported.
    pub hourly_rate: Option<Decimal>,
    /// Whole 12-month indexation steps applied.
    pub index_steps: u32,
    pub first_month: Month,
    pub last_month: Month,
    pub hours: Decimal,
    /// Lön (sum of the monthly amounts, each rounded to öre).
    pub salary_cost: Decimal,
    /// Lönebikostnad % as a fraction.
    pub on_cost_rate: Decimal,
    pub on_cost: Decimal,
    /// Personalkostnad = lön + lönebikostnad.
    pub staff_cost: Decimal,
    pub concerns: Concerns,
    /// The claim in which the person (with this organisation) was first counted: registered in
    /// Min ansökan then. `None`: new in this claim, to be registered.
    pub registered_in: Option<u32>,
}

/// A late month or a correction carried by this claim (`summary.json` `adjustments`, the claim
/// workbook's `Tidigare månader`).
#[derive(Debug, Clone)]
pub struct Adjustment {
    /// [`LineKind::Late`] or [`LineKind::Correction`].
    pub kind: LineKind,
    pub folder: String,
    pub org_name: String,
    pub org_nr: String,
    /// A co-financier's month (its value is `bidrag i annat än pengar`).
    pub in_kind: bool,
    pub month: Month,
    /// The submitted claim whose period holds the month.
    pub claim: Option<u32>,
    /// A correction held back: listed, not in this claim's figures.
    pub held: bool,
    /// Staff, flat rate and other costs of the month (late) or their difference (correction).
    pub amounts: Amounts,
    pub hours: Decimal,
    /// The workbook counting now (empty when none does) and, for a correction, the one counted
    /// before.
    pub path: String,
    pub sha256: String,
    pub previous_path: String,
    pub previous_sha256: String,
    /// Per person (the claim workbook only shows the personnummer).
    pub persons: Vec<PersonAmounts>,
    /// For a correction: the change decisions whose retroactive values it carries.
    pub changes: Vec<String>,
}

impl Adjustment {
    /// Bidrag i annat än pengar: the whole amount for a co-financier, 0 for a partner.
    pub fn in_kind_value(&self) -> Decimal {
        if self.in_kind { self.amounts.total() } else { Decimal::ZERO }
    }
}

/// How an organisation's month stands after this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MonthState {
    /// Counted in the given earlier claim, unchanged.
    Claimed(u32),
    /// A month of this claim's period, counted.
    Counted,
    /// A late month, counted in this claim.
    Late,
    /// A claimed month whose difference this claim carries.
    Corrected,
    /// A claimed month whose difference is held back.
    CorrectionHeld,
    /// Before the period and in no claim, counted only in the cumulative figures.
    Outside,
    /// Outside the organisation's months in the decision (`from` / `until`), not claimed.
    NotInDecision,
    /// The workbook that would count lacks attestation.
    NotAttested,
    /// Workbooks came, but none can count (see the receipt).
    Rejected,
    /// No workbook.
    Missing,
}

impl MonthState {
    /// Swedish, for receipts and status pages: what became of the month. `this` is this claim's
    /// number.
    pub fn describe(self, this: u32) -> String {
        match self {
            MonthState::Claimed(seq) => format!("ingår i ansökan {seq}"),
            MonthState::Counted => format!("räknas i denna ansökan (nr {this})"),
            MonthState::Late => format!("sen månad – tas med i denna ansökan (nr {this})"),
            MonthState::Corrected => format!("rättad – skillnaden tas med i denna ansökan (nr {this})"),
            MonthState::CorrectionHeld => "rättad – skillnaden hålls inne till en senare ansökan".to_string(),
            MonthState::Outside => "före perioden och i ingen ansökan".to_string(),
            MonthState::NotInDecision => "utanför partens tid i beslutet".to_string(),
            MonthState::NotAttested => "saknar attest – tas med i en ansökan när den är attesterad".to_string(),
            MonthState::Rejected => "avvisad – tas med i en ansökan när den är rättad".to_string(),
            MonthState::Missing => "saknas – tas med i en ansökan när den kommer".to_string(),
        }
    }

    /// Whether the month counts: a claim took it, this claim takes it, or it counts in the
    /// cumulative figures.
    /// Whether the organisation owed a workbook for the month: every month but those outside
    /// its months in the decision.
    pub fn due(self) -> bool {
        self != MonthState::NotInDecision
    }

    pub fn counts(self) -> bool {
        matches!(
            self,
            MonthState::Claimed(_)
                | MonthState::Counted
                | MonthState::Late
                | MonthState::Corrected
                | MonthState::CorrectionHeld
                | MonthState::Outside
        )
    }

    /// Short Swedish label (one or two words).
    pub fn label(self) -> &'static str {
        match self {
            MonthState::Claimed(_) => "inskickad",
            MonthState::Counted => "räknas",
            MonthState::Late => "sen",
            MonthState::Corrected => "rättad",
            MonthState::CorrectionHeld => "rättelse inne",
            MonthState::Outside => "utanför",
            MonthState::NotInDecision => "ej i beslutet",
            MonthState::NotAttested => "ej attesterad",
            MonthState::Rejected => "avvisad",
            MonthState::Missing => "saknas",
        }
    }
}

/// One organisation's month in the status grid.
#[derive(Debug, Clone)]
pub struct MonthCell {
    pub month: Month,
    pub state: MonthState,
    /// The workbook that counts (or, when none does, the one rejected).
    pub file: Option<String>,
}

/// An organisation's months from the project's start to the period's end.
#[derive(Debug, Clone)]
pub struct OrgMonths {
    pub folder: String,
    pub cells: Vec<MonthCell>,
}

/// A change decision of the change log (*ändringsbeslut*), as the claim workbook and the
/// reports list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    /// The decision's number or name.
    pub number: String,
    pub decided: NaiveDate,
    /// What changed (the project file's free text).
    pub what: String,
    /// Swedish, when the change re-prices claimed months: `Retroaktivt från 2025-01:
    /// lönebikostnad för Sollefteå kommun.`
    pub retroactive: Option<String>,
    /// The claim under which it came into force: the first submitted claim that recorded it, or
    /// this claim.
    pub claim: u32,
    /// Whether that claim is submitted (else it is this one).
    pub submitted: bool,
}

/// A submitted claim, as the ledger has it.
#[derive(Debug, Clone, Copy)]
pub struct EarlierClaim {
    pub seq: u32,
    pub from: Month,
    pub to: Month,
    pub eligible: Decimal,
    pub support: Decimal,
}

/// An activity (or work package) with its budget follow-up.
#[derive(Debug, Clone)]
pub struct ActivityFigures {
    pub code: String,
    pub name: String,
    /// Work package code (same as `code` for a work package line).
    pub work_package: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub period: Decimal,
    pub cumulative: Decimal,
    pub hours_period: Decimal,
    pub hours_cumulative: Decimal,
    pub budget: BudgetUse,
}

/// One activity's cost by organisation, for the reports' per-partner tables.
#[derive(Debug, Clone)]
pub struct ActivityOrgCost {
    pub code: String,
    pub folder: String,
    pub period: Decimal,
    pub cumulative: Decimal,
}

/// Project totals for the period and cumulatively.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub staff: Decimal,
    pub flat_rate: Decimal,
    pub other: Decimal,
    /// Bidrag i annat än pengar.
    pub in_kind: Decimal,
    pub in_kind_public: Decimal,
    pub in_kind_private: Decimal,
    /// Stödgrundande: partners' costs plus in kind.
    pub eligible: Decimal,
    /// Support rate as a fraction.
    pub support_rate: Decimal,
    /// trunc2(eligible × rate) before the cap.
    pub support_uncapped: Decimal,
    /// Support claimed in this period, after the cap.
    pub support: Decimal,
    pub hours: Decimal,
    /// Summa kostnader: the partners' staff costs, flat rate and other costs (in kind excluded).
    pub costs: Decimal,
}

/// Support figures across claims.
#[derive(Debug, Clone, Default)]
pub struct SupportFigures {
    pub approved: Decimal,
    /// Claimed in submitted claims (the ledger).
    pub claimed_before: Decimal,
    /// Claimed before plus this period.
    pub claimed_total: Decimal,
    /// Approved minus claimed total.
    pub remaining: Decimal,
    /// Whether the cap cut this period's support.
    pub capped: bool,
    /// The submitted claims before this one.
    pub earlier: Vec<EarlierClaim>,
    /// This claim's eligible costs: its own period's months, late months, corrections taken,
    /// and corrections held back (not in the claim).
    pub eligible_period: Decimal,
    pub eligible_late: Decimal,
    pub eligible_corrections: Decimal,
    pub eligible_held: Decimal,
    /// Eligible costs of the earlier claims and this one together.
    pub eligible_all_claims: Decimal,
}

/// Sums over the late months and corrections a claim takes (held corrections not included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdjustmentTotals {
    pub hours: Decimal,
    pub staff: Decimal,
    pub flat_rate: Decimal,
    pub other: Decimal,
    pub in_kind: Decimal,
    pub eligible: Decimal,
}

/// An indicator against its target (`docs/rules.md`, "Indicators").
#[derive(Debug, Clone)]
pub struct IndicatorFigures {
    pub name: String,
    pub code: String,
    pub kind: String,
    pub unit: String,
    pub target: Decimal,
    /// What is new in this claim: the cumulative value less what the last submitted claim
    /// reported, so the claims' period values add up to the cumulative value.
    pub period: Decimal,
    /// From the project's start to the period's end; distinct things counted once.
    pub cumulative: Decimal,
    /// Participant registrations (`Deltagare` rows, one per participant and event) by gender,
    /// from the project's start to the period's end, where the indicator counts participants'
    /// organisations. Its own total ([`GenderCount::total`]) is what it splits, not the indicator.
    pub gender: Option<GenderCount>,
    /// Cumulative ÷ target in whole per cent, rounded down (449 of 450 is 99); `None` when the
    /// target is 0.
    pub percent_of_target: Option<Decimal>,
}

/// Participant registrations by gender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenderCount {
    pub women: u32,
    pub men: u32,
    pub not_stated: u32,
}

impl GenderCount {
    /// The registrations the split divides: women, men and not stated together.
    pub fn total(&self) -> u32 {
        self.women + self.men + self.not_stated
    }
}

/// How many findings of one code and severity a run has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingCount {
    pub severity: Severity,
    pub code: Code,
    pub count: u32,
}

/// What a line of the financing plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinancingRole {
    /// A cash financier's line in a partner's column: what it paid in.
    Cash,
    /// Another financier's line: in kind, or support.
    Line,
    /// A sum of the lines above it.
    Sum,
    /// Computed, not paid in: eligible costs less support and in kind, what cash co-financing
    /// has to cover. Shown apart and explained; Min ansökan takes the cash paid in.
    Remainder,
}

/// A line of the financing plan against the outcome.
#[derive(Debug, Clone)]
pub struct FinancingLine {
    pub role: FinancingRole,
    /// Swedish heading of the line, e.g. `Offentlig kontant medfinansiering`.
    pub label: String,
    pub financier: String,
    pub plan: Decimal,
    /// Outcome in the period (what this claim takes) and cumulatively.
    pub period: Decimal,
    pub cumulative: Decimal,
}

/// Co-financing paid in from one cash financier of the plan, in one partner's column.
#[derive(Debug, Clone)]
pub struct CofinancingLine {
    pub financier: String,
    /// Empty when the project file does not give it.
    pub org_nr: String,
    pub kind: FinancierKind,
    /// The partner receiving the money (folder and name).
    pub folder: String,
    pub partner: String,
    /// Money from someone other than the project's partners: booked separately.
    pub external: bool,
    /// Beslutat: the amount in the financing plan.
    pub decided: Decimal,
    /// Paid in as this claim takes it: the period's months, late months and corrections.
    pub paid_period: Decimal,
    /// Paid in as the submitted claims counted plus this claim.
    pub paid_cumulative: Decimal,
    /// Paid in (cumulative) ÷ decided; `None` when nothing was decided.
    pub share_decided: Option<Decimal>,
    /// The partner's claimed costs (cumulative) ÷ its approved budget; `None` without budget.
    pub share_claimed: Option<Decimal>,
    /// `share_claimed − share_decided` passes the project's `cofinancing_lag`.
    pub lagging: bool,
}

/// A sum of [`CofinancingLine`]s: per financier (over partners), per kind, or all.
#[derive(Debug, Clone)]
pub struct CofinancingTotal {
    /// The financier, or a Swedish label for a kind or the total.
    pub label: String,
    pub org_nr: String,
    pub kind: Option<FinancierKind>,
    pub external: bool,
    pub decided: Decimal,
    pub paid_period: Decimal,
    pub paid_cumulative: Decimal,
    pub share_decided: Option<Decimal>,
}

/// One payment of a partner's `Medfinansiering` in a month this claim takes: the transaction
/// list Tillväxtverket may ask to see.
#[derive(Debug, Clone)]
pub struct PaymentLine {
    pub folder: String,
    pub partner: String,
    pub financier: String,
    pub org_nr: String,
    pub kind: FinancierKind,
    pub external: bool,
    /// The workbook's month and how this claim takes it (period, late month, correction).
    pub month: Month,
    pub concerns: LineKind,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub voucher: String,
    pub comment: String,
    /// The workbook it comes from.
    pub file: String,
}

/// Co-financing paid in: per financier and partner, the sums, and the transactions.
#[derive(Debug, Clone, Default)]
pub struct Cofinancing {
    /// In partner order, then the plan's order within the partner's column.
    pub lines: Vec<CofinancingLine>,
    /// Per financier over all partners, in order of first appearance.
    pub by_financier: Vec<CofinancingTotal>,
    /// Public, then private.
    pub by_kind: Vec<CofinancingTotal>,
    pub total: Option<CofinancingTotal>,
    /// The payments of the months this claim takes, by partner, month and row.
    pub payments: Vec<PaymentLine>,
    /// The project's `cofinancing_lag`, as a fraction.
    pub lag_threshold: Decimal,
}

impl Cofinancing {
    /// The lines of one partner (folder).
    pub fn of_partner<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a CofinancingLine> + 'a {
        self.lines.iter().filter(move |l| l.folder == folder)
    }
}

/// Where a planned claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanState {
    /// A submitted claim (its number) covers the planned period's end.
    Submitted(u32),
    /// This run's period is the planned period.
    ThisClaim,
    /// Not submitted and its due date has passed.
    Overdue,
    /// Not submitted, not yet due.
    Upcoming,
}

/// A claim of the reporting plan and where it stands.
#[derive(Debug, Clone)]
pub struct PlannedClaimStatus {
    /// 1-based position in the plan.
    pub number: u32,
    pub from: Month,
    pub to: Month,
    pub due: NaiveDate,
    pub state: PlanState,
    /// Days from today to the due date (negative when passed). Depends on the clock: shown on
    /// the terminal and the status page, never written into a claim's outputs.
    pub days_left: i64,
    /// The ledger's claim that covers the planned period's end, whatever period this run is
    /// (a re-run or the final report of a submitted claim): a submitted claim is never late.
    pub submitted: Option<Submitted>,
}

/// A claim the ledger holds: its number and the day it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submitted {
    pub seq: u32,
    pub on: NaiveDate,
}

/// The project's reporting plan and where the project stands (empty plan: no plan).
#[derive(Debug, Clone, Default)]
pub struct ReportingStatus {
    pub claims: Vec<PlannedClaimStatus>,
    /// The plan's claim that is this run's period, if any.
    pub this_claim: Option<usize>,
    /// The first planned claim not submitted yet.
    pub next: Option<usize>,
    /// The date taken as today.
    pub today: Option<NaiveDate>,
}

impl ReportingStatus {
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }
}

/// One claim of the project, submitted or this one (the final report's claims over the project).
#[derive(Debug, Clone, Copy)]
pub struct ClaimRow {
    pub seq: u32,
    pub from: Month,
    pub to: Month,
    pub eligible: Decimal,
    pub support: Decimal,
    /// When the ledger recorded it; `None` for this claim when it is not submitted yet.
    pub submitted: Option<NaiveDate>,
}

/// The project's claims from its start: the submitted claims this one builds on, then this one.
/// Their sums are the cumulative figures to the öre: the ledger's claims plus this period.
#[derive(Debug, Clone, Default)]
pub struct ClaimsToDate {
    pub rows: Vec<ClaimRow>,
    pub eligible: Decimal,
    pub support: Decimal,
}

/// An organisation's months without a counting workbook.
#[derive(Debug, Clone)]
pub struct MissingMonths {
    pub folder: String,
    pub org_name: String,
    pub months: Vec<Month>,
}

/// How the final report stands on the day it is written (`redovisa final`).
#[derive(Debug, Clone, Default)]
pub struct Closing {
    /// Written with `--preliminary`, before the project's last month: every page says so.
    pub preliminary: bool,
    /// Months of the period not over on the day the report was written.
    pub unfinished: Vec<Month>,
    /// Months of the period that are over but have no counting workbook, per organisation.
    pub missing: Vec<MissingMonths>,
    /// This period is a submitted claim: the final report belongs to it.
    pub submitted: Option<Submitted>,
}

/// Near-identical lines of the partners' narratives condensed into one (the final report): the
/// latest wording, with who wrote it and in which months.
#[derive(Debug, Clone)]
pub struct DigestLine {
    pub text: String,
    /// Who wrote it (an organisation's name, for deviations with the activity: `Ånge kommun
    /// (aktivitet 1.1)`), in project order, with the months of its lines.
    pub sources: Vec<(String, Vec<Month>)>,
    pub latest: Month,
}

/// One activity's narratives condensed, the latest first.
#[derive(Debug, Clone, Default)]
pub struct ActivityDigest {
    /// The activity code as the partners wrote it (a code of the plan, or not).
    pub activity: String,
    pub done: Vec<DigestLine>,
    pub results: Vec<DigestLine>,
    /// Older lines left out because an organisation already has its few lines here.
    pub left_out: u32,
}

/// The partners' narratives condensed (the final report): what was done and seen per activity,
/// deviations over the whole project (they are seldom an activity's alone).
#[derive(Debug, Clone, Default)]
pub struct NarrativeDigest {
    pub activities: Vec<ActivityDigest>,
    pub deviations: Vec<DigestLine>,
    pub deviations_left_out: u32,
}

/// Cumulative cost at the end of one month, for the charts.
#[derive(Debug, Clone)]
pub struct MonthPoint {
    pub month: Month,
    /// Project total (partners' costs and in kind), cumulative.
    pub cumulative: Decimal,
    /// Per organisation in project order, cumulative.
    pub by_org: Vec<Decimal>,
}

/// What a partner wrote in `Lägesbeskrivning`, attributed.
#[derive(Debug, Clone)]
pub struct Narrative {
    pub month: Month,
    pub folder: String,
    pub org_name: String,
    pub activity: String,
    pub done: String,
    pub results: String,
    pub deviations: String,
}

/// An input file and what became of it.
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub path: String,
    pub folder: Option<String>,
    pub org_name: Option<String>,
    pub month: Option<Month>,
    pub version: Option<u32>,
    pub size: u64,
    /// Empty for files not read (ignored).
    pub sha256: String,
    pub status: Status,
    /// Swedish: why, when not simply used.
    pub note: String,
    /// What the file contributed (used files of months up to the period's end).
    pub contribution: Option<Contribution>,
}

/// Figures taken from one used workbook.
#[derive(Debug, Clone, Copy, Default)]
pub struct Contribution {
    pub persons: u32,
    pub hours: Decimal,
    pub staff_cost: Decimal,
    pub other_costs: Decimal,
    pub participants: u32,
    pub narratives: u32,
}

/// The reconciled result of a run.
#[derive(Debug, Clone)]
pub struct Figures {
    pub project_id: String,
    pub project_name: String,
    pub owner_name: String,
    pub project_start: NaiveDate,
    pub project_end: NaiveDate,
    pub period: Period,
    /// A claim requires attestation; a status run only reports it.
    pub claim: bool,
    /// Partners first, then co-financiers, in project order.
    pub orgs: Vec<OrgFigures>,
    /// `Personal` lines for the period, by organisation, name, rate.
    pub staff: Vec<StaffLine>,
    pub work_packages: Vec<ActivityFigures>,
    pub activities: Vec<ActivityFigures>,
    pub activity_orgs: Vec<ActivityOrgCost>,
    pub totals: Totals,
    pub cumulative: Totals,
    pub support: SupportFigures,
    pub indicators: Vec<IndicatorFigures>,
    pub financing: Vec<FinancingLine>,
    /// Co-financing paid in (`Medfinansiering`).
    pub cofinancing: Cofinancing,
    /// The reporting plan and where the project stands.
    pub reporting: ReportingStatus,
    /// From the project's start to the period's end.
    pub monthly: Vec<MonthPoint>,
    /// Narratives of the period (the final report: the whole project).
    pub narratives: Vec<Narrative>,
    /// Findings of the run, sorted; see `reconcile` for which months they cover.
    pub findings: Vec<Finding>,
    pub files: Vec<FileRecord>,
    /// The latest attestation date among used workbooks (document timestamps come from here).
    pub latest_attestation: Option<NaiveDate>,
    /// The approved budget by cost category against the cumulative outcome.
    pub budget: ProjectBudget,
    /// Sums of the partners' `Personal` lines of the period.
    pub staff_totals: StaffTotals,
    /// Sums of the co-financiers' (in kind) `Personal` lines of the period.
    pub in_kind_staff_totals: StaffTotals,
    /// Sums over the activity plan (all work packages).
    pub plan_totals: PlanTotals,
    /// Programme (program) and specific objective (specifikt mål), for the reports.
    pub programme: String,
    pub specific_objective: String,
    /// Summa kostnader: the partners' approved budgets against their cumulative costs.
    pub costs_budget: BudgetLine,
    /// The run's findings counted by severity and code (errors first, then code order).
    pub finding_counts: Vec<FindingCount>,
    /// The number this claim gets when it is submitted.
    pub claim_seq: u32,
    /// Late months and corrections this claim carries (held corrections included, marked).
    pub adjustments: Vec<Adjustment>,
    /// Sums of the adjustments taken.
    pub adjustment_totals: AdjustmentTotals,
    /// What this claim counts per organisation and month, as `submit` records it in the ledger.
    pub lines: Vec<ClaimedMonth>,
    /// Every organisation's months from the project's start to the period's end.
    pub months: Vec<OrgMonths>,
    /// The claims from the project's start, this one included, with their sums.
    pub claims_to_date: ClaimsToDate,
    /// The final report's day: what is unfinished or missing (`None` outside `final`).
    pub closing: Option<Closing>,
    /// The narratives condensed (the final report; empty otherwise).
    pub digest: NarrativeDigest,
    /// The change log (ändringsbeslut), in the project file's order.
    pub changes: Vec<ChangeEntry>,
    /// The submitted claims this run's period is, when it is run again (empty otherwise).
    pub submitted_as: Vec<u32>,
    /// The claim's attachments: time reports, certificates, what to upload per organisation.
    pub attachments: super::attachments::Attachments,
}

impl Figures {
    /// Whether any finding is an error (exit status 1).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// Partners (not co-financiers).
    pub fn partners(&self) -> impl Iterator<Item = &OrgFigures> {
        self.orgs.iter().filter(|o| !o.in_kind)
    }

    /// Co-financiers giving time in kind.
    pub fn cofinanciers(&self) -> impl Iterator<Item = &OrgFigures> {
        self.orgs.iter().filter(|o| o.in_kind)
    }

    /// The date documents are stamped with: the latest attestation, else the period's last day.
    pub fn document_date(&self) -> NaiveDate {
        self.latest_attestation.unwrap_or_else(|| self.period.to.last_day())
    }
}

/// An approved budget line with what remains of it after the cumulative outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BudgetLine {
    pub budget: Decimal,
    /// Cumulative ÷ budget; `None` when the budget is 0.
    pub used: Option<Decimal>,
    /// Återstår: budget minus cumulative (negative when the budget is passed).
    pub remaining: Decimal,
}

impl BudgetLine {
    pub fn new(cumulative: Decimal, budget: Decimal) -> BudgetLine {
        BudgetLine { budget, used: BudgetUse::new(cumulative, budget).used, remaining: budget - cumulative }
    }
}

/// The approved budget of the whole project by cost category against the cumulative outcome
/// (the claim workbook's `Sammanställning`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectBudget {
    /// Personalkostnader (partners).
    pub staff: BudgetLine,
    /// Schablon / indirekta kostnader (partners).
    pub flat_rate: BudgetLine,
    /// Övriga kostnader (partners).
    pub other: BudgetLine,
    /// Bidrag i annat än pengar (co-financiers).
    pub in_kind: BudgetLine,
    /// All categories: the approved total costs against cumulative eligible costs.
    pub total: BudgetLine,
}

/// Sums of `Personal` lines ([`StaffLine`]) of the period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaffTotals {
    pub hours: Decimal,
    /// Lön.
    pub salary_cost: Decimal,
    /// Lönebikostnad.
    pub on_cost: Decimal,
    /// Personalkostnad.
    pub staff_cost: Decimal,
}

/// Sums over the activity plan: every work package together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanTotals {
    pub period: Decimal,
    pub cumulative: Decimal,
    pub hours_period: Decimal,
    pub hours_cumulative: Decimal,
    pub budget: BudgetUse,
}
