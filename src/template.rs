//! The partner workbook template (`redovisa template`): one month's workbook for a partner or an
//! in-kind co-financier, laid out so that it is hard to fill wrongly.
//!
//! Every sheet and header comes from [`crate::contract`], so the template, the reader and the demo
//! generator cannot drift apart. `Uppgifter` is prefilled (projektpart, organisationsnummer,
//! period as text, version 1) and marks the attestation cells the partner fills in. The table
//! sheets have a styled, frozen header row, readable widths and a number of typed, bordered input
//! rows: dates as `yyyy-mm-dd`, amounts `# ##0,00`, hours `0,00`, shares `0 %`, identifiers and
//! activity codes as text (so Excel never turns `1.1` into a date). Dropdowns offer the project's
//! activity codes, its reported indicators and the contract's closed lists; dated rows must lie in
//! the month. A first sheet, `Instruktioner`, says in Swedish what to fill in and where to drop
//! the file. When the inbox holds the partner's counting workbook for the previous month (chosen
//! by the run's own examine and select), its `Personal` rows are copied in. Texts and row counts live in `templates/partnermall.toml`,
//! which a project may override key by key with `mallar/partnermall.toml`. The document's
//! timestamp is the month's first day, so the same inputs give the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};
use serde::Deserialize;

use crate::contract::{self, Column, KON, KOSTNADSSLAG, Label, ORSAK, REDOVISNING, Sheet, TYP, normalise};
use crate::examine::{Examined, examine};
use crate::intake::{self, Candidate, FileKind, Status};
use crate::ledger::Ledger;
use crate::money::{percent, sv_percent};
use crate::month::Month;
use crate::overrides;
use crate::project::{FlatRateModel, Measure, Org, Project};
use crate::read::{self, Limits, PersonRow};

/// The built-in texts and defaults.
const EMBEDDED: &str = include_str!("../templates/partnermall.toml");
/// A project's own texts, relative to the project folder.
pub const OVERRIDE_FILE: &str = "mallar/partnermall.toml";
/// The instruction sheet's name (not a contract sheet: the reader ignores it).
pub const INSTRUCTIONS_SHEET: &str = "Instruktioner";
/// The hidden sheet holding dropdown lists too long or too comma-rich for an inline list.
pub const LISTS_SHEET: &str = "Listor";
/// Most input rows a sheet may ask for: a template is a form, not a database.
const MAX_ROWS: u32 = 5_000;
/// Excel's limit for an inline list, commas included.
const INLINE_LIST_MAX: usize = 255;

/// Texts and defaults of the template, as in `templates/partnermall.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateText {
    /// First line of `Instruktioner` and `Uppgifter`, and the document title.
    pub title: String,
    pub subtitle: String,
    /// Shown beside the headers of `Övriga kostnader` for those who must not fill it in.
    pub other_costs_closed: String,
    pub rows: Rows,
    pub instructions: Instructions,
    /// Hints in column C of `Uppgifter`, by label.
    pub labels: BTreeMap<String, String>,
    pub messages: Messages,
    /// Description of each column, by sheet name and header, for the instruction sheet.
    #[serde(default)]
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
}

/// How many input rows each table sheet gets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rows {
    pub default: u32,
    /// By sheet name.
    #[serde(default)]
    pub per_sheet: BTreeMap<String, u32>,
}

/// The numbered lines of `Instruktioner`: common ones, then the ones for the organisation's role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instructions {
    pub heading: String,
    pub columns_heading: String,
    pub common: Vec<String>,
    /// Flat rate covering all remaining costs (art. 56): no other costs.
    pub remaining_costs: Vec<String>,
    /// Flat rate for indirect costs (art. 54 b): actual other costs are reported.
    pub indirect: Vec<String>,
    /// An organisation without a flat rate that reports no other costs.
    pub no_other_costs: Vec<String>,
    /// Co-financiers giving time in kind.
    pub cofinancier: Vec<String>,
}

/// Messages Excel shows when a cell's validation rejects what was typed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    /// Title of every such message (Excel allows 32 characters).
    pub title: String,
    pub activity: String,
    pub indicator: String,
    /// For a closed list; `{lista}` is the list.
    pub choice: String,
    pub date: String,
    pub hours: String,
    pub amount: String,
    pub version: String,
}

