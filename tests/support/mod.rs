//! Test support shared by the integration tests (`mod support;`).
//!
//! - [`Book`] / [`Sheet`] / [`Cell`]: a small xlsx writer on the `zip` crate that writes
//!   worksheets cell by cell, with strings either in a shared-string table (as Excel does) or
//!   inline (`t="inlineStr"`, as many other tools do), number cells in a few number formats
//!   ([`Fmt`]: percent, time, duration, date, amount, and Excel's built-in ids), booleans, error
//!   cells (`#REF!`) and formulas with a cached value. Tests build exactly the cell types the
//!   tolerance rules talk about, independently of the crate's own writer.
//! - Builders for a valid partner workbook ([`valid_book`], [`info_sheet`], [`personal_sheet`],
//!   [`table`]) with known people and hours, to be broken one cell at a time.
//! - Reading helpers ([`read`], [`check`]) running the crate's reader and row checks against the
//!   seed project, and xlsx inspection and filling helpers ([`zip_text`], [`sheet_xml`],
//!   [`fill`], [`cell_number_format`]) for files written by someone else (the template).
//! - [`docx_to_pdf`] and [`poppler`]: a report through LibreOffice and poppler, skipped (saying
//!   so) where they are not installed unless CI requires them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use redovisa::finding::{Finding, Severity, sort_findings};
use redovisa::project::Project;
use redovisa::read::{Limits, ReadOutcome, Workbook, read_workbook};

/// How a workbook stores its text cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strings {
    /// A shared-string table, `t="s"` cells (Excel).
    Shared,
    /// `t="inlineStr"` cells (LibreOffice exports, many generators).
    Inline,
}

/// Both string modes, for tests that must hold in each.
pub const BOTH: [Strings; 2] = [Strings::Shared, Strings::Inline];

/// A number format of [`styles_xml`], by cell style index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    General,
    /// Custom `0%`.
    Percent,
    /// Custom `h:mm`.
    Time,
    /// Custom `[h]:mm`.
    Duration,
    /// Custom `yyyy-mm-dd`.
    Date,
    /// Built-in id 9 (`0%`).
    BuiltinPercent,
    /// Built-in id 20 (`h:mm`).
    BuiltinTime,
    /// Built-in id 14 (short date).
    BuiltinDate,
    /// Custom `#,##0.00 "kr"`.
    Amount,
    /// Custom `0 %` (with a space, as a Swedish template writes it).
    PercentSpace,
}

impl Fmt {
    const ALL: [Fmt; 10] = [
        Fmt::General,
        Fmt::Percent,
        Fmt::Time,
        Fmt::Duration,
        Fmt::Date,
        Fmt::BuiltinPercent,
        Fmt::BuiltinTime,
        Fmt::BuiltinDate,
        Fmt::Amount,
        Fmt::PercentSpace,
    ];

    fn style(self) -> usize {
        Fmt::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    fn num_fmt_id(self) -> u32 {
        match self {
            Fmt::General => 0,
            Fmt::Percent => 164,
            Fmt::Time => 165,
            Fmt::Duration => 166,
            Fmt::Date => 167,
            Fmt::BuiltinPercent => 9,
            Fmt::BuiltinTime => 20,
            Fmt::BuiltinDate => 14,
            Fmt::Amount => 168,
            Fmt::PercentSpace => 169,
        }
    }
}

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing is written (a gap in a row).
    Empty,
    Text(String),
    Number(f64, Fmt),
    Bool(bool),
    /// An Excel error value such as `#REF!`.
    Error(String),
    /// A formula (without `=`) with its cached result.
    Formula(String, Box<Cell>),
    /// Text in formatted runs (`<r><t>…</t></r>`), as Excel writes a partly bold header.
    Rich(Vec<String>),
    /// An ISO 8601 date cell (`t="d"`), as some generators write dates.
    Iso(String),
}

/// Text cell.
pub fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}
/// Number cell, general format.
pub fn n(v: f64) -> Cell {
    Cell::Number(v, Fmt::General)
}
/// Number cell in a format.
pub fn nf(v: f64, fmt: Fmt) -> Cell {
    Cell::Number(v, fmt)
}
/// A fraction in a `0%` cell (0.5 shows as 50%).
pub fn pct(v: f64) -> Cell {
    Cell::Number(v, Fmt::Percent)
}
/// A fraction of a day in an `h:mm` cell (0.3125 shows as 7:30).
pub fn time(v: f64) -> Cell {
    Cell::Number(v, Fmt::Time)
}
/// Days in a `[h]:mm` cell (1.5 shows as 36:00).
pub fn duration(v: f64) -> Cell {
    Cell::Number(v, Fmt::Duration)
}
/// A date cell (`yyyy-mm-dd`).
pub fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::Number(serial(y, m, d), Fmt::Date)
}
/// An error cell.
pub fn err(e: &str) -> Cell {
    Cell::Error(e.to_string())
}
/// A formula cell with its cached value.
pub fn formula(f: &str, cached: Cell) -> Cell {
    Cell::Formula(f.to_string(), Box::new(cached))
}
/// Text in formatted runs.
pub fn rich(runs: &[&str]) -> Cell {
    Cell::Rich(runs.iter().map(|r| r.to_string()).collect())
}
/// An ISO 8601 date cell.
pub fn iso(s: &str) -> Cell {
    Cell::Iso(s.to_string())
}
/// Nothing.
pub fn empty() -> Cell {
    Cell::Empty
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        t(s)
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        n(v)
    }
}

