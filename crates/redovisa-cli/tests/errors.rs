//! The error catalogue through the binary (as hledger keeps `test/errors/`): for every finding
//! code, the smallest inbox that raises it, run through `redovisa run`, with the expected code,
//! severity, place (file, sheet, cell), a piece of the Swedish message and the exit status (0 done,
//! 1 done with error findings). A code without a case fails [`every_code_has_a_case`].
//!
//! The workbooks are written by the tests' own xlsx writer (`tests/support`), not by the crate.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use redovisa::finding::Code;
use redovisa::project::Project;
use serde_json::Value;
use support::*;

/// Codes covered elsewhere because no small inbox can raise them through the binary on demand.
const ELSEWHERE: &[(&str, &str)] = &[(
    "FILE_CHANGED_DURING_RUN",
    "needs a write racing the read; tests/inbox.rs changes a file between hashing and reading",
)];

/// What a case expects to find.
struct Expect {
    code: &'static str,
    severity: &'static str,
    file: Option<&'static str>,
    sheet: Option<&'static str>,
    cell: Option<&'static str>,
    says: &'static str,
    exit: i32,
}

/// Runs `redovisa run` on the project for March 2025 (or `period`) and returns summary.json.
fn run(p: &Project, period: &str, exit: i32) -> Value {
    run_as(Command::cargo_bin("redovisa").unwrap(), p, period, exit)
}

/// [`run`] by a user who cannot read every file: root gives up the capabilities that let it
/// read past file permissions (`setpriv`), anyone else is such a user already.
fn run_unprivileged(p: &Project, period: &str, exit: i32) -> Value {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--bounding-set=-dac_override,-dac_read_search", env!("CARGO_BIN_EXE_redovisa")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_redovisa"))
    };
    run_as(cmd, p, period, exit)
}

/// Chmods `path` to `mode` (octal).
#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn run_as(mut cmd: Command, p: &Project, period: &str, exit: i32) -> Value {
    let out = p.dir.join("ut");
    let _ = std::fs::remove_dir_all(&out);
    let o = cmd
        .args(["run", p.dir.to_str().unwrap(), "--from", period, "--to", period, "--today", "2027-06-01"])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(exit),
        "exit status\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

fn submit(p: &Project, from: &str, to: &str) {
    let o = Command::cargo_bin("redovisa")
        .unwrap()
        .args(["submit", p.dir.to_str().unwrap(), "--from", from, "--to", to, "--allow-errors"])
        .output()
        .unwrap();
    assert!(o.status.success(), "submit: {}", String::from_utf8_lossy(&o.stderr));
}

/// Asserts that `summary` holds a finding as expected, and returns its message.
fn assert_finding(summary: &Value, e: &Expect) -> String {
    let findings = summary["findings"].as_array().unwrap();
    let s = |v: &Value| v.as_str().map(str::to_string);
    let hit = findings.iter().find(|f| {
        f["code"] == e.code
            && s(&f["file"]).as_deref() == e.file
            && s(&f["sheet"]).as_deref() == e.sheet
            && s(&f["cell"]).as_deref() == e.cell
    });
    let listed: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {} {} {} {}", f["code"], f["file"], f["sheet"], f["cell"], f["message"]))
        .collect();
    let f = hit.unwrap_or_else(|| {
        panic!("{} at {:?} {:?} {:?} not among\n{}", e.code, e.file, e.sheet, e.cell, listed.join("\n"))
    });
    assert_eq!(f["severity"], e.severity, "{}", e.code);
    let message = f["message"].as_str().unwrap().to_string();
    assert!(message.contains(e.says), "{}: «{message}» does not say «{}»", e.code, e.says);
    message
}

fn kramfors_march(edit: impl FnOnce(&mut Book)) -> Vec<u8> {
    let mut b = valid_book();
    edit(&mut b);
    b.xlsx(Strings::Shared)
}

/// One case: sets up the inbox (and ledger), runs, asserts; returns the code it covers.
type Case = fn() -> &'static str;

fn check(p: &Project, period: &str, e: Expect) -> &'static str {
    let summary = run(p, period, e.exit);
    assert_finding(&summary, &e);
    e.code
}

