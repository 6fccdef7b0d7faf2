//! Charts for the progress and final reports, drawn with plotters as PNG images.
//!
//! Every chart is [`WIDTH`] pixels wide (crisp when placed 16 cm wide in the report) and drawn on
//! an in-memory bitmap. plotters draws the shapes — bars, lines, areas, grid — in chart
//! coordinates; the text is rasterised with ab_glyph from DejaVu Sans embedded in the binary
//! (`assets/fonts/`), so no system font is ever looked up and the same figures give the same
//! pixels on every machine. (plotters 0.3's own ab_glyph text places each glyph by its ink box
//! and drops the side bearings, which spaces letters unevenly; `Label` places glyphs by their
//! advance widths and kerning as a typesetter does.) Labels are Swedish, numbers in Swedish form
//! (`12,5`, `40 %`), amounts scaled to `tkr` or `mnkr`.
//!
//! The charts draw figures of the reconciled model as they are; a [`Decimal`] becomes an `f64`
//! only where it is turned into a coordinate or a tick.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::EmitError;
use crate::money::{sv_number, sv_percent, sv_whole_percent};
use crate::month::{Month, SWEDISH_MONTHS};
use crate::reconcile::model::Figures;

/// Width of every chart in pixels.
pub const WIDTH: u32 = 1800;
/// Height of the line chart in pixels (bar charts grow with their rows).
pub const HEIGHT: u32 = 1000;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const DARK: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const MID: RGBColor = RGBColor(0x5b, 0x9b, 0xd5);
const LIGHT: RGBColor = RGBColor(0xc9, 0xdd, 0xf0);
const ACCENT: RGBColor = RGBColor(0xc5, 0x5a, 0x11);
const GREY: RGBColor = RGBColor(0x7f, 0x7f, 0x7f);
const GRID: RGBColor = RGBColor(0xe2, 0xe2, 0xe2);
const TEXT: RGBColor = RGBColor(0x26, 0x26, 0x26);

/// Text sizes in pixels (1 800 pixels = 16 cm: 36 pixels ≈ 9 pt).
const TICK: f32 = 34.0;
const LABEL: f32 = 36.0;

/// A chart as a PNG image.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The encoded image.
    pub png: Vec<u8>,
    /// Size in pixels.
    pub width: u32,
    pub height: u32,
}

/// A chart whose size is settled but whose pixels are not drawn yet; [`Sketch::paint`] draws
/// them. Making one is cheap: the report lays out its pages with the size while the pixels are
/// drawn on another thread.
pub struct Sketch<'a> {
    /// Size in pixels.
    pub width: u32,
    pub height: u32,
    draw: Box<Draw<'a>>,
}

/// What draws a chart's shapes and collects its labels.
type Draw<'a> = dyn FnOnce(&Area, &mut Vec<Label>) -> Result<(), EmitError> + Send + 'a;

impl<'a> Sketch<'a> {
    fn new(height: u32, draw: impl FnOnce(&Area, &mut Vec<Label>) -> Result<(), EmitError> + Send + 'a) -> Self {
        Sketch { width: WIDTH, height, draw: Box::new(draw) }
    }

    /// Draws the chart and encodes it as PNG.
    pub fn paint(self) -> Result<Chart, EmitError> {
        render(self.height, self.draw)
    }
}

fn chart_err<E: std::fmt::Debug>(e: E) -> EmitError {
    EmitError::Chart(format!("{e:?}"))
}

/// A decimal as a chart coordinate.
fn coord(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The embedded fonts, parsed once per process.
fn fonts() -> Result<&'static (FontRef<'static>, FontRef<'static>), EmitError> {
    static FONTS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FONTS
        .get_or_init(|| Some((FontRef::try_from_slice(REGULAR).ok()?, FontRef::try_from_slice(BOLD).ok()?)))
        .as_ref()
        .ok_or_else(|| EmitError::Chart("det inbyggda typsnittet går inte att läsa".into()))
}

/// Horizontal anchor of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Left,
    Centre,
    Right,
}

/// A text to rasterise onto the finished bitmap: its anchor point is `(x, y)`, `y` being the
/// vertical centre of the line; a vertical label reads bottom to top.
#[derive(Debug, Clone)]
struct Label {
    text: String,
    x: i32,
    y: i32,
    size: f32,
    bold: bool,
    anchor: Anchor,
    vertical: bool,
}

