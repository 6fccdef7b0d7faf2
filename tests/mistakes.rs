//! A mistake never raises a claim (`docs/rules.md`, "What an error leaves out").
//!
//! The demo inbox is written once and run clean. Then, case after case, one cell of one sheet of
//! one workbook is set to an invalid value — empty, text, negative, huge, a date in another
//! month, an unknown name, activity or reason — and the inbox is run again with that one workbook
//! read anew. Two laws hold whatever the cell:
//!
//! - no organisation-month's staff costs, other costs or hours, no organisation's eligible costs
//!   and not the claim's support rise above the clean run;
//! - when the value is invalid for its cell, the run reports a finding at that cell, or at the
//!   cell the condition belongs to (the header row for a header, the row for a new row, the
//!   `Uppgifter` sheet for a label).
//!
//! `PROPTEST_CASES` raises the number of cases (CI runs the default below). Every case that broke
//! a law once is a fixed test at the end of this file.

mod support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use redovisa::contract::{self, Column, Label, Sheet};
use redovisa::examine::{Examined, examine};
use redovisa::finding::{Code, Finding};
use redovisa::intake::FileKind;
use redovisa::ledger::Ledger;
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::read::{Limits, Workbook, read_workbook};
use redovisa::reconcile::model::Figures;
use rust_decimal::Decimal;

/// The demo's last month: two years of workbooks, every kind of row, superseded versions.
const DEMO_TO: (i32, u32) = (2025, 12);

/// The demo inbox, examined, and its clean run.
struct World {
    _dir: tempfile::TempDir,
    scratch: tempfile::TempDir,
    project: Project,
    opts: Options,
    examined: Vec<Examined>,
    /// Indices into `examined` of the workbooks.
    workbooks: Vec<usize>,
    /// Every cell of a `Frånvaro` table with rows (and of the row below it): (file, sheet, row,
    /// column). Few workbooks have absence, and a mistake there is the one that raised claims.
    absence: Vec<(usize, String, u32, u32)>,
    clean: Figures,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let to = Month::new(DEMO_TO.0, DEMO_TO.1).unwrap();
        redovisa_demo::write(dir.path(), &redovisa_demo::DemoOptions { to, ..Default::default() }).unwrap();
        let project = Project::load(dir.path()).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let opts = Options { from: Some(project.start_month()), to: Some(to), ..Options::claim(today) };
        let examined = pipeline::examine_inbox(&project, &opts).unwrap();
        let clean = pipeline::assess(&project, &opts, &Ledger::default(), &examined).unwrap();
        assert!(!clean.has_errors(), "the demo inbox runs clean: {:?}", clean.findings);
        let workbooks: Vec<usize> =
            examined.iter().enumerate().filter(|(_, e)| e.file.kind == FileKind::Workbook).map(|(i, _)| i).collect();
        let mut w = World {
            _dir: dir,
            scratch: tempfile::tempdir().unwrap(),
            project,
            opts,
            examined,
            workbooks,
            absence: Vec::new(),
            clean,
        };
        for &file in &w.workbooks {
            let o = open(&w, file);
            if o.wb.absence.is_empty() {
                continue;
            }
            let Some((name, _)) = o.sheets.iter().find(|(n, _)| contract::sheet_for(n) == Some(Sheet::Franvaro)) else {
                continue;
            };
            let cells = cells_in(&o.wb, Sheet::Franvaro, &o.xml(name));
            let data = cells.into_iter().filter(|(.., role)| matches!(role, Role::Data(_) | Role::NewRow(_)));
            w.absence.extend(data.map(|(r, c, _)| (file, name.clone(), r, c)));
        }
        assert!(!w.absence.is_empty(), "the demo inbox has absence rows");
        w
    })
}

// ---------------------------------------------------------------------------------------------
// Setting one cell of an xlsx file.

/// What a cell is set to.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn zip_bytes(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The value of attribute `name` in an element's text (which may start right at its attributes).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let at =
        tag.match_indices(&key).map(|(i, _)| i).find(|&i| i == 0 || tag.as_bytes()[i - 1].is_ascii_whitespace())?;
    let start = at + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The worksheet part of each sheet, by the sheet's name.
