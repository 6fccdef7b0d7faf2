//! The census of the parts calamine reads when it opens a workbook: each inflated once and
//! tokenised by quick-xml with calamine's own reader settings, counting what calamine would keep
//! in memory.
//!
//! `Xlsx::new` reads `_rels/.rels`, then, under the folder of the part it names as the
//! `officeDocument`, `sharedStrings.xml`, `theme/theme1.xml`, `styles.xml`, the workbook's
//! relationships (`_rels/<workbook>.rels`) and the workbook part itself. The census looks at
//! every entry that could be one of these whatever the relationships say: every `*.rels` entry,
//! every entry named `sharedStrings.xml`, `styles.xml`, `theme1.xml` or `workbook.xml` in any
//! folder, and every entry named like an `officeDocument` target of `_rels/.rels`. When that file
//! cannot be read as calamine reads it, every entry is looked at. The other parts — worksheets
//! above all, the bulk of a workbook — are only ever read later through the streaming cell
//! reader, under the cell, row and text budgets of [`super::super::grid`], and inflated by the
//! zip crate, which refuses to pass an entry's (bounded) declared size; looking at them here
//! would only parse them twice.
//!
//! Counting overestimates (a `<sheet>` element inside a styles part costs nothing in reality)
//! and never underestimates, and honest workbooks only have these elements where they belong.
//! Because the tokeniser is the one calamine uses, no trick of XML syntax (comments, CDATA, a
//! DOCTYPE, quotes) can show calamine an element the census did not count. An entry that stops
//! being well-formed is counted up to that point only, since calamine stops there too; an image
//! or other binary part stops at once.
//!
//! What the census finds in an entry depends on nothing but the entry's stored bytes, its
//! compression method, declared size and checksum (and the depth and size limits). The workbooks
//! of one inbox come from one template, so most of these entries (the theme, the styles, the
//! relationships) are the same bytes in every workbook: [`Seen`] remembers what the census found
//! in an entry it has already looked at, compared byte for byte, so that each is inflated and
//! tokenised once per process rather than once per workbook. A failure is never remembered.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::{Mutex, PoisonError};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::{FileProblem, Limits, corrupt};

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
#[derive(Debug, Default, Clone, Copy)]
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

/// Inflates and tokenises every entry calamine may read on opening the workbook; fails when
/// what calamine would build passes a limit.
pub(super) fn check(zip: &mut ZipArchive<Cursor<&[u8]>>, bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    let mut kept: u64 = 0;
    let mut strings: u64 = 0;
    let mut declared: u128 = 0;
    let mut sheets: u64 = 0;
    let mut longest: u64 = 0;
    // Every cell style gets its own copy of its font name and number format code, both at most
    // as long as the longest attribute value of the part that defines them.
    let mut style_copies: u128 = 0;
    let mut buf = Vec::new();
    let eager = eager_names(zip, bytes, limits, &mut buf);
    for index in 0..zip.len() {
        if let Some(names) = &eager
            && !zip.name_for_index(index).is_none_or(|n| n.map_or(true, |n| names.may_be_read_at_open(&n)))
        {
            continue;
        }
        let stored = Stored::of(zip, index, bytes, limits);
        let part = match stored.as_ref().and_then(|s| SEEN.part(s)) {
            Some(part) => part,
            None => {
                let part = scan(zip, index, limits, &mut buf)?;
                if let Some(s) = &stored {
                    SEEN.remember(s, Seen::Part(part));
                }
                part
            }
        };
        kept = kept.saturating_add(part.kept);
        strings = strings.saturating_add(part.strings);
        declared = declared.max(part.declared_strings);
        sheets = sheets.saturating_add(part.sheets);
        longest = longest.max(part.longest_value);
        let copy = 2 * u128::from(part.longest_value.saturating_add(COPY_BYTES));
        style_copies = style_copies.saturating_add(u128::from(part.styles).saturating_mul(copy));
    }
    if u128::from(strings) > u128::from(limits.max_strings) || declared > u128::from(limits.max_strings) {
        return Err(FileProblem::TooManyStrings { max: limits.max_strings });
    }
    // A sheet keeps its name and a path built from a relationship target, each at most the
    // longest attribute value, and is listed twice.
    let sheet_bytes = u128::from(sheets).saturating_mul(4 * u128::from(longest) + u128::from(RECORD_BYTES));
    let estimate = (u128::from(kept) * u128::from(RECORD_BYTES))
        .saturating_add(u128::from(strings) * u128::from(STRING_BYTES))
        .saturating_add(style_copies)
        .saturating_add(sheet_bytes);
    if estimate > u128::from(limits.max_parse_bytes) {
        return Err(FileProblem::OversizedStructure);
    }
    Ok(())
}

