//! The final report at the project's close, through the binary, on the demo project through all
//! ten planned claims (`redovisa demo --to 2027-04`, each planned claim submitted after its due
//! date): `redovisa final` with the clock before the project's end, on its last day and after it,
//! before and after the last claim is submitted.
//!
//! - The period runs to the project's end, never to the clock: the months after the last
//!   submitted claim, or the last claim itself once it is submitted.
//! - Before the project's last month the report is refused unless `--preliminary`, and a
//!   preliminary report says so at the top of every page (read from the PDF LibreOffice makes).
//! - Months not over are named on the terminal, in `summary.json` and in the report.
//! - The report's claims, read back from the `.docx` (unzipped here, not through the crate),
//!   equal the ledger (`ledger.jsonl`, read as JSON) to the öre, and their sum is the ledger
//!   plus this period; `summary.json` states it as `cumulative`.
//! - A submitted claim is never called late on the terminal.
//! - The report is a report, not a transcript: no paragraph of its narrative section repeats
//!   more than twice, and the demo's report stays under 30 pages; 449 users of a target of 450
//!   is 99 %.
//!
//! The demo and its first nine claims are made once per test binary and copied for each case.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

#[path = "../../../tests/support/mod.rs"]
mod support;

use assert_cmd::cargo::CommandCargoExt;
use rust_decimal::Decimal;
use serde_json::Value;
use support::{copy_project, docx_to_pdf, poppler};

/// The planned claims of the seed project and the day each is submitted (after its due date).
const PLAN: [(&str, &str, &str); 10] = [
    ("2024-01", "2024-04", "2024-06-01"),
    ("2024-05", "2024-08", "2024-10-01"),
    ("2024-09", "2024-12", "2025-02-01"),
    ("2025-01", "2025-04", "2025-06-01"),
    ("2025-05", "2025-08", "2025-10-01"),
    ("2025-09", "2025-12", "2026-02-01"),
    ("2026-01", "2026-04", "2026-06-01"),
    ("2026-05", "2026-08", "2026-10-01"),
    ("2026-09", "2026-12", "2027-02-01"),
    ("2027-01", "2027-04", "2027-05-02"),
];

fn redovisa(args: &[&str]) -> Output {
    Command::cargo_bin("redovisa").unwrap().args(args).output().unwrap()
}

/// Runs the binary and asserts its exit status; returns stderr (the terminal's messages).
fn ok(args: &[&str]) -> String {
    let out = redovisa(args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "redovisa {args:?}\n{stderr}");
    stderr
}

/// The demo through the project's end with the first nine planned claims submitted, made once.
fn nine_claims() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        ok(&["demo", d, "--to", "2027-04"]);
        for (from, to, day) in &PLAN[..9] {
            ok(&["submit", d, "--from", from, "--to", to, "--today", day, "--allow-errors"]);
        }
        dir
    })
    .path()
}

/// All ten claims submitted, the last one the day after its due date.
fn ten_claims() -> tempfile::TempDir {
    let dir = copy_project(nine_claims());
    let (from, to, day) = PLAN[9];
    ok(&["submit", dir.path().to_str().unwrap(), "--from", from, "--to", to, "--today", day, "--allow-errors"]);
    dir
}

/// What one `final` run left: the terminal, `summary.json`, the report's `document.xml` and the
/// report itself.
struct Final {
    terminal: String,
    summary: Value,
    document: String,
    docx: Vec<u8>,
}

fn run_final(dir: &Path, today: &str, extra: &[&str]) -> Final {
    let out = dir.join("utdata/slutrapport");
    let mut args = vec!["final", dir.to_str().unwrap(), "--today", today];
    args.extend(extra);
    let terminal = ok(&args);
    let summary = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let docx = std::fs::read(out.join("slutrapport.docx")).unwrap();
    let document = part(&docx, "word/document.xml");
    Final { terminal, summary, document, docx }
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The text of an XML fragment's `w:t` elements.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        if piece.starts_with("bl") || piece.starts_with('r') || piece.starts_with('c') {
            continue; // w:tbl, w:tr, w:tc
        }
        let Some(start) = piece.find('>') else { continue };
        let rest = &piece[start + 1..];
        out.push_str(&unescape(&rest[..rest.find("</w:t>").unwrap_or(0)]));
    }
    out
}

