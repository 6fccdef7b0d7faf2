//! A certificate of a fixed-share person's share of working time in the project (*intyg om
//! andel*, `intyg-andel-<mapp>-<namn>-<ÅÅÅÅ-MM>.docx`): one A4 page with the employer, the
//! person, the role, the share and from when, the employment share, a sentence saying so, and
//! lines for the employer's authorised signatory and the employee to sign.
//!
//! The wording is `[certificate]` of `templates/bilagor.toml` (adjustable in
//! `mallar/bilagor.toml`). The package is made reproducible by the reports' own normalisation
//! (fixed ids, dates from the inputs, Swedish as the language).

use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, HeightRule, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table,
    TableBorders, TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders, TableLayoutType, TableRow,
    WidthType,
};

use super::{Texts, share_text};
use crate::emit::EmitError;
use crate::emit::report::package::{self, Meta};
use crate::emit::report::texts::fill;
use crate::emit::report::{self, FONT, HEADING_COLOR as HEADING, MARGIN, MUTED, PAGE_H, PAGE_W};
use crate::reconcile::attachments::Certificate;
use crate::reconcile::model::Figures;

/// The text width in twentieths of a point, as docx-rs's tables take it.
const TEXT_WIDTH: usize = report::TEXT_WIDTH as usize;

/// Renders one certificate.
pub fn render(figures: &Figures, c: &Certificate, texts: &Texts) -> Result<Vec<u8>, EmitError> {
    let t = &texts.certificate;
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    // What the partner typed is masked; the personnummer the certificate is about is not.
    let typed = |s: &str| crate::privacy::mask_personnummer(s, figures.document_date());
    let (name, role) = (typed(&c.name), typed(&c.role));
    let mut values = vec![
        ("projekt", figures.project_name.clone()),
        ("projektnummer", figures.project_id.clone()),
        ("ansokan", figures.claim_seq.to_string()),
        ("period", format!("{} – {}", figures.period.from, figures.period.to)),
        ("arbetsgivare", c.employer.name.clone()),
        ("organisationsnummer", c.employer.org_nr.clone()),
        ("namn", name.clone()),
        ("roll", role.clone()),
        ("personnummer", c.personnummer.clone()),
        ("andel", share_text(c.share)),
        ("fran", date(c.from)),
        ("till", c.until.map(date).unwrap_or_default()),
        ("sysselsattningsgrad", share_text(c.employment)),
        ("manad", c.month.to_string()),
    ];
    if let Some(previous) = c.previous {
        values.push(("tidigare_andel", share_text(previous)));
    }
    let text = |s: &str| fill(s, &values);

    let mut facts = vec![
        (t.project.as_str(), format!("{} {}", figures.project_id, figures.project_name)),
        (t.employer.as_str(), c.employer.name.clone()),
        (t.org_nr.as_str(), c.employer.org_nr.clone()),
        (t.person.as_str(), name.clone()),
        (t.personnummer.as_str(), c.personnummer.clone()),
        (t.role.as_str(), role.clone()),
        (t.share.as_str(), share_text(c.share)),
        (t.from.as_str(), date(c.from)),
    ];
    if let Some(until) = c.until {
        facts.push((t.to.as_str(), date(until)));
    }
    facts.push((t.employment.as_str(), share_text(c.employment)));

    let mut body = text(&t.body);
    if c.until.is_some() {
        body = format!("{body} {}", text(&t.until));
    }
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN).header(709).footer(709))
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(22)
        .footer(Footer::new().add_paragraph(paragraph(&text(&t.footer), 16, false, MUTED, 0)))
        .add_paragraph(paragraph(&format!("{} · {}", c.employer.name, c.employer.org_nr), 18, false, MUTED, 240))
        .add_paragraph(paragraph(&text(&t.title), 36, true, HEADING, 240))
        .add_paragraph(paragraph(&text(&t.intro), 18, false, MUTED, 240))
        .add_paragraph(paragraph(&text(&t.facts_heading), 24, true, HEADING, 80))
        .add_table(facts_table(&facts))
        .add_paragraph(paragraph(&body, 22, false, "000000", 160));
    if c.previous.is_some() {
        doc = doc.add_paragraph(paragraph(&text(&t.changed), 22, false, "000000", 160));
    }
    doc = doc.add_paragraph(paragraph(&t.signatures_heading, 24, true, HEADING, 80)).add_table(signatures(t, &c.name));
    let mut raw = std::io::Cursor::new(Vec::new());
    doc.pack(&mut raw).map_err(|e| EmitError::Docx(e.to_string()))?;
    let meta = Meta {
        title: format!("{} – {name}", text(&t.title)),
        subject: format!("Ansökan om utbetalning {} – projekt {}", figures.claim_seq, figures.project_id),
        creator: c.employer.name.clone(),
        date: figures.document_date(),
    };
    package::normalise(&raw.into_inner(), &[], &meta, &[], &[])
}

