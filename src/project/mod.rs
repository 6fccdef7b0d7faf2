//! The approved project: `project.toml`, read once, checked, and handed to every stage.
//!
//! The file holds what Tillväxtverket decided: the project's dates, support rate and approved
//! support, each partner's on-cost rate, flat-rate model and budget, the co-financiers giving
//! time in kind, the financing plan, the work packages with their activities, and the indicators.
//! [`Project::load`] parses and checks it; [`Project::validate`] adds every sum-against-parts
//! check of `redovisa validate` as findings-like [`Issue`]s. The rest of the program trusts a
//! loaded [`Project`].
//!
//! This module holds the schema and the look-ups; [`file`] reads the file (bounded, UTF-8,
//! errors in Swedish with line and key), [`decision`] the values that change during the project
//! (dated rates, `from` / `until`, the change log), [`validate`] the checks, [`against_ledger`]
//! the file against the submitted claims, [`print`] the approved budget as `redovisa validate`
//! prints it.

mod against_ledger;
mod decision;
mod file;
mod print;
mod validate;

pub use decision::{Change, Dated, RateKey, Rates, Retroactive, parse_key};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::OrgNr;
use crate::money::{percent, round2, sv_kr_whole};
use crate::month::Month;

/// Reads a decimal from a TOML integer, float or string (`40.15`, `"40,15"`, `12752293`).
///
/// TOML floats arrive as binary floating point; they are turned back into the decimal the user
/// typed through their shortest round-trip text, the one place a float touches money here.
fn de_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumLike {
        Int(i64),
        Float(f64),
        Text(String),
    }
    let d: Decimal =
        match NumLike::deserialize(d)? {
            NumLike::Int(i) => Decimal::from(i),
            NumLike::Float(f) if !f.is_finite() => {
                return Err(serde::de::Error::custom(format!("«{f}» är inget tal")));
            }
            NumLike::Float(f) => f.to_string().parse().map_err(|_| {
                serde::de::Error::custom(format!("talet {f} är orimligt stort; ange ett belopp i kronor"))
            })?,
            NumLike::Text(s) => crate::money::parse_sv_number(&s)
                .ok_or_else(|| serde::de::Error::custom(format!("«{s}» är inget tal")))?,
        };
    // Every number of the project file is bounded here, at the border, so that no sum or
    // product of them can overflow exact decimal arithmetic later (two support values of 7·10²⁸
    // used to overflow an addition in `validate`). The error names the key: the TOML error
    // shows the line it is on.
    if d.abs() >= Decimal::from(MAX_NUMBER) {
        return Err(serde::de::Error::custom(format!(
            "talet {d} är orimligt stort (högst 999 999 999 999 999); kontrollera värdet"
        )));
    }
    Ok(d)
}

/// Largest magnitude of any number in the project file: 10¹⁵, as for workbook cells.
const MAX_NUMBER: i64 = 1_000_000_000_000_000;

/// Highest yearly indexation accepted, percent.
const MAX_INDEXATION: i64 = 100;

/// Longest project accepted, years (a programme period is seven).
const MAX_PROJECT_YEARS: i32 = 30;

fn de_opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    de_decimal(d).map(Some)
}

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateLike {
        Toml(toml::value::Datetime),
        Text(String),
    }
    let text = match DateLike::deserialize(d)? {
        DateLike::Toml(dt) => dt.to_string(),
        DateLike::Text(s) => s,
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| serde::de::Error::custom(format!("«{text}» är inget datum på formen ÅÅÅÅ-MM-DD")))
}

