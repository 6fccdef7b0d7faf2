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
//! An append is all or nothing ([`Ledger::commit`]: the whole new file is written beside the old
//! one, synced and renamed over it), and every claim is anchored outside the ledger, in the
//! output folder ([`anchor`]), so that a ledger rolled back to an older copy or edited on its last
//! line is caught too. [`repair`] mends what an older version's in-place append left behind.
//!
//! A ledger written before amounts were recorded (claims with `workbooks` only) still loads: its
//! claims are *legacy* claims ([`Claim::is_legacy`]), whose months stay pinned to the workbooks
//! used then because what they counted cannot be known.

pub mod anchor;
pub mod repair;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::emit::atomic::RunLock;
use crate::fault;
use crate::ids::OrgNr;
use crate::intake::Pinned;
use crate::month::Month;
use crate::project::{FinancierKind, Project, Rates};

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

/// An indicator's cumulative value as a claim reported it: the next claim's period value is what
/// is new against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedIndicator {
    /// The indicator's code (empty when it has none) and name, as the project file gave them.
    pub code: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub cumulative: Decimal,
}

impl ReportedIndicator {
    /// Whether this is the indicator with `code` and `name`: by code when it has one, else by name.
    pub fn is(&self, code: &str, name: &str) -> bool {
        if code.is_empty() { self.code.is_empty() && self.name == name } else { self.code == code }
    }
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
    /// Each indicator's cumulative value as the claim reported it; empty in claims recorded
    /// before indicators were kept (their values are then taken from the inbox).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<ReportedIndicator>,
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
    /// SHA-256 of each claim's line, in order: the last is the `prev` of the next claim, and
    /// each is what the claim's anchors in the output folder hold ([`anchor`]).
    hashes: Vec<String>,
    /// The file as read: an append writes it back unchanged before the new line.
    bytes: Vec<u8>,
}

/// A ledger that cannot be trusted, or could not be written: the command stops (exit 2) and
/// says where.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("kan inte läsa ansökningsloggen {path}: {}", crate::sv::io_error(.source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "kan inte skriva {} ({step}): {source}. Ansökningsloggen är oförändrad och inget har registrerats{}",
        path.display(),
        full_disk_hint(source)
    )]
    Write { path: PathBuf, step: &'static str, source: std::io::Error },
    #[error(
        "ansökningsloggen {path} är skadad på rad {line}: {why}. Den skrivs aldrig om automatiskt; \
         återställ den från säkerhetskopia eller versionshantering innan du fortsätter."
    )]
    Damaged { path: PathBuf, line: usize, why: String },
    #[error(
        "sista raden (rad {line}) i ansökningsloggen {path} är avbruten: {bytes} byte utan radslut, skrivna av en \
         äldre version av redovisa som avbröts. Kör `redovisa ledger repair {dir}`: den visar vad som tas bort \
         och sparar en kopia av filen först.",
        dir = path.parent().unwrap_or(Path::new(".")).display()
    )]
    Torn { path: PathBuf, line: usize, bytes: usize },
    #[error(
        "ansökningsloggen {path} ändrades av något annat medan ansökan räknades fram (en synkronisering?). \
         Ansökningsloggen är oförändrad och ansökan är inte registrerad; kör submit igen."
    )]
    ChangedMeanwhile { path: PathBuf },
    #[error(transparent)]
    Anchor(#[from] anchor::AnchorError),
}

/// The advice after a failed write: free space when the disk was full.
fn full_disk_hint(e: &std::io::Error) -> &'static str {
    if e.kind() == std::io::ErrorKind::StorageFull {
        ". Disken är full: frigör utrymme och kör kommandot igen."
    } else {
        "."
    }
}

fn sha_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A claim ready to be appended: its line and the line's SHA-256, known before the ledger is
/// written so that the anchors can announce it ([`anchor`]).
#[derive(Debug, Clone)]
pub struct Prepared {
    claim: Claim,
    line: Vec<u8>,
    /// SHA-256 of the line.
    pub sha256: String,
}

impl Prepared {
    /// The claim, with its `seq` and `prev` filled in.
    pub fn claim(&self) -> &Claim {
        &self.claim
    }
}

impl Ledger {
    /// Reads the ledger of a project folder and checks its chain; no file (or an empty one)
    /// means no claims. This does not look at the anchors: [`Ledger::open`] does.
    pub fn load(project_dir: &Path) -> Result<Ledger, LedgerError> {
        let path = project_dir.join(LEDGER_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(LedgerError::Io { path, source }),
        };
        let (claims, hashes) = parse(&path, &bytes)?;
        Ok(Ledger { path, claims, hashes, bytes })
    }

