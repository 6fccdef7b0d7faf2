//! Raw cell values as found, and the one border where they become trusted types.
//!
//! [`Raw`] is what calamine gives for a cell plus the one formatting fact we need (a percent
//! format). Every tolerance rule of `docs/partnerhandledning.md` lives in the conversion functions
//! below: Swedish number text, percentages in each form, dates as cells, serials or text, months,
//! time-formatted hours, Excel error cells. Each returns why it failed as a [`CellProblem`] (whose
//! Swedish sentence lives in the findings catalogue), for the caller to turn into a `BAD_VALUE`
//! finding at the cell.

use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::finding::CellProblem;
use crate::money::{Hours, parse_sv_number};
use crate::month::{Month, SWEDISH_MONTHS};

/// A cell value as read, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Text(String),
    /// A number cell; `percent` when its number format shows it as a percentage.
    Number {
        value: f64,
        percent: bool,
    },
    Bool(bool),
    /// A number cell with a date, time or duration format.
    DateTime(ExcelDateTime),
    /// An ISO 8601 date/time cell (`t="d"`).
    Iso(String),
    /// An Excel error value such as `#REF!`.
    Error(String),
}

impl Raw {
    /// Converts calamine's value; `None` for an empty cell or blank text.
    pub fn from_calamine(value: DataRef<'_>, percent: bool) -> Option<Raw> {
        Some(match value {
            DataRef::Empty => return None,
            DataRef::String(s) => return text_raw(&s),
            DataRef::SharedString(s) => return text_raw(s),
            DataRef::Int(i) => Raw::Number { value: i as f64, percent },
            DataRef::Float(f) => Raw::Number { value: f, percent },
            DataRef::Bool(b) => Raw::Bool(b),
            DataRef::DateTime(dt) => Raw::DateTime(dt),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Iso(s),
            DataRef::Error(e) => Raw::Error(e.to_string()),
        })
    }
}

fn text_raw(s: &str) -> Option<Raw> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    (!t.is_empty()).then(|| Raw::Text(t.to_string()))
}

/// Result of a conversion: the value or why the cell cannot be it.
pub type Conv<T> = Result<T, CellProblem>;

fn error_cell(e: &str) -> CellProblem {
    CellProblem::ErrorValue(e.to_string())
}

/// Significant digits of an Excel number: what Excel computes with and shows.
const EXCEL_DIGITS: u32 = 15;

/// A number from a number cell, as Excel shows it.
///
/// calamine hands numbers over as binary floating point; this is the border where they become
/// exact decimals again. Excel writes up to 17 significant digits, which the shortest
/// round-trip text reproduces, but only 15 are significant: a formula's result carries binary
/// noise in the last two (`=0,1+0,2` is stored as `0.30000000000000004` and shown as `0,3`).
/// Rounding to 15 significant digits gives the number the partner sees, so a computed amount
/// is not refused for "more than two decimals" and computed hours are not off by 10⁻¹⁵.
fn decimal_of_float(v: f64) -> Conv<Decimal> {
    if !v.is_finite() {
        return Err(CellProblem::NumberUnreadable);
    }
    let d = v.to_string().parse::<Decimal>().map_err(|_| CellProblem::NumberOutOfRange(v.to_string()))?;
    Ok(d.round_sf(EXCEL_DIGITS).unwrap_or(d).normalize())
}

/// Text for a text column. Numbers are written without a trailing `.0`.
pub fn text(raw: &Raw) -> Conv<String> {
    match raw {
        Raw::Text(s) => Ok(s.clone()),
        Raw::Number { value, .. } => decimal_of_float(*value).map(|d| d.normalize().to_string()),
        Raw::Bool(b) => Ok(if *b { "SANT" } else { "FALSKT" }.into()),
        Raw::DateTime(_) | Raw::Iso(_) => date(raw).map(|d| d.to_string()),
        Raw::Error(e) => Err(error_cell(e)),
    }
}

/// A decimal number: a number cell, or text such as `1 234,50 kr`.
pub fn decimal(raw: &Raw) -> Conv<Decimal> {
    bounded(decimal_unbounded(raw)?)
}

/// Beyond Excel's 15 digits nothing is a real figure, and sums or products of such numbers
/// would overflow exact decimal arithmetic later in the run.
fn bounded(d: Decimal) -> Conv<Decimal> {
    if d.abs() >= Decimal::from(MAX_NUMBER) {
        return Err(CellProblem::NumberTooLarge(d));
    }
    Ok(d)
}