impl Label {
    fn new(text: impl Into<String>, (x, y): (i32, i32), size: f32, anchor: Anchor) -> Label {
        Label { text: text.into(), x, y, size, bold: false, anchor, vertical: false }
    }
    fn bold(mut self) -> Label {
        self.bold = true;
        self
    }
    fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }
}

/// The advance width of `text` in pixels.
fn text_width(text: &str, size: f32, bold: bool) -> Result<f32, EmitError> {
    let (regular, heavy) = fonts()?;
    let font = if bold { heavy } else { regular }.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            width += font.kern(p, id);
        }
        width += font.h_advance(id);
        prev = Some(id);
    }
    Ok(width)
}

/// Draws `label` into an RGB buffer of `width` × `height`, blending by glyph coverage.
fn rasterise(label: &Label, pixels: &mut [u8], width: u32, height: u32) -> Result<(), EmitError> {
    let (regular, heavy) = fonts()?;
    let font = if label.bold { heavy } else { regular };
    let scale = PxScale::from(label.size);
    let scaled = font.as_scaled(scale);
    let advance = text_width(&label.text, label.size, label.bold)?;
    let start = match label.anchor {
        Anchor::Left => 0.0,
        Anchor::Centre => -advance / 2.0,
        Anchor::Right => -advance,
    };
    // Baseline so that the line's ink is centred on `y`: ascent and descent around the middle.
    let baseline = (scaled.ascent() + scaled.descent()) / 2.0;
    let mut pen = start;
    let mut prev = None;
    let mut blend = |along: f32, across: f32, coverage: f32| {
        let (px, py) = if label.vertical {
            (label.x as f32 + across, label.y as f32 - along)
        } else {
            (label.x as f32 + along, label.y as f32 + across)
        };
        if px < 0.0 || py < 0.0 || px >= width as f32 || py >= height as f32 {
            return;
        }
        let i = ((py as u32 * width + px as u32) * 3) as usize;
        let c = coverage.clamp(0.0, 1.0);
        for (k, ink) in [TEXT.0, TEXT.1, TEXT.2].into_iter().enumerate() {
            let old = f32::from(pixels[i + k]);
            pixels[i + k] = (old + (f32::from(ink) - old) * c).round() as u8;
        }
    };
    for ch in label.text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(pen, baseline));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                blend(bounds.min.x + gx as f32, bounds.min.y + gy as f32, coverage);
            });
        }
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    Ok(())
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Draws shapes with plotters on a white bitmap of `height` rows, then the labels the drawing
/// collected, and encodes the result as PNG.
fn render(height: u32, draw: impl FnOnce(&Area, &mut Vec<Label>) -> Result<(), EmitError>) -> Result<Chart, EmitError> {
    let mut pixels = vec![0u8; (WIDTH * height * 3) as usize];
    let mut labels = Vec::new();
    {
        let backend = BitMapBackend::with_buffer_and_format(&mut pixels, (WIDTH, height)).map_err(chart_err)?;
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(chart_err)?;
        draw(&root, &mut labels)?;
        root.present().map_err(chart_err)?;
    }
    for label in &labels {
        rasterise(label, &mut pixels, WIDTH, height)?;
    }
    Ok(Chart { png: encode_png(&pixels, WIDTH, height)?, width: WIDTH, height })
}

/// RGB pixels → PNG with a fixed encoder setup (same pixels, same bytes), tagged 300 dpi.
fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, EmitError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // fdeflate: a third of `Balanced`'s encoding time. The report's package deflates the
        // image again, so the .docx comes out no larger (358 kB against 364 kB on the seed
        // project); see BENCHMARKS.md.
        enc.set_compression(png::Compression::Fast);
        // 300 dpi ≈ 11 811 pixels per metre.
        enc.set_pixel_dims(Some(png::PixelDimensions { xppu: 11_811, yppu: 11_811, unit: png::Unit::Meter }));
        let mut writer = enc.write_header().map_err(chart_err)?;
        writer.write_image_data(pixels).map_err(chart_err)?;
        writer.finish().map_err(chart_err)?;
    }
    Ok(out)
}

/// An axis scale for amounts in kronor: the divisor and its Swedish unit.
fn kr_scale(max: f64) -> (f64, &'static str) {
    if max >= 2_000_000.0 {
        (1_000_000.0, "mnkr")
    } else if max >= 2_000.0 {
        (1_000.0, "tkr")
    } else {
        (1.0, "kr")
    }
}