/// The Excel serial number of a date (1900 date system).
pub fn serial(y: i32, m: u32, d: u32) -> f64 {
    let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (day - epoch).num_days() as f64
}

/// `D14` → (13, 3), 0-based.
pub fn pos(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: u32 = cell[letters.len()..].parse().unwrap();
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    (row - 1, col - 1)
}

/// (13, 3) → `D14`.
pub fn cell_name(row: u32, col: u32) -> String {
    redovisa::finding::cell_ref(row, col)
}

/// A worksheet: a name and cells by (row, column), 0-based.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Cell>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet { name: name.to_string(), cells: BTreeMap::new() }
    }

    /// Sets the cell at an Excel reference (`D14`); [`Cell::Empty`] clears it.
    pub fn set(&mut self, at: &str, cell: impl Into<Cell>) -> &mut Sheet {
        let (r, c) = pos(at);
        self.set_rc(r, c, cell)
    }

    /// Sets the cell at 0-based row and column.
    pub fn set_rc(&mut self, row: u32, col: u32, cell: impl Into<Cell>) -> &mut Sheet {
        match cell.into() {
            Cell::Empty => {
                self.cells.remove(&(row, col));
            }
            cell => {
                self.cells.insert((row, col), cell);
            }
        }
        self
    }

    /// Writes `cells` rightwards from `at`.
    pub fn put_row(&mut self, at: &str, cells: Vec<Cell>) -> &mut Sheet {
        let (r, c) = pos(at);
        for (i, cell) in cells.into_iter().enumerate() {
            self.set_rc(r, c + i as u32, cell);
        }
        self
    }

    pub fn get(&self, at: &str) -> Option<&Cell> {
        self.cells.get(&pos(at))
    }

    /// Removes every cell of a 1-based Excel row.
    pub fn clear_row(&mut self, row: u32) -> &mut Sheet {
        self.cells.retain(|(r, _), _| *r != row - 1);
        self
    }
}

/// A table sheet: `headers` rightwards from `at`, then `rows` below it.
pub fn table(name: &str, at: &str, headers: &[&str], rows: Vec<Vec<Cell>>) -> Sheet {
    let mut s = Sheet::new(name);
    let (r, c) = pos(at);
    s.put_row(at, headers.iter().map(|h| t(h)).collect());
    for (i, row) in rows.into_iter().enumerate() {
        s.put_row(&cell_name(r + 1 + i as u32, c), row);
    }
    s
}

/// A workbook under construction.
#[derive(Debug, Clone, Default)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

impl Book {
    pub fn new() -> Book {
        Book::default()
    }

    /// Adds a sheet (builder style).
    pub fn with(mut self, sheet: Sheet) -> Book {
        self.sheets.push(sheet);
        self
    }

    /// The sheet with this exact name.
    pub fn sheet(&mut self, name: &str) -> &mut Sheet {
        let names: Vec<String> = self.sheets.iter().map(|s| s.name.clone()).collect();
        self.sheets.iter_mut().find(|s| s.name == name).unwrap_or_else(|| panic!("no sheet {name} in {names:?}"))
    }

    /// Replaces the sheet with the same name, or adds it.
    pub fn replace(&mut self, sheet: Sheet) -> &mut Book {
        match self.sheets.iter_mut().find(|s| s.name == sheet.name) {
            Some(s) => *s = sheet,
            None => self.sheets.push(sheet),
        }
        self
    }

    pub fn remove(&mut self, name: &str) -> &mut Book {
        self.sheets.retain(|s| s.name != name);
        self
    }

    pub fn rename(&mut self, from: &str, to: &str) -> &mut Book {
        self.sheet(from).name = to.to_string();
        self
    }

