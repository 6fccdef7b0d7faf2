//! The claim's attachments (*bilagor*): what Tillväxtverket wants uploaded with the staff costs
//! of a claim, as figures (`docs/outputs.md`, "Attachments").
//!
//! - **Time reports** ([`TimeReport`]): per organisation, every person who reports time
//!   (`Tidrapport`) in a month the claim takes — the period's months, late months and
//!   corrections — with the month's accepted time rows, absence rows, the hours reported, what
//!   the annual cap left out, the hours costed, and what the claim counts: the costed hours, or
//!   for a correction the difference against what the earlier claims counted. These are the
//!   hours of the claim workbook's `Personal` lines, month by month.
//! - **Certificates** ([`Certificate`]): a fixed-share person's share of working time
//!   (*Andel*) from the month it starts, when that month is one the claim takes: the person's
//!   first month, and every month whose Andel differs from the month before.
//! - **Per organisation** ([`OrgAttachments`]): each person new in the claim with the salary to
//!   evidence (the basis month's Månadslön), the external cash paid in (the transaction list),
//!   and what earlier claims already covered.
//!
//! File names, wording and layout are the renderers' (`emit::bilagor`); every figure is here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::UsedWorkbook;
use super::contribution::{MonthReport, PersonMonth};
use super::history::{History, Key};
use super::model::{Cofinancing, Concerns, StaffLine};
use super::staff::PersonMonthCost;
use crate::ledger::LineKind;
use crate::money::Hours;
use crate::month::Month;
use crate::project::{Org, Project};
use crate::read::{Reporting, When};

/// Everything the attachments of a claim show.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    /// One per organisation with a time reporter in the claim, in the run's order.
    pub time_reports: Vec<TimeReport>,
    /// In organisation order, then name and month.
    pub certificates: Vec<Certificate>,
    /// One per organisation of the run, in its order.
    pub orgs: Vec<OrgAttachments>,
}

/// An organisation as its attachments name it.
#[derive(Debug, Clone)]
pub struct Employer {
    pub folder: String,
    pub name: String,
    pub org_nr: String,
    /// A co-financier giving time in kind.
    pub in_kind: bool,
}

/// One organisation's time report (*tidredovisning dag för dag*).
#[derive(Debug, Clone)]
pub struct TimeReport {
    pub employer: Employer,
    /// By name, then personnummer.
    pub persons: Vec<PersonTime>,
}

/// A time reporter's months in the claim.
#[derive(Debug, Clone)]
pub struct PersonTime {
    pub name: String,
    pub role: String,
    /// In month order.
    pub months: Vec<TimeMonth>,
    /// What the claim counts for the person over all months: the sum of the months' `claimed`.
    pub claimed: Decimal,
}

/// One month of a time report.
#[derive(Debug, Clone)]
pub struct TimeMonth {
    pub month: Month,
    pub concerns: Concerns,
    /// For a late month or a correction: the submitted claim whose period holds the month.
    pub amends: Option<u32>,
    /// The accepted time rows, by date (rows of a whole month first), in sheet order within a day.
    pub days: Vec<TimeDay>,
    /// The month's absence rows (they do not lower a time reporter's hours).
    pub absences: Vec<Absence>,
    /// Hours of the rows, before the annual cap.
    pub reported: Decimal,
    /// Hours the annual cap left out (0 when it did not bite).
    pub capped: Decimal,
    /// Hours costed for the month as it stands now.
    pub hours: Decimal,
    /// For a correction: the hours the earlier claims counted for the person's month.
    pub before: Option<Decimal>,
    /// What this claim counts: `hours`, or for a correction `hours − before`.
    pub claimed: Decimal,
}

/// A time row as the report shows it.
#[derive(Debug, Clone)]
pub struct TimeDay {
    /// A day, or a whole month when the partner reports by month.
    pub when: When,
    pub hours: Decimal,
    pub activity: String,
    /// The activity's name in the plan (empty for a code the plan does not have).
    pub activity_name: String,
    pub text: String,
}

/// An absence row.
#[derive(Debug, Clone)]
pub struct Absence {
    pub hours: Decimal,
    pub reason: &'static str,
}

