//! The claim workbook (`ansokan-<from>_<to>.xlsx`), read back with calamine (an independent
//! reader) and compared figure by figure with the reconciled model and with `summary.json`:
//! sheet names, header rows, cell types (numbers are numbers, dates are dates, partner text is
//! text and never a formula), tables with filters, frozen headers, print setup, fixed document
//! properties, byte-identical output, and a PDF through headless LibreOffice.

mod emit_inbox;

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use redovisa::emit::{claim, summary};
use redovisa::ledger::LineKind;
use redovisa::money::round2;
use redovisa::reconcile::model::{Adjustment, Concerns, Figures, FinancingRole, StaffLine};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::Value;

type Book = Xlsx<Cursor<Vec<u8>>>;

fn open(bytes: &[u8]) -> Book {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the claim workbook")
}

/// One sheet read back, addressed by absolute (row, column).
struct Sheet {
    name: String,
    range: Range<Data>,
}

impl Sheet {
    fn read(book: &mut Book, name: &str) -> Sheet {
        Sheet { name: name.to_string(), range: book.worksheet_range(name).unwrap() }
    }

    fn cell(&self, r: u32, c: u32) -> &Data {
        self.range.get_value((r, c)).unwrap_or(&Data::Empty)
    }

    fn at(&self, r: u32, c: u32) -> String {
        format!("{}!R{}C{}", self.name, r + 1, c + 1)
    }

    /// A text cell (empty text for an empty cell).
    fn text(&self, r: u32, c: u32) -> String {
        match self.cell(r, c) {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!("{} should be text, is {other:?}", self.at(r, c)),
        }
    }

    fn number(&self, r: u32, c: u32) -> f64 {
        match self.cell(r, c) {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("{} should be a number, is {other:?}", self.at(r, c)),
        }
    }

    fn is_empty(&self, r: u32, c: u32) -> bool {
        matches!(self.cell(r, c), Data::Empty) || matches!(self.cell(r, c), Data::String(s) if s.is_empty())
    }

    /// An amount: the number written is exactly the model's, and it is the same to the öre.
    fn money(&self, r: u32, c: u32, expected: Decimal) {
        let f = self.number(r, c);
        // To the öre, rounded half away from zero (rust_decimal's rounding, not the crate's).
        let ore = expected.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(format!("{f:.2}"), format!("{ore:.2}"), "{}", self.at(r, c));
        assert!((f - expected.to_f64().unwrap()).abs() < 1e-9, "{}: {f} vs {expected}", self.at(r, c));
    }

    fn hours(&self, r: u32, c: u32, expected: Decimal) {
        let f = self.number(r, c);
        assert!((f - expected.to_f64().unwrap()).abs() < 1e-9, "{}: {f} vs {expected}", self.at(r, c));
        assert_eq!(format!("{:.2}", round2(Decimal::try_from(f).unwrap())), format!("{:.2}", round2(expected)));
    }

    fn fraction(&self, r: u32, c: u32, expected: Option<Decimal>) {
        match expected {
            Some(d) => {
                let f = self.number(r, c);
                assert!((f - d.to_f64().unwrap()).abs() < 1e-12, "{}: {f} vs {d}", self.at(r, c));
            }
            None => assert!(self.is_empty(r, c), "{} should be empty", self.at(r, c)),
        }
    }

    fn date(&self, r: u32, c: u32) -> NaiveDate {
        match self.cell(r, c) {
            Data::DateTime(d) => {
                NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + chrono::Duration::days(d.as_f64().floor() as i64)
            }
            other => panic!("{} should be a date, is {other:?}", self.at(r, c)),
        }
    }

    fn header(&self, r: u32) -> Vec<String> {
        let width = self.range.end().map_or(0, |(_, c)| c + 1);
        let mut h: Vec<String> = (0..width).map(|c| self.text(r, c)).collect();
        while h.last().is_some_and(String::is_empty) {
            h.pop();
        }
        h
    }

    /// The `n`-th row (0-based) whose first cell is `text`.
    fn find(&self, text: &str, n: usize) -> u32 {
        let end = self.range.end().map_or(0, |(r, _)| r);
        (0..=end)
            .filter(|&r| matches!(self.cell(r, 0), Data::String(s) if s == text))
            .nth(n)
            .unwrap_or_else(|| panic!("{}: no row {n} starting with {text:?}", self.name))
    }
}

