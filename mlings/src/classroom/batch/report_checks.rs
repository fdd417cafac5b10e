//! The checks on what a student's run reports. A verdict's shape (the checks, their steps and
//! points, the maximum) is the suite's listing, taken from the instructor's own build before any
//! student code runs. A student's run only fills it in: each streamed record is checked against
//! the listing, and a record the harness could not have written (an unknown, duplicated or
//! over-weighted check, a status that does not match its points) makes the exercise crashed,
//! with nothing scored.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Read as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use mlings_grader::report::cut;
use mlings_grader::{LIST_ARG, Listing, REPORT_ENV, Status, Stream, read_stream};

use super::tail;
use crate::classroom::sandbox::{self, Ended, Limits};
use crate::outcome::ExerciseOutcome;

/// Room for one check's records in a report file: its `started` line and its `finished` line
/// with a message and a hint of at most 4 KiB each, even when JSON escapes every byte.
const BYTES_PER_CHECK: u64 = 64 << 10;

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

/// What one run left: its records, how it ended, the tail of its stderr.
pub struct Run {
    /// The records, checked.
    pub stream: Stream,
    /// How the process ended.
    pub ended: Ended,
    /// The tail of its stderr.
    pub stderr: String,
}

pub fn run_once(
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
pub fn run_with(
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
    // Searchable, not listable: a suite running as its slot's own user reaches the report whose
    // name it is given, and no other.
    std::fs::set_permissions(
        private.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o711),
    )
    .context("cannot open the private directory to the suite's user")?;
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

pub fn forged(why: &str) -> ExerciseOutcome {
    ExerciseOutcome::Crashed {
        detail: cut(format!(
            "the suite's report does not match the suite, so nothing is scored: {why}"
        )),
    }
}
