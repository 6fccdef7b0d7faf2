//! The progress report (`lagesrapport-<from>_<to>.docx`) and the final report
//! (`slutrapport.docx`) as Word documents, in Swedish, from the reconciled [`Figures`].
//!
//! Both reports have the seven sections of `docs/outputs.md` (`sections`, `economy`) behind a
//! title page and a table of contents; the final report's figures cover the whole project, and
//! its tables show outcome against plan rather than period and cumulative. Fixed wording comes from
//! [`Texts`] (`templates/rapport.toml`, adjustable per project), figures only from the model,
//! formatted the Swedish way by [`crate::money`]. The documents carry no personal data: costs and
//! hours appear per organisation only, and anything in the partners' free text that reads as a
//! personnummer is masked ([`mask_personnummer`]).
//!
//! `word` builds the Word structure with docx-rs; `package` makes the package complete and
//! byte-for-byte reproducible; the charts come from [`crate::emit::charts`].

mod economy;
mod package;
mod sections;
pub mod texts;
mod word;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::EmitError;
use crate::money::{sv_kr_whole, sv_number, sv_percent};
use crate::month::{Month, SWEDISH_MONTHS};
use crate::reconcile::model::{Figures, Period};
pub use texts::Texts;

/// Which report is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Lägesrapport: the claim period, with cumulative figures beside it.
    Progress,
    /// Slutrapport: the whole project, outcome against plan.
    Final,
}

impl Kind {
    /// The progress text, or the final report's variant of it.
    fn pick<'a>(self, progress: &'a str, final_text: &'a str) -> &'a str {
        match self {
            Kind::Progress => progress,
            Kind::Final => final_text,
        }
    }
}

/// Renders `lagesrapport-<from>_<to>.docx`.
pub fn progress(figures: &Figures, texts: &Texts) -> Result<Vec<u8>, EmitError> {
    sections::render(figures, texts, Kind::Progress)
}

/// Renders `slutrapport.docx`; `figures` cover the whole project (the period from its start).
pub fn final_report(figures: &Figures, texts: &Texts) -> Result<Vec<u8>, EmitError> {
    sections::render(figures, texts, Kind::Final)
}

/// `15 april 2025`.
fn sv_date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), SWEDISH_MONTHS[d.month0() as usize], d.year())
}

/// A month span in words: `mars 2025`, `januari–mars 2025`, `november 2024 – januari 2025`.
fn sv_period(p: Period) -> String {
    if p.from == p.to {
        p.from.swedish()
    } else if p.from.year() == p.to.year() {
        format!("{}–{}", SWEDISH_MONTHS[(p.from.month() - 1) as usize], p.to.swedish())
    } else {
        format!("{} – {}", p.from.swedish(), p.to.swedish())
    }
}

/// `mars 2025`.
fn sv_month(m: Month) -> String {
    m.swedish()
}

/// Whole kronor: `1 234 567 kr`.
fn kr(d: Decimal) -> String {
    sv_kr_whole(d)
}

/// A share with one decimal, or a dash where there is none (a budget of 0).
fn share(used: Option<Decimal>) -> String {
    used.map_or_else(|| "–".to_string(), |u| sv_percent(u, 1))
}

/// A count or quantity with up to two decimals: `450`, `0,5`.
fn quantity(d: Decimal) -> String {
    sv_number(d, d.normalize().scale().min(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn swedish_dates_and_periods() {
        assert_eq!(sv_date(d("2025-04-15")), "15 april 2025");
        let m = |s: &str| s.parse::<Month>().unwrap();
        assert_eq!(sv_period(Period { from: m("2025-01"), to: m("2025-03") }), "januari–mars 2025");
        assert_eq!(sv_period(Period { from: m("2024-11"), to: m("2025-01") }), "november 2024 – januari 2025");
        assert_eq!(sv_period(Period { from: m("2025-03"), to: m("2025-03") }), "mars 2025");
        assert_eq!(quantity(Decimal::new(5, 1)), "0,5");
        assert_eq!(quantity(Decimal::from(450)), "450");
        assert_eq!(share(None), "–");
    }
}
