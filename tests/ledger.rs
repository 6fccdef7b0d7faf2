//! The claim ledger over a project's life (`docs/rules.md`, "Claims over the project's life"):
//! what a claim records; late months and corrections carried into the next claim, held back on
//! request; removed months given back; cumulative figures as the sum of the claims; support
//! across claims and its cap; persons registered once; legacy ledgers; damage is an error.
//!
//! Every expected figure is computed by hand in the comments. The person throughout is Anna
//! (Kramfors: on-costs 40,15 %, flat rate 25 %), Månadslön 45 000, Startdatum 2024-01-15:
//! - 2025-01 is 11 whole months after the start, k = 0: rate 45 000 × 12 / 1 720 = 313,953488…
//!   - 8 h: lön round2(2 511,627906…) = 2 511,63, lönebikostnad round2(2 511,63 × 0,4015 =
//!     1 008,419445) = 1 008,42, staff 3 520,05, flat floor2(880,0125) = 880,01, eligible 4 400,06;
//!   - 16 h: lön round2(5 023,255813…) = 5 023,26, lönebikostnad round2(2 016,83889) = 2 016,84,
//!     staff 7 040,10, flat on its own floor2(1 760,025) = 1 760,02.
//! - 2025-02 and 2025-03 are 12 and 13 whole months after, k = 1: rate × 1,024 = 321,488372…
//!   - 8 h: lön round2(2 571,906976…) = 2 571,91, lönebikostnad round2(1 032,621865) = 1 032,62,
//!     staff 3 604,53, flat floor2(901,1325) = 901,13, eligible 4 505,66.
//!
//! Support is 39,92 % rounded down to öre: 4 400,06 → 1 756,50 (1 756,503952).

mod support;

use redovisa::finding::{Code, Severity};
use redovisa::intake::Status;
use redovisa::ledger::{ActivityAmounts, Claim, Content, LEDGER_FILE, Ledger, LineKind, PaymentAmounts, PersonAmounts};
use redovisa::pipeline::{self, Options, RunError};
use redovisa::project::{FinancierKind, Project};
use redovisa::reconcile::model::{Concerns, Figures, MonthState, OrgFigures};
use redovisa::submit::{self, SubmitError};
use rust_decimal::{Decimal, dec};
use support::*;

/// Kramfors' workbook for `month` with Anna's hours on 1.1 on the 3rd.
fn kramfors(month: &str, version: u32, hours: f64) -> Vec<u8> {
    kramfors_with(month, version, &[(anna(), hours)])
}

/// Kramfors' workbook for `month` with these people's hours on 1.1 from the 3rd, at most 500 h a
/// row (a row holds no more than the month has).
fn kramfors_with(month: &str, version: u32, people: &[(Person, f64)]) -> Vec<u8> {
    let (y, m) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
    let persons: Vec<Person> = people.iter().map(|(p, _)| p.clone()).collect();
    let mut rows = Vec::new();
    for (p, hours) in people {
        let (mut left, mut day) = (*hours, 3);
        loop {
            rows.push(time_row(&p.name, date(y, m, day), "1.1", n(left.min(500.0))));
            left -= 500.0;
            day += 1;
            if left <= 0.0 {
                break;
            }
        }
    }
    Book::new()
        .with(info_sheet(&KRAMFORS, month, version, true))
        .with(personal_sheet(&persons))
        .with(time_sheet(rows))
        .xlsx(Strings::Shared)
}

fn opts(from: Option<&str>, to: Option<&str>) -> Options {
    Options { from: from.map(|m| m.parse().unwrap()), to: to.map(|m| m.parse().unwrap()), ..Options::claim(today()) }
}

fn evaluate(p: &Project, o: &Options) -> Result<Figures, RunError> {
    let ledger = Ledger::load(&p.dir).map_err(RunError::from)?;
    pipeline::evaluate(p, o, &ledger).map(|e| e.figures)
}

fn kramfors_of(f: &Figures) -> &OrgFigures {
    f.orgs.iter().find(|o| o.folder == "kramfors").unwrap()
}

fn month_state(f: &Figures, month: &str) -> MonthState {
    let months = f.months.iter().find(|m| m.folder == "kramfors").unwrap();
    months.cells.iter().find(|c| c.month.to_string() == month).unwrap().state
}

fn status(f: &Figures, rel: &str) -> (Status, String) {
    let x = f.files.iter().find(|x| x.path == rel).unwrap();
    (x.status, x.note.clone())
}

/// Claim 1 over 2024-01 – `to` with January's 8 hours, submitted.
fn first_claim(p: &Project, to: &str) -> Claim {
    put_in_inbox(p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    let claim = submit::submit(p, &opts(Some("2024-01"), Some(to)), false).unwrap();
    assert_eq!((claim.seq, claim.eligible, claim.support), (1, dec!(4400.06), dec!(1756.50)));
    claim
}

#[test]
fn the_ledger_records_what_the_claim_counted() {
    let (_dir, p) = inbox_project();
    let claim = first_claim(&p, "2025-02");
    assert_eq!(claim.support_uncapped, Some(dec!(1756.50)));
    let lines = claim.months.as_ref().expect("amounts are recorded");
    assert_eq!(lines.len(), 1, "one organisation-month counted");
    let l = &lines[0];
    assert_eq!((l.folder.as_str(), l.month.to_string().as_str(), l.kind), ("kramfors", "2025-01", LineKind::Period));
    assert_eq!(l.path, "kramfors/2025-01.xlsx");
    assert_eq!((l.content.hours, l.content.staff, l.content.flat_rate), (dec!(8), dec!(3520.05), dec!(880.01)));
    assert_eq!((l.content.other, l.in_kind, l.eligible), (dec!(0), dec!(0), dec!(4400.06)));
    assert_eq!(l.content.activities.len(), 1);
    assert_eq!((l.content.activities[0].code.as_str(), l.content.activities[0].staff), ("1.1", dec!(3520.05)));
    let anna = &l.content.persons[0];
    assert_eq!(anna.pnr, pnr("19800314", "123"), "the personnummer stays in the ledger");
    assert_eq!(
        (anna.hours, anna.salary_cost, anna.on_cost, anna.staff_cost),
        (dec!(8), dec!(2511.63), dec!(1008.42), dec!(3520.05))
    );
    assert_eq!(anna.monthly_salary, dec!(45000));
    // Who she is, as the Personal sheet says: what registration in Min ansökan needs.
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 15);
    assert_eq!((anna.name.as_str(), anna.role.as_str(), anna.start), ("Anna Andersson", "Processledare", start));
    // What is written is what is read back, by itself and checked against the output's anchors.
    assert_eq!(Ledger::load(&p.dir).unwrap().claims, vec![claim.clone()]);
    assert_eq!(Ledger::open(&p).unwrap().claims, vec![claim]);
}

