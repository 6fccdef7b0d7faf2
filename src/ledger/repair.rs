//! `redovisa ledger repair`: takes away what makes a ledger unusable when nothing else can,
//! after showing it and keeping a copy.
//!
//! Two things can be repaired: a last line cut short by an older version of redovisa that was
//! killed or met a full disk while it appended (it wrote into the ledger itself), and claims at
//! the end of the ledger that no anchor knows (added by hand, see [`super::anchor`]). Anything
//! else — a changed or removed line, a ledger older than its anchors — is not repaired: the
//! ledger must come back from a backup, and the error says so. [`plan`] says what would be
//! dropped; [`Plan::apply`] copies the ledger to `ledger-fore-reparation-<n>.jsonl` beside it,
//! then replaces it, all or nothing, with the lines kept.

use std::path::{Path, PathBuf};

use super::anchor::{AnchorError, Anchors};
use super::{Claim, Ledger, LedgerError, parse, replace};
use crate::money::sv_kr;
use crate::project::Project;

/// What a repair would keep and drop.
#[derive(Debug)]
pub struct Plan {
    /// The ledger file.
    pub path: PathBuf,
    /// The file as it is.
    original: Vec<u8>,
    /// The whole lines kept.
    keep: Vec<u8>,
    /// Claims kept.
    pub kept: usize,
    /// A last line cut short: its line number and length in bytes.
    pub torn: Option<(usize, usize)>,
    /// Claims at the end that no anchor knows.
    pub unanchored: Vec<Claim>,
}

/// Works out what a repair of the project's ledger would drop. A ledger it cannot repair is the
/// error that says why.
pub fn plan(project: &Project) -> Result<Plan, LedgerError> {
    let path = project.dir.join(super::LEDGER_FILE);
    let original = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => return Err(LedgerError::Io { path, source }),
    };
    let (mut keep, torn) = match parse(&path, &original) {
        Err(LedgerError::Torn { line, bytes, .. }) => {
            let cut = original.len() - bytes;
            (original[..cut].to_vec(), Some((line, bytes)))
        }
        Err(e) => return Err(e),
        Ok(_) => (original.clone(), None),
    };
    let (claims, hashes) = parse(&path, &keep)?;
    let mut ledger = Ledger { path: path.clone(), claims, hashes, bytes: keep.clone() };
    let anchors = Anchors::read(&project.output())?;
    let mut unanchored = Vec::new();
    match anchors.check(&ledger) {
        Ok(_) => {}
        Err(AnchorError::Unanchored { claim, .. }) => {
            let n = claim as usize - 1;
            keep.truncate(end_of_lines(&keep, n));
            unanchored = ledger.claims.split_off(n);
            ledger.hashes.truncate(n);
            ledger.bytes = keep.clone();
            anchors.check(&ledger)?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Plan { path, original, keep, kept: ledger.claims.len(), torn, unanchored })
}

/// The byte offset just after the `n`-th non-empty line.
fn end_of_lines(bytes: &[u8], n: usize) -> usize {
    let mut seen = 0;
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            if i > start {
                seen += 1;
            }
            start = i + 1;
            if seen == n {
                return start;
            }
        }
    }
    if n == 0 { 0 } else { bytes.len() }
}

impl Plan {
    /// Whether there is nothing to repair.
    pub fn is_empty(&self) -> bool {
        self.torn.is_none() && self.unanchored.is_empty()
    }

    /// What would be kept and dropped, in Swedish.
    pub fn describe(&self) -> String {
        let mut out = format!("Ansökningsloggen {}:\n", self.path.display());
        out.push_str(&match self.kept {
            0 => "  behålls: ingen ansökan\n".to_string(),
            1 => "  behålls: ansökan 1\n".to_string(),
            n => format!("  behålls: ansökan 1–{n}\n"),
        });
        for c in &self.unanchored {
            out.push_str(&format!(
                "  tas bort: ansökan {} ({} – {}, stöd {}, registrerad {}): saknar kvitto i utdata\n",
                c.seq,
                c.from,
                c.to,
                sv_kr(c.support),
                c.recorded_on
            ));
        }
        if let Some((line, bytes)) = self.torn {
            out.push_str(&format!("  tas bort: rad {line}, avbruten ({bytes} byte utan radslut)\n"));
        }
        if self.is_empty() {
            out.push_str("Inget behöver repareras.\n");
        }
        out
    }

    /// Copies the ledger beside it, then replaces it with the lines kept. Returns the copy.
    pub fn apply(&self) -> Result<PathBuf, LedgerError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let copy = (1..)
            .map(|n| dir.join(format!("ledger-fore-reparation-{n}.jsonl")))
            .find(|p| !p.exists())
            .unwrap_or_else(|| dir.join("ledger-fore-reparation.jsonl"));
        crate::emit::atomic::write_atomic(&copy, &self.original).map_err(|source| LedgerError::Write {
            path: copy.clone(),
            step: "kopian skrivs",
            source,
        })?;
        replace(&self.path, &self.keep)?;
        Ok(copy)
    }
}
