//! One worksheet as a sparse grid of raw cells, read through calamine's streaming cell reader.
//!
//! The streaming reader never builds a dense range, so a stray cell in row 1 048 576 costs one
//! cell, not a billion. Counts of cells and data rows are capped ([`Limits`]); past a cap the file
//! is unreadable rather than slow.

use std::io::Cursor;

use calamine::{Reader, Xlsx, XlsxError};

use super::guard::{Limits, Unreadable};
use super::value::Raw;

/// A row of a grid: its 0-based index and its non-empty cells by 0-based column.
#[derive(Debug, Clone, Default)]
pub struct GridRow {
    pub index: u32,
    pub cells: Vec<(u32, Raw)>,
}

impl GridRow {
    /// The cell in column `col`, if not empty.
    pub fn get(&self, col: u32) -> Option<&Raw> {
        self.cells.binary_search_by_key(&col, |(c, _)| *c).ok().map(|i| &self.cells[i].1)
    }
}

/// A worksheet's non-empty cells, rows in order.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The sheet's name as written in the workbook.
    pub name: String,
    pub rows: Vec<GridRow>,
}

impl Grid {
    /// The row with 0-based index `index`, if it holds anything.
    pub fn row(&self, index: u32) -> Option<&GridRow> {
        self.rows.binary_search_by_key(&index, |r| r.index).ok().map(|i| &self.rows[i])
    }
}

/// An open workbook whose container passed the guard.
pub struct Book<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
}

fn unreadable(e: XlsxError) -> Unreadable {
    Unreadable(format!("Arbetsboken går inte att läsa ({e}). Öppna den i Excel, spara som .xlsx och lägg in den igen."))
}

impl<'a> Book<'a> {
    /// Opens the workbook (reads its shared strings, styles and sheet list).
    pub fn open(bytes: &'a [u8]) -> Result<Book<'a>, Unreadable> {
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
        Ok(Book { xlsx })
    }

    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// Reads one worksheet; `cells_left` is the workbook's remaining cell budget.
    pub fn grid(&mut self, name: &str, limits: &Limits, cells_left: &mut usize) -> Result<Grid, Unreadable> {
        let mut reader = match self.xlsx.worksheet_cells_reader(name) {
            Ok(r) => r,
            // A chart sheet or dialog sheet under a contract name holds no table.
            Err(XlsxError::NotAWorksheet(_)) => return Ok(Grid { name: name.to_string(), rows: Vec::new() }),
            Err(e) => return Err(unreadable(e)),
        };
        let percent: Vec<bool> = reader
            .styles()
            .iter()
            .map(|s| s.number_format.as_ref().is_some_and(|f| is_percent_format(&f.format_code)))
            .collect();
        let mut rows: Vec<GridRow> = Vec::new();
        let too_big = || {
            Unreadable(format!(
                "Bladet «{name}» innehåller för många ifyllda celler för en månads redovisning (högst {} rader). \
                 Ta bort överflödiga rader och spara på nytt.",
                limits.max_rows
            ))
        };
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? {
            let (row, col) = cell.get_position();
            let is_percent = percent.get(style).copied().unwrap_or(false);
            let Some(raw) = Raw::from_calamine(cell.get_value().clone(), is_percent) else { continue };
            *cells_left = cells_left.checked_sub(1).ok_or_else(too_big)?;
            match rows.last_mut() {
                Some(last) if last.index == row => last.cells.push((col, raw)),
                _ => {
                    if rows.len() >= limits.max_rows {
                        return Err(too_big());
                    }
                    rows.push(GridRow { index: row, cells: vec![(col, raw)] })
                }
            }
        }
        // Cells normally stream in order; sort in case a writer did not, then merge split rows.
        if !rows.windows(2).all(|w| w[0].index < w[1].index) {
            rows.sort_by_key(|r| r.index);
            rows.dedup_by(|later, earlier| {
                if later.index == earlier.index {
                    earlier.cells.append(&mut later.cells);
                    true
                } else {
                    false
                }
            });
        }
        for r in &mut rows {
            r.cells.sort_by_key(|(c, _)| *c);
            r.cells.dedup_by_key(|(c, _)| *c);
        }
        Ok(Grid { name: name.to_string(), rows })
    }
}

/// Whether a number format shows values as percent (a `%` outside quotes and brackets).
pub fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00 %"));
        assert!(!is_percent_format("0.00"));
        assert!(!is_percent_format("\"%\"0"));
        assert!(!is_percent_format("General"));
    }
}