#[test]
fn a_late_month_is_claimed_in_the_next_claim() {
    // Claim 1 (2024-01 – 2025-02) was submitted while February was missing.
    let (_dir, p) = inbox_project();
    first_claim(&p, "2025-02");
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    assert_eq!((f.period.from.to_string(), f.period.to.to_string()), ("2025-03".into(), "2025-03".into()));
    assert_eq!(f.claim_seq, 2);
    // February comes whole, as a late month of claim 1: staff 3 604,53, flat 901,13.
    assert_eq!(f.adjustments.len(), 1);
    let a = &f.adjustments[0];
    assert_eq!((a.kind, a.month.to_string().as_str(), a.claim, a.held), (LineKind::Late, "2025-02", Some(1), false));
    assert_eq!(
        (a.amounts.staff, a.amounts.flat_rate, a.amounts.other, a.hours),
        (dec!(3604.53), dec!(901.13), dec!(0), dec!(8))
    );
    assert_eq!((a.path.as_str(), a.previous_path.as_str()), ("kramfors/2025-02.xlsx", ""));
    // The claim: March 4 505,66 + February 4 505,66 = 9 011,32; support floor2(9 011,32 × 0,3992
    // = 3 597,318944) = 3 597,31.
    assert_eq!((f.totals.staff, f.totals.flat_rate, f.totals.eligible), (dec!(7209.06), dec!(1802.26), dec!(9011.32)));
    assert_eq!(f.totals.support, dec!(3597.31));
    assert_eq!(
        (f.support.eligible_period, f.support.eligible_late, f.support.eligible_corrections),
        (dec!(4505.66), dec!(4505.66), dec!(0))
    );
    // Cumulative = claim 1 + this claim: staff 3 520,05 + 7 209,06, flat 880,01 + 1 802,26.
    let k = kramfors_of(&f);
    assert_eq!((k.cumulative.staff, k.cumulative.flat_rate), (dec!(10729.11), dec!(2682.27)));
    assert_eq!((k.hours_period, k.hours_cumulative), (dec!(16), dec!(24)));
    assert_eq!(f.cumulative.eligible, dec!(13411.38));
    assert_eq!(f.support.claimed_total, dec!(1756.50) + dec!(3597.31));
    // Said where the partner and the economist look.
    let late: Vec<_> = f.findings.iter().filter(|x| x.code == Code::LateMonth).collect();
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].severity, late[0].place.file.as_deref()), (Severity::Warning, Some("kramfors/2025-02.xlsx")));
    assert!(
        late[0].message.contains("ansökan 1") && late[0].message.contains("Tidigare månader"),
        "{}",
        late[0].message
    );
    let (st, note) = status(&f, "kramfors/2025-02.xlsx");
    assert_eq!(st, Status::Used);
    assert!(note.starts_with("sen månad"), "{note}");
    assert_eq!(month_state(&f, "2025-01"), MonthState::Claimed(1));
    assert_eq!(month_state(&f, "2025-02"), MonthState::Late);
    assert_eq!(month_state(&f, "2025-03"), MonthState::Counted);
    // The Personal sheet's lines say what they concern.
    let concerns: Vec<Concerns> = f.staff.iter().filter(|l| l.folder == "kramfors").map(|l| l.concerns).collect();
    assert_eq!(concerns, vec![Concerns::Period, Concerns::Late("2025-02".parse().unwrap())]);

    // Once claim 2 is submitted, February is never claimed again.
    let claim2 = submit::submit(&p, &opts(Some("2025-03"), Some("2025-03")), false).unwrap();
    let kinds: Vec<(String, LineKind)> = claim2.months.unwrap().iter().map(|l| (l.month.to_string(), l.kind)).collect();
    assert_eq!(kinds, vec![("2025-02".into(), LineKind::Late), ("2025-03".into(), LineKind::Period)]);
    let f = evaluate(&p, &opts(None, Some("2025-04"))).unwrap();
    assert!(f.adjustments.is_empty(), "{:?}", f.adjustments);
    assert_eq!(month_state(&f, "2025-02"), MonthState::Claimed(2));
    assert_eq!(kramfors_of(&f).cumulative.staff, dec!(10729.11));
}

