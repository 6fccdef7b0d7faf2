//! The tolerance list of `docs/partnerhandledning.md`, item by item: each is a workbook that uses
//! it, written once with a shared-string table (as Excel writes) and once with inline strings
//! (as many other tools write), read with the crate's reader and row checks, with the values
//! asserted exactly (`Decimal`, `Hours`, dates) and the places in the sheet's own coordinates.

mod support;

use chrono::NaiveDate;
use redovisa::contract::{Column, Sheet as ContractSheet};
use redovisa::finding::{Code, Severity};
use redovisa::money::Hours;
use redovisa::month::Month;
use redovisa::project::Project;
use redovisa::read::{Reporting, When, Workbook};
use rust_decimal::Decimal;
use rust_decimal::dec;
use support::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hours(d: Decimal) -> Hours {
    Hours::from_decimal(d)
}

/// Reads and checks a book in `mode`, asserting that nothing at all was found.
fn clean_in(project: &Project, book: &Book, mode: Strings) -> Workbook {
    let (wb, findings) = check_with(project, &book.xlsx(mode));
    assert!(findings.is_empty(), "{mode:?}: unexpected findings:\n{}", describe(&findings));
    wb.unwrap()
}

fn clean(book: &Book, mode: Strings) -> Workbook {
    clean_in(&project(), book, mode)
}

/// The Excel reference of a row's cell, as the reader places it.
fn at(wb: &Workbook, loc: redovisa::read::Loc, col: Column) -> String {
    wb.place(loc, col).sheet_cell()
}

#[test]
fn the_valid_book_reads_the_same_in_both_string_modes() {
    for mode in BOTH {
        let wb = clean(&valid_book(), mode);
        assert_eq!(wb.info.partner_name.as_deref(), Some("Kramfors kommun"));
        assert_eq!(wb.info.org_nr.as_ref().unwrap().as_str(), "212000-2429");
        assert_eq!(wb.info.month, Month::new(2025, 3));
        assert_eq!(wb.info.version, 1);
        assert_eq!(wb.info.attested_by.as_deref(), Some("Karin Ekonomichef"));
        assert_eq!(wb.info.attested_on, Some(day(2025, 4, 3)));
        assert_eq!(wb.staff.len(), 2);
        let (anna, bertil) = (&wb.staff[0], &wb.staff[1]);
        assert_eq!(anna.salary, dec!(45000));
        assert_eq!(anna.reporting, Reporting::TimeReport);
        assert_eq!(anna.start, day(2024, 1, 15));
        assert_eq!(anna.employment, dec!(1));
        assert_eq!(bertil.salary, dec!(52300.50));
        assert_eq!(bertil.share, Some(dec!(0.5)));
        assert_eq!(bertil.employment, dec!(0.8));
        assert_eq!(bertil.main_activity.as_deref(), Some("2.2"));
        let total: Hours = wb.time.iter().map(|r| r.hours).sum();
        assert_eq!(total, hours(dec!(26.5)));
        assert_eq!(wb.time[3].activity, "2.2");
    }
}

#[test]
fn header_row_may_be_any_of_the_first_20_rows() {
    for mode in BOTH {
        let mut book = valid_book();
        let mut sheet = table("Tidrapport", "A20", &headers(ContractSheet::Tidrapport), anna_march());
        sheet.set("A1", "Tidrapport för mars 2025").set("A3", "Namn och datum nedan").set("C7", n(17.0));
        book.replace(sheet);
        let wb = clean(&book, mode);
        assert_eq!(wb.time.len(), 4);
        assert_eq!(wb.layouts[&ContractSheet::Tidrapport].header_row, 19);
        assert_eq!(at(&wb, wb.time[0].loc, Column::Timmar), "Tidrapport!D21");
        assert_eq!(at(&wb, wb.time[3].loc, Column::Datum), "Tidrapport!B24");

        // Row 21 is past the rows searched: the sheet has no header row.
        let mut book = valid_book();
        book.replace(table("Tidrapport", "A21", &headers(ContractSheet::Tidrapport), anna_march()));
        let (wb, findings) = check(&book.xlsx(mode));
        assert!(wb.unwrap().time.is_empty());
        assert_eq!(findings.len(), 4, "{}", describe(&findings));
        assert!(
            findings.iter().all(|f| f.code == Code::MissingColumn && f.place.sheet.as_deref() == Some("Tidrapport"))
        );
    }
}