fn headers(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const PERSONAL: &[&str] = &[
    "Projektpart",
    "Namn",
    "Personnummer",
    "Min ansökan",
    "Avser",
    "Roll",
    "Startdatum",
    "Månadslön",
    "Timpris",
    "Timmar",
    "Lön",
    "Lönebikostnad %",
    "Lönebikostnad",
    "Personalkostnad",
    "Från månad",
    "Till månad",
];
const KOSTNADSSLAG: &[&str] = &["Kostnadsslag", "Perioden", "Ackumulerat", "Godkänd budget", "Förbrukat", "Återstår"];
const PARTER_PERIOD: &[&str] = &[
    "Projektpart",
    "Organisationsnummer",
    "Typ",
    "Timmar",
    "Personal",
    "Schablon",
    "Övriga",
    "I annat än pengar",
    "Summa",
];
const PARTER_ACK: &[&str] = &[
    "Projektpart",
    "Organisationsnummer",
    "Typ",
    "Timmar ack.",
    "Personal ack.",
    "Schablon ack.",
    "Övriga ack.",
    "I annat än pengar ack.",
    "Summa ack.",
    "Godkänd budget",
    "Förbrukat",
];
const ARBETSPAKET: &[&str] = &[
    "Arbetspaket",
    "Namn",
    "Startdatum",
    "Slutdatum",
    "Timmar perioden",
    "Kostnad perioden",
    "Timmar ack.",
    "Kostnad ack.",
    "Budget",
    "Förbrukat",
];
const AKTIVITETER: &[&str] = &[
    "Aktivitet",
    "Namn",
    "Startdatum",
    "Slutdatum",
    "Timmar perioden",
    "Kostnad perioden",
    "Timmar ack.",
    "Kostnad ack.",
    "Budget",
    "Förbrukat",
];
const MEDFINANSIARER: &[&str] = &[
    "Medfinansiär",
    "Offentlig eller privat",
    "Organisationsnummer",
    "Timmar perioden",
    "Värde perioden",
    "Värde ack.",
    "Godkänd budget",
    "Förbrukat",
];
const BIDRAG_PERSONER: &[&str] = &[
    "Medfinansiär",
    "Offentlig eller privat",
    "Namn",
    "Avser",
    "Roll",
    "Startdatum",
    "Månadslön",
    "Timpris",
    "Timmar",
    "Lön",
    "Lönebikostnad %",
    "Lönebikostnad",
    "Värde",
    "Från månad",
    "Till månad",
];
const FINANSIERING: &[&str] = &["Finansiering", "Finansiär", "Enligt plan", "Perioden", "Ackumulerat"];
const INDIKATORER: &[&str] = &[
    "Indikator",
    "Kod",
    "Typ",
    "Enhet",
    "Målvärde",
    "Ackumulerat",
    "Nytt i perioden",
    "Andel av mål, %",
    "Deltagarregistreringar",
    "Kvinnor",
    "Män",
    "Ej angivet",
];
const AVVIKELSER: &[&str] = &["Allvarlighet", "Kod", "Projektpart", "Fil", "Blad och cell", "Meddelande"];
const KALLFILER: &[&str] = &["Fil", "Projektpart", "Månad", "Version", "Status", "Statuskod", "Anmärkning", "SHA-256"];

/// The staff-line columns shared by `Personal` and the in-kind person table, from `first`.
fn check_staff_line(s: &Sheet, r: u32, first: u32, l: &StaffLine, with_pnr: bool) {
    let mut c = first;
    assert_eq!(s.text(r, c), l.name);
    c += 1;
    if with_pnr {
        assert_eq!(s.text(r, c), l.personnummer);
        let registered = match l.registered_in {
            Some(seq) => format!("Registrerad i ansökan {seq}"),
            None => "Ny – registreras".to_string(),
        };
        assert_eq!(s.text(r, c + 1), registered);
        c += 2;
    }
    let concerns = match l.concerns {
        Concerns::Period => "Perioden".to_string(),
        Concerns::Late(m) => format!("Sen månad {m}"),
        Concerns::Correction(m) => format!("Rättelse {m}"),
    };
    assert_eq!(s.text(r, c), concerns);
    c += 1;
    assert_eq!(s.text(r, c), l.role);
    assert_eq!(s.date(r, c + 1), l.start);
    s.money(r, c + 2, l.monthly_salary);
    s.money(r, c + 3, l.hourly_rate.unwrap());
    s.hours(r, c + 4, l.hours);
    s.money(r, c + 5, l.salary_cost);
    s.fraction(r, c + 6, Some(l.on_cost_rate));
    s.money(r, c + 7, l.on_cost);
    s.money(r, c + 8, l.staff_cost);
    assert_eq!(s.date(r, c + 9), l.first_month.first_day());
    assert_eq!(s.date(r, c + 10), l.last_month.first_day());
}

fn check_workbook(f: &Figures, bytes: &[u8]) {
    let mut book = open(bytes);
    assert_eq!(book.sheet_names(), claim::SHEETS.map(String::from).to_vec());
    summary_sheet(f, &Sheet::read(&mut book, "Sammanställning"));
    staff_sheet(f, &Sheet::read(&mut book, "Personal"));
    partners_sheet(f, &Sheet::read(&mut book, "Projektparter"));
    earlier_months_sheet(f, &Sheet::read(&mut book, "Tidigare månader"));
    activities_sheet(f, &Sheet::read(&mut book, "Aktiviteter"));
    in_kind_sheet(f, &Sheet::read(&mut book, "Bidrag i annat än pengar"));
    financing_sheet(f, &Sheet::read(&mut book, "Finansiering"));
    indicators_sheet(f, &Sheet::read(&mut book, "Indikatorer"));
    findings_sheet(f, &Sheet::read(&mut book, "Avvikelser"));
    files_sheet(f, &Sheet::read(&mut book, "Källfiler"));
    formulas_only_in_totals_rows(&mut book);
}

fn summary_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.text(s.find("Projekt", 0), 1), f.project_name);
    assert_eq!(s.text(s.find("Projektnummer", 0), 1), f.project_id);
    assert_eq!(s.text(s.find("Projektägare", 0), 1), f.owner_name);
    let r = s.find("Projektets tid", 0);
    assert_eq!((s.date(r, 1), s.date(r, 2)), (f.project_start, f.project_end));
    let r = s.find("Ansökningsperiod", 0);
    assert_eq!((s.date(r, 1), s.date(r, 2)), (f.period.from.first_day(), f.period.to.last_day()));
    let h = s.find("Kostnadsslag", 0);
    assert_eq!(s.header(h), headers(KOSTNADSSLAG));
    let (t, c, b) = (&f.totals, &f.cumulative, &f.budget);
    let lines = [
        ("Personalkostnader", t.staff, c.staff, b.staff),
        ("Schablonkostnader och indirekta kostnader", t.flat_rate, c.flat_rate, b.flat_rate),
        ("Övriga kostnader", t.other, c.other, b.other),
        ("Bidrag i annat än pengar", t.in_kind, c.in_kind, b.in_kind),
        ("Summa stödgrundande kostnader", t.eligible, c.eligible, b.total),
    ];
    for (i, (label, period, cum, budget)) in lines.iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(s.text(r, 0), *label);
        s.money(r, 1, *period);
        s.money(r, 2, *cum);
        s.money(r, 3, budget.budget);
        s.fraction(r, 4, budget.used);
        s.money(r, 5, budget.remaining);
    }
    // The model's own consistency: categories add up to the total.
    assert_eq!(t.staff + t.flat_rate + t.other + t.in_kind, t.eligible);
    assert_eq!(b.staff.budget + b.flat_rate.budget + b.other.budget + b.in_kind.budget, b.total.budget);
    let r = s.find("varav offentligt bidrag i annat än pengar", 0);
    s.money(r, 1, t.in_kind_public);
    s.money(r, 2, c.in_kind_public);
    let r = s.find("varav privat bidrag i annat än pengar", 0);
    s.money(r, 1, t.in_kind_private);
    s.money(r, 2, c.in_kind_private);
    s.fraction(s.find("Stödandel", 0), 1, Some(t.support_rate));
    s.money(s.find("Stöd enligt stödandelen för perioden", 0), 1, t.support_uncapped);
    s.money(s.find("Stöd som begärs i den här ansökan", 0), 1, t.support);
    s.money(s.find("Stöd begärt i tidigare ansökningar", 0), 1, f.support.claimed_before);
    s.money(s.find("Stöd begärt totalt, med den här ansökan", 0), 1, f.support.claimed_total);
    s.money(s.find("Beviljat stöd (tak)", 0), 1, f.support.approved);
    s.money(s.find("Återstår av beviljat stöd", 0), 1, f.support.remaining);
    let capped = s.text(s.find("Taket för beviljat stöd begränsar perioden", 0), 1);
    assert_eq!(capped, if f.support.capped { "Ja" } else { "Nej" });
    // The claims over the project's life: earlier ones, this one by kind, their sum.
    let h = s.find("Ansökan", 0);
    assert_eq!(s.header(h), headers(&["Ansökan", "Period", "Stödgrundande", "Stöd"]));
    let sup = &f.support;
    for (i, c) in sup.earlier.iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(s.text(r, 0), format!("Ansökan {} (inskickad)", c.seq));
        s.money(r, 2, c.eligible);
        s.money(r, 3, c.support);
    }
    let r = h + 1 + sup.earlier.len() as u32;
    let n = f.claim_seq;
    assert_eq!(s.text(r, 0), format!("Ansökan {n}: periodens månader"));
    s.money(r, 2, sup.eligible_period);
    s.money(r + 1, 2, sup.eligible_late);
    s.money(r + 2, 2, sup.eligible_corrections);
    assert_eq!(s.text(r + 3, 0), format!("Ansökan {n}: stöd som begärs"));
    s.money(r + 3, 3, t.support);
    assert_eq!(s.text(r + 4, 0), "Summa, med den här ansökan");
    s.money(r + 4, 2, sup.eligible_all_claims);
    s.money(r + 4, 3, sup.claimed_total);
    assert_eq!(sup.eligible_period + sup.eligible_late + sup.eligible_corrections, t.eligible);
}