/// The `[project]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectInfo {
    /// Tillväxtverket's ärende-/ansökans-id.
    pub id: String,
    pub name: String,
    /// Folder of the project owner (stödmottagare), one of the partners.
    pub owner: String,
    #[serde(deserialize_with = "de_date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    pub end: NaiveDate,
    /// Support rate (stödandel) in percent of eligible costs.
    #[serde(deserialize_with = "de_decimal")]
    pub support_rate: Decimal,
    /// Approved support (beviljat stöd), kr.
    #[serde(deserialize_with = "de_decimal")]
    pub approved_support: Decimal,
    /// Yearly raise of the hourly unit cost, percent (2.4).
    #[serde(deserialize_with = "de_decimal", default = "default_indexation")]
    pub indexation: Decimal,
    /// Hours in a full-time year (1 720).
    #[serde(default = "default_hours_per_year")]
    pub hours_per_year: u32,
    /// Programme and specific objective, for the reports.
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub specific_objective: String,
    /// Inbox folder, relative to the project folder.
    #[serde(default = "default_inbox")]
    pub inbox: String,
    /// Output folder, relative to the project folder.
    #[serde(default = "default_output")]
    pub output: String,
    /// How many percentage points a cash financier's paid-in share may lag the share of the
    /// partner's budget already claimed before `COFINANCING_LAGGING` warns (10).
    #[serde(deserialize_with = "de_decimal", default = "default_cofinancing_lag")]
    pub cofinancing_lag: Decimal,
}

fn default_cofinancing_lag() -> Decimal {
    Decimal::TEN
}

fn default_indexation() -> Decimal {
    Decimal::new(24, 1)
}
fn default_hours_per_year() -> u32 {
    1720
}
fn default_inbox() -> String {
    "inkorg".into()
}
fn default_output() -> String {
    "utdata".into()
}

/// A flat-rate model (schablon), CPR 2021/1060.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlatRateModel {
    /// Art. 56: up to 40 % of direct staff costs covers all remaining costs; no other costs.
    RemainingCosts,
    /// Art. 54(b): up to 15 % of direct staff costs for indirect costs, plus actual other costs.
    Indirect,
    /// No flat rate (co-financiers giving time).
    None,
}

/// A partner's flat rate: model and rate in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlatRate {
    pub model: FlatRateModel,
    #[serde(deserialize_with = "de_decimal", default)]
    pub rate: Decimal,
}

impl Default for FlatRate {
    fn default() -> FlatRate {
        FlatRate { model: FlatRateModel::None, rate: Decimal::ZERO }
    }
}

/// Budget per cost category, kr.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryBudget {
    /// Personal (staff costs including on-costs).
    #[serde(deserialize_with = "de_decimal", default)]
    pub staff: Decimal,
    /// Schablon / indirekta kostnader.
    #[serde(deserialize_with = "de_decimal", default)]
    pub flat_rate: Decimal,
    /// Övriga kostnader (15 % model only).
    #[serde(deserialize_with = "de_decimal", default)]
    pub other: Decimal,
}

impl CategoryBudget {
    pub fn total(&self) -> Decimal {
        self.staff + self.flat_rate + self.other
    }
}

/// One line of cash co-financing in a partner's column of the financing plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CashLine {
    pub financier: String,
    #[serde(deserialize_with = "de_decimal")]
    pub amount: Decimal,
    /// `public` (default) or `private`.
    #[serde(default)]
    pub kind: FinancierKind,
    /// The financier's organisationsnummer, to recognise its payments in `Medfinansiering`
    /// (optional: a partner's own money takes the partner's number; otherwise the name matches).
    #[serde(default)]
    pub org_nr: Option<OrgNr>,
}

/// One claim of the decision's reporting plan (`[[reporting]]`): the period it covers and the
/// day Tillväxtverket must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedClaim {
    pub from: Month,
    pub to: Month,
    #[serde(deserialize_with = "de_date")]
    pub due: NaiveDate,
}

/// Public or private money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FinancierKind {
    #[default]
    Public,
    Private,
}

impl FinancierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FinancierKind::Public => "public",
            FinancierKind::Private => "private",
        }
    }
    pub fn swedish(self) -> &'static str {
        match self {
            FinancierKind::Public => "offentlig",
            FinancierKind::Private => "privat",
        }
    }
}

/// A project partner (projektpart) that reports costs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Inbox folder name.
    pub folder: String,
    pub name: String,
    pub org_nr: OrgNr,
    /// Employer on-costs (lönebikostnader), percent of salary, dated ([`Dated`]).
    #[serde(deserialize_with = "decision::de_on_costs")]
    pub on_costs: Dated<Decimal>,
    /// Flat-rate model and rate, dated ([`Dated`]).
    #[serde(deserialize_with = "decision::de_flat_rate", default = "decision::default_flat_rate")]
    pub flat_rate: Dated<FlatRate>,
    /// First month in the decision (a partner that joins later); the project's start if absent.
    #[serde(default)]
    pub from: Option<Month>,
    /// Last month in the decision (a partner that leaves); the project's end if absent.
    #[serde(default)]
    pub until: Option<Month>,
    #[serde(default)]
    pub budget: CategoryBudget,
    #[serde(default)]
    pub cash: Vec<CashLine>,
    /// Support (stöd) budgeted in this partner's column.
    #[serde(deserialize_with = "de_decimal", default)]
    pub support: Decimal,
    /// Free text about assumptions in this entry (shown by `validate`).
    #[serde(default)]
    pub note: String,
}

