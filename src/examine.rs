//! One inbox file, examined: its bytes snapshotted and hashed, read as a workbook, its rows
//! checked against the project ([`reconcile::month_report`], isolated like the read), and read
//! again to see whether it changed meanwhile. [`read_all`] examines every file in
//! parallel; the results keep the inbox's order. What is not a workbook gets its file-kind
//! finding from intake.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::contract::Label;
use crate::finding::{FileProblem, Finding, Message, Place};
use crate::intake::{self, FileKind, Header, InboxFile};
use crate::month::Month;
use crate::project::Project;
use crate::read::{self, Limits};
use crate::reconcile::{self, MonthReport};

/// One file of the inbox after reading: what it is, what it says, what it contributes.
#[derive(Debug, Clone)]
pub struct Examined {
    pub file: InboxFile,
    pub sha256: String,
    pub header: Option<Header>,
    pub partner_name: Option<String>,
    pub version: Option<u32>,
    pub month: Option<Month>,
    pub attested_on: Option<NaiveDate>,
    /// What the file says it is as far as it can be read ([`read::Workbook::stated`]).
    pub stated: Option<(Month, Option<u32>)>,
    pub report: Option<MonthReport>,
    pub findings: Vec<Finding>,
    /// The file changed on disk while it was read: left for the next run.
    pub changed: bool,
}

impl Examined {
    /// The file as intake's selection sees it: unusable when it changed while read or could not
    /// be checked.
    pub fn candidate(&self) -> intake::Candidate {
        intake::Candidate {
            rel: self.file.rel.clone(),
            folder: self.file.folder.clone(),
            sha256: self.sha256.clone(),
            header: self.header.clone(),
            unusable: self.changed || self.report.is_none(),
            stated: self.stated,
        }
    }
}

/// The SHA-256 of a file, streamed (bounded memory whatever its size).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Reads a file, failing when it holds more than `max` bytes (it grew after it was listed):
/// memory stays bounded whatever the file does meanwhile.
fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!("filen är större än {} MB", max >> 20)));
    }
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the file at `path` still holds exactly `snapshot`: read again and compared byte for
/// byte (as certain as comparing hashes, and cheaper than hashing it again). A file that cannot
/// be read any more, or grew past `max`, has changed.
fn unchanged(path: &Path, snapshot: &[u8], max: u64) -> bool {
    read_bounded(path, max).is_ok_and(|now| now == snapshot)
}

/// Reads one inbox file: snapshot its bytes and hash, read the snapshot, check its rows against
/// the project, and read the file on disk again to see whether it changed meanwhile.
pub fn examine(project: &Project, file: InboxFile, limits: &Limits) -> Examined {
    examine_observed(project, file, limits, &|_| {})
}

/// [`examine`] with a callback between reading the snapshot and reading the file on disk again, the
/// moment a partner saving over the network would hit. Tests use it to rewrite the file there.
#[doc(hidden)]
pub fn examine_observed(project: &Project, file: InboxFile, limits: &Limits, after_read: &dyn Fn(&Path)) -> Examined {
    examine_with(project, file, limits, after_read, &reconcile::month_report)
}

/// The per-workbook reconcile step, as [`examine_with`] takes it.
pub type MonthReportFn = dyn Fn(&Project, &read::Workbook) -> (Option<MonthReport>, Vec<Finding>) + Sync;