/// A certificate of a fixed-share person's share of working time in the project.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub employer: Employer,
    pub name: String,
    /// Canonical `YYYYMMDD-NNNN`: the certificate ties the share to the person registered in
    /// Min ansökan (`docs/privacy.md`).
    pub personnummer: String,
    pub role: String,
    /// Andel, as a fraction.
    pub share: Decimal,
    /// Sysselsättningsgrad in the first month, as a fraction.
    pub employment: Decimal,
    /// The first month of the share, and its first day in the project.
    pub month: Month,
    pub from: NaiveDate,
    /// The last day of the share, when a later month has another Andel.
    pub until: Option<NaiveDate>,
    /// The Andel before, when the share changed (else the person's first certificate).
    pub previous: Option<Decimal>,
    /// What the claim takes the first month as.
    pub concerns: Concerns,
}

/// A person new in the claim (*Ny – registreras*): the salary to evidence.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    /// The month whose Månadslön the claim uses (the person's first month in the project).
    pub month: Month,
    pub salary: Decimal,
    pub reporting: Reporting,
}

/// A person of the claim whose registration an earlier claim made.
#[derive(Debug, Clone)]
pub struct Registered {
    pub name: String,
    pub claim: u32,
}

/// A certificate in force that an earlier claim carried.
#[derive(Debug, Clone)]
pub struct Certified {
    pub name: String,
    pub share: Decimal,
    pub from: NaiveDate,
    pub claim: u32,
}

/// External cash paid in to a partner in the months the claim takes, per financier.
#[derive(Debug, Clone)]
pub struct ExternalPaid {
    pub financier: String,
    pub payments: u32,
    pub amount: Decimal,
}

/// What one organisation uploads with the claim, besides the written attachments.
#[derive(Debug, Clone)]
pub struct OrgAttachments {
    pub employer: Employer,
    /// The project owner (stödmottagaren): signs the claim.
    pub owner: bool,
    /// Persons new in the claim, by name (the `Personal` lines marked *Ny – registreras*).
    pub new_persons: Vec<NewPerson>,
    pub external_paid: Vec<ExternalPaid>,
    /// Persons of the claim registered by an earlier claim, by name.
    pub registered: Vec<Registered>,
    /// Certificates in force carried by earlier claims, by name.
    pub certified: Vec<Certified>,
}

/// What [`attachments`] reads.
pub struct Sources<'a> {
    pub orgs: &'a [Org<'a>],
    pub used: &'a [UsedWorkbook<'a>],
    pub person_months: &'a [PersonMonthCost],
    pub history: &'a History,
    pub staff: &'a [StaffLine],
    pub cofinancing: &'a Cofinancing,
}

/// The claim's attachments.
pub fn attachments(project: &Project, s: &Sources) -> Attachments {
    let taken: BTreeMap<Key, Concerns> = s
        .history
        .lines
        .iter()
        .filter(|l| l.taken())
        .map(|l| {
            let concerns = match l.kind {
                LineKind::Period => Concerns::Period,
                LineKind::Late => Concerns::Late(l.month),
                LineKind::Correction => Concerns::Correction(l.month),
            };
            ((l.org, l.month), concerns)
        })
        .collect();
    let reports: BTreeMap<Key, &MonthReport> = s.used.iter().map(|u| ((u.org, u.report.month), u.report)).collect();
    let (written, certified) = certificates(s, &taken, &reports);
    Attachments {
        time_reports: time_reports(project, s, &reports),
        orgs: s.orgs.iter().enumerate().map(|(i, org)| org_attachments(project, s, i, *org, &certified)).collect(),
        certificates: written.into_iter().map(|(_, c)| c).collect(),
    }
}

fn employer(org: Org) -> Employer {
    Employer {
        folder: org.folder().to_string(),
        name: org.name().to_string(),
        org_nr: org.org_nr().to_string(),
        in_kind: org.is_cofinancier(),
    }
}

/// The person of `pnr` in a month's workbook, costed or held out.
fn person<'r>(report: &'r MonthReport, pnr: &str) -> Option<&'r PersonMonth> {
    report.persons.iter().chain(&report.held).find(|p| p.pnr.as_str() == pnr)
}

