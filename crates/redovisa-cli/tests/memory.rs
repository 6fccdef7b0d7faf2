//! Peak memory of `redovisa run` against the size of the inbox (BENCHMARKS.md, "Memory").
//!
//! A run keeps what each workbook contributes (its month's figures, findings and file record)
//! and writes outputs that list every file, so its peak grows somewhat with the inbox; what must
//! not come back is the growth of the allocator keeping freed buffers of every workbook read
//! (about 60 kB a workbook with glibc's allocator on two threads, against about 5 kB of figures
//! kept). The demo programme at two and at four copies (882 and 1 764 workbooks) is run on two
//! threads, and the peak resident memory of each process is compared: the extra 882 workbooks
//! may cost at most 40 kB each. Measured on 2026-12-07: 26–29 kB each (about 10.5 kB of it the
//! per-organisation chart's canvas, 78 rows of 1 800 pixels for every organisation of 40
//! workbooks); 76 kB before mimalloc (glibc's allocator). `just bench` measures the full
//! programme at ten and twenty copies.

use std::path::Path;
use std::process::Command;

use redovisa::month::Month;
use redovisa_demo::{self as demo, DemoOptions};

/// The peak resident memory (kB) of `redovisa run` over the demo programme of `copies` copies.
fn peak_kb(dir: &Path, copies: u32) -> i64 {
    let to = Month::new(2027, 4).unwrap();
    demo::write(dir, &DemoOptions { to, copies, ..DemoOptions::default() }).unwrap();
    // Waited for by `wait4` below, which also gives its resource usage (`Child::wait` does not).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_redovisa"))
        .arg("run")
        .arg(dir)
        .args(["--from", "2024-01", "--to", "2027-04", "--threads", "2", "--out"])
        .arg(dir.join("ut"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: `pid` is our own child, not waited for elsewhere; the pointers outlive the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1, "run failed: {status}");
    usage.ru_maxrss
}

#[test]
fn peak_memory_grows_little_with_the_inbox() {
    let (small, large) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let two = peak_kb(small.path(), 2);
    let four = peak_kb(large.path(), 4);
    // 2 copies: 2 × 441 workbooks; 4 copies: 4 × 441; the difference is 882 workbooks.
    let per_workbook = (four - two) * 1024 / 882;
    assert!(
        per_workbook <= 40 * 1024,
        "peak {two} kB at 2 copies, {four} kB at 4: {per_workbook} bytes more per workbook (at most 40 kB)"
    );
}
