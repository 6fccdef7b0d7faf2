//! The claim workbook (`ansokan-<from>_<to>.xlsx`): the reconciled figures laid out the way the
//! project economist types them into Tillväxtverket's *Min ansökan*, with everything needed to
//! check them.
//!
//! Ten sheets in a fixed order ([`SHEETS`]): a summary with charts and the support across
//! claims, staff lines (each marked with what it concerns and whether the person is registered
//! in Min ansökan), partners, earlier months (late months and corrections this claim carries),
//! the activity plan, in-kind contributions, financing, indicators, findings and source files. Every
//! figure comes from [`Figures`]; this module only lays them out. Amounts, hours and percentages
//! are number cells (the `f64` is taken from the exact decimal at the moment of writing), dates
//! are date cells, and text that came from partners is always written as a string, never as a
//! formula. Totals rows hold `SUBTOTAL` formulas (so a filtered table shows its own subtotal in
//! Excel) whose cached value is the model's total, so a reader that does not recalculate shows
//! the reconciled figure. Document properties carry a creation time taken from the inputs, so
//! the same inputs give the same bytes.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartFont, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, DocProperties,
    Workbook, Worksheet, XlsxError,
};

pub(super) mod layout;

use layout::{Cell, Col, Formats, Sheet, TableRef, Titles, Total, col, excel_date, num, text, write_cell};

use super::EmitError;
use crate::finding::Severity;
use crate::ledger::LineKind;
use crate::project::FinancierKind;
use crate::reconcile::model::{
    ActivityFigures, Adjustment, Concerns, Figures, FinancingLine, FinancingRole, OrgFigures, StaffLine, StaffTotals,
};

/// Sheet names, in workbook order.
pub const SHEETS: [&str; 10] = [
    "Sammanställning",
    "Personal",
    "Projektparter",
    "Tidigare månader",
    "Aktiviteter",
    "Bidrag i annat än pengar",
    "Finansiering",
    "Indikatorer",
    "Avvikelser",
    "Källfiler",
];

/// Renders `ansokan-<from>_<to>.xlsx`.
pub fn render(figures: &Figures) -> Result<Vec<u8>, EmitError> {
    build(figures).map_err(|e| EmitError::Xlsx(e.to_string()))
}

fn build(f: &Figures) -> Result<Vec<u8>, XlsxError> {
    let fm = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(f)?);
    let titles = Titles { project: format!("Projekt {} {}", f.project_id, f.project_name), period: period_text(f) };
    let chart_row = summary_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    staff_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    let orgs = partners_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    earlier_months_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    let wps = activities_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    in_kind_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    financing_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    indicators_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    findings_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    files_sheet(wb.add_worksheet(), f, &fm, &titles)?;
    let summary = wb.worksheet_from_name(SHEETS[0])?;
    insert_charts(summary, chart_row, &orgs, &wps)?;
    wb.save_to_buffer()
}

/// Title, author and a creation time from the inputs: nothing depends on the clock.
fn properties(f: &Figures) -> Result<DocProperties, XlsxError> {
    let d = f.document_date();
    let created = excel_date(d)?;
    Ok(DocProperties::new()
        .set_title(format!("Ansökan om utbetalning {} – {}", f.project_id, period_text(f)))
        .set_subject(f.project_name.as_str())
        .set_author("redovisa")
        .set_company(f.owner_name.as_str())
        .set_creation_datetime(&created))
}

fn period_text(f: &Figures) -> String {
    format!("{} – {}", f.period.from, f.period.to)
}

fn yes_no(b: bool) -> &'static str {
    if b { "Ja" } else { "Nej" }
}

fn kind_text(kind: FinancierKind) -> &'static str {
    match kind {
        FinancierKind::Public => "Offentlig",
        FinancierKind::Private => "Privat",
    }
}

fn org_type(o: &OrgFigures) -> String {
    let kind =
        if o.in_kind { format!("Medfinansiär, {}", kind_text(o.kind).to_lowercase()) } else { "Projektpart".into() };
    match o.months_in_decision() {
        Some(months) => format!("{kind}, {months}"),
        None => kind,
    }
}

