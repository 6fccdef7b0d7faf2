//! Issue 13 through the binary: a person is their personnummer, across rows, workbooks,
//! organisations and claims. Each test writes a small inbox with the demo crate's renderer
//! (another writer than the reader), runs `redovisa run`, and reads `summary.json` back. Every
//! figure is computed by hand in the comments; each test fails on the code before the fix.
//!
//! The project is the seed project (fixtures/hallbar-samhallsomstallning): Kramfors on-costs
//! 40,15 % and flat rate 25 %, Timrå 44,60 %, Ånge 42,05 %.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use chrono::NaiveDate;
use redovisa::ids::{OrgNr, Personnummer, luhn_digit};
use redovisa::month::Month;
use redovisa::project::Project;
use redovisa::read::{Gender, Reporting, When};
use redovisa_demo::plan::{
    Attestation, HoursCell, IndicatorEntry, OrgPlan, ParticipantEntry, Person, TimeEntry, WorkbookPlan,
};
use redovisa_demo::{self as demo, DemoOptions};
use rust_decimal::Decimal;
use rust_decimal::dec;
use serde_json::Value;

const TODAY: &str = "2026-02-15";

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A valid personnummer, born 1985-03-12, serial `n`.
fn pnr(n: u32) -> Personnummer {
    let nine = format!("850312{:03}", 100 + n);
    Personnummer::parse(&format!("{nine}{}", luhn_digit(&nine)), d("2025-01-01")).unwrap()
}

fn person(name: &str, n: u32, salary: Decimal, start: &str, reporting: Reporting, share: Option<Decimal>) -> Person {
    let p = pnr(n);
    Person {
        name: name.into(),
        personnummer_written: p.as_str().to_string(),
        personnummer: p,
        role: "Processledare".into(),
        start: d(start),
        end: None,
        salary,
        reporting,
        share,
        employment: Decimal::ONE,
        main_activity: "1.1".into(),
    }
}

/// A project directory with the seed project file and an empty inbox.
struct Inbox {
    dir: tempfile::TempDir,
    project: Project,
}

impl Inbox {
    fn new() -> Inbox {
        let dir = tempfile::tempdir().unwrap();
        let text = demo::project_text(dir.path(), &DemoOptions::default()).unwrap();
        std::fs::write(dir.path().join("project.toml"), text).unwrap();
        let project = Project::load(dir.path()).unwrap();
        Inbox { dir, project }
    }

    fn org(&self, folder: &str, staff: Vec<Person>) -> OrgPlan {
        let o = self.project.orgs().find(|o| o.folder() == folder).unwrap();
        OrgPlan {
            folder: folder.into(),
            name: o.name().into(),
            org_nr: o.org_nr().clone(),
            cofinancier: o.is_cofinancier(),
            template: "generic".into(),
            copy: 1,
            style: demo::staffing::plain_style(),
            staff,
            workbooks: Vec::new(),
            lock_file: None,
        }
    }

    /// Writes one month's workbook for `org`; `time` is (person index, activity, hours) for the month.
    fn write(&self, org: &OrgPlan, wb: &WorkbookPlan) {
        let folder = self.project.inbox().join(&org.folder);
        std::fs::create_dir_all(&folder).unwrap();
        let bytes = demo::render::workbook(org, wb, &self.project.info.name).unwrap();
        std::fs::write(folder.join(&wb.file_name), bytes).unwrap();
    }

    /// `redovisa run` over `from`–`to`; returns summary.json.
    fn run(&self, from: &str, to: &str) -> Value {
        let out = self.dir.path().join(format!("utdata/{from}_{to}"));
        let d = self.dir.path().display().to_string();
        let o = out.display().to_string();
        let res = Command::cargo_bin("redovisa")
            .unwrap()
            .args(["run", &d, "--from", from, "--to", to, "--today", TODAY, "--out", &o])
            .output()
            .unwrap();
        assert!(
            matches!(res.status.code(), Some(0 | 1)),
            "stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&res.stdout),
            String::from_utf8_lossy(&res.stderr)
        );
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
    }

    fn out_dir(&self, from: &str, to: &str) -> std::path::PathBuf {
        self.dir.path().join(format!("utdata/{from}_{to}"))
    }
}

