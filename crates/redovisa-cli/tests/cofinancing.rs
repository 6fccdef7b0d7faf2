//! Co-financing paid in (`Medfinansiering`) and the reporting plan, through the binary.
//!
//! A small project written by hand: two partners on the 15 % model with a rate of 0 %, so that
//! their costs are exactly the other costs typed in (no staff costs to compute), each with a
//! budget of 100 000 kr. Härnösand's column of the financing plan holds its own 20 000 kr and
//! Region Västernorrland's 30 000 kr (external money), Kramfors' its own 50 000 kr. The plan has
//! three claims: 2024-01 – 04 (due 2024-05-31), 05 – 08 (due 09-30), 09 – 12 (due 12-31).
//! Workbooks are written with rust_xlsxwriter (not the crate's own writer), and everything is
//! read back from `summary.json`, the claim workbook (calamine), the receipts and stderr. Every
//! expected figure is computed by hand in the comments.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

const PROJECT: &str = r#"
[project]
id = "T-17"
name = "Testprojekt medfinansiering"
owner = "harnosand"
start = 2024-01-01
end = 2024-12-31
support_rate = 50
approved_support = 100000
cofinancing_lag = 10

[totals]
costs = 200000
in_kind = 0
total = 200000
cofinancing = 100000
support = 100000

[[partner]]
folder = "harnosand"
name = "Härnösands kommun"
org_nr = "212000-2403"
on_costs = 40
flat_rate = { model = "indirect", rate = 0 }
budget = { staff = 0, flat_rate = 0, other = 100000 }
support = 50000
cash = [
  { financier = "Härnösands kommun", amount = 20000 },
  { financier = "Region Västernorrland (1:1)", amount = 30000, org_nr = "232100-0164" },
]

[[partner]]
folder = "kramfors"
name = "Kramfors kommun"
org_nr = "212000-2429"
on_costs = 40
flat_rate = { model = "indirect", rate = 0 }
budget = { staff = 0, flat_rate = 0, other = 100000 }
support = 50000
cash = [{ financier = "Kramfors kommun", amount = 50000 }]

[[work_package]]
code = "1"
name = "Allt"
start = 2024-01-01
end = 2024-12-31
budget = 200000

[[work_package.activity]]
code = "1.1"
name = "Genomförande"
start = 2024-01-01
end = 2024-12-31
budget = 200000

[[reporting]]
from = "2024-01"
to = "2024-04"
due = 2024-05-31

[[reporting]]
from = "2024-05"
to = "2024-08"
due = 2024-09-30

[[reporting]]
from = "2024-09"
to = "2024-12"
due = 2024-12-31
"#;

