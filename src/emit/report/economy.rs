//! Section 5 of the reports, Ekonomi: costs by category, per partner, per co-financier (in
//! kind) and per work package and activity against the budget; support and the financing plan;
//! and the charts. The progress report shows the period beside the cumulative figures, the final
//! report the outcome against the budget and the plan.

use super::sections::{Charts, Ctx, amount_columns};
use super::word::{Column, Doc, Row};
use super::{kr, share};
use crate::emit::EmitError;
use crate::reconcile::model::{FinancingLine, FinancingRole};

/// 5 Ekonomi: cost categories, partners, co-financiers, work packages, support and financing,
/// charts.
pub(super) fn economy(cx: &Ctx, doc: &mut Doc, charts: &Charts) -> Result<(), EmitError> {
    let (f, t) = (cx.f, &cx.t.economy);
    doc.heading(1, &format!("5 {}", t.heading));
    doc.text(&cx.pick(&t.intro, &t.final_intro));
    let progress = cx.progress();
    // Period, cumulative, budget, share used — or, in the final report, outcome, budget, share.
    let money_columns = |first: &str| {
        if progress {
            amount_columns(
                first,
                &[("Perioden", 1_550), ("Ackumulerat", 1_550), ("Budget", 1_550), ("Förbrukat", 1_250)],
            )
        } else {
            amount_columns(first, &[("Utfall", 1_900), ("Budget", 1_900), ("Förbrukat", 1_200)])
        }
    };
    let money_row = |label: String, period, cumulative, budget, used| {
        if progress {
            vec![label, kr(period), kr(cumulative), kr(budget), share(used)]
        } else {
            vec![label, kr(cumulative), kr(budget), share(used)]
        }
    };

    doc.heading(2, &format!("5.1 {}", t.categories_heading));
    let b = &f.budget;
    let (p, c) = (&f.totals, &f.cumulative);
    doc.table(
        &money_columns("Kostnadsslag"),
        &[
            Row::body(money_row("Personalkostnader".into(), p.staff, c.staff, b.staff.budget, b.staff.used)),
            Row::body(money_row(
                "Schablon för övriga kostnader".into(),
                p.flat_rate,
                c.flat_rate,
                b.flat_rate.budget,
                b.flat_rate.used,
            )),
            Row::body(money_row("Övriga kostnader".into(), p.other, c.other, b.other.budget, b.other.used)),
            Row::total(money_row(
                "Summa kostnader".into(),
                p.costs,
                c.costs,
                f.costs_budget.budget,
                f.costs_budget.used,
            )),
            Row::body(money_row(
                "Bidrag i annat än pengar".into(),
                p.in_kind,
                c.in_kind,
                b.in_kind.budget,
                b.in_kind.used,
            )),
            Row::total(money_row(
                "Stödgrundande kostnader totalt".into(),
                p.eligible,
                c.eligible,
                b.total.budget,
                b.total.used,
            )),
        ],
    );

    doc.heading(2, &format!("5.2 {}", t.partners_heading));
    doc.text(&cx.pick(&t.partners_intro, &t.final_partners_intro));
    let mut rows: Vec<Row> = f
        .partners()
        .map(|o| {
            Row::body(money_row(
                o.name.clone(),
                o.period.total(),
                o.cumulative.total(),
                o.budget_total.budget,
                o.budget_total.used,
            ))
        })
        .collect();
    rows.push(Row::total(money_row(
        "Summa projektparter".into(),
        p.costs,
        c.costs,
        f.costs_budget.budget,
        f.costs_budget.used,
    )));
    doc.table(&money_columns("Projektpart"), &rows);

    doc.heading(2, &format!("5.3 {}", t.cofinanciers_heading));
    doc.text(&cx.fill(&t.cofinanciers_intro));
    let mut rows: Vec<Row> = f
        .cofinanciers()
        .map(|o| {
            Row::body(money_row(
                format!("{} ({})", o.name, o.kind.swedish()),
                o.period.total(),
                o.cumulative.total(),
                o.budget_total.budget,
                o.budget_total.used,
            ))
        })
        .collect();
    rows.push(Row::total(money_row(
        "Summa bidrag i annat än pengar".into(),
        p.in_kind,
        c.in_kind,
        b.in_kind.budget,
        b.in_kind.used,
    )));
    doc.table(&money_columns("Medfinansiär"), &rows);

    doc.heading(2, &format!("5.4 {}", t.work_packages_heading));
    doc.text(&cx.fill(&t.work_packages_intro));
    let mut rows = Vec::new();
    for wp in &f.work_packages {
        rows.push(Row::group(money_row(
            format!("AP {} {}", wp.code, wp.name),
            wp.period,
            wp.cumulative,
            wp.budget.budget,
            wp.budget.used,
        )));
        for a in f.activities.iter().filter(|a| a.work_package == wp.code) {
            rows.push(Row::sub(money_row(
                format!("{} {}", a.code, a.name),
                a.period,
                a.cumulative,
                a.budget.budget,
                a.budget.used,
            )));
        }
    }
    let plan = &f.plan_totals;
    rows.push(Row::total(money_row(
        "Summa arbetspaket".into(),
        plan.period,
        plan.cumulative,
        plan.budget.budget,
        plan.budget.used,
    )));
    doc.table(&money_columns("Arbetspaket och aktivitet"), &rows);

    doc.heading(2, &format!("5.5 {}", t.support_heading));
    doc.text(&cx.pick(&t.support_intro, &t.final_support_intro));
    if f.support.capped && progress {
        doc.text(&cx.fill(&t.capped));
    }
    doc.text(&cx.pick(&t.financing_intro, &t.final_financing_intro));
    let financing_row = |l: &FinancingLine| {
        let cells = if progress {
            vec![l.label.clone(), l.financier.clone(), kr(l.plan), kr(l.period), kr(l.cumulative)]
        } else {
            vec![l.label.clone(), l.financier.clone(), kr(l.plan), kr(l.cumulative)]
        };
        if l.role == FinancingRole::Line { Row::body(cells) } else { Row::total(cells) }
    };
    let (plan, remainder): (Vec<&FinancingLine>, Vec<&FinancingLine>) =
        f.financing.iter().partition(|l| l.role != FinancingRole::Remainder);
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
    if !cf.lines.is_empty() {
        doc.text(&cx.pick(&t.cofinancing_intro, &t.final_cofinancing_intro));
        let name = |l: &crate::reconcile::model::CofinancingLine| {
            let external = if l.external { " (extern, bokförs separat)" } else { "" };
            format!("{}{external}", l.financier)
        };
        let mut rows: Vec<Row> = cf
            .lines
            .iter()
            .map(|l| {
                if progress {
                    Row::body(vec![
                        name(l),
                        l.partner.clone(),
                        kr(l.decided),
                        kr(l.paid_period),
                        kr(l.paid_cumulative),
                        share(l.share_decided),
                    ])
                } else {
                    Row::body(vec![
                        name(l),
                        l.partner.clone(),
                        kr(l.decided),
                        kr(l.paid_cumulative),
                        share(l.share_decided),
                    ])
                }
            })
            .collect();
        for t in cf.by_kind.iter().chain(cf.total.as_ref()) {
            rows.push(Row::total(if progress {
                vec![
                    t.label.clone(),
                    String::new(),
                    kr(t.decided),
                    kr(t.paid_period),
                    kr(t.paid_cumulative),
                    share(t.share_decided),
                ]
            } else {
                vec![t.label.clone(), String::new(), kr(t.decided), kr(t.paid_cumulative), share(t.share_decided)]
            }));
        }
        let columns = if progress {
            vec![
                Column::left("Finansiär", 2_300),
                Column::left("Projektpart", 1_700),
                Column::right("Beslutat", 1_450),
                Column::right("Perioden", 1_350),
                Column::right("Ackumulerat", 1_450),
                Column::right("Andel", 820),
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

    doc.heading(2, &format!("5.6 {}", t.charts_heading));
    doc.chart(charts.cumulative, &cx.fill(&t.chart_cumulative));
    doc.chart(charts.orgs, &cx.fill(&t.chart_orgs));
    doc.chart(charts.work_packages, &cx.pick(&t.chart_work_packages, &t.final_chart_work_packages));
    Ok(())
}
