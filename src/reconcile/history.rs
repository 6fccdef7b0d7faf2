//! The claim against the project's history: which months this claim takes, whole or as a
//! difference, and what the submitted claims already counted (`docs/rules.md`, "Claims over the
//! project's life").
//!
//! Every run costs every counting workbook from the project's start ([`super::staff`]). Here the
//! result, month by month ([`Current`]), meets what the ledger's claims counted ([`Counted`]):
//!
//! - a month of the run's period that no claim counted is taken whole (`period`);
//! - a month of a submitted claim's period that no claim counted, now with a counting workbook
//!   (it came, or was attested or fixed, after that claim), is taken whole too (`late`, finding
//!   `LATE_MONTH`);
//! - a month a claim counted whose workbook or amounts now differ (edited, a higher version,
//!   removed, or changed by another month through the annual cap or the salary basis) is taken
//!   as the difference, positive or negative, per category, activity and person
//!   (`correction`, finding `CHANGED_AFTER_CLAIM`). Held back on request, it is listed and
//!   reported but not taken, and stays pending for a later claim.
//!
//! Organisations are the run's [`Roster`] (by organisationsnummer), and every month is priced as
//! [`Pricing`] says: the values it was claimed at, or the file's for a month no claim priced
//! ([`super::decision`]). A month a retroactive change decision re-prices is a correction even
//! when its workbook and hours are unchanged; a month that is frozen (its organisation left the
//! file, or it lies outside the organisation's months in the decision) is never corrected.
//!
//! The flat rate belongs to the claim: it is computed on the period's months together (those
//! priced at the same flat rate) and on each late month by itself, rounded down to öre
//! ([`crate::money::floor2`]); the period's flat rate is spread over its months by staff costs so
//! the ledger can say what each month counted. A correction sets the month's flat rate to the
//! rate on the month's own staff costs now, less what was claimed as flat rate for it (a month
//! taken out gives back exactly its flat rate). The cumulative flat rate is therefore the sum of
//! the claims' flat rates.
//!
//! Months of a *legacy* claim (recorded before the ledger kept amounts) count with the workbooks
//! used then (intake pins them) and what they count now is taken as what was claimed; they
//! cannot be corrected (`LEGACY_LEDGER`). A month before the run's period that no claim covers
//! (a run given a later `--from`) is not part of the claim but counts in the cumulative figures,
//! so that a look at a later period still shows the project so far.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::UsedWorkbook;
use super::decision::{Applied, Pricing};
use super::model::Period;
use super::roster::Roster;
use super::staff::{PersonMonthCost, split_amount};
use crate::finding::{Delta, Finding, Message, Place, Repriced, Revision};
use crate::ledger::{ActivityAmounts, Claim, Content, LineKind, PaymentAmounts, PersonAmounts};
use crate::money::{Hours, floor2, percent};
use crate::month::Month;
use crate::project::{FlatRate, FlatRateModel, Org, Rates};

/// An organisation (index in the run's [`Roster`]) and a month.
pub type Key = (usize, Month);

/// What one organisation's month holds now: its counting workbook and what it costs (no flat
/// rate: that is the claim's).
#[derive(Debug, Clone)]
pub struct Current {
    pub path: String,
    pub sha256: String,
    pub content: Content,
}

/// What submitted claims counted for one organisation and month, before this claim.
#[derive(Debug, Clone, Default)]
pub struct Counted {
    /// The sum of the month's lines over the claims, flat rate included.
    pub content: Content,
    /// The workbook the last of those claims counted (empty when none did any more); for a month
    /// before the run's period that no claim covers, the one that counts it now.
    pub path: String,
    /// The last claim's workbook's SHA-256 (empty for a month no claim counted).
    pub sha256: String,
    /// The claims that counted the month, in order; empty for a month before the run's period
    /// that no claim covers (counted only in the cumulative figures).
    pub claims: Vec<u32>,
    /// Counted by a legacy claim: pinned to its workbook, not correctable.
    pub legacy: bool,
}