/// A co-financier giving time in kind (bidrag i annat än pengar).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cofinancier {
    pub folder: String,
    pub name: String,
    pub org_nr: OrgNr,
    pub kind: FinancierKind,
    /// Employer on-costs, percent of salary, dated ([`Dated`]).
    #[serde(deserialize_with = "decision::de_on_costs")]
    pub on_costs: Dated<Decimal>,
    #[serde(deserialize_with = "de_decimal")]
    pub in_kind_budget: Decimal,
    /// Folder of the partner in whose budget column the in-kind contribution stands.
    pub counted_with: String,
    /// Flat rate on the in-kind staff costs; none unless the decision says otherwise.
    #[serde(deserialize_with = "decision::de_flat_rate", default = "decision::default_flat_rate")]
    pub flat_rate: Dated<FlatRate>,
    /// First and last month in the decision, as for a partner.
    #[serde(default)]
    pub from: Option<Month>,
    #[serde(default)]
    pub until: Option<Month>,
    /// Free text about assumptions in this entry (shown by `validate`).
    #[serde(default)]
    pub note: String,
}

/// An activity of the approved plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub code: String,
    pub name: String,
    #[serde(deserialize_with = "de_date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    pub end: NaiveDate,
    #[serde(deserialize_with = "de_decimal")]
    pub budget: Decimal,
}

/// A work package (arbetspaket) with its activities.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkPackage {
    pub code: String,
    pub name: String,
    #[serde(deserialize_with = "de_date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    pub end: NaiveDate,
    #[serde(deserialize_with = "de_decimal")]
    pub budget: Decimal,
    #[serde(default, rename = "activity")]
    pub activities: Vec<Activity>,
}

/// How an indicator's value is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Sum of the values partners report in `Indikatorer`.
    Reported,
    /// Distinct partners and co-financiers with an accepted workbook.
    Organisations,
    /// Distinct valid organisationsnummer among accepted `Deltagare` rows.
    ParticipantOrganisations,
}

/// An indicator with its target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: String,
    /// EU code where there is one, e.g. `RCO13`.
    #[serde(default)]
    pub code: String,
    /// `output` or `result`.
    pub kind: String,
    pub unit: String,
    #[serde(deserialize_with = "de_decimal")]
    pub target: Decimal,
    pub measure: Measure,
}

/// Totals as stated in the decision, checked against the sum of their parts.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatedTotals {
    #[serde(deserialize_with = "de_decimal")]
    pub costs: Decimal,
    #[serde(deserialize_with = "de_decimal")]
    pub in_kind: Decimal,
    #[serde(deserialize_with = "de_decimal")]
    pub total: Decimal,
    #[serde(deserialize_with = "de_decimal")]
    pub cofinancing: Decimal,
    #[serde(deserialize_with = "de_decimal")]
    pub support: Decimal,
}

/// `project.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    project: ProjectInfo,
    #[serde(rename = "partner")]
    partners: Vec<Partner>,
    #[serde(default, rename = "cofinancier")]
    cofinanciers: Vec<Cofinancier>,
    #[serde(rename = "work_package")]
    work_packages: Vec<WorkPackage>,
    #[serde(default, rename = "indicator")]
    indicators: Vec<Indicator>,
    totals: StatedTotals,
    #[serde(default, rename = "reporting")]
    reporting: Vec<PlannedClaim>,
    #[serde(default, rename = "change")]
    changes: Vec<Change>,
    #[serde(default, deserialize_with = "de_opt_decimal")]
    #[allow(dead_code)]
    version: Option<Decimal>,
}

