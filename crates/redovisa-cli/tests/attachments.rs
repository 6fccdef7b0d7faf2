//! Issue 27 through the binary: the claim's attachments (`bilagor/`) on the demo project.
//!
//! One project is made per test binary: the demo inbox to 2026-08, changed here and there with
//! the demo crate's renderer (another writer than the reader), and the plan's claims 1–7
//! submitted. Then, for claim 8 (2026-05 – 2026-08):
//!
//! - a **late month**: Ånge's 2026-02 workbook is held back until claim 7 is submitted;
//! - a **correction**: 2,5 hours are added to a time row of Timrå's 2026-03, claimed in claim 7;
//! - a **capped month**: Sollefteå's processledare works at 50 % Sysselsättningsgrad through 2026
//!   (cap 1 720 × 50 % = 860 hours), while reporting close to full time: the cap bites in summer;
//! - a **new fixed-share person** at Härnösand from 2026-06 (Andel 50 %), a **new time reporter**
//!   at Kramfors from 2026-07, and Kramfors' processledare's Andel **changed** from 75 % to 60 %
//!   from 2026-07.
//!
//! Both sides are read back independently with calamine (the claim workbook's `Personal` sheet
//! and the time reports) and by unzipping the certificates, never through the crate's model.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

#[path = "../../../tests/support/mod.rs"]
mod support;

use assert_cmd::cargo::CommandCargoExt;
use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use redovisa::ids::{Personnummer, luhn_digit};
use redovisa::month::Month;
use redovisa::project::Project;
use redovisa::read::{Reporting, When};
use redovisa_demo::plan::{AbsenceEntry, HoursCell, OrgPlan, Person, TimeEntry};
use redovisa_demo::{self as demo, DemoOptions};
use rust_decimal::Decimal;
use rust_decimal::dec;

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Runs the binary; asserts the exit status is one of `ok`.
fn redovisa(args: &[&str], ok: &[i32]) {
    let out = Command::cargo_bin("redovisa").unwrap().args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| ok.contains(&c)),
        "redovisa {args:?}: {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A valid personnummer born 1990-04-17, serial `n`.
fn pnr(n: u32) -> Personnummer {
    let nine = format!("900417{:03}", 300 + n);
    Personnummer::parse(&format!("{nine}{}", luhn_digit(&nine)), d("2026-01-01")).unwrap()
}

fn new_person(name: &str, n: u32, role: &str, reporting: Reporting, share: Option<Decimal>, start: &str) -> Person {
    let p = pnr(n);
    Person {
        name: name.into(),
        personnummer_written: p.as_str().to_string(),
        personnummer: p,
        role: role.into(),
        start: d(start),
        end: None,
        salary: dec!(48400),
        reporting,
        share,
        employment: Decimal::ONE,
        main_activity: "1.1".into(),
    }
}

/// The project after the changes, and where claim 8 and a re-run of claim 1 were written.
struct World {
    dir: PathBuf,
    claim8: PathBuf,
    claim1: PathBuf,
    /// Every organisation's staff as the changed inbox has them (the plan, with the additions).
    orgs: Vec<OrgPlan>,
}

/// The demo's counting workbook of `folder` for `month`, as plan and file.
fn counting(orgs: &[OrgPlan], folder: &str, month: &str) -> (usize, usize) {
    let o = orgs.iter().position(|o| o.folder == folder).unwrap();
    let w = orgs[o].workbooks.iter().position(|w| w.month == m(month) && !w.superseded).unwrap();
    (o, w)
}

