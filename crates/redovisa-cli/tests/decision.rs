//! The decision changes during the project (`docs/claims.md`, "Ändringsbeslut"), through the
//! binary: a folder renamed, an on-cost rate dated or edited in place or changed retroactively
//! by a change decision, a flat-rate model changed from a month on, a partner that joins, leaves
//! (`until`) or is deleted from the file, the approved support raised after a capped claim and
//! lowered below what was claimed, a submitted period run again. Each case reads `summary.json`,
//! the claim workbook (calamine) and the ledger.
//!
//! The figures are computed by hand in the comments. Eva Ek of Kramfors (on-costs 40,15 %, flat
//! rate 25 % of remaining costs) earns 43 000 kr a month from 2024-01-01: 43 000 × 12 / 1 720 =
//! 300 kr an hour, no indexation in 2024. Ten hours: lön 3 000,00, lönebikostnad
//! round2(3 000 × 0,4015) = 1 204,50, personal 4 204,50, schablon floor2(4 204,50 × 0,25) =
//! floor2(1 051,125) = 1 051,12, stödgrundande 5 255,62. Three such months claimed together:
//! personal 12 613,50, schablon floor2(3 153,375) = 3 153,37 (spread by staff costs: 1 051,12,
//! 1 051,12 and the remainder 1 051,13), stödgrundande 15 766,87.
//!
//! `REDOVISA_BIN` runs the cases against another binary: on the binary of main before these
//! rules, each case fails.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use calamine::{Data, Reader, Xlsx, open_workbook};
use redovisa::ledger::{Ledger, LineKind};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;
use serde_json::Value;
use support::*;

const TODAY: &str = "2024-12-01";

fn bin() -> Command {
    match std::env::var_os("REDOVISA_BIN") {
        Some(path) => Command::new(path),
        None => Command::cargo_bin("redovisa").unwrap(),
    }
}

