//! The shared inbox in real use: which files are read, which workbook counts for each partner
//! and month, and that listing order and thread count never change the result
//! (`docs/rules.md`, "Which workbooks count").

mod support;

use std::path::Path;

use redovisa::emit::summary;
use redovisa::finding::{Code, Severity};
use redovisa::intake::Status;
use redovisa::ledger::Ledger;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::reconcile::model::Figures;
use support::*;

/// Kramfors' March 2025 workbook with a given version, attestation and Anna's hours on 1.1.
fn kramfors(version: u32, attested: bool, hours: f64) -> Vec<u8> {
    Book::new()
        .with(info_sheet(&KRAMFORS, "2025-03", version, attested))
        .with(personal_sheet(&[anna()]))
        .with(time_sheet(vec![time_row("Anna Andersson", date(2025, 3, 3), "1.1", n(hours))]))
        .xlsx(Strings::Shared)
}

fn evaluate(project: &Project, claim: bool) -> Figures {
    let opts = Options {
        from: Some("2025-03".parse().unwrap()),
        to: Some("2025-03".parse().unwrap()),
        claim,
        ..Options::claim(today())
    };
    pipeline::evaluate(project, &opts, &Ledger::load(&project.dir).unwrap()).unwrap().figures
}

fn status(f: &Figures, rel: &str) -> (Status, String) {
    let file = f.files.iter().find(|x| x.path == rel).unwrap_or_else(|| panic!("{rel} not listed"));
    (file.status, file.note.clone())
}

fn codes(f: &Figures, rel: &str) -> Vec<(Code, Severity)> {
    f.findings.iter().filter(|x| x.place.file.as_deref() == Some(rel)).map(|x| (x.code, x.severity)).collect()
}

fn staff(f: &Figures, folder: &str) -> rust_decimal::Decimal {
    f.orgs.iter().find(|o| o.folder == folder).unwrap().period.staff
}

#[test]
fn lock_hidden_temporary_and_wrong_format_files() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "kramfors/~$mars.xlsx", b"owner");
    put_in_inbox(&p, "kramfors/.~lock.mars.xlsx#", b"lock");
    put_in_inbox(&p, "kramfors/.dold.xlsx", b"x");
    put_in_inbox(&p, "kramfors/mars.xlsx.tmp", b"x");
    put_in_inbox(&p, "kramfors/anteckningar.txt", b"x");
    for wrong in ["gammal.xls", "export.csv", "makro.xlsm", "kalkyl.ods", "binar.xlsb"] {
        put_in_inbox(&p, &format!("kramfors/{wrong}"), b"x");
    }
    put_in_inbox(&p, "lös.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "okänd-mapp/mars.xlsx", &kramfors(1, true, 8.0));
    let f = evaluate(&p, true);
    assert_eq!(status(&f, "kramfors/mars.xlsx").0, Status::Used);
    for ignored in
        ["kramfors/~$mars.xlsx", "kramfors/.dold.xlsx", "kramfors/mars.xlsx.tmp", "kramfors/anteckningar.txt"]
    {
        assert_eq!(status(&f, ignored).0, Status::Ignored, "{ignored}");
        assert!(codes(&f, ignored).is_empty(), "{ignored} raises nothing");
    }
    for wrong in ["gammal.xls", "export.csv", "makro.xlsm", "kalkyl.ods", "binar.xlsb"] {
        let rel = format!("kramfors/{wrong}");
        assert_eq!(status(&f, &rel).0, Status::Rejected, "{rel}");
        assert_eq!(codes(&f, &rel), vec![(Code::WrongFormat, Severity::Error)], "{rel}");
        let message = &f.findings.iter().find(|x| x.place.file.as_deref() == Some(rel.as_str())).unwrap().message;
        assert!(
            message.contains("som .xlsx") && message.contains("Excel") && message.contains("LibreOffice"),
            "{message}"
        );
    }
    for outside in ["lös.xlsx", "okänd-mapp/mars.xlsx"] {
        assert_eq!(status(&f, outside).0, Status::Ignored);
        assert_eq!(codes(&f, outside), vec![(Code::FileOutsidePartnerFolder, Severity::Warning)]);
    }
    // Only the one real workbook is counted: 8 h × 45 000 × 12 × 1.024 / 1 720 = 2 571.91 (k = 1),
    // on-costs round2(2 571.91 × 0.4015) = 1 032.62.
    assert_eq!(staff(&f, "kramfors"), rust_decimal::dec!(3604.53));
}