/// Who reports in a folder: a partner with costs or a co-financier with time in kind.
#[derive(Debug, Clone, Copy)]
pub enum Org<'a> {
    Partner(&'a Partner),
    Cofinancier(&'a Cofinancier),
}

impl<'a> Org<'a> {
    pub fn folder(self) -> &'a str {
        match self {
            Org::Partner(p) => &p.folder,
            Org::Cofinancier(c) => &c.folder,
        }
    }
    pub fn name(self) -> &'a str {
        match self {
            Org::Partner(p) => &p.name,
            Org::Cofinancier(c) => &c.name,
        }
    }
    pub fn org_nr(self) -> &'a OrgNr {
        match self {
            Org::Partner(p) => &p.org_nr,
            Org::Cofinancier(c) => &c.org_nr,
        }
    }
    pub fn is_cofinancier(self) -> bool {
        matches!(self, Org::Cofinancier(_))
    }
}

/// A loaded, checked project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding `project.toml`.
    pub dir: PathBuf,
    pub info: ProjectInfo,
    pub partners: Vec<Partner>,
    pub cofinanciers: Vec<Cofinancier>,
    pub work_packages: Vec<WorkPackage>,
    pub indicators: Vec<Indicator>,
    pub totals: StatedTotals,
    /// The decision's reporting plan, in order (empty: no plan, the default periods apply).
    pub reporting: Vec<PlannedClaim>,
    /// The change log (`[[change]]`, ändringsbeslut), in file order.
    pub changes: Vec<Change>,
    /// SHA-256 of `project.toml` as read (recorded with each claim).
    pub sha256: String,
}

/// A cash financier of the financing plan, in one partner's column.
#[derive(Debug, Clone, Copy)]
pub struct CashFinancier<'a> {
    /// Index of the partner in [`Project::partners`] (and [`Project::orgs`]).
    pub partner: usize,
    pub line: &'a CashLine,
    /// The financier's organisationsnummer when known (its own, or the partner's for the
    /// partner's own money).
    pub org_nr: Option<&'a OrgNr>,
    /// Money from someone other than the project's partners: booked separately.
    pub external: bool,
}

/// A problem with the project file: an error stops every command, a warning is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub error: bool,
    /// The key the problem is about, e.g. `partner[2].org_nr`.
    pub key: String,
    /// Swedish.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.error { "fel" } else { "varning" };
        write!(f, "{kind}: {}: {}", self.key, self.message)
    }
}

/// Why a project could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("kan inte läsa {path}: {}", crate::sv::io_error(.source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} går inte att tolka: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path} innehåller fel:\n{}", .issues.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n"))]
    Invalid { path: PathBuf, issues: Vec<Issue> },
}

/// The project file's name inside a project folder.
pub const PROJECT_FILE: &str = "project.toml";

impl Project {
    /// Loads and checks `<dir>/project.toml`. Errors in the file are returned (naming the key);
    /// warnings are left for [`Project::validate`].
    pub fn load(dir: &Path) -> Result<Project, LoadError> {
        let path = dir.join(PROJECT_FILE);
        let text = file::read_text(&path)?;
        let project = Project::parse(dir, &text).map_err(|message| LoadError::Parse { path: path.clone(), message })?;
        let errors: Vec<Issue> = project.validate().into_iter().filter(|i| i.error).collect();
        if errors.is_empty() { Ok(project) } else { Err(LoadError::Invalid { path, issues: errors }) }
    }

    /// Reads and parses `<dir>/project.toml` without the sum checks (for `validate`, which shows
    /// every issue).
    pub fn parse_file(dir: &Path) -> Result<Project, LoadError> {
        let path = dir.join(PROJECT_FILE);
        let text = file::read_text(&path)?;
        Project::parse(dir, &text).map_err(|message| LoadError::Parse { path, message })
    }

    /// Parses project TOML text without the sum checks. The error is a Swedish message naming
    /// the line and key ([`file::parse`]).
    pub fn parse(dir: &Path, text: &str) -> Result<Project, String> {
        let file: ProjectFile = file::parse(text)?;
        let sha256 = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        Ok(Project {
            dir: dir.to_path_buf(),
            info: file.project,
            partners: file.partners,
            cofinanciers: file.cofinanciers,
            work_packages: file.work_packages,
            indicators: file.indicators,
            totals: file.totals,
            reporting: file.reporting,
            changes: file.changes,
            sha256,
        })
    }

