//! The checks of `docs/rules.md`, each a small named function, registered in one of two lists.
//!
//! - [`ROW_CHECKS`] run on one read workbook against the approved project. Each returns
//!   findings; an error finding names the row it condemns, and that row is left out of the
//!   figures (`UNKNOWN_PERSON`, `UNKNOWN_ACTIVITY`, `ROW_OUTSIDE_PERIOD`, …).
//! - [`PERIOD_CHECKS`] run on the computed figures of the whole period and only warn
//!   (`HOURS_OVER_MONTH`, `SALARY_BASIS_CHANGED`, `MISSING_SUBMISSION`, `OVER_BUDGET`).
//!
//! Rules that change a figure rather than judge a row are computed where the figure is, as
//! named functions too: the annual hour cap in [`super::staff::annual_cap`], the support cap in
//! [`super::figures::support`]. Which workbooks count (`WRONG_FOLDER`, `DUPLICATE_SUBMISSION`,
//! `NOT_ATTESTED`, `CHANGED_AFTER_CLAIM`, …) is decided in [`crate::intake::select`].
//! Adding a check is adding one function and one line to a list.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::model::{ActivityFigures, OrgFigures, Period};
use super::staff::{BasisChange, PersonMonthCost};
use crate::contract::{Column, Label, Sheet, normalise};
use crate::finding::{BudgetLine, Budgeted, Code, Dated, Finding, HeldCause, Message, Place};
use crate::money::Hours;
use crate::month::Month;
use crate::project::{FlatRateModel, Measure, Org, Project};
use crate::read::{Evidence, Loc, PaymentRow, PersonRow, Reporting, When, Workbook, name_key};

/// What a row check sees: the project, the organisation the workbook is from (if known), the
/// workbook and its month, and its staff by normalised name.
pub struct WorkbookCtx<'a> {
    pub project: &'a Project,
    pub org: Option<Org<'a>>,
    pub wb: &'a Workbook,
    pub month: Month,
    pub staff: BTreeMap<String, &'a PersonRow>,
}

/// A finding from a row check, with the row it leaves out when it is an error.
pub struct RowFinding {
    pub finding: Finding,
    pub exclude: Option<Loc>,
}

impl WorkbookCtx<'_> {
    /// The finding at a row's cell; an error leaves the row out of the figures.
    fn found(&self, loc: Loc, col: Column, message: Message) -> RowFinding {
        let finding = Finding::of(self.wb.place(loc, col), message);
        let exclude = finding.is_error().then_some(loc);
        RowFinding { finding, exclude }
    }
}

/// A check of one workbook.
pub type RowCheck = fn(&WorkbookCtx) -> Vec<RowFinding>;

/// Every row check, by the code it raises.
pub const ROW_CHECKS: &[(Code, RowCheck)] = &[
    (Code::UnknownPerson, unknown_person),
    (Code::UnknownActivity, unknown_activity),
    (Code::DuplicatePerson, duplicate_person),
    (Code::RowOutsidePeriod, row_outside_period),
    (Code::OutsideProjectPeriod, outside_person_dates),
    (Code::ActivityOutsideDates, activity_outside_dates),
    (Code::OtherCostsWithFlatRate, other_costs_with_flat_rate),
    (Code::MissingMainActivity, fixed_share_without_activity),
    (Code::UnknownIndicator, unknown_indicator),
    (Code::AbsenceForTimeReporter, absence_for_time_reporter),
    (Code::UnknownFinancier, unknown_financier),
    (Code::AmountOverBudget, amount_over_budget),
];

/// `WRONG_PERIOD`: most dated rows fall in another month than the Period. Checked before the
/// row checks: such a workbook does not count at all, so one finding at the Period says why
/// instead of one per row.
pub fn wrong_period(wb: &Workbook) -> Option<Finding> {
    let (rows, evidence) = wb.period_contradicted()?;
    let period = wb.info.period?;
    let message = match evidence {
        Evidence::Rows => Message::WrongPeriod { period, rows },
        Evidence::FileName => Message::PeriodNotFileName { period, named: rows },
    };
    Some(Finding::of(wb.info_place(Label::Period), message))
}