/// Each paragraph of the body: (style, text).
fn paragraphs(document: &str) -> Vec<(String, String)> {
    document
        .split("<w:p ")
        .skip(1)
        .map(|p| {
            let p = &p[..p.find("</w:p>").unwrap_or(p.len())];
            let style = p.split("<w:pStyle w:val=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("");
            (style.to_string(), text_of(p))
        })
        .collect()
}

/// The rows of the first table after the heading `heading` (its last occurrence: the table of
/// contents names it first), as cell texts.
fn table_after(document: &str, heading: &str) -> Vec<Vec<String>> {
    let at = document.rfind(&format!(">{heading}<")).unwrap_or_else(|| panic!("no heading {heading}"));
    let rest = &document[at..];
    let table = &rest[rest.find("<w:tbl>").unwrap()..rest.find("</w:tbl>").unwrap()];
    table.split("<w:tr>").skip(1).map(|row| row.split("<w:tc>").skip(1).map(text_of).collect()).collect()
}

/// An amount as the report writes it (`2 936 534,53 kr`, no-break spaces, `−` for minus).
fn amount(cell: &str) -> Decimal {
    let plain: String = cell
        .trim_end_matches("kr")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| match c {
            ',' => '.',
            '\u{2212}' => '-',
            c => c,
        })
        .collect();
    plain.parse().unwrap_or_else(|_| panic!("«{cell}» is no amount"))
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("{v} is not a string")).parse().unwrap()
}

/// The ledger's claims as recorded: (number, eligible costs, support).
fn ledger(dir: &Path) -> Vec<(u64, Decimal, Decimal)> {
    std::fs::read_to_string(dir.join("ledger.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let c: Value = serde_json::from_str(line).unwrap();
            (c["seq"].as_u64().unwrap(), dec(&c["eligible"]), dec(&c["support"]))
        })
        .collect()
}

/// The report's claims (9.1 Ansökningar om utbetalning) equal the ledger's to the öre, then
/// this period's claim; the sum row is the ledger plus this period, and so is `cumulative`.
fn claims_are_the_ledgers(f: &Final, dir: &Path, this: (u64, Decimal, Decimal)) {
    let rows = table_after(&f.document, "9.1 Ansökningar om utbetalning");
    let mut expected = ledger(dir);
    if expected.last().map(|c| c.0) != Some(this.0) {
        expected.push(this);
    }
    assert_eq!(rows.len(), 1 + expected.len() + 1, "header, one row per claim, the sum");
    for (row, (seq, eligible, support)) in rows[1..].iter().zip(&expected) {
        assert_eq!(row[0], seq.to_string());
        assert_eq!((amount(&row[2]), amount(&row[3])), (*eligible, *support), "claim {seq}");
    }
    let sum = rows.last().unwrap();
    let eligible: Decimal = expected.iter().map(|c| c.1).sum();
    let support: Decimal = expected.iter().map(|c| c.2).sum();
    assert_eq!((sum[1].as_str(), amount(&sum[2]), amount(&sum[3])), ("Summa", eligible, support));
    let cumulative = &f.summary["cumulative"];
    assert_eq!((dec(&cumulative["eligible"]), dec(&cumulative["support"])), (eligible, support));
}

fn period(s: &Value) -> (&str, &str) {
    (s["period"]["from"].as_str().unwrap(), s["period"]["to"].as_str().unwrap())
}