/// `Sammanställning`: the project, the costs by category against the budget, the support.
/// Returns the row where the charts go.
fn summary_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<u32, XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[0], titles)?;
    s.ws.set_active(true);
    let title = if f.claim {
        "Ansökan om utbetalning – sammanställning"
    } else {
        "Lägesavstämning – sammanställning (inte en ansökan: även oattesterade arbetsböcker räknas)"
    };
    s.ws.write_string_with_format(0, 0, title, &fm.title)?;
    s.ws.set_row_height(0, 24)?;
    let facts: [(&str, Vec<Cell>); 7] = [
        ("Projekt", vec![text(&f.project_name)]),
        ("Projektnummer", vec![text(&f.project_id)]),
        ("Projektägare", vec![text(&f.owner_name)]),
        ("Projektets tid", vec![Cell::Date(f.project_start), Cell::Date(f.project_end)]),
        ("Ansökningsperiod", vec![Cell::Date(f.period.from.first_day()), Cell::Date(f.period.to.last_day())]),
        (
            "Underlag",
            vec![text(if f.claim {
                "Attesterade arbetsböcker (ansökan)"
            } else {
                "Alla lästa arbetsböcker, även oattesterade (lägesavstämning)"
            })],
        ),
        (
            "Fel i underlaget",
            vec![text(if f.has_errors() {
                "Ja – rader eller filer är utelämnade, se bladet Avvikelser"
            } else {
                "Nej"
            })],
        ),
    ];
    let mut row = 2;
    for (label, cells) in &facts {
        s.ws.write_string_with_format(row, 0, *label, &fm.label)?;
        for (i, cell) in cells.iter().enumerate() {
            match cell {
                // Facts read as a form: dates flush left like the text beside them.
                Cell::Date(d) => {
                    s.ws.write_datetime_with_format(row, 1 + i as u16, &excel_date(*d)?, &fm.date_left)?;
                }
                _ => write_cell(s.ws, fm, row, 1 + i as u16, cell)?,
            }
        }
        row += 1;
    }
    row += 1;
    s.heading(fm, row, "Kostnader per kostnadsslag")?;
    row += 1;
    let (t, c, b) = (&f.totals, &f.cumulative, &f.budget);
    let cols = [
        col("Kostnadsslag", 46.0).total(Total::Label("Summa stödgrundande kostnader")),
        col("Perioden", 18.0).total(Total::Sum(t.eligible)),
        col("Ackumulerat", 18.0).total(Total::Sum(c.eligible)),
        col("Godkänd budget", 18.0).total(Total::Sum(b.total.budget)),
        col("Förbrukat", 12.0).total(Total::Share { num: "Ackumulerat", den: "Godkänd budget", value: b.total.used }),
        col("Återstår", 18.0).total(Total::Sum(b.total.remaining)),
    ];
    let line = |label: &str, period: Decimal, cum: Decimal, budget: &crate::reconcile::model::BudgetLine| {
        vec![
            text(label),
            Cell::Money(period),
            Cell::Money(cum),
            Cell::Money(budget.budget),
            Cell::Share(budget.used),
            Cell::Money(budget.remaining),
        ]
    };
    let rows = vec![
        line("Personalkostnader", t.staff, c.staff, &b.staff),
        line("Schablonkostnader och indirekta kostnader", t.flat_rate, c.flat_rate, &b.flat_rate),
        line("Övriga kostnader", t.other, c.other, &b.other),
        line("Bidrag i annat än pengar", t.in_kind, c.in_kind, &b.in_kind),
    ];
    let (next, _) = s.table(fm, "Kostnadsslag", row, &cols, &rows, true, "")?;
    row = next;
    for (label, period, cum) in [
        ("varav offentligt bidrag i annat än pengar", t.in_kind_public, c.in_kind_public),
        ("varav privat bidrag i annat än pengar", t.in_kind_private, c.in_kind_private),
    ] {
        s.ws.write_string_with_format(row, 0, label, &fm.text)?;
        write_cell(s.ws, fm, row, 1, &Cell::Money(period))?;
        write_cell(s.ws, fm, row, 2, &Cell::Money(cum))?;
        row += 1;
    }
    row += 1;
    s.heading(fm, row, "Stöd")?;
    row += 1;
    let sup = &f.support;
    let support_rows: [(&str, Cell, bool); 8] = [
        ("Stödandel", Cell::Rate(t.support_rate), false),
        ("Stöd enligt stödandelen för perioden", Cell::Money(t.support_uncapped), false),
        ("Stöd som begärs i den här ansökan", Cell::Money(t.support), true),
        ("Stöd begärt i tidigare ansökningar", Cell::Money(sup.claimed_before), false),
        ("Stöd begärt totalt, med den här ansökan", Cell::Money(sup.claimed_total), false),
        ("Beviljat stöd (tak)", Cell::Money(sup.approved), false),
        ("Återstår av beviljat stöd", Cell::Money(sup.remaining), false),
        ("Taket för beviljat stöd begränsar perioden", text(yes_no(sup.capped)), false),
    ];
    for (label, cell, bold) in &support_rows {
        s.ws.write_string_with_format(row, 0, *label, if *bold { &fm.label } else { &fm.text })?;
        match cell {
            Cell::Money(d) if *bold => {
                s.ws.write_number_with_format(row, 1, num(*d), &fm.money_bold)?;
            }
            _ => write_cell(s.ws, fm, row, 1, cell)?,
        }
        row += 1;
    }
    row += 1;
    s.heading(fm, row, "Ansökningar under projektets tid")?;
    row += 1;
    let claim_cols = [
        col("Ansökan", 46.0).total(Total::Label("Summa, med den här ansökan")),
        col("Period", 18.0),
        col("Stödgrundande", 18.0).total(Total::Sum(sup.eligible_all_claims)),
        col("Stöd", 18.0).total(Total::Sum(sup.claimed_total)),
    ];
    let mut claim_rows: Vec<Vec<Cell>> = sup
        .earlier
        .iter()
        .map(|c| {
            vec![
                text(format!("Ansökan {} (inskickad)", c.seq)),
                text(format!("{} – {}", c.from, c.to)),
                Cell::Money(c.eligible),
                Cell::Money(c.support),
            ]
        })
        .collect();
    let this = f.claim_seq;
    for (label, eligible) in [
        (format!("Ansökan {this}: periodens månader"), sup.eligible_period),
        (format!("Ansökan {this}: sena månader (bladet Tidigare månader)"), sup.eligible_late),
        (format!("Ansökan {this}: rättelser (bladet Tidigare månader)"), sup.eligible_corrections),
    ] {
        claim_rows.push(vec![text(label), text(period_text(f)), Cell::Money(eligible), Cell::Empty]);
    }
    claim_rows.push(vec![
        text(format!("Ansökan {this}: stöd som begärs")),
        text(period_text(f)),
        Cell::Empty,
        Cell::Money(t.support),
    ]);
    let (next, _) = s.table(fm, "Ansokningar", row, &claim_cols, &claim_rows, true, "")?;
    row = next;
    if !sup.eligible_held.is_zero() {
        s.ws.write_string_with_format(row, 0, "Rättelser som hålls inne (ingår inte ovan)", &fm.text)?;
        write_cell(s.ws, fm, row, 2, &Cell::Money(sup.eligible_held))?;
        row += 1;
    }
    if !f.changes.is_empty() {
        row += 1;
        s.heading(fm, row, "Ändringsbeslut")?;
        row += 1;
        let change_cols = [
            col("Ändringsbeslut", 46.0),
            col("Beslutat", 18.0),
            col("I kraft från", 18.0),
            col("Vad som ändrades", 60.0),
            col("Retroaktivt", 40.0),
        ];
        let change_rows: Vec<Vec<Cell>> = f
            .changes
            .iter()
            .map(|c| {
                vec![
                    text(&c.number),
                    Cell::Date(c.decided),
                    text(if c.submitted {
                        format!("Ansökan {}", c.claim)
                    } else {
                        format!("Ansökan {} (den här)", c.claim)
                    }),
                    text(&c.what),
                    text(c.retroactive.as_deref().unwrap_or("Nej")),
                ]
            })
            .collect();
        let (next, _) = s.table(fm, "Andringsbeslut", row, &change_cols, &change_rows, false, "")?;
        row = next;
    }
    s.finish(0, None)?;
    Ok(row + 1)
}

