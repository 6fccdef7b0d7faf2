//! One worksheet as a sparse grid of raw cells, read through calamine's streaming cell reader.
//!
//! The streaming reader never builds a dense range, so a stray cell in row 1 048 576 costs one
//! cell, not a billion, whatever the sheet's `<dimension>` claims. What a workbook may make us
//! hold is capped ([`Limits`], counted in a [`Budget`] shared by its sheets): non-empty cells,
//! data rows per sheet, and bytes of cell text — the last because a cell that refers to a shared
//! string gets its own copy, so a 1 MB string referenced by every cell would otherwise cost a
//! megabyte per cell. A cell outside Excel's grid or with more text than Excel allows in a cell
//! cannot come from Excel. Past any of these the file is unreadable rather than slow or huge.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::guard::Limits;
use super::value::Raw;
use crate::finding::{FileProblem, ParserTrouble, cell_ref};

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

/// Excel's last row, 0-based (row 1 048 576).
pub const EXCEL_LAST_ROW: u32 = 1_048_575;
/// Excel's last column, 0-based (column XFD).
pub const EXCEL_LAST_COL: u32 = 16_383;
/// The most characters Excel lets a cell hold.
pub const EXCEL_CELL_CHARS: usize = 32_767;

/// What is left of a workbook's reading limits while its sheets are read.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Non-empty cells still allowed.
    pub cells: usize,
    /// Bytes of cell text still allowed.
    pub text_bytes: usize,
}

impl Budget {
    /// The full budget of one workbook.
    pub fn new(limits: &Limits) -> Budget {
        Budget { cells: limits.max_cells, text_bytes: limits.max_text_bytes }
    }
}

/// An open workbook whose container passed the guard.
pub struct Book<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
}

/// The text calamine hands over for a cell, if any.
fn text_of<'v>(value: &'v DataRef<'_>) -> Option<&'v str> {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.as_str()),
        DataRef::SharedString(s) => Some(*s),
        _ => None,
    }
}

/// calamine's error, with what it means in Swedish and the technical detail in parentheses.
fn unreadable(e: XlsxError) -> FileProblem {
    // A worksheet's zip stream is only inflated here, not by the guard's census.
    if let Some(u) = super::guard::broken_stream(&e.to_string()) {
        return u;
    }
    let why = match &e {
        XlsxError::Xml(quick_xml::Error::Encoding(_)) | XlsxError::Encoding(_) => ParserTrouble::NotUtf8,
        XlsxError::Xml(quick_xml::Error::Io(_)) | XlsxError::Io(_) | XlsxError::Zip(_) => ParserTrouble::Damaged,
        XlsxError::Password => ParserTrouble::Password,
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound | XlsxError::WorksheetNotFound(_) => {
            ParserTrouble::PartMissing
        }
        _ => ParserTrouble::Other,
    };
    FileProblem::Parser { why, detail: e.to_string() }
}

impl<'a> Book<'a> {
    /// Opens the workbook (reads its shared strings, styles and sheet list).
    pub fn open(bytes: &'a [u8]) -> Result<Book<'a>, FileProblem> {
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
        Ok(Book { xlsx })
    }

    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// Reads one worksheet, spending from the workbook's `budget`.
    pub fn grid(&mut self, name: &str, limits: &Limits, budget: &mut Budget) -> Result<Grid, FileProblem> {
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
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? {
            let (row, col) = cell.get_position();
            if row > EXCEL_LAST_ROW || col > EXCEL_LAST_COL {
                return Err(FileProblem::CellOutsideGrid {
                    sheet: name.to_string(),
                    row: u64::from(row) + 1,
                    col: u64::from(col) + 1,
                });
            }
            if let Some(text) = text_of(cell.get_value()) {
                // Checked before the text is copied: a byte count bounds the characters.
                if text.len() > EXCEL_CELL_CHARS && text.chars().count() > EXCEL_CELL_CHARS {
                    return Err(FileProblem::CellTextTooLong {
                        sheet: name.to_string(),
                        cell: cell_ref(row, col),
                        max: EXCEL_CELL_CHARS,
                    });
                }
                budget.text_bytes = budget
                    .text_bytes
                    .checked_sub(text.len())
                    .ok_or(FileProblem::TooMuchText { max_mb: limits.max_text_bytes as u64 >> 20 })?;
            }
            let is_percent = percent.get(style).copied().unwrap_or(false);
            let Some(raw) = Raw::from_calamine(cell.get_value().clone(), is_percent) else { continue };
            budget.cells = budget
                .cells
                .checked_sub(1)
                .ok_or_else(|| FileProblem::TooManyCells { sheet: name.to_string(), max: limits.max_cells as u64 })?;
            match rows.last_mut() {
                Some(last) if last.index == row => last.cells.push((col, raw)),
                _ => {
                    if rows.len() >= limits.max_rows {
                        return Err(FileProblem::TooManyRows { sheet: name.to_string(), max: limits.max_rows as u64 });
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
