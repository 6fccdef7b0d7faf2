//! One planned workbook → xlsx bytes, written the way its organisation fills in workbooks.
//!
//! The contract's sheet and column names come from [`redovisa::contract`], so the demo can never
//! drift from what the reader expects. The [`FileStyle`] decides everything a person might do
//! differently: a title above the header row, an extra column, another column order, the case
//! of sheet names, dates as cells or text, hours as numbers, durations or text, and so on. Every
//! cell is written from the plan; nothing here decides a value. Numbers are written as `f64`
//! only at the moment of writing the cell. Document properties carry a creation time taken from
//! the plan, so the same plan always gives the same bytes.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::plan::{
    ActivityCell, DateCell, FileStyle, GenderForm, HoursCell, OrgNrForm, OrgPlan, PeriodCell, PnrForm, SalaryCell,
    ShareCell, SheetNaming, WorkbookPlan,
};
use redovisa::contract::{Column, Label, Sheet};
use redovisa::ids::OrgNr;
use redovisa::month::Month;
use redovisa::read::{Gender, When};

/// A cell to write.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Money(f64),
    Percent(f64),
    Duration(f64),
    Date(NaiveDate),
    MonthDate(NaiveDate),
}

/// One row of a table sheet: cells by column, `None` standing for the extra column `Anteckning`.
type Row = BTreeMap<Option<Column>, Cell>;

/// The formats of one workbook.
struct Formats {
    header: Format,
    title: Format,
    date: Format,
    month: Format,
    duration: Format,
    percent: Format,
    money: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            month: Format::new().set_num_format("yyyy-mm"),
            duration: Format::new().set_num_format("[h]:mm"),
            percent: Format::new().set_num_format("0%"),
            money: Format::new().set_num_format("#,##0"),
        }
    }
}

/// The Excel date of a calendar date.
fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Years, months and days of the project always fit the narrower integer types.
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn write(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, cell: &Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) if t.is_empty() => {}
        Cell::Text(t) => {
            ws.write_string(row, col, t)?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Money(n) => {
            ws.write_number_with_format(row, col, *n, &f.money)?;
        }
        Cell::Percent(n) => {
            ws.write_number_with_format(row, col, *n, &f.percent)?;
        }
        Cell::Duration(n) => {
            ws.write_number_with_format(row, col, *n, &f.duration)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, excel_date(*d)?, &f.date)?;
        }
        Cell::MonthDate(d) => {
            ws.write_datetime_with_format(row, col, excel_date(*d)?, &f.month)?;
        }
    }
    Ok(())
}

/// A sheet's name as the organisation writes it.
fn sheet_name(style: &FileStyle, sheet: Sheet) -> String {
    let name = sheet.name();
    match style.sheet_names {
        SheetNaming::Template => name.to_string(),
        SheetNaming::Lower => name.to_lowercase(),
        SheetNaming::Upper => name.to_uppercase(),
        SheetNaming::TrailingSpace => format!("{name} "),
    }
}

fn date_cell(style: &FileStyle, d: NaiveDate) -> Cell {
    match style.dates {
        DateCell::Date => Cell::Date(d),
        DateCell::Text => Cell::Text(d.format("%Y-%m-%d").to_string()),
    }
}

fn month_cell(style: &FileStyle, m: Month) -> Cell {
    match style.dates {
        DateCell::Date => Cell::MonthDate(m.first_day()),
        DateCell::Text => Cell::Text(m.to_string()),
    }
}

/// `1 234,5` with a plain space, as people type it.
fn sv_plain(d: Decimal, decimals: u32) -> String {
    let s = redovisa::money::sv_number(d, decimals).replace('\u{a0}', " ");
    match s.split_once(',') {
        Some((int, frac)) if frac.chars().all(|c| c == '0') => int.to_string(),
        Some((int, frac)) => format!("{int},{}", frac.trim_end_matches('0')),
        None => s,
    }
}

fn hours_cell(cell: HoursCell, h: Decimal) -> Cell {
    match cell {
        HoursCell::Number => Cell::Number(f64_of(h)),
        HoursCell::Duration => Cell::Duration(f64_of(h / Decimal::from(24))),
        HoursCell::Text => Cell::Text(sv_plain(h, 2)),
    }
}

fn share_cell(style: &FileStyle, share: Decimal) -> Cell {
    let percent = share * Decimal::ONE_HUNDRED;
    match style.share {
        ShareCell::Percent => Cell::Number(f64_of(percent)),
        ShareCell::PercentCell => Cell::Percent(f64_of(share)),
        ShareCell::Text => Cell::Text(format!("{} %", sv_plain(percent, 2))),
    }
}

