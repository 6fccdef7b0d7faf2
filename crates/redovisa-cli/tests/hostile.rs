//! Hostile and broken files never take the run down (issue 3, point 3).
//!
//! Every file below is built in the test, cheaply and byte by byte (`hostile_support`), and
//! must come back from `read_workbook` as exactly one `FILE_UNREADABLE` finding at the file,
//! with a Swedish message naming the reason that stopped it, quickly and within bounded memory.
//! Odd files that are still honest workbooks (a sheet claiming the whole grid, a million
//! formatted empty rows, a 5 000-row time report) must be read in full. The end-to-end test
//! drops every hostile file next to honest ones in a project inbox, runs the `redovisa` binary,
//! and checks that the honest partners' figures are all there and that peak memory stays under
//! 1 GiB.

mod hostile_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hostile_support::*;
use redovisa::finding::Code;
use redovisa::read::{Limits, ReadOutcome, read_workbook};

/// A sanity bound on reading one hostile file in a debug build; speed targets live elsewhere.
const TOO_SLOW: Duration = Duration::from_secs(20);

/// One hostile file: its name in the inbox, how to build it, and a phrase of the reason that
/// must stop it (which proves which guard did).
struct Case {
    name: &'static str,
    build: fn() -> Vec<u8>,
    reason: &'static str,
}

const CASES: &[Case] = &[
    Case { name: "tom", build: empty, reason: "tom (0 byte)" },
    Case { name: "avkortad", build: truncated, reason: "skadad eller ofullständig" },
    Case { name: "fel-kontrollsumma", build: bad_crc, reason: "går inte att packa upp" },
    Case { name: "trasig-deflate", build: bad_deflate, reason: "går inte att packa upp" },
    Case { name: "krypterad", build: encrypted_ole, reason: "lösenordsskyddad" },
    Case { name: "gammal-xls", build: legacy_xls, reason: "äldre Office-format" },
    Case { name: "zip-krypterad", build: zip_encrypted, reason: "lösenordsskyddad" },
    Case { name: "okand-komprimering", build: unknown_method, reason: "komprimering som Excel inte använder" },
    Case { name: "bomb-uppger-4gb", build: bomb_declared, reason: "zip-bomb" },
    Case { name: "bomb-ljuger-om-storlek", build: bomb_lying, reason: "zip-bomb" },
    Case { name: "bomb-packningsgrad", build: bomb_ratio, reason: "zip-bomb" },
    Case { name: "storre-an-uppgivet", build: larger_than_declared, reason: "zip-bomb" },
    Case { name: "for-stor-uppackad", build: too_big_inflated, reason: "för stor uppackad" },
    Case { name: "for-stor-fil", build: too_big_file, reason: "Filen är för stor" },
    Case { name: "katalog-antal", build: cd_count_lie, reason: "skadad eller ofullständig" },
    Case { name: "zip64-antal", build: zip64_count_lie, reason: "skadad eller ofullständig" },
    Case { name: "manga-delar", build: many_entries, reason: "orimligt många delar" },
    Case { name: "unique-count", build: unique_count, reason: "orimligt många texter" },
    Case { name: "unique-count-gomd", build: unique_count_hidden, reason: "orimligt många texter" },
    Case { name: "unique-count-doctype", build: unique_count_doctype, reason: "orimligt många texter" },
    Case { name: "manga-texter", build: many_strings, reason: "orimligt många texter" },
    Case { name: "stilbomb", build: style_bomb, reason: "formatmallar, relationer eller bladlista" },
    Case { name: "bladbomb", build: sheet_list_bomb, reason: "formatmallar, relationer eller bladlista" },
    Case { name: "textbomb", build: text_bomb, reason: "för mycket text" },
    Case { name: "jattecell", build: giant_cell, reason: "mer text än Excel tillåter" },
    Case { name: "utanfor-rutnatet", build: outside_grid, reason: "utanför Excels rutnät" },
    Case { name: "miljon-rader", build: million_rows, reason: "för stor uppackad" },
    Case { name: "sextiotusen-rader", build: sixty_thousand_rows, reason: "högst 50000 rader" },
    Case { name: "miljon-fulla-rader", build: million_full_rows, reason: "för stor uppackad" },
    Case { name: "djup-xml", build: deep_xml, reason: "djupt nästlad" },
    Case { name: "trasig-xml", build: broken_xml, reason: "skadad eller inte sparad av Excel" },
    Case { name: "skrap-xml", build: garbage_xml, reason: "inte är giltig UTF-8" },
    Case { name: "inte-utf8", build: not_utf8, reason: "inte är giltig UTF-8" },
    Case { name: "entitetsbomb", build: entity_bomb, reason: "skadad eller inte sparad av Excel" },
    Case { name: "word-dokument", build: docx, reason: "Word-dokument" },
    Case { name: "opendocument", build: ods, reason: "OpenDocument" },
    Case { name: "zip-utan-arbetsbok", build: plain_zip, reason: "zip-fil men ingen Excel-arbetsbok" },
    Case { name: "csv", build: csv, reason: "textfil (till exempel CSV)" },
    Case { name: "html", build: html, reason: "webbsida eller XML-fil" },
    Case { name: "pdf", build: pdf, reason: "PDF" },
];

// ---------------------------------------------------------------------------------------------
// The hostile files

fn empty() -> Vec<u8> {
    Vec::new()
}