/// Time or absence for a name that is not in `Personal`.
fn unknown_person(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let known = |name: &str| {
        let key = name_key(name);
        ctx.staff.contains_key(&key) || ctx.wb.broken_staff.contains(&key)
    };
    let time = ctx.wb.time.iter().map(|t| (t.loc, &t.name));
    let absence = ctx.wb.absence.iter().map(|a| (a.loc, &a.name));
    time.chain(absence)
        .filter(|(_, name)| !known(name))
        .map(|(loc, name)| ctx.found(loc, Column::Namn, Message::UnknownPerson { name: name.clone() }))
        .collect()
}

/// An activity code that is not in the approved plan.
fn unknown_activity(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let known = |code: &str| ctx.project.activity(code).is_some();
    let codes: Vec<String> = ctx.project.activities().map(|(_, a)| a.code.clone()).collect();
    let unknown = |code: &str| Message::UnknownActivity { code: code.to_string(), known: codes.clone() };
    let rows = ctx.wb.time.iter().map(|t| (t.loc, &t.activity));
    let rows = rows.chain(ctx.wb.participants.iter().map(|p| (p.loc, &p.activity)));
    let rows = rows.chain(ctx.wb.narratives.iter().map(|n| (n.loc, &n.activity)));
    let rows = rows.chain(ctx.wb.other_costs.iter().map(|c| (c.loc, &c.activity)));
    let mut out: Vec<RowFinding> = rows
        .filter(|(_, code)| !known(code))
        .map(|(loc, code)| ctx.found(loc, Column::Aktivitet, unknown(code)))
        .collect();
    // Huvudaktivitet only places the hours of a fixed-share person without time rows: only
    // then does an unknown code leave the person out. Otherwise the cell is pointed out and the
    // person's time counts.
    for p in &ctx.wb.staff {
        if let Some(code) = p.main_activity.as_deref().filter(|c| !known(c)) {
            if p.reporting == Reporting::FixedShare && !has_time_rows(ctx, p) {
                out.push(ctx.found(p.loc, Column::Huvudaktivitet, unknown(code)));
            } else {
                out.push(ctx.found(
                    p.loc,
                    Column::Huvudaktivitet,
                    Message::UnknownMainActivityIgnored {
                        code: code.to_string(),
                        known: codes.clone(),
                        name: p.name.clone(),
                    },
                ));
            }
        }
    }
    out
}

/// Whether the person has rows in Tidrapport this workbook.
fn has_time_rows(ctx: &WorkbookCtx, p: &PersonRow) -> bool {
    ctx.wb.time.iter().any(|t| name_key(&t.name) == name_key(&p.name))
}

/// One personnummer on more than one `Personal` row. Rows that agree on Månadslön, Startdatum,
/// Redovisning and Andel are one person, counted once (a warning on the extra rows); rows that
/// disagree leave the person out until the workbook is fixed (an error on every row).
fn duplicate_person(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let mut by_pnr: BTreeMap<&crate::ids::Personnummer, Vec<&PersonRow>> = BTreeMap::new();
    for p in &ctx.wb.staff {
        by_pnr.entry(&p.pnr).or_default().push(p);
    }
    let mut out = Vec::new();
    for rows in by_pnr.values().filter(|rows| rows.len() > 1) {
        let first = rows[0];
        let same = |p: &PersonRow| {
            (p.salary, p.start, p.reporting, p.share) == (first.salary, first.start, first.reporting, first.share)
        };
        let names: Vec<(String, String)> = rows
            .iter()
            .map(|p| (p.name.clone(), ctx.wb.place(p.loc, Column::Personnummer).cell.unwrap_or_default()))
            .collect();
        if rows.iter().all(|p| same(p)) {
            for p in &rows[1..] {
                out.push(ctx.found(
                    p.loc,
                    Column::Personnummer,
                    Message::DuplicatePersonCounted { rows: names.clone() },
                ));
            }
        } else {
            for p in rows {
                out.push(ctx.found(
                    p.loc,
                    Column::Personnummer,
                    Message::DuplicatePersonDisagrees { rows: names.clone() },
                ));
            }
        }
    }
    out
}