fn sheet_parts(entries: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    let text = |name: &str| {
        entries.iter().find(|(n, _)| n == name).map(|(_, d)| String::from_utf8_lossy(d).into_owned()).unwrap()
    };
    let workbook = text("xl/workbook.xml");
    let rels = text("xl/_rels/workbook.xml.rels");
    let mut out = BTreeMap::new();
    for tag in workbook.split("<sheet ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap()];
        let name = attr(tag, "name").unwrap().replace("&amp;", "&");
        let id = attr(tag, "r:id").unwrap();
        let rel = rels.split("<Relationship ").find(|r| attr(r, "Id") == Some(id)).unwrap();
        let target = attr(rel, "Target").unwrap();
        let target = target.trim_start_matches('/').trim_start_matches("xl/");
        out.insert(name, format!("xl/{target}"));
    }
    out
}

fn cell_name(row: u32, col: u32) -> String {
    redovisa::finding::cell_ref(row, col)
}

fn parse_ref(r: &str) -> (u32, u32) {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: u32 = r[letters.len()..].parse().unwrap();
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1)) - 1;
    (row - 1, col)
}

/// Every cell present in a worksheet part, as (row, column), 0-based.
fn cells_of(xml: &str) -> Vec<(u32, u32)> {
    xml.split("<c ").skip(1).filter_map(|c| attr(c, "r")).map(parse_ref).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The end (exclusive) of the element that starts at `start` (`<c …/>` or `<c …>…</c>`).
fn element_end(xml: &str, start: usize, close: &str) -> usize {
    let open_end = xml[start..].find('>').unwrap() + start;
    if xml.as_bytes()[open_end - 1] == b'/' {
        return open_end + 1;
    }
    xml[open_end..].find(close).unwrap() + open_end + close.len()
}

/// `xml` (a worksheet part) with the cell at (row, col) set to `value`.
fn set_in_sheet(xml: &str, row: u32, col: u32, value: &Value) -> String {
    let r = cell_name(row, col);
    let new = match value {
        Value::Empty => String::new(),
        Value::Text(t) => format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{}</t></is></c>", escape(t)),
        Value::Number(n) => format!("<c r=\"{r}\"><v>{n}</v></c>"),
    };
    let mut xml = xml.to_string();
    if let Some(pos) = xml.find(&format!("<c r=\"{r}\"")) {
        let end = element_end(&xml, pos, "</c>");
        xml.replace_range(pos..end, &new);
        return xml;
    }
    if new.is_empty() {
        return xml;
    }
    let row_tag = format!("<row r=\"{}\"", row + 1);
    if let Some(pos) = xml.find(&row_tag) {
        let end = element_end(&xml, pos, "</row>");
        let open_end = xml[pos..].find('>').unwrap() + pos;
        if xml.as_bytes()[open_end - 1] == b'/' {
            let open = xml[pos..open_end - 1].to_string();
            xml.replace_range(pos..end, &format!("{open}>{new}</row>"));
            return xml;
        }
        // Before the first cell of a later column, or at the row's end.
        let inner = &xml[open_end + 1..end - "</row>".len()];
        let at = inner
            .match_indices("<c ")
            .find(|(i, _)| attr(&inner[i + 3..], "r").map(parse_ref).is_some_and(|(_, c)| c > col))
            .map_or(end - "</row>".len(), |(i, _)| open_end + 1 + i);
        xml.insert_str(at, &new);
        return xml;
    }
    let new_row = format!("<row r=\"{}\">{new}</row>", row + 1);
    if xml.contains("<sheetData/>") {
        return xml.replace("<sheetData/>", &format!("<sheetData>{new_row}</sheetData>"));
    }
    let at = xml
        .match_indices("<row ")
        .find(|(i, _)| attr(&xml[*i + 4..], "r").and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n > row + 1))
        .map_or_else(|| xml.find("</sheetData>").unwrap(), |(i, _)| i);
    xml.insert_str(at, &new_row);
    xml
}

