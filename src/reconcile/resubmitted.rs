//! A run over a period already submitted: which claims the period is, and when the run differs
//! from what they claimed, by how much and why (`PERIOD_ALREADY_SUBMITTED`; `docs/claims.md`,
//! "Re-running an old period"). A re-run that claims the same writes the same outputs as the
//! run that was submitted: it says which claim it is on the terminal only.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::model::{Period, Totals};
use super::roster::Roster;
use crate::finding::{Finding, Message, Place};
use crate::ledger::{Claim, ClaimedMonth};
use crate::money::sv_kr;
use crate::month::Month;
use crate::project::RateKey;

/// The submitted claims the run's period is (one, or several in a row; empty when it is none),
/// and `PERIOD_ALREADY_SUBMITTED` when the run differs from what they claimed: what they claimed,
/// what the run gives, and why, per organisation and cause (a decision value the month is priced
/// by now, a changed workbook, a month that no longer counts or counts now, or other months: the
/// annual cap, the salary basis, the flat rate's rounding), and the support when only it differs.
pub fn resubmission(
    roster: &Roster,
    submitted: &[Claim],
    period: Period,
    lines: &[ClaimedMonth],
    totals: &Totals,
) -> (Vec<u32>, Option<Finding>) {
    let covered: Vec<&Claim> = submitted.iter().filter(|c| period.from <= c.from && c.to <= period.to).collect();
    match (covered.first(), covered.last()) {
        (Some(first), Some(last)) if first.from == period.from && last.to == period.to => {}
        _ => return (Vec::new(), None),
    }
    let seqs: Vec<u32> = covered.iter().map(|c| c.seq).collect();
    let orgs = roster.orgs();
    let index = |nr: Option<&crate::ids::OrgNr>, folder: &str| {
        orgs.iter().position(|o| nr.map_or(o.folder() == folder, |nr| o.org_nr() == nr))
    };
    type Side<'l> = BTreeMap<(usize, Month), (Decimal, Vec<&'l ClaimedMonth>)>;
    let mut before: Side = BTreeMap::new();
    for l in covered.iter().flat_map(|c| c.months.iter().flatten()) {
        let Some(org) = index(l.org_nr.as_ref(), &l.folder) else { continue };
        let e = before.entry((org, l.month)).or_default();
        e.0 += l.eligible;
        e.1.push(l);
    }
    let mut now: Side = BTreeMap::new();
    for l in lines {
        let Some(org) = index(l.org_nr.as_ref(), &l.folder) else { continue };
        let e = now.entry((org, l.month)).or_default();
        e.0 += l.eligible;
        e.1.push(l);
    }
    let keys: BTreeSet<(usize, Month)> = before.keys().chain(now.keys()).copied().collect();
    let mut causes: BTreeMap<(usize, String), (u32, Decimal)> = BTreeMap::new();
    for key in keys {
        let (b, n) = (before.get(&key), now.get(&key));
        let diff = n.map_or(Decimal::ZERO, |x| x.0) - b.map_or(Decimal::ZERO, |x| x.0);
        if diff.is_zero() {
            continue;
        }
        let cause = match (b, n) {
            (None, _) => "månader som räknas nu men inte räknades då".to_string(),
            (_, None) => "månader som inte längre räknas".to_string(),
            (Some((_, b)), Some((_, n))) => {
                let (rb, rn) = (b.iter().rev().find_map(|l| l.rates), n.iter().rev().find_map(|l| l.rates));
                let changed: Vec<String> = match (rb, rn) {
                    (Some(rb), Some(rn)) => RateKey::ALL
                        .into_iter()
                        .filter(|k| k.differs(&rb, &rn))
                        .map(|k| format!("{} {} → {}", k.swedish(), k.describe(&rb), k.describe(&rn)))
                        .collect(),
                    _ => Vec::new(),
                };
                let sha = |ls: &[&ClaimedMonth]| ls.iter().rev().map(|l| l.sha256.clone()).find(|s| !s.is_empty());
                if !changed.is_empty() {
                    format!("{} i projektfilen", changed.join(" och "))
                } else if sha(b) != sha(n) {
                    "ändrade arbetsböcker".to_string()
                } else {
                    "andra månader (årstaket, lönegrunden eller schablonens avrundning)".to_string()
                }
            }
        };
        let e = causes.entry((key.0, cause)).or_default();
        e.0 += 1;
        e.1 += diff;
    }
    let claimed_support: Decimal = covered.iter().map(|c| c.support).sum();
    if causes.is_empty() && claimed_support == totals.support {
        return (seqs, None);
    }
    let mut reasons: Vec<String> = causes
        .into_iter()
        .map(|((org, cause), (n, amount))| {
            let name = orgs.get(org).map_or("", |o| o.name());
            let months = if n == 1 { "1 månad".to_string() } else { format!("{n} månader") };
            let sign = if amount > Decimal::ZERO { "+" } else { "" };
            format!("{name}: {cause} ({months}, {sign}{})", sv_kr(amount))
        })
        .collect();
    if claimed_support != totals.support {
        reasons.push("stödet: det räknas mot det beviljade stödet i kraft nu och tidigare ansökningars stöd".into());
    }
    let finding = Finding::of(
        Place::default(),
        Message::AlreadySubmitted {
            claims: seqs.clone(),
            from: period.from,
            to: period.to,
            claimed_eligible: covered.iter().map(|c| c.eligible).sum(),
            claimed_support,
            eligible: totals.eligible,
            support: totals.support,
            reasons,
        },
    );
    (seqs, Some(finding))
}
