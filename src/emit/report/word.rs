//! Word building blocks on top of docx-rs: the style sheet, headings with bookmarks, a table of
//! contents written from the headings, tables with repeated header rows, charts with captions,
//! and the finished package.
//!
//! docx-rs has no built-in heading styles, no repeated table header rows and several
//! process-global id counters. [`Doc::pack`] therefore takes docx-rs's package and
//! [`Packed::finish`] normalises it ([`super::package`]): header rows get `w:tblHeader`, paragraph
//! and drawing ids are numbered in document order, the core properties carry the document date,
//! and the zip entries have fixed timestamps — the same figures give the same bytes.
//!
//! A chart goes into the document by its [`Figure`] — its size and a number — while its pixels
//! are still being drawn elsewhere: docx-rs packs a stand-in for each image
//! ([`package::stand_in`]), which the finished package replaces with the chart's PNG.
//!
//! The body is written out block by block as it is built: a paragraph or table becomes its XML
//! (docx-rs's own, `BuildXML::build`) as soon as the next block comes, so that a report of
//! thousands of partner texts holds their XML, not docx-rs's far larger tree of them. docx-rs
//! packs a marked paragraph in place of each run of written blocks ([`package::text_mark`]),
//! which the finished package replaces with the XML; only the charts' paragraphs, whose images
//! docx-rs must pack, stay in its tree.

use docx_rs::{
    AlignmentType, BorderType, BreakType, BuildXML, Docx, Footer, Header, HeightRule, Hyperlink, HyperlinkType,
    LineSpacing, LineSpacingType, NumPages, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading, ShdType,
    SpecialIndentType, Style, StyleType, Tab, TabValueType, Table, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins, TableLayoutType, TableRow,
    WidthType,
};

use super::package::{self, Meta};
use crate::emit::EmitError;
use crate::emit::charts::Chart;

/// A chart as the document places it: its number among the report's charts and its size in
/// pixels.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    pub id: usize,
    pub width: u32,
    pub height: u32,
}

/// Text width of the page in twentieths of a point: A4 (11 906) less 2 × 2,5 cm margins.
pub const TEXT_WIDTH: u32 = 9_070;
pub(in crate::emit) const PAGE_W: u32 = 11_906;
pub(in crate::emit) const PAGE_H: u32 = 16_838;
pub(in crate::emit) const MARGIN: i32 = 1_418;

pub(in crate::emit) const FONT: &str = "Calibri";
pub(in crate::emit) const HEADING_COLOR: &str = "1F4E79";
pub(in crate::emit) const MUTED: &str = "595959";
const ALERT: &str = "9C2A00";
const RULE: &str = "A6A6A6";
const HEADER_FILL: &str = "DCE6F1";
const TOTAL_FILL: &str = "F2F2F2";
const FRAME_FILL: &str = "FFF4D6";
const FRAME_RULE: &str = "C9A227";

/// Left and right padding of table cells (Word's default is 108).
const CELL_MARGIN: usize = 72;

/// Charts are placed 16 cm wide; 1 cm is 360 000 EMU.
const IMAGE_WIDTH_EMU: u32 = 5_760_000;

/// The row height docx-rs writes for a header row, replaced by `w:tblHeader` in the package.
pub(super) const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table column: header, width in twentieths of a point, alignment.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub width: u32,
    pub align: Align,
}

impl Column {
    /// A left-aligned (text) column.
    pub fn left(header: &str, width: u32) -> Column {
        Column { header: header.to_string(), width, align: Align::Left }
    }
    /// A right-aligned (amount) column.
    pub fn right(header: &str, width: u32) -> Column {
        Column { header: header.to_string(), width, align: Align::Right }
    }
}

/// How a table row is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Body,
    /// A row that heads the detail rows under it (bold).
    Group,
    /// A detail row under a group row (indented first cell).
    Sub,
    /// A sum row (bold, shaded, rule above).
    Total,
}

/// A table row: one text per column.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<String>,
    pub kind: RowKind,
}

