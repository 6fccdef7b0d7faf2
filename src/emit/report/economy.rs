//! The reports' economy: costs by category, per partner, per co-financier (in kind) and per work
//! package and activity against the budget; support and the financing plan with cash
//! co-financing as paid in; and the charts. The progress report shows the period beside the
//! cumulative figures ([`economy`], its section 5); the final report takes the same tables with
//! the outcome against the budget and the plan (`super::closing`).

use super::sections::{Charts, Ctx, amount_columns};
use super::word::{Column, Doc, Row};
use super::{kr, share};
use crate::emit::EmitError;
use crate::reconcile::model::{BudgetUse, FinancingLine, FinancingRole};

/// 5 Ekonomi: cost categories, partners, co-financiers, work packages, support and financing,
/// charts.
pub(super) fn economy(cx: &Ctx, doc: &mut Doc, charts: &Charts) -> Result<(), EmitError> {
    let t = &cx.t.economy;
    doc.heading(1, &format!("5 {}", t.heading));
    doc.text(&cx.fill(&t.intro));
    doc.heading(2, &format!("5.1 {}", t.categories_heading));
    cost_types(cx, doc);
    doc.heading(2, &format!("5.2 {}", t.partners_heading));
    doc.text(&cx.fill(&t.partners_intro));
    partners(cx, doc);
    doc.heading(2, &format!("5.3 {}", t.cofinanciers_heading));
    doc.text(&cx.fill(&t.cofinanciers_intro));
    cofinanciers(cx, doc);
    doc.heading(2, &format!("5.4 {}", t.work_packages_heading));
    doc.text(&cx.fill(&t.work_packages_intro));
    work_packages(cx, doc);
    doc.heading(2, &format!("5.5 {}", t.support_heading));
    doc.text(&cx.fill(&t.support_intro));
    if cx.f.support.capped {
        doc.text(&cx.fill(&t.capped));
    }
    financing(cx, doc);
    doc.heading(2, &format!("5.6 {}", t.charts_heading));
    doc.chart(charts.cumulative, &cx.fill(&t.chart_cumulative));
    doc.chart(charts.orgs, &cx.fill(&t.chart_orgs));
    doc.chart(charts.work_packages, &cx.fill(&t.chart_work_packages));
    Ok(())
}

/// Period, cumulative, budget, share used — or, in the final report, outcome, budget, share.
fn money_columns(cx: &Ctx, first: &str) -> Vec<Column> {
    if cx.progress() {
        amount_columns(first, &[("Perioden", 1_550), ("Ackumulerat", 1_550), ("Budget", 1_550), ("Förbrukat", 1_250)])
    } else {
        amount_columns(first, &[("Utfall", 1_900), ("Budget", 1_900), ("Förbrukat", 1_200)])
    }
}

/// A row of [`money_columns`].
fn money_row(
    cx: &Ctx,
    label: String,
    period: rust_decimal::Decimal,
    cumulative: rust_decimal::Decimal,
    budget: &BudgetUse,
) -> Vec<String> {
    if cx.progress() {
        vec![label, kr(period), kr(cumulative), kr(budget.budget), share(budget.used)]
    } else {
        vec![label, kr(cumulative), kr(budget.budget), share(budget.used)]
    }
}

/// Costs by category against the approved budget.
pub(super) fn cost_types(cx: &Ctx, doc: &mut Doc) {
    let f = cx.f;
    let b = &f.budget;
    let (p, c) = (&f.totals, &f.cumulative);
    let use_of = |line: &crate::reconcile::model::BudgetLine| BudgetUse { budget: line.budget, used: line.used };
    doc.table(
        &money_columns(cx, "Kostnadsslag"),
        &[
            Row::body(money_row(cx, "Personalkostnader".into(), p.staff, c.staff, &use_of(&b.staff))),
            Row::body(money_row(
                cx,
                "Schablon för övriga kostnader".into(),
                p.flat_rate,
                c.flat_rate,
                &use_of(&b.flat_rate),
            )),
            Row::body(money_row(cx, "Övriga kostnader".into(), p.other, c.other, &use_of(&b.other))),
            Row::total(money_row(cx, "Summa kostnader".into(), p.costs, c.costs, &use_of(&f.costs_budget))),
            Row::body(money_row(cx, "Bidrag i annat än pengar".into(), p.in_kind, c.in_kind, &use_of(&b.in_kind))),
            Row::total(money_row(
                cx,
                "Stödgrundande kostnader totalt".into(),
                p.eligible,
                c.eligible,
                &use_of(&b.total),
            )),
        ],
    );
}

/// The partners' costs against their budgets.
fn partners(cx: &Ctx, doc: &mut Doc) {
    let f = cx.f;
    let mut rows: Vec<Row> = f
        .partners()
        .map(|o| Row::body(money_row(cx, o.name.clone(), o.period.total(), o.cumulative.total(), &o.budget_total)))
        .collect();
    let costs = BudgetUse { budget: f.costs_budget.budget, used: f.costs_budget.used };
    rows.push(Row::total(money_row(cx, "Summa projektparter".into(), f.totals.costs, f.cumulative.costs, &costs)));
    doc.table(&money_columns(cx, "Projektpart"), &rows);
}