fn unfinished(s: &Value) -> Vec<&str> {
    s["closing"]["unfinished_months"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect()
}

#[test]
fn before_the_last_claim_the_report_takes_the_months_to_the_end_and_names_what_is_not_over() {
    let dir = copy_project(nine_claims());
    // The day before the project's last day: the period is not cut at the clock.
    let f = run_final(dir.path(), "2027-04-29", &[]);
    assert_eq!(period(&f.summary), ("2027-01", "2027-04"));
    assert_eq!(unfinished(&f.summary), ["2027-04"]);
    assert!(f.terminal.contains("Månader som inte är avslutade: 2027-04."), "{}", f.terminal);
    let paras = paragraphs(&f.document);
    assert!(paras.iter().any(|(_, t)| t == "Månader som inte var avslutade när rapporten skrevs: apr 2027."));
    // April's narratives are in (a line from April 2027 among the condensed ones).
    assert!(paras.iter().any(|(s, t)| s == "Narrative" && t.contains("apr 2027")));
    assert!(!f.summary["closing"]["preliminary"].as_bool().unwrap());
    let t = &f.summary["totals"];
    claims_are_the_ledgers(&f, dir.path(), (10, dec(&t["eligible"]), dec(&t["support"])));
    // The last claim, not submitted yet, says so.
    let rows = table_after(&f.document, "9.1 Ansökningar om utbetalning");
    assert_eq!(rows[10][4], "inte inskickad");
    assert!(f.terminal.contains("ansökan 10 av 10 gäller 2027-01 – 2027-04"), "{}", f.terminal);
}

#[test]
fn before_the_last_month_it_is_refused_unless_preliminary_and_then_says_so_on_every_page() {
    let dir = copy_project(nine_claims());
    let d = dir.path().to_str().unwrap();
    for args in
        [vec!["final", d, "--today", "2026-12-15"], vec!["final", d, "--today", "2027-06-15", "--to", "2027-02"]]
    {
        let out = redovisa(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--preliminary"), "{stderr}");
    }
    assert!(!dir.path().join("utdata/slutrapport/slutrapport.docx").exists(), "nothing written");

    let f = run_final(dir.path(), "2026-12-15", &["--preliminary"]);
    assert_eq!(period(&f.summary), ("2027-01", "2027-04"));
    assert!(f.summary["closing"]["preliminary"].as_bool().unwrap());
    assert_eq!(unfinished(&f.summary), ["2027-01", "2027-02", "2027-03", "2027-04"]);
    assert!(f.terminal.contains("Preliminär slutrapport"), "{}", f.terminal);
    assert!(paragraphs(&f.document).iter().any(|(s, t)| s == "Subtitle" && t == "Preliminär slutrapport"));
    // Every page, the title page included, has the header that says so.
    let work = tempfile::tempdir().unwrap();
    let Some(pdf) = docx_to_pdf(&f.docx, "slutrapport.docx", work.path()) else { return };
    let Some(text) = poppler("pdftotext", &[pdf.to_str().unwrap(), "-"]) else { return };
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() > 5);
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("PRELIMINÄR"), "page {} does not say it is preliminary", i + 1);
    }
}

#[test]
fn after_the_last_claim_the_report_is_that_claims_before_on_and_after_the_last_day() {
    let dir = ten_claims();
    let claims = ledger(dir.path());
    assert_eq!(claims.len(), 10);
    for (today, extra, not_over) in [
        ("2027-03-15", vec!["--preliminary"], vec!["2027-03", "2027-04"]),
        ("2027-04-30", vec![], vec!["2027-04"]),
        ("2027-06-15", vec![], vec![]),
    ] {
        let f = run_final(dir.path(), today, &extra);
        assert_eq!(period(&f.summary), ("2027-01", "2027-04"), "{today}");
        assert_eq!(f.summary["closing"]["submitted_claim"], 10, "{today}");
        assert_eq!(unfinished(&f.summary), not_over, "{today}");
        // Its figures are the ledger's, to the öre: the tenth claim recomputed equals what was
        // submitted.
        claims_are_the_ledgers(&f, dir.path(), claims[9]);
        let t = &f.summary["totals"];
        assert_eq!((dec(&t["eligible"]), dec(&t["support"])), (claims[9].1, claims[9].2), "{today}");
        // A submitted claim is never late.
        assert!(!f.terminal.contains("försenad"), "{today}: {}", f.terminal);
        assert!(f.terminal.contains("är inskickad (ansökan 10, registrerad 2027-05-02)"), "{today}: {}", f.terminal);
        let rows = table_after(&f.document, "9.1 Ansökningar om utbetalning");
        assert_eq!(rows[10][4], "2 maj 2027");
    }
}