#[test]
fn hidden_lock_file_of_libreoffice_is_listed_as_ignored() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/.~lock.mars.xlsx#", b"lock");
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    let f = evaluate(&p, true);
    assert_eq!(status(&f, "kramfors/.~lock.mars.xlsx#").0, Status::Ignored);
}

#[test]
fn a_workbook_in_another_partners_folder_counts_for_neither() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "solleftea/kramfors-mars.xlsx", &kramfors(1, true, 8.0));
    let f = evaluate(&p, true);
    assert_eq!(status(&f, "solleftea/kramfors-mars.xlsx").0, Status::Rejected);
    assert_eq!(codes(&f, "solleftea/kramfors-mars.xlsx"), vec![(Code::WrongFolder, Severity::Error)]);
    assert!(staff(&f, "kramfors").is_zero() && staff(&f, "solleftea").is_zero());
    for folder in ["kramfors", "solleftea"] {
        assert!(
            f.findings.iter().any(|x| x.code == Code::MissingSubmission && x.place.partner.as_deref() == Some(folder))
        );
    }
}

#[test]
fn an_unknown_organisationsnummer_is_reported() {
    let (_dir, p) = inbox_project();
    let stranger = Org { name: "Okänd AB", org_nr: "556036-0793", folder: "kramfors" };
    let bytes = Book::new()
        .with(info_sheet(&stranger, "2025-03", 1, true))
        .with(personal_sheet(&[anna()]))
        .with(time_sheet(anna_march()))
        .xlsx(Strings::Inline);
    put_in_inbox(&p, "kramfors/okand.xlsx", &bytes);
    let f = evaluate(&p, true);
    assert_eq!(status(&f, "kramfors/okand.xlsx").0, Status::Rejected);
    assert_eq!(codes(&f, "kramfors/okand.xlsx"), vec![(Code::UnknownPartner, Severity::Error)]);
    assert!(staff(&f, "kramfors").is_zero());
}

#[test]
fn the_highest_version_counts() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "kramfors/mars-rättad.xlsx", &kramfors(2, true, 16.0));
    let f = evaluate(&p, true);
    assert_eq!(status(&f, "kramfors/mars-rättad.xlsx").0, Status::Used);
    let (s, note) = status(&f, "kramfors/mars.xlsx");
    assert_eq!(s, Status::Superseded);
    assert!(note.contains("version 2"), "{note}");
    // 16 h: lön round2(16 × 321.488372…) = 5 143.81, on-costs round2(5 143.81 × 0.4015) = 2 065.24.
    assert_eq!(staff(&f, "kramfors"), rust_decimal::dec!(7209.05));
    assert!(!f.has_errors());
}

#[test]
fn equal_versions_with_different_content_count_neither() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "kramfors/mars-a.xlsx", &kramfors(2, true, 16.0));
    put_in_inbox(&p, "kramfors/mars-b.xlsx", &kramfors(2, true, 12.0));
    let f = evaluate(&p, true);
    for rel in ["kramfors/mars-a.xlsx", "kramfors/mars-b.xlsx"] {
        assert_eq!(status(&f, rel).0, Status::Rejected, "{rel}");
        assert_eq!(codes(&f, rel), vec![(Code::DuplicateSubmission, Severity::Error)], "{rel}");
    }
    assert_eq!(status(&f, "kramfors/mars.xlsx").0, Status::Superseded);
    assert!(staff(&f, "kramfors").is_zero());
    // The duplicates' own error says why the month is missing; it is not reported again.
    assert!(
        !f.findings.iter().any(|x| x.code == Code::MissingSubmission && x.place.partner.as_deref() == Some("kramfors"))
    );
}

