//! The error catalogue of the read stage and the per-workbook row checks: for every finding code
//! they can raise, a small workbook built here that raises it, with the expected code, severity
//! and exact place asserted (in the sheet's own coordinates: `Tidrapport` has its header in row 12
//! from column B, its columns reordered), and a Swedish message that says what to do. Then the
//! rule that a finding never disappears silently: N bad rows give exactly N findings, and every
//! good row is still read.

mod support;

use redovisa::contract::Sheet as ContractSheet;
use redovisa::finding::{Code, Finding, Severity};
use redovisa::money::Hours;
use redovisa::project::Project;
use rust_decimal::dec;
use support::*;

/// `Tidrapport` laid out away from A1: headers in row 12 from column B, in this order.
const TIME_HEADERS: [&str; 5] = ["Aktivitet", "Datum", "Timmar", "Namn", "Kommentar"];

/// A `Tidrapport` row in [`TIME_HEADERS`] order.
fn trow(activity: &str, date: Cell, hours: Cell, name: &str) -> Vec<Cell> {
    vec![t(activity), date, hours, t(name)]
}

/// Anna's four rows in March 2025, in rows 13–16: B activity, C date, D hours, E name.
fn time_rows() -> Vec<Vec<Cell>> {
    vec![
        trow("1.1", date(2025, 3, 3), n(7.5), "Anna Andersson"),
        trow("1.1", date(2025, 3, 4), n(7.5), "Anna Andersson"),
        trow("1.1", date(2025, 3, 5), n(7.5), "Anna Andersson"),
        trow("2.2", date(2025, 3, 6), n(4.0), "Anna Andersson"),
    ]
}

/// The valid workbook of the catalogue: Kramfors, March 2025, Anna and Bertil in `Personal`
/// (rows 2 and 3), Anna's time in `Tidrapport` rows 13–16.
fn book() -> Book {
    let mut b = valid_book();
    let mut sheet = table("Tidrapport", "B12", &TIME_HEADERS, time_rows());
    sheet.set("A1", "Tidrapport mars 2025").set("A2", "Kramfors kommun");
    b.replace(sheet);
    b
}

/// Reads and checks a book against the seed project (shared strings).
fn findings_of(book: &Book) -> Vec<Finding> {
    check(&book.xlsx(Strings::Shared)).1
}

fn findings_in(project: &Project, book: &Book) -> Vec<Finding> {
    check_with(project, &book.xlsx(Strings::Shared)).1
}

/// Asserts the message is Swedish and tells the reader what to do.
fn assert_swedish_and_actionable(f: &Finding) {
    let m = f.message.to_lowercase();
    let swedish = ["å", "ä", "ö", " är ", " och ", " inte ", "saknas", " ska ", " finns ", " för "];
    let actions = [
        "rätta",
        "skriv",
        "fyll i",
        "lägg till",
        "använd",
        "ta bort",
        "ange",
        "spara",
        "ändra",
        "kontrollera",
        "redovisa den",
        "flytta",
        "öppna",
        "välj",
        "ska vara",
    ];
    assert!(swedish.iter().any(|w| m.contains(w)), "{} is not Swedish: {}", f.code, f.message);
    assert!(actions.iter().any(|w| m.contains(w)), "{} does not say what to do: {}", f.code, f.message);
}

/// Asserts there is exactly one finding, with this code, severity and `Sheet!Cell` place (empty
/// for a place without a sheet), in the catalogue's file, and a good message. Returns it.
fn only(findings: &[Finding], code: Code, severity: Severity, place: &str) -> Finding {
    assert_eq!(findings.len(), 1, "expected only {code} at {place}, got:\n{}", describe(findings));
    let f = &findings[0];
    assert_eq!((f.code, f.severity, f.place.sheet_cell().as_str()), (code, severity, place), "{}", describe(findings));
    assert_eq!(f.place.file.as_deref(), Some(FILE));
    assert_swedish_and_actionable(f);
    f.clone()
}

/// Every code this catalogue has a case for.
const CATALOGUED: [Code; 20] = [
    Code::FileUnreadable,
    Code::MissingSheet,
    Code::MissingColumn,
    Code::BadValue,
    Code::InvalidOrgnr,
    Code::InvalidPersonnummer,
    Code::UnknownPerson,
    Code::UnknownActivity,
    Code::DuplicatePerson,
    Code::RowOutsidePeriod,
    Code::OutsideProjectPeriod,
    Code::ActivityOutsideDates,
    Code::OtherCostsWithFlatRate,
    Code::UnknownFinancier,
    Code::MissingMainActivity,
    Code::UnknownIndicator,
    Code::AbsenceForTimeReporter,
    Code::AmountOverBudget,
    Code::HeldOut,
    Code::WrongPeriod,
];

#[test]
fn every_row_check_has_a_case_here() {
    // A new row check must bring its case into this catalogue.
    for (code, _) in redovisa::reconcile::checks::ROW_CHECKS {
        assert!(CATALOGUED.contains(code), "{code} has no case in tests/reader_errors.rs");
    }
}