    /// The inbox folder.
    pub fn inbox(&self) -> PathBuf {
        self.dir.join(&self.info.inbox)
    }

    /// The default output folder.
    pub fn output(&self) -> PathBuf {
        self.dir.join(&self.info.output)
    }

    pub fn start_month(&self) -> Month {
        Month::of(self.info.start)
    }

    pub fn end_month(&self) -> Month {
        Month::of(self.info.end)
    }

    /// Support rate as a fraction (0.3992).
    pub fn support_fraction(&self) -> Decimal {
        percent(self.info.support_rate)
    }

    /// Indexation per year as a factor (1.024).
    pub fn indexation_factor(&self) -> Decimal {
        Decimal::ONE + percent(self.info.indexation)
    }

    /// Every organisation that reports, partners first, in project-file order.
    pub fn orgs(&self) -> impl Iterator<Item = Org<'_>> {
        self.partners.iter().map(Org::Partner).chain(self.cofinanciers.iter().map(Org::Cofinancier))
    }

    /// The organisation reporting in `folder`.
    pub fn org_by_folder(&self, folder: &str) -> Option<Org<'_>> {
        self.orgs().find(|o| o.folder() == folder)
    }

    /// The organisation with this organisationsnummer.
    pub fn org_by_nr(&self, nr: &OrgNr) -> Option<Org<'_>> {
        self.orgs().find(|o| o.org_nr() == nr)
    }

    /// Every activity with its work package, in plan order.
    pub fn activities(&self) -> impl Iterator<Item = (&WorkPackage, &Activity)> {
        self.work_packages.iter().flat_map(|wp| wp.activities.iter().map(move |a| (wp, a)))
    }

    /// The activity with this code.
    pub fn activity(&self, code: &str) -> Option<&Activity> {
        self.activities().map(|(_, a)| a).find(|a| a.code == code)
    }

    /// Sum of the partners' cost budgets (summa kostnader).
    pub fn budget_costs(&self) -> Decimal {
        self.partners.iter().map(|p| p.budget.total()).sum()
    }

    /// Sum of the in-kind budgets (bidrag i annat än pengar).
    pub fn budget_in_kind(&self) -> Decimal {
        self.cofinanciers.iter().map(|c| c.in_kind_budget).sum()
    }

    /// Total cash co-financing (kontant medfinansiering).
    pub fn budget_cash(&self) -> Decimal {
        self.partners.iter().flat_map(|p| &p.cash).map(|c| c.amount).sum()
    }

    /// The cash financiers of partner `idx`'s column of the financing plan.
    pub fn cash_financiers(&self, idx: usize) -> Vec<CashFinancier<'_>> {
        let Some(p) = self.partners.get(idx) else { return Vec::new() };
        p.cash
            .iter()
            .map(|line| {
                let by_name = self.partners.iter().find(|q| crate::contract::same(&q.name, &line.financier));
                let org_nr = line.org_nr.as_ref().or(by_name.map(|q| &q.org_nr));
                let partner_nr = org_nr.is_some_and(|n| self.partners.iter().any(|q| &q.org_nr == n));
                CashFinancier { partner: idx, line, org_nr, external: !(partner_nr || by_name.is_some()) }
            })
            .collect()
    }

    /// The planned claim whose period starts with `from`.
    pub fn planned_from(&self, from: Month) -> Option<&PlannedClaim> {
        self.reporting.iter().find(|c| c.from == from)
    }

    /// How far the activities' budgets fall short of (negative) or pass the stated total costs,
    /// when that is within the application's rounding to whole kronor: at most 1 kr per
    /// activity, and not 0. `None` when they agree, or differ by more (a warning in `validate`).
    pub fn activity_rounding(&self) -> Option<Decimal> {
        let activities: Decimal = self.activities().map(|(_, a)| a.budget).sum();
        let diff = activities - self.totals.total;
        let tolerance = Decimal::from(self.activities().count());
        (!diff.is_zero() && diff.abs() <= tolerance).then_some(diff)
    }

    /// Budget per activity code, for lookups.
    pub fn activity_budgets(&self) -> BTreeMap<&str, Decimal> {
        self.activities().map(|(_, a)| (a.code.as_str(), a.budget)).collect()
    }
}