fn write(dir: &Path, project: &Project, org: &OrgPlan, w: usize) {
    let wb = &org.workbooks[w];
    let bytes = demo::render::workbook(org, wb, &project.info.name).unwrap();
    std::fs::write(dir.join("inkorg").join(&org.folder).join(&wb.file_name), bytes).unwrap();
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        // Shared by every test of this binary for its whole run, so it outlives any guard: one
        // fixed folder under the target's scratch space, emptied first, never one per run in /tmp.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("attachments-world");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        let opts = DemoOptions { to: m("2026-08"), ..DemoOptions::default() };
        demo::write(&dir, &opts).unwrap();
        let project = Project::load(&dir).unwrap();
        let mut orgs = demo::plan(&project, &opts).orgs;
        let months_2026 = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"];

        // Sollefteå's processledare at 50 % through 2026: the year's cap is 860 hours.
        let (so, _) = counting(&orgs, "solleftea", "2026-01");
        let lead = lead_of(&orgs[so]);
        let mut half = orgs[so].clone();
        half.staff[lead].employment = dec!(0.5);
        for month in months_2026 {
            let (_, w) = counting(&orgs, "solleftea", month);
            write(&dir, &project, &half, w);
        }

        // Härnösand: a new fixed-share person from 2026-06, Andel 50 %.
        let (ha, _) = counting(&orgs, "harnosand", "2026-06");
        orgs[ha].staff.push(new_person(
            "Nora Fastberg",
            1,
            "Utvecklingsledare",
            Reporting::FixedShare,
            Some(dec!(0.5)),
            "2026-06-01",
        ));
        let nora = orgs[ha].staff.len() - 1;
        for month in ["2026-06", "2026-07", "2026-08"] {
            let (_, w) = counting(&orgs, "harnosand", month);
            orgs[ha].workbooks[w].persons.push(nora);
            write(&dir, &project, &orgs[ha], w);
        }

        // Kramfors: a new time reporter from 2026-07, and the processledare's Andel 75 % → 60 %.
        let (kr, _) = counting(&orgs, "kramfors", "2026-07");
        orgs[kr].staff.push(new_person(
            "Tim Timmersson",
            2,
            "Planeringsarkitekt",
            Reporting::TimeReport,
            None,
            "2026-07-01",
        ));
        let tim = orgs[kr].staff.len() - 1;
        let lead = orgs[kr].staff.iter().position(|p| p.reporting == Reporting::FixedShare).unwrap();
        let mut changed = orgs[kr].clone();
        changed.staff[lead].share = Some(dec!(0.6));
        for (month, days) in [("2026-07", ["2026-07-06", "2026-07-07"]), ("2026-08", ["2026-08-17", "2026-08-18"])] {
            let (_, w) = counting(&orgs, "kramfors", month);
            let cell = orgs[kr].workbooks[w].time.first().map_or(HoursCell::Number, |t| t.cell);
            let wb = &mut orgs[kr].workbooks[w];
            wb.persons.push(tim);
            for (day, hours) in days.iter().zip([dec!(7.5), dec!(6.25)]) {
                wb.time.push(TimeEntry {
                    person: tim,
                    when: When::Day(d(day)),
                    activity: "1.2".into(),
                    hours,
                    cell,
                    comment: "Detaljplanesamråd".into(),
                });
            }
            changed.workbooks[w] = orgs[kr].workbooks[w].clone();
            write(&dir, &project, &changed, w);
        }

        // Sundsvall writes 16 hours of VAB in 2026-06 for its time reporter (a warning: absence
        // changes nothing for someone who reports time); the time report shows it with its reason.
        let (su, w) = counting(&orgs, "sundsvall", "2026-06");
        let reporter = orgs[su].staff.iter().position(|p| p.reporting == Reporting::TimeReport).unwrap();
        orgs[su].workbooks[w].absence.push(AbsenceEntry {
            person: reporter,
            month: m("2026-06"),
            hours: dec!(16),
            reason: "VAB",
        });
        write(&dir, &project, &orgs[su], w);

        // Claims 1–7, without Ånge's 2026-02.
        let (an, an_feb) = counting(&orgs, "ange", "2026-02");
        let feb = dir.join("inkorg/ange").join(&orgs[an].workbooks[an_feb].file_name);
        let feb_bytes = std::fs::read(&feb).unwrap();
        std::fs::remove_file(&feb).unwrap();
        let d_ = dir.to_str().unwrap();
        let life = demo::life(&project, m("2026-08"), None).unwrap();
        for (planned, day) in &life.submitted {
            let (from, to, day) = (planned.from.to_string(), planned.to.to_string(), day.to_string());
            redovisa(&["submit", d_, "--from", &from, "--to", &to, "--today", &day], &[0]);
        }

        // Ånge's February comes late; Timrå adds 2,5 hours to a time reporter's row of 2026-03.
        std::fs::write(&feb, feb_bytes).unwrap();
        let (ti, w) = counting(&orgs, "timra", "2026-03");
        let row = orgs[ti].workbooks[w]
            .time
            .iter()
            .position(|t| orgs[ti].staff[t.person].reporting == Reporting::TimeReport)
            .unwrap();
        orgs[ti].workbooks[w].time[row].hours += dec!(2.5);
        write(&dir, &project, &orgs[ti], w);

        let claim8 = dir.join("utdata/ansokan-8");
        let today = life.today.to_string();
        let out8 = claim8.to_str().unwrap();
        // The cap's findings are errors: exit 1, the outputs written.
        redovisa(&["run", d_, "--from", "2026-05", "--to", "2026-08", "--today", &today, "--out", out8], &[1]);
        let claim1 = dir.join("utdata/ansokan-1");
        let out1 = claim1.to_str().unwrap();
        redovisa(&["run", d_, "--from", "2024-01", "--to", "2024-04", "--today", &today, "--out", out1], &[0]);
        World { dir, claim8, claim1, orgs }
    })
}

