//! One workbook's contribution after the row checks: a compact [`MonthReport`]. (Not a report
//! in the sense of `emit::report`, which writes the Word reports from the reconciled figures.)
//!
//! [`month_report`] runs every row check of [`super::checks::ROW_CHECKS`] against a read
//! workbook, leaves out the rows an error condemns, and keeps only what the arithmetic needs:
//! each person's salary basis, hours per activity and absence, the accepted other costs,
//! participants, indicator values and narratives. It runs inside the parallel read, so the raw
//! rows of a workbook are dropped as soon as it has been checked.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::checks::{self, ROW_CHECKS, WorkbookCtx};
use crate::contract::Column;
use crate::finding::{Finding, Message, Place};
use crate::ids::{ParticipantOrg, Personnummer};
use crate::money::Hours;
use crate::month::Month;
use crate::project::Project;
use crate::read::{Gender, Loc, Reporting, When, Workbook, name_key};

/// A person's month as reported, before any cross-month rule.
#[derive(Debug, Clone)]
pub struct PersonMonth {
    pub name: String,
    pub pnr: Personnummer,
    pub role: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub salary: Decimal,
    pub reporting: Reporting,
    pub share: Option<Decimal>,
    pub employment: Decimal,
    pub main_activity: Option<String>,
    /// The person's `Personal` row (Namn cell), Månadslön cell and Startdatum cell.
    pub place: Place,
    pub salary_place: Place,
    pub start_place: Place,
    /// Accepted time-report hours per activity code, in code order.
    pub time: Vec<(String, Hours)>,
    /// Accepted absence hours of the month (fixed-share staff).
    pub absence: Hours,
    /// The accepted `Tidrapport` rows, in sheet order: what the time report attachment shows.
    pub days: Vec<DayRow>,
    /// The accepted `Frånvaro` rows of the month, in sheet order.
    pub absences: Vec<AbsenceLine>,
}

/// An accepted `Tidrapport` row of a person: a day (or a whole month) on one activity.
#[derive(Debug, Clone)]
pub struct DayRow {
    pub when: When,
    pub activity: String,
    pub hours: Hours,
    /// The row's Kommentar.
    pub text: String,
}

/// An accepted `Frånvaro` row of a person.
#[derive(Debug, Clone)]
pub struct AbsenceLine {
    pub hours: Hours,
    /// Orsak, as the contract spells it.
    pub reason: &'static str,
}

/// An accepted row of other costs.
#[derive(Debug, Clone)]
pub struct OtherCost {
    pub activity: String,
    pub category: &'static str,
    pub amount: Decimal,
}

/// An accepted participant row.
#[derive(Debug, Clone)]
pub struct Participant {
    /// An organisationsnummer, or a sole trader's personnummer (counted, never printed).
    pub org_nr: ParticipantOrg,
    pub gender: Gender,
}

/// An accepted narrative row.
#[derive(Debug, Clone)]
pub struct NarrativeText {
    pub activity: String,
    pub done: String,
    pub results: String,
    pub deviations: String,
}

/// An accepted payment of `Medfinansiering`, tied to its line of the financing plan.
#[derive(Debug, Clone)]
pub struct Payment {
    /// Index of the line in the partner's `cash`.
    pub line: usize,
    /// The financier as the plan names it, and the plan's kind.
    pub financier: String,
    pub kind: crate::project::FinancierKind,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub voucher: String,
    pub comment: String,
    /// The row's Belopp cell.
    pub place: Place,
}

/// What one workbook contributes.
#[derive(Debug, Clone)]
pub struct MonthReport {
    pub month: Month,
    pub persons: Vec<PersonMonth>,
    /// Persons held out of the month (`HELD_OUT`): not costed, but their hours as far as they
    /// can be read still count against their annual cap, so that a later month does not gain
    /// hours from the error.
    pub held: Vec<PersonMonth>,
    pub other_costs: Vec<OtherCost>,
    pub participants: Vec<Participant>,
    /// (index of the project's indicator, value).
    pub indicator_values: Vec<(usize, Decimal)>,
    pub narratives: Vec<NarrativeText>,
    /// Co-financing paid in, in row order (partners only).
    pub payments: Vec<Payment>,
}

