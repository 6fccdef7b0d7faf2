//! Every cell-value parser on an arbitrary cell: each returns a value or a Swedish reason, never
//! panics, and whatever it accepts is within the bounds it promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redovisa_fuzz::{check_cell, raw_cell};

fuzz_target!(|data: &[u8]| {
    if let Some(raw) = raw_cell(data) {
        check_cell(&raw);
    }
});