/// The two charts of `Sammanställning`, side by side on their own printed page, drawn from the
/// tables of `Projektparter` and `Aktiviteter`.
fn insert_charts(ws: &mut Worksheet, row: u32, orgs: &TableRef, wps: &TableRef) -> Result<(), XlsxError> {
    ws.set_page_breaks(&[row])?;
    // The summary on the first printed page, the charts on the second: a few rows too many
    // (a long list of claims or change decisions) shrink the first page rather than spill.
    ws.set_print_fit_to_pages(1, 2);
    let orgs_n = orgs.last_row - orgs.first_row + 1;
    let wps_n = wps.last_row - wps.first_row + 1;
    let height = (120 + 30 * orgs_n).max(120 + 60 * wps_n);
    // Projektparter, cumulative table: each organisation's cumulative sum against its budget.
    let mut by_org = bar_chart("Ackumulerad kostnad mot godkänd budget per organisation", height);
    let org_names = orgs.column("Projektpart")?;
    for (name, header, colour) in
        [("Ackumulerat", "Summa ack.", ACCUMULATED), ("Godkänd budget", "Godkänd budget", BUDGET)]
    {
        let col = orgs.column(header)?;
        by_org
            .add_series()
            .set_name(name)
            .set_categories((orgs.sheet, orgs.first_row, org_names, orgs.last_row, org_names))
            .set_values((orgs.sheet, orgs.first_row, col, orgs.last_row, col))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)));
    }
    ws.insert_chart(row, 0, &by_org)?;
    // Aktiviteter, work packages: the period, cumulative and budget per work package.
    let mut by_wp = bar_chart("Kostnad per arbetspaket mot budget", height);
    let wp_names = wps.column("Namn")?;
    for (name, header, colour) in [
        ("Perioden", "Kostnad perioden", PERIOD),
        ("Ackumulerat", "Kostnad ack.", ACCUMULATED),
        ("Budget", "Budget", BUDGET),
    ] {
        let col = wps.column(header)?;
        by_wp
            .add_series()
            .set_name(name)
            .set_categories((wps.sheet, wps.first_row, wp_names, wps.last_row, wp_names))
            .set_values((wps.sheet, wps.first_row, col, wps.last_row, col))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)));
    }
    // Placed by pixels from column A, not at a column: the columns are narrower than the first
    // chart, which the second would otherwise cover.
    ws.insert_chart_with_offset(row, 0, &by_wp, CHART_WIDTH + 20, 0)?;
    Ok(())
}

/// One colour per meaning in both charts (and the reports' charts): what was spent so far,
/// the budget, this period.
const ACCUMULATED: &str = "#1F4E79";
const BUDGET: &str = "#A5A5A5";
const PERIOD: &str = "#70AD47";

/// Width of each chart on `Sammanställning`, pixels.
const CHART_WIDTH: u32 = 520;

/// A horizontal bar chart with categories top to bottom and Swedish kronor on the value axis.
fn bar_chart(title: &str, height: u32) -> Chart {
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(title).set_font(ChartFont::new().set_size(12).set_bold());
    // In a bar chart the x axis holds the values and the y axis the categories.
    chart.x_axis().set_num_format("[$-41D]#,##0 \"kr\"").set_major_gridlines(true);
    chart.y_axis().set_reverse().set_crossing(ChartAxisCrossing::Max);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(CHART_WIDTH).set_height(height);
    chart
}

/// The columns of a table of staff lines after its `lead` columns, in Min ansökan's order: the
/// personnummer on `Personal` only (`pnr`), the last amount named `cost`.
fn person_columns(lead: Vec<Col>, pnr: bool, cost: &'static str, t: &StaffTotals) -> Vec<Col> {
    let mut cols = lead;
    cols.push(col("Namn", 22.0));
    if pnr {
        cols.push(col("Personnummer", 14.5));
        cols.push(col("Min ansökan", 23.0));
    }
    cols.push(col("Avser", 17.0));
    cols.extend([
        col("Roll", 18.0),
        col("Startdatum", 11.0),
        col("Månadslön", 13.5),
        col("Timpris", 11.0),
        col("Timmar", 10.0).total(Total::SumHours(t.hours)),
        col("Lön", 17.0).total(Total::Sum(t.salary_cost)),
        col("Lönebikostnad %", 14.0),
        col("Lönebikostnad", 17.0).total(Total::Sum(t.on_cost)),
        col(cost, 17.0).total(Total::Sum(t.staff_cost)),
        col("Från månad", 9.0),
        col("Till månad", 9.0),
    ]);
    cols
}

