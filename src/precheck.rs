//! `redovisa check`: one workbook, checked before it is dropped in the inbox. (The module is
//! `precheck`, apart from the run's row checks in `reconcile::checks`.)
//!
//! The workbook is read and checked exactly as a run would (contract, row checks against the
//! approved project), attestation is only reported, and what it would count is computed by the
//! same reconcile as a run, as if it were the only workbook: its month's hours and staff costs per
//! person, flat rate, other costs, participants. The annual hour cap and salary-basis changes
//! need the earlier months and are only checked in a run.

use std::fmt::Write;
use std::path::Path;

use crate::finding::{Code, Finding, sort_findings};
use crate::intake::{FileKind, InboxFile, Status};
use crate::money::{sv_hours, sv_kr};
use crate::pipeline::examine;
use crate::project::Project;
use crate::read::Limits;
use crate::reconcile::model::{Figures, FileRecord, Period};
use crate::reconcile::{self, UsedWorkbook};
use crate::sv::{counted, noun};

/// What `check` found.
pub struct CheckReport {
    pub file: String,
    pub org_name: Option<String>,
    pub findings: Vec<Finding>,
    /// What the workbook would count, when it can be attributed to a partner and month.
    pub figures: Option<Figures>,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// The file is no workbook that can be read (wrong format, not a workbook at all): the check
    /// could not be done (exit status 2), its findings say why.
    pub fn not_a_workbook(&self) -> bool {
        self.findings.iter().any(|f| matches!(f.code, Code::WrongFormat | Code::FileUnreadable))
    }
}

/// Whether `path` is a file `check` can look at: it must exist and be a regular file. The error
/// names the path and says what is wrong, in Swedish.
pub fn checkable(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Err(e) => Err(crate::sv::io_failed("kontrollera", path, &e)),
        Ok(m) if m.is_dir() => Err(format!("{} är en mapp; ange en arbetsbok (.xlsx)", path.display())),
        Ok(m) if !m.is_file() => Err(format!("{} är ingen vanlig fil; ange en arbetsbok (.xlsx)", path.display())),
        Ok(_) => Ok(()),
    }
}

/// Reads and checks one workbook.
pub fn check_file(project: &Project, path: &Path) -> CheckReport {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let lower = name.to_lowercase();
    let kind = if lower.ends_with(".xlsx") { FileKind::Workbook } else { crate::intake::classify(&name, true) };
    let file = InboxFile { path: path.to_path_buf(), rel: name.clone(), folder: None, size, kind };
    let mut ex = examine(project, file, &Limits::default());
    let org = ex.header.as_ref().and_then(|h| project.org_by_nr(&h.org_nr));
    let mut findings = std::mem::take(&mut ex.findings);
    if let Some(h) = &ex.header {
        if org.is_none() {
            findings.push(crate::intake::unknown_partner(&name, &h.org_nr));
        }
        if !h.attested {
            findings.push(crate::intake::not_attested(h.attest_place.clone()).as_warning());
        }
    }
    let figures = match (org, ex.report.as_ref(), ex.month) {
        (Some(org), Some(report), Some(month)) => {
            let idx = project.orgs().position(|o| o.folder() == org.folder()).unwrap_or(0);
            let record = FileRecord {
                path: name.clone(),
                folder: Some(org.folder().to_string()),
                org_name: Some(org.name().to_string()),
                month: Some(month),
                version: ex.version,
                size,
                sha256: ex.sha256.clone(),
                status: Status::Used,
                note: String::new(),
                contribution: None,
            };
            let input = reconcile::Input {
                period: Period { from: month, to: month },
                claim: false,
                used: vec![UsedWorkbook {
                    org: idx,
                    rel: &name,
                    sha256: &ex.sha256,
                    report,
                    attested_on: ex.attested_on,
                }],
                claims: &[],
                submitted: &[],
                hold_corrections: false,
                narratives_from: month,
                files: vec![record],
                findings: Vec::new(),
                today: month.last_day(),
                final_report: None,
            };
            let figures = reconcile::reconcile(project, input);
            findings
                .extend(figures.findings.iter().filter(|f| f.place.file.as_deref() == Some(name.as_str())).cloned());
            Some(figures)
        }
        _ => None,
    };
    sort_findings(&mut findings);
    CheckReport { file: name, org_name: org.map(|o| o.name().to_string()), findings, figures }
}

/// The check as Swedish text for the terminal.
pub fn render(r: &CheckReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Kontroll av {}", r.file);
    if let Some(org) = &r.org_name {
        let _ = writeln!(s, "Från: {org}");
    }
    let errors = r.findings.iter().filter(|f| f.is_error()).count();
    let _ = writeln!(s, "\n{}, {}", counted(errors, noun::FEL), counted(r.findings.len() - errors, noun::VARNING));
    for f in &r.findings {
        let place = f.place.sheet_cell();
        let at = if place.is_empty() { String::new() } else { format!(" {place}") };
        let _ = writeln!(s, "  [{}] {}{at}: {}", f.severity.swedish(), f.code, f.message.replace('\u{a0}', " "));
    }
    let Some(fig) = &r.figures else {
        let _ = writeln!(s, "\nArbetsboken kan inte knytas till en part och en månad, så inget skulle räknas.");
        return s;
    };
    let _ = writeln!(s, "\nDet här skulle räknas för {}:", fig.period.from.swedish());
    let org = fig.orgs.iter().find(|o| o.months_reported.contains(&fig.period.from));
    for line in &fig.staff {
        let _ = writeln!(
            s,
            "  {:<28} {:>8} h  lön {:>14}  lönebikostnad {:>13}  personalkostnad {:>14}",
            line.name,
            plain(&sv_hours(line.hours)),
            plain(&sv_kr(line.salary_cost)),
            plain(&sv_kr(line.on_cost)),
            plain(&sv_kr(line.staff_cost))
        );
    }
    if let Some(o) = org {
        let label = if o.in_kind { "Bidrag i annat än pengar" } else { "Summa" };
        let _ = writeln!(s, "  Personalkostnader {}", plain(&sv_kr(o.period.staff)));
        if !o.period.flat_rate.is_zero() {
            let _ = writeln!(s, "  Schablon          {}", plain(&sv_kr(o.period.flat_rate)));
        }
        if !o.period.other.is_zero() {
            let _ = writeln!(s, "  Övriga kostnader  {}", plain(&sv_kr(o.period.other)));
        }
        let _ = writeln!(s, "  {label}: {}", plain(&sv_kr(o.period.total())));
    }
    for a in fig.activities.iter().filter(|a| !a.period.is_zero()) {
        let _ = writeln!(
            s,
            "  Aktivitet {:<5} {:>10} h {:>16}",
            a.code,
            plain(&sv_hours(a.hours_period)),
            plain(&sv_kr(a.period))
        );
    }
    for l in fig.cofinancing.lines.iter().filter(|l| !l.paid_period.is_zero()) {
        let _ = writeln!(s, "  Inbetald medfinansiering från {}: {}", l.financier, plain(&sv_kr(l.paid_period)));
    }
    if let Some(c) = fig.files.first().and_then(|f| f.contribution) {
        let _ = writeln!(s, "  Deltagare: {} rader, lägesbeskrivningar: {}", c.participants, c.narratives);
    }
    s
}

fn plain(t: &str) -> String {
    t.replace('\u{a0}', " ")
}
