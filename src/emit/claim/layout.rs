//! Layout for the claim workbook: cell values by kind, number formats, tables with totals rows,
//! and the setup every sheet shares (page header and footer, landscape, fit to width, column
//! widths, frozen header). It knows nothing of the figures; [`super`] decides what goes where.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Table, TableColumn, TableFunction, TableStyle,
    Worksheet, XlsxError,
};

use crate::month::Month;

pub(in crate::emit) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Page header and footer texts shared by every sheet.
pub(super) struct Titles {
    pub(super) project: String,
    pub(super) period: String,
}

/// Every cell format of the workbook.
pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) heading: Format,
    pub(super) label: Format,
    pub(super) text: Format,
    pub(super) wrap: Format,
    pub(super) header: Format,
    pub(super) header_right: Format,
    pub(super) header_center: Format,
    pub(super) small: Format,
    pub(super) money: Format,
    pub(super) money_bold: Format,
    pub(super) hours: Format,
    pub(super) rate: Format,
    pub(super) share: Format,
    pub(super) date: Format,
    pub(super) date_left: Format,
    pub(super) month: Format,
    pub(super) count: Format,
    pub(super) number: Format,
    pub(super) total_text: Format,
    pub(super) total_money: Format,
    pub(super) total_hours: Format,
    pub(super) total_share: Format,
}

/// Swedish currency: Excel in a Swedish locale shows `1 234,50 kr`; the language tag makes
/// LibreOffice do the same whatever its own locale.
const MONEY: &str = "[$-41D]#,##0.00 \"kr\"";
const HOURS: &str = "[$-41D]#,##0.00";
const RATE: &str = "[$-41D]0.00 %";
const SHARE: &str = "[$-41D]0.0 %";
const DATE: &str = "yyyy-mm-dd";
const MONTH: &str = "yyyy-mm";
const COUNT: &str = "[$-41D]#,##0";
const NUMBER: &str = "[$-41D]General";
const HEADER_FILL: u32 = 0x1F4E79;
const TOTAL_FILL: u32 = 0xDDEBF7;

impl Formats {
    pub(super) fn new() -> Formats {
        let base = Format::new().set_align(FormatAlign::Top);
        let total = base.clone().set_bold().set_border_top(FormatBorder::Thin).set_background_color(TOTAL_FILL);
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_font_color(0xFFFFFF)
            .set_background_color(HEADER_FILL);
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            heading: Format::new().set_bold().set_font_size(12),
            // Text a step in from the left: a right-aligned number before it never runs into
            // it ("36,6 %Nej").
            label: base.clone().set_bold(),
            text: base.clone().set_indent(1),
            wrap: base.clone().set_text_wrap().set_indent(1),
            header: header.clone().set_indent(1),
            header_right: header.clone().set_align(FormatAlign::Right),
            header_center: header.set_align(FormatAlign::Center),
            small: base.clone().set_font_size(8).set_indent(1),
            money: base.clone().set_num_format(MONEY),
            money_bold: base.clone().set_bold().set_num_format(MONEY),
            hours: base.clone().set_num_format(HOURS),
            rate: base.clone().set_num_format(RATE),
            share: base.clone().set_num_format(SHARE),
            date: base.clone().set_num_format(DATE).set_align(FormatAlign::Center),
            date_left: base.clone().set_num_format(DATE).set_align(FormatAlign::Left),
            month: base.clone().set_num_format(MONTH).set_align(FormatAlign::Center),
            count: base.clone().set_num_format(COUNT).set_align(FormatAlign::Center),
            number: base.clone().set_num_format(NUMBER),
            total_text: total.clone(),
            total_money: total.clone().set_num_format(MONEY),
            total_hours: total.clone().set_num_format(HOURS),
            total_share: total.set_num_format(SHARE),
        }
    }
}

/// A value to write, by what it is.
pub(super) enum Cell {
    /// Text, always written as a string (partner text can start with `=`).
    Text(String),
    /// Kronor.
    Money(Decimal),
    /// Hours, shown with two decimals.
    Hours(Decimal),
    /// A rate (fraction) shown as a percentage with two decimals.
    Rate(Decimal),
    /// A share used (fraction) with one decimal; blank when there is no budget.
    Share(Option<Decimal>),
    Date(NaiveDate),
    Month(Option<Month>),
    Count(Option<u64>),
    /// A plain number (indicator values), shown as is.
    Number(Decimal),
    Empty,
}