impl TemplateText {
    /// The built-in texts.
    pub fn embedded() -> anyhow::Result<TemplateText> {
        let layered = overrides::built_in_only(EMBEDDED, EMBEDDED_NAME).map_err(override_error)?;
        TemplateText::from_layered(layered)
    }

    /// The texts for a project: the built-in ones, with `mallar/partnermall.toml` of the project
    /// folder laid over them when it exists (the rule of [`crate::overrides`], shared with the
    /// reports' texts).
    pub fn load(project_dir: &Path) -> anyhow::Result<TemplateText> {
        let layered =
            overrides::load(project_dir, OVERRIDE_FILE, EMBEDDED, EMBEDDED_NAME, OPEN).map_err(override_error)?;
        TemplateText::from_layered(layered)
    }

    fn from_layered(layered: overrides::Layered) -> anyhow::Result<TemplateText> {
        let source = layered.source.display().to_string();
        match layered.value {
            toml::Value::Table(table) => TemplateText::from_table(table, &source),
            _ => Err(anyhow!("{source} går inte att tolka")),
        }
    }

    fn from_table(table: toml::Table, source: &str) -> anyhow::Result<TemplateText> {
        let text: TemplateText = table.try_into().with_context(|| format!("{source} går inte att tolka"))?;
        text.check().map_err(|e| anyhow!("{source}: {e}"))?;
        Ok(text)
    }

    /// Every sheet, column and label key must name one of the contract, so that a typo in an
    /// override is reported rather than silently ignored.
    fn check(&self) -> Result<(), String> {
        for (key, n) in &self.rows.per_sheet {
            if contract::sheet_for(key).is_none_or(|s| s == Sheet::Uppgifter) {
                return Err(format!("[rows.per_sheet] «{key}» är inget tabellblad i partnerarbetsboken"));
            }
            if *n > MAX_ROWS {
                return Err(format!("[rows.per_sheet] {key} = {n} är fler rader än {MAX_ROWS}"));
            }
        }
        if self.rows.default > MAX_ROWS {
            return Err(format!("[rows] default = {} är fler rader än {MAX_ROWS}", self.rows.default));
        }
        for (sheet_key, columns) in &self.columns {
            let Some(sheet) = contract::sheet_for(sheet_key) else {
                return Err(format!("[columns] «{sheet_key}» är inget blad i partnerarbetsboken"));
            };
            for key in columns.keys() {
                if !sheet.columns().iter().any(|c| normalise(c.header()) == normalise(key)) {
                    return Err(format!("[columns.\"{sheet_key}\"] «{key}» är ingen kolumn i bladet {}", sheet.name()));
                }
            }
        }
        for key in self.labels.keys() {
            if !Label::ALL.iter().any(|l| normalise(l.text()) == normalise(key)) {
                return Err(format!("[labels] «{key}» är ingen uppgift i bladet Uppgifter"));
            }
        }
        Ok(())
    }

    /// Input rows of a table sheet.
    pub fn rows(&self, sheet: Sheet) -> u32 {
        self.rows
            .per_sheet
            .iter()
            .find(|(k, _)| contract::sheet_for(k) == Some(sheet))
            .map_or(self.rows.default, |(_, n)| *n)
    }

    /// The description of a column, empty when there is none.
    pub fn column(&self, sheet: Sheet, col: Column) -> &str {
        self.columns
            .iter()
            .filter(|(k, _)| contract::sheet_for(k) == Some(sheet))
            .flat_map(|(_, cols)| cols.iter())
            .find(|(k, _)| normalise(k) == normalise(col.header()))
            .map_or("", |(_, v)| v.as_str())
    }

    /// The hint beside a label of `Uppgifter`, empty when there is none.
    pub fn label(&self, label: Label) -> &str {
        self.labels.iter().find(|(k, _)| normalise(k) == normalise(label.text())).map_or("", |(_, v)| v.as_str())
    }
}

/// The built-in file's name, as errors in it name it.
const EMBEDDED_NAME: &str = "templates/partnermall.toml";

