//! The time report of one organisation (`tidredovisning-<mapp>-<from>_<to>.xlsx`): a sheet per
//! person who reports time, as an extract of the project's own time reporting for Tillväxtverket.
//!
//! Each sheet: the project, the employer, the person and role and the months covered; then one
//! block per month — its time rows (date, hours, activity code and name, the row's text), the
//! sum of the rows, what the annual cap left out, for a correction the month as it stands now and
//! what the earlier claims counted, and the hours in this claim — then the person's total, a
//! statement and lines to sign and date. Printed A4 portrait, fitted to the page width, the
//! column headings repeated on every page. Hours are number cells with two decimals; partner text
//! is always written as text.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::Texts;
use crate::emit::EmitError;
use crate::emit::claim::layout::excel_date;
use crate::emit::report::texts::fill;
use crate::month::Month;
use crate::read::When;
use crate::reconcile::attachments::{PersonTime, TimeMonth, TimeReport};
use crate::reconcile::model::{Concerns, Figures};

/// Renders one organisation's time report.
pub fn render(figures: &Figures, report: &TimeReport, texts: &Texts) -> Result<Vec<u8>, EmitError> {
    build(figures, report, texts).map_err(|e| EmitError::Xlsx(e.to_string()))
}

/// Column headings of the time rows.
const COLUMNS: [(&str, f64); 5] =
    [("Datum", 16.0), ("Timmar", 10.0), ("Aktivitet", 10.0), ("Aktivitetens namn", 38.0), ("Text", 46.0)];

/// The label of the row that holds a month's hours in this claim.
pub const IN_CLAIM: &str = "I ansökan";

struct Formats {
    title: Format,
    label: Format,
    text: Format,
    wrap: Format,
    header: Format,
    header_right: Format,
    header_center: Format,
    code: Format,
    group: Format,
    date: Format,
    month: Format,
    hours: Format,
    sum_label: Format,
    sum_hours: Format,
    claim_label: Format,
    claim_hours: Format,
    note: Format,
    long_note: Format,
    line: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_align(FormatAlign::Top);
        let hours = "[$-41D]#,##0.00";
        let rule = |f: Format| f.set_border_top(FormatBorder::Thin);
        let header = Format::new()
            .set_bold()
            .set_font_color(0xFFFFFF)
            .set_background_color(0x1F4E79)
            .set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            label: base.clone().set_bold(),
            text: base.clone(),
            wrap: base.clone().set_text_wrap(),
            header_right: header.clone().set_align(FormatAlign::Right),
            header_center: header.clone().set_align(FormatAlign::Center),
            header,
            code: base.clone().set_align(FormatAlign::Center),
            group: base.clone().set_bold().set_background_color(0xDDEBF7),
            date: base.clone().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Left),
            month: base.clone().set_num_format("yyyy-mm").set_align(FormatAlign::Left),
            hours: base.clone().set_num_format(hours),
            sum_label: rule(base.clone()),
            sum_hours: rule(base.clone().set_num_format(hours)),
            claim_label: base.clone().set_bold(),
            claim_hours: base.clone().set_bold().set_num_format(hours),
            note: base.clone().set_italic().set_font_color(0x595959),
            long_note: base.clone().set_italic().set_font_color(0x595959).set_text_wrap(),
            line: Format::new().set_border_top(FormatBorder::Thin).set_font_size(9),
        }
    }
}

fn build(f: &Figures, report: &TimeReport, texts: &Texts) -> Result<Vec<u8>, XlsxError> {
    let fm = Formats::new();
    let mut wb = Workbook::new();
    let created = excel_date(f.document_date())?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} – {}",
                fill(&texts.time_report.title, &values(f, report, None)),
                report.employer.name
            ))
            .set_subject(format!("Ansökan om utbetalning {} – projekt {}", f.claim_seq, f.project_id))
            .set_author("redovisa")
            .set_company(report.employer.name.as_str())
            .set_creation_datetime(&created),
    );
    let mut used: Vec<String> = Vec::new();
    for person in &report.persons {
        let name = sheet_name(&partner(&person.name, f), &used);
        used.push(name.clone());
        person_sheet(wb.add_worksheet(), &name, f, report, person, texts, &fm)?;
    }
    wb.save_to_buffer()
}

/// Text a partner typed (a name, a role, a row's Kommentar), any personnummer in it masked: the
/// time report names the person but carries no personnummer (`docs/privacy.md`).
fn partner(text: &str, f: &Figures) -> String {
    crate::privacy::mask_personnummer(text, f.document_date())
}

