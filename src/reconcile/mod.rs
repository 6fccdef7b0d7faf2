//! Reconcile: the approved project and the accepted rows → every figure of the run, plus findings.
//!
//! This is the only place figures are computed (`spec/rules.md`). It runs in two steps:
//!
//! 1. [`month_report`], per workbook and inside the parallel read: the row checks of
//!    [`checks::ROW_CHECKS`] leave out condemned rows, and what remains is kept compactly.
//! 2. [`reconcile`], over all counting workbooks up to the period's end: staff costs per person
//!    and month ([`staff`]), flat rates, other costs, in kind, activities, support with its cap,
//!    indicators and the financing plan ([`figures`]), then the period checks of
//!    [`checks::PERIOD_CHECKS`].
//!
//! Findings shown by a run are those of its period: findings in workbooks of the period's
//! months, in files without a readable month, and those about the project as a whole
//! (`OVER_BUDGET`, `SUPPORT_CAP_REACHED`, `CHANGED_AFTER_CLAIM` for any month). Findings in
//! earlier months were shown by the run that claimed them.

pub mod checks;
pub mod figures;
pub mod model;
pub mod report;
pub mod staff;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::finding::{Code, Finding, sort_findings};
use crate::money::Hours;
use crate::month::Month;
use crate::project::Project;
use checks::{PERIOD_CHECKS, PeriodCtx};
use figures::{Inputs, Used};
use model::*;
pub use report::{MonthReport, month_report};

/// A workbook that counts, with what the figures need to know of it.
pub struct UsedWorkbook<'a> {
    /// Index of its organisation in [`Project::orgs`].
    pub org: usize,
    pub rel: &'a str,
    pub report: &'a MonthReport,
    pub attested_on: Option<NaiveDate>,
}

/// Everything reconcile needs besides the project.
pub struct Input<'a> {
    pub period: Period,
    /// Whether this is a claim (attestation required).
    pub claim: bool,
    pub used: Vec<UsedWorkbook<'a>>,
    /// Support claimed in submitted claims.
    pub claimed_before: Decimal,
    /// Every file seen, with its status.
    pub files: Vec<FileRecord>,
    /// Findings of intake and read, places with partner folders filled in.
    pub findings: Vec<Finding>,
}