impl Row {
    /// An ordinary row.
    pub fn body(cells: Vec<String>) -> Row {
        Row { cells, kind: RowKind::Body }
    }
    /// A row heading the detail rows under it.
    pub fn group(cells: Vec<String>) -> Row {
        Row { cells, kind: RowKind::Group }
    }
    /// A detail row.
    pub fn sub(cells: Vec<String>) -> Row {
        Row { cells, kind: RowKind::Sub }
    }
    /// A sum row.
    pub fn total(cells: Vec<String>) -> Row {
        Row { cells, kind: RowKind::Total }
    }
}

/// A heading as the table of contents lists it.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub level: usize,
    pub text: String,
    pub bookmark: String,
}

enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// A stretch of the body: blocks already written as XML, or a chart's paragraph for docx-rs.
enum Part {
    Written(Vec<u8>),
    Chart(Box<Paragraph>),
}

/// A report being written: the body so far, headings for the table of contents, charts.
pub struct Doc {
    /// The body in order, but for its last block.
    parts: Vec<Part>,
    /// The last block, written when the next comes: a table makes the paragraph before it keep
    /// with its first rows.
    last: Option<Block>,
    toc: Vec<TocEntry>,
    bookmarks: usize,
    figures: usize,
    /// Alternative text of each chart, in document order.
    alts: Vec<String>,
    figure_label: String,
}

