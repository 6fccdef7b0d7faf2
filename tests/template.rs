//! The partner template (`redovisa template`), checked from the outside: its sheets and headers
//! as an independent reader (calamine) sees them, its dropdowns and number formats in the xlsx
//! parts, a round trip (template → cells typed into it → the crate's reader → the same values to
//! the öre), a template filled in the way people really type, the previous month's `Personal`
//! prefill, co-financiers, the project's own texts, errors, and byte-identical output.
//! The `redovisa template` command itself is run as a binary in
//! `crates/redovisa-cli/tests/template_command.rs`.

mod support;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use chrono::NaiveDate;
use redovisa::contract::{KON, KOSTNADSSLAG, Label, ORSAK, REDOVISNING, Sheet as ContractSheet};
use redovisa::money::Hours;
use redovisa::month::Month;
use redovisa::project::Project;
use redovisa::read::{Gender, Reporting, Workbook};
use redovisa::template::{self, INSTRUCTIONS_SHEET, LISTS_SHEET};
use rust_decimal::dec;
use support::*;

/// A copy of the seed project file in a folder of its own, without an inbox, so that no test
/// depends on an example inbox `redovisa demo` may have written into the fixture folder (the
/// prefill tests build their own inbox).
fn seed_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(project_dir().join("project.toml"), dir.path().join("project.toml")).unwrap();
        dir
    })
    .path()
}

/// The seed project, loaded from [`seed_dir`].
fn project() -> Project {
    Project::load(seed_dir()).unwrap()
}

fn march() -> Month {
    Month::new(2025, 3).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn render(project: &Project, folder: &str, month: Month) -> Vec<u8> {
    template::render(project, folder, month).unwrap()
}

/// Every cell of a sheet as text, read by calamine, by 0-based (row, column).
fn calamine_cells(bytes: &[u8], sheet: &str) -> BTreeMap<(u32, u32), String> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .cells()
        .filter(|(_, _, v)| !matches!(v, Data::Empty))
        .map(|(r, c, v)| ((r as u32 + range.start().unwrap().0, c as u32 + range.start().unwrap().1), v.to_string()))
        .collect()
}

/// Row 1 of a sheet.
fn header_row(bytes: &[u8], sheet: &str) -> Vec<String> {
    calamine_cells(bytes, sheet).into_iter().filter(|((r, _), _)| *r == 0).map(|(_, v)| v).collect()
}

/// The column letter of each header in row 1 of `sheet`.
fn letters(bytes: &[u8], sheet: &str) -> BTreeMap<String, String> {
    calamine_cells(bytes, sheet)
        .into_iter()
        .filter(|((r, _), _)| *r == 0)
        .map(|((_, c), v)| (v, redovisa::finding::column_letters(c)))
        .collect()
}

/// The column letter of `header` in row 1 of `sheet`.
fn letter(bytes: &[u8], sheet: &str, header: &str) -> String {
    letters(bytes, sheet).remove(header).unwrap_or_else(|| panic!("no header {header} in {sheet}"))
}

/// Types `values` (by header) into row `row` of `sheet`, keeping the template's cell styles.
fn type_row(bytes: &[u8], sheet: &str, row: u32, values: &[(&str, Cell)]) -> Vec<u8> {
    let letters = letters(bytes, sheet);
    let cells: Vec<(String, Cell)> = values.iter().map(|(h, c)| (format!("{}{row}", letters[*h]), c.clone())).collect();
    fill(bytes, sheet, &cells)
}

/// Types a value into `Uppgifter` beside `label`.
fn type_info(bytes: &[u8], label: Label, value: Cell) -> Vec<u8> {
    let row = calamine_cells(bytes, "Uppgifter")
        .into_iter()
        .find(|((_, c), v)| *c == 0 && v == label.text())
        .map(|((r, _), _)| r + 1)
        .unwrap();
    fill(bytes, "Uppgifter", &[(format!("B{row}"), value)])
}

/// Reads and checks template bytes against `project`, asserting no findings at all.
fn clean(project: &Project, bytes: &[u8]) -> Workbook {
    let (wb, findings) = check_with(project, bytes);
    assert!(findings.is_empty(), "unexpected findings:\n{}", describe(&findings));
    wb.unwrap()
}

