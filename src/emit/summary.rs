//! `summary.json`: the machine-readable result, with exactly the keys and meanings of
//! `docs/outputs.md`. Amounts are strings with two decimals, hours strings with up to two.
//! Keys added beyond the spec: `partners[].folder`, `files[].folder`, `files[].note`,
//! `totals.support_uncapped`, `support` (approved, claimed before, claimed total, remaining, the
//! earlier claims and this claim's eligible costs by kind), `claim` (this claim's number),
//! `adjustments[].held`, `.hours`, `.persons`, `indicators[].code`, `indicators[].unit`,
//! `indicators[].percent_of_target`, `.participant_registrations`, `financing` (co-financing paid
//! in per cash financier and partner), `cumulative` (the ledger's claims plus this one), from
//! `redovisa final`, `closing` (see `docs/outputs.md`), `partners[].in_decision`,
//! `in_kind[].in_decision`, `adjustments[].changes` and `changes` (the change decisions;
//! `docs/claims.md`, "Ändringsbeslut").
//!
//! `partners[]`, `in_kind[]` and `totals` are what this claim takes: its period's months plus
//! the late months and corrections listed in `adjustments` (held corrections excepted).

use serde::Serialize;

use crate::finding::Finding;
use crate::ledger::LineKind;
use crate::money::{amount_str, hours_str};
use crate::reconcile::model::{Adjustment, Figures};

#[derive(Serialize)]
struct Summary<'a> {
    project: Project<'a>,
    period: Period,
    partners: Vec<Partner<'a>>,
    in_kind: Vec<InKind<'a>>,
    activities: Vec<Activity<'a>>,
    totals: Totals,
    support: Support,
    claim: u32,
    /// The submitted claims plus this one: the project's cumulative figures to the öre.
    cumulative: Cumulative,
    /// The final report's day (`redovisa final` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    closing: Option<ClosingOut<'a>>,
    adjustments: Vec<AdjustmentOut<'a>>,
    financing: Vec<FinancingOut<'a>>,
    indicators: Vec<Indicator<'a>>,
    findings: Vec<FindingOut<'a>>,
    files: Vec<File<'a>>,
    changes: Vec<ChangeOut<'a>>,
}

/// A change decision of the project file's change log.
#[derive(Serialize)]
struct ChangeOut<'a> {
    number: &'a str,
    decided: String,
    what: &'a str,
    retroactive: Option<&'a str>,
    /// The claim it came into force under, and whether that claim is submitted.
    claim: u32,
    submitted: bool,
}

/// Co-financing paid in: one object per cash financier of the plan and partner.
#[derive(Serialize)]
struct FinancingOut<'a> {
    financier: &'a str,
    org_nr: &'a str,
    kind: &'a str,
    /// The partner's name (its folder in `folder`).
    partner: &'a str,
    folder: &'a str,
    /// Money from someone other than the partners: booked separately.
    external: bool,
    decided: String,
    paid_in_period: String,
    paid_in_cumulative: String,
}

#[derive(Serialize)]
struct Project<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Period {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct Partner<'a> {
    name: &'a str,
    org_nr: &'a str,
    folder: &'a str,
    staff_costs: String,
    flat_rate: String,
    other_costs: String,
    total: String,
    hours: String,
    cumulative_total: String,
    budget_total: String,
    in_decision: bool,
}

#[derive(Serialize)]
struct InKind<'a> {
    name: &'a str,
    org_nr: &'a str,
    folder: &'a str,
    kind: &'a str,
    hours: String,
    value: String,
    cumulative_value: String,
    budget: String,
    in_decision: bool,
}

#[derive(Serialize)]
struct Activity<'a> {
    code: &'a str,
    name: &'a str,
    period: String,
    cumulative: String,
    budget: String,
}

#[derive(Serialize)]
struct Totals {
    staff_costs: String,
    flat_rate: String,
    other_costs: String,
    in_kind: String,
    eligible: String,
    support_rate: String,
    support: String,
    support_uncapped: String,
}

#[derive(Serialize)]
struct Support {
    approved: String,
    claimed_before: String,
    claimed_total: String,
    remaining: String,
    capped: bool,
    claims: Vec<ClaimOut>,
    eligible_period: String,
    eligible_late: String,
    eligible_corrections: String,
    eligible_held: String,
}

#[derive(Serialize)]
struct Cumulative {
    eligible: String,
    support: String,
}

#[derive(Serialize)]
struct ClosingOut<'a> {
    preliminary: bool,
    /// The submitted claim the final report belongs to, when its period is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    submitted_claim: Option<u32>,
    unfinished_months: Vec<String>,
    missing_months: Vec<MissingOut<'a>>,
}

