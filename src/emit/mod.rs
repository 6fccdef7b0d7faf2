//! Emit: the reconciled figures → the claim workbook, the Word reports, the receipts (text and
//! page), the monthly status (text and `status.html`) and `summary.json`.
//!
//! Renderers are thin: each turns a [`Figures`] into bytes and computes nothing (a number they
//! need comes from the model). [`write_run`] and [`write_final`] replace their output folder as a
//! whole ([`atomic::replace_folder_with`]): a killed run leaves the old set of files or the new
//! one. Each file is written, and its sync started, as soon as it is rendered.

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

impl From<atomic::FolderError> for EmitError {
    fn from((path, e): atomic::FolderError) -> EmitError {
        EmitError::Io(path, e)
    }
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

/// Writes a run's outputs into `out`: claim workbook, progress report, a receipt per partner
/// folder (text and page), the monthly status (text and page), `summary.json`, and the claim's
/// attachments (`bilagor/`). Returns the paths written.
pub fn write_run(project: &Project, figures: &Figures, out: &Path) -> Result<Vec<PathBuf>, EmitError> {
    let texts = report::Texts::load(&project.dir)?;
    let claim = PathBuf::from(claim_name(figures));
    let progress = PathBuf::from(progress_name(figures));
    let mut written = vec![claim.clone(), progress.clone()];
    atomic::replace_folder_with(out, &FOLDER_MARKS, &[bilagor::FOLDER], |stage| {
        // Rendering is pure: the progress report (the slowest, with its charts) is rendered beside
        // the claim workbook, the smaller files and the attachments, each written as soon as it is
        // ready.
        let (rest, report) = rayon::join(
            || {
                stage.put(&claim, &claim::render(figures)?)?;
                let mut rest = pages(figures, &texts, stage)?;
                for (rel, bytes) in bilagor::render(project, figures)? {
                    stage.put(&rel, &bytes)?;
                    rest.push(rel);
                }
                Ok::<_, EmitError>(rest)
            },
            || stage.put(&progress, &report::progress(figures, &texts)?).map_err(EmitError::from),
        );
        written.extend(rest?);
        report
    })?;
    Ok(written.into_iter().map(|rel| out.join(rel)).collect())
}

/// Writes the receipts (text and page), the status files and `summary.json`; returns where they
/// went in the output folder.
fn pages(figures: &Figures, texts: &report::Texts, stage: &atomic::Stage) -> Result<Vec<PathBuf>, EmitError> {
    let mut written = Vec::new();
    let mut put = |rel: PathBuf, bytes: &[u8]| -> Result<(), EmitError> {
        stage.put(&rel, bytes)?;
        written.push(rel);
        Ok(())
    };
    for org in &figures.orgs {
        put(Path::new("kvitto").join(format!("{}.txt", org.folder)), receipt::render(figures, &org.folder).as_bytes())?;
        put(
            Path::new("kvitto").join(format!("{}.html", org.folder)),
            html::render_receipt(figures, &org.folder)?.as_bytes(),
        )?;
    }
    put(PathBuf::from(status::FILE), status::render(figures).as_bytes())?;
    put(PathBuf::from(html::STATUS_FILE), html::render_status(figures, texts)?.as_bytes())?;
    put(PathBuf::from("summary.json"), &summary::render(figures))?;
    Ok(written)
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
    let written = [PathBuf::from(FINAL_REPORT), PathBuf::from("summary.json")];
    atomic::replace_folder_with(out, &FOLDER_MARKS, &[], |stage| {
        stage.put(&written[0], &report::final_report(figures, &texts, own)?)?;
        stage.put(&written[1], &summary::render(figures)).map_err(EmitError::from)
    })?;
    Ok(written.iter().map(|rel| out.join(rel)).collect())
}