/// The `f64` of an exact number of hours, at the moment of writing.
fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The values a text of the time report may name (a person's, on the person's sheet).
fn values(f: &Figures, report: &TimeReport, person: Option<&PersonTime>) -> Vec<(&'static str, String)> {
    let (name, role) = person.map_or_else(Default::default, |p| (partner(&p.name, f), partner(&p.role, f)));
    vec![
        ("projekt", f.project_name.clone()),
        ("projektnummer", f.project_id.clone()),
        ("ansokan", f.claim_seq.to_string()),
        ("period", format!("{} – {}", f.period.from, f.period.to)),
        ("arbetsgivare", report.employer.name.clone()),
        ("organisationsnummer", report.employer.org_nr.clone()),
        ("namn", name),
        ("roll", role),
    ]
}

/// What a month is in the claim, in words: `maj 2026 – perioden`.
fn month_heading(m: &TimeMonth) -> String {
    let what = match (m.concerns, m.amends) {
        (Concerns::Period, _) => "perioden".to_string(),
        (Concerns::Late(_), Some(seq)) => format!("sen månad, hör till perioden för ansökan {seq}"),
        (Concerns::Late(_), None) => "sen månad".to_string(),
        (Concerns::Correction(_), Some(seq)) => format!("rättelse av ansökan {seq}"),
        (Concerns::Correction(_), None) => "rättelse".to_string(),
    };
    format!("{} ({}) – {what}", capitalised(&m.month.swedish()), m.month)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |first| first.to_uppercase().chain(c).collect())
}

/// The months a sheet covers, in words: `2026-05 – 2026-08; sen månad 2026-02; rättelse 2026-01`.
fn months_text(person: &PersonTime) -> String {
    let period: Vec<Month> = person.months.iter().filter(|m| m.concerns == Concerns::Period).map(|m| m.month).collect();
    let mut parts: Vec<String> = crate::month::runs(&period)
        .into_iter()
        .map(|(a, b)| if a == b { a.to_string() } else { format!("{a} – {b}") })
        .collect();
    for m in &person.months {
        match m.concerns {
            Concerns::Period => {}
            Concerns::Late(month) => parts.push(format!("sen månad {month}")),
            Concerns::Correction(month) => parts.push(format!("rättelse {month}")),
        }
    }
    parts.join("; ")
}

