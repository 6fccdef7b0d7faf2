//! The census of a workbook's parts: every zip entry inflated once and tokenised by quick-xml
//! with calamine's own reader settings, counting what calamine would keep in memory.
//!
//! calamine finds its parts through the package relationships, so any entry may turn out to be
//! the shared-string table, the styles or the sheet list. The census therefore looks at every
//! entry and adds up what each element would cost if it were read: this overestimates (a
//! `<sheet>` element inside a worksheet costs nothing in reality) and never underestimates, and
//! honest workbooks only have these elements where they belong. Because the tokeniser is the one
//! calamine uses, no trick of XML syntax (comments, CDATA, a DOCTYPE, quotes) can show calamine
//! an element the census did not count. An entry that stops being well-formed is counted up to
//! that point only, since calamine stops there too; an image or other binary part stops at once.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::{BOMB, Limits, Unreadable};

/// Elements calamine keeps a record of while opening a workbook: number formats, fonts, fills,
/// borders, cell styles, theme colours, relationships, sheets and defined names. Shared strings
/// (`si`) are counted on their own.
const KEPT: [&str; 10] =
    ["numFmt", "font", "fill", "border", "xf", "srgbClr", "sysClr", "Relationship", "sheet", "definedName"];

/// Memory of one shared string beside its text, bytes (a `String` and its allocation).
const STRING_BYTES: u64 = 32;

/// Most memory one kept record may take, bytes (a cell style is 152 bytes, a relationship three
/// strings in a hash map).
const RECORD_BYTES: u64 = 256;

/// Heap overhead of one small string copy, bytes.
const COPY_BYTES: u64 = 32;

/// What the census found in one entry.
#[derive(Debug, Default)]
struct Part {
    /// Elements calamine would keep a record of.
    kept: u64,
    /// `si` elements (shared strings).
    strings: u64,
    /// `xf` elements (cell styles).
    styles: u64,
    /// `sheet` elements.
    sheets: u64,
    /// Longest attribute value, bytes.
    longest_value: u64,
    /// Largest `uniqueCount` declared.
    declared_strings: u128,
}

impl Part {
    fn start(&mut self, e: &BytesStart) {
        let local = e.local_name();
        let name: &str = local.as_ref();
        if KEPT.contains(&name) {
            self.kept += 1;
        }
        match name {
            "si" => self.strings += 1,
            "xf" => self.styles += 1,
            "sheet" => self.sheets += 1,
            _ => {}
        }
        let raw = e.attributes_raw();
        self.longest_value = self.longest_value.max(longest_quoted(raw));
        // `declared_count` only ever finds a count after this key; a substring search first
        // spares its attribute-by-attribute walk on the other tags (most of them: cells).
        if !raw.contains("uniqueCount") {
            return;
        }
        if let Some(count) = declared_count(raw) {
            self.declared_strings = self.declared_strings.max(count);
        }
    }
}

/// Inflates and tokenises every entry; fails when what calamine would build passes a limit.
/// With `repack`, also hands back the workbook with every entry stored as inflated here
/// ([`Repack`]), when that was possible.
pub(super) fn check(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
    repack: bool,
) -> Result<Option<Vec<u8>>, Unreadable> {
    let mut kept: u64 = 0;
    let mut strings: u64 = 0;
    let mut declared: u128 = 0;
    let mut sheets: u64 = 0;
    let mut longest: u64 = 0;
    // Every cell style gets its own copy of its font name and number format code, both at most
    // as long as the longest attribute value of the part that defines them.
    let mut style_copies: u128 = 0;
    let mut buf = Vec::new();
    let mut stored = repack.then(Repack::new);
    for index in 0..zip.len() {
        let part = scan(zip, index, limits, &mut buf, &mut stored)?;
        kept = kept.saturating_add(part.kept);
        strings = strings.saturating_add(part.strings);
        declared = declared.max(part.declared_strings);
        sheets = sheets.saturating_add(part.sheets);
        longest = longest.max(part.longest_value);
        let copy = 2 * u128::from(part.longest_value.saturating_add(COPY_BYTES));
        style_copies = style_copies.saturating_add(u128::from(part.styles).saturating_mul(copy));
    }
    if u128::from(strings) > u128::from(limits.max_strings) || declared > u128::from(limits.max_strings) {
        return Err(Unreadable(format!(
            "Arbetsboken innehåller eller uppger orimligt många texter (över {} st); den kan vara skadad eller \
             manipulerad. Spara den på nytt som .xlsx i Excel.",
            limits.max_strings
        )));
    }
    // A sheet keeps its name and a path built from a relationship target, each at most the
    // longest attribute value, and is listed twice.
    let sheet_bytes = u128::from(sheets).saturating_mul(4 * u128::from(longest) + u128::from(RECORD_BYTES));
    let estimate = (u128::from(kept) * u128::from(RECORD_BYTES))
        .saturating_add(u128::from(strings) * u128::from(STRING_BYTES))
        .saturating_add(style_copies)
        .saturating_add(sheet_bytes);
    if estimate > u128::from(limits.max_parse_bytes) {
        return Err(Unreadable::new(
            "Arbetsbokens formatmallar, relationer eller bladlista är orimligt stora (den kan vara skadad eller \
             manipulerad). Spara den på nytt som .xlsx i Excel.",
        ));
    }
    Ok(stored.and_then(Repack::finish))
}

