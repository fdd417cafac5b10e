//! Grading suite of exercise 03: Bellman value iteration and dynamic programming.
//!
//! Public checks are small cases derived by hand; hidden ones use Sutton & Barto's Figures 3.2,
//! 3.5 and 4.1 (`data/sutton-barto/`), FrozenLake 4×4 (`data/frozenlake/`), random MDPs from a
//! seed, and the suite's own loop-based oracle ([`oracle`]). Later steps run on models the oracle
//! builds (never on the learner's step 1) and are compared with the oracle's own dynamic
//! programming.

use mlings_grader::assert::Tol;
use mlings_grader::assert::ensure;
use mlings_grader::{Failure, Outcome, Suite};

use crate::sut;

mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("03-value-iteration", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-12);

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