#[test]
fn a_late_month_belongs_to_the_claim_whose_period_holds_it() {
    // Claim 1 over 2024-01 – 2025-01 (January), claim 2 over 2025-02 – 2025-03 with March only
    // (submitted without February). February then comes: a late month of claim 2, not of claim
    // 1; 8 h at k = 1: eligible 4 505,66.
    let (_dir, p) = inbox_project();
    first_claim(&p, "2025-01");
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 8.0));
    submit::submit(&p, &opts(Some("2025-02"), Some("2025-03")), true).unwrap();
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    let f = evaluate(&p, &opts(None, Some("2025-04"))).unwrap();
    let late: Vec<(LineKind, String, Option<u32>)> =
        f.adjustments.iter().map(|a| (a.kind, a.month.to_string(), a.claim)).collect();
    assert_eq!(late, vec![(LineKind::Late, "2025-02".into(), Some(2))]);
    assert_eq!(f.support.eligible_late, dec!(4505.66));
    let message = &f.findings.iter().find(|x| x.code == Code::LateMonth).unwrap().message;
    assert!(message.contains("hör till perioden för ansökan 2"), "{message}");
}

#[test]
fn a_month_that_becomes_attested_later_is_late_too() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    let unattested = Book::new()
        .with(info_sheet(&KRAMFORS, "2025-02", 1, false))
        .with(personal_sheet(&[anna()]))
        .with(time_sheet(vec![time_row("Anna Andersson", date(2025, 2, 3), "1.1", n(8.0))]))
        .xlsx(Strings::Shared);
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &unattested);
    submit::submit(&p, &opts(Some("2024-01"), Some("2025-02")), true).unwrap();
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 8.0));
    // Still unattested: not in this claim, a warning (not an error: it does not block the claim).
    let f = evaluate(&p, &opts(None, None)).unwrap();
    assert!(f.adjustments.is_empty());
    let na: Vec<_> = f.findings.iter().filter(|x| x.code == Code::NotAttested).collect();
    assert_eq!(na.len(), 1);
    assert_eq!(na[0].severity, Severity::Warning);
    assert_eq!(month_state(&f, "2025-02"), MonthState::NotAttested);
    assert!(!f.has_errors());
    // Attested (a new version): late, claimed now.
    put_in_inbox(&p, "kramfors/2025-02-attesterad.xlsx", &kramfors("2025-02", 2, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    assert_eq!(f.adjustments.len(), 1);
    assert_eq!((f.adjustments[0].kind, f.adjustments[0].amounts.total()), (LineKind::Late, dec!(4505.66)));
}

#[test]
fn a_corrected_month_carries_the_difference_and_can_be_held_back() {
    let (_dir, p) = inbox_project();
    first_claim(&p, "2025-01");
    // January is corrected to 16 hours (a higher version), and February arrives.
    put_in_inbox(&p, "kramfors/2025-01-v2.xlsx", &kramfors("2025-01", 2, 16.0));
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    assert_eq!(f.period.from.to_string(), "2025-02");
    // Difference: staff 7 040,10 − 3 520,05 = 3 520,05; flat rate now floor2(7 040,10 × 0,25) =
    // 1 760,02 less the 880,01 claimed = 880,01; eligible 4 400,06; 8 hours.
    assert_eq!(f.adjustments.len(), 1);
    let a = &f.adjustments[0];
    assert_eq!((a.kind, a.claim, a.held), (LineKind::Correction, Some(1), false));
    assert_eq!(
        (a.amounts.staff, a.amounts.flat_rate, a.amounts.total(), a.hours),
        (dec!(3520.05), dec!(880.01), dec!(4400.06), dec!(8))
    );
    assert_eq!((a.path.as_str(), a.previous_path.as_str()), ("kramfors/2025-01-v2.xlsx", "kramfors/2025-01.xlsx"));
    assert_ne!(a.sha256, a.previous_sha256);
    assert_eq!(a.persons.len(), 1);
    assert_eq!(
        (a.persons[0].hours, a.persons[0].salary_cost, a.persons[0].staff_cost),
        (dec!(8), dec!(2511.63), dec!(3520.05))
    );
    // The claim: February 4 505,66 + the correction 4 400,06 = 8 905,72; support floor2(8 905,72
    // × 0,3992 = 3 555,163424) = 3 555,16.
    assert_eq!((f.totals.eligible, f.totals.support), (dec!(8905.72), dec!(3555.16)));
    // Cumulative staff 3 520,05 + 3 604,53 + 3 520,05 = 10 644,63: January at 16 h and February.
    assert_eq!(kramfors_of(&f).cumulative.staff, dec!(10644.63));
    assert_eq!(kramfors_of(&f).cumulative.flat_rate, dec!(880.01) + dec!(901.13) + dec!(880.01));
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::ChangedAfterClaim).collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].severity, Severity::Warning, "a correction is carried, not an error");
    assert_eq!(changed[0].place.file.as_deref(), Some("kramfors/2025-01-v2.xlsx"));
    assert!(
        changed[0].message.contains("+4\u{a0}400,06\u{a0}kr"),
        "the message states the amount: {}",
        changed[0].message
    );
    assert_eq!(status(&f, "kramfors/2025-01.xlsx").0, Status::Superseded);
    assert_eq!(status(&f, "kramfors/2025-01-v2.xlsx").0, Status::Used);
    assert_eq!(month_state(&f, "2025-01"), MonthState::Corrected);
    let line = f.staff.iter().find(|l| l.concerns == Concerns::Correction("2025-01".parse().unwrap())).unwrap();
    assert_eq!((line.hours, line.staff_cost, line.registered_in), (dec!(8), dec!(3520.05), Some(1)));
    assert!(!f.has_errors());

    // Held back: listed and reported, not in the claim; February alone, floor2(4 505,66 × 0,3992
    // = 1 798,659472) = 1 798,65.
    let held = evaluate(&p, &Options { hold_corrections: true, ..opts(None, None) }).unwrap();
    assert_eq!(held.adjustments.len(), 1);
    assert!(held.adjustments[0].held);
    assert_eq!((held.totals.eligible, held.totals.support), (dec!(4505.66), dec!(1798.65)));
    assert_eq!(held.support.eligible_held, dec!(4400.06));
    assert_eq!(kramfors_of(&held).cumulative.staff, dec!(3520.05) + dec!(3604.53));
    assert_eq!(month_state(&held, "2025-01"), MonthState::CorrectionHeld);
    let message = &held.findings.iter().find(|x| x.code == Code::ChangedAfterClaim).unwrap().message;
    assert!(message.contains("hålls inne"), "{message}");
    // A claim submitted with the correction held keeps it pending for the next one.
    let claim2 =
        submit::submit(&p, &Options { hold_corrections: true, ..opts(Some("2025-02"), Some("2025-02")) }, false)
            .unwrap();
    assert!(claim2.held_corrections);
    assert_eq!(claim2.months.as_ref().unwrap().len(), 1, "February only");
    let f = evaluate(&p, &opts(None, Some("2025-03"))).unwrap();
    assert_eq!(f.adjustments.len(), 1);
    assert_eq!((f.adjustments[0].kind, f.adjustments[0].amounts.total()), (LineKind::Correction, dec!(4400.06)));
}

