//! Emit: the reconciled figures → the claim workbook, the Word reports, the receipts (text and
//! page), the monthly status (text and `status.html`) and `summary.json`.
//!
//! Renderers are thin: each turns a [`Figures`] into bytes and computes nothing (a number they
//! need comes from the model). [`write_run`] and [`write_final`] replace their output folder as a
//! whole ([`atomic::replace_folder`]): a killed run leaves the old set of files or the new one.

pub mod atomic;
pub mod bilagor;
pub mod charts;
pub mod claim;
pub mod html;
pub mod protect;
pub mod receipt;
pub mod report;
pub mod status;
pub mod summary;

use std::path::{Path, PathBuf};

use crate::project::Project;
use crate::reconcile::model::Figures;

/// Why an output could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("kan inte skriva {}: {}", .0.display(), crate::sv::io_error(.1))]
    Io(PathBuf, std::io::Error),
    #[error("kan inte skapa Excel-filen: {0}")]
    Xlsx(String),
    #[error("kan inte skapa Word-filen: {0}")]
    Docx(String),
    #[error("kan inte rita diagrammet: {0}")]
    Chart(String),
    #[error("mallen {0} går inte att läsa: {1}")]
    Template(PathBuf, String),
}

/// The claim workbook's file name for a period.
pub fn claim_name(figures: &Figures) -> String {
    format!("ansokan-{}.xlsx", figures.period.slug())
}

/// The progress report's file name for a period.
pub fn progress_name(figures: &Figures) -> String {
    format!("lagesrapport-{}.docx", figures.period.slug())
}

/// Name of the final report.
pub const FINAL_REPORT: &str = "slutrapport.docx";

/// What marks a folder as a run's output folder, which may be replaced as a whole.
const FOLDER_MARKS: [&str; 2] = ["summary.json", crate::ledger::anchor::RECEIPT_FILE];

/// Replaces `out` with a folder holding `files` (relative to it) besides what was there that a
/// run does not write; returns the paths written.
fn replace(out: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Result<Vec<PathBuf>, EmitError> {
    atomic::replace_folder_owning(out, &files, &FOLDER_MARKS, &[bilagor::FOLDER])
        .map_err(|(path, e)| EmitError::Io(path, e))?;
    Ok(files.into_iter().map(|(rel, _)| out.join(rel)).collect())
}

/// Writes a run's outputs into `out`: claim workbook, progress report, a receipt per partner
/// folder (text and page), the monthly status (text and page), `summary.json`, and the claim's
/// attachments (`bilagor/`). Returns the paths written.
pub fn write_run(project: &Project, figures: &Figures, out: &Path) -> Result<Vec<PathBuf>, EmitError> {
    let texts = report::Texts::load(&project.dir)?;
    // Rendering is pure: the progress report (the slowest, with its charts) is rendered beside
    // the claim workbook and the smaller files, then everything is written in one pass.
    let ((claim, rest, attachments), progress) = rayon::join(
        || (claim::render(figures), pages(figures, &texts), bilagor::render(project, figures)),
        || report::progress(figures, &texts),
    );
    let mut files =
        vec![(PathBuf::from(claim_name(figures)), claim?), (PathBuf::from(progress_name(figures)), progress?)];
    files.extend(rest?);
    files.extend(attachments?);
    replace(out, files)
}

/// The receipts (text and page), the status files and `summary.json`, with where they go in the
/// output folder.
fn pages(figures: &Figures, texts: &report::Texts) -> Result<Vec<(PathBuf, Vec<u8>)>, EmitError> {
    let mut files = Vec::new();
    for org in &figures.orgs {
        let text = receipt::render(figures, &org.folder);
        files.push((Path::new("kvitto").join(format!("{}.txt", org.folder)), text.into_bytes()));
        let page = html::render_receipt(figures, &org.folder)?;
        files.push((Path::new("kvitto").join(format!("{}.html", org.folder)), page.into_bytes()));
    }
    files.push((PathBuf::from(status::FILE), status::render(figures).into_bytes()));
    files.push((PathBuf::from(html::STATUS_FILE), html::render_status(figures, texts)?.into_bytes()));
    files.push((PathBuf::from("summary.json"), summary::render(figures)));
    Ok(files)
}

/// Writes the final report (and its `summary.json`) into `out`; `own` are the project's texts
/// of the report (`mallar/slutrapport.toml`).
pub fn write_final(
    project: &Project,
    figures: &Figures,
    own: &report::FinalTexts,
    out: &Path,
) -> Result<Vec<PathBuf>, EmitError> {
    let texts = report::Texts::load(&project.dir)?;
    replace(
        out,
        vec![
            (PathBuf::from(FINAL_REPORT), report::final_report(figures, &texts, own)?),
            (PathBuf::from("summary.json"), summary::render(figures)),
        ],
    )
}