/// Free text as it may come from a partner's cell: control characters out, tabs as spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            '\r' => None,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// A run of (cleaned) text; line breaks inside become Word line breaks.
fn text_run(text: &str) -> Run {
    let cleaned = clean(text);
    let mut run = Run::new();
    for (i, line) in cleaned.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

impl Doc {
    /// An empty document whose figure captions start with `figure_label` ("Figur").
    pub fn new(figure_label: &str) -> Doc {
        Doc {
            parts: Vec::new(),
            last: None,
            toc: Vec::new(),
            bookmarks: 0,
            figures: 0,
            alts: Vec::new(),
            figure_label: figure_label.to_string(),
        }
    }

    fn push(&mut self, p: Paragraph) {
        self.add(Block::Paragraph(Box::new(p)));
    }

    /// Makes `block` the last block, writing the one before it.
    fn add(&mut self, block: Block) {
        if let Some(done) = self.last.replace(block) {
            self.write(done);
        }
    }

    /// Writes `block`'s XML at the end of the body.
    fn write(&mut self, block: Block) {
        let xml = match block {
            Block::Paragraph(p) => p.build(),
            Block::Table(t) => t.build(),
        };
        match self.parts.last_mut() {
            Some(Part::Written(body)) => body.extend_from_slice(&xml),
            _ => self.parts.push(Part::Written(xml)),
        }
    }

    /// Writes the last block, if any.
    fn flush(&mut self) {
        if let Some(done) = self.last.take() {
            self.write(done);
        }
    }

    /// A heading of `level` 1–3 with a bookmark; levels 1 and 2 go into the table of contents.
    pub fn heading(&mut self, level: usize, text: &str) {
        self.bookmarks += 1;
        let id = self.bookmarks;
        let bookmark = format!("_Toc{id:05}");
        let style = match level {
            1 => "Heading1",
            2 => "Heading2",
            _ => "Heading3",
        };
        self.push(
            Paragraph::new()
                .style(style)
                .add_bookmark_start(id, &bookmark)
                .add_run(text_run(text))
                .add_bookmark_end(id),
        );
        if level <= 2 {
            self.toc.push(TocEntry { level, text: clean(text), bookmark });
        }
    }

    /// Body text; blank lines separate paragraphs.
    pub fn text(&mut self, text: &str) {
        for part in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            self.push(Paragraph::new().style("BodyText").add_run(text_run(part)));
        }
    }

    /// A passage from a partner: the attribution in bold, run in before the partner's text;
    /// further paragraphs of the text follow as continuation paragraphs.
    pub fn quote(&mut self, attribution: &str, text: &str) {
        let cleaned = clean(text);
        let mut parts = cleaned.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
        let mut first = Paragraph::new().style("Narrative").add_run(text_run(&format!("{attribution}. ")).bold());
        if let Some(part) = parts.next() {
            first = first.add_run(text_run(part));
        }
        self.push(first);
        for part in parts {
            self.push(Paragraph::new().style("NarrativeMore").add_run(text_run(part)));
        }
    }

    /// A line of text with its source after it, small and muted: `Text. (Ånge kommun jan 2024)`.
    pub fn sourced(&mut self, text: &str, source: &str) {
        self.push(
            Paragraph::new()
                .style("Narrative")
                .add_run(text_run(text))
                .add_run(text_run(&format!(" ({source})")).size(18).italic().color(MUTED)),
        );
    }

    /// A short bold label over the paragraphs that follow it (kept with them).
    pub fn label(&mut self, text: &str) {
        self.push(Paragraph::new().style("Label").keep_next(true).add_run(text_run(text)));
    }

    /// A small note in muted text.
    pub fn note(&mut self, text: &str) {
        self.push(Paragraph::new().style("Note").add_run(text_run(text)));
    }

    /// A framed, shaded box with `label` in bold run in before `text`: what the reader must not
    /// miss (the final report's "Att skriva", a preliminary report's warning).
    pub fn frame(&mut self, label: &str, text: &str) {
        let cleaned = clean(text);
        let mut parts = cleaned.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
        let mut first = Paragraph::new().style("FrameText").add_run(text_run(&format!("{label} ")).bold());
        if let Some(part) = parts.next() {
            first = first.add_run(text_run(part));
        }
        let mut cell = TableCell::new()
            .width(TEXT_WIDTH as usize, WidthType::Dxa)
            .shading(shading(FRAME_FILL))
            .add_paragraph(first);
        for part in parts {
            cell = cell.add_paragraph(Paragraph::new().style("FrameText").add_run(text_run(part)));
        }
        let rule = |pos| TableBorder::new(pos).border_type(BorderType::Single).size(8).color(FRAME_RULE);
        let table = Table::new(vec![TableRow::new(vec![cell]).cant_split()])
            .set_grid(vec![TEXT_WIDTH as usize])
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(100, 140, 100, 140))
            .width(TEXT_WIDTH as usize, WidthType::Dxa)
            .set_borders(
                TableBorders::with_empty()
                    .set(rule(TableBorderPosition::Top))
                    .set(rule(TableBorderPosition::Bottom))
                    .set(rule(TableBorderPosition::Left))
                    .set(rule(TableBorderPosition::Right)),
            );
        self.add(Block::Table(Box::new(table)));
        self.push(Paragraph::new().style("AfterTable"));
    }

    /// A table with a header row that repeats on every page, amounts aligned right.
    pub fn table(&mut self, columns: &[Column], rows: &[Row]) {
        // The paragraph introducing the table, and the header row, stay with the first rows.
        if let Some(Block::Paragraph(p)) = self.last.as_mut() {
            let intro = std::mem::take(&mut **p);
            **p = intro.keep_next(true);
        }
        let header = TableRow::new(
            columns
                .iter()
                .map(|c| cell(&c.header, c, true, RowKind::Body, true).shading(shading(HEADER_FILL)))
                .collect(),
        )
        .cant_split()
        .row_height(1.0)
        .height_rule(HeightRule::AtLeast);
        let mut table_rows = vec![header];
        for row in rows {
            let cells = columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let text = row.cells.get(i).map(String::as_str).unwrap_or("");
                    let mut tc = cell(
                        text,
                        c,
                        matches!(row.kind, RowKind::Total | RowKind::Group),
                        if i == 0 { row.kind } else { RowKind::Body },
                        row.kind == RowKind::Group,
                    );
                    if row.kind == RowKind::Total {
                        tc = tc.shading(shading(TOTAL_FILL)).set_borders(
                            TableCellBorders::with_empty().set(
                                TableCellBorder::new(TableCellBorderPosition::Top)
                                    .border_type(BorderType::Single)
                                    .size(8)
                                    .color(RULE),
                            ),
                        );
                    }
                    tc
                })
                .collect();
            table_rows.push(TableRow::new(cells).cant_split());
        }
        let rule = |pos| TableBorder::new(pos).border_type(BorderType::Single).size(6).color(RULE);
        let none = |pos| TableBorder::new(pos).border_type(BorderType::None).size(0);
        let borders = TableBorders::with_empty()
            .set(rule(TableBorderPosition::Top))
            .set(rule(TableBorderPosition::Bottom))
            .set(TableBorder::new(TableBorderPosition::InsideH).border_type(BorderType::Single).size(2).color("D9D9D9"))
            .set(none(TableBorderPosition::Left))
            .set(none(TableBorderPosition::Right))
            .set(none(TableBorderPosition::InsideV));
        let widths: Vec<usize> = columns.iter().map(|c| c.width as usize).collect();
        let table = Table::new(table_rows)
            .set_grid(widths.clone())
            .layout(TableLayoutType::Fixed)
            .margins(
                TableCellMargins::new()
                    .margin_left(CELL_MARGIN, WidthType::Dxa)
                    .margin_right(CELL_MARGIN, WidthType::Dxa),
            )
            .width(widths.iter().sum(), WidthType::Dxa)
            .set_borders(borders);
        self.add(Block::Table(Box::new(table)));
        // A little air after the table.
        self.push(Paragraph::new().style("AfterTable"));
    }

    /// A chart 16 cm wide, centred, with a numbered caption; `alt` describes it for screen
    /// readers.
    pub fn chart(&mut self, chart: Figure, caption: &str) {
        self.figures += 1;
        let n = self.figures;
        let height = (u64::from(IMAGE_WIDTH_EMU) * u64::from(chart.height) / u64::from(chart.width.max(1))) as u32;
        let pic = Pic::new_with_dimensions(package::stand_in(chart.id), chart.width, chart.height)
            .id(format!("rIdImage{n}"))
            .size(IMAGE_WIDTH_EMU, height);
        self.flush();
        let figure = Paragraph::new().style("Figure").keep_next(true).add_run(Run::new().add_image(pic));
        self.parts.push(Part::Chart(Box::new(figure)));
        let label = format!("{} {n}. ", self.figure_label);
        self.push(
            Paragraph::new().style("Caption").add_run(Run::new().add_text(label).bold()).add_run(text_run(caption)),
        );
        self.alts.push(clean(caption));
    }

    /// Title page, table of contents and body packed by docx-rs, the charts still to come.
    pub fn pack(mut self, title: &TitlePage, meta: Meta) -> Result<Packed, EmitError> {
        self.flush();
        let mut docx = Docx::new()
            .page_size(PAGE_W, PAGE_H)
            .page_margin(
                PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN).header(709).footer(709),
            )
            .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
            .default_size(22)
            .default_line_spacing(lines(0, 120, 264))
            .title_pg()
            .first_footer(Footer::new().add_paragraph(Paragraph::new().style("Footer")))
            .footer(footer(&title.footer, &title.page, &title.page_of));
        if let Some(text) = &title.header {
            let header = || Header::new().add_paragraph(Paragraph::new().style("Header").add_run(text_run(text)));
            docx = docx.header(header()).first_header(header());
        }
        for style in styles() {
            docx = docx.add_style(style);
        }
        for p in title_page(title) {
            docx = docx.add_paragraph(p);
        }
        docx = docx.add_paragraph(Paragraph::new().style("TOCHeading").add_run(Run::new().add_text(&title.contents)));
        for entry in &self.toc {
            let style = if entry.level == 1 { "TOC1" } else { "TOC2" };
            docx = docx.add_paragraph(Paragraph::new().style(style).add_hyperlink(
                Hyperlink::new(&entry.bookmark, HyperlinkType::Anchor).add_run(Run::new().add_text(&entry.text)),
            ));
        }
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
        let mut written = Vec::new();
        for part in self.parts {
            docx = match part {
                Part::Written(xml) => {
                    let mark = Paragraph::new().style(&package::text_mark(written.len()));
                    written.push(xml);
                    docx.add_paragraph(mark)
                }
                Part::Chart(p) => docx.add_paragraph(*p),
            };
        }
        let mut raw = std::io::Cursor::new(Vec::new());
        docx.pack(&mut raw).map_err(|e| EmitError::Docx(e.to_string()))?;
        Ok(Packed { raw: raw.into_inner(), written, alts: self.alts, meta })
    }
}