fn redovisa(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn status(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn show(o: &Output) -> String {
    format!("stdout:\n{}\nstderr:\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn dec(v: &Value) -> Decimal {
    d(v.as_str().unwrap_or_else(|| panic!("{v} is not a string")))
}

/// Eva Ek: 43 000 kr a month (300 kr an hour), from 2024-01-01, reports time.
fn eva() -> Person {
    Person {
        name: "Eva Ek".into(),
        pnr: t(&pnr("19700101", "111")),
        start: date(2024, 1, 1),
        salary: n(43000.0),
        ..anna()
    }
}

/// A workbook of `org` for `month` (`YYYY-MM`) with `hours` of `person` on 1.1 on the 5th.
fn book_of(org: &Org, person: &Person, month: &str, hours: f64) -> Vec<u8> {
    let (y, m) = month.split_once('-').unwrap();
    let when = date(y.parse().unwrap(), m.parse().unwrap(), 5);
    Book::new()
        .with(info_sheet(org, month, 1, true))
        .with(personal_sheet(std::slice::from_ref(person)))
        .with(time_sheet(vec![time_row(&person.name, when, "1.1", n(hours))]))
        .xlsx(Strings::Shared)
}

/// Puts Eva's workbook for `month` in `folder`.
fn put(dir: &Path, folder: &str, org: &Org, month: &str, hours: f64) {
    let path = dir.join("inkorg").join(folder).join(format!("{month}.xlsx"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, book_of(org, &eva(), month, hours)).unwrap();
}

/// The seed project with an empty inbox, its `project.toml` passed through `edit`.
fn project(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let (dir, _) = temp_project(edit);
    std::fs::create_dir_all(dir.path().join("inkorg")).unwrap();
    dir
}

/// Rewrites `project.toml` through `change`.
fn rewrite(dir: &Path, change: impl FnOnce(&str) -> String) {
    let path = dir.join("project.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, change(&text)).unwrap();
}

/// Rewrites `project.toml`, asserting that every `(from, to)` replacement finds its text.
fn edit(dir: &Path, pairs: &[(&str, &str)]) {
    rewrite(dir, |t| replace_all(t, pairs));
}

/// Kramfors' `on_costs` (40.15 in the seed) written as `value`.
fn kramfors_on_costs(dir: &Path, value: &str) {
    let new = format!("org_nr = \"212000-2429\"\non_costs = {value}");
    edit(dir, &[("org_nr = \"212000-2429\"\non_costs = 40.15", new.as_str())]);
}

/// Appends TOML to `project.toml`.
fn append(dir: &Path, toml: &str) {
    let path = dir.join("project.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}\n{toml}\n")).unwrap();
}

fn submit(dir: &Path, from: &str, to: &str) -> Output {
    redovisa(&["submit", dir.to_str().unwrap(), "--from", from, "--to", to, "--today", TODAY])
}

fn submit_ok(dir: &Path, from: &str, to: &str) {
    let o = submit(dir, from, to);
    assert_eq!(status(&o), 0, "submit {from} – {to}\n{}", show(&o));
}

/// Runs `from`–`to`; returns the exit status, `summary.json` and the output folder.
fn run(dir: &Path, from: &str, to: &str) -> (i32, Value, PathBuf) {
    let out = dir.join(format!("ut-{from}-{to}"));
    let _ = std::fs::remove_dir_all(&out);
    let o = redovisa(&[
        "run",
        dir.to_str().unwrap(),
        "--from",
        from,
        "--to",
        to,
        "--today",
        TODAY,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(status(&o) == 0 || status(&o) == 1, "run {from} – {to}\n{}", show(&o));
    let summary = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    (status(&o), summary, out)
}

fn claim_workbook(out: &Path, from: &str, to: &str) -> PathBuf {
    out.join(format!("ansokan-{from}_{to}.xlsx"))
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name).unwrap().rows().map(<[Data]>::to_vec).collect()
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn money(c: &Data) -> Decimal {
    match c {
        Data::Float(f) => Decimal::try_from(*f).unwrap().round_dp(2),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("{other:?} is not a number"),
    }
}

/// The row of a sheet whose first cell is `label`.
fn row<'a>(rows: &'a [Vec<Data>], label: &str) -> &'a [Data] {
    rows.iter().find(|r| r.first().map(text).as_deref() == Some(label)).unwrap_or_else(|| panic!("no row «{label}»"))
}

/// The findings of a code, as (severity, message).
fn findings(s: &Value, code: &str) -> Vec<(String, String)> {
    s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| (f["severity"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().replace('\u{a0}', " ")))
        .collect()
}

fn partner<'a>(s: &'a Value, folder: &str) -> &'a Value {
    s["partners"].as_array().unwrap().iter().find(|p| p["folder"] == folder).unwrap()
}

fn ledger(dir: &Path) -> Ledger {
    Ledger::load(dir).unwrap()
}

/// Claim 1: Kramfors 2024-01 – 2024-03, ten hours a month (15 766,87 kr).
fn first_quarter(dir: &Path) {
    for m in ["2024-01", "2024-02", "2024-03"] {
        put(dir, "kramfors", &KRAMFORS, m, 10.0);
    }
    submit_ok(dir, "2024-01", "2024-03");
    assert_eq!(ledger(dir).claims[0].eligible, d("15766.87"));
}

/// `redovisa final` up to `to` (before the project's end: a preliminary report): its
/// `summary.json` and the final report's document text.
fn final_report(dir: &Path, to: &str) -> (Value, String) {
    let out = dir.join("slut");
    let o = redovisa(&[
        "final",
        dir.to_str().unwrap(),
        "--to",
        to,
        "--preliminary",
        "--today",
        TODAY,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(status(&o) <= 1, "{}", show(&o));
    let summary = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let mut docx = zip_text(&std::fs::read(out.join("slutrapport.docx")).unwrap());
    (summary, docx.remove("word/document.xml").unwrap())
}

/// The cumulative eligible costs of the claim workbook's `Sammanställning`.
fn cumulative_eligible(xlsx: &Path) -> Decimal {
    money(&row(&sheet(xlsx, "Sammanställning"), "Summa stödgrundande kostnader")[2])
}

#[test]
fn a_renamed_folder_moves_nothing() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    // The share and the project file rename Kramfors' folder; its organisationsnummer stays.
    std::fs::rename(dir.join("inkorg/kramfors"), dir.join("inkorg/kramfors-kommun")).unwrap();
    edit(dir, &[("folder = \"kramfors\"", "folder = \"kramfors-kommun\"")]);
    put(dir, "kramfors-kommun", &KRAMFORS, "2024-04", 10.0);
    let (exit, s, out) = run(dir, "2024-04", "2024-04");
    assert_eq!(exit, 0);
    // Nothing is claimed again: only April, 5 255,62 kr.
    assert_eq!(s["adjustments"].as_array().unwrap().len(), 0, "{}", s["adjustments"]);
    assert!(findings(&s, "LATE_MONTH").is_empty() && findings(&s, "CHANGED_AFTER_CLAIM").is_empty());
    assert_eq!(dec(&s["totals"]["eligible"]), d("5255.62"));
    assert_eq!(dec(&partner(&s, "kramfors-kommun")["cumulative_total"]), d("15766.87") + d("5255.62"));
    let xlsx = claim_workbook(&out, "2024-04", "2024-04");
    assert_eq!(cumulative_eligible(&xlsx), d("21022.49"));
    assert_eq!(text(&sheet(&xlsx, "Tidigare månader")[2][0]), "Inga sena månader eller rättelser i den här ansökan");
    // Submitted, the ledger names the organisation by its number under the new folder.
    submit_ok(dir, "2024-04", "2024-04");
    let l = ledger(dir);
    let line = &l.claims[1].months.as_ref().unwrap()[0];
    assert_eq!((line.folder.as_str(), line.kind), ("kramfors-kommun", LineKind::Period));
    assert_eq!(line.org_nr.as_ref().map(|n| n.to_string()).as_deref(), Some("212000-2429"));
    assert_eq!(l.claims[1].months.as_ref().unwrap().len(), 1);
}

#[test]
fn a_dated_on_cost_rate_prices_new_months_and_leaves_claimed_ones() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    // The new year's PO-pålägg, 44 % from April.
    kramfors_on_costs(dir, "[{ from = \"2024-01\", rate = 40.15 }, { from = \"2024-04\", rate = 44.0 }]");
    put(dir, "kramfors", &KRAMFORS, "2024-04", 10.0);
    let (exit, s, out) = run(dir, "2024-04", "2024-04");
    assert_eq!(exit, 0, "{}", s["findings"]);
    // April at 44 %: lön 3 000,00, lönebikostnad 1 320,00, personal 4 320,00, schablon 1 080,00:
    // 5 400,00. The claimed months keep 40,15 %: no correction.
    assert_eq!(s["adjustments"].as_array().unwrap().len(), 0);
    assert!(findings(&s, "DECISION_CHANGED").is_empty());
    let k = partner(&s, "kramfors");
    assert_eq!((dec(&k["staff_costs"]), dec(&k["flat_rate"]), dec(&k["total"])), (d("4320"), d("1080"), d("5400")));
    assert_eq!(dec(&k["cumulative_total"]), d("15766.87") + d("5400"));
    let xlsx = claim_workbook(&out, "2024-04", "2024-04");
    let personal = sheet(&xlsx, "Personal");
    let eva = personal.iter().find(|r| r.iter().any(|c| text(c) == "Eva Ek"));
    assert!(eva.unwrap().iter().any(|c| matches!(c, Data::Float(f) if (*f - 0.44).abs() < 1e-9)), "{eva:?}");
    submit_ok(dir, "2024-04", "2024-04");
    let l = ledger(dir);
    let rates = l.claims[1].months.as_ref().unwrap()[0].rates.unwrap();
    assert_eq!(rates.on_costs, d("44.0"));
    assert_eq!(l.claims[0].months.as_ref().unwrap()[0].rates.unwrap().on_costs, d("40.15"));
}

#[test]
fn a_plain_edit_of_a_claimed_rate_is_decision_changed_and_submit_refuses() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    kramfors_on_costs(dir, "44.0");
    put(dir, "kramfors", &KRAMFORS, "2024-04", 10.0);
    let (exit, s, out) = run(dir, "2024-04", "2024-04");
    assert_eq!(exit, 1);
    // Each claimed month would move by lönebikostnad 1 320,00 − 1 204,50 = 115,50 and schablon
    // 1 080,00 − 1 051,12 = 28,88: 144,38; three months 433,14. They keep their price.
    let changed = findings(&s, "DECISION_CHANGED");
    assert_eq!(changed.len(), 1, "{changed:?}");
    let (severity, message) = &changed[0];
    assert_eq!(severity, "error");
    for part in ["kramfors.on_costs", "40,15", "44,00", "2024-01 – 2024-03", "+433,14"] {
        assert!(message.contains(part), "«{part}» not in {message}");
    }
    assert_eq!(s["adjustments"].as_array().unwrap().len(), 0);
    // April is priced by the file: 5 400,00.
    assert_eq!(dec(&s["totals"]["eligible"]), d("5400"));
    let xlsx = claim_workbook(&out, "2024-04", "2024-04");
    assert_eq!(cumulative_eligible(&xlsx), d("15766.87") + d("5400"));
    let avvikelser = sheet(&xlsx, "Avvikelser");
    assert!(avvikelser.iter().any(|r| r.iter().any(|c| text(c) == "DECISION_CHANGED")));
    // submit refuses, and the ledger keeps one claim.
    let o = submit(dir, "2024-04", "2024-04");
    assert_eq!(status(&o), 2, "{}", show(&o));
    assert_eq!(ledger(dir).claims.len(), 1);
    // validate says the same, from the ledger alone (exit 1: the file is usable, the claims disagree).
    let v = redovisa(&["validate", dir.to_str().unwrap()]);
    assert_eq!(status(&v), 1, "{}", show(&v));
    let stdout = String::from_utf8_lossy(&v.stdout).replace('\u{a0}', " ");
    assert!(stdout.contains("fel: partner[2].on_costs:") && stdout.contains("+433,14"), "{stdout}");
    // Run again, the submitted period says it is claim 1 and why it differs: 3 × 144,38 = 433,14.
    let (_, again, _) = run(dir, "2024-01", "2024-03");
    let resubmitted = findings(&again, "PERIOD_ALREADY_SUBMITTED");
    assert_eq!(resubmitted.len(), 1);
    let message = &resubmitted[0].1;
    for part in ["ansökan 1", "15 766,87", "16 200,00", "lönebikostnad 40,15 % → 44,00 %", "+433,13"] {
        assert!(message.contains(part), "«{part}» not in {message}");
    }
}

#[test]
fn a_retroactive_change_is_a_correction_named_by_the_change() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    kramfors_on_costs(dir, "[{ from = \"2024-01\", rate = 40.15 }, { from = \"2024-02\", rate = 44.0 }]");
    append(
        dir,
        "[[change]]\nnumber = \"Ä-1\"\ndecided = 2024-05-02\nwhat = \"Kramfors kommuns lönebikostnad 44 % från februari\"\n\
         retroactive = { from = \"2024-02\", keys = [\"kramfors.on_costs\"] }",
    );
    put(dir, "kramfors", &KRAMFORS, "2024-04", 10.0);
    let (exit, s, out) = run(dir, "2024-04", "2024-04");
    assert_eq!(exit, 0, "{}", s["findings"]);
    // February: personal +115,50, schablon floor2(4 320,00 × 0,25) − 1 051,12 = +28,88: +144,38.
    // March: +115,50 and 1 080,00 − 1 051,13 = +28,87: +144,37. January stays at 40,15 %.
    let adj = s["adjustments"].as_array().unwrap();
    let got: Vec<(String, Decimal, Decimal, Vec<String>)> = adj
        .iter()
        .map(|a| {
            let changes = a["changes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
            (a["month"].as_str().unwrap().to_string(), dec(&a["staff_costs"]), dec(&a["flat_rate"]), changes)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2024-02".into(), d("115.50"), d("28.88"), vec!["Ä-1".to_string()]),
            ("2024-03".into(), d("115.50"), d("28.87"), vec!["Ä-1".to_string()]),
        ]
    );
    let named = findings(&s, "CHANGED_AFTER_CLAIM");
    assert_eq!(named.len(), 2);
    assert!(
        named[0].1.contains("Ändringsbeslut Ä-1 ändrar lönebikostnad retroaktivt för månaden: 40,15 % → 44,00 %"),
        "{named:?}"
    );
    assert!(findings(&s, "DECISION_CHANGED").is_empty());
    // April 5 400,00 and the corrections 288,75: 5 688,75; support floor2(5 688,75 × 0,3992) =
    // floor2(2 270,949) = 2 270,94.
    assert_eq!(dec(&s["totals"]["eligible"]), d("5688.75"));
    assert_eq!(dec(&s["totals"]["support"]), d("2270.94"));
    assert_eq!(s["changes"][0]["number"], "Ä-1");
    let xlsx = claim_workbook(&out, "2024-04", "2024-04");
    let earlier = sheet(&xlsx, "Tidigare månader");
    assert_eq!(text(&earlier[2][3]), "Rättelse, ändringsbeslut Ä-1");
    assert_eq!(money(&earlier[2][10]) + money(&earlier[3][10]), d("288.75"));
    let summary = sheet(&xlsx, "Sammanställning");
    let change = row(&summary, "Ä-1");
    assert_eq!(text(&change[2]), "Ansökan 2 (den här)");
    assert_eq!(text(&change[4]), "Retroaktivt från 2024-02: lönebikostnad för Kramfors kommun.");
    submit_ok(dir, "2024-04", "2024-04");
    let l = ledger(dir);
    let corrections: Vec<(String, Vec<String>, Decimal)> = l.claims[1]
        .months
        .as_ref()
        .unwrap()
        .iter()
        .filter(|m| m.kind == LineKind::Correction)
        .map(|m| (m.month.to_string(), m.changes.clone(), m.rates.unwrap().on_costs))
        .collect();
    assert_eq!(
        corrections,
        vec![("2024-02".into(), vec!["Ä-1".into()], d("44.0")), ("2024-03".into(), vec!["Ä-1".into()], d("44.0"))]
    );
    assert_eq!(l.claims[1].decision.as_ref().unwrap().changes, vec!["Ä-1".to_string()]);
    // The change is spent: the next run re-prices nothing.
    put(dir, "kramfors", &KRAMFORS, "2024-05", 10.0);
    let (_, next, _) = run(dir, "2024-05", "2024-05");
    assert_eq!(next["adjustments"].as_array().unwrap().len(), 0);
    assert_eq!(next["changes"][0]["claim"], 2);
    // The final report has the change log too: its own section, the decision and the claim it
    // came into force under.
    let (_, report) = final_report(dir, "2024-05");
    let text = report.replace("</w:t></w:r><w:r><w:t xml:space=\"preserve\">", "");
    let section =
        &text[text.find(">Ändringsbeslut<").or_else(|| text.find("Ändringsbeslut</w:t>")).expect("the section")..];
    for expected in ["Ä-1", "Ansökan 2", "Kramfors kommuns lönebikostnad 44 % från februari"] {
        assert!(section.contains(expected), "«{expected}» in the final report's Ändringsbeslut");
    }
}

#[test]
fn a_flat_rate_model_change_prices_an_older_correction_at_its_claimed_rate() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    // From April Kramfors is on the 15 % model (indirect costs); the claimed months keep 25 %.
    edit(
        dir,
        &[(
            "flat_rate = { model = \"remaining_costs\", rate = 25 }\nbudget = { staff = 2270430",
            "flat_rate = [{ from = \"2024-01\", model = \"remaining_costs\", rate = 25 }, { from = \"2024-04\", model = \
             \"indirect\", rate = 15 }]\nbudget = { staff = 2270430",
        )],
    );
    // Five more hours in claimed February, and April.
    put(dir, "kramfors", &KRAMFORS, "2024-02", 15.0);
    put(dir, "kramfors", &KRAMFORS, "2024-04", 10.0);
    let (exit, s, out) = run(dir, "2024-04", "2024-04");
    assert_eq!(exit, 0, "{}", s["findings"]);
    // February now 15 h: lön 4 500,00, lönebikostnad 1 806,75, personal 6 306,75 (+2 102,25);
    // schablon at its claimed 25 %: floor2(1 576,6875) = 1 576,68 − 1 051,12 = +525,56. The
    // correction is +2 627,81 (at 15 % it would be 2 102,25 + 946,01 − 1 051,12 = +1 997,14).
    let adj = &s["adjustments"][0];
    assert_eq!(adj["month"], "2024-02");
    assert_eq!((dec(&adj["staff_costs"]), dec(&adj["flat_rate"])), (d("2102.25"), d("525.56")));
    assert_eq!(dec(&adj["eligible"]), d("2627.81"));
    // April at 15 %: personal 4 204,50, indirekta floor2(630,675) = 630,67: 4 835,17.
    assert_eq!(dec(&s["support"]["eligible_period"]), d("4835.17"));
    assert_eq!(dec(&s["totals"]["eligible"]), d("7462.98"));
    assert!(findings(&s, "DECISION_CHANGED").is_empty());
    let xlsx = claim_workbook(&out, "2024-04", "2024-04");
    assert_eq!(money(&sheet(&xlsx, "Tidigare månader")[2][7]), d("525.56"));
    submit_ok(dir, "2024-04", "2024-04");
    let l = ledger(dir);
    let lines = l.claims[1].months.as_ref().unwrap();
    let feb = lines.iter().find(|m| m.month.to_string() == "2024-02").unwrap();
    let apr = lines.iter().find(|m| m.month.to_string() == "2024-04").unwrap();
    assert_eq!(feb.rates.unwrap().flat_rate, d("25"));
    assert_eq!((apr.rates.unwrap().flat_model.as_str(), apr.rates.unwrap().flat_rate), ("indirect", d("15")));
}