/// A cell as the test writes it.
#[derive(Clone)]
enum C {
    T(&'static str),
    N(f64),
}

/// A `Medfinansiering` row: Datum, Finansiär, Organisationsnummer, Typ, Belopp, Verifikation,
/// Kommentar (columns A–G).
type Pay = [C; 7];

fn pay(date: &'static str, financier: &'static str, org_nr: &'static str, kind: &'static str, amount: C) -> Pay {
    [C::T(date), C::T(financier), C::T(org_nr), C::T(kind), amount, C::T("MF"), C::T("")]
}

/// A month's workbook: Uppgifter (attested), one other cost, and the payments.
fn workbook(name: &str, org_nr: &str, month: &str, version: u32, cost: f64, payments: &[Pay]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Uppgifter").unwrap();
    let info = [
        ("Projektpart", name.to_string()),
        ("Organisationsnummer", org_nr.to_string()),
        ("Period", month.to_string()),
        ("Attesterad av", "Eva Ekonom".to_string()),
        ("Attestdatum", format!("{month}-28")),
    ];
    for (r, (label, value)) in info.iter().enumerate() {
        ws.write_string(r as u32, 0, *label).unwrap();
        ws.write_string(r as u32, 1, value).unwrap();
    }
    ws.write_string(5, 0, "Version").unwrap();
    ws.write_number(5, 1, f64::from(version)).unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Övriga kostnader").unwrap();
    for (c, h) in ["Verifikation", "Datum", "Kostnadsslag", "Beskrivning", "Aktivitet", "Belopp"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["V1", &format!("{month}-15"), "Övrigt", "Konsult", "1.1"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_number(1, 5, cost).unwrap();
    if !payments.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("Medfinansiering").unwrap();
        let headers = ["Datum", "Finansiär", "Organisationsnummer", "Typ", "Belopp", "Verifikation", "Kommentar"];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in payments.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    C::T("") => {}
                    C::T(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    C::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(toml: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("project.toml"), toml).unwrap();
        for f in ["harnosand", "kramfors"] {
            std::fs::create_dir_all(dir.path().join("inkorg").join(f)).unwrap();
        }
        Project { dir }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn arg(&self) -> String {
        self.path().display().to_string()
    }
    /// Writes Härnösand's or Kramfors' workbook for a month.
    fn put(&self, folder: &str, month: &str, version: u32, cost: f64, payments: &[Pay]) -> PathBuf {
        let (name, nr) = match folder {
            "harnosand" => ("Härnösands kommun", "212000-2403"),
            _ => ("Kramfors kommun", "212000-2429"),
        };
        let path = self.path().join("inkorg").join(folder).join(format!("{folder}-{month}-v{version}.xlsx"));
        std::fs::write(&path, workbook(name, nr, month, version, cost, payments)).unwrap();
        path
    }
    fn out(&self, name: &str) -> PathBuf {
        self.path().join("utdata").join(name)
    }
}

fn run(args: &[&str], env_today: Option<&str>) -> Output {
    let mut cmd = Command::cargo_bin("redovisa").unwrap();
    cmd.args(args).env_remove("REDOVISA_TODAY");
    if let Some(t) = env_today {
        cmd.env("REDOVISA_TODAY", t);
    }
    cmd.output().unwrap()
}

fn ok(args: &[&str], env_today: Option<&str>) -> String {
    let out = run(args, env_today);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "redovisa {args:?}\n{stderr}");
    stderr
}

fn summary(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("{v} is not a string")).parse().unwrap()
}

/// `financing[]` of (folder, financier).
fn financing<'a>(s: &'a Value, folder: &str, financier: &str) -> &'a Value {
    s["financing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["folder"] == folder && f["financier"] == financier)
        .unwrap_or_else(|| panic!("no financing line {folder} {financier}: {}", s["financing"]))
}

fn codes(s: &Value, code: &str) -> Vec<Value> {
    s["findings"].as_array().unwrap().iter().filter(|f| f["code"] == code).cloned().collect()
}

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

fn money(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => Decimal::from_f64(*f).unwrap().round_dp(2),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("{other:?} is not a number"),
    }
}

/// The rows of the table whose header row starts with `first` and holds `second`.
fn table<'a>(rows: &'a [Vec<Data>], first: &str, second: &str) -> (&'a Vec<Data>, Vec<&'a Vec<Data>>) {
    let h = rows
        .iter()
        .position(|r| r.first().map(text).as_deref() == Some(first) && r.iter().any(|c| text(c) == second))
        .unwrap_or_else(|| panic!("no table {first}/{second}"));
    let body = rows[h + 1..].iter().take_while(|r| r.iter().any(|c| !matches!(c, Data::Empty))).collect();
    (&rows[h], body)
}

