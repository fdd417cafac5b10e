//! Drawing a [`Figure`] with plotters: SVG (no font needed) and PNG (the bundled DejaVu Sans,
//! through ab_glyph: no system library).

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Result, anyhow};
use mlings_grader::plot::{Figure, Heatmap, Kind, Regions, Series, Style};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// DejaVu Sans 2.37 (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
const TITLE: u32 = 22;
const TICKS: u32 = 15;
const AXIS: u32 = 17;

/// Tableau's ten colours: distinct, and readable on white.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Registers the bundled font with plotters, once.
fn font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(anyhow!("the bundled font cannot be read"))
    }
}

/// The figure as an SVG document.
pub fn svg(figure: &Figure) -> Result<String> {
    font()?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size(figure)).into_drawing_area();
        draw(&root, figure).map_err(|e| anyhow!("cannot draw {}: {e}", figure.name))?;
        root.present()
            .map_err(|e| anyhow!("cannot draw {}: {e}", figure.name))?;
    }
    Ok(text)
}

/// Draws the figure into a PNG file at `path`.
pub fn png(figure: &Figure, path: &Path) -> Result<()> {
    font()?;
    let root = BitMapBackend::new(path, size(figure)).into_drawing_area();
    draw(&root, figure).map_err(|e| anyhow!("cannot draw {}: {e}", figure.name))?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// The picture's size in pixels: heatmaps get square cells, the rest a 3:2 or square frame.
fn size(figure: &Figure) -> (u32, u32) {
    match &figure.kind {
        Kind::Xy { .. } => (960, 640),
        Kind::Regions(_) => (860, 800),
        Kind::Heatmap(map) => {
            let cell = heatmap_cell(map);
            let (cols, rows) = (map.cols.max(1) as u32, map.rows.max(1) as u32);
            ((cols * cell + 260).max(560), rows * cell + 150)
        }
    }
}

/// Pixels per heatmap cell: about 640 pixels for the longer side, 4 to 120 per cell.
fn heatmap_cell(map: &Heatmap) -> u32 {
    (640 / map.rows.max(map.cols).max(1) as u32).clamp(4, 120)
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, figure: &Figure) -> Drawn<DB> {
    root.fill(&WHITE)?;
    match &figure.kind {
        Kind::Xy { series } => xy(root, figure, series),
        Kind::Heatmap(map) => heatmap(root, figure, map),
        Kind::Regions(regions) => decision_regions(root, figure, regions),
    }
}

fn chart_builder<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    figure: &Figure,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(&figure.title, (FAMILY, title_size(root, &figure.title)))
        .margin(18)
        .x_label_area_size(56)
        .y_label_area_size(84);
    builder
}

/// [`TITLE`] pixels, or smaller for a title that would not fit across `area` otherwise.
fn title_size<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, title: &str) -> u32 {
    let room = area.dim_in_pixel().0.saturating_sub(24);
    (12..=TITLE)
        .rev()
        .find(|&size| {
            area.estimate_text_size(title, &TextStyle::from((FAMILY, size).into_font()))
                .is_ok_and(|(width, _)| width <= room)
        })
        .unwrap_or(12)
}

/// The smallest and largest of `values`, widened by `pad` of the span on both sides; `(0, 1)`
/// when there are none, a unit around a single value.
fn span(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        return (0.0, 1.0);
    }
    if lo == hi {
        let half = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
        return (lo - half, hi + half);
    }
    let margin = (hi - lo) * pad;
    (lo - margin, hi + margin)
}

fn xy<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    series: &[Series],
) -> Drawn<DB> {
    let points = || series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = span(points().map(|p| p.0), 0.02);
    if figure.y_log {
        let (lo, hi) = span(points().map(|p| p.1.ln()), 0.05);
        let ticks = log_ticks(lo.exp(), hi.exp());
        let y = (lo.exp()..hi.exp())
            .log_scale()
            .with_key_points(ticks.major.clone())
            .with_light_points(ticks.minor.clone());
        let chart = chart_builder(root, figure).build_cartesian_2d(x0..x1, y)?;
        xy_series(chart, figure, series, &|y| ticks.label(*y))
    } else {
        let (y0, y1) = span(points().map(|p| p.1), 0.05);
        let chart = chart_builder(root, figure).build_cartesian_2d(x0..x1, y0..y1)?;
        let (y0, y1) = span(points().map(|p| p.1), 0.0);
        xy_series(chart, figure, series, &|y| number(*y, y1 - y0))
    }
}

