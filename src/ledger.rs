//! The claim ledger: an append-only record, in the project folder, of every submitted claim.
//!
//! `redovisa submit` appends one JSON line per claim: the period, the support claimed, the
//! SHA-256 of every workbook the claim used, and what the claim counted for each organisation and
//! month ([`ClaimedMonth`]): hours, staff costs, flat rate, other costs, in kind and eligible
//! costs, per activity and per person (the personnummer is kept here only; the ledger stays in
//! the project folder). A month's line is the whole month when the claim took it for the first
//! time (its own period, or a late month) and the difference against what earlier claims counted
//! when it was corrected, so the sum of a month's lines over all claims is what the project has
//! claimed for it. Each line of the file also carries the SHA-256 of the line before it, so a
//! damaged, truncated or edited ledger is detected and reported, never silently reset.
//!
//! Each line also records the decision it was priced by: per organisation-month the rates used
//! ([`ClaimedMonth::rates`]: on-cost rate, flat-rate model and rate), and per claim the decision
//! in force ([`DecisionRecord`]: the organisations with their dated values and months in the
//! decision, the support rate, the approved support, the change decisions and the SHA-256 of
//! `project.toml`). An organisation is its organisationsnummer: lines name it
//! ([`ClaimedMonth::org_nr`]) and the folder is only where its files were. Lines written before
//! (folder only, no rates) still load; reconcile maps their folder to an organisationsnummer
//! through the project file and says so once (`LEGACY_LEDGER`).
//!
//! A ledger written before amounts were recorded (claims with `workbooks` only) still loads: its
//! claims are *legacy* claims ([`Claim::is_legacy`]), whose months stay pinned to the workbooks
//! used then because what they counted cannot be known.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::OrgNr;
use crate::intake::Pinned;
use crate::month::Month;
use crate::project::{FinancierKind, Rates};

/// The ledger's file name inside the project folder.
pub const LEDGER_FILE: &str = "ledger.jsonl";

/// A workbook a claim used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedWorkbook {
    pub folder: String,
    /// The organisation (absent in ledgers written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_nr: Option<OrgNr>,
    pub month: Month,
    pub path: String,
    pub sha256: String,
}

/// Why a claim counted a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// A month of the claim's own period, counted whole.
    Period,
    /// A month of an earlier claim's period that no claim had counted (the workbook came, or
    /// became acceptable, after that claim was submitted), counted whole.
    Late,
    /// The difference between what a month counts now and what earlier claims counted for it.
    Correction,
}

/// One activity's share of a month (or of a difference between two months).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityAmounts {
    pub code: String,
    pub hours: Decimal,
    /// Staff costs on the activity (personalkostnad).
    pub staff: Decimal,
    /// Other costs on the activity (15 % model only).
    pub other: Decimal,
}

/// One person's month (or a difference between two of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonAmounts {
    /// Canonical `YYYYMMDD-NNNN`: kept in the ledger (the project folder), never printed in a
    /// report or receipt.
    pub pnr: String,
    pub name: String,
    /// Roll, Startdatum and Månadslön (the salary basis) as Min ansökan registers the person.
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub monthly_salary: Decimal,
    pub hours: Decimal,
    /// Lön.
    pub salary_cost: Decimal,
    /// Lönebikostnad.
    pub on_cost: Decimal,
    /// Personalkostnad.
    pub staff_cost: Decimal,
}

/// Co-financing paid in to a partner in a month (or a difference), per financier of the
/// financing plan and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentAmounts {
    /// The financier as the partner's column of the financing plan names it.
    pub financier: String,
    pub kind: crate::project::FinancierKind,
    pub amount: Decimal,
}

/// What a month holds, or a difference between what it holds at two times: hours and costs by
/// category, per activity (in code order) and per person (by personnummer). The flat rate is
/// set by the claim, not by the month ([`crate::reconcile`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub hours: Decimal,
    /// Personalkostnader.
    pub staff: Decimal,
    /// Schablon or indirekta kostnader.
    pub flat_rate: Decimal,
    /// Övriga kostnader.
    pub other: Decimal,
    #[serde(default)]
    pub activities: Vec<ActivityAmounts>,
    #[serde(default)]
    pub persons: Vec<PersonAmounts>,
    /// Co-financing paid in (by financier and kind); absent in ledgers written before payments
    /// were recorded, and left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<PaymentAmounts>,
}

