//! The decision over the project's life, against the claims: which values price each month, and
//! the change log (`docs/claims.md`, "Ändringsbeslut").
//!
//! - A month is priced by the values in force for it ([`Pricing`]): the project file's
//!   ([`crate::project::Dated`]) for a month no claim has priced; for a claimed month, the
//!   values it was claimed at, key by key, unless the file's value is the same or a change
//!   decision (`[[change]]`) re-prices that key retroactively, came into force after the month
//!   was priced, and is not spent (a claim that took corrections has recorded it: the months it
//!   covers were re-priced then, or already had its value). A claimed month the file now prices
//!   differently without such a change keeps its price, and [`decision_changed`] raises
//!   `DECISION_CHANGED` with what it would move.
//! - Frozen months ([`Roster::frozen`]) are priced as claimed, whatever the file says.
//! - [`record`] is the decision a claim records; [`change_log`] the change decisions with the
//!   claim each came into force under.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::history::{Counted, Current, Key, flat_rate_of};
use super::model::ChangeEntry;
use super::roster::Roster;
use crate::finding::{Finding, Message, Place};
use crate::ledger::{Claim, ClaimedMonth, Content, DecisionRecord, OrgRecord, Role};
use crate::money::{percent, round2};
use crate::month::Month;
use crate::project::{Dated, FlatRate, Org, Project, RateKey, Rates};

/// The decision in force as a claim records it.
pub fn record(project: &Project) -> DecisionRecord {
    let orgs = project
        .orgs()
        .map(|o| {
            let (from, until) = o.from_until();
            let mut starts: Vec<Option<Month>> = vec![None];
            starts.extend(o.on_costs().changes().chain(o.flat_rates().changes()).map(Some));
            starts.sort();
            starts.dedup();
            let first = project.start_month();
            let values = starts
                .into_iter()
                .map(|m| crate::ledger::DatedRates { from: m, rates: o.rates_at(m.unwrap_or(first)) })
                .collect();
            OrgRecord {
                org_nr: o.org_nr().clone(),
                folder: o.folder().to_string(),
                name: o.name().to_string(),
                role: if o.is_cofinancier() { Role::Cofinancier } else { Role::Partner },
                kind: match o {
                    Org::Partner(_) => crate::project::FinancierKind::Public,
                    Org::Cofinancier(c) => c.kind,
                },
                from,
                until,
                values,
            }
        })
        .collect();
    DecisionRecord {
        project_sha256: project.sha256.clone(),
        support_rate: project.info.support_rate,
        approved_support: project.info.approved_support,
        changes: project.changes.iter().map(|c| c.number.clone()).collect(),
        orgs,
    }
}

/// A key a change decision re-prices retroactively for a claimed month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub key: RateKey,
    /// The change decision's number.
    pub change: String,
    /// The value the month was claimed at.
    pub old: Rates,
}

/// How a claimed month is priced now.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The values the month is priced by in this run.
    pub rates: Rates,
    /// The values the project file gives for it.
    pub file: Rates,
    /// The values it was claimed at.
    pub claimed: Rates,
    /// The claim that priced it last.
    pub claim: u32,
    /// Keys a change decision re-prices (the difference is a correction naming it).
    pub applied: Vec<Applied>,
    /// Keys whose claimed value is kept although the file says otherwise (`DECISION_CHANGED`).
    pub kept: Vec<RateKey>,
}

/// Which values price each organisation-month of the run.
#[derive(Debug, Default)]
pub struct Pricing {
    claimed: BTreeMap<Key, Resolved>,
    /// The file's values per organisation, by month (the roster's organisations).
    file: Vec<(Dated<Decimal>, Dated<FlatRate>)>,
}