fn activity_cell(style: &FileStyle, code: &str) -> Cell {
    match style.activity {
        ActivityCell::Text => Cell::Text(code.to_string()),
        ActivityCell::Number => match code.parse::<f64>() {
            // Only codes whose number prints back the same (1.1, not 1.10) become numbers.
            Ok(n) if n.to_string() == code => Cell::Number(n),
            _ => Cell::Text(code.to_string()),
        },
        ActivityCell::Comma => Cell::Text(code.replace('.', ",")),
    }
}

fn org_nr_text(style: &FileStyle, nr: &OrgNr) -> String {
    match style.org_nr {
        OrgNrForm::Dash => nr.as_str().to_string(),
        OrgNrForm::Plain => nr.as_str().replace('-', ""),
        OrgNrForm::Prefix16 => format!("16{}", nr.as_str()),
    }
}

/// The columns of a table sheet in the organisation's order, `None` standing for the extra
/// column `Anteckning`.
fn columns(style: &FileStyle, sheet: Sheet) -> Vec<Option<Column>> {
    let mut cols: Vec<Option<Column>> = sheet.columns().iter().copied().map(Some).collect();
    if style.reorder_columns {
        cols.reverse();
    }
    if style.extra_column {
        cols.insert(cols.len().min(2), None);
    }
    cols
}

/// Writes a table sheet: an optional title, the header row, then one row per map.
fn table(
    ws: &mut Worksheet,
    f: &Formats,
    style: &FileStyle,
    sheet: Sheet,
    title: &str,
    rows: &[Row],
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(style, sheet))?;
    let cols = columns(style, sheet);
    let mut r = 0u32;
    if style.title_rows {
        ws.write_string_with_format(0, 0, title, &f.title)?;
        r = 2;
    }
    for (c, col) in cols.iter().enumerate() {
        let header = col.map_or("Anteckning", |c| c.header());
        ws.write_string_with_format(r, c as u16, header, &f.header)?;
        let wide = matches!(col, Some(Column::Genomfort | Column::Resultat | Column::Avvikelser | Column::Traff));
        let width = if wide { 50.0 } else { (header.chars().count() as f64 + 4.0).max(12.0) };
        ws.set_column_width(c as u16, width)?;
    }
    for row in rows {
        r += 1;
        for (c, col) in cols.iter().enumerate() {
            if let Some(cell) = row.get(col) {
                write(ws, f, r, c as u16, cell)?;
            }
        }
    }
    Ok(())
}

/// The `Uppgifter` sheet: labels in column A, values in column B.
fn uppgifter(
    ws: &mut Worksheet,
    f: &Formats,
    org: &OrgPlan,
    wb: &WorkbookPlan,
    project: &str,
) -> Result<(), XlsxError> {
    let style = &org.style;
    ws.set_name(sheet_name(style, Sheet::Uppgifter))?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 40)?;
    let mut r = 0u32;
    if style.title_rows {
        ws.write_string_with_format(0, 0, format!("Månadsredovisning – {project}"), &f.title)?;
        r = 2;
    }
    for label in Label::ALL {
        let value = match label {
            Label::Projektpart => Cell::Text(org.name.clone()),
            Label::Organisationsnummer => Cell::Text(org_nr_text(style, &org.org_nr)),
            Label::Period => match style.period {
                PeriodCell::Text => Cell::Text(wb.month.to_string()),
                PeriodCell::Date => Cell::MonthDate(wb.month.first_day()),
                PeriodCell::SwedishText => Cell::Text(wb.month.swedish()),
            },
            Label::Version if style.omit_version_one && wb.version == 1 => continue,
            Label::Version => Cell::Number(f64::from(wb.version)),
            Label::AttesteradAv => Cell::Text(wb.attestation.by.clone()),
            Label::Attestdatum => date_cell(style, wb.attestation.on),
        };
        let text = if style.label_colons { format!("{}:", label.text()) } else { label.text().to_string() };
        ws.write_string_with_format(r, 0, text, &f.header)?;
        write(ws, f, r, 1, &value)?;
        r += 1;
    }
    if let Some(p) = wb.persons.first().and_then(|i| org.staff.get(*i)) {
        // A row the contract does not know, as many organisations add one.
        ws.write_string_with_format(r + 1, 0, "Kontaktperson", &f.header)?;
        ws.write_string(r + 1, 1, &p.name)?;
    }
    Ok(())
}