const TIDIGARE: &[&str] = &[
    "Projektpart",
    "Organisationsnummer",
    "Månad",
    "Slag",
    "Ändrar ansökan",
    "Timmar",
    "Personal",
    "Schablon",
    "Övriga",
    "I annat än pengar",
    "Stödgrundande",
    "Arbetsbok nu",
    "Arbetsbok tidigare",
    "SHA-256 nu",
    "SHA-256 tidigare",
];

fn earlier_months_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.header(1), headers(TIDIGARE));
    let taken: Vec<&Adjustment> = f.adjustments.iter().filter(|a| !a.held).collect();
    if taken.is_empty() {
        assert_eq!(s.text(2, 0), "Inga sena månader eller rättelser i den här ansökan");
        return;
    }
    for (i, a) in taken.iter().enumerate() {
        let r = 2 + i as u32;
        assert_eq!(s.text(r, 0), a.org_name);
        assert_eq!(s.text(r, 1), a.org_nr);
        assert_eq!(s.date(r, 2), a.month.first_day());
        assert_eq!(s.text(r, 3), if a.kind == LineKind::Late { "Sen månad" } else { "Rättelse" });
        s.hours(r, 5, a.hours);
        if !a.in_kind {
            s.money(r, 6, a.amounts.staff);
            s.money(r, 7, a.amounts.flat_rate);
            s.money(r, 8, a.amounts.other);
        }
        s.money(r, 9, a.in_kind_value());
        s.money(r, 10, a.amounts.total());
        assert_eq!(s.text(r, 11), a.path);
        assert_eq!(s.text(r, 12), a.previous_path);
    }
    let r = 2 + taken.len() as u32;
    assert_eq!(s.text(r, 0), "Summa");
    s.money(r, 10, f.adjustment_totals.eligible);
    assert_eq!(f.adjustment_totals.eligible, f.support.eligible_late + f.support.eligible_corrections);
}