#[derive(Serialize)]
struct MissingOut<'a> {
    partner: &'a str,
    folder: &'a str,
    months: Vec<String>,
}

#[derive(Serialize)]
struct ClaimOut {
    seq: u32,
    from: String,
    to: String,
    eligible: String,
    support: String,
}

#[derive(Serialize)]
struct AdjustmentOut<'a> {
    kind: &'a str,
    partner: &'a str,
    org_nr: &'a str,
    folder: &'a str,
    month: String,
    claim: Option<u32>,
    held: bool,
    hours: String,
    staff_costs: String,
    flat_rate: String,
    other_costs: String,
    in_kind: String,
    eligible: String,
    files: Vec<AdjustmentFile<'a>>,
    persons: Vec<AdjustmentPerson<'a>>,
    /// The change decisions whose retroactive values a correction carries.
    changes: &'a [String],
}

#[derive(Serialize)]
struct AdjustmentFile<'a> {
    path: &'a str,
    sha256: &'a str,
    /// `counted` (the workbook that counts now) or `claimed` (the one an earlier claim counted).
    role: &'a str,
}

/// A person's share of an adjustment, without the personnummer.
#[derive(Serialize)]
struct AdjustmentPerson<'a> {
    name: &'a str,
    hours: String,
    staff_costs: String,
}

#[derive(Serialize)]
struct Indicator<'a> {
    name: &'a str,
    code: &'a str,
    unit: &'a str,
    target: String,
    period: String,
    cumulative: String,
    /// Cumulative ÷ target in whole per cent, rounded down; absent when the target is 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    percent_of_target: Option<String>,
    /// Participant registrations, which `women`, `men` and `not_stated` split.
    #[serde(skip_serializing_if = "Option::is_none")]
    participant_registrations: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    women: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    men: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_stated: Option<u32>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    code: &'a str,
    severity: &'a str,
    partner: Option<&'a str>,
    file: Option<&'a str>,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    partner: Option<&'a str>,
    folder: Option<&'a str>,
    month: Option<String>,
    version: Option<u32>,
    sha256: &'a str,
    status: String,
    note: &'a str,
}

fn adjustment(a: &Adjustment) -> AdjustmentOut<'_> {
    let in_kind = |d| if a.in_kind { amount_str(rust_decimal::Decimal::ZERO) } else { amount_str(d) };
    let mut files = Vec::new();
    if !a.path.is_empty() {
        files.push(AdjustmentFile { path: &a.path, sha256: &a.sha256, role: "counted" });
    }
    if !a.previous_path.is_empty() {
        files.push(AdjustmentFile { path: &a.previous_path, sha256: &a.previous_sha256, role: "claimed" });
    }
    AdjustmentOut {
        kind: match a.kind {
            LineKind::Late => "late",
            LineKind::Correction | LineKind::Period => "correction",
        },
        partner: &a.org_name,
        org_nr: &a.org_nr,
        folder: &a.folder,
        month: a.month.to_string(),
        claim: a.claim,
        held: a.held,
        hours: hours_str(a.hours),
        staff_costs: in_kind(a.amounts.staff),
        flat_rate: in_kind(a.amounts.flat_rate),
        other_costs: in_kind(a.amounts.other),
        in_kind: amount_str(a.in_kind_value()),
        eligible: amount_str(a.amounts.total()),
        files,
        persons: a
            .persons
            .iter()
            .map(|p| AdjustmentPerson {
                name: &p.name,
                hours: hours_str(p.hours),
                staff_costs: amount_str(p.staff_cost),
            })
            .collect(),
        changes: &a.changes,
    }
}

