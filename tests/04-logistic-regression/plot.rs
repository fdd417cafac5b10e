//! The figures of exercise 04 for `mlings plot 4`, drawn from the crate under test (`crate::sut`):
//!
//! - `challenger`: the 23 launches before Challenger (any O-ring distress, 0 or 1, against the
//!   launch temperature) with the fitted probability curve, and the 31 °F of the Challenger
//!   launch marked where the curve puts it;
//! - `deviance`: the Newton iterations on Challenger and on Bliss's beetles (logit), as the
//!   deviance still to lose, `Dₜ − D̂`, on a log scale: quadratic convergence is a line that
//!   bends ever more steeply down.
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use mlings_grader::plot::{self, Figure, learner};
use ndarray::{Array1, Array2};

use crate::sut;

/// The launch temperature of Challenger, 28 January 1986, in °F.
const LAUNCH_F: f64 = 31.0;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    plot::emit(
        "04-logistic-regression",
        vec![
            plot::figure("challenger", challenger_curve),
            plot::figure("deviance", deviance_per_iteration),
        ],
    );
}

/// The rows of a `data/glm/` table after its header and `#` comments.
fn table(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            l.split('\t')
                .filter_map(|v| v.trim().parse().ok())
                .collect()
        })
        .collect()
}

/// Challenger: temperature `(23, 1)` and any distress (0/1).
fn challenger() -> (Array2<f64>, Array1<f64>) {
    let rows = table(include_str!("../../data/glm/challenger.tsv"));
    let x = Array2::from_shape_fn((rows.len(), 1), |(i, _)| rows[i][0]);
    let y = Array1::from_shape_fn(rows.len(), |i| if rows[i][1] > 0.0 { 1.0 } else { 0.0 });
    (x, y)
}

fn challenger_curve() -> Result<Figure, String> {
    let (x, y) = challenger();
    let fit = learner(sut::fit_logistic(
        x.view(),
        y.view(),
        Array1::ones(y.len()).view(),
        &sut::NewtonConfig::default(),
    ))?;
    let (b0, b1) = (fit.beta[0], fit.beta[1]);
    let p = |t: f64| sut::sigmoid(b0 + b1 * t);
    let curve: Vec<(f64, f64)> = (0..=300)
        .map(|k| 25.0 + 60.0 * k as f64 / 300.0)
        .map(|t| (t, p(t)))
        .collect();
    let data: Vec<(f64, f64)> = x
        .column(0)
        .iter()
        .zip(y.iter())
        .map(|(&t, &v)| (t, v))
        .collect();
    Ok(Figure::xy(
        "challenger",
        &format!(
            "Challenger: P(O-ring distress) = σ({b0:.3} {b1:+.4}·t); at {LAUNCH_F} °F it is {:.4}",
            p(LAUNCH_F)
        ),
        "launch temperature t (°F)",
        "probability of O-ring distress",
    )
    .points("23 earlier launches (1 = distress)", data)
    .line("fitted probability", curve)
    .line(
        &format!("Challenger launch, {LAUNCH_F} °F"),
        [(LAUNCH_F, 0.0), (LAUNCH_F, p(LAUNCH_F))],
    )
    .points("fitted probability at 31 °F", [(LAUNCH_F, p(LAUNCH_F))]))
}

/// `(t, Dₜ − D̂)` for every iteration before the last (whose excess is 0 by definition), floored
/// at 10⁻¹⁶ of D̂ so that the log scale can show a step that reached rounding.
fn excess(deviances: &[f64]) -> Vec<(f64, f64)> {
    let last = deviances.last().copied().unwrap_or(0.0);
    let floor = 1e-16 * last.abs().max(1.0);
    deviances[..deviances.len().saturating_sub(1)]
        .iter()
        .enumerate()
        .map(|(t, &d)| (t as f64, (d - last).max(floor)))
        .collect()
}

fn deviance_per_iteration() -> Result<Figure, String> {
    let (x, y) = challenger();
    let fit = learner(sut::fit_logistic(
        x.view(),
        y.view(),
        Array1::ones(y.len()).view(),
        &sut::NewtonConfig::default(),
    ))?;
    let rows = table(include_str!("../../data/glm/beetles.tsv"));
    let design = Array2::from_shape_fn(
        (rows.len(), 2),
        |(i, j)| if j == 0 { 1.0 } else { rows[i][0] },
    );
    let killed = Array1::from_shape_fn(rows.len(), |i| rows[i][2]);
    let exposed = Array1::from_shape_fn(rows.len(), |i| rows[i][1]);
    let beetles = learner(sut::newton(
        design.view(),
        killed.view(),
        exposed.view(),
        &sut::NewtonConfig::default(),
    ))?;
    Ok(Figure::xy(
        "deviance",
        &format!(
            "Newton's method: deviance still to lose per iteration (D̂ = {:.4} Challenger, {:.4} beetles)",
            fit.deviance,
            beetles.deviance()
        ),
        "Newton iteration t",
        "Dₜ − D̂",
    )
    .line("Challenger (23 launches)", excess(&fit.deviances))
    .line("Bliss's beetles (logit)", excess(&beetles.deviances))
    .y_log())
}
