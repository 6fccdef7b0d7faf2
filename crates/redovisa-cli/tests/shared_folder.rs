//! The inbox is a shared folder that changes while a run reads it (issue 14).
//!
//! Office creates and removes `~$` lock files as partners open and close workbooks, and a save
//! over the network replaces a file; the walk used to fail on the first entry that vanished
//! between the listing and `lstat` (exit 2, no outputs for anyone). Here a thread creates and
//! deletes lock files and a subfolder in the inbox in a loop while `run` works, through the
//! binary, and every run finishes with outputs for everyone.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use assert_cmd::cargo::CommandCargoExt;
use redovisa_demo::{self as demo, DemoOptions};

fn bin() -> Command {
    Command::cargo_bin("redovisa").unwrap()
}

/// Keeps `pool` lock files alive in `dir`, always creating a new one and deleting the oldest,
/// and creates and removes a subfolder holding a lock file in `other`, until `stop`.
fn churn(dir: PathBuf, other: PathBuf, pool: usize, stop: Arc<AtomicBool>, made: Arc<AtomicU64>) {
    let mut live = VecDeque::new();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let lock = dir.join(format!("~$lås{n}.xlsx"));
        std::fs::write(&lock, b"lock").unwrap();
        live.push_back(lock);
        if live.len() > pool {
            std::fs::remove_file(live.pop_front().unwrap()).unwrap();
        }
        if n.is_multiple_of(16) {
            let sub = other.join(format!("sparas{n}"));
            std::fs::create_dir(&sub).unwrap();
            std::fs::write(sub.join("~$bok.xlsx"), b"lock").unwrap();
            std::fs::remove_dir_all(&sub).unwrap();
        }
        n += 1;
    }
    for lock in live {
        let _ = std::fs::remove_file(lock);
    }
    made.store(n, Ordering::Relaxed);
}

fn folders(inbox: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(inbox)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn files_appearing_and_vanishing_during_the_walk_never_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-06".parse().unwrap(), seed: 7, copies: 1 }).unwrap();
    let inbox = dir.path().join("inkorg");
    let partners = folders(&inbox);
    assert!(partners.len() >= 5, "{partners:?}");
    // Two thousand hidden files (listed as ignored) make the walk of one folder long enough that
    // lock files listed at its start are deleted before the walk looks at them: on the old
    // walk, every run failed here.
    let busy = inbox.join(&partners[0]);
    for i in 0..2000 {
        std::fs::write(busy.join(format!(".synk{i}")), b"").unwrap();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let made = Arc::new(AtomicU64::new(0));
    let worker = {
        let (busy, other, stop, made) = (busy.clone(), inbox.join(&partners[1]), stop.clone(), made.clone());
        std::thread::spawn(move || churn(busy, other, 50, stop, made))
    };
    let runs = 3;
    let mut results = Vec::new();
    for i in 0..runs {
        let out = dir.path().join(format!("ut{i}"));
        let output = bin()
            .args(["run", &dir.path().display().to_string(), "--from", "2024-01", "--to", "2024-06"])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        results.push((out, output));
    }
    stop.store(true, Ordering::Relaxed);
    worker.join().unwrap();
    assert!(made.load(Ordering::Relaxed) > 100, "the inbox changed during the runs");
    for (out, output) in results {
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        // Outputs for everyone: the claim, the progress report, the status, the summary and a
        // receipt per partner folder.
        for name in
            ["ansokan-2024-01_2024-06.xlsx", "lagesrapport-2024-01_2024-06.docx", "manadsstatus.txt", "summary.json"]
        {
            assert!(out.join(name).is_file(), "{name} missing in {}", out.display());
        }
        for p in &partners {
            assert!(out.join("kvitto").join(format!("{p}.txt")).is_file(), "no receipt for {p}");
        }
        // The lock files that vanished are listed as gone or ignored, never read.
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        assert!(!summary.contains("FILE_UNREADABLE"), "a vanished file was read");
    }
}

/// The permission bits of every file under `dir` (relative path → mode & 0o777).
#[cfg(unix)]
fn modes(dir: &Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
                out.push((p.strip_prefix(dir).unwrap().display().to_string(), mode));
            }
        }
    }
    out.sort();
    out
}

/// Issue 14: every output was mode 0600 (the temporary file's mode survived the rename), so
/// colleagues and the auditor could not open them in a shared project folder. Under umask 022
/// an output is 0644, under 027 it is 0640: what a normally created file gets.
#[cfg(unix)]
#[test]
fn outputs_get_the_permissions_of_a_normally_created_file() {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-03".parse().unwrap(), seed: 3, copies: 1 }).unwrap();
    for (umask, expected) in [("022", 0o644), ("027", 0o640)] {
        let out = dir.path().join(format!("ut-{umask}"));
        // The umask is set in a shell that then becomes the binary: the test process's own umask
        // is left alone.
        let status = Command::new("sh")
            .args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\""), env!("CARGO_BIN_EXE_redovisa")])
            .args(["run", &dir.path().display().to_string(), "--from", "2024-01", "--to", "2024-03"])
            .arg("--out")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        let found = modes(&out);
        assert!(found.len() >= 5, "{found:?}");
        for (file, mode) in &found {
            assert_eq!(*mode, expected, "{file} is {mode:o} under umask {umask}");
        }
    }
}

/// Issue 14: a personnummer in a file name reached the monthly status unmasked, and the receipt's
/// own masker missed it glued to letters or spaced. Through the binary: the receipt and the
/// status name such files with the number masked. 850709-9805 is valid (Luhn by hand: 8·2=16→7,
/// 5, 0, 7, 0, 9, 9·2=18→9, 8, 0 sum 45 → 5).
#[test]
fn a_personnummer_in_a_file_name_is_masked_in_receipts_and_status() {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-03".parse().unwrap(), seed: 5, copies: 1 }).unwrap();
    let folder = dir.path().join("inkorg/harnosand");
    // Byte-identical copies under names carrying the number: the first by path counts, the
    // other is listed as a copy; both are named in the receipt, the counting one in the status.
    std::fs::copy(folder.join("harnosand-2024-02.xlsx"), folder.join("ID850709-9805 februari.xlsx")).unwrap();
    std::fs::copy(folder.join("harnosand-2024-03.xlsx"), folder.join("Anna 850709 9805 mars.xlsx")).unwrap();
    let out = dir.path().join("ut");
    let status = bin()
        .args(["run", &dir.path().display().to_string(), "--from", "2024-01", "--to", "2024-03"])
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    for file in ["kvitto/harnosand.txt", "manadsstatus.txt"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(!text.contains("850709") && !text.contains("9805"), "{file}:\n{text}");
        assert!(text.contains("ID[personnummer borttaget] februari.xlsx"), "{file}:\n{text}");
    }
    let receipt = std::fs::read_to_string(out.join("kvitto/harnosand.txt")).unwrap();
    assert!(receipt.contains("Anna [personnummer borttaget] mars.xlsx"), "{receipt}");
}