/// A report as docx-rs packed it, each chart a stand-in and each run of written blocks a marked
/// paragraph.
pub struct Packed {
    raw: Vec<u8>,
    /// The XML of each marked paragraph's blocks, in order.
    written: Vec<Vec<u8>>,
    alts: Vec<String>,
    meta: Meta,
}

impl Packed {
    /// The finished `.docx`: the package normalised, the written blocks in place of their marks,
    /// chart `id` of every [`Figure`] taken from `charts[id]`.
    pub fn finish(self, charts: &[Chart]) -> Result<Vec<u8>, EmitError> {
        package::normalise(&self.raw, &self.written, &self.meta, &self.alts, charts)
    }
}

/// What the title page shows.
#[derive(Debug, Clone)]
pub struct TitlePage {
    /// "Lägesrapport" / "Slutrapport".
    pub kind: String,
    pub project: String,
    /// Label–value lines under the title (project number, owner, period, date …).
    pub facts: Vec<(String, String)>,
    /// A closing note (no personal data).
    pub note: String,
    pub contents: String,
    pub footer: String,
    pub page: String,
    pub page_of: String,
    /// A line at the top of every page, the title page included (a preliminary report says so).
    pub header: Option<String>,
}

fn title_page(t: &TitlePage) -> Vec<Paragraph> {
    let mut out = vec![
        Paragraph::new().style("Subtitle").add_run(text_run(&t.kind)),
        Paragraph::new().style("Title").add_run(text_run(&t.project)),
    ];
    for (label, value) in &t.facts {
        out.push(
            Paragraph::new()
                .style("TitleFact")
                .indent(Some(2_835), Some(SpecialIndentType::Hanging(2_835)), None, None)
                .add_tab(Tab::new().val(TabValueType::Left).pos(2_835))
                .add_run(Run::new().add_text(label).bold())
                .add_run(Run::new().add_tab())
                .add_run(text_run(value)),
        );
    }
    out.push(Paragraph::new().style("TitleNote").add_run(text_run(&t.note)));
    out.push(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    out
}

fn footer(left: &str, page: &str, of: &str) -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .style("Footer")
            .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH as usize))
            .add_run(text_run(left))
            .add_run(Run::new().add_tab().add_text(format!("{page} ")))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(format!(" {of} ")))
            .add_num_pages(NumPages::new()),
    )
}