/// Renders `summary.json` (pretty-printed, trailing newline).
pub fn render(f: &Figures) -> Vec<u8> {
    let name_of = |folder: &str| f.orgs.iter().find(|o| o.folder == folder).map(|o| o.name.as_str());
    let summary = Summary {
        project: Project { id: &f.project_id, name: &f.project_name },
        period: Period { from: f.period.from.to_string(), to: f.period.to.to_string() },
        partners: f
            .partners()
            .map(|o| Partner {
                name: &o.name,
                org_nr: &o.org_nr,
                folder: &o.folder,
                staff_costs: amount_str(o.period.staff),
                flat_rate: amount_str(o.period.flat_rate),
                other_costs: amount_str(o.period.other),
                total: amount_str(o.period.total()),
                hours: hours_str(o.hours_period),
                cumulative_total: amount_str(o.cumulative.total()),
                budget_total: amount_str(o.budget_total.budget),
                in_decision: o.in_file,
            })
            .collect(),
        in_kind: f
            .cofinanciers()
            .map(|o| InKind {
                name: &o.name,
                org_nr: &o.org_nr,
                folder: &o.folder,
                kind: o.kind.as_str(),
                hours: hours_str(o.hours_period),
                value: amount_str(o.period.total()),
                cumulative_value: amount_str(o.cumulative.total()),
                budget: amount_str(o.budget_total.budget),
                in_decision: o.in_file,
            })
            .collect(),
        activities: f
            .activities
            .iter()
            .map(|a| Activity {
                code: &a.code,
                name: &a.name,
                period: amount_str(a.period),
                cumulative: amount_str(a.cumulative),
                budget: amount_str(a.budget.budget),
            })
            .collect(),
        totals: Totals {
            staff_costs: amount_str(f.totals.staff),
            flat_rate: amount_str(f.totals.flat_rate),
            other_costs: amount_str(f.totals.other),
            in_kind: amount_str(f.totals.in_kind),
            eligible: amount_str(f.totals.eligible),
            support_rate: f.totals.support_rate.normalize().to_string(),
            support: amount_str(f.totals.support),
            support_uncapped: amount_str(f.totals.support_uncapped),
        },
        support: Support {
            approved: amount_str(f.support.approved),
            claimed_before: amount_str(f.support.claimed_before),
            claimed_total: amount_str(f.support.claimed_total),
            remaining: amount_str(f.support.remaining),
            capped: f.support.capped,
            claims: f
                .support
                .earlier
                .iter()
                .map(|c| ClaimOut {
                    seq: c.seq,
                    from: c.from.to_string(),
                    to: c.to.to_string(),
                    eligible: amount_str(c.eligible),
                    support: amount_str(c.support),
                })
                .collect(),
            eligible_period: amount_str(f.support.eligible_period),
            eligible_late: amount_str(f.support.eligible_late),
            eligible_corrections: amount_str(f.support.eligible_corrections),
            eligible_held: amount_str(f.support.eligible_held),
        },
        claim: f.claim_seq,
        cumulative: Cumulative {
            eligible: amount_str(f.claims_to_date.eligible),
            support: amount_str(f.claims_to_date.support),
        },
        closing: f.closing.as_ref().map(|c| ClosingOut {
            preliminary: c.preliminary,
            submitted_claim: c.submitted.map(|s| s.seq),
            unfinished_months: c.unfinished.iter().map(ToString::to_string).collect(),
            missing_months: c
                .missing
                .iter()
                .map(|m| MissingOut {
                    partner: &m.org_name,
                    folder: &m.folder,
                    months: m.months.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        }),
        adjustments: f.adjustments.iter().map(adjustment).collect(),
        financing: f
            .cofinancing
            .lines
            .iter()
            .map(|l| FinancingOut {
                financier: &l.financier,
                org_nr: &l.org_nr,
                kind: l.kind.as_str(),
                partner: &l.partner,
                folder: &l.folder,
                external: l.external,
                decided: amount_str(l.decided),
                paid_in_period: amount_str(l.paid_period),
                paid_in_cumulative: amount_str(l.paid_cumulative),
            })
            .collect(),
        indicators: f
            .indicators
            .iter()
            .map(|i| Indicator {
                name: &i.name,
                code: &i.code,
                unit: &i.unit,
                target: i.target.normalize().to_string(),
                period: i.period.normalize().to_string(),
                cumulative: i.cumulative.normalize().to_string(),
                percent_of_target: i.percent_of_target.map(|p| p.normalize().to_string()),
                participant_registrations: i.gender.map(|g| g.total()),
                women: i.gender.map(|g| g.women),
                men: i.gender.map(|g| g.men),
                not_stated: i.gender.map(|g| g.not_stated),
            })
            .collect(),
        findings: f
            .findings
            .iter()
            .map(|x: &Finding| FindingOut {
                code: x.code.as_str(),
                severity: match x.severity {
                    crate::finding::Severity::Error => "error",
                    crate::finding::Severity::Warning => "warning",
                },
                partner: x.place.partner.as_deref().and_then(name_of),
                file: x.place.file.as_deref(),
                sheet: x.place.sheet.as_deref(),
                cell: x.place.cell.as_deref(),
                message: &x.message,
            })
            .collect(),
        files: f
            .files
            .iter()
            .map(|x| File {
                path: &x.path,
                partner: x.org_name.as_deref(),
                folder: x.folder.as_deref(),
                month: x.month.map(|m| m.to_string()),
                version: x.version,
                sha256: &x.sha256,
                status: x.status.to_string(),
                note: &x.note,
            })
            .collect(),
        changes: f
            .changes
            .iter()
            .map(|c| ChangeOut {
                number: &c.number,
                decided: c.decided.to_string(),
                what: &c.what,
                retroactive: c.retroactive.as_deref(),
                claim: c.claim,
                submitted: c.submitted,
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    out.push(b'\n');
    out
}