    /// The `.xlsx` bytes.
    pub fn xlsx(&self, strings: Strings) -> Vec<u8> {
        let mut sst = SharedStrings::default();
        let sheets: Vec<String> = self
            .sheets
            .iter()
            .map(|s| {
                let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
                for (&(r, c), cell) in &s.cells {
                    let shared = (strings == Strings::Shared).then_some(&mut sst);
                    rows.entry(r).or_default().push(cell_xml(&cell_name(r, c), cell, None, shared));
                }
                let body: String =
                    rows.into_iter().map(|(r, cells)| format!("<row r=\"{}\">{}</row>", r + 1, cells.concat())).collect();
                format!("{XML_HEAD}<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheetData>{body}</sheetData></worksheet>")
            })
            .collect();
        let n = sheets.len();
        let mut parts: Vec<(String, String)> = Vec::new();
        let mut types = String::new();
        for i in 1..=n {
            types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
        }
        let has_sst = strings == Strings::Shared;
        if has_sst {
            types.push_str("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
        }
        parts.push((
            "[Content_Types].xml".into(),
            format!(
                "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
                 {types}</Types>"
            ),
        ));
        parts.push((
            "_rels/.rels".into(),
            format!(
                "{XML_HEAD}<Relationships xmlns=\"{PKG_REL_NS}\"><Relationship Id=\"rId1\" \
                 Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ));
        let sheet_list: String = self
            .sheets
            .iter()
            .enumerate()
            .map(|(i, s)| format!("<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>", escape(&s.name), i + 1, i + 1))
            .collect();
        parts.push((
            "xl/workbook.xml".into(),
            format!(
                "{XML_HEAD}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>{sheet_list}</sheets></workbook>"
            ),
        ));
        let mut rels: String = (1..=n)
            .map(|i| {
                format!("<Relationship Id=\"rId{i}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>")
            })
            .collect();
        rels.push_str(&format!("<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/>", n + 1));
        if has_sst {
            rels.push_str(&format!(
                "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/sharedStrings\" Target=\"sharedStrings.xml\"/>",
                n + 2
            ));
        }
        parts.push((
            "xl/_rels/workbook.xml.rels".into(),
            format!("{XML_HEAD}<Relationships xmlns=\"{PKG_REL_NS}\">{rels}</Relationships>"),
        ));
        parts.push(("xl/styles.xml".into(), styles_xml()));
        for (i, xml) in sheets.into_iter().enumerate() {
            parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), xml));
        }
        if has_sst {
            parts.push(("xl/sharedStrings.xml".into(), sst.xml()));
        }
        zip_parts(&parts)
    }
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A shared-string table in first-use order.
#[derive(Default)]
struct SharedStrings {
    strings: Vec<String>,
    index: BTreeMap<String, usize>,
    count: usize,
}

impl SharedStrings {
    /// Adds the `<si>` content (`<t>…</t>` or runs) and returns its index.
    fn add(&mut self, item: String) -> usize {
        self.count += 1;
        if let Some(&i) = self.index.get(&item) {
            return i;
        }
        self.strings.push(item.clone());
        self.index.insert(item, self.strings.len() - 1);
        self.strings.len() - 1
    }

    fn xml(&self) -> String {
        let items: String = self.strings.iter().map(|s| format!("<si>{s}</si>")).collect();
        format!(
            "{XML_HEAD}<sst xmlns=\"{MAIN_NS}\" count=\"{}\" uniqueCount=\"{}\">{items}</sst>",
            self.count,
            self.strings.len()
        )
    }
}

/// The XML of one cell. `style` overrides the cell's own format (used when filling a workbook
/// whose styles we did not write); without a shared-string table, text is written inline.
fn cell_xml(at: &str, cell: &Cell, style: Option<&str>, sst: Option<&mut SharedStrings>) -> String {
    let style_of = |fmt: Fmt| match style {
        Some(s) => format!(" s=\"{s}\""),
        None if fmt == Fmt::General => String::new(),
        None => format!(" s=\"{}\"", fmt.style()),
    };
    let plain = style_of(Fmt::General);
    let string = |content: String, sst: Option<&mut SharedStrings>| match sst {
        Some(sst) => format!("<c r=\"{at}\"{plain} t=\"s\"><v>{}</v></c>", sst.add(content)),
        None => format!("<c r=\"{at}\"{plain} t=\"inlineStr\"><is>{content}</is></c>"),
    };
    match cell {
        Cell::Empty => format!("<c r=\"{at}\"{plain}/>"),
        Cell::Text(s) => string(format!("<t xml:space=\"preserve\">{}</t>", escape(s)), sst),
        Cell::Rich(runs) => {
            let runs: String = runs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let bold =
                        if i % 2 == 0 { "<rPr><b/><sz val=\"11\"/></rPr>" } else { "<rPr><sz val=\"11\"/></rPr>" };
                    format!("<r>{bold}<t xml:space=\"preserve\">{}</t></r>", escape(r))
                })
                .collect();
            string(runs, sst)
        }
        Cell::Iso(s) => {
            let style = style.map_or_else(|| Fmt::Date.style().to_string(), str::to_string);
            format!("<c r=\"{at}\" s=\"{style}\" t=\"d\"><v>{}</v></c>", escape(s))
        }
        Cell::Number(v, fmt) => format!("<c r=\"{at}\"{}><v>{v}</v></c>", style_of(*fmt)),
        Cell::Bool(b) => format!("<c r=\"{at}\"{plain} t=\"b\"><v>{}</v></c>", u8::from(*b)),
        Cell::Error(e) => format!("<c r=\"{at}\"{plain} t=\"e\"><v>{}</v></c>", escape(e)),
        Cell::Formula(f, cached) => {
            let f = escape(f.trim_start_matches('='));
            match cached.as_ref() {
                Cell::Text(s) => format!("<c r=\"{at}\"{plain} t=\"str\"><f>{f}</f><v>{}</v></c>", escape(s)),
                Cell::Number(v, fmt) => format!("<c r=\"{at}\"{}><f>{f}</f><v>{v}</v></c>", style_of(*fmt)),
                Cell::Bool(b) => format!("<c r=\"{at}\"{plain} t=\"b\"><f>{f}</f><v>{}</v></c>", u8::from(*b)),
                Cell::Error(e) => format!("<c r=\"{at}\"{plain} t=\"e\"><f>{f}</f><v>{}</v></c>", escape(e)),
                Cell::Empty | Cell::Formula(..) | Cell::Rich(_) | Cell::Iso(_) => {
                    format!("<c r=\"{at}\"{plain}><f>{f}</f></c>")
                }
            }
        }
    }
}