/// One line of this claim: a month taken whole, or a month's difference.
#[derive(Debug, Clone)]
pub struct Line {
    pub org: usize,
    pub month: Month,
    pub kind: LineKind,
    /// The workbook that counts now (empty when none does: the correction takes the month out).
    pub path: String,
    pub sha256: String,
    /// For a correction: the workbook the submitted claims counted.
    pub previous_path: String,
    pub previous_sha256: String,
    /// The month's content (period, late) or its difference (correction), flat rate included.
    pub content: Content,
    /// A correction held back by the economist: listed and reported, not taken.
    pub held: bool,
    /// For a late month or a correction: the submitted claim whose period holds the month.
    pub amends: Option<u32>,
    /// The values the month is priced by.
    pub rates: Rates,
    /// For a correction: the change decisions that re-price it retroactively.
    pub changes: Vec<Applied>,
}

impl Line {
    /// Whether the claim takes the line (every line but a held correction).
    pub fn taken(&self) -> bool {
        !self.held
    }
}

/// The claim's lines and what came before it.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub counted: BTreeMap<Key, Counted>,
    /// In organisation, month and kind order.
    pub lines: Vec<Line>,
    /// (organisation, personnummer) → the claim that first counted the person there: registered
    /// in Min ansökan then.
    pub registered: BTreeMap<(usize, String), u32>,
    pub findings: Vec<Finding>,
}

/// The flat rate on staff costs for a model and rate, rounded down to öre.
pub fn flat_rate_of(flat: FlatRate, staff: Decimal) -> Decimal {
    match flat.model {
        FlatRateModel::None => Decimal::ZERO,
        _ => floor2(staff * percent(flat.rate)),
    }
}

/// Every counting workbook's month as costed now: hours, staff and other costs, per activity
/// (code order) and per person (personnummer order).
pub fn current_months(used: &[UsedWorkbook], person_months: &[PersonMonthCost]) -> BTreeMap<Key, Current> {
    #[derive(Default)]
    struct Acc {
        hours: Option<Hours>,
        activities: BTreeMap<String, (Hours, Decimal, Decimal)>,
        persons: BTreeMap<String, (PersonAmounts, Hours)>,
    }
    let mut acc: BTreeMap<Key, (Current, Acc)> = used
        .iter()
        .map(|u| {
            let current =
                Current { path: u.rel.to_string(), sha256: u.sha256.to_string(), content: Content::default() };
            ((u.org, u.report.month), (current, Acc::default()))
        })
        .collect();
    for pm in person_months {
        let Some((cur, a)) = acc.get_mut(&(pm.org, pm.month)) else { continue };
        cur.content.staff += pm.staff_cost;
        a.hours = Some(a.hours.unwrap_or(Hours::ZERO) + pm.hours);
        for part in &pm.parts {
            let e = a.activities.entry(part.code.clone()).or_insert((Hours::ZERO, Decimal::ZERO, Decimal::ZERO));
            e.0 = e.0 + part.hours;
            e.1 += part.cost;
        }
        let (p, hours) = a.persons.entry(pm.pnr.as_str().to_string()).or_insert_with(|| {
            let p = PersonAmounts {
                pnr: pm.pnr.as_str().to_string(),
                name: pm.name.clone(),
                role: pm.role.clone(),
                start: Some(pm.start),
                monthly_salary: pm.salary,
                ..PersonAmounts::default()
            };
            (p, Hours::ZERO)
        });
        *hours = *hours + pm.hours;
        p.salary_cost += pm.salary_cost;
        p.on_cost += pm.on_cost;
        p.staff_cost += pm.staff_cost;
    }
    for u in used {
        let Some((cur, a)) = acc.get_mut(&(u.org, u.report.month)) else { continue };
        for c in &u.report.other_costs {
            cur.content.other += c.amount;
            a.activities.entry(c.activity.clone()).or_insert((Hours::ZERO, Decimal::ZERO, Decimal::ZERO)).2 += c.amount;
        }
        let paid: Vec<PaymentAmounts> = u
            .report
            .payments
            .iter()
            .map(|p| PaymentAmounts { financier: p.financier.clone(), kind: p.kind, amount: p.amount })
            .collect();
        // Summed per financier and kind, in that order, as the ledger keeps them.
        cur.content.payments = Content::default().plus(&Content { payments: paid, ..Content::default() }).payments;
    }
    acc.into_iter()
        .map(|(key, (mut cur, a))| {
            cur.content.hours = a.hours.map_or(Decimal::ZERO, Hours::value);
            cur.content.activities = a
                .activities
                .into_iter()
                .map(|(code, (hours, staff, other))| ActivityAmounts { code, hours: hours.value(), staff, other })
                .collect();
            cur.content.persons =
                a.persons.into_values().map(|(p, hours)| PersonAmounts { hours: hours.value(), ..p }).collect();
            (key, cur)
        })
        .collect()
}

