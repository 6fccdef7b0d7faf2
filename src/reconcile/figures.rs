//! Aggregation: person-months and accepted rows → the [`Figures`] of the period.
//!
//! Flat rates are computed on each span's staff costs and truncated to öre (the period's flat
//! rate on the period's staff costs; the cumulative one on the cumulative staff costs). Costs
//! reach activities through the hours split of staff costs; the flat rate follows the staff
//! costs per activity. Support is `trunc2(eligible × rate)`, capped at what remains of the
//! approved amount ([`support`]).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::model::*;
use super::report::MonthReport;
use super::staff::{PersonMonthCost, split_amount};
use crate::finding::{Code, Finding, Place, Severity};
use crate::money::{Hours, percent, sv_kr, trunc2};
use crate::month::Month;
use crate::project::{FinancierKind, FlatRateModel, Measure, Org, Project};
use crate::read::Gender;

/// A counting workbook, as the aggregation sees it.
pub struct Used<'a> {
    pub org: usize,
    pub report: &'a MonthReport,
}

/// Staff costs and hours of one organisation per activity in one span.
#[derive(Default)]
struct ActivitySpan {
    staff: BTreeMap<String, Decimal>,
    hours: BTreeMap<String, Hours>,
    other: BTreeMap<String, Decimal>,
}

/// The flat rate on staff costs for an organisation's model, truncated to öre.
pub fn flat_rate(org: Org, staff: Decimal) -> Decimal {
    match org.flat_rate().model {
        FlatRateModel::None => Decimal::ZERO,
        _ => trunc2(staff * percent(org.flat_rate().rate)),
    }
}

/// Everything the aggregation needs besides the project.
pub struct Inputs<'a> {
    pub period: Period,
    pub used: &'a [Used<'a>],
    pub person_months: &'a [PersonMonthCost],
    pub claimed_before: Decimal,
}

/// Per-organisation and per-activity figures, before totals.
pub struct Aggregate {
    pub orgs: Vec<OrgFigures>,
    pub staff: Vec<StaffLine>,
    pub activities: Vec<ActivityFigures>,
    pub work_packages: Vec<ActivityFigures>,
    pub activity_orgs: Vec<ActivityOrgCost>,
    pub monthly: Vec<MonthPoint>,
}