impl Cell {
    pub(super) fn is_number(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Date(_) | Cell::Month(_) | Cell::Empty)
    }
    pub(super) fn is_date(&self) -> bool {
        matches!(self, Cell::Date(_) | Cell::Month(_))
    }
}

pub(super) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The `f64` of an exact amount, at the moment of writing a number cell.
pub(super) fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

pub(super) fn write_cell(ws: &mut Worksheet, fm: &Formats, row: u32, col: u16, cell: &Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) if s.is_empty() => {}
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, &fm.text)?;
        }
        Cell::Money(d) => {
            ws.write_number_with_format(row, col, num(*d), &fm.money)?;
        }
        Cell::Hours(d) => {
            ws.write_number_with_format(row, col, num(*d), &fm.hours)?;
        }
        Cell::Rate(d) => {
            ws.write_number_with_format(row, col, num(*d), &fm.rate)?;
        }
        Cell::Share(Some(d)) => {
            ws.write_number_with_format(row, col, num(*d), &fm.share)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, &excel_date(*d)?, &fm.date)?;
        }
        Cell::Month(Some(m)) => {
            ws.write_datetime_with_format(row, col, &excel_date(m.first_day())?, &fm.month)?;
        }
        Cell::Count(Some(n)) => {
            ws.write_number_with_format(row, col, *n as f64, &fm.count)?;
        }
        Cell::Number(d) => {
            ws.write_number_with_format(row, col, num(*d), &fm.number)?;
        }
        Cell::Share(None) | Cell::Month(None) | Cell::Count(None) | Cell::Empty => {}
    }
    Ok(())
}

/// What a table's totals row shows in a column.
pub(super) enum Total {
    None,
    Label(&'static str),
    /// `SUBTOTAL(109, column)`, cached as the model's total.
    Sum(Decimal),
    /// Hours: `SUBTOTAL(109, column)`, cached as the model's total.
    SumHours(Decimal),
    /// Share used: the sum of `num` over the sum of `den`, cached as the model's share.
    Share {
        num: &'static str,
        den: &'static str,
        value: Option<Decimal>,
    },
}

/// A table column: header, width (characters), wrapped text, totals.
pub(super) struct Col {
    pub(super) header: &'static str,
    width: f64,
    wrap: bool,
    /// Small print (checksums).
    small: bool,
    total: Total,
}

pub(super) fn col(header: &'static str, width: f64) -> Col {
    Col { header, width, wrap: false, small: false, total: Total::None }
}

impl Col {
    pub(super) fn wrap(mut self) -> Col {
        self.wrap = true;
        self
    }
    pub(super) fn small(mut self) -> Col {
        self.small = true;
        self
    }
    pub(super) fn total(mut self, total: Total) -> Col {
        self.total = total;
        self
    }
}

/// Exact decimal text for a formula's cached result.
fn cached(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Structured reference to a table's column, with Excel's escapes. The table is named: an
/// unqualified `[column]` is Excel's own shorthand, but LibreOffice cannot resolve it.
fn column_ref(table: &str, header: &str) -> String {
    let escaped: String = header
        .chars()
        .flat_map(|c| match c {
            '\'' | '#' | '[' | ']' => vec!['\'', c],
            _ => vec![c],
        })
        .collect();
    format!("{table}[{escaped}]")
}

fn total_formula(total: &Total, table: &str, header: &str) -> Option<Formula> {
    match total {
        Total::Sum(d) | Total::SumHours(d) => {
            Some(Formula::new(format!("SUBTOTAL(109,{})", column_ref(table, header))).set_result(cached(*d)))
        }
        Total::Share { num, den, value } => {
            let f = Formula::new(format!(
                "IFERROR(SUBTOTAL(109,{})/SUBTOTAL(109,{}),\"\")",
                column_ref(table, num),
                column_ref(table, den)
            ));
            Some(match value {
                Some(v) => f.set_result(cached(*v)),
                None => f.set_result(""),
            })
        }
        Total::None | Total::Label(_) => None,
    }
}

/// Where a table's data lies, for chart ranges.
pub(super) struct TableRef {
    pub(super) sheet: &'static str,
    pub(super) first_row: u32,
    pub(super) last_row: u32,
    /// The column headers, left to right from column A.
    pub(super) headers: Vec<&'static str>,
}

impl TableRef {
    /// The column (0-based) under `header`; charts name their columns, never count them.
    pub(super) fn column(&self, header: &str) -> Result<u16, XlsxError> {
        self.headers
            .iter()
            .position(|h| *h == header)
            .and_then(|i| u16::try_from(i).ok())
            .ok_or_else(|| XlsxError::ParameterError(format!("no column «{header}» in {}", self.sheet)))
    }
}

/// A sheet being laid out: keeps the widest width asked for each column.
pub(super) struct Sheet<'a> {
    pub(super) ws: &'a mut Worksheet,
    widths: Vec<f64>,
}

impl<'a> Sheet<'a> {
    pub(super) fn new(ws: &'a mut Worksheet, name: &str, titles: &Titles) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
        ws.set_header(format!(
            "&L&\"-,Bold\"{}&R{}",
            header_escape(name),
            header_escape(&format!("{} · {}", titles.project, titles.period))
        ));
        ws.set_footer("&LSkapad av redovisa ur de attesterade underlagen&RSida &P av &N");
        Ok(Sheet { ws, widths: Vec::new() })
    }

