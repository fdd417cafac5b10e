//! The figures of exercise 01 for `mlings plot 1`, drawn from the crate under test (`crate::sut`):
//!
//! - `fit` and `residuals`: NIST Filip's 82 points with the degree-10 polynomial fitted by QR,
//!   and what that curve leaves unexplained;
//! - `gd-loss`: the mean squared error per iteration of gradient descent on NIST Norris (a line)
//!   and Pontius (a parabola, whose two standardised columns are nearly collinear).
//!
//! Each figure draws what the learner's finished steps allow and notes which step the rest needs:
//! Filip's data before any step, with the curve once steps 2 and 4 are done; the residuals of the
//! mean ȳ until the fit is possible; gradient descent and the least-squares minima separately.
//!
//! Pulled into both crates as their example `plot` (`examples/plot.rs`); the figure types are
//! [`mlings_grader::plot`]'s.

use std::cell::OnceCell;
use std::rc::Rc;

use mlings_grader::plot::{self, Figure, StepError};
use ndarray::{Array1, ArrayView1};

use crate::sut;

// The steps the figures wait for, as the suite declares them; the plot names only a few.
#[allow(dead_code)]
#[path = "steps.rs"]
mod steps;

use steps::{DESIGN_MATRICES, GRADIENT_DESCENT, METRICS, QR};

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
        move || -> Result<Filip, String> { filip.get_or_init(fit_filip).clone() }
    };
    let fit_again = fit.clone();
    plot::emit(
        "01-linear-regression",
        vec![
            plot::figure("fit", move || fit_figure(fit()?)),
            plot::figure("residuals", move || residuals_figure(fit_again()?)),
            plot::figure("gd-loss", gd_loss),
        ],
    );
}

/// Filip's data and, once the learner's steps allow, the polynomial fitted by QR.
#[derive(Debug, Clone)]
struct Filip {
    /// The observations `(x, y)`.
    data: Vec<(f64, f64)>,
    /// The fit, or the step it waits for.
    fit: Result<FilipFit, StepError>,
}

/// The Filip fit, as the figures need it.
#[derive(Debug, Clone)]
struct FilipFit {
    /// The fitted polynomial on a fine grid over the range of x.
    curve: Vec<(f64, f64)>,
    /// `(x, y − ŷ)` per observation.
    residuals: Vec<(f64, f64)>,
    /// R² and √MSE of the fit, or the step they wait for.
    scores: Result<(f64, f64), StepError>,
}

/// The data, with the fitted curve once steps 2 and 4 are done (R² in the title once step 1 is).
fn fit_figure(filip: Filip) -> Result<Figure, String> {
    let data = format!("data ({} observations)", filip.data.len());
    let title =
        |what: &str| format!("NIST Filip: degree-{FILIP_DEGREE} polynomial fitted by QR{what}");
    Ok(match filip.fit {
        Ok(fit) => {
            let (title, scores) = match fit.scores {
                Ok((r_squared, _)) => (title(&format!(" (R² = {r_squared:.6})")), None),
                Err(waiting) => (title(""), Some(format!("R² {waiting}"))),
            };
            let figure = Figure::xy("fit", &title, "x", "y")
                .points(&data, filip.data)
                .line("fitted polynomial", fit.curve);
            scores.into_iter().fold(figure, Figure::note)
        }
        Err(waiting) => Figure::xy(
            "fit",
            &format!(
                "NIST Filip: the data; the polynomial fitted by QR needs {}",
                waiting.step
            ),
            "x",
            "y",
        )
        .points(&data, filip.data)
        .note(format!("the fitted polynomial {waiting}")),
    })
}

