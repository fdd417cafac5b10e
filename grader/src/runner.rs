//! Running a suite: one thread and one time limit per check, panics caught, a JSON report.

use std::cell::RefCell;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Once};
use std::thread;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

use crate::check::{Check, Failure, Step, Suite};
use crate::report::{CheckReport, Report, Status, StepReport};
use crate::{REPORT_ENV, TIMEOUT_ENV};

/// Learner code may recurse deeply (a naive recursive solver); give it room before it overflows.
const CHECK_STACK_BYTES: usize = 64 << 20;

thread_local! {
    /// Set on a check's thread: its panics are recorded here instead of printed.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

impl Suite {
    /// Runs the suite as a libtest-compatible test binary and exits the process.
    ///
    /// Reads libtest's command-line arguments (filters, `--list`, `--test-threads`), prints the
    /// score per step after libtest's summary, and writes the JSON report when [`REPORT_ENV`] is
    /// set. The exit status is 0 only when every selected check passed.
    pub fn run(self) -> ! {
        let args = Arguments::from_args();
        // The report file is opened before any student code runs, and kept: once confined, the
        // process can open no file at all.
        let sink = open_report();
        if crate::confine::requested() {
            if let Err(err) = crate::confine::lock_down() {
                eprintln!("mlings-grader: {err}");
                std::process::exit(101);
            }
        }
        let (report, conclusion) = self.run_with(&args);
        if !args.list {
            print_scores(&report);
            if let Some(sink) = sink {
                if let Err(err) = sink.and_then(|file| write_report(file, &report)) {
                    eprintln!("mlings-grader: cannot write the report: {err}");
                    std::process::exit(101);
                }
            }
        }
        // A check that timed out may still be spinning on its thread: leave without joining it.
        let _ = std::io::stdout().flush();
        std::process::exit(if conclusion.has_failed() { 101 } else { 0 })
    }

    /// Runs the checks that `args` selects and returns their report and libtest's conclusion.
    pub fn run_with(self, args: &Arguments) -> (Report, libtest_mimic::Conclusion) {
        install_panic_hook();
        let timeout_override = timeout_override();
        let steps = self.steps;
        let exercise = self.exercise;
        let results: Arc<Mutex<Vec<Option<CheckReport>>>> =
            Arc::new(Mutex::new(vec![None; self.checks.len()]));
        let trials = self
            .checks
            .into_iter()
            .enumerate()
            .map(|(index, check)| {
                let step_name = steps
                    .iter()
                    .find(|s| s.number == check.step)
                    .map_or("step", |s| s.name);
                let trial_name = format!("{}-{}::{}", check.step, step_name, check.name);
                let kind = format!(
                    "{} pt{}",
                    check.points,
                    if check.points == 1 { "" } else { "s" }
                );
                let results = Arc::clone(&results);
                let timeout = timeout_override.unwrap_or(check.timeout);
                let check = Arc::new(check);
                Trial::test(trial_name, move || {
                    let report = run_one(&check, timeout);
                    let outcome = match report.status {
                        Status::Passed => Ok(()),
                        _ => Err(Failed::from(describe(&report))),
                    };
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(report);
                    outcome
                })
                .with_kind(kind)
            })
            .collect();

        let conclusion = libtest_mimic::run(args, trials);
        let checks = results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .flatten()
            .cloned()
            .collect();
        (report(exercise, steps, checks), conclusion)
    }

    /// Runs every check, one after another, and returns the report without printing anything.
    pub fn evaluate(self) -> Report {
        install_panic_hook();
        let timeout_override = timeout_override();
        let checks = self
            .checks
            .into_iter()
            .map(|check| {
                let timeout = timeout_override.unwrap_or(check.timeout);
                run_one(&Arc::new(check), timeout)
            })
            .collect();
        report(self.exercise, self.steps, checks)
    }
}

fn timeout_override() -> Option<Duration> {
    std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
}

fn report(exercise: &str, steps: &[Step], checks: Vec<CheckReport>) -> Report {
    Report {
        exercise: exercise.to_owned(),
        score: checks.iter().map(|c| c.points).sum(),
        max_score: checks.iter().map(|c| c.max_points).sum(),
        steps: steps
            .iter()
            .map(|s| StepReport {
                number: s.number,
                name: s.name.to_owned(),
            })
            .collect(),
        checks,
    }
}

/// Runs one check on its own thread under its time limit.
fn run_one(check: &Arc<Check>, timeout: Duration) -> CheckReport {
    let (tx, rx) = mpsc::channel();
    let worker = Arc::clone(check);
    let spawned = thread::Builder::new()
        .name(check.name.clone())
        .stack_size(CHECK_STACK_BYTES)
        .spawn(move || {
            CAUGHT.with(|c| *c.borrow_mut() = Some(None));
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| (worker.run)()));
            let location = CAUGHT.with(|c| c.borrow_mut().take().flatten());
            let _ = tx.send((outcome, location));
        });

    let (status, failure) = match spawned {
        Err(err) => (
            Status::Failed,
            Some(Failure::new(format!("could not start the check: {err}"))),
        ),
        Ok(_) => match rx.recv_timeout(timeout) {
            Ok((Ok(Ok(())), _)) => (Status::Passed, None),
            Ok((Ok(Err(failure)), _)) => (Status::Failed, Some(failure)),
            Ok((Err(payload), location)) => classify_panic(payload_text(&payload), location),
            Err(RecvTimeoutError::Timeout) => (
                Status::TimedOut,
                Some(Failure::new(format!(
                    "timed out after {}: look for a loop that never ends \
                     (a stopping test that can never hold, an index that never advances)",
                    seconds(timeout)
                ))),
            ),
            Err(RecvTimeoutError::Disconnected) => (
                Status::Failed,
                Some(Failure::new("the check's thread ended without a result")),
            ),
        },
    };
    let (message, hint) = failure.map_or((String::new(), None), |f| (f.message, f.hint));
    CheckReport {
        name: check.name.clone(),
        step: check.step,
        points: if status == Status::Passed {
            check.points
        } else {
            0
        },
        max_points: check.points,
        status,
        message,
        hint,
        visibility: check.visibility.as_str().to_owned(),
    }
}

fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.0} s", duration.as_secs_f64())
    }
}

fn classify_panic(text: String, location: Option<String>) -> (Status, Option<Failure>) {
    let todo = text
        .strip_prefix("not yet implemented")
        .or_else(|| text.strip_prefix("not implemented"));
    if let Some(rest) = todo {
        let what = rest.trim_start_matches(':').trim();
        let message = if what.is_empty() {
            "not implemented yet".to_owned()
        } else {
            format!("not implemented yet: {what}")
        };
        return (Status::NotImplemented, Some(Failure::new(message)));
    }
    let at = location.map(|l| format!(" at {l}")).unwrap_or_default();
    (
        Status::Failed,
        Some(Failure::new(format!("panicked{at}: {text}"))),
    )
}

fn payload_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

/// Panics on a check's thread are recorded, not printed: the check's report says what happened.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let recorded = CAUGHT.with(|c| {
                let mut slot = c.borrow_mut();
                match slot.as_mut() {
                    Some(location) => {
                        *location = info
                            .location()
                            .map(|l| format!("{}:{}", l.file(), l.line()));
                        true
                    }
                    None => false,
                }
            });
            if !recorded {
                default(info);
            }
        }));
    });
}

fn describe(report: &CheckReport) -> String {
    let mut text = report.message.clone();
    if let Some(hint) = &report.hint {
        text.push_str("\nhint: ");
        text.push_str(hint);
    }
    text
}

fn print_scores(report: &Report) {
    if report.checks.is_empty() {
        return;
    }
    println!(
        "{}: {} / {} points",
        report.exercise, report.score, report.max_score
    );
    for step in &report.steps {
        let (points, max) = report.step_score(step.number);
        if max > 0 {
            println!(
                "  step {} {:<24} {points:>3} / {max}",
                step.number, step.name
            );
        }
    }
    println!();
}

/// The report file named by [`REPORT_ENV`], opened for writing, when it is set.
fn open_report() -> Option<std::io::Result<std::fs::File>> {
    let path = std::env::var_os(REPORT_ENV)?;
    Some(
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(Path::new(&path)),
    )
}

fn write_report(mut file: std::fs::File, report: &Report) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(report).map_err(std::io::Error::other)?;
    file.write_all(&json)?;
    file.flush()
}
