//! The partners' narratives condensed for the final report: a report of the project, not a
//! transcript of its months (`docs/outputs.md`, "The final report").
//!
//! Lines that are identical or near-identical — the same words in the same order, give or take a
//! place, a theme or a number — become one line: the latest wording, with who wrote it and the
//! months. What was done and what was seen are condensed per activity; deviations over the whole
//! project, each with the activity it concerned (the same setback is seldom one activity's
//! alone). Lines are ordered by their latest month, the last word first, and each organisation is
//! named in at most [`LINES_PER_ORG`] lines of an activity's field; older lines beyond that are
//! counted, not shown (they stand in the progress reports).

use std::collections::BTreeMap;

use super::model::{ActivityDigest, DigestLine, Narrative, NarrativeDigest};
use crate::month::Month;

/// Lines naming one organisation per activity and field, at most.
pub const LINES_PER_ORG: usize = 3;

/// Two lines are near-identical when their longest common run of words, in order, covers at
/// least this share of their words together (`2 × common ÷ (words₁ + words₂)`), as numerator
/// and denominator.
const NEAR: (usize, usize) = (3, 4);

/// One narrative line: who wrote it (`who` orders and caps, `label` names), when, and what.
struct Entry<'a> {
    month: Month,
    who: (usize, usize),
    label: String,
    text: &'a str,
}

/// The narratives condensed, activities in the order the narratives come (the plan's). `orgs`
/// are the organisations' folders in project order.
pub fn digest(narratives: &[Narrative], orgs: &[String]) -> NarrativeDigest {
    let mut activities: Vec<&str> = Vec::new();
    for n in narratives {
        if !activities.contains(&n.activity.as_str()) {
            activities.push(&n.activity);
        }
    }
    let org = |folder: &str| orgs.iter().position(|f| f == folder).unwrap_or(usize::MAX);
    let condensed = activities
        .iter()
        .map(|activity| {
            let mine: Vec<&Narrative> = narratives.iter().filter(|n| n.activity == *activity).collect();
            let entries = |field: fn(&Narrative) -> &str| -> Vec<Entry> {
                mine.iter()
                    .map(|n| Entry {
                        month: n.month,
                        who: (org(&n.folder), 0),
                        label: n.org_name.clone(),
                        text: field(n).trim(),
                    })
                    .filter(|e| !e.text.is_empty())
                    .collect()
            };
            let (done, a) = condense(entries(|n| &n.done));
            let (results, b) = condense(entries(|n| &n.results));
            ActivityDigest { activity: activity.to_string(), done, results, left_out: a + b }
        })
        .collect();
    let deviations: Vec<Entry> = narratives
        .iter()
        .map(|n| Entry {
            month: n.month,
            who: (org(&n.folder), activities.iter().position(|a| *a == n.activity).unwrap_or(usize::MAX)),
            label: format!("{} (aktivitet {})", n.org_name, n.activity),
            text: n.deviations.trim(),
        })
        .filter(|e| !e.text.is_empty())
        .collect();
    let (deviations, deviations_left_out) = condense(deviations);
    NarrativeDigest { activities: condensed, deviations, deviations_left_out }
}

/// A group of near-identical lines.
struct Cluster<'a> {
    words: Vec<String>,
    members: Vec<&'a Entry<'a>>,
}

/// One field's lines condensed, and how many older lines the cap left out.
fn condense(mut entries: Vec<Entry>) -> (Vec<DigestLine>, u32) {
    // The latest first; within a month, in project order.
    entries.sort_by(|a, b| b.month.cmp(&a.month).then(a.who.cmp(&b.who)));
    let mut clusters: Vec<Cluster> = Vec::new();
    for e in &entries {
        let words = words(e.text);
        match clusters.iter_mut().find(|c| near(&c.words, &words, e.text, c.members[0].text)) {
            Some(c) => c.members.push(e),
            None => clusters.push(Cluster { words, members: vec![e] }),
        }
    }
    let mut named: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut left_out = 0;
    let mut lines = Vec::new();
    for c in clusters {
        let mut by_who: BTreeMap<(usize, usize), (&str, Vec<Month>)> = BTreeMap::new();
        for m in &c.members {
            by_who.entry(m.who).or_insert_with(|| (m.label.as_str(), Vec::new())).1.push(m.month);
        }
        let mut sources = Vec::new();
        for (who, (label, mut months)) in by_who {
            let n = named.entry(who).or_default();
            if *n < LINES_PER_ORG {
                *n += 1;
                months.sort();
                months.dedup();
                sources.push((who, label.to_string(), months));
            } else {
                left_out += months.len() as u32;
            }
        }
        // The wording of the latest line whose writer is named.
        let Some(shown) = c.members.iter().find(|m| sources.iter().any(|(who, _, _)| *who == m.who)) else { continue };
        lines.push(DigestLine {
            text: shown.text.to_string(),
            latest: shown.month,
            sources: sources.into_iter().map(|(_, label, months)| (label, months)).collect(),
        });
    }
    (lines, left_out)
}

