//! Worked examples of the staff-cost, flat-rate, in-kind and support rules, each computed by
//! hand in its comment, and property tests of the arithmetic invariants.
//!
//! The examples feed [`MonthReport`]s straight into `reconcile`, so they test the arithmetic of
//! `docs/rules.md` without any spreadsheet in between (the reader has its own tests).

use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use redovisa::finding::{Code, Place, Severity};
use redovisa::ids::Personnummer;
use redovisa::ledger::Claim;
use redovisa::money::Hours;
use redovisa::month::Month;
use redovisa::project::{Dated, FlatRate, FlatRateModel, Project};
use redovisa::read::Reporting;
use redovisa::reconcile::contribution::{MonthReport, OtherCost, PersonMonth};
use redovisa::reconcile::model::{Figures, Period};
use redovisa::reconcile::{self, Input, UsedWorkbook};
use rust_decimal::Decimal;
use rust_decimal::dec;

fn project() -> Project {
    Project::load(Path::new("fixtures/hallbar-samhallsomstallning")).unwrap()
}

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A valid personnummer for person number `n` (born 1980-01-0n).
fn pnr(n: u32) -> Personnummer {
    let nine = format!("800101{:03}", 200 + n);
    let ten = format!("{nine}{}", redovisa::ids::luhn_digit(&nine));
    Personnummer::parse(&ten, d("2025-01-01")).unwrap()
}

struct P {
    n: u32,
    start: &'static str,
    end: Option<&'static str>,
    salary: Decimal,
    reporting: Reporting,
    share: Option<Decimal>,
    employment: Decimal,
    time: Vec<(&'static str, Decimal)>,
    absence: Decimal,
}

impl P {
    fn time(n: u32, start: &'static str, salary: Decimal, time: Vec<(&'static str, Decimal)>) -> P {
        P {
            n,
            start,
            end: None,
            salary,
            reporting: Reporting::TimeReport,
            share: None,
            employment: Decimal::ONE,
            time,
            absence: Decimal::ZERO,
        }
    }

    fn build(&self) -> PersonMonth {
        let place = Place::cell("x.xlsx", "Personal", format!("A{}", self.n + 1));
        PersonMonth {
            name: format!("Person {}", self.n),
            pnr: pnr(self.n),
            role: "Processledare".into(),
            start: d(self.start),
            end: self.end.map(d),
            salary: self.salary,
            reporting: self.reporting,
            share: self.share,
            employment: self.employment,
            main_activity: Some("2.2".into()),
            place: place.clone(),
            salary_place: place.clone(),
            start_place: place,
            time: self.time.iter().map(|(a, h)| (a.to_string(), Hours::from_decimal(*h))).collect(),
            absence: Hours::from_decimal(self.absence),
            days: Vec::new(),
            absences: Vec::new(),
        }
    }
}

fn report(month: &str, persons: &[P]) -> MonthReport {
    MonthReport {
        month: m(month),
        persons: persons.iter().map(P::build).collect(),
        held: Vec::new(),
        other_costs: Vec::new(),
        participants: Vec::new(),
        indicator_values: Vec::new(),
        narratives: Vec::new(),
        payments: Vec::new(),
    }
}

fn org(project: &Project, folder: &str) -> usize {
    project.orgs().position(|o| o.folder() == folder).unwrap()
}

/// Reconciles `reports` (organisation index, report) over `from`–`to`, after one submitted
/// claim up to the month before `from` that claimed `claimed_before` in support (none when 0).
fn run(project: &Project, reports: &[(usize, MonthReport)], from: &str, to: &str, claimed_before: Decimal) -> Figures {
    let used = reports
        .iter()
        .map(|(o, r)| UsedWorkbook { org: *o, rel: "x.xlsx", sha256: "", report: r, attested_on: None })
        .collect();
    let earlier = Claim {
        seq: 1,
        from: project.start_month(),
        to: m(from).prev(),
        support: claimed_before,
        eligible: Decimal::ZERO,
        support_uncapped: None,
        recorded_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        workbooks: Vec::new(),
        months: Some(Vec::new()),
        held_corrections: false,
        indicators: Vec::new(),
        decision: None,
        prev: String::new(),
    };
    let claims = if claimed_before.is_zero() { Vec::new() } else { vec![earlier] };
    let input = Input {
        period: Period { from: m(from), to: m(to) },
        claim: true,
        used,
        claims: &claims,
        submitted: &claims,
        hold_corrections: false,
        narratives_from: m(from),
        files: Vec::new(),
        findings: Vec::new(),
        today: m(to).last_day(),
        final_report: None,
    };
    reconcile::reconcile(project, input)
}

fn org_figures<'a>(f: &'a Figures, folder: &str) -> &'a redovisa::reconcile::model::OrgFigures {
    f.orgs.iter().find(|o| o.folder == folder).unwrap()
}

#[test]
fn time_reporter_across_the_indexation_step() {
    // Kramfors (on-costs 40.15 %, flat rate 25 %), Startdatum 2024-01-15, Månadslön 45 000,
    // 100 hours on activity 1.1 in each of 2025-01 and 2025-02.
    // rate0 = 45 000 × 12 / 1 720 = 313.953488…
    // 2025-01: 2024-01-15 → 2025-01-01 is 11 whole months, k = 0:
    //   lön = round2(100 × 313.953488…) = 31 395.35; lbk = round2(31 395.35 × 0.4015) = 12 605.23
    //   personalkostnad 44 000.58
    // 2025-02: 2024-01-15 → 2025-02-01 is 12 whole months, k = 1: rate = 313.953488… × 1.024
    //   lön = round2(100 × 45 000 × 12 × 1.024 / 1 720) = round2(32 148.837…) = 32 148.84
    //   lbk = round2(32 148.84 × 0.4015) = round2(12 907.759…) = 12 907.76; cost 45 056.60
    // Period staff 89 057.18; schablon = trunc2(89 057.18 × 0.25) = trunc2(22 264.295) = 22 264.29.
    let p = project();
    let k = org(&p, "kramfors");
    let person = || P::time(1, "2024-01-15", dec!(45000), vec![("1.1", dec!(100))]);
    let reports = [(k, report("2025-01", &[person()])), (k, report("2025-02", &[person()]))];
    let f = run(&p, &reports, "2025-01", "2025-02", Decimal::ZERO);
    assert_eq!(f.staff.len(), 2, "one line per person and rate");
    let (jan, feb) = (&f.staff[0], &f.staff[1]);
    assert_eq!(
        (jan.index_steps, jan.salary_cost, jan.on_cost, jan.staff_cost),
        (0, dec!(31395.35), dec!(12605.23), dec!(44000.58))
    );
    assert_eq!(
        (feb.index_steps, feb.salary_cost, feb.on_cost, feb.staff_cost),
        (1, dec!(32148.84), dec!(12907.76), dec!(45056.60))
    );
    assert_eq!(jan.hourly_rate.unwrap().round_dp(6), dec!(313.953488));
    assert_eq!(feb.hourly_rate.unwrap().round_dp(6), dec!(321.488372));
    let kf = org_figures(&f, "kramfors");
    assert_eq!(kf.period.staff, dec!(89057.18));
    assert_eq!(kf.period.flat_rate, dec!(22264.29));
    assert_eq!(kf.period.total(), dec!(111321.47));
    assert_eq!(f.activities.iter().find(|a| a.code == "1.1").unwrap().period, dec!(111321.47));
}

