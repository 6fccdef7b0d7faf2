//! Random project lives: workbooks dropped in random order, late, corrected, superseded,
//! removed, unattested then attested, claims submitted at random points (some holding their
//! corrections back). Whatever happens, the claims add up to one pass over the final inbox
//! (`docs/rules.md`, "Claims over the project's life"):
//!
//! - staff costs, other costs and hours of all submitted claims plus the current one equal, per
//!   organisation and to the öre, a single claim over the whole project on the final inbox;
//! - cumulative figures are exactly the sum of the claims (the flat rate included, which differs
//!   from the single pass only by the rounding of each claim's flat rate, at most an öre a line);
//! - no organisation-month is taken whole by two claims;
//! - the support of all claims together never passes the approved amount, nor goes below 0.

mod support;

use std::collections::BTreeMap;

use proptest::prelude::*;
use redovisa::ledger::{Ledger, LineKind};
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::Project;
use redovisa::reconcile::model::Figures;
use redovisa::submit;
use rust_decimal::Decimal;
use support::*;

const ORGS: [Org; 3] = [KRAMFORS, HARNOSAND, REGION];
const MONTHS: u32 = 6;

/// Each organisation's one person.
fn person(org: usize) -> Person {
    match org {
        0 => anna(),
        1 => Person { name: "Cecilia Carlsson".into(), pnr: t(&pnr("19850607", "234")), salary: n(38000.0), ..anna() },
        _ => Person {
            name: "Dan Dahl".into(),
            pnr: t(&pnr("19700101", "345")),
            salary: n(51250.5),
            start: date(2023, 6, 1),
            ..anna()
        },
    }
}

fn month(i: u32) -> Month {
    Month::new(2024, 1 + i).unwrap()
}

#[derive(Debug, Clone)]
enum Step {
    /// Write (or overwrite: an edit) an organisation's workbook for a month.
    Put { org: usize, month: u32, version: u32, attested: bool, quarter_hours: u32 },
    /// Remove a workbook if it is there.
    Remove { org: usize, month: u32, version: u32 },
    /// Submit the next claim, `months` long (at least one), perhaps holding corrections back.
    Submit { months: u32, hold: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..3usize, 0..MONTHS, 1..3u32, prop::bool::weighted(0.8), 1..200u32).prop_map(
            |(org, month, version, attested, quarter_hours)| Step::Put { org, month, version, attested, quarter_hours }
        ),
        1 => (0..3usize, 0..MONTHS, 1..3u32).prop_map(|(org, month, version)| Step::Remove { org, month, version }),
        2 => (1..4u32, prop::bool::weighted(0.2)).prop_map(|(months, hold)| Step::Submit { months, hold }),
    ]
}

fn file(org: usize, m: u32, version: u32) -> String {
    format!("{}/{}-v{version}.xlsx", ORGS[org].folder, month(m))
}

fn workbook(org: usize, m: u32, version: u32, attested: bool, quarter_hours: u32) -> Vec<u8> {
    let p = person(org);
    let when = date(2024, 1 + m, 5);
    let hours = f64::from(quarter_hours) / 4.0;
    Book::new()
        .with(info_sheet(&ORGS[org], &month(m).to_string(), version, attested))
        .with(personal_sheet(std::slice::from_ref(&p)))
        .with(time_sheet(vec![time_row(&p.name, when, "1.1", n(hours))]))
        .xlsx(Strings::Shared)
}

fn options(from: Month, to: Month, hold: bool) -> Options {
    Options { from: Some(from), to: Some(to), hold_corrections: hold, ..Options::claim(today()) }
}

/// Per organisation folder: (staff, flat rate, other, hours).
type Sums = BTreeMap<String, (Decimal, Decimal, Decimal, Decimal)>;

fn add_line(sums: &mut Sums, folder: &str, c: &redovisa::ledger::Content) {
    let e = sums.entry(folder.to_string()).or_default();
    e.0 += c.staff;
    e.1 += c.flat_rate;
    e.2 += c.other;
    e.3 += c.hours;
}