/// A staff line's cells under [`person_columns`].
fn staff_cells(l: &StaffLine, lead: Vec<Cell>, pnr: bool) -> Vec<Cell> {
    let mut cells = lead;
    cells.push(text(&l.name));
    if pnr {
        cells.push(text(&l.personnummer));
        cells.push(text(match l.registered_in {
            Some(seq) => format!("Registrerad i ansökan {seq}"),
            None => "Ny – registreras".to_string(),
        }));
    }
    cells.push(text(match l.concerns {
        Concerns::Period => "Perioden".to_string(),
        Concerns::Late(m) => format!("Sen månad {m}"),
        Concerns::Correction(m) => format!("Rättelse {m}"),
    }));
    cells.extend([
        text(&l.role),
        Cell::Date(l.start),
        Cell::Money(l.monthly_salary),
        l.hourly_rate.map_or(Cell::Empty, Cell::Money),
        Cell::Hours(l.hours),
        Cell::Money(l.salary_cost),
        Cell::Rate(l.on_cost_rate),
        Cell::Money(l.on_cost),
        Cell::Money(l.staff_cost),
        Cell::Month(Some(l.first_month)),
        Cell::Month(Some(l.last_month)),
    ]);
    cells
}

/// `Personal`: the partners' staff lines in Min ansökan's order. Co-financiers' people are on
/// `Bidrag i annat än pengar`: Min ansökan takes them as in-kind contributions, not staff costs.
fn staff_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[1], titles)?;
    let lead = vec![col("Projektpart", 22.0).total(Total::Label("Summa"))];
    let cols = person_columns(lead, true, "Personalkostnad", &f.staff_totals);
    let rows: Vec<Vec<Cell>> =
        f.staff.iter().filter(|l| !l.in_kind).map(|l| staff_cells(l, vec![text(&l.org_name)], true)).collect();
    s.table(fm, "Personal", 0, &cols, &rows, true, "Inga personalkostnader i perioden")?;
    s.ws.set_freeze_panes(1, 2)?;
    s.finish(0, Some(0))
}

/// `Projektparter`: every organisation's costs by category, for the period and cumulatively
/// against its approved budget.
fn partners_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<TableRef, XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[2], titles)?;
    let (t, c) = (&f.totals, &f.cumulative);
    s.heading(fm, 0, &format!("Perioden {}", titles.period))?;
    let period_cols = [
        col("Projektpart", 30.0).total(Total::Label("Summa")),
        col("Organisationsnummer", 21.0),
        col("Typ", 22.0),
        col("Timmar", 11.0).total(Total::SumHours(t.hours)),
        col("Personal", 17.0).total(Total::Sum(t.staff)),
        col("Schablon", 17.0).total(Total::Sum(t.flat_rate)),
        col("Övriga", 17.0).total(Total::Sum(t.other)),
        col("I annat än pengar", 17.0).total(Total::Sum(t.in_kind)),
        col("Summa", 17.0).total(Total::Sum(t.eligible)),
    ];
    let amounts = |o: &OrgFigures, a: crate::reconcile::model::Amounts| -> [Cell; 5] {
        if o.in_kind {
            [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Money(a.total()), Cell::Money(a.total())]
        } else {
            [Cell::Money(a.staff), Cell::Money(a.flat_rate), Cell::Money(a.other), Cell::Empty, Cell::Money(a.total())]
        }
    };
    let rows: Vec<Vec<Cell>> = f
        .orgs
        .iter()
        .map(|o| {
            let mut r = vec![text(&o.name), text(&o.org_nr), text(org_type(o)), Cell::Hours(o.hours_period)];
            r.extend(amounts(o, o.period));
            r
        })
        .collect();
    let (next, _) = s.table(fm, "ParterPerioden", 1, &period_cols, &rows, true, "")?;
    let top = next + 1;
    s.heading(fm, top, "Ackumulerat från projektets start mot godkänd budget")?;
    let cum_cols = [
        col("Projektpart", 30.0).total(Total::Label("Summa")),
        col("Organisationsnummer", 21.0),
        col("Typ", 22.0),
        col("Timmar ack.", 11.0).total(Total::SumHours(c.hours)),
        col("Personal ack.", 17.0).total(Total::Sum(c.staff)),
        col("Schablon ack.", 17.0).total(Total::Sum(c.flat_rate)),
        col("Övriga ack.", 17.0).total(Total::Sum(c.other)),
        col("I annat än pengar ack.", 17.0).total(Total::Sum(c.in_kind)),
        col("Summa ack.", 17.0).total(Total::Sum(c.eligible)),
        col("Godkänd budget", 17.0).total(Total::Sum(f.budget.total.budget)),
        col("Förbrukat", 12.0).total(Total::Share {
            num: "Summa ack.",
            den: "Godkänd budget",
            value: f.budget.total.used,
        }),
    ];
    let rows: Vec<Vec<Cell>> = f
        .orgs
        .iter()
        .map(|o| {
            let mut r = vec![text(&o.name), text(&o.org_nr), text(org_type(o)), Cell::Hours(o.hours_cumulative)];
            r.extend(amounts(o, o.cumulative));
            r.extend([Cell::Money(o.budget_total.budget), Cell::Share(o.budget_total.used)]);
            r
        })
        .collect();
    let (_, table) = s.table(fm, "ParterAckumulerat", top + 1, &cum_cols, &rows, true, "")?;
    s.finish(2, None)?;
    Ok(TableRef { sheet: SHEETS[2], ..table })
}