// ---------------------------------------------------------------------------------------------
// What a cell is, and what invalid values it can take.

/// What the drawn cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// A value of `Uppgifter`.
    Info(Label),
    /// A label of `Uppgifter` (column A), when it is one the contract knows.
    InfoLabel(Option<Label>),
    /// A header of a table's column.
    Header(Column),
    /// A data cell of a table's column.
    Data(Column),
    /// A cell of a new row just below a table.
    NewRow(Column),
    /// Anything else (a title, a note column the contract does not know).
    Other,
}

/// An invalid value, by kind.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Empty,
    Text,
    Negative,
    Huge,
    OtherMonth(i32),
    UnknownName,
    UnknownActivity,
    UnknownReason,
    UnknownIndicator,
}

fn kinds(role: Role) -> Vec<Kind> {
    use Column as C;
    use Kind::*;
    let months = [OtherMonth(-13), OtherMonth(-1), OtherMonth(1), OtherMonth(2)];
    let number = vec![Empty, Text, Negative, Huge];
    let dated = [vec![Empty, Text, Negative, Huge], months.to_vec()].concat();
    match role {
        Role::Info(Label::Period) => dated,
        Role::Info(Label::Organisationsnummer | Label::Version) => number,
        Role::Info(Label::Attestdatum) => vec![Empty, Text, Negative, Huge],
        Role::Info(_) | Role::InfoLabel(_) | Role::Header(_) | Role::Other => vec![Empty, Text],
        // A new row's cell set to nothing is no change.
        Role::NewRow(c) => {
            let some: Vec<Kind> = kinds(Role::Data(c)).into_iter().filter(|k| *k != Empty).collect();
            if some.is_empty() { vec![Text] } else { some }
        }
        Role::Data(c) => match c {
            C::Namn => vec![Empty, UnknownName],
            // A dated row's date; a person's dates in another month may well be right.
            C::Datum | C::Manad => dated,
            C::Startdatum | C::Slutdatum => vec![Empty, Text, Negative, Huge],
            C::Timmar | C::Manadslon | C::Andel | C::Sysselsattningsgrad | C::Belopp => number,
            // A huge indicator value is no money, and not checked against anything.
            C::Varde => vec![Empty, Text, Negative],
            C::Aktivitet | C::Huvudaktivitet => vec![Empty, UnknownActivity],
            C::Orsak => vec![Empty, UnknownReason],
            C::Indikator => vec![Empty, UnknownIndicator],
            C::Personnummer | C::Organisationsnummer => vec![Empty, Text, Negative],
            C::Redovisning | C::Kon | C::Kostnadsslag | C::Typ => vec![Empty, Text],
            // An unknown name is fine when the organisationsnummer says who paid.
            C::Finansiar => vec![Empty],
            // Free text: any text is valid.
            _ => vec![Empty],
        },
    }
}

/// Whether the value is invalid for its cell (a finding is due), and where it may be reported.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Due {
    /// At the cell.
    Cell,
    /// Anywhere in the cell's row of the sheet.
    Row,
    /// Anywhere in the sheet.
    Sheet,
    /// A valid value (an optional cell emptied, a title changed): only the money law.
    Nothing,
}

