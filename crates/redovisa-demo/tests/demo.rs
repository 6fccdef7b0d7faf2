//! The demo generator: determinism, every workbook read back without a finding, the pipeline's
//! figures against an independent computation from the generator's plan, budgets respected, and
//! the synthetic programme workload.
//!
//! The expected figures are computed here from [`demo::Plan`] alone, by the rules of
//! `docs/rules.md` written out again (exact hours, `round2` of salary and on-costs, `trunc2` of
//! the flat rate, the split over activities), never with the pipeline's own functions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use redovisa::finding::Severity;
use redovisa::ids::OrgNr;
use redovisa::ledger::Ledger;
use redovisa::month::Month;
use redovisa::pipeline::{self, Options};
use redovisa::project::{Org, Project};
use redovisa::read::{self, Gender, Limits, Reporting};
use redovisa::reconcile::model::Figures;
use redovisa_demo::plan::GenderForm;
use redovisa_demo::{self as demo, DemoOptions, FileStyle, Plan};
use rust_decimal::{Decimal, RoundingStrategy};

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn trunc2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn generate(to: &str, copies: u32) -> (tempfile::TempDir, Project, Plan) {
    let dir = tempfile::tempdir().unwrap();
    let opts = DemoOptions { to: m(to), copies, ..DemoOptions::default() };
    let written = demo::write(dir.path(), &opts).unwrap();
    let project = Project::load(dir.path()).unwrap();
    let plan = demo::plan(&project, &opts);
    assert_eq!(written, plan.workbook_count());
    (dir, project, plan)
}

fn evaluate(project: &Project, to: &str) -> Figures {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let opts = Options { to: Some(m(to)), ..Options::claim(today) };
    let ledger = Ledger::load(&project.dir).unwrap();
    pipeline::evaluate(project, &opts, &ledger).unwrap().figures
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let opts = DemoOptions { to: m("2024-04"), ..DemoOptions::default() };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    demo::write(a.path(), &opts).unwrap();
    demo::write(b.path(), &opts).unwrap();
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(fb[path] == *bytes, "{} differs between two runs", path.display());
    }
    // 11 organisations × 4 months, a corrected month, the lock file, the marker and the project.
    assert_eq!(fa.len(), 11 * 4 + 1 + 1 + 1 + 1);
    // Rerunning over its own output replaces the inbox with the same files.
    demo::write(a.path(), &opts).unwrap();
    assert_eq!(files(a.path()), fa);
    // Another seed draws other workbooks.
    let c = tempfile::tempdir().unwrap();
    demo::write(c.path(), &DemoOptions { seed: 7, ..opts }).unwrap();
    let fc = files(c.path());
    assert_eq!(fc[Path::new("project.toml")], fa[Path::new("project.toml")]);
    assert!(fa.iter().any(|(p, bytes)| fc.get(p).is_some_and(|other| other != bytes)));
}

#[test]
fn refuses_to_overwrite_what_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let opts = DemoOptions { to: m("2024-01"), ..DemoOptions::default() };
    std::fs::write(dir.path().join("project.toml"), "[project]\n").unwrap();
    let err = demo::write(dir.path(), &opts).unwrap_err().to_string();
    assert!(err.contains("finns redan"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("project.toml")).unwrap(), "[project]\n");

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("inkorg/kramfors")).unwrap();
    std::fs::write(dir.path().join("inkorg/kramfors/riktig.xlsx"), b"x").unwrap();
    let err = demo::write(dir.path(), &opts).unwrap_err().to_string();
    assert!(err.contains("inte kommer från redovisa demo"), "{err}");
    assert!(dir.path().join("inkorg/kramfors/riktig.xlsx").exists());
    assert!(!dir.path().join("project.toml").exists(), "nothing is written when the inbox is refused");
}