/// Organisations, staff lines, activities and the monthly series.
pub fn aggregate(project: &Project, inp: &Inputs) -> Aggregate {
    let period = inp.period;
    let plan: Vec<(String, String, String)> =
        project.activities().map(|(wp, a)| (a.code.clone(), a.name.clone(), wp.code.clone())).collect();
    let weights_in_plan_order = |m: &BTreeMap<String, Decimal>| -> Vec<(String, Decimal)> {
        plan.iter().filter_map(|(c, ..)| m.get(c).map(|v| (c.clone(), *v))).filter(|(_, v)| !v.is_zero()).collect()
    };
    let mut orgs = Vec::new();
    let mut activity_period: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut activity_cum: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut hours_period: BTreeMap<String, Hours> = BTreeMap::new();
    let mut hours_cum: BTreeMap<String, Hours> = BTreeMap::new();
    let mut activity_orgs = Vec::new();
    for (idx, org) in project.orgs().enumerate() {
        let (mut p_span, mut c_span) = (ActivitySpan::default(), ActivitySpan::default());
        let mut hours = (Hours::ZERO, Hours::ZERO);
        for pm in inp.person_months.iter().filter(|pm| pm.org == idx) {
            let spans: &mut [&mut ActivitySpan] =
                if period.contains(pm.month) { &mut [&mut p_span, &mut c_span] } else { &mut [&mut c_span] };
            for span in spans.iter_mut() {
                for part in &pm.parts {
                    *span.staff.entry(part.code.clone()).or_default() += part.cost;
                    let h = span.hours.entry(part.code.clone()).or_insert(Hours::ZERO);
                    *h = *h + part.hours;
                }
            }
            if period.contains(pm.month) {
                hours.0 = hours.0 + pm.hours;
            }
            hours.1 = hours.1 + pm.hours;
        }
        for u in inp.used.iter().filter(|u| u.org == idx) {
            for c in &u.report.other_costs {
                if period.contains(u.report.month) {
                    *p_span.other.entry(c.activity.clone()).or_default() += c.amount;
                }
                *c_span.other.entry(c.activity.clone()).or_default() += c.amount;
            }
        }
        let amounts = |span: &ActivitySpan| {
            let staff: Decimal = span.staff.values().sum();
            Amounts { staff, flat_rate: flat_rate(org, staff), other: span.other.values().sum() }
        };
        let (pa, ca) = (amounts(&p_span), amounts(&c_span));
        // The flat rate reaches activities in proportion to the staff costs on them.
        for (span, amounts, totals, hours_totals, is_period) in [
            (&p_span, pa, &mut activity_period, &mut hours_period, true),
            (&c_span, ca, &mut activity_cum, &mut hours_cum, false),
        ] {
            let mut by_activity: BTreeMap<String, Decimal> = span.staff.clone();
            for (code, part) in split_amount(amounts.flat_rate, &weights_in_plan_order(&span.staff)) {
                *by_activity.entry(code).or_default() += part;
            }
            for (code, amount) in &span.other {
                *by_activity.entry(code.clone()).or_default() += *amount;
            }
            for (code, amount) in &by_activity {
                *totals.entry(code.clone()).or_default() += *amount;
                if is_period {
                    activity_orgs.push((code.clone(), idx, *amount, true));
                } else {
                    activity_orgs.push((code.clone(), idx, *amount, false));
                }
            }
            for (code, h) in &span.hours {
                let e = hours_totals.entry(code.clone()).or_insert(Hours::ZERO);
                *e = *e + *h;
            }
        }
        orgs.push(org_figures(project, org, pa, ca, hours, inp));
    }
    let budget = |code: &str| project.activity(code).map_or(Decimal::ZERO, |a| a.budget);
    let activities: Vec<ActivityFigures> = project
        .activities()
        .map(|(wp, a)| {
            let cum = activity_cum.get(&a.code).copied().unwrap_or_default();
            ActivityFigures {
                code: a.code.clone(),
                name: a.name.clone(),
                work_package: wp.code.clone(),
                start: a.start,
                end: a.end,
                period: activity_period.get(&a.code).copied().unwrap_or_default(),
                cumulative: cum,
                hours_period: hours_period.get(&a.code).map_or(Decimal::ZERO, |h| h.value()),
                hours_cumulative: hours_cum.get(&a.code).map_or(Decimal::ZERO, |h| h.value()),
                budget: crate::reconcile::model::BudgetUse::new(cum, budget(&a.code)),
            }
        })
        .collect();
    let work_packages = project
        .work_packages
        .iter()
        .map(|wp| {
            let mine: Vec<&ActivityFigures> = activities.iter().filter(|a| a.work_package == wp.code).collect();
            let cum: Decimal = mine.iter().map(|a| a.cumulative).sum();
            ActivityFigures {
                code: wp.code.clone(),
                name: wp.name.clone(),
                work_package: wp.code.clone(),
                start: wp.start,
                end: wp.end,
                period: mine.iter().map(|a| a.period).sum(),
                cumulative: cum,
                hours_period: mine.iter().map(|a| a.hours_period).sum(),
                hours_cumulative: mine.iter().map(|a| a.hours_cumulative).sum(),
                budget: BudgetUse::new(cum, wp.budget),
            }
        })
        .collect();
    let activity_orgs = merge_activity_orgs(project, activity_orgs);
    Aggregate {
        orgs,
        staff: staff_lines(project, inp),
        activities,
        work_packages,
        activity_orgs,
        monthly: monthly(project, inp),
    }
}

fn merge_activity_orgs(project: &Project, rows: Vec<(String, usize, Decimal, bool)>) -> Vec<ActivityOrgCost> {
    let folders: Vec<String> = project.orgs().map(|o| o.folder().to_string()).collect();
    let order: BTreeMap<&str, usize> =
        project.activities().enumerate().map(|(i, (_, a))| (a.code.as_str(), i)).collect();
    let mut merged: BTreeMap<(usize, usize), (String, Decimal, Decimal)> = BTreeMap::new();
    for (code, org, amount, is_period) in rows {
        let key = (order.get(code.as_str()).copied().unwrap_or(usize::MAX), org);
        let e = merged.entry(key).or_insert((code, Decimal::ZERO, Decimal::ZERO));
        if is_period { e.1 += amount } else { e.2 += amount }
    }
    merged
        .into_iter()
        .map(|((_, org), (code, period, cumulative))| ActivityOrgCost {
            code,
            folder: folders[org].clone(),
            period,
            cumulative,
        })
        .collect()
}