impl Content {
    /// Staff, flat rate and other costs.
    pub fn total(&self) -> Decimal {
        self.staff + self.flat_rate + self.other
    }

    /// `self + other`, activity by activity and person by person.
    pub fn plus(&self, other: &Content) -> Content {
        self.combine(other, Decimal::ONE)
    }

    /// `self − other`, activity by activity and person by person.
    pub fn minus(&self, other: &Content) -> Content {
        self.combine(other, Decimal::NEGATIVE_ONE)
    }

    fn combine(&self, other: &Content, sign: Decimal) -> Content {
        let mut activities: BTreeMap<&str, ActivityAmounts> =
            self.activities.iter().map(|a| (a.code.as_str(), a.clone())).collect();
        for a in &other.activities {
            let e = activities
                .entry(a.code.as_str())
                .or_insert_with(|| ActivityAmounts { code: a.code.clone(), ..ActivityAmounts::default() });
            e.hours += sign * a.hours;
            e.staff += sign * a.staff;
            e.other += sign * a.other;
        }
        let mut persons: BTreeMap<&str, PersonAmounts> =
            self.persons.iter().map(|p| (p.pnr.as_str(), p.clone())).collect();
        for p in &other.persons {
            let e = persons.entry(p.pnr.as_str()).or_insert_with(|| PersonAmounts {
                hours: Decimal::ZERO,
                salary_cost: Decimal::ZERO,
                on_cost: Decimal::ZERO,
                staff_cost: Decimal::ZERO,
                ..p.clone()
            });
            e.hours += sign * p.hours;
            e.salary_cost += sign * p.salary_cost;
            e.on_cost += sign * p.on_cost;
            e.staff_cost += sign * p.staff_cost;
        }
        let mut payments: BTreeMap<(&str, crate::project::FinancierKind), Decimal> =
            self.payments.iter().map(|p| ((p.financier.as_str(), p.kind), p.amount)).collect();
        for p in &other.payments {
            *payments.entry((p.financier.as_str(), p.kind)).or_default() += sign * p.amount;
        }
        let payments = payments
            .into_iter()
            .filter(|(_, a)| !a.is_zero())
            .map(|((financier, kind), amount)| PaymentAmounts { financier: financier.to_string(), kind, amount })
            .collect();
        let activities =
            activities.into_values().filter(|a| !(a.hours.is_zero() && a.staff.is_zero() && a.other.is_zero()));
        let persons = persons.into_values().filter(|p| {
            !(p.hours.is_zero() && p.salary_cost.is_zero() && p.on_cost.is_zero() && p.staff_cost.is_zero())
        });
        Content {
            hours: self.hours + sign * other.hours,
            staff: self.staff + sign * other.staff,
            flat_rate: self.flat_rate + sign * other.flat_rate,
            other: self.other + sign * other.other,
            activities: activities.collect(),
            persons: persons.collect(),
            payments,
        }
    }

    /// Whether nothing at all differs from an empty month.
    pub fn is_zero(&self) -> bool {
        self.hours.is_zero()
            && self.staff.is_zero()
            && self.flat_rate.is_zero()
            && self.other.is_zero()
            && self.activities.is_empty()
            && self.persons.is_empty()
            && self.payments.is_empty()
    }

    /// Paid in from `financier` (any kind).
    pub fn paid(&self, financier: &str) -> Decimal {
        self.payments.iter().filter(|p| p.financier == financier).map(|p| p.amount).sum()
    }
}