/// The time reports: every taken line's time reporters, per organisation and person.
fn time_reports(project: &Project, s: &Sources, reports: &BTreeMap<Key, &MonthReport>) -> Vec<TimeReport> {
    let costs: BTreeMap<(usize, Month, &str), &PersonMonthCost> =
        s.person_months.iter().map(|pm| ((pm.org, pm.month, pm.pnr.as_str()), pm)).collect();
    // Whether a person reports time in an organisation: in the month itself, else in any month
    // read (a correction of a month the person is no longer in).
    let reports_time = |org: usize, month: Month, pnr: &str| {
        let of = |r: &MonthReport| person(r, pnr).map(|p| p.reporting == Reporting::TimeReport);
        reports.get(&(org, month)).and_then(|r| of(r)).unwrap_or_else(|| {
            reports.range((org, Month::MIN)..=(org, Month::MAX)).rev().find_map(|(_, r)| of(r)).unwrap_or(false)
        })
    };
    let mut by_person: BTreeMap<(usize, String), Vec<TimeMonth>> = BTreeMap::new();
    let mut names: BTreeMap<(usize, String), (String, String)> = BTreeMap::new();
    for l in s.history.lines.iter().filter(|l| l.taken()) {
        let report = reports.get(&(l.org, l.month)).copied();
        let pnrs: Vec<String> = match l.kind {
            LineKind::Correction => l.content.persons.iter().map(|p| p.pnr.clone()).collect(),
            _ => s
                .person_months
                .iter()
                .filter(|pm| pm.org == l.org && pm.month == l.month)
                .map(|pm| pm.pnr.as_str().to_string())
                .collect(),
        };
        for pnr in pnrs {
            if !reports_time(l.org, l.month, &pnr) {
                continue;
            }
            let cost = costs.get(&(l.org, l.month, pnr.as_str())).copied();
            let own = report.and_then(|r| person(r, &pnr));
            let hours = cost.map_or(Decimal::ZERO, |pm| pm.hours.value());
            let reported = cost.map_or(Hours::ZERO, |pm| pm.reported_hours).value();
            let (concerns, before, claimed) = match l.kind {
                LineKind::Period => (Concerns::Period, None, hours),
                LineKind::Late => (Concerns::Late(l.month), None, hours),
                LineKind::Correction => {
                    let diff = l.content.persons.iter().find(|p| p.pnr == pnr).map_or(Decimal::ZERO, |p| p.hours);
                    let counted = s.history.counted.get(&(l.org, l.month));
                    let was = counted
                        .and_then(|c| c.content.persons.iter().find(|p| p.pnr == pnr))
                        .map_or(Decimal::ZERO, |p| p.hours);
                    (Concerns::Correction(l.month), Some(was), diff)
                }
            };
            let mut days: Vec<TimeDay> = own
                .map(|p| {
                    p.days
                        .iter()
                        .map(|d| TimeDay {
                            when: d.when,
                            hours: d.hours.value(),
                            activity: d.activity.clone(),
                            activity_name: project.activity(&d.activity).map_or_else(String::new, |a| a.name.clone()),
                            text: d.text.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            // A whole month's row before the month's days; a day's rows in sheet order.
            days.sort_by_key(|d| match d.when {
                When::Month(m) => (m.first_day(), 0),
                When::Day(day) => (day, 1),
            });
            let absences = own
                .map(|p| p.absences.iter().map(|a| Absence { hours: a.hours.value(), reason: a.reason }).collect())
                .unwrap_or_default();
            let key = (l.org, pnr.clone());
            if let Some(who) =
                own.map(|p| (p.name.clone(), p.role.clone())).or(cost.map(|pm| (pm.name.clone(), pm.role.clone())))
            {
                names.insert(key.clone(), who);
            } else if let Some(p) = l.content.persons.iter().find(|p| p.pnr == pnr) {
                names.entry(key.clone()).or_insert_with(|| (p.name.clone(), p.role.clone()));
            }
            by_person.entry(key).or_default().push(TimeMonth {
                month: l.month,
                concerns,
                amends: l.amends,
                days,
                absences,
                reported,
                capped: reported - hours,
                hours,
                before,
                claimed,
            });
        }
    }
    let mut out: Vec<TimeReport> = Vec::new();
    for ((org, pnr), mut months) in by_person {
        let Some(employer) = s.orgs.get(org).map(|o| employer(*o)) else { continue };
        months.sort_by_key(|m| (m.month, m.concerns));
        let (name, role) = names.get(&(org, pnr.clone())).cloned().unwrap_or_default();
        let claimed = months.iter().map(|m| m.claimed).sum();
        let person = PersonTime { name, role, months, claimed };
        match out.last_mut().filter(|r| r.employer.folder == employer.folder) {
            Some(report) => report.persons.push(person),
            None => out.push(TimeReport { employer, persons: vec![person] }),
        }
    }
    for r in &mut out {
        r.persons.sort_by(|a, b| a.name.cmp(&b.name));
    }
    out
}

/// A fixed-share person's month that a submitted claim counted or this claim takes.
struct ShareMonth<'r> {
    month: Month,
    person: &'r PersonMonth,
    share: Decimal,
}

/// A stretch of months with one Andel: from its first month to the month before the next
/// stretch.
struct Segment<'r> {
    first: &'r ShareMonth<'r>,
    /// Index of the first and last month in the person's series.
    span: (usize, usize),
    previous: Option<Decimal>,
    until: Option<NaiveDate>,
}

impl Segment<'_> {
    /// The share's first day: the person's Startdatum in their first month, else the month's
    /// first day.
    fn from(&self) -> NaiveDate {
        let day = self.first.month.first_day();
        if self.previous.is_none() { day.max(self.first.person.start) } else { day }
    }
}

/// Each fixed-share person's months (organisation, personnummer), in month order.
fn share_series<'r>(
    s: &Sources,
    taken: &BTreeMap<Key, Concerns>,
    reports: &BTreeMap<Key, &'r MonthReport>,
) -> BTreeMap<(usize, String), Vec<ShareMonth<'r>>> {
    let mut series: BTreeMap<(usize, String), Vec<ShareMonth>> = BTreeMap::new();
    for (&(org, month), report) in reports {
        let claimed = s.history.counted.get(&(org, month)).is_some_and(|c| !c.claims.is_empty());
        if !claimed && !taken.contains_key(&(org, month)) {
            continue;
        }
        for p in report.persons.iter().filter(|p| p.reporting == Reporting::FixedShare) {
            let Some(share) = p.share else { continue };
            series.entry((org, p.pnr.as_str().to_string())).or_default().push(ShareMonth { month, person: p, share });
        }
    }
    series
}