/// A paragraph of one run: `size` in half points, `after` space in twentieths of a point.
fn paragraph(text: &str, size: usize, bold: bool, color: &str, after: u32) -> Paragraph {
    let mut run = Run::new().add_text(report::clean_text(text)).size(size).color(color);
    if bold {
        run = run.bold();
    }
    Paragraph::new().add_run(run).line_spacing(LineSpacing::new().before(120).after(after))
}

/// A cell of `width` holding `text`.
fn cell(text: &str, width: usize, bold: bool) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(paragraph(text, 21, bold, "000000", 0))
}

fn no_borders(table: Table) -> Table {
    table.set_borders(TableBorders::with_empty())
}

/// The facts as label and value, ruled lightly between the rows.
fn facts_table(facts: &[(&str, String)]) -> Table {
    let label = 3_400;
    let rule = || {
        TableCellBorders::with_empty().set(
            TableCellBorder::new(TableCellBorderPosition::Bottom)
                .border_type(BorderType::Single)
                .size(2)
                .color("BFBFBF"),
        )
    };
    let rows = facts
        .iter()
        .map(|(l, v)| {
            TableRow::new(vec![
                cell(l, label, true).set_borders(rule()),
                cell(v, TEXT_WIDTH - label, false).set_borders(rule()),
            ])
            .cant_split()
        })
        .collect();
    no_borders(Table::new(rows).set_grid(vec![label, TEXT_WIDTH - label]).layout(TableLayoutType::Fixed))
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// Two columns of signature lines: the employer's authorised signatory and the employee, each
/// with place and date, signature and the name in clear (the employee's written in).
fn signatures(t: &super::texts::CertificateTexts, employee: &str) -> Table {
    let (col, gap) = (4_300, TEXT_WIDTH - 2 * 4_300);
    let line = || {
        TableCellBorders::with_empty().set(
            TableCellBorder::new(TableCellBorderPosition::Bottom)
                .border_type(BorderType::Single)
                .size(6)
                .color("000000"),
        )
    };
    let caption = |text: &str| {
        TableCell::new().width(col, WidthType::Dxa).add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Left)
                .add_run(Run::new().add_text(report::clean_text(text)).size(16).color(MUTED)),
        )
    };
    let blank = |w: usize| TableCell::new().width(w, WidthType::Dxa).add_paragraph(Paragraph::new());
    let mut rows = vec![TableRow::new(vec![
        cell(&t.employer_signature, col, true),
        blank(gap),
        cell(&t.employee_signature, col, true),
    ])];
    for (label, filled) in
        [(t.place_and_date.as_str(), ""), (t.signature.as_str(), ""), (t.name_clarification.as_str(), employee)]
    {
        let written = |text: &str| {
            TableCell::new()
                .width(col, WidthType::Dxa)
                .add_paragraph(paragraph(text, 21, false, "000000", 0))
                .set_borders(line())
        };
        rows.push(
            TableRow::new(vec![written(""), blank(gap), written(filled)])
                .row_height(620.0)
                .height_rule(HeightRule::AtLeast)
                .cant_split(),
        );
        rows.push(TableRow::new(vec![caption(label), blank(gap), caption(label)]).cant_split());
    }
    no_borders(Table::new(rows).set_grid(vec![col, gap, col]).layout(TableLayoutType::Fixed))
        .width(TEXT_WIDTH, WidthType::Dxa)
}
