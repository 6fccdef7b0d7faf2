//! Reconcile: the approved project and the accepted rows → every figure of the run, plus findings.
//!
//! This is the only place figures are computed (`docs/rules.md`). It runs in two steps:
//!
//! 1. [`month_report`], per workbook and inside the parallel read: the row checks of
//!    [`checks::ROW_CHECKS`] leave out condemned rows, and what remains is kept compactly.
//! 2. [`reconcile`], over all counting workbooks up to the period's end: the organisations by
//!    organisationsnummer and the values each month is priced by ([`decision`]); staff costs per
//!    person and month ([`staff`]); the claim's lines against what the submitted claims counted —
//!    the period's months, late months, corrections ([`history`]); flat rates, other costs, in
//!    kind, activities, support settled against the approved support in force, indicators and the
//!    financing plan ([`figures`]); then the period checks of [`checks::PERIOD_CHECKS`].
//!
//! Findings shown by a run are those of the months it concerns: workbooks of the period's
//! months, of the late and corrected months it carries, and of earlier months no claim has
//! counted yet (a workbook waiting for attestation there is a warning, not an error: it is not
//! part of this claim); files without a readable month; and those about the project as a whole
//! (`OVER_BUDGET`, `SUPPORT_CAP_REACHED`, `APPROVED_SUPPORT_BELOW_CLAIMED`, `CHANGED_AFTER_CLAIM`,
//! `DECISION_CHANGED`, `PARTNER_REMOVED`, `PERIOD_ALREADY_SUBMITTED`, `LEGACY_LEDGER`). Findings
//! in months already claimed and unchanged were shown by the run that claimed them.

pub mod attachments;
pub mod checks;
pub mod contribution;
pub mod decision;
pub mod digest;
pub mod figures;
pub mod history;
pub mod model;
pub mod resubmitted;
pub mod roster;
pub mod staff;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::finding::{Code, Finding, Message, Place, Planned, sort_findings};
use crate::intake::Status;
use crate::ledger::{Claim, ClaimedMonth, LineKind};
use crate::money::{Hours, sv_kr};
use crate::month::Month;
use crate::project::Project;
use checks::{PERIOD_CHECKS, PeriodCtx};
pub use contribution::{MonthReport, month_report};
use figures::{Inputs, Used};
use model::*;

/// A workbook that counts, with what the figures need to know of it.
pub struct UsedWorkbook<'a> {
    /// Index of its organisation in [`Project::orgs`].
    pub org: usize,
    pub rel: &'a str,
    pub sha256: &'a str,
    pub report: &'a MonthReport,
    pub attested_on: Option<NaiveDate>,
}

/// Everything reconcile needs besides the project.
pub struct Input<'a> {
    pub period: Period,
    /// Whether this is a claim (attestation required).
    pub claim: bool,
    pub used: Vec<UsedWorkbook<'a>>,
    /// The submitted claims this one builds on (those that ended before its period), in order.
    pub claims: &'a [Claim],
    /// Every submitted claim (the whole ledger): when the change decisions came into force, and
    /// what a re-run of a submitted period claimed.
    pub submitted: &'a [Claim],
    /// Hold corrections of claimed months back (they are listed, not taken).
    pub hold_corrections: bool,
    /// The first month whose narratives the reports show: the period's start, or the project's
    /// for the final report.
    pub narratives_from: Month,
    /// Every file seen, with its status.
    pub files: Vec<FileRecord>,
    /// Findings of intake and read, places with partner folders filled in.
    pub findings: Vec<Finding>,
    /// Today, for the days left to a planned claim's due date (never in a claim's outputs), and
    /// for the final report, which months are not over yet.
    pub today: NaiveDate,
    /// The final report (`redovisa final`): its narratives condensed, its day's state.
    pub final_report: Option<FinalRun>,
}

/// How the final report is asked for.
#[derive(Debug, Clone, Copy)]
pub struct FinalRun {
    /// Before the project's last month, on request (`--preliminary`).
    pub preliminary: bool,
}