fn workbook(folder: &str, month: &str, persons: Vec<usize>, time: &[(usize, &str, Decimal)]) -> WorkbookPlan {
    let month = m(month);
    WorkbookPlan {
        file_name: format!("{folder}-{month}.xlsx"),
        month,
        version: 1,
        superseded: false,
        persons,
        time: time
            .iter()
            .map(|(p, a, h)| TimeEntry {
                person: *p,
                when: When::Month(month),
                activity: (*a).into(),
                hours: *h,
                cell: HoursCell::Number,
                comment: String::new(),
            })
            .collect(),
        absence: Vec::new(),
        participants: Vec::new(),
        indicators: Vec::new(),
        narratives: Vec::new(),
        payments: Vec::new(),
        attestation: Attestation { by: "Eva Ekonom".into(), on: month.last_day() + chrono::Days::new(5) },
    }
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("{v} is not a string")).parse().unwrap()
}

fn org_value<'a>(s: &'a Value, folder: &str) -> &'a Value {
    s["partners"]
        .as_array()
        .or_else(|| s["orgs"].as_array())
        .unwrap()
        .iter()
        .find(|o| o["folder"] == folder)
        .unwrap_or_else(|| panic!("no {folder} in summary"))
}

fn findings<'a>(s: &'a Value, code: &str) -> Vec<&'a Value> {
    s["findings"].as_array().unwrap().iter().filter(|f| f["code"] == code).collect()
}

#[test]
fn the_same_personnummer_on_two_personal_rows_counts_once_or_not_at_all() {
    // Kramfors 2025-01: «Anna Svensson» and «A. Svensson», one personnummer, both Fast andel
    // 50 %, Månadslön 45 000, Startdatum 2024-03-01 (10 whole months to 2025-01-01, k = 0).
    // Hours 1 720 × 0,5 / 12 = 71,666…; lön = 71,666… × 45 000 × 12 / 1 720 = 22 500,00;
    // lönebikostnad 22 500 × 0,4015 = 9 033,75; staff costs 31 533,75 once (63 067,50 when the
    // person was costed twice). Flat rate trunc2(31 533,75 × 0,25) = 7 883,43 (7 883,4375).
    let inbox = Inbox::new();
    let anna = || person("Anna Svensson", 1, dec!(45000), "2024-03-01", Reporting::FixedShare, Some(dec!(0.5)));
    let mut a2 = anna();
    a2.name = "A. Svensson".into();
    let org = inbox.org("kramfors", vec![anna(), a2]);
    inbox.write(&org, &workbook("kramfors", "2025-01", vec![0, 1], &[]));
    let s = inbox.run("2025-01", "2025-01");
    let k = org_value(&s, "kramfors");
    assert_eq!(dec(&s["totals"]["staff_costs"]), dec!(31533.75), "{k}");
    assert_eq!(dec(&s["totals"]["flat_rate"]), dec!(7883.43));
    let dup = findings(&s, "DUPLICATE_PERSON");
    assert_eq!(dup.len(), 1, "{dup:?}");
    assert_eq!(dup[0]["severity"], "warning");
    assert_eq!((dup[0]["sheet"].as_str(), dup[0]["cell"].as_str()), (Some("Personal"), Some("B3")));

    // The rows disagree (Andel 50 % and 40 %): the person is left out until fixed, an error on
    // both rows; staff costs 0.
    let mut a2 = anna();
    a2.name = "A. Svensson".into();
    a2.share = Some(dec!(0.4));
    let org = inbox.org("kramfors", vec![anna(), a2]);
    inbox.write(&org, &workbook("kramfors", "2025-01", vec![0, 1], &[]));
    let s = inbox.run("2025-01", "2025-01");
    assert_eq!(dec(&s["totals"]["staff_costs"]), Decimal::ZERO);
    let dup = findings(&s, "DUPLICATE_PERSON");
    assert_eq!(dup.len(), 2, "{dup:?}");
    assert!(dup.iter().all(|f| f["severity"] == "error"));
    assert!(!dup[0]["message"].as_str().unwrap().contains("850312"), "no personnummer in the message");
}

