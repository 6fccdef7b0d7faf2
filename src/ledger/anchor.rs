//! Anchors: the ledger's checksums kept outside the ledger, so that a ledger rolled back to an
//! older copy, or edited, is noticed.
//!
//! The chain of checksums inside `ledger.jsonl` catches a change to any line but the last, and
//! nothing that takes whole lines away. So every `submit` also leaves two copies of what it
//! recorded in the project's output folder (`utdata/`):
//!
//! - the claim receipt `utdata/<from>_<to>/inskickad-ansokan.json`, beside the claim's outputs:
//!   the claim's number, period, eligible costs, support and the SHA-256 of its ledger line;
//! - the head `utdata/ansokningslogg-huvud.json`: the number and line SHA-256 of the last claim.
//!
//! `run` and `submit` check every anchor they find against the ledger ([`Anchors::check`]): a
//! claim an anchor knows must be in the ledger with the same line, and every claim of the ledger
//! must be anchored. Because each line carries the checksum of the one before, anchoring a line
//! anchors every line before it too.
//!
//! A kill must never leave a state that looks like tampering, so `submit` writes in this order:
//! the head announces the claim as *pending* (its number and line SHA-256), then the ledger is
//! replaced, then the receipt and the head are written. A ledger that holds exactly the pending
//! claim is a submit killed after its append, and the next `run` or `submit` completes the
//! anchors ([`heal`]); a ledger without it is a submit killed before, and the announcement is
//! withdrawn. A project whose output folder has no anchor at all (a ledger from before anchors)
//! is anchored as it stands.
//!
//! There is no key: whoever can write the project folder can rewrite the anchors too. What this
//! detects and what it does not is written down in `docs/outputs.md` ("The claim ledger").

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Ledger, Prepared};
use crate::emit::atomic::{remove_stale_temporaries, write_atomic_at};
use crate::month::Month;
use crate::reconcile::model::Period;

/// The head's file name, in the project's output folder.
pub const HEAD_FILE: &str = "ansokningslogg-huvud.json";

/// The claim receipt's file name, in the claim's output folder.
pub const RECEIPT_FILE: &str = "inskickad-ansokan.json";

/// A claim and the SHA-256 of its ledger line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mark {
    claim: u32,
    sha256: String,
}

/// The head: the last claim recorded (0 and an empty checksum before the first), and a claim
/// being recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    claim: u32,
    sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending: Option<Mark>,
}

/// The receipt of a recorded claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Receipt {
    claim: u32,
    from: Month,
    to: Month,
    recorded_on: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    eligible: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    support: Decimal,
    /// SHA-256 of the claim's line in `ledger.jsonl`.
    sha256: String,
}

/// A ledger that disagrees with its anchors, or anchors that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error(
        "ansökan {claim} finns i utdata men saknas i {ledger} – återställd från en äldre kopia? {anchor} visar att \
         den registrerades; ansökningsloggen {state}. Inget registreras ovanpå den: återställ den senaste \
         ansökningsloggen (med ansökan {claim}) från säkerhetskopia eller versionshistorik.",
        ledger = ledger.display(),
        anchor = anchor.display(),
        state = held_state(*held)
    )]
    RolledBack { claim: u32, anchor: PathBuf, ledger: PathBuf, held: usize },
    #[error(
        "ansökan {claim} i {ledger} har ändrats sedan den registrerades: raden stämmer inte med kontrollsumman i \
         {anchor}. Inget registreras ovanpå den: återställ ansökningsloggen från säkerhetskopia eller \
         versionshistorik.",
        ledger = ledger.display(),
        anchor = anchor.display()
    )]
    Edited { claim: u32, anchor: PathBuf, ledger: PathBuf },
    #[error(
        "ansökan {claim} i {ledger} har inget kvitto i utdata: den är inte registrerad med redovisa submit (enligt \
         {head} är den senast registrerade ansökan {last}). Är raden tillagd för hand: ta bort den med `redovisa \
         ledger repair {dir}`. Är utdata återställd från en äldre kopia: återställ också {head}.",
        ledger = ledger.display(),
        head = head.display(),
        dir = ledger.parent().unwrap_or(Path::new(".")).display()
    )]
    Unanchored { claim: u32, last: u32, head: PathBuf, ledger: PathBuf },
    #[error("kan inte läsa {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "{} går inte att tolka ({why}). Filen skrivs av redovisa submit och ska inte ändras: återställ den från \
         säkerhetskopia eller versionshistorik.",
        path.display()
    )]
    Unreadable { path: PathBuf, why: String },
    #[error(
        "kan inte skriva {}: {source}. Ansökningsloggen är oförändrad och inget har registrerats{}",
        path.display(),
        super::full_disk_hint(source)
    )]
    Write { path: PathBuf, source: std::io::Error },
}