/// "Nice" ticks from 0 to at least `max`: steps of 1, 2, 2,5 or 5 times a power of ten.
fn ticks(max: f64, about: usize) -> Vec<f64> {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / about.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(magnitude * 10.0);
    let count = (max / step).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A tick value in Swedish form: `12,5`, `1 000`, `0`.
fn sv_tick(v: f64) -> String {
    let d = Decimal::from_f64_retain(v).unwrap_or_default();
    let decimals = if (v - v.round()).abs() < 1e-9 {
        0
    } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-9 {
        1
    } else {
        2
    };
    sv_number(d, decimals)
}

/// The month `i` months after `start`.
fn month_at(start: Month, i: usize) -> Month {
    (0..i).fold(start, |m, _| m.next())
}

/// Short Swedish month label: `jan 2025`.
fn month_label(m: Month) -> String {
    let name = SWEDISH_MONTHS[(m.month() - 1) as usize];
    format!("{} {}", name.chars().take(3).collect::<String>(), m.year())
}

/// One legend item: colour, drawn as a line (else a box), text.
type LegendItem<'a> = (RGBColor, bool, &'a str);

/// A legend row at the top right.
fn legend(root: &Area, labels: &mut Vec<Label>, items: &[LegendItem]) -> Result<(), EmitError> {
    let y = 40;
    let mut x = WIDTH as i32 - 40;
    for (color, is_line, text) in items.iter().rev() {
        x -= text_width(text, LABEL, false)?.ceil() as i32;
        labels.push(Label::new(*text, (x, y), LABEL, Anchor::Left));
        x -= 64;
        if *is_line {
            root.draw(&PathElement::new(vec![(x, y), (x + 50, y)], color.stroke_width(6))).map_err(chart_err)?;
        } else {
            root.draw(&Rectangle::new([(x + 8, y - 17), (x + 50, y + 17)], color.filled())).map_err(chart_err)?;
        }
        x -= 56;
    }
    Ok(())
}