fn truncated() -> Vec<u8> {
    let mut bytes = honest_raw(Vec::new());
    bytes.truncate(bytes.len() * 2 / 3);
    bytes
}

/// A shared-string table whose checksum does not match its (intact) data. The guard inflates
/// every part calamine reads on opening and checks its checksum.
fn bad_crc() -> Vec<u8> {
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Namn</t></si></sst>"#;
    let mut part = Entry::deflated("xl/sharedStrings.xml", deflate(sst.as_bytes()));
    part.crc ^= 1;
    honest_raw(vec![part])
}

/// A worksheet whose checksum does not match its intact data: calamine streams a worksheet and
/// stops at `</sheetData>`, so the checksum at the end of the stream is never compared.
fn bad_crc_in_sheet() -> Vec<u8> {
    let person = Person::new("Eva Exempel", 1980, 5, 17, 41_500.0);
    let sheets = contract_sheets("Härnösands kommun", "212000-2403", &person, &[7.5, 8.0]);
    let (_, rows) = sheets.iter().find(|(n, _)| n == "Tidrapport").unwrap();
    let index = sheets.iter().position(|(n, _)| n == "Tidrapport").unwrap() + 1;
    let mut sheet =
        Entry::deflated(&format!("xl/worksheets/sheet{index}.xml"), deflate(sheet_xml(&rows_xml(rows)).as_bytes()));
    sheet.crc ^= 1;
    honest_raw(vec![sheet])
}

fn bad_deflate() -> Vec<u8> {
    // Block type 3 is reserved: the inflater fails on the first byte.
    let sheet = Entry { data: vec![0xFF; 64], ..Entry::deflated("xl/worksheets/sheet3.xml", deflate(b"<x/>")) };
    honest_raw(vec![sheet])
}

/// An OLE compound file as Excel writes a password-protected workbook: the encrypted package
/// is a stream named `EncryptedPackage`.
fn encrypted_ole() -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(1024, 0);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(4096, 0);
    bytes
}

fn legacy_xls() -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(4096, 0);
    bytes
}

fn zip_encrypted() -> Vec<u8> {
    let sheet = Entry { flags: 1, ..Entry::stored("xl/worksheets/sheet1.xml", sheet_xml("").as_bytes()) };
    honest_raw(vec![sheet])
}

fn unknown_method() -> Vec<u8> {
    let sheet = Entry { method: 12, ..Entry::stored("xl/worksheets/sheet1.xml", sheet_xml("").as_bytes()) };
    honest_raw(vec![sheet])
}

/// An entry honestly declaring 4 GB of zeros (4 MB on disk).
fn bomb_declared() -> Vec<u8> {
    let bomb = deflate_zeros(4_000_000_000);
    let sheet = Entry { size: 4_000_000_000, ..Entry::deflated("xl/worksheets/sheet1.xml", bomb) };
    honest_raw(vec![sheet])
}

/// The same 4 GB of zeros under a declared size of 2 000 bytes, as the sharedStrings part
/// that calamine reads first.
fn bomb_lying() -> Vec<u8> {
    let bomb = deflate_zeros(4_000_000_000);
    let sst = Entry { size: 2_000, ..Entry::deflated("xl/sharedStrings.xml", bomb) };
    honest_raw(vec![sst])
}

/// 15 MB of zeros honestly declared: within the entry size cap, but 1 000 : 1.
fn bomb_ratio() -> Vec<u8> {
    honest_raw(vec![Entry::deflated("xl/media/zeros.bin", deflate_zeros(15 << 20))])
}

/// A worksheet whose real content is a little larger than its declared size.
fn larger_than_declared() -> Vec<u8> {
    let xml = sheet_xml(&rows_xml(&[vec![t("Namn"), t("Datum")]]));
    let mut sheet = Entry::deflated("xl/worksheets/sheet3.xml", deflate(xml.as_bytes()));
    sheet.size -= 10;
    honest_raw(vec![sheet])
}

/// Four entries declaring 15 MB each (ratio 150, under the ratio cap), 60 MB in all.
fn too_big_inflated() -> Vec<u8> {
    let junk: Vec<u8> = (0..105_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let extra = (0..4)
        .map(|i| Entry { size: 15 << 20, method: 8, ..Entry::stored(&format!("xl/media/image{i}.png"), &junk) })
        .collect();
    honest_raw(extra)
}

fn too_big_file() -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.resize(21 << 20, 0);
    bytes
}

/// The end record claims 65 535 entries; the directory has five.
fn cd_count_lie() -> Vec<u8> {
    with_entry_count(honest_raw(Vec::new()), 0xFFFF)
}

/// A ZIP64 end record claiming 2⁴⁰ entries in a 50 TB central directory.
fn zip64_count_lie() -> Vec<u8> {
    with_zip64_counts(honest_raw(Vec::new()), 1 << 40, 50 << 40)
}

fn many_entries() -> Vec<u8> {
    let extra = (0..1_001).map(|i| Entry::stored(&format!("xl/media/e{i}.txt"), b"x")).collect();
    honest_raw(extra)
}

fn sst(head_attrs: &str, prefix: &str) -> Entry {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prefix}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {head_attrs}><si><t>Namn</t></si></sst>"#
    );
    Entry::stored("xl/sharedStrings.xml", xml.as_bytes())
}