/// A version 2 whose Version cell cannot be read may be any version: version 1 does not count
/// in its place (it could claim more than the new one), and the month waits until it is fixed.
#[test]
fn a_higher_version_that_cannot_be_read_keeps_the_lower_out() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 16.0));
    let mut info = info_sheet(&KRAMFORS, "2025-03", 2, true);
    info.set("B4", t("två"));
    let broken = Book::new()
        .with(info)
        .with(personal_sheet(&[anna()]))
        .with(time_sheet(vec![time_row("Anna Andersson", date(2025, 3, 3), "1.1", n(8.0))]))
        .xlsx(Strings::Shared);
    put_in_inbox(&p, "kramfors/mars v2.xlsx", &broken);
    let f = evaluate(&p, true);
    assert_eq!(status(&f, "kramfors/mars v2.xlsx").0, Status::Rejected);
    let (s, note) = status(&f, "kramfors/mars.xlsx");
    assert_eq!(s, Status::Superseded);
    assert!(note.contains("kramfors/mars v2.xlsx är nyare men kan inte räknas"), "{note}");
    assert!(staff(&f, "kramfors").is_zero());
}

#[test]
fn byte_identical_copies_count_once() {
    let (_dir, p) = inbox_project();
    let bytes = kramfors(1, true, 8.0);
    put_in_inbox(&p, "kramfors/mars.xlsx", &bytes);
    put_in_inbox(&p, "kramfors/mars (kopia).xlsx", &bytes);
    let f = evaluate(&p, true);
    let used: Vec<_> = f.files.iter().filter(|x| x.status == Status::Used).collect();
    assert_eq!(used.len(), 1);
    let copy = f.files.iter().find(|x| x.status == Status::Superseded).unwrap();
    assert!(copy.note.contains("identisk kopia"), "{}", copy.note);
    assert_eq!(staff(&f, "kramfors"), rust_decimal::dec!(3604.53));
    assert!(!f.has_errors());
}

#[test]
fn attestation_is_required_in_a_claim_and_reported_otherwise() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, false, 8.0));
    let claim = evaluate(&p, true);
    assert_eq!(status(&claim, "kramfors/mars.xlsx").0, Status::Rejected);
    assert_eq!(codes(&claim, "kramfors/mars.xlsx"), vec![(Code::NotAttested, Severity::Error)]);
    assert!(staff(&claim, "kramfors").is_zero());
    let monthly = evaluate(&p, false);
    assert_eq!(status(&monthly, "kramfors/mars.xlsx").0, Status::Used);
    assert_eq!(codes(&monthly, "kramfors/mars.xlsx"), vec![(Code::NotAttested, Severity::Warning)]);
    assert_eq!(staff(&monthly, "kramfors"), rust_decimal::dec!(3604.53));
}