/// The words of a line, lower case, without punctuation.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether two lines are near-identical (see [`NEAR`]); lines without words only when equal.
fn near(a: &[String], b: &[String], text_a: &str, text_b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return text_a == text_b;
    }
    let common = common_run(a, b);
    NEAR.1 * 2 * common >= NEAR.0 * (a.len() + b.len())
}

/// The length of the longest common subsequence of two word lists.
fn common_run(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { row[j + 1].max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn n(month: &str, folder: &str, activity: &str, done: &str) -> Narrative {
        Narrative {
            month: m(month),
            folder: folder.into(),
            org_name: format!("{folder} kommun"),
            activity: activity.into(),
            done: done.into(),
            results: String::new(),
            deviations: String::new(),
        }
    }

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn near_identical_lines_differ_by_a_filled_in_word_or_number() {
        let a = "Inventerat klimatanpassning i Ånge som underlag till strukturbildskartan.";
        let b = "Inventerat elnät och laddinfrastruktur i Ånge som underlag till strukturbildskartan.";
        // 7 words in common of 8 + 10: 14/18 ≥ 3/4.
        assert_eq!(common_run(&w(a), &w(b)), 7);
        assert!(near(&w(a), &w(b), a, b));
        let c = "Tagit fram kartskikt för klimatanpassning tillsammans med GIS-samordnaren.";
        assert!(!near(&w(a), &w(c), a, c));
        // 7 of 8 + 8 words (the number differs): 14/16.
        let d = "Enskilda möten med 5 företag om deras behov kring energiförsörjning.";
        let e = "Enskilda möten med 9 företag om deras behov kring energiförsörjning.";
        assert!(near(&w(d), &w(e), d, e));
        // Two short, different sentences stay apart: no word in common.
        let f = "Projektet följer tidplanen och budgeten.";
        let g = "Parterna har lämnat sina underlag i tid.";
        assert!(!near(&w(f), &w(g), f, g));
        assert!(near(&[], &[], "–", "–") && !near(&[], &[], "–", "—"));
    }

    #[test]
    fn repeated_lines_become_one_with_their_months_the_latest_first() {
        let text = "Styrgruppsmöte; budget, tidplan och indikatorer följdes upp.";
        let mut all: Vec<Narrative> =
            ["2024-01", "2024-02", "2024-03"].iter().map(|mo| n(mo, "ange", "4.1", text)).collect();
        all.push(n("2024-02", "timra", "4.1", text));
        all.push(n("2024-04", "ange", "4.1", "Planerat och påbörjat slututvärderingen."));
        let d = digest(&all, &["timra".to_string(), "ange".to_string()]).activities;
        assert_eq!(d.len(), 1);
        let lines = &d[0].done;
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "Planerat och påbörjat slututvärderingen.");
        assert_eq!(lines[1].text, text);
        // Project order: Timrå before Ånge; Ånge's three months in one line.
        assert_eq!(lines[1].sources[0], ("timra kommun".to_string(), vec![m("2024-02")]));
        assert_eq!(lines[1].sources[1], ("ange kommun".to_string(), vec![m("2024-01"), m("2024-02"), m("2024-03")]));
        assert_eq!(d[0].left_out, 0);
    }

    #[test]
    fn an_organisation_gets_a_few_lines_per_activity_and_the_rest_is_counted() {
        let texts =
            ["Alfa beta gamma.", "Delta epsilon zeta.", "Eta theta iota.", "Kappa lambda my.", "Ny xi omikron."];
        let all: Vec<Narrative> =
            texts.iter().enumerate().map(|(i, t)| n(&format!("2024-0{}", i + 1), "ange", "1.1", t)).collect();
        let d = digest(&all, &["ange".to_string()]).activities;
        let lines = &d[0].done;
        assert_eq!(lines.len(), LINES_PER_ORG);
        assert_eq!(lines[0].text, "Ny xi omikron.", "the last word first");
        assert_eq!(d[0].left_out, 2);
    }

    #[test]
    fn deviations_are_condensed_over_the_project_with_their_activities() {
        let late = "Kartunderlaget från GIS-enheten blev försenat; tidplanen påverkas inte.";
        let mut a = n("2024-03", "ange", "1.1", "Gjort.");
        a.deviations = late.into();
        let mut b = n("2024-05", "timra", "2.2", "Gjort.");
        b.deviations = late.into();
        let d = digest(&[a, b], &["timra".to_string(), "ange".to_string()]);
        assert_eq!(d.deviations.len(), 1);
        assert_eq!(
            d.deviations[0].sources,
            vec![
                ("timra kommun (aktivitet 2.2)".to_string(), vec![m("2024-05")]),
                ("ange kommun (aktivitet 1.1)".to_string(), vec![m("2024-03")])
            ]
        );
        assert!(d.activities.iter().all(|x| x.done.len() == 1 && x.results.is_empty()));
    }
}
