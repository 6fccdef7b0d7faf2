//! Exact money and hours: rounding to öre, Swedish number text, and exact hour fractions.
//!
//! Money is [`Decimal`] from the cell to the output. Tillväxtverket's rules round salaries
//! *half away from zero* to öre ([`round2`]) and truncate flat rates and support toward zero
//! ([`trunc2`]): never claim more than the rule gives. `rust_decimal` rounds half-to-even by
//! default, so every rounding in the crate goes through these two functions.
//!
//! Hours are kept as exact fractions ([`Hours`]): `1 720 × 50 % / 12` is 71⅔ hours, and a cost
//! is computed from the fraction with a single division at the end, so the öre is right even
//! where a decimal expansion would have to be cut.

use std::cmp::Ordering;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to öre, half away from zero (`0.005` → `0.01`, `-0.005` → `-0.01`).
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Truncates to öre, toward zero (`0.019` → `0.01`).
pub fn trunc2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// Rounds down to öre, toward minus infinity: the same as [`trunc2`] for an amount ≥ 0
/// (`0.019` → `0.01`), and for a negative one (a correction that gives money back) the reduction
/// is rounded up to the whole öre (`-0.011` → `-0.02`). Flat rates and support go through this,
/// so that no claim, positive or negative, asks for more than the rule gives and the sum of all
/// claims never passes the rule applied to their sum.
pub fn floor2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity)
}

/// A percentage given as a number of percent (`40.15`) turned into a fraction (`0.4015`).
pub fn percent(p: Decimal) -> Decimal {
    p / Decimal::ONE_HUNDRED
}

/// Amount as a machine-readable string with exactly two decimals: `12345.60`.
pub fn amount_str(d: Decimal) -> String {
    format!("{:.2}", round2(d))
}

/// Hours as a machine-readable string with at most two decimals: `71.67`, `8`, `7.5`.
pub fn hours_str(d: Decimal) -> String {
    round2(d).normalize().to_string()
}