#[test]
fn fixed_share_person_leaving_mid_month_with_absence() {
    // Sollefteå (on-costs 41.72 %), Fast andel 50 %, Startdatum 2024-03-01, Slutdatum 2025-03-14,
    // Månadslön 40 000, 10 hours VAB in 2025-03.
    // 2025-02 (whole month; 2024-03-01 → 2025-02-01 is 11 months, k = 0):
    //   hours = 1 720 × 0.5 / 12 = 71.666… (kept exact); lön = 71.666… × 40 000 × 12 / 1 720 = 20 000.00
    //   lbk = 20 000 × 0.4172 = 8 344.00; cost 28 344.00
    // 2025-03 (14 of 31 days; 2024-03-01 → 2025-03-01 is 12 months, k = 1):
    //   hours = 1 720 × 0.5 × 14 / (12 × 31) − 10 = 32.365591… − 10 = 22.365591…
    //   lön = round2(22.365591… × 40 000 × 12 × 1.024 / 1 720) = round2(6 391.356…) = 6 391.36
    //   lbk = round2(6 391.36 × 0.4172) = round2(2 666.475…) = 2 666.48; cost 9 057.84
    let p = project();
    let s = org(&p, "solleftea");
    let person = |absence| P {
        n: 2,
        start: "2024-03-01",
        end: Some("2025-03-14"),
        salary: dec!(40000),
        reporting: Reporting::FixedShare,
        share: Some(dec!(0.5)),
        employment: Decimal::ONE,
        time: Vec::new(),
        absence,
    };
    let reports = [(s, report("2025-02", &[person(Decimal::ZERO)])), (s, report("2025-03", &[person(dec!(10))]))];
    let f = run(&p, &reports, "2025-02", "2025-03", Decimal::ZERO);
    let (feb, mar) = (&f.staff[0], &f.staff[1]);
    assert_eq!(feb.hours.round_dp(2), dec!(71.67));
    assert_eq!((feb.salary_cost, feb.on_cost, feb.staff_cost), (dec!(20000.00), dec!(8344.00), dec!(28344.00)));
    assert_eq!(mar.hours.round_dp(6), dec!(22.365591));
    assert_eq!((mar.salary_cost, mar.on_cost, mar.staff_cost), (dec!(6391.36), dec!(2666.48), dec!(9057.84)));
    // Fixed-share hours with no time rows go to the Huvudaktivitet (2.2).
    let a22 = f.activities.iter().find(|a| a.code == "2.2").unwrap();
    assert_eq!(a22.period, org_figures(&f, "solleftea").period.total());
}

#[test]
fn person_crossing_the_annual_cap_loses_only_the_excess() {
    // Timrå (on-costs 44.60 %), Startdatum 2024-06-01, Månadslön 50 000, 100 % employment:
    // 160 hours in each month 2025-01 … 2025-11 = 1 760 hours, 40 over the cap of 1 720.
    // November: 1 600 hours already costed, 120 allowed, 40 left out (HOURS_OVER_ANNUAL_CAP).
    // 2024-06-01 → 2025-11-01 is 17 months, k = 1:
    //   lön = round2(120 × 50 000 × 12 × 1.024 / 1 720) = round2(42 865.116…) = 42 865.12
    //   lbk = round2(42 865.12 × 0.446) = round2(19 117.843…) = 19 117.84; cost 61 982.96
    let p = project();
    let t = org(&p, "timra");
    let reports: Vec<(usize, MonthReport)> = (1..=11)
        .map(|i| {
            (t, report(&format!("2025-{i:02}"), &[P::time(3, "2024-06-01", dec!(50000), vec![("3.3", dec!(160))])]))
        })
        .collect();
    let f = run(&p, &reports, "2025-11", "2025-11", Decimal::ZERO);
    let nov = &f.staff[0];
    assert_eq!(nov.hours, dec!(120));
    assert_eq!((nov.salary_cost, nov.on_cost, nov.staff_cost), (dec!(42865.12), dec!(19117.84), dec!(61982.96)));
    let cap: Vec<_> = f.findings.iter().filter(|x| x.code == Code::HoursOverAnnualCap).collect();
    assert_eq!(cap.len(), 1);
    assert_eq!(cap[0].severity, Severity::Error);
    assert!(cap[0].message.contains("40 timmar lämnas utanför"), "{}", cap[0].message);
    assert_eq!(org_figures(&f, "timra").hours_cumulative, dec!(1720));
}

#[test]
fn partner_on_each_flat_rate_model() {
    // Härnösand, 40 % model (remaining costs): 100 h at 45 000 from 2024-01-01 in 2024-02 (k = 0):
    //   lön = round2(100 × 45 000 × 12 / 1 720) = 31 395.35; lbk (40.15 %) = 12 605.23; staff 44 000.58
    //   schablon = trunc2(44 000.58 × 0.40) = 17 600.23 (17 600.232 truncated); other costs: none.
    // Kramfors switched to the 15 % model (indirect) for the test: same person and hours,
    //   indirekta = trunc2(44 000.58 × 0.15) = trunc2(6 600.087) = 6 600.08, plus accepted other
    //   costs 1 234.50 on activity 1.3; total 44 000.58 + 6 600.08 + 1 234.50 = 51 835.16.
    let mut p = project();
    p.partners[1].flat_rate = Dated::plain(FlatRate { model: FlatRateModel::Indirect, rate: dec!(15) });
    let (h, k) = (org(&p, "harnosand"), org(&p, "kramfors"));
    let person = || P::time(4, "2024-01-01", dec!(45000), vec![("4.1", dec!(100))]);
    let mut kr = report("2024-02", &[person()]);
    kr.other_costs.push(OtherCost { activity: "1.3".into(), category: "Resor", amount: dec!(1234.50) });
    let reports = [(h, report("2024-02", &[person()])), (k, kr)];
    let f = run(&p, &reports, "2024-02", "2024-02", Decimal::ZERO);
    let hf = org_figures(&f, "harnosand");
    assert_eq!((hf.period.staff, hf.period.flat_rate, hf.period.other), (dec!(44000.58), dec!(17600.23), dec!(0)));
    let kf = org_figures(&f, "kramfors");
    assert_eq!((kf.period.staff, kf.period.flat_rate, kf.period.other), (dec!(44000.58), dec!(6600.08), dec!(1234.50)));
    assert_eq!(kf.period.total(), dec!(51835.16));
    assert_eq!(f.totals.other, dec!(1234.50));
    assert_eq!(f.activities.iter().find(|a| a.code == "1.3").unwrap().period, dec!(1234.50));
}