#[test]
fn a_removed_month_is_given_back_never_dropped() {
    let (_dir, p) = inbox_project();
    first_claim(&p, "2025-01");
    std::fs::remove_file(p.inbox().join("kramfors/2025-01.xlsx")).unwrap();
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    // January given back: staff −3 520,05 and its flat rate −880,01, eligible −4 400,06.
    assert_eq!(f.adjustments.len(), 1);
    let a = &f.adjustments[0];
    assert_eq!(
        (a.kind, a.amounts.staff, a.amounts.flat_rate, a.hours),
        (LineKind::Correction, dec!(-3520.05), dec!(-880.01), dec!(-8))
    );
    assert_eq!((a.path.as_str(), a.previous_path.as_str()), ("", "kramfors/2025-01.xlsx"));
    // The claim: 4 505,66 − 4 400,06 = 105,60; support floor2(105,60 × 0,3992 = 42,15552) = 42,15.
    assert_eq!((f.totals.eligible, f.totals.support), (dec!(105.60), dec!(42.15)));
    // Support over both claims 1 756,50 + 42,15 = 1 798,65, what February alone gives.
    assert_eq!(f.support.claimed_total, dec!(1798.65));
    assert_eq!(kramfors_of(&f).cumulative.staff, dec!(3604.53));
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::ChangedAfterClaim).collect();
    assert_eq!(changed.len(), 1);
    assert_eq!((changed[0].place.partner.as_deref(), changed[0].place.file.as_deref()), (Some("kramfors"), None));
    assert!(
        changed[0].message.contains("2025-01") && changed[0].message.contains("−4\u{a0}400,06\u{a0}kr"),
        "{}",
        changed[0].message
    );

    // A claim of nothing but the removal gives back the support claimed, never more: −4 400,06 ×
    // 0,3992 is −1 756,50…, rounded down −1 756,51, but only 1 756,50 was received.
    std::fs::remove_file(p.inbox().join("kramfors/2025-02.xlsx")).unwrap();
    let f = evaluate(&p, &opts(None, Some("2025-02"))).unwrap();
    assert_eq!(f.totals.eligible, dec!(-4400.06));
    assert_eq!((f.totals.support, f.support.claimed_total), (dec!(-1756.50), dec!(0)));
}

#[test]
fn a_month_changed_by_another_month_is_corrected_with_the_same_workbook() {
    // Anna at 100 % employment has 1 720 h a year. Claim 1 took 2025-02 with 1 720 h (the whole
    // year's cap); a late January with 8 h then comes first in the year, so February keeps
    // 1 712 h: February's workbook is unchanged but its amounts are not.
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 1720.0));
    submit::submit(&p, &opts(Some("2024-01"), Some("2025-02")), true).unwrap();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 0.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    let kinds: Vec<(String, LineKind)> = f.adjustments.iter().map(|a| (a.month.to_string(), a.kind)).collect();
    assert_eq!(kinds, vec![("2025-01".into(), LineKind::Late), ("2025-02".into(), LineKind::Correction)]);
    let feb = &f.adjustments[1];
    // −8 h at k = 1: lön of 1 720 h round2(552 960) = 552 960,00 and of 1 712 h round2(550 388,09…)
    // = 550 388,09, difference −2 571,91; on-costs round2(222 013,44) = 222 013,44 and
    // round2(220 980,82…) = 220 980,82, difference −1 032,62: staff −3 604,53.
    assert_eq!((feb.hours, feb.amounts.staff), (dec!(-8), dec!(-3604.53)));
    assert_eq!(feb.sha256, feb.previous_sha256, "the same workbook");
    let message = &f.findings.iter().find(|x| x.code == Code::ChangedAfterClaim).unwrap().message;
    assert!(message.contains("oförändrad"), "{message}");
}