fn file_unreadable() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", b"this is no zip archive");
    check(
        &p,
        "2025-03",
        Expect {
            code: "FILE_UNREADABLE",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: None,
            cell: None,
            says: "xlsx",
            exit: 1,
        },
    )
}

fn wrong_format() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xls", b"\xd0\xcf\x11\xe0 old excel");
    check(
        &p,
        "2025-03",
        Expect {
            code: "WRONG_FORMAT",
            severity: "error",
            file: Some("kramfors/mars.xls"),
            sheet: None,
            cell: None,
            says: "Spara som",
            exit: 1,
        },
    )
}

fn missing_sheet() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.remove("Personal");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "MISSING_SHEET",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: None,
            says: "Lägg till Personal",
            exit: 1,
        },
    )
}

fn missing_column() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D1", "Tid");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "MISSING_COLUMN",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("F1"),
            says: "Timmar",
            exit: 1,
        },
    )
}

fn unknown_partner() -> &'static str {
    let (_d, p) = inbox_project();
    let stranger = orgnr("556677889");
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Uppgifter").set("B2", t(&stranger));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "UNKNOWN_PARTNER",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Uppgifter"),
            cell: None,
            says: "tillhör ingen part",
            exit: 1,
        },
    )
}

fn wrong_folder() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "harnosand/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    check(
        &p,
        "2025-03",
        Expect {
            code: "WRONG_FOLDER",
            severity: "error",
            file: Some("harnosand/mars.xlsx"),
            sheet: Some("Uppgifter"),
            cell: None,
            says: "harnosand",
            exit: 1,
        },
    )
}

fn duplicate_submission() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    put_in_inbox(
        &p,
        "kramfors/mars-kopia.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D2", n(8.0));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "DUPLICATE_SUBMISSION",
            severity: "error",
            file: Some("kramfors/mars-kopia.xlsx"),
            sheet: None,
            cell: None,
            says: "samma version",
            exit: 1,
        },
    )
}

fn not_attested() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.replace(info_sheet(&KRAMFORS, "2025-03", 1, false));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "NOT_ATTESTED",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Uppgifter"),
            cell: None,
            says: "Attesterad av",
            exit: 1,
        },
    )
}

/// Issue 24: a May workbook whose Period still says April gets one error at the Period (not one
/// per row), and does not replace April's workbook.
fn wrong_period() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors_march(|_| {}));
    put_in_inbox(
        &p,
        "kramfors/april.xlsx",
        &kramfors_march(|b| {
            b.sheet("Uppgifter").set("B3", "2025-04").set("B4", 2.0);
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "WRONG_PERIOD",
            severity: "error",
            file: Some("kramfors/april.xlsx"),
            sheet: Some("Uppgifter"),
            cell: Some("B3"),
            says: "Perioden är 2025-04 men raderna gäller 2025-03 – rätta Perioden",
            exit: 1,
        },
    )
}

/// Issue 24: an absence row that cannot be read holds out the fixed-share person it could lower.
fn held_out() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            let rows = vec![vec![t("Bertil Berg"), t("2025-03"), n(16.0), t("Vård av barn")]];
            b.replace(table("Frånvaro", "A1", &headers(redovisa::contract::Sheet::Franvaro), rows));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "HELD_OUT",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("A3"),
            says: "Bertil Berg räknas inte alls för 2025-03: frånvaroraden på rad 2 i Frånvaro har fel",
            exit: 1,
        },
    )
}

/// Issue 24: a Månadslön larger than the whole staff budget is a typo, left out at its cell.
fn amount_over_budget() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("F2", 45_000_000.0);
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "AMOUNT_OVER_BUDGET",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("F2"),
            says: "Anna Andersson räknas inte för månaden förrän Månadslön är rättad",
            exit: 1,
        },
    )
}

fn bad_value() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D3", "sju och en halv");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "BAD_VALUE",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("D3"),
            says: "Timmar",
            exit: 1,
        },
    )
}

fn invalid_orgnr() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Uppgifter").set("B2", "212000-2428");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "INVALID_ORGNR",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Uppgifter"),
            cell: Some("B2"),
            says: "kontrollsiffra",
            exit: 1,
        },
    )
}

