//! Figures of a learner's own model, as data: what `mlings plot` draws.
//!
//! An exercise's plot program (`tests/NN-topic/plot.rs`, run as the example `plot` of the
//! learner's crate or of the solution) trains or runs the crate under test and describes each
//! figure as data — series of points, a heatmap, decision regions. [`emit`] writes them as JSON;
//! the CLI reads that JSON and renders every figure to SVG and PNG under `plots/NN-topic/`. The
//! CLI knows nothing about the exercise: everything it draws comes from these types.
//!
//! A figure whose code reaches a `todo!()` is skipped with "not implemented yet: …", and one
//! whose code returns an error or panics is skipped with that reason; the other figures are
//! still drawn.
//!
//! # The JSON
//!
//! ```text
//! Figures { exercise, figures: [Figure], skipped: [Skipped { name, reason }] }
//! Figure  { name, title, x_label, y_label, y_log, kind }      name: the file stem, [a-z0-9_-]+
//! kind    { "type": "xy",      series: [Series { label, style: "line" | "points", points: [[x, y]] }] }
//!       | { "type": "heatmap", rows, cols, values: [v | null] (row-major, row 0 on top),
//!                              arrows: [[dx, dy] | null] (per cell, dy > 0 points up; [] for none),
//!                              cell_labels: ["G", "", …] ([] for none), color_label }
//!       | { "type": "regions", x_range: [lo, hi], y_range: [lo, hi], nx, ny,
//!                              classes: [class of cell] (row-major, row 0 at y = lo),
//!                              points: [[x, y, class]] }
//! ```
//!
//! Values must be finite (a heatmap cell may be `None`: drawn blank, for a wall); a figure with a
//! NaN or an infinity is skipped with a reason naming the series and the point.
//!
//! # Example
//!
//! A plot program, `tests/NN-topic/plot.rs`, pulled into both crates as `examples/plot.rs` with
//! `use topic as sut; #[path = "../../../tests/NN-topic/plot.rs"] mod plot; fn main() { plot::main() }`:
//!
//! ```no_run
//! use mlings_grader::plot::{self, Figure, Heatmap};
//! # mod sut { pub fn fit() -> Vec<f64> { vec![4.0, 2.0, 1.0] } }
//!
//! /// The figures of exercise NN.
//! pub fn main() {
//!     plot::emit("NN-topic", vec![
//!         plot::figure("loss", || {
//!             let losses = sut::fit(); // the learner's code: a todo!() skips this figure
//!             Ok(Figure::xy("loss", "Loss per iteration", "iteration", "loss")
//!                 .line("training loss", plot::indexed(&losses, 1.0))
//!                 .y_log())
//!         }),
//!         plot::figure("values", || {
//!             let map = Heatmap::new(2, 2, vec![0.1, 0.5, 0.9, 1.0], "V(s)")
//!                 .with_arrows(vec![Some((1.0, 0.0)), Some((0.0, -1.0)), Some((1.0, 0.0)), None])
//!                 .with_cell_labels(vec!["S".into(), String::new(), String::new(), "G".into()]);
//!             Ok(Figure::heatmap("values", "State values", "column", "row", map))
//!         }),
//!     ]);
//! }
//! ```
//!
//! `cargo run -p topic --example plot -- out.json` writes the JSON to `out.json` (to standard
//! output without an argument); `mlings plot NN` does that and draws it.

use std::cell::RefCell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

use crate::Step;
use crate::panics;

/// Every figure one run of an exercise's plot program produced, and the ones it could not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// The exercise's directory name, such as `02-neural-network`.
    pub exercise: String,
    /// The figures to draw, in order.
    pub figures: Vec<Figure>,
    /// The figures that could not be made, with why.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

/// A figure that could not be made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// The figure's name.
    pub name: String,
    /// Why: "not implemented yet: …", the error the learner's code returned, or its panic.
    pub reason: String,
}

