//! The run, stage by stage: intake → read → select → reconcile → emit.
//!
//! [`evaluate`] does everything but writing and is shared by `run`, `final`, `submit`, `check`
//! and `watch`; [`run`] adds the lock and the outputs. Workbooks are read in parallel with
//! rayon ([`read_all`]); results keep the inbox's sorted order, so thread count and listing order
//! never change an output.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::emit::report::FinalTexts;
use crate::emit::{self, EmitError, atomic::RunLock};
pub use crate::examine::{Examined, MonthReportFn, examine, examine_observed, examine_with, read_all, sha256_file};
use crate::finding::Finding;
use crate::intake::{self, Candidate, FileKind, Status};
use crate::ledger::{Ledger, LedgerError, legacy_pinned};
use crate::month::Month;
use crate::project::{LoadError, PROJECT_FILE, Project};
use crate::read::Limits;
use crate::reconcile::model::{Figures, FileRecord, Period, PlannedClaimStatus};
use crate::reconcile::{self, UsedWorkbook};

/// How a run is asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Inbox folder (default: the project's).
    pub inbox: Option<PathBuf>,
    pub from: Option<Month>,
    pub to: Option<Month>,
    /// Today, for "the last whole month" (never written into an output).
    pub today: NaiveDate,
    /// A claim requires attestation; a status run only reports its absence.
    pub claim: bool,
    pub limits: Limits,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Hold corrections of claimed months back: listed and reported, not taken.
    pub hold_corrections: bool,
    /// The final report: its period to the project's end (or `to`), narratives from the
    /// project's start, condensed.
    pub final_report: bool,
    /// A final report written before the project's last month, marked as preliminary.
    pub preliminary: bool,
}

impl Options {
    /// A claim run over the default period.
    pub fn claim(today: NaiveDate) -> Options {
        Options {
            inbox: None,
            from: None,
            to: None,
            today,
            claim: true,
            limits: Limits::default(),
            progress: false,
            hold_corrections: false,
            final_report: false,
            preliminary: false,
        }
    }
}