impl Pricing {
    /// Resolves every month the claims priced against the file and the change log.
    pub fn new(project: &Project, roster: &Roster, claims: &[Claim]) -> Pricing {
        let orgs = roster.orgs();
        let file: Vec<(Dated<Decimal>, Dated<FlatRate>)> =
            orgs.iter().map(|o| (o.on_costs().clone(), o.flat_rates().clone())).collect();
        let first_record = claims.iter().find_map(|c| c.decision.as_ref());
        // A change decision is spent once a claim that took its corrections recorded it: the
        // months it covers were priced then, re-priced or found equal.
        let spent = |number: &str| {
            claims.iter().any(|c| {
                !c.held_corrections && c.decision.as_ref().is_some_and(|d| d.changes.iter().any(|n| n == number))
            })
        };
        let mut last: BTreeMap<Key, (Rates, u32, Vec<String>)> = BTreeMap::new();
        for claim in claims {
            let in_force: Vec<String> = claim.decision.as_ref().map(|d| d.changes.clone()).unwrap_or_default();
            for (i, line) in claim.months.iter().flatten().enumerate() {
                let Some(org) = roster.line_org(claim.seq, i) else { continue };
                let Some(rates) = line.rates.or_else(|| recorded_rates(first_record, &orgs[org], line)) else {
                    continue;
                };
                last.insert((org, line.month), (rates, claim.seq, in_force.clone()));
            }
        }
        let claimed = last
            .into_iter()
            .map(|((org, month), (claimed, claim, in_force))| {
                let file_rates = orgs[org].rates_at(month);
                let frozen = roster.frozen(&orgs, org, month);
                let mut rates = claimed;
                let (mut applied, mut kept) = (Vec::new(), Vec::new());
                for key in RateKey::ALL.into_iter().filter(|k| k.differs(&claimed, &file_rates)) {
                    if frozen {
                        continue;
                    }
                    let change = project
                        .retroactive_for(orgs[org].folder(), key, month)
                        .find(|c| !in_force.contains(&c.number) && !spent(&c.number));
                    match change {
                        Some(c) => {
                            set(&mut rates, key, &file_rates);
                            applied.push(Applied { key, change: c.number.clone(), old: claimed });
                        }
                        None => kept.push(key),
                    }
                }
                ((org, month), Resolved { rates, file: file_rates, claimed, claim, applied, kept })
            })
            .collect();
        Pricing { claimed, file }
    }

    /// The values `month` of `org` is priced by in this run.
    pub fn rates(&self, org: usize, month: Month) -> Rates {
        match self.claimed.get(&(org, month)) {
            Some(r) => r.rates,
            None => self.file_rates(org, month),
        }
    }

    /// On-cost rate as a fraction.
    pub fn on_cost_fraction(&self, org: usize, month: Month) -> Decimal {
        percent(self.rates(org, month).on_costs)
    }

    /// The flat rate `month` of `org` is priced by.
    pub fn flat(&self, org: usize, month: Month) -> FlatRate {
        self.rates(org, month).flat()
    }

    /// How a claimed month is priced, if a claim priced it.
    pub fn resolved(&self, org: usize, month: Month) -> Option<&Resolved> {
        self.claimed.get(&(org, month))
    }

    fn file_rates(&self, org: usize, month: Month) -> Rates {
        match self.file.get(org) {
            Some((on, flat)) => {
                let f = flat.at(month);
                Rates { on_costs: on.at(month), flat_model: f.model, flat_rate: f.rate }
            }
            None => Rates::NONE,
        }
    }
}

/// A line recorded before rates were: priced at the values of the first decision the ledger
/// recorded (the file as this version first saw it), else at the file's values now.
fn recorded_rates(first: Option<&DecisionRecord>, org: &Org, line: &ClaimedMonth) -> Option<Rates> {
    let record = first?.orgs.iter().find(|o| &o.org_nr == org.org_nr())?;
    record.values.iter().rev().find(|v| v.from.is_none_or(|f| f <= line.month)).map(|v| v.rates)
}

fn set(rates: &mut Rates, key: RateKey, from: &Rates) {
    match key {
        RateKey::OnCosts => rates.on_costs = from.on_costs,
        RateKey::FlatRate => {
            rates.flat_model = from.flat_model;
            rates.flat_rate = from.flat_rate;
        }
    }
}

/// What a month's content costs, staff and flat rate, at other rates: each person's on-costs
/// recomputed on their salary (as [`super::staff`] does), the flat rate on the month alone.
pub fn priced_at(content: &Content, rates: &Rates) -> Decimal {
    let staff: Decimal =
        content.persons.iter().map(|p| p.salary_cost + round2(p.salary_cost * percent(rates.on_costs))).sum();
    staff + flat_rate_of(rates.flat(), staff) + content.other
}

