//! A claim's life through the binary, on an inbox written by the demo generator (another tool
//! than the reader): claim 1 (2024-01 – 2025-02) is submitted while Kramfors' February is
//! missing; the workbook arrives a week later, and Sollefteå corrects one time row in its
//! already-claimed January. Claim 2 (2025-03) must carry both, and the two claims must add up to
//! one pass over the final inbox. Read back from `summary.json`, the claim workbook (calamine)
//! and the receipts; then held back with `--hold-corrections`; then submitted.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use calamine::{Data, Reader, Xlsx, open_workbook};
use redovisa::ledger::{Ledger, LineKind};
use redovisa::project::Project;
use redovisa::read::Reporting;
use redovisa_demo::{self as demo, DemoOptions};
use rust_decimal::Decimal;
use serde_json::Value;

const TODAY: &str = "2025-04-10";

fn bin() -> Command {
    Command::cargo_bin("redovisa").unwrap()
}

/// Runs the binary, asserting its exit status; returns stdout.
fn redovisa(args: &[&str], status: i32) -> String {
    let out = bin().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(status),
        "redovisa {args:?}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("{v} is not a string")).parse().unwrap()
}

fn summary(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

/// The inbox file of an organisation's counting workbook for a month.
fn counting_file(dir: &Path, plan: &demo::Plan, folder: &str, month: &str) -> (PathBuf, usize) {
    let org = plan.orgs.iter().find(|o| o.folder == folder).unwrap();
    let i = org.workbooks.iter().position(|w| w.month.to_string() == month && !w.superseded).unwrap();
    (dir.join("inkorg").join(folder).join(&org.workbooks[i].file_name), i)
}

/// A copy of the project without its ledger: the single pass over the same inbox.
fn without_ledger(dir: &Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(dir.join(&rel)).unwrap() {
            let e = e.unwrap();
            let rel = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(copy.path().join(&rel)).unwrap();
                stack.push(rel);
            } else if rel != Path::new("ledger.jsonl") && !rel.starts_with("utdata") {
                std::fs::copy(dir.join(&rel), copy.path().join(&rel)).unwrap();
            }
        }
    }
    copy
}

/// A sheet of the claim workbook as rows of cells.
fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name).unwrap().rows().map(<[Data]>::to_vec).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn number(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => Decimal::try_from(*f).unwrap().round_dp(2),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("{other:?} is not a number"),
    }
}