/// Nyby kommun joins from April 2024 (change decision 1): 100 000 kr staff, 25 000 kr flat rate,
/// 49 900 kr support and 75 100 kr of its own money. The totals grow by as much: costs
/// 29 058 634 + 125 000, total 31 942 086 + 125 000, co-financing 19 189 793 + 75 100, support
/// and approved support 12 752 293 + 49 900.
const NYBY: Org = Org { name: "Nyby kommun", org_nr: "212000-9994", folder: "nyby" };

fn nyby_joins(dir: &Path) {
    edit(
        dir,
        &[
            ("approved_support = 12752293", "approved_support = 12802193"),
            ("costs = 29058634", "costs = 29183634"),
            ("total = 31942086", "total = 32067086"),
            ("cofinancing = 19189793", "cofinancing = 19264893"),
            ("support = 12752293", "support = 12802193"),
        ],
    );
    append(
        dir,
        "[[partner]]\nfolder = \"nyby\"\nname = \"Nyby kommun\"\norg_nr = \"212000-9994\"\nfrom = \"2024-04\"\n\
         on_costs = 40.15\nflat_rate = { model = \"remaining_costs\", rate = 25 }\n\
         budget = { staff = 100000, flat_rate = 25000, other = 0 }\nsupport = 49900\n\
         cash = [{ financier = \"Nyby kommun\", amount = 75100 }]\n\n\
         [[change]]\nnumber = 1\ndecided = 2024-04-15\nwhat = \"Nyby kommun ingår i projektet från april 2024\"",
    );
}