#[test]
fn cofinancier_in_kind() {
    // Länsstyrelsen (public, on-costs 50 %, no flat rate): 20 hours at Månadslön 50 000 in 2024-05,
    // Startdatum 2024-01-01 (k = 0): lön = round2(20 × 50 000 × 12 / 1 720) = round2(6 976.744…) = 6 976.74;
    // lbk = 3 488.37; value 10 465.11, as public in kind. BizMaker (private, 31.42 %): 10 hours
    // at 40 000: lön = round2(10 × 40 000 × 12 / 1 720) = round2(2 790.697…) = 2 790.70;
    // lbk = round2(2 790.70 × 0.3142) = round2(876.837…) = 876.84; value 3 667.54 private.
    // Eligible = 10 465.11 + 3 667.54 = 14 132.65; stöd = trunc2(14 132.65 × 0.3992) = trunc2(5 641.753…) = 5 641.75.
    let p = project();
    let (l, b) = (org(&p, "lansstyrelsen"), org(&p, "bizmaker"));
    let reports = [
        (l, report("2024-05", &[P::time(5, "2024-01-01", dec!(50000), vec![("1.2", dec!(20))])])),
        (b, report("2024-05", &[P::time(6, "2024-01-01", dec!(40000), vec![("2.2", dec!(10))])])),
    ];
    let f = run(&p, &reports, "2024-05", "2024-05", Decimal::ZERO);
    assert_eq!(org_figures(&f, "lansstyrelsen").period.total(), dec!(10465.11));
    assert_eq!(org_figures(&f, "bizmaker").period.total(), dec!(3667.54));
    assert_eq!(
        (f.totals.in_kind, f.totals.in_kind_public, f.totals.in_kind_private),
        (dec!(14132.65), dec!(10465.11), dec!(3667.54))
    );
    assert_eq!(f.totals.staff, Decimal::ZERO, "in kind is not a partner's staff cost");
    assert_eq!(f.totals.eligible, dec!(14132.65));
    assert_eq!(f.totals.support, dec!(5641.75));
}

#[test]
fn support_cap_reached() {
    // Approved support 12 752 293; 12 751 293 already claimed, 1 000 kr left.
    // Period: Kramfors 100 h at 45 000 in 2026-01 (Startdatum 2026-01-01, k = 0): staff 44 000.58,
    // schablon trunc2(44 000.58 × 0.25) = 11 000.14 (11 000.145 truncated), eligible 55 000.72,
    // stöd by the rate trunc2(55 000.72 × 0.3992) = trunc2(21 956.287…) = 21 956.28, capped at 1 000.00.
    let p = project();
    let k = org(&p, "kramfors");
    let reports = [(k, report("2026-01", &[P::time(7, "2026-01-01", dec!(45000), vec![("2.2", dec!(100))])]))];
    let f = run(&p, &reports, "2026-01", "2026-01", dec!(12751293));
    assert_eq!(f.totals.eligible, dec!(55000.72));
    assert_eq!(f.totals.support_uncapped, dec!(21956.28));
    assert_eq!(f.totals.support, dec!(1000.00));
    assert!(f.support.capped);
    assert_eq!(f.support.claimed_total, dec!(12752293));
    assert_eq!(f.support.remaining, Decimal::ZERO);
    let cap: Vec<_> = f.findings.iter().filter(|x| x.code == Code::SupportCapReached).collect();
    assert_eq!(cap.len(), 1);
    assert_eq!(cap[0].severity, Severity::Warning);
}

#[test]
fn salary_basis_change_and_month_limit_are_warned() {
    // The first month's Månadslön stays the basis; a later, different one is warned about.
    // 200 hours in 2025-04 (22 weekdays × 8 = 176) is HOURS_OVER_MONTH.
    let p = project();
    let k = org(&p, "kramfors");
    let mut later = P::time(8, "2025-01-01", dec!(48000), vec![("1.1", dec!(200))]);
    later.n = 8;
    let reports = [
        (k, report("2025-03", &[P::time(8, "2025-01-01", dec!(45000), vec![("1.1", dec!(100))])])),
        (k, report("2025-04", &[later])),
    ];
    let f = run(&p, &reports, "2025-04", "2025-04", Decimal::ZERO);
    // lön uses 45 000: round2(200 × 45 000 × 12 / 1 720) = round2(62 790.697…) = 62 790.70.
    assert_eq!(f.staff[0].salary_cost, dec!(62790.70));
    assert_eq!(f.staff[0].monthly_salary, dec!(45000));
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::SalaryBasisChanged).collect();
    assert_eq!(changed.len(), 1, "only the Månadslön changed");
    assert!(changed[0].message.starts_with("Månadslön") && changed[0].severity == Severity::Warning);
    assert!(f.findings.iter().any(|x| x.code == Code::HoursOverMonth && x.severity == Severity::Warning));
    // Every other organisation sent nothing for 2025-04.
    let missing = f.findings.iter().filter(|x| x.code == Code::MissingSubmission).count();
    assert_eq!(missing, p.orgs().count() - 1);
}

fn fixed(
    n: u32,
    start: &'static str,
    end: Option<&'static str>,
    salary: Decimal,
    share: Decimal,
    absence: Decimal,
) -> P {
    P {
        n,
        start,
        end,
        salary,
        reporting: Reporting::FixedShare,
        share: Some(share),
        employment: Decimal::ONE,
        time: Vec::new(),
        absence,
    }
}

fn parts_of(cost: Decimal, hours: Hours, weights: &[(&str, Decimal)]) -> Vec<(String, Decimal, Decimal)> {
    let weights: Vec<(String, Hours)> = weights.iter().map(|(c, h)| (c.to_string(), Hours::from_decimal(*h))).collect();
    reconcile::staff::split_by_hours(cost, hours, &weights)
        .into_iter()
        .map(|p| (p.code, p.cost, p.hours.value()))
        .collect()
}