fn lead_of(org: &OrgPlan) -> usize {
    org.staff.iter().position(|p| p.reporting == Reporting::TimeReport && p.role == "Processledare").unwrap()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{other:?} is not a number"),
    }
}

/// Hours to the minute.
fn minutes(h: f64) -> i64 {
    (h * 60.0).round() as i64
}

/// A `yyyy-mm` date cell as its month.
fn month_cell(cell: &Data) -> Month {
    match cell {
        Data::DateTime(dt) => Month::of(d("1899-12-30") + chrono::Days::new(dt.as_f64() as u64)),
        other => panic!("{other:?} is not a date"),
    }
}

fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let rows = book.worksheet_range(&n).unwrap().rows().map(<[Data]>::to_vec).collect();
            (n, rows)
        })
        .collect()
}

/// What a line of the claim concerns, as `Avser` says it: `Perioden`, `Sen månad 2026-02`,
/// `Rättelse 2026-03`.
type Concern = String;

/// The claim workbook's `Personal` sheet: (organisation, name, concern, first month, last month,
/// hours, registration).
struct PersonalLine {
    org: String,
    name: String,
    concern: Concern,
    from: Month,
    to: Month,
    hours: f64,
    registration: String,
}

fn personal(out: &Path, period: &str) -> Vec<PersonalLine> {
    let (_, rows) =
        sheets(&out.join(format!("ansokan-{period}.xlsx"))).into_iter().find(|(n, _)| n == "Personal").unwrap();
    let header: Vec<String> = rows[0].iter().map(text).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}"));
    let (org, name, reg, avser, hours, from, to) = (
        col("Projektpart"),
        col("Namn"),
        col("Min ansökan"),
        col("Avser"),
        col("Timmar"),
        col("Från månad"),
        col("Till månad"),
    );
    rows[1..]
        .iter()
        .filter(|r| !matches!(r[from], Data::Empty) && text(&r[org]) != "Summa")
        .map(|r| PersonalLine {
            org: text(&r[org]),
            name: text(&r[name]),
            concern: text(&r[avser]),
            from: month_cell(&r[from]),
            to: month_cell(&r[to]),
            hours: number(&r[hours]),
            registration: text(&r[reg]),
        })
        .collect()
}

