//! Receipts (`kvitto/<folder>.txt`): what one partner or co-financier gets back from a run, in
//! Swedish plain text.
//!
//! The text receipt and the receipt page (`kvitto/<folder>.html`, [`super::html`]) have the same
//! sections in the same order, [`SECTIONS`], as the partner guide describes them.
//!
//! A receipt names only that organisation's files and findings: each file with its month,
//! version and what became of it (used, superseded, rejected, ignored) and why; each finding
//! with its place and what to do; the figures taken from each used file; and the organisation's
//! totals for the period and from the project's start. It never carries a personnummer: the
//! model's staff lines are not read here, and the whole text goes through
//! [`crate::privacy::mask_personnummer`] before it is written (partner text inside a message,
//! a file name).

use std::fmt::Write;

use crate::finding::{Finding, Severity};
use crate::intake::Status;
use crate::money::{sv_kr, sv_number, sv_percent};
use crate::privacy::mask_personnummer;
use crate::reconcile::model::{Amounts, Figures, FileRecord, OrgFigures};
use crate::sv::{counted, noun};

/// The receipt's sections, in order: each title's first word, as both receipts and the partner
/// guide (`docs/partnerhandledning.md`) give them.
pub const SECTIONS: [&str; 6] = ["Sammanfattning", "Avvikelser", "Filer", "Månader", "Belopp", "Inbetald"];

/// The title of the co-financing section.
pub const COFINANCING_TITLE: &str = "Inbetald medfinansiering (bladet Medfinansiering)";

/// Renders `kvitto/<folder>.txt`.
pub fn render(figures: &Figures, folder: &str) -> String {
    let org = figures.orgs.iter().find(|o| o.folder == folder);
    let files: Vec<&FileRecord> = figures.files.iter().filter(|f| f.folder.as_deref() == Some(folder)).collect();
    let findings: Vec<&Finding> =
        figures.findings.iter().filter(|x| x.place.partner.as_deref() == Some(folder)).collect();
    let mut out = String::new();
    header(&mut out, figures, org, folder);
    to_do(&mut out, figures, folder, &findings);
    findings_section(&mut out, &findings);
    files_section(&mut out, &files);
    months_section(&mut out, figures, folder);
    if let Some(org) = org {
        totals_section(&mut out, figures, org);
        cofinancing_section(&mut out, figures, org);
    }
    mask_personnummer(&out, figures.period.to.last_day())
}

fn header(out: &mut String, f: &Figures, org: Option<&OrgFigures>, folder: &str) {
    let name = org.map_or(folder, |o| o.name.as_str());
    let _ = writeln!(out, "Kvitto för {name}");
    underline(out, &format!("Kvitto för {name}"), '=');
    let _ = writeln!(out, "Projekt:  {} {}", f.project_id, f.project_name);
    let kind = if f.claim { "ansökan om utbetalning" } else { "lägesavstämning, inte en ansökan" };
    let _ = writeln!(out, "Period:   {} – {} ({kind})", f.period.from, f.period.to);
    if let Some(o) = org {
        let role = if o.in_kind {
            format!("medfinansiär, {} bidrag i annat än pengar", o.kind.swedish())
        } else {
            "projektpart".to_string()
        };
        let _ = writeln!(out, "Part:     {} ({}), {role}", o.name, o.org_nr);
    }
    let _ = writeln!(out, "Mapp:     {folder}");
    let _ = writeln!(out, "Underlag daterat {}", f.document_date());
    out.push('\n');
}

/// A title line's underline, as long as the title.
fn underline(out: &mut String, title: &str, c: char) {
    let _ = writeln!(out, "{}", c.to_string().repeat(title.chars().count()));
}

/// What an organisation with errors is asked to do, as the receipts (text and page) say it after
/// "N fel:". Advice about versions is given only where it is right: a cell of a workbook that
/// counts, fixed in a new file. A file that does not count at all is fixed as its error says (its
/// Period, its attestation, …); a higher version does not make it count.
pub fn error_advice(figures: &Figures, folder: &str) -> Vec<&'static str> {
    let status =
        |x: &Finding| figures.files.iter().find(|f| x.place.file.as_deref() == Some(f.path.as_str())).map(|f| f.status);
    let errors: Vec<&Finding> =
        figures.findings.iter().filter(|x| x.is_error() && x.place.partner.as_deref() == Some(folder)).collect();
    if errors.is_empty() {
        return Vec::new();
    }
    let mut advice = vec![
        "det som felen gäller räknas inte i beloppen; varje fel nedan säger vad som hålls utanför och vad som ska \
         rättas.",
    ];
    if errors.iter().any(|x| status(x) == Some(Status::Used)) {
        advice.push(
            "Rätta cellerna i arbetsboken och spara den i din mapp. Sparar du den rättade arbetsboken som en ny fil, \
             ge den en högre Version i bladet Uppgifter så att den ersätter den gamla.",
        );
    }
    if errors.iter().any(|x| status(x) == Some(Status::Rejected)) {
        advice.push(
            "En fil som inte räknas alls (avvisad under Filer) rättas så som felet säger, till exempel Perioden eller \
             attesten i bladet Uppgifter; en högre Version gör inte att den räknas.",
        );
    }
    advice
}