/// The tables a project's file may add keys to: row counts, label hints and column descriptions
/// by sheet, whose keys [`TemplateText::check`] checks against the contract.
const OPEN: &[&str] = &["rows.per_sheet", "labels", "columns", "columns.*"];

fn override_error(e: overrides::OverrideError) -> anyhow::Error {
    anyhow!("{}: {}", e.path.display(), e.message)
}

/// Renders the template for a partner or co-financier folder and month, as `.xlsx` bytes.
pub fn render(project: &Project, folder: &str, month: Month) -> anyhow::Result<Vec<u8>> {
    let org = project.org_by_folder(folder).ok_or_else(|| {
        let folders: Vec<&str> = project.orgs().map(Org::folder).collect();
        anyhow!(
            "«{folder}» är ingen projektparts eller medfinansiärs mapp i projektet. Ange en av: {}.",
            folders.join(", ")
        )
    })?;
    if month < project.start_month() || month > project.end_month() {
        bail!(
            "månaden {month} ligger utanför projektets tid {} – {}; ange en månad inom projektet",
            project.info.start,
            project.info.end
        );
    }
    let text = TemplateText::load(&project.dir)?;
    let staff = previous_staff(project, org, month)?;
    Template::new(project, org, month, &text).write(&staff).map_err(|e| anyhow!("kan inte skapa mallen: {e}"))
}

/// The `Personal` rows of the organisation's counting workbook for the month before `month`,
/// chosen as a run chooses it ([`examine`] and [`intake::select`]: highest version, pinned by a
/// submitted claim, duplicates count for none, a file that changed or cannot be checked is no
/// candidate), without the people whose Slutdatum lies before `month`. Empty when the inbox holds
/// no such workbook.
fn previous_staff(project: &Project, org: Org, month: Month) -> anyhow::Result<Vec<PersonRow>> {
    let inbox = project.inbox();
    if !inbox.is_dir() {
        return Ok(Vec::new());
    }
    let files = intake::scan(project, &inbox).with_context(|| format!("kan inte läsa inkorgen {}", inbox.display()))?;
    let limits = Limits::default();
    let examined: Vec<Examined> = files
        .into_iter()
        .filter(|f| f.kind == FileKind::Workbook && f.folder.as_deref() == Some(org.folder()))
        .map(|f| examine(project, f, &limits))
        .collect();
    let candidates: Vec<Candidate> = examined.iter().map(Examined::candidate).collect();
    let pinned = crate::ledger::legacy_pinned(&Ledger::load(&project.dir)?.claims);
    let (choices, _) = intake::select(project, &candidates, false, &pinned);
    let previous = month.prev();
    let counting = choices.iter().zip(&examined).find_map(|(choice, e)| {
        let is_previous = e.header.as_ref().is_some_and(|h| h.month == previous);
        (choice.status == Status::Used && is_previous).then_some(e)
    });
    // The run keeps only what its figures need; the template copies the whole rows, so the
    // chosen workbook is read once more. A file that cannot be read now gives no rows.
    let Some(e) = counting else { return Ok(Vec::new()) };
    let Ok(bytes) = std::fs::read(&e.file.path) else { return Ok(Vec::new()) };
    let Some(wb) = read::read_workbook(&bytes, &e.file.rel, &limits).workbook else { return Ok(Vec::new()) };
    let first_day = month.first_day();
    Ok(wb.staff.into_iter().filter(|p| p.end.is_none_or(|e| e >= first_day)).collect())
}

/// What a column holds, which decides its format, width and validation.
#[derive(Debug, Clone, Copy)]
enum Input {
    Text,
    /// An identifier typed with digits (personnummer, organisationsnummer, voucher): text.
    Id,
    LongText,
    Date,
    /// `YYYY-MM` as text.
    Month,
    Amount,
    Hours,
    Percent,
    Number,
    Activity,
    Indicator,
    Choice(&'static [&'static str]),
}

