//! Staff costs per person and month, by Tillväxtverket's 2021–2027 rules.
//!
//! - Unit cost per hour: `Månadslön × 12 / 1 720`, the salary of the person's first month in the
//!   project, raised by the indexation (2.4 %) for every whole 12 months since `Startdatum`,
//!   compounding.
//! - Hours: the time report, or for fixed-share staff `1 720 × Andel / 12`, pro rata for a month
//!   not wholly in the project, minus deductible absence, never below 0. Exact until multiplied.
//! - `lön = round2(hours × rate)`, `lönebikostnad = round2(lön × on-cost rate)` (the rate the
//!   month is priced by: [`super::decision`]), both half away
//!   from zero; the cost is split over activities by hours, the last activity in code order
//!   taking the remainder so the parts add up to the öre, and no part is negative.
//! - A person is their personnummer: a calendar year's hours, over every organisation and
//!   claim, stop at the sum over its months of `1 720 × Sysselsättningsgrad / 12` ([`year_cap`]):
//!   only the excess is left out ([`annual_cap`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::contribution::{MonthReport, PersonMonth};
use super::decision::Pricing;
use crate::finding::{BasisField, Finding, Message, Place};
use crate::ids::Personnummer;
use crate::money::{Hours, round2};
use crate::month::{Month, whole_months_between};
use crate::project::{Org, Project};
use crate::read::Reporting;

/// A share of a person-month's cost on one activity.
#[derive(Debug, Clone)]
pub struct Part {
    pub code: String,
    pub cost: Decimal,
    pub hours: Hours,
}

/// One person's costed month.
#[derive(Debug, Clone)]
pub struct PersonMonthCost {
    /// Index of the organisation in [`Project::orgs`].
    pub org: usize,
    pub month: Month,
    pub name: String,
    pub pnr: Personnummer,
    pub role: String,
    /// Startdatum and Månadslön of the person's first month (the basis), and that month: the
    /// month whose salary is evidenced when the person is first claimed.
    pub start: NaiveDate,
    pub salary: Decimal,
    pub basis_month: Month,
    pub employment: Decimal,
    /// Whole 12-month indexation steps.
    pub k: u32,
    /// Hourly unit cost, exact.
    pub rate: Decimal,
    /// Hours as reported, before the annual cap.
    pub reported_hours: Hours,
    /// Hours costed.
    pub hours: Hours,
    pub salary_cost: Decimal,
    /// The on-cost rate the month is priced by, as a fraction.
    pub on_cost_rate: Decimal,
    pub on_cost: Decimal,
    pub staff_cost: Decimal,
    pub parts: Vec<Part>,
    /// The person's `Personal` row in this month's workbook.
    pub place: Place,
}

/// A change of a person's salary basis after the first month.
#[derive(Debug, Clone)]
pub struct BasisChange {
    pub name: String,
    pub place: Place,
    pub month: Month,
    pub first_month: Month,
    pub field: BasisField,
}

struct Basis {
    salary: Decimal,
    start: NaiveDate,
    first_month: Month,
}

/// What the earlier claims counted for months that no counting workbook holds any more (kept
/// by a held correction): personnummer and year → hours. They count first against the year's
/// cap.
pub type ClaimedHours = BTreeMap<(String, i32), Hours>;

/// One organisation's counting workbook for a month, as [`cost_all`] takes it.
pub struct OrgReport<'a> {
    /// Index of the organisation in [`Project::orgs`].
    pub org: usize,
    pub report: &'a MonthReport,
}