fn staff_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.header(0), headers(PERSONAL));
    let lines: Vec<&StaffLine> = f.staff.iter().filter(|l| !l.in_kind).collect();
    assert!(!lines.is_empty());
    for (i, l) in lines.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(s.text(r, 0), l.org_name);
        check_staff_line(s, r, 1, l, true);
    }
    let r = 1 + lines.len() as u32;
    assert_eq!(s.text(r, 0), "Summa");
    let t = &f.staff_totals;
    s.hours(r, 9, t.hours);
    s.money(r, 10, t.salary_cost);
    s.money(r, 12, t.on_cost);
    s.money(r, 13, t.staff_cost);
    // The totals row is the sum of the lines, and it is the period's staff costs.
    assert_eq!(lines.iter().map(|l| l.staff_cost).sum::<Decimal>(), t.staff_cost);
    assert_eq!(lines.iter().map(|l| l.salary_cost + l.on_cost).sum::<Decimal>(), t.staff_cost);
    assert_eq!(t.staff_cost, f.totals.staff);
    assert!(s.is_empty(r + 1, 0), "nothing below the totals row");
}

fn partners_sheet(f: &Figures, s: &Sheet) {
    let h = s.find("Projektpart", 0);
    assert_eq!(s.header(h), headers(PARTER_PERIOD));
    for (i, o) in f.orgs.iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(s.text(r, 0), o.name);
        assert_eq!(s.text(r, 1), o.org_nr);
        s.hours(r, 3, o.hours_period);
        if o.in_kind {
            assert!(s.text(r, 2).starts_with("Medfinansiär"));
            assert!(s.is_empty(r, 4) && s.is_empty(r, 5) && s.is_empty(r, 6));
            s.money(r, 7, o.period.total());
        } else {
            assert_eq!(s.text(r, 2), "Projektpart");
            s.money(r, 4, o.period.staff);
            s.money(r, 5, o.period.flat_rate);
            s.money(r, 6, o.period.other);
            assert!(s.is_empty(r, 7));
        }
        s.money(r, 8, o.period.total());
    }
    let r = h + 1 + f.orgs.len() as u32;
    assert_eq!(s.text(r, 0), "Summa");
    let t = &f.totals;
    s.hours(r, 3, t.hours);
    for (c, d) in [(4, t.staff), (5, t.flat_rate), (6, t.other), (7, t.in_kind), (8, t.eligible)] {
        s.money(r, c, d);
    }
    let h = s.find("Projektpart", 1);
    assert_eq!(s.header(h), headers(PARTER_ACK));
    for (i, o) in f.orgs.iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(s.text(r, 0), o.name);
        s.hours(r, 3, o.hours_cumulative);
        if o.in_kind {
            s.money(r, 7, o.cumulative.total());
        } else {
            s.money(r, 4, o.cumulative.staff);
            s.money(r, 5, o.cumulative.flat_rate);
            s.money(r, 6, o.cumulative.other);
        }
        s.money(r, 8, o.cumulative.total());
        s.money(r, 9, o.budget_total.budget);
        s.fraction(r, 10, o.budget_total.used);
    }
    let r = h + 1 + f.orgs.len() as u32;
    let c = &f.cumulative;
    s.hours(r, 3, c.hours);
    for (col, d) in [(4, c.staff), (5, c.flat_rate), (6, c.other), (7, c.in_kind), (8, c.eligible)] {
        s.money(r, col, d);
    }
    s.money(r, 9, f.budget.total.budget);
    s.fraction(r, 10, f.budget.total.used);
}

fn activities_sheet(f: &Figures, s: &Sheet) {
    let check = |h: u32, list: &[redovisa::reconcile::model::ActivityFigures]| {
        for (i, a) in list.iter().enumerate() {
            let r = h + 1 + i as u32;
            assert_eq!(s.text(r, 0), a.code);
            assert_eq!(s.text(r, 1), a.name);
            assert_eq!((s.date(r, 2), s.date(r, 3)), (a.start, a.end));
            s.hours(r, 4, a.hours_period);
            s.money(r, 5, a.period);
            s.hours(r, 6, a.hours_cumulative);
            s.money(r, 7, a.cumulative);
            s.money(r, 8, a.budget.budget);
            s.fraction(r, 9, a.budget.used);
        }
        let r = h + 1 + list.len() as u32;
        assert_eq!(s.text(r, 0), "Summa");
        let p = &f.plan_totals;
        s.hours(r, 4, p.hours_period);
        s.money(r, 5, p.period);
        s.hours(r, 6, p.hours_cumulative);
        s.money(r, 7, p.cumulative);
        r
    };
    let h = s.find("Arbetspaket", 1);
    assert_eq!(s.header(h), headers(ARBETSPAKET));
    let r = check(h, &f.work_packages);
    s.money(r, 8, f.plan_totals.budget.budget);
    s.fraction(r, 9, f.plan_totals.budget.used);
    let h = s.find("Aktivitet", 0);
    assert_eq!(s.header(h), headers(AKTIVITETER));
    let r = check(h, &f.activities);
    assert!(s.is_empty(r, 8), "activity budgets are not summed");
    // Every cost reached an activity in this inbox.
    assert_eq!(f.plan_totals.period, f.totals.eligible);
    assert_eq!(f.activities.iter().map(|a| a.period).sum::<Decimal>(), f.plan_totals.period);
}