/// `Tidigare månader`: the late months and corrections this claim carries, per organisation and
/// month, and the corrections held back. Per person they are on `Personal` (column `Avser`).
fn earlier_months_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[3], titles)?;
    s.heading(fm, 0, "Sena månader och rättelser av tidigare ansökningar (ingår i den här ansökan)")?;
    let t = &f.adjustment_totals;
    let cols = |taken: bool| {
        let sum = |d: Decimal| if taken { Total::Sum(d) } else { Total::None };
        vec![
            col("Projektpart", 26.0).total(if taken { Total::Label("Summa") } else { Total::None }),
            col("Organisationsnummer", 21.0),
            col("Månad", 9.0),
            col("Slag", 14.0).wrap(),
            col("Ändrar ansökan", 10.0),
            col("Timmar", 10.0).total(if taken { Total::SumHours(t.hours) } else { Total::None }),
            col("Personal", 16.0).total(sum(t.staff)),
            col("Schablon", 16.0).total(sum(t.flat_rate)),
            col("Övriga", 16.0).total(sum(t.other)),
            col("I annat än pengar", 16.0).total(sum(t.in_kind)),
            col("Stödgrundande", 16.0).total(sum(t.eligible)),
            col("Arbetsbok nu", 30.0).wrap(),
            col("Arbetsbok tidigare", 30.0).wrap(),
            col("SHA-256 nu", 46.0).small(),
            col("SHA-256 tidigare", 46.0).small(),
        ]
    };
    let row = |a: &Adjustment| -> Vec<Cell> {
        let money = |d: Decimal| if a.in_kind { Cell::Empty } else { Cell::Money(d) };
        vec![
            text(&a.org_name),
            text(&a.org_nr),
            Cell::Month(Some(a.month)),
            text(match (a.kind, a.changes.as_slice()) {
                (LineKind::Late, _) => "Sen månad".to_string(),
                (_, []) => "Rättelse".to_string(),
                (_, changes) => format!("Rättelse, ändringsbeslut {}", changes.join(", ")),
            }),
            Cell::Count(a.claim.map(u64::from)),
            Cell::Hours(a.hours),
            money(a.amounts.staff),
            money(a.amounts.flat_rate),
            money(a.amounts.other),
            Cell::Money(a.in_kind_value()),
            Cell::Money(a.amounts.total()),
            text(&a.path),
            text(&a.previous_path),
            text(&a.sha256),
            text(&a.previous_sha256),
        ]
    };
    let taken: Vec<Vec<Cell>> = f.adjustments.iter().filter(|a| !a.held).map(row).collect();
    let (next, _) = s.table(
        fm,
        "TidigareManader",
        1,
        &cols(true),
        &taken,
        true,
        "Inga sena månader eller rättelser i den här ansökan",
    )?;
    let top = next + 1;
    s.heading(fm, top, "Rättelser som hålls inne (ingår inte i den här ansökan)")?;
    let held: Vec<Vec<Cell>> = f.adjustments.iter().filter(|a| a.held).map(row).collect();
    s.table(fm, "RattelserInne", top + 1, &cols(false), &held, false, "Inga rättelser hålls inne")?;
    // The amounts on one printed page, the workbooks and their checksums on the next (with the
    // organisation, its number and the month again): on one page they print too small to read.
    let files = cols(true).iter().position(|c| c.header == "Arbetsbok nu").unwrap_or(0) as u16;
    s.print_in_two(files, 3)?;
    s.finish(1, None)
}

/// `Aktiviteter`: work packages, then activities, against the plan's budgets.
fn activities_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<TableRef, XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[4], titles)?;
    let p = &f.plan_totals;
    s.heading(fm, 0, "Arbetspaket")?;
    let wp_cols = [
        col("Arbetspaket", 11.0).total(Total::Label("Summa")),
        col("Namn", 46.0).wrap(),
        col("Startdatum", 11.5),
        col("Slutdatum", 11.5),
        col("Timmar perioden", 12.0).total(Total::SumHours(p.hours_period)),
        col("Kostnad perioden", 17.0).total(Total::Sum(p.period)),
        col("Timmar ack.", 12.0).total(Total::SumHours(p.hours_cumulative)),
        col("Kostnad ack.", 17.0).total(Total::Sum(p.cumulative)),
        col("Budget", 17.0).total(Total::Sum(p.budget.budget)),
        col("Förbrukat", 12.0).total(Total::Share { num: "Kostnad ack.", den: "Budget", value: p.budget.used }),
    ];
    let rows: Vec<Vec<Cell>> = f.work_packages.iter().map(activity_row).collect();
    let (next, wps) = s.table(fm, "Arbetspaket", 1, &wp_cols, &rows, true, "")?;
    let top = next + 1;
    s.heading(fm, top, "Aktiviteter")?;
    // Activity budgets need not add up to the work packages', so only amounts get totals here.
    let act_cols = [
        col("Aktivitet", 11.0).total(Total::Label("Summa")),
        col("Namn", 46.0).wrap(),
        col("Startdatum", 11.5),
        col("Slutdatum", 11.5),
        col("Timmar perioden", 12.0).total(Total::SumHours(p.hours_period)),
        col("Kostnad perioden", 17.0).total(Total::Sum(p.period)),
        col("Timmar ack.", 12.0).total(Total::SumHours(p.hours_cumulative)),
        col("Kostnad ack.", 17.0).total(Total::Sum(p.cumulative)),
        col("Budget", 17.0),
        col("Förbrukat", 12.0),
    ];
    let rows: Vec<Vec<Cell>> = f.activities.iter().map(activity_row).collect();
    s.table(fm, "Aktiviteter", top + 1, &act_cols, &rows, true, "")?;
    s.finish(2, None)?;
    Ok(TableRef { sheet: SHEETS[4], ..wps })
}