fn due(case_sheet: &str, role: Role, kind: Kind, is_fixed_share_row: bool) -> Due {
    use Column as C;
    match (role, kind) {
        (Role::Other | Role::InfoLabel(None | Some(Label::Version)), _) => Due::Nothing,
        (Role::InfoLabel(Some(_)), _) => Due::Sheet,
        // An empty Version is version 1, Attesterad av any name.
        (Role::Info(Label::Version), Kind::Empty) | (Role::Info(Label::AttesteradAv), Kind::Text) => Due::Nothing,
        (Role::Info(Label::Projektpart), Kind::Text) => Due::Nothing,
        (Role::Info(_), _) => Due::Cell,
        (Role::Header(c), _) => {
            let required = contract::sheet_for(case_sheet).is_some_and(|s| s.required().contains(&c));
            if required { Due::Row } else { Due::Nothing }
        }
        (Role::NewRow(_), _) => Due::Row,
        (Role::Data(c), Kind::Empty) => {
            // The values a row must have: its sheet's required columns (Kön may be left empty,
            // and Andel is required of fixed-share staff only).
            let required = contract::sheet_for(case_sheet).is_some_and(|s| s.required().contains(&c)) && c != C::Kon;
            if required || (c == C::Andel && is_fixed_share_row) { Due::Cell } else { Due::Nothing }
        }
        // A person renamed in Personal is someone else; their rows elsewhere, if any, name nobody.
        (Role::Data(C::Namn), Kind::UnknownName) => Due::Nothing,
        (Role::Data(C::Huvudaktivitet), Kind::UnknownActivity) => Due::Cell,
        (Role::Data(_), _) => Due::Cell,
    }
}

/// A drawn mutation.
#[derive(Debug, Clone)]
struct Case {
    /// Index into the world's `examined`.
    file: usize,
    sheet: String,
    row: u32,
    col: u32,
    role: Role,
    kind: Kind,
    value: Value,
    due: Due,
}

impl Case {
    fn describe(&self, w: &World) -> String {
        format!(
            "{} {}!{} ({:?}) set to {:?} ({:?}), finding due: {:?}",
            w.examined[self.file].file.rel,
            self.sheet,
            cell_name(self.row, self.col),
            self.role,
            self.value,
            self.kind,
            self.due
        )
    }
}

fn bytes_of(w: &World, file: usize) -> Vec<u8> {
    std::fs::read(&w.examined[file].file.path).unwrap()
}

/// The role of each cell of a sheet, from the reader's layout.
fn role_of(wb: &Workbook, sheet: Sheet, row: u32, col: u32) -> Role {
    if sheet == Sheet::Uppgifter {
        let cell = cell_name(row, 1);
        let label = wb.info.places.iter().find(|(_, c)| **c == cell).map(|(l, _)| *l);
        if col == 0 {
            return Role::InfoLabel(label);
        }
        let cell = cell_name(row, col);
        return wb.info.places.iter().find(|(_, c)| **c == cell).map_or(Role::Other, |(l, _)| Role::Info(*l));
    }
    let Some(layout) = wb.layouts.get(&sheet) else { return Role::Other };
    let Some((&column, _)) = layout.columns.iter().find(|(_, c)| **c == col) else { return Role::Other };
    match row.cmp(&layout.header_row) {
        std::cmp::Ordering::Less => Role::Other,
        std::cmp::Ordering::Equal => Role::Header(column),
        std::cmp::Ordering::Greater => Role::Data(column),
    }
}

/// The cells of one sheet of a workbook, with their roles: every cell present, and a new row just
/// below the table.
fn cells_in(wb: &Workbook, sheet: Sheet, xml: &str) -> Vec<(u32, u32, Role)> {
    let mut cells: Vec<(u32, u32, Role)> =
        cells_of(xml).into_iter().map(|(r, c)| (r, c, role_of(wb, sheet, r, c))).collect();
    if let Some(layout) = wb.layouts.get(&sheet) {
        let below = cells.iter().map(|(r, ..)| *r).max().unwrap_or(layout.header_row) + 1;
        cells.extend(layout.columns.iter().map(|(col, c)| (below, *c, Role::NewRow(*col))));
    }
    cells
}

/// A workbook as the cases see it: its reading, its parts, and its contract sheets by name.
struct Opened {
    wb: Workbook,
    entries: Vec<(String, Vec<u8>)>,
    sheets: Vec<(String, String)>,
}

fn open(w: &World, file: usize) -> Opened {
    let bytes = bytes_of(w, file);
    let wb = read_workbook(&bytes, &w.examined[file].file.rel, &Limits::default()).workbook.unwrap();
    let entries = zip_entries(&bytes);
    let sheets = sheet_parts(&entries).into_iter().filter(|(name, _)| contract::sheet_for(name).is_some()).collect();
    Opened { wb, entries, sheets }
}

