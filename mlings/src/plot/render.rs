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
        .caption(&figure.title, (FAMILY, TITLE))
        .margin(18)
        .x_label_area_size(56)
        .y_label_area_size(84);
    builder
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
        let chart = chart_builder(root, figure)
            .build_cartesian_2d(x0..x1, (lo.exp()..hi.exp()).log_scale())?;
        xy_series(chart, figure, series)
    } else {
        let (y0, y1) = span(points().map(|p| p.1), 0.05);
        let chart = chart_builder(root, figure).build_cartesian_2d(x0..x1, y0..y1)?;
        xy_series(chart, figure, series)
    }
}

fn xy_series<'a, DB, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    figure: &Figure,
    series: &[Series],
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
    let (y0, y1) = span(series.iter().flat_map(|s| &s.points).map(|p| p.1), 0.0);
    // A log axis has no zero to snap to.
    let y_span = if figure.y_log { 0.0 } else { y1 - y0 };
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
        .y_label_formatter(&|y| number(*y, y_span))
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

fn heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    map: &Heatmap,
) -> Drawn<DB> {
    let (width, _) = root.dim_in_pixel();
    let (main, bar) = root.split_horizontally(width.saturating_sub(150));
    let (rows, cols) = (map.rows as f64, map.cols as f64);
    let (lo, hi) = span(map.values.iter().flatten().copied(), 0.0);
    let mut chart = ChartBuilder::on(&main)
        .caption(&figure.title, (FAMILY, TITLE))
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
        .margin_top(70)
        .margin_bottom(74)
        .margin_left(8)
        .margin_right(4)
        .set_label_area_size(LabelAreaPosition::Right, 100)
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc(label)
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
