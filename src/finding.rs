//! Findings: every problem the pipeline sees, as a value with a code, a severity, a place and a
//! Swedish message that says what to do.
//!
//! Findings are collected, never thrown: one partner's broken file must not cost the others their
//! claim. The place is attached where the cell is read. The [`Code`] is the finding's name and
//! its documentation; [`Severity::Error`] means the row or file was left out of the figures,
//! [`Severity::Warning`] that it was counted but deserves a look.

use std::fmt;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row or file is left out of the figures.
    Error,
    /// Counted, but shown.
    Warning,
}

impl Severity {
    /// Swedish word for the severity.
    pub fn swedish(self) -> &'static str {
        match self {
            Severity::Error => "fel",
            Severity::Warning => "varning",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident => $text:literal, $sev:ident; )*) => {
        /// The kind of a finding; its name is its documentation (see `spec/rules.md`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $(#[$doc])* $name, )* }

        impl Code {
            /// Every code, in the order of `spec/rules.md`.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as written in outputs, e.g. `BAD_VALUE`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $text,)* }
            }

            /// The severity the code has unless the context says otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev,)* }
            }
        }
    };
}

codes! {
    /// Not a readable xlsx: corrupt, truncated, encrypted, empty, too large.
    FileUnreadable => "FILE_UNREADABLE", Error;
    /// `.xls`, `.ods`, `.csv`, `.xlsm`.
    WrongFormat => "WRONG_FORMAT", Error;
    /// A required sheet is absent.
    MissingSheet => "MISSING_SHEET", Error;
    /// A required header is absent.
    MissingColumn => "MISSING_COLUMN", Error;
    /// The organisationsnummer belongs to no partner of the project.
    UnknownPartner => "UNKNOWN_PARTNER", Error;
    /// The workbook lies in another partner's folder.
    WrongFolder => "WRONG_FOLDER", Error;
    /// Two different workbooks with the same partner, month and version.
    DuplicateSubmission => "DUPLICATE_SUBMISSION", Error;
    /// No `Attesterad av` / `Attestdatum`: an error in a claim, a warning otherwise.
    NotAttested => "NOT_ATTESTED", Error;
    /// A cell that cannot be read as what its column holds.
    BadValue => "BAD_VALUE", Error;
    /// An organisationsnummer that fails format or Luhn.
    InvalidOrgnr => "INVALID_ORGNR", Error;
    /// A personnummer that fails format, date or Luhn.
    InvalidPersonnummer => "INVALID_PERSONNUMMER", Error;
    /// Time for a name not in `Personal`.
    UnknownPerson => "UNKNOWN_PERSON", Error;
    /// An activity code not in the approved plan.
    UnknownActivity => "UNKNOWN_ACTIVITY", Error;
    /// A dated row outside the workbook's month.
    RowOutsidePeriod => "ROW_OUTSIDE_PERIOD", Error;
    /// A month outside the project, or outside the person's Startdatum–Slutdatum.
    OutsideProjectPeriod => "OUTSIDE_PROJECT_PERIOD", Error;
    /// Time on an activity outside that activity's dates.
    ActivityOutsideDates => "ACTIVITY_OUTSIDE_DATES", Warning;
    /// Hours that push a person's calendar year past 1 720 × Sysselsättningsgrad.
    HoursOverAnnualCap => "HOURS_OVER_ANNUAL_CAP", Error;
    /// One personnummer on two `Personal` rows of a workbook that disagree (Månadslön,
    /// Startdatum, Redovisning, Andel): the person is left out until fixed. Rows that agree
    /// count once, with this code as a warning.
    DuplicatePerson => "DUPLICATE_PERSON", Error;
    /// One personnummer reported by two organisations in the same month (counted, shown:
    /// Tillväxtverket checks it too).
    DoubleReported => "DOUBLE_REPORTED", Warning;
    /// More hours in a month than its weekdays × 8 × Sysselsättningsgrad.
    HoursOverMonth => "HOURS_OVER_MONTH", Warning;
    /// A person's Månadslön or Startdatum differs from an earlier month.
    SalaryBasisChanged => "SALARY_BASIS_CHANGED", Warning;
    /// Other costs from a partner on the 40 % model.
    OtherCostsWithFlatRate => "OTHER_COSTS_WITH_FLAT_RATE", Error;
    /// No accepted workbook from a partner for a month in the period.
    MissingSubmission => "MISSING_SUBMISSION", Warning;
    /// Cumulative cost passes an approved budget.
    OverBudget => "OVER_BUDGET", Warning;
    /// The support claimed so far reaches the approved amount.
    SupportCapReached => "SUPPORT_CAP_REACHED", Warning;
    /// The workbook or the amounts of a month in a submitted claim changed (edited, a higher
    /// version, removed): the difference is carried into the next claim as a correction.
    ChangedAfterClaim => "CHANGED_AFTER_CLAIM", Warning;
    /// A month of a submitted claim's period that no claim counted now counts: it is taken in
    /// this claim.
    LateMonth => "LATE_MONTH", Warning;
    /// The ledger holds claims recorded before it kept amounts: their months cannot be corrected.
    LegacyLedger => "LEGACY_LEDGER", Warning;
    /// The file changed on disk while the run read it; it is left for the next run.
    FileChangedDuringRun => "FILE_CHANGED_DURING_RUN", Error;
    /// A file lies outside every partner's folder.
    FileOutsidePartnerFolder => "FILE_OUTSIDE_PARTNER_FOLDER", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a finding is: partner folder, file (relative to the inbox), sheet and cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// Partner folder name, when known.
    pub partner: Option<String>,
    /// File path relative to the inbox, `/`-separated.
    pub file: Option<String>,
    /// Sheet name as it appears in the workbook.
    pub sheet: Option<String>,
    /// Cell reference in the sheet's own coordinates, e.g. `D14`.
    pub cell: Option<String>,
}