fn org_figures(
    project: &Project,
    org: Org,
    period: Amounts,
    cumulative: Amounts,
    hours: (Hours, Hours),
    inp: &Inputs,
) -> OrgFigures {
    let idx = project.orgs().position(|o| o.folder() == org.folder()).unwrap_or(usize::MAX);
    let mut months: Vec<Month> = inp
        .used
        .iter()
        .filter(|u| u.org == idx && inp.period.contains(u.report.month))
        .map(|u| u.report.month)
        .collect();
    months.sort();
    months.dedup();
    let (staff_b, flat_b, other_b, kind) = match org {
        Org::Partner(p) => (p.budget.staff, p.budget.flat_rate, p.budget.other, FinancierKind::Public),
        Org::Cofinancier(c) => (c.in_kind_budget, Decimal::ZERO, Decimal::ZERO, c.kind),
    };
    OrgFigures {
        folder: org.folder().to_string(),
        name: org.name().to_string(),
        org_nr: org.org_nr().to_string(),
        in_kind: org.is_cofinancier(),
        kind,
        on_cost_rate: org.on_cost_fraction(),
        flat_model: org.flat_rate().model,
        flat_rate: percent(org.flat_rate().rate),
        period,
        cumulative,
        hours_period: hours.0.value(),
        hours_cumulative: hours.1.value(),
        budget_staff: BudgetUse::new(cumulative.staff, staff_b),
        budget_flat_rate: BudgetUse::new(cumulative.flat_rate, flat_b),
        budget_other: BudgetUse::new(cumulative.other, other_b),
        budget_total: BudgetUse::new(cumulative.total(), staff_b + flat_b + other_b),
        months_reported: months,
    }
}

/// The `Personal` lines: the period's person-months grouped by organisation, person and rate.
fn staff_lines(project: &Project, inp: &Inputs) -> Vec<StaffLine> {
    let orgs: Vec<Org> = project.orgs().collect();
    let mut groups: BTreeMap<(usize, String, u32), Vec<&PersonMonthCost>> = BTreeMap::new();
    for pm in inp.person_months.iter().filter(|pm| inp.period.contains(pm.month)) {
        groups.entry((pm.org, pm.pnr.as_str().to_string(), pm.k)).or_default().push(pm);
    }
    let mut lines: Vec<StaffLine> = groups
        .into_values()
        .filter_map(|pms| {
            let first = pms.first()?;
            let last = pms.last()?;
            let org = orgs.get(first.org)?;
            Some(StaffLine {
                folder: org.folder().to_string(),
                org_name: org.name().to_string(),
                in_kind: org.is_cofinancier(),
                kind: match org {
                    Org::Cofinancier(c) => c.kind,
                    Org::Partner(_) => FinancierKind::Public,
                },
                name: last.name.clone(),
                personnummer: first.pnr.as_str().to_string(),
                role: last.role.clone(),
                start: first.start,
                monthly_salary: first.salary,
                hourly_rate: first.rate,
                index_steps: first.k,
                first_month: first.month,
                last_month: last.month,
                hours: pms.iter().map(|p| p.hours).sum::<Hours>().value(),
                salary_cost: pms.iter().map(|p| p.salary_cost).sum(),
                on_cost_rate: org.on_cost_fraction(),
                on_cost: pms.iter().map(|p| p.on_cost).sum(),
                staff_cost: pms.iter().map(|p| p.staff_cost).sum(),
            })
        })
        .collect();
    let order: BTreeMap<&str, usize> = orgs.iter().enumerate().map(|(i, o)| (o.folder(), i)).collect();
    lines.sort_by(|a, b| {
        (order.get(a.folder.as_str()), &a.name, &a.personnummer, a.index_steps).cmp(&(
            order.get(b.folder.as_str()),
            &b.name,
            &b.personnummer,
            b.index_steps,
        ))
    });
    lines
}

/// Cumulative cost at the end of every month from the project's start to the period's end.
fn monthly(project: &Project, inp: &Inputs) -> Vec<MonthPoint> {
    let orgs: Vec<Org> = project.orgs().collect();
    let mut staff_by_month: BTreeMap<(usize, Month), Decimal> = BTreeMap::new();
    for pm in inp.person_months {
        *staff_by_month.entry((pm.org, pm.month)).or_default() += pm.staff_cost;
    }
    let mut other_by_month: BTreeMap<(usize, Month), Decimal> = BTreeMap::new();
    for u in inp.used {
        *other_by_month.entry((u.org, u.report.month)).or_default() +=
            u.report.other_costs.iter().map(|c| c.amount).sum::<Decimal>();
    }
    let mut staff = vec![Decimal::ZERO; orgs.len()];
    let mut other = vec![Decimal::ZERO; orgs.len()];
    project
        .start_month()
        .through(inp.period.to)
        .map(|m| {
            let by_org: Vec<Decimal> = orgs
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    staff[i] += staff_by_month.get(&(i, m)).copied().unwrap_or_default();
                    other[i] += other_by_month.get(&(i, m)).copied().unwrap_or_default();
                    staff[i] + flat_rate(*o, staff[i]) + other[i]
                })
                .collect();
            MonthPoint { month: m, cumulative: by_org.iter().sum(), by_org }
        })
        .collect()
}