fn row(code: &str, cost: Decimal, hours: Decimal) -> (String, Decimal, Decimal) {
    (code.to_string(), cost, hours)
}

#[test]
fn split_by_hours_by_hand() {
    // 100,00 over 1 + 1 + 1 h: round2(33,333…) = 33,33 twice, the last in code order takes
    // 100,00 − 66,66 = 33,34.
    let h = |x: i64| Hours::from_decimal(Decimal::from(x));
    assert_eq!(
        parts_of(dec!(100), h(3), &[("1.1", dec!(1)), ("1.2", dec!(1)), ("2.1", dec!(1))]),
        vec![row("1.1", dec!(33.33), dec!(1)), row("1.2", dec!(33.33), dec!(1)), row("2.1", dec!(33.34), dec!(1))]
    );
    // 10,00 over 1 h and 2 h: round2(3,333…) = 3,33; the last 6,67.
    assert_eq!(
        parts_of(dec!(10), h(3), &[("1.1", dec!(1)), ("1.2", dec!(2))]),
        vec![row("1.1", dec!(3.33), dec!(1)), row("1.2", dec!(6.67), dec!(2))]
    );
    // 0,05 over three equal hours: round2(0,01666…) = 0,02, 0,02, and the last 0,01.
    assert_eq!(
        parts_of(dec!(0.05), h(3), &[("1.1", dec!(1)), ("1.2", dec!(1)), ("1.3", dec!(1))]),
        vec![row("1.1", dec!(0.02), dec!(1)), row("1.2", dec!(0.02), dec!(1)), row("1.3", dec!(0.01), dec!(1))]
    );
    // 0,03 over six equal hours: 0,005 each rounds to 0,01, but never past what is left:
    // 0,01, 0,01, 0,01, then 0 for the rest (it was −0,02 on the last).
    let six =
        [("1.1", dec!(1)), ("1.2", dec!(1)), ("1.3", dec!(1)), ("1.4", dec!(1)), ("2.1", dec!(1)), ("2.2", dec!(1))];
    let costs: Vec<Decimal> = parts_of(dec!(0.03), h(6), &six).into_iter().map(|r| r.1).collect();
    assert_eq!(costs, vec![dec!(0.01), dec!(0.01), dec!(0.01), dec!(0), dec!(0), dec!(0)]);
    // Capped: 6 h costed of 4 + 8 reported, 90,00: 1.1 gets round2(90 × 4 / 12) = 30,00 and
    // 6 × 4 / 12 = 2 h; 1.2 the rest, 60,00 and 4 h.
    assert_eq!(
        parts_of(dec!(90), h(6), &[("1.1", dec!(4)), ("1.2", dec!(8))]),
        vec![row("1.1", dec!(30), dec!(2)), row("1.2", dec!(60), dec!(4))]
    );
    // Minutes: 20 and 40 minutes (fractions over 60), 90,00 kr and 1 h: 1.1 gets round2(90 × 20
    // / 60) = 30,00 and 20 min, 1.2 the rest, 60,00 and 40 min. Capped to half an hour: 1.1 gets
    // 0,5 × 20 / 60 = 10 min (1/6 h), 1.2 20 min.
    let minutes: Vec<(String, Hours)> =
        vec![("1.1".into(), Hours::from_minutes(20)), ("1.2".into(), Hours::from_minutes(40))];
    let got: Vec<(Decimal, Hours)> = reconcile::staff::split_by_hours(dec!(90), Hours::from_minutes(60), &minutes)
        .into_iter()
        .map(|p| (p.cost, p.hours))
        .collect();
    assert_eq!(got, vec![(dec!(30), Hours::from_minutes(20)), (dec!(60), Hours::from_minutes(40))]);
    let got: Vec<(Decimal, Decimal)> = reconcile::staff::split_by_hours(dec!(90), Hours::from_minutes(30), &minutes)
        .into_iter()
        .map(|p| (p.cost, p.hours.value().round_dp(12)))
        .collect();
    assert_eq!(got, vec![(dec!(30), dec!(0.166666666667)), (dec!(60), dec!(0.333333333333))]);
    // split_amount: the same rule for amounts, either sign: 100 over 1:1:1 is 33,33 33,33
    // 33,34; −0,03 over six equal weights is −0,01 three times, then 0.
    let w = |n: usize| (0..n).map(|i| (i, Decimal::ONE)).collect::<Vec<_>>();
    let amounts = |a: Decimal, n: usize| -> Vec<Decimal> {
        reconcile::staff::split_amount(a, &w(n)).into_iter().map(|(_, x)| x).collect()
    };
    assert_eq!(amounts(dec!(100), 3), vec![dec!(33.33), dec!(33.33), dec!(33.34)]);
    assert_eq!(amounts(dec!(0.03), 6), vec![dec!(0.01), dec!(0.01), dec!(0.01), dec!(0), dec!(0), dec!(0)]);
    assert_eq!(amounts(dec!(-0.03), 6), vec![dec!(-0.01), dec!(-0.01), dec!(-0.01), dec!(0), dec!(0), dec!(0)]);
    assert!(reconcile::staff::split_amount(dec!(5), &[(0, Decimal::ZERO)]).is_empty());
}

#[test]
fn time_in_code_order_the_last_code_takes_the_remainder() {
    // Kramfors, Månadslön 45 000, Startdatum 2025-01-01, 2025-01: 1 h on 2.2 and 2 h on 1.1
    // (written in that order). lön = round2(3 × 45 000 × 12 / 1 720) = round2(941,860…) = 941,86;
    // lönebikostnad round2(941,86 × 0,4015) = round2(378,156…) = 378,16; 1 320,02.
    // Code order 1.1 then 2.2: 1.1 round2(1 320,02 × 2 / 3) = round2(880,013…) = 880,01; 2.2 the
    // remainder 440,01. Flat rate trunc2(1 320,02 × 0,25) = 330,00 (330,005), spread by staff
    // cost in code order: 1.1 round2(330 × 880,01 / 1 320,02) = round2(220,0) = 220,00, 2.2 110,00.
    let p = project();
    let k = org(&p, "kramfors");
    let reports =
        [(k, report("2025-01", &[P::time(9, "2025-01-01", dec!(45000), vec![("2.2", dec!(1)), ("1.1", dec!(2))])]))];
    let f = run(&p, &reports, "2025-01", "2025-01", Decimal::ZERO);
    assert_eq!(f.staff[0].staff_cost, dec!(1320.02));
    let act = |c: &str| f.activities.iter().find(|a| a.code == c).unwrap().period;
    assert_eq!((act("1.1"), act("2.2")), (dec!(1100.01), dec!(550.01)));
}

