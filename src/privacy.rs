//! Personal data in outputs: the one masker every text output goes through.
//!
//! Partners type personnummer into narratives, comments, file names and cells that are quoted
//! back in findings. The claim workbook (the staff lines Tillväxtverket requires) and the
//! certificates among a claim's attachments (the person a certificate is about) are the only
//! outputs that may carry a personnummer; every other output — the Word reports' partner texts,
//! the receipts, the monthly status, the time reports and checklist of the attachments, and any
//! page added later — passes its text through [`mask_personnummer`] before it is written (a
//! certificate masks what the partner typed). `docs/privacy.md` describes the rule for users.
//!
//! # What is masked
//!
//! A number is a run of digit groups: ASCII digits, the groups joined by a separator of one to
//! three characters from [`SEPARATORS`] (dash, plus, the Unicode dashes and minus, space,
//! no-break space, narrow and thin spaces), or by nothing. Letters around it do not matter
//! (`ID850709-9805` is masked). A stretch of whole groups is a personnummer, and is replaced by
//! [`PLACEHOLDER`], when
//!
//! - it has 10 digits (`YYMMDD-NNNC`) or 12 (`YYYYMMDD-NNNC`),
//! - every place it is split falls between the date's parts — after 2, 4 or 6 digits of a
//!   10-digit number, after 2, 4, 6 or 8 of a 12-digit one — so `850709-9805`, `850709 9805`,
//!   `8507-09-9805`, `85 07 09 9805`, `8507099805` and `19850709-9805` are all found while a
//!   phone number (`070-123 45 67`, `08-123 456 78`) or an amount grouped in thousands
//!   (`1 234 567 890`) never is,
//! - it is not cut out of a longer dash-joined number (`2025-01-15 2025-01-31` holds no
//!   personnummer although `2025-01-15 2025` could read as one), and
//! - it is a valid personnummer or samordningsnummer ([`Personnummer::parse`]: a real date, the
//!   right check digit).
//!
//! A sole trader's organisationsnummer is the owner's personnummer, so it is masked too. A
//! company's organisationsnummer (`212000-2403`, `556…`: the third digit makes a "month" of 20 or
//! more) is never a valid personnummer and is kept, as are dates, amounts and phone numbers
//! grouped the usual ways. A ten-digit number typed without any separator that happens to be a
//! valid personnummer (one in ten mobile numbers written `0701234567`) is masked: when in doubt,
//! the personal data goes.

use chrono::NaiveDate;

use crate::ids::Personnummer;

/// What a personnummer is replaced by.
pub const PLACEHOLDER: &str = "[personnummer borttaget]";

/// Characters that may stand between the groups of a personnummer as people type it.
pub const SEPARATORS: [char; 10] =
    ['-', '+', '\u{2010}', '\u{2011}', '\u{2013}', '\u{2212}', ' ', '\u{a0}', '\u{202f}', '\u{2009}'];

/// Longest separator between two groups (`850709 - 9805`).
const MAX_SEPARATOR: usize = 3;