/// Largest magnitude accepted for any number: 10¹⁵, Excel's 15 significant digits.
const MAX_NUMBER: i64 = 1_000_000_000_000_000;

/// Most hours one row may hold (a month has at most 744).
const MAX_ROW_HOURS: i64 = 10_000;

fn decimal_unbounded(raw: &Raw) -> Conv<Decimal> {
    match raw {
        Raw::Number { value, .. } => decimal_of_float(*value),
        Raw::Text(s) => parse_sv_number(s).ok_or_else(|| CellProblem::NotANumber(s.clone())),
        Raw::Error(e) => Err(error_cell(e)),
        Raw::DateTime(_) | Raw::Iso(_) => Err(CellProblem::DateTimeNotNumber),
        Raw::Bool(_) => Err(CellProblem::BoolNotNumber),
    }
}

/// An amount in kronor: at least 0 and at most two decimals.
pub fn amount(raw: &Raw) -> Conv<Decimal> {
    let d = decimal(raw)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(CellProblem::NegativeAmount(d));
    }
    if d.normalize().scale() > 2 {
        return Err(CellProblem::TooManyDecimals(d));
    }
    Ok(d)
}

/// A share as a fraction (0.5 for 50 %): `50`, `50 %`, `50%`, `0,5`, or 0.5 in a percent cell.
///
/// A plain number above 1 is percent; a plain number from 0 to 1 is already a fraction (nobody
/// works 0.5 % in a project, while 0,5 meaning half is common). Must be above 0 and at most 100 %.
pub fn share(raw: &Raw) -> Conv<Decimal> {
    let fraction = match raw {
        Raw::Number { percent: true, .. } => decimal(raw)?,
        Raw::Text(s) if s.trim_end().ends_with('%') => {
            let n = s.trim_end().trim_end_matches('%');
            let p = parse_sv_number(n).ok_or_else(|| CellProblem::NotAPercent(s.clone()))?;
            bounded(p)? / Decimal::ONE_HUNDRED
        }
        _ => {
            let n = decimal(raw)?;
            if n > Decimal::ONE { n / Decimal::ONE_HUNDRED } else { n }
        }
    };
    if fraction <= Decimal::ZERO || fraction > Decimal::ONE {
        return Err(CellProblem::ShareOutOfRange((fraction * Decimal::ONE_HUNDRED).normalize()));
    }
    Ok(fraction)
}

/// Serial numbers accepted as dates: 2000-01-01 to 2099-12-31. Anything else typed in a date
/// column is far more likely a mistake than a date.
const SERIAL_RANGE: std::ops::RangeInclusive<f64> = 36526.0..=73050.0;

/// The last serial Excel can show as a date (9999-12-31); calamine silently clamps anything
/// beyond it (and NaN or a negative serial to its epoch), so those are refused here.
const MAX_SERIAL: f64 = 2_958_465.0;

fn date_of_serial(dt: &ExcelDateTime) -> Option<NaiveDate> {
    let v = dt.as_f64();
    if !(v.is_finite() && (0.0..MAX_SERIAL + 1.0).contains(&v)) {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
}

/// A date: a date cell, a serial number, or text `YYYY-MM-DD` (also `YYYY-MM-DD hh:mm`).
pub fn date(raw: &Raw) -> Conv<NaiveDate> {
    match raw {
        Raw::DateTime(dt) if dt.is_datetime() && dt.as_f64() >= 1.0 => {
            date_of_serial(dt).ok_or(CellProblem::DateUnreadable)
        }
        Raw::DateTime(_) => Err(CellProblem::TimeNotDate),
        Raw::Number { value, .. } if SERIAL_RANGE.contains(value) => {
            date_of_serial(&ExcelDateTime::new(*value, ExcelDateTimeType::DateTime, false))
                .ok_or(CellProblem::DateUnreadable)
        }
        Raw::Number { value, .. } => Err(CellProblem::NumberNotDate(value.to_string())),
        Raw::Iso(s) | Raw::Text(s) => parse_date_text(s).ok_or_else(|| CellProblem::NotADate(s.clone())),
        Raw::Error(e) => Err(error_cell(e)),
        Raw::Bool(_) => Err(CellProblem::BoolNotDate),
    }
}

fn parse_date_text(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.split(['T', ' ']).next().unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%Y%m%d"))
        .ok()
        .filter(|d| (2000..=2099).contains(&chrono::Datelike::year(d)))
}

/// A month: text `YYYY-MM`, a Swedish month name with year (`januari 2025`, `jan 2025`), or any
/// date in the month (cell, serial or text).
pub fn month(raw: &Raw) -> Conv<Month> {
    if let Raw::Text(s) = raw
        && let Some(m) = parse_month_text(s)
    {
        return Ok(m);
    }
    date(raw).map(Month::of).map_err(|_| match raw {
        Raw::Error(e) => error_cell(e),
        _ => CellProblem::NotAMonth(text(raw).unwrap_or_default()),
    })
}

/// `YYYY-MM` or a Swedish month name and year; `None` otherwise.
pub fn parse_month_text(s: &str) -> Option<Month> {
    let s = s.trim();
    if let Ok(m) = s.parse::<Month>() {
        return Some(m);
    }
    let lower = s.to_lowercase();
    let mut words = lower.split_whitespace();
    let (name, year) = (words.next()?, words.next()?);
    if words.next().is_some() {
        return None;
    }
    let name = name.trim_end_matches('.');
    let index = SWEDISH_MONTHS.iter().position(|m| *m == name || (name.len() >= 3 && m.starts_with(name)))?;
    Month::new(year.parse().ok()?, index as u32 + 1)
}

/// A date or a month, as a time-report row allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    Day(NaiveDate),
    Month(Month),
}

