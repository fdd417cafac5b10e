//! The steps of exercise 08, declared once: every check names one, and so does the plot
//! program when a figure needs a step the learner has not finished.

use mlings_grader::Step;

/// Step 1: `scale`, in `scale.rs`.
pub const SCALE: Step = Step::new(1, "scale");

/// The exercise's steps, in order: the manifest's (`solutions/08-production/exercise.toml`).
pub const STEPS: &[Step] = &[SCALE];