impl Opened {
    fn xml(&self, sheet: &str) -> String {
        let part = &self.sheets.iter().find(|(n, _)| n == sheet).unwrap().1;
        self.entries.iter().find(|(n, _)| n == part).map(|(_, d)| String::from_utf8_lossy(d).into_owned()).unwrap()
    }
}

/// Draws the case the indices name.
fn draw(w: &World, file: usize, sheet: usize, cell: usize, kind: usize) -> Case {
    let file = w.workbooks[file % w.workbooks.len()];
    let o = open(w, file);
    let name = o.sheets[sheet % o.sheets.len()].0.clone();
    let cells = cells_in(&o.wb, contract::sheet_for(&name).unwrap(), &o.xml(&name));
    let (row, col, role) = cells[cell % cells.len()];
    let kinds = kinds(role);
    case_at(w, &o, file, &name, row, col, kinds[kind % kinds.len()])
}

/// The case of one cell set to one kind of invalid value.
fn case_at(w: &World, o: &Opened, file: usize, sheet: &str, row: u32, col: u32, kind: Kind) -> Case {
    let contract_sheet = contract::sheet_for(sheet).unwrap();
    let role = cells_in(&o.wb, contract_sheet, &o.xml(sheet))
        .into_iter()
        .find(|(r, c, _)| (*r, *c) == (row, col))
        .map_or(Role::Other, |(.., role)| role);
    let month = w.examined[file].month.unwrap_or(Month::new(2025, 1).unwrap());
    let shifted = |k: i32| {
        let mut m = month;
        for _ in 0..k.unsigned_abs() {
            m = if k > 0 { m.next() } else { m.prev() };
        }
        m
    };
    let value = match kind {
        Kind::Empty => Value::Empty,
        Kind::Text => Value::Text("fel".into()),
        Kind::Negative => Value::Number(-5.0),
        Kind::Huge => Value::Number(1e9),
        Kind::OtherMonth(k) => match role {
            Role::Info(Label::Period) | Role::Data(Column::Manad) | Role::NewRow(Column::Manad) => {
                Value::Text(shifted(k).to_string())
            }
            _ => Value::Text(format!("{}-15", shifted(k))),
        },
        Kind::UnknownName => Value::Text("Okänd Okändsson".into()),
        Kind::UnknownActivity => Value::Text("9.9".into()),
        Kind::UnknownReason => Value::Text("Vård av barn".into()),
        Kind::UnknownIndicator => Value::Text("Antal möten".into()),
    };
    let fixed_share = o.wb.staff.iter().any(|p| {
        p.loc.sheet == contract_sheet && p.loc.row == row && p.reporting == redovisa::read::Reporting::FixedShare
    });
    // The attestation of a version that a higher one replaces is not looked at.
    let superseded = w
        .clean
        .files
        .iter()
        .any(|f| f.path == w.examined[file].file.rel && f.status == redovisa::intake::Status::Superseded);
    let attestation = matches!(
        role,
        Role::Info(Label::AttesteradAv | Label::Attestdatum)
            | Role::InfoLabel(Some(Label::AttesteradAv | Label::Attestdatum))
    );
    let due = if superseded && attestation { Due::Nothing } else { due(sheet, role, kind, fixed_share) };
    Case { file, sheet: sheet.to_string(), row, col, role, kind, value, due }
}

/// The inbox's workbook with the case's cell set.
fn mutated(w: &World, case: &Case) -> Vec<u8> {
    let bytes = bytes_of(w, case.file);
    let mut entries = zip_entries(&bytes);
    let part = sheet_parts(&entries)[&case.sheet].clone();
    let entry = entries.iter_mut().find(|(n, _)| *n == part).unwrap();
    let xml = String::from_utf8(entry.1.clone()).unwrap();
    entry.1 = set_in_sheet(&xml, case.row, case.col, &case.value).into_bytes();
    zip_bytes(&entries)
}