#[test]
fn the_catalogue_workbook_is_clean() {
    let (wb, findings) = check(&book().xlsx(Strings::Shared));
    assert!(findings.is_empty(), "{}", describe(&findings));
    let wb = wb.unwrap();
    assert_eq!(wb.time.len(), 4);
    assert_eq!(wb.place(wb.time[1].loc, redovisa::contract::Column::Timmar).sheet_cell(), "Tidrapport!D14");
}

#[test]
fn file_unreadable() {
    let not_xlsx = read(b"Namn;Timmar\nAnna;7,5\n");
    let bytes = book().xlsx(Strings::Shared);
    let truncated = read(&bytes[..bytes.len() / 2]);
    for outcome in [not_xlsx, truncated] {
        assert!(outcome.workbook.is_none());
        let f = only(&outcome.findings, Code::FileUnreadable, Severity::Error, "");
        assert_eq!(f.place.sheet, None);
        assert_eq!(f.place.cell, None);
    }
}

#[test]
fn missing_sheet_uppgifter() {
    let mut b = book();
    b.remove("Uppgifter");
    // The place names the missing sheet: there is no cell to point at.
    let f = only(&findings_of(&b), Code::MissingSheet, Severity::Error, "Uppgifter");
    assert!(f.message.contains("Uppgifter"), "{}", f.message);
}

#[test]
fn missing_sheet_personal_when_time_is_reported() {
    let mut b = book();
    b.remove("Personal");
    let findings = findings_of(&b);
    let sheets: Vec<&Finding> = findings.iter().filter(|f| f.code == Code::MissingSheet).collect();
    assert_eq!(sheets.len(), 1, "{}", describe(&findings));
    assert_eq!(sheets[0].place.sheet_cell(), "Personal");
    assert!(sheets[0].message.contains("Personal"));
    assert_swedish_and_actionable(sheets[0]);
    // The time rows name people that are nowhere: each is reported, none is counted.
    let unknown: Vec<String> =
        findings.iter().filter(|f| f.code == Code::UnknownPerson).map(|f| f.place.sheet_cell()).collect();
    assert_eq!(unknown, vec!["Tidrapport!E13", "Tidrapport!E14", "Tidrapport!E15", "Tidrapport!E16"]);
    assert_eq!(findings.len(), 5);
}

#[test]
fn missing_column_in_a_table() {
    let mut b = book();
    let rows = time_rows().into_iter().map(|r| r[..2].iter().cloned().chain([r[3].clone()]).collect()).collect();
    b.replace(table("Tidrapport", "B12", &["Aktivitet", "Datum", "Namn"], rows));
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    // Named at the first free cell of the header row, where the header should be added.
    let f = only(&findings, Code::MissingColumn, Severity::Error, "Tidrapport!E12");
    assert!(f.message.contains("«Timmar»"), "{}", f.message);
    assert!(wb.unwrap().time.is_empty(), "a sheet without its header row is not read");
}

#[test]
fn missing_label_in_uppgifter() {
    let mut b = book();
    b.sheet("Uppgifter").clear_row(3);
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let f = only(&findings, Code::MissingColumn, Severity::Error, "Uppgifter");
    assert!(f.message.contains("«Period»"), "{}", f.message);
    assert_eq!(wb.unwrap().info.month, None);
}

/// A case of `BAD_VALUE`: how to break the catalogue workbook, where the finding must be, and a
/// word its message must contain.
struct BadValue {
    why: &'static str,
    severity: Severity,
    place: &'static str,
    says: &'static str,
    apply: fn(&mut Book),
}