/// Tokenises one entry as calamine's `xml_reader` would.
///
/// The entry is inflated whole into `buf` first (its declared size is bounded by the container
/// check, and the zip crate refuses to inflate past it) and then tokenised in place: a slice
/// reader borrows each event instead of copying it through a `BufReader` and an event buffer,
/// which halves the census's cost on ordinary workbooks. A stream that breaks is reported only
/// when the tokeniser got as far as the break, as when it pulled the bytes through a stream:
/// where the XML stops being well-formed first, calamine stops there too.
fn scan(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limits: &Limits,
    buf: &mut Vec<u8>,
    stored: &mut Option<Repack>,
) -> Result<Part, Unreadable> {
    let mut entry = zip.by_index(index).map_err(|e| corrupt("", &e.to_string()))?;
    // A name that cannot be decoded cannot be written back as it was: no repack then.
    let decoded = entry.name().map(|n| n.to_string());
    let is_dir = entry.is_dir();
    let name = decoded.as_ref().map_or_else(|_| String::new(), Clone::clone);
    buf.clear();
    // On an error, `buf` keeps what inflated before it.
    let broken = entry.read_to_end(buf).err();
    drop(entry);
    let mut xml = quick_xml::Reader::from_reader(buf.as_slice());
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut part = Part::default();
    let mut depth: usize = 0;
    // Whether the XML stopped being well-formed before the inflated bytes ran out.
    let mut malformed = false;
    loop {
        match xml.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(Unreadable(format!(
                        "Arbetsboken innehåller XML som är orimligt djupt nästlad (i delen {name}); den är skadad eller \
                         inte skapad av Excel. Spara den på nytt som .xlsx i Excel."
                    )));
                }
                part.start(&e);
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            // Not (or no longer) well-formed XML before the inflated bytes ran out: calamine
            // stops here as well and never meets a break further on.
            Err(_) if xml.buffer_position() < buf.len() as u64 => {
                malformed = true;
                break;
            }
            // Ran out of bytes inside a tag: what the stream holds next decides.
            Err(_) => break,
        }
    }
    // Only a whole entry is repacked: calamine must meet a broken stream where it is.
    let kept = broken.is_none()
        && match (stored.as_mut(), decoded) {
            (Some(r), Ok(name)) => r.add(&name, is_dir, buf),
            _ => false,
        };
    if !kept {
        *stored = None;
    }
    match broken {
        // The zip stream itself is broken: corrupt data, a bad checksum, or more data than
        // the entry declares.
        Some(e) if !malformed => {
            let message = e.to_string();
            Err(if message.contains("declared uncompressed size") {
                Unreadable::new(BOMB)
            } else {
                corrupt(&name, &message)
            })
        }
        _ => Ok(part),
    }
}

/// Inflated bytes of all entries kept for calamine beyond which the census stops repacking.
/// An honest workbook inflates to a few MB; past this the original bytes are read (inflated a
/// second time) and the memory stays what it was.
const REPACK_MAX_BYTES: usize = 8 << 20;