/// A dated row that is not in the workbook's month.
fn row_outside_period(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let m = ctx.month;
    let outside = |dated: Dated| Message::RowOutsidePeriod { dated, month: m };
    let mut out = Vec::new();
    for t in ctx.wb.time.iter().filter(|t| t.when.month() != m) {
        let dated = match t.when {
            When::Day(d) => Dated::Day(d),
            When::Month(mm) => Dated::Month(mm),
        };
        out.push(ctx.found(t.loc, Column::Datum, outside(dated)));
    }
    for a in ctx.wb.absence.iter().filter(|a| a.month != m) {
        out.push(ctx.found(a.loc, Column::Manad, outside(Dated::Month(a.month))));
    }
    for p in ctx.wb.participants.iter().filter(|p| Month::of(p.date) != m) {
        out.push(ctx.found(p.loc, Column::Datum, outside(Dated::Day(p.date))));
    }
    for c in ctx.wb.other_costs.iter().filter(|c| Month::of(c.date) != m) {
        out.push(ctx.found(c.loc, Column::Datum, outside(Dated::Booked(c.date))));
    }
    for p in ctx.wb.payments.iter().filter(|p| Month::of(p.date) != m) {
        out.push(ctx.found(p.loc, Column::Datum, outside(Dated::Paid(p.date))));
    }
    out
}

/// The financing-plan line (index in the partner's `cash`) a payment is from: the
/// organisationsnummer decides when both sides have one, otherwise the name (tolerantly).
pub fn financier_line(project: &Project, partner: usize, p: &PaymentRow) -> Option<usize> {
    let lines = project.cash_financiers(partner);
    let by_nr = p.org_nr.as_ref().and_then(|nr| lines.iter().position(|l| l.org_nr == Some(nr)));
    by_nr.or_else(|| {
        let key = normalise(&p.financier);
        lines.iter().position(|l| {
            normalise(&l.line.financier) == key
                && (p.org_nr.is_none() || l.org_nr.is_none() || l.org_nr == p.org_nr.as_ref())
        })
    })
}

/// A payment from a payer not in the partner's column of the financing plan; a `Typ` that
/// differs from the plan's (counted as the plan says).
fn unknown_financier(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let mut out = Vec::new();
    let Some(org) = ctx.org else { return out };
    let Org::Partner(partner) = org else {
        for p in &ctx.wb.payments {
            out.push(ctx.found(
                p.loc,
                Column::Finansiar,
                Message::PaymentFromInKindFinancier { org: org.name().to_string() },
            ));
        }
        return out;
    };
    let idx = ctx.project.partners.iter().position(|q| q.folder == partner.folder).unwrap_or(usize::MAX);
    for p in &ctx.wb.payments {
        match financier_line(ctx.project, idx, p) {
            None => {
                let col = if p.org_nr.is_some()
                    && partner.cash.iter().any(|c| normalise(&c.financier) == normalise(&p.financier))
                {
                    Column::Organisationsnummer
                } else {
                    Column::Finansiar
                };
                out.push(ctx.found(
                    p.loc,
                    col,
                    Message::UnknownFinancier {
                        financier: p.financier.clone(),
                        org_nr: p.org_nr.as_ref().map(ToString::to_string),
                        partner: partner.name.clone(),
                        known: partner.cash.iter().map(|c| c.financier.clone()).collect(),
                    },
                ));
            }
            Some(i) => {
                let planned = partner.cash[i].kind;
                if planned != p.kind {
                    out.push(ctx.found(
                        p.loc,
                        Column::Typ,
                        Message::FinancingTypeMismatch {
                            financier: partner.cash[i].financier.clone(),
                            planned: planned.swedish(),
                        },
                    ));
                }
            }
        }
    }
    out
}