#[test]
fn headers_and_labels_match_ignoring_case_spaces_and_a_trailing_colon() {
    for mode in BOTH {
        let mut book = valid_book();
        let heads = ["  NAMN:", "datum ", " Aktivitet :", "timmar\u{a0}", "KOMMENTAR:"];
        let mut sheet = table("Tidrapport", "A5", &heads, anna_march());
        // An earlier row holding some of the headers is not the header row.
        sheet.put_row("A2", vec![t("Namn"), t("Datum")]);
        book.replace(sheet);
        let personal = [
            "namn",
            "PERSONNUMMER:",
            "Roll",
            " startdatum",
            "Slutdatum",
            "MÅNADSLÖN :",
            "redovisning",
            "andel:",
            "Sysselsättningsgrad",
            "HUVUDAKTIVITET",
        ];
        book.replace(table("Personal", "A1", &personal, vec![anna().row(), bertil().row()]));
        let info = book.sheet("Uppgifter");
        info.set("A1", " PROJEKTPART: ")
            .set("A2", "organisationsnummer")
            .set("A3", "Period:")
            .set("A5", "attesterad AV");
        let wb = clean(&book, mode);
        assert_eq!(wb.info.partner_name.as_deref(), Some("Kramfors kommun"));
        assert_eq!(wb.info.attested_by.as_deref(), Some("Karin Ekonomichef"));
        assert_eq!(wb.staff.len(), 2);
        assert_eq!(wb.staff[1].share, Some(dec!(0.5)));
        assert_eq!(wb.time.len(), 4);
        assert_eq!(wb.time[0].hours, hours(dec!(7.5)));
        assert_eq!(wb.layouts[&ContractSheet::Tidrapport].header_row, 4);
    }
}

#[test]
fn rich_text_headers_and_values() {
    // Excel writes a partly formatted cell as runs; the reader must join them.
    for mode in BOTH {
        let mut book = valid_book();
        let sheet = book.sheet("Tidrapport");
        sheet.set("A1", rich(&["Na", "mn"])).set("D1", rich(&["Tim", "mar:"]));
        sheet.set("A2", rich(&["Anna ", "Andersson"])).set("C3", rich(&["1", ".1"]));
        book.sheet("Uppgifter").set("A3", rich(&["Per", "iod"])).set("B3", rich(&["2025", "-03"]));
        let wb = clean(&book, mode);
        assert_eq!(wb.time.len(), 4);
        assert_eq!(wb.time[0].name, "Anna Andersson");
        assert_eq!(wb.time[1].activity, "1.1");
        assert_eq!(wb.info.month, Month::new(2025, 3));
    }
}

#[test]
fn labels_in_any_order_in_the_first_30_rows() {
    for mode in BOTH {
        let mut book = valid_book();
        let mut info = Sheet::new("Uppgifter");
        info.set("A1", "Månadsredovisning");
        info.put_row("A30", vec![t("Projektpart"), t("Kramfors kommun")]);
        info.put_row("A12", vec![t("Period"), t("2025-03")]);
        info.put_row("A7", vec![t("Attestdatum"), date(2025, 4, 3)]);
        info.put_row("A3", vec![t("Organisationsnummer"), t("212000-2429")]);
        info.put_row("A20", vec![t("Version"), n(3.0)]);
        info.put_row("A6", vec![t("Attesterad av"), t("Karin Ekonomichef")]);
        book.replace(info.clone());
        let wb = clean(&book, mode);
        assert_eq!(wb.info.partner_name.as_deref(), Some("Kramfors kommun"));
        assert_eq!((wb.info.version, wb.info.attested_on), (3, Some(day(2025, 4, 3))));
        assert_eq!(wb.info_place(redovisa::contract::Label::Version).sheet_cell(), "Uppgifter!B20");
        // Row 31 is past the rows searched.
        info.clear_row(30).put_row("A31", vec![t("Projektpart"), t("Kramfors kommun")]);
        book.replace(info);
        let (_, findings) = check(&book.xlsx(mode));
        let got: Vec<(Code, String)> = findings.iter().map(|f| (f.code, f.place.sheet_cell())).collect();
        assert_eq!(got, vec![(Code::MissingColumn, "Uppgifter".to_string())], "{}", describe(&findings));
    }
}

