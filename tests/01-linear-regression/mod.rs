//! Grading suite of exercise 01: linear regression, graded against NIST's certified answers.
//!
//! Public checks are small hand-derived cases (the crate docs' worked example); hidden ones use
//! the eleven NIST StRD datasets, the suite's own loop-based oracle ([`oracle`]) on seeded
//! random problems, and bad input.

use mlings_grader::assert::{Tol, correct_digits};
use mlings_grader::{Failure, Outcome, Suite};
use ndarray::{Array2, ArrayView1};

use crate::sut;

mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("01-linear-regression", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

/// The worked example of the crate docs: `X = [[1, 1], [1, 2], [1, 3]]`, `y = [1, 2, 2]`.
fn worked_example() -> (Array2<f64>, ndarray::Array1<f64>) {
    (
        ndarray::array![[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]],
        ndarray::array![1.0, 2.0, 2.0],
    )
}

fn is_shape(e: &sut::FitError) -> bool {
    matches!(e, sut::FitError::ShapeMismatch(_))
}

fn is_empty(e: &sut::FitError) -> bool {
    matches!(e, sut::FitError::EmptyInput { .. })
}

/// The fewest correct digits (NIST's log relative error, absolute for a certified 0) of `got`
/// against `certified`, element by element.
fn fewest_digits(got: ArrayView1<'_, f64>, certified: &[f64]) -> (usize, f64) {
    got.iter()
        .zip(certified)
        .map(|(&g, &c)| correct_digits(g, c))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0, 15.0))
}

/// Checks that every element of `got` matches NIST's `certified` value to at least `digits`
/// correct digits.
fn certified_digits(
    what: &str,
    got: ArrayView1<'_, f64>,
    certified: &[f64],
    digits: f64,
) -> Outcome {
    if got.len() != certified.len() {
        return Err(Failure::new(format!(
            "{what}: {} values, expected {} (one per parameter)",
            got.len(),
            certified.len()
        )));
    }
    let (j, worst) = fewest_digits(got, certified);
    if worst >= digits {
        return Ok(());
    }
    Err(Failure::new(format!(
        "{what}[{j}]: got {:.15e}, certified {:.15e}: {worst:.1} correct digits, expected at least {digits}",
        got[j], certified[j]
    )))
}