fn to_do(out: &mut String, figures: &Figures, folder: &str, findings: &[&Finding]) {
    let errors = findings.iter().filter(|x| x.is_error()).count();
    let warnings = findings.len() - errors;
    let _ = writeln!(out, "Sammanfattning");
    underline(out, "Sammanfattning", '-');
    for (i, line) in error_advice(figures, folder).into_iter().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "{errors} fel: {line}");
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    if warnings > 0 {
        let _ = writeln!(out, "{}: beloppen räknas, men kontrollera uppgifterna.", counted(warnings, noun::VARNING));
    }
    if findings.is_empty() {
        let _ = writeln!(out, "Inga avvikelser. Inget att åtgärda.");
    }
    out.push('\n');
}

fn status_text(f: &FileRecord) -> String {
    let word = f.status.swedish();
    let why = match (f.status, f.note.is_empty()) {
        (Status::Used, true) => "räknas i beloppen".to_string(),
        (_, true) => String::new(),
        (_, false) => f.note.clone(),
    };
    if why.is_empty() { word.to_string() } else { format!("{word} – {why}") }
}

fn files_section(out: &mut String, files: &[&FileRecord]) {
    let _ = writeln!(out, "Filer ({})", files.len());
    underline(out, &format!("Filer ({})", files.len()), '-');
    if files.is_empty() {
        let _ = writeln!(out, "Inga filer i mappen.");
    }
    for f in files {
        let _ = writeln!(out, "{}", f.path);
        let what = match (f.month, f.version) {
            (Some(m), Some(v)) => format!("månad {m}, version {v}: "),
            (Some(m), None) => format!("månad {m}: "),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {what}{}", status_text(f));
        if let Some(c) = &f.contribution {
            let _ = writeln!(
                out,
                "  Hämtat ur filen: {} {}, {} timmar, personalkostnad {}, övriga kostnader {}, {} deltagare",
                c.persons,
                if c.persons == 1 { "person" } else { "personer" },
                sv_number(c.hours, 2),
                sv_kr(c.staff_cost),
                sv_kr(c.other_costs),
                c.participants
            );
        }
        if !f.sha256.is_empty() {
            let _ = writeln!(out, "  SHA-256 {}", f.sha256);
        }
    }
    out.push('\n');
}

/// Every month from the project's start to the period's end: which claim took it or will take it.
fn months_section(out: &mut String, f: &Figures, folder: &str) {
    let Some(months) = f.months.iter().find(|m| m.folder == folder) else { return };
    let title = format!("Månader {} – {}", f.project_start.format("%Y-%m"), f.period.to);
    let _ = writeln!(out, "{title}");
    underline(out, &title, '-');
    for cell in &months.cells {
        let file = cell.file.as_deref().map_or_else(String::new, |p| format!(" ({p})"));
        let _ = writeln!(out, "  {}  {}{file}", cell.month, cell.state.describe(f.claim_seq));
    }
    out.push('\n');
}

fn findings_section(out: &mut String, findings: &[&Finding]) {
    let _ = writeln!(out, "Avvikelser ({})", findings.len());
    underline(out, &format!("Avvikelser ({})", findings.len()), '-');
    if findings.is_empty() {
        let _ = writeln!(out, "Inga.");
    }
    for (i, x) in findings.iter().enumerate() {
        let severity = match x.severity {
            Severity::Error => "FEL",
            Severity::Warning => "VARNING",
        };
        let mut place = x.place.file.clone().unwrap_or_default();
        let sheet_cell = x.place.sheet_cell();
        if !sheet_cell.is_empty() {
            if !place.is_empty() {
                place.push(' ');
            }
            place.push_str(&sheet_cell);
        }
        if place.is_empty() {
            place = "hela perioden".to_string();
        }
        let _ = writeln!(out, "{}. {severity} {} i {place}", i + 1, x.code);
        let _ = writeln!(out, "   {}", x.message);
    }
    out.push('\n');
}

fn amount_lines(out: &mut String, in_kind: bool, p: &Amounts, c: &Amounts) {
    let row = |out: &mut String, label: &str, a: String, b: String| {
        let _ = writeln!(out, "  {label:<28}{a:>20}{b:>20}");
    };
    row(out, "", "Perioden".into(), "Ackumulerat".into());
    if in_kind {
        row(out, "Bidrag i annat än pengar", sv_kr(p.total()), sv_kr(c.total()));
    } else {
        row(out, "Personalkostnader", sv_kr(p.staff), sv_kr(c.staff));
        row(out, "Schablon/indirekta", sv_kr(p.flat_rate), sv_kr(c.flat_rate));
        row(out, "Övriga kostnader", sv_kr(p.other), sv_kr(c.other));
        row(out, "Summa", sv_kr(p.total()), sv_kr(c.total()));
    }
}

fn totals_section(out: &mut String, f: &Figures, o: &OrgFigures) {
    let _ = writeln!(out, "Belopp för {}", o.name);
    underline(out, &format!("Belopp för {}", o.name), '-');
    amount_lines(out, o.in_kind, &o.period, &o.cumulative);
    let _ =
        writeln!(out, "  {:<28}{:>20}{:>20}", "Timmar", sv_number(o.hours_period, 2), sv_number(o.hours_cumulative, 2));
    let used = o.budget_total.used.map_or_else(|| "–".to_string(), |u| sv_percent(u, 1));
    let _ = writeln!(out, "  Godkänd budget {}, förbrukat {used}", sv_kr(o.budget_total.budget));
    let months: Vec<String> = o.months_reported.iter().map(ToString::to_string).collect();
    let reported = if months.is_empty() { "inga".to_string() } else { months.join(", ") };
    let _ = writeln!(out, "  Månader i perioden {} med godkänd arbetsbok: {reported}", period_text(f));
}

/// One financier's line of a partner's co-financing, formatted for both receipts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CofinancingRow {
    pub financier: String,
    pub decided: String,
    pub period: String,
    pub cumulative: String,
    pub share: String,
    /// What to know about the line (external money, paid in lagging), sentences; may be empty.
    pub notes: Vec<String>,
}