fn xy_series<'a, DB, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    figure: &Figure,
    series: &[Series],
    y_format: &dyn Fn(&f64) -> String,
) -> Drawn<DB>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let integer_x = series
        .iter()
        .flat_map(|s| &s.points)
        .all(|p| p.0.fract() == 0.0);
    let (x0, x1) = span(series.iter().flat_map(|s| &s.points).map(|p| p.0), 0.0);
    let x_format = |x: &f64| {
        if integer_x {
            format!("{x:.0}")
        } else {
            number(*x, x1 - x0)
        }
    };
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_desc(&figure.x_label)
        .y_desc(&figure.y_label)
        .x_label_formatter(&x_format)
        .y_label_formatter(y_format)
        .y_labels(12)
        .label_style((FAMILY, TICKS))
        .axis_desc_style((FAMILY, AXIS))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let drawn = match s.style {
            Style::Line => chart.draw_series(LineSeries::new(
                s.points.iter().copied(),
                color.stroke_width(2),
            ))?,
            Style::Points => {
                chart.draw_series(s.points.iter().map(|&p| Circle::new(p, 4, color.filled())))?
            }
        };
        let style = s.style;
        drawn.label(&s.label).legend(move |(x, y)| match style {
            Style::Line => {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(2)).into_dyn()
            }
            Style::Points => Circle::new((x + 12, y), 4, color.filled()).into_dyn(),
        });
    }
    if !series.is_empty() {
        chart
            .configure_series_labels()
            .position(legend_position(series))
            .label_font((FAMILY, TICKS))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(160, 160, 160))
            .draw()?;
    }
    Ok(())
}

/// Out of the curves' way: at the bottom when the first series ends higher than it starts.
fn legend_position(series: &[Series]) -> SeriesLabelPosition {
    let rising = series
        .first()
        .and_then(|s| Some(s.points.last()?.1 > s.points.first()?.1))
        .unwrap_or(false);
    if rising {
        SeriesLabelPosition::LowerRight
    } else {
        SeriesLabelPosition::UpperRight
    }
}

/// A tick label: short, without trailing zeros; a value within rounding of 0 on an axis that
/// spans `span` reads 0.
fn number(v: f64, span: f64) -> String {
    if v == 0.0 || v.abs() < span * 1e-9 {
        return "0".to_owned();
    }
    let magnitude = v.abs();
    if !(1e-3..1e5).contains(&magnitude) {
        return format!("{v:.1e}");
    }
    let text = format!("{v:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// At most this many labelled ticks on a logarithmic axis.
const MAX_LOG_TICKS: usize = 8;
/// The mantissas 1 to 9 of the ticks between two powers of ten.
const DIGITS: [f64; 9] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];

/// The ticks of a logarithmic axis: labelled `major` ones and unlabelled `minor` grid lines.
#[derive(Debug, Clone, PartialEq)]
struct LogTicks {
    major: Vec<f64>,
    minor: Vec<f64>,
    /// Label as powers of ten, `10⁻¹²` or `2×10⁻⁵`, rather than as decimals.
    powers: bool,
}

/// Ticks for a logarithmic axis over `lo..hi`, `0 < lo < hi`: every power of ten (or every
/// second, third, fifth… one) when the axis spans at least three; else the 1-2-5 or 1…9
/// multiples of powers of ten (at least three, or four of the latter); else, within less than a
/// decade, evenly spaced round numbers.
fn log_ticks(lo: f64, hi: f64) -> LogTicks {
    // A hair of slack so that an end that is itself a tick keeps it despite rounding.
    let (lo, hi) = (lo * (1.0 - 1e-9), hi * (1.0 + 1e-9));
    let inside = |v: &f64| (lo..=hi).contains(v);
    let (first, last) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    let decades = usize::try_from(last - first + 1).unwrap_or(0);
    let (major, minor) = if decades >= 3 {
        let step = [1, 2, 3, 5, 10, 20, 50, 100]
            .into_iter()
            .find(|&step| decades.div_ceil(step) <= MAX_LOG_TICKS)
            .unwrap_or(200);
        let power = |k: i32| 10f64.powi(k);
        let on_step = |k: &i32| k.rem_euclid(step as i32) == 0;
        let major = (first..=last).filter(on_step).map(power).collect();
        let minor = if step > 1 {
            (first..=last).filter(|k| !on_step(k)).map(power).collect()
        } else if decades <= 7 {
            multiples(first - 1, last, &DIGITS[1..], inside)
        } else {
            Vec::new()
        };
        (major, minor)
    } else {
        let one_two_five = multiples(first - 1, last, &[1.0, 2.0, 5.0], inside);
        let all = multiples(first - 1, last, &DIGITS, inside);
        if one_two_five.len() >= 3 {
            let minor = all
                .into_iter()
                .filter(|v| !one_two_five.contains(v))
                .collect();
            (one_two_five, minor)
        } else if all.len() >= 4 {
            (all, Vec::new())
        } else {
            linear_ticks(lo, hi)
        }
    };
    let powers = major.iter().any(|&v| !(1e-3..=1e4).contains(&v));
    LogTicks {
        major,
        minor,
        powers,
    }
}

/// `m · 10ᵏ` for every `m` of `mantissas` and `k` in `first..=last` that `keep` accepts, rising.
fn multiples(first: i32, last: i32, mantissas: &[f64], keep: impl Fn(&f64) -> bool) -> Vec<f64> {
    (first..=last)
        .flat_map(|k| mantissas.iter().map(move |m| m * 10f64.powi(k)))
        .filter(keep)
        .collect()
}

/// Round numbers evenly spaced over `lo..hi` (a step of 1, 2 or 5 times a power of ten, at most
/// [`MAX_LOG_TICKS`] of them), and the midpoints between them.
fn linear_ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let magnitude = 10f64.powf(((hi - lo) / MAX_LOG_TICKS as f64).log10().floor());
    let at = |step: f64, offset: f64| -> Vec<f64> {
        let start = (lo / step - offset).ceil() as i64;
        let end = (hi / step - offset).floor() as i64;
        (start..=end).map(|i| (i as f64 + offset) * step).collect()
    };
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&step| at(step, 0.0).len() <= MAX_LOG_TICKS)
        .unwrap_or(10.0 * magnitude);
    (at(step, 0.0), at(step, 0.5))
}