/// Computes the figures of the period.
pub fn reconcile(project: &Project, mut input: Input) -> Figures {
    let period = input.period;
    input.used.retain(|u| u.report.month <= period.to);
    input.used.sort_by_key(|u| (u.org, u.report.month));
    let mut findings = std::mem::take(&mut input.findings);

    let shas: Vec<(usize, &str)> = input.used.iter().map(|u| (u.org, u.sha256)).collect();
    let roster = roster::Roster::new(project, input.claims, &shas);
    let orgs = roster.orgs();
    let pricing = decision::Pricing::new(project, &roster, input.claims);
    let reports: Vec<staff::OrgReport> =
        input.used.iter().map(|u| staff::OrgReport { org: u.org, report: u.report }).collect();
    let claimed = claimed_without_workbook(&roster, &input);
    let (person_months, basis_changes, staff_findings) = staff::cost_all(project, &pricing, &reports, &claimed);
    findings.extend(staff_findings);
    let current = history::current_months(&input.used, &person_months);
    let mut history = history::build(&roster, &pricing, period, input.claims, &current, input.hold_corrections);
    findings.append(&mut history.findings);
    findings.extend(decision::decision_changed(&orgs, &pricing, &current, &history.counted));
    findings.extend(roster::gone_findings(&roster, &orgs, &history));
    let used: Vec<Used> = input.used.iter().map(|u| Used { org: u.org, report: u.report }).collect();
    let inputs = Inputs {
        orgs: &orgs,
        in_file: project.orgs().count(),
        period,
        used: &used,
        person_months: &person_months,
        history: &history,
        claims: input.claims,
    };
    let agg = figures::aggregate(project, &inputs);

    let rate = project.support_fraction();
    let mut totals = figures::totals(&agg.orgs, |o| o.period, |o| o.hours_period, rate);
    let mut cumulative = figures::totals(&agg.orgs, |o| o.cumulative, |o| o.hours_cumulative, rate);
    let outcome = figures::support(project.info.approved_support, input.claims, rate, totals.eligible);
    let mut support = outcome.figures;
    totals.support_uncapped = outcome.uncapped;
    totals.support = outcome.claimed;
    cumulative.support = support.claimed_total;
    findings.extend(outcome.findings);
    for l in &history.lines {
        let eligible = l.content.total();
        match (l.kind, l.held) {
            (_, true) => support.eligible_held += eligible,
            (LineKind::Period, false) => support.eligible_period += eligible,
            (LineKind::Late, false) => support.eligible_late += eligible,
            (LineKind::Correction, false) => support.eligible_corrections += eligible,
        }
    }
    support.eligible_all_claims = support.earlier.iter().map(|c| c.eligible).sum::<Decimal>() + totals.eligible;
    let indicators = figures::indicators(project, &inputs);
    let (cofinancing, lag_findings) = figures::cofinancing(project, &inputs, &agg.orgs);
    let financing = figures::financing(project, &agg.orgs, (&totals, &cumulative), &support, &cofinancing);
    findings.extend(lag_findings);
    let reporting = reporting_status(project, period, input.claims, input.submitted, input.today);
    if input.claim && !reporting.is_empty() && reporting.this_claim.is_none() {
        findings.push(plan_finding(project, period));
    }

    let folders: Vec<String> = orgs.iter().map(|o| o.folder().to_string()).collect();
    let used_months: BTreeSet<(String, Month)> =
        input.used.iter().map(|u| (folders[u.org].clone(), u.report.month)).collect();
    // Months whose own workbook cannot count: its error says why (not reported as missing).
    let own_error: BTreeSet<&str> = findings
        .iter()
        .filter(|f| matches!(f.code, Code::NotAttested | Code::DuplicateSubmission | Code::WrongPeriod))
        .filter_map(|f| f.place.file.as_deref())
        .collect();
    let rejected_months: BTreeSet<(String, Month)> = input
        .files
        .iter()
        .filter(|f| f.status == Status::Rejected && own_error.contains(f.path.as_str()))
        .filter_map(|f| Some((f.folder.clone()?, f.month?)))
        .collect();
    let ctx = PeriodCtx {
        project,
        period,
        person_months: &person_months,
        basis_changes: &basis_changes,
        orgs: &agg.orgs,
        activities: &agg.activities,
        used: &used_months,
        rejected: &rejected_months,
    };
    for (_, check) in PERIOD_CHECKS {
        findings.extend(check(&ctx));
    }

    let mut files = with_contributions(input.files, &input.used, &person_months, &folders);
    annotate_files(&mut files, &history, &folders);
    let shown = shown_months(project, period, input.claims, &history, &folders);
    let (adjustments, lines) = claim_lines(&orgs, &history);
    let (submitted_as, resubmitted) = resubmitted::resubmission(&roster, input.submitted, period, &lines, &totals);
    findings.extend(resubmitted);
    let findings = in_scope(findings, &files, project, period, &shown);
    let months = month_grid(project, &orgs, period, &history, &files, &findings);
    let mut org_figures = agg.orgs;
    for o in &mut org_figures {
        if let Some(grid) = months.iter().find(|g| g.folder == o.folder) {
            o.months_due = grid.cells.iter().filter(|c| c.state.due()).count() as u32;
            o.months_counted = grid.cells.iter().filter(|c| c.state.counts()).count() as u32;
        }
    }
    let org_names: Vec<String> = orgs.iter().map(|o| o.name().to_string()).collect();
    let order: BTreeMap<&str, usize> =
        project.activities().enumerate().map(|(i, (_, a))| (a.code.as_str(), i)).collect();
    let mut narratives: Vec<Narrative> = input
        .used
        .iter()
        .filter(|u| input.narratives_from <= u.report.month && u.report.month <= period.to)
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

    let budget = figures::project_budget(&org_figures, &cumulative);
    let staff_totals = figures::staff_totals(&agg.staff, false);
    let in_kind_staff_totals = figures::staff_totals(&agg.staff, true);
    let plan_totals = figures::plan_totals(&agg.work_packages);
    let costs_budget = BudgetLine::new(
        cumulative.costs,
        org_figures.iter().filter(|o| !o.in_kind).map(|o| o.budget_total.budget).sum(),
    );
    let finding_counts = figures::finding_counts(&findings);
    let claim_seq = input.claims.last().map_or(1, |c| c.seq + 1);
    // The ledger's claim of this very period: a re-run, or the final report of the last claim.
    let submitted = input
        .submitted
        .iter()
        .find(|c| c.from == period.from && c.to == period.to)
        .map(|c| Submitted { seq: c.seq, on: c.recorded_on });
    let claims_to_date = figures::claims_to_date(input.claims, submitted, period, claim_seq, &totals);
    let closing = input.final_report.map(|run| closing(run, period, submitted, input.today, &months, &org_names));
    let digest =
        if input.final_report.is_some() { digest::digest(&narratives, &folders) } else { NarrativeDigest::default() };
    let changes = decision::change_log(project, input.submitted, claim_seq);
    let attachments = attachments::attachments(
        project,
        &attachments::Sources {
            orgs: &orgs,
            used: &input.used,
            person_months: &person_months,
            history: &history,
            staff: &agg.staff,
            cofinancing: &cofinancing,
        },
    );
    let adjustment_totals =
        adjustments.iter().filter(|a| !a.held).fold(AdjustmentTotals::default(), |t, a| AdjustmentTotals {
            hours: t.hours + a.hours,
            staff: t.staff + if a.in_kind { Decimal::ZERO } else { a.amounts.staff },
            flat_rate: t.flat_rate + if a.in_kind { Decimal::ZERO } else { a.amounts.flat_rate },
            other: t.other + if a.in_kind { Decimal::ZERO } else { a.amounts.other },
            in_kind: t.in_kind + a.in_kind_value(),
            eligible: t.eligible + a.amounts.total(),
        });
    Figures {
        project_id: project.info.id.clone(),
        project_name: project.info.name.clone(),
        owner_name: project.org_by_folder(&project.info.owner).map_or_else(String::new, |o| o.name().to_string()),
        project_start: project.info.start,
        project_end: project.info.end,
        period,
        claim: input.claim,
        orgs: org_figures,
        staff: agg.staff,
        work_packages: agg.work_packages,
        activities: agg.activities,
        activity_orgs: agg.activity_orgs,
        totals,
        cumulative,
        support,
        indicators,
        financing,
        cofinancing,
        reporting,
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
        claim_seq,
        adjustments,
        adjustment_totals,
        lines,
        claims_to_date,
        closing,
        digest,
        months,
        changes,
        submitted_as,
        attachments,
    }
}

