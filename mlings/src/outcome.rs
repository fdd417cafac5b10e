//! How grading ended, in the one shape every machine-readable output is written from:
//! `mlings grade --json`, batch grading's per-student results and gradebook, and Gradescope's
//! `results.json`.

use std::collections::BTreeMap;

use mlings_grader::Report;
use serde::{Deserialize, Serialize};

use crate::cargo::Outcome;

/// How grading one exercise of one submission ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExerciseOutcome {
    /// The suite ran; in batch grading its results were checked against the suite's listing.
    Graded {
        /// Every listed check with its result.
        report: Report,
        /// Set when the suite crashed or hung and the checks left were run once more.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The source policy refused the submission's code: never compiled nor run.
    Refused {
        /// Each violation, with file and line.
        violations: Vec<String>,
    },
    /// It does not compile.
    DoesNotCompile {
        /// rustc's errors.
        detail: String,
    },
    /// The suite died before it began, or its report is not one the harness could have written
    /// (a forgery): nothing is scored.
    Crashed {
        /// What is known.
        detail: String,
    },
    /// The suite ran past the wall-clock limit.
    TimedOut,
    /// The submission has no sources for this exercise.
    Missing,
    /// The submission's sources were not taken (over the intake limits).
    NotTaken {
        /// Why.
        reason: String,
    },
    /// The grader itself failed on this submission (not the student's doing); a re-run tries
    /// again.
    NotGraded {
        /// What failed.
        reason: String,
    },
}

impl ExerciseOutcome {
    /// Points earned.
    pub fn score(&self) -> u32 {
        match self {
            ExerciseOutcome::Graded { report, .. } => report.score,
            _ => 0,
        }
    }

    /// The name of the outcome as every machine-readable output writes it (the `outcome` field of
    /// `grade --json` and of a student's results): `graded`, `does_not_compile`, ….
    pub fn kind(&self) -> &'static str {
        match self {
            ExerciseOutcome::Graded { .. } => "graded",
            ExerciseOutcome::Refused { .. } => "refused",
            ExerciseOutcome::DoesNotCompile { .. } => "does_not_compile",
            ExerciseOutcome::Crashed { .. } => "crashed",
            ExerciseOutcome::TimedOut => "timed_out",
            ExerciseOutcome::Missing => "missing",
            ExerciseOutcome::NotTaken { .. } => "not_taken",
            ExerciseOutcome::NotGraded { .. } => "not_graded",
        }
    }

    /// The suite's report, when it ran.
    pub fn report(&self) -> Option<&Report> {
        match self {
            ExerciseOutcome::Graded { report, .. } => Some(report),
            _ => None,
        }
    }

    /// rustc's errors, or what is known of a crash.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ExerciseOutcome::DoesNotCompile { detail } | ExerciseOutcome::Crashed { detail } => {
                Some(detail)
            }
            _ => None,
        }
    }

    /// A short label for the gradebook.
    pub fn label(&self) -> &'static str {
        match self {
            ExerciseOutcome::Graded { note: None, .. } => "graded",
            ExerciseOutcome::Graded { note: Some(_), .. } => "graded; the suite crashed or hung",
            ExerciseOutcome::Refused { .. } => "refused by the source policy",
            ExerciseOutcome::DoesNotCompile { .. } => "does not compile",
            ExerciseOutcome::Crashed { .. } => "crashed",
            ExerciseOutcome::TimedOut => "timed out",
            ExerciseOutcome::Missing => "missing",
            ExerciseOutcome::NotTaken { .. } => "sources not taken",
            ExerciseOutcome::NotGraded { .. } => "not graded (grader error)",
        }
    }
}

/// Everything known about one student's grading, kept in `OUT/results/STUDENT.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StudentResult {
    /// The submission's name.
    pub student: String,
    /// The content hash the result was computed from.
    pub hash: String,
    /// Ignored changed files and other anomalies.
    pub flags: Vec<String>,
    /// Per exercise directory.
    pub exercises: BTreeMap<String, ExerciseOutcome>,
}

impl StudentResult {
    /// Total points earned.
    pub fn total(&self) -> u32 {
        self.exercises.values().map(ExerciseOutcome::score).sum()
    }
}

impl From<Outcome> for ExerciseOutcome {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Graded(report) => ExerciseOutcome::Graded { report, note: None },
            Outcome::DoesNotCompile(detail) => ExerciseOutcome::DoesNotCompile { detail },
            Outcome::Crashed(detail) => ExerciseOutcome::Crashed { detail },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_of_an_outcome_is_the_tag_it_is_stored_with() {
        let report = Report {
            exercise: "01-tiny".into(),
            score: 0,
            max_score: 0,
            steps: Vec::new(),
            checks: Vec::new(),
        };
        let text = || "why".to_owned();
        for outcome in [
            ExerciseOutcome::Graded { report, note: None },
            ExerciseOutcome::Refused {
                violations: vec![text()],
            },
            ExerciseOutcome::DoesNotCompile { detail: text() },
            ExerciseOutcome::Crashed { detail: text() },
            ExerciseOutcome::TimedOut,
            ExerciseOutcome::Missing,
            ExerciseOutcome::NotTaken { reason: text() },
            ExerciseOutcome::NotGraded { reason: text() },
        ] {
            let stored = serde_json::to_value(&outcome).unwrap();
            assert_eq!(stored["outcome"], outcome.kind(), "{stored}");
        }
    }
}