fn invalid_personnummer() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("B2", "19800314-1230");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "INVALID_PERSONNUMMER",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("B2"),
            says: "kontrollsiffra",
            exit: 1,
        },
    )
}

fn unknown_person() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("A3", "Anna Andersón");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "UNKNOWN_PERSON",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("A3"),
            says: "finns inte i bladet Personal",
            exit: 1,
        },
    )
}

fn unknown_activity() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("C3", "9.9");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "UNKNOWN_ACTIVITY",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("C3"),
            says: "9.9",
            exit: 1,
        },
    )
}

fn row_outside_period() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("B3", date(2025, 4, 1));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "ROW_OUTSIDE_PERIOD",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("B3"),
            says: "2025-04-01",
            exit: 1,
        },
    )
}

fn outside_project_period() -> &'static str {
    let (_d, p) = inbox_project();
    // Anna left on 2025-03-04: her rows of the 5th and 6th are outside her employment.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("E2", date(2025, 3, 4));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "OUTSIDE_PROJECT_PERIOD",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("B4"),
            says: "2025-03-04",
            exit: 1,
        },
    )
}

fn activity_outside_dates() -> &'static str {
    let (_d, p) = inbox_project();
    // Every activity of the seed plan ends 2026-12-31; January 2027 is still inside the project.
    let mut b = book_for(&KRAMFORS, "2027-01");
    b.replace(time_sheet(vec![time_row("Anna Andersson", date(2027, 1, 12), "1.1", n(6.0))]));
    put_in_inbox(&p, "kramfors/2027-01.xlsx", &b.xlsx(Strings::Shared));
    check(
        &p,
        "2027-01",
        Expect {
            code: "ACTIVITY_OUTSIDE_DATES",
            severity: "warning",
            file: Some("kramfors/2027-01.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("C2"),
            says: "2026-12-31",
            exit: 0,
        },
    )
}

fn duplicate_person() -> &'static str {
    let (_d, p) = inbox_project();
    // Anna twice in Personal (rows 2 and 4) with one personnummer but two salaries: she is left
    // out until the rows agree.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            let other = Person { name: "A. Andersson".into(), salary: n(46000.0), ..anna() };
            b.replace(personal_sheet(&[anna(), bertil(), other]));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "DUPLICATE_PERSON",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("B4"),
            says: "Personal",
            exit: 1,
        },
    )
}

fn double_reported() -> &'static str {
    let (_d, p) = inbox_project();
    // Anna, one personnummer, reports March time at both Kramfors and Härnösand.
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    put_in_inbox(&p, "harnosand/mars.xlsx", &book_for(&HARNOSAND, "2025-03").xlsx(Strings::Shared));
    check(
        &p,
        "2025-03",
        Expect {
            code: "DOUBLE_REPORTED",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("A2"),
            says: "Härnösands kommun",
            exit: 0,
        },
    )
}

fn missing_main_activity() -> &'static str {
    let (_d, p) = inbox_project();
    // Bertil (fixed share, row 3) without Huvudaktivitet and without time rows.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("J3", empty());
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "MISSING_MAIN_ACTIVITY",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("J3"),
            says: "Bertil Berg",
            exit: 1,
        },
    )
}

fn duplicate_name() -> &'static str {
    let (_d, p) = inbox_project();
    // Bertil's row (row 3) carries Anna's name: the time rows could belong to either.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("A3", "anna andersson");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "DUPLICATE_NAME",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("A3"),
            says: "«Anna Andersson» står redan i Personal (A2)",
            exit: 1,
        },
    )
}

fn fixed_share_hours_without_activity() -> &'static str {
    let (_d, p) = inbox_project();
    // Bertil (fixed share, row 3) without Huvudaktivitet and with one time row of 0 hours: his
    // fixed hours have no activity to go to.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("J3", empty());
            b.sheet("Tidrapport").put_row("A6", time_row("Bertil Berg", date(2025, 3, 10), "1.1", n(0.0)));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "MISSING_MAIN_ACTIVITY",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("A3"),
            says: "alla rader i Tidrapport har 0 timmar",
            exit: 1,
        },
    )
}