const BAD_VALUES: &[BadValue] = &[
    BadValue {
        why: "hours that are not a number",
        severity: Severity::Error,
        place: "Tidrapport!D14",
        says: "«sju»",
        apply: |b| {
            b.sheet("Tidrapport").set("D14", "sju");
        },
    },
    BadValue {
        why: "an Excel error in the hours",
        severity: Severity::Error,
        place: "Tidrapport!D14",
        says: "#REF!",
        apply: |b| {
            b.sheet("Tidrapport").set("D14", err("#REF!"));
        },
    },
    BadValue {
        why: "negative hours",
        severity: Severity::Error,
        place: "Tidrapport!D14",
        says: "negativt",
        apply: |b| {
            b.sheet("Tidrapport").set("D14", n(-2.0));
        },
    },
    BadValue {
        why: "a date that is missing",
        severity: Severity::Error,
        place: "Tidrapport!C14",
        says: "Datum saknas",
        apply: |b| {
            b.sheet("Tidrapport").set("C14", empty());
        },
    },
    BadValue {
        why: "a date that is not a date",
        severity: Severity::Error,
        place: "Tidrapport!C14",
        says: "ÅÅÅÅ-MM-DD",
        apply: |b| {
            b.sheet("Tidrapport").set("C14", "igår");
        },
    },
    BadValue {
        why: "a salary with öre fractions",
        severity: Severity::Error,
        place: "Personal!F2",
        says: "två decimaler",
        apply: |b| {
            b.sheet("Personal").set("F2", n(45000.005));
        },
    },
    BadValue {
        why: "a salary of 0",
        severity: Severity::Error,
        place: "Personal!F2",
        says: "heltidslönen",
        apply: |b| {
            b.sheet("Personal").set("F2", n(0.0));
        },
    },
    BadValue {
        why: "a negative salary",
        severity: Severity::Error,
        place: "Personal!F2",
        says: "negativt",
        apply: |b| {
            b.sheet("Personal").set("F2", "-45 000");
        },
    },
    BadValue {
        why: "an unknown way of reporting",
        severity: Severity::Error,
        place: "Personal!G2",
        says: "«Fast andel»",
        apply: |b| {
            b.sheet("Personal").set("G2", "Deltid");
        },
    },
    BadValue {
        why: "a share over 100 %",
        severity: Severity::Error,
        place: "Personal!H3",
        says: "högst 100",
        apply: |b| {
            b.sheet("Personal").set("H3", "150 %");
        },
    },
    BadValue {
        why: "a fixed share without Andel",
        severity: Severity::Error,
        place: "Personal!H3",
        says: "Andel saknas",
        apply: |b| {
            b.sheet("Personal").set("H3", empty());
        },
    },
    BadValue {
        why: "Slutdatum before Startdatum",
        severity: Severity::Error,
        place: "Personal!E2",
        says: "före startdatum",
        apply: |b| {
            b.sheet("Personal").set("E2", "2023-12-31");
        },
    },
    BadValue {
        why: "a period that is not a month",
        severity: Severity::Error,
        place: "Uppgifter!B3",
        says: "ÅÅÅÅ-MM",
        apply: |b| {
            b.sheet("Uppgifter").set("B3", "mars");
        },
    },
    BadValue {
        // Issue 14: the reference date for 10-digit numbers became NaiveDate::MAX, so every
        // person got INVALID_PERSONNUMMER as well (one bad cell, one finding per person).
        why: "a period that is not a month, with 10-digit personnummer in Personal",
        severity: Severity::Error,
        place: "Uppgifter!B3",
        says: "ÅÅÅÅ-MM",
        apply: |b| {
            b.sheet("Uppgifter").set("B3", "mars");
            // Anna and Bertil with 10 digits. Luhn by hand: 8·2=16→7, 0, 0, 3, 1·2=2, 4, 1·2=2,
            // 2, 3·2=6 sum 26 → 4; 7·2=14→5, 5, 2, 1, 0, 3, 4·2=8, 5, 6·2=12→3 sum 32 → 8.
            b.sheet("Personal").set("B2", "800314-1234").set("B3", "7511034568");
        },
    },
    BadValue {
        // Issue 14: 307445734561825861 × 60 overflowed; in release it wrapped to 0,73 h.
        why: "hours as a time text far beyond any row",
        severity: Severity::Error,
        place: "Tidrapport!D14",
        says: "orimligt",
        apply: |b| {
            b.sheet("Tidrapport").set("D14", "307445734561825861:00");
        },
    },
    BadValue {
        // Issue 14: a NaN duration became 0 h without a finding.
        why: "a duration cell that is not a number",
        severity: Severity::Error,
        place: "Tidrapport!D14",
        says: "går inte att läsa",
        apply: |b| {
            b.sheet("Tidrapport").set("D14", duration(f64::NAN));
        },
    },
    BadValue {
        why: "a period left empty",
        severity: Severity::Error,
        place: "Uppgifter!B3",
        says: "saknar värde",
        apply: |b| {
            b.sheet("Uppgifter").set("B3", empty());
        },
    },
    BadValue {
        why: "a version that is not a whole number",
        severity: Severity::Error,
        place: "Uppgifter!B4",
        says: "«1,5»",
        apply: |b| {
            b.sheet("Uppgifter").set("B4", n(1.5));
        },
    },
    BadValue {
        why: "an attestation date that is not a date",
        severity: Severity::Error,
        place: "Uppgifter!B6",
        says: "«snart»",
        apply: |b| {
            b.sheet("Uppgifter").set("B6", "snart");
        },
    },
    BadValue {
        why: "sick leave in the first 14 days",
        severity: Severity::Error,
        place: "Frånvaro!D2",
        says: "dag 1–14",
        apply: |b| {
            let rows = vec![vec![t("Bertil Berg"), t("2025-03"), n(8.0), t("Sjuk dag 3")]];
            b.replace(table("Frånvaro", "A1", &headers(ContractSheet::Franvaro), rows));
        },
    },
    BadValue {
        why: "a gender outside the list",
        severity: Severity::Error,
        place: "Deltagare!F2",
        says: "«Kvinna»",
        apply: |b| {
            let rows =
                vec![vec![date(2025, 3, 12), t("2.2"), t("Nätverksträff"), t("556900-1232"), t("BizMaker"), t("X")]];
            b.replace(table("Deltagare", "A1", &headers(ContractSheet::Deltagare), rows));
        },
    },
];

