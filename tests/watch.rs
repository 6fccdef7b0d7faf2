//! `redovisa watch`: a new or changed workbook is re-read and its partner's receipt (text and
//! page) and the monthly status (`manadsstatus.txt` and `status.html`) rewritten within
//! seconds; lock files are ignored and an unreadable workbook never stops the watch.

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use redovisa::pipeline::Options;
use support::*;

fn kramfors(month: &str) -> Vec<u8> {
    let (y, m) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
    Book::new()
        .with(info_sheet(&KRAMFORS, month, 1, true))
        .with(personal_sheet(&[anna()]))
        .with(time_sheet(vec![time_row("Anna Andersson", date(y, m, 3), "1.1", n(8.0))]))
        .xlsx(Strings::Shared)
}

/// Waits until `path` exists and satisfies `ok`, up to `limit`. In a page, `/` is escaped as
/// `&#x2f;`; it is read back as `/`.
fn wait_for(path: &Path, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default().replace("&#x2f;", "/");
        if ok(&text) {
            return text;
        }
        assert!(start.elapsed() < limit, "{} did not update within {limit:?}; it holds:\n{text}", path.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sets the flag when dropped, also while a failed assertion unwinds.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[test]
fn receipts_follow_the_inbox() {
    let (dir, project) = temp_project(|t| t);
    let inbox = project.inbox();
    std::fs::create_dir_all(inbox.join("kramfors")).unwrap();
    std::fs::write(inbox.join("kramfors/2025-01.xlsx"), kramfors("2025-01")).unwrap();
    let out = dir.path().join("status");
    let stop = AtomicBool::new(false);
    let opts = Options::claim(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    let status = out.join("manadsstatus.txt");
    let receipt = out.join("kvitto/kramfors.txt");
    let page = out.join("status.html");
    let receipt_page = out.join("kvitto/kramfors.html");
    std::thread::scope(|s| {
        let watcher =
            s.spawn(|| redovisa::watch::watch_until(&project, &opts, Some(&out), &stop, Duration::from_millis(300)));
        // A failed wait stops the watcher too, so the test fails instead of hanging.
        let _stop = StopOnDrop(&stop);
        wait_for(&status, Duration::from_secs(20), |t| {
            t.contains("2025-01  räknas i denna ansökan (nr 1): kramfors/2025-01.xlsx")
        });
        let first_receipt = wait_for(&receipt, Duration::from_secs(5), |t| t.contains("2025-01.xlsx"));
        let first_page = wait_for(&page, Duration::from_secs(5), |t| t.contains("kramfors/2025-01.xlsx"));
        assert!(!first_page.contains("kramfors/2025-02.xlsx"));
        wait_for(&receipt_page, Duration::from_secs(5), |t| t.contains("kramfors/2025-01.xlsx"));

        // A new month arrives: the receipt and the status follow within seconds.
        std::fs::write(inbox.join("kramfors/2025-02.xlsx"), kramfors("2025-02")).unwrap();
        wait_for(&status, Duration::from_secs(10), |t| {
            t.contains("2025-02  räknas i denna ansökan (nr 1): kramfors/2025-02.xlsx")
        });
        wait_for(&receipt, Duration::from_secs(10), |t| t != first_receipt && t.contains("2025-02.xlsx"));
        // The status page too: February's cell now holds its workbook, counted.
        let next_page = wait_for(&page, Duration::from_secs(10), |t| t.contains("kramfors/2025-02.xlsx"));
        let feb = next_page.split("data-month=\"2025-02\"").count() - 1;
        assert!(feb >= 1, "February has cells in the grid");
        assert!(next_page.contains("st-raknas"), "a counted month is marked counted");
        wait_for(&receipt_page, Duration::from_secs(10), |t| t.contains("kramfors/2025-02.xlsx"));

        // An Office lock file is ignored; a broken workbook is reported and the watch goes on.
        std::fs::write(inbox.join("kramfors/~$2025-03.xlsx"), b"owner").unwrap();
        std::fs::write(inbox.join("kramfors/2025-03.xlsx"), b"PK\x03\x04 inte en hel arbetsbok").unwrap();
        wait_for(&receipt, Duration::from_secs(10), |t| t.contains("2025-03.xlsx") && t.contains("FILE_UNREADABLE"));
        wait_for(&page, Duration::from_secs(10), |t| t.contains("FILE_UNREADABLE"));
        std::fs::write(inbox.join("kramfors/2025-03.xlsx"), kramfors("2025-03")).unwrap();
        wait_for(&status, Duration::from_secs(10), |t| {
            t.contains("2025-03  räknas i denna ansökan (nr 1): kramfors/2025-03.xlsx")
        });

        stop.store(true, Ordering::Relaxed);
        watcher.join().unwrap().unwrap();
    });
}
