//! Grading suite of exercise 08: one public and one hidden check of step 1, as `mlings new`
//! scaffolded it (docs/authoring.md).

use mlings_grader::Suite;

mod hidden;
mod public;
mod steps;

pub use steps::STEPS;

/// Every check of the exercise.
pub fn suite() -> Suite {
    Suite::new("08-production", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}