#[test]
fn a_partner_that_joins_counts_from_its_first_month() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    nyby_joins(dir);
    // Nyby's March is before it joined; its May is missing.
    put(dir, "nyby", &NYBY, "2024-03", 10.0);
    put(dir, "nyby", &NYBY, "2024-04", 10.0);
    put(dir, "kramfors", &KRAMFORS, "2024-04", 10.0);
    put(dir, "kramfors", &KRAMFORS, "2024-05", 10.0);
    let (exit, s, out) = run(dir, "2024-04", "2024-05");
    assert_eq!(exit, 1, "OUTSIDE_PARTNER_PERIOD is an error");
    let outside = findings(&s, "OUTSIDE_PARTNER_PERIOD");
    assert_eq!(outside.len(), 1);
    assert!(outside[0].1.contains("Nyby kommun ingår i beslutet bara 2024-04 – 2027-04"), "{outside:?}");
    // Nyby: April alone, 5 255,62; Kramfors April and May together: personal 8 409,00, schablon
    // floor2(2 102,25) = 2 102,25: 10 511,25. The March workbook counts nowhere.
    assert_eq!(dec(&partner(&s, "nyby")["total"]), d("5255.62"));
    assert_eq!(dec(&partner(&s, "nyby")["cumulative_total"]), d("5255.62"));
    assert_eq!(dec(&s["totals"]["eligible"]), d("15766.87"));
    assert_eq!(s["adjustments"].as_array().unwrap().len(), 0, "nothing late for Nyby's March");
    let missing: Vec<String> =
        findings(&s, "MISSING_SUBMISSION").into_iter().map(|(_, m)| m).filter(|m| m.contains("Nyby")).collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("2024-05"));
    let files = s["files"].as_array().unwrap();
    let march = files.iter().find(|f| f["path"] == "nyby/2024-03.xlsx").unwrap();
    assert_eq!(march["status"], "rejected");
    let xlsx = claim_workbook(&out, "2024-04", "2024-05");
    let parter = sheet(&xlsx, "Projektparter");
    assert_eq!(text(&row(&parter, "Nyby kommun")[2]), "Projektpart, från 2024-04");
    let o = redovisa(&[
        "submit",
        dir.to_str().unwrap(),
        "--from",
        "2024-04",
        "--to",
        "2024-05",
        "--today",
        TODAY,
        "--allow-errors",
    ]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    let l = ledger(dir);
    let nyby: Vec<String> = l.claims[1]
        .months
        .as_ref()
        .unwrap()
        .iter()
        .filter(|m| m.org_nr.as_ref().is_some_and(|n| n.as_str() == "212000-9994"))
        .map(|m| m.month.to_string())
        .collect();
    assert_eq!(nyby, vec!["2024-04"]);
    assert!(l.claims[1].decision.as_ref().unwrap().orgs.iter().any(|o| o.folder == "nyby"));
}

