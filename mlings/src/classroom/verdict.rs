//! The verdict of one exercise. Its shape (the checks, their steps and points, the maximum) is
//! the suite's listing, taken from the instructor's own build before any student code runs. A
//! student's run only fills it in: each streamed record is checked against the listing, and a
//! record the harness could not have written (an unknown, duplicated or over-weighted check, a
//! status that does not match its points) makes the exercise crashed, with nothing scored.
//!
//! A run that dies or hangs keeps the checks it finished; the checks left are run once more in
//! one process, without the one(s) that were running when it died, and the whole is bounded by
//! twice the time limit. Whatever has not finished by then earns nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::io::Read as _;
use std::path::Path;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mlings_grader::report::{NOT_STARTED, cut};
use mlings_grader::{
    CheckReport, LIST_ARG, Listing, REPORT_ENV, Report, Status, Stream, read_stream,
};

use super::batch::ExerciseOutcome;
use super::sandbox::{self, Ended, Limits};

/// Room for one check's records in a report file: its `started` line and its `finished` line
/// with a message and a hint of at most 4 KiB each, even when JSON escapes every byte.
const BYTES_PER_CHECK: u64 = 64 << 10;
/// The least time worth starting a second run with.
const LEAST_RERUN: Duration = Duration::from_millis(500);