/// Costs every person-month of every organisation. The person is their personnummer: the
/// salary basis is per organisation (each employer's first month), but the annual cap is per
/// person and calendar year across every organisation and claim, the hours taken in month order
/// and, within a month, in the project file's order of organisations. `claimed` holds the hours
/// earlier claims counted in months no workbook counts now. The on-cost rate of each month is
/// the one [`Pricing`] says it is priced by.
pub fn cost_all(
    project: &Project,
    pricing: &Pricing,
    reports: &[OrgReport],
    claimed: &ClaimedHours,
) -> (Vec<PersonMonthCost>, Vec<BasisChange>, Vec<Finding>) {
    let orgs: Vec<Org> = project.orgs().collect();
    let mut order: Vec<&OrgReport> = reports.iter().collect();
    order.sort_by_key(|r| (r.report.month, r.org));
    let grades = month_grades(&order);
    let no_grades = BTreeMap::new();
    let mut findings = double_reported(&orgs, &order);
    let mut bases: BTreeMap<(usize, Personnummer), Basis> = BTreeMap::new();
    let mut year_hours: BTreeMap<(String, i32), Hours> = claimed.clone();
    let (mut costs, mut changes) = (Vec::new(), Vec::new());
    for r in order {
        if orgs.get(r.org).is_none() {
            continue;
        }
        let (org_index, report) = (r.org, r.report);
        let month = report.month;
        for p in &report.persons {
            let basis = bases.entry((org_index, p.pnr.clone())).or_insert(Basis {
                salary: p.salary,
                start: p.start,
                first_month: month,
            });
            if p.salary != basis.salary {
                changes.push(change(
                    p,
                    month,
                    basis,
                    BasisField::Salary { before: basis.salary, after: p.salary },
                    p.salary_place.clone(),
                ));
            }
            if p.start != basis.start {
                changes.push(change(
                    p,
                    month,
                    basis,
                    BasisField::Start { before: basis.start, after: p.start },
                    p.start_place.clone(),
                ));
            }
            let reported = person_hours(project, p, month);
            if reported.is_zero() {
                continue;
            }
            // In code order (the activity codes as text, as the ledger lists them): the last
            // takes the rounding remainder.
            let mut weights = distribution(p);
            weights.sort_by(|a, b| a.0.cmp(&b.0));
            if weights.is_empty() {
                findings.push(Finding::of(p.place.clone(), Message::HoursWithoutActivity { name: p.name.clone() }));
                continue;
            }
            let person_grades = grades.get(p.pnr.as_str()).unwrap_or(&no_grades);
            let cap = year_cap(project.info.hours_per_year, person_grades, month.year());
            let year = year_hours.entry((p.pnr.as_str().to_string(), month.year())).or_insert(Hours::ZERO);
            let (hours, cap_finding) = annual_cap(project, p, month, reported, cap, year);
            findings.extend(cap_finding);
            let k = index_steps(basis.start, month);
            let Some(factor) = indexation(project.indexation_factor(), k) else {
                findings.push(Finding::of(
                    p.place.clone(),
                    Message::IndexationOverflow { name: p.name.clone(), steps: k, indexation: project.info.indexation },
                ));
                continue;
            };
            let per_year = Decimal::from(project.info.hours_per_year);
            // lön = hours × salary × 12 × factor / 1 720 with one division at the end.
            let salary_cost = round2(hours.times(basis.salary * Decimal::from(12) * factor, per_year));
            let on_cost_rate = pricing.on_cost_fraction(org_index, month);
            let on_cost = round2(salary_cost * on_cost_rate);
            let staff_cost = salary_cost + on_cost;
            costs.push(PersonMonthCost {
                org: org_index,
                month,
                name: p.name.clone(),
                pnr: p.pnr.clone(),
                role: p.role.clone(),
                start: basis.start,
                salary: basis.salary,
                basis_month: basis.first_month,
                employment: p.employment,
                k,
                rate: basis.salary * Decimal::from(12) * factor / per_year,
                reported_hours: reported,
                hours,
                salary_cost,
                on_cost_rate,
                on_cost,
                staff_cost,
                parts: split_by_hours(staff_cost, hours, &weights),
                place: p.place.clone(),
            });
        }
        hold_against_cap(project, report, &grades, &mut year_hours);
    }
    (costs, changes, findings)
}

/// The held-out persons of a month (`HELD_OUT`) are not costed, but their hours as far as they
/// can be read count against the year's cap, so that a later month does not gain hours from
/// the error.
fn hold_against_cap(
    project: &Project,
    report: &MonthReport,
    grades: &BTreeMap<String, BTreeMap<Month, Decimal>>,
    year_hours: &mut BTreeMap<(String, i32), Hours>,
) {
    let month = report.month;
    for p in &report.held {
        let no_grades = BTreeMap::new();
        let cap = year_cap(project.info.hours_per_year, grades.get(p.pnr.as_str()).unwrap_or(&no_grades), month.year());
        let year = year_hours.entry((p.pnr.as_str().to_string(), month.year())).or_insert(Hours::ZERO);
        *year = *year + person_hours(project, p, month).min((cap - *year).at_least_zero());
    }
}

/// Each person's Sysselsättningsgrad per reported month: the sum over the organisations that
/// report them that month, at most 100 % (one person has one full time).
fn month_grades(reports: &[&OrgReport]) -> BTreeMap<String, BTreeMap<Month, Decimal>> {
    let mut grades: BTreeMap<String, BTreeMap<Month, Decimal>> = BTreeMap::new();
    for r in reports {
        for p in r.report.persons.iter().chain(&r.report.held) {
            let g =
                grades.entry(p.pnr.as_str().to_string()).or_default().entry(r.report.month).or_insert(Decimal::ZERO);
            *g = (*g + p.employment).min(Decimal::ONE);
        }
    }
    grades
}