fn styles_xml() -> String {
    let custom = [
        (164, "0%"),
        (165, "h:mm"),
        (166, "[h]:mm"),
        (167, "yyyy-mm-dd"),
        (168, "#,##0.00\\ &quot;kr&quot;"),
        (169, "0\\ %"),
    ];
    let num_fmts: String =
        custom.iter().map(|(id, code)| format!("<numFmt numFmtId=\"{id}\" formatCode=\"{code}\"/>")).collect();
    let xfs: String = Fmt::ALL
        .iter()
        .map(|f| {
            let apply = if *f == Fmt::General { "" } else { " applyNumberFormat=\"1\"" };
            format!("<xf numFmtId=\"{}\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"{apply}/>", f.num_fmt_id())
        })
        .collect();
    format!(
        "{XML_HEAD}<styleSheet xmlns=\"{MAIN_NS}\"><numFmts count=\"{}\">{num_fmts}</numFmts>\
         <fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
         <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
         <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
         <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
         <cellXfs count=\"{}\">{xfs}</cellXfs>\
         <cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>",
        custom.len(),
        Fmt::ALL.len()
    )
}

/// XML text escape.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Zips named parts (deflated, fixed timestamps).
pub fn zip_parts(parts: &[(String, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every entry of a zip as text (lossy), by name.
pub fn zip_text(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.insert(entry.name().unwrap().to_string(), String::from_utf8_lossy(&data).into_owned());
    }
    out
}

/// The value of attribute `name` in the start tag `tag`.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// Every start tag `<name …>` (or `<name …/>`) in `xml`.
pub fn tags<'x>(xml: &'x str, name: &str) -> Vec<&'x str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        if after.starts_with([' ', '>', '/']) {
            let end = after.find('>').unwrap();
            out.push(&rest[i..i + open.len() + end + 1]);
        }
        rest = &rest[i + open.len()..];
    }
    out
}

/// The zip path of the worksheet named `sheet` (via workbook.xml and its relationships).
pub fn sheet_path(parts: &BTreeMap<String, String>, sheet: &str) -> String {
    let workbook = &parts["xl/workbook.xml"];
    let rid = tags(workbook, "sheet")
        .into_iter()
        .find(|t| attr(t, "name").as_deref() == Some(&escape(sheet)))
        .and_then(|t| attr(t, "r:id"))
        .unwrap_or_else(|| panic!("no sheet {sheet}"));
    let rels = &parts["xl/_rels/workbook.xml.rels"];
    let target = tags(rels, "Relationship").into_iter().find(|t| attr(t, "Id").as_deref() == Some(&rid)).unwrap();
    let target = attr(target, "Target").unwrap();
    match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    }
}

/// The XML of the worksheet named `sheet`.
pub fn sheet_xml(bytes: &[u8], sheet: &str) -> String {
    let parts = zip_text(bytes);
    let path = sheet_path(&parts, sheet);
    parts[&path].clone()
}

