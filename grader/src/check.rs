//! Checks, steps and suites: what an exercise's grading suite is made of.

use std::fmt;
use std::time::Duration;

use crate::report::Visibility;
use crate::step::Step;

/// What a check returns: `Ok(())` when the learner's code behaves, else a [`Failure`].
pub type Outcome = Result<(), Failure>;

/// Why a check failed, in the learner's terms, with a hint when the result matches a known mistake.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What was expected, what came out, by how much and with which tolerance.
    pub message: String,
    /// The likely mistake, named, when one is recognised.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure with a message and no hint.
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            hint: None,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

/// A failed [`Outcome`] with `message`.
pub fn fail<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::new(message))
}

/// Attaching hints to outcomes.
pub trait OutcomeExt {
    /// On failure, adds `hint` when `matches` holds (the result has a known mistake's signature).
    fn hint_if(self, matches: bool, hint: &str) -> Self;
    /// On failure, adds `hint` unless a more specific one is already attached.
    fn hint(self, hint: &str) -> Self;
}

impl<T> OutcomeExt for Result<T, Failure> {
    fn hint_if(self, matches: bool, hint: &str) -> Self {
        self.map_err(|mut f| {
            if matches {
                f.hint = Some(hint.to_owned());
            }
            f
        })
    }

    fn hint(self, hint: &str) -> Self {
        self.map_err(|mut f| {
            f.hint.get_or_insert_with(|| hint.to_owned());
            f
        })
    }
}

type CheckFn = Box<dyn Fn() -> Outcome + Send + Sync + 'static>;

/// One graded check: a named behaviour of one step, worth some points.
pub struct Check {
    pub(crate) name: String,
    pub(crate) step: Step,
    pub(crate) points: u32,
    pub(crate) visibility: Visibility,
    pub(crate) timeout: Duration,
    pub(crate) run: CheckFn,
}

impl Check {
    /// The time limit of a check unless it sets its own.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

    /// A public check of `step` worth `points`: `Check::public(QR, "qr_matches_nist_filip", 4, f)`,
    /// where `QR` is one of the suite's declared [`Step`]s.
    pub fn public(
        step: Step,
        name: &str,
        points: u32,
        run: impl Fn() -> Outcome + Send + Sync + 'static,
    ) -> Self {
        Check::new(step, name, points, Visibility::Public, run)
    }

    /// A hidden check of `step` worth `points`.
    pub fn hidden(
        step: Step,
        name: &str,
        points: u32,
        run: impl Fn() -> Outcome + Send + Sync + 'static,
    ) -> Self {
        Check::new(step, name, points, Visibility::Hidden, run)
    }

    fn new(
        step: Step,
        name: &str,
        points: u32,
        visibility: Visibility,
        run: impl Fn() -> Outcome + Send + Sync + 'static,
    ) -> Self {
        Check {
            name: name.to_owned(),
            step,
            points,
            visibility,
            timeout: Check::DEFAULT_TIMEOUT,
            run: Box::new(run),
        }
    }

    /// Sets the time limit (a training check may need more than the default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The check's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The step the check grades.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The points the check is worth.
    pub fn points(&self) -> u32 {
        self.points
    }

    /// Whether the check is public or hidden.
    pub fn visibility(&self) -> Visibility {
        self.visibility
    }
}

/// An exercise's whole grading suite.
pub struct Suite {
    pub(crate) exercise: &'static str,
    pub(crate) steps: &'static [Step],
    pub(crate) checks: Vec<Check>,
}

impl Suite {
    /// A suite for `exercise` (its directory name) with its steps, in order.
    ///
    /// # Panics
    /// When the steps are not numbered 1, 2, 3, … in order, or two share a name: a suite's own
    /// declaration is wrong, and its listing would be.
    pub fn new(exercise: &'static str, steps: &'static [Step]) -> Self {
        for (index, step) in steps.iter().enumerate() {
            assert!(
                step.number() as usize == index + 1,
                "{exercise}: {step} is listed in place {}: number the steps 1, 2, 3, … in order",
                index + 1
            );
            assert!(
                steps[..index].iter().all(|s| s.name() != step.name()),
                "{exercise}: two steps are named `{}`",
                step.name()
            );
        }
        Suite {
            exercise,
            steps,
            checks: Vec::new(),
        }
    }

    /// Adds checks to the suite.
    ///
    /// # Panics
    /// When a check names a step the suite does not declare.
    pub fn with(mut self, checks: impl IntoIterator<Item = Check>) -> Self {
        for check in checks {
            assert!(
                self.steps.contains(&check.step),
                "{}: check `{}` grades {}, which is not one of the suite's steps",
                self.exercise,
                check.name,
                check.step
            );
            self.checks.push(check);
        }
        self
    }

    /// The suite's checks, in order.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The exercise's steps.
    pub fn steps(&self) -> &'static [Step] {
        self.steps
    }
}
