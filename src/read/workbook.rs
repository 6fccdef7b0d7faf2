//! From grids to typed rows: header detection, column mapping and per-row conversion.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::NaiveDate;

use super::grid::{Book, Budget, Grid, GridRow};
use super::guard::{self, Limits};
use super::value::{self, Conv, Raw};
use super::*;
use crate::contract::{self, Column, KON, KOSTNADSSLAG, Label, ORSAK, REDOVISNING, Sheet, TYP, normalise};
use crate::finding::{CellProblem, FileProblem, Finding, Message, Place, cell_ref};

/// Rows searched for a table's header row.
const HEADER_ROWS: u32 = 20;
/// Rows of `Uppgifter` searched for labels.
const LABEL_ROWS: u32 = 30;
/// The reference date for personnummer when the workbook's month is unknown: the last day of
/// the years dates are accepted in (2000–2099).
const NO_MONTH_REFERENCE: NaiveDate = NaiveDate::from_ymd_opt(2099, 12, 31).expect("a valid date");

/// Reads one workbook from its bytes. `file` names it in findings (path relative to the inbox).
///
/// Never panics and never aborts on hostile input: the container is vetted by [`guard::check`]
/// first, and a panic inside the guard or the parser is caught and reported as
/// `FILE_UNREADABLE`.
pub fn read_workbook(bytes: &[u8], file: &str, limits: &Limits) -> ReadOutcome {
    let read = || {
        guard::check(bytes, limits)?;
        read_checked(bytes, file, limits)
    };
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => ReadOutcome::unreadable(file, e),
        Err(_) => ReadOutcome::unreadable(file, FileProblem::Panicked),
    }
}

fn read_checked(bytes: &[u8], file: &str, limits: &Limits) -> Result<ReadOutcome, FileProblem> {
    let mut book = Book::open(bytes)?;
    let mut grids: BTreeMap<Sheet, Grid> = BTreeMap::new();
    let mut budget = Budget::new(limits);
    for name in book.sheet_names() {
        if let Some(sheet) = contract::sheet_for(&name)
            && let std::collections::btree_map::Entry::Vacant(e) = grids.entry(sheet)
        {
            let grid = book.grid(&name, limits, &mut budget)?;
            e.insert(grid);
        }
    }
    let mut r = Reader {
        wb: Workbook { file: file.to_string(), ..Workbook::default() },
        findings: Vec::new(),
        names: BTreeMap::new(),
    };
    match grids.get(&Sheet::Uppgifter) {
        Some(g) => r.info(g),
        None => {
            r.findings.push(Finding::of(Place::file(file).in_sheet("Uppgifter"), Message::MissingInfoSheet));
            return Ok(ReadOutcome { workbook: Some(r.wb), findings: r.findings });
        }
    }
    for sheet in Sheet::ALL.into_iter().skip(1) {
        if let Some(grid) = grids.get(&sheet) {
            r.table(sheet, grid);
        }
    }
    let needs_personal = !r.wb.time.is_empty() || !r.wb.absence.is_empty();
    if needs_personal && !grids.contains_key(&Sheet::Personal) {
        r.findings.push(Finding::of(Place::file(file).in_sheet("Personal"), Message::MissingPersonalSheet));
    }
    Ok(ReadOutcome { workbook: Some(r.wb), findings: r.findings })
}

/// The state of reading one workbook.
struct Reader {
    wb: Workbook,
    findings: Vec<Finding>,
    /// The first `Personal` row of each name (normalised): where, as written, and its
    /// personnummer when it could be read.
    names: BTreeMap<String, (Loc, String, Option<Personnummer>)>,
}

/// A located table: header row found, columns mapped.
struct Table<'g> {
    sheet: Sheet,
    grid: &'g Grid,
    header_row: u32,
    columns: BTreeMap<Column, u32>,
}

/// One data row of a table.
struct RowView<'a> {
    sheet: Sheet,
    row: &'a GridRow,
    columns: &'a BTreeMap<Column, u32>,
}