impl Input {
    fn of(col: Column) -> Input {
        use Column::*;
        match col {
            Personnummer | Organisationsnummer | Verifikation => Input::Id,
            Startdatum | Slutdatum | Datum => Input::Date,
            Manad => Input::Month,
            Manadslon | Belopp => Input::Amount,
            Timmar => Input::Hours,
            Andel | Sysselsattningsgrad => Input::Percent,
            Varde => Input::Number,
            Aktivitet | Huvudaktivitet => Input::Activity,
            Indikator => Input::Indicator,
            Redovisning => Input::Choice(&REDOVISNING),
            Kon => Input::Choice(&KON),
            Orsak => Input::Choice(&ORSAK),
            Kostnadsslag => Input::Choice(&KOSTNADSSLAG),
            Typ => Input::Choice(&TYP),
            Genomfort | Resultat | Avvikelser | Beskrivning | Kommentar => Input::LongText,
            Namn | Roll | Traff | Organisation | Finansiar => Input::Text,
        }
    }

    /// The number format in Excel's (en-US) notation; Excel shows it in the user's locale, so
    /// `#,##0.00` reads `# ##0,00` in a Swedish Excel.
    fn num_format(self) -> Option<&'static str> {
        match self {
            Input::Date => Some("yyyy-mm-dd"),
            Input::Amount => Some("#,##0.00"),
            Input::Hours => Some("0.00"),
            Input::Percent => Some("0 %"),
            Input::Number => None,
            Input::Text
            | Input::Id
            | Input::LongText
            | Input::Month
            | Input::Activity
            | Input::Indicator
            | Input::Choice(_) => Some("@"),
        }
    }

    /// Column width in characters: wide enough for the header and a typical value.
    fn width(self, col: Column) -> f64 {
        let typical = match self {
            Input::Text => 26,
            Input::Id => 18,
            Input::LongText => 48,
            Input::Date => 13,
            Input::Month => 11,
            Input::Amount => 15,
            Input::Hours => 10,
            Input::Percent => 11,
            Input::Number => 14,
            Input::Activity => 12,
            Input::Indicator => 60,
            Input::Choice(list) => list.iter().map(|v| v.chars().count()).max().unwrap_or(10) + 4,
        };
        typical.max(col.header().chars().count() + 4) as f64
    }
}

/// Where a dropdown's values come from: written into the validation, or a range of `Listor`.
#[derive(Debug, Clone)]
enum ListSource {
    Inline(Vec<String>),
    Range(String),
}

impl ListSource {
    fn validation(&self) -> Result<DataValidation, XlsxError> {
        match self {
            ListSource::Inline(values) => DataValidation::new().allow_list_strings(values),
            ListSource::Range(range) => Ok(DataValidation::new().allow_list_formula(Formula::new(range))),
        }
    }
}

/// Values that fit Excel's inline list: no commas (the list separator) and at most 255 characters.
fn fits_inline(values: &[String]) -> bool {
    let len: usize = values.iter().map(|v| v.encode_utf16().count() + 1).sum();
    !values.is_empty() && len <= INLINE_LIST_MAX + 1 && values.iter().all(|v| !v.contains(',') && !v.is_empty())
}

/// A value to write into an input cell.
enum Value<'a> {
    Text(&'a str),
    Date(NaiveDate),
    Number(Decimal),
}

/// The formats of one workbook (rust_xlsxwriter deduplicates them into styles).
struct Formats {
    title: Format,
    subtitle: Format,
    heading: Format,
    header: Format,
    label: Format,
    hint: Format,
    prefilled: Format,
    to_fill: Format,
    to_fill_date: Format,
    version: Format,
    instruction: Format,
    closed: Format,
}

const HEADER_FILL: u32 = 0xDDEBF7;
const BORDER_GREY: u32 = 0xBFBFBF;
const PREFILLED_FILL: u32 = 0xF2F2F2;
const TO_FILL_YELLOW: u32 = 0xFFF2CC;
const CLOSED_RED: u32 = 0xC00000;
const CLOSED_TAB: u32 = 0xA6A6A6;