/// The number format code of a cell, through its style in `styles.xml` (Excel's built-in ids
/// as their codes, unknown ones as `builtin:N`); `None` when the cell has no style.
pub fn cell_number_format(bytes: &[u8], sheet: &str, at: &str) -> Option<String> {
    let parts = zip_text(bytes);
    let xml = &parts[&sheet_path(&parts, sheet)];
    let cell = tags(xml, "c").into_iter().find(|c| attr(c, "r").as_deref() == Some(at))?;
    let style: usize = attr(cell, "s")?.parse().unwrap();
    let styles = &parts["xl/styles.xml"];
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = tags(cell_xfs, "xf")[style];
    let id: u32 = attr(xf, "numFmtId").unwrap().parse().unwrap();
    let custom = tags(styles, "numFmt").into_iter().find(|t| attr(t, "numFmtId") == Some(id.to_string()));
    let builtin = match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        14 => "mm-dd-yy",
        20 => "h:mm",
        46 => "[h]:mm:ss",
        49 => "@",
        _ => "",
    };
    Some(match custom {
        Some(t) => attr(t, "formatCode").unwrap().replace("&quot;", "\""),
        None if !builtin.is_empty() => builtin.to_string(),
        None => format!("builtin:{id}"),
    })
}

/// Writes `cells` into the worksheet `sheet` of an existing workbook, as a person typing into it
/// would: a cell that exists keeps its style (the template's number format), text is written
/// inline, and the [`Fmt`] of a number is ignored unless the cell had no style. Rows and cells
/// are inserted in order where missing.
pub fn fill<S: AsRef<str>>(bytes: &[u8], sheet: &str, cells: &[(S, Cell)]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
    let text = zip_text(bytes);
    let target = sheet_path(&text, sheet);
    let mut parts = Vec::new();
    for name in names {
        let mut data = Vec::new();
        zip.by_name(&name).unwrap().read_to_end(&mut data).unwrap();
        let data =
            if name == target { fill_sheet_xml(&String::from_utf8(data).unwrap(), cells).into_bytes() } else { data };
        parts.push((name, data));
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, data) in parts {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A `<row>` of a worksheet being edited: its number, start-tag attributes and cells by column.
struct RowXml {
    number: u32,
    attrs: String,
    cells: BTreeMap<u32, String>,
}

fn fill_sheet_xml<S: AsRef<str>>(xml: &str, cells: &[(S, Cell)]) -> String {
    let (head, body, tail) = match xml.find("<sheetData/>") {
        Some(i) => (&xml[..i], "", &xml[i + "<sheetData/>".len()..]),
        None => {
            let open = xml.find("<sheetData>").unwrap() + "<sheetData>".len();
            let close = xml.find("</sheetData>").unwrap();
            (&xml[..open - "<sheetData>".len()], &xml[open..close], &xml[close + "</sheetData>".len()..])
        }
    };
    let mut rows: BTreeMap<u32, RowXml> = BTreeMap::new();
    let mut rest = body;
    while let Some(i) = rest.find("<row") {
        let tag_end = rest[i..].find('>').unwrap() + i;
        let tag = &rest[i..=tag_end];
        let number: u32 = attr(tag, "r").unwrap().parse().unwrap();
        let attrs = tag.trim_start_matches("<row").trim_end_matches('>').trim_end_matches('/').to_string();
        let mut row = RowXml { number, attrs, cells: BTreeMap::new() };
        if tag.ends_with("/>") {
            rest = &rest[tag_end + 1..];
        } else {
            let close = rest[tag_end..].find("</row>").unwrap() + tag_end;
            let mut inner = &rest[tag_end + 1..close];
            while let Some(c) = inner.find("<c ") {
                let start_end = inner[c..].find('>').unwrap() + c;
                let end = if inner[..=start_end].ends_with("/>") {
                    start_end + 1
                } else {
                    inner[c..].find("</c>").unwrap() + c + "</c>".len()
                };
                let cell = &inner[c..end];
                let (_, col) = pos(&attr(cell, "r").unwrap());
                row.cells.insert(col, cell.to_string());
                inner = &inner[end..];
            }
            rest = &rest[close + "</row>".len()..];
        }
        rows.insert(number, row);
    }
    for (at, cell) in cells {
        let at = at.as_ref();
        let (r, c) = pos(at);
        let row = rows.entry(r + 1).or_insert_with(|| RowXml {
            number: r + 1,
            attrs: format!(" r=\"{}\"", r + 1),
            cells: BTreeMap::new(),
        });
        // Spans are only a hint, and a stale one can upset other readers.
        if let Some(s) = row.attrs.find(" spans=\"") {
            let e = row.attrs[s + 8..].find('"').unwrap() + s + 9;
            row.attrs.replace_range(s..e, "");
        }
        let style = row.cells.get(&c).and_then(|old| attr(&old[..=old.find('>').unwrap()], "s"));
        row.cells.insert(c, cell_xml(at, cell, style.as_deref(), None));
    }
    let body: String = rows
        .values()
        .map(|r| format!("<row{}>{}</row>", r.attrs, r.cells.values().cloned().collect::<String>()))
        .collect();
    format!("{head}<sheetData>{body}</sheetData>{tail}")
}

/// A partner or co-financier of the seed project.
#[derive(Debug, Clone, Copy)]
pub struct Org {
    pub name: &'static str,
    pub org_nr: &'static str,
    pub folder: &'static str,
}

/// Kramfors kommun: a partner whose 25 % flat rate covers all remaining costs.
pub const KRAMFORS: Org = Org { name: "Kramfors kommun", org_nr: "212000-2429", folder: "kramfors" };
/// Härnösands kommun: the owner, 40 % flat rate.
pub const HARNOSAND: Org = Org { name: "Härnösands kommun", org_nr: "212000-2403", folder: "harnosand" };
/// Region Västernorrland: an in-kind co-financier.
pub const REGION: Org = Org { name: "Region Västernorrland", org_nr: "232100-0164", folder: "region-vasternorrland" };

/// The seed project folder.
pub fn project_dir() -> PathBuf {
    // The root package's tests and the command line crate's (`crates/redovisa-cli`) share this.
    let seed = Path::new("fixtures/hallbar-samhallsomstallning");
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join(seed))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| seed.into())
}