impl LogTicks {
    /// The label of the tick at `v`.
    fn label(&self, v: f64) -> String {
        if !self.powers {
            return number(v, 0.0);
        }
        let exponent = (v.log10() + 1e-9).floor() as i32;
        let mantissa = v / 10f64.powi(exponent);
        let power = format!("10{}", superscript(exponent));
        if (mantissa - 1.0).abs() < 1e-6 {
            power
        } else {
            format!("{}×{power}", number(mantissa, 0.0))
        }
    }
}

/// `-12` as `⁻¹²`.
fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            digit => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹']
                [digit.to_digit(10).unwrap_or(0) as usize],
        })
        .collect()
}

fn heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    map: &Heatmap,
) -> Drawn<DB> {
    // The title spans the colour bar too: a heatmap's frame is narrow.
    let root = root.titled(&figure.title, (FAMILY, title_size(root, &figure.title)))?;
    let (width, _) = root.dim_in_pixel();
    let (main, bar) = root.split_horizontally(width.saturating_sub(150));
    let (rows, cols) = (map.rows as f64, map.cols as f64);
    let (lo, hi) = span(map.values.iter().flatten().copied(), 0.0);
    let mut chart = ChartBuilder::on(&main)
        .margin(18)
        .x_label_area_size(56)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..cols - 0.5, -0.5..rows - 0.5)?;
    // Row 0 is on top: the y coordinate of row r is rows − 1 − r.
    let index =
        |v: f64, count: f64| (v.fract() == 0.0 && v >= 0.0 && v < count).then_some(v as usize);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(&figure.x_label)
        .y_desc(&figure.y_label)
        .x_labels(map.cols.min(12) + 1)
        .y_labels(map.rows.min(12) + 1)
        .x_label_formatter(&|x| index(*x, cols).map_or_else(String::new, |c| c.to_string()))
        .y_label_formatter(&|y| {
            index(*y, rows).map_or_else(String::new, |r| (map.rows - 1 - r).to_string())
        })
        .label_style((FAMILY, TICKS))
        .axis_desc_style((FAMILY, AXIS))
        .draw()?;

    let cell_px = chart.plotting_area().dim_in_pixel().0 as f64 / cols.max(1.0);
    let centre = |i: usize| {
        let (r, c) = (i / map.cols, i % map.cols);
        (c as f64, rows - 1.0 - r as f64)
    };
    let color = |v: f64| ViridisRGB::get_color_normalized(v, lo, hi);
    let walls = RGBColor(190, 190, 190);
    chart.draw_series(map.values.iter().enumerate().map(|(i, v)| {
        let (x, y) = centre(i);
        let fill = v.map_or(walls, color);
        Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], fill.filled())
    }))?;
    if cell_px >= 14.0 {
        chart.draw_series(map.values.iter().enumerate().map(|(i, _)| {
            let (x, y) = centre(i);
            Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                WHITE.stroke_width(1),
            )
        }))?;
    }
    // Ink that stands out on the cell's colour: dark on light cells, white on dark ones.
    let ink = |i: usize| {
        let RGBColor(r, g, b) = map.values[i].map_or(walls, color);
        if 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) > 140.0 {
            BLACK
        } else {
            WHITE
        }
    };
    let longest = map
        .arrows
        .iter()
        .flatten()
        .map(|(dx, dy)| dx.hypot(*dy))
        .fold(0.0, f64::max);
    let stroke = (cell_px / 22.0).clamp(1.0, 4.0) as u32;
    for (i, arrow) in map.arrows.iter().enumerate() {
        let Some((dx, dy)) = *arrow else { continue };
        let length = dx.hypot(dy);
        if length == 0.0 || longest == 0.0 {
            continue;
        }
        // The longest arrow spans 0.7 of a cell; the others in proportion, at least 0.3.
        let scale = 0.35 * (length / longest).max(0.43) / length;
        let (ux, uy) = (dx * scale, dy * scale);
        let (x, y) = centre(i);
        let tip = (x + ux, y + uy);
        let back = (tip.0 - 0.45 * ux, tip.1 - 0.45 * uy);
        let side = (-uy * 0.3, ux * 0.3);
        let style = ink(i).stroke_width(stroke);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x - ux, y - uy), back],
            style,
        )))?;
        chart.draw_series(std::iter::once(Polygon::new(
            vec![
                tip,
                (back.0 + side.0, back.1 + side.1),
                (back.0 - side.0, back.1 - side.1),
            ],
            ink(i).filled(),
        )))?;
    }
    let label_px = (cell_px * 0.3).clamp(9.0, 28.0);
    for (i, label) in map.cell_labels.iter().enumerate() {
        if label.is_empty() {
            continue;
        }
        let (x, y) = centre(i);
        // Beside an arrow the label goes to the top-left corner; alone, in the middle.
        let (at, anchor) = if map.arrows.get(i).is_some_and(Option::is_some) {
            ((x - 0.44, y + 0.44), Pos::new(HPos::Left, VPos::Top))
        } else {
            ((x, y), Pos::new(HPos::Center, VPos::Center))
        };
        let color = ink(i);
        let style = TextStyle::from((FAMILY, label_px).into_font())
            .color(&color)
            .pos(anchor);
        chart.draw_series(std::iter::once(Text::new(label.clone(), at, style)))?;
    }
    color_bar(&bar, &map.color_label, lo, hi)
}