/// Builds the claim for `period` on top of the submitted `claims` (those that ended before it),
/// each month priced as [`Pricing`] says. `hold` holds corrections back.
pub fn build(
    roster: &Roster,
    pricing: &Pricing,
    period: Period,
    claims: &[Claim],
    current: &BTreeMap<Key, Current>,
    hold: bool,
) -> History {
    let orgs: Vec<Org> = roster.orgs();
    let mut findings = Vec::new();
    let mut counted = counted_by_claims(roster, &orgs, pricing, claims, current, &mut findings);
    let mut registered: BTreeMap<(usize, String), u32> = BTreeMap::new();
    for claim in claims {
        let months: Vec<(usize, &Content)> = match &claim.months {
            Some(lines) => lines
                .iter()
                .enumerate()
                .filter_map(|(i, l)| Some((roster.line_org(claim.seq, i)?, &l.content)))
                .collect(),
            None => counted
                .iter()
                .filter(|(_, c)| c.legacy && c.claims.first() == Some(&claim.seq))
                .map(|((org, _), c)| (*org, &c.content))
                .collect(),
        };
        for (org, content) in months {
            for p in &content.persons {
                registered.entry((org, p.pnr.clone())).or_insert(claim.seq);
            }
        }
    }
    let covering = |m: Month| claims.iter().find(|c| c.covers(m)).map(|c| c.seq);

    // Months before the period that no claim covers count in the cumulative figures only.
    let outside: Vec<Key> = current
        .keys()
        .filter(|(_, m)| *m < period.from && covering(*m).is_none())
        .filter(|k| !counted.contains_key(k))
        .copied()
        .collect();
    for ((org, m), content) in with_flat_rates(pricing, &outside, current) {
        counted.insert((org, m), Counted { content, path: current[&(org, m)].path.clone(), ..Counted::default() });
    }

    let mut lines = Vec::new();
    // The period's months, together for the flat rate.
    let period_keys: Vec<Key> =
        current.keys().filter(|(_, m)| period.contains(*m)).filter(|k| !counted.contains_key(k)).copied().collect();
    for ((org, m), content) in with_flat_rates(pricing, &period_keys, current) {
        let cur = &current[&(org, m)];
        lines.push(line((org, m), LineKind::Period, cur, None, content, None, pricing));
    }
    // Late months: in a submitted claim's period, counted by none.
    for (&(org, m), cur) in current.iter().filter(|((_, m), _)| *m < period.from) {
        let Some(seq) = covering(m).filter(|_| !counted.contains_key(&(org, m))) else { continue };
        let mut content = cur.content.clone();
        content.flat_rate = flat_rate_of(pricing.flat(org, m), content.staff);
        findings.push(late_finding(&orgs[org], m, seq, cur, &content));
        lines.push(line((org, m), LineKind::Late, cur, None, content, Some(seq), pricing));
    }
    // Corrections: a counted month that differs now (its workbook, its amounts, or its price by a
    // retroactive change decision). Frozen months (a gone organisation, outside its months in
    // the decision) stay as claimed.
    for (&(org, m), c) in counted.iter().filter(|(_, c)| !c.claims.is_empty() && !c.legacy) {
        if roster.frozen(&orgs, org, m) {
            continue;
        }
        let now = current.get(&(org, m));
        let before = Content { flat_rate: Decimal::ZERO, ..c.content.clone() };
        let mut delta = now.map_or_else(Content::default, |cur| cur.content.clone()).minus(&before);
        let sha_now = now.map_or("", |cur| cur.sha256.as_str());
        let changes = pricing.resolved(org, m).map(|r| r.applied.clone()).unwrap_or_default();
        if sha_now == c.sha256 && delta.is_zero() && changes.is_empty() {
            continue;
        }
        // The month's flat rate becomes the rate on its own staff costs now: the correction
        // takes back what was claimed as flat rate for it and claims that instead.
        let staff_now = now.map_or(Decimal::ZERO, |cur| cur.content.staff);
        delta.flat_rate = flat_rate_of(pricing.flat(org, m), staff_now) - c.content.flat_rate;
        let seq = covering(m).or(c.claims.first().copied());
        let empty = Current { path: String::new(), sha256: String::new(), content: Content::default() };
        let mut l = line((org, m), LineKind::Correction, now.unwrap_or(&empty), Some(c), delta, seq, pricing);
        l.held = hold;
        l.changes = changes;
        findings.push(correction_finding(&orgs[org], &l, c, now));
        lines.push(l);
    }
    lines.sort_by_key(|l| (l.org, l.month, l.kind));
    if claims.last().is_some_and(Claim::is_legacy) {
        let legacy: Vec<u32> = claims.iter().filter(|c| c.is_legacy()).map(|c| c.seq).collect();
        findings.push(Finding::of(Place::default(), Message::LegacyLedger { claims: legacy }));
    }
    if claims.last().is_some_and(|c| c.decision.is_none()) && !roster.folder_mapped.is_empty() {
        findings.push(Finding::of(
            Place::default(),
            Message::FolderKeyedLedger {
                claims: roster.folder_claims.iter().copied().collect(),
                folders: roster.folder_mapped.iter().map(|(f, nr)| (f.clone(), nr.to_string())).collect(),
            },
        ));
    }
    History { counted, lines, registered, findings }
}

