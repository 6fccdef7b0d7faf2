//! Random project lives for the indicators: workbooks with participants and a reported value
//! dropped in random order, late, edited, removed, unattested then attested, claims submitted at
//! random points. Whatever happens, every indicator's period values over the claims add up to its
//! cumulative value, which is the single pass's over the final inbox: organisations and
//! participants' organisations counted once over the project, reported values summed
//! (`docs/rules.md`, "Indicators"). The money of the same kind of lives is `claim_life.rs`'s.

mod support;

use proptest::prelude::*;
use redovisa::ledger::Ledger;
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
    /// Write (or overwrite: an edit) an organisation's workbook for a month, with participants
    /// from the pool (a bit per organisation) and a reported indicator value.
    Put { org: usize, month: u32, version: u32, attested: bool, quarter_hours: u32, participants: u8, value: u32 },
    /// Remove a workbook if it is there.
    Remove { org: usize, month: u32, version: u32 },
    /// Submit the next claim, `months` long (at least one), perhaps holding corrections back.
    Submit { months: u32, hold: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..3usize, 0..MONTHS, 1..3u32, prop::bool::weighted(0.8), 1..200u32, any::<u8>(), 0..50u32).prop_map(
            |(org, month, version, attested, quarter_hours, participants, value)| Step::Put {
                org, month, version, attested, quarter_hours, participants, value
            }
        ),
        1 => (0..3usize, 0..MONTHS, 1..3u32).prop_map(|(org, month, version)| Step::Remove { org, month, version }),
        2 => (1..4u32, prop::bool::weighted(0.2)).prop_map(|(months, hold)| Step::Submit { months, hold }),
    ]
}

fn file(org: usize, m: u32, version: u32) -> String {
    format!("{}/{}-v{version}.xlsx", ORGS[org].folder, month(m))
}

/// The organisations whose people take part in events: a bit each in `Step::Put::participants`.
fn participant_pool() -> Vec<String> {
    ["556000001", "556000002", "556000003", "556000004", "556000005", "556000006", "556000007", "556000008"]
        .iter()
        .map(|nine| orgnr(nine))
        .collect()
}

const REPORTED: &str = "Värdet av digitala tjänster, produkter och processer som utvecklats för företag";

struct Content {
    quarter_hours: u32,
    participants: u8,
    value: u32,
}

fn workbook(org: usize, m: u32, version: u32, attested: bool, c: &Content) -> Vec<u8> {
    let p = person(org);
    let when = date(2024, 1 + m, 5);
    let hours = f64::from(c.quarter_hours) / 4.0;
    let gender = ["Kvinna", "Man", "Ej angivet"];
    let participants: Vec<Vec<Cell>> = participant_pool()
        .into_iter()
        .enumerate()
        .filter(|(bit, _)| c.participants & (1 << bit) != 0)
        .map(|(bit, nr)| vec![when.clone(), t("2.2"), t("Träff"), t(&nr), t("Företaget AB"), t(gender[bit % 3])])
        .collect();
    Book::new()
        .with(info_sheet(&ORGS[org], &month(m).to_string(), version, attested))
        .with(personal_sheet(std::slice::from_ref(&p)))
        .with(time_sheet(vec![time_row(&p.name, when, "1.1", n(hours))]))
        .with(table("Deltagare", "A1", &headers(redovisa::contract::Sheet::Deltagare), participants))
        .with(table(
            "Indikatorer",
            "A1",
            &headers(redovisa::contract::Sheet::Indikatorer),
            vec![vec![t(REPORTED), n(f64::from(c.value))]],
        ))
        .xlsx(Strings::Shared)
}

fn options(from: Month, to: Month, hold: bool) -> Options {
    Options { from: Some(from), to: Some(to), hold_corrections: hold, ..Options::claim(today()) }
}

fn live(project: &Project, steps: &[Step]) -> Result<(), TestCaseError> {
    let last = month(MONTHS - 1);
    // Each submitted claim's indicator period values, in the project's indicator order.
    let mut periods: Vec<Vec<Decimal>> = Vec::new();
    for s in steps {
        match *s {
            Step::Put { org, month: m, version, attested, quarter_hours, participants, value } => {
                let content = Content { quarter_hours, participants, value };
                put_in_inbox(project, &file(org, m, version), &workbook(org, m, version, attested, &content));
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
                let claim = pipeline::evaluate(project, &options(from, to, hold), &ledger).unwrap().figures;
                periods.push(claim.indicators.iter().map(|i| i.period).collect());
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
    prop_assert_eq!(now.indicators.len(), project.indicators.len());
    // The claims' period values add up to the cumulative value, which is the single pass's over
    // the final inbox.
    for (i, (ind, one)) in now.indicators.iter().zip(&once.indicators).enumerate() {
        let periods: Decimal = periods.iter().map(|p| p[i]).sum::<Decimal>() + ind.period;
        prop_assert_eq!(periods, ind.cumulative, "{}: period values against the cumulative value", &ind.name);
        prop_assert_eq!(ind.cumulative, one.cumulative, "{}: cumulative against one pass", &ind.name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: support::proptest_cases(48), ..ProptestConfig::default() })]

    #[test]
    fn indicator_period_values_add_up_to_the_cumulative_value(steps in prop::collection::vec(step(), 4..18)) {
        let (_dir, project) = inbox_project();
        live(&project, &steps)?;
    }
}