/// The final report's day: the months of its period not over yet, those over but without a
/// counting workbook per organisation, and whether the period is a submitted claim.
fn closing(
    run: FinalRun,
    period: Period,
    submitted: Option<Submitted>,
    today: NaiveDate,
    months: &[OrgMonths],
    org_names: &[String],
) -> Closing {
    let over = |m: Month| m.last_day() < today;
    let missing = months
        .iter()
        .zip(org_names)
        .filter_map(|(grid, name)| {
            let gaps: Vec<Month> = grid
                .cells
                .iter()
                .filter(|c| period.contains(c.month) && over(c.month) && !c.state.counts())
                .map(|c| c.month)
                .collect();
            (!gaps.is_empty()).then(|| MissingMonths {
                folder: grid.folder.clone(),
                org_name: name.clone(),
                months: gaps,
            })
        })
        .collect();
    Closing {
        preliminary: run.preliminary,
        unfinished: period.from.through(period.to).filter(|m| !over(*m)).collect(),
        missing,
        submitted,
    }
}

/// Findings raised after reconcile (the final report's texts): added, sorted and counted like
/// the rest.
pub fn add_findings(figures: &mut Figures, extra: Vec<Finding>) {
    if extra.is_empty() {
        return;
    }
    figures.findings.extend(extra);
    sort_findings(&mut figures.findings);
    figures.finding_counts = figures::finding_counts(&figures.findings);
}