/// A separator that joins groups into one word: dashes, plus and minus (not spaces).
fn binds(c: char) -> bool {
    !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Returns `text` with every personnummer (and sole trader's organisationsnummer) in any common
/// spelling replaced by [`PLACEHOLDER`]; everything else is kept byte for byte.
///
/// `on` is the document's date: a 10-digit number's century is the one that makes the person
/// younger than 100 on that day (`+` between the groups: 100 or older), as in
/// [`Personnummer::parse`]. See the module documentation for the exact rule.
pub fn mask_personnummer(text: &str, on: NaiveDate) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut run: Vec<char> = Vec::new();
    // Text without digits is copied as it is; digits are ASCII, so a byte search finds them.
    while let Some(at) = rest.bytes().position(|b| b.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // The run of digits and separators from here: no chain of digit groups reaches past it.
        run.clear();
        run.extend(rest.chars().take_while(|c| c.is_ascii_digit() || SEPARATORS.contains(c)));
        let end = mask_chain(&run, on, &mut out);
        rest = &rest[run[..end].iter().map(|c| c.len_utf8()).sum::<usize>()..];
    }
    out.push_str(rest);
    out
}

/// Writes the chain of digit groups that starts `chars` (at a digit) to `out`, personnummer
/// masked; returns how many chars the chain took.
fn mask_chain(chars: &[char], on: NaiveDate, out: &mut String) -> usize {
    let chain = Chain::scan(chars, 0);
    let mut g = 0;
    let mut copied = 0;
    while g < chain.groups.len() {
        match chain.personnummer_at(g, chars, on) {
            Some(last) => {
                out.extend(&chars[copied..chain.groups[g].0]);
                out.push_str(PLACEHOLDER);
                copied = chain.groups[last].1;
                g = last + 1;
            }
            None => g += 1,
        }
    }
    let end = chain.groups.last().map_or(1, |grp| grp.1);
    out.extend(&chars[copied..end]);
    end
}

/// Digit groups joined by separators, as found from one starting digit.
struct Chain {
    /// Each group's `[start, end)` in chars.
    groups: Vec<(usize, usize)>,
}

impl Chain {
    fn scan(chars: &[char], start: usize) -> Chain {
        let mut groups = Vec::new();
        let mut i = start;
        loop {
            let g = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((g, i));
            // A separator of 1–3 characters followed by a digit continues the chain.
            let mut j = i;
            while j < chars.len() && j - i < MAX_SEPARATOR && SEPARATORS.contains(&chars[j]) {
                j += 1;
            }
            if j > i && chars.get(j).is_some_and(char::is_ascii_digit) {
                i = j;
            } else {
                return Chain { groups };
            }
        }
    }

    fn digits(&self, g: usize) -> usize {
        self.groups[g].1 - self.groups[g].0
    }

    /// Whether the separator between group `g` and `g + 1` binds them into one word.
    fn bound_after(&self, g: usize, chars: &[char]) -> bool {
        g + 1 < self.groups.len() && chars[self.groups[g].1..self.groups[g + 1].0].iter().any(|c| binds(*c))
    }

    /// The last group of a personnummer starting at group `first`, if there is one (12 digits
    /// tried before 10).
    fn personnummer_at(&self, first: usize, chars: &[char], on: NaiveDate) -> Option<usize> {
        if first > 0 && self.bound_after(first - 1, chars) {
            return None;
        }
        let mut candidates = Vec::new();
        let mut count = 0;
        let mut splits = Vec::new();
        for g in first..self.groups.len() {
            if g > first {
                splits.push(count);
            }
            count += self.digits(g);
            if count > 12 {
                break;
            }
            if count == 10 || count == 12 {
                candidates.push((g, count, splits.clone()));
            }
        }
        candidates.into_iter().rev().find_map(|(last, count, splits)| {
            let allowed: &[usize] = if count == 10 { &[2, 4, 6] } else { &[2, 4, 6, 8] };
            if !splits.iter().all(|s| allowed.contains(s)) || self.bound_after(last, chars) {
                return None;
            }
            let digits: String = (first..=last).flat_map(|g| &chars[self.groups[g].0..self.groups[g].1]).collect();
            // A `+` before the last four digits marks a person of 100 or more.
            let plus = count == 10
                && splits.contains(&6)
                && chars[self.groups[last - 1].1..self.groups[last].0].contains(&'+');
            let canonical = if count == 10 {
                format!("{}{}{}", &digits[..6], if plus { '+' } else { '-' }, &digits[6..])
            } else {
                digits
            };
            Personnummer::parse(&canonical, on).map(|_| last)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
    }

    /// 850709-9805: Luhn by hand over 850709980: 8·2=16→7, 5, 0, 7, 0, 9, 9·2=18→9, 8, 0 → 45
    /// → check digit 5. 800101-2007: 8·2=16→7, 0, 0, 1, 0, 1, 2·2=4, 0, 0 → 13 → 7.
    #[test]
    fn every_spelling_is_masked() {
        for s in [
            "850709-9805",
            "8507099805",
            "850709 9805",
            "850709\u{a0}9805",
            "850709+9805",
            "8507-09-9805",
            "85-07-09-9805",
            "850709 - 9805",
            "850709\u{2013}9805",
            "19850709-9805",
            "198507099805",
            "19850709 9805",
            "1985-07-09-9805",
            "800101-2007",
        ] {
            for text in [s.to_string(), format!("ID{s}"), format!("pnr:{s}."), format!("({s})x"), format!("a {s} b")] {
                let masked = mask_personnummer(&text, on());
                assert!(masked.contains(PLACEHOLDER), "{text:?} → {masked:?}");
                assert!(!masked.contains("9805") && !masked.contains("2007"), "{text:?} → {masked:?}");
            }
        }
        assert_eq!(mask_personnummer("ID850709-9805, tack", on()), "ID[personnummer borttaget], tack");
    }

    #[test]
    fn ordinary_numbers_are_kept() {
        for s in [
            "212000-2403",
            "5560160680",
            "556016-0680",
            "16212000-2403",
            "070-123 45 67",
            "070-1234567",
            "08-123 456 78",
            "+46 70 123 45 67",
            "1 234 567 890 kr",
            "12 345,50 kr",
            "2025-01-15",
            "2025-01-15 2025-01-31",
            "2025-01-15 – 2025-01-31",
            "20250115",
            "850709-9804",
            "851309-9805",
            "år 2025, 42 deltagare",
        ] {
            assert_eq!(mask_personnummer(s, on()), s);
        }
    }
}