fn unknown_indicator() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            let rows = vec![vec![t("Organisationer som får stöd"), n(3.0)]];
            b.replace(table("Indikatorer", "A1", &headers(redovisa::contract::Sheet::Indikatorer), rows));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "UNKNOWN_INDICATOR",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Indikatorer"),
            cell: Some("A2"),
            says: "Använd en av",
            exit: 1,
        },
    )
}

fn absence_for_time_reporter() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            let rows = vec![vec![t("Anna Andersson"), t("2025-03"), n(8.0), t("VAB")]];
            b.replace(table("Frånvaro", "A1", &headers(redovisa::contract::Sheet::Franvaro), rows));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "ABSENCE_FOR_TIME_REPORTER",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Frånvaro"),
            cell: Some("A2"),
            says: "Fast andel",
            exit: 0,
        },
    )
}

fn financing_type_mismatch() -> &'static str {
    let (_d, p) = inbox_project();
    // Kramfors' own money is public cash in the plan; the row says private.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            let rows = vec![vec![
                date(2025, 3, 14),
                t("Kramfors kommun"),
                t("212000-2429"),
                t("Privat kontant"),
                n(5000.0),
                t("V77"),
                empty(),
            ]];
            b.replace(table("Medfinansiering", "A1", &headers(redovisa::contract::Sheet::Medfinansiering), rows));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "FINANCING_TYPE_MISMATCH",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Medfinansiering"),
            cell: Some("D2"),
            says: "rätta Typ",
            exit: 0,
        },
    )
}

fn ambiguous_time() -> &'static str {
    let (_d, p) = inbox_project();
    // «6.30» with a dot: a Swedish clock time (6 h 30 min) or the decimal 6,3 h. Read as 6,3 h,
    // with a warning at the cell.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D3", "6.30");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "AMBIGUOUS_TIME",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Tidrapport"),
            cell: Some("D3"),
            says: "skriv 6:30",
            exit: 0,
        },
    )
}

fn hours_over_month() -> &'static str {
    let (_d, p) = inbox_project();
    // March 2025 has 21 weekdays: 21 × 8 = 168 h at 100 %; 7,5 + 200 + 7,5 + 4 = 219 h.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D3", n(200.0));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "HOURS_OVER_MONTH",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("A2"),
            says: "168",
            exit: 0,
        },
    )
}

fn hours_over_annual_cap() -> &'static str {
    let (_d, p) = inbox_project();
    // 3 × 600 h + 4 h = 1 804 h in one month passes the year's 1 720 h at 100 % (no row holds more
    // than the month's 744 hours).
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D2", n(600.0)).set("D3", n(600.0)).set("D4", n(600.0));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "HOURS_OVER_ANNUAL_CAP",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("A2"),
            says: "1720",
            exit: 1,
        },
    )
}

fn salary_basis_changed() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/feb.xlsx", &{
        let mut b = book_for(&KRAMFORS, "2025-02");
        b.replace(time_sheet(vec![time_row("Anna Andersson", date(2025, 2, 3), "1.1", n(6.0))]));
        b.xlsx(Strings::Shared)
    });
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("F2", n(47000.0));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "SALARY_BASIS_CHANGED",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Personal"),
            cell: Some("F2"),
            says: "45",
            exit: 0,
        },
    )
}

fn other_costs_with_flat_rate() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.replace(table(
                "Övriga kostnader",
                "A1",
                &headers(redovisa::contract::Sheet::OvrigaKostnader),
                vec![vec![t("V123"), date(2025, 3, 10), t("Lokaler"), t("Lokalhyra"), t("1.1"), n(2500.0)]],
            ));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "OTHER_COSTS_WITH_FLAT_RATE",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Övriga kostnader"),
            cell: Some("F2"),
            says: "schablon",
            exit: 1,
        },
    )
}

fn unknown_financier() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.replace(table(
                "Medfinansiering",
                "A1",
                &headers(redovisa::contract::Sheet::Medfinansiering),
                vec![vec![date(2025, 3, 10), t("Okänd Stiftelse"), empty(), t("Privat kontant"), n(2500.0)]],
            ));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "UNKNOWN_FINANCIER",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: Some("Medfinansiering"),
            cell: Some("B2"),
            says: "finansieringsplanen",
            exit: 1,
        },
    )
}

