//! The claim's attachments, ready to upload (`bilagor/` in the claim's output folder): a time
//! report per organisation (`tidredovisning-<mapp>-<from>_<to>.xlsx`), a certificate per share
//! of working time that starts in the claim (`intyg-andel-<mapp>-<namn>-<ÅÅÅÅ-MM>.docx`), and the
//! checklist of what to upload per organisation (`bilagor.txt`, the same list on `status.html`).
//!
//! Every figure comes from [`crate::reconcile::attachments`]; this module names the files and
//! lays the figures out. Fixed wording is `templates/bilagor.toml`, adjustable per project in
//! `mallar/bilagor.toml` ([`Texts`]). Only a claim run writes attachments: a status run counts
//! unattested workbooks, which must never reach the agency.

mod certificate;
pub mod checklist;
pub mod texts;
mod time_report;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::EmitError;
use crate::money::sv_number;
use crate::project::Project;
use crate::reconcile::attachments::{Certificate, TimeReport};
use crate::reconcile::model::Figures;
pub use texts::Texts;

/// The attachments' folder in the claim's output folder.
pub const FOLDER: &str = "bilagor";

/// The checklist's file name inside [`FOLDER`].
pub const CHECKLIST: &str = "bilagor.txt";

/// The attachments of a claim with their paths in the output folder; none for a status run.
pub fn render(project: &Project, figures: &Figures) -> Result<Vec<(PathBuf, Vec<u8>)>, EmitError> {
    if !figures.claim {
        return Ok(Vec::new());
    }
    let texts = Texts::load(&project.dir)?;
    let folder = Path::new(FOLDER);
    let mut files = Vec::new();
    for report in &figures.attachments.time_reports {
        files.push((folder.join(time_report_name(figures, report)), time_report::render(figures, report, &texts)?));
    }
    let names = certificate_names(figures);
    for (c, name) in figures.attachments.certificates.iter().zip(names) {
        files.push((folder.join(name), certificate::render(figures, c, &texts)?));
    }
    files.push((folder.join(CHECKLIST), checklist::render(figures).into_bytes()));
    Ok(files)
}

/// `tidredovisning-<mapp>-<from>_<to>.xlsx`.
pub fn time_report_name(figures: &Figures, report: &TimeReport) -> String {
    format!("tidredovisning-{}-{}.xlsx", report.employer.folder, figures.period.slug())
}

/// Each certificate's file name, in the model's order: `intyg-andel-<mapp>-<namn>-<ÅÅÅÅ-MM>.docx`,
/// the name in plain letters; two that would be the same get `-2`, `-3` … in order.
pub fn certificate_names(figures: &Figures) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    figures
        .attachments
        .certificates
        .iter()
        .map(|c: &Certificate| {
            let base = format!("intyg-andel-{}-{}-{}", c.employer.folder, file_word(&c.name), c.month);
            let n = seen.iter().filter(|s| **s == base).count();
            seen.push(base.clone());
            if n == 0 { format!("{base}.docx") } else { format!("{base}-{}.docx", n + 1) }
        })
        .collect()
}

/// A name as a file name word: lower case ASCII letters and digits joined by dashes (`Åsa
/// Öberg-Lind` → `asa-oberg-lind`).
fn file_word(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if plain.is_ascii_alphanumeric() {
            out.push(plain);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let word = out.trim_end_matches('-').to_string();
    if word.is_empty() { "person".to_string() } else { word }
}

/// A share as a partner writes it: `75 %`, `33,3 %` (as many decimals as it has).
pub fn share_text(fraction: Decimal) -> String {
    let percent = (fraction * Decimal::ONE_HUNDRED).normalize();
    format!("{}\u{a0}%", sv_number(percent, percent.scale()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn names_become_plain_file_words() {
        assert_eq!(file_word("Åsa Öberg-Lind"), "asa-oberg-lind");
        assert_eq!(file_word("  Anna  Svensson "), "anna-svensson");
        assert_eq!(file_word("Zoë d'Arc"), "zoe-d-arc");
        assert_eq!(file_word("李"), "person");
    }

    #[test]
    fn shares_read_as_written() {
        assert_eq!(share_text(dec!(0.75)), "75\u{a0}%");
        assert_eq!(share_text(dec!(0.333)), "33,3\u{a0}%");
        assert_eq!(share_text(dec!(1)), "100\u{a0}%");
    }
}