impl Formats {
    fn new() -> Formats {
        let boxed = || Format::new().set_border(FormatBorder::Thin).set_border_color(Color::RGB(BORDER_GREY));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic(),
            heading: Format::new().set_bold().set_font_size(12),
            header: boxed()
                .set_bold()
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            label: Format::new().set_bold(),
            hint: Format::new().set_italic().set_font_color(Color::RGB(0x595959)),
            prefilled: boxed().set_background_color(Color::RGB(PREFILLED_FILL)).set_num_format("@"),
            to_fill: boxed().set_background_color(Color::RGB(TO_FILL_YELLOW)).set_num_format("@"),
            to_fill_date: boxed().set_background_color(Color::RGB(TO_FILL_YELLOW)).set_num_format("yyyy-mm-dd"),
            version: boxed().set_num_format("0").set_align(FormatAlign::Left),
            instruction: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            closed: Format::new().set_bold().set_font_color(Color::RGB(CLOSED_RED)),
        }
    }

    /// An input cell: bordered, typed.
    fn input(input: Input) -> Format {
        let f = Self::column(input).set_border(FormatBorder::Thin).set_border_color(Color::RGB(BORDER_GREY));
        if matches!(input, Input::LongText) { f.set_text_wrap().set_align(FormatAlign::Top) } else { f }
    }

    /// A column's default format, for rows past the prepared ones.
    fn column(input: Input) -> Format {
        input.num_format().map_or_else(Format::new, |n| Format::new().set_num_format(n))
    }
}

