//! One workbook from arbitrary bytes, through the guarded reader: it must return (a workbook or
//! `FILE_UNREADABLE`), never panic, never abort. libfuzzer's panic hook aborts even on a panic
//! the reader would catch, so a panic anywhere inside is reported as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redovisa::read::{Limits, read_workbook};

fuzz_target!(|data: &[u8]| {
    let _ = read_workbook(data, "fuzz.xlsx", &Limits::default());
});