/// A time report sheet read back: the person's name and, per month block, (month, concern,
/// rows' sum, capped, hours in the claim).
#[derive(Debug)]
struct Block {
    month: Month,
    concern: Concern,
    reported: f64,
    capped: f64,
    claimed: f64,
    rows: f64,
    /// The absence rows: (hours, reason).
    absences: Vec<(f64, String)>,
}

fn time_report(rows: &[Vec<Data>]) -> (String, Vec<Block>) {
    let cell = |r: &Vec<Data>, c: usize| r.get(c).map(text).unwrap_or_default();
    let name = rows.iter().find(|r| cell(r, 0) == "Namn").map(|r| cell(r, 1)).unwrap();
    let mut blocks: Vec<Block> = Vec::new();
    for r in rows {
        let a = cell(r, 0);
        if let Some((head, what)) = a.split_once(") – ") {
            let month = m(&head[head.len() - 7..]);
            let concern = if what == "perioden" {
                "Perioden".to_string()
            } else if what.starts_with("sen månad") {
                format!("Sen månad {month}")
            } else {
                assert!(what.starts_with("rättelse"), "{a}");
                format!("Rättelse {month}")
            };
            blocks.push(Block {
                month,
                concern,
                reported: 0.0,
                capped: 0.0,
                claimed: f64::NAN,
                rows: 0.0,
                absences: Vec::new(),
            });
            continue;
        }
        let Some(b) = blocks.last_mut() else { continue };
        match (&r[0], a.as_str()) {
            (Data::DateTime(_), _) => b.rows += number(&r[1]),
            (_, "Summa tidrader") => b.reported = number(&r[1]),
            (_, "I ansökan") => b.claimed = number(&r[1]),
            (_, l) if l.starts_with("Årstaket") => b.capped = -number(&r[1]),
            (_, "Frånvaro") => b.absences.push((number(&r[1]), cell(r, 2))),
            _ => {}
        }
    }
    (name, blocks)
}

/// Every time report of a claim: (organisation name, person) → blocks.
fn time_reports(out: &Path) -> BTreeMap<(String, String), Vec<Block>> {
    let mut all = BTreeMap::new();
    for e in std::fs::read_dir(out.join("bilagor")).unwrap() {
        let path = e.unwrap().path();
        if !path.file_name().unwrap().to_string_lossy().starts_with("tidredovisning-") {
            continue;
        }
        for (_, rows) in sheets(&path) {
            let employer = rows.iter().find(|r| text(&r[0]) == "Arbetsgivare").map(|r| text(&r[1])).unwrap();
            let org = employer.split(" (").next().unwrap().to_string();
            let (name, blocks) = time_report(&rows);
            assert!(all.insert((org, name), blocks).is_none(), "one sheet per person");
        }
    }
    all
}

/// Whether a person reports time, by the changed inbox.
fn hourly(w: &World, org: &str, name: &str) -> bool {
    w.orgs
        .iter()
        .filter(|o| o.name == org)
        .flat_map(|o| &o.staff)
        .any(|p| p.name == name && p.reporting == Reporting::TimeReport)
}