/// A vertical colour bar from `lo` (bottom) to `hi` (top), labelled on its right.
fn color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    lo: f64,
    hi: f64,
) -> Drawn<DB> {
    let mut bar = ChartBuilder::on(area)
        .margin_top(18)
        .margin_bottom(74)
        .margin_left(8)
        .margin_right(4)
        .set_label_area_size(LabelAreaPosition::Right, 100)
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc(label)
        // Long enough to read as a tick, not as a decimal point before the label.
        .set_tick_mark_size(LabelAreaPosition::Right, 9)
        .y_label_formatter(&|v| number(*v, hi - lo))
        .label_style((FAMILY, TICKS))
        .axis_desc_style((FAMILY, AXIS))
        .draw()?;
    let steps = 128;
    let step = (hi - lo) / f64::from(steps);
    bar.draw_series((0..steps).map(|k| {
        let v = lo + step * f64::from(k);
        let fill = ViridisRGB::get_color_normalized(v + step / 2.0, lo, hi);
        Rectangle::new([(0.0, v), (1.0, v + step * 1.02)], fill.filled())
    }))?;
    Ok(())
}

fn decision_regions<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    regions: &Regions,
) -> Drawn<DB> {
    let (x0, x1) = regions.x_range;
    let (y0, y1) = regions.y_range;
    let mut chart = chart_builder(root, figure).build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(&figure.x_label)
        .y_desc(&figure.y_label)
        .x_label_formatter(&|x| number(*x, x1 - x0))
        .y_label_formatter(&|y| number(*y, y1 - y0))
        .label_style((FAMILY, TICKS))
        .axis_desc_style((FAMILY, AXIS))
        .draw()?;
    let dx = (x1 - x0) / regions.nx.max(1) as f64;
    let dy = (y1 - y0) / regions.ny.max(1) as f64;
    // One rectangle per run of equal cells along a row keeps the SVG small; each overlaps the
    // next row a little so no seam shows between rows.
    let mut cells = Vec::new();
    for j in 0..regions.ny {
        let row = &regions.classes[j * regions.nx..(j + 1) * regions.nx];
        let mut start = 0;
        while start < row.len() {
            let class = row[start];
            let end = start + row[start..].iter().take_while(|&&c| c == class).count();
            let bottom = y0 + j as f64 * dy;
            let top = (bottom + dy * 1.05).min(y1);
            cells.push(Rectangle::new(
                [
                    (x0 + start as f64 * dx, bottom),
                    (x0 + end as f64 * dx, top),
                ],
                light(class_color(class)).filled(),
            ));
            start = end;
        }
    }
    chart.draw_series(cells)?;
    let mut classes: Vec<usize> = regions.points.iter().map(|p| p.2).collect();
    classes.sort_unstable();
    classes.dedup();
    for class in classes {
        let color = class_color(class);
        let points = regions.points.iter().filter(|p| p.2 == class);
        chart
            .draw_series(
                points
                    .clone()
                    .map(|&(x, y, _)| Circle::new((x, y), 4, color.filled())),
            )?
            .label(format!("class {class}"))
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
        chart
            .draw_series(points.map(|&(x, y, _)| Circle::new((x, y), 4, BLACK.stroke_width(1))))?;
    }
    if !regions.points.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FAMILY, TICKS))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(160, 160, 160))
            .draw()?;
    }
    Ok(())
}