/// `Bidrag i annat än pengar`: per co-financier, then per person with the cost computation.
/// A work package's or an activity's line: code, name, dates, hours and cost for the period
/// and cumulatively, budget and share used.
fn activity_row(a: &ActivityFigures) -> Vec<Cell> {
    vec![
        text(&a.code),
        text(&a.name),
        Cell::Date(a.start),
        Cell::Date(a.end),
        Cell::Hours(a.hours_period),
        Cell::Money(a.period),
        Cell::Hours(a.hours_cumulative),
        Cell::Money(a.cumulative),
        Cell::Money(a.budget.budget),
        Cell::Share(a.budget.used),
    ]
}

fn in_kind_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[5], titles)?;
    let (t, c, b, p) = (&f.totals, &f.cumulative, &f.budget.in_kind, &f.in_kind_staff_totals);
    s.heading(fm, 0, "Per medfinansiär")?;
    let org_cols = [
        col("Medfinansiär", 26.0).total(Total::Label("Summa")),
        col("Offentlig eller privat", 11.0),
        col("Organisationsnummer", 21.0),
        col("Timmar perioden", 12.0).total(Total::SumHours(p.hours)),
        col("Värde perioden", 16.0).total(Total::Sum(t.in_kind)),
        col("Värde ack.", 16.0).total(Total::Sum(c.in_kind)),
        col("Godkänd budget", 16.0).total(Total::Sum(b.budget)),
        col("Förbrukat", 12.0).total(Total::Share { num: "Värde ack.", den: "Godkänd budget", value: b.used }),
    ];
    let rows: Vec<Vec<Cell>> = f
        .cofinanciers()
        .map(|o| {
            vec![
                text(&o.name),
                text(kind_text(o.kind)),
                text(&o.org_nr),
                Cell::Hours(o.hours_period),
                Cell::Money(o.period.total()),
                Cell::Money(o.cumulative.total()),
                Cell::Money(o.budget_total.budget),
                Cell::Share(o.budget_total.used),
            ]
        })
        .collect();
    let (next, _) = s.table(fm, "Medfinansiarer", 1, &org_cols, &rows, true, "Inga medfinansiärer")?;
    let top = next + 1;
    s.heading(fm, top, "Per person (timmar × timpris + lönebikostnad)")?;
    // No personnummer here: in kind is reported as a value per co-financier.
    let lead = vec![col("Medfinansiär", 26.0).total(Total::Label("Summa")), col("Offentlig eller privat", 11.0)];
    let person_cols = person_columns(lead, false, "Värde", p);
    let rows: Vec<Vec<Cell>> = f
        .staff
        .iter()
        .filter(|l| l.in_kind)
        .map(|l| staff_cells(l, vec![text(&l.org_name), text(kind_text(l.kind))], false))
        .collect();
    s.table(fm, "BidragPersoner", top + 1, &person_cols, &rows, true, "Ingen tid i annat än pengar i perioden")?;
    s.finish(2, None)
}

/// `Finansiering`: the financing plan against the period and the project so far, cash
/// co-financing as paid in; the computed remainder apart, explained.
fn financing_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[6], titles)?;
    let cols = [
        col("Finansiering", 52.0).wrap(),
        col("Finansiär", 30.0),
        col("Enligt plan", 18.0),
        col("Perioden", 18.0),
        col("Ackumulerat", 18.0),
    ];
    let plan: Vec<&FinancingLine> = f.financing.iter().filter(|l| l.role != FinancingRole::Remainder).collect();
    let cells = |l: &FinancingLine| {
        vec![text(&l.label), text(&l.financier), Cell::Money(l.plan), Cell::Money(l.period), Cell::Money(l.cumulative)]
    };
    let rows: Vec<Vec<Cell>> = plan.iter().map(|l| cells(l)).collect();
    let (next, _) = s.table(fm, "Finansiering", 0, &cols, &rows, false, "Ingen finansieringsplan")?;
    // The plan's sum lines stand out.
    for (i, l) in plan.iter().enumerate().filter(|(_, l)| l.role == FinancingRole::Sum) {
        let r = 1 + i as u32;
        s.ws.write_string_with_format(r, 0, &l.label, &fm.label)?;
        for (c, d) in [(2u16, l.plan), (3, l.period), (4, l.cumulative)] {
            s.ws.write_number_with_format(r, c, num(d), &fm.money_bold)?;
        }
    }
    s.note(fm, next, PAID_IN_NOTE)?;
    let mut next = next + 2;
    let remainder: Vec<Vec<Cell>> =
        f.financing.iter().filter(|l| l.role == FinancingRole::Remainder).map(cells).collect();
    if !remainder.is_empty() {
        let cols = [
            col("Beräknat, inte inbetalt", 52.0).wrap(),
            col("Finansiär", 30.0),
            col("Enligt plan", 18.0),
            col("Perioden", 18.0),
            col("Ackumulerat", 18.0),
        ];
        let (after, _) = s.table(fm, "Restbelopp", next, &cols, &remainder, false, "")?;
        s.note(fm, after, REMAINDER_NOTE)?;
        next = after + 1;
    }
    let next = cofinancing_tables(&mut s, f, fm, next + 1)?;
    payments_table(&mut s, f, fm, next + 1)?;
    s.finish(1, Some(0))
}