#[test]
fn time_reports_sum_to_the_hours_the_claim_counts_for_every_hourly_person() {
    let w = world();
    let lines = personal(&w.claim8, "2026-05_2026-08");
    let reports = time_reports(&w.claim8);
    // Every hourly partner person of the Personal sheet has a sheet, and its months in a line's
    // span and concern add up to the line's hours, to the minute.
    let mut seen = (false, false, false);
    let mut hourly_lines: BTreeMap<(String, String, Concern), (f64, f64)> = BTreeMap::new();
    for l in lines.iter().filter(|l| hourly(w, &l.org, &l.name)) {
        let blocks = reports
            .get(&(l.org.clone(), l.name.clone()))
            .unwrap_or_else(|| panic!("no sheet for {} {}", l.org, l.name));
        let in_line: f64 = blocks
            .iter()
            .filter(|b| b.concern == l.concern && l.from <= b.month && b.month <= l.to)
            .map(|b| b.claimed)
            .sum();
        let e = hourly_lines.entry((l.org.clone(), l.name.clone(), l.concern.clone())).or_insert((0.0, 0.0));
        e.0 += l.hours;
        e.1 += in_line;
        seen.1 |= l.concern.starts_with("Sen månad");
        seen.2 |= l.concern.starts_with("Rättelse");
    }
    assert!(!hourly_lines.is_empty());
    for ((org, name, concern), (claim, report)) in &hourly_lines {
        assert_eq!(
            minutes(*claim),
            minutes(*report),
            "{org} {name} {concern}: Personal {claim} h, tidredovisning {report} h"
        );
    }
    // And nothing in the time reports that the claim does not count.
    for ((org, name), blocks) in &reports {
        for b in blocks {
            let key = (org.clone(), name.clone(), b.concern.clone());
            if org.contains("kommun") {
                assert!(hourly_lines.contains_key(&key) || b.claimed == 0.0, "{org} {name} {b:?} is not on Personal");
            }
            // The rows add up to the sum; the cap comes off it.
            assert_eq!(minutes(b.rows), minutes(b.reported), "{org} {name} {b:?}");
            if b.concern == "Perioden" || b.concern.starts_with("Sen") {
                assert_eq!(minutes(b.reported - b.capped), minutes(b.claimed), "{org} {name} {b:?}");
            }
            seen.0 |= b.capped > 0.0;
        }
    }
    assert_eq!(seen, (true, true, true), "a capped month, a late month and a correction");

    // The capped person by hand: Sollefteå's processledare at 50 % has 860 hours in 2026; the
    // claim counts what the year had left after January–April (claim 7), and nothing after.
    let lead = &w.orgs.iter().find(|o| o.folder == "solleftea").unwrap().staff;
    let lead = &lead[lead_of(w.orgs.iter().find(|o| o.folder == "solleftea").unwrap())].name;
    let blocks = &reports[&("Sollefteå kommun".to_string(), lead.clone())];
    let claim7 = personal_hours_before(w, "Sollefteå kommun", lead);
    let claimed: f64 = blocks.iter().map(|b| b.claimed).sum();
    assert_eq!(minutes(claim7 + claimed), minutes(860.0), "{claim7} + {claimed}");
    assert!(blocks.last().unwrap().capped > 0.0, "the cap bites in August: {blocks:?}");

    // Sundsvall's VAB: shown in June with its reason, the June hours in the claim its time rows'
    // sum (checked above for every block); nowhere else.
    let su = w.orgs.iter().find(|o| o.folder == "sundsvall").unwrap();
    let reporter = &su.staff.iter().find(|p| p.reporting == Reporting::TimeReport).unwrap().name;
    let absences: Vec<(Month, &(f64, String))> =
        reports.values().flatten().flat_map(|b| b.absences.iter().map(move |a| (b.month, a))).collect();
    assert_eq!(absences, [(m("2026-06"), &(16.0, "VAB".to_string()))], "{reporter}");
    let june = reports[&(su.name.clone(), reporter.clone())].iter().find(|b| b.month == m("2026-06")).unwrap();
    assert_eq!(june.absences.len(), 1);

    // The correction: 2,5 hours more in Timrå's 2026-03.
    let correction: Vec<&Block> = reports.values().flatten().filter(|b| b.concern == "Rättelse 2026-03").collect();
    assert_eq!(correction.iter().map(|b| minutes(b.claimed)).collect::<Vec<_>>(), [150]);
}

/// The hours the submitted claims 7 counted for a person in 2026 (January–April), from the
/// ledger read as JSON.
fn personal_hours_before(w: &World, org: &str, name: &str) -> f64 {
    let ledger = std::fs::read_to_string(w.dir.join("ledger.jsonl")).unwrap();
    let folder = &w.orgs.iter().find(|o| o.name == org).unwrap().folder;
    let mut sum = 0.0;
    for line in ledger.lines() {
        let claim: serde_json::Value = serde_json::from_str(line).unwrap();
        for month in claim["months"].as_array().into_iter().flatten() {
            if month["folder"] != folder.as_str() || !month["month"].as_str().unwrap().starts_with("2026") {
                continue;
            }
            for p in month["persons"].as_array().into_iter().flatten() {
                if p["name"] == name {
                    sum += p["hours"].as_str().unwrap().parse::<f64>().unwrap();
                }
            }
        }
    }
    sum
}