/// One figure: titles, axis labels and what to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The file stem (`plots/NN-topic/<name>.svg`): lowercase letters, digits, `-` and `_`.
    pub name: String,
    /// The title above the plot.
    pub title: String,
    /// The label of the horizontal axis.
    pub x_label: String,
    /// The label of the vertical axis.
    pub y_label: String,
    /// A logarithmic vertical axis (for [`Kind::Xy`]; every y must then be > 0).
    #[serde(default)]
    pub y_log: bool,
    /// What to draw.
    pub kind: Kind,
    /// What the figure does not show yet, and the step it waits for: "the fitted polynomial:
    /// step 4 (qr) is not implemented yet: …". Printed under the figure's path by `mlings plot`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What a figure draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    /// Series of points in the plane, as lines or markers, with a legend.
    Xy {
        /// The series, drawn in order with distinct colours.
        series: Vec<Series>,
    },
    /// A grid of values with a colour bar, and optionally an arrow and a label per cell.
    Heatmap(Heatmap),
    /// A classifier's decision regions on a grid, with the labelled data on top.
    Regions(Regions),
}

/// One series of an [`Kind::Xy`] figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The series' name in the legend.
    pub label: String,
    /// Joined by a line, or drawn as separate markers.
    pub style: Style,
    /// The points `(x, y)`, in drawing order.
    pub points: Vec<(f64, f64)>,
}

/// How a [`Series`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A line through the points in order.
    Line,
    /// A marker at every point.
    Points,
}

/// A `rows × cols` grid of values drawn as coloured cells; row 0 is the top row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    /// The number of rows.
    pub rows: usize,
    /// The number of columns.
    pub cols: usize,
    /// `rows × cols` values in row-major order (`values[r * cols + c]`); `None` leaves the cell
    /// blank (a wall).
    pub values: Vec<Option<f64>>,
    /// Empty, or one arrow per cell (row-major): a direction `(dx, dy)` with `dy > 0` pointing
    /// up, drawn scaled to the cell; `None` draws no arrow in that cell.
    #[serde(default)]
    pub arrows: Vec<Option<(f64, f64)>>,
    /// Empty, or one short label per cell (row-major), such as `"S"`, `"G"`, `"H"`; `""` for none.
    #[serde(default)]
    pub cell_labels: Vec<String>,
    /// The label of the colour bar: what the values are, such as `"V(s)"`.
    pub color_label: String,
}

/// Decision regions of a classifier on a grid over `x_range × y_range`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regions {
    /// The horizontal extent `(lo, hi)`.
    pub x_range: (f64, f64),
    /// The vertical extent `(lo, hi)`.
    pub y_range: (f64, f64),
    /// Cells along x.
    pub nx: usize,
    /// Cells along y.
    pub ny: usize,
    /// The predicted class of every cell, `classes[j * nx + i]` for the cell `i` along x and `j`
    /// along y, `j = 0` at the bottom (`y_range.0`); see [`Regions::grid`].
    pub classes: Vec<usize>,
    /// The labelled data `(x, y, class)`, drawn on top.
    pub points: Vec<(f64, f64, usize)>,
}

impl Figure {
    fn new(name: &str, title: &str, x_label: &str, y_label: &str, kind: Kind) -> Figure {
        Figure {
            name: name.to_owned(),
            title: title.to_owned(),
            x_label: x_label.to_owned(),
            y_label: y_label.to_owned(),
            y_log: false,
            kind,
            notes: Vec::new(),
        }
    }

    /// An empty plot of series; add them with [`line`](Self::line) and [`points`](Self::points).
    pub fn xy(name: &str, title: &str, x_label: &str, y_label: &str) -> Figure {
        Figure::new(
            name,
            title,
            x_label,
            y_label,
            Kind::Xy { series: Vec::new() },
        )
    }

    /// A heatmap figure; `x_label` names the columns, `y_label` the rows.
    pub fn heatmap(name: &str, title: &str, x_label: &str, y_label: &str, map: Heatmap) -> Figure {
        Figure::new(name, title, x_label, y_label, Kind::Heatmap(map))
    }

    /// A decision-regions figure.
    pub fn regions(
        name: &str,
        title: &str,
        x_label: &str,
        y_label: &str,
        regions: Regions,
    ) -> Figure {
        Figure::new(name, title, x_label, y_label, Kind::Regions(regions))
    }