#[test]
fn the_annual_cap_is_per_person_across_organisations() {
    // One personnummer at Kramfors and at Timrå, 100 % each, 100 h a month each on 1.1,
    // 2025-01 … 2025-10: 2 000 h reported in the year, the cap is 1 720 (the grade is 100 % in
    // every month: the sum over the organisations, at most 100 %).
    // Month order, and within a month the project file's order (Kramfors before Timrå):
    // January–August 8 × 200 = 1 600 h; September: Kramfors 100 (1 700), Timrå 20 (1 720),
    // 80 h left out; October: both left out (200 h). Costed 1 720 h, left out 280.
    // Timrå's September: Månadslön 40 000, Startdatum 2025-01-01 (k = 0): lön = 20 × 40 000 ×
    // 12 / 1 720 = round2(5 581,395…) = 5 581,40.
    let inbox = Inbox::new();
    let k = inbox.org("kramfors", vec![person("Bo Ek", 2, dec!(40000), "2025-01-01", Reporting::TimeReport, None)]);
    let t = inbox.org("timra", vec![person("Bo Ek", 2, dec!(40000), "2025-01-01", Reporting::TimeReport, None)]);
    for i in 1..=10 {
        let month = format!("2025-{i:02}");
        inbox.write(&k, &workbook("kramfors", &month, vec![0], &[(0, "1.1", dec!(100))]));
        inbox.write(&t, &workbook("timra", &month, vec![0], &[(0, "1.1", dec!(100))]));
    }
    let s = inbox.run("2025-01", "2025-10");
    let (kh, th) = (dec(&org_value(&s, "kramfors")["hours"]), dec(&org_value(&s, "timra")["hours"]));
    assert_eq!((kh, th), (dec!(900), dec!(820)), "Kramfors 9 × 100, Timrå 8 × 100 + 20");
    let cap = findings(&s, "HOURS_OVER_ANNUAL_CAP");
    assert_eq!(cap.len(), 3, "Timrå September, Kramfors and Timrå October: {cap:?}");
    assert!(cap.iter().any(|f| f["message"].as_str().unwrap().contains("80 timmar lämnas utanför")));
    // DOUBLE_REPORTED: a warning on each organisation's row, every month: 2 × 10.
    let double = findings(&s, "DOUBLE_REPORTED");
    assert_eq!(double.len(), 20);
    assert!(double.iter().all(|f| f["severity"] == "warning"));
    assert!(double[0]["message"].as_str().unwrap().contains("Timrå"), "{}", double[0]["message"]);
}

#[test]
fn the_cap_follows_the_grade_month_by_month() {
    // Timrå, Månadslön 40 000, Startdatum 2025-01-01: 100 % and 160 h a month January–June
    // (960 h), then 50 % and 80 h in July. The year's cap, the nearest reported grade standing
    // for August–December: 1 720 × (6 × 1 + 6 × 0,5) / 12 = 1 290 h, so July's 80 h count
    // (960 + 80 = 1 040). With the current month's grade for the whole year the cap was
    // 1 720 × 0,5 = 860 and all of July was lost.
    // July: lön = 80 × 40 000 × 12 / 1 720 = round2(22 325,581…) = 22 325,58; lönebikostnad
    // round2(22 325,58 × 0,446) = round2(9 957,208…) = 9 957,21; 32 282,79.
    let inbox = Inbox::new();
    let full = person("Cecilia Berg", 3, dec!(40000), "2025-01-01", Reporting::TimeReport, None);
    let mut half = full.clone();
    half.employment = dec!(0.5);
    let t_full = inbox.org("timra", vec![full]);
    let t_half = inbox.org("timra", vec![half]);
    for i in 1..=6 {
        inbox.write(&t_full, &workbook("timra", &format!("2025-{i:02}"), vec![0], &[(0, "1.1", dec!(160))]));
    }
    inbox.write(&t_half, &workbook("timra", "2025-07", vec![0], &[(0, "1.1", dec!(80))]));
    let s = inbox.run("2025-07", "2025-07");
    assert_eq!(dec(&s["totals"]["staff_costs"]), dec!(32282.79));
    assert!(findings(&s, "HOURS_OVER_ANNUAL_CAP").is_empty());
}