/// The reporting plan against the submitted claims and this run's period. `claims` are those
/// this run builds on; `ledger` every submitted claim, so that a planned claim already submitted
/// is never shown as late, whatever period the run looks at.
fn reporting_status(
    project: &Project,
    period: Period,
    claims: &[Claim],
    ledger: &[Claim],
    today: NaiveDate,
) -> ReportingStatus {
    let mut status = ReportingStatus { today: Some(today), ..ReportingStatus::default() };
    let covering = |claims: &[Claim], p: &crate::project::PlannedClaim| {
        claims.iter().find(|c| c.from <= p.to && p.to <= c.to).map(|c| Submitted { seq: c.seq, on: c.recorded_on })
    };
    for (i, p) in project.reporting.iter().enumerate() {
        let submitted = covering(claims, p).map(|s| s.seq);
        let this = period.from == p.from && period.to == p.to;
        let state = match (submitted, this) {
            (_, true) => PlanState::ThisClaim,
            (Some(seq), false) => PlanState::Submitted(seq),
            (None, false) if p.due < today => PlanState::Overdue,
            (None, false) => PlanState::Upcoming,
        };
        if this {
            status.this_claim = Some(i);
        }
        if status.next.is_none() && !matches!(state, PlanState::Submitted(_)) {
            status.next = Some(i);
        }
        status.claims.push(PlannedClaimStatus {
            number: i as u32 + 1,
            from: p.from,
            to: p.to,
            due: p.due,
            state,
            days_left: (p.due - today).num_days(),
            submitted: covering(ledger, p),
        });
    }
    status
}

/// `PERIOD_NOT_IN_PLAN`: the claim period is none of the plan's.
fn plan_finding(project: &Project, period: Period) -> Finding {
    let nearest = project
        .reporting
        .iter()
        .find(|p| p.to >= period.from)
        .or(project.reporting.last())
        .map(|p| Planned { from: p.from, to: p.to, due: p.due });
    Finding::of(Place::default(), Message::PeriodNotInPlan { from: period.from, to: period.to, nearest })
}

/// Hours that submitted claims counted per person and year in months that no counting workbook
/// holds now, when corrections are held back (the month stays claimed as it was): they count
/// against the person's annual cap before any month costed now. Without the hold, such a month
/// is taken out by a correction and its hours with it.
fn claimed_without_workbook(roster: &roster::Roster, input: &Input) -> staff::ClaimedHours {
    let mut out = staff::ClaimedHours::new();
    if !input.hold_corrections {
        return out;
    }
    let present: BTreeSet<(usize, Month)> = input.used.iter().map(|u| (u.org, u.report.month)).collect();
    for claim in input.claims {
        for (i, line) in claim.months.iter().flatten().enumerate() {
            if roster.line_org(claim.seq, i).is_some_and(|org| present.contains(&(org, line.month))) {
                continue;
            }
            for p in &line.content.persons {
                let e = out.entry((p.pnr.clone(), line.month.year())).or_insert(Hours::ZERO);
                *e = *e + Hours::from_decimal(p.hours);
            }
        }
    }
    out
}