    /// Adds a series joined by a line (to an [`xy`](Self::xy) figure; ignored otherwise).
    pub fn line(self, label: &str, points: impl IntoIterator<Item = (f64, f64)>) -> Figure {
        self.series(label, Style::Line, points)
    }

    /// Adds a series drawn as markers (to an [`xy`](Self::xy) figure; ignored otherwise).
    pub fn points(self, label: &str, points: impl IntoIterator<Item = (f64, f64)>) -> Figure {
        self.series(label, Style::Points, points)
    }

    fn series(
        mut self,
        label: &str,
        style: Style,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> Figure {
        if let Kind::Xy { series } = &mut self.kind {
            series.push(Series {
                label: label.to_owned(),
                style,
                points: points.into_iter().collect(),
            });
        }
        self
    }

    /// A logarithmic vertical axis.
    pub fn y_log(mut self) -> Figure {
        self.y_log = true;
        self
    }

    /// Adds a note: a part of the figure that cannot be drawn yet, and why (see [`step`]).
    pub fn note(mut self, note: impl Into<String>) -> Figure {
        self.notes.push(note.into());
        self
    }

    /// Fails with a reason a learner can act on when the figure cannot be drawn: a bad name, a
    /// NaN or an infinity, a grid whose size does not match its values, y ≤ 0 on a log axis.
    ///
    /// # Errors
    /// The first problem found.
    pub fn check(&self) -> Result<(), String> {
        check_name(&self.name)?;
        match &self.kind {
            Kind::Xy { series } => {
                for s in series {
                    for (i, &(x, y)) in s.points.iter().enumerate() {
                        if !x.is_finite() || !y.is_finite() {
                            return Err(format!(
                                "series `{}` has a non-finite value at point {i}: ({x}, {y})",
                                s.label
                            ));
                        }
                        if self.y_log && y <= 0.0 {
                            return Err(format!(
                                "series `{}` has y = {y} at point {i}, which a log scale cannot show",
                                s.label
                            ));
                        }
                    }
                }
            }
            Kind::Heatmap(map) => {
                let cells = map.rows * map.cols;
                let sized = |what: &str, len: usize, optional: bool| {
                    if len == cells || (optional && len == 0) {
                        Ok(())
                    } else {
                        Err(format!(
                            "{what}: {len} entries for a {} × {} grid",
                            map.rows, map.cols
                        ))
                    }
                };
                sized("heatmap values", map.values.len(), false)?;
                sized("heatmap arrows", map.arrows.len(), true)?;
                sized("heatmap cell labels", map.cell_labels.len(), true)?;
                if let Some(i) = map
                    .values
                    .iter()
                    .position(|v| v.is_some_and(|v| !v.is_finite()))
                {
                    return Err(format!(
                        "heatmap cell ({}, {}) is {:?}",
                        i / map.cols,
                        i % map.cols,
                        map.values[i]
                    ));
                }
                if let Some(i) = map
                    .arrows
                    .iter()
                    .position(|a| a.is_some_and(|(dx, dy)| !dx.is_finite() || !dy.is_finite()))
                {
                    return Err(format!(
                        "heatmap arrow ({}, {}) is not finite",
                        i / map.cols,
                        i % map.cols
                    ));
                }
            }
            Kind::Regions(r) => {
                let finite = [r.x_range.0, r.x_range.1, r.y_range.0, r.y_range.1]
                    .iter()
                    .all(|v| v.is_finite());
                if !finite || r.x_range.0 >= r.x_range.1 || r.y_range.0 >= r.y_range.1 {
                    return Err(format!(
                        "regions: ranges {:?} × {:?} are empty or not finite",
                        r.x_range, r.y_range
                    ));
                }
                if r.classes.len() != r.nx * r.ny {
                    return Err(format!(
                        "regions: {} classes for a {} × {} grid",
                        r.classes.len(),
                        r.nx,
                        r.ny
                    ));
                }
                if let Some(p) = r
                    .points
                    .iter()
                    .find(|p| !p.0.is_finite() || !p.1.is_finite())
                {
                    return Err(format!("regions: data point {p:?} is not finite"));
                }
            }
        }
        Ok(())
    }
}

/// Fails unless `name` is a usable file stem: 1 to 64 of `a-z`, `0-9`, `-`, `_`.
///
/// # Errors
/// Says which character is not allowed.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if name.is_empty() || name.len() > 64 || !name.chars().all(ok) {
        return Err(format!(
            "figure name `{name}`: use 1 to 64 of a-z, 0-9, `-` and `_` (it is a file name)"
        ));
    }
    Ok(())
}