/// Project totals of a span from the organisations' amounts.
pub fn totals(
    orgs: &[OrgFigures],
    span: impl Fn(&OrgFigures) -> Amounts,
    hours: impl Fn(&OrgFigures) -> Decimal,
    rate: Decimal,
) -> Totals {
    let mut t = Totals { support_rate: rate, ..Totals::default() };
    for o in orgs {
        let a = span(o);
        t.hours += hours(o);
        if o.in_kind {
            t.in_kind += a.total();
            match o.kind {
                FinancierKind::Public => t.in_kind_public += a.total(),
                FinancierKind::Private => t.in_kind_private += a.total(),
            }
        } else {
            t.staff += a.staff;
            t.flat_rate += a.flat_rate;
            t.other += a.other;
        }
    }
    t.costs = t.staff + t.flat_rate + t.other;
    t.eligible = t.costs + t.in_kind;
    t.support_uncapped = trunc2(t.eligible * rate);
    t.support = t.support_uncapped;
    t
}

/// The support cap: the support claimed so far never passes the approved amount.
pub fn support(
    approved: Decimal,
    claimed_before: Decimal,
    uncapped: Decimal,
) -> (SupportFigures, Decimal, Option<Finding>) {
    let room = (approved - claimed_before).max(Decimal::ZERO);
    let support = uncapped.min(room);
    let capped = support < uncapped;
    let claimed_total = claimed_before + support;
    let finding = capped.then(|| {
        Finding::new(
            Code::SupportCapReached,
            Place::default(),
            format!(
                "Stödet för perioden blir {} enligt stödandelen, men tillsammans med tidigare ansökningar ({}) skulle det \
                 passera beviljat stöd {}. Perioden begär {}; resterande kostnader finansieras av medfinansiärerna.",
                sv_kr(uncapped),
                sv_kr(claimed_before),
                sv_kr(approved),
                sv_kr(support)
            ),
        )
    });
    let figures =
        SupportFigures { approved, claimed_before, claimed_total, remaining: approved - claimed_total, capped };
    (figures, support, finding)
}

/// Indicators against their targets, period and cumulative.
pub fn indicators(project: &Project, inp: &Inputs) -> Vec<IndicatorFigures> {
    project
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let (mut period, mut cumulative, mut gender) = (Decimal::ZERO, Decimal::ZERO, None);
            match ind.measure {
                Measure::Reported => {
                    for u in inp.used {
                        let sum: Decimal =
                            u.report.indicator_values.iter().filter(|(j, _)| *j == i).map(|(_, v)| *v).sum();
                        cumulative += sum;
                        if inp.period.contains(u.report.month) {
                            period += sum;
                        }
                    }
                }
                Measure::Organisations => {
                    let all: BTreeSet<usize> = inp.used.iter().map(|u| u.org).collect();
                    let now: BTreeSet<usize> =
                        inp.used.iter().filter(|u| inp.period.contains(u.report.month)).map(|u| u.org).collect();
                    cumulative = Decimal::from(all.len());
                    period = Decimal::from(now.len());
                }
                Measure::ParticipantOrganisations => {
                    let (mut all, mut now) = (BTreeSet::new(), BTreeSet::new());
                    let mut count = GenderCount::default();
                    for u in inp.used {
                        for p in &u.report.participants {
                            all.insert(&p.org_nr);
                            if inp.period.contains(u.report.month) {
                                now.insert(&p.org_nr);
                            }
                            match p.gender {
                                Gender::Woman => count.women += 1,
                                Gender::Man => count.men += 1,
                                Gender::NotStated => count.not_stated += 1,
                            }
                        }
                    }
                    cumulative = Decimal::from(all.len());
                    period = Decimal::from(now.len());
                    gender = Some(count);
                }
            }
            IndicatorFigures {
                name: ind.name.clone(),
                code: ind.code.clone(),
                kind: ind.kind.clone(),
                unit: ind.unit.clone(),
                target: ind.target,
                period,
                cumulative,
                gender,
                share_of_target: (!ind.target.is_zero()).then(|| cumulative / ind.target),
            }
        })
        .collect()
}

