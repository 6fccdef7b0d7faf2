//! Who the organisations of a run are, by organisationsnummer (`docs/claims.md`,
//! "Ändringsbeslut").
//!
//! The [`Roster`] holds every organisation of the run: those of the project file, in its order,
//! then those the ledger has claims for that the file no longer holds (rebuilt from the claims'
//! [`crate::ledger::DecisionRecord`]s), so that what they claimed stays in every cumulative
//! figure. A ledger line names its organisation by number; a line written before numbers were
//! recorded is mapped by its folder, through the first decision the ledger recorded, else the
//! project file, else a counting workbook with the line's checksum. An organisation's index in
//! [`Roster::orgs`] is the organisation of every figure of the run.
//!
//! A gone organisation's months, and months outside an organisation's `from` / `until`, are
//! frozen ([`Roster::frozen`]): they stay as claimed, never corrected.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::history::{History, Key};
use crate::finding::{Finding, Message, Place};
use crate::ids::OrgNr;
use crate::ledger::{Claim, Content, OrgRecord, Role};
use crate::month::Month;
use crate::project::{CashLine, CategoryBudget, Cofinancier, Dated, FlatRate, Org, Partner, Project, Rates};

/// An organisation that claimed but is no longer in the project file.
#[derive(Debug, Clone)]
enum Gone {
    Partner(Partner),
    Cofinancier(Cofinancier),
}

/// Every organisation of the run, by organisationsnummer: the project file's, then the gone.
#[derive(Debug)]
pub struct Roster<'p> {
    project: &'p Project,
    gone: Vec<Gone>,
    /// Folders of lines recorded before organisationsnummer were, with the number they were
    /// mapped to, and the claims holding such lines.
    pub folder_mapped: BTreeMap<String, OrgNr>,
    pub folder_claims: BTreeSet<u32>,
    /// Lines whose organisation cannot be known: (claim, folder).
    pub unknown: BTreeSet<(u32, String)>,
    /// Each ledger line's organisation (index in [`Roster::orgs`]), by claim and line.
    line_orgs: BTreeMap<(u32, usize), usize>,
}

impl<'p> Roster<'p> {
    /// The organisations of the project file and those of `claims` the file no longer holds.
    /// `workbooks` are the run's counting workbooks (organisation index, SHA-256), to recognise
    /// an old line's organisation by its workbook when nothing else names it.
    pub fn new(project: &'p Project, claims: &[Claim], workbooks: &[(usize, &str)]) -> Roster<'p> {
        let mut roster = Roster {
            project,
            gone: Vec::new(),
            folder_mapped: BTreeMap::new(),
            folder_claims: BTreeSet::new(),
            unknown: BTreeSet::new(),
            line_orgs: BTreeMap::new(),
        };
        let file: Vec<Org> = project.orgs().collect();
        let first_record = claims.iter().find_map(|c| c.decision.as_ref());
        let by_sha: BTreeMap<&str, usize> = workbooks.iter().map(|(org, sha)| (*sha, *org)).collect();
        let mut gone_nrs: Vec<OrgNr> = Vec::new();
        let mut resolved: Vec<((u32, usize), OrgNr)> = Vec::new();
        for claim in claims {
            for (i, line) in claim.months.iter().flatten().enumerate() {
                let nr = match &line.org_nr {
                    Some(nr) => Some(nr.clone()),
                    None => {
                        let nr = first_record
                            .and_then(|r| r.orgs.iter().find(|o| o.folder == line.folder))
                            .map(|o| o.org_nr.clone())
                            .or_else(|| project.org_by_folder(&line.folder).map(|o| o.org_nr().clone()))
                            .or_else(|| {
                                by_sha.get(line.sha256.as_str()).and_then(|o| file.get(*o)).map(|o| o.org_nr().clone())
                            });
                        if let Some(nr) = &nr {
                            roster.folder_mapped.insert(line.folder.clone(), nr.clone());
                            roster.folder_claims.insert(claim.seq);
                        }
                        nr
                    }
                };
                let Some(nr) = nr else {
                    roster.unknown.insert((claim.seq, line.folder.clone()));
                    continue;
                };
                if project.org_by_nr(&nr).is_none() && !gone_nrs.contains(&nr) {
                    gone_nrs.push(nr.clone());
                }
                resolved.push(((claim.seq, i), nr));
            }
        }
        for nr in &gone_nrs {
            roster.gone.push(rebuild(nr, claims));
        }
        let index: BTreeMap<OrgNr, usize> =
            roster.orgs().iter().enumerate().map(|(i, o)| (o.org_nr().clone(), i)).collect();
        roster.line_orgs = resolved.into_iter().filter_map(|(k, nr)| Some((k, *index.get(&nr)?))).collect();
        roster
    }

    /// Every organisation: the project file's in its order ([`Project::orgs`]), then the gone.
    pub fn orgs(&self) -> Vec<Org<'_>> {
        let gone = self.gone.iter().map(|g| match g {
            Gone::Partner(p) => Org::Partner(p),
            Gone::Cofinancier(c) => Org::Cofinancier(c),
        });
        self.project.orgs().chain(gone).collect()
    }