fn personal(org: &OrgPlan, wb: &WorkbookPlan) -> Vec<Row> {
    let style = &org.style;
    wb.persons
        .iter()
        .filter_map(|i| org.staff.get(*i))
        .map(|p| {
            let mut row = BTreeMap::new();
            row.insert(Some(Column::Namn), Cell::Text(p.name.clone()));
            let pnr = match style.personnummer {
                PnrForm::Number12 => p
                    .personnummer_written
                    .parse::<f64>()
                    .map_or_else(|_| Cell::Text(p.personnummer_written.clone()), Cell::Number),
                _ => Cell::Text(p.personnummer_written.clone()),
            };
            row.insert(Some(Column::Personnummer), pnr);
            row.insert(Some(Column::Roll), Cell::Text(p.role.clone()));
            row.insert(Some(Column::Startdatum), date_cell(style, p.start));
            if let Some(end) = p.end {
                row.insert(Some(Column::Slutdatum), date_cell(style, end));
            }
            let salary = match style.salary {
                SalaryCell::Number => Cell::Money(f64_of(p.salary)),
                SalaryCell::Text => Cell::Text(format!("{} kr", sv_plain(p.salary, 0))),
            };
            row.insert(Some(Column::Manadslon), salary);
            row.insert(Some(Column::Redovisning), Cell::Text(p.reporting.swedish().to_string()));
            if let Some(share) = p.share {
                row.insert(Some(Column::Andel), share_cell(style, share));
            }
            row.insert(Some(Column::Sysselsattningsgrad), share_cell(style, p.employment));
            row.insert(Some(Column::Huvudaktivitet), activity_cell(style, &p.main_activity));
            if Month::of(p.start) == wb.month {
                row.insert(None, Cell::Text("Ny i projektet".into()));
            }
            row
        })
        .collect()
}

fn tidrapport(org: &OrgPlan, wb: &WorkbookPlan) -> Vec<Row> {
    let style = &org.style;
    wb.time
        .iter()
        .map(|t| {
            let mut row = BTreeMap::new();
            let name = org.staff.get(t.person).map_or_else(String::new, |p| p.name.clone());
            row.insert(Some(Column::Namn), Cell::Text(name));
            let when = match t.when {
                When::Day(d) => date_cell(style, d),
                When::Month(m) => Cell::Text(m.to_string()),
            };
            row.insert(Some(Column::Datum), when);
            row.insert(Some(Column::Aktivitet), activity_cell(style, &t.activity));
            row.insert(Some(Column::Timmar), hours_cell(t.cell, t.hours));
            row.insert(Some(Column::Kommentar), Cell::Text(t.comment.clone()));
            row
        })
        .collect()
}

fn franvaro(org: &OrgPlan, wb: &WorkbookPlan) -> Vec<Row> {
    let style = &org.style;
    wb.absence
        .iter()
        .map(|a| {
            let mut row = BTreeMap::new();
            let name = org.staff.get(a.person).map_or_else(String::new, |p| p.name.clone());
            row.insert(Some(Column::Namn), Cell::Text(name));
            row.insert(Some(Column::Manad), month_cell(style, a.month));
            row.insert(Some(Column::Timmar), Cell::Number(f64_of(a.hours)));
            row.insert(Some(Column::Orsak), Cell::Text(a.reason.to_string()));
            row
        })
        .collect()
}

fn deltagare(org: &OrgPlan, wb: &WorkbookPlan) -> Vec<Row> {
    let style = &org.style;
    wb.participants
        .iter()
        .map(|p| {
            let mut row = BTreeMap::new();
            row.insert(Some(Column::Datum), date_cell(style, p.date));
            row.insert(Some(Column::Aktivitet), activity_cell(style, &p.activity));
            row.insert(Some(Column::Traff), Cell::Text(p.event.clone()));
            row.insert(Some(Column::Organisationsnummer), Cell::Text(org_nr_text(style, &p.org_nr)));
            row.insert(Some(Column::Organisation), Cell::Text(p.org_name.clone()));
            let gender = match (style.gender, p.gender) {
                (GenderForm::Words, Gender::Woman) => "Kvinna",
                (GenderForm::Words, Gender::Man) => "Man",
                (GenderForm::Words, Gender::NotStated) => "Ej angivet",
                (GenderForm::Letters, Gender::Woman) => "K",
                (GenderForm::Letters, Gender::Man) => "M",
                (GenderForm::Letters, Gender::NotStated) => "",
            };
            row.insert(Some(Column::Kon), Cell::Text(gender.to_string()));
            row
        })
        .collect()
}

fn indikatorer(wb: &WorkbookPlan) -> Vec<Row> {
    wb.indicators
        .iter()
        .map(|i| {
            let mut row = BTreeMap::new();
            row.insert(Some(Column::Indikator), Cell::Text(i.indicator.clone()));
            row.insert(Some(Column::Varde), Cell::Number(f64_of(i.value)));
            row.insert(Some(Column::Kommentar), Cell::Text(i.comment.clone()));
            row
        })
        .collect()
}