/// What the claims counted per organisation and month (legacy claims reconstructed from the
/// pinned workbooks as they count now).
fn counted_by_claims(
    roster: &Roster,
    orgs: &[Org],
    pricing: &Pricing,
    claims: &[Claim],
    current: &BTreeMap<Key, Current>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<Key, Counted> {
    let org_of = |folder: &str| orgs.iter().position(|o| o.folder() == folder);
    let unknown = |folder: &str, seq: u32| {
        Finding::of(
            Place { partner: Some(folder.to_string()), ..Place::default() },
            Message::ClaimedFolderGone { claim: seq, folder: folder.to_string() },
        )
    };
    for (seq, folder) in &roster.unknown {
        findings.push(unknown(folder, *seq));
    }
    let mut counted: BTreeMap<Key, Counted> = BTreeMap::new();
    for claim in claims {
        match &claim.months {
            Some(months) => {
                for (i, l) in months.iter().enumerate() {
                    let Some(org) = roster.line_org(claim.seq, i) else { continue };
                    let c = counted.entry((org, l.month)).or_default();
                    c.content = c.content.plus(&l.content);
                    c.path.clone_from(&l.path);
                    c.sha256.clone_from(&l.sha256);
                    if !c.claims.contains(&claim.seq) {
                        c.claims.push(claim.seq);
                    }
                }
            }
            None => {
                let mut keys = Vec::new();
                for w in &claim.workbooks {
                    let Some(org) = org_of(&w.folder) else {
                        findings.push(unknown(&w.folder, claim.seq));
                        continue;
                    };
                    keys.push((org, w.month));
                    let content = match current.get(&(org, w.month)) {
                        Some(cur) if cur.sha256 == w.sha256 => cur.content.clone(),
                        _ => {
                            findings.push(Finding::of(
                                Place { partner: Some(w.folder.clone()), ..Place::default() },
                                Message::LegacyWorkbookGone { path: w.path.clone(), month: w.month, claim: claim.seq },
                            ));
                            Content::default()
                        }
                    };
                    counted.insert(
                        (org, w.month),
                        Counted {
                            content,
                            path: w.path.clone(),
                            sha256: w.sha256.clone(),
                            claims: vec![claim.seq],
                            legacy: true,
                        },
                    );
                }
                let contents: BTreeMap<Key, Current> = keys
                    .iter()
                    .map(|k| {
                        let c = &counted[k];
                        (*k, Current { path: c.path.clone(), sha256: c.sha256.clone(), content: c.content.clone() })
                    })
                    .collect();
                for (key, content) in with_flat_rates(pricing, &keys, &contents) {
                    if let Some(c) = counted.get_mut(&key) {
                        c.content = content;
                    }
                }
            }
        }
    }
    counted
}

/// The months of `keys` with their flat rate: an organisation's months priced at the same flat
/// rate together, the group's flat rate spread over its months by staff costs. In key order.
fn with_flat_rates(pricing: &Pricing, keys: &[Key], current: &BTreeMap<Key, Current>) -> Vec<(Key, Content)> {
    let mut groups: BTreeMap<(usize, FlatRateModel, Decimal), Vec<Month>> = BTreeMap::new();
    for &(org, m) in keys {
        let flat = pricing.flat(org, m);
        groups.entry((org, flat.model, flat.rate)).or_default().push(m);
    }
    let mut out = Vec::with_capacity(keys.len());
    for ((org, model, rate), mut months) in groups {
        months.sort();
        months.dedup();
        let contents: Vec<Content> = months.iter().map(|m| current[&(org, *m)].content.clone()).collect();
        let spread = with_flat_rate(FlatRate { model, rate }, contents);
        out.extend(months.into_iter().map(|m| (org, m)).zip(spread));
    }
    out.sort_by_key(|(k, _)| *k);
    out
}

/// The flat rate on a group of months together, spread over them by staff costs.
fn with_flat_rate(flat: FlatRate, mut contents: Vec<Content>) -> Vec<Content> {
    let total = flat_rate_of(flat, contents.iter().map(|c| c.staff).sum());
    let weights: Vec<(usize, Decimal)> = contents.iter().map(|c| c.staff).enumerate().collect();
    for (i, part) in split_amount(total, &weights) {
        contents[i].flat_rate = part;
    }
    contents
}

/// A line of `kind` for the month, its `rates` the ones [`Pricing`] says.
fn line(
    (org, month): Key,
    kind: LineKind,
    now: &Current,
    before: Option<&Counted>,
    content: Content,
    amends: Option<u32>,
    pricing: &Pricing,
) -> Line {
    Line {
        org,
        month,
        kind,
        path: now.path.clone(),
        sha256: now.sha256.clone(),
        previous_path: before.map_or_else(String::new, |c| c.path.clone()),
        previous_sha256: before.map_or_else(String::new, |c| c.sha256.clone()),
        content,
        held: false,
        amends,
        rates: pricing.rates(org, month),
        changes: Vec::new(),
    }
}

fn late_finding(org: &Org, month: Month, seq: u32, cur: &Current, content: &Content) -> Finding {
    Finding::of(
        Place::file(&cur.path).with_partner(org.folder()),
        Message::LateMonth { month, claim: seq, eligible: content.total() },
    )
}

/// `CHANGED_AFTER_CLAIM` for a correction `line`: what counted `before`, what counts `now`.
fn correction_finding(org: &Org, line: &Line, before: &Counted, now: Option<&Current>) -> Finding {
    let revision = match now {
        None => Revision::Gone { path: before.path.clone(), sha256: before.sha256.clone() },
        Some(cur) if cur.sha256 == before.sha256 => Revision::Unchanged { path: cur.path.clone() },
        Some(cur) => Revision::Replaced {
            path: before.path.clone(),
            sha256: before.sha256.clone(),
            now_path: cur.path.clone(),
            now_sha256: cur.sha256.clone(),
        },
    };
    let c = &line.content;
    let delta = Delta { total: c.total(), staff: c.staff, flat_rate: c.flat_rate, other: c.other, hours: c.hours };
    let place = match now {
        Some(cur) => Place::file(&cur.path).with_partner(org.folder()),
        None => Place { partner: Some(org.folder().to_string()), ..Place::default() },
    };
    let changes = line
        .changes
        .iter()
        .map(|a| Repriced {
            change: a.change.clone(),
            what: a.key.swedish().to_string(),
            old: a.key.describe(&a.old),
            new: a.key.describe(&line.rates),
        })
        .collect();
    let (month, claim, held) = (line.month, line.amends, line.held);
    Finding::of(place, Message::Corrected { month, claim, revision, delta, held, changes })
}