/// Which cash figure goes into Min ansökan (`docs/outputs.md`, "Finansiering").
const PAID_IN_NOTE: &str = "Kontant medfinansiering är det som har betalats in enligt parternas blad \
     Medfinansiering: det är beloppen som förs in i Min ansökan.";

/// What the computed remainder is, and that it is not paid in.
const REMAINDER_NOTE: &str = "Beräknat belopp: stödgrundande kostnader minus stöd och bidrag i annat än pengar, \
     alltså den del av kostnaderna som kontant medfinansiering ska täcka. Det är ingen inbetalning och förs inte \
     in i Min ansökan; skillnaden mot det inbetalda visar hur mycket som återstår att betala in, eller som har \
     betalats in i förväg.";

fn booked(external: bool) -> &'static str {
    if external { "Extern: bokförs separat" } else { "Projektpartens egna medel" }
}

/// Inbetald medfinansiering per financier and partner, then per financier and per kind.
fn cofinancing_tables(s: &mut Sheet, f: &Figures, fm: &Formats, top: u32) -> Result<u32, XlsxError> {
    let c = &f.cofinancing;
    let total = c.total.as_ref();
    let sum = |get: fn(&crate::reconcile::model::CofinancingTotal) -> rust_decimal::Decimal| {
        Total::Sum(total.map_or(Decimal::ZERO, get))
    };
    s.heading(fm, top, "Inbetald kontant medfinansiering per finansiär och projektpart (bladet Medfinansiering)")?;
    let cols = [
        col("Finansiär", 30.0).total(Total::Label("Summa")),
        col("Organisationsnummer", 16.0),
        col("Typ", 11.0),
        col("Projektpart", 24.0),
        col("Bokförs", 24.0),
        col("Beslutat", 16.0).total(sum(|t| t.decided)),
        col("Inbetalt perioden", 16.0).total(sum(|t| t.paid_period)),
        col("Inbetalt ack.", 16.0).total(sum(|t| t.paid_cumulative)),
        col("Andel av beslutat", 12.0).total(Total::Share {
            num: "Inbetalt ack.",
            den: "Beslutat",
            value: total.and_then(|t| t.share_decided),
        }),
        col("Andel av budget begärd", 12.0),
        col("Släpar efter", 10.0),
    ];
    let rows: Vec<Vec<Cell>> = c
        .lines
        .iter()
        .map(|l| {
            vec![
                text(&l.financier),
                text(&l.org_nr),
                text(kind_text(l.kind)),
                text(&l.partner),
                text(booked(l.external)),
                Cell::Money(l.decided),
                Cell::Money(l.paid_period),
                Cell::Money(l.paid_cumulative),
                Cell::Share(l.share_decided),
                Cell::Share(l.share_claimed),
                text(yes_no(l.lagging)),
            ]
        })
        .collect();
    let (next, _) = s.table(fm, "Inbetalt", top + 1, &cols, &rows, true, "Ingen kontant medfinansiering i planen")?;
    let top = next + 1;
    s.heading(fm, top, "Per finansiär och typ")?;
    let cols = [
        col("Finansiär eller typ", 36.0),
        col("Organisationsnummer", 16.0),
        col("Typ", 11.0),
        col("Bokförs", 24.0),
        col("Beslutat", 16.0),
        col("Inbetalt perioden", 16.0),
        col("Inbetalt ack.", 16.0),
        col("Andel av beslutat", 12.0),
    ];
    let rows: Vec<Vec<Cell>> = c
        .by_financier
        .iter()
        .map(|t| (t, true))
        .chain(c.by_kind.iter().chain(total).map(|t| (t, false)))
        .map(|(t, financier)| {
            vec![
                text(&t.label),
                text(&t.org_nr),
                t.kind.map_or(Cell::Empty, |k| text(kind_text(k))),
                if financier { text(booked(t.external)) } else { Cell::Empty },
                Cell::Money(t.decided),
                Cell::Money(t.paid_period),
                Cell::Money(t.paid_cumulative),
                Cell::Share(t.share_decided),
            ]
        })
        .collect();
    let (next, _) = s.table(fm, "InbetaltSummor", top + 1, &cols, &rows, false, "Ingen kontant medfinansiering")?;
    Ok(next)
}

/// One line per payment of the months this claim takes.
fn payments_table(s: &mut Sheet, f: &Figures, fm: &Formats, top: u32) -> Result<u32, XlsxError> {
    s.heading(fm, top, "Transaktionslista: inbetalningar i månaderna som ansökan tar med")?;
    let paid: Decimal = f.cofinancing.payments.iter().map(|p| p.amount).sum();
    let cols = [
        col("Datum", 12.0).total(Total::Label("Summa")),
        col("Finansiär", 30.0),
        col("Organisationsnummer", 16.0),
        col("Typ", 11.0),
        col("Projektpart", 24.0),
        col("Bokförs", 24.0),
        col("Verifikation", 14.0),
        col("Belopp", 16.0).total(Total::Sum(paid)),
        col("Månad", 10.0),
        col("Avser", 14.0),
        col("Kommentar", 30.0).wrap(),
        col("Fil", 34.0).wrap(),
    ];
    let rows: Vec<Vec<Cell>> = f
        .cofinancing
        .payments
        .iter()
        .map(|p| {
            let concerns = match p.concerns {
                LineKind::Period => "Perioden",
                LineKind::Late => "Sen månad",
                LineKind::Correction => "Rättad månad",
            };
            vec![
                Cell::Date(p.date),
                text(&p.financier),
                text(&p.org_nr),
                text(kind_text(p.kind)),
                text(&p.partner),
                text(booked(p.external)),
                text(&p.voucher),
                Cell::Money(p.amount),
                Cell::Month(Some(p.month)),
                text(concerns),
                text(&p.comment),
                text(&p.file),
            ]
        })
        .collect();
    let (next, _) = s.table(fm, "Transaktioner", top + 1, &cols, &rows, true, "Inga inbetalningar i ansökan")?;
    Ok(next)
}

