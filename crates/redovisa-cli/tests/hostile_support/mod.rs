//! Builders for hostile and broken workbooks, made cheaply and byte by byte.
//!
//! A zip writer that lets every header field lie ([`Entry`], [`zip`]); two tiny deflate
//! encoders — one that repeats a pattern with back-references (a million sheet rows in a few
//! hundred kB) and one dynamic-Huffman block that spends two bits per 258 zero bytes (a 4 GB
//! bomb in 4 MB); minimal xlsx parts to build workbooks from raw XML; and honest workbooks made
//! with rust_xlsxwriter following `docs/partnerhandledning.md`.

#![allow(dead_code)] // each test binary uses a different part of the toolkit

use rust_xlsxwriter::Workbook;

// ---------------------------------------------------------------------------------------------
// CRC-32 and the zip container

/// CRC-32 (IEEE) of `data`, continuing from `crc` (start with 0).
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *slot = c;
        }
        t
    });
    let mut c = !crc;
    for &b in data {
        c = table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

/// One zip entry as it will be written: its stored bytes and what the headers declare.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    /// The bytes stored in the archive (already compressed when `method` is 8).
    pub data: Vec<u8>,
    /// 0 stored, 8 deflated, anything else to lie.
    pub method: u16,
    pub flags: u16,
    pub crc: u32,
    /// Declared uncompressed size.
    pub size: u32,
}

impl Entry {
    /// A stored (uncompressed) entry with honest headers.
    pub fn stored(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.to_string(),
            data: data.to_vec(),
            method: 0,
            flags: 0,
            crc: crc32(0, data),
            size: data.len() as u32,
        }
    }

    /// A deflated entry with honest headers.
    pub fn deflated(name: &str, deflated: Deflated) -> Entry {
        Entry {
            name: name.to_string(),
            data: deflated.bytes,
            method: 8,
            flags: 0,
            crc: deflated.crc,
            size: deflated.size as u32,
        }
    }
}

/// Writes a zip archive; every field comes from the entries as given, lies included.
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&e.size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&e.flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x21u16.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&e.size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 4]); // extra, comment lengths
        central.extend_from_slice(&[0; 4]); // disk, internal attributes
        central.extend_from_slice(&[0; 4]); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&eocd(entries.len() as u16, central.len() as u32, cd_offset));
    out
}

