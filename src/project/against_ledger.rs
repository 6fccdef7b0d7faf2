//! `redovisa validate` against the ledger: what the project file says now, compared with the
//! claims already submitted (`docs/claims.md`, "Ändringsbeslut").
//!
//! - an organisation with claims that the file no longer holds (its money stays counted; the
//!   file should say `until` instead);
//! - a folder whose organisationsnummer differs from the one the last claim recorded for it;
//! - values that price claimed months differently without a change decision that makes them
//!   retroactive (`DECISION_CHANGED` in a run: an error);
//! - claimed months that fall outside an organisation's `from` / `until` now (they stay claimed);
//! - an approved support below the support already claimed (an error), and a support rate or an
//!   approved support changed since the last claim without a change decision in the log.

use super::*;
use crate::ledger::Claim;
use crate::reconcile::decision::{Pricing, changed};
use crate::reconcile::roster::{Roster, claimed_content};

impl Project {
    /// The file against the submitted `claims`: issues for `redovisa validate`.
    pub fn against_ledger(&self, claims: &[Claim]) -> Vec<Issue> {
        let mut issues = Vec::new();
        let roster = Roster::new(self, claims, &[]);
        let orgs = roster.orgs();
        let content = claimed_content(&roster, claims);
        let key_of = |i: usize| self.orgs().nth(i).map_or_else(|| "partner".to_string(), |o| self.org_key(i, o));
        for (seq, folder) in &roster.unknown {
            let message = crate::finding::Message::ClaimedFolderGone { claim: *seq, folder: folder.clone() };
            issues.push(Issue { error: false, key: "partner".into(), message: message.text() });
        }
        for (i, org) in orgs.iter().enumerate().filter(|(i, _)| roster.is_gone(*i)) {
            let mine = content.range((i, Month::MIN)..=(i, Month::MAX));
            let eligible: Decimal = mine.map(|(_, c)| c.total()).sum();
            let seqs: Vec<u32> = claims
                .iter()
                .filter(|c| c.months.iter().flatten().enumerate().any(|(l, _)| roster.line_org(c.seq, l) == Some(i)))
                .map(|c| c.seq)
                .collect();
            let message = crate::finding::Message::ClaimedPartnerGone {
                partner: org.name().to_string(),
                org_nr: org.org_nr().to_string(),
                claims: seqs,
                eligible,
            };
            issues.push(Issue { error: false, key: key_of(i), message: message.text() });
        }
        if let Some((seq, record)) = claims.iter().rev().find_map(|c| Some((c.seq, c.decision.as_ref()?))) {
            for (i, org) in self.orgs().enumerate() {
                let Some(was) = record.orgs.iter().find(|o| o.folder == org.folder()) else { continue };
                if &was.org_nr != org.org_nr() {
                    issues.push(Issue {
                        error: false,
                        key: format!("{}.org_nr", self.org_key(i, org)),
                        message: format!(
                            "mappen «{}» hade organisationsnummer {} i ansökan {seq}, nu {}. En part är sitt \
                             organisationsnummer: det som begärts för {} räknas kvar för det numret, och {} börjar om \
                             utan inskickade månader. Stämmer det inte, rätta org_nr.",
                            org.folder(),
                            was.org_nr,
                            org.org_nr(),
                            was.org_nr,
                            org.org_nr()
                        ),
                    });
                }
            }
            let changes_since = self.changes.iter().any(|c| !record.changes.contains(&c.number));
            if self.info.support_rate != record.support_rate && !changes_since {
                issues.push(Issue {
                    error: false,
                    key: "project.support_rate".into(),
                    message: format!(
                        "stödandelen var {} % i ansökan {seq}, nu {} %, men inget nytt ändringsbeslut står i \
                         [[change]]; den nya stödandelen gäller från nästa ansökan",
                        record.support_rate, self.info.support_rate
                    ),
                });
            }
            if self.info.approved_support != record.approved_support && !changes_since {
                issues.push(Issue {
                    error: false,
                    key: "project.approved_support".into(),
                    message: format!(
                        "beviljat stöd var {} i ansökan {seq}, nu {}, men inget nytt ändringsbeslut står i [[change]]",
                        sv_kr_whole(record.approved_support),
                        sv_kr_whole(self.info.approved_support)
                    ),
                });
            }
        }
        let pricing = Pricing::new(self, &roster, claims);
        for c in changed(&pricing, |k| content.get(&k).cloned()) {
            let Some(org) = orgs.get(c.org) else { continue };
            issues.push(Issue {
                error: true,
                key: format!("{}.{}", key_of(c.org), c.key.as_str()),
                message: c.message(org).text(),
            });
        }
        for (i, org) in self.orgs().enumerate() {
            let outside: Vec<Month> = content
                .range((i, Month::MIN)..=(i, Month::MAX))
                .map(|((_, m), _)| *m)
                .filter(|m| !self.in_decision(org, *m))
                .collect();
            if !outside.is_empty() {
                let (first, last) = self.months_of(org);
                issues.push(Issue {
                    error: false,
                    key: self.org_key(i, org),
                    message: format!(
                        "{} ingår i beslutet {first} – {last}, men {} redan inskickade månader ligger utanför ({}); \
                         de räknas som de skickades in och rättas aldrig",
                        org.name(),
                        outside.len(),
                        crate::finding::month_ranges(&outside)
                    ),
                });
            }
        }
        let claimed: Decimal = claims.iter().map(|c| c.support).sum();
        if self.info.approved_support < claimed {
            issues.push(Issue {
                error: true,
                key: "project.approved_support".into(),
                message: crate::finding::Message::SupportBelowClaimed {
                    approved: self.info.approved_support,
                    claimed_before: claimed,
                }
                .text(),
            });
        }
        issues
    }
}