#[test]
fn a_month_before_the_period_that_no_claim_covers_counts_only_in_the_cumulative_figures() {
    // No claim yet; a look at 2025-02 alone: January's 8 h (staff 3 520,05, its flat rate on its
    // own floor2(880,0125) = 880,01) are before the period and in no claim.
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    let f = evaluate(&p, &opts(Some("2025-02"), Some("2025-02"))).unwrap();
    assert!(f.adjustments.is_empty() && f.lines.is_empty(), "{:?}", f.lines);
    assert_eq!((f.totals.staff, f.totals.eligible), (dec!(0), dec!(0)));
    let k = kramfors_of(&f);
    assert_eq!((k.cumulative.staff, k.cumulative.flat_rate), (dec!(3520.05), dec!(880.01)));
    assert_eq!(k.hours_cumulative, dec!(8));
    // The month grid names the workbook that counts, and its note says where it counts.
    let months = f.months.iter().find(|m| m.folder == "kramfors").unwrap();
    let jan = months.cells.iter().find(|c| c.month.to_string() == "2025-01").unwrap();
    assert_eq!((jan.state, jan.file.as_deref()), (MonthState::Outside, Some("kramfors/2025-01.xlsx")));
    let (st, note) = status(&f, "kramfors/2025-01.xlsx");
    assert_eq!(st, Status::Used);
    assert!(note.starts_with("före perioden och i ingen ansökan"), "{note}");
}

#[test]
fn a_ledger_of_several_claims_is_read_back_from_disk() {
    // Claim 1: 2024-01 – 2025-01, January 8 h: eligible 4 400,06, support 1 756,50. Claim 2:
    // 2025-02, February 8 h: 4 505,66, support floor2(1 798,659472) = 1 798,65. Claim 3: 2025-03,
    // March 8 h and January corrected to 16 h: 4 505,66 + 4 400,06 = 8 905,72, support
    // floor2(3 555,163424) = 3 555,16.
    let (_dir, p) = inbox_project();
    let c1 = first_claim(&p, "2025-01");
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    let c2 = submit::submit(&p, &opts(Some("2025-02"), Some("2025-02")), false).unwrap();
    put_in_inbox(&p, "kramfors/2025-01-v2.xlsx", &kramfors("2025-01", 2, 16.0));
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 8.0));
    let c3 = submit::submit(&p, &opts(Some("2025-03"), Some("2025-03")), false).unwrap();
    assert_eq!(
        (c2.eligible, c2.support, c3.eligible, c3.support),
        (dec!(4505.66), dec!(1798.65), dec!(8905.72), dec!(3555.16))
    );

    let ledger = Ledger::load(&p.dir).unwrap();
    assert_eq!(ledger.claims, vec![c1, c2, c3], "every claim as it was submitted, in order");
    assert_eq!(ledger.claims.iter().map(|c| c.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    // The chain, checked with our own hash of the file's lines: each line carries the SHA-256 of
    // the one before it.
    let text = std::fs::read_to_string(p.dir.join(LEDGER_FILE)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    let hex = |line: &str| -> String {
        use sha2::Digest;
        sha2::Sha256::digest(line.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    };
    let prevs: Vec<&str> = ledger.claims.iter().map(|c| c.prev.as_str()).collect();
    assert_eq!(prevs, vec![String::new(), hex(lines[0]), hex(lines[1])]);
    for (seq, line) in (1..).zip(&lines) {
        assert_eq!(ledger.line_sha256(seq), Some(hex(line).as_str()), "claim {seq}");
    }
    assert_eq!((ledger.line_sha256(0), ledger.line_sha256(4)), (None, None));
    // What the claims add up to, and which of them a run for a later period builds on.
    assert_eq!(ledger.support_claimed(), dec!(1756.50) + dec!(1798.65) + dec!(3555.16));
    assert_eq!(ledger.last().map(|c| c.seq), Some(3));
    let before = |m: &str| ledger.before(m.parse().unwrap()).iter().map(|c| c.seq).collect::<Vec<_>>();
    assert_eq!(
        (before("2024-01"), before("2025-01"), before("2025-02"), before("2025-03"), before("2025-04")),
        (vec![], vec![], vec![1], vec![1, 2], vec![1, 2, 3])
    );
    // The claims' months: January claimed by claim 1 and corrected by claim 3, February by 2.
    let kinds: Vec<(u32, String, LineKind)> = ledger
        .claims
        .iter()
        .flat_map(|c| c.months.iter().flatten().map(move |l| (c.seq, l.month.to_string(), l.kind)))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, "2025-01".into(), LineKind::Period),
            (2, "2025-02".into(), LineKind::Period),
            (3, "2025-01".into(), LineKind::Correction),
            (3, "2025-03".into(), LineKind::Period)
        ]
    );
    // A run after them is claim 4 and counts all three: staff 3 520,05 × 2 (January at 16 h)
    // + 3 604,53 × 2 = 14 249,16.
    let f = evaluate(&p, &opts(None, Some("2025-04"))).unwrap();
    assert_eq!(f.claim_seq, 4);
    assert!(f.adjustments.is_empty(), "{:?}", f.adjustments);
    assert_eq!(kramfors_of(&f).cumulative.staff, dec!(14249.16));
    assert_eq!(f.support.claimed_before, dec!(7110.31));
}

#[test]
fn persons_are_registered_once() {
    let (_dir, p) = inbox_project();
    first_claim(&p, "2025-01");
    let bertil = Person { reporting: "Tidrapport", share: empty(), main_activity: empty(), ..bertil() };
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors_with("2025-02", 1, &[(anna(), 8.0), (bertil, 10.0)]));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    let registered: Vec<(&str, Option<u32>)> = f.staff.iter().map(|l| (l.name.as_str(), l.registered_in)).collect();
    assert_eq!(registered, vec![("Anna Andersson", Some(1)), ("Bertil Berg", None)]);
}

