//! Arbitrary sheet XML inside a well-formed xlsx container: the raw-bytes target rarely gets past
//! the zip checksums, this one reaches the cell reader and every row conversion. The input is
//! up to nine parts separated by 0xFF (a byte that never occurs in UTF-8): the sheets
//! Uppgifter, Personal, Tidrapport, Frånvaro, Deltagare, Indikatorer, Lägesbeskrivning,
//! Övriga kostnader, then the shared-string table. Styles give cell styles 1–5 a date, percent,
//! time, duration and percent-with-decimals format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redovisa_fuzz::sheets_workbook;

fuzz_target!(|data: &[u8]| {
    let bytes = sheets_workbook(data);
    let _ = redovisa::read::read_workbook(&bytes, "fuzz.xlsx", &redovisa::read::Limits::default());
});