impl When {
    pub fn month(self) -> Month {
        match self {
            When::Day(d) => Month::of(d),
            When::Month(m) => m,
        }
    }
}

/// A time-report date: `YYYY-MM` (or a month name) is a month, anything else must be a date.
pub fn when(raw: &Raw) -> Conv<When> {
    if let Raw::Text(s) = raw
        && let Some(m) = parse_month_text(s)
    {
        return Ok(When::Month(m));
    }
    date(raw).map(When::Day).map_err(|e| CellProblem::NotADateOrMonth(Box::new(e)))
}

/// Hours: a number, text (`7,5`, `7.5 h`), or a time/duration (`7:30` is 7.5 hours, whether a
/// time-formatted cell holding 0.3125 of a day or the text `7:30`). At least 0.
pub fn hours(raw: &Raw) -> Conv<Hours> {
    let h = match raw {
        Raw::DateTime(dt) if dt.is_duration() || dt.as_f64() < 1.0 => {
            Hours::from_minutes(minutes_of_days(dt.as_f64())?)
        }
        Raw::DateTime(_) => return Err(CellProblem::DateNotHours),
        Raw::Iso(s) => return Err(not_hours(s)),
        Raw::Text(s) => hours_text(s)?,
        _ => Hours::from_decimal(decimal(raw)?),
    };
    if h.is_negative() {
        return Err(CellProblem::NegativeHours);
    }
    if h.value() > Decimal::from(MAX_ROW_HOURS) {
        return Err(too_many_hours(h.value()));
    }
    Ok(h)
}

/// Text hours written like a Swedish clock time, `6.30` (a dot and two digits from 01 to 59):
/// [`hours`] reads it as the decimal 6,3, but it may mean 6 hours 30 minutes. Returns the whole
/// hours and the minutes of that other reading. A comma (`6,30`) is a decimal comma and not
/// ambiguous; `6.00` means the same either way.
pub fn ambiguous_time(raw: &Raw) -> Option<(u32, u32)> {
    let Raw::Text(s) = raw else { return None };
    let lower = s.trim().to_lowercase();
    let t = ["timmar", "tim", "h"].iter().find_map(|suf| lower.strip_suffix(suf)).unwrap_or(&lower).trim();
    let (h, m) = t.split_once('.')?;
    let all_digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    if !all_digits(h) || h.len() > 2 || m.len() != 2 || !all_digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (1..60).contains(&m).then_some((h, m))
}

/// A duration in days (a time cell's value) as whole minutes, refusing what is not finite or
/// is far beyond any row's hours (the float-to-integer cast would otherwise saturate or make
/// NaN zero hours).
fn minutes_of_days(days: f64) -> Conv<i64> {
    let minutes = (days * 1440.0).round();
    let limit = (MAX_ROW_HOURS * 60) as f64;
    if !minutes.is_finite() {
        return Err(CellProblem::TimeUnreadable);
    }
    if minutes.abs() > limit {
        return Err(CellProblem::TimeTooLong);
    }
    Ok(minutes as i64)
}