/// Claim 1 (2024-01 – 2024-02) has Kramfors' January only; February comes after it was sent.
fn february_late(dir: &Path) {
    put(dir, "kramfors", &KRAMFORS, "2024-01", 10.0);
    submit_ok(dir, "2024-01", "2024-02");
    put(dir, "kramfors", &KRAMFORS, "2024-02", 10.0);
    // Claim 1: January 5 255,62 kr, support floor2(5 255,62 × 0,3992) = floor2(2 098,043) = 2 098,04.
    assert_eq!((ledger(dir).claims[0].eligible, ledger(dir).claims[0].support), (d("5255.62"), d("2098.04")));
}

/// The total of a row of the claim workbook's `Finansiering` sheet, in the *Ackumulerat* column.
/// The Finansiering sheet's computed cash co-financing (eligible − in kind − support), apart from
/// what was paid in.
const REMAINDER: &str = "Kostnader som kontant medfinansiering ska täcka (beräknat, inte inbetalt)";

fn financing_cumulative(xlsx: &Path, label: &str) -> Decimal {
    let rows = sheet(xlsx, "Finansiering");
    let r = rows.iter().find(|r| r.first().map(text).as_deref() == Some(label)).unwrap();
    money(&r[4])
}

#[test]
fn a_partner_that_leaves_keeps_what_it_claimed_and_its_late_month_is_claimed() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    february_late(dir);
    // Kramfors leaves after February.
    edit(dir, &[("org_nr = \"212000-2429\"\n", "org_nr = \"212000-2429\"\nuntil = \"2024-02\"\n")]);
    put(dir, "harnosand", &HARNOSAND, "2024-03", 10.0);
    let (exit, s, out) = run(dir, "2024-03", "2024-03");
    assert_eq!(exit, 0, "{}", s["findings"]);
    // Kramfors' February is late but before it left: claimed whole, 5 255,62. Härnösand's March
    // (40,15 %, 40 % flat rate): personal 4 204,50, schablon floor2(1 681,80) = 1 681,80: 5 886,30.
    let adj = s["adjustments"].as_array().unwrap();
    assert_eq!(adj.len(), 1);
    assert_eq!((adj[0]["kind"].as_str(), adj[0]["month"].as_str()), (Some("late"), Some("2024-02")));
    assert_eq!(dec(&adj[0]["eligible"]), d("5255.62"));
    assert_eq!(dec(&s["totals"]["eligible"]), d("11141.92"));
    // No negative correction, no missing March for Kramfors.
    assert!(findings(&s, "MISSING_SUBMISSION").iter().all(|(_, m)| !m.contains("Kramfors")));
    let k = partner(&s, "kramfors");
    assert_eq!(dec(&k["cumulative_total"]), d("10511.24"));
    // Support: floor2(11 141,92 × 0,3992) = floor2(4 447,854) = 4 447,85; with claim 1 6 545,89.
    assert_eq!(dec(&s["totals"]["support"]), d("4447.85"));
    assert_eq!(dec(&s["support"]["claimed_total"]), d("6545.89"));
    // Cumulative eligible equals the ledger plus this claim: 5 255,62 + 11 141,92 = 16 397,54;
    // cash co-financing is what support and in kind leave: 16 397,54 − 6 545,89 = 9 851,65.
    let xlsx = claim_workbook(&out, "2024-03", "2024-03");
    let ledger_eligible: Decimal = ledger(dir).claims.iter().map(|c| c.eligible).sum();
    assert_eq!(cumulative_eligible(&xlsx), ledger_eligible + d("11141.92"));
    assert_eq!(cumulative_eligible(&xlsx), d("16397.54"));
    assert_eq!(financing_cumulative(&xlsx, REMAINDER), d("9851.65"));
    let parter = sheet(&xlsx, "Projektparter");
    assert_eq!(text(&row(&parter, "Kramfors kommun")[2]), "Projektpart, till 2024-02");
    submit_ok(dir, "2024-03", "2024-03");
    // The final report over the claims: the same cumulative figures.
    let (f, report) = final_report(dir, "2024-03");
    assert_eq!(dec(&partner(&f, "kramfors")["cumulative_total"]), d("10511.24"));
    assert_eq!(dec(&f["support"]["claimed_total"]), d("6545.89"));
    // In whole kronor, as the reports show amounts: 16 397,54 → 16 398 kr.
    assert!(report.contains("16\u{a0}398\u{a0}kr"), "the final report shows 16 398 kr");
}