#[test]
fn a_name_twice_in_personal_is_its_own_finding() {
    // Anna's row again in row 4 (same personnummer too): time rows find people by name, so the
    // second row is left out with DUPLICATE_NAME naming the row that counts.
    let mut b = book();
    b.sheet("Personal").put_row("A4", anna().row());
    let findings = findings_of(&b);
    assert!(findings.len() == 1, "expected one finding, got:\n{}", describe(&findings));
    let f = only(&findings, Code::DuplicateName, Severity::Error, "Personal!A4");
    assert!(f.message.starts_with("«Anna Andersson» står redan i Personal (A2);"), "{}", f.message);
}

/// Issue 24: two people with one name, told apart only by personnummer. Their time rows name
/// them, so they cannot be told apart: counting the first with every row could claim more than
/// either, so neither counts.
#[test]
fn a_name_twice_with_another_personnummer_counts_neither() {
    let mut b = book();
    let other = Person { name: "Anna Andersson".into(), pnr: t(&pnr("19920505", "789")), salary: n(60000.0), ..anna() };
    b.sheet("Personal").put_row("A4", other.row());
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let f = only(&findings, Code::DuplicateName, Severity::Error, "Personal!A4");
    assert!(f.message.contains("annat personnummer") && f.message.contains("ingen av raderna räknas"), "{}", f.message);
    let wb = wb.unwrap();
    assert!(wb.staff.iter().all(|p| p.name != "Anna Andersson"));
    let report = redovisa::reconcile::month_report(&project(), &wb).0.unwrap();
    assert_eq!(report.persons.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["Bertil Berg"]);
}

#[test]
fn bad_value_for_each_cause() {
    for case in BAD_VALUES {
        let mut b = book();
        (case.apply)(&mut b);
        // A bad absence row also holds its person out (`absence_with_an_error_holds_out_the_person`).
        let findings: Vec<Finding> = findings_of(&b).into_iter().filter(|f| f.code != Code::HeldOut).collect();
        assert!(findings.len() == 1, "{}: expected one finding, got:\n{}", case.why, describe(&findings));
        let f = only(&findings, Code::BadValue, case.severity, case.place);
        assert!(f.message.contains(case.says), "{}: «{}» not in: {}", case.why, case.says, f.message);
    }
}

#[test]
fn bad_value_in_an_optional_column_that_is_absent_names_the_rows_first_cell() {
    // Personal from B5 without a Huvudaktivitet column: Bertil (fixed share, no time rows) has
    // no activity, and the finding points into his row of the table, not at column A.
    let mut b = book();
    let heads: Vec<&str> = headers(ContractSheet::Personal).into_iter().filter(|h| *h != "Huvudaktivitet").collect();
    let rows = [anna(), bertil()].iter().map(|p| p.row()[..heads.len()].to_vec()).collect();
    b.replace(table("Personal", "B5", &heads, rows));
    let f = only(&findings_of(&b), Code::MissingMainActivity, Severity::Error, "Personal!B7");
    assert!(f.message.contains("Bertil Berg") && f.message.contains("Huvudaktivitet"), "{}", f.message);
}

#[test]
fn a_fixed_share_with_neither_main_activity_nor_time_rows() {
    let mut b = book();
    b.sheet("Personal").set("J3", empty());
    let f = only(&findings_of(&b), Code::MissingMainActivity, Severity::Error, "Personal!J3");
    assert!(f.message.contains("Huvudaktivitet"), "{}", f.message);
}

#[test]
fn absence_for_a_time_reporter_is_pointed_out() {
    // A warning: absence is deducted only from fixed-share hours, so the row changes nothing.
    let mut b = book();
    let rows = vec![vec![t("Anna Andersson"), t("2025-03"), n(8.0), t("VAB")]];
    b.replace(table("Frånvaro", "A1", &headers(ContractSheet::Franvaro), rows));
    let f = only(&findings_of(&b), Code::AbsenceForTimeReporter, Severity::Warning, "Frånvaro!A2");
    assert!(f.message.contains("Fast andel"), "{}", f.message);
}

#[test]
fn an_indicator_not_reported_by_value() {
    let mut b = book();
    let rows = vec![vec![t("Organisationer som får stöd"), n(3.0)]];
    b.replace(table("Indikatorer", "A1", &headers(ContractSheet::Indikatorer), rows));
    let f = only(&findings_of(&b), Code::UnknownIndicator, Severity::Error, "Indikatorer!A2");
    assert!(f.message.contains("Använd en av"), "{}", f.message);
}

#[test]
fn bad_value_for_an_unknown_cost_category() {
    let (_dir, project) = indirect_project();
    let mut b = book();
    let rows = vec![vec![t("V1"), date(2025, 3, 10), t("Mat"), t("Fika"), t("1.2"), n(120.0)]];
    b.replace(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), rows));
    let f = only(&findings_in(&project, &b), Code::BadValue, Severity::Error, "Övriga kostnader!C2");
    assert!(f.message.contains("Externa tjänster"), "{}", f.message);
}