/// Reads every workbook of the inbox and checks it against its plan, cell meaning by meaning.
#[test]
fn every_workbook_reads_back_without_a_finding() {
    let (dir, _project, plan) = generate("2024-06", 1);
    let inbox = dir.path().join("inkorg");
    let mut seen_variants = BTreeSet::new();
    for org in &plan.orgs {
        for wb in &org.workbooks {
            let rel = format!("{}/{}", org.folder, wb.file_name);
            let bytes = std::fs::read(inbox.join(&rel)).unwrap();
            let out = read::read_workbook(&bytes, &rel, &Limits::default());
            assert!(out.findings.is_empty(), "{rel}: {:#?}", out.findings);
            let book = out.workbook.unwrap();
            assert_eq!(book.info.org_nr.as_ref(), Some(&org.org_nr), "{rel}");
            assert_eq!(book.info.month, Some(wb.month), "{rel}");
            assert_eq!(book.info.version, wb.version, "{rel}");
            assert_eq!(book.info.attested_by.as_deref(), Some(wb.attestation.by.as_str()), "{rel}");
            assert_eq!(book.info.attested_on, Some(wb.attestation.on), "{rel}");
            assert_eq!(book.staff.len(), wb.persons.len(), "{rel}");
            for (row, &i) in book.staff.iter().zip(&wb.persons) {
                let p = &org.staff[i];
                assert_eq!(row.name, p.name);
                assert_eq!(row.pnr, p.personnummer, "{rel} {}", p.name);
                assert_eq!(row.start, p.start);
                assert_eq!(row.end, p.end);
                assert_eq!(row.salary, p.salary, "{rel} {}", p.name);
                assert_eq!(row.reporting, p.reporting);
                assert_eq!(row.share, p.share, "{rel} {}", p.name);
                assert_eq!(row.employment, p.employment, "{rel} {}", p.name);
                assert_eq!(row.main_activity.as_deref(), Some(p.main_activity.as_str()), "{rel}");
            }
            assert_eq!(book.time.len(), wb.time.len(), "{rel}");
            for (row, t) in book.time.iter().zip(&wb.time) {
                assert_eq!(row.name, org.staff[t.person].name);
                assert_eq!(row.when, t.when, "{rel}");
                assert_eq!(row.activity, t.activity, "{rel}");
                assert_eq!(row.hours.value(), t.hours, "{rel} {:?}", t.cell);
                seen_variants.insert(format!("{:?}", t.cell));
            }
            assert_eq!(book.absence.len(), wb.absence.len(), "{rel}");
            for (row, a) in book.absence.iter().zip(&wb.absence) {
                assert_eq!((row.month, row.hours.value(), row.reason), (a.month, a.hours, a.reason));
            }
            assert_eq!(book.participants.len(), wb.participants.len(), "{rel}");
            for (row, p) in book.participants.iter().zip(&wb.participants) {
                assert_eq!(
                    (row.date, &row.org_nr, row.gender),
                    (p.date, &redovisa::ids::ParticipantOrg::Org(p.org_nr.clone()), p.gender),
                    "{rel}"
                );
                assert_eq!(row.activity, p.activity);
            }
            assert_eq!(book.indicators.len(), wb.indicators.len(), "{rel}");
            for (row, i) in book.indicators.iter().zip(&wb.indicators) {
                assert_eq!((row.name.as_str(), row.value), (i.indicator.as_str(), i.value));
            }
            assert_eq!(book.narratives.len(), wb.narratives.len(), "{rel}");
            for (row, n) in book.narratives.iter().zip(&wb.narratives) {
                assert_eq!((&row.activity, &row.done, &row.deviations), (&n.activity, &n.done, &n.deviations));
            }
            assert!(book.other_costs.is_empty());
        }
    }
    // The variants the contract tolerates all occur, so all of them have just been read back.
    for v in ["Number", "Duration", "Text"] {
        assert!(seen_variants.contains(v), "hours written as {v}");
    }
    let styles: Vec<&FileStyle> = plan.orgs.iter().map(|o| &o.style).collect();
    let all = |f: &dyn Fn(&FileStyle) -> String| styles.iter().map(|s| f(s)).collect::<BTreeSet<String>>();
    assert_eq!(all(&|s| format!("{:?}", s.personnummer)).len(), 5, "personnummer forms");
    assert_eq!(all(&|s| format!("{:?}", s.org_nr)).len(), 3, "organisationsnummer forms");
    assert_eq!(all(&|s| format!("{:?}", s.period)).len(), 3, "period forms");
    assert_eq!(all(&|s| format!("{:?}", s.share)).len(), 3, "share forms");
    assert_eq!(all(&|s| format!("{:?}", s.salary)).len(), 2, "salary forms");
    assert_eq!(all(&|s| format!("{:?}", s.dates)).len(), 2, "date forms");
    assert_eq!(all(&|s| format!("{:?}", s.sheet_names)).len(), 4, "sheet names");
    assert_eq!(all(&|s| format!("{:?}", s.activity)).len(), 3, "activity forms");
    for flag in [
        all(&|s| s.title_rows.to_string()),
        all(&|s| s.extra_column.to_string()),
        all(&|s| s.reorder_columns.to_string()),
        all(&|s| s.extra_sheet.to_string()),
        all(&|s| s.label_colons.to_string()),
        all(&|s| s.omit_version_one.to_string()),
        all(&|s| s.daily.to_string()),
    ] {
        assert_eq!(flag.len(), 2);
    }
    for form in [GenderForm::Words, GenderForm::Letters] {
        assert!(
            plan.orgs.iter().any(|o| o.style.gender == form && o.workbooks.iter().any(|w| !w.participants.is_empty())),
            "participants written as {form:?}"
        );
    }
    let superseded: Vec<_> = plan.orgs.iter().flat_map(|o| &o.workbooks).filter(|w| w.superseded).collect();
    assert_eq!(superseded.len(), 1);
    let lock: Vec<_> = plan.orgs.iter().filter_map(|o| o.lock_file.as_ref().map(|l| (o, l))).collect();
    assert_eq!(lock.len(), 1);
    let (org, l) = lock[0];
    let bytes = std::fs::read(inbox.join(&org.folder).join(&l.name)).unwrap();
    assert!(bytes.len() < 200 && l.name.starts_with("~$"));
}

