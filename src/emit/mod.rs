//! Emit: the reconciled figures → the claim workbook, the Word reports, the receipts (text and
//! page), the monthly status (text and `status.html`) and `summary.json`.
//!
//! Renderers are thin: each turns a [`Figures`] into bytes and computes nothing (a number they
//! need comes from the model). [`write_run`] writes a run's outputs into its folder, each file
//! atomically ([`atomic::write_all_atomic`]), `summary.json` last.

pub mod atomic;
pub mod charts;
pub mod claim;
pub mod html;
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
    #[error("kan inte skriva {0}: {1}")]
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

fn write(path: PathBuf, bytes: &[u8]) -> Result<PathBuf, EmitError> {
    atomic::write_atomic(&path, bytes).map_err(|e| EmitError::Io(path.clone(), e))?;
    Ok(path)
}

/// Writes a run's outputs into `out`: claim workbook, progress report, a receipt per partner
/// folder (text and page), the monthly status (text and page), and `summary.json` last. Returns the paths written.
pub fn write_run(project: &Project, figures: &Figures, out: &Path) -> Result<Vec<PathBuf>, EmitError> {
    atomic::remove_stale_temporaries(out);
    atomic::remove_stale_temporaries(&out.join("kvitto"));
    let texts = report::Texts::load(&project.dir)?;
    // Rendering is pure: the progress report (the slowest, with its charts) is rendered beside
    // the claim workbook and the smaller files, then everything is written in one pass (one
    // sync for all files instead of two per file).
    let ((claim, rest), progress) =
        rayon::join(|| (claim::render(figures), pages(figures, &texts, out)), || report::progress(figures, &texts));
    let mut files = vec![(out.join(claim_name(figures)), claim?), (out.join(progress_name(figures)), progress?)];
    files.extend(rest?);
    atomic::write_all_atomic(&files).map_err(|(path, e)| EmitError::Io(path, e))?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// The receipts (text and page), the status files and `summary.json`, with where they go.
fn pages(figures: &Figures, texts: &report::Texts, out: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, EmitError> {
    let mut files = Vec::new();
    for org in &figures.orgs {
        let text = receipt::render(figures, &org.folder);
        files.push((out.join("kvitto").join(format!("{}.txt", org.folder)), text.into_bytes()));
        let page = html::render_receipt(figures, &org.folder)?;
        files.push((out.join("kvitto").join(format!("{}.html", org.folder)), page.into_bytes()));
    }
    files.push((out.join(status::FILE), status::render(figures).into_bytes()));
    files.push((out.join(html::STATUS_FILE), html::render_status(figures, texts)?.into_bytes()));
    files.push((out.join("summary.json"), summary::render(figures)));
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
    atomic::remove_stale_temporaries(out);
    Ok(vec![
        write(out.join(FINAL_REPORT), &report::final_report(figures, &texts, own)?)?,
        write(out.join("summary.json"), &summary::render(figures))?,
    ])
}