fn class_color(class: usize) -> RGBColor {
    PALETTE[class % PALETTE.len()]
}

/// The colour mixed with 70% white: a region's fill, under the points of its class.
fn light(RGBColor(r, g, b): RGBColor) -> RGBColor {
    let mix = |c: u8| (0.3 * f64::from(c) + 0.7 * 255.0).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(lo: f64, hi: f64) -> Vec<String> {
        let ticks = log_ticks(lo, hi);
        ticks.major.iter().map(|&v| ticks.label(v)).collect()
    }

    #[test]
    fn a_log_axis_over_fourteen_decades_labels_every_second_power_of_ten() {
        let ticks = log_ticks(1e-12, 1e2);
        let expected = [
            "10⁻¹²",
            "10⁻¹⁰",
            "10⁻⁸",
            "10⁻⁶",
            "10⁻⁴",
            "10⁻²",
            "10⁰",
            "10²",
        ];
        assert_eq!(labels(1e-12, 1e2), expected);
        // The decades in between get grid lines.
        assert_eq!(ticks.minor.len(), 7, "{ticks:?}");
    }

    #[test]
    fn a_log_axis_over_a_few_decades_labels_every_power_of_ten_as_a_decimal() {
        assert_eq!(labels(0.004, 150.0), ["0.01", "0.1", "1", "10", "100"]);
    }

    #[test]
    fn a_log_axis_within_a_decade_or_two_gets_round_numbers_in_between() {
        // One and a half decades: the 1-2-5 steps.
        assert_eq!(labels(0.04, 2.5), ["0.05", "0.1", "0.2", "0.5", "1", "2"]);
        // Less than a decade around 1: evenly spaced, not just 1 and 2.
        assert_eq!(
            labels(0.9, 2.5),
            ["1", "1.2", "1.4", "1.6", "1.8", "2", "2.2", "2.4"]
        );
        // Small values keep powers of ten in their labels.
        assert_eq!(
            labels(2.1e-7, 4.9e-7),
            ["2.5×10⁻⁷", "3×10⁻⁷", "3.5×10⁻⁷", "4×10⁻⁷", "4.5×10⁻⁷"]
        );
    }

    #[test]
    fn log_ticks_stay_inside_the_axis_and_rise() {
        let axes = [
            (1e-12, 1e2),
            (0.9, 2.5),
            (3e-5, 7e-5),
            (0.5, 2e6),
            (1.0, 1.001),
        ];
        for (lo, hi) in axes {
            let ticks = log_ticks(lo, hi);
            assert!(ticks.major.len() >= 2, "{lo}..{hi}: {ticks:?}");
            assert!(ticks.major.len() <= MAX_LOG_TICKS, "{lo}..{hi}: {ticks:?}");
            for pair in ticks.major.windows(2) {
                assert!(pair[0] < pair[1], "{lo}..{hi}: {ticks:?}");
            }
            for v in ticks.major.iter().chain(&ticks.minor) {
                assert!(
                    *v >= lo * 0.999_999 && *v <= hi * 1.000_001,
                    "{lo}..{hi}: {v}"
                );
            }
        }
    }
}