/// `DOUBLE_REPORTED`: one personnummer in the workbooks of two or more organisations for the
/// same month, a warning on each of those `Personal` rows.
fn double_reported(orgs: &[Org], reports: &[&OrgReport]) -> Vec<Finding> {
    let mut seen: BTreeMap<(String, Month), Vec<(usize, &PersonMonth)>> = BTreeMap::new();
    for r in reports {
        for p in &r.report.persons {
            seen.entry((p.pnr.as_str().to_string(), r.report.month)).or_default().push((r.org, p));
        }
    }
    let mut out = Vec::new();
    for ((_, month), rows) in seen {
        let mut by: Vec<usize> = rows.iter().map(|(o, _)| *o).collect();
        by.dedup();
        if by.len() < 2 {
            continue;
        }
        let name = |o: &usize| orgs.get(*o).map_or("", |o| o.name());
        for (org, p) in &rows {
            let others: Vec<&str> = by.iter().filter(|o| *o != org).map(name).collect();
            out.push(Finding::of(
                p.place.clone(),
                Message::DoubleReported {
                    name: p.name.clone(),
                    month,
                    org: name(org).to_string(),
                    others: others.iter().map(ToString::to_string).collect(),
                },
            ));
        }
    }
    out
}

/// The month's Sysselsättningsgrad from the reported ones: the month's own, else the nearest
/// reported month's (the earlier on a tie); 100 % when none is known.
pub fn grade_of(grades: &BTreeMap<Month, Decimal>, month: Month) -> Decimal {
    if let Some(g) = grades.get(&month) {
        return *g;
    }
    let before = grades.range(..month).next_back();
    let after = grades.range(month..).next();
    let dist = |a: Month, b: Month| (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32;
    match (before, after) {
        (Some((bm, bg)), Some((am, ag))) => {
            if dist(*bm, month) <= dist(month, *am) {
                *bg
            } else {
                *ag
            }
        }
        (Some((_, g)), None) | (None, Some((_, g))) => *g,
        (None, None) => Decimal::ONE,
    }
}

/// The calendar year's hours cap: the sum over its twelve months of
/// `1 720 × the month's Sysselsättningsgrad / 12` ([`grade_of`]), exact.
pub fn year_cap(hours_per_year: u32, grades: &BTreeMap<Month, Decimal>, year: i32) -> Hours {
    let sum: Decimal = (1..=12).filter_map(|m| Month::new(year, m)).map(|m| grade_of(grades, m)).sum();
    Hours::fraction(Decimal::from(hours_per_year) * sum, 12)
}

fn change(p: &PersonMonth, month: Month, basis: &Basis, field: BasisField, place: Place) -> BasisChange {
    BasisChange { name: p.name.clone(), place, month, first_month: basis.first_month, field }
}

/// The month's hours before the annual cap.
pub fn person_hours(project: &Project, p: &PersonMonth, month: Month) -> Hours {
    match p.reporting {
        Reporting::TimeReport => p.time.iter().map(|(_, h)| *h).sum(),
        Reporting::FixedShare => (fixed_hours(project, p, month) - p.absence).at_least_zero(),
    }
}

/// `1 720 × Andel / 12`, pro rata by calendar days in the project when the month is not whole
/// (before Startdatum, after Slutdatum, or outside the project's dates).
pub fn fixed_hours(project: &Project, p: &PersonMonth, month: Month) -> Hours {
    let Some(share) = p.share else { return Hours::ZERO };
    let first = month.first_day().max(p.start).max(project.info.start);
    let last = month.last_day().min(p.end.unwrap_or(NaiveDate::MAX)).min(project.info.end);
    if last < first {
        return Hours::ZERO;
    }
    let days = (last - first).num_days() + 1;
    let num = Decimal::from(project.info.hours_per_year) * share * Decimal::from(days);
    Hours::fraction(num, 12 * u64::from(month.days()))
}

/// How the month's hours are spread over activities: the time report's hours per activity, or
/// for fixed-share staff without time rows, all on the Huvudaktivitet.
fn distribution(p: &PersonMonth) -> Vec<(String, Hours)> {
    let rows: Vec<(String, Hours)> = p.time.iter().filter(|(_, h)| !h.is_zero()).cloned().collect();
    if !rows.is_empty() || p.reporting == Reporting::TimeReport {
        return rows;
    }
    p.main_activity.iter().map(|a| (a.clone(), Hours::from_decimal(Decimal::ONE))).collect()
}

/// Whole 12-month steps from `start` to the first day of `month` (never negative).
pub fn index_steps(start: NaiveDate, month: Month) -> u32 {
    (whole_months_between(start, month.first_day()).max(0) / 12) as u32
}

/// `factor^k`, exact; `None` when it would overflow (or exceed [`MAX_INDEXATION_FACTOR`]).
pub fn indexation(factor: Decimal, k: u32) -> Option<Decimal> {
    (0..k)
        .try_fold(Decimal::ONE, |acc, _| acc.checked_mul(factor))
        .filter(|f| f.abs() <= Decimal::from(MAX_INDEXATION_FACTOR))
}

/// The largest indexation factor costed: a salary (below 10¹⁵ kr) times it, times twelve,
/// times a month's hours, stays far inside exact decimal arithmetic.
pub const MAX_INDEXATION_FACTOR: i64 = 1_000;

/// The annual cap: hours that push the person's calendar year past `cap` ([`year_cap`]) are
/// left out (only the excess), with an error finding. `year` is the hours already costed this
/// calendar year for the person, in every organisation and claim, and is updated.
pub fn annual_cap(
    project: &Project,
    p: &PersonMonth,
    month: Month,
    reported: Hours,
    cap: Hours,
    year: &mut Hours,
) -> (Hours, Option<Finding>) {
    let allowed = (cap - *year).at_least_zero();
    let costed = reported.min(allowed);
    *year = *year + costed;
    let finding = (costed < reported).then(|| {
        Finding::of(
            p.place.clone(),
            Message::HoursOverAnnualCap {
                name: p.name.clone(),
                year: month.year(),
                cap: cap.value(),
                hours_per_year: project.info.hours_per_year,
                reported: reported.value(),
                costed: costed.value(),
                left_out: (reported - costed).value(),
            },
        )
    });
    (costed, finding)
}

/// Splits `cost` over activities in proportion to `weights`, in the order given (code order):
/// each part is rounded to öre, but never past what is left, and the last activity takes the
/// remainder, so the parts add up exactly and none has the opposite sign of `cost` (0,03 kr over
/// six equal activities is 0,01 + 0,01 + 0,01 + 0 + 0 + 0). Hours are split the same way,
/// exactly.
pub fn split_by_hours(cost: Decimal, hours: Hours, weights: &[(String, Hours)]) -> Vec<Part> {
    let whole: Hours = weights.iter().map(|(_, h)| *h).sum();
    let mut parts = Vec::with_capacity(weights.len());
    let (mut given, mut given_hours) = (Decimal::ZERO, Hours::ZERO);
    for (i, (code, w)) in weights.iter().enumerate() {
        let last = i + 1 == weights.len();
        let part = if last {
            cost - given
        } else {
            within(round2(Hours::from_decimal(cost).scaled(*w, whole).value()), cost - given)
        };
        // Uncapped hours split exactly as reported; capped ones in proportion, the last
        // activity taking the remainder so the hours add up too.
        let part_hours = match (last, hours == whole) {
            (_, true) => *w,
            (true, false) => hours - given_hours,
            (false, false) => hours.scaled(*w, whole),
        };
        given += part;
        given_hours = given_hours + part_hours;
        parts.push(Part { code: code.clone(), cost: part, hours: part_hours });
    }
    parts
}

/// `part` limited to lie between 0 and `left` (whichever sign `left` has).
fn within(part: Decimal, left: Decimal) -> Decimal {
    if left.is_sign_negative() { part.max(left).min(Decimal::ZERO) } else { part.min(left).max(Decimal::ZERO) }
}

/// Splits an amount over keys in proportion to decimal weights, each part rounded but never
/// past what is left, the last key taking the remainder; with no positive weight, nothing is
/// split.
pub fn split_amount<K: Clone>(amount: Decimal, weights: &[(K, Decimal)]) -> Vec<(K, Decimal)> {
    let whole: Decimal = weights.iter().map(|(_, w)| *w).sum();
    if whole.is_zero() {
        return Vec::new();
    }
    let mut given = Decimal::ZERO;
    weights
        .iter()
        .enumerate()
        .map(|(i, (k, w))| {
            let part = if i + 1 == weights.len() {
                amount - given
            } else {
                within(round2(amount * *w / whole), amount - given)
            };
            given += part;
            (k.clone(), part)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn the_indexation_power_is_checked() {
        // 1,024² = 1,048576 and 1,024³ = 1,073741824, by hand.
        assert_eq!(indexation(dec!(1.024), 0), Some(Decimal::ONE));
        assert_eq!(indexation(dec!(1.024), 2), Some(dec!(1.048576)));
        assert_eq!(indexation(dec!(1.024), 3), Some(dec!(1.073741824)));
        // 2¹⁰ = 1 024 is past the largest factor costed; 10¹² squared overflowed before.
        assert_eq!(indexation(dec!(2), 9), Some(dec!(512)));
        assert_eq!(indexation(dec!(2), 10), None);
        assert_eq!(indexation(dec!(1000000000000), 3), None);
    }
}