#[test]
fn a_legacy_ledger_loads_pins_its_months_and_says_why() {
    // A ledger line as the first version wrote it: hashes only.
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    let sha = redovisa::pipeline::sha256_file(&p.inbox().join("kramfors/2025-01.xlsx")).unwrap();
    let line = format!(
        "{{\"seq\":1,\"from\":\"2024-01\",\"to\":\"2025-02\",\"support\":\"1756.50\",\"eligible\":\"4400.06\",\
         \"recorded_on\":\"2025-03-10\",\"workbooks\":[{{\"folder\":\"kramfors\",\"month\":\"2025-01\",\
         \"path\":\"kramfors/2025-01.xlsx\",\"sha256\":\"{sha}\"}}],\"prev\":\"\"}}\n"
    );
    std::fs::write(p.dir.join(LEDGER_FILE), line).unwrap();
    assert!(Ledger::load(&p.dir).unwrap().claims[0].is_legacy());
    put_in_inbox(&p, "kramfors/2025-01-v2.xlsx", &kramfors("2025-01", 2, 16.0));
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    // January stays with the workbook used then; the change cannot be computed, and says so.
    assert_eq!(status(&f, "kramfors/2025-01.xlsx").0, Status::Used);
    assert_eq!(status(&f, "kramfors/2025-01-v2.xlsx").0, Status::Rejected);
    let changed = f.findings.iter().find(|x| x.code == Code::ChangedAfterClaim).unwrap();
    assert_eq!(changed.severity, Severity::Warning);
    assert!(changed.message.contains("äldre version"), "{}", changed.message);
    // One LEGACY_LEDGER: the claims without amounts; their lines are not keyed by folder (they
    // have none), so nothing is said about folders.
    let legacy: Vec<_> = f.findings.iter().filter(|x| x.code == Code::LegacyLedger).collect();
    assert_eq!(legacy.len(), 1, "{legacy:?}");
    assert!(
        legacy[0].message.contains("Ansökan 1") && legacy[0].message.contains("Rättelser"),
        "{}",
        legacy[0].message
    );
    // February is late all the same; cumulative = January (8 h) + February + March.
    assert_eq!(f.adjustments.len(), 1);
    assert_eq!((f.adjustments[0].kind, f.adjustments[0].month.to_string()), (LineKind::Late, "2025-02".into()));
    assert_eq!(kramfors_of(&f).cumulative.staff, dec!(3520.05) + dec!(3604.53) + dec!(3604.53));
    // Anna was registered by the legacy claim (its January counts her).
    let registered: Vec<(&str, Option<u32>)> = f.staff.iter().map(|l| (l.name.as_str(), l.registered_in)).collect();
    assert_eq!(registered, vec![("Anna Andersson", Some(1)), ("Anna Andersson", Some(1))]);
    // Once a claim with amounts follows, the general warning is gone. Bertil, new in its March,
    // is registered by claim 2, not by the legacy claim.
    let bertil = Person { reporting: "Tidrapport", share: empty(), main_activity: empty(), ..bertil() };
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors_with("2025-03", 1, &[(anna(), 8.0), (bertil.clone(), 10.0)]));
    submit::submit(&p, &opts(Some("2025-03"), Some("2025-03")), false).unwrap();
    put_in_inbox(&p, "kramfors/2025-04.xlsx", &kramfors_with("2025-04", 1, &[(bertil, 10.0)]));
    let f = evaluate(&p, &opts(None, Some("2025-04"))).unwrap();
    let registered: Vec<(&str, Option<u32>)> = f.staff.iter().map(|l| (l.name.as_str(), l.registered_in)).collect();
    assert_eq!(registered, vec![("Bertil Berg", Some(2))]);
    assert!(!f.findings.iter().any(|x| x.code == Code::LegacyLedger));
}

#[test]
fn each_legacy_claim_registers_the_persons_new_in_its_own_months() {
    // Two claims as the first version wrote them: claim 1 counted January (Anna), claim 2
    // February (Anna and Bertil). Bertil was registered by claim 2.
    let (_dir, p) = inbox_project();
    let bertil = Person { reporting: "Tidrapport", share: empty(), main_activity: empty(), ..bertil() };
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors_with("2025-02", 1, &[(anna(), 8.0), (bertil.clone(), 10.0)]));
    let sha = |rel: &str| redovisa::pipeline::sha256_file(&p.inbox().join(rel)).unwrap();
    let line = |seq: u32, month: &str, prev: &str| {
        format!(
            "{{\"seq\":{seq},\"from\":\"{month}\",\"to\":\"{month}\",\"support\":\"1.00\",\"eligible\":\"2.51\",\
             \"recorded_on\":\"2025-03-10\",\"workbooks\":[{{\"folder\":\"kramfors\",\"month\":\"{month}\",\
             \"path\":\"kramfors/{month}.xlsx\",\"sha256\":\"{}\"}}],\"prev\":\"{prev}\"}}",
            sha(&format!("kramfors/{month}.xlsx"))
        )
    };
    let first = line(1, "2025-01", "");
    let hex = {
        use sha2::Digest;
        sha2::Sha256::digest(first.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let second = line(2, "2025-02", &hex);
    std::fs::write(p.dir.join(LEDGER_FILE), format!("{first}\n{second}\n")).unwrap();
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors_with("2025-03", 1, &[(anna(), 8.0), (bertil, 10.0)]));
    let f = evaluate(&p, &opts(None, Some("2025-03"))).unwrap();
    let registered: Vec<(&str, Option<u32>)> = f.staff.iter().map(|l| (l.name.as_str(), l.registered_in)).collect();
    assert_eq!(registered, vec![("Anna Andersson", Some(1)), ("Bertil Berg", Some(2))]);
}