/// `uniqueCount="1000000000000"`: calamine would reserve 24 TB up front and abort.
fn unique_count() -> Vec<u8> {
    honest_raw(vec![sst(r#"count="1" uniqueCount="1000000000000""#, "")])
}

/// The same count behind a 5 kB comment and in single quotes (no fixed-size peek finds it).
fn unique_count_hidden() -> Vec<u8> {
    let comment = format!("<!--{}-->", "Excel ".repeat(900));
    honest_raw(vec![sst("uniqueCount = '0001000000000000'", &comment)])
}

/// The count after a DOCTYPE whose internal subset holds quotes and a fake `>`, to fool any
/// tokeniser but quick-xml's own.
fn unique_count_doctype() -> Vec<u8> {
    let doctype = r#"<!DOCTYPE sst [ <!ENTITY a "x>y <c d='"> ]>"#;
    honest_raw(vec![sst(r#"uniqueCount="999999999999""#, doctype)])
}

/// 600 000 empty shared strings (3 MB of XML, 20 kB on disk).
fn many_strings() -> Vec<u8> {
    let head = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let body = deflate_pieces(&[Piece::Literal(head), Piece::Repeat(b"<si/>", 600_000), Piece::Literal(b"</sst>")]);
    honest_raw(vec![Entry::deflated("xl/sharedStrings.xml", body)])
}

/// One font with a 100 kB name and 100 000 cell styles using it: calamine copies the name into
/// every style (10 GB).
fn style_bomb() -> Vec<u8> {
    let body = deflate_pieces(&[
        Piece::Literal(br#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><name val=""#),
        Piece::Repeat(b"F", 100_000),
        Piece::Literal(br#""/></font></fonts><cellXfs count="100000">"#),
        Piece::Repeat(br#"<xf fontId="0"/>"#, 100_000),
        Piece::Literal(b"</cellXfs></styleSheet>"),
    ]);
    honest_raw(vec![Entry::deflated("xl/styles.xml", body)])
}

/// 10 000 sheets all pointing at a relationship whose target is 20 kB long: calamine would
/// build a 20 kB path for each, twice.
fn sheet_list_bomb() -> Vec<u8> {
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/{}.xml"/></Relationships>"#,
        "s".repeat(20_000)
    );
    let head = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#;
    let body = deflate_pieces(&[
        Piece::Literal(head),
        Piece::Repeat(br#"<sheet name="x" r:id="rId1"/>"#, 10_000),
        Piece::Literal(b"</sheets></workbook>"),
    ]);
    honest_raw(vec![
        Entry::stored("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        Entry::deflated("xl/workbook.xml", body),
    ])
}

/// A 30 000-character shared string (Excel's cell limit allows it) referenced by 2 000 cells of
/// the time report: each cell would get its own copy, 60 MB in all (and a million cells 30 GB).
fn text_bomb() -> Vec<u8> {
    let sst = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{}</t></si></sst>"#,
        "T".repeat(30_000)
    );
    let body = deflate_pieces(&[
        Piece::Literal(SHEET_HEAD.as_bytes()),
        Piece::Repeat(br#"<row><c t="s"><v>0</v></c></row>"#, 2_000),
        Piece::Literal(SHEET_TAIL.as_bytes()),
    ]);
    honest_raw(vec![
        Entry::stored("xl/sharedStrings.xml", sst.as_bytes()),
        Entry::deflated("xl/worksheets/sheet3.xml", body),
    ])
}

/// One cell with 40 000 characters, more than Excel lets a cell hold.
fn giant_cell() -> Vec<u8> {
    let xml = sheet_xml(&rows_xml(&[vec![t("Namn"), t(&"å".repeat(40_000))]]));
    honest_raw(vec![Entry::stored("xl/worksheets/sheet3.xml", xml.as_bytes())])
}

/// A cell in row 2 000 000, beyond Excel's last row.
fn outside_grid() -> Vec<u8> {
    let xml = sheet_xml(r#"<row r="2000000"><c r="A2000000"><v>1</v></c></row>"#);
    honest_raw(vec![Entry::stored("xl/worksheets/sheet3.xml", xml.as_bytes())])
}

/// A time report with rows of one cell each (27 bytes a row, the least a data row takes).
fn compact_rows(rows: u64) -> Vec<u8> {
    let header = rows_xml(&[["Namn", "Datum", "Aktivitet", "Timmar"].map(t).to_vec()]);
    let body = deflate_pieces(&[
        Piece::Literal(SHEET_HEAD.as_bytes()),
        Piece::Literal(header.as_bytes()),
        Piece::Repeat(b"<row><c><v>1</v></c></row>", rows),
        Piece::Literal(SHEET_TAIL.as_bytes()),
    ]);
    honest_raw(vec![Entry::deflated("xl/worksheets/sheet3.xml", body)])
}

/// A million rows take at least 27 MB of XML (170 kB on disk): over the entry size cap.
fn million_rows() -> Vec<u8> {
    compact_rows(1_000_000)
}

/// 60 000 rows (1.6 MB of XML): within the size caps, stopped by the row cap.
fn sixty_thousand_rows() -> Vec<u8> {
    compact_rows(60_000)
}

/// A million full time-report rows (210 MB of XML, 1.3 MB on disk): too big to inflate.
fn million_full_rows() -> Vec<u8> {
    let header = rows_xml(&[["Namn", "Datum", "Aktivitet", "Timmar"].map(t).to_vec()]);
    let row = br#"<row><c t="inlineStr"><is><t>Eva Exempel</t></is></c><c t="inlineStr"><is><t>2024-01-15</t></is></c><c t="inlineStr"><is><t>1.1</t></is></c><c><v>1</v></c></row>"#;
    let body = deflate_pieces(&[
        Piece::Literal(SHEET_HEAD.as_bytes()),
        Piece::Literal(header.as_bytes()),
        Piece::Repeat(row, 1_000_000),
        Piece::Literal(SHEET_TAIL.as_bytes()),
    ]);
    honest_raw(vec![Entry::deflated("xl/worksheets/sheet3.xml", body)])
}

/// 100 000 nested elements inside the styles part, which calamine reads whole on opening.
fn deep_xml() -> Vec<u8> {
    let body = deflate_pieces(&[
        Piece::Literal(br#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#),
        Piece::Repeat(b"<x>", 100_000),
        Piece::Repeat(b"</x>", 100_000),
        Piece::Literal(b"</styleSheet>"),
    ]);
    honest_raw(vec![Entry::deflated("xl/styles.xml", body)])
}

/// 100 000 nested elements inside a worksheet, which is only ever streamed.
fn deep_xml_in_sheet() -> Vec<u8> {
    let body = deflate_pieces(&[
        Piece::Literal(SHEET_HEAD.as_bytes()),
        Piece::Repeat(b"<x>", 100_000),
        Piece::Repeat(b"</x>", 100_000),
        Piece::Literal(SHEET_TAIL.as_bytes()),
    ]);
    honest_raw(vec![Entry::deflated("xl/worksheets/sheet3.xml", body)])
}

/// A worksheet cut off in the middle of a tag.
fn broken_xml() -> Vec<u8> {
    let xml = format!("{SHEET_HEAD}<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Namn</t></is></c><c r=");
    honest_raw(vec![Entry::stored("xl/worksheets/sheet3.xml", xml.as_bytes())])
}

/// The workbook part replaced by bytes that are not XML at all.
fn garbage_xml() -> Vec<u8> {
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    honest_raw(vec![Entry::stored("xl/workbook.xml", &junk)])
}

/// A shared string in Latin-1 (`å` as the single byte 0xE5), not UTF-8.
fn not_utf8() -> Vec<u8> {
    let mut xml = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Projektl"#.to_vec();
    xml.push(0xE5);
    xml.extend_from_slice(b"rare</t></si></sst>");
    honest_raw(vec![Entry::stored("xl/sharedStrings.xml", &xml)])
}

/// "Billion laughs": entities defined in a DOCTYPE, used in a shared string.
fn entity_bomb() -> Vec<u8> {
    let mut dtd = String::from(r#"<!DOCTYPE sst [<!ENTITY l0 "ha">"#);
    for i in 1..10 {
        let prev = format!("&l{};", i - 1).repeat(10);
        dtd.push_str(&format!(r#"<!ENTITY l{i} "{prev}">"#));
    }
    dtd.push_str("]>");
    let xml = format!(
        r#"{dtd}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>"#
    );
    honest_raw(vec![Entry::stored("xl/sharedStrings.xml", xml.as_bytes())])
}

fn docx() -> Vec<u8> {
    zip(&[
        Entry::stored("[Content_Types].xml", b"<Types/>"),
        Entry::stored("_rels/.rels", PACKAGE_RELS.replace("xl/workbook.xml", "word/document.xml").as_bytes()),
        Entry::stored("word/document.xml", b"<w:document xmlns:w=\"w\"><w:body/></w:document>"),
        Entry::stored("word/styles.xml", b"<w:styles xmlns:w=\"w\"/>"),
    ])
}

fn ods() -> Vec<u8> {
    zip(&[
        Entry::stored("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        Entry::stored("content.xml", b"<office:document-content/>"),
    ])
}

fn plain_zip() -> Vec<u8> {
    zip(&[Entry::stored("redovisning.txt", b"Timmar januari: 120")])
}

fn csv() -> Vec<u8> {
    "Namn;Datum;Aktivitet;Timmar\nEva Exempel;2024-01-15;1.1;7,5\n".as_bytes().to_vec()
}

fn html() -> Vec<u8> {
    b"\xEF\xBB\xBF<html><body><table><tr><td>Namn</td><td>Timmar</td></tr></table></body></html>".to_vec()
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n".to_vec()
}

// ---------------------------------------------------------------------------------------------
// Unit level: each hostile file through read_workbook

/// Reads `bytes` as `file` and returns the outcome and how long it took.
fn read(bytes: &[u8], file: &str) -> (ReadOutcome, Duration) {
    let start = Instant::now();
    let outcome = read_workbook(bytes, file, &Limits::default());
    (outcome, start.elapsed())
}

/// Whether a message reads as Swedish guidance rather than a bare library error.
fn swedish(message: &str) -> bool {
    ["Filen", "Arbetsboken", "Arbetsbokens", "Bladet", "Cellen"].iter().any(|w| message.starts_with(w))
        && message.chars().any(|c| "åäöÅÄÖ".contains(c))
}

fn assert_unreadable(case: &Case) {
    let file = format!("harnosand/{}.xlsx", case.name);
    let bytes = (case.build)();
    let (outcome, took) = read(&bytes, &file);
    assert!(outcome.workbook.is_none(), "{}: a workbook was read", case.name);
    let [finding] = outcome.findings.as_slice() else {
        panic!("{}: expected one finding, got {:#?}", case.name, outcome.findings)
    };
    assert_eq!(finding.code, Code::FileUnreadable, "{}: {finding:?}", case.name);
    assert_eq!(finding.place.file.as_deref(), Some(file.as_str()));
    assert!(finding.place.sheet.is_none() && finding.place.cell.is_none(), "{}: {finding:?}", case.name);
    assert!(swedish(&finding.message), "{}: not a Swedish message: {}", case.name, finding.message);
    assert!(
        finding.message.contains(case.reason),
        "{}: stopped for another reason than «{}»: {}",
        case.name,
        case.reason,
        finding.message
    );
    eprintln!("{}: {} kB, rejected in {took:?}", case.name, bytes.len() / 1024);
    assert!(took < TOO_SLOW, "{}: took {took:?}", case.name);
}

macro_rules! unreadable_tests {
    ($($test:ident => $name:literal,)*) => {$(
        #[test]
        fn $test() {
            let case = CASES.iter().find(|c| c.name == $name).expect("case exists");
            assert_unreadable(case);
        }
    )*
    #[test]
    fn every_case_has_a_unit_test() {
        let tested = [$($name),*];
        for case in CASES {
            assert!(tested.contains(&case.name), "no unit test for {}", case.name);
        }
    }};
}

unreadable_tests! {
    empty_file => "tom",
    truncated_zip => "avkortad",
    checksum_mismatch => "fel-kontrollsumma",
    corrupt_deflate_stream => "trasig-deflate",
    password_protected_ole => "krypterad",
    legacy_xls_renamed => "gammal-xls",
    zip_entry_encrypted => "zip-krypterad",
    unknown_compression_method => "okand-komprimering",
    bomb_declaring_4_gb => "bomb-uppger-4gb",
    bomb_lying_about_its_size => "bomb-ljuger-om-storlek",
    bomb_by_compression_ratio => "bomb-packningsgrad",
    entry_larger_than_declared => "storre-an-uppgivet",
    too_big_when_inflated => "for-stor-uppackad",
    file_too_big => "for-stor-fil",
    central_directory_entry_count_lie => "katalog-antal",
    zip64_entry_count_lie => "zip64-antal",
    too_many_entries => "manga-delar",
    shared_strings_unique_count => "unique-count",
    shared_strings_unique_count_hidden => "unique-count-gomd",
    shared_strings_unique_count_after_doctype => "unique-count-doctype",
    over_half_a_million_shared_strings => "manga-texter",
    style_copies_bomb => "stilbomb",
    sheet_list_copies_bomb => "bladbomb",
    shared_string_referenced_by_every_cell => "textbomb",
    cell_longer_than_excel_allows => "jattecell",
    cell_outside_excel_grid => "utanfor-rutnatet",
    sheet_with_a_million_rows => "miljon-rader",
    sheet_over_the_row_cap => "sextiotusen-rader",
    sheet_with_a_million_full_rows => "miljon-fulla-rader",
    deeply_nested_xml => "djup-xml",
    truncated_xml => "trasig-xml",
    garbage_instead_of_xml => "skrap-xml",
    text_not_utf8 => "inte-utf8",
    entity_expansion_bomb => "entitetsbomb",
    word_document_renamed => "word-dokument",
    opendocument_renamed => "opendocument",
    zip_without_workbook => "zip-utan-arbetsbok",
    csv_renamed => "csv",
    html_renamed => "html",
    pdf_renamed => "pdf",
}

// ---------------------------------------------------------------------------------------------
// Odd but honest: read in full

/// The guard looks at the parts calamine reads on opening; worksheets are streamed under the
/// reader's budgets. A worksheet's checksum is therefore not compared (calamine stops reading
/// at `</sheetData>`): intact data under a wrong checksum is read like any other, and every
/// value still goes through the reader's checks. Its deflate stream, when broken, is caught
/// (`corrupt_deflate_stream`).
#[test]
fn a_worksheet_whose_checksum_alone_is_wrong_is_read() {
    let (outcome, _) = read(&bad_crc_in_sheet(), "harnosand/crc.xlsx");
    assert_eq!(time_rows(&outcome), 2);
}

/// Deep nesting inside a worksheet costs no recursion: the cell reader streams events.
#[test]
fn deep_nesting_inside_a_worksheet_is_bounded() {
    let (outcome, took) = read(&deep_xml_in_sheet(), "harnosand/djup.xlsx");
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(outcome.workbook.is_some() || outcome.findings.iter().any(|f| f.code == Code::FileUnreadable));
}

fn time_rows(outcome: &ReadOutcome) -> usize {
    assert!(
        outcome.findings.iter().all(|f| f.code != Code::FileUnreadable),
        "unexpectedly unreadable: {:#?}",
        outcome.findings
    );
    outcome.workbook.as_ref().map_or(0, |w| w.time.len())
}

#[test]
fn the_raw_builder_makes_a_readable_workbook() {
    // Every hostile variant starts from this workbook, so the reasons above are the variants'.
    let (outcome, _) = read(&honest_raw(Vec::new()), "harnosand/ok.xlsx");
    assert_eq!(time_rows(&outcome), 2);
    let wb = outcome.workbook.unwrap();
    assert_eq!(wb.staff.len(), 1);
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
    // Deflated through the test's own encoder, too.
    let sheet = sheet_xml(&rows_xml(&[["Namn", "Datum", "Aktivitet", "Timmar"].map(t).to_vec()]));
    let (outcome, _) =
        read(&honest_raw(vec![Entry::deflated("xl/worksheets/sheet3.xml", deflate(sheet.as_bytes()))]), "x.xlsx");
    assert_eq!(time_rows(&outcome), 0);
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
}

#[test]
fn the_zero_bomb_encoder_inflates_to_zeros() {
    // The bombs are only meaningful if the stream really inflates: read one back through zip.
    let bomb = deflate_zeros(1_000_000);
    assert!(bomb.bytes.len() < 1_100, "{} bytes", bomb.bytes.len());
    let bytes = zip(&[Entry::deflated("zeros.bin", bomb)]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_index(0).unwrap(), &mut out).unwrap();
    assert_eq!(out.len(), 1_000_000);
    assert!(out.iter().all(|b| *b == 0));
}

#[test]
fn a_sheet_claiming_the_whole_grid_with_cells_at_both_corners_is_read() {
    let mut rows = contract_sheets("Härnösands kommun", "212000-2403", &eva(), &[7.5, 8.0]).remove(2).1;
    rows[0].push(t("Kommentar"));
    let corner = cell_xml(1_048_575, 16_383, &t("hörnet"));
    let xml = sheet_xml(&format!("{}<row r=\"1048576\">{corner}</row>", rows_xml(&rows)))
        .replace("<sheetData>", r#"<dimension ref="A1:XFD1048576"/><sheetData>"#);
    let (outcome, took) = read(&honest_raw(vec![Entry::stored("xl/worksheets/sheet3.xml", xml.as_bytes())]), "x.xlsx");
    assert_eq!(time_rows(&outcome), 2);
    assert!(took < TOO_SLOW);
}

#[test]
fn formatted_empty_rows_after_the_data_are_read_quickly() {
    let rows = contract_sheets("Härnösands kommun", "212000-2403", &eva(), &[7.5, 8.0]).remove(2).1;
    let data = rows_xml(&rows);
    let body = deflate_pieces(&[
        Piece::Literal(SHEET_HEAD.as_bytes()),
        Piece::Literal(data.as_bytes()),
        // 100 000 rows, 3 MB of XML: read to the end, since nothing in them counts.
        Piece::Repeat(br#"<row><c s="0"/><c s="0"/></row>"#, 100_000),
        Piece::Literal(SHEET_TAIL.as_bytes()),
    ]);
    let (outcome, took) = read(&honest_raw(vec![Entry::deflated("xl/worksheets/sheet3.xml", body)]), "x.xlsx");
    assert_eq!(time_rows(&outcome), 2);
    assert!(took < TOO_SLOW, "took {took:?}");
}

#[test]
fn a_central_directory_size_that_lies_still_reads_when_the_entries_are_sound() {
    let mut bytes = honest_raw(Vec::new());
    let at = bytes.len() - 22;
    bytes[at + 12..at + 16].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    // zip looks for the directory's first header where the declared size cannot be right, and
    // its entries are sound: the workbook is read as it is.
    let (outcome, took) = read(&bytes, "x.xlsx");
    assert_eq!(time_rows(&outcome), 2);
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
    assert!(took < TOO_SLOW);
}

fn eva() -> Person {
    Person::new("Eva Exempel", 1980, 5, 17, 41_500.0)
}

/// 25 people × 200 rows of half an hour: 5 000 rows, 100 hours each.
fn big_team() -> Vec<Person> {
    (0..25).map(|i| Person::new(&format!("Person {i:02} Projektsson"), 1970 + i, 3, 1 + i as u32, 34_400.0)).collect()
}

#[test]
fn a_big_honest_time_report_of_5000_rows_is_read_in_full() {
    let bytes = honest_workbook("Kramfors kommun", "212000-2429", &big_team(), 200, 0.5);
    let (outcome, took) = read(&bytes, "kramfors/januari.xlsx");
    assert_eq!(time_rows(&outcome), 5_000);
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
    eprintln!("5 000-row workbook: {} kB, read in {took:?}", bytes.len() / 1024);
}

#[test]
fn a_workbook_with_twenty_thousand_cell_styles_is_read() {
    // Style-heavy but honest: the census's memory estimate must leave room for it (Excel's own
    // limit is 64 000 cell formats).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Formatmallar").unwrap();
    for i in 0..20_000u32 {
        let format = rust_xlsxwriter::Format::new().set_num_format(format!("0.00 \"kr {i}\""));
        sheet.write_number_with_format(i, 0, f64::from(i), &format).unwrap();
    }
    let info = wb.add_worksheet();
    info.set_name("Uppgifter").unwrap();
    for (r, (label, value)) in
        [("Projektpart", "Härnösands kommun"), ("Organisationsnummer", "212000-2403"), ("Period", "2024-01")]
            .iter()
            .enumerate()
    {
        info.write_string(r as u32, 0, *label).unwrap();
        info.write_string(r as u32, 1, *value).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let (outcome, took) = read(&bytes, "harnosand/formatmallar.xlsx");
    assert_eq!(time_rows(&outcome), 0);
    let wb = outcome.workbook.unwrap();
    assert_eq!(wb.info.org_nr.map(|o| o.to_string()).as_deref(), Some("212000-2403"));
    eprintln!("20 000 cell styles, {} kB: read in {took:?}", bytes.len() / 1024);
}

// ---------------------------------------------------------------------------------------------
// End to end: the binary on an inbox with hostile and honest workbooks

/// Peak resident memory of a process, from `/proc/<pid>/status` (`VmHWM`), in kB.
fn vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn project_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hallbar-samhallsomstallning/project.toml");
    std::fs::copy(fixture, dir.path().join("project.toml")).unwrap();
    let inbox = dir.path().join("inkorg");
    for folder in ["harnosand", "kramfors", "solleftea", "sundsvall"] {
        std::fs::create_dir_all(inbox.join(folder)).unwrap();
    }
    // Honest workbooks.
    let eva = eva();
    let small = honest_workbook("Härnösands kommun", "212000-2403", std::slice::from_ref(&eva), 5, 7.5);
    std::fs::write(inbox.join("harnosand/januari.xlsx"), small).unwrap();
    let big = honest_workbook("Kramfors kommun", "212000-2429", &big_team(), 200, 0.5);
    std::fs::write(inbox.join("kramfors/januari.xlsx"), big).unwrap();
    // Every hostile file, spread over two other partners' folders.
    for (i, case) in CASES.iter().enumerate() {
        std::fs::write(inbox.join(hostile_path(i, case)), (case.build)()).unwrap();
    }
    dir
}

/// Where the `i`th hostile file lies in the inbox.
fn hostile_path(i: usize, case: &Case) -> String {
    let folder = if i.is_multiple_of(2) { "solleftea" } else { "sundsvall" };
    format!("{folder}/{}.xlsx", case.name)
}

#[test]
fn a_run_over_hostile_files_reads_every_honest_workbook() {
    let dir = project_dir();
    let out = dir.path().join("utdata");
    let start = Instant::now();
    let output = Command::new(assert_cmd::cargo::cargo_bin("redovisa"))
        .args(["run"])
        .arg(dir.path())
        .args(["--from", "2024-01", "--to", "2024-01", "--json", "--today", "2026-11-26", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(101), "the binary panicked: {stderr}");
    assert!(output.status.code().is_some(), "the binary was killed: {:?}\n{stderr}", output.status);
    // Outputs may still be scaffolds while other work lands: then `run` stops with status 2
    // before writing, and the figures are checked in-process below instead.
    let summary: Option<serde_json::Value> = match output.status.code() {
        Some(1) => Some(serde_json::from_slice(&output.stdout).unwrap()),
        Some(2) if stderr.contains("redovisa:") => None,
        other => panic!("unexpected exit status {other:?}: {stderr}"),
    };
    if summary.is_some() {
        assert!(out.join("summary.json").is_file(), "exit status 1 but no summary.json written");
    }
    eprintln!("redovisa run: exit status {:?}", output.status.code());
    let summary = summary.unwrap_or_else(|| evaluate_in_process(dir.path()));
    check_summary(&summary);
    eprintln!("run over {} hostile and 2 honest workbooks: {took:?}", CASES.len());
}

/// What `run` would print as `summary.json`, computed by the library.
fn evaluate_in_process(dir: &Path) -> serde_json::Value {
    use redovisa::pipeline::{Options, evaluate};
    let project = redovisa::project::Project::load(dir).unwrap();
    let ledger = redovisa::ledger::Ledger::load(dir).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let month = "2024-01".parse().unwrap();
    let opts = Options { from: Some(month), to: Some(month), ..Options::claim(today) };
    let evaluation = evaluate(&project, &opts, &ledger).unwrap();
    serde_json::from_slice(&redovisa::emit::summary::render(&evaluation.figures)).unwrap()
}

fn check_summary(summary: &serde_json::Value) {
    let findings = summary["findings"].as_array().unwrap();
    for (i, case) in CASES.iter().enumerate() {
        let file = hostile_path(i, case);
        let unreadable: Vec<_> = findings.iter().filter(|f| f["file"] == file.as_str()).collect();
        assert!(
            unreadable
                .iter()
                .any(|f| f["code"] == "FILE_UNREADABLE"
                    && f["message"].as_str().is_some_and(|m| m.contains(case.reason))),
            "{file}: {unreadable:#?}"
        );
    }
    let partner =
        |name: &str| summary["partners"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned().unwrap();
    // Härnösand: Eva Exempel, 5 × 7.5 = 37.5 hours at 41 500 kr a month, on-costs 40.15 %.
    //   rate0 = 41 500 × 12 / 1 720 = 289.534883…
    //   lön = 37.5 × 289.534883… = 10 857.558… → 10 857.56
    //   lönebikostnad = 10 857.56 × 0.4015 = 4 359.310… → 4 359.31
    //   personalkostnad = 15 216.87
    let harnosand = partner("Härnösands kommun");
    assert_eq!(harnosand["staff_costs"], "15216.87", "{harnosand:#}");
    // Kramfors: 25 people × 200 rows × 0.5 h = 100 hours each at 34 400 kr, on-costs 40.15 %.
    //   rate0 = 34 400 × 12 / 1 720 = 240; lön = 24 000.00; lönebikostnad = 9 636.00
    //   per person 33 636.00, × 25 = 840 900.00 (a single lost row would cost 168.18 kr)
    let kramfors = partner("Kramfors kommun");
    assert_eq!(kramfors["staff_costs"], "840900.00", "{kramfors:#}");
    assert_eq!(kramfors["hours"], "2500", "{kramfors:#}");
}

/// Child mode of the memory test: evaluate the inbox named by the environment in this process,
/// then report this process's peak resident memory. Ignored in a normal run (the parent runs it
/// with `--ignored`); run on its own it fails, as a test that cannot fail proves nothing.
#[test]
#[ignore = "the child process of reading_every_hostile_file_in_one_process_peaks_under_1_gib"]
fn memory_child() {
    let dir = std::env::var("REDOVISA_HOSTILE_DIR")
        .expect("memory_child runs only as the child of the memory test (REDOVISA_HOSTILE_DIR unset)");
    let summary = evaluate_in_process(Path::new(&dir));
    check_summary(&summary);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    println!("VmHWM_KB={}", vm_hwm(&status).unwrap());
}

#[test]
fn reading_every_hostile_file_in_one_process_peaks_under_1_gib() {
    // Measured as the peak resident memory (VmHWM) of a fresh process that reads the whole
    // inbox: this test binary re-run in child mode, which needs no libc and no /usr/bin/time.
    if std::fs::read_to_string("/proc/self/status").ok().and_then(|s| vm_hwm(&s)).is_none() {
        if cfg!(target_os = "linux") {
            panic!("Linux has /proc/self/status with VmHWM; the bound must be measured");
        }
        eprintln!("no /proc/self/status VmHWM on this system; memory bound not measured");
        return;
    }
    let dir = project_dir();
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "memory_child", "--ignored", "--nocapture", "--test-threads", "1"])
        .env("REDOVISA_HOSTILE_DIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let kb: u64 = stdout
        .lines()
        .find_map(|l| l.split("VmHWM_KB=").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no measurement in {stdout}"));
    eprintln!("peak resident memory reading the hostile inbox: {} MB", kb / 1024);
    assert!(kb < 1 << 20, "peak resident memory {kb} kB");
}

// ---------------------------------------------------------------------------------------------
// Readable files with hostile values, and hostile things that are not files

/// A project folder with Härnösand's inbox holding `files` (name, bytes).
fn inbox_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hallbar-samhallsomstallning/project.toml");
    std::fs::copy(fixture, dir.path().join("project.toml")).unwrap();
    std::fs::create_dir_all(dir.path().join("inkorg/harnosand")).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join("inkorg/harnosand").join(name), bytes).unwrap();
    }
    dir
}

/// Evaluates in a thread and fails, rather than hangs, when that takes too long.
fn evaluate_within(dir: &Path, limit: Duration) -> serde_json::Value {
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(|| evaluate_in_process(&dir)));
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(summary)) => summary,
        Ok(Err(_)) => panic!("the run panicked"),
        Err(_) => panic!("the run did not finish within {limit:?}"),
    }
}

#[test]
fn absurd_numbers_are_bad_values_and_never_overflow_the_run() {
    // A salary of 7·10²⁸ kr once overflowed exact decimal arithmetic in reconcile and took the
    // whole run down; 10²⁷ hours did the same through the hourly cost.
    let mut rich = eva();
    rich.salary = 7.0e28;
    let cases = [
        ("lon.xlsx", honest_workbook("Härnösands kommun", "212000-2403", &[rich], 1, 8.0)),
        ("timmar.xlsx", honest_workbook("Härnösands kommun", "212000-2403", &[eva()], 1, 1.0e27)),
    ];
    for (name, bytes) in cases {
        let dir = inbox_with(&[(name, bytes)]);
        let summary = evaluate_within(dir.path(), TOO_SLOW);
        let findings = summary["findings"].as_array().unwrap();
        assert!(
            findings.iter().any(|f| f["code"] == "BAD_VALUE"
                && f["message"].as_str().is_some_and(|m| m.contains("orimligt"))
                && f["file"] == format!("harnosand/{name}").as_str()),
            "{name}: {findings:#?}"
        );
        let harnosand = summary["partners"].as_array().unwrap().iter().find(|p| p["folder"] == "harnosand").unwrap();
        assert_eq!(harnosand["staff_costs"], "0.00", "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_a_device_or_a_named_pipe_in_the_inbox_is_not_opened() {
    let small = honest_workbook("Härnösands kommun", "212000-2403", &[eva()], 5, 7.5);
    let dir = inbox_with(&[("januari.xlsx", small)]);
    let folder = dir.path().join("inkorg/harnosand");
    // /dev/zero never ends: reading it whole would fill memory.
    std::os::unix::fs::symlink("/dev/zero", folder.join("noll.xlsx")).unwrap();
    // Opening a pipe nobody writes to blocks forever.
    let fifo = Command::new("mkfifo").arg(folder.join("ror.xlsx")).status().is_ok_and(|s| s.success());
    let summary = evaluate_within(dir.path(), TOO_SLOW);
    let findings = summary["findings"].as_array().unwrap();
    let names: &[&str] = if fifo { &["noll.xlsx", "ror.xlsx"] } else { &["noll.xlsx"] };
    for name in names {
        assert!(
            findings
                .iter()
                .any(|f| f["code"] == "FILE_UNREADABLE" && f["file"] == format!("harnosand/{name}").as_str()),
            "{name}: {findings:#?}"
        );
    }
    let harnosand = summary["partners"].as_array().unwrap().iter().find(|p| p["folder"] == "harnosand").unwrap();
    assert_eq!(harnosand["staff_costs"], "15216.87");
}
