//! Staff costs per person and month, by Tillväxtverket's 2021–2027 rules.
//!
//! - Unit cost per hour: `Månadslön × 12 / 1 720`, the salary of the person's first month in the
//!   project, raised by the indexation (2.4 %) for every whole 12 months since `Startdatum`,
//!   compounding.
//! - Hours: the time report, or for fixed-share staff `1 720 × Andel / 12`, pro rata for a month
//!   not wholly in the project, minus deductible absence, never below 0. Exact until multiplied.
//! - `lön = round2(hours × rate)`, `lönebikostnad = round2(lön × on-cost rate)`, both half away
//!   from zero; the cost is split over activities by hours, the last activity in plan order
//!   taking the remainder so the parts add up to the öre.
//! - A calendar year's hours stop at `1 720 × Sysselsättningsgrad`: only the excess is left out
//!   ([`annual_cap`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::report::{MonthReport, PersonMonth};
use crate::finding::{Code, Finding, Place};
use crate::ids::Personnummer;
use crate::money::{Hours, round2, sv_hours, sv_kr, sv_percent};
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
    /// Startdatum and Månadslön of the person's first month (the basis).
    pub start: NaiveDate,
    pub salary: Decimal,
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
    pub what: &'static str,
    pub before: String,
    pub after: String,
}

struct Basis {
    salary: Decimal,
    start: NaiveDate,
    first_month: Month,
}

/// Costs every person-month of one organisation. `reports` are the organisation's counting
/// workbooks, in month order.
pub fn cost_org(
    project: &Project,
    org_index: usize,
    org: Org,
    reports: &[&MonthReport],
) -> (Vec<PersonMonthCost>, Vec<BasisChange>, Vec<Finding>) {
    let mut bases: BTreeMap<Personnummer, Basis> = BTreeMap::new();
    let mut year_hours: BTreeMap<(Personnummer, i32), Hours> = BTreeMap::new();
    let (mut costs, mut changes, mut findings) = (Vec::new(), Vec::new(), Vec::new());
    let plan_order: BTreeMap<&str, usize> =
        project.activities().enumerate().map(|(i, (_, a))| (a.code.as_str(), i)).collect();
    for report in reports {
        let month = report.month;
        for p in &report.persons {
            let basis =
                bases.entry(p.pnr.clone()).or_insert(Basis { salary: p.salary, start: p.start, first_month: month });
            if p.salary != basis.salary {
                changes.push(change(
                    p,
                    month,
                    basis,
                    "Månadslön",
                    sv_kr(basis.salary),
                    sv_kr(p.salary),
                    p.salary_place.clone(),
                ));
            }
            if p.start != basis.start {
                changes.push(change(
                    p,
                    month,
                    basis,
                    "Startdatum",
                    basis.start.to_string(),
                    p.start.to_string(),
                    p.start_place.clone(),
                ));
            }
            let reported = person_hours(project, p, month);
            if reported.is_zero() {
                continue;
            }
            let mut weights = distribution(p);
            weights.sort_by_key(|(code, _)| plan_order.get(code.as_str()).copied().unwrap_or(usize::MAX));
            if weights.is_empty() {
                findings.push(Finding::new(
                    Code::BadValue,
                    p.place.clone(),
                    format!(
                        "Timmarna för {} kan inte fördelas på någon aktivitet (alla rader i Tidrapport har 0 timmar och \
                         Huvudaktivitet saknas). Ange Huvudaktivitet eller fördela tiden.",
                        p.name
                    ),
                ));
                continue;
            }
            let year = year_hours.entry((p.pnr.clone(), month.year())).or_insert(Hours::ZERO);
            let (hours, cap_finding) = annual_cap(project, p, month, reported, year);
            findings.extend(cap_finding);
            let k = index_steps(basis.start, month);
            let Some(factor) = indexation(project.indexation_factor(), k) else {
                findings.push(Finding::new(
                    Code::BadValue,
                    p.place.clone(),
                    format!(
                        "Timpriset för {} kan inte räknas upp {k} gånger med {} % per år (talet blir orimligt stort). \
                         Kontrollera Startdatum i Personal och indexation i project.toml.",
                        p.name, project.info.indexation
                    ),
                ));
                continue;
            };
            let per_year = Decimal::from(project.info.hours_per_year);
            // lön = hours × salary × 12 × factor / 1 720 with one division at the end.
            let salary_cost = round2(hours.times(basis.salary * Decimal::from(12) * factor, per_year));
            let on_cost = round2(salary_cost * org.on_cost_fraction());
            let staff_cost = salary_cost + on_cost;
            costs.push(PersonMonthCost {
                org: org_index,
                month,
                name: p.name.clone(),
                pnr: p.pnr.clone(),
                role: p.role.clone(),
                start: basis.start,
                salary: basis.salary,
                employment: p.employment,
                k,
                rate: basis.salary * Decimal::from(12) * factor / per_year,
                reported_hours: reported,
                hours,
                salary_cost,
                on_cost,
                staff_cost,
                parts: split_by_hours(staff_cost, hours, &weights),
                place: p.place.clone(),
            });
        }
    }
    (costs, changes, findings)
}

fn change(
    p: &PersonMonth,
    month: Month,
    basis: &Basis,
    what: &'static str,
    before: String,
    after: String,
    place: Place,
) -> BasisChange {
    BasisChange { name: p.name.clone(), place, month, first_month: basis.first_month, what, before, after }
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

/// The annual cap: hours that push the person's calendar year past `1 720 × Sysselsättningsgrad`
/// are left out (only the excess), with an error finding. `year` is the hours already costed
/// this calendar year and is updated.
pub fn annual_cap(
    project: &Project,
    p: &PersonMonth,
    month: Month,
    reported: Hours,
    year: &mut Hours,
) -> (Hours, Option<Finding>) {
    let cap = Hours::from_decimal(Decimal::from(project.info.hours_per_year) * p.employment);
    let allowed = (cap - *year).at_least_zero();
    let costed = reported.min(allowed);
    *year = *year + costed;
    let finding = (costed < reported).then(|| {
        Finding::new(
            Code::HoursOverAnnualCap,
            p.place.clone(),
            format!(
                "{} når taket för {}: högst {} × sysselsättningsgrad {} = {} timmar per kalenderår. Av månadens {} timmar \
                 räknas {}; {} timmar lämnas utanför. Kontrollera tidrapporterna för året.",
                p.name,
                month.year(),
                project.info.hours_per_year,
                sv_percent(p.employment, 0),
                sv_hours(cap.value()),
                sv_hours(reported.value()),
                sv_hours(costed.value()),
                sv_hours((reported - costed).value())
            ),
        )
    });
    (costed, finding)
}

/// Splits `cost` over activities in proportion to `weights`; the last activity takes the
/// rounding remainder so the parts add up exactly. Hours are split the same way, exactly.
pub fn split_by_hours(cost: Decimal, hours: Hours, weights: &[(String, Hours)]) -> Vec<Part> {
    let whole: Hours = weights.iter().map(|(_, h)| *h).sum();
    let mut parts = Vec::with_capacity(weights.len());
    let (mut given, mut given_hours) = (Decimal::ZERO, Hours::ZERO);
    for (i, (code, w)) in weights.iter().enumerate() {
        let last = i + 1 == weights.len();
        let part = if last { cost - given } else { round2(Hours::from_decimal(cost).scaled(*w, whole).value()) };
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

/// Splits an amount over keys in proportion to decimal weights, last key taking the remainder;
/// with no positive weight, nothing is split.
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
            let part = if i + 1 == weights.len() { amount - given } else { round2(amount * *w / whole) };
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