    /// Reads the ledger and checks it against its anchors in the project's output folder: a
    /// claim the anchors know that the ledger lacks or holds changed, or a claim no anchor
    /// knows, is an error ([`anchor`]). For commands that only read (`final`, `watch`).
    pub fn open(project: &Project) -> Result<Ledger, LedgerError> {
        let ledger = Ledger::load(&project.dir)?;
        anchor::Anchors::read(&project.output())?.check(&ledger)?;
        Ok(ledger)
    }

    /// [`Ledger::open`] for a command that writes (`run`, `submit`), holding the project's lock:
    /// also completes what a killed `submit` left behind (its temporary files, the anchors of
    /// the claim it recorded).
    pub fn open_locked(project: &Project, _lock: &RunLock) -> Result<Ledger, LedgerError> {
        crate::emit::atomic::remove_stale_temporaries(&project.dir);
        let ledger = Ledger::load(&project.dir)?;
        let output = project.output();
        let heal = anchor::Anchors::read(&output)?.check(&ledger)?;
        anchor::heal(&output, &ledger, &heal)?;
        Ok(ledger)
    }

    /// The last submitted claim.
    pub fn last(&self) -> Option<&Claim> {
        self.claims.last()
    }

    /// SHA-256 of claim `seq`'s line.
    pub fn line_sha256(&self, seq: u32) -> Option<&str> {
        self.hashes.get((seq as usize).checked_sub(1)?).map(String::as_str)
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

    /// Numbers a claim as the next one (its `seq` and `prev` are filled in here) and writes its
    /// line, without touching the file.
    pub fn prepare(&self, mut claim: Claim) -> Result<Prepared, LedgerError> {
        claim.seq = self.claims.len() as u32 + 1;
        claim.prev = self.hashes.last().cloned().unwrap_or_default();
        let line = serde_json::to_vec(&claim).map_err(|e| LedgerError::Write {
            path: self.path.clone(),
            step: "raden skapas",
            source: std::io::Error::other(e),
        })?;
        let sha256 = sha_hex(&line);
        Ok(Prepared { claim, line, sha256 })
    }

    /// Appends a prepared claim, all or nothing: the whole new ledger is written to a
    /// temporary file in the project folder, synced, and renamed over the old one, and the
    /// folder is synced. A failure at any step, or a kill, leaves the old ledger byte for
    /// byte. The file must still be what was read.
    pub fn commit(&mut self, prepared: Prepared) -> Result<(), LedgerError> {
        match std::fs::read(&self.path) {
            Ok(now) if now == self.bytes => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.bytes.is_empty() => {}
            Ok(_) | Err(_) => return Err(LedgerError::ChangedMeanwhile { path: self.path.clone() }),
        }
        let mut bytes = self.bytes.clone();
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(&prepared.line);
        bytes.push(b'\n');
        replace(&self.path, &bytes)?;
        self.bytes = bytes;
        self.hashes.push(prepared.sha256);
        self.claims.push(prepared.claim);
        Ok(())
    }

    /// Appends a claim (its `seq` and `prev` are filled in here): [`Ledger::prepare`] and
    /// [`Ledger::commit`].
    pub fn append(&mut self, claim: Claim) -> Result<(), LedgerError> {
        let prepared = self.prepare(claim)?;
        self.commit(prepared)
    }
}

/// Parses the ledger's bytes and checks the chain: each line's `prev` is the SHA-256 of the line
/// before, claims are numbered 1, 2, 3, … and their periods follow each other. A last line
/// without its newline is accepted when it is a whole claim (an editor dropped the newline) and
/// is [`LedgerError::Torn`] otherwise.
fn parse(path: &Path, bytes: &[u8]) -> Result<(Vec<Claim>, Vec<String>), LedgerError> {
    let damaged = |line: usize, why: String| LedgerError::Damaged { path: path.to_path_buf(), line, why };
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let mut claims: Vec<Claim> = Vec::new();
    let mut hashes: Vec<String> = Vec::new();
    let last = lines.len() - 1;
    for (n, line) in lines.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let claim: Claim = match serde_json::from_slice(line) {
            Ok(claim) => claim,
            Err(_) if n == last => {
                return Err(LedgerError::Torn { path: path.to_path_buf(), line: n + 1, bytes: line.len() });
            }
            Err(e) => return Err(damaged(n + 1, format!("raden går inte att tolka ({e})"))),
        };
        let expected_seq = claims.len() as u32 + 1;
        if claim.seq != expected_seq {
            return Err(damaged(
                n + 1,
                format!(
                    "raden är ansökan {} där ansökan {expected_seq} väntades (en rad har tagits bort eller flyttats)",
                    claim.seq
                ),
            ));
        }
        if claim.prev != hashes.last().map_or("", String::as_str) {
            // The line before was changed after it was written (its checksum, carried here, no
            // longer matches it); for the first line, its own `prev` was.
            let edited = if claims.is_empty() { n + 1 } else { previous_line(&lines, n) };
            return Err(damaged(
                edited,
                format!("raden har ändrats efter att den skrevs (kontrollsumman för den i rad {} stämmer inte)", n + 1),
            ));
        }
        if claim.to < claim.from || claims.last().is_some_and(|c| claim.from <= c.to) {
            return Err(damaged(n + 1, "perioden överlappar en tidigare ansökan".into()));
        }
        hashes.push(sha_hex(line));
        claims.push(claim);
    }
    Ok((claims, hashes))
}