fn col(header: &[Data], name: &str) -> usize {
    header.iter().position(|c| text(c) == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The inbox of the first claim: Härnösand January and February, Kramfors January.
fn first_claim_inbox(p: &Project, kramfors_paid: f64) {
    p.put(
        "harnosand",
        "2024-01",
        1,
        10_000.0,
        &[
            pay("2024-01-20", "Härnösands kommun", "", "Offentlig kontant", C::N(2_000.0)),
            // Name written in another case, number given: the plan's line.
            pay("2024-01-25", "region västernorrland (1:1)", "232100-0164", "offentlig kontant", C::T("3 000,50")),
        ],
    );
    p.put(
        "harnosand",
        "2024-02",
        1,
        10_000.0,
        &[pay("2024-02-10", "Region Västernorrland (1:1)", "232100-0164", "Offentlig kontant", C::N(1_500.25))],
    );
    p.put(
        "kramfors",
        "2024-01",
        1,
        20_000.0,
        &[pay("2024-01-31", "Kramfors kommun", "212000-2429", "Offentlig kontant", C::N(kramfors_paid))],
    );
}

#[test]
fn payments_of_several_partners_reach_summary_claim_workbook_and_receipts() {
    let p = Project::new(PROJECT);
    first_claim_inbox(&p, 5_000.0);
    let out = p.out("ansokan1");
    // No --from/--to: the plan's first claim, 2024-01 – 2024-04. Today 2024-05-20: the claim
    // is due 2024-05-31, 11 days later.
    let stderr = ok(&["run", &p.arg(), "--out", out.to_str().unwrap()], Some("2024-05-20"));
    assert!(stderr.contains("ansökan 1 av 3 gäller 2024-01 – 2024-04"), "{stderr}");
    assert!(stderr.contains("senast 2024-05-31 (11 dagar kvar)"), "{stderr}");
    let s = summary(&out);
    assert_eq!((s["period"]["from"].as_str(), s["period"]["to"].as_str()), (Some("2024-01"), Some("2024-04")));
    assert!(codes(&s, "PERIOD_NOT_IN_PLAN").is_empty());

    // Härnösand's own money: 2 000,00 of 20 000. Region: 3 000,50 + 1 500,25 = 4 500,75 of
    // 30 000, external. Kramfors: 5 000,00 of 50 000.
    let own = financing(&s, "harnosand", "Härnösands kommun");
    assert_eq!(own["org_nr"], "212000-2403");
    assert_eq!(own["kind"], "public");
    assert_eq!(own["partner"], "Härnösands kommun");
    assert_eq!(own["external"], false);
    assert_eq!((own["decided"].as_str(), own["paid_in_period"].as_str()), (Some("20000.00"), Some("2000.00")));
    assert_eq!(own["paid_in_cumulative"], "2000.00");
    let region = financing(&s, "harnosand", "Region Västernorrland (1:1)");
    assert_eq!(region["org_nr"], "232100-0164");
    assert_eq!(region["external"], true);
    assert_eq!(dec(&region["decided"]), d("30000"));
    assert_eq!(dec(&region["paid_in_period"]), d("4500.75"));
    assert_eq!(dec(&region["paid_in_cumulative"]), d("4500.75"));
    let kramfors = financing(&s, "kramfors", "Kramfors kommun");
    assert_eq!(dec(&kramfors["paid_in_period"]), d("5000.00"));
    assert_eq!(s["financing"].as_array().unwrap().len(), 3);

    // Claimed: Härnösand 20 000 of 100 000 = 20 %, own money paid 10 % (lag 10 points, at the
    // threshold), Region 15,0025 %; Kramfors 20 000 of 100 000 = 20 %, paid 10 %: all quiet.
    assert!(codes(&s, "COFINANCING_LAGGING").is_empty(), "{}", s["findings"]);

    // The claim workbook, read back with calamine.
    let xlsx = out.join("ansokan-2024-01_2024-04.xlsx");
    let rows = sheet(&xlsx, "Finansiering");
    let (h, body) = table(&rows, "Finansiär", "Inbetalt perioden");
    let (fin, part, per, cum, booked) = (
        col(h, "Finansiär"),
        col(h, "Projektpart"),
        col(h, "Inbetalt perioden"),
        col(h, "Inbetalt ack."),
        col(h, "Bokförs"),
    );
    let line = |f: &str, partner: &str| {
        body.iter().find(|r| text(&r[fin]) == f && text(&r[part]) == partner).unwrap_or_else(|| panic!("{f}"))
    };
    let r = line("Region Västernorrland (1:1)", "Härnösands kommun");
    assert_eq!((money(&r[per]), money(&r[cum])), (d("4500.75"), d("4500.75")));
    assert_eq!(text(&r[booked]), "Extern: bokförs separat");
    assert_eq!(money(&line("Härnösands kommun", "Härnösands kommun")[per]), d("2000"));
    assert_eq!(money(&line("Kramfors kommun", "Kramfors kommun")[per]), d("5000"));
    // Totals row: 2 000 + 4 500,75 + 5 000 = 11 500,75.
    let total = body.iter().find(|r| text(&r[fin]) == "Summa").unwrap();
    assert_eq!(money(&total[per]), d("11500.75"));
    // The transaction list: one line per payment, 4 in all, summing to 11 500,75.
    let (h, body) = table(&rows, "Datum", "Verifikation");
    let amount = col(h, "Belopp");
    let payments: Vec<&&Vec<Data>> = body.iter().filter(|r| text(&r[0]) != "Summa").collect();
    assert_eq!(payments.len(), 4);
    let mut amounts: Vec<Decimal> = payments.iter().map(|r| money(&r[amount])).collect();
    amounts.sort();
    assert_eq!(amounts, vec![d("1500.25"), d("2000"), d("3000.50"), d("5000")]);
    assert!(payments.iter().all(|r| text(&r[col(h, "Avser")]) == "Perioden"));

    // The receipts: each partner's own part, to the öre.
    let receipt = |folder: &str| {
        // No-break spaces as spaces, runs of spaces (column padding) as one.
        let t = std::fs::read_to_string(out.join("kvitto").join(format!("{folder}.txt"))).unwrap();
        t.replace('\u{a0}', " ")
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let h = receipt("harnosand");
    assert!(h.contains("Inbetald medfinansiering"), "{h}");
    assert!(h.contains("Härnösands kommun 20 000,00 kr 2 000,00 kr 2 000,00 kr 10,0 %"), "{h}");
    assert!(h.contains("Region Västernorrland (1:1) 30 000,00 kr 4 500,75 kr 4 500,75 kr 15,0 %"), "{h}");
    assert!(h.contains("bokförs separat"), "{h}");
    assert!(h.contains("2024-01-25 Region Västernorrland (1:1) 3 000,50 kr"), "{h}");
    let k = receipt("kramfors");
    assert!(k.contains("Kramfors kommun 50 000,00 kr 5 000,00 kr 5 000,00 kr 10,0 %"), "{k}");
    assert!(!k.contains("Region"), "{k}");
}

#[test]
fn the_lag_warning_fires_just_above_its_threshold_and_not_at_or_below_it() {
    // Kramfors has claimed 20 000 of 100 000 = 20 %. Paid in of 50 000 decided:
    //   4 999,99 → 9,99998 %, lag 10,00002 points > 10: warning;
    //   5 000,00 → 10 %, lag exactly 10: quiet;  5 000,01 → 10,00002 %, lag 9,99998: quiet.
    for (paid, fires) in [(4_999.99, true), (5_000.0, false), (5_000.01, false)] {
        let p = Project::new(PROJECT);
        first_claim_inbox(&p, paid);
        let out = p.out("lag");
        ok(&["run", &p.arg(), "--today", "2024-05-20", "--out", out.to_str().unwrap()], None);
        let s = summary(&out);
        let lag = codes(&s, "COFINANCING_LAGGING");
        assert_eq!(lag.len(), usize::from(fires), "{paid}: {lag:?}");
        if fires {
            assert_eq!(lag[0]["severity"], "warning");
            assert_eq!(lag[0]["partner"], "Kramfors kommun");
            let m = lag[0]["message"].as_str().unwrap().replace('\u{a0}', " ");
            assert!(m.contains("4 999,99 kr av beslutade 50 000,00 kr"), "{m}");
            let receipt = std::fs::read_to_string(out.join("kvitto/kramfors.txt")).unwrap();
            assert!(receipt.contains("COFINANCING_LAGGING"), "{receipt}");
        }
    }
    // A stricter project setting (5 points) makes the at-threshold case fire.
    let p = Project::new(&PROJECT.replace("cofinancing_lag = 10", "cofinancing_lag = 5"));
    first_claim_inbox(&p, 5_000.0);
    let out = p.out("lag5");
    ok(&["run", &p.arg(), "--today", "2024-05-20", "--out", out.to_str().unwrap()], None);
    // Kramfors lags 10 points > 5; Härnösand's own money 10 points > 5; Region 4,9975 ≤ 5.
    let lag = codes(&summary(&out), "COFINANCING_LAGGING");
    assert_eq!(lag.len(), 2, "{lag:?}");
}

#[test]
fn each_bad_payment_cell_gives_its_finding_at_its_cell() {
    let p = Project::new(PROJECT);
    let rows = [
        // Row 2: a payer not in Härnösand's column of the plan.
        pay("2024-03-05", "Okänd Stiftelse", "", "Privat kontant", C::N(100.0)),
        // Row 3: a date in April in the March workbook.
        pay("2024-04-02", "Härnösands kommun", "", "Offentlig kontant", C::N(200.0)),
        // Row 4: a negative amount.
        pay("2024-03-06", "Härnösands kommun", "", "Offentlig kontant", C::N(-300.0)),
        // Row 5: a Typ outside the list.
        pay("2024-03-07", "Härnösands kommun", "", "Kontant", C::N(400.0)),
        // Row 6: an organisationsnummer that fails Luhn.
        pay("2024-03-08", "Region Västernorrland (1:1)", "232100-0165", "Offentlig kontant", C::N(500.0)),
        // Row 7: the Region's name with Kramfors' number: not the plan's Region.
        pay("2024-03-09", "Region Västernorrland (1:1)", "212000-2429", "Offentlig kontant", C::N(600.0)),
        // Row 8: private for a public financier: a warning, counted as public.
        pay("2024-03-10", "Region Västernorrland (1:1)", "", "Privat kontant", C::N(700.0)),
        // Row 9: an amount that is not a number.
        pay("2024-03-11", "Härnösands kommun", "", "Offentlig kontant", C::T("sjuhundra")),
        // Row 10: a good row.
        pay("2024-03-12", "Härnösands kommun", "", "Offentlig kontant", C::N(1_000.0)),
    ];
    p.put("harnosand", "2024-03", 1, 10_000.0, &rows);
    p.put("kramfors", "2024-03", 1, 10_000.0, &[]);
    let out = p.out("fel");
    let status = run(
        &[
            "run",
            &p.arg(),
            "--from",
            "2024-03",
            "--to",
            "2024-03",
            "--today",
            "2024-05-20",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(status.status.code(), Some(1), "{}", String::from_utf8_lossy(&status.stderr));
    let s = summary(&out);
    let at = |code: &str, cell: &str| {
        let f: Vec<Value> = codes(&s, code).into_iter().filter(|f| f["cell"] == cell).collect();
        assert_eq!(f.len(), 1, "{code} at {cell}: {}", s["findings"]);
        assert_eq!(f[0]["sheet"], "Medfinansiering");
        assert_eq!(f[0]["partner"], "Härnösands kommun");
        f[0].clone()
    };
    assert_eq!(at("UNKNOWN_FINANCIER", "B2")["severity"], "error");
    assert_eq!(at("ROW_OUTSIDE_PERIOD", "A3")["severity"], "error");
    assert_eq!(at("BAD_VALUE", "E4")["severity"], "error");
    assert_eq!(at("BAD_VALUE", "D5")["severity"], "error");
    assert_eq!(at("INVALID_ORGNR", "C6")["severity"], "error");
    assert_eq!(at("UNKNOWN_FINANCIER", "C7")["severity"], "error");
    assert_eq!(at("FINANCING_TYPE_MISMATCH", "D8")["severity"], "warning");
    assert_eq!(at("BAD_VALUE", "E9")["severity"], "error");
    // Only rows 8 (700, Region) and 10 (1 000, own money) count.
    assert_eq!(dec(&financing(&s, "harnosand", "Region Västernorrland (1:1)")["paid_in_period"]), d("700"));
    assert_eq!(dec(&financing(&s, "harnosand", "Härnösands kommun")["paid_in_period"]), d("1000"));
    // A period off the plan warns.
    assert_eq!(codes(&s, "PERIOD_NOT_IN_PLAN").len(), 1);
}

#[test]
fn the_plan_drives_the_default_period_and_late_and_corrected_payments_reach_the_next_claim() {
    let p = Project::new(PROJECT);
    first_claim_inbox(&p, 5_000.0);
    // Kramfors' March is missing when claim 1 is submitted.
    let d1 = p.arg();
    ok(&["submit", &d1, "--from", "2024-01", "--to", "2024-04", "--today", "2024-05-20"], None);
    let ledger = std::fs::read_to_string(p.path().join("ledger.jsonl")).unwrap();
    assert!(
        ledger.contains(r#""payments":[{"financier":"Region Västernorrland (1:1)","kind":"public","amount":"#),
        "{ledger}"
    );

    // March arrives late with 7 000,00 from Kramfors; Härnösand corrects February's Region
    // payment from 1 500,25 to 1 000,25 (version 2); May brings 2 500 from Härnösand itself.
    p.put(
        "kramfors",
        "2024-03",
        1,
        5_000.0,
        &[pay("2024-03-29", "Kramfors kommun", "", "Offentlig kontant", C::N(7_000.0))],
    );
    p.put(
        "harnosand",
        "2024-02",
        2,
        10_000.0,
        &[pay("2024-02-10", "Region Västernorrland (1:1)", "232100-0164", "Offentlig kontant", C::N(1_000.25))],
    );
    p.put(
        "harnosand",
        "2024-05",
        1,
        10_000.0,
        &[pay("2024-05-15", "Härnösands kommun", "", "Offentlig kontant", C::N(2_500.0))],
    );
    // The default period is the plan's next claim, 2024-05 – 2024-08; today (from the
    // environment) is 2024-10-05, five days after its due date 2024-09-30.
    let out = p.out("ansokan2");
    let stderr = ok(&["run", &d1, "--out", out.to_str().unwrap()], Some("2024-10-05"));
    assert!(stderr.contains("ansökan 2 av 3 gäller 2024-05 – 2024-08"), "{stderr}");
    assert!(stderr.contains("senast 2024-09-30 (försenad med 5 dagar)"), "{stderr}");
    let s = summary(&out);
    assert_eq!((s["period"]["from"].as_str(), s["period"]["to"].as_str()), (Some("2024-05"), Some("2024-08")));
    assert_eq!(s["claim"], 2);
    // Kramfors: the late March's 7 000 in this claim; 5 000 + 7 000 = 12 000 so far.
    let k = financing(&s, "kramfors", "Kramfors kommun");
    assert_eq!((dec(&k["paid_in_period"]), dec(&k["paid_in_cumulative"])), (d("7000"), d("12000")));
    // Region: the correction 1 000,25 − 1 500,25 = −500,00; 4 500,75 − 500 = 4 000,75 so far.
    let r = financing(&s, "harnosand", "Region Västernorrland (1:1)");
    assert_eq!((dec(&r["paid_in_period"]), dec(&r["paid_in_cumulative"])), (d("-500"), d("4000.75")));
    // Härnösand's own: May's 2 500; 2 000 + 2 500 = 4 500 so far.
    let h = financing(&s, "harnosand", "Härnösands kommun");
    assert_eq!((dec(&h["paid_in_period"]), dec(&h["paid_in_cumulative"])), (d("2500"), d("4500")));

    // The transaction list names how the claim takes each payment's month.
    let rows = sheet(&out.join("ansokan-2024-05_2024-08.xlsx"), "Finansiering");
    let (hdr, body) = table(&rows, "Datum", "Verifikation");
    let (amount, avser) = (col(hdr, "Belopp"), col(hdr, "Avser"));
    let lines: Vec<(Decimal, String)> =
        body.iter().filter(|r| text(&r[0]) != "Summa").map(|r| (money(&r[amount]), text(&r[avser]))).collect();
    assert!(lines.contains(&(d("7000"), "Sen månad".into())), "{lines:?}");
    assert!(lines.contains(&(d("1000.25"), "Rättad månad".into())), "{lines:?}");
    assert!(lines.contains(&(d("2500"), "Perioden".into())), "{lines:?}");

    // A period off the plan: a warning, and the terminal names the plan's next claim.
    let off = p.out("av");
    let stderr = ok(
        &["run", &d1, "--from", "2024-05", "--to", "2024-06", "--today", "2024-09-01", "--out", off.to_str().unwrap()],
        None,
    );
    assert!(stderr.contains("följer inte planen"), "{stderr}");
    assert!(stderr.contains("senast 2024-09-30 (29 dagar kvar)"), "{stderr}");
    assert_eq!(codes(&summary(&off), "PERIOD_NOT_IN_PLAN").len(), 1);
}

#[test]
fn without_a_plan_the_old_defaults_stay() {
    let toml = PROJECT.split("[[reporting]]").next().unwrap().to_string();
    let p = Project::new(&toml);
    first_claim_inbox(&p, 5_000.0);
    let out = p.out("utan");
    // The last whole month with a workbook before 2024-05-20 is February: 2024-01 – 2024-02.
    let stderr = ok(&["run", &p.arg(), "--today", "2024-05-20", "--out", out.to_str().unwrap()], None);
    assert!(!stderr.contains("Rapporteringsplanen"), "{stderr}");
    let s = summary(&out);
    assert_eq!((s["period"]["from"].as_str(), s["period"]["to"].as_str()), (Some("2024-01"), Some("2024-02")));
    assert!(codes(&s, "PERIOD_NOT_IN_PLAN").is_empty());
}

#[test]
fn a_broken_plan_stops_the_run() {
    // Overlapping periods: 2024-04 is in both.
    let toml = PROJECT.replacen("from = \"2024-05\"", "from = \"2024-04\"", 1);
    let p = Project::new(&toml);
    let out = run(&["run", &p.arg(), "--today", "2024-05-20"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reporting[2].from"), "{stderr}");
}

#[test]
fn the_template_has_the_medfinansiering_sheet_with_a_typ_dropdown() {
    let p = Project::new(PROJECT);
    let file = p.path().join("mall.xlsx");
    ok(&["template", &p.arg(), "--partner", "kramfors", "--month", "2024-03", "-o", file.to_str().unwrap()], None);
    let rows = sheet(&file, "Medfinansiering");
    let headers: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        headers[..7],
        ["Datum", "Finansiär", "Organisationsnummer", "Typ", "Belopp", "Verifikation", "Kommentar"].map(String::from)
    );
    // The dropdown of Typ: an inline list validation on the sheet that has it.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut found = false;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().unwrap().starts_with("xl/worksheets/sheet") {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
            found |= xml.contains("&quot;Offentlig kontant,Privat kontant&quot;")
                || xml.contains("\"Offentlig kontant,Privat kontant\"");
        }
    }
    assert!(found, "no Typ dropdown");
    // The template's own workbook reads back without a finding (an empty Medfinansiering).
    let check = run(&["check", file.to_str().unwrap(), "--project", &p.arg()], None);
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(!out.contains("Medfinansiering"), "{out}");
}