/// What a claim counted for one organisation and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimedMonth {
    /// The organisation's inbox folder when the claim was made.
    pub folder: String,
    /// The organisation: what the line belongs to (absent in ledgers written before it was
    /// recorded: then the folder is mapped through the project file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_nr: Option<OrgNr>,
    pub month: Month,
    pub kind: LineKind,
    /// The workbook that counted when the claim was made; empty when none did (a removed month).
    pub path: String,
    pub sha256: String,
    /// For a correction: the workbook earlier claims had counted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub previous_sha256: String,
    /// Bidrag i annat än pengar: the line's value for a co-financier, 0 for a partner.
    pub in_kind: Decimal,
    /// Stödgrundande: staff + flat rate + other.
    pub eligible: Decimal,
    /// The values the month was priced by (absent in ledgers written before they were
    /// recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<Rates>,
    /// For a correction: the change decisions (`[[change]]` numbers) whose retroactive values it
    /// carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    #[serde(flatten)]
    pub content: Content,
}

/// Whether an organisation reports costs or time in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A project partner (projektpart).
    Partner,
    /// A co-financier giving time in kind (medfinansiär).
    Cofinancier,
}

/// The values of an organisation from a month on, as a claim recorded them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedRates {
    /// `None`: from the project's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    pub rates: Rates,
}

/// An organisation of the decision as a claim recorded it: enough to keep counting what it
/// claimed after it has left the project file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgRecord {
    pub org_nr: OrgNr,
    pub folder: String,
    pub name: String,
    pub role: Role,
    pub kind: FinancierKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Month>,
    /// On-cost rate and flat rate, each entry from its month on (the two keys' changes merged).
    pub values: Vec<DatedRates>,
}

/// The decision a claim was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// SHA-256 of `project.toml`.
    pub project_sha256: String,
    /// Stödandel, percent.
    #[serde(with = "rust_decimal::serde::str")]
    pub support_rate: Decimal,
    /// Beviljat stöd, kr.
    #[serde(with = "rust_decimal::serde::str")]
    pub approved_support: Decimal,
    /// The change decisions in the file (`[[change]]` numbers): each came into force under the
    /// first claim that lists it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    pub orgs: Vec<OrgRecord>,
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
    /// `eligible × support rate` rounded down to öre, before the cap (absent in legacy claims:
    /// then it is derived from `eligible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_uncapped: Option<Decimal>,
    /// The day it was recorded (informative only).
    pub recorded_on: NaiveDate,
    pub workbooks: Vec<UsedWorkbook>,
    /// What the claim counted per organisation and month; `None` in a legacy claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<ClaimedMonth>>,
    /// Corrections the economist held back from this claim (they stay pending).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held_corrections: bool,
    /// The decision the claim was made under; `None` in claims recorded before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionRecord>,
    /// SHA-256 of the previous line (empty for the first).
    pub prev: String,
}

impl Claim {
    /// A claim recorded before the ledger kept amounts: only its workbooks' hashes are known.
    pub fn is_legacy(&self) -> bool {
        self.months.is_none()
    }

    /// Whether the claim's period holds `month`.
    pub fn covers(&self, month: Month) -> bool {
        self.from <= month && month <= self.to
    }
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

    /// The claims a run for a period starting at `from` builds on: every claim that ended
    /// before it (claims are contiguous and in order, so this is a prefix).
    pub fn before(&self, from: Month) -> &[Claim] {
        let n = self.claims.iter().take_while(|c| c.to < from).count();
        &self.claims[..n]
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

/// Months of legacy claims and the workbook each used: they stay pinned to it (see the module
/// documentation).
pub fn legacy_pinned(claims: &[Claim]) -> Pinned {
    claims
        .iter()
        .filter(|c| c.is_legacy())
        .flat_map(|c| &c.workbooks)
        .map(|w| ((w.folder.clone(), w.month), w.sha256.clone()))
        .collect()
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
            support_uncapped: None,
            recorded_on: NaiveDate::from_ymd_opt(2025, 4, 10).unwrap(),
            workbooks: vec![UsedWorkbook {
                folder: "kramfors".into(),
                org_nr: None,
                month: from.parse().unwrap(),
                path: "kramfors/a.xlsx".into(),
                sha256: "ab".repeat(32),
            }],
            months: None,
            held_corrections: false,
            decision: None,
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
        assert_eq!(legacy_pinned(&back.claims).len(), 2);
        assert_eq!(back.before("2024-07".parse().unwrap()).len(), 1);
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