/// Every data validation of a worksheet: (sqref, type, formula1, formula2).
fn validations(xml: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<dataValidation ") {
        let end = rest[i..].find("</dataValidation>").unwrap() + i;
        let element = &rest[i..end];
        let tag = &element[..element.find('>').unwrap() + 1];
        let inner = |name: &str| {
            let open = format!("<{name}>");
            element
                .find(&open)
                .map(|s| {
                    let from = s + open.len();
                    element[from..from + element[from..].find('<').unwrap()].replace("&quot;", "\"")
                })
                .unwrap_or_default()
        };
        out.push((
            attr(tag, "sqref").unwrap(),
            attr(tag, "type").unwrap_or_default(),
            inner("formula1"),
            inner("formula2"),
        ));
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_sheet_and_header_of_the_contract() {
    let bytes = render(&project(), "kramfors", march());
    let book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let names = book.sheet_names();
    let mut expected = vec![INSTRUCTIONS_SHEET.to_string()];
    expected.extend(ContractSheet::ALL.iter().map(|s| s.name().to_string()));
    expected.push(LISTS_SHEET.to_string());
    assert_eq!(names, expected);
    let hidden: Vec<&str> =
        book.sheets_metadata().iter().filter(|s| s.visible != SheetVisible::Visible).map(|s| s.name.as_str()).collect();
    assert_eq!(hidden, vec![LISTS_SHEET]);
    for sheet in ContractSheet::ALL.into_iter().skip(1) {
        let mut row = header_row(&bytes, sheet.name());
        if sheet == ContractSheet::OvrigaKostnader {
            // Kramfors must not fill it in: a note beside the headers says so.
            let note = row.pop().unwrap();
            assert!(note.contains("Fylls inte i av Kramfors kommun"), "{note}");
        }
        assert_eq!(row, headers(sheet), "{}", sheet.name());
    }
    let info = calamine_cells(&bytes, "Uppgifter");
    let labels: Vec<&str> = info.iter().filter(|((_, c), _)| *c == 0).map(|(_, v)| v.as_str()).skip(2).collect();
    assert_eq!(labels, Label::ALL.iter().map(|l| l.text()).collect::<Vec<_>>());
    let value = |label: Label| {
        let row = info.iter().find(|(_, v)| v.as_str() == label.text()).map(|((r, _), _)| *r).unwrap();
        info.get(&(row, 1)).cloned()
    };
    assert_eq!(value(Label::Projektpart).as_deref(), Some("Kramfors kommun"));
    assert_eq!(value(Label::Organisationsnummer).as_deref(), Some("212000-2429"));
    assert_eq!(value(Label::Period).as_deref(), Some("2025-03"));
    assert_eq!(value(Label::Version).as_deref(), Some("1"));
    assert_eq!(value(Label::AttesteradAv), None, "left for the partner");
    assert_eq!(value(Label::Attestdatum), None, "left for the partner");
    // The cells left to fill in are marked, in column C.
    let hints: Vec<&str> = info.iter().filter(|((_, c), _)| *c == 2).map(|(_, v)| v.as_str()).collect();
    assert_eq!(hints.iter().filter(|h| h.starts_with("FYLL I")).count(), 2, "{hints:?}");
}

#[test]
fn the_empty_template_reads_back_with_zero_findings() {
    let (_dir, indirect) = indirect_project();
    let seed = project();
    let (first, last) = (Month::new(2024, 1).unwrap(), Month::new(2027, 4).unwrap());
    for (project, folder, org_nr, months) in [
        (&seed, "kramfors", "212000-2429", vec![march(), first, last]),
        (&seed, "harnosand", "212000-2403", vec![march()]),
        (&seed, "region-vasternorrland", "232100-0164", vec![march()]),
        (&seed, "bizmaker", "556900-1232", vec![march()]),
        (&indirect, "kramfors", "212000-2429", vec![march()]),
    ] {
        for month in months {
            let bytes = render(project, folder, month);
            let wb = clean(project, &bytes);
            assert_eq!(wb.info.org_nr.as_ref().map(|o| o.as_str()), Some(org_nr));
            assert_eq!(wb.info.month, Some(month));
            assert_eq!(wb.info.version, 1);
            assert_eq!(wb.info.partner_name.as_deref(), project.org_by_folder(folder).map(|o| o.name()));
            assert_eq!((wb.info.attested_by.as_ref(), wb.info.attested_on), (None, None));
            assert!(wb.staff.is_empty() && wb.time.is_empty() && wb.other_costs.is_empty());
            // Every table sheet was found with its header in row 1.
            for sheet in ContractSheet::ALL.into_iter().skip(1) {
                assert_eq!(wb.layouts[&sheet].header_row, 0, "{folder} {}", sheet.name());
            }
        }
    }
}

#[test]
fn round_trip_to_the_ore() {
    let (_dir, project) = indirect_project();
    let mut b = render(&project, "kramfors", march());
    let anna = pnr("19800314", "123");
    let bertil = pnr("19751103", "456");
    b = type_row(
        &b,
        "Personal",
        2,
        &[
            ("Namn", t("Anna Andersson")),
            ("Personnummer", t(&anna)),
            ("Roll", t("Processledare")),
            ("Startdatum", n(serial(2024, 1, 15))),
            ("Månadslön", n(45123.45)),
            ("Redovisning", t("Tidrapport")),
            ("Sysselsättningsgrad", n(1.0)),
        ],
    );
    b = type_row(
        &b,
        "Personal",
        3,
        &[
            ("Namn", t("Bertil Berg")),
            ("Personnummer", t(&bertil)),
            ("Roll", t("Samordnare")),
            ("Startdatum", n(serial(2024, 3, 1))),
            ("Slutdatum", n(serial(2026, 12, 31))),
            ("Månadslön", n(52300.5)),
            ("Redovisning", t("Fast andel")),
            ("Andel", n(0.375)),
            ("Sysselsättningsgrad", n(0.8)),
            ("Huvudaktivitet", t("2.2")),
        ],
    );
    let time = [(3, "1.1", 7.5), (4, "1.1", 7.25), (5, "3.3", 0.75), (6, "2.2", 8.0)];
    for (i, (d, act, h)) in time.iter().enumerate() {
        b = type_row(
            &b,
            "Tidrapport",
            i as u32 + 2,
            &[
                ("Namn", t("Anna Andersson")),
                ("Datum", n(serial(2025, 3, *d))),
                ("Aktivitet", t(act)),
                ("Timmar", n(*h)),
                ("Kommentar", t("möte")),
            ],
        );
    }
    b = type_row(
        &b,
        "Frånvaro",
        2,
        &[("Namn", t("Bertil Berg")), ("Månad", t("2025-03")), ("Timmar", n(8.0)), ("Orsak", t("VAB"))],
    );
    b = type_row(
        &b,
        "Deltagare",
        2,
        &[
            ("Datum", n(serial(2025, 3, 12))),
            ("Aktivitet", t("2.2")),
            ("Träff", t("Nätverksträff")),
            ("Organisationsnummer", t("556900-1232")),
            ("Organisation", t("BizMaker")),
            ("Kön", t("Kvinna")),
        ],
    );
    let rco13 = "Värdet av digitala tjänster, produkter och processer som utvecklats för företag";
    b = type_row(&b, "Indikatorer", 2, &[("Indikator", t(rco13)), ("Värde", n(125000.75)), ("Kommentar", t("app"))]);
    b = type_row(
        &b,
        "Lägesbeskrivning",
        2,
        &[
            ("Aktivitet", t("1.1")),
            ("Genomfört", t("Workshop om strukturbild")),
            ("Resultat", t("Karta klar")),
            ("Avvikelser", t("Inga")),
        ],
    );
    b = type_row(
        &b,
        "Övriga kostnader",
        2,
        &[
            ("Verifikation", t("A-1043")),
            ("Datum", n(serial(2025, 3, 20))),
            ("Kostnadsslag", t("Resor")),
            ("Beskrivning", t("Tåg Kramfors–Sundsvall")),
            ("Aktivitet", t("1.2")),
            ("Belopp", n(1234.56)),
        ],
    );
    b = type_info(&b, Label::AttesteradAv, t("Karin Ekonomichef"));
    b = type_info(&b, Label::Attestdatum, n(serial(2025, 4, 2)));

    let wb = clean(&project, &b);
    assert_eq!(wb.info.attested_by.as_deref(), Some("Karin Ekonomichef"));
    assert_eq!(wb.info.attested_on, Some(day(2025, 4, 2)));
    let a = &wb.staff[0];
    assert_eq!((a.name.as_str(), a.pnr.as_str(), a.role.as_str()), ("Anna Andersson", anna.as_str(), "Processledare"));
    assert_eq!(
        (a.start, a.end, a.salary, a.reporting),
        (day(2024, 1, 15), None, dec!(45123.45), Reporting::TimeReport)
    );
    assert_eq!((a.share, a.employment, a.main_activity.as_deref()), (None, dec!(1), None));
    let bb = &wb.staff[1];
    assert_eq!(
        (bb.salary, bb.reporting, bb.share, bb.employment),
        (dec!(52300.50), Reporting::FixedShare, Some(dec!(0.375)), dec!(0.8))
    );
    assert_eq!((bb.end, bb.main_activity.as_deref()), (Some(day(2026, 12, 31)), Some("2.2")));
    let got: Vec<(String, Hours)> = wb.time.iter().map(|r| (r.activity.clone(), r.hours)).collect();
    let want: Vec<(String, Hours)> =
        time.iter().map(|(_, act, h)| (act.to_string(), Hours::from_decimal(h.to_string().parse().unwrap()))).collect();
    assert_eq!(got, want);
    assert_eq!(wb.absence[0].hours, Hours::from_decimal(dec!(8)));
    let p = &wb.participants[0];
    assert_eq!(
        (p.date, &p.org_nr, p.gender, p.event.as_str()),
        (
            day(2025, 3, 12),
            &redovisa::ids::ParticipantOrg::Org(redovisa::ids::OrgNr::parse("556900-1232").unwrap()),
            Gender::Woman,
            "Nätverksträff"
        )
    );
    assert_eq!((wb.indicators[0].name.as_str(), wb.indicators[0].value), (rco13, dec!(125000.75)));
    assert_eq!(wb.narratives[0].done, "Workshop om strukturbild");
    let c = &wb.other_costs[0];
    assert_eq!(
        (c.voucher.as_str(), c.date, c.category, c.activity.as_str(), c.amount),
        ("A-1043", day(2025, 3, 20), "Resor", "1.2", dec!(1234.56))
    );
    // And what reconcile gets from it.
    let report = redovisa::reconcile::month_report(&project, &wb).0.unwrap();
    assert_eq!(report.other_costs[0].amount, dec!(1234.56));
    assert_eq!(report.persons[0].time.iter().map(|(_, h)| *h).sum::<Hours>(), Hours::from_decimal(dec!(23.5)));
    assert_eq!(report.indicator_values, vec![(0, dec!(125000.75))]);
}

#[test]
fn filled_in_by_hand_reads_back_without_findings() {
    // What people type: dates as text, "45 000 kr", a percent typed into the percent cell (Excel
    // stores 0,5 with the cell's `0 %` format), "50 %", hours "7,5" and "7:30", numbers without
    // dashes, lower case, a comma in the activity code.
    let project = project();
    let (anna, bertil) = (pnr("19800314", "123"), pnr("19751103", "456"));
    let mut b = render(&project, "kramfors", march());
    b = type_row(
        &b,
        "Personal",
        2,
        &[
            ("Namn", t("Anna Andersson")),
            ("Personnummer", t(&anna[2..].replace('-', ""))),
            ("Startdatum", t("2024-01-15")),
            ("Månadslön", t("45 000 kr")),
            ("Redovisning", t("tidrapport")),
        ],
    );
    b = type_row(
        &b,
        "Personal",
        3,
        &[
            ("Namn", t("Bertil Berg")),
            ("Personnummer", t(&bertil.replace('-', ""))),
            ("Startdatum", t("2024-03-01")),
            ("Månadslön", t("52\u{a0}300,50")),
            ("Redovisning", t("Fast andel")),
            ("Andel", n(0.5)),
            ("Sysselsättningsgrad", t("80 %")),
            ("Huvudaktivitet", t("2,2")),
        ],
    );
    b = type_row(
        &b,
        "Tidrapport",
        2,
        &[("Namn", t("anna andersson")), ("Datum", t("2025-03-03")), ("Aktivitet", t("1,1")), ("Timmar", t("7,5"))],
    );
    b = type_row(
        &b,
        "Tidrapport",
        3,
        &[("Namn", t("Anna Andersson")), ("Datum", t("2025-03-04")), ("Aktivitet", t("1.1")), ("Timmar", t("7:30"))],
    );
    b = type_row(
        &b,
        "Tidrapport",
        4,
        &[("Namn", t("Anna  Andersson")), ("Datum", t("2025-03")), ("Aktivitet", t("4.1")), ("Timmar", t("2 h"))],
    );
    b = type_row(
        &b,
        "Deltagare",
        2,
        &[
            ("Datum", t("2025-03-12")),
            ("Aktivitet", t("2.2")),
            ("Organisationsnummer", t("5569001232")),
            ("Kön", t("kvinna")),
        ],
    );
    b = type_info(&b, Label::AttesteradAv, t("Karin Ekonomichef"));
    b = type_info(&b, Label::Attestdatum, t("2025-04-02"));
    let wb = clean(&project, &b);
    assert_eq!((wb.staff[0].pnr.as_str(), wb.staff[1].pnr.as_str()), (anna.as_str(), bertil.as_str()));
    assert_eq!(wb.staff[0].salary, dec!(45000));
    assert_eq!(wb.staff[0].reporting, Reporting::TimeReport);
    assert_eq!(wb.staff[1].salary, dec!(52300.50));
    assert_eq!((wb.staff[1].share, wb.staff[1].employment), (Some(dec!(0.5)), dec!(0.8)));
    assert_eq!(wb.staff[1].main_activity.as_deref(), Some("2.2"));
    let hours: Vec<(String, Hours)> = wb.time.iter().map(|r| (r.activity.clone(), r.hours)).collect();
    assert_eq!(
        hours,
        vec![
            ("1.1".to_string(), Hours::from_decimal(dec!(7.5))),
            ("1.1".to_string(), Hours::from_decimal(dec!(7.5))),
            ("4.1".to_string(), Hours::from_decimal(dec!(2)))
        ]
    );
    assert_eq!(wb.participants[0].gender, Gender::Woman);
    assert_eq!(wb.info.attested_on, Some(day(2025, 4, 2)));
}

#[test]
fn input_cells_are_formatted() {
    let (_dir, indirect) = indirect_project();
    let bytes = render(&indirect, "kramfors", march());
    let format = |sheet: &str, header: &str, row: u32| {
        let at = format!("{}{row}", letter(&bytes, sheet, header));
        cell_number_format(&bytes, sheet, &at).unwrap_or_else(|| panic!("{sheet}!{at} has no style"))
    };
    for (sheet, header, code) in [
        ("Personal", "Startdatum", "yyyy-mm-dd"),
        ("Personal", "Månadslön", "#,##0.00"),
        ("Personal", "Andel", "0 %"),
        ("Personal", "Sysselsättningsgrad", "0 %"),
        ("Personal", "Personnummer", "@"),
        ("Personal", "Huvudaktivitet", "@"),
        ("Tidrapport", "Datum", "yyyy-mm-dd"),
        ("Tidrapport", "Timmar", "0.00"),
        ("Tidrapport", "Aktivitet", "@"),
        ("Frånvaro", "Månad", "@"),
        ("Deltagare", "Organisationsnummer", "@"),
        ("Övriga kostnader", "Belopp", "#,##0.00"),
        ("Övriga kostnader", "Datum", "yyyy-mm-dd"),
    ] {
        assert_eq!(format(sheet, header, 2), code, "{sheet} {header}");
    }
    // As many rows as partnermall.toml asks for, and no more.
    let text = template::TemplateText::embedded().unwrap();
    let last = text.rows(ContractSheet::Tidrapport) + 1;
    assert_eq!(format("Tidrapport", "Timmar", last), "0.00");
    let past = format!("{}{}", letter(&bytes, "Tidrapport", "Timmar"), last + 1);
    assert_eq!(cell_number_format(&bytes, "Tidrapport", &past), None);
    // The header row is frozen and styled.
    let xml = sheet_xml(&bytes, "Tidrapport");
    assert!(xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""), "{}", &xml[..xml.len().min(800)]);
    let attest = cell_number_format(&bytes, "Uppgifter", "B9").unwrap();
    assert_eq!(attest, "yyyy-mm-dd");
}

