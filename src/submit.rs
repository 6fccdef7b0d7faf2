//! `redovisa submit`: record a claim as submitted in the project's ledger.
//!
//! The claim is evaluated exactly as `run` would evaluate it (same period, same inbox, the same
//! choice to hold corrections back); its support, the SHA-256 of every workbook it used and what
//! it counted per organisation and month (late months and corrections included, each with the
//! values it was priced by) and the decision in force (`ledger::DecisionRecord`) are appended to
//! the ledger. The period must
//! follow the last submitted claim without a gap or overlap. A period with error findings is
//! refused unless the economist says otherwise (`--allow-errors`): the errors leave rows out,
//! and that should be a decision, not an accident. The append is all or nothing, and the claim
//! is anchored outside the ledger ([`crate::ledger::anchor`]): its receipt beside the claim's
//! outputs and the ledger's head in the output folder.

use rust_decimal::Decimal;

use crate::emit::atomic::RunLock;
use crate::ledger::{Claim, Ledger, LedgerError, ReportedIndicator, UsedWorkbook, anchor};
use crate::money::sv_kr;
use crate::pipeline::{self, Options, RunError};
use crate::project::Project;
use crate::sv::{counted, noun};

/// Why a claim was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error("{0}")]
    Refused(String),
}

/// A recorded claim, and where it stands in the reporting plan (the line `run` prints).
pub struct Submitted {
    pub claim: Claim,
    pub plan: Option<String>,
}

/// Evaluates the period and appends it to the ledger. Returns the recorded claim.
pub fn submit(project: &Project, opts: &Options, allow_errors: bool) -> Result<Claim, SubmitError> {
    submit_claim(project, opts, allow_errors).map(|s| s.claim)
}

/// [`submit`], also saying which claim of the reporting plan it was. Without `--from`/`--to`
/// the period is the one `run` takes by default: after the last submitted claim, to the end of
/// the planned claim that starts there (or to the last whole month with workbooks).
pub fn submit_claim(project: &Project, opts: &Options, allow_errors: bool) -> Result<Submitted, SubmitError> {
    let lock = RunLock::acquire(&project.dir).map_err(RunError::from)?;
    let mut ledger = Ledger::open_locked(project, &lock)?;
    let expected = ledger.last().map_or(project.start_month(), |c| c.to.next());
    if let Some(from) = opts.from.filter(|from| *from != expected) {
        return Err(SubmitError::Refused(format!(
            "ansökan måste börja {expected} (månaden efter {}), inte {from}",
            ledger.last().map_or("projektstart".to_string(), |c| format!("förra ansökan {} – {}", c.from, c.to))
        )));
    }
    let opts = Options { from: Some(expected), ..opts.clone() };
    let evaluation = pipeline::evaluate(project, &opts, &ledger)?;
    let figures = evaluation.figures;
    let (from, to) = (figures.period.from, figures.period.to);
    let plan = pipeline::plan_message(&figures);
    let errors = figures.findings.iter().filter(|f| f.is_error()).count();
    if errors > 0 && !allow_errors {
        return Err(SubmitError::Refused(format!(
            "perioden har {errors} fel (se Avvikelser i ansökningsarbetsboken). Rätta dem, eller ange --allow-errors \
             om ansökan ska skickas in ändå"
        )));
    }
    let workbooks = figures
        .lines
        .iter()
        .filter(|l| !l.sha256.is_empty())
        .map(|l| UsedWorkbook {
            folder: l.folder.clone(),
            org_nr: l.org_nr.clone(),
            month: l.month,
            path: l.path.clone(),
            sha256: l.sha256.clone(),
        })
        .collect();
    let claim = Claim {
        seq: 0,
        from,
        to,
        support: figures.totals.support,
        eligible: figures.totals.eligible,
        support_uncapped: Some(figures.totals.support_uncapped),
        recorded_on: opts.today,
        workbooks,
        months: Some(figures.lines),
        held_corrections: figures.adjustments.iter().any(|a| a.held),
        indicators: figures
            .indicators
            .iter()
            .map(|i| ReportedIndicator { code: i.code.clone(), name: i.name.clone(), cumulative: i.cumulative })
            .collect(),
        decision: Some(crate::reconcile::decision::record(project)),
        prev: String::new(),
    };
    let claim = record(project, &mut ledger, claim)?;
    Ok(Submitted { claim, plan })
}

/// Appends the claim to the ledger between its anchors (see [`crate::ledger::anchor`]): the head
/// announces it, the ledger is replaced, then the claim's receipt and the head are written. Once
/// the ledger holds the claim it is recorded; if writing the anchors after that fails, the next
/// `run` or `submit` completes them from the announcement.
fn record(project: &Project, ledger: &mut Ledger, claim: Claim) -> Result<Claim, SubmitError> {
    let output = project.output();
    let prepared = ledger.prepare(claim)?;
    let recorded = prepared.claim().clone();
    anchor::announce(&output, ledger, &prepared).map_err(LedgerError::from)?;
    if let Err(e) = ledger.commit(prepared) {
        anchor::withdraw(&output, ledger);
        return Err(e.into());
    }
    let _ = anchor::seal(&output, ledger);
    Ok(recorded)
}

/// A confirmation in Swedish.
pub fn describe(claim: &Claim) -> String {
    let total: Decimal = claim.eligible;
    format!(
        "Ansökan {} för {} – {} är registrerad: stödgrundande {}, stöd {}, {}.",
        claim.seq,
        claim.from,
        claim.to,
        sv_kr(total),
        sv_kr(claim.support),
        counted(claim.workbooks.len(), noun::ARBETSBOK)
    )
}
