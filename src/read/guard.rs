//! The guard in front of the xlsx parser: a file is only handed to calamine when it is an xlsx
//! container whose parsing is known to take bounded memory and time.
//!
//! calamine cannot be trusted with hostile input on its own. Opening a workbook (`Xlsx::new`)
//! reads `_rels/.rels`, then, under the folder it names, `sharedStrings.xml`,
//! `theme/theme1.xml`, `styles.xml`, the workbook's relationships and the workbook part; the
//! worksheets are read later, one by one, through the streaming cell reader. (Pictures are only
//! read with calamine's `picture` feature, which is off; comments, tables, pivot tables, merged
//! cells and VBA are never read.) On the way it reserves memory from a count declared inside the
//! file (the shared-string table's `uniqueCount`: `1000000000000` asks for 24 TB), keeps one
//! record per style, font, relationship and sheet element, copies a font name and a number
//! format into every cell style and a relationship target into every sheet (a 17 kB styles part
//! asks for 10 GB), and buffers a whole XML text node, however large the entry declares itself.
//! An allocation that fails aborts the process, which no `catch_unwind` can stop, and one file
//! would take the whole run down. So before parsing, [`check`] looks at the file in three steps:
//!
//! 1. The first bytes: empty, an OLE compound file (a password-protected workbook, which Excel
//!    saves as an encrypted OLE container, or a legacy `.xls`), a PDF, HTML, XML or CSV text
//!    renamed `.xlsx` — each gets its own [`FileProblem`].
//! 2. The zip central directory alone: the file's size, the number of entries, each entry's
//!    declared uncompressed size and compression ratio, their total, the compression methods and
//!    encryption flags, and whether the entries make an Excel workbook at all (a `.docx`, `.pptx`,
//!    `.ods` or `.xlsb` renamed `.xlsx` is named as such). The `zip` crate refuses to inflate an
//!    entry past its declared size (`Crc32Reader`), so bounding the declared sizes bounds all
//!    inflation, including that of a zip bomb that lies about its size.
//! 3. A census of every entry calamine may read on opening ([`census`]): each is inflated once
//!    and tokenised by quick-xml with calamine's own settings, so the guard sees exactly the
//!    elements calamine will see, whatever part names the package's relationships point to. The
//!    census bounds nesting depth, the number of shared strings (counted and declared), and an
//!    estimate of what calamine will keep in memory from the styles, relationships and sheet
//!    list. A zip stream that is corrupt, fails its checksum or inflates past its declared size
//!    is found here too; in a worksheet, calamine meets it and the read fails the same way.
//!
//! Worksheets are then streamed cell by cell ([`super::grid`]) with caps on cells, rows and
//! text. What fails anywhere becomes `FILE_UNREADABLE` with the [`FileProblem`]'s message.

mod census;

use std::io::Cursor;

use zip::{CompressionMethod, ZipArchive};

use crate::finding::FileProblem;

/// Bounds for one workbook.
///
/// Real partner workbooks are 10–500 kB on disk and a few MB inflated; a 5 000-row time report
/// is about 1 MB of sheet XML. Every bound here leaves at least a tenfold margin over an honest
/// workbook while keeping the worst accepted file within a few hundred MB of memory.
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
    /// Deepest element nesting in any part.
    pub max_depth: usize,
    /// Most shared strings, counted or declared (`uniqueCount`).
    pub max_strings: u64,
    /// Most memory, estimated, that calamine may keep from styles, relationships and the sheet
    /// list, bytes.
    pub max_parse_bytes: u64,
    /// Most non-empty cells read from one workbook.
    pub max_cells: usize,
    /// Most rows holding data in one sheet.
    pub max_rows: usize,
    /// Most bytes of cell text read from one workbook (shared strings are counted once per cell
    /// that uses them).
    pub max_text_bytes: usize,
}

/// Entries smaller than this are not ratio-checked (tiny XML compresses very well).
pub const RATIO_FLOOR: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 20 << 20,
            max_entries: 1_000,
            max_entry_bytes: 16 << 20,
            max_total_bytes: 48 << 20,
            max_ratio: 200,
            max_depth: 512,
            max_strings: 500_000,
            max_parse_bytes: 128 << 20,
            max_cells: 400_000,
            max_rows: 50_000,
            max_text_bytes: 16 << 20,
        }
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks a workbook's bytes before any parser sees them.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(FileProblem::TooLarge { mb: whole_mb_up(bytes.len() as u64), max_mb: limits.max_file_bytes >> 20 });
    }
    sniff(bytes)?;
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| FileProblem::NotAZip(e.to_string()))?;
    container(&mut zip, limits)?;
    kind(&zip)?;
    census::check(&mut zip, bytes, limits)
}

