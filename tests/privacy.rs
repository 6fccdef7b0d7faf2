//! The privacy masker (issue 14): a personnummer spelled any way people type it, inside random
//! text, never survives; ordinary numbers (amounts, dates, company organisationsnummer, phone
//! numbers) are kept as written.
//!
//! The personnummer and organisationsnummer here get their check digit from this file's own
//! Luhn sum, not the crate's.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use redovisa::privacy::{PLACEHOLDER, mask_personnummer};

/// The document date the tests mask on.
fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
}

/// The Luhn check digit of nine digits: weights 2, 1, 2, …; a product over 9 counts its digit sum.
fn check_digit(nine: &str) -> u32 {
    let sum: u32 = nine
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 2 } else { d })
        .map(|p| p / 10 + p % 10)
        .sum();
    (10 - sum % 10) % 10
}

#[test]
fn the_luhn_helper_agrees_with_hand_computed_digits() {
    // 850709-9805 (45 → 5) and 212000-2403 (a public body's organisationsnummer, 17 → 3) by hand.
    assert_eq!(check_digit("850709980"), 5);
    assert_eq!(check_digit("212000240"), 3);
}

/// Separators people type between the groups of a personnummer.
const SEPARATORS: [&str; 9] = ["-", " ", "\u{a0}", "\u{2013}", "\u{2010}", " - ", "\u{202f}", "\u{2009}", ""];

/// A personnummer: the twelve digits, whether the person is 100 or older on [`on`].
fn personnummer() -> impl Strategy<Value = (String, bool)> {
    (1901i32..=2024, 1u32..=12, 1u32..=31, 0u32..1000, any::<bool>()).prop_filter_map(
        "a real date",
        |(y, m, d, serial, coordination)| {
            let birth = NaiveDate::from_ymd_opt(y, m, d)?;
            let day = if coordination { d + 60 } else { d };
            let nine = format!("{:02}{m:02}{day:02}{serial:03}", y % 100);
            let twelve = format!("{:02}{nine}{}", y / 100, check_digit(&nine));
            let hundred = on().year() - birth.year() - i32::from(on().ordinal() < birth.ordinal()) >= 100;
            Some((twelve, hundred))
        },
    )
}

/// A spelling of a personnummer: 10 or 12 digits, split only between the date's parts, each
/// split any separator. A 10-digit number of a person of 100 or more has `+` before the last
/// four digits, as it must.
fn spelling() -> impl Strategy<Value = String> {
    (personnummer(), any::<bool>(), prop::collection::vec((any::<bool>(), 0..SEPARATORS.len()), 4)).prop_map(
        |((twelve, hundred), ten, splits)| {
            let (digits, cuts): (&str, &[usize]) =
                if ten { (&twelve[2..], &[2, 4, 6]) } else { (&twelve, &[2, 4, 6, 8]) };
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if let Some(k) = cuts.iter().position(|p| *p == i) {
                    let (split, sep) = splits[k];
                    if ten && hundred && i == 6 {
                        out.push('+');
                    } else if split {
                        out.push_str(SEPARATORS[sep]);
                    }
                }
                out.push(c);
            }
            out
        },
    )
}

/// Numbers that must be kept: amounts, dates, company organisationsnummer, phone numbers.
fn ordinary() -> impl Strategy<Value = String> {
    prop_oneof![
        // An amount grouped in thousands, with or without öre.
        (0u64..10_000_000_000, prop::option::of(0u32..100)).prop_map(|(kr, ore)| {
            let digits = kr.to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(' ');
                }
                grouped.push(c);
            }
            match ore {
                Some(o) => format!("{grouped},{o:02} kr"),
                None => format!("{grouped} kr"),
            }
        }),
        // An amount below a billion without grouping.
        (0u64..1_000_000_000).prop_map(|kr| format!("{kr} kr")),
        // A date.
        (2000i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        // A date range.
        (2000i32..2100, 1u32..=12, 1u32..=28, 1u32..=28)
            .prop_map(|(y, m, a, b)| format!("{y}-{m:02}-{a:02} {y}-{m:02}-{b:02}")),
        // A company's organisationsnummer: the third digit 2 or more (a "month" of 20 or more).
        (prop::sample::select(vec![2u32, 5, 7, 8, 9]), 0u32..10, 2u32..10, 0u32..1_000_000, any::<bool>()).prop_map(
            |(first, second, third, rest, dash)| {
                let nine = format!("{first}{second}{third}{rest:06}");
                let ten = format!("{nine}{}", check_digit(&nine));
                if dash { format!("{}-{}", &ten[..6], &ten[6..]) } else { ten }
            }
        ),
        // Phone numbers as Swedes write them.
        (0u32..10, 0u32..10_000_000, 0usize..4).prop_map(|(x, n, form)| {
            let n = format!("{n:07}");
            match form {
                0 => format!("07{x}-{} {} {}", &n[..3], &n[3..5], &n[5..]),
                1 => format!("07{x}-{n}"),
                2 => format!("08-{} {} {}", &n[..3], &n[3..6], &n[6..]),
                _ => format!("+46 7{x} {} {} {}", &n[..3], &n[3..5], &n[5..]),
            }
        }),
    ]
}

/// Random words, never ending in a digit or separator (so a number beside them stays whole).
fn words() -> impl Strategy<Value = String> {
    "[A-Za-zÅÄÖåäö]{0,8}([ ,.:;!?()]{1,2}[A-Za-zÅÄÖåäö]{1,8}){0,3}[ ,.:;!?(]?"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_spelling_survives_and_ordinary_numbers_stay(
        before in words(),
        pnr in spelling(),
        glued in any::<bool>(),
        after in words(),
        numbers in prop::collection::vec(ordinary(), 0..4),
        second in spelling(),
    ) {
        // Ordinary numbers before and after, set apart by a word.
        let others: Vec<String> = numbers.iter().map(|n| format!("{n} och ")).collect();
        let lead = if glued { "ID" } else { " " };
        let text = format!("{}{before}{lead}{pnr}{after} och {} slut", others.concat(), second);
        let masked = mask_personnummer(&text, on());
        prop_assert!(!masked.contains(&pnr), "{text:?} → {masked:?}");
        prop_assert!(!masked.contains(&second), "{text:?} → {masked:?}");
        prop_assert_eq!(masked.matches(PLACEHOLDER).count(), 2, "{:?} → {:?}", text, masked);
        for n in &numbers {
            prop_assert!(masked.contains(n.as_str()), "{n:?} lost: {text:?} → {masked:?}");
        }
        // Nothing else changes: the text around is kept character for character.
        let back = masked.replacen(PLACEHOLDER, &pnr, 1).replacen(PLACEHOLDER, &second, 1);
        prop_assert_eq!(back, text);
    }

    #[test]
    fn text_without_a_personnummer_is_unchanged(
        numbers in prop::collection::vec(ordinary(), 1..6),
        glue in prop::collection::vec(words(), 6),
    ) {
        let text: String = numbers.iter().zip(&glue).map(|(n, w)| format!("{w} {n} ")).collect();
        prop_assert_eq!(mask_personnummer(&text, on()), text);
    }
}