#[test]
fn dropdowns_for_activities_and_closed_lists() {
    let (_dir, indirect) = indirect_project();
    let codes = format!("\"{}\"", indirect.activities().map(|(_, a)| a.code.as_str()).collect::<Vec<_>>().join(","));
    assert!(codes.starts_with("\"1.1,1.2,1.3,1.4,2.1") && codes.ends_with("4.1,4.2\""), "{codes}");
    let quoted = |list: &[&str]| format!("\"{}\"", list.join(","));
    let text = template::TemplateText::embedded().unwrap();
    let bytes = render(&indirect, "kramfors", march());
    let expect = [
        ("Tidrapport", "Aktivitet", codes.clone()),
        ("Deltagare", "Aktivitet", codes.clone()),
        ("Lägesbeskrivning", "Aktivitet", codes.clone()),
        ("Övriga kostnader", "Aktivitet", codes.clone()),
        ("Personal", "Huvudaktivitet", codes.clone()),
        ("Personal", "Redovisning", quoted(&REDOVISNING)),
        ("Deltagare", "Kön", quoted(&KON)),
        ("Frånvaro", "Orsak", quoted(&ORSAK)),
        ("Övriga kostnader", "Kostnadsslag", quoted(&KOSTNADSSLAG)),
        ("Indikatorer", "Indikator", format!("{LISTS_SHEET}!$A$2:$A$3")),
    ];
    for (sheet, header, formula) in expect {
        let col = letter(&bytes, sheet, header);
        let rows = text.rows(redovisa::contract::sheet_for(sheet).unwrap()) + 1;
        let sqref = format!("{col}2:{col}{rows}");
        let found = validations(&sheet_xml(&bytes, sheet));
        let v = found
            .iter()
            .find(|(s, ..)| *s == sqref)
            .unwrap_or_else(|| panic!("{sheet}.{header}: no validation on {sqref} in {found:?}"));
        assert_eq!((v.1.as_str(), v.2.trim_start_matches('=')), ("list", formula.as_str()), "{sheet}.{header}");
    }
    // The indicator names (they hold commas) are on the hidden list sheet.
    let lists = calamine_cells(&bytes, LISTS_SHEET);
    let reported: Vec<&str> = indirect
        .indicators
        .iter()
        .filter(|i| i.measure == redovisa::project::Measure::Reported)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(vec![lists[&(1, 0)].as_str(), lists[&(2, 0)].as_str()], reported);
    // Dated rows must lie in the month.
    let col = letter(&bytes, "Tidrapport", "Datum");
    let dates = validations(&sheet_xml(&bytes, "Tidrapport"));
    let d = dates.iter().find(|(s, ..)| s.starts_with(&format!("{col}2:"))).unwrap();
    assert_eq!((d.1.as_str(), d.2.as_str(), d.3.as_str()), ("date", "45717", "45747"), "2025-03-01 – 2025-03-31");
}

