//! What users meet on the terminal: Swedish throughout, the documented exit statuses, a closed
//! pipe that ends quietly, and `submit` taking its period from the reporting plan.
//!
//! Every command is run with wrong arguments (unknown flags, bad months and dates, missing
//! values, paths that do not exist) and its output is searched for English. The operating
//! system's own words are kept where an OS error is reported, but always inside a parenthesis
//! that says so ("systemets text: …"); that parenthesis is taken out before the search.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use redovisa_demo::{self as demo, DemoOptions};

fn bin() -> Command {
    Command::cargo_bin("redovisa").unwrap()
}

/// Words that only English output contains (clap's, the OS's, serde's and TOML's).
const ENGLISH: &[&str] = &[
    "error:",
    "Error",
    "invalid",
    "required",
    "No such",
    "For more information",
    "Usage:",
    "expected",
    "missing field",
    "unknown",
    "found",
    "Permission denied",
    "not a directory",
    "panicked",
    "the following",
    "COMMAND",
    "try '--help'",
];

/// The output with the marked OS text ("(systemets text: …)", parentheses balanced) taken out.
fn without_os_text(text: &str) -> String {
    let marker = format!("({}", redovisa::sv::OS_TEXT);
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        let mut depth = 0;
        let mut end = rest.len();
        for (i, c) in rest[at..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Runs the binary with `args`; returns its exit code and everything it printed.
fn output(args: &[&str]) -> (Option<i32>, String) {
    let out = bin().args(args).env_remove("REDOVISA_TODAY").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

fn assert_swedish(args: &[&str], text: &str) {
    let searched = without_os_text(text);
    for word in ENGLISH {
        assert!(!searched.contains(word), "«{word}» in the output of {args:?}:\n{text}");
    }
    assert!(searched.contains("redovisa:"), "the error is said, prefixed: {args:?}\n{text}");
}

#[test]
fn every_command_says_what_is_wrong_with_its_arguments_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    demo::write(&project, &DemoOptions { to: "2024-02".parse().unwrap(), ..DemoOptions::default() }).unwrap();
    let p = project.to_str().unwrap();
    let missing = dir.path().join("finns-inte");
    let m = missing.to_str().unwrap();
    let workbook = dir.path().join("saknas.xlsx");
    let w = workbook.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["frobnicate"],
        vec!["--bogus"],
        vec!["validate"],
        vec!["validate", m],
        vec!["validate", p, "--bogus"],
        vec!["run"],
        vec!["run", m],
        vec!["run", p, "--to", "2025-13"],
        vec!["run", p, "--from", "januari"],
        vec!["run", p, "--to"],
        vec!["run", p, "--threads", "två"],
        vec!["run", p, "--today", "2025-02-31"],
        vec!["run", p, "--hold-correction"],
        vec!["check"],
        vec!["check", w],
        vec!["check", w, "--project", p],
        vec!["check", d, "--project", p],
        vec!["check", w, "--project", m],
        vec!["template", p],
        vec!["template", p, "--partner", "kramfors"],
        vec!["template", p, "--partner", "kramfors", "--month", "2025-00"],
        vec!["template", p, "--partner", "finns-inte", "--month", "2025-01"],
        vec!["template", m, "--partner", "kramfors", "--month", "2025-01"],
        vec!["submit"],
        vec!["submit", m],
        vec!["submit", p, "--from", "2024-13"],
        vec!["submit", p, "--from", "2024-02", "--to", "2024-02"],
        vec!["ledger"],
        vec!["ledger", "repair"],
        vec!["ledger", "repair", m],
        vec!["ledger", "mend", p],
        vec!["final", p, "--to", "x"],
        vec!["final", m],
        vec!["watch"],
        vec!["watch", m],
        vec!["demo"],
        vec!["demo", d, "--copies", "många"],
        vec!["demo", d, "--seed", "-1"],
        vec!["demo", d, "--to", "2024"],
    ];
    for args in &cases {
        let (code, text) = output(args);
        assert_eq!(code, Some(2), "{args:?} could not run: exit 2\n{text}");
        assert_swedish(args, &text);
    }
}

#[test]
fn the_os_text_is_kept_but_marked() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("finns-inte");
    let (code, text) = output(&["validate", missing.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(text.contains("finns inte (systemets text: "), "{text}");
    assert!(text.contains("project.toml"), "the path is named: {text}");
}

#[test]
fn check_of_a_file_that_does_not_exist_or_is_no_workbook_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    demo::write(&project, &DemoOptions { to: "2024-01".parse().unwrap(), ..DemoOptions::default() }).unwrap();
    let p = project.to_str().unwrap();
    let missing = dir.path().join("kramfors-2024-05.xlsx");
    let (code, text) = output(&["check", missing.to_str().unwrap(), "--project", p]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("kramfors-2024-05.xlsx") && text.contains("finns inte"), "{text}");
    assert!(!text.contains("0 fel"), "no clean bill of health for a missing file: {text}");
    // A PDF under a workbook's name: the check says what it is, and exits 2.
    let pdf = dir.path().join("rapport.xlsx");
    std::fs::write(&pdf, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n").unwrap();
    let (code, text) = output(&["check", pdf.to_str().unwrap(), "--project", p]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("FILE_UNREADABLE"), "{text}");
    // A spreadsheet in another format.
    let ods = dir.path().join("rapport.ods");
    std::fs::write(&ods, b"PK\x03\x04 not really").unwrap();
    let (code, text) = output(&["check", ods.to_str().unwrap(), "--project", p]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("WRONG_FORMAT") && text.contains("LibreOffice"), "{text}");
}

#[test]
fn a_reader_that_closes_the_pipe_early_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-02".parse().unwrap(), ..DemoOptions::default() }).unwrap();
    let out = dir.path().join("ut");
    let mut child = bin()
        .args(["run", dir.path().to_str().unwrap(), "--from", "2024-01", "--to", "2024-02", "--json", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -1`: read one line, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(matches!(status.code(), Some(0 | 1)), "a documented status, not a panic (101): {status:?}\n{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert!(out.join("summary.json").is_file(), "the outputs are written");
}

/// The plan's claims of the demo project, from its project file.
fn plan(project: &Path) -> Vec<(String, String)> {
    let p = redovisa::project::Project::load(project).unwrap();
    p.reporting.iter().map(|c| (c.from.to_string(), c.to.to_string())).collect()
}

#[test]
fn submit_takes_the_next_planned_claim_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-08".parse().unwrap(), ..DemoOptions::default() }).unwrap();
    let claims = plan(dir.path());
    // The seed project's assumed plan: four-month claims from the project's start.
    assert_eq!(claims[0], ("2024-01".to_string(), "2024-04".to_string()));
    assert_eq!(claims[1], ("2024-05".to_string(), "2024-08".to_string()));
    let p = dir.path().to_str().unwrap();
    for (n, (from, to)) in claims[..2].iter().enumerate() {
        let out = bin().args(["submit", p, "--today", "2024-09-10"]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        assert!(
            stdout.contains(&format!("Ansökan {} för {from} – {to} är registrerad", n + 1)),
            "claim {} is the plan's: {stdout}",
            n + 1
        );
        assert!(
            stderr.contains(&format!("ansökan {} av {} gäller {from} – {to}", n + 1, claims.len())),
            "the plan's claim is named: {stderr}"
        );
    }
    let ledger = redovisa::ledger::Ledger::load(dir.path()).unwrap();
    let periods: Vec<(String, String)> = ledger.claims.iter().map(|c| (c.from.to_string(), c.to.to_string())).collect();
    assert_eq!(periods, claims[..2].to_vec());
    // --from/--to still work, and a wrong start is refused in Swedish.
    let out =
        bin().args(["submit", p, "--from", "2024-01", "--to", "2024-08", "--today", "2024-09-10"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("ansökan måste börja 2024-09"), "{text}");
}

#[test]
fn counts_agree_with_their_nouns_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions { to: "2024-01".parse().unwrap(), ..DemoOptions::default() }).unwrap();
    let p = dir.path().to_str().unwrap();
    // One month is not a claim of the plan (2024-01 – 2024-04): exactly one warning,
    // PERIOD_NOT_IN_PLAN.
    let out = bin().args(["run", p, "--from", "2024-01", "--to", "2024-01", "--today", "2024-02-10"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Period 2024-01 – 2024-01: 0 fel, 1 varning."), "{stderr}");
    let out =
        bin().args(["submit", p, "--from", "2024-01", "--to", "2024-01", "--today", "2024-02-10"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The demo writes one workbook per organisation and month: 11 organisations.
    assert!(stdout.contains(", 11 arbetsböcker."), "{stdout}");
}

/// The README's first command: the demo's clock and plan agree, so the run is a planned claim,
/// on time, with no alarm. Run twice (as a user would), the second run builds on the ledger the
/// first wrote and says the same.
#[test]
fn the_first_run_is_a_planned_claim_on_time_without_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    for round in 0..2 {
        let out = bin().args(["demo", p.to_str().unwrap(), "--run"]).env_remove("REDOVISA_TODAY").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("Period 2026-05 – 2026-08: 0 fel, 0 varningar."), "round {round}: {stderr}");
        // Claim 8 of the assumed plan is due 2026-09-30; the demo's clock is 2026-09-10.
        assert!(
            stderr.contains(
                "ansökan 8 av 10 gäller 2026-05 – 2026-08 och ska vara inne senast 2026-09-30 (20 dagar kvar)"
            ),
            "{stderr}"
        );
        assert!(!stderr.contains("försenad") && !stderr.contains("följer inte planen"), "{stderr}");
        let submitted = stderr.matches("är registrerad").count();
        assert_eq!(submitted, if round == 0 { 7 } else { 0 }, "the plan's first seven claims, once: {stderr}");
    }
    let ledger = redovisa::ledger::Ledger::load(&p).unwrap();
    assert_eq!(ledger.claims.len(), 7);
    assert_eq!(ledger.claims[6].to.to_string(), "2026-04");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("utdata/2026-05_2026-08/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["claim"], serde_json::json!(8), "{}", summary["claim"]);
}
