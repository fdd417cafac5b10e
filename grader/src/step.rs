//! The steps of an exercise, as the suite declares them once.

use std::fmt;

/// One step of an exercise, such as `4 qr`: declared once, as a constant of the suite, and named
/// by every check of that step.
///
/// ```
/// use mlings_grader::{Check, Step, Suite};
///
/// /// Step 1: the error metrics.
/// pub const METRICS: Step = Step::new(1, "metrics");
/// /// Step 2: the design matrices.
/// pub const DESIGN_MATRICES: Step = Step::new(2, "design-matrices");
/// /// The exercise's steps, in order.
/// pub const STEPS: &[Step] = &[METRICS, DESIGN_MATRICES];
///
/// let suite = Suite::new("01-linear-regression", STEPS)
///     .with([Check::public(METRICS, "mse_of_a_perfect_fit_is_zero", 1, || Ok(()))]);
/// assert_eq!(suite.checks()[0].step(), METRICS);
/// assert_eq!(METRICS.to_string(), "step 1 (metrics)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    number: u32,
    name: &'static str,
}

impl Step {
    /// Step `number` (from 1) with a short kebab-case `name`.
    pub const fn new(number: u32, name: &'static str) -> Step {
        Step { number, name }
    }

    /// The step's number, from 1.
    pub const fn number(self) -> u32 {
        self.number
    }

    /// The step's short kebab-case name.
    pub const fn name(self) -> &'static str {
        self.name
    }
}

/// `step 4 (qr)`, as a learner-facing text names a step.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step {} ({})", self.number, self.name)
    }
}