impl Heatmap {
    /// A `rows × cols` heatmap of `values` (row-major, row 0 on top), no arrows, no labels.
    pub fn new(rows: usize, cols: usize, values: Vec<f64>, color_label: &str) -> Heatmap {
        Heatmap {
            rows,
            cols,
            values: values.into_iter().map(Some).collect(),
            arrows: Vec::new(),
            cell_labels: Vec::new(),
            color_label: color_label.to_owned(),
        }
    }

    /// Leaves the cells where `blank` is true without a value (walls).
    pub fn with_blanks(mut self, blank: impl IntoIterator<Item = bool>) -> Heatmap {
        for (value, blank) in self.values.iter_mut().zip(blank) {
            if blank {
                *value = None;
            }
        }
        self
    }

    /// One arrow per cell, row-major: `(dx, dy)` with `dy > 0` up, `None` for no arrow.
    pub fn with_arrows(mut self, arrows: Vec<Option<(f64, f64)>>) -> Heatmap {
        self.arrows = arrows;
        self
    }

    /// One label per cell, row-major, `""` for none.
    pub fn with_cell_labels(mut self, labels: Vec<String>) -> Heatmap {
        self.cell_labels = labels;
        self
    }
}

impl Regions {
    /// The centres of the `nx × ny` cells over `x_range × y_range`, in the order of
    /// [`classes`](Self::classes): classify them with the learner's model, then call
    /// [`Regions::new`].
    pub fn grid(x_range: (f64, f64), y_range: (f64, f64), nx: usize, ny: usize) -> Vec<(f64, f64)> {
        let dx = (x_range.1 - x_range.0) / nx.max(1) as f64;
        let dy = (y_range.1 - y_range.0) / ny.max(1) as f64;
        (0..ny)
            .flat_map(|j| {
                (0..nx).map(move |i| {
                    (
                        x_range.0 + (i as f64 + 0.5) * dx,
                        y_range.0 + (j as f64 + 0.5) * dy,
                    )
                })
            })
            .collect()
    }

    /// Decision regions: the class of every cell of [`Regions::grid`], and the labelled data.
    pub fn new(
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
        classes: Vec<usize>,
        points: Vec<(f64, f64, usize)>,
    ) -> Regions {
        Regions {
            x_range,
            y_range,
            nx,
            ny,
            classes,
            points,
        }
    }
}

/// `values[i]` at `x = first + i`: a per-epoch or per-iteration curve.
pub fn indexed(values: &[f64], first: f64) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (first + i as f64, v))
        .collect()
}

/// `result`'s value, or the error the learner's code returned as the reason to skip the figure:
/// `let beta = plot::learner(sut::qr_solve(x.view(), y.view()))?;`.
///
/// # Errors
/// `your code returned an error: <the error's message>`.
pub fn learner<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("your code returned an error: {e}"))
}

/// Why a part of a figure cannot be drawn yet: it needs the learner's code of `step`, which
/// reached a `todo!()` (its own or an earlier step's), panicked or returned an error. Made by
/// [`step`] and [`try_step`]; a figure's code either draws without that part and adds a
/// [`note`](Figure::note), or passes it on with `?` to skip the figure (the reason then names the
/// step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    /// The step the part needs.
    pub step: Step,
    /// What happened: "not implemented yet: …", "panicked at …: …" or
    /// "your code returned an error: …".
    pub reason: String,
}

/// `needs step 4 (qr): not implemented yet: …`, to follow what waits: "the fitted polynomial
/// needs step 4 (qr): …".
impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "needs {}: {}", self.step, self.reason)
    }
}

impl std::error::Error for StepError {}