/// Each certificate of a claim: file name → the document's text.
fn certificates(out: &Path) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for e in std::fs::read_dir(out.join("bilagor")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("intyg-") {
            all.insert(name, docx_text(&std::fs::read(&path).unwrap()));
        }
    }
    all
}

/// The text of a `.docx`, tags stripped.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut out = String::new();
    let mut inside = false;
    for c in xml.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ").replace('\u{a0}', " ")
}

#[test]
fn certificates_for_new_fixed_share_persons_and_changed_shares_only() {
    let w = world();
    let certs = certificates(&w.claim8);
    // Härnösand's new person (50 %) and Kramfors' processledare at 60 % from July; nobody
    // registered earlier with an unchanged share.
    let kramfors_lead = &w.orgs.iter().find(|o| o.folder == "kramfors").unwrap().staff;
    let kramfors_lead = kramfors_lead.iter().find(|p| p.reporting == Reporting::FixedShare).unwrap();
    let names: Vec<&String> = certs.keys().collect();
    assert_eq!(
        names,
        [
            "intyg-andel-harnosand-nora-fastberg-2026-06.docx".to_string(),
            format!("intyg-andel-kramfors-{}-2026-07.docx", plain(&kramfors_lead.name)),
        ]
        .iter()
        .collect::<Vec<_>>()
    );
    let nora = &certs["intyg-andel-harnosand-nora-fastberg-2026-06.docx"];
    for expected in [
        "Härnösands kommun",
        "212000-2403",
        "Nora Fastberg",
        pnr(1).as_str(),
        "Utvecklingsledare",
        "arbetar 50 % av sin arbetstid",
        "från och med 2026-06-01",
        "Sysselsättningsgrad 100 %",
        "behörig firmatecknare",
    ] {
        assert!(nora.contains(expected), "«{expected}» in {nora}");
    }
    let changed = &certs[&format!("intyg-andel-kramfors-{}-2026-07.docx", plain(&kramfors_lead.name))];
    for expected in [
        "arbetar 60 % av sin arbetstid",
        "från 75 % till 60 %",
        "från och med 2026-07-01",
        kramfors_lead.personnummer.as_str(),
    ] {
        assert!(changed.contains(expected), "«{expected}» in {changed}");
    }
    // Claim 1: every fixed-share person of the partners and co-financiers is new, one
    // certificate each, with the share the workbook gives.
    let first = certificates(&w.claim1);
    let fixed: Vec<(&OrgPlan, &Person)> = w
        .orgs
        .iter()
        .flat_map(|o| o.staff.iter().map(move |p| (o, p)))
        .filter(|(o, p)| {
            p.reporting == Reporting::FixedShare
                && p.start <= d("2024-04-30")
                && o.workbooks
                    .iter()
                    .any(|wb| wb.month <= m("2024-04") && wb.persons.iter().any(|i| o.staff[*i].name == p.name))
        })
        .collect();
    assert_eq!(first.len(), fixed.len(), "{:?}", first.keys());
    for (o, p) in fixed {
        let start = m("2024-01").first_day().max(p.start);
        let file = format!("intyg-andel-{}-{}-{}.docx", o.folder, plain(&p.name), Month::of(start));
        let text = first.get(&file).unwrap_or_else(|| panic!("{file} in {:?}", first.keys()));
        // The share as the partner wrote it: a whole number of per cent in the demo.
        let share = (p.share.unwrap() * dec!(100)).normalize();
        assert!(text.contains(&format!("arbetar {share} % av sin arbetstid")), "{file}: {text}");
        assert!(text.contains(&format!("från och med {start}")), "{file}: {text}");
    }
}