/// Time outside the person's Startdatum–Slutdatum or outside the project's dates.
fn outside_person_dates(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let (p_start, p_end) = (ctx.project.info.start, ctx.project.info.end);
    let mut out = Vec::new();
    for t in ctx.wb.time.iter().filter(|t| t.when.month() == ctx.month) {
        let (first, last) = match t.when {
            When::Day(d) => (d, d),
            When::Month(m) => (m.first_day(), m.last_day()),
        };
        if last < p_start || first > p_end {
            out.push(ctx.found(t.loc, Column::Datum, Message::TimeOutsideProject { start: p_start, end: p_end }));
            continue;
        }
        let Some(person) = ctx.staff.get(&name_key(&t.name)) else { continue };
        let end = person.end.unwrap_or(chrono::NaiveDate::MAX);
        if last < person.start || first > end {
            out.push(ctx.found(
                t.loc,
                Column::Datum,
                Message::TimeOutsidePerson { name: person.name.clone(), start: person.start, end: person.end },
            ));
        }
    }
    out
}

/// Time on an activity outside that activity's dates (counted, but shown): time rows, and the
/// hours of fixed-share staff without time rows that go to their Huvudaktivitet.
fn activity_outside_dates(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let warn = |loc: Loc, col: Column, a: &crate::project::Activity| {
        ctx.found(loc, col, Message::ActivityOutsideDates { code: a.code.clone(), start: a.start, end: a.end })
    };
    let outside = |a: &crate::project::Activity, first: chrono::NaiveDate, last: chrono::NaiveDate| {
        last < a.start || first > a.end
    };
    let mut out: Vec<RowFinding> = ctx
        .wb
        .time
        .iter()
        .filter_map(|t| {
            let a = ctx.project.activity(&t.activity)?;
            let (first, last) = match t.when {
                When::Day(d) => (d, d),
                When::Month(m) => (m.first_day(), m.last_day()),
            };
            outside(a, first, last).then(|| warn(t.loc, Column::Aktivitet, a))
        })
        .collect();
    for p in ctx.wb.staff.iter().filter(|p| p.reporting == Reporting::FixedShare) {
        let has_rows = ctx.wb.time.iter().any(|t| name_key(&t.name) == name_key(&p.name));
        let main = p.main_activity.as_deref().and_then(|c| ctx.project.activity(c));
        if let (false, Some(a)) = (has_rows, main)
            && outside(a, ctx.month.first_day(), ctx.month.last_day())
        {
            out.push(warn(p.loc, Column::Huvudaktivitet, a));
        }
    }
    out
}

/// Other costs from a partner on the 40 % model (or a co-financier, who gives only time).
fn other_costs_with_flat_rate(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let Some(org) = ctx.org else { return Vec::new() };
    let flat = org.flat_rate_at(ctx.month);
    let why = match flat.model {
        FlatRateModel::Indirect => return Vec::new(),
        FlatRateModel::RemainingCosts => {
            Message::OtherCostsUnderFlatRate { org: org.name().to_string(), rate: flat.rate }
        }
        FlatRateModel::None => Message::OtherCostsFromInKind { org: org.name().to_string() },
    };
    ctx.wb.other_costs.iter().map(|c| ctx.found(c.loc, Column::Belopp, why.clone())).collect()
}

/// A fixed-share person with no time rows this month and no Huvudaktivitet: the hours cannot be
/// put on any activity.
fn fixed_share_without_activity(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    ctx.wb
        .staff
        .iter()
        .filter(|p| p.reporting == Reporting::FixedShare && p.main_activity.is_none())
        .filter(|p| !ctx.wb.time.iter().any(|t| name_key(&t.name) == name_key(&p.name)))
        .map(|p| ctx.found(p.loc, Column::Huvudaktivitet, Message::MissingMainActivity { name: p.name.clone() }))
        .collect()
}

/// The project's indicator a name in `Indikatorer` refers to (reported indicators only).
pub fn indicator_index(project: &Project, name: &str) -> Option<usize> {
    let key = normalise(name);
    project.indicators.iter().position(|i| {
        i.measure == Measure::Reported
            && (normalise(&i.name) == key || (!i.code.is_empty() && normalise(&i.code) == key))
    })
}