/// The listing of a suite built from the instructor's sources: `--mlings-checks` runs no check.
pub fn listing(
    executable: &Path,
    crate_dir: &Path,
    exercise: &str,
    limits: Limits,
) -> Result<Listing> {
    let run = sandbox::run(
        executable,
        &[OsString::from(LIST_ARG)],
        crate_dir,
        &[],
        &[],
        limits,
        true,
    )?;
    match run.ended {
        Ended::Exited(status) if status.success() => {}
        Ended::Exited(status) => bail!(
            "the suite of {exercise} could not list its checks ({status}):\n{}",
            tail(&run.stderr, 12)
        ),
        Ended::TimedOut => bail!("the suite of {exercise} did not list its checks in time"),
    }
    let listing: Listing = serde_json::from_str(run.stdout.trim())
        .with_context(|| format!("the suite of {exercise} listed its checks unreadably"))?;
    if listing.exercise != exercise {
        bail!(
            "the suite in {exercise} calls itself {}: fix the name in its Suite::new",
            listing.exercise
        );
    }
    let names: BTreeSet<&str> = listing.checks.iter().map(|c| c.name.as_str()).collect();
    if listing.checks.is_empty() || names.len() != listing.checks.len() {
        bail!("the suite of {exercise} has no checks, or two checks with one name");
    }
    Ok(listing)
}

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
                    .is_none_or(|c| c.message.starts_with(NOT_STARTED))
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
        let before = done.len() + running.len();
        absorb(&mut done, &rerun.stream);
        for name in rerun.stream.unfinished() {
            running.insert(name.to_owned(), rerun.ending());
            suspects.remove(name);
        }
        for name in rerun.stream.finished.iter().map(|c| c.name.as_str()) {
            suspects.remove(name);
        }
        if rerun.stream.ended {
            cut_short = None;
            break;
        }
        budget_spent = matches!(rerun.ended, Ended::TimedOut);
        cut_short = Some(rerun.ending());
        // A run that neither finished a check nor died in one tells nothing more.
        if done.len() + running.len() == before {
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
                visibility: listed.visibility.clone(),
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

/// What one run left: its records, how it ended, the tail of its stderr.
struct Run {
    stream: Stream,
    ended: Ended,
    stderr: String,
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

fn run_once(
    executable: &Path,
    crate_dir: &Path,
    listing: &Listing,
    limits: Limits,
    selected: &BTreeSet<&str>,
) -> Result<std::result::Result<Run, String>> {
    run_with(executable, crate_dir, listing, limits, selected, &[])
}

/// Runs the suite with `args` (which select `selected`) and reads its records, checked against
/// `listing`; `Err` says why the records cannot be the harness's.
///
/// The report goes to a file whose name holds a 128-bit random nonce, in a fresh directory only
/// this user can list; stdout is never read.
fn run_with(
    executable: &Path,
    crate_dir: &Path,
    listing: &Listing,
    limits: Limits,
    selected: &BTreeSet<&str>,
    args: &[OsString],
) -> Result<std::result::Result<Run, String>> {
    let private = tempfile::Builder::new()
        .prefix("mlings-grade-")
        .tempdir()
        .context("cannot create a private directory")?;
    let nonce: u128 = rand::random();
    let report_path = private.path().join(format!("{nonce:032x}.json"));
    let run = sandbox::run(
        executable,
        args,
        crate_dir,
        &[(REPORT_ENV, OsString::from(&report_path))],
        &[&report_path],
        limits,
        false,
    )?;
    let cap = BYTES_PER_CHECK * (listing.checks.len() as u64 + 1);
    let text = match read_capped(&report_path, cap) {
        Ok(text) => text,
        Err(why) => return Ok(Err(why)),
    };
    let stream = match read_stream(&text) {
        Ok(stream) => stream,
        Err(err) => return Ok(Err(err.to_string())),
    };
    if let Err(why) = validate(&stream, listing, selected) {
        return Ok(Err(why));
    }
    Ok(Ok(Run {
        stream,
        ended: run.ended,
        stderr: run.stderr,
    }))
}

/// The report file's text; a file larger than the harness can write is a forgery.
fn read_capped(path: &Path, cap: u64) -> std::result::Result<String, String> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(String::new());
    };
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("the report cannot be read: {err}"))?;
    if bytes.len() as u64 > cap {
        return Err(format!(
            "the report is larger than the harness writes ({cap} bytes at most)"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "the report is not UTF-8".to_owned())
}

/// Whether the records are ones the harness could have written for this run of the listed suite.
fn validate(stream: &Stream, listing: &Listing, selected: &BTreeSet<&str>) -> Result<(), String> {
    if let Some(header) = &stream.begin {
        let names: Vec<&str> = listing.checks.iter().map(|c| c.name.as_str()).collect();
        if header.exercise != listing.exercise
            || header.steps != listing.steps
            || header.checks != names
        {
            return Err(format!(
                "the report is for `{}`, or its steps or checks differ from the suite's",
                header.exercise
            ));
        }
    }
    for name in &stream.started {
        if !selected.contains(name.as_str()) {
            return Err(format!("`{name}` is not a check this run was asked to run"));
        }
    }
    for check in &stream.finished {
        let Some(listed) = listing.check(&check.name) else {
            return Err(format!("`{}` is not a check of the suite", check.name));
        };
        let earned = if check.status == Status::Passed {
            listed.points
        } else {
            0
        };
        if check.step != listed.step
            || check.max_points != listed.points
            || check.points != earned
            || check.visibility != listed.visibility
            || check.status == Status::Crashed
        {
            return Err(format!(
                "`{}` reports step {}, {} of {} points, {:?}, {}; the suite lists step {}, {} \
                 points, {}",
                check.name,
                check.step,
                check.points,
                check.max_points,
                check.status,
                check.visibility,
                listed.step,
                listed.points,
                listed.visibility
            ));
        }
    }
    if stream.ended && stream.finished.len() != selected.len() {
        return Err("the report ends without every check it was asked to run".to_owned());
    }
    Ok(())
}

/// Keeps the finished checks of a run, messages cut again: the grader stores nothing longer.
fn absorb(done: &mut BTreeMap<String, CheckReport>, stream: &Stream) {
    for check in &stream.finished {
        let mut check = check.clone();
        check.cut_messages();
        done.insert(check.name.clone(), check);
    }
}

fn forged(why: &str) -> ExerciseOutcome {
    ExerciseOutcome::Crashed {
        detail: cut(format!(
            "the suite's report does not match the suite, so nothing is scored: {why}"
        )),
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

/// The last `lines` lines of `text`, at most 4 KiB.
pub fn tail(text: &str, lines: usize) -> String {
    let kept = crate::process::tail(text, lines);
    let mut start = kept.len().saturating_sub(4096);
    while !kept.is_char_boundary(start) {
        start += 1;
    }
    kept[start..].to_owned()
}