/// The run with the case's workbook replaced by `bytes`.
fn run_with(w: &World, file: usize, bytes: &[u8]) -> Figures {
    // A file of its own per case: the properties run side by side.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let original = &w.examined[file].file;
    let path: PathBuf = w.scratch.path().join(format!("{}.xlsx", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&path, bytes).unwrap();
    let replacement = redovisa::intake::InboxFile { path: path.clone(), size: bytes.len() as u64, ..original.clone() };
    let mut examined = w.examined.clone();
    examined[file] = examine(&w.project, replacement, &Limits::default());
    std::fs::remove_file(path).unwrap();
    pipeline::assess(&w.project, &w.opts, &Ledger::default(), &examined).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The laws.

/// Per organisation and month: staff costs, other costs, hours.
fn months(f: &Figures) -> BTreeMap<(String, Month), (Decimal, Decimal, Decimal)> {
    let mut out = BTreeMap::new();
    for l in &f.lines {
        let e = out.entry((l.folder.clone(), l.month)).or_insert((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
        e.0 += l.content.staff;
        e.1 += l.content.other;
        e.2 += l.content.hours;
    }
    out
}

/// Why the mutated run claims more than the clean one, if it does.
fn raised(clean: &Figures, now: &Figures) -> Option<String> {
    let before = months(clean);
    for (key, (staff, other, hours)) in months(now) {
        let (s0, o0, h0) = before.get(&key).copied().unwrap_or_default();
        if staff > s0 || other > o0 || hours > h0 {
            return Some(format!(
                "{} {}: staff {s0} → {staff}, other {o0} → {other}, hours {h0} → {hours}",
                key.0, key.1
            ));
        }
    }
    for o in &now.orgs {
        let c = clean.orgs.iter().find(|c| c.folder == o.folder).unwrap();
        if o.period.total() > c.period.total() {
            return Some(format!("{} eligible {} → {}", o.folder, c.period.total(), o.period.total()));
        }
    }
    (now.totals.support > clean.totals.support)
        .then(|| format!("support {} → {}", clean.totals.support, now.totals.support))
}

fn at(f: &Finding, case: &Case, file: &str) -> bool {
    let p = &f.place;
    if p.file.as_deref() != Some(file) {
        return false;
    }
    // A row dated in another month can make it the month of most rows: the Period is named.
    if f.code == Code::WrongPeriod && matches!(case.kind, Kind::OtherMonth(_)) {
        return true;
    }
    let same_sheet = p.sheet.as_deref() == Some(case.sheet.as_str());
    let row = p.cell.as_deref().map(|c| parse_ref(c).0);
    match case.due {
        Due::Nothing => true,
        Due::Sheet => same_sheet,
        Due::Row => same_sheet && row == Some(case.row),
        Due::Cell => same_sheet && p.cell.as_deref() == Some(cell_name(case.row, case.col).as_str()),
    }
}

/// Checks both laws for one case; the error says what broke.
fn check(w: &World, case: &Case) -> Result<(), String> {
    let now = run_with(w, case.file, &mutated(w, case));
    if let Some(why) = raised(&w.clean, &now) {
        return Err(format!("{}: the claim rose: {why}", case.describe(w)));
    }
    let file = &w.examined[case.file].file.rel;
    if case.due != Due::Nothing && !now.findings.iter().any(|f| at(f, case, file)) {
        let mine: Vec<String> = now
            .findings
            .iter()
            .filter(|f| f.place.file.as_deref() == Some(file))
            .map(|f| format!("{} {} {}", f.code, f.place.sheet_cell(), f.message))
            .collect();
        return Err(format!("{}: no finding where due; the file's findings: {mine:#?}", case.describe(w)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: support::proptest_cases(96), failure_persistence: None, max_shrink_iters: 0, ..ProptestConfig::default() })]

    /// Any cell of any workbook.
    #[test]
    fn a_mistake_never_raises_the_claim(file: usize, sheet: usize, cell: usize, kind: usize) {
        let w = world();
        let case = draw(w, file, sheet, cell, kind);
        if let Err(why) = check(w, &case) {
            prop_assert!(false, "{}", why);
        }
    }

    /// A cell of an absence row (the mistakes that raised claims before).
    #[test]
    fn a_mistake_in_an_absence_row_never_raises_the_claim(cell: usize, kind: usize) {
        let w = world();
        let (file, sheet, row, col) = &w.absence[cell % w.absence.len()];
        let o = open(w, *file);
        let role = cells_in(&o.wb, Sheet::Franvaro, &o.xml(sheet)).into_iter().find(|(r, c, _)| (r, c) == (row, col)).unwrap().2;
        let kinds = kinds(role);
        let case = case_at(w, &o, *file, sheet, *row, *col, kinds[kind % kinds.len()]);
        if let Err(why) = check(w, &case) {
            prop_assert!(false, "{}", why);
        }
    }
}

/// A case found by the property, fixed: `file` (relative to the inbox), `cell` of `sheet`.
fn fixed(file: &str, sheet: &str, cell: &str, kind: Kind) {
    let w = world();
    let index = w.examined.iter().position(|e| e.file.rel == file).unwrap_or_else(|| panic!("{file} not in the demo"));
    let (row, col) = parse_ref(cell);
    let case = case_at(w, &open(w, index), index, sheet, row, col, kind);
    assert!(case.due != Due::Nothing, "{}", case.describe(w));
    if let Err(why) = check(w, &case) {
        panic!("{why}");
    }
}

// Each of these broke a law before issue 24 was done (the claim rose, or no finding was where due).

#[test]
fn an_absence_row_moved_to_another_month() {
    // Its 8 h were not deducted: Region Västernorrland's August rose from 55 428,85 to 58 585,69.
    fixed("region-vasternorrland/region-vasternorrland-2025-08.xlsx", "Frånvaro", "B2", Kind::OtherMonth(-1));
}

#[test]
fn an_absence_row_without_a_name() {
    // Härnösand's February rose from 157 915,61 to 189 729,00.
    fixed("harnosand/harnosand-2024-02.xlsx", "Frånvaro", "A2", Kind::Empty);
}

#[test]
fn the_absence_sheet_without_its_orsak_column() {
    // The whole sheet was not read: the same rise.
    fixed("harnosand/harnosand-2024-02.xlsx", "Frånvaro", "D1", Kind::Empty);
}

#[test]
fn a_monthly_salary_of_a_billion() {
    // Region Västernorrland's September rose from 57 875,41 to 730 779 595,38.
    fixed("region-vasternorrland/region-vasternorrland-2024-09.xlsx", "Personal", "F3", Kind::Huge);
}

#[test]
fn a_payment_of_a_billion() {
    // Accepted without a finding.
    fixed("solleftea/Sollefteå mars 2025.xlsx", "medfinansiering", "C2", Kind::Huge);
}

#[test]
fn a_period_a_month_early() {
    // It replaced December (DUPLICATE_SUBMISSION at file level), its six rows each an error.
    fixed("kramfors/Redovisning Kramfors 2025-01.xlsx", "Uppgifter", "B5", Kind::OtherMonth(-1));
}

#[test]
fn a_period_a_month_late_without_dated_rows() {
    // Only the file name tells: it collided with November's workbook.
    fixed("mittuniversitetet/mittuniversitetet-2025-10.xlsx", "Uppgifter", "B5", Kind::OtherMonth(1));
}

#[test]
fn a_period_before_the_project() {
    // The file's findings were dropped with its month, outside every period.
    fixed("timra/Timrå_202406.xlsx", "UPPGIFTER", "B5", Kind::OtherMonth(-13));
}

#[test]
fn the_only_dated_row_in_another_month() {
    // The Period is contradicted by the one row: the finding is at the Period.
    fixed("bizmaker/bizmaker-2024-12.xlsx", "Tidrapport", "B2", Kind::OtherMonth(2));
}

#[test]
fn an_attestation_emptied() {
    // NOT_ATTESTED was at the sheet, not at the empty cell.
    fixed("timra/Timrå_202512.xlsx", "UPPGIFTER", "B6", Kind::Empty);
}