/// A name as the file names write it (by hand for the demo's names).
fn plain(name: &str) -> String {
    name.to_lowercase().replace(['å', 'ä'], "a").replace('ö', "o").replace(' ', "-")
}

/// The persons the checklist names as new in an organisation's section: the names before ` (`
/// on the lines of salary evidence.
fn checklist_new(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut org = String::new();
    for line in text.lines() {
        if !line.starts_with(' ') && line.contains("), ") {
            org = line.split(" (").next().unwrap().to_string();
        }
        if line.contains("underlag för månadslön, första projektmånaden") {
            let name = line.trim_start().trim_start_matches("[ ] ").split(" (").next().unwrap().to_string();
            out.entry(org.clone()).or_default().push(name);
        }
    }
    out
}

#[test]
fn the_checklist_lists_exactly_the_persons_the_personal_sheet_marks_as_new() {
    let w = world();
    for (out, period) in [(&w.claim8, "2026-05_2026-08"), (&w.claim1, "2024-01_2024-04")] {
        let mut new: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for l in personal(out, period).into_iter().filter(|l| l.registration == "Ny – registreras") {
            let names = new.entry(l.org).or_default();
            if !names.contains(&l.name) {
                names.push(l.name);
            }
        }
        for names in new.values_mut() {
            names.sort();
        }
        let text = std::fs::read_to_string(out.join("bilagor/bilagor.txt")).unwrap();
        let mut listed = checklist_new(&text);
        // The partners' sections against the Personal sheet (co-financiers' people are on
        // their own sheet).
        listed.retain(|org, _| org.contains("kommun"));
        for names in listed.values_mut() {
            names.sort();
        }
        assert_eq!(listed, new, "{period}:\n{text}");
    }
    let text = std::fs::read_to_string(w.claim8.join("bilagor/bilagor.txt")).unwrap();
    assert!(
        text.contains("Nora Fastberg (fast andel, ny i ansökan): underlag för månadslön, första projektmånaden 2026-06, 48\u{a0}400\u{a0}kr"),
        "{text}"
    );
    assert!(text.contains(
        "Tim Timmersson (tidredovisar, ny i ansökan): underlag för månadslön, första projektmånaden 2026-07"
    ));
    assert!(text.contains("Signeringsunderlaget"));
    assert!(
        text.contains("Transaktionslista ur bokföringen för extern medfinansiering från Region Västernorrland (1:1)")
    );
}

#[test]
fn no_personnummer_in_the_checklist_the_status_page_or_the_time_reports() {
    let w = world();
    let pnrs: Vec<String> = w.orgs.iter().flat_map(|o| &o.staff).map(|p| p.personnummer.as_str().to_string()).collect();
    let digits = |s: &str| s.replace('-', "");
    let mut texts = vec![
        ("bilagor.txt", std::fs::read_to_string(w.claim8.join("bilagor/bilagor.txt")).unwrap()),
        ("status.html", std::fs::read_to_string(w.claim8.join("status.html")).unwrap()),
    ];
    for e in std::fs::read_dir(w.claim8.join("bilagor")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "xlsx") {
            let mut all = String::new();
            for (_, rows) in sheets(&path) {
                for r in rows {
                    for c in r {
                        all.push_str(&text(&c));
                        all.push(' ');
                    }
                }
            }
            texts.push(("tidredovisning", all));
        }
    }
    for (what, t) in &texts {
        for p in &pnrs {
            assert!(!t.contains(p.as_str()) && !t.contains(&digits(p)) && !t.contains(&p[2..]), "{what} holds {p}");
        }
    }
    // The status page shows the same checklist.
    let page = &texts[1].1;
    assert!(page.contains("Bilagor att ladda upp"), "status.html has the checklist");
    assert!(page.contains("Nora Fastberg (fast andel, ny i ansökan): underlag för månadslön"));
}