/// Cumulative cost of the project month by month against the approved total budget, over the
/// project's whole time, with the straight line of an even pace from nothing to the budget.
pub fn cumulative_cost(f: &Figures) -> Sketch<'_> {
    let start = Month::of(f.project_start);
    let months = start.through(Month::of(f.project_end)).count().max(1);
    let span = months as f64;
    let budget = coord(f.budget.total.budget);
    let peak = f.monthly.iter().map(|p| coord(p.cumulative)).fold(budget, f64::max).max(1.0);
    let (div, unit) = kr_scale(peak);
    let y_ticks = ticks(peak / div * 1.04, 7);
    let top = y_ticks.last().copied().unwrap_or(1.0);
    // Month i's cumulative is drawn at the end of month i (x = i + 1).
    let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(f.monthly.iter().enumerate().map(|(i, p)| ((i + 1) as f64, coord(p.cumulative) / div)))
        .collect();
    let budget_text = format!("Total budget {} {unit}", sv_tick((budget / div * 10.0).round() / 10.0));
    Sketch::new(HEIGHT, move |root, labels| {
        legend(
            root,
            labels,
            &[(MID, false, "Kostnader ackumulerat"), (ACCENT, true, &budget_text), (GREY, true, "Jämn förbrukning")],
        )?;
        let chart = ChartBuilder::on(root)
            .margin_top(100)
            .margin_right(60)
            .margin_left(190)
            .margin_bottom(100)
            .build_cartesian_2d(0.0..span, 0.0..top)
            .map_err(chart_err)?;
        let plot = chart.plotting_area();
        for t in &y_ticks {
            plot.draw(&PathElement::new(vec![(0.0, *t), (span, *t)], GRID.stroke_width(2))).map_err(chart_err)?;
            let (px, py) = chart.backend_coord(&(0.0, *t));
            labels.push(Label::new(sv_tick(*t), (px - 16, py), TICK, Anchor::Right));
        }
        let (left, bottom) = chart.backend_coord(&(0.0, 0.0));
        let (right, upper) = chart.backend_coord(&(span, top));
        labels
            .push(Label::new(format!("Kronor ({unit})"), (40, (upper + bottom) / 2), LABEL, Anchor::Centre).vertical());
        // Month ticks: every January and July (every quarter for a short project).
        let step = if months > 24 { 6 } else { 3 };
        for i in 0..=months {
            let m = month_at(start, i);
            if !(m.month() - 1).is_multiple_of(step) {
                continue;
            }
            let (px, py) = chart.backend_coord(&(i as f64, 0.0));
            root.draw(&PathElement::new(vec![(px, py), (px, py + 12)], GREY.stroke_width(2))).map_err(chart_err)?;
            labels.push(Label::new(month_label(m), (px, py + 40), TICK, Anchor::Centre));
        }
        plot.draw(&Polygon::new(
            points.iter().copied().chain([(points.last().map_or(0.0, |p| p.0), 0.0)]).collect::<Vec<_>>(),
            LIGHT.filled(),
        ))
        .map_err(chart_err)?;
        plot.draw(&PathElement::new(points.clone(), MID.stroke_width(6))).map_err(chart_err)?;
        for element in DashedLineSeries::new(vec![(0.0, 0.0), (span, budget / div)], 20, 14, GREY.stroke_width(4)) {
            plot.draw(&element).map_err(chart_err)?;
        }
        plot.draw(&PathElement::new(vec![(0.0, budget / div), (span, budget / div)], ACCENT.stroke_width(5)))
            .map_err(chart_err)?;
        root.draw(&PathElement::new(vec![(left, bottom), (right, bottom)], GREY.stroke_width(2))).map_err(chart_err)?;
        root.draw(&PathElement::new(vec![(left, bottom), (left, upper)], GREY.stroke_width(2))).map_err(chart_err)?;
        if let (Some(&(x, y)), Some(last)) = (points.last(), f.monthly.last()) {
            plot.draw(&Circle::new((x, y), 11, DARK.filled())).map_err(chart_err)?;
            let (px, py) = chart.backend_coord(&(x, y));
            let value = format!("{} {unit}", sv_tick((coord(last.cumulative) / div * 10.0).round() / 10.0));
            // Right of the last point, or left of it when the text would run off the picture
            // (a final report's line ends at the right edge).
            let fits = px as f32 + 22.0 + text_width(&value, LABEL, true)? <= WIDTH as f32 - 8.0;
            let label = if fits {
                Label::new(value, (px + 22, py - 34), LABEL, Anchor::Left)
            } else {
                Label::new(value, (px - 22, py - 34), LABEL, Anchor::Right)
            };
            labels.push(label.bold());
        }
        Ok(())
    })
}

/// One row of [`bars`]: label, bars (value, colour, thickness 0–1) drawn in order, end note.
struct BarRow {
    label: String,
    bars: Vec<(f64, RGBColor, f64)>,
    note: String,
}

/// Where a bar chart puts its row labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Labels {
    /// At the left of each bar (short names).
    Left,
    /// On a line of their own above each bar (long names).
    Above,
}