fn person_sheet(
    ws: &mut Worksheet,
    name: &str,
    f: &Figures,
    report: &TimeReport,
    person: &PersonTime,
    texts: &Texts,
    fm: &Formats,
) -> Result<(), XlsxError> {
    let t = &texts.time_report;
    let vals = values(f, report, Some(person));
    ws.set_name(name)?;
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
    let escape = |s: &str| s.replace('&', "&&");
    ws.set_header(format!(
        "&L&\"-,Bold\"{} – {}&R{}",
        escape(&fill(&t.title, &vals)),
        escape(&partner(&person.name, f)),
        escape(&format!("{} · ansökan {}", report.employer.name, f.claim_seq))
    ));
    ws.set_footer(format!("&L{}&RSida &P av &N", escape(&format!("Projekt {} {}", f.project_id, f.project_name))));
    for (c, (_, width)) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    let last_col = (COLUMNS.len() - 1) as u16;
    ws.write_string_with_format(0, 0, fill(&t.title, &vals), &fm.title)?;
    ws.set_row_height(0, 24)?;
    let facts = [
        ("Projekt", format!("{} {}", f.project_id, f.project_name)),
        ("Arbetsgivare", format!("{} ({})", report.employer.name, report.employer.org_nr)),
        ("Namn", partner(&person.name, f)),
        ("Roll", partner(&person.role, f)),
        ("Månader", months_text(person)),
        ("Ansökan", format!("Ansökan om utbetalning {}, {} – {}", f.claim_seq, f.period.from, f.period.to)),
    ];
    let mut row = 2;
    for (label, value) in &facts {
        ws.write_string_with_format(row, 0, *label, &fm.label)?;
        ws.merge_range(row, 1, row, last_col, value, &fm.text)?;
        row += 1;
    }
    row += 1;
    ws.merge_range(row, 0, row, last_col, &fill(&t.intro, &vals), &fm.wrap)?;
    ws.set_row_height(row, 45)?;
    row += 2;
    let header_row = row;
    for (c, (title, _)) in COLUMNS.iter().enumerate() {
        // Headings line up with their values: the hours right, the code centred, the rest left.
        let format = match c {
            1 => &fm.header_right,
            2 => &fm.header_center,
            _ => &fm.header,
        };
        ws.write_string_with_format(row, c as u16, *title, format)?;
    }
    row += 1;
    let mut whole_month = false;
    let mut absence = false;
    for m in &person.months {
        ws.merge_range(row, 0, row, last_col, &month_heading(m), &fm.group)?;
        row += 1;
        for d in &m.days {
            match d.when {
                When::Day(day) => ws.write_datetime_with_format(row, 0, &excel_date(day)?, &fm.date)?,
                When::Month(month) => {
                    whole_month = true;
                    ws.write_datetime_with_format(row, 0, &excel_date(month.first_day())?, &fm.month)?
                }
            };
            ws.write_number_with_format(row, 1, num(d.hours), &fm.hours)?;
            ws.write_string_with_format(row, 2, &d.activity, &fm.code)?;
            ws.write_string_with_format(row, 3, &d.activity_name, &fm.wrap)?;
            if !d.text.is_empty() {
                ws.write_string_with_format(row, 4, partner(&d.text, f), &fm.wrap)?;
            }
            row += 1;
        }
        // Label, hours and what they are, in words beside them.
        let mut sums: Vec<(&str, Decimal, String, &Format, &Format)> =
            vec![("Summa tidrader", m.reported, String::new(), &fm.sum_label, &fm.sum_hours)];
        if !m.capped.is_zero() {
            let note = format!("timmar över årstaket {}", m.month.year());
            sums.push(("Årstaket tar bort", -m.capped, note, &fm.text, &fm.hours));
        }
        if let Some(before) = m.before {
            sums.push(("Räknas nu", m.hours, String::new(), &fm.text, &fm.hours));
            let claims = m.amends.map_or_else(String::new, |seq| format!("i ansökan {seq}"));
            sums.push(("Räknat förut", before, claims, &fm.text, &fm.hours));
        }
        let what = if m.before.is_some() { "skillnaden mot det som räknats förut" } else { "" };
        sums.push((IN_CLAIM, m.claimed, what.to_string(), &fm.claim_label, &fm.claim_hours));
        for (label, hours, note, lf, hf) in sums {
            ws.write_string_with_format(row, 0, label, lf)?;
            ws.write_number_with_format(row, 1, num(hours), hf)?;
            if !note.is_empty() {
                ws.merge_range(row, 2, row, last_col, &note, &fm.note)?;
            }
            row += 1;
        }
        for a in &m.absences {
            absence = true;
            ws.write_string_with_format(row, 0, "Frånvaro", &fm.text)?;
            ws.write_number_with_format(row, 1, num(a.hours), &fm.hours)?;
            ws.merge_range(row, 2, row, last_col, a.reason, &fm.text)?;
            row += 1;
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Summa i ansökan", &fm.claim_label)?;
    ws.write_number_with_format(row, 1, num(person.claimed), &fm.claim_hours)?;
    row += 2;
    for (on, note) in [(whole_month, &t.whole_month), (absence, &t.absence)] {
        if on {
            ws.merge_range(row, 0, row, last_col, &fill(note, &vals), &fm.long_note)?;
            ws.set_row_height(row, 30)?;
            row += 1;
        }
    }
    row += 1;
    ws.merge_range(row, 0, row, last_col, &fill(&t.statement, &vals), &fm.wrap)?;
    row += 3;
    // Lines to sign on: place and date at the left, the signature at the right, the name below.
    ws.merge_range(row, 0, row, 2, &t.place_and_date, &fm.line)?;
    ws.merge_range(row, 3, row, last_col, &t.signature, &fm.line)?;
    row += 3;
    let name = partner(&person.name, f);
    ws.merge_range(row, 3, row, last_col, &format!("{}: {name}", t.name_clarification), &fm.line)?;
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_print_area(0, 0, row, last_col)?;
    Ok(())
}

/// A person's name as a sheet name: at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with an apostrophe, and unique in the workbook (`Anna Svensson (2)`).
fn sheet_name(name: &str, used: &[String]) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c }).collect();
    let clean = clean.trim().trim_matches('\'').trim().to_string();
    let base = if clean.is_empty() { "Person".to_string() } else { clean };
    let fit = |s: &str, room: usize| s.chars().take(room).collect::<String>().trim_end().to_string();
    let taken = |s: &str| used.iter().any(|u| u.to_lowercase() == s.to_lowercase());
    let first = fit(&base, 31);
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            format!("{}{suffix}", fit(&base, 31 - suffix.chars().count()))
        })
        .find(|s| !taken(s))
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        assert_eq!(sheet_name("Anna Svensson", &[]), "Anna Svensson");
        assert_eq!(sheet_name("Anna Svensson", &["anna svensson".into()]), "Anna Svensson (2)");
        assert_eq!(sheet_name("A/B: [C]", &[]), "A B   C");
        assert_eq!(sheet_name("'", &[]), "Person");
        let long = "Karl-Johan Bernadotte Andersson Lindqvist";
        assert_eq!(sheet_name(long, &[]).chars().count(), 31);
        let second = sheet_name(long, &[sheet_name(long, &[])]);
        assert!(second.ends_with(" (2)") && second.chars().count() <= 31, "{second}");
    }
}