#[test]
fn an_unknown_huvudaktivitet_does_not_drop_a_person_who_reports_time() {
    // Ånge 2025-01: a Tidrapport person with Huvudaktivitet «9.9» (not in the plan), 40 h on
    // 1.1, Månadslön 43 000, Startdatum 2024-09-01 (k = 0): lön = 40 × 43 000 × 12 / 1 720 =
    // 12 000,00; lönebikostnad 12 000 × 0,4205 = 5 046,00; 17 046,00. The finding is a warning
    // on the Huvudaktivitet cell. A Fast andel person with the same cell and no time rows stays
    // out (error): their hours have nowhere to go.
    let inbox = Inbox::new();
    let mut timer = person("Dan Holm", 4, dec!(43000), "2024-09-01", Reporting::TimeReport, None);
    timer.main_activity = "9.9".into();
    let mut fixed = person("Eva Lund", 5, dec!(30000), "2024-09-01", Reporting::FixedShare, Some(dec!(0.2)));
    fixed.main_activity = "9.9".into();
    let a = inbox.org("ange", vec![timer, fixed]);
    inbox.write(&a, &workbook("ange", "2025-01", vec![0, 1], &[(0, "1.1", dec!(40))]));
    let s = inbox.run("2025-01", "2025-01");
    assert_eq!(dec(&s["totals"]["staff_costs"]), dec!(17046.00));
    let unknown = findings(&s, "UNKNOWN_ACTIVITY");
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    let sev: Vec<(&str, &str)> =
        unknown.iter().map(|f| (f["cell"].as_str().unwrap(), f["severity"].as_str().unwrap())).collect();
    // Personal columns: Namn, Personnummer, Roll, Startdatum, Slutdatum, Månadslön, Redovisning,
    // Andel, Sysselsättningsgrad, Huvudaktivitet (J); rows 2 and 3.
    assert!(sev.contains(&("J2", "warning")), "{sev:?}");
    assert!(sev.contains(&("J3", "error")), "{sev:?}");
}

