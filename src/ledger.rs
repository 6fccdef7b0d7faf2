//! The claim ledger: an append-only record, in the project folder, of every submitted claim.
//!
//! `redovisa submit` appends one JSON line per claim: the period, the support claimed and the
//! SHA-256 of every workbook the claim used. Each line also carries the SHA-256 of the line
//! before it, so a damaged, truncated or edited ledger is detected and reported, never silently
//! reset. Later runs start after the last submitted period, count the support already claimed
//! toward the cap, and pin submitted months to the workbooks used then.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::intake::Pinned;
use crate::month::Month;

/// The ledger's file name inside the project folder.
pub const LEDGER_FILE: &str = "ledger.jsonl";

/// A workbook a claim used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedWorkbook {
    pub folder: String,
    pub month: Month,
    pub path: String,
    pub sha256: String,
}

/// One submitted claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// 1 for the first claim, then 2, 3, …
    pub seq: u32,
    pub from: Month,
    pub to: Month,
    /// Support claimed (stöd), kr, two decimals.
    #[serde(with = "rust_decimal::serde::str")]
    pub support: Decimal,
    /// Eligible costs of the claim, kr.
    #[serde(with = "rust_decimal::serde::str")]
    pub eligible: Decimal,
    /// The day it was recorded (informative only).
    pub recorded_on: NaiveDate,
    pub workbooks: Vec<UsedWorkbook>,
    /// SHA-256 of the previous line (empty for the first).
    pub prev: String,
}

/// The ledger as read.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub path: PathBuf,
    pub claims: Vec<Claim>,
    /// SHA-256 of the last line, the `prev` of the next claim.
    last_hash: String,
}

/// A ledger that cannot be trusted: the run stops (exit 2) and says where.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("kan inte läsa ansökningsloggen {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "ansökningsloggen {path} är skadad på rad {line}: {why}. Den skrivs aldrig om automatiskt; \
         återställ den från säkerhetskopia eller versionshantering innan du fortsätter."
    )]
    Damaged { path: PathBuf, line: usize, why: String },
}

fn sha_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Ledger {
    /// Reads the ledger of a project folder; no file means no claims yet.
    pub fn load(project_dir: &Path) -> Result<Ledger, LedgerError> {
        let path = project_dir.join(LEDGER_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ledger { path, ..Ledger::default() }),
            Err(source) => return Err(LedgerError::Io { path, source }),
        };
        let damaged = |line: usize, why: String| LedgerError::Damaged { path: path.clone(), line, why };
        if !text.is_empty() && !text.ends_with(b"\n") {
            let line = text.split(|b| *b == b'\n').count();
            return Err(damaged(line, "sista raden är avbruten".into()));
        }
        let mut claims: Vec<Claim> = Vec::new();
        let mut last_hash = String::new();
        for (n, line) in text.split(|b| *b == b'\n').enumerate().filter(|(_, l)| !l.is_empty()) {
            let claim: Claim =
                serde_json::from_slice(line).map_err(|e| damaged(n + 1, format!("går inte att tolka ({e})")))?;
            if claim.prev != last_hash {
                return Err(damaged(
                    n + 1,
                    "kedjan av kontrollsummor stämmer inte (en rad har ändrats eller tagits bort)".into(),
                ));
            }
            let expected_seq = claims.len() as u32 + 1;
            if claim.seq != expected_seq {
                return Err(damaged(n + 1, format!("löpnummer {} där {expected_seq} väntades", claim.seq)));
            }
            if claim.to < claim.from || claims.last().is_some_and(|c| claim.from <= c.to) {
                return Err(damaged(n + 1, "perioden överlappar en tidigare ansökan".into()));
            }
            last_hash = sha_hex(line);
            claims.push(claim);
        }
        Ok(Ledger { path, claims, last_hash })
    }

    /// The last submitted claim.
    pub fn last(&self) -> Option<&Claim> {
        self.claims.last()
    }

    /// Support claimed in all submitted claims.
    pub fn support_claimed(&self) -> Decimal {
        self.claims.iter().map(|c| c.support).sum()
    }

    /// Submitted months and the workbook each used.
    pub fn pinned(&self) -> Pinned {
        self.claims.iter().flat_map(|c| &c.workbooks).map(|w| ((w.folder.clone(), w.month), w.sha256.clone())).collect()
    }

    /// Appends a claim (its `seq` and `prev` are filled in here) and syncs it to disk.
    pub fn append(&mut self, mut claim: Claim) -> Result<(), LedgerError> {
        claim.seq = self.claims.len() as u32 + 1;
        claim.prev = self.last_hash.clone();
        let io = |source| LedgerError::Io { path: self.path.clone(), source };
        let line = serde_json::to_vec(&claim).map_err(|e| io(std::io::Error::other(e)))?;
        let mut file = OpenOptions::new().create(true).append(true).open(&self.path).map_err(io)?;
        let mut bytes = line.clone();
        bytes.push(b'\n');
        file.write_all(&bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
        self.last_hash = sha_hex(&line);
        self.claims.push(claim);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(from: &str, to: &str) -> Claim {
        Claim {
            seq: 0,
            from: from.parse().unwrap(),
            to: to.parse().unwrap(),
            support: Decimal::new(12345, 2),
            eligible: Decimal::new(30925, 2),
            recorded_on: NaiveDate::from_ymd_opt(2025, 4, 10).unwrap(),
            workbooks: vec![UsedWorkbook {
                folder: "kramfors".into(),
                month: from.parse().unwrap(),
                path: "kramfors/a.xlsx".into(),
                sha256: "ab".repeat(32),
            }],
            prev: String::new(),
        }
    }

    #[test]
    fn appends_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        assert!(l.claims.is_empty());
        l.append(claim("2024-01", "2024-06")).unwrap();
        l.append(claim("2024-07", "2024-12")).unwrap();
        let back = Ledger::load(dir.path()).unwrap();
        assert_eq!(back.claims.len(), 2);
        assert_eq!(back.claims[1].seq, 2);
        assert_eq!(back.support_claimed(), Decimal::new(24690, 2));
        assert_eq!(back.pinned().len(), 2);
    }

    #[test]
    fn damage_is_an_error_never_a_reset() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-01", "2024-06")).unwrap();
        l.append(claim("2024-07", "2024-12")).unwrap();
        let path = dir.path().join(LEDGER_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        // An edited amount breaks the chain on the next line.
        std::fs::write(&path, text.replacen("123.45", "999.45", 1)).unwrap();
        let err = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("rad 2"), "{err}");
        // A truncated last line.
        std::fs::write(&path, &text[..text.len() - 5]).unwrap();
        assert!(Ledger::load(dir.path()).is_err());
        // Garbage.
        std::fs::write(&path, "inte json\n").unwrap();
        assert!(Ledger::load(dir.path()).unwrap_err().to_string().contains("rad 1"));
    }
}