/// A value for an indicator that is not reported by value in this project.
fn unknown_indicator(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let names: Vec<&str> =
        ctx.project.indicators.iter().filter(|i| i.measure == Measure::Reported).map(|i| i.name.as_str()).collect();
    ctx.wb
        .indicators
        .iter()
        .filter(|r| indicator_index(ctx.project, &r.name).is_none())
        .map(|r| {
            ctx.found(
                r.loc,
                Column::Indikator,
                Message::UnknownIndicator {
                    name: r.name.clone(),
                    known: names.iter().map(ToString::to_string).collect(),
                },
            )
        })
        .collect()
}

/// Absence for a person who reports time: it changes nothing, so it is only pointed out.
fn absence_for_time_reporter(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    ctx.wb
        .absence
        .iter()
        .filter(|a| ctx.staff.get(&name_key(&a.name)).is_some_and(|p| p.reporting == Reporting::TimeReport))
        .map(|a| ctx.found(a.loc, Column::Namn, Message::AbsenceForTimeReporter { name: a.name.clone() }))
        .collect()
}

/// A single amount larger than the whole approved amount it belongs to: a Månadslön over the
/// organisation's staff budget (a co-financier's in-kind budget), an other cost over the
/// other-cost budget, a payment over the financier's decided co-financing. It is a typo, not a
/// figure: the row is left out (for a Månadslön, the person). A budget line of 0 (costs the
/// budget did not plan) is measured against the organisation's whole budget instead.
fn amount_over_budget(ctx: &WorkbookCtx) -> Vec<RowFinding> {
    let Some(org) = ctx.org else { return Vec::new() };
    let (staff, other, whole) = match org {
        Org::Partner(p) => (
            (BudgetLine::Staff, p.budget.staff),
            (BudgetLine::Other, p.budget.other),
            (BudgetLine::Total, p.budget.staff + p.budget.flat_rate + p.budget.other),
        ),
        Org::Cofinancier(c) => {
            let in_kind = (BudgetLine::InKind, c.in_kind_budget);
            (in_kind, in_kind, in_kind)
        }
    };
    let line = |(l, budget): (BudgetLine, Decimal)| if budget > Decimal::ZERO { (l, budget) } else { whole };
    let ((staff_line, staff_budget), (other_line, other_budget)) = (line(staff), line(other));
    let name = org.name().to_string();
    let mut out: Vec<RowFinding> = ctx
        .wb
        .staff
        .iter()
        .filter(|p| staff_budget > Decimal::ZERO && p.salary > staff_budget)
        .map(|p| {
            let m = Message::SalaryOverBudget {
                name: p.name.clone(),
                salary: p.salary,
                org: name.clone(),
                line: staff_line,
                budget: staff_budget,
            };
            ctx.found(p.loc, Column::Manadslon, m)
        })
        .collect();
    // Under a flat rate for all remaining costs, other costs are left out anyway.
    if org.flat_rate_at(ctx.month).model == FlatRateModel::Indirect {
        for c in ctx.wb.other_costs.iter().filter(|c| other_budget > Decimal::ZERO && c.amount > other_budget) {
            let m =
                Message::CostOverBudget { amount: c.amount, org: name.clone(), line: other_line, budget: other_budget };
            out.push(ctx.found(c.loc, Column::Belopp, m));
        }
    }
    if let Org::Partner(partner) = org {
        let idx = ctx.project.partners.iter().position(|q| q.folder == partner.folder).unwrap_or(usize::MAX);
        for p in &ctx.wb.payments {
            let Some(line) = financier_line(ctx.project, idx, p).and_then(|i| partner.cash.get(i)) else { continue };
            if line.amount > Decimal::ZERO && p.amount > line.amount {
                let m = Message::PaymentOverDecided {
                    amount: p.amount,
                    financier: line.financier.clone(),
                    decided: line.amount,
                };
                out.push(ctx.found(p.loc, Column::Belopp, m));
            }
        }
    }
    out
}