/// Which entries `Xlsx::new` may read: see the module documentation.
struct EagerNames {
    /// Lower-case file names (the part after the last `/`).
    names: std::collections::BTreeSet<String>,
}

impl EagerNames {
    fn may_be_read_at_open(&self, entry: &str) -> bool {
        let lower = entry.replace('\\', "/").to_ascii_lowercase();
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        file.ends_with(".rels") || self.names.contains(file)
    }
}

/// The file names of the parts calamine reads on opening, from `_rels/.rels` as calamine reads
/// it; `None` (look at every entry) when that cannot be done with certainty.
fn eager_names(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    bytes: &[u8],
    limits: &Limits,
    buf: &mut Vec<u8>,
) -> Option<EagerNames> {
    let mut names: std::collections::BTreeSet<String> =
        ["sharedstrings.xml", "styles.xml", "theme1.xml", "workbook.xml"].map(String::from).into();
    // calamine finds `_rels/.rels` case-insensitively; if several entries match, any may win.
    let rels: Vec<usize> = (0..zip.len())
        .filter(|&i| {
            zip.name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| n.replace('\\', "/").eq_ignore_ascii_case("_rels/.rels")))
        })
        .collect();
    for index in rels {
        let stored = Stored::of(zip, index, bytes, limits);
        let found = match stored.as_ref().and_then(|s| SEEN.targets(s)) {
            Some(found) => found,
            None => {
                let found = relationship_targets(zip, index, limits, buf);
                if let Some(s) = &stored {
                    SEEN.remember(s, Seen::Targets(found.clone()));
                }
                found
            }
        };
        names.extend(found?);
    }
    Some(EagerNames { names })
}

/// The file names (lower case) every relationship of the entry at `index` may point to; `None`
/// when the entry cannot be read the way calamine would read it.
fn relationship_targets(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limits: &Limits,
    buf: &mut Vec<u8>,
) -> Option<Vec<String>> {
    buf.clear();
    let mut entry = zip.by_index(index).ok()?;
    if entry.size() > limits.max_entry_bytes {
        return None;
    }
    entry.read_to_end(buf).ok()?;
    drop(entry);
    let mut names = Vec::new();
    let mut xml = calamine_reader(buf);
    loop {
        match xml.read_event() {
            // Every quoted value of every relationship counts as a possible workbook part
            // name, raw and unescaped: a superset of the target calamine settles on,
            // whatever its attribute parser makes of an odd tag.
            Ok(Event::Start(e)) if e.local_name().as_ref() == "Relationship" => {
                for value in quoted_values(e.attributes_raw()) {
                    for v in [value.to_string(), quick_xml::escape::unescape(value).ok()?.into_owned()] {
                        names.push(v.rsplit(['/', '\\']).next().unwrap_or(&v).to_ascii_lowercase());
                    }
                }
            }
            Ok(Event::Eof) => return Some(names),
            Ok(_) => {}
            // Not readable the way calamine would read it: no shortcut.
            Err(_) => return None,
        }
    }
}

/// An entry as stored in the zip: everything that decides what inflating it gives, and the
/// limits that decide what the census makes of it.
struct Stored<'a> {
    /// Stored as it is (else deflated: the container check admits no other method).
    plain: bool,
    crc32: u32,
    size: u64,
    max_depth: usize,
    max_entry_bytes: u64,
    data: &'a [u8],
}

/// Entries larger than this (stored bytes) are not remembered.
const SEEN_ENTRY_BYTES: usize = 64 << 10;
/// Most stored bytes remembered in all; past it the memory starts afresh.
const SEEN_TOTAL_BYTES: usize = 4 << 20;
/// Most different entries remembered under one method, checksum and size.
const SEEN_PER_KEY: usize = 4;