/// [`examine_observed`] with the reconcile step given: tests pass one that panics, to see that
/// a bug met on one workbook costs that workbook, not the run.
#[doc(hidden)]
pub fn examine_with(
    project: &Project,
    file: InboxFile,
    limits: &Limits,
    after_read: &dyn Fn(&Path),
    month_report: &MonthReportFn,
) -> Examined {
    let mut ex = Examined {
        file,
        sha256: String::new(),
        header: None,
        partner_name: None,
        version: None,
        month: None,
        attested_on: None,
        stated: None,
        report: None,
        findings: Vec::new(),
        changed: false,
    };
    // The partner folder the file lies in, so that its receipt shows the finding.
    let place = match &ex.file.folder {
        Some(folder) => Place::file(&ex.file.rel).with_partner(folder),
        None => Place::file(&ex.file.rel),
    };
    // Gone since the listing (a lock file closed, a save replaced it): listed as gone, not read.
    if matches!(ex.file.kind, FileKind::Workbook | FileKind::WrongFormat)
        && std::fs::symlink_metadata(&ex.file.path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        ex.file.kind = FileKind::Ignored(intake::GONE);
        return ex;
    }
    // A named pipe or device (or a link to one) under a workbook's name would block or never
    // end when read; only regular files are opened.
    if matches!(ex.file.kind, FileKind::Workbook | FileKind::WrongFormat)
        && !std::fs::metadata(&ex.file.path).is_ok_and(|m| m.is_file())
    {
        ex.findings.push(intake::not_a_regular_file(place));
        return ex;
    }
    match ex.file.kind {
        FileKind::Workbook => {}
        FileKind::WrongFormat => {
            ex.sha256 = sha256_file(&ex.file.path).unwrap_or_default();
            ex.findings.push(intake::wrong_format(place));
            return ex;
        }
        FileKind::OutsideFolders => {
            ex.findings.push(intake::outside_partner_folders(place));
            return ex;
        }
        FileKind::UnreadableFolder(ref reason) => {
            let finding = intake::folder_unreadable(place, &ex.file.rel, reason);
            ex.findings.push(if ex.file.folder.is_some() { finding } else { finding.as_warning() });
            return ex;
        }
        FileKind::Ignored(_) => return ex,
    }
    // The bytes as read: a file that could not be opened has nothing to compare afterwards, and
    // is one finding (FILE_UNREADABLE), not also a change during the run.
    let mut snapshot = None;
    let outcome = if ex.file.size > limits.max_file_bytes {
        ex.sha256 = sha256_file(&ex.file.path).unwrap_or_default();
        read::ReadOutcome::unreadable(
            &ex.file.rel,
            FileProblem::TooLarge { mb: read::guard::whole_mb_up(ex.file.size), max_mb: limits.max_file_bytes >> 20 },
        )
    } else {
        match read_bounded(&ex.file.path, limits.max_file_bytes) {
            Ok(bytes) => {
                ex.sha256 = hex(&Sha256::digest(&bytes));
                let outcome = read::read_workbook(&bytes, &ex.file.rel, limits);
                snapshot = Some(bytes);
                outcome
            }
            Err(e) => read::ReadOutcome::unreadable(&ex.file.rel, FileProblem::Io(e.to_string())),
        }
    };
    ex.findings = outcome.findings;
    if let Some(wb) = &outcome.workbook {
        ex.partner_name = wb.info.partner_name.clone();
        ex.version = Some(wb.info.version);
        ex.month = wb.info.month;
        ex.attested_on = wb.info.attested_on;
        ex.stated = wb.stated();
        if let (Some(org_nr), Some(month)) = (&wb.info.org_nr, wb.info.month) {
            let unattested = if wb.info.attested_by.is_none() { Label::AttesteradAv } else { Label::Attestdatum };
            ex.header = Some(Header {
                org_nr: org_nr.clone(),
                month,
                version: wb.info.version,
                attested: wb.info.attested_by.is_some() && wb.info.attested_on.is_some(),
                attest_place: wb.info_place(unattested),
            });
        }
        let (report, findings) = isolated(project, wb, month_report);
        ex.report = report.map(compact);
        ex.findings.extend(findings);
    }
    after_read(&ex.file.path);
    if snapshot.is_some_and(|bytes| !unchanged(&ex.file.path, &bytes, limits.max_file_bytes)) {
        ex.changed = true;
        ex.report = None;
        ex.findings.push(Finding::of(Place::file(&ex.file.rel), Message::FileChangedDuringRun));
    }
    for f in &mut ex.findings {
        if f.place.partner.is_none() {
            f.place.partner = ex.file.folder.clone();
        }
    }
    ex.findings.shrink_to_fit();
    ex
}

/// A workbook's figures as they are kept until the run ends, one per workbook of the inbox:
/// without the room their lists grew into while they were collected.
fn compact(mut report: MonthReport) -> MonthReport {
    report.persons.shrink_to_fit();
    report.held.shrink_to_fit();
    report.other_costs.shrink_to_fit();
    report.participants.shrink_to_fit();
    report.indicator_values.shrink_to_fit();
    report.narratives.shrink_to_fit();
    report.payments.shrink_to_fit();
    report
}

/// Runs the reconcile step on one workbook in the same isolation as reading it
/// ([`read::read_workbook`]): a panic — a bug in redovisa met on this workbook — is caught, and
/// the workbook is left out with a finding instead of taking the run down.
fn isolated(
    project: &Project,
    wb: &read::Workbook,
    month_report: &MonthReportFn,
) -> (Option<MonthReport>, Vec<Finding>) {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| month_report(project, wb))) {
        Ok(outcome) => outcome,
        Err(_) => (None, vec![Finding::of(Place::file(&wb.file), Message::InternalError)]),
    }
}

/// Reads every inbox file in parallel; results in inbox order.
pub fn read_all(project: &Project, files: Vec<InboxFile>, limits: &Limits, progress: bool) -> Vec<Examined> {
    let bar = if progress && files.len() > 20 {
        let bar = ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} arbetsböcker ({eta} kvar)") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("Läser");
        bar
    } else {
        ProgressBar::hidden()
    };
    let out = files
        .into_par_iter()
        .map(|f| {
            let e = examine(project, f, limits);
            bar.inc(1);
            e
        })
        .collect();
    bar.finish_and_clear();
    out
}