fn in_kind_sheet(f: &Figures, s: &Sheet) {
    let h = s.find("Medfinansiär", 0);
    assert_eq!(s.header(h), headers(MEDFINANSIARER));
    let cof: Vec<_> = f.cofinanciers().collect();
    for (i, o) in cof.iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(s.text(r, 0), o.name);
        assert_eq!(s.text(r, 1), o.kind.swedish()[..1].to_uppercase() + &o.kind.swedish()[1..]);
        assert_eq!(s.text(r, 2), o.org_nr);
        s.hours(r, 3, o.hours_period);
        s.money(r, 4, o.period.total());
        s.money(r, 5, o.cumulative.total());
        s.money(r, 6, o.budget_total.budget);
        s.fraction(r, 7, o.budget_total.used);
    }
    let r = h + 1 + cof.len() as u32;
    assert_eq!(s.text(r, 0), "Summa");
    s.hours(r, 3, f.in_kind_staff_totals.hours);
    s.money(r, 4, f.totals.in_kind);
    s.money(r, 5, f.cumulative.in_kind);
    s.money(r, 6, f.budget.in_kind.budget);
    s.fraction(r, 7, f.budget.in_kind.used);
    let h = s.find("Medfinansiär", 1);
    assert_eq!(s.header(h), headers(BIDRAG_PERSONER));
    let lines: Vec<&StaffLine> = f.staff.iter().filter(|l| l.in_kind).collect();
    assert!(!lines.is_empty());
    for (i, l) in lines.iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(s.text(r, 0), l.org_name);
        check_staff_line(s, r, 2, l, false);
    }
    let r = h + 1 + lines.len() as u32;
    let t = &f.in_kind_staff_totals;
    s.hours(r, 8, t.hours);
    s.money(r, 9, t.salary_cost);
    s.money(r, 11, t.on_cost);
    s.money(r, 12, t.staff_cost);
    assert_eq!(t.staff_cost, f.totals.in_kind, "no flat rate on in kind in this project");
}

fn financing_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.header(0), headers(FINANSIERING));
    let (plan, remainder): (Vec<_>, Vec<_>) = f.financing.iter().partition(|l| l.role != FinancingRole::Remainder);
    for (i, l) in plan.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(s.text(r, 0), l.label);
        assert_eq!(s.text(r, 1), l.financier);
        s.money(r, 2, l.plan);
        s.money(r, 3, l.period);
        s.money(r, 4, l.cumulative);
    }
    assert!(s.text(1 + plan.len() as u32, 0).contains("förs in i Min ansökan"), "which cash figure goes in");
    // Every financier's row is filled, and the cash sum is what the Inbetalt table sums, read
    // from the sheet itself: one figure for cash co-financing.
    let sum = s.find("Summa kontant medfinansiering, inbetald", 0);
    let paid = s.find("Summa", 0);
    for c in [3, 4] {
        let cash: f64 = (1..sum).filter(|&r| s.text(r, 0).contains("kontant")).map(|r| s.number(r, c)).sum();
        assert!((cash - s.number(sum, c)).abs() < 0.005, "cash rows sum to the cash total");
        assert!((s.number(paid, c + 3) - s.number(sum, c)).abs() < 0.005, "the Inbetalt table's sum");
    }
    // The remainder stands apart, labelled as computed, and explained.
    let h = s.find("Beräknat, inte inbetalt", 0);
    assert_eq!(remainder.len(), 1);
    assert!(remainder[0].label.contains("beräknat"));
    assert_eq!(s.text(h + 1, 0), remainder[0].label);
    s.money(h + 1, 3, remainder[0].period);
    s.money(h + 1, 4, remainder[0].cumulative);
    assert!(s.text(h + 2, 0).starts_with("Beräknat belopp"));
}

fn indicators_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.header(0), headers(INDIKATORER));
    for (i, ind) in f.indicators.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(s.text(r, 0), ind.name);
        assert_eq!(s.text(r, 1), ind.code);
        assert_eq!(s.text(r, 3), ind.unit);
        for (c, d) in [(4, ind.target), (5, ind.cumulative), (6, ind.period)] {
            assert_eq!(s.number(r, c), d.to_f64().unwrap(), "{}", s.at(r, c));
        }
        // Whole per cent of the target, rounded down (computed here from the cells).
        if ind.target.is_zero() {
            assert!(s.is_empty(r, 7));
        } else {
            assert_eq!(s.number(r, 7), (s.number(r, 5) * 100.0 / s.number(r, 4)).floor());
        }
        match ind.gender {
            Some(g) => {
                assert_eq!(s.number(r, 9), f64::from(g.women));
                assert_eq!(s.number(r, 10), f64::from(g.men));
                assert_eq!(s.number(r, 11), f64::from(g.not_stated));
                // The split sums to the value it splits.
                assert_eq!(s.number(r, 8), s.number(r, 9) + s.number(r, 10) + s.number(r, 11));
            }
            None => assert!((8..12).all(|c| s.is_empty(r, c))),
        }
    }
}

fn findings_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.header(0), headers(AVVIKELSER));
    if f.findings.is_empty() {
        assert_eq!(s.text(1, 0), "Inga avvikelser");
        return;
    }
    for (i, x) in f.findings.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(s.text(r, 0), if x.is_error() { "Fel" } else { "Varning" });
        assert_eq!(s.text(r, 1), x.code.as_str());
        let partner = x.place.partner.as_deref().map(|p| f.orgs.iter().find(|o| o.folder == p).unwrap().name.clone());
        assert_eq!(s.text(r, 2), partner.unwrap_or_default());
        assert_eq!(s.text(r, 3), x.place.file.clone().unwrap_or_default());
        assert_eq!(s.text(r, 4), x.place.sheet_cell());
        assert_eq!(s.text(r, 5), x.message);
    }
    assert!(s.is_empty(1 + f.findings.len() as u32, 0));
}

fn files_sheet(f: &Figures, s: &Sheet) {
    assert_eq!(s.header(0), headers(KALLFILER));
    for (i, x) in f.files.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(s.text(r, 0), x.path);
        assert_eq!(s.text(r, 1), x.org_name.clone().unwrap_or_default());
        match x.month {
            Some(m) => assert_eq!(s.date(r, 2), m.first_day()),
            None => assert!(s.is_empty(r, 2)),
        }
        match x.version {
            Some(v) => assert_eq!(s.number(r, 3), f64::from(v)),
            None => assert!(s.is_empty(r, 3)),
        }
        assert_eq!(s.text(r, 4), x.status.swedish());
        assert_eq!(s.text(r, 5), x.status.to_string());
        assert_eq!(s.text(r, 6), x.note);
        assert_eq!(s.text(r, 7), x.sha256);
    }
    assert!(s.is_empty(1 + f.files.len() as u32, 0));
}