/// Groups the digits of a non-negative integer string in threes with a no-break space.
fn group_thousands(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3 * 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Swedish number text with `decimals` decimals: `1 234 567,89` (no-break spaces).
pub fn sv_number(d: Decimal, decimals: u32) -> String {
    let r = d.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let s = format!("{:.*}", decimals as usize, r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let sign = if r.is_sign_negative() && !r.is_zero() { "−" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", group_thousands(int))
    } else {
        format!("{sign}{},{frac}", group_thousands(int))
    }
}

/// Swedish hours with at most two decimals: `7,5`, `160`, `1 720`, `71,67`.
pub fn sv_hours(d: Decimal) -> String {
    let r = round2(d).normalize();
    sv_number(r, r.scale())
}

/// Swedish amount with öre: `1 234,50 kr`.
pub fn sv_kr(d: Decimal) -> String {
    format!("{}\u{a0}kr", sv_number(d, 2))
}

/// Swedish amount in whole kronor, as the reports show it: `1 234 567 kr`.
pub fn sv_kr_whole(d: Decimal) -> String {
    format!("{}\u{a0}kr", sv_number(d, 0))
}

/// Swedish percentage of a fraction with one decimal: `0.4015` → `40,2 %`.
pub fn sv_percent(fraction: Decimal, decimals: u32) -> String {
    format!("{}\u{a0}%", sv_number(fraction * Decimal::ONE_HUNDRED, decimals))
}

/// A number of whole per cent as it stands (`99 %` with a no-break space), for shares already
/// rounded by the rules.
pub fn sv_whole_percent(percent: Decimal) -> String {
    format!("{}\u{a0}%", sv_number(percent.trunc(), 0))
}

/// Parses a number the way people type it in Sweden: `1 234,50`, `1234.5`, `1 234 kr`,
/// `1.234,50`, `−12`. Spaces, no-break spaces and thin spaces may group thousands; a trailing
/// `kr` or `:-` is allowed. Returns `None` for anything else, never a guess.
pub fn parse_sv_number(text: &str) -> Option<Decimal> {
    let mut s: String =
        text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'')).collect();
    for suffix in [":-", "kronor", "SEK", "sek", "kr", "Kr", "KR", ":-"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    let s = s.replace('\u{2212}', "-");
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    let commas = digits.matches(',').count();
    let dots = digits.matches('.').count();
    let normal = match (commas, dots) {
        (0, 0) => digits.to_string(),
        (1, 0) => digits.replace(',', "."),
        (0, 1) => digits.to_string(),
        // `1.234,50`: dots group thousands, the comma is the decimal sign.
        (1, _) if digits.rfind(',') > digits.rfind('.') && thousands_ok(digits, '.', ',') => {
            digits.replace('.', "").replace(',', ".")
        }
        // `1,234.50`: commas group thousands, the dot is the decimal sign.
        (_, 1) if digits.rfind('.') > digits.rfind(',') && thousands_ok(digits, ',', '.') => digits.replace(',', ""),
        _ => return None,
    };
    if normal.starts_with('.') || normal.ends_with('.') {
        return None;
    }
    let value: Decimal = normal.parse().ok()?;
    Some(if neg { -value } else { value })
}

/// Whether `sep` groups the integer part of `s` (before `decimal`) in threes.
fn thousands_ok(s: &str, sep: char, decimal: char) -> bool {
    let int = s.split(decimal).next().unwrap_or("");
    let mut groups = int.split(sep);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

/// An exact number of hours: a decimal numerator over a whole-number denominator.
///
/// Time reports give decimal hours (denominator 1) or minutes (denominator 60); fixed-share
/// staff get `1 720 × share × days / (12 × days in month)`. Adding keeps the fraction exact;
/// [`Hours::value`] gives a decimal for display, [`Hours::times`] a cost with one final division.
#[derive(Clone, Copy)]
pub struct Hours {
    num: Decimal,
    den: u64,
}

impl Hours {
    pub const ZERO: Hours = Hours { num: Decimal::ZERO, den: 1 };

    /// `num / den` hours; a zero denominator is taken as 1.
    pub fn fraction(num: Decimal, den: u64) -> Hours {
        Hours { num, den: den.max(1) }
    }

    /// A decimal number of hours.
    pub fn from_decimal(d: Decimal) -> Hours {
        Hours { num: d, den: 1 }
    }

    /// Whole minutes as hours (exact: 440 minutes is 7⅓ hours).
    pub fn from_minutes(minutes: i64) -> Hours {
        Hours::fraction(Decimal::from(minutes), 60)
    }

    /// The hours as a decimal, rounded at the 28th significant digit at most.
    pub fn value(self) -> Decimal {
        self.num / Decimal::from(self.den)
    }

    /// `self × factor / divisor`, exact up to a single final division.
    pub fn times(self, factor: Decimal, divisor: Decimal) -> Decimal {
        (self.num * factor) / (Decimal::from(self.den) * divisor)
    }

    /// `self × part / whole` for splitting hours in proportion (exact fraction when possible).
    pub fn scaled(self, part: Hours, whole: Hours) -> Hours {
        if whole.is_zero() {
            return Hours::ZERO;
        }
        // (a/b) × (c/d) / (e/f) = a·c·f / (b·d·e); keep the denominator whole by moving the
        // decimal parts into the numerator and dividing once.
        let num = self.num * part.num * Decimal::from(whole.den);
        let den = Decimal::from(self.den) * Decimal::from(part.den) * whole.num;
        Hours::from_decimal(num / den)
    }

    pub fn is_zero(self) -> bool {
        self.num.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.num.is_sign_negative() && !self.num.is_zero()
    }

    /// The larger of `self` and zero.
    pub fn at_least_zero(self) -> Hours {
        if self.is_negative() { Hours::ZERO } else { self }
    }

    pub fn min(self, other: Hours) -> Hours {
        if self <= other { self } else { other }
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Add for Hours {
    type Output = Hours;
    fn add(self, o: Hours) -> Hours {
        if self.den == o.den {
            return Hours { num: self.num + o.num, den: self.den };
        }
        let g = gcd(self.den, o.den);
        match (self.den / g).checked_mul(o.den) {
            Some(l) if l <= 1_000_000_000 => {
                Hours { num: self.num * Decimal::from(l / self.den) + o.num * Decimal::from(l / o.den), den: l }
            }
            // Denominators this large never come from a time report; fall back to decimals.
            _ => Hours::from_decimal(self.value() + o.value()),
        }
    }
}

impl Sub for Hours {
    type Output = Hours;
    fn sub(self, o: Hours) -> Hours {
        self + Hours { num: -o.num, den: o.den }
    }
}

impl Sum for Hours {
    fn sum<I: Iterator<Item = Hours>>(iter: I) -> Hours {
        iter.fold(Hours::ZERO, |a, b| a + b)
    }
}

impl PartialEq for Hours {
    fn eq(&self, o: &Hours) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Hours {}

impl PartialOrd for Hours {
    fn partial_cmp(&self, o: &Hours) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Hours {
    fn cmp(&self, o: &Hours) -> Ordering {
        (self.num * Decimal::from(o.den)).cmp(&(o.num * Decimal::from(self.den)))
    }
}

impl fmt::Debug for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 { write!(f, "{}h", self.num) } else { write!(f, "{}/{}h", self.num, self.den) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn rounding_is_half_away_and_truncation_toward_zero() {
        assert_eq!(round2(dec!(0.005)), dec!(0.01));
        assert_eq!(round2(dec!(0.015)), dec!(0.02));
        assert_eq!(round2(dec!(-0.005)), dec!(-0.01));
        assert_eq!(round2(dec!(2.345)), dec!(2.35));
        assert_eq!(trunc2(dec!(0.019)), dec!(0.01));
        assert_eq!(trunc2(dec!(-0.019)), dec!(-0.01));
        // Down to öre: the same for amounts ≥ 0, away from zero for a reduction.
        assert_eq!(floor2(dec!(0.019)), dec!(0.01));
        assert_eq!(floor2(dec!(25.0025)), dec!(25.00));
        assert_eq!(floor2(dec!(-25.0025)), dec!(-25.01));
        assert_eq!(floor2(dec!(-25.00)), dec!(-25.00));
    }

    #[test]
    fn swedish_text() {
        assert_eq!(sv_kr(dec!(1234567.891)), "1\u{a0}234\u{a0}567,89\u{a0}kr");
        assert_eq!(sv_kr_whole(dec!(31942086)), "31\u{a0}942\u{a0}086\u{a0}kr");
        assert_eq!(sv_number(dec!(999), 0), "999");
        assert_eq!(sv_number(dec!(-1000.5), 1), "−1\u{a0}000,5");
        assert_eq!(sv_percent(dec!(0.4015), 2), "40,15\u{a0}%");
        assert_eq!(amount_str(dec!(12345.6)), "12345.60");
        assert_eq!(hours_str(dec!(71.6666666)), "71.67");
        assert_eq!(hours_str(dec!(8.00)), "8");
        assert_eq!(sv_hours(dec!(71.6666666)), "71,67");
        assert_eq!(sv_hours(dec!(1720)), "1\u{a0}720");
        assert_eq!(sv_hours(dec!(7.50)), "7,5");
    }

    #[test]
    fn parses_what_people_type() {
        let p = |s| parse_sv_number(s);
        assert_eq!(p("1 234,50 kr"), Some(dec!(1234.50)));
        assert_eq!(p("1\u{a0}234,50"), Some(dec!(1234.50)));
        assert_eq!(p("1234.5"), Some(dec!(1234.5)));
        assert_eq!(p("1 234"), Some(dec!(1234)));
        assert_eq!(p("1.234,50"), Some(dec!(1234.50)));
        assert_eq!(p("1,234.50"), Some(dec!(1234.50)));
        assert_eq!(p("45 000:-"), Some(dec!(45000)));
        assert_eq!(p("−12"), Some(dec!(-12)));
        assert_eq!(p("12,"), None);
        assert_eq!(p("1.2.3"), None);
        assert_eq!(p("abc"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("1,2,3"), None);
    }

    #[test]
    fn hours_stay_exact() {
        // 1 720 × 50 % / 12 = 71⅔, twice is 143⅓ exactly.
        let h = Hours::fraction(dec!(1720) * dec!(0.5), 12);
        assert_eq!(h + h, Hours::fraction(dec!(1720), 12));
        assert_eq!(Hours::from_minutes(450), Hours::from_decimal(dec!(7.5)));
        assert_eq!(Hours::from_minutes(440) + Hours::from_minutes(20), Hours::from_minutes(460));
        // 71⅔ h × 45 000 × 12 / 1 720 = 22 500 exactly: one division at the end.
        assert_eq!(h.times(dec!(45000) * dec!(12), dec!(1720)), dec!(22500));
        assert!(Hours::from_decimal(dec!(-1)).is_negative());
        assert_eq!((Hours::from_decimal(dec!(2)) - Hours::from_decimal(dec!(3))).at_least_zero(), Hours::ZERO);
    }

    #[test]
    fn sums_of_different_denominators_stay_exact() {
        // 1/3 + 1/7 = 10/21 exactly (as decimals, 0,333…3 + 0,142…9 is 10/21 off in the 28th
        // digit: 21 × the sum is not 10).
        assert_eq!(Hours::fraction(dec!(1), 3) + Hours::fraction(dec!(1), 7), Hours::fraction(dec!(10), 21));
        // 1/60 000 + 1/40 000 = 5/120 000 = 1/24 000: over the least common multiple (120 000),
        // not the product (2,4 × 10⁹, past the exact limit of 10⁹).
        assert_eq!(
            Hours::fraction(dec!(1), 60_000) + Hours::fraction(dec!(1), 40_000),
            Hours::fraction(dec!(1), 24_000)
        );
        // Twelve whole months of 100 % fixed share, each 1 720 × days / (12 × days): 1 720 h exactly.
        let year: Hours = (1..=12u32)
            .map(|m| {
                let days = crate::month::Month::new(2025, m).map_or(30, crate::month::Month::days);
                Hours::fraction(dec!(1720) * Decimal::from(days), 12 * u64::from(days))
            })
            .sum();
        assert_eq!(year, Hours::from_decimal(dec!(1720)));
        // Denominators whose common multiple passes 10⁹ fall back to decimals: 1/1 000 000 007 +
        // 1/2 = 0,500000000999…, 0,500000001 to nine decimals.
        let sum = Hours::fraction(dec!(1), 1_000_000_007) + Hours::fraction(dec!(1), 2);
        assert_eq!(sum.value().round_dp(9), dec!(0.500000001));
    }
}
