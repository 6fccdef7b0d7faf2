//! The progress report (`lagesrapport-<from>_<to>.docx`) and the final report
//! (`slutrapport.docx`) as Word documents, in Swedish, from the reconciled [`Figures`].
//!
//! The progress report has the seven sections of `docs/outputs.md` (`sections`, `economy`); the
//! final report has the sections Tillväxtverket asks for at a project's close (`closing`), its
//! figures over the whole project and its tables outcome against plan, and takes the texts only
//! a person can write from the project ([`FinalTexts`]). Both stand behind a title page and a
//! table of contents. Fixed wording comes from
//! [`Texts`] (`templates/rapport.toml`, adjustable per project), figures only from the model,
//! formatted the Swedish way by [`crate::money`]. The documents carry no personal data: costs and
//! hours appear per organisation only, and anything in the partners' free text that reads as a
//! personnummer is masked ([`mask_personnummer`]).
//!
//! `word` builds the Word structure with docx-rs; `package` makes the package complete and
//! byte-for-byte reproducible; the charts come from [`crate::emit::charts`].

mod closing;
mod economy;
pub mod final_texts;
pub(in crate::emit) mod package;
mod sections;
pub mod texts;
mod word;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::EmitError;
use crate::money::{sv_kr_whole, sv_number, sv_percent};
use crate::month::{Month, SWEDISH_MONTHS};
use crate::reconcile::model::{Figures, Period};
pub use final_texts::FinalTexts;
pub use texts::Texts;
/// Free text cleaned of control characters, and the page and colours, as the reports have them
/// (the attachments' certificates look the same).
pub(in crate::emit) use word::{FONT, HEADING_COLOR, MARGIN, MUTED, PAGE_H, PAGE_W, TEXT_WIDTH, clean as clean_text};

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
    sections::render(figures, texts, Kind::Progress, sections::progress_document)
}

/// Renders `slutrapport.docx` from the figures of `redovisa final` (the last claim, with the
/// whole project's cumulative figures and narratives) and the project's own texts.
pub fn final_report(figures: &Figures, texts: &Texts, own: &FinalTexts) -> Result<Vec<u8>, EmitError> {
    sections::render(figures, texts, Kind::Final, |cx, charts| closing::document(cx, own, charts))
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

/// Months as short runs: `jan–apr 2024, okt 2024, nov 2024 – feb 2025`; more than three runs as
/// their count and span: `14 månader, jan 2024 – apr 2027`.
fn month_runs(months: &[Month]) -> String {
    let short = |m: Month| SWEDISH_MONTHS[(m.month() - 1) as usize].chars().take(3).collect::<String>();
    let runs = crate::month::runs(months);
    let run = |(a, b): (Month, Month)| match (a == b, a.year() == b.year()) {
        (true, _) => format!("{} {}", short(a), a.year()),
        (false, true) => format!("{}–{} {}", short(a), short(b), b.year()),
        (false, false) => format!("{} {} – {} {}", short(a), a.year(), short(b), b.year()),
    };
    match (runs.first(), runs.last()) {
        (Some(first), Some(last)) if runs.len() > 3 => {
            let count: usize = months.iter().collect::<std::collections::BTreeSet<_>>().len();
            format!("{count} månader, {}", run((first.0, last.1)))
        }
        _ => runs.into_iter().map(run).collect::<Vec<_>>().join(", "),
    }
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
        let months: Vec<Month> = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-10", "2024-11", "2025-02"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(month_runs(&months[..4]), "jan–apr 2024");
        assert_eq!(month_runs(&months[4..]), "okt–nov 2024, feb 2025");
        assert_eq!(month_runs(&[months[5], months[6], months[6]]), "nov 2024, feb 2025");
        let scattered: Vec<Month> = (1..=12).step_by(2).map(|m| Month::new(2024, m).unwrap()).collect();
        assert_eq!(month_runs(&scattered), "6 månader, jan–nov 2024");
        let across = [Month::new(2024, 11).unwrap(), Month::new(2025, 1).unwrap()];
        assert_eq!(month_runs(&[across[0], across[0].next(), across[1]]), "nov 2024 – jan 2025");
    }
}