/// Formulas appear only in totals rows (SUBTOTAL over the table's own column); partner text
/// never became a formula.
fn formulas_only_in_totals_rows(book: &mut Book) {
    for name in claim::SHEETS {
        let formulas = book.worksheet_formula(name).unwrap();
        let values = book.worksheet_range(name).unwrap();
        let (r0, c0) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            let (r, c) = (r0 + r as u32, c0 + c as u32);
            if formula.is_empty() {
                continue;
            }
            assert!(
                formula.starts_with("SUBTOTAL(109,") || formula.starts_with("IFERROR(SUBTOTAL(109,"),
                "{name}!R{}C{}: unexpected formula {formula}",
                r + 1,
                c + 1
            );
            let label = values.get_value((r, 0)).cloned().unwrap_or(Data::Empty);
            assert!(
                matches!(&label, Data::String(s) if s.starts_with("Summa")),
                "{name}: formula outside a totals row"
            );
        }
    }
}

#[test]
fn every_figure_matches_the_model() {
    let (_dir, _project, f) = emit_inbox::figures();
    // The inbox exercises what the sheets show.
    assert!(f.staff.iter().any(|l| l.index_steps == 1), "an indexation step inside the period");
    assert!(f.staff.iter().any(|l| l.in_kind));
    assert!(f.findings.iter().any(|x| x.is_error()));
    assert!(f.indicators.iter().any(|i| i.gender.is_some()));
    let bytes = claim::render(&f).unwrap();
    check_workbook(&f, &bytes);
}

#[test]
fn partner_text_is_written_as_text() {
    let (_dir, _project, f) = emit_inbox::figures();
    let bytes = claim::render(&f).unwrap();
    let mut book = open(&bytes);
    let personal = Sheet::read(&mut book, "Personal");
    let names: Vec<String> = (1..6).map(|r| personal.text(r, 1)).collect();
    assert!(names.contains(&emit_inbox::HOSTILE_NAME.to_string()), "{names:?}");
    assert!(names.contains(&emit_inbox::MINUS_NAME.to_string()), "{names:?}");
    let roles: Vec<String> = (1..6).map(|r| personal.text(r, 5)).collect();
    assert!(roles.contains(&emit_inbox::HOSTILE_ROLE.to_string()), "{roles:?}");
    assert!(roles.contains(&emit_inbox::AT_ROLE.to_string()), "{roles:?}");
    let files = Sheet::read(&mut book, "Källfiler");
    let paths: Vec<String> = (1..=f.files.len() as u32).map(|r| files.text(r, 0)).collect();
    assert!(paths.contains(&"harnosand/=cmd 2024-03.xlsx".to_string()));
    assert!(paths.contains(&"harnosand/-12 februari.xlsx".to_string()));
    // No formula anywhere names partner text.
    for name in claim::SHEETS {
        let formulas = book.worksheet_formula(name).unwrap();
        for (_, _, formula) in formulas.used_cells() {
            assert!(!formula.contains("HYPERLINK") && !formula.contains("cmd"), "{name}: {formula}");
        }
    }
    // And in the file itself: partner text only in the shared strings, never in <f>.
    for (part, xml) in parts(&bytes) {
        if part.starts_with("xl/worksheets/sheet") {
            assert!(!xml.contains("HYPERLINK"), "{part}");
            assert!(!xml.contains("t=\"str\""), "{part}: a formula with a text result");
        }
    }
}

/// Every part of the xlsx package as text.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            out.push((file.name().unwrap().to_string(), text));
        }
    }
    out.sort();
    out
}

#[test]
fn tables_filters_frozen_headers_print_setup_and_properties() {
    let (_dir, _project, f) = emit_inbox::figures();
    let bytes = claim::render(&f).unwrap();
    let parts = parts(&bytes);
    let tables: Vec<&(String, String)> = parts.iter().filter(|(p, _)| p.starts_with("xl/tables/table")).collect();
    // 15, plus Finansiering's computed remainder, co-financing paid in, its sums and the
    // transaction list.
    assert_eq!(tables.len(), 19, "one table per list: {:?}", tables.iter().map(|t| &t.0).collect::<Vec<_>>());
    for (part, xml) in &tables {
        assert!(xml.contains("<autoFilter"), "{part} has no filter");
    }
    let sheets: Vec<&(String, String)> =
        parts.iter().filter(|(p, _)| p.starts_with("xl/worksheets/sheet") && p.ends_with(".xml")).collect();
    assert_eq!(sheets.len(), 10);
    for (part, xml) in &sheets {
        assert!(xml.contains("orientation=\"landscape\""), "{part}");
        assert!(xml.contains("fitToWidth=\"1\"") || xml.contains("fitToPage=\"1\""), "{part}");
        assert!(xml.contains("paperSize=\"9\""), "{part}");
        if !part.ends_with("sheet1.xml") {
            assert!(xml.contains("state=\"frozen\""), "{part}: header not frozen");
        }
    }
    let core = &parts.iter().find(|(p, _)| p == "docProps/core.xml").unwrap().1;
    let day = f.document_date();
    assert!(core.contains(&format!("<dcterms:created xsi:type=\"dcterms:W3CDTF\">{day}T00:00:00Z")), "{core}");
    assert!(core.contains(&format!("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{day}T00:00:00Z")), "{core}");
    assert!(core.contains("<dc:creator>redovisa</dc:creator>"), "{core}");
    assert!(core.contains("<dc:title>Ansökan om utbetalning 454304"), "{core}");
    // Native charts, two of them, drawn from the tables.
    let charts: Vec<&(String, String)> = parts.iter().filter(|(p, _)| p.starts_with("xl/charts/chart")).collect();
    assert_eq!(charts.len(), 2);
    assert!(charts[0].1.contains("Projektparter") && charts[1].1.contains("Aktiviteter"));
    // Number formats: Swedish kronor, percentages, dates.
    let styles = &parts.iter().find(|(p, _)| p == "xl/styles.xml").unwrap().1;
    for code in ["#,##0.00 &quot;kr&quot;", "0.00 %", "0.0 %", "yyyy-mm-dd", "yyyy-mm", "#,##0.00"] {
        assert!(styles.contains(code), "number format {code} missing");
    }
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let (_dir, _project, f) = emit_inbox::figures();
    let a = claim::render(&f).unwrap();
    let b = claim::render(&f).unwrap();
    assert!(a == b, "two renders of the same figures differ");
    // A fresh copy of the inbox in another folder, read again: still the same bytes.
    let (_dir2, _project2, f2) = emit_inbox::figures();
    assert!(claim::render(&f2).unwrap() == a, "the same inbox elsewhere gives other bytes");
}