fn shading(fill: &str) -> Shading {
    Shading::new().shd_type(ShdType::Clear).color("auto").fill(fill)
}

/// A table cell of one paragraph; `keep` keeps its row on the page of the next row.
fn cell(text: &str, column: &Column, bold: bool, kind: RowKind, keep: bool) -> TableCell {
    let align = match column.align {
        Align::Left => AlignmentType::Left,
        Align::Right => AlignmentType::Right,
    };
    let mut run = text_run(text);
    if bold {
        run = run.bold();
    }
    let mut p = Paragraph::new().style("TableText").align(align).keep_next(keep).add_run(run);
    if kind == RowKind::Sub {
        p = p.indent(Some(227), None, None, None);
    }
    TableCell::new().width(column.width as usize, WidthType::Dxa).add_paragraph(p)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

/// Line height in 240ths of the single line (`264` is 1,1 lines).
fn lines(before: u32, after: u32, line: i32) -> LineSpacing {
    spacing(before, after).line_rule(LineSpacingType::Auto).line(line)
}

fn paragraph_style(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph).name(name)
}

/// The style sheet (docx-rs writes an empty `Normal`; its look is the document defaults): headings 1–3 with outline levels (Word's navigation pane), title,
/// table of contents, table text, captions, quotes and the footer.
fn styles() -> Vec<Style> {
    let heading = |id: &str, name: &str, level: usize, size: usize, before: u32, after: u32| {
        let mut s = paragraph_style(id, name)
            .based_on("Normal")
            .next("BodyText")
            .bold()
            .size(size)
            .color(HEADING_COLOR)
            .outline_lvl(level)
            .line_spacing(spacing(before, after));
        s.paragraph_property = s.paragraph_property.keep_next(true).keep_lines(true);
        s
    };
    let mut toc_heading = paragraph_style("TOCHeading", "TOC Heading")
        .based_on("Normal")
        .bold()
        .size(32)
        .color(HEADING_COLOR)
        .line_spacing(spacing(0, 240));
    toc_heading.paragraph_property = toc_heading.paragraph_property.keep_next(true);
    vec![
        paragraph_style("BodyText", "Body Text").based_on("Normal"),
        heading("Heading1", "heading 1", 0, 32, 480, 160),
        heading("Heading2", "heading 2", 1, 26, 320, 100),
        heading("Heading3", "heading 3", 2, 22, 240, 60),
        paragraph_style("Title", "Title")
            .based_on("Normal")
            .bold()
            .size(52)
            .color(HEADING_COLOR)
            .line_spacing(lines(0, 600, 240)),
        paragraph_style("Subtitle", "Subtitle")
            .based_on("Normal")
            .size(32)
            .color(MUTED)
            .line_spacing(spacing(2_400, 240)),
        paragraph_style("TitleFact", "Title Fact").based_on("Normal").line_spacing(spacing(0, 80)),
        paragraph_style("TitleNote", "Title Note")
            .based_on("Normal")
            .size(18)
            .italic()
            .color(MUTED)
            .line_spacing(spacing(600, 0)),
        toc_heading,
        paragraph_style("TOC1", "toc 1").based_on("Normal").bold().line_spacing(spacing(120, 40)),
        paragraph_style("TOC2", "toc 2")
            .based_on("Normal")
            .indent(Some(794), Some(SpecialIndentType::Hanging(454)), None, None)
            .line_spacing(spacing(0, 40)),
        paragraph_style("TableText", "Table Text").based_on("Normal").size(18).line_spacing(lines(30, 30, 240)),
        paragraph_style("AfterTable", "After Table").based_on("Normal").size(12).line_spacing(spacing(0, 120)),
        paragraph_style("Figure", "Figure")
            .based_on("Normal")
            .align(AlignmentType::Center)
            .line_spacing(spacing(120, 40)),
        paragraph_style("Caption", "caption")
            .based_on("Normal")
            .size(18)
            .italic()
            .color(MUTED)
            .line_spacing(spacing(0, 240)),
        paragraph_style("Narrative", "Narrative").based_on("Normal").line_spacing(spacing(60, 80)),
        paragraph_style("NarrativeMore", "Narrative Continued").based_on("Narrative").line_spacing(spacing(0, 80)),
        paragraph_style("Note", "Note").based_on("Normal").size(18).italic().color(MUTED),
        paragraph_style("Label", "Label").based_on("Normal").bold().color(HEADING_COLOR).line_spacing(spacing(120, 20)),
        paragraph_style("FrameText", "Frame Text").based_on("Normal").line_spacing(spacing(40, 40)),
        paragraph_style("Header", "header").based_on("Normal").size(18).bold().color(ALERT).line_spacing(spacing(0, 0)),
        paragraph_style("Footer", "footer").based_on("Normal").size(16).color(MUTED).line_spacing(spacing(0, 0)),
    ]
}