fn held_state(held: usize) -> String {
    match held {
        0 => "är tom eller saknas".to_string(),
        1 => "har bara ansökan 1".to_string(),
        n => format!("har bara ansökan 1–{n}"),
    }
}

/// The anchors found in an output folder.
#[derive(Debug)]
pub struct Anchors {
    output: PathBuf,
    head: Option<Head>,
    /// Every receipt, with its file.
    receipts: Vec<(PathBuf, Receipt)>,
}

/// What [`heal`] should write: receipts of claims that have none, and the head.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Heal {
    receipts: Vec<u32>,
    head: bool,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>, AnchorError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(AnchorError::Read { path: path.to_path_buf(), source }),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| AnchorError::Unreadable { path: path.to_path_buf(), why: e.to_string() })
}

impl Anchors {
    /// Reads the head and every claim receipt (one folder level down) of an output folder.
    /// Hidden folders (a run's temporary folders) are skipped.
    pub fn read(output: &Path) -> Result<Anchors, AnchorError> {
        let head: Option<Head> = read_json(&output.join(HEAD_FILE))?;
        let mut receipts = Vec::new();
        let entries = match std::fs::read_dir(output) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Anchors { output: output.to_path_buf(), head, receipts });
            }
            Err(source) => return Err(AnchorError::Read { path: output.to_path_buf(), source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| AnchorError::Read { path: output.to_path_buf(), source })?;
            if entry.file_name().to_string_lossy().starts_with('.') || !entry.path().is_dir() {
                continue;
            }
            let path = entry.path().join(RECEIPT_FILE);
            if let Some(receipt) = read_json::<Receipt>(&path)? {
                if receipt.claim == 0 {
                    return Err(AnchorError::Unreadable { path, why: "ansökan 0 finns inte".into() });
                }
                receipts.push((path, receipt));
            }
        }
        receipts.sort_by(|a, b| (a.1.claim, &a.0).cmp(&(b.1.claim, &b.0)));
        Ok(Anchors { output: output.to_path_buf(), head, receipts })
    }

    fn head_path(&self) -> PathBuf {
        self.output.join(HEAD_FILE)
    }

    /// Checks the ledger against the anchors: every claim an anchor knows is in the ledger with
    /// the same line (else the lowest such claim is named), and every claim of the ledger is
    /// anchored, but for the one a killed `submit` announced and for a ledger no anchor knows
    /// at all. Returns what [`heal`] should complete.
    pub fn check(&self, ledger: &Ledger) -> Result<Heal, AnchorError> {
        let head_path = self.head_path();
        let mut marks: Vec<(u32, &str, &Path)> =
            self.receipts.iter().map(|(path, r)| (r.claim, r.sha256.as_str(), path.as_path())).collect();
        if let Some(h) = self.head.as_ref().filter(|h| h.claim > 0) {
            marks.push((h.claim, &h.sha256, &head_path));
        }
        marks.sort();
        for &(claim, sha256, anchor) in &marks {
            match ledger.line_sha256(claim) {
                None => {
                    return Err(AnchorError::RolledBack {
                        claim,
                        anchor: anchor.to_path_buf(),
                        ledger: ledger.path.clone(),
                        held: ledger.claims.len(),
                    });
                }
                Some(line) if line != sha256 => {
                    return Err(AnchorError::Edited {
                        claim,
                        anchor: anchor.to_path_buf(),
                        ledger: ledger.path.clone(),
                    });
                }
                Some(_) => {}
            }
        }
        let anchored = marks.iter().map(|m| m.0).max().unwrap_or(0);
        let held = ledger.claims.len() as u32;
        let pending = self.head.as_ref().and_then(|h| h.pending.as_ref());
        let announced = pending.is_some_and(|p| p.claim == held && ledger.line_sha256(held) == Some(&p.sha256));
        let never_anchored = marks.is_empty() && self.head.is_none();
        if held > anchored && !never_anchored && !(held == anchored + 1 && announced) {
            return Err(AnchorError::Unanchored {
                claim: anchored + 1,
                last: anchored,
                head: head_path,
                ledger: ledger.path.clone(),
            });
        }
        let receipts = (1..=held).filter(|c| !self.receipts.iter().any(|(_, r)| r.claim == *c)).collect();
        let head = match &self.head {
            None => held > 0,
            Some(h) => *h != head_of(ledger),
        };
        Ok(Heal { receipts, head })
    }
}