#[test]
fn a_late_month_and_a_correction_reach_the_next_claim_and_the_claims_add_up() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let opts = DemoOptions { to: "2025-03".parse().unwrap(), ..DemoOptions::default() };
    demo::write(dir, &opts).unwrap();
    let project = Project::load(dir).unwrap();
    let plan = demo::plan(&project, &opts);
    let d = dir.display().to_string();

    // Claim 1 without Kramfors' February.
    let (feb, _) = counting_file(dir, &plan, "kramfors", "2025-02");
    let feb_bytes = std::fs::read(&feb).unwrap();
    std::fs::remove_file(&feb).unwrap();
    redovisa(&["submit", &d, "--from", "2024-01", "--to", "2025-02", "--today", TODAY], 0);
    let claim1 = Ledger::load(dir).unwrap().claims[0].clone();
    assert!(
        !claim1.months.as_ref().unwrap().iter().any(|l| l.folder == "kramfors" && l.month.to_string() == "2025-02")
    );

    // February arrives; Sollefteå adds 2,5 hours to one time row of its claimed January.
    std::fs::write(&feb, &feb_bytes).unwrap();
    let (jan, i) = counting_file(dir, &plan, "solleftea", "2025-01");
    let org = plan.orgs.iter().find(|o| o.folder == "solleftea").unwrap();
    let mut wb = org.workbooks[i].clone();
    let row = wb.time.iter().position(|t| org.staff[t.person].reporting == Reporting::TimeReport).unwrap();
    wb.time[row].hours += Decimal::new(25, 1);
    std::fs::write(&jan, demo::render::workbook(org, &wb, &project.info.name).unwrap()).unwrap();

    let out = dir.join("utdata/ansokan2");
    let o = out.display().to_string();
    redovisa(&["run", &d, "--today", TODAY, "--out", &o], 0);
    let s = summary(&out);
    assert_eq!((s["period"]["from"].as_str(), s["period"]["to"].as_str()), (Some("2025-03"), Some("2025-03")));
    assert_eq!(s["claim"], 2);
    let adj = s["adjustments"].as_array().unwrap();
    let kinds: Vec<(&str, &str, &str, u64, bool)> = adj
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap(),
                a["folder"].as_str().unwrap(),
                a["month"].as_str().unwrap(),
                a["claim"].as_u64().unwrap(),
                a["held"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![("late", "kramfors", "2025-02", 1, false), ("correction", "solleftea", "2025-01", 1, false)]
    );
    assert_eq!((adj[0]["partner"].as_str(), adj[0]["org_nr"].as_str()), (Some("Kramfors kommun"), Some("212000-2429")));
    // The correction is the 2,5 hours added, with the old and the new workbook.
    let correction = &adj[1];
    assert_eq!(dec(&correction["hours"]), Decimal::new(25, 1));
    assert!(dec(&correction["staff_costs"]) > Decimal::ZERO);
    let files = correction["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!((files[0]["role"].as_str(), files[1]["role"].as_str()), (Some("counted"), Some("claimed")));
    assert_eq!(files[0]["path"], files[1]["path"], "edited in place");
    assert_ne!(files[0]["sha256"], files[1]["sha256"]);
    assert!(correction["persons"][0].get("pnr").is_none(), "no personnummer in summary.json");
    for a in adj {
        let sum = dec(&a["staff_costs"]) + dec(&a["flat_rate"]) + dec(&a["other_costs"]) + dec(&a["in_kind"]);
        assert_eq!(sum, dec(&a["eligible"]));
    }
    // The claim's totals include them, and so do its partners.
    let t = &s["totals"];
    let sup = &s["support"];
    let late = dec(&adj[0]["eligible"]);
    let corrected = dec(&adj[1]["eligible"]);
    assert_eq!((dec(&sup["eligible_late"]), dec(&sup["eligible_corrections"])), (late, corrected));
    assert_eq!(dec(&sup["eligible_period"]) + late + corrected, dec(&t["eligible"]));
    let partners: Decimal = s["partners"].as_array().unwrap().iter().map(|p| dec(&p["total"])).sum();
    let in_kind: Decimal = s["in_kind"].as_array().unwrap().iter().map(|p| dec(&p["value"])).sum();
    assert_eq!(partners + in_kind, dec(&t["eligible"]));
    let codes: Vec<(&str, &str, &str)> = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["code"].as_str(), Some("LATE_MONTH" | "CHANGED_AFTER_CLAIM")))
        .map(|f| (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap(), f["partner"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        vec![("LATE_MONTH", "warning", "Kramfors kommun"), ("CHANGED_AFTER_CLAIM", "warning", "Sollefteå kommun")]
    );

    // The two claims add up to one pass over the final inbox.
    let once_dir = without_ledger(dir);
    let once_out = once_dir.path().join("utdata/en-gang");
    let (od, oo) = (once_dir.path().display().to_string(), once_out.display().to_string());
    redovisa(&["run", &od, "--from", "2024-01", "--to", "2025-03", "--today", TODAY, "--out", &oo], 0);
    let once = summary(&once_out);
    let claim1_staff: Decimal = claim1.months.as_ref().unwrap().iter().map(|l| l.content.staff).sum();
    let claim1_in_kind: Decimal = claim1.months.as_ref().unwrap().iter().map(|l| l.in_kind).sum();
    assert_eq!(claim1_staff - claim1_in_kind + dec(&t["staff_costs"]), dec(&once["totals"]["staff_costs"]));
    assert_eq!(claim1_in_kind + dec(&t["in_kind"]), dec(&once["totals"]["in_kind"]));
    let two_claims = claim1.eligible + dec(&t["eligible"]);
    let one_pass = dec(&once["totals"]["eligible"]);
    // Flat rates are rounded down per claim and per late or corrected month: a few öre at most.
    assert!((one_pass - two_claims).abs() <= Decimal::new(30, 2), "{two_claims} against {one_pass}");
    // Kramfors' February in claim 2 is what the single pass counts for it.
    let once_feb = without_ledger(dir);
    let feb_out = once_feb.path().join("utdata/feb");
    let (fd, fo) = (once_feb.path().display().to_string(), feb_out.display().to_string());
    redovisa(&["run", &fd, "--from", "2025-02", "--to", "2025-02", "--today", TODAY, "--out", &fo], 0);
    let feb_once = summary(&feb_out);
    let kramfors = feb_once["partners"].as_array().unwrap().iter().find(|p| p["folder"] == "kramfors").unwrap().clone();
    assert_eq!(dec(&adj[0]["staff_costs"]), dec(&kramfors["staff_costs"]));
    assert_eq!(dec(&adj[0]["eligible"]), dec(&kramfors["total"]));

    // The claim workbook shows them on their own, and the claims over the project's life.
    let xlsx = out.join("ansokan-2025-03_2025-03.xlsx");
    let rows = sheet(&xlsx, "Tidigare månader");
    assert_eq!(text(&rows[1][0]), "Projektpart");
    assert_eq!((text(&rows[2][0]), text(&rows[2][3])), ("Kramfors kommun".into(), "Sen månad".into()));
    assert_eq!((text(&rows[3][0]), text(&rows[3][3])), ("Sollefteå kommun".into(), "Rättelse".into()));
    assert_eq!((number(&rows[2][10]), number(&rows[3][10])), (late, corrected));
    assert_eq!(text(&rows[4][0]), "Summa");
    assert_eq!(number(&rows[4][10]), late + corrected);
    let summary_rows = sheet(&xlsx, "Sammanställning");
    let claim_row = summary_rows.iter().find(|r| text(&r[0]) == "Ansökan 1 (inskickad)").unwrap();
    assert_eq!((number(&claim_row[2]), number(&claim_row[3])), (claim1.eligible, claim1.support));
    let personal = sheet(&xlsx, "Personal");
    let avser: Vec<String> = personal.iter().skip(1).map(|r| text(&r[4])).collect();
    assert!(avser.contains(&"Sen månad 2025-02".to_string()), "{avser:?}");
    assert!(avser.contains(&"Rättelse 2025-01".to_string()), "{avser:?}");
    assert!(personal.iter().skip(1).all(|r| text(&r[3]).starts_with("Registrerad i ansökan 1")
        || text(&r[3]) == "Ny – registreras"
        || text(&r[0]) == "Summa"));

    // The receipts say which claim took or takes each month.
    let receipt = std::fs::read_to_string(out.join("kvitto/kramfors.txt")).unwrap();
    assert!(receipt.contains("2025-02  sen månad – tas med i denna ansökan (nr 2)"), "{receipt}");
    assert!(receipt.contains("2025-01  ingår i ansökan 1"), "{receipt}");
    assert!(receipt.contains("LATE_MONTH"), "{receipt}");
    let receipt = std::fs::read_to_string(out.join("kvitto/solleftea.txt")).unwrap();
    assert!(receipt.contains("2025-01  rättad – skillnaden tas med i denna ansökan (nr 2)"), "{receipt}");
    assert!(receipt.contains("CHANGED_AFTER_CLAIM"), "{receipt}");
    let status = std::fs::read_to_string(out.join("manadsstatus.txt")).unwrap();
    assert!(status.contains("2025-02  sen månad"), "{status}");

    // Held back: listed, reported, not claimed.
    let held_out = dir.join("utdata/inne");
    let h = held_out.display().to_string();
    redovisa(&["run", &d, "--today", TODAY, "--out", &h, "--hold-corrections"], 0);
    let held = summary(&held_out);
    assert_eq!(held["adjustments"][1]["held"], true);
    assert_eq!(dec(&held["support"]["eligible_held"]), corrected);
    assert_eq!(dec(&held["totals"]["eligible"]), dec(&t["eligible"]) - corrected);
    let receipt = std::fs::read_to_string(held_out.join("kvitto/solleftea.txt")).unwrap();
    assert!(receipt.contains("2025-01  rättad – skillnaden hålls inne"), "{receipt}");

    // Submitted, claim 2 records both; the next run has nothing left to carry.
    redovisa(&["submit", &d, "--from", "2025-03", "--to", "2025-03", "--today", TODAY], 0);
    let claim2 = Ledger::load(dir).unwrap().claims[1].clone();
    let carried: Vec<(String, String, LineKind)> = claim2
        .months
        .unwrap()
        .into_iter()
        .filter(|l| l.kind != LineKind::Period)
        .map(|l| (l.folder, l.month.to_string(), l.kind))
        .collect();
    assert_eq!(
        carried,
        vec![
            ("kramfors".into(), "2025-02".into(), LineKind::Late),
            ("solleftea".into(), "2025-01".into(), LineKind::Correction)
        ]
    );
    let next_out = dir.join("utdata/ansokan3");
    let n = next_out.display().to_string();
    redovisa(&["run", &d, "--from", "2025-04", "--to", "2025-04", "--today", TODAY, "--out", &n], 0);
    assert_eq!(summary(&next_out)["adjustments"].as_array().unwrap().len(), 0);
}