/// A person's months cut where the Andel changes.
fn segments<'r>(months: &'r [ShareMonth<'r>]) -> Vec<Segment<'r>> {
    let starts: Vec<usize> = (0..months.len()).filter(|&i| i == 0 || months[i].share != months[i - 1].share).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let next = starts.get(n + 1).copied();
            Segment {
                first: &months[i],
                span: (i, next.map_or(months.len() - 1, |j| j - 1)),
                previous: i.checked_sub(1).map(|j| months[j].share),
                until: next.and_then(|j| months[j].month.first_day().pred_opt()),
            }
        })
        .collect()
}

/// The certificates in force that earlier claims carried, per organisation (index).
type EarlierCertificates = BTreeMap<usize, Vec<Certified>>;

/// The certificates the claim writes and those in force that earlier claims carried, per
/// organisation (index) and person.
fn certificates(
    s: &Sources,
    taken: &BTreeMap<Key, Concerns>,
    reports: &BTreeMap<Key, &MonthReport>,
) -> (Vec<(usize, Certificate)>, EarlierCertificates) {
    let mut written = Vec::new();
    let mut earlier = EarlierCertificates::new();
    for ((org, pnr), months) in &share_series(s, taken, reports) {
        let Some(employer) = s.orgs.get(*org).map(|o| employer(*o)) else { continue };
        for seg in segments(months) {
            let first = seg.first;
            match taken.get(&(*org, first.month)) {
                // The person's first month corrected: the claim that first counted them carried
                // the certificate. (Whether the Andel of a month already claimed changed cannot
                // be told from the ledger, so a later start that is corrected gets its
                // certificate again.)
                Some(Concerns::Correction(_)) if seg.previous.is_none() && was_counted(s, *org, first.month, pnr) => {
                    covered(s, *org, &seg, months, taken, &mut earlier);
                }
                Some(&concerns) => written.push((
                    *org,
                    Certificate {
                        employer: employer.clone(),
                        name: first.person.name.clone(),
                        personnummer: pnr.clone(),
                        role: first.person.role.clone(),
                        share: first.share,
                        employment: first.person.employment,
                        month: first.month,
                        from: seg.from(),
                        until: seg.until,
                        previous: seg.previous,
                        concerns,
                    },
                )),
                None => covered(s, *org, &seg, months, taken, &mut earlier),
            }
        }
    }
    written
        .sort_by(|(a, x), (b, y)| (a, &x.name, &x.personnummer, x.month).cmp(&(b, &y.name, &y.personnummer, y.month)));
    (written, earlier)
}