#[test]
fn columns_in_any_order_with_unknown_columns_ignored() {
    for mode in BOTH {
        let mut book = valid_book();
        let heads = ["Kommentar", "Timmar", "Projekt", "Aktivitet", "Namn", "Anteckning", "Datum"];
        let rows = vec![
            vec![t("möte"), n(7.5), t("454304"), t("1.1"), t("Anna Andersson"), n(99.0), date(2025, 3, 3)],
            vec![empty(), n(2.25), t("x"), t("3.3"), t("Anna Andersson"), t("y"), date(2025, 3, 4)],
        ];
        book.replace(table("Tidrapport", "C5", &heads, rows));
        let wb = clean(&book, mode);
        assert_eq!(wb.time.len(), 2);
        assert_eq!(wb.time[0].hours, hours(dec!(7.5)));
        assert_eq!(wb.time[1].hours, hours(dec!(2.25)));
        assert_eq!(wb.time[1].activity, "3.3");
        assert_eq!(wb.time[1].when, When::Day(day(2025, 3, 4)));
        assert_eq!(at(&wb, wb.time[1].loc, Column::Timmar), "Tidrapport!D7");
        assert_eq!(at(&wb, wb.time[1].loc, Column::Datum), "Tidrapport!I7");
        assert_eq!(at(&wb, wb.time[1].loc, Column::Namn), "Tidrapport!G7");
    }
}

#[test]
fn entirely_empty_rows_are_skipped() {
    for mode in BOTH {
        let mut book = valid_book();
        let rows = vec![
            time_row("Anna Andersson", date(2025, 3, 3), "1.1", n(7.5)),
            vec![],
            vec![t("   "), t("\u{a0}"), empty(), t(" ")],
            time_row("Anna Andersson", date(2025, 3, 4), "1.1", n(6.0)),
            vec![],
            vec![],
            time_row("Anna Andersson", date(2025, 3, 5), "4.1", n(1.5)),
        ];
        book.replace(time_sheet(rows));
        let wb = clean(&book, mode);
        let got: Vec<(String, Decimal)> =
            wb.time.iter().map(|r| (at(&wb, r.loc, Column::Timmar), r.hours.value())).collect();
        assert_eq!(
            got,
            vec![
                ("Tidrapport!D2".to_string(), dec!(7.5)),
                ("Tidrapport!D5".to_string(), dec!(6)),
                ("Tidrapport!D8".to_string(), dec!(1.5))
            ]
        );
    }
}

#[test]
fn sheet_names_match_in_any_case_with_stray_spaces() {
    for mode in BOTH {
        let mut book = valid_book();
        book.rename("Uppgifter", " uppgifter ").rename("Personal", "PERSONAL").rename("Tidrapport", "tidrapport  ");
        book.replace(absence_sheet("  FRÅNVARO"));
        let wb = clean(&book, mode);
        assert_eq!(wb.staff.len(), 2);
        assert_eq!(wb.time.len(), 4);
        assert_eq!(wb.absence.len(), 1);
        assert_eq!(wb.info.month, Month::new(2025, 3));
        // Places name the sheet as it is written in the workbook.
        assert_eq!(at(&wb, wb.time[0].loc, Column::Timmar), "tidrapport  !D2");
        assert_eq!(at(&wb, wb.absence[0].loc, Column::Timmar), "  FRÅNVARO!C2");
    }
}