#[test]
fn a_changed_startdatum_is_warned_and_not_used() {
    // Kramfors, Månadslön 45 000, Startdatum 2024-01-15 in 2025-01; 2025-02 says 2024-03-01. The
    // first month's Startdatum stays: 2024-01-15 → 2025-02-01 is 12 whole months, k = 1 (with
    // 2024-03-01 it would be 11, k = 0). 100 h: lön = round2(100 × 45 000 × 12 × 1,024 / 1 720) =
    // round2(32 148,837…) = 32 148,84. One SALARY_BASIS_CHANGED, on Startdatum, in February.
    let p = project();
    let k = org(&p, "kramfors");
    let reports = [
        (k, report("2025-01", &[P::time(19, "2024-01-15", dec!(45000), vec![("1.1", dec!(100))])])),
        (k, report("2025-02", &[P::time(19, "2024-03-01", dec!(45000), vec![("1.1", dec!(100))])])),
    ];
    let f = run(&p, &reports, "2025-02", "2025-02", Decimal::ZERO);
    assert_eq!((f.staff[0].index_steps, f.staff[0].salary_cost), (1, dec!(32148.84)));
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::SalaryBasisChanged).collect();
    assert_eq!(changed.len(), 1);
    assert!(changed[0].message.starts_with("Startdatum"), "{}", changed[0].message);
}

#[test]
fn indexation_compounds_over_several_steps() {
    // Kramfors, time report, Startdatum 2023-01-10, Månadslön 45 000, 100 h on 1.1 in 2025-02:
    // 2023-01-10 → 2025-02-01 is 24 whole months, k = 2, factor 1,024² = 1,048576 (linear would
    // be 1,048). lön = round2(100 × 45 000 × 12 × 1,048576 / 1 720) = round2(32 920,409…) =
    // 32 920,41 (linear: 32 902,33); lönebikostnad round2(32 920,41 × 0,4015) =
    // round2(13 217,544…) = 13 217,54; 46 137,95.
    let p = project();
    let k = org(&p, "kramfors");
    let reports = [(k, report("2025-02", &[P::time(10, "2023-01-10", dec!(45000), vec![("1.1", dec!(100))])]))];
    let f = run(&p, &reports, "2025-02", "2025-02", Decimal::ZERO);
    let s = &f.staff[0];
    assert_eq!(
        (s.index_steps, s.salary_cost, s.on_cost, s.staff_cost),
        (2, dec!(32920.41), dec!(13217.54), dec!(46137.95))
    );
}

#[test]
fn a_person_starting_and_leaving_mid_month() {
    // Sollefteå (41,72 %), Fast andel 100 %, Startdatum 2025-03-10, Slutdatum 2025-03-20,
    // Månadslön 36 000, 2025-03: 11 of 31 days, hours 1 720 × 1 × 11 / (12 × 31) = 50,860215…;
    // lön = round2(36 000 × 11 / 31) = round2(12 774,193…) = 12 774,19; lönebikostnad
    // round2(12 774,19 × 0,4172) = round2(5 329,392…) = 5 329,39; 18 103,58.
    let p = project();
    let s = org(&p, "solleftea");
    let reports = [(
        s,
        report("2025-03", &[fixed(11, "2025-03-10", Some("2025-03-20"), dec!(36000), Decimal::ONE, Decimal::ZERO)]),
    )];
    let f = run(&p, &reports, "2025-03", "2025-03", Decimal::ZERO);
    let pm = &f.staff[0];
    assert_eq!(pm.hours.round_dp(6), dec!(50.860215));
    assert_eq!((pm.salary_cost, pm.on_cost, pm.staff_cost), (dec!(12774.19), dec!(5329.39), dec!(18103.58)));
}

#[test]
fn a_one_day_person_and_fixed_share_with_time_rows() {
    // Sollefteå (41,72 %), Fast andel 100 %, Startdatum = Slutdatum = 2025-03-10, Månadslön
    // 31 000: 1 of 31 days, hours 1 720 / (12 × 31) = 4,623655…; lön = 31 000 × 1 / 31 =
    // 1 000,00; lönebikostnad 417,20; 1 417,20.
    let p = project();
    let s = org(&p, "solleftea");
    let one_day = fixed(20, "2025-03-10", Some("2025-03-10"), dec!(31000), Decimal::ONE, Decimal::ZERO);
    let f = run(&p, &[(s, report("2025-03", &[one_day]))], "2025-03", "2025-03", Decimal::ZERO);
    assert_eq!(
        (f.staff[0].salary_cost, f.staff[0].on_cost, f.staff[0].staff_cost),
        (dec!(1000.00), dec!(417.20), dec!(1417.20))
    );
    // Fast andel 50 % with time rows (10 h on 1.1, 30 h on 1.2) and Huvudaktivitet 2.2: the
    // month's 71,666… h follow the time rows, 1 : 3; nothing goes to 2.2. Whole 2025-02, Månadslön
    // 40 000: 28 344,00 (see above); 1.1 round2(28 344 × 10 / 40) = 7 086,00, 1.2 21 258,00.
    let mut person = fixed(21, "2024-03-01", None, dec!(40000), dec!(0.5), Decimal::ZERO);
    person.time = vec![("1.1", dec!(10)), ("1.2", dec!(30))];
    let f = run(&p, &[(s, report("2025-02", &[person]))], "2025-02", "2025-02", Decimal::ZERO);
    assert_eq!(f.staff[0].staff_cost, dec!(28344.00));
    let act = |c: &str| f.activities.iter().find(|a| a.code == c).unwrap().period;
    assert_eq!(act("2.2"), Decimal::ZERO);
    assert!(act("1.1") > Decimal::ZERO && act("1.2") > act("1.1"));
}

#[test]
fn absence_larger_than_the_fixed_hours_gives_no_hours() {
    // Sollefteå, Fast andel 50 %, whole month 2025-02: 1 720 × 0,5 / 12 = 71,666… h, 80 h of
    // absence: 71,666… − 80 < 0, so 0 hours and no cost (never a negative one).
    let p = project();
    let s = org(&p, "solleftea");
    let reports = [(s, report("2025-02", &[fixed(12, "2024-03-01", None, dec!(40000), dec!(0.5), dec!(80))]))];
    let f = run(&p, &reports, "2025-02", "2025-02", Decimal::ZERO);
    assert!(f.staff.is_empty(), "no staff line for 0 hours");
    assert_eq!(org_figures(&f, "solleftea").period.staff, Decimal::ZERO);
    assert_eq!(org_figures(&f, "solleftea").hours_period, Decimal::ZERO);
}

