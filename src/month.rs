//! Calendar months (`YYYY-MM`), the unit every partner reports in.
//!
//! A [`Month`] is a plain year and month. It knows its first and last day, its number of days and
//! weekdays (for `HOURS_OVER_MONTH`), and how to step forward, so that the rest of the pipeline
//! never does date arithmetic by hand.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The earliest and latest months a [`Month`] can be (for ranges over a map).
    pub const MIN: Month = Month { year: 1900, month: 1 };
    pub const MAX: Month = Month { year: 9999, month: 12 };

    /// The month `year`-`month`, if `month` is 1–12 and the year is one a project can have.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Month { year, month })
    }

    /// `new` for constants: the month `year`-`month` if valid.
    pub const fn new_const(year: i32, month: u32) -> Option<Month> {
        if month >= 1 && month <= 12 && year >= 1900 && year <= 9999 { Some(Month { year, month }) } else { None }
    }

    /// The month a date lies in.
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// First day of the month.
    pub fn first_day(self) -> NaiveDate {
        // Valid by construction: month is 1–12 and day 1 always exists.
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// Number of calendar days in the month.
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// Monday–Friday days in the month (public holidays are not subtracted).
    pub fn weekdays(self) -> u32 {
        self.first_day()
            .iter_days()
            .take(self.days() as usize)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count() as u32
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    /// The month before this one.
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// Every month from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), move |m| Some(m.next())).take_while(move |m| *m <= last)
    }

    /// Whether `date` lies in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    /// Swedish name of the month with the year, e.g. `januari 2025`.
    pub fn swedish(self) -> String {
        format!("{} {}", SWEDISH_MONTHS[(self.month - 1) as usize], self.year)
    }
}

/// Swedish month names, January first.
pub const SWEDISH_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Error for a month that is not `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» är inte en månad på formen ÅÅÅÅ-MM")]
pub struct BadMonth(pub String);

impl FromStr for Month {
    type Err = BadMonth;

    /// Parses `YYYY-MM` (also `YYYY-M`), the form used on the command line and in project files.
    fn from_str(s: &str) -> Result<Month, BadMonth> {
        let bad = || BadMonth(s.to_string());
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Consecutive months as runs (first, last), in order: `2024-01, 2024-02, 2024-04` gives
/// `(2024-01, 2024-02), (2024-04, 2024-04)`. The months may come in any order; repeats count once.
pub fn runs(months: &[Month]) -> Vec<(Month, Month)> {
    let mut sorted = months.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut out: Vec<(Month, Month)> = Vec::new();
    for m in sorted {
        match out.last_mut() {
            Some((_, last)) if last.next() == m => *last = m,
            _ => out.push((m, m)),
        }
    }
    out
}

/// Whole months from `start` to `date`: the number of month boundaries passed, less one when the
/// day of month has not yet been reached (2024-01-15 → 2025-02-01 is 12, → 2025-01-01 is 11).
pub fn whole_months_between(start: NaiveDate, date: NaiveDate) -> i32 {
    let months = (date.year() - start.year()) * 12 + date.month() as i32 - start.month() as i32;
    if date.day() < start.day() { months - 1 } else { months }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_as_runs() {
        let m = |s: &str| s.parse::<Month>().unwrap();
        assert_eq!(
            runs(&[m("2024-04"), m("2023-12"), m("2024-01"), m("2024-01"), m("2024-02")]),
            vec![(m("2023-12"), m("2024-02")), (m("2024-04"), m("2024-04"))]
        );
        assert!(runs(&[]).is_empty());
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_and_prints() {
        let m: Month = "2025-03".parse().unwrap();
        assert_eq!(m.to_string(), "2025-03");
        assert_eq!("2025-3".parse::<Month>().unwrap(), m);
        assert!("2025-13".parse::<Month>().is_err());
        assert!("25-03".parse::<Month>().is_err());
        assert!("2025".parse::<Month>().is_err());
    }

    #[test]
    fn calendar_facts() {
        let feb24 = Month::new(2024, 2).unwrap();
        assert_eq!(feb24.days(), 29);
        assert_eq!(feb24.weekdays(), 21);
        assert_eq!(Month::new(2025, 12).unwrap().next(), Month::new(2026, 1).unwrap());
        assert_eq!(Month::new(2026, 1).unwrap().prev(), Month::new(2025, 12).unwrap());
        let n = Month::new(2024, 11).unwrap().through(Month::new(2025, 2).unwrap()).count();
        assert_eq!(n, 4);
        assert_eq!(Month::new(2025, 1).unwrap().swedish(), "januari 2025");
    }

    #[test]
    fn whole_months() {
        assert_eq!(whole_months_between(d(2024, 1, 15), d(2025, 1, 1)), 11);
        assert_eq!(whole_months_between(d(2024, 1, 15), d(2025, 2, 1)), 12);
        assert_eq!(whole_months_between(d(2024, 1, 1), d(2025, 1, 1)), 12);
        assert_eq!(whole_months_between(d(2024, 3, 1), d(2024, 2, 1)), -1);
    }
}