/// Names what a file is from its first bytes, when it is not a zip container.
fn sniff(bytes: &[u8]) -> Result<(), FileProblem> {
    if bytes.starts_with(&OLE_MAGIC) {
        // Excel saves a password-protected workbook as an OLE container holding the encrypted
        // package; a legacy .xls is an OLE container too, without that stream.
        let encrypted: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        return Err(if contains(bytes, &encrypted) { FileProblem::Encrypted } else { FileProblem::LegacyOffice });
    }
    if bytes.starts_with(b"PK") {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &text[i..]);
    Err(if first.starts_with(b"%PDF") {
        FileProblem::Pdf
    } else if first.starts_with(b"<") {
        FileProblem::Markup
    } else if looks_like_text(head) {
        FileProblem::Text
    } else {
        FileProblem::NotAWorkbook
    })
}

/// Whether bytes read as text: no control characters but tab and line breaks (UTF-8 or a
/// single-byte encoding such as a Windows-1252 CSV export).
fn looks_like_text(head: &[u8]) -> bool {
    !head.is_empty() && head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Checks the central directory: entry count, declared sizes, ratios, methods, encryption.
fn container(zip: &mut ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> Result<(), FileProblem> {
    if zip.len() > limits.max_entries {
        return Err(FileProblem::TooManyEntries);
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| FileProblem::CorruptEntry(e.to_string()))?;
        if entry.encrypted() {
            return Err(FileProblem::EncryptedEntry);
        }
        if !matches!(entry.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
            return Err(FileProblem::OddCompression);
        }
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > RATIO_FLOOR && size / packed > limits.max_ratio {
            return Err(FileProblem::Bomb);
        }
        if size > limits.max_entry_bytes {
            return Err(too_big(limits));
        }
        total = total.saturating_add(size);
    }
    if total > limits.max_total_bytes {
        return Err(too_big(limits));
    }
    Ok(())
}

/// Megabytes rounded up, so that a file just over the limit is not called as large as the
/// limit.
pub(crate) fn whole_mb_up(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

fn too_big(limits: &Limits) -> FileProblem {
    FileProblem::TooBigUnpacked { entry_mb: limits.max_entry_bytes >> 20, total_mb: limits.max_total_bytes >> 20 }
}

/// A part of the workbook that cannot be inflated: corrupt data or a bad checksum.
pub(crate) fn corrupt(name: &str, detail: &str) -> FileProblem {
    FileProblem::CorruptPart { part: name.to_string(), detail: detail.to_string() }
}

/// Why a zip stream that broke while calamine read it is unreadable, in the guard's words: a
/// part inflating past its declared size is a bomb, any other broken stream a corrupt part.
pub(crate) fn broken_stream(detail: &str) -> Option<FileProblem> {
    if detail.contains("declared uncompressed size") {
        Some(FileProblem::Bomb)
    } else if ["corrupt deflate", "Invalid checksum", "invalid checksum"].iter().any(|k| detail.contains(k)) {
        Some(corrupt("", detail))
    } else {
        None
    }
}

/// Names a zip that is another Office or OpenDocument format renamed `.xlsx`.
fn kind(zip: &ZipArchive<Cursor<&[u8]>>) -> Result<(), FileProblem> {
    // A name that cannot be decoded names no known part.
    let names: Vec<String> = zip.file_names().flatten().map(|n| n.replace('\\', "/").to_ascii_lowercase()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    Err(if has("word/document.xml") {
        FileProblem::Word
    } else if has("ppt/presentation.xml") {
        FileProblem::PowerPoint
    } else if has("mimetype") && has("content.xml") {
        FileProblem::OpenDocument
    } else if names.iter().any(|n| n.ends_with("workbook.bin")) {
        FileProblem::Xlsb
    } else if !has("_rels/.rels") {
        FileProblem::ZipNotWorkbook
    } else {
        return Ok(());
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_just_over_the_limit_is_not_called_as_large_as_the_limit() {
        // 20 MiB is 20 971 520 bytes; one byte more is "21 MB, högst 20 MB", not "20 MB, högst 20 MB".
        let limits = Limits { max_file_bytes: 20 << 20, ..Limits::default() };
        let bytes = vec![b'x'; (20 << 20) + 1];
        let problem = check(&bytes, &limits).err();
        assert_eq!(problem, Some(FileProblem::TooLarge { mb: 21, max_mb: 20 }));
        assert!(problem.is_some_and(|p| p.to_string().starts_with("Filen är för stor (21 MB, högst 20 MB).")));
        assert_eq!(whole_mb_up(20 << 20), 20);
        assert_eq!(whole_mb_up(0), 0);
    }
}