    fn widen(&mut self, col: usize, width: f64) {
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0.0);
        }
        self.widths[col] = self.widths[col].max(width);
    }

    /// A table at `top` (its header row). Returns the row after the table.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn table(
        &mut self,
        fm: &Formats,
        name: &str,
        top: u32,
        cols: &[Col],
        rows: &[Vec<Cell>],
        totals: bool,
        empty: &str,
    ) -> Result<(u32, TableRef), XlsxError> {
        let placeholder = [vec![text(empty)]];
        let rows: &[Vec<Cell>] = if rows.is_empty() { &placeholder } else { rows };
        for (i, row) in rows.iter().enumerate() {
            let r = top + 1 + i as u32;
            let mut lines = 1;
            for (c, cell) in row.iter().enumerate() {
                match (cell, cols.get(c)) {
                    (Cell::Text(s), Some(col)) if col.wrap && !s.is_empty() => {
                        self.ws.write_string_with_format(r, c as u16, s, &fm.wrap)?;
                        lines = lines.max(wrapped_lines(s, col.width));
                    }
                    (Cell::Text(s), Some(col)) if col.small && !s.is_empty() => {
                        self.ws.write_string_with_format(r, c as u16, s, &fm.small)?;
                    }
                    _ => write_cell(self.ws, fm, r, c as u16, cell)?,
                }
            }
            // Not every reader sizes rows to wrapped text on load: give them the height.
            if lines > 1 {
                self.ws.set_row_height(r, 15.0 * f64::from(lines))?;
            }
        }
        let last_data = top + rows.len() as u32;
        let last = if totals { last_data + 1 } else { last_data };
        // Headers line up with their values: numbers right, dates centred, text left.
        let kind = |c: usize, test: fn(&Cell) -> bool| rows.iter().any(|r| r.get(c).is_some_and(test));
        let header_formats: Vec<&Format> = (0..cols.len())
            .map(|c| {
                if kind(c, Cell::is_number) {
                    &fm.header_right
                } else if kind(c, Cell::is_date) {
                    &fm.header_center
                } else {
                    &fm.header
                }
            })
            .collect();
        let columns: Vec<TableColumn> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let header = header_formats[i];
                let tc = TableColumn::new().set_header(c.header).set_header_format(header);
                match (&c.total, total_formula(&c.total, name, c.header)) {
                    (Total::Label(l), _) => tc.set_total_label(*l),
                    (_, Some(formula)) => tc.set_total_function(TableFunction::Custom(formula)),
                    _ => tc,
                }
            })
            .collect();
        let table =
            Table::new().set_name(name).set_style(TableStyle::Light9).set_total_row(totals).set_columns(&columns);
        self.ws.add_table(top, 0, last, cols.len() as u16 - 1, &table)?;
        if totals {
            // Rewrite the totals row with the workbook's own formats (table styles do not
            // render everywhere).
            for (c, column) in cols.iter().enumerate() {
                let c16 = c as u16;
                match (&column.total, total_formula(&column.total, name, column.header)) {
                    (Total::Label(l), _) => {
                        self.ws.write_string_with_format(last, c16, *l, &fm.total_text)?;
                    }
                    (Total::SumHours(_), Some(formula)) => {
                        self.ws.write_formula_with_format(last, c16, formula, &fm.total_hours)?;
                    }
                    (Total::Share { .. }, Some(formula)) => {
                        self.ws.write_formula_with_format(last, c16, formula, &fm.total_share)?;
                    }
                    (_, Some(formula)) => {
                        self.ws.write_formula_with_format(last, c16, formula, &fm.total_money)?;
                    }
                    _ => {
                        self.ws.write_blank(last, c16, &fm.total_text)?;
                    }
                }
            }
        }
        // Header rows hold at most two lines of wrapped text, one when every header fits on one
        // (bold headers take a little more room than the estimate's plain text).
        let two = cols.iter().any(|c| wrapped_lines(c.header, c.width * 0.9) > 1);
        self.ws.set_row_height(top, if two { 31 } else { 16 })?;
        for (c, column) in cols.iter().enumerate() {
            self.widen(c, column.width);
        }
        Ok((
            last + 1,
            TableRef {
                sheet: "",
                first_row: top + 1,
                last_row: last_data,
                headers: cols.iter().map(|c| c.header).collect(),
            },
        ))
    }

    /// A bold section title in column A.
    pub(super) fn heading(&mut self, fm: &Formats, row: u32, title: &str) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, 0, title, &fm.heading)?;
        self.ws.set_row_height(row, 20)?;
        Ok(())
    }

    /// An explanation under a table: wrapped text over the columns the sheet has so far.
    pub(super) fn note(&mut self, fm: &Formats, row: u32, text: &str) -> Result<(), XlsxError> {
        let last = u16::try_from(self.widths.len().saturating_sub(1)).unwrap_or(0);
        let width: f64 = self.widths.iter().sum();
        if last == 0 {
            self.ws.write_string_with_format(row, 0, text, &fm.wrap)?;
        } else {
            self.ws.merge_range(row, 0, row, last, text, &fm.wrap)?;
        }
        self.ws.set_row_height(row, 15.0 * f64::from(wrapped_lines(text, width)))?;
        Ok(())
    }

    /// Prints the sheet two pages wide: the columns before `at` on the first, the rest on the
    /// second with the first `repeat` columns again (a table too wide to read on one page).
    pub(super) fn print_in_two(&mut self, at: u16, repeat: u16) -> Result<(), XlsxError> {
        self.ws.set_print_fit_to_pages(2, 0);
        self.ws.set_vertical_page_breaks(&[u32::from(at)])?;
        if repeat > 0 {
            self.ws.set_repeat_columns(0, repeat - 1)?;
        }
        Ok(())
    }

    pub(super) fn finish(self, freeze_below: u32, repeat: Option<u32>) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w)?;
        }
        if freeze_below > 0 {
            self.ws.set_freeze_panes(freeze_below, 0)?;
        }
        if let Some(row) = repeat {
            self.ws.set_repeat_rows(0, row)?;
        }
        Ok(())
    }
}