#[test]
fn a_deleted_partner_keeps_what_it_claimed_and_is_named() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    february_late(dir);
    // Kramfors deleted from the file, its budget, support and cash out of the totals.
    rewrite(dir, without_kramfors);
    put(dir, "harnosand", &HARNOSAND, "2024-03", 10.0);
    let (exit, s, out) = run(dir, "2024-03", "2024-03");
    assert_eq!(exit, 0, "{}", s["findings"]);
    let removed = findings(&s, "PARTNER_REMOVED");
    assert_eq!(removed.len(), 1);
    assert!(removed[0].1.contains("Kramfors kommun (212000-2429)") && removed[0].1.contains("5 255,62"));
    // Its January stays in every cumulative figure; its late February cannot be claimed any more.
    let k = partner(&s, "kramfors");
    assert_eq!(
        (dec(&k["total"]), dec(&k["cumulative_total"]), k["in_decision"].as_bool()),
        (d("0"), d("5255.62"), Some(false))
    );
    assert_eq!(dec(&s["totals"]["eligible"]), d("5886.30"));
    let xlsx = claim_workbook(&out, "2024-03", "2024-03");
    // 5 255,62 + 5 886,30 = 11 141,92; support 2 098,04 + floor2(2 349,811) = 2 098,04 + 2 349,81.
    assert_eq!(cumulative_eligible(&xlsx), d("11141.92"));
    assert_eq!(dec(&s["support"]["claimed_total"]), d("4447.85"));
    assert_eq!(financing_cumulative(&xlsx, REMAINDER), d("11141.92") - d("4447.85"));
    assert_eq!(text(&row(&sheet(&xlsx, "Projektparter"), "Kramfors kommun")[2]), "Projektpart, inte längre i beslutet");
    // validate names it and asks for `until`.
    let v = redovisa(&["validate", dir.to_str().unwrap()]);
    assert_eq!(status(&v), 0, "{}", show(&v));
    let stdout = String::from_utf8_lossy(&v.stdout).replace('\u{a0}', " ");
    assert!(
        stdout.contains("varning: partner: Kramfors kommun (212000-2429) finns inte längre i projektfilen"),
        "{stdout}"
    );
    assert!(stdout.contains("until"));
    submit_ok(dir, "2024-03", "2024-03");
    let (f, report) = final_report(dir, "2024-03");
    let total: Decimal = f["partners"].as_array().unwrap().iter().map(|p| dec(&p["cumulative_total"])).sum::<Decimal>()
        + f["in_kind"].as_array().unwrap().iter().map(|p| dec(&p["cumulative_value"])).sum::<Decimal>();
    let ledger_eligible: Decimal = ledger(dir).claims.iter().map(|c| c.eligible).sum();
    assert_eq!(total, ledger_eligible);
    // 11 141,92 in whole kronor.
    assert!(report.contains("11\u{a0}142\u{a0}kr"));
}