#[test]
fn no_other_costs_sheet_to_fill_on_the_flat_rate_model() {
    for folder in ["kramfors", "harnosand", "region-vasternorrland"] {
        let bytes = render(&project(), folder, march());
        let xml = sheet_xml(&bytes, "Övriga kostnader");
        assert!(validations(&xml).is_empty(), "{folder}");
        let note = header_row(&bytes, "Övriga kostnader").pop().unwrap();
        assert!(note.starts_with("Fylls inte i av"), "{folder}: {note}");
        assert!(xml.contains("<tabColor"), "{folder}: the tab is greyed");
    }
}

/// The instruction sheet's text, one string.
fn instructions(bytes: &[u8]) -> String {
    calamine_cells(bytes, INSTRUCTIONS_SHEET).into_values().collect::<Vec<_>>().join("\n")
}

#[test]
fn instructions_in_swedish_for_each_kind_of_organisation() {
    let (_dir, indirect) = indirect_project();
    let kramfors = instructions(&render(&project(), "kramfors", march()));
    for needle in [
        "Kramfors kommuns redovisning för mars 2025",
        "Sjukdom dag 1–14 dras inte av och ska inte föras in",
        "inkorg/kramfors",
        "Version",
        "attesteras",
        "ÅÅÅÅ-MM-DD",
        "schablon på 25\u{a0}% av personalkostnaderna som täcker alla övriga kostnader",
        "Fyll därför inte i bladet Övriga kostnader",
    ] {
        assert!(kramfors.contains(needle), "«{needle}» missing in:\n{kramfors}");
    }
    let harnosand = instructions(&render(&project(), "harnosand", march()));
    assert!(harnosand.contains("schablon på 40\u{a0}%"), "{harnosand}");
    let region = instructions(&render(&project(), "region-vasternorrland", march()));
    assert!(
        region.contains("bidrag i annat än pengar") && region.contains("redovisar inga övriga kostnader"),
        "{region}"
    );
    let own = instructions(&render(&indirect, "kramfors", march()));
    assert!(own.contains("faktiska övriga kostnader") && !own.contains("Fyll därför inte i"), "{own}");
    // The column table names every sheet and column of the contract.
    let cells = calamine_cells(&render(&project(), "kramfors", march()), INSTRUCTIONS_SHEET);
    for sheet in ContractSheet::ALL.into_iter().skip(1) {
        for col in sheet.columns() {
            assert!(
                cells.iter().any(|((r, c), v)| *c == 1
                    && v == col.header()
                    && cells.get(&(*r, 0)).map(String::as_str) == Some(sheet.name())
                    && cells.get(&(*r, 2)).is_some_and(|d| !d.is_empty())),
                "{} {}",
                sheet.name(),
                col.header()
            );
        }
    }
}

