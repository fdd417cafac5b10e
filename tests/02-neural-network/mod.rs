//! Grading suite of exercise 02: a neural network from scratch, trained on handwritten digits.
//!
//! Public checks are small hand-derived cases; hidden ones use the CS231n toy net
//! (`hidden/toy_net.rs`), the suite's own loop-based oracle ([`oracle`]) and real training runs.

use mlings_grader::Suite;
use mlings_grader::assert::Tol;
use ndarray::{Array1, Array2};

use crate::sut;

mod data;
mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("02-neural-network", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Analytic against numerical gradients: a symmetric relative error of at most 1e-6 (a correct
/// gradient with regularisation can show 2.5e-7; a wrong one shows 1e-2 or more), measured
/// absolutely below 1e-3, where the ~1e-10 rounding of centred differences would dominate.
const GRAD_TOL: Tol = Tol::rel_floor(1e-6, 1e-3);

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

fn arr2<const R: usize, const C: usize>(rows: &[[f64; C]; R]) -> Array2<f64> {
    Array2::from_shape_fn((R, C), |(i, j)| rows[i][j])
}

fn arr1<const N: usize>(values: &[f64; N]) -> Array1<f64> {
    Array1::from(values.to_vec())
}

/// The 8×8 digits shipped with the kit (`data/digits/`).
fn digits() -> sut::Dataset {
    data::digits().unwrap_or_else(|e| panic!("{e}"))
}
