//! Grading suite of exercise 08: ML in production. Public checks are the curriculum's anchors
//! (CRC-32 check value, scikit-learn's calibration example, the PSI and KS worked examples),
//! the documented byte layout, a registry crashed at every unit of work, and the digits model;
//! hidden ones add the suite's oracles on seeded data and bad input.

use mlings_grader::Suite;
use mlings_grader::assert::Tol;
mod data;
mod hidden;
mod oracle;
mod public;
mod steps;

pub use steps::STEPS;

use data::{digits, digits_model};

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("08-production", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}

/// Results computed by the same formulas in another order agree to rounding.
const EXACT: Tol = Tol::rel_floor(1e-12, 1e-15);