#[test]
fn invalid_orgnr_in_uppgifter() {
    let mut b = book();
    b.sheet("Uppgifter").set("B2", "212000-2428");
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let f = only(&findings, Code::InvalidOrgnr, Severity::Error, "Uppgifter!B2");
    assert!(f.message.contains("212000-2428"));
    assert_eq!(wb.unwrap().info.org_nr, None, "a workbook from nobody is not attributed");
}

#[test]
fn invalid_orgnr_of_a_participant() {
    let mut b = book();
    let rows = vec![
        vec![date(2025, 3, 12), t("2.2"), t("Träff"), t("556900-1232"), t("BizMaker"), t("Man")],
        vec![date(2025, 3, 12), t("2.2"), t("Träff"), t("5569001233"), t("Felföretaget"), t("Kvinna")],
    ];
    b.replace(table("Deltagare", "A1", &headers(ContractSheet::Deltagare), rows));
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    only(&findings, Code::InvalidOrgnr, Severity::Error, "Deltagare!D3");
    assert_eq!(wb.unwrap().participants.len(), 1);
}

#[test]
fn invalid_personnummer() {
    let good = pnr("19751103", "456");
    let wrong_check_digit = format!("{}{}", &good[..12], (good.as_bytes()[12] - b'0' + 1) % 10);
    for bad in [wrong_check_digit.as_str(), "19751332-4567", "1975-11-03", "7511034"] {
        let mut b = book();
        b.sheet("Personal").set("B3", bad);
        let (wb, findings) = check(&b.xlsx(Strings::Shared));
        let f = only(&findings, Code::InvalidPersonnummer, Severity::Error, "Personal!B3");
        assert!(!f.message.contains(bad), "a personnummer is never echoed: {}", f.message);
        let wb = wb.unwrap();
        assert_eq!(wb.staff.len(), 1);
        assert!(wb.broken_staff.contains("bertil berg"));
    }
}

#[test]
fn unknown_person() {
    let mut b = book();
    b.sheet("Tidrapport").put_row("B17", trow("1.1", date(2025, 3, 7), n(3.0), "Cecilia Ceder"));
    let f = only(&findings_of(&b), Code::UnknownPerson, Severity::Error, "Tidrapport!E17");
    assert!(f.message.contains("Cecilia Ceder"));
}

#[test]
fn unknown_activity_in_time_and_as_main_activity() {
    let mut b = book();
    b.sheet("Tidrapport").set("B14", "9.9");
    let f = only(&findings_of(&b), Code::UnknownActivity, Severity::Error, "Tidrapport!B14");
    assert!(f.message.contains("«9.9»") && f.message.contains("1.1, 1.2"), "{}", f.message);

    let mut b = book();
    b.sheet("Personal").set("J3", "7.1");
    only(&findings_of(&b), Code::UnknownActivity, Severity::Error, "Personal!J3");
}

#[test]
fn unknown_main_activity_of_a_time_reporter_is_a_warning() {
    // Anna reports time: her Huvudaktivitet is not used, so the unknown code is pointed out and
    // her time counts.
    let mut b = book();
    b.sheet("Personal").set("J2", "7.1");
    only(&findings_of(&b), Code::UnknownActivity, Severity::Warning, "Personal!J2");
}

#[test]
fn duplicate_person() {
    // Anna's personnummer on a second row, «A. Andersson», with the same Månadslön, Startdatum,
    // Redovisning and Andel: one person, a warning on the extra row's Personnummer.
    let mut b = book();
    b.replace(personal_sheet(&[anna(), bertil(), Person { name: "A. Andersson".into(), ..anna() }]));
    let f = only(&findings_of(&b), Code::DuplicatePerson, Severity::Warning, "Personal!B4");
    assert!(f.message.contains("Anna Andersson") && f.message.contains("A. Andersson"), "{}", f.message);
    // Another Månadslön: an error on both rows.
    let mut b = book();
    b.replace(personal_sheet(&[
        anna(),
        bertil(),
        Person { name: "A. Andersson".into(), salary: n(46000.0), ..anna() },
    ]));
    let found = findings_of(&b);
    let places: Vec<(Code, Severity, String)> =
        found.iter().map(|f| (f.code, f.severity, f.place.sheet_cell())).collect();
    assert_eq!(
        places,
        vec![
            (Code::DuplicatePerson, Severity::Error, "Personal!B2".to_string()),
            (Code::DuplicatePerson, Severity::Error, "Personal!B4".to_string())
        ]
    );
    found.iter().for_each(assert_swedish_and_actionable);
}

#[test]
fn row_outside_period() {
    let mut b = book();
    b.sheet("Tidrapport").set("C14", date(2025, 4, 1));
    let f = only(&findings_of(&b), Code::RowOutsidePeriod, Severity::Error, "Tidrapport!C14");
    assert!(f.message.contains("2025-04-01") && f.message.contains("2025-03"), "{}", f.message);
}