    /// The organisation of the `i`-th line of claim `seq`.
    pub fn line_org(&self, seq: u32, i: usize) -> Option<usize> {
        self.line_orgs.get(&(seq, i)).copied()
    }

    /// Whether the organisation is no longer in the project file.
    pub fn is_gone(&self, org: usize) -> bool {
        org >= self.project.orgs().count()
    }

    /// Whether the month of the organisation stays as claimed whatever the file says now: the
    /// organisation has left the file, or the month lies outside its `from` / `until`.
    pub fn frozen(&self, orgs: &[Org], org: usize, month: Month) -> bool {
        self.is_gone(org) || orgs.get(org).is_none_or(|o| !self.project.in_decision(*o, month))
    }
}

/// A gone organisation as the last claim that recorded it saw it; without a record (it cannot
/// be: lines with a number come with one), as its lines show it.
fn rebuild(nr: &OrgNr, claims: &[Claim]) -> Gone {
    let record: Option<&OrgRecord> =
        claims.iter().rev().filter_map(|c| c.decision.as_ref()).find_map(|d| d.orgs.iter().find(|o| &o.org_nr == nr));
    let line = claims.iter().rev().flat_map(|c| c.months.iter().flatten()).find(|l| l.org_nr.as_ref() == Some(nr));
    let folder = record.map(|r| r.folder.clone()).or_else(|| line.map(|l| l.folder.clone())).unwrap_or_default();
    let name = record.map_or_else(|| folder.clone(), |r| r.name.clone());
    let rates: Vec<(Option<Month>, Rates)> = match record {
        Some(r) => r.values.iter().map(|v| (v.from, v.rates)).collect(),
        None => vec![(None, line.and_then(|l| l.rates).unwrap_or(Rates::NONE))],
    };
    let on_costs = Dated::from_entries(rates.iter().map(|(m, r)| (*m, r.on_costs)).collect())
        .unwrap_or_else(|| Dated::plain(Decimal::ZERO));
    let flat_rate = Dated::from_entries(rates.iter().map(|(m, r)| (*m, r.flat())).collect())
        .unwrap_or_else(|| Dated::plain(FlatRate::default()));
    let (from, until) = record.map_or((None, None), |r| (r.from, r.until));
    let cofinancier =
        record.map_or_else(|| line.is_some_and(|l| !l.in_kind.is_zero()), |r| r.role == Role::Cofinancier);
    if cofinancier {
        Gone::Cofinancier(Cofinancier {
            folder,
            name,
            org_nr: nr.clone(),
            kind: record.map_or_else(Default::default, |r| r.kind),
            on_costs,
            in_kind_budget: Decimal::ZERO,
            counted_with: String::new(),
            flat_rate,
            from,
            until,
            note: String::new(),
        })
    } else {
        Gone::Partner(Partner {
            folder,
            name,
            org_nr: nr.clone(),
            on_costs,
            flat_rate,
            from,
            until,
            budget: CategoryBudget::default(),
            cash: Vec::<CashLine>::new(),
            support: Decimal::ZERO,
            note: String::new(),
        })
    }
}

/// `PARTNER_REMOVED`: an organisation the ledger has claims for that the project file no longer
/// holds, with what it claimed (it stays in every cumulative figure).
pub fn gone_findings(roster: &Roster, orgs: &[Org], history: &History) -> Vec<Finding> {
    orgs.iter()
        .enumerate()
        .filter(|(i, _)| roster.is_gone(*i))
        .map(|(i, o)| {
            let mine = history.counted.range((i, Month::MIN)..=(i, Month::MAX)).map(|(_, c)| c);
            let mut claims: Vec<u32> = Vec::new();
            let mut eligible = Decimal::ZERO;
            for c in mine {
                eligible += c.content.total();
                claims.extend(&c.claims);
            }
            claims.sort_unstable();
            claims.dedup();
            Finding::of(
                Place { partner: Some(o.folder().to_string()), ..Place::default() },
                Message::ClaimedPartnerGone {
                    partner: o.name().to_string(),
                    org_nr: o.org_nr().to_string(),
                    claims,
                    eligible,
                },
            )
        })
        .collect()
}

/// What the claims counted per organisation and month, their lines summed.
pub fn claimed_content(roster: &Roster, claims: &[Claim]) -> BTreeMap<Key, Content> {
    let mut out: BTreeMap<Key, Content> = BTreeMap::new();
    for claim in claims {
        for (i, line) in claim.months.iter().flatten().enumerate() {
            let Some(org) = roster.line_org(claim.seq, i) else { continue };
            let e = out.entry((org, line.month)).or_default();
            *e = e.plus(&line.content);
        }
    }
    out
}
