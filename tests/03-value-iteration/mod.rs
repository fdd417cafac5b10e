//! Grading suite of exercise 03: Bellman value iteration and dynamic programming.
//!
//! Public checks are small cases derived by hand; hidden ones use Sutton & Barto's Figures 3.2,
//! 3.5 and 4.1 (`data/sutton-barto/`), FrozenLake 4×4 (`data/frozenlake/`), random MDPs from a
//! seed, and the suite's own loop-based oracle ([`oracle`]). Later steps run on models the oracle
//! builds (never on the learner's step 1) and are compared with the oracle's own dynamic
//! programming.

use mlings_grader::assert::Tol;
use mlings_grader::assert::ensure;
use mlings_grader::{Failure, Outcome, Step, Suite};

use crate::sut;

mod hidden;
mod oracle;
mod public;

/// The exercise's steps, in order.
pub const STEPS: &[Step] = &[
    Step {
        number: 1,
        name: "model",
    },
    Step {
        number: 2,
        name: "q-value",
    },
    Step {
        number: 3,
        name: "policy-evaluation",
    },
    Step {
        number: 4,
        name: "greedy-policy",
    },
    Step {
        number: 5,
        name: "value-iteration",
    },
    Step {
        number: 6,
        name: "policy-iteration",
    },
    Step {
        number: 7,
        name: "q-value-iteration",
    },
];

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("03-value-iteration", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

/// A learner's error where none was expected, as a failure.
fn unexpected(e: sut::DpError) -> Failure {
    Failure::new(format!("unexpected error: {e}"))
}

/// `result`, with an unexpected error turned into a failure.
fn ok<T>(result: Result<T, sut::DpError>) -> Result<T, Failure> {
    result.map_err(unexpected)
}

/// Passes when `result` is an error that `expected` accepts.
fn expect_err<T>(
    what: &str,
    result: Result<T, sut::DpError>,
    expected: impl Fn(&sut::DpError) -> bool,
) -> mlings_grader::Outcome {
    match result {
        Err(e) if expected(&e) => Ok(()),
        Err(e) => Err(Failure::new(format!(
            "{what}: got the error \"{e}\" ({e:?}), expected another kind"
        ))),
        Ok(_) => Err(Failure::new(format!(
            "{what}: got Ok, expected a typed error (DpError)"
        ))),
    }
}

/// Whether two arrays of the same shape agree within `tol`.
fn same<D: ndarray::Dimension>(
    a: &ndarray::Array<f64, D>,
    b: &ndarray::Array<f64, D>,
    tol: f64,
) -> bool {
    a.shape() == b.shape() && a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() <= tol)
}

/// Checks that every action of `policy` is one of the state's optimal actions.
fn in_sets(what: &str, policy: &[usize], sets: &[Vec<usize>], cols: usize) -> Outcome {
    ensure(policy.len() == sets.len(), || {
        format!("{what}: {} actions for {} states", policy.len(), sets.len())
    })?;
    for (s, (a, set)) in policy.iter().zip(sets).enumerate() {
        if !set.contains(a) {
            let letters: String = set
                .iter()
                .map(|&a| sut::Action::from_index(a).letter())
                .collect();
            return Err(Failure::new(format!(
                "{what}: state {s} ({}, {}) takes action {a}, expected one of {set:?} ({letters})",
                s / cols,
                s % cols,
            )));
        }
    }
    Ok(())
}