/// Writes a workbook into the inbox of a project folder.
fn drop_in(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join("inkorg").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn previous_months_personal_is_prefilled() {
    let (dir, project) = temp_project(|t| t);
    let erik = Person {
        name: "Erik Ek".into(),
        pnr: t(&pnr("19880808", "321")),
        role: "Kommunikatör",
        start: date(2025, 2, 1),
        end: t("2025-12-31"),
        salary: t("38 750,25"),
        reporting: "Fast andel",
        share: pct(0.25),
        employment: n(75.0),
        main_activity: t("1.3"),
    };
    let doris = Person { name: "Doris Dahl".into(), pnr: t(&pnr("19900202", "111")), end: date(2025, 2, 20), ..anna() };
    let mut bertil_promoted = bertil();
    bertil_promoted.role = "Projektledare";
    // February: version 1, then version 2 with Bertil's new role, Doris (who left) and Erik.
    let mut v1 = book_for(&KRAMFORS, "2025-02");
    v1.replace(time_sheet(vec![]));
    let mut v2 = v1.clone();
    v2.sheet("Uppgifter").set("B4", n(2.0));
    v2.replace(personal_sheet(&[anna(), bertil_promoted, doris, erik.clone()]));
    // January: someone else. Sollefteå's February: not Kramfors'.
    let mut january = book_for(&KRAMFORS, "2025-01");
    january.replace(personal_sheet(&[Person { name: "Januari Jansson".into(), ..anna() }]));
    january.replace(time_sheet(vec![]));
    let sollefteå = Org { name: "Sollefteå kommun", org_nr: "212000-2437", folder: "solleftea" };
    let mut other = book_for(&sollefteå, "2025-02");
    other.replace(personal_sheet(&[Person { name: "Sara Sollefteå".into(), ..anna() }]));
    other.replace(time_sheet(vec![]));
    drop_in(dir.path(), "kramfors/feb.xlsx", &v1.xlsx(Strings::Shared));
    drop_in(dir.path(), "kramfors/feb rättad.xlsx", &v2.xlsx(Strings::Inline));
    drop_in(dir.path(), "kramfors/jan.xlsx", &january.xlsx(Strings::Shared));
    drop_in(dir.path(), "solleftea/feb.xlsx", &other.xlsx(Strings::Shared));
    drop_in(dir.path(), "kramfors/~$feb.xlsx", b"lock");

    let bytes = render(&project, "kramfors", march());
    let wb = clean(&project, &bytes);
    let names: Vec<&str> = wb.staff.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["Anna Andersson", "Bertil Berg", "Erik Ek"], "version 2, without Doris who left");
    assert_eq!(wb.staff[1].role, "Projektledare");
    let e = &wb.staff[2];
    assert_eq!(e.pnr.as_str(), pnr("19880808", "321"));
    assert_eq!((e.start, e.end), (day(2025, 2, 1), Some(day(2025, 12, 31))));
    assert_eq!(
        (e.salary, e.reporting, e.share, e.employment),
        (dec!(38750.25), Reporting::FixedShare, Some(dec!(0.25)), dec!(0.75))
    );
    assert_eq!(e.main_activity.as_deref(), Some("1.3"));
    assert_eq!((wb.staff[0].salary, wb.staff[1].salary), (dec!(45000), dec!(52300.50)));
    // The copied values keep the template's formats.
    assert_eq!(cell_number_format(&bytes, "Personal", "F4").as_deref(), Some("#,##0.00"));
    assert_eq!(cell_number_format(&bytes, "Personal", "H4").as_deref(), Some("0 %"));
    assert_eq!(cell_number_format(&bytes, "Personal", "D4").as_deref(), Some("yyyy-mm-dd"));

    // February's template takes January's people; April's has nothing to copy.
    let feb = clean(&project, &render(&project, "kramfors", Month::new(2025, 2).unwrap()));
    assert_eq!(feb.staff.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["Januari Jansson"]);
    let april = clean(&project, &render(&project, "kramfors", Month::new(2025, 4).unwrap()));
    assert!(april.staff.is_empty());
    // Sollefteå's own template takes Sollefteå's February.
    let s = clean(&project, &render(&project, "solleftea", march()));
    assert_eq!(s.staff.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["Sara Sollefteå"]);

    // Two different workbooks with the same version: neither counts, so nothing is copied.
    let mut rival = v2.clone();
    rival.sheet("Personal").set("C2", "Annan roll");
    drop_in(dir.path(), "kramfors/feb rättad igen.xlsx", &rival.xlsx(Strings::Shared));
    let wb = clean(&project, &render(&project, "kramfors", march()));
    assert!(wb.staff.is_empty(), "{:?}", wb.staff.iter().map(|p| &p.name).collect::<Vec<_>>());
}