/// Records a segment an earlier claim certified, when the claim takes one of its months.
fn covered(
    s: &Sources,
    org: usize,
    seg: &Segment,
    months: &[ShareMonth],
    taken: &BTreeMap<Key, Concerns>,
    earlier: &mut EarlierCertificates,
) {
    let in_claim = months[seg.span.0..=seg.span.1].iter().any(|m| taken.contains_key(&(org, m.month)));
    let claim = s.history.counted.get(&(org, seg.first.month)).and_then(|c| c.claims.first().copied());
    if let (true, Some(claim)) = (in_claim, claim) {
        let person = seg.first.person;
        earlier.entry(org).or_default().push(Certified {
            name: person.name.clone(),
            share: seg.first.share,
            from: seg.from(),
            claim,
        });
    }
}

/// Whether the earlier claims counted the person in the organisation's month.
fn was_counted(s: &Sources, org: usize, month: Month, pnr: &str) -> bool {
    s.history.counted.get(&(org, month)).is_some_and(|c| c.content.persons.iter().any(|p| p.pnr == pnr))
}

/// What one organisation uploads besides the written attachments.
fn org_attachments(
    project: &Project,
    s: &Sources,
    index: usize,
    org: Org,
    certified: &EarlierCertificates,
) -> OrgAttachments {
    let folder = org.folder();
    let basis: BTreeMap<&str, &PersonMonthCost> =
        s.person_months.iter().filter(|pm| pm.org == index).map(|pm| (pm.pnr.as_str(), pm)).collect();
    let mut new_persons: BTreeMap<&str, NewPerson> = BTreeMap::new();
    let mut registered: BTreeMap<&str, Registered> = BTreeMap::new();
    for line in s.staff.iter().filter(|l| l.folder == folder) {
        let pnr = line.personnummer.as_str();
        match line.registered_in {
            None => {
                let pm = basis.get(pnr);
                new_persons.entry(pnr).or_insert_with(|| NewPerson {
                    name: line.name.clone(),
                    month: pm.map_or(line.first_month, |pm| pm.basis_month),
                    salary: line.monthly_salary,
                    reporting: reporting_of(s, index, pnr),
                });
            }
            Some(claim) => {
                registered.entry(pnr).or_insert_with(|| Registered { name: line.name.clone(), claim });
            }
        }
    }
    let mut new_persons: Vec<NewPerson> = new_persons.into_values().collect();
    new_persons.sort_by(|a, b| a.name.cmp(&b.name));
    let mut registered: Vec<Registered> = registered.into_values().collect();
    registered.sort_by(|a, b| a.name.cmp(&b.name));
    let mut certified = certified.get(&index).cloned().unwrap_or_default();
    certified.sort_by(|a, b| (&a.name, a.from).cmp(&(&b.name, b.from)));
    let mut external_paid: Vec<ExternalPaid> = Vec::new();
    for p in s.cofinancing.payments.iter().filter(|p| p.folder == folder && p.external) {
        match external_paid.iter_mut().find(|e| e.financier == p.financier) {
            Some(e) => {
                e.payments += 1;
                e.amount += p.amount;
            }
            None => external_paid.push(ExternalPaid { financier: p.financier.clone(), payments: 1, amount: p.amount }),
        }
    }
    OrgAttachments {
        employer: employer(org),
        owner: folder == project.info.owner,
        new_persons,
        external_paid,
        registered,
        certified,
    }
}

/// How a person reports in the organisation, by their latest month read.
fn reporting_of(s: &Sources, org: usize, pnr: &str) -> Reporting {
    s.used
        .iter()
        .filter(|u| u.org == org)
        .filter_map(|u| person(u.report, pnr).map(|p| (u.report.month, p.reporting)))
        .max_by_key(|(m, _)| *m)
        .map_or(Reporting::TimeReport, |(_, r)| r)
}