/// Why a run could not be done at all (exit status 2, nothing written).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Project(#[from] LoadError),
    #[error("kan inte läsa inkorgen {}: {}", .0.display(), crate::sv::io_error(.1))]
    Inbox(PathBuf, std::io::Error),
    #[error("{0}")]
    Period(String),
    #[error(transparent)]
    Lock(#[from] emit::atomic::LockError),
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// Figures of a run, before writing.
pub struct Evaluation {
    pub figures: Figures,
    pub examined: Vec<Examined>,
}

/// Intake, read, select, reconcile: everything except writing outputs.
pub fn evaluate(project: &Project, opts: &Options, ledger: &Ledger) -> Result<Evaluation, RunError> {
    let examined = examine_inbox(project, opts)?;
    let figures = assess(project, opts, ledger, &examined)?;
    Ok(Evaluation { figures, examined })
}

/// Intake and read: every file of the inbox, examined, in inbox order. A partner folder of the
/// project file that the inbox has only under another case or accents stops the run
/// ([`Project::check_folders`]).
pub fn examine_inbox(project: &Project, opts: &Options) -> Result<Vec<Examined>, RunError> {
    let inbox = opts.inbox.clone().unwrap_or_else(|| project.inbox());
    let issues = project.check_folders(&inbox);
    if !issues.is_empty() {
        return Err(LoadError::Invalid { path: project.dir.join(PROJECT_FILE), issues }.into());
    }
    let files = intake::scan(project, &inbox).map_err(|e| RunError::Inbox(inbox.clone(), e))?;
    Ok(read_all(project, files, &opts.limits, opts.progress))
}

/// Select and reconcile over examined files.
pub fn assess(project: &Project, opts: &Options, ledger: &Ledger, examined: &[Examined]) -> Result<Figures, RunError> {
    let candidates: Vec<Candidate> =
        examined.iter().filter(|e| e.file.kind == FileKind::Workbook).map(Examined::candidate).collect();
    // Months of legacy claims stay pinned whatever the period; every other month counts its
    // selected workbook, and reconcile carries the differences against the ledger.
    let pinned = legacy_pinned(&ledger.claims);
    let (choices, select_findings) = intake::select(project, &candidates, opts.claim, &pinned);
    let mut status = choices.into_iter();
    let statuses: Vec<(Status, String)> = examined
        .iter()
        .map(|e| match &e.file.kind {
            FileKind::Workbook => match status.next() {
                _ if e.changed => (Status::Rejected, "ändrades medan den lästes; läses nästa gång".into()),
                Some(c) => (c.status, c.note),
                None => (Status::Rejected, String::new()),
            },
            FileKind::WrongFormat => (Status::Rejected, "fel format, spara som .xlsx".into()),
            FileKind::OutsideFolders => (Status::Ignored, "ligger utanför parternas mappar".into()),
            FileKind::UnreadableFolder(why) => (Status::Rejected, format!("mappen kan inte läsas: {why}")),
            FileKind::Ignored(why) => (Status::Ignored, (*why).into()),
        })
        .collect();
    let period = resolve_period(project, opts, ledger, examined, &statuses)?;
    let claims = ledger.before(period.from);
    let mut findings: Vec<Finding> = examined.iter().flat_map(|e| e.findings.iter().cloned()).collect();
    findings.extend(select_findings);
    let org_index = |e: &Examined| {
        let nr = &e.header.as_ref()?.org_nr;
        project.orgs().position(|o| o.org_nr() == nr)
    };
    let mut files = Vec::with_capacity(examined.len());
    let mut used = Vec::new();
    for (e, (status, note)) in examined.iter().zip(statuses) {
        // The month a file is for: its Period, or where its rows are when the Period is wrong or
        // unreadable.
        let month = e.stated.map(|(m, _)| m).or(e.month);
        let (status, note) = match (status, month) {
            (Status::Used | Status::Superseded | Status::Rejected, Some(m)) if m > period.to => {
                (Status::Later, format!("gäller {m}, räknas i en senare ansökan"))
            }
            (status, _) => (status, note),
        };
        if let (Status::Used, Some(org), Some(report)) = (status, org_index(e), e.report.as_ref()) {
            used.push(UsedWorkbook { org, rel: &e.file.rel, sha256: &e.sha256, report, attested_on: e.attested_on });
        }
        files.push(FileRecord {
            path: e.file.rel.clone(),
            folder: e.file.folder.clone(),
            org_name: e.file.folder.as_deref().and_then(|f| project.org_by_folder(f)).map(|o| o.name().to_string()),
            month,
            version: e.version,
            size: e.file.size,
            sha256: e.sha256.clone(),
            status,
            note,
            contribution: None,
        });
    }
    let input = reconcile::Input {
        period,
        claim: opts.claim,
        used,
        claims,
        submitted: &ledger.claims,
        hold_corrections: opts.hold_corrections,
        narratives_from: if opts.final_report { project.start_month() } else { period.from },
        files,
        findings,
        today: opts.today,
        final_report: opts.final_report.then_some(reconcile::FinalRun { preliminary: opts.preliminary }),
    };
    Ok(reconcile::reconcile(project, input))
}

/// The claim period: `--from`/`--to`, or after the last submitted claim up to the last whole
/// month with a counting workbook. The final report's period runs to the project's end (or
/// `--to`), never to the clock: the submitted claim that holds that month (its final report), or
/// the months after the last submitted claim.
fn resolve_period(
    project: &Project,
    opts: &Options,
    ledger: &Ledger,
    examined: &[Examined],
    statuses: &[(Status, String)],
) -> Result<Period, RunError> {
    let this_month = Month::new(opts.today.year(), opts.today.month()).unwrap_or(project.end_month());
    let last_whole = || {
        examined
            .iter()
            .zip(statuses)
            .filter(|(_, (s, _))| *s == Status::Used)
            .filter_map(|(e, _)| e.month)
            .filter(|m| *m < this_month)
            .max()
            .ok_or_else(|| {
                RunError::Period(
                    "inkorgen har ingen godkänd arbetsbok för en avslutad månad; ange perioden med --from och --to"
                        .into(),
                )
            })
    };
    let (from, to) = match (opts.from, opts.to, ledger.last()) {
        (Some(from), Some(to), _) => (from, to),
        (None, to, _) if opts.final_report => {
            let to = to.unwrap_or(project.end_month());
            let from = match ledger.claims.iter().find(|c| c.covers(to)) {
                Some(claim) => claim.from,
                None => ledger.last().filter(|c| c.to < to).map_or(project.start_month(), |c| c.to.next()),
            };
            (from, to)
        }
        (from, to, last) => {
            let from = from.unwrap_or_else(|| last.map_or(project.start_month(), |c| c.to.next()));
            // With a reporting plan, a claim that starts where a planned one does ends where it
            // does (status runs keep the last whole month).
            let to = match (to, project.planned_from(from)) {
                (Some(m), _) => m,
                (None, Some(planned)) if opts.claim => planned.to,
                (None, _) => last_whole()?,
            };
            (from, to)
        }
    };
    if from > to {
        return Err(RunError::Period(format!(
            "perioden {from} – {to} är tom{}",
            ledger
                .last()
                .map_or(String::new(), |c| format!(" (senaste inskickade ansökan gällde {} – {})", c.from, c.to))
        )));
    }
    if from < project.start_month() || to > project.end_month() {
        return Err(RunError::Period(format!(
            "perioden {from} – {to} ligger utanför projektets tid {} – {}",
            project.start_month(),
            project.end_month()
        )));
    }
    Ok(Period { from, to })
}

/// The default output folder of a period.
pub fn default_out(project: &Project, period: Period) -> PathBuf {
    project.output().join(period.slug())
}

/// A complete run: lock the project, evaluate, write the outputs. Returns the figures and the
/// paths written.
pub fn run(project: &Project, opts: &Options, out: Option<&Path>) -> Result<(Figures, Vec<PathBuf>), RunError> {
    let lock = RunLock::acquire(&project.dir)?;
    let ledger = Ledger::open_locked(project, &lock)?;
    let Evaluation { figures, .. } = evaluate(project, opts, &ledger)?;
    let out = out.map_or_else(|| default_out(project, figures.period), Path::to_path_buf);
    let written = emit::write_run(project, &figures, &out)?;
    Ok((figures, written))
}

/// The final report over the whole project up to its end (or `opts.to`): it belongs to the
/// last claim (the submitted claim holding that month, or the months after the last submitted
/// claim), and shows the whole project's cumulative figures and its narratives condensed.
/// Before the project's last month, or short of its end, it is written only as preliminary.
pub fn final_report(
    project: &Project,
    opts: &Options,
    out: Option<&Path>,
) -> Result<(Figures, Vec<PathBuf>), RunError> {
    let end = project.end_month();
    if !opts.preliminary {
        if opts.today < end.first_day() {
            return Err(RunError::Period(format!(
                "slutrapporten skrivs under projektets sista månad ({end}) eller senare, och i dag är det {}. Ange \
                 --preliminary för en preliminär slutrapport, märkt så på varje sida.",
                opts.today
            )));
        }
        if let Some(to) = opts.to.filter(|to| *to < end) {
            return Err(RunError::Period(format!(
                "slutrapporten gäller hela projektet, till {end}, inte bara till {to}. Ange --preliminary för en \
                 preliminär slutrapport till {to}, märkt så på varje sida."
            )));
        }
    }
    let lock = RunLock::acquire(&project.dir)?;
    let ledger = Ledger::open_locked(project, &lock)?;
    let own = FinalTexts::load(&project.dir)?;
    let opts = Options { final_report: true, from: None, ..opts.clone() };
    let Evaluation { mut figures, .. } = evaluate(project, &opts, &ledger)?;
    reconcile::add_findings(&mut figures, own.missing_findings());
    let out = out.map_or_else(|| project.output().join("slutrapport"), Path::to_path_buf);
    let written = emit::write_final(project, &figures, &own, &out)?;
    Ok((figures, written))
}

/// A run of a period already submitted, on the terminal: which claim it is (and that the outputs
/// show it as if it were not submitted). `None` for any other period.
pub fn resubmitted_message(figures: &Figures) -> Option<String> {
    let seqs: Vec<String> = figures.submitted_as.iter().map(u32::to_string).collect();
    let claims = match seqs.as_slice() {
        [] => return None,
        [one] => format!("ansökan {one}"),
        many => format!("ansökningarna {}", many.join(", ")),
    };
    let differs = figures.findings.iter().any(|f| f.code == crate::finding::Code::PeriodAlreadySubmitted);
    Some(format!(
        "Perioden är {claims}, redan inskickad; utdata visar den som om den inte vore inskickad{}.",
        if differs {
            " (skillnaderna mot det inskickade står under PERIOD_ALREADY_SUBMITTED)"
        } else {
            ", med samma belopp"
        }
    ))
}

/// The reporting plan on the terminal: which planned claim this run is and how many days are
/// left to its due date, or that the period is off the plan. `None` without a plan.
pub fn plan_message(figures: &Figures) -> Option<String> {
    let r = &figures.reporting;
    let days = |n: i64| match n {
        0 => "sista dagen är i dag".to_string(),
        1 => "1 dag kvar".to_string(),
        n if n > 1 => format!("{n} dagar kvar"),
        -1 => "försenad med 1 dag".to_string(),
        n => format!("försenad med {} dagar", -n),
    };
    let planned = |i: usize| r.claims.get(i);
    match r.this_claim.and_then(planned) {
        Some(PlannedClaimStatus { number, from, to, submitted: Some(s), .. }) => Some(format!(
            "Rapporteringsplanen: ansökan {number} av {} gäller {from} – {to} och är inskickad (ansökan {}, \
             registrerad {}).",
            r.claims.len(),
            s.seq,
            s.on
        )),
        Some(c) => Some(format!(
            "Rapporteringsplanen: ansökan {} av {} gäller {} – {} och ska vara inne senast {} ({}).",
            c.number,
            r.claims.len(),
            c.from,
            c.to,
            c.due,
            days(c.days_left)
        )),
        None if r.is_empty() => None,
        None => Some(match r.next.and_then(planned).filter(|c| c.submitted.is_none()) {
            Some(c) => format!(
                "Rapporteringsplanen: perioden {} – {} följer inte planen. Nästa planerade ansökan ({} av {}) gäller \
                 {} – {} och ska vara inne senast {} ({}).",
                figures.period.from,
                figures.period.to,
                c.number,
                r.claims.len(),
                c.from,
                c.to,
                c.due,
                days(c.days_left)
            ),
            None => format!(
                "Rapporteringsplanen: perioden {} – {} följer inte planen{}.",
                figures.period.from,
                figures.period.to,
                if r.claims.iter().all(|c| c.submitted.is_some()) {
                    ", och alla planerade ansökningar är inskickade"
                } else {
                    ""
                }
            ),
        }),
    }
}

/// What the final report says about its own day, for the terminal: preliminary, the months not
/// over yet, the months without a counting workbook. `None` outside `final`.
pub fn closing_message(figures: &Figures) -> Option<String> {
    let c = figures.closing.as_ref()?;
    let mut lines = Vec::new();
    if c.preliminary {
        lines.push("Preliminär slutrapport, märkt så på varje sida.".to_string());
    }
    if let Some(s) = c.submitted {
        lines.push(format!("Slutrapporten hör till ansökan {} (registrerad {}).", s.seq, s.on));
    }
    if !c.unfinished.is_empty() {
        lines.push(format!("Månader som inte är avslutade: {}.", month_list(&c.unfinished)));
    }
    for m in &c.missing {
        lines.push(format!("Utan godkänd arbetsbok: {} {}.", m.org_name, month_list(&m.months)));
    }
    Some(lines.join("\n")).filter(|s| !s.is_empty())
}

/// `2024-01 – 2024-03, 2024-06`: months as runs.
fn month_list(months: &[Month]) -> String {
    crate::month::runs(months)
        .into_iter()
        .map(|(a, b)| if a == b { a.to_string() } else { format!("{a} – {b}") })
        .collect::<Vec<_>>()
        .join(", ")
}