/// The residuals of the fit; until the fit is possible, those of predicting the mean ȳ (what R²
/// compares a fit with). The RMSE by the learner's `mse` once step 1 is done.
fn residuals_figure(filip: Filip) -> Result<Figure, String> {
    let (lo, hi) = range(&filip.data);
    let mut notes = Vec::new();
    let (what, residuals, rmse, waiting) = match filip.fit {
        Ok(fit) => (
            format!("residuals of the degree-{FILIP_DEGREE} QR fit"),
            fit.residuals,
            fit.scores.map(|(_, rmse)| rmse),
            String::new(),
        ),
        Err(waiting) => {
            let y: Array1<f64> = filip.data.iter().map(|p| p.1).collect();
            let mean = y.mean().unwrap_or(0.0);
            let rmse = plot::try_step(METRICS, || {
                sut::mse(y.view(), Array1::from_elem(y.len(), mean).view())
            })
            .map(f64::sqrt);
            let residuals = filip.data.iter().map(|&(x, y)| (x, y - mean)).collect();
            notes.push(format!("the fit {waiting}"));
            (
                "residuals of predicting the mean ȳ".to_owned(),
                residuals,
                rmse,
                format!("; the fit's residuals need {}", waiting.step),
            )
        }
    };
    let rmse = match rmse {
        Ok(rmse) => format!(" (RMSE = {rmse:.2e})"),
        Err(waiting) => {
            notes.push(format!("the RMSE {waiting}"));
            String::new()
        }
    };
    let figure = Figure::xy(
        "residuals",
        &format!("NIST Filip: {what}{rmse}{waiting}"),
        "x",
        "residual y − ŷ",
    )
    .line("zero", [(lo, 0.0), (hi, 0.0)])
    .points("residual", residuals);
    Ok(notes.into_iter().fold(figure, Figure::note))
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

/// Filip's data, and its polynomial fitted with the learner's design matrix (step 2) and QR
/// solver (step 4), evaluated along x, with R² and the RMSE by the learner's metrics (step 1):
/// the figures appear before the model type of step 7 works, and in part before step 4 does.
fn fit_filip() -> Result<Filip, String> {
    let (x, y) = nist("filip.dat")?;
    let data: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    let fit = fit_polynomial(x.view(), y.view(), range(&data));
    Ok(Filip { data, fit })
}

/// Filip's polynomial by the learner's steps 2 and 4, with R² and RMSE by step 1.
fn fit_polynomial(
    x: ArrayView1<'_, f64>,
    y: ArrayView1<'_, f64>,
    (lo, hi): (f64, f64),
) -> Result<FilipFit, StepError> {
    let design = plot::step(DESIGN_MATRICES, || {
        sut::polynomial_features(x, FILIP_DEGREE, true)
    })?;
    let beta = plot::try_step(QR, || sut::qr_solve(design.view(), y))?;
    let y_hat = design.dot(&beta);
    let grid = Array1::linspace(lo, hi, CURVE_POINTS);
    let on_grid = plot::step(DESIGN_MATRICES, || {
        sut::polynomial_features(grid.view(), FILIP_DEGREE, true)
    })?
    .dot(&beta);
    let scores = plot::try_step(METRICS, || {
        let r_squared = sut::r_squared(y, y_hat.view())?;
        Ok::<_, sut::FitError>((r_squared, sut::mse(y, y_hat.view())?.sqrt()))
    });
    Ok(FilipFit {
        residuals: x
            .iter()
            .zip(y.iter().zip(&y_hat))
            .map(|(&xi, (&yi, &fi))| (xi, yi - fi))
            .collect(),
        curve: grid.iter().copied().zip(on_grid).collect(),
        scores,
    })
}

/// Gradient descent's loss history on two datasets (step 5), with the least-squares minimum (by
/// QR, step 4) of each for comparison: whichever of the two the learner's steps allow. Each loss
/// is divided by the variance of its y so that the two share an axis: predicting the mean of y
/// scores 1, the least-squares fit 1 − R².
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
    let mut descents = Vec::new();
    let mut minima = Vec::new();
    let mut waiting: Vec<(&str, StepError)> = Vec::new();
    for (name, file, degree) in [("Norris", "norris.dat", 1), ("Pontius", "pontius.dat", 2)] {
        let (x, y) = nist(file)?;
        let variance = y.var(0.0);
        let descent = plot::step(DESIGN_MATRICES, || {
            sut::polynomial_features(x.view(), degree, false)
        })
        .and_then(|features| {
            plot::try_step(GRADIENT_DESCENT, || {
                sut::gradient_descent(features.view(), y.view(), &config)
            })
        });
        match descent {
            Ok(fit) => {
                let scaled: Vec<f64> = fit.loss_history.iter().map(|l| l / variance).collect();
                descents.push((
                    format!("{name} (degree {degree}): gradient descent"),
                    plot::indexed(&scaled, 0.0),
                ));
            }
            Err(why) => wait(&mut waiting, "gradient descent", why),
        }
        let minimum = plot::step(DESIGN_MATRICES, || {
            sut::polynomial_features(x.view(), degree, true)
        })
        .and_then(|design| {
            let beta = plot::try_step(QR, || sut::qr_solve(design.view(), y.view()))?;
            plot::try_step(METRICS, || sut::mse(y.view(), design.dot(&beta).view()))
        });
        match minimum {
            Ok(best_mse) => {
                let last = GD_ITERATIONS as f64;
                minima.push((
                    format!("{name}: least-squares minimum (QR)"),
                    [(0.0, best_mse / variance), (last, best_mse / variance)],
                ));
            }
            Err(why) => wait(&mut waiting, "the least-squares minimum", why),
        }
    }
    let waiting: Vec<String> = waiting
        .into_iter()
        .map(|(part, why)| format!("{part} {why}"))
        .collect();
    if descents.is_empty() && minima.is_empty() {
        return Err(waiting.join("; "));
    }
    for (label, points) in descents {
        figure = figure.line(&label, points);
    }
    // After the descents, so that the flat end of each descent does not hide its minimum.
    for (label, points) in minima {
        figure = figure.line(&label, points);
    }
    Ok(waiting.into_iter().fold(figure, Figure::note))
}

/// Records why `part` of a figure waits, once: both datasets wait for the same step.
fn wait<'a>(waiting: &mut Vec<(&'a str, StepError)>, part: &'a str, why: StepError) {
    if waiting.iter().all(|(p, _)| *p != part) {
        waiting.push((part, why));
    }
}