fn cofinancing_lagging() -> &'static str {
    // No lag allowed: any claimed cost without a payment lags.
    let (_d, p) = temp_project(|t| t.replace("cofinancing_lag = 10", "cofinancing_lag = 0"));
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors_march(|_| {}));
    check(
        &p,
        "2025-03",
        Expect {
            code: "COFINANCING_LAGGING",
            severity: "warning",
            file: None,
            sheet: None,
            cell: None,
            says: "Kramfors kommun har betalat in 0,00",
            exit: 0,
        },
    )
}

fn period_not_in_plan() -> &'static str {
    // The seed project's plan has 2025-01 – 2025-04, not March alone.
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &kramfors_march(|_| {}));
    check(
        &p,
        "2025-03",
        Expect {
            code: "PERIOD_NOT_IN_PLAN",
            severity: "warning",
            file: None,
            sheet: None,
            cell: None,
            says: "2025-01 – 2025-04",
            exit: 0,
        },
    )
}

fn missing_submission() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    let summary = run(&p, "2025-03", 0);
    let findings = summary["findings"].as_array().unwrap();
    let harnosand = findings
        .iter()
        .find(|f| f["code"] == "MISSING_SUBMISSION" && f["partner"] == "Härnösands kommun")
        .unwrap_or_else(|| panic!("no MISSING_SUBMISSION for harnosand in {findings:?}"));
    assert_eq!(harnosand["severity"], "warning");
    let m = harnosand["message"].as_str().unwrap();
    assert!(m.contains("Härnösands kommun") && m.contains("2025-03") && m.contains("«harnosand»"), "{m}");
    assert!(!findings.iter().any(|f| f["code"] == "MISSING_SUBMISSION" && f["partner"] == "Kramfors kommun"));
    "MISSING_SUBMISSION"
}

fn over_budget() -> &'static str {
    let (_d, p) = inbox_project();
    // Activity 1.4 has a budget of 1 kr in the seed plan: any time on it passes it.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("C3", "1.4");
        }),
    );
    check(
        &p,
        "2025-03",
        Expect { code: "OVER_BUDGET", severity: "warning", file: None, sheet: None, cell: None, says: "1.4", exit: 0 },
    )
}

fn support_cap_reached() -> &'static str {
    let (_d, p) = inbox_project();
    // 2 200 000 kr a month (under Kramfors' staff budget of 2 270 430 kr, so not a typo by the
    // rules): 2 200 000 × 12 / 1 720 × 1,024 ≈ 15 717 kr/h; × 1 600 h (4 × 400) ≈ 25 Mkr, with
    // on-costs and flat rate ≈ 44 Mkr, × 39,92 % ≈ 17,6 Mkr of support > the approved 12 752 293 kr.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("F2", n(2_200_000.0));
            for cell in ["D2", "D3", "D4", "D5"] {
                b.sheet("Tidrapport").set(cell, n(400.0));
            }
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "SUPPORT_CAP_REACHED",
            severity: "warning",
            file: None,
            sheet: None,
            cell: None,
            says: "skulle det passera beviljat stöd",
            exit: 0,
        },
    )
}

fn changed_after_claim() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    submit(&p, "2024-01", "2025-03");
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D3", n(8.0));
        }),
    );
    check(
        &p,
        "2025-04",
        Expect {
            code: "CHANGED_AFTER_CLAIM",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: None,
            cell: None,
            says: "ansökan 1",
            exit: 0,
        },
    )
}

fn late_month() -> &'static str {
    let (_d, p) = inbox_project();
    submit(&p, "2024-01", "2025-03");
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    check(
        &p,
        "2025-04",
        Expect {
            code: "LATE_MONTH",
            severity: "warning",
            file: Some("kramfors/mars.xlsx"),
            sheet: None,
            cell: None,
            says: "ansökan 1",
            exit: 0,
        },
    )
}