/// A one-row `Frånvaro` sheet for Bertil, named `name`.
fn absence_sheet(name: &str) -> Sheet {
    table(name, "A1", &headers(ContractSheet::Franvaro), vec![vec![t("Bertil Berg"), t("2025-03"), n(16.0), t("VAB")]])
}

#[test]
fn numbers_as_swedish_or_plain_text() {
    let (_dir, project) = indirect_project();
    for mode in BOTH {
        let mut book = valid_book();
        let personal = book.sheet("Personal");
        personal.set("F2", "45 000 kr").set("F3", "52\u{a0}300,50 kr");
        let rows = vec![
            time_row("Anna Andersson", date(2025, 3, 3), "1.1", t("7,5")),
            time_row("Anna Andersson", date(2025, 3, 4), "1.1", t("7.25")),
            time_row("Anna Andersson", date(2025, 3, 5), "1.1", t("8 h")),
            time_row("Anna Andersson", date(2025, 3, 6), "1.1", t("7.5")),
        ];
        book.replace(time_sheet(rows));
        let amounts = ["1 234,50 kr", "1234.5", "1 234", "12\u{a0}345,67", "1\u{202f}000 kr", "250", "1.234,50"];
        let costs: Vec<Vec<Cell>> = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| vec![t(&format!("V{i}")), date(2025, 3, 10), t("Resor"), t("Tåg"), t("1.2"), t(a)])
            .collect();
        book.replace(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), costs));
        let values = vec![
            vec![t("RCO13"), t("1 234,50"), empty()],
            vec![t("RCO13"), t("1234.5"), empty()],
            vec![t("Antal skapade arbetstillfällen i enheter som får stöd"), t("0,25"), t("halvtid")],
        ];
        book.replace(table("Indikatorer", "A1", &headers(ContractSheet::Indikatorer), values));
        // «7.25» with a dot and two digits is also a Swedish clock time (7 h 25 min): read as
        // 7,25 h, with one warning at its cell; «7.5» is not a time and reads silently.
        let (wb, findings) = check_with(&project, &book.xlsx(mode));
        let found: Vec<(Code, Severity, String)> =
            findings.iter().map(|f| (f.code, f.severity, f.place.sheet_cell())).collect();
        assert_eq!(
            found,
            vec![(Code::AmbiguousTime, Severity::Warning, "Tidrapport!D3".to_string())],
            "{mode:?}:\n{}",
            describe(&findings)
        );
        let wb = wb.unwrap();
        assert_eq!(wb.staff[0].salary, dec!(45000));
        assert_eq!(wb.staff[1].salary, dec!(52300.50));
        let h: Vec<Decimal> = wb.time.iter().map(|r| r.hours.value()).collect();
        assert_eq!(h, vec![dec!(7.5), dec!(7.25), dec!(8), dec!(7.5)]);
        let got: Vec<Decimal> = wb.other_costs.iter().map(|c| c.amount).collect();
        assert_eq!(
            got,
            vec![dec!(1234.50), dec!(1234.5), dec!(1234), dec!(12345.67), dec!(1000), dec!(250), dec!(1234.50)]
        );
        let ind: Vec<Decimal> = wb.indicators.iter().map(|r| r.value).collect();
        assert_eq!(ind, vec![dec!(1234.50), dec!(1234.5), dec!(0.25)]);
    }
}

#[test]
fn numbers_that_are_not_numbers_are_bad_values_not_guesses() {
    for mode in BOTH {
        let mut book = valid_book();
        book.sheet("Personal").set("F2", "45.000,5,0").set("F3", "ca 50 000");
        let (wb, findings) = check(&book.xlsx(mode));
        let cells: Vec<String> = findings.iter().map(|f| f.place.sheet_cell()).collect();
        assert_eq!(cells, vec!["Personal!F2", "Personal!F3"], "{}", describe(&findings));
        assert!(findings.iter().all(|f| f.code == Code::BadValue));
        assert!(wb.unwrap().staff.is_empty());
    }
}

