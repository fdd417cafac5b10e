//! The machine-readable result of one grading run, as written to the file named by
//! [`REPORT_ENV`](crate::REPORT_ENV).

use serde::{Deserialize, Serialize};

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The check passed and earned its points.
    Passed,
    /// The learner's code ran and gave a wrong result, or panicked.
    Failed,
    /// The check ran past its time limit.
    TimedOut,
    /// The learner's code reached a `todo!()`.
    NotImplemented,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The check's name, a behaviour such as `qr_matches_nist_filip_to_7_digits`.
    pub name: String,
    /// The number of the exercise step the check grades.
    pub step: u32,
    /// Points earned: `max_points` when passed, else 0.
    pub points: u32,
    /// Points the check is worth.
    pub max_points: u32,
    /// How the check ended.
    pub status: Status,
    /// What went wrong, in the learner's terms; empty when passed.
    pub message: String,
    /// The likely mistake, when the result matches a known one.
    pub hint: Option<String>,
    /// `public` checks are shipped to learners; `hidden` ones only to graders.
    pub visibility: String,
}

/// One exercise step, as listed in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// The step's number, from 1.
    pub number: u32,
    /// A short name, such as `metrics`.
    pub name: String,
}

/// The result of grading one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The exercise's directory name, such as `01-linear-regression`.
    pub exercise: String,
    /// Points earned over all checks that ran.
    pub score: u32,
    /// Points available over all checks that ran.
    pub max_score: u32,
    /// The exercise's steps, in order.
    pub steps: Vec<StepReport>,
    /// Every check that ran, in suite order.
    pub checks: Vec<CheckReport>,
}

impl Report {
    /// Points earned and available in one step.
    pub fn step_score(&self, step: u32) -> (u32, u32) {
        self.checks
            .iter()
            .filter(|c| c.step == step)
            .fold((0, 0), |(p, m), c| (p + c.points, m + c.max_points))
    }

    /// The first check that did not pass in the earliest step that is not complete.
    pub fn first_failure(&self) -> Option<&CheckReport> {
        // The earliest step that is not complete comes first, whatever order the suite lists its
        // checks in (public checks before hidden ones): a partly done step is still the next one.
        self.checks
            .iter()
            .filter(|c| c.status != Status::Passed)
            .min_by_key(|c| c.step)
    }

    /// Whether every check passed.
    pub fn all_passed(&self) -> bool {
        self.checks.iter().all(|c| c.status == Status::Passed)
    }
}