/// Horizontal bars, one row per item, the first row at the top; a note at each row's end.
fn bars(
    rows: Vec<BarRow>,
    max: f64,
    axis: String,
    items: Vec<LegendItem<'static>>,
    placement: Labels,
    percent: bool,
) -> Sketch<'static> {
    let row_px: u32 = if placement == Labels::Above { 150 } else { 78 };
    let height = (100 + 120 + rows.len() as u32 * row_px).max(480);
    let x_ticks = ticks(max * 1.02, 6);
    let top = x_ticks.last().copied().unwrap_or(1.0) * if placement == Labels::Above { 1.0 } else { 1.08 };
    let n = rows.len().max(1) as f64;
    let left_margin = if placement == Labels::Left { 600 } else { 60 };
    Sketch::new(height, move |root, labels| {
        legend(root, labels, &items)?;
        let chart = ChartBuilder::on(root)
            .margin_top(90)
            .margin_right(70)
            .margin_left(left_margin)
            .margin_bottom(120)
            .build_cartesian_2d(0.0..top, 0.0..n)
            .map_err(chart_err)?;
        let plot = chart.plotting_area();
        for t in &x_ticks {
            plot.draw(&PathElement::new(vec![(*t, 0.0), (*t, n)], GRID.stroke_width(2))).map_err(chart_err)?;
            let (px, py) = chart.backend_coord(&(*t, 0.0));
            let text = if percent { format!("{} %", sv_tick(*t)) } else { sv_tick(*t) };
            labels.push(Label::new(text, (px, py + 36), TICK, Anchor::Centre));
        }
        let (left, bottom) = chart.backend_coord(&(0.0, 0.0));
        let (right, upper) = chart.backend_coord(&(top, n));
        labels.push(Label::new(axis, ((left + right) / 2, bottom + 92), LABEL, Anchor::Centre));
        for (i, row) in rows.iter().enumerate() {
            let slot_top = n - i as f64;
            // With labels above, the bar takes the lower part of the row's slot.
            let centre = match placement {
                Labels::Left => slot_top - 0.5,
                Labels::Above => slot_top - 0.64,
            };
            let room = if placement == Labels::Above { 0.27 } else { 0.38 };
            for (value, color, thickness) in &row.bars {
                let half = room * thickness;
                plot.draw(&Rectangle::new([(0.0, centre - half), (value.max(0.0), centre + half)], color.filled()))
                    .map_err(chart_err)?;
            }
            let (_, py) = chart.backend_coord(&(0.0, centre));
            match placement {
                Labels::Left => {
                    let text = fit(&row.label, LABEL, (left - 40) as f32)?;
                    labels.push(Label::new(text, (left - 18, py), LABEL, Anchor::Right));
                }
                Labels::Above => {
                    let (_, ly) = chart.backend_coord(&(0.0, slot_top - 0.2));
                    let text = fit(&row.label, LABEL, (right - left - 8) as f32)?;
                    labels.push(Label::new(text, (left + 4, ly), LABEL, Anchor::Left));
                }
            }
            if !row.note.is_empty() {
                let end = row.bars.iter().map(|b| b.0).fold(0.0, f64::max).min(top);
                let (pe, _) = chart.backend_coord(&(end, centre));
                labels.push(Label::new(row.note.clone(), (pe + 14, py), LABEL, Anchor::Left).bold());
            }
        }
        root.draw(&PathElement::new(vec![(left, bottom), (right, bottom)], GREY.stroke_width(2))).map_err(chart_err)?;
        root.draw(&PathElement::new(vec![(left, bottom), (left, upper)], GREY.stroke_width(2))).map_err(chart_err)?;
        Ok(())
    })
}

/// `text` as it fits in `max_px` pixels: whole, or cut with an ellipsis.
fn fit(text: &str, size: f32, max_px: f32) -> Result<String, EmitError> {
    if text_width(text, size, false)? <= max_px {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (1..chars.len()).rev() {
        let cut = format!("{}…", chars[..keep].iter().collect::<String>().trim_end());
        if text_width(&cut, size, false)? <= max_px {
            return Ok(cut);
        }
    }
    Ok("…".to_string())
}

/// The share of a budget used, as the note at a bar's end.
fn used_note(used: Option<Decimal>) -> String {
    used.map(|u| sv_percent(u, 0)).unwrap_or_default()
}

/// Each partner's and co-financier's cumulative cost against its approved budget.
pub fn cost_per_org(f: &Figures) -> Sketch<'static> {
    let max = f.orgs.iter().map(|o| coord(o.budget_total.budget).max(coord(o.cumulative.total()))).fold(1.0, f64::max);
    let (div, unit) = kr_scale(max);
    let rows: Vec<BarRow> = f
        .orgs
        .iter()
        .map(|o| BarRow {
            label: o.name.clone(),
            bars: vec![
                (coord(o.budget_total.budget) / div, LIGHT, 1.0),
                (coord(o.cumulative.total()) / div, DARK, 0.5),
            ],
            note: used_note(o.budget_total.used),
        })
        .collect();
    bars(
        rows,
        max / div,
        format!("Kronor ({unit})"),
        vec![(LIGHT, false, "Budget"), (DARK, false, "Kostnader ackumulerat")],
        Labels::Left,
        false,
    )
}

/// Cost per work package: the period (progress report only), cumulative, and the budget.
pub fn cost_per_work_package(f: &Figures, show_period: bool) -> Sketch<'static> {
    let max = f.work_packages.iter().map(|w| coord(w.budget.budget).max(coord(w.cumulative))).fold(1.0, f64::max);
    let (div, unit) = kr_scale(max);
    let rows: Vec<BarRow> = f
        .work_packages
        .iter()
        .map(|w| {
            let mut bars = vec![(coord(w.budget.budget) / div, LIGHT, 1.0), (coord(w.cumulative) / div, MID, 0.62)];
            if show_period {
                bars.push((coord(w.period) / div, DARK, 0.3));
            }
            BarRow { label: format!("Arbetspaket {}: {}", w.code, w.name), bars, note: used_note(w.budget.used) }
        })
        .collect();
    let mut items = vec![(LIGHT, false, "Budget"), (MID, false, "Ackumulerat")];
    if show_period {
        items.push((DARK, false, "Perioden"));
    }
    bars(rows, max / div, format!("Kronor ({unit})"), items, Labels::Above, false)
}