fn legacy_ledger() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    let sha = redovisa::pipeline::sha256_file(&p.inbox().join("kramfors/mars.xlsx")).unwrap();
    // A line as the first version wrote it: checksums only.
    let line = format!(
        "{{\"seq\":1,\"from\":\"2025-03\",\"to\":\"2025-03\",\"support\":\"1000.00\",\"eligible\":\"2505.01\",\
         \"recorded_on\":\"2025-04-10\",\"workbooks\":[{{\"folder\":\"kramfors\",\"month\":\"2025-03\",\
         \"path\":\"kramfors/mars.xlsx\",\"sha256\":\"{sha}\"}}],\"prev\":\"\"}}\n"
    );
    std::fs::write(p.dir.join(redovisa::ledger::LEDGER_FILE), line).unwrap();
    check(
        &p,
        "2025-04",
        Expect {
            code: "LEGACY_LEDGER",
            severity: "warning",
            file: None,
            sheet: None,
            cell: None,
            says: "Ansökan 1",
            exit: 0,
        },
    )
}

/// Rewrites the project's `project.toml` through `change`.
fn rewrite_project(p: &Project, change: impl FnOnce(&str) -> String) {
    let path = p.dir.join("project.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, change(&text)).unwrap();
}

/// Rewrites the project's `project.toml`, asserting that `from` is in it.
fn edit_project(p: &Project, from: &str, to: &str) {
    rewrite_project(p, |t| replace_all(t, &[(from, to)]));
}

fn decision_changed() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    submit(&p, "2024-01", "2025-03");
    // Kramfors' on-cost rate edited in place: its claimed March would be priced at 44 %.
    edit_project(&p, "org_nr = \"212000-2429\"\non_costs = 40.15", "org_nr = \"212000-2429\"\non_costs = 44");
    check(
        &p,
        "2025-04",
        Expect {
            code: "DECISION_CHANGED",
            severity: "error",
            file: None,
            sheet: None,
            cell: None,
            says: "(kramfors.on_costs)",
            exit: 1,
        },
    )
}

fn outside_partner_period() -> &'static str {
    let (_d, p) = inbox_project();
    // Kramfors left the project after February 2025.
    edit_project(&p, "org_nr = \"212000-2429\"\n", "org_nr = \"212000-2429\"\nuntil = \"2025-02\"\n");
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    check(
        &p,
        "2025-03",
        Expect {
            code: "OUTSIDE_PARTNER_PERIOD",
            severity: "error",
            file: Some("kramfors/mars.xlsx"),
            sheet: None,
            cell: None,
            says: "ingår i beslutet bara 2024-01 – 2025-02",
            exit: 1,
        },
    )
}

fn partner_removed() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    submit(&p, "2024-01", "2025-03");
    // Kramfors deleted from the file, its budget, support and cash out of the totals.
    rewrite_project(&p, without_kramfors);
    check(
        &p,
        "2025-04",
        Expect {
            code: "PARTNER_REMOVED",
            severity: "warning",
            file: None,
            sheet: None,
            cell: None,
            says: "Kramfors kommun (212000-2429) finns inte längre i projektfilen",
            exit: 0,
        },
    )
}

fn approved_support_below_claimed() -> &'static str {
    let (_d, p) = inbox_project();
    // As SUPPORT_CAP_REACHED: about 17,6 Mkr of support, capped at the approved 12 752 293 kr.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Personal").set("F2", n(2_200_000.0));
            for cell in ["D2", "D3", "D4", "D5"] {
                b.sheet("Tidrapport").set(cell, n(400.0));
            }
        }),
    );
    submit(&p, "2024-01", "2025-03");
    // A decision lowers the approved support by 5 000 000 kr.
    rewrite_project(&p, with_less_support);
    check(
        &p,
        "2025-04",
        Expect {
            code: "APPROVED_SUPPORT_BELOW_CLAIMED",
            severity: "error",
            file: None,
            sheet: None,
            cell: None,
            says: "5\u{a0}000\u{a0}000,00\u{a0}kr mer än beviljat",
            exit: 1,
        },
    )
}

fn period_already_submitted() -> &'static str {
    let (_d, p) = inbox_project();
    submit(&p, "2024-01", "2025-02");
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    submit(&p, "2025-03", "2025-03");
    // March run again after an edit: it is claim 2, and differs from it.
    put_in_inbox(
        &p,
        "kramfors/mars.xlsx",
        &kramfors_march(|b| {
            b.sheet("Tidrapport").set("D3", n(8.0));
        }),
    );
    check(
        &p,
        "2025-03",
        Expect {
            code: "PERIOD_ALREADY_SUBMITTED",
            severity: "warning",
            file: None,
            sheet: None,
            cell: None,
            says: "är ansökan 2, redan inskickad",
            exit: 0,
        },
    )
}