#[test]
fn outside_the_persons_dates() {
    let mut b = book();
    b.sheet("Personal").set("D2", "2025-03-04");
    let f = only(&findings_of(&b), Code::OutsideProjectPeriod, Severity::Error, "Tidrapport!C13");
    assert!(f.message.contains("Anna Andersson"), "{}", f.message);
}

#[test]
fn outside_the_project_period() {
    // December 2023 is before the project starts (2024-01-01); the activity has not begun either.
    let mut b = book();
    b.sheet("Uppgifter").set("B3", "2023-12");
    b.sheet("Personal").set("D2", "2023-01-01");
    b.replace(table(
        "Tidrapport",
        "B12",
        &TIME_HEADERS,
        vec![trow("1.1", date(2023, 12, 4), n(7.5), "Anna Andersson")],
    ));
    let findings = findings_of(&b);
    let got: Vec<(Code, Severity, String)> =
        findings.iter().map(|f| (f.code, f.severity, f.place.sheet_cell())).collect();
    assert_eq!(
        got,
        vec![
            (Code::ActivityOutsideDates, Severity::Warning, "Personal!J3".into()),
            (Code::ActivityOutsideDates, Severity::Warning, "Tidrapport!B13".into()),
            (Code::OutsideProjectPeriod, Severity::Error, "Tidrapport!C13".into()),
        ],
        "{}",
        describe(&findings)
    );
    findings.iter().for_each(assert_swedish_and_actionable);
    assert!(findings[2].message.contains("2024-01-01"));
}

#[test]
fn activity_outside_its_dates_is_a_warning() {
    // Every activity of the seed plan ends 2026-12-31, the project 2027-04-30.
    let mut b = book();
    b.sheet("Uppgifter").set("B3", "2027-01");
    b.replace(table(
        "Tidrapport",
        "B12",
        &TIME_HEADERS,
        vec![trow("4.1", date(2027, 1, 11), n(6.0), "Anna Andersson")],
    ));
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    // Bertil (fixed share, no time rows) has his hours go to his Huvudaktivitet 2.2, which has
    // ended too: that is warned at his Personal row.
    let got: Vec<(Code, Severity, String)> =
        findings.iter().map(|f| (f.code, f.severity, f.place.sheet_cell())).collect();
    assert_eq!(
        got,
        vec![
            (Code::ActivityOutsideDates, Severity::Warning, "Personal!J3".into()),
            (Code::ActivityOutsideDates, Severity::Warning, "Tidrapport!B13".into()),
        ],
        "{}",
        describe(&findings)
    );
    findings.iter().for_each(assert_swedish_and_actionable);
    let f = &findings[1];
    assert!(f.message.contains("2026-12-31"), "{}", f.message);
    // A warning counts: the row is in the month's report.
    let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
    assert_eq!(report.persons[0].time, vec![("4.1".to_string(), Hours::from_decimal(dec!(6)))]);
}

#[test]
fn other_costs_from_a_partner_on_the_flat_rate_model() {
    let cost = vec![vec![t("V1"), date(2025, 3, 10), t("Resor"), t("Tåg till Sundsvall"), t("1.2"), t("1 234,50 kr")]];
    for org in [KRAMFORS, REGION] {
        let mut b = book();
        b.sheet("Uppgifter").set("A1", "Projektpart").set("B1", org.name).set("B2", org.org_nr);
        b.replace(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), cost.clone()));
        let (wb, findings) = check(&b.xlsx(Strings::Inline));
        let f = only(&findings, Code::OtherCostsWithFlatRate, Severity::Error, "Övriga kostnader!F2");
        assert!(f.message.contains(org.name), "{}", f.message);
        let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
        assert!(report.other_costs.is_empty(), "the rejected row is not counted");
    }
}

#[test]
fn a_payment_from_a_payer_outside_the_financing_plan() {
    // Kramfors' column of the plan holds Kramfors kommun and Region Västernorrland (1:1).
    let pay = |who: &str| vec![vec![date(2025, 3, 10), t(who), empty(), t("Offentlig kontant"), t("1 000"), t("MF1")]];
    let mut b = book();
    b.replace(table("Medfinansiering", "A1", &headers(ContractSheet::Medfinansiering), pay("Okänd Stiftelse")));
    let (wb, findings) = check(&b.xlsx(Strings::Inline));
    let f = only(&findings, Code::UnknownFinancier, Severity::Error, "Medfinansiering!B2");
    assert!(f.message.contains("Region Västernorrland (1:1)"), "{}", f.message);
    let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
    assert!(report.payments.is_empty(), "the rejected row is not counted");
    // The plan's name, written in lower case, is the plan's line.
    let mut b = book();
    b.replace(table(
        "Medfinansiering",
        "A1",
        &headers(ContractSheet::Medfinansiering),
        pay("region västernorrland (1:1)"),
    ));
    let (wb, findings) = check(&b.xlsx(Strings::Inline));
    assert!(findings.is_empty(), "{}", describe(&findings));
    let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
    assert_eq!(report.payments.len(), 1);
    assert_eq!(report.payments[0].financier, "Region Västernorrland (1:1)");
    // A co-financier giving time receives no money.
    let mut b = book();
    b.sheet("Uppgifter").set("A1", "Projektpart").set("B1", REGION.name).set("B2", REGION.org_nr);
    b.replace(table("Medfinansiering", "A1", &headers(ContractSheet::Medfinansiering), pay("Kramfors kommun")));
    let (_, findings) = check(&b.xlsx(Strings::Inline));
    only(&findings, Code::UnknownFinancier, Severity::Error, "Medfinansiering!B2");
}