/// The financing plan against what the period and the project so far claim.
pub fn financing(
    project: &Project,
    orgs: &[OrgFigures],
    period: &Totals,
    cumulative: &Totals,
    support: &SupportFigures,
) -> Vec<FinancingLine> {
    let mut lines = Vec::new();
    for p in &project.partners {
        for c in &p.cash {
            let label = match c.kind {
                FinancierKind::Public => "Offentlig kontant medfinansiering",
                FinancierKind::Private => "Privat kontant medfinansiering",
            };
            lines.push(FinancingLine {
                label: format!("{label} ({})", p.name),
                financier: c.financier.clone(),
                plan: c.amount,
                period: None,
                cumulative: None,
            });
        }
    }
    // Cash co-financing is what the costs leave after support: only its total can be shown.
    lines.push(FinancingLine {
        label: "Summa kontant medfinansiering".into(),
        financier: String::new(),
        plan: project.budget_cash(),
        period: Some(period.eligible - period.in_kind - period.support),
        cumulative: Some(cumulative.eligible - cumulative.in_kind - support.claimed_total),
    });
    for o in orgs.iter().filter(|o| o.in_kind) {
        let label = match o.kind {
            FinancierKind::Public => "Offentligt bidrag i annat än pengar",
            FinancierKind::Private => "Privat bidrag i annat än pengar",
        };
        lines.push(FinancingLine {
            label: label.into(),
            financier: o.name.clone(),
            plan: o.budget_total.budget,
            period: Some(o.period.total()),
            cumulative: Some(o.cumulative.total()),
        });
    }
    lines.push(FinancingLine {
        label: "Stöd (Europeiska regionala utvecklingsfonden)".into(),
        financier: "Tillväxtverket".into(),
        plan: project.info.approved_support,
        period: Some(period.support),
        cumulative: Some(support.claimed_total),
    });
    lines.push(FinancingLine {
        label: "Summa finansiering".into(),
        financier: String::new(),
        plan: project.totals.total,
        period: Some(period.eligible),
        cumulative: Some(cumulative.eligible),
    });
    lines
}

/// The approved budget by cost category against the cumulative outcome: partners' categories
/// from their budgets, in kind from the co-financiers', the total from every organisation.
pub fn project_budget(orgs: &[OrgFigures], cumulative: &Totals) -> ProjectBudget {
    let partners = || orgs.iter().filter(|o| !o.in_kind);
    let staff: Decimal = partners().map(|o| o.budget_staff.budget).sum();
    let flat: Decimal = partners().map(|o| o.budget_flat_rate.budget).sum();
    let other: Decimal = partners().map(|o| o.budget_other.budget).sum();
    let in_kind: Decimal = orgs.iter().filter(|o| o.in_kind).map(|o| o.budget_total.budget).sum();
    let total: Decimal = orgs.iter().map(|o| o.budget_total.budget).sum();
    ProjectBudget {
        staff: BudgetLine::new(cumulative.staff, staff),
        flat_rate: BudgetLine::new(cumulative.flat_rate, flat),
        other: BudgetLine::new(cumulative.other, other),
        in_kind: BudgetLine::new(cumulative.in_kind, in_kind),
        total: BudgetLine::new(cumulative.eligible, total),
    }
}

/// Sums of the `Personal` lines of partners (`in_kind` false) or co-financiers (true).
pub fn staff_totals(lines: &[StaffLine], in_kind: bool) -> StaffTotals {
    lines.iter().filter(|l| l.in_kind == in_kind).fold(StaffTotals::default(), |t, l| StaffTotals {
        hours: t.hours + l.hours,
        salary_cost: t.salary_cost + l.salary_cost,
        on_cost: t.on_cost + l.on_cost,
        staff_cost: t.staff_cost + l.staff_cost,
    })
}

/// Sums over every work package of the plan.
pub fn plan_totals(work_packages: &[ActivityFigures]) -> PlanTotals {
    let cumulative: Decimal = work_packages.iter().map(|w| w.cumulative).sum();
    PlanTotals {
        period: work_packages.iter().map(|w| w.period).sum(),
        cumulative,
        hours_period: work_packages.iter().map(|w| w.hours_period).sum(),
        hours_cumulative: work_packages.iter().map(|w| w.hours_cumulative).sum(),
        budget: BudgetUse::new(cumulative, work_packages.iter().map(|w| w.budget.budget).sum()),
    }
}

/// The findings counted by severity and code: errors first, then warnings, each in code order.
pub fn finding_counts(findings: &[Finding]) -> Vec<FindingCount> {
    let mut counts: BTreeMap<(Severity, Code), u32> = BTreeMap::new();
    for f in findings {
        *counts.entry((f.severity, f.code)).or_default() += 1;
    }
    counts.into_iter().map(|((severity, code), count)| FindingCount { severity, code, count }).collect()
}