/// Fixed-share people named `Person n` with the given Andel and Sysselsättningsgrad cells.
fn shares_book(cells: &[(Cell, Cell)]) -> Book {
    let people: Vec<Person> = cells
        .iter()
        .enumerate()
        .map(|(i, (share, employment))| Person {
            name: format!("Person {i}"),
            pnr: t(&pnr(&format!("198{i}0101"), "234")),
            share: share.clone(),
            employment: employment.clone(),
            ..bertil()
        })
        .collect();
    let mut book = valid_book();
    book.replace(personal_sheet(&people));
    book.replace(time_sheet(vec![]));
    book
}

#[test]
fn percentages_in_every_form() {
    for mode in BOTH {
        let forms = [
            (n(50.0), t("75 %")),
            (t("50 %"), t("75%")),
            (pct(0.5), pct(0.75)),
            (t("50%"), n(75.0)),
            (t("0,5"), t("0,75")),
            (nf(0.5, Fmt::BuiltinPercent), nf(0.75, Fmt::PercentSpace)),
            (nf(0.5, Fmt::PercentSpace), n(0.75)),
            (t("50\u{a0}%"), t("75\u{a0}%")),
            (t("50"), empty()),
        ];
        let wb = clean(&shares_book(&forms), mode);
        assert_eq!(wb.staff.len(), forms.len());
        for (i, p) in wb.staff.iter().enumerate() {
            assert_eq!(p.share, Some(dec!(0.5)), "{mode:?} Andel of row {}", i + 2);
            let employment = if i == forms.len() - 1 { dec!(1) } else { dec!(0.75) };
            assert_eq!(p.employment, employment, "{mode:?} Sysselsättningsgrad of row {}", i + 2);
        }
    }
}

#[test]
fn a_percent_formatted_cell_holds_a_fraction() {
    // Only the cell's format tells 1,5 in a percent cell (150 %, too much) from a plain 1,5
    // (1,5 %): each percent format must be recognised.
    for mode in BOTH {
        for fmt in [Fmt::Percent, Fmt::BuiltinPercent, Fmt::PercentSpace] {
            let (wb, findings) = check(&shares_book(&[(nf(1.5, fmt), empty())]).xlsx(mode));
            let cells: Vec<(Code, String)> = findings.iter().map(|f| (f.code, f.place.sheet_cell())).collect();
            assert_eq!(cells, vec![(Code::BadValue, "Personal!H2".to_string())], "{mode:?} {fmt:?}");
            assert!(wb.unwrap().staff.is_empty());
        }
        let wb = clean(&shares_book(&[(n(1.5), empty())]), mode);
        assert_eq!(wb.staff[0].share, Some(dec!(0.015)));
    }
}

#[test]
fn dates_as_date_cells_serials_or_text() {
    for mode in BOTH {
        let mut book = valid_book();
        let starts =
            [date(2024, 1, 15), n(serial(2024, 1, 15)), t("2024-01-15"), nf(serial(2024, 1, 15), Fmt::BuiltinDate)];
        let people: Vec<Person> = starts
            .iter()
            .enumerate()
            .map(|(i, s)| Person {
                name: format!("Person {i}"),
                pnr: t(&pnr(&format!("197{i}0505"), "111")),
                start: s.clone(),
                end: t("2026-12-31"),
                ..anna()
            })
            .collect();
        book.replace(personal_sheet(&people));
        let rows = vec![
            time_row("Person 0", date(2025, 3, 3), "1.1", n(1.0)),
            time_row("Person 1", n(serial(2025, 3, 4)), "1.1", n(2.0)),
            time_row("Person 2", t("2025-03-05"), "1.1", n(3.0)),
            time_row("Person 3", nf(serial(2025, 3, 6), Fmt::BuiltinDate), "1.1", n(4.0)),
            time_row("Person 0", t("2025-03"), "2.2", n(5.0)),
            time_row("Person 1", iso("2025-03-07T00:00:00"), "2.2", n(6.0)),
        ];
        book.replace(time_sheet(rows));
        let wb = clean(&book, mode);
        for p in &wb.staff {
            assert_eq!(p.start, day(2024, 1, 15), "{mode:?} {}", p.name);
            assert_eq!(p.end, Some(day(2026, 12, 31)));
        }
        let whens: Vec<When> = wb.time.iter().map(|r| r.when).collect();
        assert_eq!(
            whens,
            vec![
                When::Day(day(2025, 3, 3)),
                When::Day(day(2025, 3, 4)),
                When::Day(day(2025, 3, 5)),
                When::Day(day(2025, 3, 6)),
                When::Month(Month::new(2025, 3).unwrap()),
                When::Day(day(2025, 3, 7)),
            ]
        );
    }
}