#[test]
fn the_workbook_agrees_with_summary_json() {
    let (_dir, _project, f) = emit_inbox::figures();
    let bytes = claim::render(&f).unwrap();
    let json: Value = serde_json::from_slice(&summary::render(&f)).unwrap();
    let mut book = open(&bytes);
    let kr = |v: &Value| v.as_str().unwrap().to_string();
    let two = |x: f64| format!("{x:.2}");

    let summary_sheet = Sheet::read(&mut book, "Sammanställning");
    let h = summary_sheet.find("Kostnadsslag", 0);
    let totals = &json["totals"];
    for (i, key) in ["staff_costs", "flat_rate", "other_costs", "in_kind", "eligible"].iter().enumerate() {
        assert_eq!(two(summary_sheet.number(h + 1 + i as u32, 1)), kr(&totals[key]), "totals.{key}");
    }
    let support = summary_sheet.number(summary_sheet.find("Stöd som begärs i den här ansökan", 0), 1);
    assert_eq!(two(support), kr(&totals["support"]));
    let rate = summary_sheet.number(summary_sheet.find("Stödandel", 0), 1);
    assert_eq!(rate, kr(&totals["support_rate"]).parse::<f64>().unwrap());

    let parter = Sheet::read(&mut book, "Projektparter");
    let (hp, ha) = (parter.find("Projektpart", 0), parter.find("Projektpart", 1));
    let partners = json["partners"].as_array().unwrap();
    assert_eq!(partners.len(), f.partners().count());
    for (i, p) in partners.iter().enumerate() {
        let (r, ra) = (hp + 1 + i as u32, ha + 1 + i as u32);
        assert_eq!(parter.text(r, 0), p["name"].as_str().unwrap());
        assert_eq!(parter.text(r, 1), p["org_nr"].as_str().unwrap());
        assert_eq!(two(parter.number(r, 4)), kr(&p["staff_costs"]));
        assert_eq!(two(parter.number(r, 5)), kr(&p["flat_rate"]));
        assert_eq!(two(parter.number(r, 6)), kr(&p["other_costs"]));
        assert_eq!(two(parter.number(r, 8)), kr(&p["total"]));
        let hours: f64 = kr(&p["hours"]).parse().unwrap();
        assert!((parter.number(r, 3) - hours).abs() < 0.005 + 1e-9, "hours of {}", p["name"]);
        assert_eq!(two(parter.number(ra, 8)), kr(&p["cumulative_total"]));
        assert_eq!(two(parter.number(ra, 9)), kr(&p["budget_total"]));
    }
    let bidrag = Sheet::read(&mut book, "Bidrag i annat än pengar");
    let h = bidrag.find("Medfinansiär", 0);
    for (i, k) in json["in_kind"].as_array().unwrap().iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(bidrag.text(r, 0), k["name"].as_str().unwrap());
        assert_eq!(bidrag.text(r, 1).to_lowercase(), if k["kind"] == "public" { "offentlig" } else { "privat" });
        assert_eq!(two(bidrag.number(r, 4)), kr(&k["value"]));
    }
    let akt = Sheet::read(&mut book, "Aktiviteter");
    let h = akt.find("Aktivitet", 0);
    for (i, a) in json["activities"].as_array().unwrap().iter().enumerate() {
        let r = h + 1 + i as u32;
        assert_eq!(akt.text(r, 0), a["code"].as_str().unwrap());
        assert_eq!(two(akt.number(r, 5)), kr(&a["period"]));
        assert_eq!(two(akt.number(r, 7)), kr(&a["cumulative"]));
        assert_eq!(two(akt.number(r, 8)), kr(&a["budget"]));
    }
    let ind = Sheet::read(&mut book, "Indikatorer");
    for (i, x) in json["indicators"].as_array().unwrap().iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(ind.text(r, 0), x["name"].as_str().unwrap());
        assert_eq!(ind.number(r, 5), kr(&x["cumulative"]).parse::<f64>().unwrap());
        assert_eq!(ind.number(r, 6), kr(&x["period"]).parse::<f64>().unwrap());
        if let Some(w) = x.get("women") {
            assert_eq!(ind.number(r, 8), x["participant_registrations"].as_f64().unwrap());
            assert_eq!(ind.number(r, 9), w.as_f64().unwrap());
        }
    }
    let avv = Sheet::read(&mut book, "Avvikelser");
    let findings = json["findings"].as_array().unwrap();
    for (i, x) in findings.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(avv.text(r, 1), x["code"].as_str().unwrap());
        assert_eq!(avv.text(r, 5), x["message"].as_str().unwrap());
    }
    assert!(avv.is_empty(1 + findings.len() as u32, 0));
    let src = Sheet::read(&mut book, "Källfiler");
    let files = json["files"].as_array().unwrap();
    for (i, x) in files.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(src.text(r, 0), x["path"].as_str().unwrap());
        assert_eq!(src.text(r, 5), x["status"].as_str().unwrap());
        assert_eq!(src.text(r, 7), x["sha256"].as_str().unwrap());
    }
    assert!(src.is_empty(1 + files.len() as u32, 0));
}

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|bin| Command::new(bin).arg("--version").output().is_ok())
}