#[test]
fn the_report_is_a_report_not_a_transcript() {
    let dir = ten_claims();
    let f = run_final(dir.path(), "2027-06-15", &[]);
    let paras = paragraphs(&f.document);
    let heading = |text: &str| paras.iter().position(|(s, t)| s == "Heading1" && t.ends_with(text)).unwrap();
    let (from, to) = (heading("Genomförande per arbetspaket"), heading("Effekter"));
    let narrative: Vec<&String> = paras[from..to].iter().filter(|(s, _)| s == "Narrative").map(|(_, t)| t).collect();
    assert!(narrative.len() > 30, "{} lines", narrative.len());
    // No paragraph repeats more than twice: neither as written (with who and when) nor its text.
    let mut seen: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    for p in &narrative {
        *seen.entry(p.as_str()).or_default() += 1;
        let said = p.rsplit_once(" (").map_or(p.as_str(), |(text, _)| text);
        *seen.entry(said).or_default() += 1;
    }
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 2).collect();
    assert!(repeated.is_empty(), "repeated: {repeated:?}");
    // 449 users of the target of 450: 99 %, rounded down; the organisations' target met: 100 %.
    let indicators = table_after(&f.document, "2.2 Indikatorer");
    let users = indicators.iter().find(|r| r[0].starts_with("Användare")).unwrap();
    assert_eq!((users[1].as_str(), users[2].as_str(), users[3].as_str()), ("450", "449", "99\u{a0}%"));
    let orgs = indicators.iter().find(|r| r[0].starts_with("Organisationer")).unwrap();
    assert_eq!((orgs[1].as_str(), orgs[2].as_str(), orgs[3].as_str()), ("11", "11", "100\u{a0}%"));
    // Every organisation has its 40 months over the whole project.
    let orgs = table_after(&f.document, "9.3 Kostnader och månader per organisation");
    assert_eq!(orgs.len(), 1 + 11 + 1);
    assert!(orgs[1..12].iter().all(|r| r[1] == "40 av 40"), "{orgs:?}");
    // Under 30 pages.
    let work = tempfile::tempdir().unwrap();
    let Some(pdf) = docx_to_pdf(&f.docx, "slutrapport.docx", work.path()) else { return };
    let Some(info) = poppler("pdfinfo", &[pdf.to_str().unwrap()]) else { return };
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{info}"));
    assert!(pages < 30, "{pages} pages");
}

#[test]
fn the_projects_texts_come_from_its_file_and_the_file_is_not_overwritten() {
    let dir = copy_project(nine_claims());
    let d = dir.path().to_str().unwrap();
    let file = dir.path().join("mallar/slutrapport.toml");
    let stderr = ok(&["final", d, "--texts"]);
    assert!(stderr.contains("mallar/slutrapport.toml"), "{stderr}");
    let written = std::fs::read_to_string(&file).unwrap();
    for heading in ["# Sammanfattning", "# Effekter", "# Lärdomar", "# Efter projektet", "# Hållbar utveckling"] {
        assert!(written.contains(heading), "{heading}");
    }
    // Filled in by the project: its words in the report, no box, no warning for it.
    let filled = written.replacen("[effekter]", "[effekter]\n# ifyllt", 1).replacen(
        "text = \"\"\"\n\"\"\"",
        "text = \"\"\"\nFler företag i länet planerar nu för sin gröna omställning.\n\"\"\"",
        3,
    );
    std::fs::write(&file, &filled).unwrap();
    let again = redovisa(&["final", d, "--texts"]);
    assert_eq!(again.status.code(), Some(2), "an existing file is not overwritten");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), filled);
    let f = run_final(dir.path(), "2027-06-15", &[]);
    let paras = paragraphs(&f.document);
    let said = paras.iter().filter(|(_, t)| t == "Fler företag i länet planerar nu för sin gröna omställning.").count();
    assert_eq!(said, 3, "sammanfattning, mål and effekter as written");
    let boxes = paras.iter().filter(|(_, t)| t.starts_with("Att skriva:")).count();
    let warnings =
        f.summary["findings"].as_array().unwrap().iter().filter(|x| x["code"] == "FINAL_TEXT_MISSING").count();
    assert_eq!((boxes, warnings), (6, 6));
    // --force rewrites the headings and keeps what was written.
    ok(&["final", d, "--texts", "--force"]);
    let forced = std::fs::read_to_string(&file).unwrap();
    assert_eq!(forced.matches("Fler företag i länet planerar").count(), 3);
    assert!(!forced.contains("# ifyllt"));
}