#[test]
fn months_as_text_or_any_date_in_the_month() {
    for mode in BOTH {
        let periods = [t("2025-03"), date(2025, 3, 17), n(serial(2025, 3, 1)), date(2025, 3, 31), t("2025-03-12")];
        for period in periods {
            let mut book = valid_book();
            book.sheet("Uppgifter").set("B3", period.clone());
            let absence = vec![
                vec![t("Bertil Berg"), t("2025-03"), n(8.0), t("VAB")],
                vec![t("Bertil Berg"), date(2025, 3, 20), n(4.0), t("Sjukdom dag 15+")],
                vec![t("Bertil Berg"), t("2025-03-02"), n(2.0), t("tjänstledighet")],
            ];
            book.replace(table("Frånvaro", "A1", &headers(ContractSheet::Franvaro), absence));
            let wb = clean(&book, mode);
            assert_eq!(wb.info.month, Month::new(2025, 3), "{mode:?} {period:?}");
            assert!(wb.absence.iter().all(|a| a.month == Month::new(2025, 3).unwrap()));
            let reasons: Vec<&str> = wb.absence.iter().map(|a| a.reason).collect();
            assert_eq!(reasons, vec!["VAB", "Sjukdom dag 15+", "Tjänstledighet"]);
        }
    }
}

#[test]
fn organisationsnummer_with_or_without_dash_and_with_16_prefix() {
    for mode in BOTH {
        let forms = [t("2120002429"), t("212000-2429"), t("16212000-2429"), t("162120002429"), n(2120002429.0)];
        for form in &forms {
            let mut book = valid_book();
            book.sheet("Uppgifter").set("B2", form.clone());
            let wb = clean(&book, mode);
            assert_eq!(wb.info.org_nr.as_ref().unwrap().as_str(), "212000-2429", "{mode:?} {form:?}");
        }
        let mut book = valid_book();
        let rows: Vec<Vec<Cell>> = forms
            .iter()
            .map(|o| {
                vec![date(2025, 3, 12), t("2.2"), t("Nätverksträff"), o.clone(), t("Kramfors kommun"), t("Kvinna")]
            })
            .chain([vec![date(2025, 3, 12), t("2.2"), t("Nätverksträff"), t("5569001232"), t("BizMaker"), t("man")]])
            .collect();
        book.replace(table("Deltagare", "A1", &headers(ContractSheet::Deltagare), rows));
        let wb = clean(&book, mode);
        let nrs: Vec<&str> = wb
            .participants
            .iter()
            .map(|p| match &p.org_nr {
                redovisa::ids::ParticipantOrg::Org(o) => o.as_str(),
                redovisa::ids::ParticipantOrg::SoleTrader(_) => "enskild firma",
            })
            .collect();
        assert_eq!(nrs, vec!["212000-2429"; 5].into_iter().chain(["556900-1232"]).collect::<Vec<_>>());
    }
}