impl From<StepError> for String {
    fn from(error: StepError) -> String {
        error.to_string()
    }
}

/// Runs the learner's code of `step` (`run`), catching a `todo!()` or a panic in it, so that a
/// figure can draw what the finished steps allow and say which step the rest needs:
///
/// ```
/// use mlings_grader::Step;
/// use mlings_grader::plot::{self, Figure};
///
/// const QR: Step = Step::new(4, "qr");
/// fn qr_solve() -> Vec<f64> { todo!("solve by QR") }
///
/// let figure = Figure::xy("fit", "Data and fit", "x", "y").points("data", [(0.0, 1.0)]);
/// let figure = match plot::step(QR, qr_solve) {
///     Ok(beta) => figure.line("fit", [(0.0, beta[0])]),
///     Err(waiting) => figure.note(format!("the fitted line {waiting}")),
/// };
/// assert_eq!(figure.notes, ["the fitted line needs step 4 (qr): not implemented yet: solve by QR"]);
/// ```
///
/// # Errors
/// A [`StepError`] naming `step` when `run` panics.
pub fn step<T>(step: Step, run: impl FnOnce() -> T) -> Result<T, StepError> {
    catch(run).map_err(|(text, location)| StepError {
        step,
        reason: panic_reason(&text, location.as_deref()),
    })
}

/// [`step`] for the learner's code that returns a `Result`: an error is a [`StepError`] too.
///
/// # Errors
/// A [`StepError`] naming `step` when `run` panics or returns an error.
pub fn try_step<T, E: fmt::Display>(
    step: Step,
    run: impl FnOnce() -> Result<T, E>,
) -> Result<T, StepError> {
    self::step(step, run)?.map_err(|e| StepError {
        step,
        reason: format!("your code returned an error: {e}"),
    })
}

/// Code that makes one figure, run by [`emit`].
pub type Make<'a> = Box<dyn FnOnce() -> Result<Figure, String> + 'a>;

/// A named figure for [`emit`]: `make` runs the learner's code and describes the figure; an
/// `Err` or a panic (a `todo!()`) skips it with the reason.
pub fn figure<'a>(
    name: &'a str,
    make: impl FnOnce() -> Result<Figure, String> + 'a,
) -> (&'a str, Make<'a>) {
    (name, Box::new(make))
}

/// Makes every figure, catching each one's panics, and returns them with the skipped ones.
pub fn collect(exercise: &str, figures: Vec<(&str, Make<'_>)>) -> Figures {
    let mut out = Figures {
        exercise: exercise.to_owned(),
        figures: Vec::new(),
        skipped: Vec::new(),
    };
    for (name, make) in figures {
        match quietly(make) {
            Ok(figure) => match figure.check() {
                Ok(()) => out.figures.push(figure),
                Err(reason) => out.skipped.push(Skipped {
                    name: name.to_owned(),
                    reason,
                }),
            },
            Err(reason) => out.skipped.push(Skipped {
                name: name.to_owned(),
                reason,
            }),
        }
    }
    out
}

/// Makes every figure ([`collect`]) and writes the JSON to the file named by the first
/// command-line argument, or to standard output without one. Exits with status 1 when the
/// JSON cannot be written.
pub fn emit(exercise: &str, figures: Vec<(&str, Make<'_>)>) {
    let figures = collect(exercise, figures);
    let json = serde_json::to_string(&figures).expect("figures serialise");
    let written = match std::env::args_os().nth(1) {
        Some(path) => std::fs::write(&path, json),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{json}").and_then(|()| out.flush())
        }
    };
    if let Err(err) = written {
        eprintln!("mlings-grader: cannot write the figures: {err}");
        std::process::exit(1);
    }
}

thread_local! {
    /// Where the last panic on this thread happened, recorded by the quiet hook.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `make` with panics caught and not printed; a panic becomes the reason to skip.
fn quietly(make: Make<'_>) -> Result<Figure, String> {
    catch(make).unwrap_or_else(|(text, location)| Err(panic_reason(&text, location.as_deref())))
}

/// Runs `run` with its panics caught and not printed: the panic's text and where it happened.
fn catch<T>(run: impl FnOnce() -> T) -> Result<T, (String, Option<String>)> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        LOCATION.with(|slot| *slot.borrow_mut() = location);
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(run));
    panic::set_hook(previous);
    result.map_err(|payload| {
        let location = LOCATION.with(|slot| slot.borrow_mut().take());
        (panics::payload_text(payload.as_ref()), location)
    })
}

