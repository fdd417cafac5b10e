//! Grading suite of exercise 05: reverse-mode automatic differentiation.
//!
//! Public checks are small hand-derived cases and micrograd's first expression; hidden ones use
//! micrograd's second expression, the single tanh neuron, finite differences at random points,
//! the CS231n toy net of exercise 02 (`hidden/toy_net.rs`) and a training run against the
//! suite's own hand-written backpropagation ([`oracle`]).

use mlings_grader::assert::Tol;
use mlings_grader::{Failure, Outcome, Step, Suite};

use crate::sut;

mod hidden;
mod oracle;
mod public;

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    Step {
        number: 1,
        name: "scalar-ops",
    },
    Step {
        number: 2,
        name: "backward",
    },
    Step {
        number: 3,
        name: "gradient-check",
    },
    Step {
        number: 4,
        name: "tensor-ops",
    },
    Step {
        number: 5,
        name: "training",
    },
];

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("05-autodiff", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

/// The tape's gradients against hand-written backpropagation: the same products and sums in
/// another order, so they agree to rounding, 1e-10 relative at most (measured absolutely below
/// 1e-12, where a gradient is a sum of terms that cancel).
const SAME_GRADIENTS: Tol = Tol::rel_floor(1e-10, 1e-12);

/// Analytic against numerical gradients: centred differences with h = 1e-5 are good to ~1e-9
/// relative on these smooth, O(1) functions; a wrong derivative is off by 1e-2 or more.
const GRAD_TOL: Tol = Tol::rel_floor(1e-6, 1e-6);

/// A learner's error where none was expected, as a failure.
fn unexpected(e: sut::AdError) -> Failure {
    Failure::new(format!("unexpected error: {e}"))
}

/// `result`, with an unexpected error turned into a failure.
fn ok<T>(result: Result<T, sut::AdError>) -> Result<T, Failure> {
    result.map_err(unexpected)
}

/// Passes when `result` is an error that `expected` accepts.
fn expect_err<T>(
    what: &str,
    result: Result<T, sut::AdError>,
    expected: impl Fn(&sut::AdError) -> bool,
) -> Outcome {
    match result {
        Err(e) if expected(&e) => Ok(()),
        Err(e) => Err(Failure::new(format!(
            "{what}: got the error \"{e}\" ({e:?}), expected another kind"
        ))),
        Ok(_) => Err(Failure::new(format!(
            "{what}: got Ok, expected a typed error (AdError)"
        ))),
    }
}