/// The claim's late months and corrections as [`Adjustment`]s, and every line it takes as the
/// ledger records it.
fn claim_lines(orgs: &[crate::project::Org], history: &history::History) -> (Vec<Adjustment>, Vec<ClaimedMonth>) {
    let mut adjustments = Vec::new();
    let mut lines = Vec::new();
    for l in &history.lines {
        let Some(org) = orgs.get(l.org) else { continue };
        let total = l.content.total();
        if l.kind != LineKind::Period {
            adjustments.push(Adjustment {
                kind: l.kind,
                folder: org.folder().to_string(),
                org_name: org.name().to_string(),
                org_nr: org.org_nr().to_string(),
                in_kind: org.is_cofinancier(),
                month: l.month,
                claim: l.amends,
                held: l.held,
                amounts: Amounts { staff: l.content.staff, flat_rate: l.content.flat_rate, other: l.content.other },
                hours: l.content.hours,
                path: l.path.clone(),
                sha256: l.sha256.clone(),
                previous_path: l.previous_path.clone(),
                previous_sha256: l.previous_sha256.clone(),
                persons: l.content.persons.clone(),
                changes: l.changes.iter().map(|a| a.change.clone()).collect(),
            });
        }
        if l.taken() {
            lines.push(ClaimedMonth {
                folder: org.folder().to_string(),
                org_nr: Some(org.org_nr().clone()),
                month: l.month,
                kind: l.kind,
                path: l.path.clone(),
                sha256: l.sha256.clone(),
                previous_sha256: l.previous_sha256.clone(),
                in_kind: if org.is_cofinancier() { total } else { Decimal::ZERO },
                eligible: total,
                rates: Some(l.rates),
                changes: l.changes.iter().map(|a| a.change.clone()).collect(),
                content: l.content.clone(),
            });
        }
    }
    (adjustments, lines)
}

/// Says in each counting file's note which claim takes or took its month.
fn annotate_files(files: &mut [FileRecord], history: &history::History, folders: &[String]) {
    let mut notes: BTreeMap<(&str, Month), String> = BTreeMap::new();
    for ((org, m), c) in &history.counted {
        let note = match c.claims.last() {
            Some(seq) => format!("ingår i ansökan {seq}"),
            None => "före perioden och i ingen ansökan: räknas bara i de ackumulerade beloppen".to_string(),
        };
        notes.insert((folders[*org].as_str(), *m), note);
    }
    for l in &history.lines {
        let of = |seq: Option<u32>| seq.map_or_else(String::new, |s| format!(" (ansökan {s})"));
        let note = match (l.kind, l.held) {
            (LineKind::Period, _) => continue,
            (LineKind::Late, _) => format!("sen månad: tas med i denna ansökan under Tidigare månader{}", of(l.amends)),
            (LineKind::Correction, false) => {
                format!("rättelse av {}{}: {} tas med i denna ansökan", l.month, of(l.amends), sv_kr(l.content.total()))
            }
            (LineKind::Correction, true) => {
                format!("rättelse av {}{}: {} hålls inne", l.month, of(l.amends), sv_kr(l.content.total()))
            }
        };
        notes.insert((folders[l.org].as_str(), l.month), note);
    }
    for f in files.iter_mut().filter(|f| f.status == Status::Used && f.note.is_empty()) {
        if let (Some(folder), Some(m)) = (f.folder.as_deref(), f.month)
            && let Some(note) = notes.get(&(folder, m))
        {
            f.note.clone_from(note);
        }
    }
}

/// The (partner folder, month) pairs whose findings a run shows besides the period's: the late
/// and corrected months it carries, and earlier months of submitted claims that no claim counted.
fn shown_months(
    project: &Project,
    period: Period,
    claims: &[Claim],
    history: &history::History,
    folders: &[String],
) -> BTreeSet<(String, Month)> {
    let mut shown: BTreeSet<(String, Month)> =
        history.lines.iter().map(|l| (folders[l.org].clone(), l.month)).collect();
    let first = project.start_month();
    for m in first.through(period.from.prev()).filter(|m| claims.iter().any(|c| c.covers(*m))) {
        for (i, folder) in folders.iter().enumerate() {
            if !history.counted.contains_key(&(i, m)) {
                shown.insert((folder.clone(), m));
            }
        }
    }
    shown
}