#[test]
fn fixed_share_is_pro_rata_by_the_projects_start_and_end() {
    // The project moved to 2024-01-15 – 2027-04-20 for the test. Sollefteå, Fast andel 50 %,
    // Startdatum 2023-06-01 (before the project), Månadslön 40 000.
    // 2024-01: 17 days (15–31) of 31 in the project, k = 0 (7 months): lön = round2(40 000 ×
    //   0,5 × 17 / 31) = round2(10 967,741…) = 10 967,74; lönebikostnad round2(10 967,74 ×
    //   0,4172) = round2(4 575,741…) = 4 575,74; 15 543,48.
    // 2027-04: 20 days (1–20) of 30, k = 3 (46 months): lön = round2(40 000 × 0,5 × 20 / 30 ×
    //   1,024³) = round2(13 333,33… × 1,073741824) = round2(14 316,557…) = 14 316,56;
    //   lönebikostnad round2(14 316,56 × 0,4172) = round2(5 972,868…) = 5 972,87; 20 289,43.
    let mut p = project();
    p.info.start = d("2024-01-15");
    p.info.end = d("2027-04-20");
    let s = org(&p, "solleftea");
    let person = || fixed(13, "2023-06-01", None, dec!(40000), dec!(0.5), Decimal::ZERO);
    let f = run(&p, &[(s, report("2024-01", &[person()]))], "2024-01", "2024-01", Decimal::ZERO);
    assert_eq!(
        (f.staff[0].salary_cost, f.staff[0].on_cost, f.staff[0].staff_cost),
        (dec!(10967.74), dec!(4575.74), dec!(15543.48))
    );
    let f = run(&p, &[(s, report("2027-04", &[person()]))], "2027-04", "2027-04", Decimal::ZERO);
    assert_eq!(f.staff[0].index_steps, 3);
    assert_eq!(
        (f.staff[0].salary_cost, f.staff[0].on_cost, f.staff[0].staff_cost),
        (dec!(14316.56), dec!(5972.87), dec!(20289.43))
    );
}

#[test]
fn the_cap_is_hit_with_a_changing_grade() {
    // Timrå (44,60 %), Månadslön 40 000, Startdatum 2025-01-01 (k = 0): 100 % and 160 h a month
    // January–June (960 h), 50 % and 80 h a month July–November.
    // Cap for 2025 = 1 720 × (6 × 1 + 6 × 0,5) / 12 = 1 290 h (December takes November's 50 %).
    // July–October: 960 + 4 × 80 = 1 280; November: 10 h allowed, 70 left out.
    // (Ignoring the grade: 1 720, November keeps 80 h; the month's grade for the year: 860,
    // nothing from July on.)
    // November: lön = round2(10 × 40 000 × 12 / 1 720) = round2(2 790,697…) = 2 790,70;
    // lönebikostnad round2(2 790,70 × 0,446) = round2(1 244,652…) = 1 244,65; 4 035,35.
    // July–October each: lön round2(80 × 40 000 × 12 / 1 720) = round2(22 325,581…) = 22 325,58;
    // lönebikostnad round2(22 325,58 × 0,446) = round2(9 957,208…) = 9 957,21; 32 282,79.
    // The period: 4 × 32 282,79 + 4 035,35 = 133 166,51.
    let p = project();
    let t = org(&p, "timra");
    let reports: Vec<(usize, MonthReport)> = (1..=11)
        .map(|i| {
            let (grade, hours) = if i <= 6 { (Decimal::ONE, dec!(160)) } else { (dec!(0.5), dec!(80)) };
            let mut person = P::time(14, "2025-01-01", dec!(40000), vec![("3.3", hours)]);
            person.employment = grade;
            (t, report(&format!("2025-{i:02}"), &[person]))
        })
        .collect();
    let f = run(&p, &reports, "2025-07", "2025-11", Decimal::ZERO);
    assert_eq!(org_figures(&f, "timra").period.staff, dec!(133166.51));
    assert_eq!(org_figures(&f, "timra").hours_period, dec!(330), "4 × 80 + 10");
    assert!(!f.findings.iter().any(|x| x.code == Code::DoubleReported), "one organisation only");
    let cap: Vec<_> = f.findings.iter().filter(|x| x.code == Code::HoursOverAnnualCap).collect();
    assert_eq!(cap.len(), 1);
    let text = cap[0].message.replace(['\u{a0}', '\u{202f}'], " ");
    assert!(text.contains("högst 1 290 timmar"), "{text}");
    assert!(cap[0].message.contains("70 timmar lämnas utanför"), "{}", cap[0].message);
}

#[test]
fn the_years_cap_from_the_months_grades() {
    use redovisa::reconcile::staff::year_cap;
    use std::collections::BTreeMap;
    let g = |pairs: &[(&str, Decimal)]| pairs.iter().map(|(mm, x)| (m(mm), *x)).collect::<BTreeMap<_, _>>();
    // No grade known: 100 %, 1 720 h.
    assert_eq!(year_cap(1720, &BTreeMap::new(), 2025), Hours::from_decimal(dec!(1720)));
    // January 100 %, March 50 %: February is as near to both and takes the earlier (100 %),
    // April–December the nearest, March's 50 %: 1 720 × (1 + 1 + 10 × 0,5) / 12 = 1 003,33… h.
    let cap = year_cap(1720, &g(&[("2025-01", Decimal::ONE), ("2025-03", dec!(0.5))]), 2025);
    assert_eq!(cap.value().round_dp(4), dec!(1003.3333));
    // January 100 %, May 50 %: February (1 month from January, 3 from May) and March (2 and 2,
    // a tie: the earlier) 100 %, April (3 and 1) 50 %: 1 720 × (3 × 1 + 9 × 0,5) / 12 = 1 075 h.
    let cap = year_cap(1720, &g(&[("2025-01", Decimal::ONE), ("2025-05", dec!(0.5))]), 2025);
    assert_eq!(cap, Hours::from_decimal(dec!(1075)));
    // Only a grade from the year before (December 2024, 50 %): every month of 2025 takes it, 860 h.
    assert_eq!(year_cap(1720, &g(&[("2024-12", dec!(0.5))]), 2025), Hours::from_decimal(dec!(860)));
    // Across the new year: November 2024 100 %, March 2025 50 %. January 2025 is two months
    // from both (a tie: the earlier, 100 %), February one from March (50 %), and so on: 1 720 ×
    // (1 + 11 × 0,5) / 12 = 931,66… h.
    let cap = year_cap(1720, &g(&[("2024-11", Decimal::ONE), ("2025-03", dec!(0.5))]), 2025);
    assert_eq!(cap.value().round_dp(4), dec!(931.6667));
    // Only a later one (2026-01, 25 %): 430 h.
    assert_eq!(year_cap(1720, &g(&[("2026-01", dec!(0.25))]), 2025), Hours::from_decimal(dec!(430)));
}