/// "not implemented yet: …" for a `todo!()`, else the panic's message and where it happened.
fn panic_reason(text: &str, location: Option<&str>) -> String {
    match (panics::not_implemented_message(text), location) {
        (Some(message), _) => message,
        (None, Some(at)) => format!("panicked at {at}: {text}"),
        (None, None) => format!("panicked: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Figures {
        collect(
            "00-sample",
            vec![
                figure("loss", || {
                    Ok(Figure::xy("loss", "Loss", "epoch", "loss")
                        .line("train", indexed(&[3.0, 2.0, 1.5], 1.0))
                        .points("test", [(3.0, 1.7)])
                        .y_log())
                }),
                figure("values", || {
                    let map = Heatmap::new(1, 2, vec![0.5, 1.0], "V(s)")
                        .with_arrows(vec![Some((1.0, 0.0)), None])
                        .with_cell_labels(vec![String::new(), "G".into()]);
                    Ok(Figure::heatmap("values", "V", "column", "row", map))
                }),
                figure("regions", || {
                    let cells = Regions::grid((-1.0, 1.0), (0.0, 2.0), 2, 2);
                    let classes = cells.iter().map(|&(x, _)| usize::from(x > 0.0)).collect();
                    let regions =
                        Regions::new((-1.0, 1.0), (0.0, 2.0), 2, 2, classes, vec![(0.5, 1.0, 1)]);
                    Ok(Figure::regions("regions", "Regions", "x₁", "x₂", regions))
                }),
                figure("todo", || todo!("fit the model on x {:?}", [3, 2])),
                figure("error", || Err("the model returned an error".to_owned())),
                figure("nan", || {
                    Ok(Figure::xy("nan", "NaN", "x", "y").line("bad", [(0.0, f64::NAN)]))
                }),
                figure("crash", || panic!("index out of bounds")),
            ],
        )
    }

    #[test]
    fn figures_round_trip_through_json() {
        let figures = sample();
        assert_eq!(figures.figures.len(), 3, "{figures:?}");
        let json = serde_json::to_string(&figures).unwrap();
        let back: Figures = serde_json::from_str(&json).unwrap();
        assert_eq!(back, figures);
        assert!(json.contains(r#""type":"heatmap""#), "{json}");
    }

    #[test]
    fn a_todo_an_error_a_nan_and_a_panic_are_skipped_with_their_reason() {
        let skipped = sample().skipped;
        let reason = |name: &str| {
            skipped
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.reason.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            reason("todo"),
            "not implemented yet: fit the model on x [3, 2]"
        );
        assert_eq!(reason("error"), "the model returned an error");
        assert!(reason("nan").contains("non-finite"), "{}", reason("nan"));
        assert!(
            reason("crash").starts_with("panicked at "),
            "{}",
            reason("crash")
        );
        assert!(reason("crash").ends_with("index out of bounds"));
    }

    #[test]
    fn the_grid_is_row_major_from_the_bottom_left() {
        let cells = Regions::grid((0.0, 2.0), (0.0, 4.0), 2, 2);
        assert_eq!(cells, vec![(0.5, 1.0), (1.5, 1.0), (0.5, 3.0), (1.5, 3.0)]);
    }

    #[test]
    fn bad_names_and_mismatched_grids_are_refused() {
        assert!(check_name("../etc").is_err());
        assert!(check_name("Loss").is_err());
        assert!(check_name("decision-regions_2").is_ok());
        let map = Heatmap::new(2, 2, vec![1.0; 3], "v");
        assert!(Figure::heatmap("h", "h", "x", "y", map).check().is_err());
        let log = Figure::xy("l", "l", "x", "y")
            .line("s", [(0.0, 0.0)])
            .y_log();
        assert!(log.check().is_err());
    }
}