/// Issue 24: a bad absence row was left out, so its hours were not deducted and the claim rose.
/// Now the person it could lower is held out for the month, with a finding at their row.
#[test]
fn absence_with_an_error_holds_out_the_person() {
    let absence = |name: &str, reason: &str| {
        table(
            "Frånvaro",
            "A1",
            &headers(ContractSheet::Franvaro),
            vec![vec![t(name), t("2025-03"), n(16.0), t(reason)]],
        )
    };
    // An unknown reason: BAD_VALUE at the cell, HELD_OUT at Bertil's row naming it.
    let mut b = book();
    b.replace(absence("Bertil Berg", "Vård av barn"));
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let got: Vec<(Code, String)> = findings.iter().map(|f| (f.code, f.place.sheet_cell())).collect();
    assert_eq!(
        got,
        vec![(Code::BadValue, "Frånvaro!D2".to_string()), (Code::HeldOut, "Personal!A3".to_string())],
        "{}",
        describe(&findings)
    );
    let held = &findings[1];
    assert_swedish_and_actionable(held);
    assert!(held.message.starts_with("Bertil Berg räknas inte alls för 2025-03: frånvaroraden på rad 2 i Frånvaro"));
    let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
    let names =
        |ps: &[redovisa::reconcile::contribution::PersonMonth]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&report.persons), vec!["Anna Andersson"]);
    assert_eq!(names(&report.held), vec!["Bertil Berg"]);
    // A name that is nobody's could be anyone's: every fixed-share person is held out.
    let mut b = book();
    b.replace(absence("Bertil Bergh", "VAB"));
    let findings = findings_of(&b);
    let got: Vec<(Code, String)> = findings.iter().map(|f| (f.code, f.place.sheet_cell())).collect();
    assert_eq!(
        got,
        vec![(Code::UnknownPerson, "Frånvaro!A2".to_string()), (Code::HeldOut, "Personal!A3".to_string())],
        "{}",
        describe(&findings)
    );
    assert!(findings[1].message.contains("kan gälla vem som helst med fast andel"), "{}", findings[1].message);
    // Absence of a time reporter changes nothing: the bad row is only pointed out.
    let mut b = book();
    b.replace(absence("Anna Andersson", "Vård av barn"));
    let findings = findings_of(&b);
    only(&findings, Code::BadValue, Severity::Error, "Frånvaro!D2");
    // A Frånvaro sheet that cannot be read could hold anyone's absence.
    let mut b = book();
    b.replace(table(
        "Frånvaro",
        "A1",
        &["Namn", "Månad", "Timmar"],
        vec![vec![t("Bertil Berg"), t("2025-03"), n(8.0)]],
    ));
    let findings = findings_of(&b);
    let got: Vec<Code> = findings.iter().map(|f| f.code).collect();
    assert_eq!(got, vec![Code::MissingColumn, Code::HeldOut], "{}", describe(&findings));
    assert!(findings[1].message.contains("bladet Frånvaro kan inte läsas"), "{}", findings[1].message);
}

/// Issue 24: one amount larger than the whole budget it belongs to is a typo, not a figure.
#[test]
fn an_amount_larger_than_the_whole_budget() {
    // Kramfors' staff budget is 2 270 430 kr: Anna's Månadslön of 4 500 000 kr leaves her out.
    let mut b = book();
    b.sheet("Personal").set("F2", n(4_500_000.0));
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let f = only(&findings, Code::AmountOverBudget, Severity::Error, "Personal!F2");
    assert!(
        f.message.contains("4\u{a0}500\u{a0}000,00\u{a0}kr") && f.message.contains("2\u{a0}270\u{a0}430"),
        "{}",
        f.message
    );
    let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
    assert!(report.persons.iter().all(|p| p.name != "Anna Andersson"));
    // On the 15 % model Kramfors reports other costs, but its other-cost budget is 0: the
    // amount is measured against the whole budget, 2 270 430 + 567 608 = 2 838 038 kr.
    let (_dir, indirect) = indirect_project();
    let cost = |amount: f64| vec![vec![t("V1"), date(2025, 3, 10), t("Resor"), t("Tåg"), t("1.2"), n(amount)]];
    let mut b = book();
    b.replace(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), cost(1_000_000_000.0)));
    let (wb, findings) = check_with(&indirect, &b.xlsx(Strings::Shared));
    let f = only(&findings, Code::AmountOverBudget, Severity::Error, "Övriga kostnader!F2");
    assert!(f.message.contains("Summa kostnader (2\u{a0}838\u{a0}038\u{a0}kr)"), "{}", f.message);
    assert!(redovisa::reconcile::month_report(&indirect, wb.as_ref().unwrap()).0.unwrap().other_costs.is_empty());
    b.replace(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), cost(2_838_038.0)));
    assert!(findings_in(&indirect, &b).is_empty(), "the whole budget itself is not more than it");
    // Kramfors kommun decided 1 043 763 kr of its own money: one payment of 10 437 630 kr is a typo.
    let mut b = book();
    let pay = vec![vec![date(2025, 3, 10), t("Kramfors kommun"), empty(), t("Offentlig kontant"), n(10_437_630.0)]];
    b.replace(table("Medfinansiering", "A1", &headers(ContractSheet::Medfinansiering), pay));
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let f = only(&findings, Code::AmountOverBudget, Severity::Error, "Medfinansiering!E2");
    assert!(f.message.contains("Kramfors kommun har beslutat (1\u{a0}043\u{a0}763\u{a0}kr)"), "{}", f.message);
    assert!(redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap().payments.is_empty());
}