#[test]
fn two_organisations_share_one_cap_and_their_grades_add_up() {
    // One personnummer at Kramfors (50 %) and Timrå (50 %), 90 h each a month 2025-01 … 2025-10:
    // the month's grade is 50 % + 50 % = 100 %, the cap 1 720 (each organisation's own 50 %
    // would give 860). Month order, Kramfors first within a month: January–September
    // 9 × 180 = 1 620; October: Kramfors 90 (1 710), Timrå 10 (1 720), 80 h left out.
    // Every month the personnummer is in two organisations' workbooks: DOUBLE_REPORTED, a
    // warning on each row, 2 × 10 in the run's period.
    let p = project();
    let (k, t) = (org(&p, "kramfors"), org(&p, "timra"));
    let mut reports: Vec<(usize, MonthReport)> = Vec::new();
    for i in 1..=10 {
        for o in [t, k] {
            let mut person = P::time(15, "2025-01-01", dec!(40000), vec![("1.1", dec!(90))]);
            person.employment = dec!(0.5);
            reports.push((o, report(&format!("2025-{i:02}"), &[person])));
        }
    }
    let f = run(&p, &reports, "2025-01", "2025-10", Decimal::ZERO);
    assert_eq!(org_figures(&f, "kramfors").hours_period, dec!(900));
    assert_eq!(org_figures(&f, "timra").hours_period, dec!(820));
    let double = f.findings.iter().filter(|x| x.code == Code::DoubleReported).collect::<Vec<_>>();
    assert_eq!(double.len(), 20);
    assert!(double.iter().all(|x| x.severity == Severity::Warning));
    // Each names both organisations (its own and the other).
    assert!(double.iter().all(|x| x.message.contains("Kramfors") && x.message.contains("Timrå")));
    // Grades of 80 % and 50 % add up to at most 100 %: the same cap.
    let mut reports2 = reports.clone();
    for (o, r) in &mut reports2 {
        if *o == k {
            r.persons[0].employment = dec!(0.8);
        }
    }
    let f = run(&p, &reports2, "2025-01", "2025-10", Decimal::ZERO);
    assert_eq!(org_figures(&f, "kramfors").hours_period + org_figures(&f, "timra").hours_period, dec!(1720));
}

#[test]
fn a_year_boundary_inside_a_claim() {
    // Timrå, 100 %, Startdatum 2024-06-01, Månadslön 50 000, 160 h every month 2025-01 …
    // 2026-02; the claim is 2025-11 – 2026-02. 2025: November keeps 120 h (1 600 before), December
    // none (both HOURS_OVER_ANNUAL_CAP); 2026 starts again from 0: January and February 160 h
    // each. Hours in the claim 120 + 0 + 160 + 160 = 440.
    // January 2026 (2024-06-01 → 2026-01-01 is 19 months, k = 1): lön = round2(160 × 50 000 ×
    // 12 × 1,024 / 1 720) = round2(57 153,488…) = 57 153,49; lönebikostnad round2(57 153,49 ×
    // 0,446) = round2(25 490,456…) = 25 490,46; 82 643,95; February the same (k = 1). November
    // 2025 (k = 1): lön round2(120 × 50 000 × 12 × 1,024 / 1 720) = 42 865,12, lönebikostnad
    // 19 117,84, 61 982,96. Staff in the claim: 61 982,96 + 2 × 82 643,95 = 227 270,86.
    let p = project();
    let t = org(&p, "timra");
    let months: Vec<String> =
        (1..=12).map(|i| format!("2025-{i:02}")).chain(["2026-01".into(), "2026-02".into()]).collect();
    let reports: Vec<(usize, MonthReport)> = months
        .iter()
        .map(|mm| (t, report(mm, &[P::time(16, "2024-06-01", dec!(50000), vec![("3.3", dec!(160))])])))
        .collect();
    let f = run(&p, &reports, "2025-11", "2026-02", Decimal::ZERO);
    assert_eq!(org_figures(&f, "timra").hours_period, dec!(440));
    assert_eq!(org_figures(&f, "timra").period.staff, dec!(227270.86));
    assert_eq!(f.findings.iter().filter(|x| x.code == Code::HoursOverAnnualCap).count(), 2);
}

#[test]
fn participants_count_over_the_project_and_sole_traders_count() {
    use redovisa::ids::{OrgNr, ParticipantOrg};
    use redovisa::read::Gender;
    use redovisa::reconcile::contribution::Participant;
    // Härnösand. 2025-01 (before the period): company A, a woman. 2025-02 (the period): company
    // A, a man; a sole trader S (the owner's personnummer), not stated and a woman.
    // Användare av implementerade stödstrukturer: period {A, S} = 2, cumulative {A, S} = 2;
    // gender over the project: women 2, men 1, not stated 1 (limited to the period: women 1).
    let p = project();
    let h = org(&p, "harnosand");
    let a = ParticipantOrg::Org(OrgNr::parse("212000-2411").unwrap());
    let sole = ParticipantOrg::SoleTrader(pnr(17));
    let part = |o: &ParticipantOrg, gender| Participant { org_nr: o.clone(), gender };
    let mut jan = report("2025-01", &[]);
    jan.participants = vec![part(&a, Gender::Woman)];
    let mut feb = report("2025-02", &[]);
    feb.participants = vec![part(&a, Gender::Man), part(&sole, Gender::NotStated), part(&sole, Gender::Woman)];
    let f = run(&p, &[(h, jan), (h, feb)], "2025-02", "2025-02", Decimal::ZERO);
    let users = f.indicators.iter().find(|i| i.name == "Användare av implementerade stödstrukturer").unwrap();
    assert_eq!((users.period, users.cumulative), (dec!(2), dec!(2)));
    let g = users.gender.unwrap();
    assert_eq!((g.women, g.men, g.not_stated), (2, 1, 1));
}