/// A person whose whole month is held out (`HELD_OUT`), and why.
pub struct Held<'a> {
    pub person: &'a PersonRow,
    pub causes: Vec<HeldCause>,
}

/// The fixed-share staff whose month a left-out absence row could lower (`docs/rules.md`, "What
/// an error leaves out"). Leaving out only the row would raise their hours, so the person is
/// held out instead:
///
/// - an absence row with an error (`condemned` by a row check, or dropped by the reader) holds
///   out the fixed-share person it names; one naming nobody known holds out every fixed-share
///   person of the workbook (it could be anyone's); one naming a time reporter changes nothing;
/// - a `Frånvaro` sheet that cannot be read holds out every fixed-share person.
///
/// (A time row only places a fixed-share person's hours on activities: left out, the hours go
/// on the person's other rows or Huvudaktivitet, and the claim does not change.) A person whose
/// own `Personal` row is left out is out anyway and not listed.
pub fn held_out<'a>(ctx: &WorkbookCtx<'a>, condemned: &BTreeSet<Loc>) -> Vec<Held<'a>> {
    let fixed: Vec<&PersonRow> =
        ctx.wb.staff.iter().filter(|p| p.reporting == Reporting::FixedShare && !condemned.contains(&p.loc)).collect();
    let mut causes: BTreeMap<Loc, BTreeSet<HeldCause>> = BTreeMap::new();
    let mut hold = |p: &PersonRow, cause: HeldCause| {
        causes.entry(p.loc).or_default().insert(cause);
    };
    let sheet = ctx.wb.layouts.get(&Sheet::Franvaro).map_or(Sheet::Franvaro.name(), |l| l.name.as_str());
    // The absence rows with an error: condemned by a row check, or dropped by the reader.
    let condemned_rows =
        ctx.wb.absence.iter().filter(|a| condemned.contains(&a.loc)).map(|a| (a.loc, Some(a.name.as_str())));
    let dropped = ctx.wb.dropped.iter().map(|d| (d.loc, d.name.as_deref()));
    for (loc, name) in condemned_rows.chain(dropped) {
        let (sheet, row) = (sheet.to_string(), loc.row + 1);
        let key = name.map(name_key);
        match key.as_ref().and_then(|k| ctx.staff.get(k)) {
            Some(p) if p.reporting == Reporting::FixedShare => hold(p, HeldCause::Absence { sheet, row }),
            Some(_) => {}
            None if key.as_ref().is_some_and(|k| ctx.wb.broken_staff.contains(k)) => {}
            None => {
                for p in &fixed {
                    hold(p, HeldCause::AbsenceOfNobody { sheet: sheet.clone(), row });
                }
            }
        }
    }
    if ctx.wb.unread.contains(&Sheet::Franvaro) {
        for p in &fixed {
            hold(p, HeldCause::Unread { sheet: sheet.to_string() });
        }
    }
    fixed
        .into_iter()
        .filter_map(|p| Some(Held { person: p, causes: causes.remove(&p.loc)?.into_iter().collect() }))
        .collect()
}

/// What a period check sees: the computed person-months and figures of the run.
pub struct PeriodCtx<'a> {
    pub project: &'a Project,
    pub period: Period,
    pub person_months: &'a [PersonMonthCost],
    pub basis_changes: &'a [BasisChange],
    pub orgs: &'a [OrgFigures],
    pub activities: &'a [ActivityFigures],
    /// (partner folder, month) with a workbook that counts.
    pub used: &'a BTreeSet<(String, Month)>,
    /// (partner folder, month) with a workbook that cannot count: its own error says why.
    pub rejected: &'a BTreeSet<(String, Month)>,
}

/// A check of the period's figures.
pub type PeriodCheck = fn(&PeriodCtx) -> Vec<Finding>;

/// Every period check, by the code it raises.
pub const PERIOD_CHECKS: &[(Code, PeriodCheck)] = &[
    (Code::HoursOverMonth, hours_over_month),
    (Code::SalaryBasisChanged, salary_basis_changed),
    (Code::MissingSubmission, missing_submission),
    (Code::OverBudget, over_budget),
];

