//! The claim ledger in use: submit, then change or remove a submitted month's workbook, then run;
//! support already claimed counts toward the cap; damage is an error, never a reset.

mod support;

use redovisa::finding::{Code, Severity};
use redovisa::intake::Status;
use redovisa::ledger::{Claim, Ledger};
use redovisa::pipeline::{self, Options, RunError};
use redovisa::project::Project;
use redovisa::reconcile::model::Figures;
use redovisa::submit::{self, SubmitError};
use rust_decimal::{Decimal, dec};
use support::*;

/// Kramfors' workbook for `month` with Anna's hours on 1.1 on the 3rd.
fn kramfors(month: &str, version: u32, hours: f64) -> Vec<u8> {
    let (y, m) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
    Book::new()
        .with(info_sheet(&KRAMFORS, month, version, true))
        .with(personal_sheet(&[anna()]))
        .with(time_sheet(vec![time_row("Anna Andersson", date(y, m, 3), "1.1", n(hours))]))
        .xlsx(Strings::Shared)
}

fn opts(from: Option<&str>, to: Option<&str>) -> Options {
    Options { from: from.map(|m| m.parse().unwrap()), to: to.map(|m| m.parse().unwrap()), ..Options::claim(today()) }
}

fn evaluate(p: &Project, o: &Options) -> Result<Figures, RunError> {
    let ledger = Ledger::load(&p.dir).map_err(RunError::from)?;
    pipeline::evaluate(p, o, &ledger).map(|e| e.figures)
}

fn kramfors_of(f: &Figures) -> &redovisa::reconcile::model::OrgFigures {
    f.orgs.iter().find(|o| o.folder == "kramfors").unwrap()
}

#[test]
fn a_changed_submitted_month_is_flagged_and_the_claimed_workbook_still_counts() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    let claim = submit::submit(&p, &opts(Some("2024-01"), Some("2025-01")), false).unwrap();
    assert_eq!((claim.seq, claim.workbooks.len()), (1, 1));
    // 8 h in 2025-01 (k = 0 for Startdatum 2024-01-15): lön round2(8 × 313.953488…) = 2 511.63,
    // on-costs round2(2 511.63 × 0.4015) = 1 008.42, staff 3 520.05, schablon trunc2(× 0.25) = 880.01,
    // eligible 4 400.06, stöd trunc2(4 400.06 × 0.3992) = 1 756.50.
    assert_eq!(claim.support, dec!(1756.50));

    // A "correction" of the submitted January arrives, and February.
    put_in_inbox(&p, "kramfors/2025-01-v2.xlsx", &kramfors("2025-01", 2, 16.0));
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    assert_eq!((f.period.from.to_string(), f.period.to.to_string()), ("2025-02".into(), "2025-02".into()));
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::ChangedAfterClaim).collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].severity, Severity::Error);
    assert_eq!(changed[0].place.file.as_deref(), Some("kramfors/2025-01-v2.xlsx"));
    let status = |rel: &str| f.files.iter().find(|x| x.path == rel).unwrap().status;
    assert_eq!(status("kramfors/2025-01-v2.xlsx"), Status::Rejected);
    assert_eq!(status("kramfors/2025-01.xlsx"), Status::Used);
    // Cumulative staff = January as claimed (3 520.05) + February (8 h, now k = 1: lön
    // round2(8 × 321.488372…) = 2 571.91, on-costs 1 032.62, staff 3 604.53) = 7 124.58.
    assert_eq!(kramfors_of(&f).cumulative.staff, dec!(7124.58));
    assert_eq!(f.support.claimed_before, dec!(1756.50));
    assert_eq!(f.support.claimed_total, dec!(1756.50) + f.totals.support);
    assert!(f.has_errors());
}

#[test]
fn a_removed_submitted_workbook_is_flagged() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/2025-01.xlsx", &kramfors("2025-01", 1, 8.0));
    submit::submit(&p, &opts(Some("2024-01"), Some("2025-01")), false).unwrap();
    std::fs::remove_file(p.inbox().join("kramfors/2025-01.xlsx")).unwrap();
    put_in_inbox(&p, "kramfors/2025-02.xlsx", &kramfors("2025-02", 1, 8.0));
    let f = evaluate(&p, &opts(None, None)).unwrap();
    let changed: Vec<_> = f.findings.iter().filter(|x| x.code == Code::ChangedAfterClaim).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].place.partner.as_deref(), Some("kramfors"));
    assert!(changed[0].message.contains("2025-01"));
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
    let path = p.dir.join(redovisa::ledger::LEDGER_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    // A line cut short (a copy interrupted, a disk full) is detected at once.
    std::fs::write(&path, &text[..text.len() - 10]).unwrap();
    let err = evaluate(&p, &opts(None, None)).unwrap_err();
    assert!(matches!(err, RunError::Ledger(_)), "{err}");
    assert!(err.to_string().contains("skadad"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), &text[..text.len() - 10], "never rewritten");
}