/// Issue 23: one unreadable partner folder stopped everyone (exit 2, the folder not named). It
/// is a finding for that partner; the others are read.
fn folder_unreadable() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    put_in_inbox(&p, "harnosand/mars.xlsx", &book_for(&HARNOSAND, "2025-03").xlsx(Strings::Shared));
    let folder = p.inbox().join("kramfors");
    chmod(&folder, 0o000);
    let summary = run_unprivileged(&p, "2025-03", 1);
    chmod(&folder, 0o755);
    let e = Expect {
        code: "FOLDER_UNREADABLE",
        severity: "error",
        file: Some("kramfors"),
        sheet: None,
        cell: None,
        says: "Mappen «kramfors» kan inte läsas (behörighet saknas)",
        exit: 1,
    };
    assert_finding(&summary, &e);
    let partner = summary["findings"].as_array().unwrap().iter().find(|f| f["code"] == e.code).unwrap();
    assert_eq!(partner["partner"], "Kramfors kommun");
    let files = summary["files"].as_array().unwrap();
    let used = files.iter().find(|f| f["path"] == "harnosand/mars.xlsx").unwrap();
    assert_eq!(used["status"], "used", "the other partner is read");
    e.code
}

/// Issue 23: a workbook that cannot be opened got `FILE_UNREADABLE` and a spurious
/// `FILE_CHANGED_DURING_RUN`. It gets the one finding.
#[test]
fn an_unreadable_workbook_is_one_finding() {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    let file = p.inbox().join("kramfors/mars.xlsx");
    chmod(&file, 0o000);
    let summary = run_unprivileged(&p, "2025-03", 1);
    chmod(&file, 0o644);
    let about: Vec<&Value> =
        summary["findings"].as_array().unwrap().iter().filter(|f| f["file"] == "kramfors/mars.xlsx").collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0]["code"], "FILE_UNREADABLE");
    assert!(about[0]["message"].as_str().unwrap().contains("Permission denied"), "{}", about[0]["message"]);
}

fn file_outside_partner_folder() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "mars.xlsx", &valid_book().xlsx(Strings::Shared));
    check(
        &p,
        "2025-03",
        Expect {
            code: "FILE_OUTSIDE_PARTNER_FOLDER",
            severity: "warning",
            file: Some("mars.xlsx"),
            sheet: None,
            cell: None,
            says: "Flytta den",
            exit: 0,
        },
    )
}

/// `redovisa final` after the project's end with the project's texts written, except one.
fn final_text_missing() -> &'static str {
    let (_d, p) = inbox_project();
    put_in_inbox(&p, "kramfors/mars.xlsx", &valid_book().xlsx(Strings::Shared));
    std::fs::create_dir_all(p.dir.join("mallar")).unwrap();
    let written: String = redovisa::emit::report::final_texts::KEYS
        .iter()
        .filter(|k| **k != "effekter")
        .map(|k| format!("[{k}]\ntext = \"Skrivet.\"\n"))
        .collect();
    std::fs::write(p.dir.join("mallar/slutrapport.toml"), written).unwrap();
    let out = p.dir.join("ut");
    let o = Command::cargo_bin("redovisa")
        .unwrap()
        .args(["final", p.dir.to_str().unwrap(), "--today", "2027-06-01", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "exit status\nstderr:\n{}", String::from_utf8_lossy(&o.stderr));
    let summary: Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let e = Expect {
        code: "FINAL_TEXT_MISSING",
        severity: "warning",
        file: Some("mallar/slutrapport.toml"),
        sheet: None,
        cell: None,
        says: "«Effekter» är inte skriven",
        exit: 0,
    };
    let message = assert_finding(&summary, &e);
    assert!(message.contains("[effekter]"), "{message}");
    let missing = summary["findings"].as_array().unwrap().iter().filter(|f| f["code"] == e.code).count();
    assert_eq!(missing, 1, "only the text not written");
    e.code
}