#[test]
fn personnummer_with_10_or_12_digits_with_or_without_dash() {
    for mode in BOTH {
        let born_1980 = pnr("19800314", "123");
        let born_2001 = pnr("20010203", "987");
        let plain = |p: &str| p.replace('-', "");
        let forms = [
            (t(&born_1980), &born_1980),
            (t(&plain(&born_1980)), &born_1980),
            (t(&born_1980[2..]), &born_1980),
            (t(&plain(&born_1980)[2..]), &born_1980),
            (n(plain(&born_1980).parse::<f64>().unwrap()), &born_1980),
            (t(&born_2001[2..]), &born_2001),
            (t(&plain(&born_2001)[2..]), &born_2001),
        ];
        let people: Vec<Person> = forms
            .iter()
            .enumerate()
            .map(|(i, (cell, _))| Person { name: format!("Person {i}"), pnr: cell.clone(), ..anna() })
            .collect();
        let mut book = valid_book();
        book.replace(personal_sheet(&people));
        book.replace(time_sheet(vec![]));
        // Every form is the same person: the rows after the first of each personnummer are
        // DUPLICATE_PERSON warnings (rows 3–6 for 1980, row 8 for 2001), nothing else.
        let (wb, findings) = check(&book.xlsx(mode));
        let dup: Vec<(Code, Severity, String)> =
            findings.iter().map(|f| (f.code, f.severity, f.place.sheet_cell())).collect();
        let want_dup: Vec<(Code, Severity, String)> = ["B3", "B4", "B5", "B6", "B8"]
            .iter()
            .map(|c| (Code::DuplicatePerson, Severity::Warning, format!("Personal!{c}")))
            .collect();
        assert_eq!(dup, want_dup, "{mode:?}");
        let wb = wb.unwrap();
        let got: Vec<&str> = wb.staff.iter().map(|p| p.pnr.as_str()).collect();
        let want: Vec<&str> = forms.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(got, want, "{mode:?}");
    }
}

#[test]
fn excel_error_cells_are_bad_values_never_zero() {
    let (_dir, project) = indirect_project();
    for mode in BOTH {
        let mut book = valid_book();
        book.sheet("Personal").set("F3", err("#VALUE!"));
        book.sheet("Tidrapport")
            .set("D3", err("#REF!"))
            .set("B4", err("#N/A"))
            .set("D5", formula("D2/0", err("#DIV/0!")));
        let costs = vec![vec![t("V1"), date(2025, 3, 10), t("Resor"), t("Tåg"), t("1.2"), err("#NAME?")]];
        book.replace(table("Övriga kostnader", "A1", &headers(ContractSheet::OvrigaKostnader), costs));
        let (wb, findings) = check_with(&project, &book.xlsx(mode));
        let wb = wb.unwrap();
        let got: Vec<(Code, String)> = findings.iter().map(|f| (f.code, f.place.sheet_cell())).collect();
        assert_eq!(
            got,
            vec![
                (Code::BadValue, "Personal!F3".to_string()),
                (Code::BadValue, "Tidrapport!D3".to_string()),
                (Code::BadValue, "Tidrapport!B4".to_string()),
                (Code::BadValue, "Tidrapport!D5".to_string()),
                (Code::BadValue, "Övriga kostnader!F2".to_string()),
            ],
            "{mode:?}\n{}",
            describe(&findings)
        );
        for (f, e) in findings.iter().zip(["#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NAME?"]) {
            assert!(f.message.contains(e), "{}", f.message);
        }
        // Never read as zero: the rows are left out, not counted with 0.
        assert_eq!(wb.time.len(), 1);
        assert_eq!(wb.time[0].hours, hours(dec!(7.5)));
        assert!(wb.other_costs.is_empty());
        assert_eq!(wb.staff.len(), 1);
        assert!(wb.broken_staff.contains("bertil berg"));
    }
}