/// One template being written.
struct Template<'a> {
    project: &'a Project,
    org: Org<'a>,
    month: Month,
    text: &'a TemplateText,
    vars: Vec<(&'static str, String)>,
    formats: Formats,
    activities: ListSource,
    indicators: Option<ListSource>,
    /// Columns of the hidden `Listor` sheet: header and values.
    list_sheet: Vec<(&'static str, Vec<String>)>,
}

impl<'a> Template<'a> {
    fn new(project: &'a Project, org: Org<'a>, month: Month, text: &'a TemplateText) -> Template<'a> {
        let rate = org.flat_rate_at(month).rate;
        let vars = vec![
            ("projekt", project.info.name.clone()),
            ("projektnummer", project.info.id.clone()),
            ("projektpart", org.name().to_string()),
            ("organisationsnummer", org.org_nr().to_string()),
            ("mapp", org.folder().to_string()),
            ("inkorg", project.info.inbox.clone()),
            ("period", month.to_string()),
            ("period_namn", month.swedish()),
            ("schablon", sv_percent(percent(rate), rate.normalize().scale())),
        ];
        let mut list_sheet = Vec::new();
        let mut source = |header: &'static str, values: Vec<String>| {
            if fits_inline(&values) {
                ListSource::Inline(values)
            } else {
                let col = crate::finding::column_letters(list_sheet.len() as u32);
                let range = format!("={LISTS_SHEET}!${col}$2:${col}${}", values.len() + 1);
                list_sheet.push((header, values));
                ListSource::Range(range)
            }
        };
        let activities = source("Aktivitet", project.activities().map(|(_, a)| a.code.clone()).collect());
        let reported: Vec<String> =
            project.indicators.iter().filter(|i| i.measure == Measure::Reported).map(|i| i.name.clone()).collect();
        let indicators = (!reported.is_empty()).then(|| source("Indikator", reported));
        Template { project, org, month, text, vars, formats: Formats::new(), activities, indicators, list_sheet }
    }

    /// A text with its placeholders filled in.
    fn fill(&self, text: &str) -> String {
        self.vars.iter().fold(text.to_string(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
    }

    /// Whether the organisation reports actual other costs (only the 15 % model does).
    fn other_costs_open(&self) -> bool {
        self.org.flat_rate_at(self.month).model == FlatRateModel::Indirect
    }

    fn write(&self, staff: &[PersonRow]) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let created = excel_date(self.month.first_day())?;
        let properties = DocProperties::new()
            .set_title(self.fill(&self.text.title))
            .set_subject(self.fill(&self.text.subtitle))
            .set_author("redovisa")
            .set_company(self.project.org_by_folder(&self.project.info.owner).map_or("", |o| o.name()))
            .set_keywords(format!("{} {} {}", self.project.info.id, self.org.folder(), self.month))
            .set_creation_datetime(&created);
        wb.set_properties(&properties);
        self.instructions(wb.add_worksheet())?;
        self.info(wb.add_worksheet())?;
        for sheet in Sheet::ALL.into_iter().skip(1) {
            let rows = if sheet == Sheet::Personal { staff } else { &[] };
            self.table(wb.add_worksheet(), sheet, rows)?;
        }
        if !self.list_sheet.is_empty() {
            let ws = wb.add_worksheet();
            ws.set_name(LISTS_SHEET)?;
            for (c, (header, values)) in self.list_sheet.iter().enumerate() {
                let c = c as u16;
                ws.write_string_with_format(0, c, *header, &self.formats.header)?;
                for (r, v) in values.iter().enumerate() {
                    ws.write_string(r as u32 + 1, c, v)?;
                }
                ws.set_column_width(c, 40)?;
            }
            ws.set_hidden(true);
        }
        wb.save_to_buffer()
    }

    /// `Instruktioner`: title, numbered lines, and a table of every sheet's columns.
    fn instructions(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let f = &self.formats;
        let ins = &self.text.instructions;
        ws.set_name(INSTRUCTIONS_SHEET)?;
        print_one_page_wide(ws);
        ws.set_column_width(0, 20)?;
        ws.set_column_width(1, 22)?;
        ws.set_column_width(2, 90)?;
        ws.write_string_with_format(0, 0, self.fill(&self.text.title), &f.title)?;
        ws.write_string_with_format(1, 0, self.fill(&self.text.subtitle), &f.subtitle)?;
        ws.write_string_with_format(3, 0, self.fill(&ins.heading), &f.heading)?;
        let mut lines: Vec<&String> = ins.common.iter().collect();
        if self.org.is_cofinancier() {
            lines.extend(&ins.cofinancier);
        }
        lines.extend(match self.org.flat_rate_at(self.month).model {
            FlatRateModel::RemainingCosts => &ins.remaining_costs,
            FlatRateModel::Indirect => &ins.indirect,
            FlatRateModel::None => &ins.no_other_costs,
        });
        let mut row = 4;
        for (i, line) in lines.into_iter().enumerate() {
            let text = format!("{}. {}", i + 1, self.fill(line));
            ws.merge_range(row, 0, row, 2, &text, &f.instruction)?;
            ws.set_row_height(row, line_height(&text, 140))?;
            row += 1;
        }
        row += 1;
        ws.write_string_with_format(row, 0, self.fill(&ins.columns_heading), &f.heading)?;
        row += 1;
        for (c, h) in ["Blad", "Kolumn", "Så fyller du i"].into_iter().enumerate() {
            ws.write_string_with_format(row, c as u16, h, &f.header)?;
        }
        for sheet in Sheet::ALL.into_iter().skip(1) {
            for col in sheet.columns() {
                row += 1;
                let description = self.fill(self.text.column(sheet, *col));
                ws.write_string(row, 0, sheet.name())?;
                ws.write_string(row, 1, col.header())?;
                ws.write_string_with_format(row, 2, &description, &f.instruction)?;
                if description.chars().count() > 85 {
                    ws.set_row_height(row, line_height(&description, 85))?;
                }
            }
        }
        ws.set_active(true);
        Ok(())
    }

    /// `Uppgifter`: labels in A, values in B (prefilled, or yellow to fill in), hints in C.
    fn info(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let f = &self.formats;
        ws.set_name(Sheet::Uppgifter.name())?;
        print_one_page_wide(ws);
        ws.set_column_width(0, 22)?;
        ws.set_column_width(1, 40)?;
        ws.set_column_width(2, 80)?;
        ws.write_string_with_format(0, 0, self.fill(&self.text.title), &f.title)?;
        ws.write_string_with_format(1, 0, self.fill(&self.text.subtitle), &f.subtitle)?;
        for (i, label) in Label::ALL.into_iter().enumerate() {
            let row = 3 + i as u32;
            ws.write_string_with_format(row, 0, label.text(), &f.label)?;
            match label {
                Label::Projektpart => ws.write_string_with_format(row, 1, self.org.name(), &f.prefilled)?,
                Label::Organisationsnummer => {
                    ws.write_string_with_format(row, 1, self.org.org_nr().as_str(), &f.prefilled)?
                }
                Label::Period => ws.write_string_with_format(row, 1, self.month.to_string(), &f.prefilled)?,
                Label::Version => {
                    let dv = DataValidation::new()
                        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(1))
                        .set_error_title(self.fill(&self.text.messages.title))?
                        .set_error_message(self.fill(&self.text.messages.version))?;
                    ws.add_data_validation(row, 1, row, 1, &dv)?;
                    ws.write_number_with_format(row, 1, 1, &f.version)?
                }
                Label::AttesteradAv => ws.write_blank(row, 1, &f.to_fill)?,
                Label::Attestdatum => ws.write_blank(row, 1, &f.to_fill_date)?,
            };
            ws.write_string_with_format(row, 2, self.fill(self.text.label(label)), &f.hint)?;
        }
        Ok(())
    }

    /// A table sheet: header row, input rows with formats and dropdowns, `staff` written in.
    fn table(&self, ws: &mut Worksheet, sheet: Sheet, staff: &[PersonRow]) -> Result<(), XlsxError> {
        let f = &self.formats;
        ws.set_name(sheet.name())?;
        print_one_page_wide(ws);
        let open = sheet != Sheet::OvrigaKostnader || self.other_costs_open();
        let rows = if open { self.text.rows(sheet).max(staff.len() as u32) } else { 0 };
        for (c, col) in sheet.columns().iter().enumerate() {
            let c = c as u16;
            let input = Input::of(*col);
            ws.set_column_width(c, input.width(*col))?;
            ws.write_string_with_format(0, c, col.header(), &f.header)?;
            if !open {
                continue;
            }
            ws.set_column_format(c, &Formats::column(input))?;
            let cell = Formats::input(input);
            for r in 1..=rows {
                ws.write_blank(r, c, &cell)?;
            }
            if rows > 0
                && let Some(dv) = self.validation(sheet, input)?
            {
                ws.add_data_validation(1, c, rows, c, &dv)?;
            }
        }
        ws.set_row_height(0, 30)?;
        ws.set_freeze_panes(1, 0)?;
        if !open {
            let beside = sheet.columns().len() as u16 + 1;
            ws.write_string_with_format(0, beside, self.fill(&self.text.other_costs_closed), &f.closed)?;
            ws.set_tab_color(Color::RGB(CLOSED_TAB));
        }
        for (i, person) in staff.iter().enumerate() {
            self.person(ws, i as u32 + 1, person)?;
        }
        Ok(())
    }

    /// The dropdown or range check of a column, if it has one.
    fn validation(&self, sheet: Sheet, input: Input) -> Result<Option<DataValidation>, XlsxError> {
        let m = &self.text.messages;
        let (dv, message) = match input {
            Input::Activity => (self.activities.validation()?, self.fill(&m.activity)),
            Input::Indicator => match &self.indicators {
                Some(list) => (list.validation()?, self.fill(&m.indicator)),
                None => return Ok(None),
            },
            Input::Choice(values) => (
                DataValidation::new().allow_list_strings(values)?,
                self.fill(&m.choice).replace("{lista}", &values.join(", ")),
            ),
            // Personal's dates span the project, not the month; only dated rows must lie in it.
            Input::Date if sheet != Sheet::Personal => {
                let first = excel_date(self.month.first_day())?;
                let last = excel_date(self.month.last_day())?;
                (DataValidation::new().allow_date(DataValidationRule::Between(first, last)), self.fill(&m.date))
            }
            Input::Hours => (
                DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                self.fill(&m.hours),
            ),
            Input::Amount => (
                DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
                self.fill(&m.amount),
            ),
            _ => return Ok(None),
        };
        Ok(Some(dv.set_error_title(self.fill(&m.title))?.set_error_message(message)?))
    }

    /// One `Personal` row copied from the previous month.
    fn person(&self, ws: &mut Worksheet, row: u32, p: &PersonRow) -> Result<(), XlsxError> {
        for (c, col) in Sheet::Personal.columns().iter().enumerate() {
            let value = match col {
                Column::Namn => Some(Value::Text(&p.name)),
                Column::Personnummer => Some(Value::Text(p.pnr.as_str())),
                Column::Roll => (!p.role.is_empty()).then_some(Value::Text(&p.role)),
                Column::Startdatum => Some(Value::Date(p.start)),
                Column::Slutdatum => p.end.map(Value::Date),
                Column::Manadslon => Some(Value::Number(p.salary)),
                Column::Redovisning => Some(Value::Text(p.reporting.swedish())),
                Column::Andel => p.share.map(Value::Number),
                Column::Sysselsattningsgrad => Some(Value::Number(p.employment)),
                Column::Huvudaktivitet => p.main_activity.as_deref().map(Value::Text),
                _ => None,
            };
            let format = Formats::input(Input::of(*col));
            match value {
                Some(Value::Text(t)) => ws.write_string_with_format(row, c as u16, t, &format)?,
                Some(Value::Date(d)) => ws.write_datetime_with_format(row, c as u16, excel_date(d)?, &format)?,
                Some(Value::Number(n)) => {
                    let n = n
                        .to_f64()
                        .ok_or_else(|| XlsxError::ParameterError(format!("talet {n} går inte att skriva")))?;
                    ws.write_number_with_format(row, c as u16, n, &format)?
                }
                None => continue,
            };
        }
        Ok(())
    }
}

/// Landscape, as wide as one page: a printed sheet keeps its columns together.
fn print_one_page_wide(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
}

/// An Excel date from a calendar date.
fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year =
        u16::try_from(d.year()).map_err(|_| XlsxError::ParameterError(format!("året i {d} går inte att skriva")))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Row height for wrapped text of about `per_line` characters a line (Excel does not size merged
/// cells by itself).
fn line_height(text: &str, per_line: usize) -> f64 {
    let lines = text.chars().count().div_ceil(per_line).max(1);
    15.0 * lines as f64 + 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_texts_cover_every_column_and_label() {
        let text = TemplateText::embedded().unwrap();
        for sheet in Sheet::ALL.into_iter().skip(1) {
            assert!(text.rows(sheet) > 0, "{sheet:?}");
            for col in sheet.columns() {
                assert!(!text.column(sheet, *col).is_empty(), "{} {}", sheet.name(), col.header());
            }
        }
        for label in Label::ALL {
            assert!(!text.label(label).is_empty(), "{label:?}");
        }
        assert_eq!(text.rows(Sheet::Tidrapport), 400);
    }

    #[test]
    fn embedded_texts_use_only_known_placeholders() {
        let known = [
            "projekt",
            "projektnummer",
            "projektpart",
            "organisationsnummer",
            "mapp",
            "inkorg",
            "period",
            "period_namn",
            "schablon",
            "lista",
        ];
        let mut rest = EMBEDDED;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| open + c).unwrap();
            let name = &rest[open + 1..close];
            assert!(known.contains(&name), "okänd platshållare {{{name}}}");
            rest = &rest[close + 1..];
        }
    }

    #[test]
    fn override_keys_are_checked_and_merged() {
        let path = Path::new("p/mallar/partnermall.toml");
        let layer = |text: &str| overrides::layer(EMBEDDED, EMBEDDED_NAME, text, path, OPEN);
        let text = TemplateText::from_layered(
            layer("[rows.per_sheet]\nTidrapport = 12\n[labels]\nVersion = \"x\"").map_err(|e| e.message).unwrap(),
        )
        .unwrap();
        assert_eq!(text.rows(Sheet::Tidrapport), 12);
        assert_eq!(text.rows(Sheet::Personal), 30, "other keys of the table are kept");
        assert_eq!(text.label(Label::Version), "x");
        // An unknown sheet in an open table: caught by the contract check, naming the file.
        let err = TemplateText::from_layered(layer("[rows.per_sheet]\nTidrapor = 12").map_err(|e| e.message).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("Tidrapor") && err.contains("partnermall.toml"), "{err}");
        // An unknown key elsewhere: caught by the merge.
        let err = layer("[instructions]\nrubrik = \"x\"").err().map(|e| e.message).unwrap_or_default();
        assert_eq!(err, "okänd nyckel instructions.rubrik");
    }

    #[test]
    fn contract_lists_fit_inline() {
        for list in [&REDOVISNING[..], &KON[..], &ORSAK[..], &KOSTNADSSLAG[..]] {
            assert!(fits_inline(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()), "{list:?}");
        }
        assert!(!fits_inline(&["a,b".to_string()]));
        assert!(!fits_inline(&vec!["x".repeat(20); 13]));
    }
}