impl RowView<'_> {
    fn loc(&self) -> Loc {
        Loc { sheet: self.sheet, row: self.row.index }
    }
    fn get(&self, col: Column) -> Option<&Raw> {
        self.columns.get(&col).and_then(|c| self.row.get(*c))
    }
    fn is_blank(&self) -> bool {
        self.columns.values().all(|c| self.row.get(*c).is_none())
    }
}

impl Reader {
    fn bad(&mut self, loc: Loc, col: Column, message: Message) {
        let place = self.wb.place(loc, col);
        self.findings.push(Finding::of(place, message));
    }

    /// Converts a required cell; a missing value or a conversion error is a finding.
    fn need<T>(&mut self, v: &RowView, col: Column, conv: impl Fn(&Raw) -> Conv<T>) -> Option<T> {
        match v.get(col) {
            None => {
                self.bad(v.loc(), col, Message::EmptyCell { header: col.header().to_string() });
                None
            }
            Some(raw) => self.conv(v, col, raw, conv),
        }
    }

    /// Converts an optional cell; empty is `Ok(None)`, a conversion error `Err(())` after a finding.
    fn opt<T>(&mut self, v: &RowView, col: Column, conv: impl Fn(&Raw) -> Conv<T>) -> Result<Option<T>, ()> {
        match v.get(col) {
            None => Ok(None),
            Some(raw) => self.conv(v, col, raw, conv).map(Some).ok_or(()),
        }
    }

    fn conv<T>(&mut self, v: &RowView, col: Column, raw: &Raw, conv: impl Fn(&Raw) -> Conv<T>) -> Option<T> {
        match conv(raw) {
            Ok(t) => Some(t),
            Err(why) => {
                self.bad(v.loc(), col, Message::BadCell { header: col.header().to_string(), problem: why });
                None
            }
        }
    }

    /// Optional text, empty string when absent.
    fn text(&mut self, v: &RowView, col: Column) -> Option<String> {
        self.opt(v, col, value::text).map(Option::unwrap_or_default).ok()
    }

    fn info(&mut self, grid: &Grid) {
        self.wb.layouts.insert(Sheet::Uppgifter, Layout { name: grid.name.clone(), ..Layout::default() });
        let mut found: BTreeMap<Label, (u32, Option<Raw>)> = BTreeMap::new();
        for row in grid.rows.iter().filter(|r| r.index < LABEL_ROWS) {
            let Some(Raw::Text(label)) = row.get(0) else { continue };
            let key = normalise(label);
            if let Some(l) = Label::ALL.into_iter().find(|l| contract::is(l.text(), &key)) {
                found.entry(l).or_insert((row.index, row.get(1).cloned()));
            }
        }
        let file = self.wb.file.clone();
        let sheet = grid.name.clone();
        let place = |row: u32| Place::cell(&file, &sheet, cell_ref(row, 1));
        for (label, (row, _)) in &found {
            self.wb.info.places.insert(*label, cell_ref(*row, 1));
        }
        let mut findings = Vec::new();
        let missing = |label: Label, findings: &mut Vec<Finding>| {
            findings.push(Finding::of(
                Place { sheet: Some(sheet.clone()), ..Place::file(&file) },
                Message::MissingLabel { label: label.text().to_string() },
            ))
        };
        let info = &mut self.wb.info;
        info.version = 1;
        for label in Label::ALL {
            let Some((row, raw)) = found.get(&label) else {
                if matches!(label, Label::Projektpart | Label::Organisationsnummer | Label::Period) {
                    missing(label, &mut findings);
                }
                continue;
            };
            let Some(raw) = raw else {
                if matches!(label, Label::Projektpart | Label::Organisationsnummer | Label::Period) {
                    findings.push(Finding::of(place(*row), Message::EmptyLabel { label: label.text().to_string() }));
                }
                continue;
            };
            let bad = |why: CellProblem| {
                Finding::of(place(*row), Message::BadCell { header: label.text().to_string(), problem: why })
            };
            match label {
                Label::Projektpart => match value::text(raw) {
                    Ok(t) => info.partner_name = Some(t),
                    Err(e) => findings.push(bad(e)),
                },
                Label::Organisationsnummer => {
                    let text = value::text(raw).unwrap_or_default();
                    match OrgNr::parse(&text) {
                        Some(o) => info.org_nr = Some(o),
                        None => findings.push(Finding::of(place(*row), Message::InvalidOwnOrgnr { text })),
                    }
                }
                Label::Period => match value::month(raw) {
                    Ok(m) => {
                        info.month = Some(m);
                        info.period = Some(m);
                    }
                    Err(e) => findings.push(bad(e)),
                },
                Label::Version => match value::whole(raw) {
                    Ok(v) => info.version = v,
                    Err(e) => {
                        findings.push(bad(e));
                        // Without a readable version we cannot tell which workbook counts.
                        info.month = None;
                        info.version_unreadable = true;
                    }
                },
                Label::AttesteradAv => match value::text(raw) {
                    Ok(t) => info.attested_by = Some(t),
                    Err(e) => findings.push(bad(e)),
                },
                Label::Attestdatum => match value::date(raw) {
                    Ok(d) => info.attested_on = Some(d),
                    Err(e) => findings.push(bad(e)),
                },
            }
        }
        self.findings.extend(findings);
    }