#[test]
fn a_legacy_claims_folder_no_longer_in_the_project_is_named_where_it_was() {
    // A first-version ledger line counted a workbook of «overkalix», a folder the project file no
    // longer has: PARTNER_REMOVED, placed at that folder; and Kramfors' January, whose workbook is
    // gone: CHANGED_AFTER_CLAIM, placed at Kramfors.
    let (_dir, p) = inbox_project();
    let line = format!(
        "{{\"seq\":1,\"from\":\"2024-01\",\"to\":\"2025-01\",\"support\":\"100.00\",\"eligible\":\"250.51\",\
         \"recorded_on\":\"2025-02-10\",\"workbooks\":[{{\"folder\":\"overkalix\",\"month\":\"2025-01\",\
         \"path\":\"overkalix/2025-01.xlsx\",\"sha256\":\"{}\"}},{{\"folder\":\"kramfors\",\
         \"month\":\"2025-01\",\"path\":\"kramfors/2025-01.xlsx\",\"sha256\":\"{}\"}}],\"prev\":\"\"}}\n",
        "ab".repeat(32),
        "cd".repeat(32)
    );
    std::fs::write(p.dir.join(LEDGER_FILE), line).unwrap();
    let f = evaluate(&p, &opts(None, Some("2025-02"))).unwrap();
    let gone: Vec<_> = f.findings.iter().filter(|x| x.code == Code::PartnerRemoved).collect();
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert_eq!(gone[0].place.partner.as_deref(), Some("overkalix"));
    assert!(gone[0].message.starts_with("Ansökan 1 räknade mappen «overkalix»"), "{}", gone[0].message);
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::ChangedAfterClaim).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].place.partner.as_deref(), Some("kramfors"));
    assert!(changed[0].message.starts_with("Arbetsboken kramfors/2025-01.xlsx som användes"), "{}", changed[0].message);
}

#[test]
fn support_already_claimed_counts_toward_the_cap() {
    let (_dir, p) = inbox_project();
    let approved = p.info.approved_support;
    let mut ledger = Ledger::load(&p.dir).unwrap();
    ledger
        .append(Claim {
            seq: 0,
            from: "2024-01".parse().unwrap(),
            to: "2025-02".parse().unwrap(),
            support: approved - dec!(100),
            eligible: Decimal::ZERO,
            support_uncapped: None,
            recorded_on: today(),
            workbooks: Vec::new(),
            months: Some(Vec::new()),
            held_corrections: false,
            indicators: Vec::new(),
            decision: None,
            prev: String::new(),
        })
        .unwrap();
    put_in_inbox(&p, "kramfors/2025-03.xlsx", &kramfors("2025-03", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    assert_eq!(f.period.from.to_string(), "2025-03");
    assert_eq!(f.support.claimed_before, approved - dec!(100));
    assert_eq!(f.totals.support, dec!(100.00));
    assert!(f.totals.support_uncapped > dec!(100));
    assert_eq!(f.support.claimed_total, approved);
    assert!(f.findings.iter().any(|x| x.code == Code::SupportCapReached));
}

#[test]
fn submit_follows_the_last_claim_and_refuses_errors_unless_told() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    let gap = submit::submit(&p, &opts(Some("2024-02"), Some("2025-01")), false).unwrap_err();
    assert!(matches!(gap, SubmitError::Refused(ref m) if m.contains("2024-01")), "{gap}");
    // An unattested February is an error in a claim.
    let unattested = Book::new()
        .with(info_sheet(&KRAMFORS, "2025-02", 1, false))
        .with(personal_sheet(&[anna()]))
        .xlsx(Strings::Shared);
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &unattested);
    let refused = submit::submit(&p, &opts(Some("2024-01"), Some("2025-02")), false).unwrap_err();
    assert!(refused.to_string().contains("fel"), "{refused}");
    assert!(Ledger::load(&p.dir).unwrap().claims.is_empty(), "nothing recorded");
    let claim = submit::submit(&p, &opts(Some("2024-01"), Some("2025-02")), true).unwrap();
    assert_eq!(claim.workbooks.len(), 1, "the unattested workbook is not part of the claim");
    let overlap = submit::submit(&p, &opts(Some("2025-02"), Some("2025-03")), false).unwrap_err();
    assert!(overlap.to_string().contains("2025-03"), "{overlap}");
}

#[test]
fn a_damaged_ledger_stops_the_run() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    submit::submit(&p, &opts(Some("2024-01"), Some("2025-01")), false).unwrap();
    let path = p.dir.join(LEDGER_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    // A line cut short (a copy interrupted, a disk full) is detected at once.
    std::fs::write(&path, &text[..text.len() - 10]).unwrap();
    let err = evaluate(&p, &opts(None, None)).unwrap_err();
    assert!(matches!(err, RunError::Ledger(_)), "{err}");
    assert!(err.to_string().contains("är avbruten") && err.to_string().contains("ledger repair"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), &text[..text.len() - 10], "never rewritten");
}

/// A month's content as the ledger keeps it, for [`content_adds_and_subtracts_entry_by_entry`].
fn content(
    (hours, staff, flat_rate, other): (Decimal, Decimal, Decimal, Decimal),
    activities: &[(&str, Decimal, Decimal, Decimal)],
    persons: &[(&str, Decimal, Decimal, Decimal, Decimal)],
    payments: &[(&str, Decimal)],
) -> Content {
    Content {
        hours,
        staff,
        flat_rate,
        other,
        activities: activities
            .iter()
            .map(|&(code, hours, staff, other)| ActivityAmounts { code: code.into(), hours, staff, other })
            .collect(),
        persons: persons
            .iter()
            .map(|&(pnr, hours, salary_cost, on_cost, staff_cost)| PersonAmounts {
                pnr: pnr.into(),
                name: format!("Person {pnr}"),
                role: "Processledare".into(),
                start: None,
                monthly_salary: dec!(45000),
                hours,
                salary_cost,
                on_cost,
                staff_cost,
            })
            .collect(),
        payments: payments
            .iter()
            .map(|&(financier, amount)| PaymentAmounts {
                financier: financier.into(),
                kind: FinancierKind::Public,
                amount,
            })
            .collect(),
    }
}

