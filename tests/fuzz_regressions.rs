//! Inputs found by fuzzing (`fuzz/`, `just fuzz`), replayed: each file of
//! `tests/fuzz_regressions/` is read through the guarded reader, which must return — a workbook
//! or `FILE_UNREADABLE` — quickly, the same way twice, and never let a panic out.
//!
//! The four files kept so far come from a 30-minute run (issue 14). Each makes calamine 0.38
//! overflow its cell-reference arithmetic (a `<dimension ref>` whose end is before its start; a
//! row number or column name beyond `u32`): a panic in a build with overflow checks, which the
//! reader's isolation turns into `FILE_UNREADABLE`; in a release build the arithmetic wraps
//! inside calamine, the dimension is only logged, and a wrapped cell reference lands outside
//! Excel's grid (all but one in 4 000 of them), which the reader refuses. A new crash
//! input goes into the folder as found; a `.xlsx` name for workbook bytes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use redovisa::finding::Code;
use redovisa::read::{Limits, read_workbook};

fn inputs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_finding_is_read_or_refused_never_a_crash() {
    let files = inputs();
    assert!(files.len() >= 4, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let start = Instant::now();
        let first = read_workbook(&bytes, &name, &Limits::default());
        assert!(start.elapsed() < Duration::from_secs(10), "{name}: {:?}", start.elapsed());
        let again = read_workbook(&bytes, &name, &Limits::default());
        let codes = |o: &redovisa::read::ReadOutcome| {
            o.findings.iter().map(|f| (f.code, f.message.clone())).collect::<Vec<_>>()
        };
        assert_eq!(codes(&first), codes(&again), "{name}: the same bytes read the same way");
        match &first.workbook {
            None => {
                assert!(first.findings.iter().any(|f| f.code == Code::FileUnreadable), "{name}: {:?}", first.findings)
            }
            Some(wb) => assert_eq!(wb.file, name),
        }
        // With overflow checks (a debug build) calamine's overflow is a caught panic; the file is
        // refused, with the reader's message and never the panic's.
        for f in &first.findings {
            assert!(!f.message.contains("overflow") && !f.message.contains("panicked"), "{name}: {}", f.message);
        }
    }
}