/// Nora Norr of Kramfors: 2 150 000 kr a month (under Kramfors' staff budget of 2 270 430 kr),
/// 2 150 000 × 12 / 1 720 = 15 000 kr an hour, her hours in two equal time rows. 740 hours: lön
/// 11 100 000,00, lönebikostnad round2(11 100 000 × 0,4015) = 4 456 650,00, personal
/// 15 556 650,00, schablon floor2(3 889 162,5) = 3 889 162,50, stödgrundande 19 445 812,50,
/// support share 19 445 812,50 × 0,3992 = 7 778 325 − 15 556,65 = 7 762 768,35. 80 hours: lön
/// 1 200 000,00, lönebikostnad 481 800,00, schablon 420 450,00, stödgrundande 2 102 250,00, share
/// 839 218,20.
fn nora(dir: &Path, month: &str, hours: f64) {
    let nora = Person { name: "Nora Norr".into(), pnr: t(&pnr("19800202", "222")), salary: n(2_150_000.0), ..eva() };
    let (y, m) = month.split_once('-').unwrap();
    let day = |d| date(y.parse().unwrap(), m.parse().unwrap(), d);
    let book = Book::new()
        .with(info_sheet(&KRAMFORS, month, 1, true))
        .with(personal_sheet(std::slice::from_ref(&nora)))
        .with(time_sheet(vec![
            time_row(&nora.name, day(5), "1.1", n(hours / 2.0)),
            time_row(&nora.name, day(6), "1.1", n(hours / 2.0)),
        ]))
        .xlsx(Strings::Shared);
    let path = dir.join("inkorg/kramfors").join(format!("{month}.xlsx"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, book).unwrap();
}

#[test]
fn support_held_back_by_the_cap_comes_back_when_the_cap_is_raised() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    rewrite(dir, with_less_support);
    nora(dir, "2024-01", 740.0);
    submit_ok(dir, "2024-01", "2024-01");
    // Claim 1 is capped at 7 752 293,00 of its 7 762 768,35: 10 475,35 held back.
    let c1 = ledger(dir).claims[0].clone();
    assert_eq!((c1.support, c1.support_uncapped), (d("7752293.00"), Some(d("7762768.35"))));
    // A change decision raises the approved support back to 12 752 293.
    let original = std::fs::read_to_string(project_dir().join("project.toml")).unwrap();
    std::fs::write(dir.join("project.toml"), original).unwrap();
    append(dir, "[[change]]\nnumber = 2\ndecided = 2024-02-20\nwhat = \"Beviljat stöd höjs till 12 752 293 kr\"");
    nora(dir, "2024-02", 80.0);
    let (exit, s, out) = run(dir, "2024-02", "2024-02");
    assert_eq!(exit, 0, "{}", s["findings"]);
    // min(12 752 293, 7 762 768,35 + 839 218,20) − 7 752 293,00 = 8 601 986,55 − 7 752 293,00 =
    // 849 693,55: this claim's share and the 10 475,35 held back.
    assert_eq!(dec(&s["totals"]["support_uncapped"]), d("839218.20"));
    assert_eq!(dec(&s["totals"]["support"]), d("849693.55"));
    assert_eq!(dec(&s["support"]["claimed_total"]), d("8601986.55"));
    assert!(findings(&s, "SUPPORT_CAP_REACHED").is_empty());
    let xlsx = claim_workbook(&out, "2024-02", "2024-02");
    let summary = sheet(&xlsx, "Sammanställning");
    assert_eq!(money(&row(&summary, "Stöd som begärs i den här ansökan")[1]), d("849693.55"));
    submit_ok(dir, "2024-02", "2024-02");
    let c2 = ledger(dir).claims[1].clone();
    assert_eq!(c2.support, d("849693.55"));
    assert_eq!(c2.decision.unwrap().approved_support, d("12752293"));
}

