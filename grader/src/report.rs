//! The machine-readable result of one grading run, as streamed to the file named by
//! [`REPORT_ENV`](crate::REPORT_ENV), and the suite's listing of its checks.
//!
//! A run writes one JSON [`Record`] per line: [`Record::Begin`] first, then [`Record::Started`]
//! and [`Record::Finished`] for each check, and [`Record::End`] last. A process that dies leaves
//! the records of the checks it finished, so a grader keeps them and knows which check was
//! running; [`read_stream`] reads such a file back.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest message or hint kept for one check, in bytes: a learner's panic message can be
/// megabytes, and a report is stored and shown per check.
pub const MESSAGE_LIMIT: usize = 4096;

/// What ends a text that [`cut`] shortened.
pub const CUT_MARK: &str = "… (cut)";

/// `text` cut to at most [`MESSAGE_LIMIT`] bytes, on a character boundary, ending in [`CUT_MARK`]
/// when it was longer.
pub fn cut(text: String) -> String {
    cut_to(text, MESSAGE_LIMIT)
}

/// `text` cut to at most `limit` bytes (at least the length of [`CUT_MARK`]), on a character
/// boundary, ending in [`CUT_MARK`] when it was longer.
pub fn cut_to(mut text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit.saturating_sub(CUT_MARK.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(CUT_MARK);
    text
}

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
    /// The grading process died while the check ran (a stack overflow, memory exhausted, an
    /// abort); only a grader that runs the suite in a child process reports it.
    Crashed,
    /// The check's thread could not be started (a neighbour exhausted the threads or the
    /// memory): it was not judged on its own merits, and a batch grader runs it again alone.
    NotStarted,
}

/// Whether a check ships to learners (`Public`) or stays with the grader (`Hidden`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Shipped in the student release; learners see its expected values.
    Public,
    /// Only in the instructor's kit; learners see pass or fail.
    Hidden,
}

impl Visibility {
    /// `"public"` or `"hidden"`, as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Hidden => "hidden",
        }
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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
    /// Public checks are shipped to learners; hidden ones only to graders.
    pub visibility: Visibility,
}

impl CheckReport {
    /// Cuts the message and the hint to [`MESSAGE_LIMIT`] bytes each.
    pub fn cut_messages(&mut self) {
        self.message = cut(std::mem::take(&mut self.message));
        self.hint = self.hint.take().map(cut);
    }
}

/// One exercise step, as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// One check as the suite declares it, listed before anything runs: with the suite's steps, the
/// trusted shape of a verdict (its checks, their steps and points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedCheck {
    /// The check's name.
    pub name: String,
    /// Its name as a libtest trial ([`trial_name`]), for `--exact` and `--skip`.
    pub trial: String,
    /// The number of the step it grades.
    pub step: u32,
    /// The name of that step.
    pub step_name: String,
    /// Points it is worth.
    pub points: u32,
    /// Public or hidden.
    pub visibility: Visibility,
    /// Its time limit, in milliseconds.
    pub timeout_ms: u64,
}

/// The name of a check as a libtest trial, `STEP-STEPNAME::NAME` (`3-normal-equations::…`): what
/// `cargo test` prints, filters on, and what `--exact` and `--skip` take.
pub fn trial_name(step: u32, step_name: &str, name: &str) -> String {
    format!("{step}-{step_name}::{name}")
}

/// What a suite prints for `--mlings-checks`: its exercise, steps and checks, without running
/// any check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The exercise's directory name.
    pub exercise: String,
    /// The exercise's steps, in order.
    pub steps: Vec<StepReport>,
    /// Every check, in suite order.
    pub checks: Vec<ListedCheck>,
}

impl Listing {
    /// Points available over every check.
    pub fn max_score(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }

    /// Points available in one step.
    pub fn step_max(&self, step: u32) -> u32 {
        self.checks
            .iter()
            .filter(|c| c.step == step)
            .map(|c| c.points)
            .sum()
    }

    /// The check named `name`.
    pub fn check(&self, name: &str) -> Option<&ListedCheck> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// One line of a streamed report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    /// The run began: written before any check runs.
    Begin(Header),
    /// A check is about to run.
    Started {
        /// The check's name.
        name: String,
    },
    /// A check ended.
    Finished(CheckReport),
    /// Every selected check ended: written last.
    End {
        /// Points earned over the checks that ran.
        score: u32,
        /// Points available over the checks that ran.
        max_score: u32,
    },
}