/// Figures computed from the plan alone.
#[derive(Debug, Default)]
struct Expected {
    /// Per organisation folder: staff costs, flat rate, hours.
    orgs: BTreeMap<String, (Decimal, Decimal, Decimal)>,
    /// Per activity code: cumulative cost including flat rates.
    activities: BTreeMap<String, Decimal>,
    participant_orgs: BTreeSet<OrgNr>,
    genders: (u32, u32, u32),
    reported: BTreeMap<String, Decimal>,
    /// Hours per (folder, person, year) and per (folder, person, month) with the employment.
    year_hours: BTreeMap<(String, String, i32), (Decimal, Decimal)>,
    month_hours: BTreeMap<(String, String, Month), (Decimal, Decimal)>,
}

/// Whole 12-month periods from `start` to the first day of `month`.
fn index_steps(start: NaiveDate, month: Month) -> u32 {
    let first = month.first_day();
    let mut months = (first.year() - start.year()) * 12 + first.month() as i32 - start.month() as i32;
    if first.day() < start.day() {
        months -= 1;
    }
    (months.max(0) / 12) as u32
}

/// Splits `amount` by weights in plan order, the last taking the remainder.
fn split(amount: Decimal, weights: &[(String, Decimal)]) -> Vec<(String, Decimal)> {
    let whole: Decimal = weights.iter().map(|(_, w)| *w).sum();
    let mut given = Decimal::ZERO;
    weights
        .iter()
        .enumerate()
        .map(|(i, (c, w))| {
            let part = if i + 1 == weights.len() { amount - given } else { round2(amount * *w / whole) };
            given += part;
            (c.clone(), part)
        })
        .collect()
}

