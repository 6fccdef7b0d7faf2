//! Aggregation: the claim's lines and what earlier claims counted → the [`Figures`] of the run.
//!
//! An organisation's period figures are the sum of the claim's lines ([`History`]): the months
//! of the period, late months and corrections taken, flat rate included as the claim set it.
//! Its cumulative figures are what the submitted claims counted plus the period. Costs reach
//! activities through the hours split of staff costs; the flat rate follows the staff costs per
//! activity, spread on the cumulative figures before and after the claim, the period's share
//! being the difference. Support is `eligible × rate` rounded down to öre, capped so that the
//! claims together never pass the approved amount ([`support`]).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::contribution::MonthReport;
use super::history::{History, Key};
use super::model::*;
use super::staff::{PersonMonthCost, split_amount};
use crate::finding::{Code, Finding, Message, Place, Severity};
use crate::ledger::{ActivityAmounts, Claim, Content, LineKind};
use crate::money::{Hours, floor2, percent};
use crate::month::Month;
use crate::project::{FinancierKind, Measure, Org, Project};
use crate::read::Gender;

/// A counting workbook, as the aggregation sees it.
pub struct Used<'a> {
    pub org: usize,
    pub report: &'a MonthReport,
}

/// Everything the aggregation needs besides the project.
pub struct Inputs<'a> {
    /// Every organisation of the run ([`super::roster::Roster`]): the project file's, then
    /// those that left it with claims.
    pub orgs: &'a [Org<'a>],
    /// How many of them the project file holds.
    pub in_file: usize,
    pub period: Period,
    pub used: &'a [Used<'a>],
    pub person_months: &'a [PersonMonthCost],
    pub history: &'a History,
    /// The submitted claims before this one.
    pub claims: &'a [Claim],
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

/// An organisation's activity amounts, by code.
type ActivityMap = BTreeMap<String, ActivityAmounts>;

fn add_activities(map: &mut ActivityMap, content: &Content) {
    for a in &content.activities {
        let e =
            map.entry(a.code.clone()).or_insert_with(|| ActivityAmounts { code: a.code.clone(), ..Default::default() });
        e.hours += a.hours;
        e.staff += a.staff;
        e.other += a.other;
    }
}

fn amounts(c: &Content) -> Amounts {
    Amounts { staff: c.staff, flat_rate: c.flat_rate, other: c.other }
}

fn add(a: Amounts, b: Amounts) -> Amounts {
    Amounts { staff: a.staff + b.staff, flat_rate: a.flat_rate + b.flat_rate, other: a.other + b.other }
}