fn too_many_hours(h: Decimal) -> CellProblem {
    CellProblem::TooManyHours(h)
}

fn not_hours(s: &str) -> CellProblem {
    CellProblem::NotHours(s.to_string())
}

fn hours_text(s: &str) -> Conv<Hours> {
    let lower = s.trim().to_lowercase();
    let t = ["timmar", "tim", "h"].iter().find_map(|suf| lower.strip_suffix(suf)).unwrap_or(&lower).trim();
    if let Some((h, m)) = t.split_once(':') {
        let h: i64 = h.trim().parse().map_err(|_| not_hours(s))?;
        let m: i64 = m.trim().parse().map_err(|_| not_hours(s))?;
        if !(0..60).contains(&m) || h < 0 {
            return Err(not_hours(s));
        }
        if h > MAX_ROW_HOURS {
            return Err(too_many_hours(Decimal::from(h)));
        }
        // Both bounded above: h ≤ 10 000, m < 60.
        return Ok(Hours::from_minutes(h * 60 + m));
    }
    let d = parse_sv_number(t).ok_or_else(|| not_hours(s))?;
    bounded(d).map(Hours::from_decimal)
}

/// A whole number ≥ 1 (the workbook version).
pub fn whole(raw: &Raw) -> Conv<u32> {
    let d = decimal(raw)?;
    if d.fract().is_zero() && d >= Decimal::ONE && d <= Decimal::from(1_000_000) {
        Ok(d.trunc().to_string().parse().unwrap_or(1))
    } else {
        Err(CellProblem::NotWhole(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn num(v: f64) -> Raw {
        Raw::Number { value: v, percent: false }
    }
    fn txt(s: &str) -> Raw {
        Raw::Text(s.into())
    }

    #[test]
    fn numbers() {
        assert_eq!(decimal(&num(0.1)).unwrap(), dec!(0.1));
        assert_eq!(decimal(&num(45000.0)).unwrap(), dec!(45000));
        // A formula's binary noise beyond Excel's 15 significant digits is not part of the number.
        assert_eq!(decimal(&num(0.1 + 0.2)).unwrap(), dec!(0.3));
        assert_eq!(amount(&num(4.35 * 3.0)).unwrap(), dec!(13.05));
        assert_eq!(decimal(&num(45000.0 * 1.1)).unwrap(), dec!(49500));
        assert_eq!(decimal(&num(198003141234.0)).unwrap(), dec!(198003141234));
        assert_eq!(decimal(&num(123456789012345.0)).unwrap(), dec!(123456789012345));
        assert_eq!(decimal(&txt("1 234,50 kr")).unwrap(), dec!(1234.50));
        assert_eq!(decimal(&Raw::Error("#REF!".into())), Err(CellProblem::ErrorValue("#REF!".into())));
        assert!(amount(&num(-1.0)).is_err());
        assert!(amount(&num(1.005)).is_err());
    }

    #[test]
    fn shares() {
        assert_eq!(share(&num(50.0)).unwrap(), dec!(0.5));
        assert_eq!(share(&txt("50 %")).unwrap(), dec!(0.5));
        assert_eq!(share(&txt("50%")).unwrap(), dec!(0.5));
        assert_eq!(share(&txt("0,5")).unwrap(), dec!(0.5));
        assert_eq!(share(&Raw::Number { value: 0.5, percent: true }).unwrap(), dec!(0.5));
        assert_eq!(share(&num(100.0)).unwrap(), dec!(1));
        assert_eq!(share(&num(1.0)).unwrap(), dec!(1));
        assert!(share(&num(0.0)).is_err());
        assert!(share(&num(150.0)).is_err());
    }

    #[test]
    fn dates_and_months() {
        let d = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
        assert_eq!(date(&num(45672.0)).unwrap(), d);
        assert_eq!(date(&txt("2025-01-15")).unwrap(), d);
        assert_eq!(date(&txt("2025-01-15 00:00:00")).unwrap(), d);
        assert_eq!(date(&Raw::Iso("2025-01-15T00:00:00".into())).unwrap(), d);
        assert_eq!(date(&Raw::DateTime(ExcelDateTime::new(45672.0, ExcelDateTimeType::DateTime, false))).unwrap(), d);
        assert!(date(&num(2025.0)).is_err());
        let m = Month::new(2025, 1).unwrap();
        assert_eq!(month(&txt("2025-01")).unwrap(), m);
        assert_eq!(month(&txt("januari 2025")).unwrap(), m);
        assert_eq!(month(&txt("Jan 2025")).unwrap(), m);
        assert_eq!(month(&num(45672.0)).unwrap(), m);
        assert_eq!(when(&txt("2025-01")).unwrap(), When::Month(m));
        assert_eq!(when(&txt("2025-01-15")).unwrap(), When::Day(d));
    }

    #[test]
    fn a_clock_time_with_a_dot_is_ambiguous() {
        // Read as decimals (6,3 h), flagged with the clock reading (6 h 30 min).
        assert_eq!(hours(&txt("6.30")).unwrap(), Hours::from_decimal(dec!(6.3)));
        assert_eq!(ambiguous_time(&txt("6.30")), Some((6, 30)));
        assert_eq!(ambiguous_time(&txt(" 7.45 h")), Some((7, 45)));
        assert_eq!(ambiguous_time(&txt("12.05")), Some((12, 5)));
        // Not ambiguous: a decimal comma, the same either way, minutes that cannot be minutes,
        // one decimal, a colon, a number cell.
        for clear in ["6,30", "6.00", "6.75", "6.5", "6:30", "6", "106.30", "6.300"] {
            assert_eq!(ambiguous_time(&txt(clear)), None, "{clear}");
        }
        assert_eq!(ambiguous_time(&Raw::Number { value: 6.3, percent: false }), None);
    }

    #[test]
    fn hours_from_times() {
        let time = |v: f64, t| Raw::DateTime(ExcelDateTime::new(v, t, false));
        assert_eq!(hours(&time(0.3125, ExcelDateTimeType::DateTime)).unwrap(), Hours::from_decimal(dec!(7.5)));
        assert_eq!(hours(&time(1.5, ExcelDateTimeType::TimeDelta)).unwrap(), Hours::from_decimal(dec!(36)));
        assert_eq!(hours(&txt("7:30")).unwrap(), Hours::from_decimal(dec!(7.5)));
        assert_eq!(hours(&txt("7,5 h")).unwrap(), Hours::from_decimal(dec!(7.5)));
        assert_eq!(hours(&txt("7:20")).unwrap(), Hours::from_minutes(440));
        assert!(hours(&time(45672.0, ExcelDateTimeType::DateTime)).is_err());
        assert!(hours(&num(-2.0)).is_err());
        assert!(hours(&txt("7:75")).is_err());
    }

    /// Issue 14: absurd cells are refused at the cell, never wrapped, saturated or made zero.
    #[test]
    fn absurd_cells_are_refused() {
        // 307445734561825861 × 60 overflows i64: a panic in debug, 0,73 h in release.
        assert!(hours(&txt("307445734561825861:00")).is_err());
        assert!(hours(&txt("10001:00")).is_err());
        assert_eq!(hours(&txt("10000:00")).unwrap(), Hours::from_decimal(dec!(10000)));
        assert!(hours(&txt("99999999999999999999 h")).is_err());
        let delta = |v: f64| Raw::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::TimeDelta, false));
        // NaN made 0 hours and infinity saturated: both are unreadable cells.
        assert!(hours(&delta(f64::NAN)).is_err());
        assert!(hours(&delta(f64::INFINITY)).is_err());
        assert!(hours(&delta(1e300)).is_err());
        assert!(hours(&delta(-1e300)).is_err());
        // 416,6 days is 10 000 hours, the most a row may hold; a minute more is refused.
        assert_eq!(hours(&delta(10_000.0 / 24.0)).unwrap(), Hours::from_decimal(dec!(10000)));
        assert!(hours(&delta(10_000.0 / 24.0 + 1.0 / 1440.0)).is_err());
        // A percent cell of 5·10²⁸ overflowed when the refusal was being worded.
        assert!(share(&Raw::Number { value: 5e28, percent: true }).is_err());
        assert!(share(&txt("70000000000000000000000000000 %")).is_err());
        // calamine clamps a serial beyond 9999-12-31 (and NaN) instead of refusing it.
        let day = |v: f64| Raw::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert!(date(&day(1e300)).is_err());
        assert!(date(&day(f64::INFINITY)).is_err());
        assert!(date(&day(f64::NAN)).is_err());
        assert_eq!(date(&day(2_958_465.0)).unwrap(), NaiveDate::from_ymd_opt(9999, 12, 31).unwrap());
    }
}
