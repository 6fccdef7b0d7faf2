//! Issue 24 through the binary: a mistake never raises the claim, and its finding says what is
//! held out and what to do (`docs/rules.md`, "What an error leaves out"). The law itself, over the
//! demo inbox, is the property test `tests/mistakes.rs`; `template`'s refusal to overwrite is in
//! `template_command.rs`.
//!
//! Kramfors' March 2025 below: Anna Andersson reports 26,5 h (4 time rows), Bertil Berg has a
//! fixed share of 50 % and 16 h of VAB in `Frånvaro`. By hand (k = 1 for both in March 2025):
//!
//! - Anna: 45 000 × 12 / 1 720 × 1,024 = 321,488372… kr/h; lön round2(26,5 × …) = 8 519,44,
//!   on-costs round2(8 519,44 × 0,4015) = 3 420,56: 11 940,00.
//! - Bertil: 52 300,50 × 12 / 1 720 × 1,024 = 373,644502… kr/h; 1 720 × 0,5 / 12 − 16 = 55,666… h;
//!   lön round2(20 799,54…) = 20 799,54, on-costs round2(8 351,015…) = 8 351,02: 29 150,56.
//!   Without the 16 h: 71,666… h, lön 26 777,86, on-costs 10 751,31: 37 529,17.
//! - Flat rate 25 %, rounded down: clean floor2(41 090,56 × 0,25) = 10 272,64, total 51 363,20;
//!   with Bertil held out floor2(11 940,00 × 0,25) = 2 985,00, total 14 925,00. Leaving out only
//!   the absence row (as before) gave 11 940,00 + 37 529,17 = 49 469,17 + 12 367,29 = 61 836,46.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use redovisa::contract::Sheet as ContractSheet;
use redovisa::project::Project;
use serde_json::Value;
use support::*;

fn absence(reason: &str) -> support::Sheet {
    let rows = vec![vec![t("Bertil Berg"), t("2025-03"), n(16.0), t(reason)]];
    table("Frånvaro", "A1", &headers(ContractSheet::Franvaro), rows)
}

fn march(reason: &str) -> Vec<u8> {
    let mut b = valid_book();
    b.replace(absence(reason));
    b.xlsx(Strings::Shared)
}

/// `redovisa <args>` on the project, `--today` fixed; returns (exit status, stderr).
fn redovisa(p: &Project, args: &[&str]) -> (i32, String) {
    let o = Command::cargo_bin("redovisa").unwrap().arg(args[0]).arg(&p.dir).args(&args[1..]).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// `redovisa run` for `from`–`to` into `<project>/ut`; returns the exit status and summary.json.
fn run(p: &Project, from: &str, to: &str) -> (i32, Value) {
    let out = p.dir.join("ut");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_str().unwrap();
    let (code, stderr) = redovisa(p, &["run", "--from", from, "--to", to, "--today", "2027-06-01", "--out", out_arg]);
    assert!(code == 0 || code == 1, "run: {stderr}");
    (code, serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap())
}

fn receipt(p: &Project, folder: &str) -> String {
    std::fs::read_to_string(p.dir.join("ut/kvitto").join(format!("{folder}.txt"))).unwrap()
}

fn partner<'a>(summary: &'a Value, folder: &str) -> &'a Value {
    summary["partners"].as_array().unwrap().iter().find(|x| x["folder"] == folder).unwrap()
}