    /// Finds the header row and reads every data row of a table sheet.
    fn table(&mut self, sheet: Sheet, grid: &Grid) {
        let Some(table) = self.locate(sheet, grid) else { return };
        self.wb.layouts.insert(
            sheet,
            Layout { name: grid.name.clone(), header_row: table.header_row, columns: table.columns.clone() },
        );
        for row in table.grid.rows.iter().filter(|r| r.index > table.header_row) {
            let v = RowView { sheet, row, columns: &table.columns };
            if v.is_blank() {
                continue;
            }
            match table.sheet {
                Sheet::Personal => self.person(&v),
                Sheet::Tidrapport => self.time(&v),
                Sheet::Franvaro => self.absence(&v),
                Sheet::Deltagare => self.participant(&v),
                Sheet::Indikatorer => self.indicator(&v),
                Sheet::Lagesbeskrivning => self.narrative(&v),
                Sheet::OvrigaKostnader => self.other_cost(&v),
                Sheet::Medfinansiering => self.payment(&v),
                Sheet::Uppgifter => {}
            }
        }
    }

    /// The header row: the first of the first 20 rows holding every required header.
    fn locate<'g>(&mut self, sheet: Sheet, grid: &'g Grid) -> Option<Table<'g>> {
        if grid.rows.is_empty() {
            return None;
        }
        let mut best: Option<(usize, u32, BTreeMap<Column, u32>)> = None;
        for row in grid.rows.iter().filter(|r| r.index < HEADER_ROWS) {
            let mut columns = BTreeMap::new();
            for (col, raw) in &row.cells {
                let Raw::Text(t) = raw else { continue };
                let key = normalise(t);
                if let Some(c) = sheet.columns().iter().find(|c| contract::is(c.header(), &key)) {
                    columns.entry(*c).or_insert(*col);
                }
            }
            let hits = sheet.required().iter().filter(|c| columns.contains_key(c)).count();
            if hits == sheet.required().len() {
                return Some(Table { sheet, grid, header_row: row.index, columns });
            }
            if best.as_ref().is_none_or(|(h, ..)| hits > *h) {
                best = Some((hits, row.index, columns));
            }
        }
        let (hits, row, columns) = best.unwrap_or((0, 0, BTreeMap::new()));
        let header_row = if hits == 0 { 0 } else { row };
        let missing: Vec<Column> = sheet.required().iter().filter(|c| !columns.contains_key(c)).copied().collect();
        if !missing.is_empty() {
            self.wb.unread.insert(sheet);
        }
        for col in missing {
            let next_free = columns.values().max().map_or(0, |c| c + 1);
            self.findings.push(Finding::of(
                Place::cell(&self.wb.file, &grid.name, cell_ref(header_row, next_free)),
                Message::MissingColumn {
                    header: col.header().to_string(),
                    sheet: grid.name.clone(),
                    row: header_row + 1,
                },
            ));
        }
        None
    }

    fn person(&mut self, v: &RowView) {
        let name = self.need(v, Column::Namn, value::text);
        // A 10-digit personnummer's century is the one that makes the person younger than 100
        // on the workbook's month. Without a readable month (a bad Period or Version cell, one
        // finding already) the workbook is not counted, but its numbers are still checked: the
        // last day of the years this tool accepts stands in, so a bad Period cell does not also
        // make every person's number invalid.
        let reference = self.wb.info.month.map_or(NO_MONTH_REFERENCE, |m| m.last_day());
        let pnr = self.need(v, Column::Personnummer, value::text).and_then(|t| {
            let p = Personnummer::parse(&t, reference);
            if p.is_none() {
                self.bad(v.loc(), Column::Personnummer, Message::InvalidPersonnummer);
            }
            p
        });
        let role = self.text(v, Column::Roll);
        let start = self.need(v, Column::Startdatum, value::date);
        let end = self.opt(v, Column::Slutdatum, value::date);
        let salary = self.need(v, Column::Manadslon, value::amount).filter(|s| {
            let ok = !s.is_zero();
            if !ok {
                self.bad(v.loc(), Column::Manadslon, Message::ZeroSalary);
            }
            ok
        });
        let reporting = self.need(v, Column::Redovisning, |r| {
            let t = value::text(r)?;
            match contract::canonical(&REDOVISNING, &t) {
                Some("Fast andel") => Ok(Reporting::FixedShare),
                Some(_) => Ok(Reporting::TimeReport),
                None => Err(CellProblem::NotReporting(t)),
            }
        });
        let share = self.opt(v, Column::Andel, value::share);
        let employment = self.opt(v, Column::Sysselsattningsgrad, value::share);
        let main = self.opt(v, Column::Huvudaktivitet, value::text);
        let share = match (reporting, share) {
            (Some(Reporting::FixedShare), Ok(None)) => {
                let col = if v.columns.contains_key(&Column::Andel) { Column::Andel } else { Column::Redovisning };
                self.bad(v.loc(), col, Message::MissingShare);
                Err(())
            }
            (_, s) => s,
        };
        if let (Some(start), Ok(Some(end))) = (start, end)
            && end < start
        {
            self.bad(v.loc(), Column::Slutdatum, Message::EndBeforeStart { start, end });
        }
        // Time and absence rows find a person by name. The same name with the same personnummer
        // is one person written twice: the later row is left out. With another personnummer (or
        // one that cannot be read) they may be two people whose rows cannot be told apart:
        // neither counts.
        let key = name.as_deref().map(name_key);
        if let Some(k) = &key
            && let Some((first_loc, first_name, first_pnr)) = self.names.get(k).cloned()
        {
            let first = self.wb.place(first_loc, Column::Namn).cell.unwrap_or_default();
            let message = if pnr.is_some() && pnr == first_pnr {
                Message::NameTwice { name: first_name, first }
            } else {
                self.wb.staff.retain(|p| p.loc != first_loc);
                self.wb.broken_staff.insert(k.clone());
                Message::NameTwiceOthers { name: first_name, first }
            };
            self.bad(v.loc(), Column::Namn, message);
            return;
        }
        if let (Some(k), Some(n)) = (&key, &name) {
            self.names.insert(k.clone(), (v.loc(), n.clone(), pnr.clone()));
        }
        match (name, pnr, role, start, end, salary, reporting, share, employment, main) {
            (
                Some(name),
                Some(pnr),
                Some(role),
                Some(start),
                Ok(end),
                Some(salary),
                Some(reporting),
                Ok(share),
                Ok(emp),
                Ok(main),
            ) if end.is_none_or(|e| e >= start) => {
                self.wb.staff.push(PersonRow {
                    loc: v.loc(),
                    name,
                    pnr,
                    role,
                    start,
                    end,
                    salary,
                    reporting,
                    share,
                    employment: emp.unwrap_or(Decimal::ONE),
                    main_activity: main.map(|m| activity_code(&m)),
                });
            }
            _ => {
                if let Some(k) = key {
                    self.wb.broken_staff.insert(k);
                }
            }
        }
    }

    /// Hours of a time or absence row: at most the hours of the workbook's month (a row can hold
    /// no more time than the month has).
    /// A `6.30` is read as 6,3 h with a warning at its cell (it may mean 6 h 30 min).
    fn row_hours(&mut self, v: &RowView) -> Option<crate::money::Hours> {
        let month = self.wb.info.month;
        let hours = self.need(v, Column::Timmar, |raw| {
            let h = value::hours(raw)?;
            match month {
                Some(m) if h.value() > Decimal::from(m.days() * 24) => {
                    Err(CellProblem::HoursBeyondMonth { hours: h.value(), month: m, max: m.days() * 24 })
                }
                _ => Ok(h),
            }
        })?;
        if let Some(raw) = v.get(Column::Timmar)
            && let Some((h, m)) = value::ambiguous_time(raw)
        {
            let text = match raw {
                Raw::Text(t) => t.trim().to_string(),
                _ => String::new(),
            };
            self.bad(
                v.loc(),
                Column::Timmar,
                Message::AmbiguousTime { text, read_as: hours.value(), hours: h, minutes: m },
            );
        }
        Some(hours)
    }

    fn time(&mut self, v: &RowView) {
        let name = self.need(v, Column::Namn, value::text);
        let when = self.need(v, Column::Datum, value::when);
        let activity = self.need(v, Column::Aktivitet, value::text);
        let hours = self.row_hours(v);
        // The comment is shown, never counted: one that cannot be read leaves the row counting.
        let text = v.get(Column::Kommentar).and_then(|raw| value::text(raw).ok()).unwrap_or_default();
        if let (Some(name), Some(when), Some(activity), Some(hours)) = (name, when, activity, hours) {
            let activity = activity_code(&activity);
            self.wb.time.push(TimeRow { loc: v.loc(), name, when, activity, hours, text: text.trim().to_string() });
        }
    }

    fn absence(&mut self, v: &RowView) {
        let name = self.need(v, Column::Namn, value::text);
        let month = self.need(v, Column::Manad, value::month);
        let hours = self.row_hours(v);
        let reason = self.need(v, Column::Orsak, |r| {
            let t = value::text(r)?;
            contract::canonical(&ORSAK, &t).ok_or_else(|| CellProblem::NotAbsenceReason(t.clone()))
        });
        match (name, month, hours, reason) {
            (Some(name), Some(month), Some(hours), Some(reason)) => {
                self.wb.absence.push(AbsenceRow { loc: v.loc(), name, month, hours, reason });
            }
            (name, ..) => self.wb.dropped.push(DroppedRow { loc: v.loc(), name }),
        }
    }

    fn participant(&mut self, v: &RowView) {
        let date = self.need(v, Column::Datum, value::date);
        let activity = self.need(v, Column::Aktivitet, value::text);
        let event = self.text(v, Column::Traff);
        // A sole trader's organisationsnummer is the owner's personnummer: valid, counted, and
        // personal data, so it is never repeated in a message.
        let reference = self.wb.info.month.map_or(NaiveDate::MAX, |m| m.last_day());
        let org_nr = self.need(v, Column::Organisationsnummer, value::text).and_then(|t| {
            let o = ParticipantOrg::parse(&t, reference);
            if o.is_none() {
                let shown =
                    if t.chars().filter(char::is_ascii_digit).count() == 12 { "[personnummer]".to_string() } else { t };
                self.bad(v.loc(), Column::Organisationsnummer, Message::InvalidParticipantOrgnr { shown });
            }
            o
        });
        let org_name = self.text(v, Column::Organisation);
        // An empty Kön counts as not stated; the column must be there, the answer is voluntary.
        let gender = match self.opt(v, Column::Kon, |r| {
            let t = value::text(r)?;
            match contract::canonical(&KON, &t).or(match normalise(&t).as_str() {
                "k" => Some("Kvinna"),
                "m" => Some("Man"),
                _ => None,
            }) {
                Some("Kvinna") => Ok(Gender::Woman),
                Some("Man") => Ok(Gender::Man),
                Some(_) => Ok(Gender::NotStated),
                None => Err(CellProblem::NotGender(t)),
            }
        }) {
            Ok(g) => Some(g.unwrap_or(Gender::NotStated)),
            Err(()) => None,
        };
        if let (Some(date), Some(activity), Some(event), Some(org_nr), Some(org_name), Some(gender)) =
            (date, activity, event, org_nr, org_name, gender)
        {
            self.wb.participants.push(ParticipantRow {
                loc: v.loc(),
                date,
                activity: activity_code(&activity),
                event,
                org_nr,
                org_name,
                gender,
            });
        }
    }

    fn indicator(&mut self, v: &RowView) {
        let name = self.need(v, Column::Indikator, value::text);
        let value = self.need(v, Column::Varde, value::decimal).filter(|x| {
            let ok = !x.is_sign_negative() || x.is_zero();
            if !ok {
                self.bad(v.loc(), Column::Varde, Message::NegativeIndicator { value: *x });
            }
            ok
        });
        let comment = self.text(v, Column::Kommentar);
        if let (Some(name), Some(value), Some(comment)) = (name, value, comment) {
            self.wb.indicators.push(IndicatorRow { loc: v.loc(), name, value, comment });
        }
    }

    fn narrative(&mut self, v: &RowView) {
        let activity = self.need(v, Column::Aktivitet, value::text);
        let done = self.need(v, Column::Genomfort, value::text);
        let results = self.text(v, Column::Resultat);
        let deviations = self.text(v, Column::Avvikelser);
        if let (Some(activity), Some(done), Some(results), Some(deviations)) = (activity, done, results, deviations) {
            self.wb.narratives.push(NarrativeRow {
                loc: v.loc(),
                activity: activity_code(&activity),
                done,
                results,
                deviations,
            });
        }
    }

    fn other_cost(&mut self, v: &RowView) {
        let voucher = self.need(v, Column::Verifikation, value::text);
        let date = self.need(v, Column::Datum, value::date);
        let category = self.need(v, Column::Kostnadsslag, |r| {
            let t = value::text(r)?;
            contract::canonical(&KOSTNADSSLAG, &t).ok_or_else(|| CellProblem::NotCostCategory(t.clone()))
        });
        let description = self.text(v, Column::Beskrivning);
        let activity = self.need(v, Column::Aktivitet, value::text);
        let amount = self.need(v, Column::Belopp, value::amount);
        if let (Some(voucher), Some(date), Some(category), Some(description), Some(activity), Some(amount)) =
            (voucher, date, category, description, activity, amount)
        {
            self.wb.other_costs.push(OtherCostRow {
                loc: v.loc(),
                voucher,
                date,
                category,
                description,
                activity: activity_code(&activity),
                amount,
            });
        }
    }

    fn payment(&mut self, v: &RowView) {
        let date = self.need(v, Column::Datum, value::date);
        let financier = self.need(v, Column::Finansiar, value::text);
        let org_nr = match self.opt(v, Column::Organisationsnummer, value::text) {
            Ok(Some(t)) => match OrgNr::parse(&t) {
                Some(o) => Ok(Some(o)),
                None => {
                    self.bad(v.loc(), Column::Organisationsnummer, Message::InvalidFinancierOrgnr { text: t });
                    Err(())
                }
            },
            Ok(None) => Ok(None),
            Err(()) => Err(()),
        };
        let kind = self.need(v, Column::Typ, |r| {
            let t = value::text(r)?;
            match contract::canonical(&TYP, &t) {
                Some("Privat kontant") => Ok(FinancierKind::Private),
                Some(_) => Ok(FinancierKind::Public),
                None => Err(CellProblem::NotFinancingKind(t)),
            }
        });
        // A negative amount is refused by `value::amount` (a finding at the cell).
        let amount = self.need(v, Column::Belopp, value::amount);
        let voucher = self.text(v, Column::Verifikation);
        let comment = self.text(v, Column::Kommentar);
        if let (Some(date), Some(financier), Ok(org_nr), Some(kind), Some(amount), Some(voucher), Some(comment)) =
            (date, financier, org_nr, kind, amount, voucher, comment)
        {
            self.wb.payments.push(PaymentRow { loc: v.loc(), date, financier, org_nr, kind, amount, voucher, comment });
        }
    }
}
