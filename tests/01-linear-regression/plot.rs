//! The figures of exercise 01 for `mlings plot 1`, drawn from the crate under test (`crate::sut`):
//!
//! - `fit` and `residuals`: NIST Filip's 82 points with the degree-10 polynomial fitted by QR,
//!   and what that curve leaves unexplained;
//! - `gd-loss`: the mean squared error per iteration of gradient descent on NIST Norris (a line)
//!   and Pontius (a parabola, whose two standardised columns are nearly collinear).
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use std::cell::OnceCell;
use std::rc::Rc;

use mlings_grader::plot::{self, Figure, learner};
use ndarray::Array1;

use crate::sut;

/// Filip's model: `y = B0 + B1 x + … + B10 x¹⁰`.
const FILIP_DEGREE: usize = 10;
/// Points of the fitted curve across the range of x.
const CURVE_POINTS: usize = 400;
/// Steps of gradient descent: Norris converges in about 40, Pontius in about 1,300.
const GD_ITERATIONS: usize = 1500;

/// Writes the figures' JSON to the file named by the first argument (standard output without).
pub fn main() {
    let filip = Rc::new(OnceCell::new());
    let fit = {
        let filip = Rc::clone(&filip);
        move || -> Result<FilipFit, String> { filip.get_or_init(fit_filip).clone() }
    };
    let fit_again = fit.clone();
    plot::emit(
        "01-linear-regression",
        vec![
            plot::figure("fit", move || {
                let f = fit()?;
                Ok(Figure::xy(
                    "fit",
                    &format!(
                        "NIST Filip: degree-{FILIP_DEGREE} polynomial fitted by QR (R² = {:.6})",
                        f.r_squared
                    ),
                    "x",
                    "y",
                )
                .points(&format!("data ({} observations)", f.data.len()), f.data)
                .line("fitted polynomial", f.curve))
            }),
            plot::figure("residuals", move || {
                let f = fit_again()?;
                let (lo, hi) = range(&f.residuals);
                Ok(Figure::xy(
                    "residuals",
                    &format!(
                        "NIST Filip: residuals of the degree-{FILIP_DEGREE} QR fit (RMSE = {:.2e})",
                        f.rmse
                    ),
                    "x",
                    "residual y − ŷ",
                )
                .line("zero", [(lo, 0.0), (hi, 0.0)])
                .points("residual", f.residuals))
            }),
            plot::figure("gd-loss", gd_loss),
        ],
    );
}

/// The Filip fit, as the figures need it.
#[derive(Debug, Clone)]
struct FilipFit {
    /// The observations `(x, y)`.
    data: Vec<(f64, f64)>,
    /// The fitted polynomial on a fine grid over the range of x.
    curve: Vec<(f64, f64)>,
    /// `(x, y − ŷ)` per observation.
    residuals: Vec<(f64, f64)>,
    r_squared: f64,
    /// √MSE of the fit.
    rmse: f64,
}

/// One NIST StRD dataset of one predictor shipped with the kit (`data/nist-strd/`): `(x, y)`.
fn nist(file: &str) -> Result<(Array1<f64>, Array1<f64>), String> {
    let path = format!("{}/../../data/nist-strd/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut x = Vec::new();
    let mut y = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let values: Vec<f64> = line
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{path}: bad line {line:?}: {e}"))?;
        let [yi, xi] = values[..] else {
            return Err(format!("{path}: expected `y x`, got {line:?}"));
        };
        x.push(xi);
        y.push(yi);
    }
    Ok((Array1::from(x), Array1::from(y)))
}

/// The smallest and largest of the first coordinates.
fn range(points: &[(f64, f64)]) -> (f64, f64) {
    points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        })
}

/// Fits Filip's polynomial with the learner's design matrix and QR solver, and evaluates it
/// along x. Steps 1, 2 and 4 only, so the figure appears before the model type of step 7 works.
fn fit_filip() -> Result<FilipFit, String> {
    let (x, y) = nist("filip.dat")?;
    let design = sut::polynomial_features(x.view(), FILIP_DEGREE, true);
    let beta = learner(sut::qr_solve(design.view(), y.view()))?;
    let y_hat = design.dot(&beta);
    let r_squared = learner(sut::r_squared(y.view(), y_hat.view()))?;
    let rmse = learner(sut::mse(y.view(), y_hat.view()))?.sqrt();

    let data: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    let (lo, hi) = range(&data);
    let grid = Array1::linspace(lo, hi, CURVE_POINTS);
    let on_grid = sut::polynomial_features(grid.view(), FILIP_DEGREE, true).dot(&beta);
    Ok(FilipFit {
        residuals: x
            .iter()
            .zip(y.iter().zip(&y_hat))
            .map(|(&xi, (&yi, &fi))| (xi, yi - fi))
            .collect(),
        data,
        curve: grid.iter().copied().zip(on_grid).collect(),
        r_squared,
        rmse,
    })
}

/// Gradient descent's loss history on two datasets, with the least-squares minimum (by QR) of
/// each for comparison. Each loss is divided by the variance of its y so that the two share an
/// axis: predicting the mean of y scores 1, the least-squares fit 1 − R².
fn gd_loss() -> Result<Figure, String> {
    let config = sut::GdConfig {
        learning_rate: 0.1,
        iterations: GD_ITERATIONS,
    };
    let mut figure = Figure::xy(
        "gd-loss",
        &format!(
            "Gradient descent (η = {}, standardised features): MSE ÷ var(y) per iteration",
            config.learning_rate
        ),
        "iteration",
        "MSE / var(y) (log scale)",
    )
    .y_log();
    let mut minima = Vec::new();
    for (name, file, degree) in [("Norris", "norris.dat", 1), ("Pontius", "pontius.dat", 2)] {
        let (x, y) = nist(file)?;
        let features = sut::polynomial_features(x.view(), degree, false);
        let fit = learner(sut::gradient_descent(features.view(), y.view(), &config))?;
        let design = sut::polynomial_features(x.view(), degree, true);
        let beta = learner(sut::qr_solve(design.view(), y.view()))?;
        let best_mse = learner(sut::mse(y.view(), design.dot(&beta).view()))?;
        let variance = y.var(0.0);
        let scaled: Vec<f64> = fit.loss_history.iter().map(|l| l / variance).collect();
        let last = GD_ITERATIONS as f64;
        minima.push((
            format!("{name}: least-squares minimum (QR)"),
            [(0.0, best_mse / variance), (last, best_mse / variance)],
        ));
        figure = figure.line(
            &format!("{name} (degree {degree}): gradient descent"),
            plot::indexed(&scaled, 0.0),
        );
    }
    // After the descents, so that the flat end of each descent does not hide its minimum.
    for (label, points) in minima {
        figure = figure.line(&label, points);
    }
    Ok(figure)
}