fn indicator_kind(kind: &str) -> String {
    match kind {
        "output" => "Utfallsindikator".into(),
        "result" => "Resultatindikator".into(),
        other => other.into(),
    }
}

/// `Indikatorer`: each indicator's cumulative value (what Min ansökan takes) against its target,
/// what is new in this claim, and the participant registrations by gender where counted.
fn indicators_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[7], titles)?;
    let cols = [
        col("Indikator", 50.0).wrap(),
        col("Kod", 8.0),
        col("Typ", 16.0),
        col("Enhet", 18.0),
        col("Målvärde", 11.0),
        col("Ackumulerat", 12.0),
        col("Nytt i perioden", 12.0),
        col("Andel av mål, %", 11.0),
        col("Deltagarregistreringar", 14.0),
        col("Kvinnor", 9.0),
        col("Män", 9.0),
        col("Ej angivet", 9.0),
    ];
    let rows: Vec<Vec<Cell>> = f
        .indicators
        .iter()
        .map(|i| {
            let g = |n: fn(&crate::reconcile::model::GenderCount) -> u32| {
                Cell::Count(i.gender.as_ref().map(|x| u64::from(n(x))))
            };
            vec![
                text(&i.name),
                text(&i.code),
                text(indicator_kind(&i.kind)),
                text(&i.unit),
                Cell::Number(i.target),
                Cell::Number(i.cumulative),
                Cell::Number(i.period),
                i.percent_of_target.map_or(Cell::Empty, Cell::Number),
                g(|x| x.total()),
                g(|x| x.women),
                g(|x| x.men),
                g(|x| x.not_stated),
            ]
        })
        .collect();
    let (next, _) = s.table(fm, "Indikatorer", 0, &cols, &rows, false, "Inga indikatorer")?;
    s.note(fm, next + 1, INDICATOR_NOTE)?;
    s.finish(1, Some(0))
}

/// What the `Indikatorer` sheet's columns mean (`docs/rules.md`, "Indicators").
const INDICATOR_NOTE: &str = "Ackumulerat är värdet från projektets start, det som förs in i Min ansökan; en \
     organisation räknas en gång under hela projektet. Nytt i perioden är det ackumulerade värdet minus det som \
     förra ansökan redovisade, så att periodernas värden summeras till det ackumulerade. Andel av mål är avrundad \
     nedåt till hela procent: 100 % betyder att målet är nått. Kvinnor, män och ej angivet delar upp \
     deltagarregistreringarna (en per deltagare och träff), inte indikatorns antal organisationer.";

/// `Avvikelser`: every finding of the run with its place.
fn findings_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[8], titles)?;
    let cols = [
        col("Allvarlighet", 10.0),
        col("Kod", 27.0),
        col("Projektpart", 22.0),
        col("Fil", 34.0).wrap(),
        col("Blad och cell", 16.0),
        col("Meddelande", 80.0).wrap(),
    ];
    let name_of = |folder: &str| {
        f.orgs.iter().find(|o| o.folder == folder).map_or_else(|| folder.to_string(), |o| o.name.clone())
    };
    let rows: Vec<Vec<Cell>> = f
        .findings
        .iter()
        .map(|x| {
            vec![
                text(match x.severity {
                    Severity::Error => "Fel",
                    Severity::Warning => "Varning",
                }),
                text(x.code.as_str()),
                text(x.place.partner.as_deref().map_or_else(String::new, name_of)),
                text(x.place.file.as_deref().unwrap_or("")),
                text(x.place.sheet_cell()),
                text(&x.message),
            ]
        })
        .collect();
    s.table(fm, "Avvikelser", 0, &cols, &rows, false, "Inga avvikelser")?;
    s.finish(1, Some(0))
}

/// `Källfiler`: every file seen in the inbox and what became of it.
fn files_sheet(ws: &mut Worksheet, f: &Figures, fm: &Formats, titles: &Titles) -> Result<(), XlsxError> {
    let mut s = Sheet::new(ws, SHEETS[9], titles)?;
    let cols = [
        col("Fil", 40.0).wrap(),
        col("Projektpart", 22.0),
        col("Månad", 9.0),
        col("Version", 8.0),
        col("Status", 10.0),
        col("Statuskod", 10.0),
        col("Anmärkning", 36.0).wrap(),
        col("SHA-256", 46.0).small(),
    ];
    let rows: Vec<Vec<Cell>> = f
        .files
        .iter()
        .map(|x| {
            vec![
                text(&x.path),
                text(x.org_name.as_deref().unwrap_or("")),
                Cell::Month(x.month),
                Cell::Count(x.version.map(u64::from)),
                text(x.status.swedish()),
                text(x.status.to_string()),
                text(&x.note),
                text(&x.sha256),
            ]
        })
        .collect();
    s.table(fm, "Kallfiler", 0, &cols, &rows, false, "Inga filer i inkorgen")?;
    s.finish(1, Some(0))
}