#[test]
fn a_cofinancier_gets_the_same_workbook() {
    let project = project();
    let partner = render(&project, "kramfors", march());
    let region = render(&project, "region-vasternorrland", march());
    for sheet in ContractSheet::ALL.into_iter().skip(1) {
        let n = sheet.columns().len();
        assert_eq!(header_row(&partner, sheet.name())[..n], header_row(&region, sheet.name())[..n], "{}", sheet.name());
        assert_eq!(header_row(&region, sheet.name())[..n], headers(sheet), "{}", sheet.name());
    }
    let mut b = region;
    b = type_row(
        &b,
        "Personal",
        2,
        &[
            ("Namn", t("Rita Region")),
            ("Personnummer", t(&pnr("19700101", "234"))),
            ("Startdatum", n(serial(2024, 1, 1))),
            ("Månadslön", n(48000.0)),
            ("Redovisning", t("Tidrapport")),
        ],
    );
    b = type_row(
        &b,
        "Tidrapport",
        2,
        &[("Namn", t("Rita Region")), ("Datum", n(serial(2025, 3, 5))), ("Aktivitet", t("3.3")), ("Timmar", n(4.5))],
    );
    let wb = clean(&project, &b);
    assert_eq!(wb.info.org_nr.as_ref().unwrap().as_str(), "232100-0164");
    assert_eq!(wb.info.partner_name.as_deref(), Some("Region Västernorrland"));
    assert_eq!(wb.time[0].hours, Hours::from_decimal(dec!(4.5)));
}