/// Each organisation's months from the project's start to the period's end, with their state.
fn month_grid(
    project: &Project,
    orgs: &[crate::project::Org],
    period: Period,
    history: &history::History,
    files: &[FileRecord],
    findings: &[Finding],
) -> Vec<OrgMonths> {
    let not_attested: BTreeSet<&str> =
        findings.iter().filter(|f| f.code == Code::NotAttested).filter_map(|f| f.place.file.as_deref()).collect();
    let lines: BTreeMap<(usize, Month), &history::Line> = history.lines.iter().map(|l| ((l.org, l.month), l)).collect();
    let mut by_month: BTreeMap<(&str, Month), Vec<&FileRecord>> = BTreeMap::new();
    for f in files.iter().filter(|f| !matches!(f.status, Status::Ignored | Status::Later)) {
        if let (Some(folder), Some(m)) = (f.folder.as_deref(), f.month) {
            by_month.entry((folder, m)).or_default().push(f);
        }
    }
    let in_file = project.orgs().count();
    orgs.iter()
        .enumerate()
        .map(|(i, org)| {
            let in_decision = |m: Month| i < in_file && project.in_decision(*org, m);
            let cells = project
                .start_month()
                .through(period.to)
                .map(|m| {
                    let (state, file) = match (lines.get(&(i, m)), history.counted.get(&(i, m))) {
                        (Some(l), _) => {
                            let state = match (l.kind, l.held) {
                                (LineKind::Period, _) => MonthState::Counted,
                                (LineKind::Late, _) => MonthState::Late,
                                (LineKind::Correction, false) => MonthState::Corrected,
                                (LineKind::Correction, true) => MonthState::CorrectionHeld,
                            };
                            (state, Some(l.path.clone()).filter(|p| !p.is_empty()))
                        }
                        (None, Some(c)) => {
                            let state = c.claims.last().map_or(MonthState::Outside, |s| MonthState::Claimed(*s));
                            (state, Some(c.path.clone()).filter(|p| !p.is_empty()))
                        }
                        (None, None) if !in_decision(m) => (MonthState::NotInDecision, None),
                        (None, None) => {
                            let mine = by_month.get(&(org.folder(), m)).map_or(&[][..], Vec::as_slice);
                            if let Some(f) = mine.iter().find(|f| not_attested.contains(f.path.as_str())) {
                                (MonthState::NotAttested, Some(f.path.clone()))
                            } else if let Some(f) = mine.iter().find(|f| f.status == Status::Rejected) {
                                (MonthState::Rejected, Some(f.path.clone()))
                            } else {
                                (MonthState::Missing, None)
                            }
                        }
                    };
                    MonthCell { month: m, state, file }
                })
                .collect();
            OrgMonths { folder: org.folder().to_string(), cells }
        })
        .collect()
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

/// Keeps the findings the run shows (see the module documentation) and sorts them. A file for a
/// month outside the project belongs to no period: its findings are always shown.
fn in_scope(
    findings: Vec<Finding>,
    files: &[FileRecord],
    project: &Project,
    period: Period,
    shown: &BTreeSet<(String, Month)>,
) -> Vec<Finding> {
    let month_of: BTreeMap<&str, (Option<&str>, Month)> =
        files.iter().filter_map(|f| Some((f.path.as_str(), (f.folder.as_deref(), f.month?)))).collect();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter_map(|f| {
            let Some(&(folder, m)) = f.place.file.as_deref().and_then(|p| month_of.get(p)) else { return Some(f) };
            let outside = m < project.start_month() || m > project.end_month();
            if matches!(f.code, Code::ChangedAfterClaim | Code::LateMonth) || period.contains(m) || outside {
                return Some(f);
            }
            let earlier = folder.is_some_and(|folder| shown.contains(&(folder.to_string(), m)));
            // A late month waiting for attestation is not part of this claim: a warning.
            earlier.then(|| if f.code == Code::NotAttested { f.as_warning() } else { f })
        })
        .collect();
    sort_findings(&mut kept);
    kept
}