#[test]
fn attachments_are_byte_identical_on_a_rerun_and_stale_ones_go() {
    let w = world();
    let out = w.dir.join("utdata/ansokan-8-igen");
    let (d_, o) = (w.dir.to_str().unwrap(), out.to_str().unwrap());
    let run =
        || redovisa(&["run", d_, "--from", "2026-05", "--to", "2026-08", "--today", "2026-09-10", "--out", o], &[1]);
    run();
    let read = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir.join("bilagor"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let first = read(&out);
    assert_eq!(first, read(&w.claim8), "the same inputs give the same attachments");
    // A file of the economist's own stays; an attachment this run no longer writes goes.
    std::fs::write(out.join("bilagor/lonespecifikation-nora.pdf"), b"%PDF").unwrap();
    std::fs::write(out.join("bilagor/intyg-andel-harnosand-nora-fastberg-2026-05.docx"), b"gammal").unwrap();
    let list = out.join(".skrivna-filer");
    let first_list = std::fs::read_to_string(&list).unwrap();
    assert!(first_list.lines().any(|l| l == "bilagor/bilagor.txt") && !first_list.contains("2026-05.docx"));
    std::fs::write(&list, format!("{first_list}bilagor/intyg-andel-harnosand-nora-fastberg-2026-05.docx\n")).unwrap();
    run();
    let mut second = read(&out);
    assert_eq!(second.remove("lonespecifikation-nora.pdf").as_deref(), Some(&b"%PDF"[..]));
    assert_eq!(second, first);
    // The list is the one this run wrote, not the old one carried over: the economist's file
    // stays hers at the next run too.
    assert_eq!(std::fs::read_to_string(&list).unwrap(), first_list);
}

#[test]
fn a_certificate_is_one_printed_page() {
    let w = world();
    let work = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(w.claim8.join("bilagor/intyg-andel-harnosand-nora-fastberg-2026-06.docx")).unwrap();
    let Some(pdf) = support::docx_to_pdf(&bytes, "intyg.docx", work.path()) else { return };
    let pdf = pdf.to_str().unwrap();
    let Some(info) = support::poppler("pdfinfo", &[pdf]) else { return };
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 1")), "{info}");
    let Some(text) = support::poppler("pdftotext", &["-layout", pdf, "-"]) else { return };
    for expected in ["Intyg om andel av arbetstiden i projektet", "Nora Fastberg", "Ort och datum", "Namnteckning"] {
        assert!(text.contains(expected), "«{expected}» in {text}");
    }
}

#[test]
fn the_project_rewords_the_attachments_in_mallar() {
    let w = world();
    let project = support::copy_project(&w.dir);
    let mallar = project.path().join("mallar");
    std::fs::create_dir_all(&mallar).unwrap();
    std::fs::write(
        mallar.join("bilagor.toml"),
        "[certificate]\ntitle = \"Intyg om fast andel i {projektnummer}\"\nbody = \"{namn} arbetar {andel} i projektet från {fran}.\"\n",
    )
    .unwrap();
    let (d_, out) = (project.path().to_str().unwrap(), project.path().join("ut"));
    let o = out.to_str().unwrap();
    let args = ["run", d_, "--from", "2026-05", "--to", "2026-08", "--today", "2026-09-10", "--out", o];
    redovisa(&args, &[1]);
    let text = docx_text(&std::fs::read(out.join("bilagor/intyg-andel-harnosand-nora-fastberg-2026-06.docx")).unwrap());
    assert!(text.contains("Intyg om fast andel i 454304"), "{text}");
    assert!(text.contains("Nora Fastberg arbetar 50 % i projektet från 2026-06-01."), "{text}");
    // A misspelt key stops the run before anything is written, naming the file.
    std::fs::write(mallar.join("bilagor.toml"), "[certificate]\ntitel = \"x\"\n").unwrap();
    let res = Command::cargo_bin("redovisa").unwrap().args(args).output().unwrap();
    assert_eq!(res.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("mallar/bilagor.toml") && stderr.contains("certificate.titel"), "{stderr}");
}
