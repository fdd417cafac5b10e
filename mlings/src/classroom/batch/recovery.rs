//! Recovery from a run that dies or hangs: it keeps the checks it finished; the checks left are
//! run again one at a time, without the one(s) that were running when it died, for as long as
//! each run settles more checks, and the whole is bounded by twice the time limit. Whatever has
//! not finished by then earns nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::path::Path;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use anyhow::Result;
use mlings_grader::report::cut;
use mlings_grader::{CheckReport, Listing, Report, Status, Stream};

use super::report_checks::{Run, forged, run_once, run_with};
use super::tail;
use crate::classroom::sandbox::{Ended, Limits};
use crate::outcome::ExerciseOutcome;
/// The least time worth starting a second run with.
const LEAST_RERUN: Duration = Duration::from_millis(500);

/// Runs a built suite in the sandbox and assembles its verdict against `listing`.
pub fn run_suite(
    executable: &Path,
    crate_dir: &Path,
    listing: &Listing,
    limits: Limits,
) -> Result<ExerciseOutcome> {
    let deadline = Instant::now() + limits.timeout * 2;
    let everything: BTreeSet<&str> = listing.checks.iter().map(|c| c.name.as_str()).collect();
    let first = match run_once(executable, crate_dir, listing, limits, &everything)? {
        Ok(run) => run,
        Err(forgery) => return Ok(forged(&forgery)),
    };
    if first.stream.begin.is_none() {
        return Ok(ExerciseOutcome::Crashed {
            detail: cut(format!(
                "the suite {} before it began; last lines of its stderr:\n{}",
                first.ending(),
                tail(&first.stderr, 12)
            )),
        });
    }
    let mut done: BTreeMap<String, CheckReport> = BTreeMap::new();
    absorb(&mut done, &first.stream);
    // Checks run in parallel, so the ones running when the first run died are only suspects:
    // an innocent neighbour must not lose its points. They run again one at a time, and a check
    // that a one-at-a-time run dies in is the culprit.
    let mut running: BTreeMap<String, Ending> = BTreeMap::new();
    let mut suspects: BTreeMap<String, Ending> = first
        .stream
        .unfinished()
        .into_iter()
        .map(|name| (name.to_owned(), first.ending()))
        .collect();
    let mut note = None;
    if !first.stream.ended {
        note = Some(format!("the suite {}", while_running(&first)));
    }

    let mut budget_spent = false;
    // How the last run that left checks unstarted ended.
    let mut cut_short = (!first.stream.ended).then(|| first.ending());
    let mut reruns = 0;
    loop {
        // Checks without a result, or that could not even start because a neighbour exhausted
        // the threads or the memory, minus the culprits found so far.
        let again: BTreeSet<&str> = listing
            .checks
            .iter()
            .map(|c| c.name.as_str())
            .filter(|name| !running.contains_key(*name))
            .filter(|name| {
                done.get(*name)
                    .is_none_or(|c| c.status == Status::NotStarted)
            })
            .collect();
        // A first run that died before starting any check would only die again.
        if again.is_empty() || (reruns == 0 && first.stream.started.is_empty()) {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left < LEAST_RERUN {
            budget_spent = true;
            break;
        }
        let mut args = vec![
            OsString::from("--exact"),
            OsString::from("--test-threads"),
            OsString::from("1"),
        ];
        for check in listing
            .checks
            .iter()
            .filter(|c| !again.contains(c.name.as_str()))
        {
            args.extend([OsString::from("--skip"), OsString::from(&check.trial)]);
        }
        let limits = Limits {
            timeout: left.min(limits.timeout),
            ..limits
        };
        let rerun = match run_with(executable, crate_dir, listing, limits, &again, &args)? {
            Ok(run) => run,
            Err(forgery) => return Ok(forged(&forgery)),
        };
        reruns += 1;
        let before = settled(&done, &running);
        absorb(&mut done, &rerun.stream);
        for name in rerun.stream.unfinished() {
            running.insert(name.to_owned(), rerun.ending());
            suspects.remove(name);
        }
        for name in rerun.stream.finished.iter().map(|c| c.name.as_str()) {
            suspects.remove(name);
        }
        // A run that neither finished a check nor died in one tells nothing more.
        let progressed = settled(&done, &running) > before;
        if rerun.stream.ended {
            cut_short = None;
            // Checks that could not start even one at a time (a check before them in this run
            // kept every thread it could get) run once more, without the checks finished since.
            if progressed {
                continue;
            }
            break;
        }
        budget_spent = matches!(rerun.ended, Ended::TimedOut);
        cut_short = Some(rerun.ending());
        if !progressed {
            break;
        }
    }
    // Suspects never run again alone keep what the first run's end did to them.
    running.extend(suspects);
    if reruns > 0 {
        note = Some(format!(
            "{}; the checks left ran again one at a time ({reruns} run{})",
            note.unwrap_or_else(|| "some checks could not start".to_owned()),
            if reruns == 1 { "" } else { "s" },
        ));
    }

    let budget = limits.timeout * 2;
    let checks: Vec<CheckReport> = listing
        .checks
        .iter()
        .map(|listed| {
            if let Some(check) = done.remove(&listed.name) {
                return check;
            }
            let (status, message) = match running.get(&listed.name) {
                Some(Ending::Hung) => (
                    Status::TimedOut,
                    format!("the grading process {} while this check ran", Ending::Hung),
                ),
                Some(ending) => (
                    Status::Crashed,
                    format!(
                        "the grading process {ending} while this check ran (a stack overflow, \
                         memory exhausted or an abort)"
                    ),
                ),
                None if budget_spent => (
                    Status::TimedOut,
                    format!(
                        "not run: the exercise's time budget ({} s) was spent first",
                        budget.as_secs()
                    ),
                ),
                None => {
                    let ending = cut_short.unwrap_or(Ending::Crashed(None));
                    (
                        ending.status(),
                        format!("not run: the grading process {ending} before this check ran"),
                    )
                }
            };
            CheckReport {
                name: listed.name.clone(),
                step: listed.step,
                points: 0,
                max_points: listed.points,
                status,
                message,
                hint: None,
                visibility: listed.visibility,
            }
        })
        .collect();
    let report = Report {
        exercise: listing.exercise.clone(),
        score: checks.iter().map(|c| c.points).sum(),
        max_score: listing.max_score(),
        steps: listing.steps.clone(),
        checks,
    };
    Ok(ExerciseOutcome::Graded { report, note })
}

impl Run {
    fn ending(&self) -> Ending {
        match &self.ended {
            Ended::TimedOut => Ending::Hung,
            Ended::Exited(status) => Ending::Crashed(Some(*status)),
        }
    }
}

/// How a run that did not reach its end ended.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// Killed at its time limit.
    Hung,
    /// Died, with its exit status when known.
    Crashed(Option<ExitStatus>),
}