/// What a run is of, written before any check runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The exercise's directory name.
    pub exercise: String,
    /// The exercise's steps.
    pub steps: Vec<StepReport>,
    /// The names of every check of the suite, in suite order (a run may select fewer).
    pub checks: Vec<String>,
}

/// A streamed report as read back: what the run got through.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stream {
    /// What the run is of, from [`Record::Begin`]; `None` when the run wrote nothing.
    pub begin: Option<Header>,
    /// The checks that started, in order.
    pub started: Vec<String>,
    /// The checks that finished, in order.
    pub finished: Vec<CheckReport>,
    /// Whether [`Record::End`] was reached.
    pub ended: bool,
}

impl Stream {
    /// The checks that started and did not finish: the ones running when the process died.
    pub fn unfinished(&self) -> Vec<&str> {
        let done: BTreeSet<&str> = self.finished.iter().map(|c| c.name.as_str()).collect();
        self.started
            .iter()
            .map(String::as_str)
            .filter(|n| !done.contains(n))
            .collect()
    }

    /// The whole report of a run that reached its end, its checks in suite order (they finish
    /// in any order when they run in parallel).
    pub fn into_report(self) -> Option<Report> {
        let header = self.begin.filter(|_| self.ended)?;
        let mut checks = self.finished;
        checks.sort_by_key(|c| header.checks.iter().position(|n| *n == c.name));
        Some(Report {
            exercise: header.exercise,
            score: checks.iter().map(|c| c.points).sum(),
            max_score: checks.iter().map(|c| c.max_points).sum(),
            steps: header.steps,
            checks,
        })
    }
}

/// Why a streamed report cannot have been written by the harness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub what: String,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

impl std::error::Error for StreamError {}

/// Reads a streamed report, checking the order the harness writes in: `begin` once and first,
/// each check started once and before it finishes, finished once, `end` last with the sum of
/// the points. A last line without its newline is a write the process did not finish (it was
/// killed) and is left out.
pub fn read_stream(text: &str) -> Result<Stream, StreamError> {
    let mut stream = Stream::default();
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    let mut started = BTreeSet::new();
    let mut finished = BTreeSet::new();
    for (index, line) in complete.lines().enumerate() {
        let line_number = index + 1;
        let error = |what: &str| StreamError {
            line: line_number,
            what: what.to_owned(),
        };
        if stream.ended {
            return Err(error("a record after the end"));
        }
        let record: Record =
            serde_json::from_str(line).map_err(|e| error(&format!("not a record: {e}")))?;
        match record {
            Record::Begin(header) => {
                if index != 0 {
                    return Err(error("`begin` that is not the first record"));
                }
                stream.begin = Some(header);
                continue;
            }
            _ if stream.begin.is_none() => return Err(error("a record before `begin`")),
            Record::Started { name } | Record::Finished(CheckReport { name, .. })
                if !stream
                    .begin
                    .as_ref()
                    .is_some_and(|h| h.checks.contains(&name)) =>
            {
                return Err(error(&format!("`{name}` is not a check of the suite")));
            }
            Record::Started { name } => {
                if !started.insert(name.clone()) {
                    return Err(error(&format!("`{name}` started twice")));
                }
                stream.started.push(name);
            }
            Record::Finished(check) => {
                if !started.contains(&check.name) {
                    return Err(error(&format!("`{}` finished, never started", check.name)));
                }
                if !finished.insert(check.name.clone()) {
                    return Err(error(&format!("`{}` finished twice", check.name)));
                }
                stream.finished.push(check);
            }
            Record::End { score, max_score } => {
                let sums = stream.finished.iter().fold((0u64, 0u64), |(p, m), c| {
                    (p + u64::from(c.points), m + u64::from(c.max_points))
                });
                if sums != (u64::from(score), u64::from(max_score)) {
                    return Err(error(
                        "`end` with points that are not the sum of the checks'",
                    ));
                }
                if finished.len() != started.len() {
                    return Err(error("`end` while a check is still running"));
                }
                stream.ended = true;
            }
        }
    }
    Ok(stream)
}