impl<'a> Stored<'a> {
    /// The stored bytes of the entry at `index`, when it is small enough to remember.
    fn of(zip: &mut ZipArchive<Cursor<&[u8]>>, index: usize, bytes: &'a [u8], limits: &Limits) -> Option<Stored<'a>> {
        let entry = zip.by_index_raw(index).ok()?;
        let start = usize::try_from(entry.data_start()?).ok()?;
        let len = usize::try_from(entry.compressed_size()).ok().filter(|n| *n <= SEEN_ENTRY_BYTES)?;
        Some(Stored {
            plain: entry.compression() == zip::CompressionMethod::Stored,
            crc32: entry.crc32(),
            size: entry.size(),
            max_depth: limits.max_depth,
            max_entry_bytes: limits.max_entry_bytes,
            data: bytes.get(start..start.checked_add(len)?)?,
        })
    }

    fn key(&self) -> SeenKey {
        (self.plain, self.crc32, self.size, self.max_depth, self.max_entry_bytes)
    }
}

/// What the census found in an entry it has looked at before.
#[derive(Debug, Clone)]
enum Seen {
    /// Its count (the entry passed the census).
    Part(Part),
    /// The names its relationships may point to (`_rels/.rels`).
    Targets(Option<Vec<String>>),
}

type SeenKey = (bool, u32, u64, usize, u64);

/// Entries already looked at, by method, checksum, size and limits, then by their stored bytes.
#[derive(Default)]
struct SeenEntries {
    entries: HashMap<SeenKey, Vec<(Vec<u8>, Seen)>>,
    bytes: usize,
}

/// What the census has found so far in this process (shared by the reading threads).
static SEEN: Remembered = Remembered(Mutex::new(None));

struct Remembered(Mutex<Option<SeenEntries>>);

impl Remembered {
    fn find<T>(&self, stored: &Stored, pick: impl Fn(&Seen) -> Option<T>) -> Option<T> {
        let seen = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let list = seen.as_ref()?.entries.get(&stored.key())?;
        list.iter().filter(|(data, _)| data.as_slice() == stored.data).find_map(|(_, s)| pick(s))
    }

    fn part(&self, stored: &Stored) -> Option<Part> {
        self.find(stored, |s| match s {
            Seen::Part(p) => Some(*p),
            Seen::Targets(_) => None,
        })
    }

    fn targets(&self, stored: &Stored) -> Option<Option<Vec<String>>> {
        self.find(stored, |s| match s {
            Seen::Targets(t) => Some(t.clone()),
            Seen::Part(_) => None,
        })
    }

    fn remember(&self, stored: &Stored, found: Seen) {
        let mut guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let seen = guard.get_or_insert_with(SeenEntries::default);
        if seen.bytes + stored.data.len() > SEEN_TOTAL_BYTES {
            *seen = SeenEntries::default();
        }
        let list = seen.entries.entry(stored.key()).or_default();
        if list.len() < SEEN_PER_KEY {
            list.push((stored.data.to_vec(), found));
            seen.bytes += stored.data.len();
        }
    }
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
) -> Result<Part, FileProblem> {
    let mut entry = zip.by_index(index).map_err(|e| corrupt("", &e.to_string()))?;
    let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
    buf.clear();
    // On an error, `buf` keeps what inflated before it.
    let broken = entry.read_to_end(buf).err();
    drop(entry);
    let mut xml = calamine_reader(buf);
    let mut part = Part::default();
    let mut depth: usize = 0;
    // Whether the XML stopped being well-formed before the inflated bytes ran out.
    let mut malformed = false;
    loop {
        match xml.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(FileProblem::TooDeep { part: name.to_string() });
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
    match broken {
        // The zip stream itself is broken: corrupt data, a bad checksum, or more data than
        // the entry declares.
        Some(e) if !malformed => {
            let message = e.to_string();
            Err(if message.contains("declared uncompressed size") {
                FileProblem::Bomb
            } else {
                corrupt(&name, &message)
            })
        }
        _ => Ok(part),
    }
}

/// A tokeniser over `bytes` set up as calamine's `xml_reader` sets up its own.
fn calamine_reader(bytes: &[u8]) -> quick_xml::Reader<&[u8]> {
    let mut xml = quick_xml::Reader::from_reader(bytes);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    xml
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

/// The values between quotes (`"` or `'`) in a tag's raw attributes; an unterminated one runs to
/// the end.
fn quoted_values(raw: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut open: Option<(u8, usize)> = None;
    for (i, b) in raw.bytes().enumerate() {
        match open {
            None if b == b'"' || b == b'\'' => open = Some((b, i + 1)),
            Some((q, start)) if b == q => {
                out.push(&raw[start..i]);
                open = None;
            }
            _ => {}
        }
    }
    if let Some((_, start)) = open {
        out.push(&raw[start..]);
    }
    out
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
    fn quoted_values_of_a_relationship() {
        let raw = r#" Id="rId1" Type='http://x/relationships/officeDocument' Target="xl/wb&amp;.xml" Odd="x"#;
        assert_eq!(quoted_values(raw), vec!["rId1", "http://x/relationships/officeDocument", "xl/wb&amp;.xml", "x"]);
    }

    #[test]
    fn longest_quoted_tracks_both_quotes() {
        assert_eq!(longest_quoted(r#" a="12345" b='1"2'"#), 5);
        assert_eq!(longest_quoted(r#" a="unterminated"#), 12);
        assert_eq!(longest_quoted(""), 0);
    }
}