/// Organisations, staff lines, activities and the monthly series.
pub fn aggregate(project: &Project, inp: &Inputs) -> Aggregate {
    let h = inp.history;
    // Code order (the codes as text): the flat rate's rounding remainder goes to the last
    // activity in it, as the staff cost's does.
    let mut plan: Vec<String> = project.activities().map(|(_, a)| a.code.clone()).collect();
    plan.sort();
    let mut activity_period: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    let mut activity_cum: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    let mut activity_orgs = Vec::new();
    let mut orgs = Vec::new();
    for (idx, &org) in inp.orgs.iter().enumerate() {
        let (mut before, mut period) = (Amounts::default(), Amounts::default());
        let (mut hours_before, mut hours_period) = (Decimal::ZERO, Decimal::ZERO);
        let (mut acts_before, mut acts_after) = (ActivityMap::new(), ActivityMap::new());
        for (_, c) in h.counted.range((idx, Month::MIN)..=(idx, Month::MAX)) {
            before = add(before, amounts(&c.content));
            hours_before += c.content.hours;
            add_activities(&mut acts_before, &c.content);
            add_activities(&mut acts_after, &c.content);
        }
        for l in h.lines.iter().filter(|l| l.org == idx && l.taken()) {
            period = add(period, amounts(&l.content));
            hours_period += l.content.hours;
            add_activities(&mut acts_after, &l.content);
        }
        let cumulative = add(before, period);
        // Activities: costs with the flat rate spread by staff costs, before and after the
        // claim; the period's share is the difference, so both add up to the organisation.
        let spread = |acts: &ActivityMap, flat: Decimal| -> BTreeMap<String, (Decimal, Decimal)> {
            let weights: Vec<(String, Decimal)> = plan
                .iter()
                .filter_map(|c| acts.get(c).map(|a| (c.clone(), a.staff)))
                .filter(|(_, w)| *w > Decimal::ZERO)
                .collect();
            let mut out: BTreeMap<String, (Decimal, Decimal)> =
                acts.values().map(|a| (a.code.clone(), (a.staff + a.other, a.hours))).collect();
            for (code, part) in split_amount(flat, &weights) {
                out.entry(code).or_default().0 += part;
            }
            out
        };
        let b = spread(&acts_before, before.flat_rate);
        let a = spread(&acts_after, cumulative.flat_rate);
        for (code, (amount, hours)) in &a {
            let (amount_before, hours_before) = b.get(code).copied().unwrap_or_default();
            let (p, ph) = (*amount - amount_before, *hours - hours_before);
            let e = activity_period.entry(code.clone()).or_default();
            e.0 += p;
            e.1 += ph;
            let e = activity_cum.entry(code.clone()).or_default();
            e.0 += *amount;
            e.1 += *hours;
            activity_orgs.push((code.clone(), idx, p, *amount));
        }
        orgs.push(org_figures(idx, org, (period, cumulative), (hours_period, hours_before + hours_period), inp));
    }
    let budget = |code: &str| project.activity(code).map_or(Decimal::ZERO, |a| a.budget);
    let activities: Vec<ActivityFigures> = project
        .activities()
        .map(|(wp, a)| {
            let (cum, hours_cum) = activity_cum.get(&a.code).copied().unwrap_or_default();
            let (period, hours_period) = activity_period.get(&a.code).copied().unwrap_or_default();
            ActivityFigures {
                code: a.code.clone(),
                name: a.name.clone(),
                work_package: wp.code.clone(),
                start: a.start,
                end: a.end,
                period,
                cumulative: cum,
                hours_period,
                hours_cumulative: hours_cum,
                budget: BudgetUse::new(cum, budget(&a.code)),
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
    let activity_orgs = merge_activity_orgs(project, inp.orgs, activity_orgs);
    Aggregate {
        orgs,
        staff: staff_lines(inp),
        activities,
        work_packages,
        activity_orgs,
        monthly: monthly(project, inp),
    }
}

fn merge_activity_orgs(
    project: &Project,
    orgs: &[Org],
    rows: Vec<(String, usize, Decimal, Decimal)>,
) -> Vec<ActivityOrgCost> {
    let folders: Vec<String> = orgs.iter().map(|o| o.folder().to_string()).collect();
    let order: BTreeMap<&str, usize> =
        project.activities().enumerate().map(|(i, (_, a))| (a.code.as_str(), i)).collect();
    let mut merged: BTreeMap<(usize, usize), (String, Decimal, Decimal)> = BTreeMap::new();
    for (code, org, period, cumulative) in rows {
        let key = (order.get(code.as_str()).copied().unwrap_or(usize::MAX), org);
        let e = merged.entry(key).or_insert((code, Decimal::ZERO, Decimal::ZERO));
        e.1 += period;
        e.2 += cumulative;
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
    idx: usize,
    org: Org,
    (period, cumulative): (Amounts, Amounts),
    (hours_period, hours_cumulative): (Decimal, Decimal),
    inp: &Inputs,
) -> OrgFigures {
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
    let rates = org.rates_at(inp.period.to);
    let (from, until) = org.from_until();
    OrgFigures {
        folder: org.folder().to_string(),
        name: org.name().to_string(),
        org_nr: org.org_nr().to_string(),
        in_kind: org.is_cofinancier(),
        kind,
        in_file: idx < inp.in_file,
        from,
        until,
        on_cost_rate: percent(rates.on_costs),
        flat_model: rates.flat_model,
        flat_rate: percent(rates.flat_rate),
        period,
        cumulative,
        hours_period,
        hours_cumulative,
        budget_staff: BudgetUse::new(cumulative.staff, staff_b),
        budget_flat_rate: BudgetUse::new(cumulative.flat_rate, flat_b),
        budget_other: BudgetUse::new(cumulative.other, other_b),
        budget_total: BudgetUse::new(cumulative.total(), staff_b + flat_b + other_b),
        months_reported: months,
        months_counted: 0,
        months_due: 0,
    }
}

/// The `Personal` lines: the period's and each late month's person-months grouped by
/// organisation, person and rate, and each taken correction's per-person differences.
fn staff_lines(inp: &Inputs) -> Vec<StaffLine> {
    let orgs = inp.orgs;
    let h = inp.history;
    let concerns: BTreeMap<Key, Concerns> = h
        .lines
        .iter()
        .filter(|l| l.taken())
        .map(|l| {
            let c = match l.kind {
                LineKind::Period => Concerns::Period,
                LineKind::Late => Concerns::Late(l.month),
                LineKind::Correction => Concerns::Correction(l.month),
            };
            ((l.org, l.month), c)
        })
        .collect();
    let kind_of = |org: Org| match org {
        Org::Cofinancier(c) => c.kind,
        Org::Partner(_) => FinancierKind::Public,
    };
    type Group<'p> = BTreeMap<(usize, String, Concerns, u32, Decimal), Vec<&'p PersonMonthCost>>;
    let mut groups: Group = BTreeMap::new();
    for pm in inp.person_months {
        match concerns.get(&(pm.org, pm.month)) {
            Some(c @ (Concerns::Period | Concerns::Late(_))) => {
                groups.entry((pm.org, pm.pnr.as_str().to_string(), *c, pm.k, pm.on_cost_rate)).or_default().push(pm)
            }
            _ => continue,
        }
    }
    let mut lines: Vec<StaffLine> = groups
        .into_iter()
        .filter_map(|((org_idx, pnr, concerns, _, on_cost_rate), pms)| {
            let first = pms.first()?;
            let last = pms.last()?;
            let org = orgs.get(org_idx)?;
            Some(StaffLine {
                folder: org.folder().to_string(),
                org_name: org.name().to_string(),
                in_kind: org.is_cofinancier(),
                kind: kind_of(*org),
                name: last.name.clone(),
                personnummer: pnr.clone(),
                role: last.role.clone(),
                start: first.start,
                monthly_salary: first.salary,
                hourly_rate: Some(first.rate),
                index_steps: first.k,
                first_month: first.month,
                last_month: last.month,
                hours: pms.iter().map(|p| p.hours).sum::<Hours>().value(),
                salary_cost: pms.iter().map(|p| p.salary_cost).sum(),
                on_cost_rate,
                on_cost: pms.iter().map(|p| p.on_cost).sum(),
                staff_cost: pms.iter().map(|p| p.staff_cost).sum(),
                concerns,
                registered_in: h.registered.get(&(org_idx, pnr)).copied(),
            })
        })
        .collect();
    for l in h.lines.iter().filter(|l| l.taken() && l.kind == LineKind::Correction) {
        let Some(org) = orgs.get(l.org) else { continue };
        for p in &l.content.persons {
            let now =
                inp.person_months.iter().find(|pm| pm.org == l.org && pm.month == l.month && pm.pnr.as_str() == p.pnr);
            lines.push(StaffLine {
                folder: org.folder().to_string(),
                org_name: org.name().to_string(),
                in_kind: org.is_cofinancier(),
                kind: kind_of(*org),
                name: p.name.clone(),
                personnummer: p.pnr.clone(),
                role: p.role.clone(),
                start: p.start.unwrap_or_else(|| l.month.first_day()),
                monthly_salary: p.monthly_salary,
                hourly_rate: now.map(|pm| pm.rate),
                index_steps: now.map_or(0, |pm| pm.k),
                first_month: l.month,
                last_month: l.month,
                hours: p.hours,
                salary_cost: p.salary_cost,
                on_cost_rate: percent(l.rates.on_costs),
                on_cost: p.on_cost,
                staff_cost: p.staff_cost,
                concerns: Concerns::Correction(l.month),
                registered_in: h.registered.get(&(l.org, p.pnr.clone())).copied(),
            });
        }
    }
    let order: BTreeMap<&str, usize> = orgs.iter().enumerate().map(|(i, o)| (o.folder(), i)).collect();
    lines.sort_by(|a, b| {
        (order.get(a.folder.as_str()), a.concerns, &a.name, &a.personnummer, a.index_steps).cmp(&(
            order.get(b.folder.as_str()),
            b.concerns,
            &b.name,
            &b.personnummer,
            b.index_steps,
        ))
    });
    lines
}

/// Cumulative cost at the end of every month from the project's start to the period's end: what
/// the claims counted for each month, this claim included.
fn monthly(project: &Project, inp: &Inputs) -> Vec<MonthPoint> {
    let h = inp.history;
    let n = inp.orgs.len();
    let mut by_month: BTreeMap<Key, Decimal> = BTreeMap::new();
    for (key, c) in &h.counted {
        *by_month.entry(*key).or_default() += c.content.total();
    }
    for l in h.lines.iter().filter(|l| l.taken()) {
        *by_month.entry((l.org, l.month)).or_default() += l.content.total();
    }
    let mut running = vec![Decimal::ZERO; n];
    project
        .start_month()
        .through(inp.period.to)
        .map(|m| {
            for (i, r) in running.iter_mut().enumerate() {
                *r += by_month.get(&(i, m)).copied().unwrap_or_default();
            }
            MonthPoint { month: m, cumulative: running.iter().sum(), by_org: running.clone() }
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
    t.support_uncapped = floor2(t.eligible * rate);
    t.support = t.support_uncapped;
    t
}

/// This claim's support and the support across claims.
///
/// Each claim's share is its eligible costs × the support rate rounded down to öre (`uncapped`,
/// recorded with the claim). The claims together are entitled to the sum of their shares, but
/// never more than the approved support in force now (never less than 0): this claim asks for
/// `min(approved, Σ shares) − support claimed before`. So a capped claim's held-back support comes
/// back when a decision raises the approved support, a negative claim gives back its share, and
/// an approved support lowered below what was claimed makes the claim give the excess back
/// (`APPROVED_SUPPORT_BELOW_CLAIMED`, an error). `SUPPORT_CAP_REACHED` says when the cap cut the
/// claim's share.
pub fn support(approved: Decimal, claims: &[Claim], rate: Decimal, eligible: Decimal) -> SupportOutcome {
    let claimed_before: Decimal = claims.iter().map(|c| c.support).sum();
    // A claim recorded before its share was (a legacy claim, or one written by hand) has the
    // share of its eligible costs at today's rate, but never less than the support it got.
    let share_before: Decimal =
        claims.iter().map(|c| c.support_uncapped.unwrap_or_else(|| floor2(c.eligible * rate).max(c.support))).sum();
    let uncapped = floor2(eligible * rate);
    let entitled = approved.min((share_before + uncapped).max(Decimal::ZERO)).max(Decimal::ZERO);
    let claimed = entitled - claimed_before;
    let capped = claimed < uncapped;
    let claimed_total = claimed_before + claimed;
    let mut findings = Vec::new();
    if approved < claimed_before {
        findings.push(Finding::of(Place::default(), Message::SupportBelowClaimed { approved, claimed_before }));
    } else if capped {
        findings.push(Finding::of(
            Place::default(),
            Message::SupportCapReached { uncapped, claimed_before, approved, claimed },
        ));
    }
    let earlier = claims
        .iter()
        .map(|c| EarlierClaim { seq: c.seq, from: c.from, to: c.to, eligible: c.eligible, support: c.support })
        .collect();
    let figures = SupportFigures {
        approved,
        claimed_before,
        claimed_total,
        remaining: approved - claimed_total,
        capped,
        earlier,
        ..SupportFigures::default()
    };
    SupportOutcome { figures, uncapped, claimed, findings }
}

/// What [`support`] decides.
pub struct SupportOutcome {
    pub figures: SupportFigures,
    /// `eligible × rate`, rounded down to öre.
    pub uncapped: Decimal,
    /// What this claim asks for.
    pub claimed: Decimal,
    pub findings: Vec<Finding>,
}

/// Indicators against their targets (`docs/rules.md`, "Indicators"). The cumulative value is
/// primary: over the counting workbooks from the project's start to the period's end, each
/// organisation counted once over the whole project. The period value is what is new against the
/// cumulative value the last submitted claim reported (recorded in the ledger; for a claim
/// recorded before indicators were kept, the value over the months up to its end), so the
/// claims' period values add up to the cumulative value. The share of the target is in whole per
/// cent rounded down: only a target met shows 100 %.
pub fn indicators(project: &Project, inp: &Inputs) -> Vec<IndicatorFigures> {
    let last = inp.claims.last();
    project
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let cumulative = indicator_value(ind.measure, i, inp.used.iter());
            let before = last.map_or(Decimal::ZERO, |c| {
                c.indicators.iter().find(|r| r.is(&ind.code, &ind.name)).map_or_else(
                    || indicator_value(ind.measure, i, inp.used.iter().filter(|u| u.report.month <= c.to)),
                    |r| r.cumulative,
                )
            });
            let registrations = (ind.measure == Measure::ParticipantOrganisations).then(|| {
                let mut count = GenderCount::default();
                for p in inp.used.iter().flat_map(|u| &u.report.participants) {
                    match p.gender {
                        Gender::Woman => count.women += 1,
                        Gender::Man => count.men += 1,
                        Gender::NotStated => count.not_stated += 1,
                    }
                }
                count
            });
            IndicatorFigures {
                name: ind.name.clone(),
                code: ind.code.clone(),
                kind: ind.kind.clone(),
                unit: ind.unit.clone(),
                target: ind.target,
                period: cumulative - before,
                cumulative,
                gender: registrations,
                percent_of_target: (!ind.target.is_zero())
                    .then(|| (cumulative * Decimal::ONE_HUNDRED / ind.target).floor()),
            }
        })
        .collect()
}

/// An indicator's value over `used` workbooks: the sum of the reported values, or the number of
/// distinct organisations (the project's own with a counting workbook, or the participants').
fn indicator_value<'a>(measure: Measure, index: usize, used: impl Iterator<Item = &'a Used<'a>>) -> Decimal {
    match measure {
        Measure::Reported => {
            used.flat_map(|u| &u.report.indicator_values).filter(|(j, _)| *j == index).map(|(_, v)| *v).sum()
        }
        Measure::Organisations => Decimal::from(used.map(|u| u.org).collect::<BTreeSet<usize>>().len()),
        Measure::ParticipantOrganisations => {
            Decimal::from(used.flat_map(|u| &u.report.participants).map(|p| &p.org_nr).collect::<BTreeSet<_>>().len())
        }
    }
}

/// The financing plan against the outcome of the period and the project so far. Cash
/// co-financing is what was paid in (the partners' `Medfinansiering` sheets, [`cofinancing`]):
/// each financier's line and their sum, the figure Min ansökan takes. The remainder (eligible
/// costs less support and in kind: what cash co-financing has to cover) is a line of its own,
/// marked [`FinancingRole::Remainder`], never a sum of cash.
pub fn financing(
    project: &Project,
    orgs: &[OrgFigures],
    (period, cumulative): (&Totals, &Totals),
    support: &SupportFigures,
    cash: &Cofinancing,
) -> Vec<FinancingLine> {
    let mut lines = Vec::new();
    let line = |role, label: String, financier: String, plan, period, cumulative| FinancingLine {
        role,
        label,
        financier,
        plan,
        period,
        cumulative,
    };
    for l in &cash.lines {
        let label = match l.kind {
            FinancierKind::Public => "Offentlig kontant medfinansiering",
            FinancierKind::Private => "Privat kontant medfinansiering",
        };
        lines.push(line(
            FinancingRole::Cash,
            format!("{label} ({})", l.partner),
            l.financier.clone(),
            l.decided,
            l.paid_period,
            l.paid_cumulative,
        ));
    }
    let (cash_period, cash_cumulative): (Decimal, Decimal) =
        cash.total.as_ref().map_or((Decimal::ZERO, Decimal::ZERO), |t| (t.paid_period, t.paid_cumulative));
    lines.push(line(
        FinancingRole::Sum,
        "Summa kontant medfinansiering, inbetald".into(),
        String::new(),
        project.budget_cash(),
        cash_period,
        cash_cumulative,
    ));
    for o in orgs.iter().filter(|o| o.in_kind) {
        let label = match o.kind {
            FinancierKind::Public => "Offentligt bidrag i annat än pengar",
            FinancierKind::Private => "Privat bidrag i annat än pengar",
        };
        lines.push(line(
            FinancingRole::Line,
            label.into(),
            o.name.clone(),
            o.budget_total.budget,
            o.period.total(),
            o.cumulative.total(),
        ));
    }
    lines.push(line(
        FinancingRole::Line,
        "Stöd (Europeiska regionala utvecklingsfonden)".into(),
        "Tillväxtverket".into(),
        project.info.approved_support,
        period.support,
        support.claimed_total,
    ));
    lines.push(line(
        FinancingRole::Sum,
        "Summa finansiering".into(),
        String::new(),
        project.totals.total,
        cash_period + period.in_kind + period.support,
        cash_cumulative + cumulative.in_kind + support.claimed_total,
    ));
    lines.push(line(
        FinancingRole::Remainder,
        "Kostnader som kontant medfinansiering ska täcka (beräknat, inte inbetalt)".into(),
        String::new(),
        project.budget_cash(),
        period.eligible - period.in_kind - period.support,
        cumulative.eligible - cumulative.in_kind - support.claimed_total,
    ));
    lines
}

/// The claims from the project's start: those this one builds on as the ledger recorded them,
/// then this one (with its date when the ledger already holds it: `submitted`), and their sums.
pub fn claims_to_date(
    claims: &[Claim],
    submitted: Option<Submitted>,
    period: Period,
    seq: u32,
    totals: &Totals,
) -> ClaimsToDate {
    let mut rows: Vec<ClaimRow> = claims
        .iter()
        .map(|c| ClaimRow {
            seq: c.seq,
            from: c.from,
            to: c.to,
            eligible: c.eligible,
            support: c.support,
            submitted: Some(c.recorded_on),
        })
        .collect();
    rows.push(ClaimRow {
        seq,
        from: period.from,
        to: period.to,
        eligible: totals.eligible,
        support: totals.support,
        submitted: submitted.map(|s| s.on),
    });
    ClaimsToDate {
        eligible: rows.iter().map(|r| r.eligible).sum(),
        support: rows.iter().map(|r| r.support).sum(),
        rows,
    }
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

/// A cash financier of a partner's column, as the co-financing figures need it.
struct PlanLine {
    financier: String,
    kind: FinancierKind,
    decided: Decimal,
    org_nr: String,
    external: bool,
}

/// Each partner's cash financiers: the financing plan's for the partners of the project file; for
/// a partner that left it, those its claimed months recorded payments from, with nothing decided
/// (the decision no longer holds it).
fn cash_plan(project: &Project, inp: &Inputs) -> Vec<(usize, Vec<PlanLine>)> {
    let mut out: Vec<(usize, Vec<PlanLine>)> = (0..project.partners.len())
        .map(|idx| {
            let lines = project
                .cash_financiers(idx)
                .into_iter()
                .map(|cf| PlanLine {
                    financier: cf.line.financier.clone(),
                    kind: cf.line.kind,
                    decided: cf.line.amount,
                    org_nr: cf.org_nr.map_or_else(String::new, ToString::to_string),
                    external: cf.external,
                })
                .collect();
            (idx, lines)
        })
        .collect();
    for (idx, org) in inp.orgs.iter().enumerate().skip(inp.in_file) {
        let Org::Partner(p) = org else { continue };
        let mut seen: Vec<(String, FinancierKind)> = Vec::new();
        for (_, c) in inp.history.counted.range((idx, Month::MIN)..=(idx, Month::MAX)) {
            for pay in &c.content.payments {
                if !seen.contains(&(pay.financier.clone(), pay.kind)) {
                    seen.push((pay.financier.clone(), pay.kind));
                }
            }
        }
        let lines = seen
            .into_iter()
            .map(|(financier, kind)| PlanLine {
                external: crate::contract::normalise(&financier) != crate::contract::normalise(&p.name),
                financier,
                kind,
                decided: Decimal::ZERO,
                org_nr: String::new(),
            })
            .collect();
        out.push((idx, lines));
    }
    out
}

/// Co-financing paid in per financier and partner, against the financing plan: paid in as this
/// claim takes it (its lines) and as the claims together count it; the lag against the share of
/// the partner's budget claimed (`COFINANCING_LAGGING`); the transactions of the months taken.
pub fn cofinancing(project: &Project, inp: &Inputs, orgs: &[OrgFigures]) -> (Cofinancing, Vec<Finding>) {
    let h = inp.history;
    let threshold = percent(project.info.cofinancing_lag);
    let mut out = Cofinancing { lag_threshold: threshold, ..Cofinancing::default() };
    let mut findings = Vec::new();
    let paid = |c: &Content, financier: &str, kind: FinancierKind| -> Decimal {
        c.payments.iter().filter(|p| p.financier == financier && p.kind == kind).map(|p| p.amount).sum()
    };
    let share = |num: Decimal, den: Decimal| (!den.is_zero()).then(|| num / den);
    for (idx, plan) in cash_plan(project, inp) {
        let (Some(o), Some(partner)) = (orgs.get(idx), inp.orgs.get(idx)) else { continue };
        let share_claimed = o.budget_total.used;
        for cf in plan {
            let (name, kind) = (cf.financier.as_str(), cf.kind);
            let before: Decimal =
                h.counted.range((idx, Month::MIN)..=(idx, Month::MAX)).map(|(_, c)| paid(&c.content, name, kind)).sum();
            let period: Decimal =
                h.lines.iter().filter(|l| l.org == idx && l.taken()).map(|l| paid(&l.content, name, kind)).sum();
            let cumulative = before + period;
            let share_decided = share(cumulative, cf.decided);
            let lagging = match (share_claimed, share_decided) {
                (Some(claimed), Some(decided)) => claimed - decided > threshold,
                _ => false,
            };
            if lagging {
                findings.push(Finding::of(
                    Place { partner: Some(partner.folder().to_string()), ..Place::default() },
                    Message::CofinancingLagging {
                        financier: name.to_string(),
                        partner: partner.name().to_string(),
                        paid: cumulative,
                        decided: cf.decided,
                        share_paid: share_decided.unwrap_or_default(),
                        share_claimed: share_claimed.unwrap_or_default(),
                        claimed: o.cumulative.total(),
                        lag_points: project.info.cofinancing_lag,
                    },
                ));
            }
            out.lines.push(CofinancingLine {
                financier: name.to_string(),
                org_nr: cf.org_nr,
                kind,
                folder: partner.folder().to_string(),
                partner: partner.name().to_string(),
                external: cf.external,
                decided: cf.decided,
                paid_period: period,
                paid_cumulative: cumulative,
                share_decided,
                share_claimed,
                lagging,
            });
        }
    }
    let sum = |label: String, lines: &[&CofinancingLine]| {
        let decided: Decimal = lines.iter().map(|l| l.decided).sum();
        let cumulative: Decimal = lines.iter().map(|l| l.paid_cumulative).sum();
        CofinancingTotal {
            label,
            org_nr: String::new(),
            kind: None,
            external: false,
            decided,
            paid_period: lines.iter().map(|l| l.paid_period).sum(),
            paid_cumulative: cumulative,
            share_decided: share(cumulative, decided),
        }
    };
    let mut names: Vec<(&str, FinancierKind)> = Vec::new();
    for l in &out.lines {
        if !names.contains(&(l.financier.as_str(), l.kind)) {
            names.push((l.financier.as_str(), l.kind));
        }
    }
    for (name, kind) in names {
        let mine: Vec<&CofinancingLine> = out.lines.iter().filter(|l| l.financier == name && l.kind == kind).collect();
        let first = mine[0];
        out.by_financier.push(CofinancingTotal {
            org_nr: first.org_nr.clone(),
            kind: Some(kind),
            external: first.external,
            ..sum(name.to_string(), &mine)
        });
    }
    for kind in [FinancierKind::Public, FinancierKind::Private] {
        let mine: Vec<&CofinancingLine> = out.lines.iter().filter(|l| l.kind == kind).collect();
        if !mine.is_empty() {
            let label = match kind {
                FinancierKind::Public => "Offentlig kontant medfinansiering",
                FinancierKind::Private => "Privat kontant medfinansiering",
            };
            out.by_kind.push(CofinancingTotal { kind: Some(kind), ..sum(label.to_string(), &mine) });
        }
    }
    if !out.lines.is_empty() {
        let all: Vec<&CofinancingLine> = out.lines.iter().collect();
        out.total = Some(sum("Summa kontant medfinansiering".to_string(), &all));
    }
    // Transactions: the payments of every month this claim takes, as the workbook now holds them.
    let taken: BTreeMap<Key, LineKind> =
        h.lines.iter().filter(|l| l.taken()).map(|l| ((l.org, l.month), l.kind)).collect();
    let mut used: Vec<&Used> = inp.used.iter().collect();
    used.sort_by_key(|u| (u.org, u.report.month));
    for u in used {
        let Some(&concerns) = taken.get(&(u.org, u.report.month)) else { continue };
        for p in &u.report.payments {
            let Some(l) = out.lines.iter().find(|l| {
                project.partners.get(u.org).is_some_and(|q| q.folder == l.folder)
                    && l.financier == p.financier
                    && l.kind == p.kind
            }) else {
                continue;
            };
            out.payments.push(PaymentLine {
                folder: l.folder.clone(),
                partner: l.partner.clone(),
                financier: l.financier.clone(),
                org_nr: l.org_nr.clone(),
                kind: l.kind,
                external: l.external,
                month: u.report.month,
                concerns,
                date: p.date,
                amount: p.amount,
                voucher: p.voucher.clone(),
                comment: p.comment.clone(),
                file: p.place.file.clone().unwrap_or_default(),
            });
        }
    }
    (out, findings)
}