/// The sums and differences every claim's lines are built from (a correction is what a month
/// holds now less what the claims counted, and what they counted is their lines summed): entry by
/// entry, by activity code, personnummer and financier; an entry that comes to nothing in every
/// amount is left out, one that keeps any amount stays. Worked by hand.
#[test]
fn content_adds_and_subtracts_entry_by_entry() {
    let (p1, p2) = ("19800314-1234", "19751103-4567");
    let (kramfors, region) = ("Kramfors kommun", "Region Västernorrland (1:1)");
    // January as claimed: 10 h, staff 1 000,00 (lön 713,00 + lönebikostnad 287,00), flat rate
    // 250,00, other costs 100,00 on 2.2; 500 kr paid in by Kramfors kommun.
    let claimed = content(
        (dec!(10), dec!(1000.00), dec!(250.00), dec!(100.00)),
        &[("1.1", dec!(6), dec!(600.00), dec!(0)), ("2.2", dec!(4), dec!(400.00), dec!(100.00))],
        &[(p1, dec!(10), dec!(713.00), dec!(287.00), dec!(1000.00))],
        &[(kramfors, dec!(500))],
    );
    // January now: 1.1 at the same 6 h but 500,00, 2.2 at 8 h 900,00 and no other costs, 30,00
    // of other costs on 3.3 (no hours); a second person; 200 kr more from Kramfors, 50 from the
    // region. Persons in personnummer order (the ledger's).
    let now = content(
        (dec!(14), dec!(1400.00), dec!(350.00), dec!(30.00)),
        &[
            ("1.1", dec!(6), dec!(500.00), dec!(0)),
            ("2.2", dec!(8), dec!(900.00), dec!(0)),
            ("3.3", dec!(0), dec!(0), dec!(30.00)),
        ],
        &[
            (p2, dec!(2), dec!(185.00), dec!(75.00), dec!(260.00)),
            (p1, dec!(12), dec!(813.00), dec!(327.00), dec!(1140.00)),
        ],
        &[(kramfors, dec!(700)), (region, dec!(50))],
    );
    // The correction: 14 − 10 = 4 h; staff 1 400 − 1 000 = 400,00; flat 350 − 250 = 100,00; other
    // 30 − 100 = −70,00. 1.1: 0 h, 500 − 600 = −100,00 (hours alike, kept for its cost); 2.2:
    // 8 − 4 = 4 h, 900 − 400 = 500,00, 0 − 100 = −100,00; 3.3 as now. p1: 2 h, 100,00 + 40,00 =
    // 140,00; p2 as now. Kramfors 700 − 500 = 200, the region 50.
    let correction = content(
        (dec!(4), dec!(400.00), dec!(100.00), dec!(-70.00)),
        &[
            ("1.1", dec!(0), dec!(-100.00), dec!(0)),
            ("2.2", dec!(4), dec!(500.00), dec!(-100.00)),
            ("3.3", dec!(0), dec!(0), dec!(30.00)),
        ],
        &[
            (p2, dec!(2), dec!(185.00), dec!(75.00), dec!(260.00)),
            (p1, dec!(2), dec!(100.00), dec!(40.00), dec!(140.00)),
        ],
        &[(kramfors, dec!(200)), (region, dec!(50))],
    );
    assert_eq!(now.minus(&claimed), correction);
    // What the two lines count together is the month now, and in the other order likewise.
    assert_eq!(claimed.plus(&correction), now);
    assert_eq!(correction.plus(&claimed), now);
    // Taken out: everything given back, every entry negative.
    let taken_out = Content::default().minus(&claimed);
    assert_eq!(
        taken_out,
        content(
            (dec!(-10), dec!(-1000.00), dec!(-250.00), dec!(-100.00)),
            &[("1.1", dec!(-6), dec!(-600.00), dec!(0)), ("2.2", dec!(-4), dec!(-400.00), dec!(-100.00))],
            &[(p1, dec!(-10), dec!(-713.00), dec!(-287.00), dec!(-1000.00))],
            &[(kramfors, dec!(-500))],
        )
    );
    assert_eq!(claimed.plus(&taken_out), Content::default());
    assert!(claimed.plus(&taken_out).is_zero() && now.minus(&now).is_zero() && Content::default().is_zero());
    // An entry stays while any of its amounts is not 0 (a retroactive on-cost rate changes the
    // lönebikostnad alone; hours past the annual cap cost nothing).
    let one = |i: usize| {
        let mut v = [dec!(0); 4];
        v[i] = dec!(12.34);
        v
    };
    for i in 0..4 {
        let [h, s, o, st] = one(i);
        let person = content(Default::default(), &[], &[(p1, h, s, o, st)], &[]);
        assert_eq!(Content::default().plus(&person).persons.len(), 1, "person amount {i}");
        assert!(!person.is_zero());
    }
    for i in 0..3 {
        let [h, s, o, _] = one(i);
        let activity = content(Default::default(), &[("1.1", h, s, o)], &[], &[]);
        assert_eq!(Content::default().plus(&activity).activities.len(), 1, "activity amount {i}");
        assert!(!activity.is_zero());
    }
    for i in 0..4 {
        let [h, s, f, o] = one(i);
        assert!(!content((h, s, f, o), &[], &[], &[]).is_zero(), "month amount {i}");
    }
    assert!(!content(Default::default(), &[], &[], &[(region, dec!(1))]).is_zero());
}