/// The seed project.
pub fn project() -> Project {
    Project::load(&project_dir()).unwrap()
}

/// A copy of the seed project in a temporary folder, its `project.toml` passed through `edit`.
pub fn temp_project(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(project_dir().join("project.toml")).unwrap();
    std::fs::write(dir.path().join("project.toml"), edit(text)).unwrap();
    let project = Project::load(dir.path()).unwrap();
    (dir, project)
}

/// The day the inbox, ledger and output tests run on.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A copy of the seed project with an empty inbox.
pub fn inbox_project() -> (tempfile::TempDir, Project) {
    let (dir, project) = temp_project(|t| t);
    std::fs::create_dir_all(project.inbox()).unwrap();
    (dir, project)
}

/// Writes `bytes` to `rel` under the project's inbox, making the folders.
pub fn put_in_inbox(project: &Project, rel: &str, bytes: &[u8]) {
    let path = project.inbox().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The seed project with Kramfors on the 15 % model (indirect costs), so that it reports
/// actual other costs in `Övriga kostnader`.
pub fn indirect_project() -> (tempfile::TempDir, Project) {
    temp_project(|text| {
        let remaining =
            "org_nr = \"212000-2429\"\non_costs = 40.15\nflat_rate = { model = \"remaining_costs\", rate = 25 }";
        assert!(text.contains(remaining), "the seed project changed");
        text.replace(
            remaining,
            "org_nr = \"212000-2429\"\non_costs = 40.15\nflat_rate = { model = \"indirect\", rate = 15 }",
        )
    })
}

/// A 12-digit personnummer `YYYYMMDD-NNNC` with the right Luhn digit, from the birth date
/// (`19800314`) and three serial digits.
pub fn pnr(birth: &str, serial: &str) -> String {
    let nine = format!("{}{serial}", &birth[2..]);
    format!("{birth}-{serial}{}", redovisa::ids::luhn_digit(&nine))
}

/// A 10-digit organisationsnummer `NNNNNN-NNNC` with the right Luhn digit.
pub fn orgnr(nine: &str) -> String {
    format!("{}-{}{}", &nine[..6], &nine[6..], redovisa::ids::luhn_digit(nine))
}

/// The `Uppgifter` sheet: labels in A, values in B from row 1, attested unless `attested` is false.
pub fn info_sheet(org: &Org, period: &str, version: u32, attested: bool) -> Sheet {
    let mut s = Sheet::new("Uppgifter");
    s.put_row("A1", vec![t("Projektpart"), t(org.name)]);
    s.put_row("A2", vec![t("Organisationsnummer"), t(org.org_nr)]);
    s.put_row("A3", vec![t("Period"), t(period)]);
    s.put_row("A4", vec![t("Version"), n(f64::from(version))]);
    if attested {
        s.put_row("A5", vec![t("Attesterad av"), t("Karin Ekonomichef")]);
        s.put_row("A6", vec![t("Attestdatum"), t("2025-04-03")]);
    }
    s
}

/// The headers of a contract sheet, in template order.
pub fn headers(sheet: redovisa::contract::Sheet) -> Vec<&'static str> {
    sheet.columns().iter().map(|c| c.header()).collect()
}

