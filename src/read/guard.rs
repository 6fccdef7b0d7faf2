//! The guard in front of the xlsx parser: a file is only handed to calamine when its zip
//! container promises bounded work.
//!
//! calamine reserves memory from counts declared inside the file (the shared-string table's
//! `uniqueCount`) and inflates whatever entries the zip directory lists. A hostile or broken file
//! can therefore abort the whole process, which no `catch_unwind` can stop. So before parsing we
//! check, from the zip's central directory alone: the file's size, the number of entries, each
//! entry's declared uncompressed size and compression ratio, their total, the compression
//! methods, and the shared-string count against the size of its entry. The `zip` crate (used by
//! calamine) refuses to inflate an entry past its declared size, so bounding the declared sizes
//! bounds the work. What fails here becomes `FILE_UNREADABLE` with a Swedish reason.

use std::io::{Cursor, Read};

use zip::{CompressionMethod, ZipArchive};

/// Bounds for one workbook. Real partner workbooks are 10–500 kB; these leave a wide margin.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file accepted, bytes.
    pub max_file_bytes: u64,
    /// Most zip entries.
    pub max_entries: usize,
    /// Largest declared uncompressed size of one entry, bytes.
    pub max_entry_bytes: u64,
    /// Largest declared uncompressed size of all entries together, bytes.
    pub max_total_bytes: u64,
    /// Highest compression ratio of an entry larger than [`RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
    /// Most non-empty cells read from one workbook.
    pub max_cells: usize,
    /// Most rows holding data in one sheet.
    pub max_rows: usize,
}

/// Entries smaller than this are not ratio-checked (tiny XML compresses very well).
pub const RATIO_FLOOR: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 20 << 20,
            max_entries: 1_000,
            max_entry_bytes: 48 << 20,
            max_total_bytes: 128 << 20,
            max_ratio: 200,
            max_cells: 400_000,
            max_rows: 50_000,
        }
    }
}

/// Why a file is not a workbook we will read, in Swedish, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks a workbook's bytes before any parser sees them.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), Unreadable> {
    let fail = |s: &str| Err(Unreadable(s.to_string()));
    if bytes.is_empty() {
        return fail("Filen är tom (0 byte). Spara arbetsboken på nytt som .xlsx och lägg in den igen.");
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return fail(
            "Filen är lösenordsskyddad (krypterad) eller sparad i det gamla Excel-formatet. \
             Ta bort lösenordet (Arkiv → Info → Skydda arbetsbok) och spara som .xlsx.",
        );
    }
    if !bytes.starts_with(b"PK") {
        return fail("Filen är ingen Excel-arbetsbok (.xlsx). Öppna den i Excel och spara som .xlsx.");
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Unreadable(format!(
            "Filen är för stor ({} MB, högst {} MB). En månads redovisning ska rymmas i en liten arbetsbok; \
             ta bort bilder och överflödiga blad.",
            bytes.len() >> 20,
            limits.max_file_bytes >> 20
        )));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Unreadable(format!(
            "Filen är skadad eller ofullständig och kan inte öppnas ({e}). Spara arbetsboken på nytt och lägg in den igen."
        ))
    })?;
    if zip.len() > limits.max_entries {
        return fail("Filen innehåller orimligt många delar för en arbetsbok. Spara den på nytt som .xlsx.");
    }
    let mut total: u64 = 0;
    let mut shared_strings = None;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| {
            Unreadable(format!("Filen är skadad ({e}). Spara arbetsboken på nytt och lägg in den igen."))
        })?;
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if !matches!(entry.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
            return fail(
                "Filen använder en komprimering som Excel inte använder. Spara den på nytt som .xlsx i Excel.",
            );
        }
        if entry.encrypted() {
            return fail("Filen är lösenordsskyddad. Ta bort lösenordet och spara som .xlsx.");
        }
        if size > limits.max_entry_bytes || (size > RATIO_FLOOR && size / packed > limits.max_ratio) {
            return fail(
                "Filen packas upp till en orimlig storlek (den kan vara skadad eller en så kallad zip-bomb). \
                 Den läses inte. Spara arbetsboken på nytt som .xlsx.",
            );
        }
        total = total.saturating_add(size);
        if entry.name().is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml")) {
            shared_strings = Some((i, size));
        }
    }
    if total > limits.max_total_bytes {
        return fail(
            "Arbetsboken är för stor uppackad för en månads redovisning. Ta bort överflödiga blad och bilder.",
        );
    }
    if let Some((index, size)) = shared_strings {
        check_shared_string_count(&mut zip, index, size)?;
    }
    Ok(())
}

/// calamine reserves room for `uniqueCount` strings up front: the count must fit in the entry.
fn check_shared_string_count(zip: &mut ZipArchive<Cursor<&[u8]>>, index: usize, size: u64) -> Result<(), Unreadable> {
    let mut head = Vec::with_capacity(4096);
    let entry =
        zip.by_index(index).map_err(|e| Unreadable(format!("Filen är skadad ({e}). Spara arbetsboken på nytt.")))?;
    // A broken stream shows up when calamine reads it; here only the declared count matters.
    let _ = entry.take(4096).read_to_end(&mut head);
    let text = String::from_utf8_lossy(&head);
    let Some(sst) = text.find("<sst").or_else(|| text.find(":sst")) else { return Ok(()) };
    let tag = &text[sst..text[sst..].find('>').map_or(text.len(), |e| sst + e)];
    if let Some(pos) = tag.find("uniqueCount=\"") {
        let digits: String = tag[pos + 13..].chars().take_while(char::is_ascii_digit).collect();
        let declared: u128 = digits.parse().unwrap_or(u128::MAX);
        // Each string takes at least `<si/>`, five bytes.
        if declared > u128::from(size / 5 + 16) {
            return Err(Unreadable(
                "Filen uppger ett orimligt antal texter (den kan vara skadad eller manipulerad). \
                 Spara arbetsboken på nytt som .xlsx."
                    .into(),
            ));
        }
    }
    Ok(())
}