/// Replaces `from` by `to` in every XML part of an xlsx (the shared strings).
fn replace_text(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name.ends_with(".xml") {
            data = String::from_utf8(data).unwrap().replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_sole_trader_is_counted_and_never_printed_and_negative_indicators_are_bad_values() {
    // Härnösand 2025-02, Deltagare: a company (556036-079x) with a woman, and a sole trader
    // whose organisationsnummer is the owner's personnummer 19850312-1xxx (two rows, a man and
    // not stated). Användare av implementerade stödstrukturer: 2 distinct organisations in the
    // period (was 1: the sole trader was INVALID_ORGNR); women 1, men 1, not stated 1.
    // Indikatorer: RCR01 −2 is BAD_VALUE on its Värde cell (B2) and not summed; RCO13 5 000 is.
    let inbox = Inbox::new();
    let h = inbox.org("harnosand", vec![person("Fia Ås", 6, dec!(40000), "2025-01-01", Reporting::TimeReport, None)]);
    let mut wb = workbook("harnosand", "2025-02", vec![0], &[(0, "1.1", dec!(10))]);
    let org_nr = |nine: &str| OrgNr::parse(&format!("{nine}{}", luhn_digit(nine))).unwrap();
    let company = org_nr("556036079");
    // A placeholder organisationsnummer, replaced by the personnummer in the file.
    let placeholder = org_nr("556677889");
    let part = |org_nr: &OrgNr, gender| ParticipantEntry {
        date: d("2025-02-10"),
        activity: "1.1".into(),
        event: "Workshop".into(),
        org_nr: org_nr.clone(),
        org_name: "Firma".into(),
        gender,
    };
    wb.participants =
        vec![part(&company, Gender::Woman), part(&placeholder, Gender::Man), part(&placeholder, Gender::NotStated)];
    wb.indicators = vec![
        IndicatorEntry { indicator: "RCR01".into(), value: dec!(-2), comment: String::new() },
        IndicatorEntry { indicator: "RCO13".into(), value: dec!(5000), comment: String::new() },
    ];
    let sole = pnr(7);
    let bytes = demo::render::workbook(&h, &wb, &inbox.project.info.name).unwrap();
    let bytes = replace_text(&bytes, placeholder.as_str(), sole.as_str());
    let folder = inbox.project.inbox().join("harnosand");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(&wb.file_name), bytes).unwrap();

    let s = inbox.run("2025-02", "2025-02");
    assert!(findings(&s, "INVALID_ORGNR").is_empty(), "{:?}", findings(&s, "INVALID_ORGNR"));
    let users = s["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Användare av implementerade stödstrukturer")
        .unwrap();
    assert_eq!((users["period"].as_str(), users["cumulative"].as_str()), (Some("2"), Some("2")));
    assert_eq!(
        (users["women"].as_u64(), users["men"].as_u64(), users["not_stated"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    let bad = findings(&s, "BAD_VALUE");
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!((bad[0]["sheet"].as_str(), bad[0]["cell"].as_str()), (Some("Indikatorer"), Some("B2")));
    let value =
        |code: &str| s["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap()["period"].clone();
    assert_eq!((value("RCR01").as_str(), value("RCO13").as_str()), (Some("0"), Some("5000")));

    // The personnummer is in no output: not in any file of the run's folder, in any form.
    let digits: String = sole.as_str().chars().filter(char::is_ascii_digit).collect();
    let forms = [
        sole.as_str().to_string(),
        digits.clone(),
        digits[2..].to_string(),
        format!("{}-{}", &digits[2..8], &digits[8..]),
    ];
    let mut stack = vec![inbox.out_dir("2025-02", "2025-02")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            seen += 1;
            let bytes = std::fs::read(&path).unwrap();
            let mut texts = vec![String::from_utf8_lossy(&bytes).into_owned()];
            if let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) {
                for i in 0..z.len() {
                    let mut s = String::new();
                    let _ = std::io::Read::read_to_string(&mut z.by_index(i).unwrap(), &mut s);
                    texts.push(s);
                }
            }
            for t in &texts {
                for f in &forms {
                    assert!(!t.contains(f.as_str()), "{} holds the sole trader's personnummer", path.display());
                }
            }
        }
    }
    assert!(seen >= 3, "the run wrote its outputs");
}

#[test]
fn a_split_over_activities_never_gives_a_negative_part() {
    // Kramfors 2025-01, Månadslön 0,50 kr (only 0 is refused), Startdatum 2025-01-01, 1 h on
    // each of six activities 1.1 … 2.2: lön = round2(6 × 0,50 × 12 / 1 720) = round2(0,0209…) =
    // 0,02; lönebikostnad round2(0,02 × 0,4015) = round2(0,00803) = 0,01; staff cost 0,03 over six
    // equal hours, 0,005 each, which rounds to 0,01. In code order 1.1, 1.2, 1.3 take 0,01 each
    // and nothing is left for 1.4, 2.1 and 2.2 (0,00 each; before: 0,01 for the first five and
    // −0,02 for the last). The flat rate trunc2(0,03 × 0,25) = 0,00 adds nothing.
    let inbox = Inbox::new();
    let k = inbox.org("kramfors", vec![person("Gun Nord", 8, dec!(0.50), "2025-01-01", Reporting::TimeReport, None)]);
    let codes = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"];
    let time: Vec<(usize, &str, Decimal)> = codes.iter().map(|c| (0, *c, Decimal::ONE)).collect();
    inbox.write(&k, &workbook("kramfors", "2025-01", vec![0], &time));
    let s = inbox.run("2025-01", "2025-01");
    assert_eq!(dec(&s["totals"]["staff_costs"]), dec!(0.03));
    let parts: Vec<(String, Decimal)> = s["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| codes.contains(&a["code"].as_str().unwrap()))
        .map(|a| (a["code"].as_str().unwrap().to_string(), dec(&a["period"])))
        .collect();
    let expected: Vec<(String, Decimal)> = codes
        .iter()
        .zip([dec!(0.01), dec!(0.01), dec!(0.01), dec!(0), dec!(0), dec!(0)])
        .map(|(c, v)| (c.to_string(), v))
        .collect();
    assert_eq!(parts, expected);
}