/// The 1-based number of the last non-empty line before line index `n`.
fn previous_line(lines: &[&[u8]], n: usize) -> usize {
    (0..n).rev().find(|&i| !lines[i].is_empty()).map_or(n + 1, |i| i + 1)
}

/// Replaces the ledger file with `bytes`, all or nothing (see [`Ledger::commit`]). The
/// temporary file takes the old file's permissions, so that a ledger an administrator locked
/// down stays so.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), LedgerError> {
    let fail = |step: &'static str| move |source| LedgerError::Write { path: path.to_path_buf(), step, source };
    let dir = crate::emit::atomic::folder_of(path);
    let mut tmp = crate::emit::atomic::temporary(dir).map_err(fail("en tillfällig fil skapas"))?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions()).map_err(fail("behörigheterna sätts"))?;
    }
    // Half the bytes, then a fault point: a kill there leaves a half-written temporary file.
    let half = bytes.len() / 2;
    // Through the file itself: its errors are the system's own ("No space left on device").
    let write = |file: &mut File| -> std::io::Result<()> {
        fault::point("ledger.create")?;
        file.write_all(&bytes[..half])?;
        fault::point("ledger.write")?;
        file.write_all(&bytes[half..])
    };
    write(tmp.as_file_mut()).map_err(fail("skrivning"))?;
    fault::point("ledger.sync").and_then(|()| tmp.as_file().sync_all()).map_err(fail("synkning till disken"))?;
    fault::point("ledger.rename").map_err(fail("namnbyte"))?;
    tmp.persist(path).map_err(|e| fail("namnbyte")(e.error))?;
    // The rename is done: from here on the new ledger is in place, and a failing folder sync
    // (which some network file systems do not support) is no reason to report a failure.
    let _ = fault::point("ledger.renamed");
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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
            indicators: Vec::new(),
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
        // An edited amount on line 1 breaks the chain at line 2, and line 1 is named.
        std::fs::write(&path, text.replacen("123.45", "999.45", 1)).unwrap();
        let err = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("skadad på rad 1: raden har ändrats"), "{err}");
        assert!(err.contains("(kontrollsumman för den i rad 2 stämmer inte)"), "{err}");
        // A first line whose own `prev` was edited is named itself.
        let first = text.lines().next().unwrap().replacen("\"prev\":\"\"", "\"prev\":\"ab\"", 1);
        std::fs::write(&path, format!("{first}\n")).unwrap();
        let err = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("skadad på rad 1: raden har ändrats"), "{err}");
        assert!(err.contains("(kontrollsumman för den i rad 1 stämmer inte)"), "{err}");
        // An edited line 2 of three is named by line 3's checksum.
        let other = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(other.path()).unwrap();
        for (from, to) in [("2024-01", "2024-03"), ("2024-04", "2024-06"), ("2024-07", "2024-09")] {
            l.append(claim(from, to)).unwrap();
        }
        let three = std::fs::read_to_string(&l.path).unwrap();
        let lines: Vec<&str> = three.lines().collect();
        let edited = format!("{}\n{}\n{}\n", lines[0], lines[1].replacen("123.45", "999.45", 1), lines[2]);
        std::fs::write(&l.path, edited).unwrap();
        let err = Ledger::load(other.path()).unwrap_err().to_string();
        assert!(err.contains("skadad på rad 2: raden har ändrats"), "{err}");
        assert!(err.contains("(kontrollsumman för den i rad 3 stämmer inte)"), "{err}");
        // A line taken out: the claim that follows carries the wrong number.
        let second = text.lines().nth(1).unwrap();
        std::fs::write(&path, format!("{second}\n")).unwrap();
        let err = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("rad 1: raden är ansökan 2 där ansökan 1 väntades"), "{err}");
        // A truncated last line.
        std::fs::write(&path, &text[..text.len() - 5]).unwrap();
        assert!(matches!(Ledger::load(dir.path()), Err(LedgerError::Torn { line: 2, .. })));
        // Garbage, ending in a newline: damage, not a torn last line.
        std::fs::write(&path, "inte json\n").unwrap();
        let err = Ledger::load(dir.path()).unwrap_err();
        assert!(matches!(err, LedgerError::Damaged { line: 1, .. }), "{err}");
        assert!(err.to_string().contains("skadad på rad 1: raden går inte att tolka"), "{err}");
    }

    #[test]
    fn a_last_line_without_its_newline_is_whole_and_the_next_append_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-01", "2024-06")).unwrap();
        let path = dir.path().join(LEDGER_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        // An editor saved it without the final newline.
        std::fs::write(&path, text.trim_end()).unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        assert_eq!(l.claims.len(), 1);
        l.append(claim("2024-07", "2024-12")).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with(&text) && after.ends_with('\n'), "{after}");
        assert_eq!(Ledger::load(dir.path()).unwrap().claims.len(), 2);
    }

    #[test]
    fn an_append_over_a_ledger_changed_meanwhile_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-01", "2024-06")).unwrap();
        let path = dir.path().join(LEDGER_FILE);
        // A sync tool brings back an empty file while the claim is being computed.
        std::fs::write(&path, "").unwrap();
        let err = l.append(claim("2024-07", "2024-12")).unwrap_err();
        assert!(matches!(err, LedgerError::ChangedMeanwhile { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn an_append_over_a_ledger_removed_meanwhile_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-01", "2024-06")).unwrap();
        let path = dir.path().join(LEDGER_FILE);
        std::fs::remove_file(&path).unwrap();
        let err = l.append(claim("2024-07", "2024-12")).unwrap_err();
        assert!(matches!(err, LedgerError::ChangedMeanwhile { .. }), "{err}");
        assert!(!path.exists(), "not written again with one claim");
    }

    #[test]
    fn an_indicator_is_found_by_its_code_else_by_its_name() {
        let of = |code: &str, name: &str| ReportedIndicator {
            code: code.into(),
            name: name.into(),
            cumulative: Decimal::ONE,
        };
        let coded = of("1.1", "Antal deltagare");
        assert!(coded.is("1.1", "ett annat namn"));
        assert!(!coded.is("1.2", "Antal deltagare"));
        assert!(!coded.is("", "Antal deltagare"), "an indicator with a code is not found by its name");
        let named = of("", "Egen indikator");
        assert!(named.is("", "Egen indikator"));
        assert!(!named.is("", "En annan"));
    }

    #[test]
    fn a_ledger_that_cannot_be_read_is_an_error_not_an_empty_ledger() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(LEDGER_FILE)).unwrap();
        assert!(matches!(Ledger::load(dir.path()), Err(LedgerError::Io { .. })));
    }

    #[test]
    fn a_period_backwards_or_overlapping_the_claim_before_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-07", "2024-06")).unwrap();
        let err = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("skadad på rad 1: perioden överlappar"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-01", "2024-06")).unwrap();
        l.append(claim("2024-06", "2024-12")).unwrap();
        let err = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("skadad på rad 2: perioden överlappar"), "{err}");
    }

    #[test]
    fn a_full_disk_says_so() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(full_disk_hint(&full), ". Disken är full: frigör utrymme och kör kommandot igen.");
        assert_eq!(full_disk_hint(&std::io::Error::from(std::io::ErrorKind::PermissionDenied)), ".");
    }

    #[cfg(unix)]
    #[test]
    fn an_append_keeps_the_ledgers_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::load(dir.path()).unwrap();
        l.append(claim("2024-01", "2024-06")).unwrap();
        let path = dir.path().join(LEDGER_FILE);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        l.append(claim("2024-07", "2024-12")).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    }
}
