//! The approved project: `project.toml`, read once, checked, and handed to every stage.
//!
//! The file holds what Tillväxtverket decided: the project's dates, support rate and approved
//! support, each partner's on-cost rate, flat-rate model and budget, the co-financiers giving
//! time in kind, the financing plan, the work packages with their activities, and the indicators.
//! [`Project::load`] parses and checks it; [`Project::validate`] adds every sum-against-parts
//! check of `redovisa validate` as findings-like [`Issue`]s. The rest of the program trusts a
//! loaded [`Project`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Copy, Deserialize)]
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
    /// Employer on-costs (lönebikostnader), percent of salary.
    #[serde(deserialize_with = "de_decimal")]
    pub on_costs: Decimal,
    #[serde(default)]
    pub flat_rate: FlatRate,
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
    #[serde(deserialize_with = "de_decimal")]
    pub on_costs: Decimal,
    #[serde(deserialize_with = "de_decimal")]
    pub in_kind_budget: Decimal,
    /// Folder of the partner in whose budget column the in-kind contribution stands.
    pub counted_with: String,
    /// Flat rate on the in-kind staff costs; none unless the decision says otherwise.
    #[serde(default)]
    pub flat_rate: FlatRate,
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
    /// On-cost rate as a fraction.
    pub fn on_cost_fraction(self) -> Decimal {
        percent(match self {
            Org::Partner(p) => p.on_costs,
            Org::Cofinancier(c) => c.on_costs,
        })
    }
    pub fn flat_rate(self) -> FlatRate {
        match self {
            Org::Partner(p) => p.flat_rate,
            Org::Cofinancier(c) => c.flat_rate,
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
    #[error("kan inte läsa {path}: {source}")]
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
        let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io { path: path.clone(), source })?;
        let project = Project::parse(dir, &text).map_err(|message| LoadError::Parse { path: path.clone(), message })?;
        let errors: Vec<Issue> = project.validate().into_iter().filter(|i| i.error).collect();
        if errors.is_empty() { Ok(project) } else { Err(LoadError::Invalid { path, issues: errors }) }
    }

    /// Reads and parses `<dir>/project.toml` without the sum checks (for `validate`, which shows
    /// every issue).
    pub fn parse_file(dir: &Path) -> Result<Project, LoadError> {
        let path = dir.join(PROJECT_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io { path: path.clone(), source })?;
        Project::parse(dir, &text).map_err(|message| LoadError::Parse { path, message })
    }

    /// The approved budget as text (Swedish), as `redovisa validate` prints it.
    pub fn describe(&self) -> String {
        use std::fmt::Write;
        let i = &self.info;
        let mut s = String::new();
        let kr = |d: Decimal| format!("{:>14}", sv_kr_whole(d));
        let _ = writeln!(s, "Projekt {} – {}", i.id, i.name);
        let owner = self.org_by_folder(&i.owner).map_or("?", |o| o.name());
        let _ = writeln!(
            s,
            "Projektägare {owner}, {} – {}, stödandel {}",
            i.start,
            i.end,
            crate::money::sv_percent(percent(i.support_rate), 2)
        );
        let _ = writeln!(s, "\nGodkänd budget per projektpart");
        let _ = writeln!(
            s,
            "{:<28}{:>14}{:>14}{:>14}{:>14}{:>14}",
            "Projektpart", "Personal", "Schablon", "Summa", "Kontant", "Stöd"
        );
        for p in &self.partners {
            let cash: Decimal = p.cash.iter().map(|c| c.amount).sum();
            let _ = writeln!(
                s,
                "{:<28}{}{}{}{}{}",
                p.name,
                kr(p.budget.staff),
                kr(p.budget.flat_rate),
                kr(p.budget.total()),
                kr(cash),
                kr(p.support)
            );
        }
        let _ = writeln!(s, "\nBidrag i annat än pengar");
        for c in &self.cofinanciers {
            let _ = writeln!(s, "{:<28}{} ({})", c.name, kr(c.in_kind_budget), c.kind.swedish());
        }
        let _ = writeln!(s, "\nAktiviteter");
        for (wp, a) in self.activities() {
            let _ = writeln!(s, "  {:<5} {:<44}{}  (AP {})", a.code, a.name, kr(a.budget), wp.code);
        }
        let _ = writeln!(s, "\nSummor");
        let _ = writeln!(s, "{:<32}{}", "Kostnader", kr(self.budget_costs()));
        let _ = writeln!(s, "{:<32}{}", "Bidrag i annat än pengar", kr(self.budget_in_kind()));
        let _ = writeln!(s, "{:<32}{}", "Totala kostnader", kr(self.budget_costs() + self.budget_in_kind()));
        let _ = writeln!(s, "{:<32}{}", "Medfinansiering", kr(self.budget_cash() + self.budget_in_kind()));
        let _ = writeln!(s, "{:<32}{}", "Stöd", kr(self.partners.iter().map(|p| p.support).sum()));
        if !self.reporting.is_empty() {
            let _ = writeln!(s, "\nRapporteringsplan (ansökningar om utbetalning)");
            for (i, c) in self.reporting.iter().enumerate() {
                let _ = writeln!(s, "  {:>2}. {} – {}  senast {}", i + 1, c.from, c.to, c.due);
            }
        }
        let notes: Vec<String> = self
            .orgs()
            .filter_map(|o| {
                let note = match o {
                    Org::Partner(p) => &p.note,
                    Org::Cofinancier(c) => &c.note,
                };
                (!note.is_empty()).then(|| format!("  {}: {note}", o.name()))
            })
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(s, "\nAntaganden att bekräfta");
            for n in notes {
                let _ = writeln!(s, "{n}");
            }
        }
        s.push('\n');
        s
    }

    /// Parses project TOML text without the sum checks.
    pub fn parse(dir: &Path, text: &str) -> Result<Project, String> {
        let file: ProjectFile = toml::from_str(text).map_err(|e| e.to_string())?;
        Ok(Project {
            dir: dir.to_path_buf(),
            info: file.project,
            partners: file.partners,
            cofinanciers: file.cofinanciers,
            work_packages: file.work_packages,
            indicators: file.indicators,
            totals: file.totals,
            reporting: file.reporting,
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
        let name_key = |s: &str| crate::contract::normalise(s);
        p.cash
            .iter()
            .map(|line| {
                let by_name = self.partners.iter().find(|q| name_key(&q.name) == name_key(&line.financier));
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

    /// All checks of the project file: every sum against its parts, identifiers, dates.
    pub fn validate(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        let mut err = |key: String, message: String| issues.push(Issue { error: true, key, message });
        let info = &self.info;
        if info.end <= info.start {
            err("project.end".into(), format!("slutdatum {} ligger inte efter startdatum {}", info.end, info.start));
        }
        if info.end.year() - info.start.year() > MAX_PROJECT_YEARS {
            err(
                "project.end".into(),
                format!(
                    "projektet {} – {} är längre än {MAX_PROJECT_YEARS} år; kontrollera datumen",
                    info.start, info.end
                ),
            );
        }
        if info.indexation < Decimal::ZERO || info.indexation > Decimal::from(MAX_INDEXATION) {
            err(
                "project.indexation".into(),
                format!("indexeringen {} % ska vara mellan 0 och {MAX_INDEXATION} % per år", info.indexation),
            );
        }
        if info.support_rate <= Decimal::ZERO || info.support_rate > Decimal::ONE_HUNDRED {
            err(
                "project.support_rate".into(),
                format!("stödandelen {} % ska vara mellan 0 och 100", info.support_rate),
            );
        }
        if info.hours_per_year == 0 {
            err("project.hours_per_year".into(), "timmar per år får inte vara 0".into());
        }
        if self.partners.is_empty() {
            err("partner".into(), "projektet saknar projektparter".into());
        }
        if !self.partners.iter().any(|p| p.folder == info.owner) {
            err("project.owner".into(), format!("«{}» är ingen projektparts mapp", info.owner));
        }
        let mut folders = BTreeSet::new();
        let mut numbers = BTreeSet::new();
        for (i, org) in self.orgs().enumerate() {
            let key = match org {
                Org::Partner(_) => format!("partner[{}]", i + 1),
                Org::Cofinancier(_) => format!("cofinancier[{}]", i + 1 - self.partners.len()),
            };
            if org.folder().is_empty() || org.folder().contains(['/', '\\']) || org.folder().starts_with('.') {
                err(format!("{key}.folder"), format!("«{}» duger inte som mappnamn", org.folder()));
            }
            if !folders.insert(org.folder()) {
                err(format!("{key}.folder"), format!("mappen «{}» används av två organisationer", org.folder()));
            }
            if !numbers.insert(org.org_nr().clone()) {
                err(format!("{key}.org_nr"), format!("organisationsnumret {} förekommer två gånger", org.org_nr()));
            }
            let on_costs = org.on_cost_fraction();
            if on_costs < Decimal::ZERO || on_costs > Decimal::ONE {
                err(format!("{key}.on_costs"), "lönebikostnaden ska vara mellan 0 och 100 %".into());
            }
            let fr = org.flat_rate();
            let max = match fr.model {
                FlatRateModel::RemainingCosts => Decimal::from(40),
                FlatRateModel::Indirect => Decimal::from(15),
                FlatRateModel::None => Decimal::ZERO,
            };
            if fr.rate < Decimal::ZERO || fr.rate > max {
                err(
                    format!("{key}.flat_rate.rate"),
                    format!("schablonen {} % är större än modellen tillåter ({max} %)", fr.rate),
                );
            }
        }
        for (i, c) in self.cofinanciers.iter().enumerate() {
            if !self.partners.iter().any(|p| p.folder == c.counted_with) {
                err(
                    format!("cofinancier[{}].counted_with", i + 1),
                    format!("«{}» är ingen projektparts mapp", c.counted_with),
                );
            }
        }
        if info.cofinancing_lag < Decimal::ZERO || info.cofinancing_lag > Decimal::ONE_HUNDRED {
            err(
                "project.cofinancing_lag".into(),
                format!("{} procentenheter ska vara mellan 0 och 100", info.cofinancing_lag),
            );
        }
        for (i, c) in self.reporting.iter().enumerate() {
            let key = format!("reporting[{}]", i + 1);
            if c.to < c.from {
                err(format!("{key}.to"), format!("perioden {} – {} slutar innan den börjar", c.from, c.to));
            }
            if c.from < self.start_month() || c.to > self.end_month() {
                err(
                    format!("{key}.from"),
                    format!(
                        "perioden {} – {} ligger utanför projektets tid {} – {}",
                        c.from,
                        c.to,
                        self.start_month(),
                        self.end_month()
                    ),
                );
            }
            if c.due < c.to.last_day() {
                err(
                    format!("{key}.due"),
                    format!("sista dag {} ligger före periodens slut {}", c.due, c.to.last_day()),
                );
            }
            if let Some(prev) = i.checked_sub(1).and_then(|j| self.reporting.get(j))
                && c.from <= prev.to
            {
                err(
                    format!("{key}.from"),
                    format!(
                        "perioden {} – {} ska börja efter föregående period {} – {} (i ordning, utan överlapp)",
                        c.from, c.to, prev.from, prev.to
                    ),
                );
            }
        }
        let mut codes = BTreeSet::new();
        for (w, wp) in self.work_packages.iter().enumerate() {
            let key = format!("work_package[{}]", w + 1);
            if wp.start < info.start || wp.end > info.end || wp.end < wp.start {
                err(
                    format!("{key}.end"),
                    format!("arbetspaket {} {}–{} ligger utanför projektets tid", wp.code, wp.start, wp.end),
                );
            }
            for (a, act) in wp.activities.iter().enumerate() {
                let akey = format!("{key}.activity[{}]", a + 1);
                if !codes.insert(act.code.as_str()) {
                    err(format!("{akey}.code"), format!("aktivitetskoden {} förekommer två gånger", act.code));
                }
                if !act.code.starts_with(&format!("{}.", wp.code)) {
                    err(
                        format!("{akey}.code"),
                        format!("aktivitet {} hör inte till arbetspaket {}", act.code, wp.code),
                    );
                }
                if act.start < info.start || act.end > info.end || act.end < act.start {
                    err(
                        format!("{akey}.end"),
                        format!("aktivitet {} {}–{} ligger utanför projektets tid", act.code, act.start, act.end),
                    );
                }
            }
        }
        self.check_sums(&mut issues);
        self.check_plan(&mut issues);
        issues
    }

    /// Warnings on a reporting plan that is valid but unusual: gaps between its periods, months
    /// of the project it leaves out, a last claim due after the project's last day.
    fn check_plan(&self, issues: &mut Vec<Issue>) {
        let Some(last) = self.reporting.last() else { return };
        let mut warn = |key: String, message: String| issues.push(Issue { error: false, key, message });
        for (i, pair) in self.reporting.windows(2).enumerate() {
            if pair[0].to < pair[1].from && pair[0].to.next() != pair[1].from {
                warn(
                    format!("reporting[{}].from", i + 2),
                    format!("månaderna {} – {} ingår i ingen planerad ansökan", pair[0].to.next(), pair[1].from.prev()),
                );
            }
        }
        if self.reporting[0].from != self.start_month() || last.to != self.end_month() {
            warn(
                "reporting".into(),
                format!(
                    "planen täcker {} – {}, projektet {} – {}",
                    self.reporting[0].from,
                    last.to,
                    self.start_month(),
                    self.end_month()
                ),
            );
        }
        if last.due > self.info.end {
            warn(
                format!("reporting[{}].due", self.reporting.len()),
                format!(
                    "sista ansökan ska enligt handboken vara inne senast projektets sista dag {}, planen säger {}",
                    self.info.end, last.due
                ),
            );
        }
    }

    /// The sum-against-parts checks, separate so the reader sees each rule once.
    fn check_sums(&self, issues: &mut Vec<Issue>) {
        let t = &self.totals;
        let mut sums = vec![
            sum_issue(true, "totals.costs", "projektparternas kostnader", t.costs, self.budget_costs()),
            sum_issue(true, "totals.in_kind", "bidrag i annat än pengar", t.in_kind, self.budget_in_kind()),
            sum_issue(true, "totals.total", "kostnader och bidrag i annat än pengar", t.total, t.costs + t.in_kind),
            sum_issue(
                true,
                "totals.cofinancing",
                "kontant medfinansiering och bidrag i annat än pengar",
                t.cofinancing,
                self.budget_cash() + self.budget_in_kind(),
            ),
            sum_issue(
                true,
                "totals.support",
                "stödet per projektpart",
                t.support,
                self.partners.iter().map(|p| p.support).sum(),
            ),
            sum_issue(true, "project.approved_support", "stödet enligt totals", self.info.approved_support, t.support),
            sum_issue(true, "totals.total", "medfinansiering och stöd", t.total, t.cofinancing + t.support),
        ];
        for (i, p) in self.partners.iter().enumerate() {
            let key = format!("partner[{}]", i + 1);
            let in_kind: Decimal =
                self.cofinanciers.iter().filter(|c| c.counted_with == p.folder).map(|c| c.in_kind_budget).sum();
            let financing = p.cash.iter().map(|c| c.amount).sum::<Decimal>() + in_kind + p.support;
            sums.push(sum_issue(
                true,
                &format!("{key}.support"),
                &format!("{}: finansieringen (kontant, annat än pengar, stöd)", p.name),
                p.budget.total() + in_kind,
                financing,
            ));
            if p.flat_rate.model != FlatRateModel::None {
                // The application rounds the flat rate to whole kronor.
                let expected = round2(p.budget.staff * percent(p.flat_rate.rate)).round();
                if (expected - p.budget.flat_rate).abs() > Decimal::ONE {
                    sums.push(sum_issue(
                        false,
                        &format!("{key}.budget.flat_rate"),
                        &format!("{}: personal × schablon {} %", p.name, p.flat_rate.rate),
                        p.budget.flat_rate,
                        expected,
                    ));
                }
            }
            if p.flat_rate.model == FlatRateModel::RemainingCosts && !p.budget.other.is_zero() {
                issues.push(Issue {
                    error: true,
                    key: format!("{key}.budget.other"),
                    message: format!("{} har 40 %-modellen och får inte budgetera övriga kostnader", p.name),
                });
            }
        }
        for (w, wp) in self.work_packages.iter().enumerate() {
            let sum: Decimal = wp.activities.iter().map(|a| a.budget).sum();
            sums.push(sum_issue(
                true,
                &format!("work_package[{}].budget", w + 1),
                &format!("aktiviteterna i arbetspaket {}", wp.code),
                wp.budget,
                sum,
            ));
        }
        // The application's activity plan need not add up to the budget to the krona: report it.
        let activities: Decimal = self.activities().map(|(_, a)| a.budget).sum();
        sums.push(sum_issue(false, "work_package", "aktiviteterna", t.total, activities));
        issues.extend(sums.into_iter().flatten());
        let rate =
            if t.total.is_zero() { Decimal::ZERO } else { (t.support / t.total * Decimal::ONE_HUNDRED).round_dp(2) };
        if rate != self.info.support_rate.round_dp(2) {
            issues.push(Issue {
                error: false,
                key: "project.support_rate".into(),
                message: format!("stöd / totala kostnader är {rate} %, inte {} %", self.info.support_rate),
            });
        }
    }

    /// Budget per activity code, for lookups.
    pub fn activity_budgets(&self) -> BTreeMap<&str, Decimal> {
        self.activities().map(|(_, a)| (a.code.as_str(), a.budget)).collect()
    }
}

/// An issue when `parts` does not add up to `stated`, saying by how much.
fn sum_issue(error: bool, key: &str, what: &str, stated: Decimal, parts: Decimal) -> Option<Issue> {
    (stated != parts).then(|| {
        let diff = parts - stated;
        let dir = if diff < Decimal::ZERO { "mindre" } else { "mer" };
        Issue {
            error,
            key: key.to_string(),
            message: format!(
                "{what} summerar till {}, {} {dir} än {}",
                sv_kr_whole(parts),
                sv_kr_whole(diff.abs()),
                sv_kr_whole(stated)
            ),
        }
    })
}