fn live(project: &Project, steps: &[Step]) -> Result<(), TestCaseError> {
    let last = month(MONTHS - 1);
    for s in steps {
        match *s {
            Step::Put { org, month: m, version, attested, quarter_hours } => {
                put_in_inbox(project, &file(org, m, version), &workbook(org, m, version, attested, quarter_hours));
            }
            Step::Remove { org, month: m, version } => {
                let _ = std::fs::remove_file(project.inbox().join(file(org, m, version)));
            }
            Step::Submit { months, hold } => {
                let ledger = Ledger::load(&project.dir).unwrap();
                let from = ledger.last().map_or(project.start_month(), |c| c.to.next());
                if from > last {
                    continue;
                }
                let to = (1..months).fold(from, |m, _| if m < last { m.next() } else { m });
                submit::submit(project, &options(from, to, hold), true).unwrap();
            }
        }
    }
    let ledger = Ledger::load(&project.dir).unwrap();
    let from = ledger.last().map_or(project.start_month(), |c| c.to.next());
    let to = from.max(last);
    let now: Figures = pipeline::evaluate(project, &options(from, to, false), &ledger).unwrap().figures;
    let once: Figures =
        pipeline::evaluate(project, &options(project.start_month(), to, false), &Ledger::default()).unwrap().figures;

    // The claims' lines, summed.
    let mut claimed = Sums::new();
    let mut taken_whole: BTreeMap<(String, Month), u32> = BTreeMap::new();
    let mut lines = 0u32;
    for claim in &ledger.claims {
        for l in claim.months.as_deref().unwrap_or_default() {
            add_line(&mut claimed, &l.folder, &l.content);
            lines += 1;
            if l.kind != LineKind::Correction {
                *taken_whole.entry((l.folder.clone(), l.month)).or_default() += 1;
            }
        }
    }
    for l in &now.lines {
        add_line(&mut claimed, &l.folder, &l.content);
        lines += 1;
        if l.kind != LineKind::Correction {
            *taken_whole.entry((l.folder.clone(), l.month)).or_default() += 1;
        }
    }
    for ((folder, m), n) in &taken_whole {
        prop_assert_eq!(*n, 1, "{} {} taken whole {} times", folder, m, n);
    }
    for (o, one) in now.orgs.iter().zip(&once.orgs) {
        let (staff, flat, other, hours) = claimed.get(&o.folder).copied().unwrap_or_default();
        // Cumulative is the sum of the claims, exactly.
        prop_assert_eq!(
            (o.cumulative.staff, o.cumulative.flat_rate, o.cumulative.other),
            (staff, flat, other),
            "{}",
            o.folder
        );
        prop_assert_eq!(o.hours_cumulative, hours, "{}", o.folder);
        // And equals one pass over the final inbox, the flat rate within its roundings.
        prop_assert_eq!((staff, other, hours), (one.period.staff, one.period.other, one.hours_period), "{}", o.folder);
        let off = (one.period.flat_rate - flat).abs();
        prop_assert!(
            off <= Decimal::new(i64::from(lines), 2),
            "{}: flat rate {} against {}",
            o.folder,
            flat,
            one.period.flat_rate
        );
    }
    let eligible: Decimal = ledger.claims.iter().map(|c| c.eligible).sum::<Decimal>() + now.totals.eligible;
    prop_assert_eq!(now.cumulative.eligible, eligible);
    let support: Decimal = ledger.claims.iter().map(|c| c.support).sum::<Decimal>() + now.totals.support;
    prop_assert_eq!(now.support.claimed_total, support);
    prop_assert!(support <= project.info.approved_support);
    prop_assert!(support >= Decimal::ZERO, "support over all claims {}", support);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn claims_add_up_to_one_pass_over_the_final_inbox(steps in prop::collection::vec(step(), 4..18)) {
        let (_dir, project) = inbox_project();
        live(&project, &steps)?;
    }
}

proptest! {
    /// Support across claims, positive and negative (corrections giving money back): after every
    /// claim the support of all claims lies between 0 and the approved amount, is the sum of each
    /// claim's share (eligible × rate rounded down) as long as that sum stays within those
    /// bounds, and never passes the rate on all eligible costs by more than an öre a claim.
    #[test]
    fn support_across_claims_is_the_capped_sum_of_the_claims_shares(
        steps in prop::collection::vec(-300_000i64..1_000_000, 1..12),
        approved in 0i64..2_000_000,
    ) {
        use redovisa::ledger::Claim;
        use redovisa::reconcile::figures::support;
        let rate = Decimal::new(3992, 4);
        let approved = Decimal::new(approved, 2) * Decimal::ONE_HUNDRED;
        let mut claims: Vec<Claim> = Vec::new();
        let (mut eligible_sum, mut shares) = (Decimal::ZERO, Decimal::ZERO);
        let mut within = true;
        for (i, cents) in steps.into_iter().enumerate() {
            // Cumulative eligible costs never go below zero: a correction gives back at most
            // what was claimed.
            let eligible = Decimal::new(cents, 2).max(-eligible_sum);
            let out = support(approved, &claims, rate, eligible);
            eligible_sum += eligible;
            shares += redovisa::money::floor2(eligible * rate);
            let total = out.figures.claimed_total;
            within &= shares >= Decimal::ZERO && shares <= approved;
            if within {
                prop_assert_eq!(total, shares, "after claim {}", i + 1);
            }
            prop_assert!(total <= approved && total >= Decimal::ZERO);
            let rule = redovisa::money::floor2(eligible_sum * rate).min(approved);
            prop_assert!(total <= rule + Decimal::new(i as i64 + 1, 2), "{} against {}", total, rule);
            prop_assert_eq!(out.figures.capped, out.claimed < out.uncapped);
            claims.push(Claim {
                seq: i as u32 + 1,
                from: month(0),
                to: month(0),
                support: out.claimed,
                eligible,
                support_uncapped: Some(out.uncapped),
                recorded_on: today(),
                workbooks: Vec::new(),
                months: Some(Vec::new()),
                held_corrections: false,
                decision: None,
                prev: String::new(),
            });
        }
    }
}