/// A workbook that is rewritten while the run reads it is left for the next run: the file is
/// replaced between the snapshot read and the re-hash, as a partner saving over the network at
/// that moment would.
#[test]
fn a_file_changed_during_the_run_is_left_for_the_next_run() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    let files = redovisa::intake::scan(&p, &p.inbox()).unwrap();
    let file = files.into_iter().find(|f| f.rel == "kramfors/mars.xlsx").unwrap();
    let rewrite = |path: &Path| std::fs::write(path, kramfors(1, true, 9.0)).unwrap();
    let ex = pipeline::examine_observed(&p, file, &redovisa::read::Limits::default(), &rewrite);
    assert!(ex.changed);
    assert!(ex.report.is_none(), "a file that changed is never half-counted");
    assert_eq!(ex.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::FileChangedDuringRun]);
    // In a run it is rejected and counted for nobody …
    let opts = Options {
        from: Some("2025-03".parse().unwrap()),
        to: Some("2025-03".parse().unwrap()),
        ..Options::claim(today())
    };
    let f = pipeline::assess(&p, &opts, &Ledger::load(&p.dir).unwrap(), &[ex]).unwrap();
    assert_eq!(status(&f, "kramfors/mars.xlsx").0, Status::Rejected);
    assert_eq!(codes(&f, "kramfors/mars.xlsx"), vec![(Code::FileChangedDuringRun, Severity::Error)]);
    assert!(staff(&f, "kramfors").is_zero());
    // … and the next run reads the new content whole: 9 h, lön round2(9 × 321.488372…) = 2 893.40,
    // on-costs round2(2 893.40 × 0.4015) = 1 161.70.
    assert_eq!(staff(&evaluate(&p, true), "kramfors"), rust_decimal::dec!(4055.10));
}

/// Issue 14: the walk failed on the first entry that vanished between the listing and `lstat`
/// (exit 2, no outputs for anyone). Here every lock file, a workbook and a whole subfolder
/// vanish right after being listed: each file is listed as gone, and the run goes on.
#[test]
fn files_that_vanish_during_the_walk_are_listed_as_gone() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "kramfors/~$mars.xlsx", b"lock");
    put_in_inbox(&p, "kramfors/mars-kopia.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "kramfors/gammalt/april.xlsx", &kramfors(1, true, 8.0));
    let vanish = |path: &Path| {
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("~$") || name == "mars-kopia.xlsx" {
            std::fs::remove_file(path).unwrap();
        } else if name == "gammalt" {
            std::fs::remove_dir_all(path).unwrap();
        }
    };
    let files = redovisa::intake::scan_observed(&p, &p.inbox(), &vanish).unwrap();
    let listed: Vec<(&str, &redovisa::intake::FileKind)> = files.iter().map(|f| (f.rel.as_str(), &f.kind)).collect();
    use redovisa::intake::{FileKind, GONE};
    assert_eq!(
        listed,
        vec![
            // Gone before it could be seen to be a folder: listed like a file that went.
            ("kramfors/gammalt", &FileKind::Ignored(GONE)),
            ("kramfors/mars-kopia.xlsx", &FileKind::Ignored(GONE)),
            ("kramfors/mars.xlsx", &FileKind::Workbook),
            ("kramfors/~$mars.xlsx", &FileKind::Ignored(GONE)),
        ]
    );
    // A workbook listed whole that is gone when it is read is listed as gone too, without a
    // finding; the rest of the inbox counts: 8 h, lön round2(8 × 321.488372…) = 2 571.91,
    // on-costs round2(2 571.91 × 0.4015) = 1 032.62, together 3 604.53.
    let mut files = files;
    let kept = files.remove(2);
    std::fs::remove_file(&kept.path).unwrap();
    put_in_inbox(&p, "kramfors/mars2.xlsx", &kramfors(1, true, 8.0));
    let again = redovisa::intake::scan(&p, &p.inbox()).unwrap();
    let limits = redovisa::read::Limits::default();
    let mut examined = vec![pipeline::examine(&p, kept, &limits)];
    examined.extend(again.into_iter().map(|f| pipeline::examine(&p, f, &limits)));
    assert!(examined[0].findings.is_empty(), "{:?}", examined[0].findings);
    let opts = Options {
        from: Some("2025-03".parse().unwrap()),
        to: Some("2025-03".parse().unwrap()),
        ..Options::claim(today())
    };
    let f = pipeline::assess(&p, &opts, &Ledger::load(&p.dir).unwrap(), &examined).unwrap();
    assert_eq!(status(&f, "kramfors/mars.xlsx"), (Status::Ignored, GONE.to_string()));
    assert_eq!(status(&f, "kramfors/mars2.xlsx").0, Status::Used);
    assert_eq!(staff(&f, "kramfors"), rust_decimal::dec!(3604.53));
}