impl Place {
    /// A place naming only a file.
    pub fn file(file: &str) -> Place {
        Place { file: Some(file.to_string()), ..Place::default() }
    }

    /// A place naming a cell of a file.
    pub fn cell(file: &str, sheet: &str, cell: String) -> Place {
        Place { file: Some(file.to_string()), sheet: Some(sheet.to_string()), cell: Some(cell), partner: None }
    }

    /// The same place with the partner folder filled in.
    pub fn with_partner(mut self, partner: &str) -> Place {
        self.partner = Some(partner.to_string());
        self
    }

    /// `Tidrapport!D14`, `Tidrapport`, or empty.
    pub fn sheet_cell(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.clone());
        } else if let Some(p) = &self.partner {
            parts.push(p.clone());
        }
        let sc = self.sheet_cell();
        if !sc.is_empty() {
            parts.push(sc);
        }
        f.write_str(&parts.join(" "))
    }
}

/// One problem found, with where it is and what to do about it (in Swedish).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub place: Place,
    /// Swedish: what is wrong and what to do.
    pub message: String,
}

impl Finding {
    /// A finding with the code's default severity.
    pub fn new(code: Code, place: Place, message: impl Into<String>) -> Finding {
        Finding { code, severity: code.default_severity(), place, message: message.into() }
    }

    /// The same finding as a warning.
    pub fn as_warning(mut self) -> Finding {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key that keeps findings in a stable, readable order: partner, file, sheet, cell
    /// (by row then column), code.
    pub fn sort_key(&self) -> impl Ord + '_ {
        let cell = self.place.cell.as_deref().map(cell_order);
        (&self.place.partner, &self.place.file, &self.place.sheet, cell, self.code, &self.message)
    }
}

/// Splits `D14` into (14, 4) so that cells sort by row, then column.
fn cell_order(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let row = cell[letters.len()..].parse().unwrap_or(0);
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    (row, col)
}

/// Sorts findings into their stable order and removes exact duplicates.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
}

/// Excel column letters for a 0-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Cell reference for 0-based row and column: (13, 3) → `D14`.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(13, 3), "D14");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
        assert!(cell_order("B2") < cell_order("A3"));
        assert!(cell_order("Z9") < cell_order("AA9"));
    }

    #[test]
    fn codes_are_unique_and_screaming() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())));
    }
}