/// The findings of a file as `CODE Sheet!Cell`.
fn findings_of(summary: &Value, file: &str) -> Vec<String> {
    summary["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == file)
        .map(|f| {
            format!(
                "{} {}!{}",
                f["code"].as_str().unwrap(),
                f["sheet"].as_str().unwrap_or(""),
                f["cell"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn message<'a>(summary: &'a Value, code: &str) -> &'a str {
    let f = summary["findings"].as_array().unwrap().iter().find(|f| f["code"] == code).unwrap();
    f["message"].as_str().unwrap()
}

#[test]
fn an_absence_error_holds_the_person_month_until_it_is_fixed() {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &march("VAB"));
    let (code, clean) = run(&p, "2025-03", "2025-03");
    assert_eq!(code, 0);
    assert_eq!(partner(&clean, "kramfors")["total"], "51363.20");

    // «Vård av barn» is no reason of the list: the row cannot be read, and Bertil, whose hours it
    // would lower, is held out for the month instead of costed without the deduction.
    put_in_inbox(&p, "kramfors/mars.xlsx", &march("Vård av barn"));
    let (code, held) = run(&p, "2025-03", "2025-03");
    assert_eq!(code, 1);
    let kramfors = partner(&held, "kramfors");
    assert_eq!((kramfors["staff_costs"].as_str(), kramfors["total"].as_str()), (Some("11940.00"), Some("14925.00")));
    assert_eq!(findings_of(&held, "kramfors/mars.xlsx"), vec!["BAD_VALUE Frånvaro!D2", "HELD_OUT Personal!A3"]);
    assert!(message(&held, "HELD_OUT").starts_with("Bertil Berg räknas inte alls för 2025-03"));
    let text = receipt(&p, "kramfors");
    assert!(text.contains("2 fel: det som felen gäller räknas inte i beloppen"), "{text}");
    assert!(text.contains("Rätta cellerna i arbetsboken"), "{text}");

    // Submitted with the error, the claim holds the lower figure; once the row is fixed, the
    // held-out month is a correction like any other: Bertil's 29 150,56 and the flat rate on it,
    // floor2(41 090,56 × 0,25) − 2 985,00 = 7 287,64.
    let (code, stderr) = redovisa(&p, &["submit", "--from", "2024-01", "--to", "2025-03", "--allow-errors"]);
    assert_eq!(code, 0, "{stderr}");
    put_in_inbox(&p, "kramfors/mars.xlsx", &march("VAB"));
    let (_, next) = run(&p, "2025-04", "2025-04");
    let corrections: Vec<&Value> =
        next["adjustments"].as_array().unwrap().iter().filter(|a| a["folder"] == "kramfors").collect();
    assert_eq!(corrections.len(), 1, "{corrections:?}");
    let c = corrections[0];
    assert_eq!((c["kind"].as_str(), c["month"].as_str()), (Some("correction"), Some("2025-03")));
    assert_eq!(
        (c["staff_costs"].as_str(), c["flat_rate"].as_str(), c["eligible"].as_str()),
        (Some("29150.56"), Some("7287.64"), Some("36438.20"))
    );
}

/// A May workbook whose Period still says April: one error at the Period, and April's workbook
/// keeps counting. The receipt's advice fits: fix the Period, not a higher version.
#[test]
fn a_wrong_period_is_named_and_replaces_nothing() {
    let (_d, p) = inbox_project();
    let april = |edit: &dyn Fn(&mut Book)| {
        let mut b = book_for(&KRAMFORS, "2025-04");
        b.replace(time_sheet(vec![time_row("Anna Andersson", date(2025, 4, 7), "1.1", n(8.0))]));
        edit(&mut b);
        b.xlsx(Strings::Shared)
    };
    put_in_inbox(&p, "kramfors/april.xlsx", &april(&|_| {}));
    // May's rows (six dated rows in May), the Period left at April, version 1 like April's.
    let may_rows: Vec<Vec<Cell>> =
        (5..11).map(|d| time_row("Anna Andersson", date(2025, 5, d), "1.1", n(7.5))).collect();
    put_in_inbox(
        &p,
        "kramfors/maj.xlsx",
        &april(&|b| {
            b.replace(time_sheet(may_rows.clone()));
        }),
    );
    let (code, s) = run(&p, "2025-04", "2025-05");
    assert_eq!(code, 1);
    assert_eq!(findings_of(&s, "kramfors/maj.xlsx"), vec!["WRONG_PERIOD Uppgifter!B3"]);
    assert!(
        message(&s, "WRONG_PERIOD").starts_with("Perioden är 2025-04 men raderna gäller 2025-05 – rätta Perioden.")
    );
    let files = s["files"].as_array().unwrap();
    let status = |path: &str| files.iter().find(|f| f["path"] == path).unwrap()["status"].as_str().unwrap().to_string();
    assert_eq!((status("kramfors/april.xlsx"), status("kramfors/maj.xlsx")), ("used".into(), "rejected".into()));
    // April's workbook counts: Anna's 8 h, round2(8 × 321,488372…) = 2 571,91 and on-costs
    // round2(1 032,621…) = 1 032,62; Bertil's whole fixed share (no absence) 37 529,17 as above:
    // 3 604,53 + 37 529,17 = 41 133,70.
    assert_eq!(partner(&s, "kramfors")["staff_costs"], "41133.70");
    let text = receipt(&p, "kramfors");
    assert!(text.contains("En fil som inte räknas alls"), "{text}");
    assert!(!text.contains("ge den en högre Version"), "no version advice for a file that does not count: {text}");
}

/// Version 2 of a month without attestation: the message names it and says that nothing counts
/// meanwhile, and the month is not reported missing on top.
#[test]
fn an_unattested_version_2_says_what_counts_meanwhile() {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    let mut v2 = valid_book();
    v2.replace(info_sheet(&KRAMFORS, "2025-03", 2, false));
    v2.sheet("Tidrapport").set("D2", n(8.0));
    put_in_inbox(&p, "kramfors/mars v2.xlsx", &v2.xlsx(Strings::Shared));
    let (code, s) = run(&p, "2025-03", "2025-03");
    assert_eq!(code, 1);
    let m = message(&s, "NOT_ATTESTED");
    assert!(m.starts_with("Version 2 av 2025-03 saknar attest"), "{m}");
    assert!(m.contains("Till dess räknas ingen arbetsbok för 2025-03: version 1 är ersatt av den nya."), "{m}");
    let missing = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "MISSING_SUBMISSION" && f["partner"] == "kramfors");
    assert!(!missing, "the month is not reported missing as well");
    assert_eq!(partner(&s, "kramfors")["total"], "0.00");
}