/// Converts an xlsx to PDF with headless LibreOffice (own profile, so parallel runs do not
/// collide) and returns the PDF's bytes.
fn to_pdf(bin: &str, xlsx: &Path, out: &Path) -> Vec<u8> {
    let profile = out.join("lo-profile");
    let status = Command::new(bin)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(xlsx)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    let pdf = out.join(xlsx.with_extension("pdf").file_name().unwrap());
    std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF at {}: {e}", pdf.display()))
}

/// Page objects in a PDF (`/Type /Page`, with or without the space; not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    ["/Type/Page", "/Type /Page"].iter().map(|p| text.matches(p).count()).sum::<usize>()
        - ["/Type/Pages", "/Type /Pages"].iter().map(|p| text.matches(p).count()).sum::<usize>()
}

#[test]
fn libreoffice_converts_it_to_a_pdf_with_pages() {
    let Some(bin) = soffice() else {
        assert!(
            std::env::var_os("REDOVISA_REQUIRE_LIBREOFFICE").is_none(),
            "soffice (LibreOffice) is required here (REDOVISA_REQUIRE_LIBREOFFICE is set) but not installed"
        );
        eprintln!("SKIPPED: soffice (LibreOffice) is not installed; CI installs it");
        return;
    };
    let (dir, _project, f) = emit_inbox::figures();
    let xlsx = dir.path().join(redovisa::emit::claim_name(&f));
    std::fs::write(&xlsx, claim::render(&f).unwrap()).unwrap();
    let pdf = to_pdf(bin, &xlsx, dir.path());
    assert!(pdf.starts_with(b"%PDF"));
    // To look at the pages: CLAIM_PDF_DIR=/some/dir cargo test --test claim_workbook libreoffice
    if let Some(keep) = std::env::var_os("CLAIM_PDF_DIR") {
        std::fs::write(Path::new(&keep).join("ansokan.pdf"), &pdf).unwrap();
        std::fs::copy(&xlsx, Path::new(&keep).join("ansokan.xlsx")).unwrap();
    }
    // Nine sheets, the summary on two pages (figures, then charts).
    let pages = pdf_pages(&pdf);
    assert!(pages >= 10, "{pages} pages");
}

/// The demo project (`redovisa demo`), first half of 2024: every figure of its claim workbook
/// against the model, and byte-identical on a second render.
#[test]
fn demo_project_claim_matches_the_model() {
    use redovisa_demo::{self as demo, DemoOptions};
    let dir = tempfile::tempdir().unwrap();
    let to = redovisa::month::Month::new(2024, 6).unwrap();
    demo::write(dir.path(), &DemoOptions { to, ..DemoOptions::default() }).unwrap();
    let project = redovisa::project::Project::load(dir.path()).unwrap();
    let opts = redovisa::pipeline::Options {
        from: Some(project.start_month()),
        to: Some(to),
        ..redovisa::pipeline::Options::claim(NaiveDate::from_ymd_opt(2024, 7, 15).unwrap())
    };
    let ledger = redovisa::ledger::Ledger::load(dir.path()).unwrap();
    let f = redovisa::pipeline::evaluate(&project, &opts, &ledger).unwrap().figures;
    assert!(f.staff.len() > 5 && f.files.len() > 30, "a realistic inbox");
    let bytes = claim::render(&f).unwrap();
    check_workbook(&f, &bytes);
    assert!(claim::render(&f).unwrap() == bytes);
}

/// The demo's whole-project claim (2024-01 – 2026-10: 375 workbooks, every organisation) reads
/// back figure for figure; `CLAIM_PDF_DIR` keeps a copy for looking at.
#[test]
fn the_demo_projects_whole_claim_reads_back() {
    use redovisa_demo::{self as demo, DemoOptions};
    let dir = tempfile::tempdir().unwrap();
    demo::write(dir.path(), &DemoOptions::default()).unwrap();
    let project = redovisa::project::Project::load(dir.path()).unwrap();
    let opts = redovisa::pipeline::Options {
        from: Some(project.start_month()),
        to: Some(demo::DEFAULT_TO),
        ..redovisa::pipeline::Options::claim(NaiveDate::from_ymd_opt(2026, 11, 15).unwrap())
    };
    let ledger = redovisa::ledger::Ledger::load(dir.path()).unwrap();
    let f = redovisa::pipeline::evaluate(&project, &opts, &ledger).unwrap().figures;
    let used = f.files.iter().filter(|r| r.status == redovisa::intake::Status::Used).count();
    assert_eq!(used, 11 * 34, "every organisation's workbook of every month counts");
    assert!(f.staff.len() > 50, "{} staff lines", f.staff.len());
    let bytes = claim::render(&f).unwrap();
    check_workbook(&f, &bytes);
    if let Some(keep) = std::env::var_os("CLAIM_PDF_DIR") {
        std::fs::write(Path::new(&keep).join("demo-full.xlsx"), &bytes).unwrap();
    }
}