/// A person of the `Personal` sheet.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub pnr: Cell,
    pub role: &'static str,
    pub start: Cell,
    pub end: Cell,
    pub salary: Cell,
    pub reporting: &'static str,
    pub share: Cell,
    pub employment: Cell,
    pub main_activity: Cell,
}

impl Person {
    /// The person's row in template column order.
    pub fn row(&self) -> Vec<Cell> {
        vec![
            t(&self.name),
            self.pnr.clone(),
            t(self.role),
            self.start.clone(),
            self.end.clone(),
            self.salary.clone(),
            t(self.reporting),
            self.share.clone(),
            self.employment.clone(),
            self.main_activity.clone(),
        ]
    }
}

/// Anna Andersson: reports hours, 45 000 kr, since 2024-01-15.
pub fn anna() -> Person {
    Person {
        name: "Anna Andersson".into(),
        pnr: t(&pnr("19800314", "123")),
        role: "Processledare",
        start: date(2024, 1, 15),
        end: empty(),
        salary: n(45000.0),
        reporting: "Tidrapport",
        share: empty(),
        employment: empty(),
        main_activity: empty(),
    }
}

/// Bertil Berg: fixed share 50 % on 2.2, 52 300,50 kr, since 2024-03-01, 80 % employment.
pub fn bertil() -> Person {
    Person {
        name: "Bertil Berg".into(),
        pnr: t(&pnr("19751103", "456")),
        role: "Samordnare",
        start: date(2024, 3, 1),
        end: empty(),
        salary: n(52300.5),
        reporting: "Fast andel",
        share: n(50.0),
        employment: n(80.0),
        main_activity: t("2.2"),
    }
}

/// A `Personal` sheet with these people, header in row 1.
pub fn personal_sheet(people: &[Person]) -> Sheet {
    table("Personal", "A1", &headers(redovisa::contract::Sheet::Personal), people.iter().map(Person::row).collect())
}

/// A `Tidrapport` row: name, date, activity, hours.
pub fn time_row(name: &str, date: Cell, activity: &str, hours: Cell) -> Vec<Cell> {
    vec![t(name), date, t(activity), hours]
}

/// Anna's time in March 2025: 7,5 h on 1.1 on 3, 4 and 5 March, 4 h on 2.2 on 6 March (26,5 h).
pub fn anna_march() -> Vec<Vec<Cell>> {
    vec![
        time_row("Anna Andersson", date(2025, 3, 3), "1.1", n(7.5)),
        time_row("Anna Andersson", date(2025, 3, 4), "1.1", n(7.5)),
        time_row("Anna Andersson", date(2025, 3, 5), "1.1", n(7.5)),
        time_row("Anna Andersson", date(2025, 3, 6), "2.2", n(4.0)),
    ]
}

/// A `Tidrapport` sheet, header in row 1 (Namn, Datum, Aktivitet, Timmar, Kommentar).
pub fn time_sheet(rows: Vec<Vec<Cell>>) -> Sheet {
    table("Tidrapport", "A1", &headers(redovisa::contract::Sheet::Tidrapport), rows)
}

/// A valid, attested workbook for March 2025 from Kramfors: Anna (time report) and Bertil
/// (fixed share), Anna's four time rows.
pub fn valid_book() -> Book {
    book_for(&KRAMFORS, "2025-03")
}

/// [`valid_book`] for another organisation and period.
pub fn book_for(org: &Org, period: &str) -> Book {
    Book::new()
        .with(info_sheet(org, period, 1, true))
        .with(personal_sheet(&[anna(), bertil()]))
        .with(time_sheet(anna_march()))
}

/// The file name findings carry in these tests.
pub const FILE: &str = "kramfors/mars.xlsx";

/// Reads workbook bytes with the crate's reader.
pub fn read(bytes: &[u8]) -> ReadOutcome {
    read_workbook(bytes, FILE, &Limits::default())
}

/// Reads and checks workbook bytes as a run would (reader, then the row checks against the seed
/// project): the workbook and every finding, sorted.
pub fn check(bytes: &[u8]) -> (Option<Workbook>, Vec<Finding>) {
    check_with(&project(), bytes)
}

/// [`check`] against a given project.
pub fn check_with(project: &Project, bytes: &[u8]) -> (Option<Workbook>, Vec<Finding>) {
    let outcome = read(bytes);
    let mut findings = outcome.findings;
    if let Some(wb) = &outcome.workbook {
        findings.extend(redovisa::reconcile::month_report(project, wb).1);
    }
    sort_findings(&mut findings);
    (outcome.workbook, findings)
}