/// Runs the row checks on a read workbook and keeps the accepted content. `None` when the
/// workbook has no readable month (the read stage already reported why) or its rows contradict
/// its Period (`WRONG_PERIOD`): it does not count at all.
pub fn month_report(project: &Project, wb: &Workbook) -> (Option<MonthReport>, Vec<Finding>) {
    let Some(month) = wb.info.month else { return (None, Vec::new()) };
    if let Some(wrong) = checks::wrong_period(wb) {
        return (None, vec![wrong]);
    }
    let org = wb.info.org_nr.as_ref().and_then(|n| project.org_by_nr(n));
    let staff = wb.staff.iter().map(|p| (name_key(&p.name), p)).collect();
    let ctx = WorkbookCtx { project, org, wb, month, staff };
    let mut findings = Vec::new();
    let mut excluded: BTreeSet<Loc> = BTreeSet::new();
    for (_, check) in ROW_CHECKS {
        for rf in check(&ctx) {
            if rf.finding.is_error()
                && let Some(loc) = rf.exclude
            {
                excluded.insert(loc);
            }
            findings.push(rf.finding);
        }
    }
    let held = checks::held_out(&ctx, &excluded);
    for h in &held {
        let message = Message::HeldOut { name: h.person.name.clone(), month, causes: h.causes.clone() };
        findings.push(Finding::of(wb.place(h.person.loc, Column::Namn), message));
    }
    let held: BTreeSet<&Personnummer> = held.iter().map(|h| &h.person.pnr).collect();
    let ok = |loc: &Loc| !excluded.contains(loc);
    let mut time: BTreeMap<String, BTreeMap<String, Hours>> = BTreeMap::new();
    let mut days: BTreeMap<String, Vec<DayRow>> = BTreeMap::new();
    for t in wb.time.iter().filter(|t| ok(&t.loc)) {
        let key = name_key(&t.name);
        let e = time.entry(key.clone()).or_default().entry(t.activity.clone()).or_insert(Hours::ZERO);
        *e = *e + t.hours;
        let row = DayRow { when: t.when, activity: t.activity.clone(), hours: t.hours, text: t.text.clone() };
        days.entry(key).or_default().push(row);
    }
    let mut absence: BTreeMap<String, Hours> = BTreeMap::new();
    let mut absences: BTreeMap<String, Vec<AbsenceLine>> = BTreeMap::new();
    for a in wb.absence.iter().filter(|a| ok(&a.loc) && a.month == month) {
        let e = absence.entry(name_key(&a.name)).or_insert(Hours::ZERO);
        *e = *e + a.hours;
        absences.entry(name_key(&a.name)).or_default().push(AbsenceLine { hours: a.hours, reason: a.reason });
    }
    // One person per personnummer: rows that agree (checked by `duplicate_person`) count once,
    // with the time and absence of every name they are written under.
    let mut persons: Vec<PersonMonth> = Vec::new();
    for p in wb.staff.iter().filter(|p| ok(&p.loc)) {
        let key = name_key(&p.name);
        let rows = time.remove(&key).unwrap_or_default();
        let away = absence.remove(&key).unwrap_or(Hours::ZERO);
        let own_days = days.remove(&key).unwrap_or_default();
        let own_absences = absences.remove(&key).unwrap_or_default();
        if let Some(first) = persons.iter_mut().find(|q| q.pnr == p.pnr) {
            let mut merged: BTreeMap<String, Hours> = std::mem::take(&mut first.time).into_iter().collect();
            for (code, h) in rows {
                let e = merged.entry(code).or_insert(Hours::ZERO);
                *e = *e + h;
            }
            first.time = merged.into_iter().collect();
            first.absence = first.absence + away;
            first.days.extend(own_days);
            first.absences.extend(own_absences);
            continue;
        }
        persons.push(PersonMonth {
            name: p.name.clone(),
            pnr: p.pnr.clone(),
            role: p.role.clone(),
            start: p.start,
            end: p.end,
            salary: p.salary,
            reporting: p.reporting,
            share: p.share,
            employment: p.employment,
            // An unknown Huvudaktivitet is a finding on its cell; it never takes hours.
            main_activity: p.main_activity.clone().filter(|c| project.activity(c).is_some()),
            place: wb.place(p.loc, Column::Namn),
            salary_place: wb.place(p.loc, Column::Manadslon),
            start_place: wb.place(p.loc, Column::Startdatum),
            time: rows.into_iter().collect(),
            absence: away,
            days: own_days,
            absences: own_absences,
        });
    }
    let (held, persons): (Vec<PersonMonth>, Vec<PersonMonth>) =
        persons.into_iter().partition(|p| held.contains(&p.pnr));
    let report = MonthReport {
        month,
        persons,
        held,
        other_costs: wb
            .other_costs
            .iter()
            .filter(|c| ok(&c.loc))
            .map(|c| OtherCost { activity: c.activity.clone(), category: c.category, amount: c.amount })
            .collect(),
        participants: wb
            .participants
            .iter()
            .filter(|p| ok(&p.loc))
            .map(|p| Participant { org_nr: p.org_nr.clone(), gender: p.gender })
            .collect(),
        indicator_values: wb
            .indicators
            .iter()
            .filter(|r| ok(&r.loc))
            .filter_map(|r| super::checks::indicator_index(project, &r.name).map(|i| (i, r.value)))
            .collect(),
        narratives: wb
            .narratives
            .iter()
            .filter(|n| ok(&n.loc))
            .map(|n| NarrativeText {
                activity: n.activity.clone(),
                done: n.done.clone(),
                results: n.results.clone(),
                deviations: n.deviations.clone(),
            })
            .collect(),
        payments: match ctx.org {
            Some(crate::project::Org::Partner(partner)) => {
                let idx = project.partners.iter().position(|q| q.folder == partner.folder).unwrap_or(usize::MAX);
                wb.payments
                    .iter()
                    .filter(|p| ok(&p.loc))
                    .filter_map(|p| {
                        let line = super::checks::financier_line(project, idx, p)?;
                        let plan = &partner.cash[line];
                        Some(Payment {
                            line,
                            financier: plan.financier.clone(),
                            kind: plan.kind,
                            date: p.date,
                            amount: p.amount,
                            voucher: p.voucher.clone(),
                            comment: p.comment.clone(),
                            place: wb.place(p.loc, Column::Belopp),
                        })
                    })
                    .collect()
            }
            _ => Vec::new(),
        },
    };
    (Some(report), findings)
}