/// More hours in a month than its weekdays × 8 × Sysselsättningsgrad.
fn hours_over_month(ctx: &PeriodCtx) -> Vec<Finding> {
    ctx.person_months
        .iter()
        .filter(|pm| ctx.period.contains(pm.month))
        .filter_map(|pm| {
            let limit = Decimal::from(pm.month.weekdays() * 8) * pm.employment;
            (pm.reported_hours > Hours::from_decimal(limit)).then(|| {
                Finding::of(
                    pm.place.clone(),
                    Message::HoursOverMonth {
                        name: pm.name.clone(),
                        month: pm.month,
                        hours: pm.reported_hours.value(),
                        weekdays: pm.month.weekdays(),
                        employment: pm.employment,
                        limit,
                    },
                )
            })
        })
        .collect()
}

/// A person's Månadslön or Startdatum differs from an earlier month.
fn salary_basis_changed(ctx: &PeriodCtx) -> Vec<Finding> {
    ctx.basis_changes
        .iter()
        .filter(|c| ctx.period.contains(c.month))
        .map(|c| {
            Finding::of(
                c.place.clone(),
                Message::SalaryBasisChanged {
                    name: c.name.clone(),
                    field: c.field.clone(),
                    first_month: c.first_month,
                },
            )
        })
        .collect()
}

/// No workbook from a partner or co-financier for a month of the period. A month whose workbook
/// is rejected is not reported again: the workbook's own error says why and what counts
/// meanwhile.
fn missing_submission(ctx: &PeriodCtx) -> Vec<Finding> {
    let first = ctx.period.from.max(ctx.project.start_month());
    let last = ctx.period.to.min(ctx.project.end_month());
    let mut out = Vec::new();
    for org in ctx.project.orgs() {
        for m in first.through(last).filter(|m| ctx.project.in_decision(org, *m)) {
            let key = (org.folder().to_string(), m);
            if !ctx.used.contains(&key) && !ctx.rejected.contains(&key) {
                out.push(Finding::of(
                    Place { partner: Some(org.folder().to_string()), ..Place::default() },
                    Message::MissingSubmission {
                        partner: org.name().to_string(),
                        folder: org.folder().to_string(),
                        month: m,
                    },
                ));
            }
        }
    }
    out
}

/// Cumulative cost of a partner, a cost category or an activity past its approved budget.
fn over_budget(ctx: &PeriodCtx) -> Vec<Finding> {
    let mut out = Vec::new();
    // An organisation that left the project file has no budget any more.
    for o in ctx.orgs.iter().filter(|o| o.in_file) {
        let place = Place { partner: Some(o.folder.clone()), ..Place::default() };
        let lines = if o.in_kind {
            vec![(BudgetLine::InKind, o.cumulative.total(), o.budget_total.budget)]
        } else {
            vec![
                (BudgetLine::Total, o.cumulative.total(), o.budget_total.budget),
                (BudgetLine::Staff, o.cumulative.staff, o.budget_staff.budget),
                (BudgetLine::FlatRate, o.cumulative.flat_rate, o.budget_flat_rate.budget),
                (BudgetLine::Other, o.cumulative.other, o.budget_other.budget),
            ]
        };
        for (line, cum, budget) in lines {
            if cum > budget {
                out.push(Finding::of(
                    place.clone(),
                    Message::OverBudget {
                        what: Budgeted::Org { org: o.name.clone(), line },
                        cumulative: cum,
                        budget,
                        over: cum - budget,
                    },
                ));
            }
        }
    }
    for a in ctx.activities {
        if a.cumulative > a.budget.budget {
            out.push(Finding::of(
                Place::default(),
                Message::OverBudget {
                    what: Budgeted::Activity { code: a.code.clone(), name: a.name.clone() },
                    cumulative: a.cumulative,
                    budget: a.budget.budget,
                    over: a.cumulative - a.budget.budget,
                },
            ));
        }
    }
    out
}