fn expected(project: &Project, plan: &Plan, to: Month) -> Expected {
    let order: Vec<String> = project.activities().map(|(_, a)| a.code.clone()).collect();
    let in_order = |m: &BTreeMap<String, Decimal>| -> Vec<(String, Decimal)> {
        order.iter().filter_map(|c| m.get(c).filter(|v| !v.is_zero()).map(|v| (c.clone(), *v))).collect()
    };
    let factor = Decimal::ONE + project.info.indexation / Decimal::ONE_HUNDRED;
    let per_year = Decimal::from(project.info.hours_per_year);
    let mut e = Expected::default();
    for org in &plan.orgs {
        let o: Org = project.org_by_folder(&org.folder).unwrap();
        // The seed project's rates hold for the whole project.
        let on_cost = o.on_costs().single().unwrap() / Decimal::ONE_HUNDRED;
        let flat = o.flat_rates().single().unwrap().rate / Decimal::ONE_HUNDRED;
        let (mut staff_total, mut hours_total) = (Decimal::ZERO, Decimal::ZERO);
        let mut by_activity: BTreeMap<String, Decimal> = BTreeMap::new();
        for wb in org.workbooks.iter().filter(|w| !w.superseded && w.month <= to) {
            for &i in &wb.persons {
                let p = &org.staff[i];
                let rows: Vec<_> = wb.time.iter().filter(|t| t.person == i).collect();
                // Hours as an exact fraction num / den.
                let (num, den) = match p.reporting {
                    Reporting::TimeReport => (rows.iter().map(|t| t.hours).sum::<Decimal>(), Decimal::ONE),
                    Reporting::FixedShare => {
                        let first = wb.month.first_day().max(p.start).max(project.info.start);
                        let last = wb.month.last_day().min(p.end.unwrap_or(NaiveDate::MAX)).min(project.info.end);
                        let days = if last < first { 0 } else { (last - first).num_days() + 1 };
                        let away: Decimal = wb.absence.iter().filter(|a| a.person == i).map(|a| a.hours).sum();
                        let den = Decimal::from(12 * wb.month.days());
                        let num = per_year * p.share.unwrap() * Decimal::from(days) - away * den;
                        (num.max(Decimal::ZERO), den)
                    }
                };
                if num.is_zero() {
                    continue;
                }
                let hours = num / den;
                let key = (org.folder.clone(), p.name.clone());
                let y = e.year_hours.entry((key.0.clone(), key.1.clone(), wb.month.year())).or_default();
                y.0 += hours;
                y.1 = p.employment;
                e.month_hours.insert((key.0, key.1, wb.month), (hours, p.employment));
                let k = index_steps(p.start, wb.month);
                let f = (0..k).fold(Decimal::ONE, |a, _| a * factor);
                let salary = round2(num * p.salary * Decimal::from(12) * f / (den * per_year));
                let cost = salary + round2(salary * on_cost);
                staff_total += cost;
                hours_total += hours;
                let mut weights: BTreeMap<String, Decimal> = BTreeMap::new();
                for t in &rows {
                    *weights.entry(t.activity.clone()).or_default() += t.hours;
                }
                if weights.values().all(|w| w.is_zero()) {
                    weights = BTreeMap::from([(p.main_activity.clone(), Decimal::ONE)]);
                }
                for (code, part) in split(cost, &in_order(&weights)) {
                    *by_activity.entry(code).or_default() += part;
                }
            }
            for p in &wb.participants {
                e.participant_orgs.insert(p.org_nr.clone());
                match p.gender {
                    Gender::Woman => e.genders.0 += 1,
                    Gender::Man => e.genders.1 += 1,
                    Gender::NotStated => e.genders.2 += 1,
                }
            }
            for i in &wb.indicators {
                *e.reported.entry(i.indicator.clone()).or_default() += i.value;
            }
        }
        let flat_total = trunc2(staff_total * flat);
        let flat_split = split(flat_total, &in_order(&by_activity));
        for (code, part) in by_activity.iter().map(|(c, v)| (c.clone(), *v)).chain(flat_split) {
            *e.activities.entry(code).or_default() += part;
        }
        e.orgs.insert(org.folder.clone(), (staff_total, flat_total, hours_total));
    }
    e
}

/// Prints the expected cumulative figures against the budgets (shown with `--nocapture`).
fn print_budget(project: &Project, e: &Expected, to: Month) {
    println!("\nUpparbetat t.o.m. {to} mot budget");
    for o in project.orgs() {
        let (staff, flat, hours) = e.orgs[o.folder()];
        let budget = match o {
            Org::Partner(p) => p.budget.total(),
            Org::Cofinancier(c) => c.in_kind_budget,
        };
        println!(
            "  {:<28} timmar {:>9}  personal {:>12}  schablon {:>12}  summa {:>12} / {:>10}  {:>5.1} %",
            o.name(),
            hours.round_dp(1),
            staff,
            flat,
            staff + flat,
            budget,
            ((staff + flat) / budget * Decimal::ONE_HUNDRED).round_dp(1)
        );
    }
    for (_, a) in project.activities() {
        let cum = e.activities.get(&a.code).copied().unwrap_or_default();
        println!(
            "  {:<5} {:<36} {:>12} / {:>10}  {:>5.1} %",
            a.code,
            a.name,
            cum,
            a.budget,
            (cum / a.budget * Decimal::ONE_HUNDRED).round_dp(1)
        );
    }
    println!("  deltagande organisationer {}, kvinnor/män/ej angivet {:?}", e.participant_orgs.len(), e.genders);
}

