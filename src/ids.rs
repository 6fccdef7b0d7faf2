//! Swedish identifiers: organisationsnummer and personnummer, checked with Luhn.
//!
//! Both are accepted with or without the dash; an organisationsnummer may carry the `16` prefix,
//! a personnummer may have 10 or 12 digits. Once parsed they print in one canonical form, so the
//! rest of the program compares them as values. A personnummer never prints in full by accident:
//! its `Display` is the canonical form, used only where Min ansökan requires it.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Luhn check over a string of ASCII digits (the last digit is the check digit).
pub fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The Luhn check digit for nine digits.
pub fn luhn_digit(nine: &str) -> u8 {
    (0..=9u8).find(|d| luhn_ok(&format!("{nine}{d}"))).unwrap_or(0)
}

/// Keeps the digits of `s` if everything else is a dash, plus or space.
fn digits_of(s: &str) -> Option<String> {
    let s = s.trim();
    if s.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '\u{a0}' | '\u{2010}' | '\u{2013}')) {
        Some(s.chars().filter(char::is_ascii_digit).collect())
    } else {
        None
    }
}

/// An organisationsnummer, `NNNNNN-NNNN`, Luhn-valid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgNr(String);

impl OrgNr {
    /// Parses `NNNNNN-NNNN`, `NNNNNNNNNN`, or `16NNNNNN-NNNN`.
    pub fn parse(s: &str) -> Option<OrgNr> {
        let digits = digits_of(s)?;
        let ten = match digits.len() {
            10 => digits,
            12 if digits.starts_with("16") => digits[2..].to_string(),
            _ => return None,
        };
        // The third digit of an organisationsnummer is 2 or more (it is never a birth month).
        if ten.as_bytes()[2] < b'2' || !luhn_ok(&ten) {
            return None;
        }
        Some(OrgNr(format!("{}-{}", &ten[..6], &ten[6..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgNr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for OrgNr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for OrgNr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OrgNr, D::Error> {
        let s = String::deserialize(d)?;
        OrgNr::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "«{s}» är inget giltigt organisationsnummer (NNNNNN-NNNN med rätt kontrollsiffra)"
            ))
        })
    }
}

/// The organisation a `Deltagare` row names: an organisationsnummer, or for a sole trader
/// (enskild firma) the owner's personnummer, which is the firm's organisationsnummer. A sole
/// trader is counted like any organisation but is personal data: it is never printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParticipantOrg {
    Org(OrgNr),
    SoleTrader(Personnummer),
}

impl ParticipantOrg {
    /// An organisationsnummer, else a valid personnummer (10 digits read on `on`, as
    /// [`Personnummer::parse`]). The two never overlap: the third digit of an
    /// organisationsnummer is 2 or more, of a personnummer (a birth month) 0 or 1.
    pub fn parse(s: &str, on: NaiveDate) -> Option<ParticipantOrg> {
        OrgNr::parse(s).map(ParticipantOrg::Org).or_else(|| Personnummer::parse(s, on).map(ParticipantOrg::SoleTrader))
    }

    /// Whether it is a sole trader's personnummer.
    pub fn is_sole_trader(&self) -> bool {
        matches!(self, ParticipantOrg::SoleTrader(_))
    }
}

/// A personnummer (or samordningsnummer), canonical `YYYYMMDD-NNNN`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Personnummer(String);

impl Personnummer {
    /// Parses 12 digits (`YYYYMMDD-NNNN`) or 10 (`YYMMDD-NNNN`, `YYMMDD+NNNN` for 100 years or
    /// older). With 10 digits the century is the one that makes the person younger than 100 on
    /// `on` (the workbook's month, so the answer never depends on the clock).
    pub fn parse(s: &str, on: NaiveDate) -> Option<Personnummer> {
        let centenarian = s.contains('+');
        let digits = digits_of(s)?;
        let (century, ten) = match digits.len() {
            12 => (Some(digits[..2].parse::<i32>().ok()?), digits[2..].to_string()),
            10 => (None, digits),
            _ => return None,
        };
        if !luhn_ok(&ten) {
            return None;
        }
        let yy: i32 = ten[..2].parse().ok()?;
        let month: u32 = ten[2..4].parse().ok()?;
        let mut day: u32 = ten[4..6].parse().ok()?;
        if day > 60 {
            day -= 60; // samordningsnummer
        }
        let year = match century {
            Some(c) => c * 100 + yy,
            None => {
                let mut year = (on.year() / 100) * 100 + yy;
                while NaiveDate::from_ymd_opt(year, month, day.max(1)).is_some_and(|b| b > on) {
                    year -= 100;
                }
                if centenarian {
                    year -= 100;
                }
                year
            }
        };
        NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Personnummer(format!("{year:04}{}-{}", &ten[2..6], &ten[6..])))
    }

    /// The canonical `YYYYMMDD-NNNN` form, for the claim workbook only.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug output ends up in logs and panics: show only the birth date.
        write!(f, "Personnummer({}-XXXX)", &self.0[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
    }

    #[test]
    fn orgnr_forms() {
        let canonical = OrgNr::parse("212000-2403").unwrap();
        assert_eq!(canonical.as_str(), "212000-2403");
        assert_eq!(OrgNr::parse("2120002403"), Some(canonical.clone()));
        assert_eq!(OrgNr::parse("16212000-2403"), Some(canonical.clone()));
        assert_eq!(OrgNr::parse(" 162120002403 "), Some(canonical));
        assert_eq!(OrgNr::parse("212000-2404"), None, "wrong check digit");
        assert_eq!(OrgNr::parse("21200-2403"), None);
        assert_eq!(OrgNr::parse("212000/2403"), None);
        for o in ["212000-2429", "212000-2437", "212000-2411", "212000-2395", "212000-2387", "212000-2445"] {
            assert!(OrgNr::parse(o).is_some(), "{o}");
        }
    }

    #[test]
    fn personnummer_forms() {
        // 811218-9876 is Skatteverket's documentation example.
        let p = Personnummer::parse("811218-9876", on()).unwrap();
        assert_eq!(p.as_str(), "19811218-9876");
        assert_eq!(Personnummer::parse("8112189876", on()), Some(p.clone()));
        assert_eq!(Personnummer::parse("19811218-9876", on()), Some(p.clone()));
        assert_eq!(Personnummer::parse("198112189876", on()), Some(p));
        assert_eq!(Personnummer::parse("811218-9875", on()), None);
        assert_eq!(Personnummer::parse("811318-9876", on()), None, "month 13");
        assert!(!format!("{:?}", Personnummer::parse("811218-9876", on()).unwrap()).contains("9876"));
    }

    #[test]
    fn ten_digit_century_makes_the_person_younger_than_100() {
        let nine = "050101987";
        let p = format!("{nine}{}", luhn_digit(nine));
        assert_eq!(Personnummer::parse(&p, on()).unwrap().as_str()[..4], *"2005");
        let nine = "300101987";
        let p = format!("{nine}{}", luhn_digit(nine));
        assert_eq!(Personnummer::parse(&p, on()).unwrap().as_str()[..4], *"1930");
    }
}