#[test]
fn the_ledger_hours_of_a_claimed_month_without_workbook_count_when_held() {
    use redovisa::ledger::{ClaimedMonth, Content, LineKind, PersonAmounts};
    // Claim 1 (2025-01 – 2025-09) recorded 1 600 h of person 18 for Kramfors' 2025-01 (a ledger
    // line made for the test); that month's workbook is gone, and the run holds corrections
    // back, so the month stays claimed as it was and its hours count first. Timrå,
    // 2025-10, 160 h at 100 %: 1 720 − 1 600 = 120 h allowed, 40 left out. Without the hold the
    // correction takes January out, its hours with it, and all 160 h count.
    // Timrå 120 h, Startdatum 2025-01-01, Månadslön 40 000: lön = round2(120 × 40 000 × 12 /
    // 1 720) = round2(33 488,372…) = 33 488,37.
    let p = project();
    let t = org(&p, "timra");
    let reports = [(t, report("2025-10", &[P::time(18, "2025-01-01", dec!(40000), vec![("1.1", dec!(160))])]))];
    let person = PersonAmounts { pnr: pnr(18).as_str().to_string(), hours: dec!(1600), ..PersonAmounts::default() };
    let line = ClaimedMonth {
        folder: "kramfors".into(),
        month: m("2025-01"),
        kind: LineKind::Period,
        path: "kramfors/jan.xlsx".into(),
        sha256: "x".into(),
        previous_sha256: String::new(),
        in_kind: Decimal::ZERO,
        eligible: Decimal::ZERO,
        org_nr: None,
        rates: None,
        changes: Vec::new(),
        content: Content { hours: dec!(1600), persons: vec![person], ..Content::default() },
    };
    let claim = Claim {
        seq: 1,
        from: m("2025-01"),
        to: m("2025-09"),
        support: Decimal::ZERO,
        eligible: Decimal::ZERO,
        support_uncapped: None,
        recorded_on: d("2025-10-05"),
        workbooks: Vec::new(),
        months: Some(vec![line]),
        held_corrections: false,
        indicators: Vec::new(),
        decision: None,
        prev: String::new(),
    };
    let claims = [claim];
    let salary = |hold: bool| {
        let used = reports
            .iter()
            .map(|(o, r)| UsedWorkbook { org: *o, rel: "x.xlsx", sha256: "", report: r, attested_on: None })
            .collect();
        let input = Input {
            period: Period { from: m("2025-10"), to: m("2025-10") },
            claim: true,
            used,
            claims: &claims,
            submitted: &claims,
            hold_corrections: hold,
            narratives_from: m("2025-10"),
            files: Vec::new(),
            findings: Vec::new(),
            today: m("2025-10").last_day(),
            final_report: None,
        };
        let f = reconcile::reconcile(&p, input);
        f.staff.iter().filter(|s| s.folder == "timra").map(|s| (s.hours, s.salary_cost)).collect::<Vec<_>>()
    };
    assert_eq!(salary(true), vec![(dec!(120), dec!(33488.37))]);
    assert_eq!(salary(false).iter().map(|x| x.0).collect::<Vec<_>>(), vec![dec!(160)]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Activity parts add up to each person-month's cost, to the öre, for any hours, and none
    /// is negative (the hand-computed splits are in `split_by_hours_by_hand`).
    #[test]
    fn activity_parts_add_up(cost in 0i64..10_000_000, hours in proptest::collection::vec(1i64..40_000, 1..6)) {
        let cost = Decimal::new(cost, 2);
        let weights: Vec<(String, Hours)> =
            hours.iter().enumerate().map(|(i, h)| (format!("1.{i}"), Hours::from_minutes(*h))).collect();
        let total: Hours = weights.iter().map(|(_, h)| *h).sum();
        let parts = reconcile::staff::split_by_hours(cost, total, &weights);
        prop_assert_eq!(parts.iter().map(|p| p.cost).sum::<Decimal>(), cost);
        prop_assert!(parts.iter().all(|p| p.cost.scale() <= 2 && p.cost >= Decimal::ZERO));
        prop_assert_eq!(parts.iter().map(|p| p.hours).sum::<Hours>(), total);
    }

    /// Partner totals add up to project totals, activities to the eligible total, and support
    /// never exceeds rate × eligible, and the claims together never the approved amount.
    #[test]
    fn totals_add_up_and_support_stays_within_bounds(
        rows in proptest::collection::vec((0usize..11, 1u32..=12, 30_000i64..70_000, 0usize..9, 1i64..700), 1..25),
        claimed in 0i64..13_000_000,
    ) {
        let p = project();
        let codes = ["1.1", "1.2", "1.3", "2.1", "2.2", "3.2", "3.3", "3.4", "4.1"];
        let mut reports: Vec<(usize, MonthReport)> = Vec::new();
        for (i, (o, month, salary, act, quarter_hours)) in rows.iter().enumerate() {
            let month = format!("2025-{month:02}");
            let person = P::time(i as u32, "2024-02-10", Decimal::from(*salary), vec![(codes[*act], Decimal::new(*quarter_hours * 25, 2))]);
            match reports.iter_mut().find(|(oo, r)| oo == o && r.month.to_string() == month) {
                Some((_, r)) => r.persons.push(person.build()),
                None => reports.push((*o, report(&month, &[person]))),
            }
        }
        let claimed = Decimal::from(claimed);
        let f = run(&p, &reports, "2025-01", "2025-12", claimed);
        let partners: Decimal = f.partners().map(|o| o.period.total()).sum();
        prop_assert_eq!(partners, f.totals.staff + f.totals.flat_rate + f.totals.other);
        let in_kind: Decimal = f.cofinanciers().map(|o| o.period.total()).sum();
        prop_assert_eq!(in_kind, f.totals.in_kind);
        prop_assert_eq!(f.activities.iter().map(|a| a.period).sum::<Decimal>(), f.totals.eligible);
        prop_assert_eq!(f.work_packages.iter().map(|a| a.period).sum::<Decimal>(), f.totals.eligible);
        prop_assert!(f.totals.support <= redovisa::money::trunc2(f.totals.eligible * p.support_fraction()));
        let approved = p.info.approved_support;
        prop_assert!(claimed + f.totals.support <= approved);
        if claimed <= approved {
            prop_assert!(f.totals.support >= Decimal::ZERO);
        } else {
            // An approved support below what was claimed: the claim gives the excess back, an error.
            prop_assert_eq!(f.totals.support, approved - claimed);
            prop_assert!(f.findings.iter().any(|x| x.code == redovisa::finding::Code::ApprovedSupportBelowClaimed));
        }
        let staff_lines: Decimal = f.staff.iter().filter(|s| !s.in_kind).map(|s| s.staff_cost).sum();
        prop_assert_eq!(staff_lines, f.totals.staff);
    }
}