/// Lines a text takes when wrapped in a column `width` characters wide (an estimate on the safe
/// side: words wrap whole, a word longer than the line is cut).
fn wrapped_lines(text: &str, width: f64) -> u32 {
    let capacity = ((width * 1.2) as usize).saturating_sub(2).max(1);
    text.split('\n')
        .map(|line| {
            let mut lines = 1;
            let mut used = 0;
            for word in line.split(' ').map(|w| w.chars().count()) {
                let need = if used == 0 { word } else { used + 1 + word };
                if need <= capacity {
                    used = need;
                } else if used == 0 {
                    lines += (word - 1) / capacity;
                    used = (word - 1) % capacity + 1;
                } else {
                    lines += 1 + word.saturating_sub(1) / capacity;
                    used = word.saturating_sub(1) % capacity + 1;
                }
            }
            lines
        })
        .sum::<usize>()
        .clamp(1, 100) as u32
}

/// Escapes `&` for Excel page header and footer codes.
fn header_escape(s: &str) -> String {
    s.replace('&', "&&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_estimate_on_the_safe_side() {
        assert_eq!(wrapped_lines("", 40.0), 1);
        assert_eq!(wrapped_lines("kort", 40.0), 1);
        assert_eq!(wrapped_lines(&"ord ".repeat(30), 20.0), 6);
        assert_eq!(wrapped_lines(&"x".repeat(100), 20.0), 5);
        assert_eq!(wrapped_lines("en\ntvå", 40.0), 2);
    }

    #[test]
    fn column_references_escape_brackets_and_quotes() {
        assert_eq!(column_ref("T", "Lön"), "T[Lön]");
        assert_eq!(column_ref("T", "a[b]#'c"), "T[a'[b']'#''c]");
    }
}
