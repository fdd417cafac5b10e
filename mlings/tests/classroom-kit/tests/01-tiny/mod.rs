//! Grading suite of the tiny exercise.
use mlings_grader::{Step, Suite};

mod hidden;
mod public;

/// Step 1: `add`.
pub const ADD: Step = Step::new(1, "add");
/// Step 2: `double`.
pub const DOUBLE: Step = Step::new(2, "double");
/// The steps.
pub const STEPS: &[Step] = &[ADD, DOUBLE];

/// Every check.
pub fn suite() -> Suite {
    Suite::new("01-tiny", STEPS)
        .with(public::checks())
        .with(hidden::checks())
}