/// An end-of-central-directory record.
pub fn eocd(entries: u16, cd_size: u32, cd_offset: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, disk with the central directory
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&entries.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Replaces a zip's end record by one declaring `entries` entries (sizes left honest).
pub fn with_entry_count(mut zip: Vec<u8>, entries: u16) -> Vec<u8> {
    let at = zip.len() - 22;
    zip[at + 8..at + 10].copy_from_slice(&entries.to_le_bytes());
    zip[at + 10..at + 12].copy_from_slice(&entries.to_le_bytes());
    zip
}

/// Replaces a zip's end record by a ZIP64 one declaring `entries` entries and a central
/// directory of `cd_size` bytes.
pub fn with_zip64_counts(mut zip: Vec<u8>, entries: u64, cd_size: u64) -> Vec<u8> {
    let at = zip.len() - 22;
    let cd_offset = u64::from(u32::from_le_bytes([zip[at + 16], zip[at + 17], zip[at + 18], zip[at + 19]]));
    zip.truncate(at);
    let record = zip.len() as u64;
    zip.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    zip.extend_from_slice(&44u64.to_le_bytes());
    zip.extend_from_slice(&45u16.to_le_bytes());
    zip.extend_from_slice(&45u16.to_le_bytes());
    zip.extend_from_slice(&[0; 8]); // disks
    zip.extend_from_slice(&entries.to_le_bytes());
    zip.extend_from_slice(&entries.to_le_bytes());
    zip.extend_from_slice(&cd_size.to_le_bytes());
    zip.extend_from_slice(&cd_offset.to_le_bytes());
    zip.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    zip.extend_from_slice(&0u32.to_le_bytes());
    zip.extend_from_slice(&record.to_le_bytes());
    zip.extend_from_slice(&1u32.to_le_bytes());
    zip.extend_from_slice(&eocd(0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF));
    zip
}

// ---------------------------------------------------------------------------------------------
// Deflate

/// A raw deflate stream with the size and CRC of what it inflates to.
pub struct Deflated {
    pub bytes: Vec<u8>,
    pub size: u64,
    pub crc: u32,
}

/// LSB-first bit packing as deflate wants it.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn new() -> Bits {
        Bits { out: Vec::new(), acc: 0, n: 0 }
    }

    /// The low `count` bits of `value`, least significant first (header fields, extra bits).
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let mut reversed = 0u64;
        for i in 0..len {
            reversed |= u64::from((code >> i) & 1) << (len - 1 - i);
        }
        self.put(reversed, len);
    }

    /// `count` zero bits, fast.
    fn zeros(&mut self, mut count: u64) {
        while count > 0 && self.n != 0 {
            self.put(0, 1);
            count -= 1;
        }
        self.out.resize(self.out.len() + (count / 8) as usize, 0);
        self.put(0, (count % 8) as u32);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// `size` zero bytes as one dynamic-Huffman block in which a 258-byte copy costs two bits:
/// the classic zip bomb, about 1 030 : 1.
pub fn deflate_zeros(size: u64) -> Deflated {
    let mut b = Bits::new();
    b.put(1, 1); // final block
    b.put(2, 2); // dynamic Huffman
    b.put(29, 5); // HLIT: 286 literal/length codes
    b.put(1, 5); // HDIST: 2 distance codes
    b.put(14, 4); // HCLEN: 18 code-length codes
    // Code-length code lengths in RFC 1951 order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1:
    // symbol 18 gets one bit, symbols 1 and 2 two bits.
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        b.put(len, 3);
    }
    // Canonical code-length codes: 18 → 0, 1 → 10, 2 → 11.
    let (cl1, cl2, cl18) = ((0b10, 2), (0b11, 2), (0b0, 1));
    b.code(cl2.0, cl2.1); // literal 0: length 2
    b.code(cl18.0, cl18.1);
    b.put(138 - 11, 7); // literals 1..=138: unused
    b.code(cl18.0, cl18.1);
    b.put(117 - 11, 7); // literals 139..=255: unused
    b.code(cl2.0, cl2.1); // 256 end of block: length 2
    b.code(cl18.0, cl18.1);
    b.put(28 - 11, 7); // lengths 257..=284: unused
    b.code(cl1.0, cl1.1); // 285 (copy 258): length 1
    b.code(cl1.0, cl1.1); // distance 1: length 1
    b.code(cl1.0, cl1.1); // distance 2: length 1 (keeps the code complete)
    // Canonical literal/length codes: 285 → 0, literal 0 → 10, end of block → 11; distance 1 → 0.
    if size > 0 {
        b.code(0b10, 2);
        let copies = (size - 1) / 258;
        b.zeros(copies * 2);
        for _ in 0..(size - 1) % 258 {
            b.code(0b10, 2);
        }
    }
    b.code(0b11, 2);
    let crc = if size <= 64 << 20 { crc_of_zeros(size) } else { 0 };
    Deflated { bytes: b.finish(), size, crc }
}

fn crc_of_zeros(size: u64) -> u32 {
    let chunk = [0u8; 1 << 16];
    let mut crc = 0;
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        crc = crc32(crc, &chunk[..n]);
        left -= n as u64;
    }
    crc
}