fn lagesbeskrivning(org: &OrgPlan, wb: &WorkbookPlan) -> Vec<Row> {
    wb.narratives
        .iter()
        .map(|n| {
            let mut row = BTreeMap::new();
            row.insert(Some(Column::Aktivitet), activity_cell(&org.style, &n.activity));
            row.insert(Some(Column::Genomfort), Cell::Text(n.done.clone()));
            row.insert(Some(Column::Resultat), Cell::Text(n.results.clone()));
            row.insert(Some(Column::Avvikelser), Cell::Text(n.deviations.clone()));
            row
        })
        .collect()
}

fn medfinansiering(org: &OrgPlan, wb: &WorkbookPlan) -> Vec<Row> {
    let style = &org.style;
    wb.payments
        .iter()
        .map(|p| {
            let mut row = BTreeMap::new();
            row.insert(Some(Column::Datum), date_cell(style, p.date));
            row.insert(Some(Column::Finansiar), Cell::Text(p.financier.clone()));
            if let Some(nr) = &p.org_nr {
                row.insert(Some(Column::Organisationsnummer), Cell::Text(org_nr_text(style, nr)));
            }
            row.insert(Some(Column::Typ), Cell::Text(p.kind.to_string()));
            row.insert(Some(Column::Belopp), Cell::Number(f64_of(p.amount)));
            row.insert(Some(Column::Verifikation), Cell::Text(p.voucher.clone()));
            row.insert(Some(Column::Kommentar), Cell::Text(p.comment.clone()));
            row
        })
        .collect()
}

/// Renders one planned workbook. `project` is the project's name, for titles.
pub fn workbook(org: &OrgPlan, wb: &WorkbookPlan, project: &str) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    // A fixed creation time from the plan: the afternoon before attestation.
    let created = wb.attestation.on.pred_opt().unwrap_or(wb.attestation.on);
    let properties = DocProperties::new()
        .set_author(wb.persons.first().and_then(|i| org.staff.get(*i)).map_or(&wb.attestation.by, |p| &p.name))
        .set_company(&org.name)
        .set_title(format!("Månadsredovisning {} {}", org.name, wb.month))
        .set_creation_datetime(&excel_date(created)?.and_hms(15, 30, 0)?);
    book.set_properties(&properties);
    let style = &org.style;
    if style.extra_sheet {
        let ws = book.add_worksheet();
        ws.set_name("Instruktioner")?;
        ws.set_column_width(0, 90)?;
        let lines = [
            "Fyll i ett exemplar per månad och lägg det i er mapp i den gemensamma inkorgen.",
            "Personal: en rad per person. Tidrapport: en rad per dag eller månad och aktivitet.",
            "Frånvaro dras bara av för personal med fast andel (sjukdom från dag 15, VAB, tjänstledighet).",
            "Frågor till projektekonomen i Härnösands kommun.",
        ];
        for (i, line) in lines.iter().enumerate() {
            ws.write_string(i as u32, 0, *line)?;
        }
    }
    uppgifter(book.add_worksheet(), &f, org, wb, project)?;
    let title = |what: &str| format!("{what} – {}, {}", org.name, wb.month.swedish());
    let sheets: [(Sheet, &str, Vec<Row>); 6] = [
        (Sheet::Personal, "Personal i projektet", personal(org, wb)),
        (Sheet::Tidrapport, "Tidrapport", tidrapport(org, wb)),
        (Sheet::Franvaro, "Frånvaro", franvaro(org, wb)),
        (Sheet::Deltagare, "Deltagare", deltagare(org, wb)),
        (Sheet::Indikatorer, "Indikatorer", indikatorer(wb)),
        (Sheet::Lagesbeskrivning, "Lägesbeskrivning", lagesbeskrivning(org, wb)),
    ];
    for (sheet, what, rows) in &sheets {
        table(book.add_worksheet(), &f, style, *sheet, &title(what), rows)?;
    }
    // Optional: only a month with payments has the sheet.
    if !wb.payments.is_empty() {
        let rows = medfinansiering(org, wb);
        table(book.add_worksheet(), &f, style, Sheet::Medfinansiering, &title("Inbetald medfinansiering"), &rows)?;
    }
    book.save_to_buffer()
}

/// The bytes of an Office lock file naming `owner` (what Excel leaves while a file is open).
pub fn lock_file(owner: &str) -> Vec<u8> {
    // Excel's owner file: the name's length and the name, padded to 54 bytes, then the name
    // again in UTF-16 with its length, padded to 165 bytes. Only its existence matters.
    let latin: Vec<u8> = owner.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).take(53).collect();
    let mut bytes = vec![latin.len() as u8];
    bytes.extend(&latin);
    bytes.resize(54, b' ');
    let utf16: Vec<u16> = owner.encode_utf16().take(50).collect();
    bytes.extend((utf16.len() as u16).to_le_bytes());
    for u in utf16 {
        bytes.extend(u.to_le_bytes());
    }
    bytes.resize(165, b' ');
    bytes
}
