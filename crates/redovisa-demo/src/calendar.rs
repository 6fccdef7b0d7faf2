//! The working calendar of the demo: Swedish public holidays and the working days of a month.
//!
//! Time reporters in the demo work on weekdays that are not holidays (nobody reports hours on
//! Midsummer Eve), so their months look like real time sheets.

use chrono::{Datelike, NaiveDate, Weekday};

use redovisa::month::Month;

/// Easter Sunday (anonymous Gregorian algorithm).
fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// Swedish public holidays and the eves nobody works (on weekdays).
pub fn is_holiday(d: NaiveDate) -> bool {
    let (m, day) = (d.month(), d.day());
    if matches!((m, day), (1, 1) | (1, 6) | (5, 1) | (6, 6) | (12, 24) | (12, 25) | (12, 26) | (12, 31)) {
        return true;
    }
    // Midsummer Eve: the Friday from 19 to 25 June.
    if m == 6 && (19..=25).contains(&day) && d.weekday() == Weekday::Fri {
        return true;
    }
    let e = easter(d.year());
    let offset = (d - e).num_days();
    matches!(offset, -2 | 1 | 39)
}

/// The working days of a month: Monday to Friday, holidays excluded.
pub fn workdays(month: Month) -> Vec<NaiveDate> {
    month
        .first_day()
        .iter_days()
        .take(month.days() as usize)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(*d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_and_holidays() {
        assert_eq!(easter(2024), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
        assert_eq!(easter(2025), NaiveDate::from_ymd_opt(2025, 4, 20).unwrap());
        assert_eq!(easter(2026), NaiveDate::from_ymd_opt(2026, 4, 5).unwrap());
        assert!(is_holiday(NaiveDate::from_ymd_opt(2025, 6, 20).unwrap()), "midsummer eve 2025");
        assert!(is_holiday(NaiveDate::from_ymd_opt(2025, 5, 29).unwrap()), "ascension 2025");
        assert!(!is_holiday(NaiveDate::from_ymd_opt(2025, 5, 28).unwrap()));
    }
}