/// A piece of a stream for [`deflate_pieces`].
pub enum Piece<'a> {
    /// Bytes written as literals.
    Literal(&'a [u8]),
    /// `unit` written `times` times: once as literals, then by back-references.
    Repeat(&'a [u8], u64),
}

/// Fixed-Huffman deflate of literal pieces and repeated units (distance = unit length, which
/// must be at most 32 768).
pub fn deflate_pieces(pieces: &[Piece]) -> Deflated {
    let mut b = Bits::new();
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    let mut size = 0u64;
    let mut crc = 0u32;
    for piece in pieces {
        match piece {
            Piece::Literal(bytes) => {
                for &v in *bytes {
                    literal(&mut b, v);
                }
                size += bytes.len() as u64;
                crc = crc32(crc, bytes);
            }
            Piece::Repeat(unit, times) => {
                if *times == 0 || unit.is_empty() {
                    continue;
                }
                for &v in *unit {
                    literal(&mut b, v);
                }
                let l = unit.len() as u64;
                let mut left = (times - 1) * l;
                let mut pos = 0u64; // offset within the unit of the next byte
                while left > 0 {
                    let n = if left >= 258 + 3 || left == 258 {
                        258
                    } else if left >= 3 {
                        left.min(258)
                    } else {
                        literal(&mut b, unit[pos as usize]);
                        pos = (pos + 1) % l;
                        left -= 1;
                        continue;
                    };
                    copy(&mut b, n as u32, l as u32);
                    pos = (pos + n) % l;
                    left -= n;
                }
                for _ in 0..*times {
                    crc = crc32(crc, unit);
                }
                size += times * l;
            }
        }
    }
    b.code(0, 7); // end of block
    Deflated { bytes: b.finish(), size, crc }
}

/// Literal-only deflate of `data` (no compression, but a valid deflated entry).
pub fn deflate(data: &[u8]) -> Deflated {
    deflate_pieces(&[Piece::Literal(data)])
}

fn literal(b: &mut Bits, v: u8) {
    if v < 144 {
        b.code(0x30 + u32::from(v), 8);
    } else {
        b.code(0x190 + u32::from(v) - 144, 9);
    }
}

fn copy(b: &mut Bits, len: u32, dist: u32) {
    const LEN_BASE: [u32; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ];
    const LEN_EXTRA: [u32; 29] =
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    const DIST_BASE: [u32; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u32; 30] =
        [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    let i = if len == 258 { 28 } else { LEN_BASE.iter().rposition(|&base| base <= len).unwrap_or(0) };
    let sym = 257 + i as u32;
    if sym < 280 {
        b.code(sym - 256, 7);
    } else {
        b.code(0xC0 + sym - 280, 8);
    }
    b.put(u64::from(len - LEN_BASE[i]), LEN_EXTRA[i]);
    let d = DIST_BASE.iter().rposition(|&base| base <= dist).unwrap_or(0);
    b.code(d as u32, 5);
    b.put(u64::from(dist - DIST_BASE[d]), DIST_EXTRA[d]);
}

// ---------------------------------------------------------------------------------------------
// Minimal xlsx parts

pub const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;

pub const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKSHEET_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

/// `xl/workbook.xml` listing `names` as sheets rId1, rId2, …
pub fn workbook_xml(names: &[&str]) -> String {
    let sheets: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!(r#"<sheet name="{n}" sheetId="{}" r:id="rId{}"/>"#, i + 1, i + 1))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#
    )
}

/// `xl/_rels/workbook.xml.rels` pointing rId1… at `worksheets/sheet1.xml`…
pub fn workbook_rels(sheets: usize) -> String {
    let rels: String = (1..=sheets)
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="{WORKSHEET_TYPE}" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    )
}

/// A cell for [`sheet_xml`].
#[derive(Clone, Debug)]
pub enum V {
    T(String),
    N(f64),
}

/// Text cell.
pub fn t(s: &str) -> V {
    V::T(s.to_string())
}

/// The `<c>` element of one cell at (0-based) `row`, `col`.
pub fn cell_xml(row: u32, col: u32, v: &V) -> String {
    let r = format!("{}{}", redovisa::finding::column_letters(col), u64::from(row) + 1);
    match v {
        V::T(s) => format!(r#"<c r="{r}" t="inlineStr"><is><t>{}</t></is></c>"#, escape(s)),
        V::N(n) => format!(r#"<c r="{r}"><v>{n}</v></c>"#),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The rows (from row 0) of a sheet as `<row>` elements.
pub fn rows_xml(rows: &[Vec<V>]) -> String {
    rows.iter()
        .enumerate()
        .map(|(r, cells)| {
            let cells: String = cells.iter().enumerate().map(|(c, v)| cell_xml(r as u32, c as u32, v)).collect();
            format!(r#"<row r="{}">{cells}</row>"#, r + 1)
        })
        .collect()
}

/// A worksheet from `<sheetData>` content.
pub fn sheet_xml(sheet_data: &str) -> String {
    format!("{}{sheet_data}{}", SHEET_HEAD, SHEET_TAIL)
}

pub const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
pub const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// The contract sheets of an honest one-person workbook for `org_nr`, January 2024:
/// `Uppgifter`, `Personal` and `Tidrapport` with `hours` on activity 1.1.
pub fn contract_sheets(partner: &str, org_nr: &str, person: &Person, hours: &[f64]) -> Vec<(String, Vec<Vec<V>>)> {
    let info = vec![
        vec![t("Projektpart"), t(partner)],
        vec![t("Organisationsnummer"), t(org_nr)],
        vec![t("Period"), t("2024-01")],
        vec![t("Version"), V::N(1.0)],
        vec![t("Attesterad av"), t("Anna Attest")],
        vec![t("Attestdatum"), t("2024-02-05")],
    ];
    let staff = vec![
        ["Namn", "Personnummer", "Roll", "Startdatum", "Månadslön", "Redovisning"].map(t).to_vec(),
        vec![
            t(&person.name),
            t(&person.pnr),
            t("Processledare"),
            t("2024-01-01"),
            V::N(person.salary),
            t("Tidrapport"),
        ],
    ];
    let mut time = vec![["Namn", "Datum", "Aktivitet", "Timmar"].map(t).to_vec()];
    for (i, h) in hours.iter().enumerate() {
        time.push(vec![t(&person.name), t(&format!("2024-01-{:02}", 2 + i % 28)), t("1.1"), V::N(*h)]);
    }
    vec![("Uppgifter".into(), info), ("Personal".into(), staff), ("Tidrapport".into(), time)]
}

/// A workbook made of raw parts: the named sheets (XML given), plus extra entries.
pub fn raw_workbook(sheets: &[(&str, String)], extra: Vec<Entry>) -> Vec<u8> {
    let names: Vec<&str> = sheets.iter().map(|(n, _)| *n).collect();
    let mut entries = vec![
        Entry::stored("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Entry::stored("_rels/.rels", PACKAGE_RELS.as_bytes()),
        Entry::stored("xl/workbook.xml", workbook_xml(&names).as_bytes()),
        Entry::stored("xl/_rels/workbook.xml.rels", workbook_rels(sheets.len()).as_bytes()),
    ];
    for (i, (_, xml)) in sheets.iter().enumerate() {
        entries.push(Entry::stored(&format!("xl/worksheets/sheet{}.xml", i + 1), xml.as_bytes()));
    }
    // Extra entries replace parts of the same name.
    for e in extra {
        entries.retain(|x| x.name != e.name);
        entries.push(e);
    }
    zip(&entries)
}

/// An honest raw workbook (one person, the given hours), with extra entries or replaced parts.
pub fn honest_raw(extra: Vec<Entry>) -> Vec<u8> {
    let person = Person::new("Eva Exempel", 1980, 5, 17, 41_500.0);
    let sheets = contract_sheets("Härnösands kommun", "212000-2403", &person, &[7.5, 8.0]);
    let xml: Vec<(&str, String)> = sheets.iter().map(|(n, rows)| (n.as_str(), sheet_xml(&rows_xml(rows)))).collect();
    raw_workbook(&xml, extra)
}

// ---------------------------------------------------------------------------------------------
// Honest workbooks through rust_xlsxwriter

/// A person with a valid personnummer.
#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub pnr: String,
    pub salary: f64,
}

impl Person {
    /// A person born on the given day, with the Luhn check digit computed.
    pub fn new(name: &str, year: i32, month: u32, day: u32, salary: f64) -> Person {
        let serial = 100 + (name.bytes().map(u32::from).sum::<u32>() % 800);
        let nine = format!("{:02}{month:02}{day:02}{serial:03}", year % 100);
        let sum: u32 = nine
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
                d / 10 + d % 10
            })
            .sum();
        let check = (10 - sum % 10) % 10;
        Person { name: name.to_string(), pnr: format!("{year}{month:02}{day:02}-{serial:03}{check}"), salary }
    }
}

/// A workbook as Excel users make it (through rust_xlsxwriter): `Uppgifter`, `Personal`,
/// `Tidrapport` for January 2024, `rows_per_person` time rows of `hours` each per person.
pub fn honest_workbook(partner: &str, org_nr: &str, people: &[Person], rows_per_person: usize, hours: f64) -> Vec<u8> {
    let mut wb = Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("Uppgifter").unwrap();
    let labels: [(&str, &str); 6] = [
        ("Projektpart", partner),
        ("Organisationsnummer", org_nr),
        ("Period", "2024-01"),
        ("Version", "1"),
        ("Attesterad av", "Anna Attest"),
        ("Attestdatum", "2024-02-05"),
    ];
    for (r, (label, value)) in labels.iter().enumerate() {
        info.write_string(r as u32, 0, *label).unwrap();
        info.write_string(r as u32, 1, *value).unwrap();
    }
    let staff = wb.add_worksheet();
    staff.set_name("Personal").unwrap();
    for (c, h) in ["Namn", "Personnummer", "Roll", "Startdatum", "Månadslön", "Redovisning"].iter().enumerate() {
        staff.write_string(0, c as u16, *h).unwrap();
    }
    for (i, p) in people.iter().enumerate() {
        let r = i as u32 + 1;
        staff.write_string(r, 0, &p.name).unwrap();
        staff.write_string(r, 1, &p.pnr).unwrap();
        staff.write_string(r, 2, "Projektledare").unwrap();
        staff.write_string(r, 3, "2024-01-01").unwrap();
        staff.write_number(r, 4, p.salary).unwrap();
        staff.write_string(r, 5, "Tidrapport").unwrap();
    }
    let time = wb.add_worksheet();
    time.set_name("Tidrapport").unwrap();
    for (c, h) in ["Namn", "Datum", "Aktivitet", "Timmar", "Kommentar"].iter().enumerate() {
        time.write_string(0, c as u16, *h).unwrap();
    }
    let mut r = 1u32;
    for p in people {
        for i in 0..rows_per_person {
            time.write_string(r, 0, &p.name).unwrap();
            time.write_string(r, 1, format!("2024-01-{:02}", 2 + i % 29)).unwrap();
            time.write_string(r, 2, "1.1").unwrap();
            time.write_number(r, 3, hours).unwrap();
            time.write_string(r, 4, format!("Arbete med delaktivitet, rad {r}")).unwrap();
            r += 1;
        }
    }
    wb.save_to_buffer().unwrap()
}