/// Claimed months of one organisation that the file now prices differently in one key, without a
/// change decision that re-prices them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// The organisation (index in the roster).
    pub org: usize,
    pub key: RateKey,
    /// The claimed and the file's value, in Swedish.
    pub old: String,
    pub new: String,
    pub months: Vec<Month>,
    pub claims: Vec<u32>,
    /// What the file's value would move: the months as they count, at the file's value of the key
    /// less at the claimed value.
    pub amount: Decimal,
}

impl Changed {
    /// The `DECISION_CHANGED` message.
    pub fn message(&self, org: &Org) -> Message {
        Message::DecisionChanged {
            partner: org.name().to_string(),
            key: format!("{}.{}", org.folder(), self.key.as_str()),
            what: self.key.swedish().to_string(),
            old: self.old.clone(),
            new: self.new.clone(),
            months: self.months.clone(),
            claims: self.claims.clone(),
            amount: self.amount,
        }
    }
}

/// Claimed months the file now prices differently without a change decision, per organisation,
/// key and old → new value. `content` is what each month counts (as it counts now, or as the
/// claims counted it).
pub fn changed(pricing: &Pricing, content: impl Fn(Key) -> Option<Content>) -> Vec<Changed> {
    type Group = (Vec<Month>, BTreeSet<u32>, Decimal);
    let mut groups: BTreeMap<(usize, RateKey, String, String), Group> = BTreeMap::new();
    for (&(org, month), r) in &pricing.claimed {
        for &key in &r.kept {
            let Some(content) = content((org, month)) else { continue };
            let mut alt = r.rates;
            set(&mut alt, key, &r.file);
            let moved = priced_at(&content, &alt) - priced_at(&content, &r.rates);
            let e = groups
                .entry((org, key, key.describe(&r.claimed), key.describe(&r.file)))
                .or_insert_with(|| (Vec::new(), BTreeSet::new(), Decimal::ZERO));
            e.0.push(month);
            e.1.insert(r.claim);
            e.2 += moved;
        }
    }
    groups
        .into_iter()
        .map(|((org, key, old, new), (months, claims, amount))| Changed {
            org,
            key,
            old,
            new,
            months,
            claims: claims.into_iter().collect(),
            amount,
        })
        .collect()
}

/// `DECISION_CHANGED` findings of a run: each month as it counts now (or as the claims counted
/// it, when no workbook counts for it any more).
pub fn decision_changed(
    orgs: &[Org],
    pricing: &Pricing,
    current: &BTreeMap<Key, Current>,
    counted: &BTreeMap<Key, Counted>,
) -> Vec<Finding> {
    let content =
        |k: Key| current.get(&k).map(|c| c.content.clone()).or_else(|| counted.get(&k).map(|c| c.content.clone()));
    changed(pricing, content)
        .into_iter()
        .filter_map(|c| {
            let o = orgs.get(c.org)?;
            // The economist's to resolve, not the partner's: no partner folder, so it stays out of
            // the partner's receipt (the message names the partner).
            Some(Finding::of(Place::default(), c.message(o)))
        })
        .collect()
}

/// The change log with the claim each change came into force under: the first submitted claim
/// that recorded it, else this one.
pub fn change_log(project: &Project, submitted: &[Claim], this: u32) -> Vec<ChangeEntry> {
    project
        .changes
        .iter()
        .map(|c| {
            let first = submitted
                .iter()
                .find(|claim| claim.decision.as_ref().is_some_and(|d| d.changes.contains(&c.number)))
                .map(|claim| claim.seq);
            ChangeEntry {
                number: c.number.clone(),
                decided: c.decided,
                what: c.what.clone(),
                retroactive: c.retroactive.as_ref().map(|r| {
                    let keys: Vec<String> = r
                        .keys
                        .iter()
                        .map(|k| match crate::project::parse_key(k) {
                            Some((folder, key)) => match project.org_by_folder(folder) {
                                Some(o) => format!("{} för {}", key.swedish(), o.name()),
                                None => k.clone(),
                            },
                            None => k.clone(),
                        })
                        .collect();
                    format!("Retroaktivt från {}: {}.", r.from, keys.join(", "))
                }),
                claim: first.unwrap_or(this),
                submitted: first.is_some(),
            }
        })
        .collect()
}
