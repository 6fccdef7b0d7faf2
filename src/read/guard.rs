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
//!    renamed `.xlsx` — each gets its own Swedish reason.
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
//! text. What fails anywhere becomes `FILE_UNREADABLE` with a Swedish reason.

mod census;

use std::io::Cursor;

use zip::{CompressionMethod, ZipArchive};

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

/// Why a file is not a workbook we will read, in Swedish, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

impl Unreadable {
    fn new(reason: impl Into<String>) -> Unreadable {
        Unreadable(reason.into())
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What to do with a file that is something else than an xlsx workbook.
const SAVE_AS_XLSX: &str = "Öppna den i Excel och spara som Excel-arbetsbok (.xlsx).";

/// Checks a workbook's bytes before any parser sees them.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::new(
            "Filen är tom (0 byte). Spara arbetsboken på nytt som .xlsx och lägg in den igen.",
        ));
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Unreadable(format!(
            "Filen är för stor ({} MB, högst {} MB). En månads redovisning ska rymmas i en liten arbetsbok; \
             ta bort bilder och överflödiga blad.",
            bytes.len() >> 20,
            limits.max_file_bytes >> 20
        )));
    }
    sniff(bytes)?;
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Unreadable(format!(
            "Filen är skadad eller ofullständig och kan inte öppnas ({e}). Spara arbetsboken på nytt och lägg in den igen."
        ))
    })?;
    container(&mut zip, limits)?;
    kind(&zip)?;
    census::check(&mut zip, limits)
}

/// Names what a file is from its first bytes, when it is not a zip container.
fn sniff(bytes: &[u8]) -> Result<(), Unreadable> {
    if bytes.starts_with(&OLE_MAGIC) {
        // Excel saves a password-protected workbook as an OLE container holding the encrypted
        // package; a legacy .xls is an OLE container too, without that stream.
        let encrypted: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        return Err(Unreadable::new(if contains(bytes, &encrypted) {
            "Arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas. Ta bort lösenordet i Excel \
             (Arkiv → Info → Skydda arbetsbok → Kryptera med lösenord, töm fältet) och spara den på nytt som .xlsx."
                .to_string()
        } else {
            format!(
                "Filen är sparad i ett äldre Office-format (till exempel Excel 97–2003, .xls), inte som .xlsx. {SAVE_AS_XLSX}"
            )
        }));
    }
    if bytes.starts_with(b"PK") {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &text[i..]);
    Err(Unreadable(if first.starts_with(b"%PDF") {
        "Filen är en PDF, inte en Excel-arbetsbok. Lägg in arbetsboken själv (.xlsx), inte en utskrift av den."
            .to_string()
    } else if first.starts_with(b"<") {
        format!(
            "Filen är en webbsida eller XML-fil med ändelsen .xlsx (till exempel en export från ett annat system), \
             inte en Excel-arbetsbok. {SAVE_AS_XLSX}"
        )
    } else if looks_like_text(head) {
        format!("Filen är en textfil (till exempel CSV) med ändelsen .xlsx, inte en Excel-arbetsbok. {SAVE_AS_XLSX}")
    } else {
        format!("Filen är ingen Excel-arbetsbok (.xlsx) och kan inte läsas. {SAVE_AS_XLSX}")
    }))
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
fn container(zip: &mut ZipArchive<Cursor<&[u8]>>, limits: &Limits) -> Result<(), Unreadable> {
    if zip.len() > limits.max_entries {
        return Err(Unreadable::new(
            "Filen innehåller orimligt många delar för en arbetsbok. Spara den på nytt som .xlsx.",
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| {
            Unreadable(format!("Filen är skadad ({e}). Spara arbetsboken på nytt och lägg in den igen."))
        })?;
        if entry.encrypted() {
            return Err(Unreadable::new(
                "Arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas. Ta bort lösenordet och spara som .xlsx.",
            ));
        }
        if !matches!(entry.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
            return Err(Unreadable::new(
                "Filen använder en komprimering som Excel inte använder. Spara den på nytt som .xlsx i Excel.",
            ));
        }
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > RATIO_FLOOR && size / packed > limits.max_ratio {
            return Err(Unreadable::new(BOMB));
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

fn too_big(limits: &Limits) -> Unreadable {
    Unreadable(format!(
        "Arbetsboken är för stor uppackad för en månads redovisning (högst {} MB per del och {} MB sammanlagt). \
         Ta bort överflödiga blad, rader och bilder och spara på nytt.",
        limits.max_entry_bytes >> 20,
        limits.max_total_bytes >> 20
    ))
}

/// The reason for an entry that inflates, or says it inflates, far beyond a workbook's size.
const BOMB: &str = "Filen packas upp till en orimlig storlek (den kan vara skadad eller en så kallad zip-bomb) och läses inte. \
                    Spara arbetsboken på nytt som .xlsx.";

/// A part of the workbook that cannot be inflated: corrupt data or a bad checksum.
pub(crate) fn corrupt(name: &str, detail: &str) -> Unreadable {
    let part = if name.is_empty() { String::new() } else { format!(" ({name})") };
    Unreadable(format!(
        "Filen är skadad: en del av arbetsboken{part} går inte att packa upp ({detail}). Spara arbetsboken på nytt \
         och lägg in den igen."
    ))
}

/// Why a zip stream that broke while calamine read it is unreadable, in the guard's words: a
/// part inflating past its declared size is a bomb, any other broken stream a corrupt part.
pub(crate) fn broken_stream(detail: &str) -> Option<Unreadable> {
    if detail.contains("declared uncompressed size") {
        Some(Unreadable::new(BOMB))
    } else if ["corrupt deflate", "Invalid checksum", "invalid checksum"].iter().any(|k| detail.contains(k)) {
        Some(corrupt("", detail))
    } else {
        None
    }
}

/// Names a zip that is another Office or OpenDocument format renamed `.xlsx`.
fn kind(zip: &ZipArchive<Cursor<&[u8]>>) -> Result<(), Unreadable> {
    // A name that cannot be decoded names no known part.
    let names: Vec<String> = zip.file_names().flatten().map(|n| n.replace('\\', "/").to_ascii_lowercase()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    let reason = if has("word/document.xml") {
        "Filen är ett Word-dokument (.docx) med ändelsen .xlsx, inte en Excel-arbetsbok. Lägg in månadens arbetsbok i stället."
            .to_string()
    } else if has("ppt/presentation.xml") {
        "Filen är en PowerPoint-presentation (.pptx) med ändelsen .xlsx, inte en Excel-arbetsbok. Lägg in månadens \
         arbetsbok i stället."
            .to_string()
    } else if has("mimetype") && has("content.xml") {
        format!(
            "Filen är ett OpenDocument-dokument (till exempel .ods från LibreOffice) med ändelsen .xlsx. {SAVE_AS_XLSX}"
        )
    } else if names.iter().any(|n| n.ends_with("workbook.bin")) {
        format!("Filen är en binär Excel-arbetsbok (.xlsb) med ändelsen .xlsx. {SAVE_AS_XLSX}")
    } else if !has("_rels/.rels") {
        format!("Filen är en zip-fil men ingen Excel-arbetsbok. {SAVE_AS_XLSX}")
    } else {
        return Ok(());
    };
    Err(Unreadable(reason))
}