impl Ending {
    /// The status of a check this ending cut short.
    fn status(self) -> Status {
        match self {
            Ending::Hung => Status::TimedOut,
            Ending::Crashed(_) => Status::Crashed,
        }
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Hung => f.write_str("hung until its time limit"),
            Ending::Crashed(Some(status)) => write!(f, "crashed ({status})"),
            Ending::Crashed(None) => f.write_str("crashed"),
        }
    }
}

/// Keeps the finished checks of a run, messages cut again: the grader stores nothing longer.
/// How many checks have a verdict: a result other than "could not start", or a run they were
/// running in when it died or hung.
fn settled(done: &BTreeMap<String, CheckReport>, running: &BTreeMap<String, Ending>) -> usize {
    done.values()
        .filter(|check| check.status != Status::NotStarted)
        .count()
        + running.len()
}

fn absorb(done: &mut BTreeMap<String, CheckReport>, stream: &Stream) {
    for check in &stream.finished {
        let mut check = check.clone();
        check.cut_messages();
        done.insert(check.name.clone(), check);
    }
}

/// How a run that did not reach its end ended, and in which checks.
fn while_running(run: &Run) -> String {
    let names: Vec<String> = run
        .stream
        .unfinished()
        .iter()
        .map(|n| format!("`{n}`"))
        .collect();
    if names.is_empty() {
        format!("{} after its checks had finished", run.ending())
    } else {
        format!("{} while {} ran", run.ending(), names.join(", "))
    }
}
