//! Running a suite: one thread and one time limit per check, panics caught, a streamed JSON
//! report, and the listing of the checks.

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Once};
use std::thread;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

use crate::Step;
use crate::check::{Check, Failure, Suite};
use crate::panics::{not_implemented_message, payload_text};
use crate::report::{
    CheckReport, Header, ListedCheck, Listing, Record, Report, Status, StepReport,
};
use crate::{LIST_ARG, REPORT_ENV, TIMEOUT_ENV};

/// Learner code may recurse deeply (a naive recursive solver); give it room before it overflows.
const CHECK_STACK_BYTES: usize = 64 << 20;

thread_local! {
    /// Set on a check's thread: its panics are recorded here instead of printed.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

impl Suite {
    /// Runs the suite as a libtest-compatible test binary and exits the process.
    ///
    /// Reads libtest's command-line arguments (filters, `--list`, `--test-threads`) and prints the
    /// score per step after libtest's summary. When [`REPORT_ENV`] names a file, it is opened
    /// before any check runs and receives one JSON [`Record`] per line as checks start and finish.
    /// With [`LIST_ARG`], prints the suite's [`Listing`] as JSON and runs nothing. The exit status
    /// is 0 only when every selected check passed.
    pub fn run(self) -> ! {
        if std::env::args_os().skip(1).any(|a| a == LIST_ARG) {
            let listing = self.listing();
            let printed = serde_json::to_string(&listing)
                .map_err(std::io::Error::other)
                .and_then(|json| writeln!(std::io::stdout(), "{json}"));
            if let Err(err) = printed {
                eprintln!("mlings-grader: cannot print the listing: {err}");
                std::process::exit(101);
            }
            std::process::exit(0);
        }
        // The sink is opened before any check runs, and kept: the learner's code never needs to
        // find or open the report file for the harness to write it.
        let sink = match std::env::var_os(REPORT_ENV) {
            Some(path) => match Sink::open(Path::new(&path)) {
                Ok(sink) => Some(Arc::new(sink)),
                Err(err) => {
                    eprintln!("mlings-grader: cannot open the report: {err}");
                    std::process::exit(101);
                }
            },
            None => None,
        };
        // Confinement: after the report sink is open, before any check runs. Once confined, the
        // process can open no file at all; the harness keeps writing through the open sink.
        if crate::confine::requested() {
            if let Err(err) = crate::confine::lock_down() {
                eprintln!("mlings-grader: {err}");
                std::process::exit(101);
            }
        }
        let args = Arguments::from_args();
        let (report, conclusion) = self.run_inner(&args, sink.as_ref());
        if !args.list {
            print_scores(&report);
        }
        if let Some(sink) = &sink {
            sink.write(&Record::End {
                score: report.score,
                max_score: report.max_score,
            });
            if sink.failed.load(Ordering::Relaxed) {
                eprintln!("mlings-grader: cannot write the report");
                std::process::exit(101);
            }
        }
        // A check that timed out may still be spinning on its thread: leave without joining it.
        let _ = std::io::stdout().flush();
        std::process::exit(if conclusion.has_failed() { 101 } else { 0 })
    }

    /// The suite's checks, steps and points, as [`LIST_ARG`] prints them.
    pub fn listing(&self) -> Listing {
        let timeout_override = timeout_override();
        Listing {
            exercise: self.exercise.to_owned(),
            steps: step_reports(self.steps),
            checks: self
                .checks
                .iter()
                .map(|check| ListedCheck {
                    name: check.name.clone(),
                    trial: trial_name(check),
                    step: check.step.number(),
                    step_name: check.step.name().to_owned(),
                    points: check.points,
                    visibility: check.visibility,
                    timeout_ms: timeout_override
                        .unwrap_or(check.timeout)
                        .as_millis()
                        .try_into()
                        .unwrap_or(u64::MAX),
                })
                .collect(),
        }
    }

    /// Runs the checks that `args` selects and returns their report and libtest's conclusion.
    pub fn run_with(self, args: &Arguments) -> (Report, libtest_mimic::Conclusion) {
        self.run_inner(args, None)
    }

    fn run_inner(
        self,
        args: &Arguments,
        sink: Option<&Arc<Sink>>,
    ) -> (Report, libtest_mimic::Conclusion) {
        install_panic_hook();
        let timeout_override = timeout_override();
        let steps = self.steps;
        let exercise = self.exercise;
        if let Some(sink) = sink {
            sink.write(&Record::Begin(Header {
                exercise: exercise.to_owned(),
                steps: step_reports(steps),
                checks: self.checks.iter().map(|c| c.name.clone()).collect(),
            }));
        }
        let results: Arc<Mutex<Vec<Option<CheckReport>>>> =
            Arc::new(Mutex::new(vec![None; self.checks.len()]));
        let trials = self
            .checks
            .into_iter()
            .enumerate()
            .map(|(index, check)| {
                let trial_name = trial_name(&check);
                let kind = format!(
                    "{} pt{}",
                    check.points,
                    if check.points == 1 { "" } else { "s" }
                );
                let results = Arc::clone(&results);
                let sink = sink.cloned();
                let timeout = timeout_override.unwrap_or(check.timeout);
                let check = Arc::new(check);
                Trial::test(trial_name, move || {
                    if let Some(sink) = &sink {
                        sink.write(&Record::Started {
                            name: check.name.clone(),
                        });
                    }
                    let report = run_one(&check, timeout);
                    if let Some(sink) = &sink {
                        sink.write(&Record::Finished(report.clone()));
                    }
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

/// The report file, open for appending from the start of the run: one JSON record per line,
/// each written whole with one `write` so that a process killed midway leaves complete lines.
struct Sink {
    file: Mutex<File>,
    failed: AtomicBool,
}

impl Sink {
    fn open(path: &Path) -> std::io::Result<Sink> {
        let file = OpenOptions::new().append(true).create(true).open(path)?;
        Ok(Sink {
            file: Mutex::new(file),
            failed: AtomicBool::new(false),
        })
    }

    fn write(&self, record: &Record) {
        let written = serde_json::to_vec(record)
            .map_err(std::io::Error::other)
            .and_then(|mut line| {
                line.push(b'\n');
                let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
                file.write_all(&line)?;
                file.flush()
            });
        if written.is_err() {
            self.failed.store(true, Ordering::Relaxed);
        }
    }
}

fn trial_name(check: &Check) -> String {
    crate::report::trial_name(check.step.number(), check.step.name(), &check.name)
}

fn step_reports(steps: &[Step]) -> Vec<StepReport> {
    steps
        .iter()
        .map(|s| StepReport {
            number: s.number(),
            name: s.name().to_owned(),
        })
        .collect()
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
        steps: step_reports(steps),
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
            Status::NotStarted,
            Some(Failure::new(format!("could not start the check: {err}"))),
        ),
        Ok(_) => match rx.recv_timeout(timeout) {
            Ok((Ok(Ok(())), _)) => (Status::Passed, None),
            Ok((Ok(Err(failure)), _)) => (Status::Failed, Some(failure)),
            Ok((Err(payload), location)) => {
                classify_panic(payload_text(payload.as_ref()), location)
            }
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
    let mut report = CheckReport {
        name: check.name.clone(),
        step: check.step.number(),
        points: if status == Status::Passed {
            check.points
        } else {
            0
        },
        max_points: check.points,
        status,
        message,
        hint,
        visibility: check.visibility,
    };
    // A learner's panic message can be megabytes: it is cut before it is stored or printed.
    report.cut_messages();
    report
}

fn seconds(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.0} s", duration.as_secs_f64())
    }
}

fn classify_panic(text: String, location: Option<String>) -> (Status, Option<Failure>) {
    if let Some(message) = not_implemented_message(&text) {
        return (Status::NotImplemented, Some(Failure::new(message)));
    }
    // A shape panic inside ndarray says where ndarray noticed, not where the learner erred.
    let in_ndarray = location.as_deref().is_none_or(|l| l.contains("/ndarray-"));
    if let Some(what) = crate::guard::shape_panic(&text).filter(|_| in_ndarray) {
        let message = format!("panicked inside ndarray on a shape mismatch: {what}");
        return (Status::Failed, Some(Failure::new(message)));
    }
    let at = location.map(|l| format!(" at {l}")).unwrap_or_default();
    (
        Status::Failed,
        Some(Failure::new(format!("panicked{at}: {text}"))),
    )
}

/// Where the last panic on this check's thread happened, as the panic hook recorded it; `None` off
/// a check's thread.
pub(crate) fn take_panic_location() -> Option<String> {
    CAUGHT.with(|c| c.borrow_mut().as_mut().and_then(Option::take))
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