/// Each indicator with a target above zero: its cumulative outcome in whole per cent of the
/// target, rounded down as the table shows it. `None` when no indicator has such a target.
pub fn indicator_progress(f: &Figures) -> Option<Sketch<'static>> {
    let shown: Vec<_> = f.indicators.iter().filter_map(|i| i.percent_of_target.map(|p| (i, p))).collect();
    if shown.is_empty() {
        return None;
    }
    let max = shown.iter().map(|(_, p)| coord(*p)).fold(100.0, f64::max);
    let rows: Vec<BarRow> = shown
        .iter()
        .map(|(i, p)| BarRow {
            label: format!("{} – {} av {}", i.name, sv_number(i.cumulative, 0), sv_number(i.target, 0)),
            bars: vec![(100.0, LIGHT, 1.0), (coord(*p), DARK, 0.55)],
            note: sv_whole_percent(*p),
        })
        .collect();
    Some(bars(
        rows,
        max * 1.1,
        "Utfall i procent av målvärdet".to_string(),
        vec![(LIGHT, false, "Målvärde"), (DARK, false, "Utfall ackumulerat")],
        Labels::Above,
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_labels_are_swedish() {
        assert_eq!(sv_tick(12.5), "12,5");
        assert_eq!(sv_tick(1000.0), "1\u{a0}000");
        assert_eq!(sv_tick(0.0), "0");
        assert_eq!(kr_scale(31_942_086.0), (1_000_000.0, "mnkr"));
        assert_eq!(ticks(33.2, 7), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0]);
        assert_eq!(ticks(110.0, 6), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]);
        assert_eq!(month_label(Month::new(2025, 3).unwrap()), "mar 2025");
        assert_eq!(fit("Länsstyrelsen Västernorrland", LABEL, 10_000.0).unwrap(), "Länsstyrelsen Västernorrland");
        let cut = fit("Länsstyrelsen Västernorrland", LABEL, 300.0).unwrap();
        assert!(cut.ends_with('…') && text_width(&cut, LABEL, false).unwrap() <= 300.0, "{cut}");
    }

    #[test]
    fn text_is_set_by_advance_widths() {
        let i = text_width("i", LABEL, false).unwrap();
        let m = text_width("m", LABEL, false).unwrap();
        assert!(i > 0.0 && m > 2.0 * i, "{i} {m}");
        let word = text_width("Mittuniversitetet", LABEL, false).unwrap();
        let sum: f32 = "Mittuniversitetet".chars().map(|c| text_width(&c.to_string(), LABEL, false).unwrap()).sum();
        assert!((word - sum).abs() < 2.0, "{word} {sum}");
        assert!(text_width("Budget", LABEL, true).unwrap() > text_width("Budget", LABEL, false).unwrap());
    }

    #[test]
    fn png_is_deterministic_and_valid() {
        let draw = |root: &Area, labels: &mut Vec<Label>| {
            root.draw(&Rectangle::new([(10, 10), (200, 90)], MID.filled())).map_err(chart_err)?;
            labels.push(Label::new("Åäö 1 234,5 kr", (300, 50), LABEL, Anchor::Left));
            labels.push(Label::new("Kronor", (40, 300), LABEL, Anchor::Centre).vertical());
            Ok(())
        };
        let a = render(400, draw).unwrap();
        let b = render(400, draw).unwrap();
        assert_eq!(a.png, b.png);
        assert!(a.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let mut reader = png::Decoder::new(std::io::Cursor::new(&a.png)).read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, 400));
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        // Text was drawn: dark pixels where the label is, white far from everything.
        let at = |x: usize, y: usize| buf[(y * WIDTH as usize + x) * 3];
        assert!((300..700).any(|x| (35..65).any(|y| at(x, y) < 100)));
        assert!((25..55).any(|x| (200..400).any(|y| at(x, y) < 100)), "vertical label");
        assert_eq!(at(1500, 350), 255);
    }
}