/// The findings as `CODE sheet!cell` lines, for readable assertion messages.
pub fn describe(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{} {} {}: {}", f.code, f.severity.swedish(), f.place.sheet_cell(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Error findings only.
pub fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| f.severity == Severity::Error).collect()
}

/// Converts `docx` to PDF with headless LibreOffice in its own profile, in `dir` as `name`.
/// `None` when soffice is not installed: that fails the test when CI requires LibreOffice
/// (`REDOVISA_REQUIRE_LIBREOFFICE`, set by `.ci/run`) and skips the check, saying so, otherwise.
pub fn docx_to_pdf(docx: &[u8], name: &str, dir: &Path) -> Option<PathBuf> {
    let input = dir.join(name);
    std::fs::write(&input, docx).unwrap();
    let profile = dir.join("lo-profile");
    let status = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .output();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var_os("REDOVISA_REQUIRE_LIBREOFFICE").is_none(),
                "soffice (LibreOffice) is required here (REDOVISA_REQUIRE_LIBREOFFICE is set) but not installed"
            );
            eprintln!("HOPPAR ÖVER: soffice (LibreOffice) finns inte; PDF-kontrollen körs inte");
            None
        }
        Err(e) => panic!("soffice: {e}"),
        Ok(out) => {
            assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
            Some(input.with_extension("pdf"))
        }
    }
}

/// Runs a poppler tool; `None` when it is not installed, which fails the test when
/// CI requires poppler (`REDOVISA_REQUIRE_POPPLER`, set by `.ci/run`) and skips that check,
/// saying so, otherwise.
pub fn poppler(name: &str, args: &[&str]) -> Option<String> {
    match std::process::Command::new(name).args(args).output() {
        Ok(out) => {
            assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var_os("REDOVISA_REQUIRE_POPPLER").is_none(),
                "{name} (poppler-utils) is required here (REDOVISA_REQUIRE_POPPLER is set) but not installed"
            );
            eprintln!("HOPPAR ÖVER: {name} (poppler-utils) finns inte; den kontrollen körs inte");
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

/// The seed `project.toml` without Kramfors: its budget 2 270 430 + 567 608 = 2 838 038, support
/// 1 135 215 and cash 1 043 763 + 659 060 = 1 702 823 leave the totals (costs 26 220 596, total
/// 29 104 048, co-financing 17 486 970, support and approved support 11 617 078).
pub fn without_kramfors(text: &str) -> String {
    let start = text.find("[[partner]]\nfolder = \"kramfors\"").expect("the seed has Kramfors");
    let end = start + 1 + text[start + 1..].find("[[partner]]").expect("a partner after Kramfors");
    replace_all(
        &format!("{}{}", &text[..start], &text[end..]),
        &[
            ("approved_support = 12752293", "approved_support = 11617078"),
            ("costs = 29058634", "costs = 26220596"),
            ("total = 31942086", "total = 29104048"),
            ("cofinancing = 19189793", "cofinancing = 17486970"),
            ("support = 12752293", "support = 11617078"),
        ],
    )
}

/// The seed `project.toml` with 5 000 000 kr less support, Härnösand's own money instead: approved
/// support 7 752 293, Härnösand's support 795 365 and its own cash 6 043 763, co-financing
/// 24 189 793.
pub fn with_less_support(text: &str) -> String {
    replace_all(
        text,
        &[
            ("approved_support = 12752293", "approved_support = 7752293"),
            ("support = 12752293", "support = 7752293"),
            ("cofinancing = 19189793", "cofinancing = 24189793"),
            ("support = 5795365", "support = 795365"),
            (
                "{ financier = \"Härnösands kommun\", amount = 1043763 }",
                "{ financier = \"Härnösands kommun\", amount = 6043763 }",
            ),
        ],
    )
}

/// `text` with each `(from, to)` replaced once, asserting that `from` is there.
pub fn replace_all(text: &str, pairs: &[(&str, &str)]) -> String {
    pairs.iter().fold(text.to_string(), |t, (from, to)| {
        assert!(t.contains(from), "no «{from}»");
        t.replacen(from, to, 1)
    })
}

/// A copy of a project folder (project file, inbox, ledger, `mallar/`), outputs left behind.
pub fn copy_project(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(from.join(&rel)).unwrap() {
            let e = e.unwrap();
            let rel = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                if !rel.starts_with("utdata") {
                    std::fs::create_dir_all(to.path().join(&rel)).unwrap();
                    stack.push(rel);
                }
            } else {
                std::fs::copy(from.join(&rel), to.path().join(&rel)).unwrap();
            }
        }
    }
    to
}

/// How many cases a property test draws: `PROPTEST_CASES` when it is set (a long run by hand,
/// `PROPTEST_CASES=1000 cargo test --release --test claim_life`), else `default` (CI's).
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default)
}
