//! Grading suite of the tiny exercise.
use mlings_grader::{Step, Suite};

mod hidden;
mod public;

/// The steps.
pub const STEPS: &[Step] = &[
    Step { number: 1, name: "add" },
    Step { number: 2, name: "double" },
];

/// Every check.
pub fn suite() -> Suite {
    Suite::new("01-tiny", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}