/// Prints who works where (shown with `--nocapture`).
fn print_staff(plan: &Plan) {
    println!("\nPersonal per organisation");
    for org in &plan.orgs {
        for p in &org.staff {
            let share = p.share.map_or_else(String::new, |s| format!("{} %", (s * Decimal::ONE_HUNDRED).normalize()));
            println!(
                "  {:<22} {:<22} {:>7} kr  {:<10} {:>6}  syss. {:>4} %  {} – {}  huvudakt. {}",
                org.folder,
                p.role,
                p.salary,
                p.reporting.swedish(),
                share,
                (p.employment * Decimal::ONE_HUNDRED).normalize(),
                p.start,
                p.end.map_or_else(String::new, |e| e.to_string()),
                p.main_activity
            );
        }
    }
}

/// No budget line is passed, no hour cap is passed, and the 1-krona activities get nothing.
fn assert_within_budget(project: &Project, e: &Expected, to: Month) {
    for o in project.orgs() {
        let (staff, flat, _) = e.orgs[o.folder()];
        match o {
            Org::Partner(p) => {
                assert!(staff <= p.budget.staff, "{} staff {staff} > {} at {to}", p.name, p.budget.staff);
                assert!(flat <= p.budget.flat_rate, "{} flat {flat} at {to}", p.name);
            }
            Org::Cofinancier(c) => assert!(staff <= c.in_kind_budget, "{} in kind {staff} at {to}", c.name),
        }
    }
    for (_, a) in project.activities() {
        let cum = e.activities.get(&a.code).copied().unwrap_or_default();
        assert!(cum <= a.budget, "activity {} {cum} > {} at {to}", a.code, a.budget);
    }
    for ((folder, name, year), (hours, employment)) in &e.year_hours {
        assert!(*hours <= Decimal::from(1720) * employment, "{folder} {name} {year}: {hours} h");
    }
    for ((folder, name, month), (hours, employment)) in &e.month_hours {
        let weekdays = month
            .first_day()
            .iter_days()
            .take(month.days() as usize)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        let limit = Decimal::from(weekdays as u32 * 8) * employment;
        assert!(*hours <= limit, "{folder} {name} {month}: {hours} h > {limit}");
    }
}

/// The whole claim from the project's start to October 2026 through the pipeline: no errors, no
/// warnings, and every figure as the plan says.
#[test]
fn claim_through_october_2026_matches_the_plan() {
    let (_dir, project, plan) = generate("2026-10", 1);
    let figures = evaluate(&project, "2026-10");
    let errors: Vec<_> = figures.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The whole project so far is no claim of the reporting plan: that warning is expected.
    let warnings: Vec<_> = figures
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && f.code != redovisa::finding::Code::PeriodNotInPlan)
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");

    let to = m("2026-10");
    let e = expected(&project, &plan, to);
    print_budget(&project, &e, to);
    assert_within_budget(&project, &e, to);
    for o in &figures.orgs {
        let (staff, flat, hours) = e.orgs[&o.folder];
        assert_eq!(o.cumulative.staff, staff, "{} staff", o.folder);
        assert_eq!(o.cumulative.flat_rate, flat, "{} flat rate", o.folder);
        assert_eq!(o.cumulative.other, Decimal::ZERO);
        assert_eq!(round2(o.hours_cumulative), round2(hours), "{} hours", o.folder);
        assert_eq!(o.months_reported.len(), 34, "{}", o.folder);
    }
    for a in &figures.activities {
        assert_eq!(a.cumulative, e.activities.get(&a.code).copied().unwrap_or_default(), "activity {}", a.code);
    }
    let in_kind: Decimal = figures.orgs.iter().filter(|o| o.in_kind).map(|o| o.cumulative.total()).sum();
    assert_eq!(figures.cumulative.in_kind, in_kind);
    for ind in &figures.indicators {
        match ind.name.as_str() {
            "Användare av implementerade stödstrukturer" => {
                assert_eq!(ind.cumulative, Decimal::from(e.participant_orgs.len() as u64));
                let g = ind.gender.as_ref().unwrap();
                assert_eq!((g.women, g.men, g.not_stated), e.genders);
                assert!((380..=450).contains(&e.participant_orgs.len()), "{}", e.participant_orgs.len());
            }
            "Organisationer som får stöd" => assert_eq!(ind.cumulative, Decimal::from(11)),
            name => {
                let code = project.indicators.iter().find(|i| i.name == name).map(|i| i.code.clone()).unwrap();
                let sum = e.reported.get(name).copied().unwrap_or_default()
                    + e.reported.get(&code).copied().unwrap_or_default();
                assert_eq!(ind.cumulative, sum, "{name}");
            }
        }
    }
    let statuses: BTreeMap<String, usize> = figures.files.iter().fold(BTreeMap::new(), |mut acc, f| {
        *acc.entry(f.status.to_string()).or_default() += 1;
        acc
    });
    assert_eq!(statuses.get("used"), Some(&(11 * 34)));
    assert_eq!(statuses.get("superseded"), Some(&1));
    // The lock file and the inbox marker.
    assert_eq!(statuses.get("ignored"), Some(&2));
}