const CASES: &[(&str, Case)] = &[
    ("FILE_UNREADABLE", file_unreadable),
    ("WRONG_FORMAT", wrong_format),
    ("MISSING_SHEET", missing_sheet),
    ("MISSING_COLUMN", missing_column),
    ("UNKNOWN_PARTNER", unknown_partner),
    ("WRONG_FOLDER", wrong_folder),
    ("DUPLICATE_SUBMISSION", duplicate_submission),
    ("NOT_ATTESTED", not_attested),
    ("WRONG_PERIOD", wrong_period),
    ("HELD_OUT", held_out),
    ("AMOUNT_OVER_BUDGET", amount_over_budget),
    ("BAD_VALUE", bad_value),
    ("INVALID_ORGNR", invalid_orgnr),
    ("INVALID_PERSONNUMMER", invalid_personnummer),
    ("UNKNOWN_PERSON", unknown_person),
    ("UNKNOWN_ACTIVITY", unknown_activity),
    ("ROW_OUTSIDE_PERIOD", row_outside_period),
    ("OUTSIDE_PROJECT_PERIOD", outside_project_period),
    ("ACTIVITY_OUTSIDE_DATES", activity_outside_dates),
    ("DUPLICATE_PERSON", duplicate_person),
    ("DOUBLE_REPORTED", double_reported),
    ("DUPLICATE_NAME", duplicate_name),
    ("MISSING_MAIN_ACTIVITY", missing_main_activity),
    ("MISSING_MAIN_ACTIVITY", fixed_share_hours_without_activity),
    ("UNKNOWN_INDICATOR", unknown_indicator),
    ("ABSENCE_FOR_TIME_REPORTER", absence_for_time_reporter),
    ("FINANCING_TYPE_MISMATCH", financing_type_mismatch),
    ("AMBIGUOUS_TIME", ambiguous_time),
    ("HOURS_OVER_MONTH", hours_over_month),
    ("HOURS_OVER_ANNUAL_CAP", hours_over_annual_cap),
    ("SALARY_BASIS_CHANGED", salary_basis_changed),
    ("OTHER_COSTS_WITH_FLAT_RATE", other_costs_with_flat_rate),
    ("MISSING_SUBMISSION", missing_submission),
    ("OVER_BUDGET", over_budget),
    ("SUPPORT_CAP_REACHED", support_cap_reached),
    ("CHANGED_AFTER_CLAIM", changed_after_claim),
    ("LATE_MONTH", late_month),
    ("LEGACY_LEDGER", legacy_ledger),
    ("FILE_OUTSIDE_PARTNER_FOLDER", file_outside_partner_folder),
    ("FOLDER_UNREADABLE", folder_unreadable),
    ("UNKNOWN_FINANCIER", unknown_financier),
    ("COFINANCING_LAGGING", cofinancing_lagging),
    ("PERIOD_NOT_IN_PLAN", period_not_in_plan),
    ("FINAL_TEXT_MISSING", final_text_missing),
    ("DECISION_CHANGED", decision_changed),
    ("OUTSIDE_PARTNER_PERIOD", outside_partner_period),
    ("PARTNER_REMOVED", partner_removed),
    ("APPROVED_SUPPORT_BELOW_CLAIMED", approved_support_below_claimed),
    ("PERIOD_ALREADY_SUBMITTED", period_already_submitted),
];

#[test]
fn every_code_has_a_case() {
    let mut missing = Vec::new();
    for code in Code::ALL {
        let name = code.as_str();
        if !CASES.iter().any(|(c, _)| *c == name) && !ELSEWHERE.iter().any(|(c, _)| *c == name) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "finding codes without a case in the error catalogue: {missing:?}");
}

/// Runs every case (each on its own project copy), two at a time, and reports all that fail.
#[test]
fn each_case_raises_its_code_at_its_place() {
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = CASES
            .chunks(CASES.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut failed = Vec::new();
                    for (name, case) in chunk {
                        match std::panic::catch_unwind(case) {
                            Ok(code) => assert_eq!(code, *name, "the case table names its code"),
                            Err(e) => failed.push(format!(
                                "{name}: {}",
                                e.downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default()
                            )),
                        }
                    }
                    failed
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n\n"));
}