/// Computes the figures of the period.
pub fn reconcile(project: &Project, mut input: Input) -> Figures {
    let period = input.period;
    input.used.retain(|u| u.report.month <= period.to);
    input.used.sort_by_key(|u| (u.org, u.report.month));
    let mut findings = std::mem::take(&mut input.findings);

    let mut person_months = Vec::new();
    let mut basis_changes = Vec::new();
    for (idx, org) in project.orgs().enumerate() {
        let reports: Vec<&MonthReport> = input.used.iter().filter(|u| u.org == idx).map(|u| u.report).collect();
        let (pms, changes, cap_findings) = staff::cost_org(project, idx, org, &reports);
        person_months.extend(pms);
        basis_changes.extend(changes);
        findings.extend(cap_findings);
    }
    let used: Vec<Used> = input.used.iter().map(|u| Used { org: u.org, report: u.report }).collect();
    let inputs = Inputs { period, used: &used, person_months: &person_months, claimed_before: input.claimed_before };
    let agg = figures::aggregate(project, &inputs);

    let rate = project.support_fraction();
    let mut totals = figures::totals(&agg.orgs, |o| o.period, |o| o.hours_period, rate);
    let mut cumulative = figures::totals(&agg.orgs, |o| o.cumulative, |o| o.hours_cumulative, rate);
    let (support, claimed, cap_finding) =
        figures::support(project.info.approved_support, input.claimed_before, totals.support_uncapped);
    totals.support = claimed;
    cumulative.support = support.claimed_total;
    findings.extend(cap_finding);
    let indicators = figures::indicators(project, &inputs);
    let financing = figures::financing(project, &agg.orgs, &totals, &cumulative, &support);

    let folders: Vec<String> = project.orgs().map(|o| o.folder().to_string()).collect();
    let used_months: BTreeSet<(String, Month)> =
        input.used.iter().map(|u| (folders[u.org].clone(), u.report.month)).collect();
    let ctx = PeriodCtx {
        project,
        period,
        person_months: &person_months,
        basis_changes: &basis_changes,
        orgs: &agg.orgs,
        activities: &agg.activities,
        used: &used_months,
    };
    for (_, check) in PERIOD_CHECKS {
        findings.extend(check(&ctx));
    }

    let files = with_contributions(input.files, &input.used, &person_months, &folders);
    let findings = in_scope(findings, &files, period);
    let org_names: Vec<String> = project.orgs().map(|o| o.name().to_string()).collect();
    let order: BTreeMap<&str, usize> =
        project.activities().enumerate().map(|(i, (_, a))| (a.code.as_str(), i)).collect();
    let mut narratives: Vec<Narrative> = input
        .used
        .iter()
        .filter(|u| period.contains(u.report.month))
        .flat_map(|u| {
            let (folder, org_name) = (folders[u.org].clone(), org_names[u.org].clone());
            u.report.narratives.iter().map(move |n| Narrative {
                month: u.report.month,
                folder: folder.clone(),
                org_name: org_name.clone(),
                activity: n.activity.clone(),
                done: n.done.clone(),
                results: n.results.clone(),
                deviations: n.deviations.clone(),
            })
        })
        .collect();
    narratives.sort_by_key(|n| {
        (order.get(n.activity.as_str()).copied(), n.month, folders.iter().position(|f| *f == n.folder))
    });

    let budget = figures::project_budget(&agg.orgs, &cumulative);
    let staff_totals = figures::staff_totals(&agg.staff, false);
    let in_kind_staff_totals = figures::staff_totals(&agg.staff, true);
    let plan_totals = figures::plan_totals(&agg.work_packages);
    let costs_budget =
        BudgetLine::new(cumulative.costs, agg.orgs.iter().filter(|o| !o.in_kind).map(|o| o.budget_total.budget).sum());
    let finding_counts = figures::finding_counts(&findings);
    Figures {
        project_id: project.info.id.clone(),
        project_name: project.info.name.clone(),
        owner_name: project.org_by_folder(&project.info.owner).map_or_else(String::new, |o| o.name().to_string()),
        project_start: project.info.start,
        project_end: project.info.end,
        period,
        claim: input.claim,
        orgs: agg.orgs,
        staff: agg.staff,
        work_packages: agg.work_packages,
        activities: agg.activities,
        activity_orgs: agg.activity_orgs,
        totals,
        cumulative,
        support,
        indicators,
        financing,
        monthly: agg.monthly,
        narratives,
        findings,
        files,
        latest_attestation: input.used.iter().filter_map(|u| u.attested_on).max(),
        budget,
        staff_totals,
        in_kind_staff_totals,
        plan_totals,
        programme: project.info.programme.clone(),
        specific_objective: project.info.specific_objective.clone(),
        costs_budget,
        finding_counts,
    }
}

/// Fills in what each used file contributed.
fn with_contributions(
    mut files: Vec<FileRecord>,
    used: &[UsedWorkbook],
    person_months: &[staff::PersonMonthCost],
    folders: &[String],
) -> Vec<FileRecord> {
    let by_rel: BTreeMap<&str, &UsedWorkbook> = used.iter().map(|u| (u.rel, u)).collect();
    for f in &mut files {
        let Some(u) = by_rel.get(f.path.as_str()) else { continue };
        let pms = person_months.iter().filter(|pm| pm.org == u.org && pm.month == u.report.month);
        let mut c = Contribution {
            persons: u.report.persons.len() as u32,
            other_costs: u.report.other_costs.iter().map(|c| c.amount).sum(),
            participants: u.report.participants.len() as u32,
            narratives: u.report.narratives.len() as u32,
            ..Contribution::default()
        };
        let mut hours = Hours::ZERO;
        for pm in pms {
            hours = hours + pm.hours;
            c.staff_cost += pm.staff_cost;
        }
        c.hours = hours.value();
        debug_assert_eq!(folders[u.org], f.folder.clone().unwrap_or_default());
        f.contribution = Some(c);
    }
    files
}

/// Keeps the findings of the period (see the module documentation) and sorts them.
fn in_scope(findings: Vec<Finding>, files: &[FileRecord], period: Period) -> Vec<Finding> {
    let month_of: BTreeMap<&str, Month> = files.iter().filter_map(|f| Some((f.path.as_str(), f.month?))).collect();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            f.code == Code::ChangedAfterClaim
                || f.place.file.as_deref().and_then(|p| month_of.get(p)).is_none_or(|m| period.contains(*m))
        })
        .collect();
    sort_findings(&mut kept);
    kept
}