/// The plan to the project's end stays within every budget and lands at 85–97 % of the partners'.
#[test]
fn plan_to_the_project_end_stays_within_budget() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/hallbar-samhallsomstallning");
    let project = Project::load(&dir).unwrap();
    let to = project.end_month();
    let plan = demo::plan(&project, &DemoOptions { to, ..DemoOptions::default() });
    let e = expected(&project, &plan, to);
    print_staff(&plan);
    print_budget(&project, &e, to);
    assert_within_budget(&project, &e, to);
    for o in project.orgs() {
        let (staff, flat, _) = e.orgs[o.folder()];
        let budget = match o {
            Org::Partner(p) => p.budget.total(),
            Org::Cofinancier(c) => c.in_kind_budget,
        };
        let used = (staff + flat) / budget;
        assert!(used >= Decimal::new(85, 2) && used <= Decimal::new(97, 2), "{}: {used}", o.name());
    }
    assert!((440..=460).contains(&e.participant_orgs.len()), "{}", e.participant_orgs.len());
    // Other seeds give other people but stay within budget too.
    for seed in 1..=6 {
        let plan = demo::plan(&project, &DemoOptions { to, seed, ..DemoOptions::default() });
        assert_within_budget(&project, &expected(&project, &plan, to), to);
    }
}

/// `--copies 2`: a programme project that validates, loads and runs without errors.
#[test]
fn programme_of_two_copies_runs_without_errors() {
    let (dir, project, plan) = generate("2024-03", 2);
    assert_eq!(project.partners.len(), 14);
    assert_eq!(project.cofinanciers.len(), 8);
    let folders: BTreeSet<&str> = plan.orgs.iter().map(|o| o.folder.as_str()).collect();
    assert!(folders.contains("kramfors-02") && folders.contains("bizmaker-01"));
    assert_eq!(plan.workbook_count(), 22 * 3);
    let figures = evaluate(&project, "2024-03");
    let errors: Vec<_> = figures.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let e = expected(&project, &plan, m("2024-03"));
    for o in &figures.orgs {
        assert_eq!(o.cumulative.staff, e.orgs[&o.folder].0, "{}", o.folder);
    }
    let text = std::fs::read_to_string(dir.path().join("project.toml")).unwrap();
    assert!(text.contains("Syntetisk programlast"));
    let numbers: BTreeSet<String> = project.orgs().map(|o| o.org_nr().to_string()).collect();
    assert_eq!(numbers.len(), 22);
}

/// Organisations the seed does not know get one processledare sized from their own budget.
#[test]
fn unknown_organisations_get_a_generic_post_within_budget() {
    let text = demo::SEED_PROJECT
        .replace("folder = \"ange\"", "folder = \"ange-kommun\"")
        .replace("folder = \"bizmaker\"", "folder = \"foretagsnatverket\"");
    let project = Project::parse(Path::new("."), &text).unwrap();
    let to = project.end_month();
    let plan = demo::plan(&project, &DemoOptions { to, ..DemoOptions::default() });
    for folder in ["ange-kommun", "foretagsnatverket"] {
        let org = plan.orgs.iter().find(|o| o.folder == folder).unwrap();
        assert_eq!(org.template, "generic");
        assert_eq!(org.staff.len(), 1);
        assert!(org.workbooks.iter().any(|w| !w.time.is_empty()), "{folder} reports time");
    }
    let e = expected(&project, &plan, to);
    assert_within_budget(&project, &e, to);
    let (staff, flat, _) = e.orgs["ange-kommun"];
    let used = (staff + flat) / project.partners.iter().find(|p| p.folder == "ange-kommun").unwrap().budget.total();
    assert!(used > Decimal::new(70, 2), "{used}");
}