#[test]
fn an_approved_support_lowered_below_the_claimed_is_an_error_naming_the_amount() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    nora(dir, "2024-01", 740.0);
    submit_ok(dir, "2024-01", "2024-01");
    assert_eq!(ledger(dir).claims[0].support, d("7762768.35"));
    rewrite(dir, with_less_support);
    nora(dir, "2024-02", 80.0);
    let (exit, s, out) = run(dir, "2024-02", "2024-02");
    assert_eq!(exit, 1);
    // 7 762 768,35 claimed against 7 752 293,00 approved: 10 475,35 too much, given back.
    let below = findings(&s, "APPROVED_SUPPORT_BELOW_CLAIMED");
    assert_eq!(below.len(), 1);
    assert_eq!(below[0].0, "error");
    assert!(below[0].1.contains("10 475,35"), "{below:?}");
    assert_eq!(dec(&s["totals"]["support"]), d("-10475.35"));
    assert_eq!(dec(&s["support"]["claimed_total"]), d("7752293.00"));
    let xlsx = claim_workbook(&out, "2024-02", "2024-02");
    assert_eq!(money(&row(&sheet(&xlsx, "Sammanställning"), "Stöd som begärs i den här ansökan")[1]), d("-10475.35"));
    assert_eq!(status(&submit(dir, "2024-02", "2024-02")), 2);
    assert_eq!(ledger(dir).claims.len(), 1);
    let v = redovisa(&["validate", dir.to_str().unwrap()]);
    assert_eq!(status(&v), 1);
    assert!(String::from_utf8_lossy(&v.stdout).contains("fel: project.approved_support:"));
}

#[test]
fn an_unchanged_rerun_of_a_submitted_period_is_said_on_the_terminal_only() {
    let tmp = project(|t| t);
    let dir = tmp.path();
    first_quarter(dir);
    let out = dir.join("igen");
    let o = redovisa(&[
        "run",
        dir.to_str().unwrap(),
        "--from",
        "2024-01",
        "--to",
        "2024-03",
        "--today",
        TODAY,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status(&o), 0, "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Perioden är ansökan 1, redan inskickad"), "{}", show(&o));
    // The outputs claim what was submitted, and say nothing more than the submitted claim's did.
    let s: Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(findings(&s, "PERIOD_ALREADY_SUBMITTED").is_empty());
    assert_eq!(dec(&s["totals"]["eligible"]), d("15766.87"));
}