/// The head a ledger should have.
fn head_of(ledger: &Ledger) -> Head {
    let claim = ledger.claims.len() as u32;
    Head { claim, sha256: ledger.line_sha256(claim).unwrap_or_default().to_string(), pending: None }
}

fn write_json<T: Serialize>(path: &Path, value: &T, point: &'static str) -> Result<(), AnchorError> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    write_atomic_at(path, &bytes, point).map_err(|source| AnchorError::Write { path: path.to_path_buf(), source })
}

/// The claim's receipt, in its output folder (created when there is none yet).
fn write_receipt(output: &Path, ledger: &Ledger, seq: u32) -> Result<(), AnchorError> {
    let Some(claim) = ledger.claims.get((seq as usize).wrapping_sub(1)) else { return Ok(()) };
    let receipt = Receipt {
        claim: seq,
        from: claim.from,
        to: claim.to,
        recorded_on: claim.recorded_on,
        eligible: claim.eligible,
        support: claim.support,
        sha256: ledger.line_sha256(seq).unwrap_or_default().to_string(),
    };
    let folder = output.join(Period { from: claim.from, to: claim.to }.slug());
    write_json(&folder.join(RECEIPT_FILE), &receipt, "anchor.receipt")
}

/// Completes the anchors after [`Anchors::check`]: the receipts claims lack and the head. Call
/// it only while holding the project's lock; it also removes temporary files a killed write of
/// an anchor left.
pub fn heal(output: &Path, ledger: &Ledger, heal: &Heal) -> Result<(), AnchorError> {
    remove_stale_temporaries(output);
    for claim in &ledger.claims {
        remove_stale_temporaries(&output.join(Period { from: claim.from, to: claim.to }.slug()));
    }
    for &seq in &heal.receipts {
        write_receipt(output, ledger, seq)?;
    }
    if heal.head {
        write_json(&output.join(HEAD_FILE), &head_of(ledger), "anchor.head")?;
    }
    Ok(())
}

/// Announces a claim about to be appended: the head names it as pending, before the ledger is
/// written.
pub fn announce(output: &Path, ledger: &Ledger, prepared: &Prepared) -> Result<(), AnchorError> {
    let mut head = head_of(ledger);
    head.pending = Some(Mark { claim: prepared.claim().seq, sha256: prepared.sha256.clone() });
    write_json(&output.join(HEAD_FILE), &head, "anchor.announce")
}

/// After a failed append: the head without the announcement (the next command withdraws it if
/// this fails too).
pub fn withdraw(output: &Path, ledger: &Ledger) {
    let _ = write_json(&output.join(HEAD_FILE), &head_of(ledger), "anchor.withdraw");
}

/// After the append: the new claim's receipt, then the head.
pub fn seal(output: &Path, ledger: &Ledger) -> Result<(), AnchorError> {
    write_receipt(output, ledger, ledger.claims.len() as u32)?;
    write_json(&output.join(HEAD_FILE), &head_of(ledger), "anchor.head")
}