/// Issue 14: the reconcile step of one workbook ran outside the reader's isolation, so a bug met
/// on one workbook (a panic) took the whole run down. Here it panics on Härnösand's workbook:
/// that workbook is left out with a finding, and Kramfors' counts as if nothing had happened.
/// (A version 2 met by such a bug would keep version 1 out too: it is a higher version that
/// cannot count, `a_higher_version_that_cannot_be_read_keeps_the_lower_out`.)
#[test]
fn a_bug_in_reconciling_one_workbook_costs_that_workbook_only() {
    let (_dir, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors(1, true, 8.0));
    put_in_inbox(&p, "harnosand/mars.xlsx", &book_for(&HARNOSAND, "2025-03").xlsx(Strings::Shared));
    let limits = redovisa::read::Limits::default();
    let buggy = |project: &Project, wb: &redovisa::read::Workbook| {
        if wb.file.starts_with("harnosand/") {
            panic!("a bug met on this workbook");
        }
        redovisa::reconcile::month_report(project, wb)
    };
    let examined: Vec<_> = redovisa::intake::scan(&p, &p.inbox())
        .unwrap()
        .into_iter()
        .map(|f| pipeline::examine_with(&p, f, &limits, &|_| {}, &buggy))
        .collect();
    let opts = Options {
        from: Some("2025-03".parse().unwrap()),
        to: Some("2025-03".parse().unwrap()),
        ..Options::claim(today())
    };
    let f = pipeline::assess(&p, &opts, &Ledger::load(&p.dir).unwrap(), &examined).unwrap();
    assert_eq!(status(&f, "harnosand/mars.xlsx").0, Status::Rejected);
    assert_eq!(codes(&f, "harnosand/mars.xlsx"), vec![(Code::FileUnreadable, Severity::Error)]);
    assert_eq!(status(&f, "kramfors/mars.xlsx").0, Status::Used);
    // Kramfors' 8 h: 2 571.91 + 1 032.62 = 3 604.53 (as above).
    assert_eq!(staff(&f, "kramfors"), rust_decimal::dec!(3604.53));
}

/// Writes the same inbox files in the given order.
fn fill_inbox(p: &Project, order: &[usize]) {
    let orgs = [KRAMFORS, HARNOSAND, REGION];
    let files: Vec<(String, Vec<u8>)> = orgs
        .iter()
        .flat_map(|o| {
            ["2025-01", "2025-02", "2025-03"]
                .map(|m| (format!("{}/{m}.xlsx", o.folder), book_for(o, m).xlsx(Strings::Shared)))
        })
        .collect();
    for &i in order {
        let (rel, bytes) = &files[i % files.len()];
        put_in_inbox(p, rel, bytes);
    }
}

#[test]
fn listing_order_and_thread_count_never_change_the_result() {
    let (_a, pa) = inbox_project();
    let (_b, pb) = inbox_project();
    fill_inbox(&pa, &(0..9).collect::<Vec<_>>());
    fill_inbox(&pb, &(0..9).rev().collect::<Vec<_>>());
    let opts = |p: &Project| Options {
        from: Some("2025-01".parse().unwrap()),
        to: Some("2025-03".parse().unwrap()),
        inbox: Some(p.inbox()),
        ..Options::claim(today())
    };
    let run = |p: &Project, threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| pipeline::evaluate(p, &opts(p), &Ledger::load(&p.dir).unwrap()).unwrap().figures)
    };
    let one = summary::render(&run(&pa, 1));
    let two = summary::render(&run(&pb, 2));
    let four = summary::render(&run(&pa, 4));
    assert_eq!(String::from_utf8_lossy(&one), String::from_utf8_lossy(&two));
    assert_eq!(one, four);
    assert!(Path::new(&pa.inbox()).exists());
}