#[test]
fn hours_in_time_or_duration_cells_are_hours() {
    for mode in BOTH {
        let mut book = valid_book();
        let rows = vec![
            time_row("Anna Andersson", date(2025, 3, 3), "1.1", time(0.3125)),
            time_row("Anna Andersson", date(2025, 3, 4), "1.1", nf(0.3125, Fmt::BuiltinTime)),
            time_row("Anna Andersson", date(2025, 3, 5), "1.1", time(8.0 / 24.0)),
            time_row("Anna Andersson", date(2025, 3, 6), "1.1", t("7:30")),
            time_row("Anna Andersson", date(2025, 3, 7), "1.1", t("7:20")),
            time_row("Anna Andersson", t("2025-03"), "2.2", duration(1.5)),
            time_row("Anna Andersson", date(2025, 3, 10), "2.2", duration(0.3125)),
        ];
        book.replace(time_sheet(rows));
        let wb = clean(&book, mode);
        let got: Vec<Hours> = wb.time.iter().map(|r| r.hours).collect();
        assert_eq!(
            got,
            vec![
                hours(dec!(7.5)),
                hours(dec!(7.5)),
                hours(dec!(8)),
                hours(dec!(7.5)),
                Hours::from_minutes(440),
                hours(dec!(36)),
                hours(dec!(7.5)),
            ],
            "{mode:?}"
        );
    }
}

#[test]
fn formulas_are_read_by_their_cached_value() {
    for mode in BOTH {
        let mut book = valid_book();
        book.sheet("Uppgifter").set("B3", formula("TEXT(DATE(2025,3,1),\"yyyy-mm\")", t("2025-03")));
        book.sheet("Personal")
            .set("F2", formula("40000+5000", n(45000.0)))
            .set("F3", formula("4.35*3", n(4.35 * 3.0)))
            .set("A3", formula("\"Bertil \"&\"Berg\"", t("Bertil Berg")));
        let rows = vec![
            time_row("Anna Andersson", formula("DATE(2025,3,3)", date(2025, 3, 3)), "1.1", formula("E2+F2", n(7.5))),
            time_row("Anna Andersson", date(2025, 3, 4), "1.1", formula("TIME(6,45,0)", time(0.28125))),
            vec![formula("Personal!A2", t("Anna Andersson")), date(2025, 3, 5), t("1.1"), formula("1/4", n(0.25))],
            // Excel stores =1,1*3 as 3.3000000000000003 and shows 3,3: the 16th and 17th digits
            // are binary noise, not hours.
            time_row("Anna Andersson", date(2025, 3, 6), "1.1", formula("1.1*3", n(1.1 * 3.0))),
        ];
        book.replace(time_sheet(rows));
        let wb = clean(&book, mode);
        assert_eq!(wb.info.month, Month::new(2025, 3));
        assert_eq!(wb.staff[0].salary, dec!(45000));
        assert_eq!(wb.staff[1].name, "Bertil Berg");
        assert_eq!(wb.staff[1].salary, dec!(13.05), "not a salary with «more than two decimals»");
        let got: Vec<(When, Decimal)> = wb.time.iter().map(|r| (r.when, r.hours.value())).collect();
        assert_eq!(
            got,
            vec![
                (When::Day(day(2025, 3, 3)), dec!(7.5)),
                (When::Day(day(2025, 3, 4)), dec!(6.75)),
                (When::Day(day(2025, 3, 5)), dec!(0.25)),
                (When::Day(day(2025, 3, 6)), dec!(3.3)),
            ]
        );
        assert_eq!(wb.time[2].name, "Anna Andersson");
    }
}

#[test]
fn the_month_report_is_the_same_for_both_string_modes() {
    // What reconcile sees of a workbook does not depend on how its strings are stored.
    let project = project();
    for mode in BOTH {
        let outcome = read(&valid_book().xlsx(mode));
        let (report, findings) = redovisa::reconcile::month_report(&project, outcome.workbook.as_ref().unwrap());
        assert!(findings.is_empty(), "{}", describe(&findings));
        let report = report.unwrap();
        let anna = &report.persons[0];
        assert_eq!(anna.time, vec![("1.1".to_string(), hours(dec!(22.5))), ("2.2".to_string(), hours(dec!(4)))]);
        assert_eq!(anna.salary_place.sheet_cell(), "Personal!F2");
        let bertil = &report.persons[1];
        assert!(bertil.time.is_empty());
        assert_eq!((bertil.share, bertil.employment), (Some(dec!(0.5)), dec!(0.8)));
    }
}