/// The co-financiers' time in kind against their budgets.
fn cofinanciers(cx: &Ctx, doc: &mut Doc) {
    let f = cx.f;
    let mut rows: Vec<Row> = f
        .cofinanciers()
        .map(|o| {
            Row::body(money_row(
                cx,
                format!("{} ({})", o.name, o.kind.swedish()),
                o.period.total(),
                o.cumulative.total(),
                &o.budget_total,
            ))
        })
        .collect();
    let b = &f.budget.in_kind;
    rows.push(Row::total(money_row(
        cx,
        "Summa bidrag i annat än pengar".into(),
        f.totals.in_kind,
        f.cumulative.in_kind,
        &BudgetUse { budget: b.budget, used: b.used },
    )));
    doc.table(&money_columns(cx, "Medfinansiär"), &rows);
}

/// Work packages and their activities against their budgets.
pub(super) fn work_packages(cx: &Ctx, doc: &mut Doc) {
    let f = cx.f;
    let mut rows = Vec::new();
    for wp in &f.work_packages {
        rows.push(Row::group(money_row(
            cx,
            format!("AP {} {}", wp.code, wp.name),
            wp.period,
            wp.cumulative,
            &wp.budget,
        )));
        for a in f.activities.iter().filter(|a| a.work_package == wp.code) {
            rows.push(Row::sub(money_row(cx, format!("{} {}", a.code, a.name), a.period, a.cumulative, &a.budget)));
        }
    }
    let plan = &f.plan_totals;
    rows.push(Row::total(money_row(cx, "Summa arbetspaket".into(), plan.period, plan.cumulative, &plan.budget)));
    doc.table(&money_columns(cx, "Arbetspaket och aktivitet"), &rows);
}

/// The financing plan against the outcome, cash co-financing as paid in; the computed remainder
/// apart, explained; then cash paid in per financier and partner against what was decided.
pub(super) fn financing(cx: &Ctx, doc: &mut Doc) {
    let (f, t, progress) = (cx.f, &cx.t.economy, cx.progress());
    doc.text(&cx.pick(&t.financing_intro, &t.final_financing_intro));
    let financing_row = |l: &FinancingLine| {
        let cells = if progress {
            vec![l.label.clone(), l.financier.clone(), kr(l.plan), kr(l.period), kr(l.cumulative)]
        } else {
            vec![l.label.clone(), l.financier.clone(), kr(l.plan), kr(l.cumulative)]
        };
        match l.role {
            FinancingRole::Cash | FinancingRole::Line => Row::body(cells),
            FinancingRole::Sum | FinancingRole::Remainder => Row::total(cells),
        }
    };
    // The final report shows each cash financier in the table of co-financing paid in below.
    let (plan, remainder): (Vec<&FinancingLine>, Vec<&FinancingLine>) = f
        .financing
        .iter()
        .filter(|l| progress || l.role != FinancingRole::Cash)
        .partition(|l| l.role != FinancingRole::Remainder);
    let financing_columns = |first: &str| {
        if progress {
            vec![
                Column::left(first, 2_690),
                Column::left("Finansiär", 1_700),
                Column::right("Plan", 1_560),
                Column::right("Perioden", 1_560),
                Column::right("Ackumulerat", 1_560),
            ]
        } else {
            vec![
                Column::left(first, 3_170),
                Column::left("Finansiär", 2_000),
                Column::right("Plan", 1_950),
                Column::right("Utfall", 1_950),
            ]
        }
    };
    doc.table(&financing_columns("Finansiering"), &plan.into_iter().map(financing_row).collect::<Vec<_>>());
    if !remainder.is_empty() {
        doc.text(&cx.fill(&t.remainder_intro));
        doc.table(
            &financing_columns("Beräknat, inte inbetalt"),
            &remainder.into_iter().map(financing_row).collect::<Vec<_>>(),
        );
    }

    // Co-financing paid in, per financier and partner (`Medfinansiering`).
    let cf = &f.cofinancing;
    if cf.lines.is_empty() {
        return;
    }
    doc.text(&cx.pick(&t.cofinancing_intro, &t.final_cofinancing_intro));
    let name = |l: &crate::reconcile::model::CofinancingLine| {
        let external = if l.external { " (extern, bokförs separat)" } else { "" };
        format!("{}{external}", l.financier)
    };
    let mut rows: Vec<Row> = cf
        .lines
        .iter()
        .map(|l| {
            let mut cells = vec![name(l), l.partner.clone(), kr(l.decided)];
            if progress {
                cells.push(kr(l.paid_period));
            }
            cells.extend([kr(l.paid_cumulative), share(l.share_decided)]);
            Row::body(cells)
        })
        .collect();
    for t in cf.by_kind.iter().chain(cf.total.as_ref()) {
        let mut cells = vec![t.label.clone(), String::new(), kr(t.decided)];
        if progress {
            cells.push(kr(t.paid_period));
        }
        cells.extend([kr(t.paid_cumulative), share(t.share_decided)]);
        rows.push(Row::total(cells));
    }
    let columns = if progress {
        vec![
            // The sums are bold: the figures' columns hold "16 306 341 kr" on one line.
            Column::left("Finansiär", 1_950),
            Column::left("Projektpart", 1_450),
            Column::right("Beslutat", 1_600),
            Column::right("Perioden", 1_550),
            Column::right("Ackumulerat", 1_600),
            Column::right("Andel", 920),
        ]
    } else {
        vec![
            Column::left("Finansiär", 2_800),
            Column::left("Projektpart", 1_900),
            Column::right("Beslutat", 1_700),
            Column::right("Inbetalt", 1_700),
            Column::right("Andel", 970),
        ]
    };
    doc.table(&columns, &rows);
}