/// The workbook rewritten with every entry stored (not compressed) exactly as the census
/// inflated it, so that calamine reads the same bytes without inflating each part a second time:
/// inflating is about half of what calamine does with a workbook. Entry names, order and content
/// are the original's; anything that cannot be written back the same way (an undecodable or
/// duplicate name, a broken stream, more than [`REPACK_MAX_BYTES`]) gives up the repack and
/// calamine reads the original bytes.
struct Repack {
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
    bytes: usize,
}

impl Repack {
    fn new() -> Repack {
        Repack { zip: zip::ZipWriter::new(Cursor::new(Vec::new())), bytes: 0 }
    }

    /// Adds one entry; false when the repack has to be given up.
    fn add(&mut self, name: &str, is_dir: bool, bytes: &[u8]) -> bool {
        use std::io::Write;
        self.bytes += bytes.len();
        if self.bytes > REPACK_MAX_BYTES {
            return false;
        }
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        if is_dir {
            return bytes.is_empty() && self.zip.add_directory(name, options).is_ok();
        }
        self.zip.start_file(name, options).is_ok() && self.zip.write_all(bytes).is_ok()
    }

    fn finish(self) -> Option<Vec<u8>> {
        self.zip.finish().ok().map(Cursor::into_inner)
    }
}

fn corrupt(name: &str, detail: &str) -> Unreadable {
    let part = if name.is_empty() { String::new() } else { format!(" ({name})") };
    Unreadable(format!(
        "Filen är skadad: en del av arbetsboken{part} går inte att packa upp ({detail}). Spara arbetsboken på nytt \
         och lägg in den igen."
    ))
}

/// The longest quoted run in a tag's attributes, quotes tracked as quick-xml tracks them.
fn longest_quoted(raw: &str) -> u64 {
    let mut longest = 0;
    let mut quote = None;
    let mut run: u64 = 0;
    for b in raw.bytes() {
        match quote {
            None if b == b'"' || b == b'\'' => {
                quote = Some(b);
                run = 0;
            }
            Some(q) if b == q => {
                quote = None;
                longest = longest.max(run);
            }
            Some(_) => run += 1,
            None => {}
        }
    }
    longest.max(run)
}

/// The `uniqueCount` a tag declares, read as calamine reads attributes (key up to `=`, value in
/// quotes). The first run of digits counts, whatever surrounds it: this may see a count where
/// calamine's stricter parser sees none, never the other way round.
fn declared_count(raw: &str) -> Option<u128> {
    let mut rest = raw;
    loop {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value_and_rest = &after[1..];
        let end = value_and_rest.find(quote).unwrap_or(value_and_rest.len());
        let value = &value_and_rest[..end];
        if key == "uniqueCount" {
            let digits = value.trim_start_matches(|c: char| !c.is_ascii_digit());
            let count = digits
                .bytes()
                .take_while(u8::is_ascii_digit)
                .fold(0u128, |n, d| n.saturating_mul(10).saturating_add(u128::from(d - b'0')));
            return Some(count);
        }
        rest = value_and_rest.get(end + 1..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_count_reads_attributes_as_calamine_does() {
        assert_eq!(declared_count(r#" count="3" uniqueCount="2""#), Some(2));
        assert_eq!(declared_count(r#" uniqueCount = '1000000000000'"#), Some(1_000_000_000_000));
        assert_eq!(declared_count(r#" uniqueCount="000000000000000000000000000000000000000007""#), Some(7));
        assert_eq!(declared_count(r#" xmlns="u" count="5""#), None);
        // A value that is not all digits is still counted (calamine would ignore it).
        assert_eq!(declared_count(r#" uniqueCount="x99""#), Some(99));
        // Prefixed names are other attributes for calamine's exact match, and here.
        assert_eq!(declared_count(r#" x:uniqueCount="99""#), None);
    }

    #[test]
    fn longest_quoted_tracks_both_quotes() {
        assert_eq!(longest_quoted(r#" a="12345" b='1"2'"#), 5);
        assert_eq!(longest_quoted(r#" a="unterminated"#), 12);
        assert_eq!(longest_quoted(""), 0);
    }
}