/// Issue 24: a workbook whose rows are mostly in another month than its Period gets one finding
/// at the Period, not one per row, and does not count.
#[test]
fn a_period_the_rows_contradict() {
    let mut b = book();
    b.sheet("Uppgifter").set("B3", "2025-02");
    let (wb, findings) = check(&b.xlsx(Strings::Shared));
    let f = only(&findings, Code::WrongPeriod, Severity::Error, "Uppgifter!B3");
    assert!(f.message.starts_with("Perioden är 2025-02 men raderna gäller 2025-03 – rätta Perioden."), "{}", f.message);
    assert!(redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.is_none());
    // One row in another month is that row's mistake.
    let mut b = book();
    b.sheet("Tidrapport").set("C14", date(2025, 2, 4));
    only(&findings_of(&b), Code::RowOutsidePeriod, Severity::Error, "Tidrapport!C14");
}

#[test]
fn a_finding_never_disappears_silently() {
    for mode in BOTH {
        let mut b = book();
        let doris = Person { name: "Doris Dahl".into(), pnr: t("19900101-0000"), ..anna() };
        b.sheet("Personal").put_row("A4", doris.row());
        let good = [
            trow("1.1", date(2025, 3, 10), n(8.0), "Anna Andersson"),
            trow("1.2", date(2025, 3, 11), t("6,5"), "Anna Andersson"),
            trow("2.2", date(2025, 3, 12), time(0.25), "Anna Andersson"),
        ];
        // Each bad row is wrong in exactly one way; the last column names the cell it is at.
        let bad = [
            (trow("1.1", date(2025, 3, 13), t("sju"), "Anna Andersson"), "D"),
            (trow("1.1", date(2025, 3, 14), err("#REF!"), "Anna Andersson"), "D"),
            (trow("1.1", date(2025, 3, 17), n(-1.0), "Anna Andersson"), "D"),
            (trow("1.1", empty(), n(2.0), "Anna Andersson"), "C"),
            (trow("9.9", date(2025, 3, 18), n(2.0), "Anna Andersson"), "B"),
            (trow("1.1", date(2025, 3, 19), n(2.0), "Cecilia Ceder"), "E"),
            (trow("1.1", date(2025, 4, 1), n(2.0), "Anna Andersson"), "C"),
            (trow("1.1", t("31/3"), n(2.0), "Anna Andersson"), "C"),
        ];
        let sheet = b.sheet("Tidrapport");
        let mut expected = vec!["Personal!B4".to_string()];
        let mut row = 17;
        for (i, (cells, col)) in bad.iter().enumerate() {
            // Bad rows interleaved with good ones, and a blank row in between.
            if let Some(g) = good.get(i) {
                sheet.put_row(&format!("B{row}"), g.clone());
                row += 2;
            }
            sheet.put_row(&format!("B{row}"), cells.clone());
            expected.push(format!("Tidrapport!{col}{row}"));
            row += 1;
        }
        let (wb, findings) = check(&b.xlsx(mode));
        let mut got: Vec<String> = findings.iter().map(|f| f.place.sheet_cell()).collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{mode:?}: every bad row exactly once\n{}", describe(&findings));
        assert_eq!(findings.len(), bad.len() + 1);
        assert!(findings.iter().all(Finding::is_error));
        findings.iter().for_each(assert_swedish_and_actionable);
        // Every good row is still read and counted: 4 × original + 3 new.
        let report = redovisa::reconcile::month_report(&project(), wb.as_ref().unwrap()).0.unwrap();
        let anna = report.persons.iter().find(|p| p.name == "Anna Andersson").unwrap();
        let total: Hours = anna.time.iter().map(|(_, h)| *h).sum();
        assert_eq!(total, Hours::from_decimal(dec!(26.5) + dec!(8) + dec!(6.5) + dec!(6)), "{mode:?}");
        assert_eq!(report.persons.len(), 2, "Anna and Bertil; Doris has an error");
    }
}