/// One payment in the months the claim takes, formatted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PaymentRow {
    pub date: String,
    pub financier: String,
    pub amount: String,
    pub voucher: String,
}

/// The partner's co-financing paid in (its column of the financing plan) and its payments in
/// the months this claim takes, formatted: the content of the section [`COFINANCING_TITLE`] in
/// both receipts. `None` when the partner's column has no cash financier.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CofinancingView {
    pub rows: Vec<CofinancingRow>,
    pub payments: Vec<PaymentRow>,
}

impl CofinancingView {
    pub fn new(f: &Figures, folder: &str) -> Option<CofinancingView> {
        let rows: Vec<CofinancingRow> = f
            .cofinancing
            .of_partner(folder)
            .map(|l| {
                let mut notes = Vec::new();
                if l.external {
                    notes.push(format!("{} är extern finansiär: pengarna bokförs separat.", l.financier));
                }
                if l.lagging {
                    notes.push(format!(
                        "Inbetalt släpar efter: {} av budgeten är begärd (COFINANCING_LAGGING).",
                        l.share_claimed.map_or_else(|| "–".to_string(), |s| sv_percent(s, 1))
                    ));
                }
                CofinancingRow {
                    financier: l.financier.clone(),
                    decided: sv_kr(l.decided),
                    period: sv_kr(l.paid_period),
                    cumulative: sv_kr(l.paid_cumulative),
                    share: l.share_decided.map_or_else(|| "–".to_string(), |s| sv_percent(s, 1)),
                    notes,
                }
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let payments = f
            .cofinancing
            .payments
            .iter()
            .filter(|p| p.folder == folder)
            .map(|p| PaymentRow {
                date: p.date.to_string(),
                financier: p.financier.clone(),
                amount: sv_kr(p.amount),
                voucher: p.voucher.clone(),
            })
            .collect();
        Some(CofinancingView { rows, payments })
    }
}

fn cofinancing_section(out: &mut String, f: &Figures, o: &OrgFigures) {
    let Some(view) = CofinancingView::new(f, &o.folder) else { return };
    let _ = writeln!(out, "\n{COFINANCING_TITLE}");
    underline(out, COFINANCING_TITLE, '-');
    let _ =
        writeln!(out, "  {:<34}{:>18}{:>18}{:>18}{:>10}", "Finansiär", "Beslutat", "Perioden", "Ackumulerat", "Andel");
    for r in &view.rows {
        let _ =
            writeln!(out, "  {:<34}{:>18}{:>18}{:>18}{:>10}", r.financier, r.decided, r.period, r.cumulative, r.share);
        for note in &r.notes {
            let _ = writeln!(out, "    {note}");
        }
    }
    if view.payments.is_empty() {
        let _ = writeln!(out, "  Inga inbetalningar i månaderna som ansökan tar med.");
        return;
    }
    let _ = writeln!(out, "  Inbetalningar i månaderna som ansökan tar med:");
    for p in &view.payments {
        let voucher = if p.voucher.is_empty() { String::new() } else { format!(", verifikation {}", p.voucher) };
        let _ = writeln!(out, "    {}  {:<32}{:>18}{voucher}", p.date, p.financier, p.amount);
    }
}

fn period_text(f: &Figures) -> String {
    format!("{} – {}", f.period.from, f.period.to)
}