#[test]
fn the_projects_own_texts_override_the_built_in_ones() {
    let (dir, project) = temp_project(|t| t);
    std::fs::create_dir_all(dir.path().join("mallar")).unwrap();
    std::fs::write(
        dir.path().join(template::OVERRIDE_FILE),
        "[rows.per_sheet]\nTidrapport = 7\n\n[instructions]\ncommon = [\"Egen rad för {projektpart}, {period_namn}.\"]\n",
    )
    .unwrap();
    let bytes = render(&project, "kramfors", march());
    let text = instructions(&bytes);
    assert!(text.contains("1. Egen rad för Kramfors kommun, mars 2025."), "{text}");
    assert!(!text.contains("Bladet Uppgifter är redan ifyllt"), "the common lines were replaced");
    assert!(text.contains("Sjukdom dag 1–14 förs inte in"), "the column descriptions are still the built-in ones");
    let col = letter(&bytes, "Tidrapport", "Aktivitet");
    assert!(validations(&sheet_xml(&bytes, "Tidrapport")).iter().any(|(s, ..)| *s == format!("{col}2:{col}8")));
    assert!(validations(&sheet_xml(&bytes, "Personal")).iter().any(|(s, ..)| s.ends_with("31")), "others keep theirs");
    clean(&project, &bytes);

    std::fs::write(dir.path().join(template::OVERRIDE_FILE), "[rows.per_sheet]\nTidrapprt = 7\n").unwrap();
    let err = template::render(&project, "kramfors", march()).unwrap_err().to_string();
    assert!(err.contains("Tidrapprt") && err.contains("partnermall.toml"), "{err}");
}

#[test]
fn unknown_folder_and_month_outside_the_project_are_clear_errors() {
    let project = project();
    let err = template::render(&project, "kramfor", march()).unwrap_err().to_string();
    assert!(
        err.contains("«kramfor»") && err.contains("ingen projektparts") && err.contains("kramfors, solleftea"),
        "{err}"
    );
    let err = template::render(&project, "kramfors", Month::new(2023, 12).unwrap()).unwrap_err().to_string();
    assert!(err.contains("2023-12") && err.contains("utanför projektets tid"), "{err}");
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let project = project();
    let a = render(&project, "kramfors", march());
    let b = render(&project, "kramfors", march());
    assert!(a == b, "two renders differ");
    let core = &zip_text(&a)["docProps/core.xml"];
    assert!(
        core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-03-01T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    assert!(core.contains("2025-03-01T00:00:00Z</dcterms:modified>"), "{core}");
    assert!(render(&project, "kramfors", Month::new(2025, 4).unwrap()) != a);
}
