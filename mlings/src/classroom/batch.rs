//! `mlings grade-batch`: grades every submission in a scratch copy of the instructor's kit, one
//! worker per job slot, each exercise's suite in the sandbox, results kept per student.

use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsString;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use cargo_metadata::Message;
use indicatif::{ProgressBar, ProgressStyle};
use mlings_grader::{REPORT_ENV, Report, Status};
use nix::fcntl::{Flock, FlockArg};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use super::policy;
use super::rustc_wrapper;
use super::sandbox::{self, Ended, Limits};
use super::submission::Submission;
use crate::cargo::cargo;
use crate::kit::{Exercise, Kit};

/// Longest time one exercise's build may take (the first one also builds the dependencies).
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);
/// Threads and processes a suite may start (the harness runs each check on its own thread).
const PROCESSES: u64 = 4096;
/// Largest file a suite may write (its report, its stderr), in MiB.
const FILE_MB: u64 = 16;

/// Options of `mlings grade-batch`.
#[derive(Debug, Clone, clap::Args)]
pub struct BatchArgs {
    /// A folder with one entry per student: their copy of the kit, or just its `exercises/`.
    pub submissions: PathBuf,
    /// Where to write gradebook.csv, feedback/ and the per-student results.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Submissions graded at once (each in its own copy of the kit).
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Wall-clock limit for one exercise's suite, in seconds.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Address-space limit for one exercise's suite, in MiB.
    #[arg(long, default_value_t = 4096)]
    pub memory: u64,
    /// Grade again even the submissions that did not change since the last run.
    #[arg(long)]
    pub regrade: bool,
    /// Testing only: skip the source policy, to exercise the sandbox alone. Never use it to
    /// grade: the policy is what keeps a submission from forging its report.
    #[arg(long, hide = true)]
    pub no_policy: bool,
    /// Grade even on a system without Landlock and seccomp (macOS, Windows, Linux before 6.7),
    /// with only resource limits and the source policy around student code. Only inside a
    /// throw-away container or virtual machine: see "Threat model" in docs/classroom.md.
    #[arg(long)]
    pub trusted: bool,
}

/// How one exercise of one submission ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExerciseOutcome {
    /// The suite ran and its report was verified.
    Graded {
        /// The suite's report.
        report: Report,
        /// Set when the whole suite crashed and its checks were re-run one by one.
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
    /// The suite died without a valid report (a crash, a limit, an abort).
    Crashed {
        /// What is known.
        detail: String,
    },
    /// The suite ran past the wall-clock limit.
    TimedOut,
    /// The submission has no sources for this exercise.
    Missing,
}

impl ExerciseOutcome {
    /// Points earned.
    pub fn score(&self) -> u32 {
        match self {
            ExerciseOutcome::Graded { report, .. } => report.score,
            _ => 0,
        }
    }

    /// A short label for the gradebook.
    pub fn label(&self) -> &'static str {
        match self {
            ExerciseOutcome::Graded { .. } => "graded",
            ExerciseOutcome::Refused { .. } => "refused by the source policy",
            ExerciseOutcome::DoesNotCompile { .. } => "does not compile",
            ExerciseOutcome::Crashed { .. } => "crashed",
            ExerciseOutcome::TimedOut => "timed out",
            ExerciseOutcome::Missing => "missing",
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

/// Runs `mlings grade-batch`.
pub fn run(kit: &Kit, args: &BatchArgs) -> Result<bool> {
    if !args.submissions.is_dir() {
        bail!(
            "{} is not a folder of submissions",
            args.submissions.display()
        );
    }
    if args.jobs == 0 || args.timeout == 0 || args.memory < 64 {
        bail!("--jobs and --timeout must be at least 1, --memory at least 64 MiB");
    }
    let exercises = kit.exercises()?;
    std::fs::create_dir_all(args.out.join("results"))
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let out = args.out.canonicalize()?;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&args.submissions)
        .with_context(|| format!("cannot read {}", args.submissions.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    entries.sort();

    let target = kit.target_dir();
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout),
        memory_mb: args.memory,
        processes: PROCESSES,
        file_mb: FILE_MB,
        confine: sandbox::choose_walls(args.trusted)?,
    };
    let salt = format!(
        "mlings {} timeout {} memory {} policy {}",
        env!("CARGO_PKG_VERSION"),
        args.timeout,
        args.memory,
        !args.no_policy
    );

    let bar = ProgressBar::new(entries.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} submissions, ETA {eta}  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let queue = Mutex::new(entries.into_iter().collect::<VecDeque<_>>());
    let results = Mutex::new(Vec::new());
    let jobs = args.jobs.min(64);
    std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for slot in 0..jobs {
            let (queue, results, bar, exercises, out, target, salt) =
                (&queue, &results, &bar, &exercises, &out, &target, &salt);
            workers.push(scope.spawn(move || -> Result<()> {
                // Each slot is a copy of the kit at a fixed path with its own target directory,
                // shared by every submission the slot grades: cargo's fingerprints stay right and
                // only the student's crate recompiles. A lock keeps two batches apart.
                let scratch = target.join("mlings-batch").join(format!("slot-{slot}"));
                std::fs::create_dir_all(&scratch)?;
                let _lock = lock_slot(&scratch, |m| bar.println(m))?;
                let slot_target = scratch.join("target");
                let target = &slot_target;
                let mut prepared = false;
                loop {
                    let Some(entry) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
                    else {
                        return Ok(());
                    };
                    let name = entry
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    bar.set_message(name.clone());
                    let result = (|| -> Result<StudentResult> {
                        let submission = Submission::read(kit, exercises, &entry)?;
                        let hash = submission.hash(salt);
                        let saved = out.join("results").join(format!("{name}.json"));
                        if !args.regrade {
                            if let Some(previous) = load(&saved) {
                                if previous.hash == hash {
                                    return Ok(previous);
                                }
                            }
                        }
                        if !prepared {
                            prepare_scratch(kit, &scratch, &[out.as_path(), &args.submissions])?;
                            prepared = true;
                        }
                        let result = grade_submission(
                            kit,
                            exercises,
                            &submission,
                            hash,
                            &scratch,
                            target,
                            limits,
                            !args.no_policy,
                        )?;
                        crate::sync::write_atomic(
                            &saved,
                            serde_json::to_string_pretty(&result)?.as_bytes(),
                        )?;
                        Ok(result)
                    })();
                    match result {
                        Ok(result) => results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(result),
                        Err(err) => bar.println(format!("mlings: {name}: {err:#}")),
                    }
                    bar.inc(1);
                }
            }));
        }
        for worker in workers {
            match worker.join() {
                Ok(result) => result?,
                Err(_) => bail!("a grading worker panicked"),
            }
        }
        Ok(())
    })?;
    bar.finish_with_message("done");

    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.student.cmp(&b.student));
    super::gradebook::write(&out, &exercises, &results)?;
    println!(
        "graded {} submissions: gradebook.csv and feedback/ in {}",
        results.len(),
        out.display()
    );
    Ok(true)
}

/// Locks the scratch kit `scratch` for this process, waiting (and saying so) when another
/// grading holds it.
pub fn lock_slot(scratch: &Path, say: impl Fn(String)) -> Result<Flock<std::fs::File>> {
    std::fs::create_dir_all(scratch)?;
    let file = std::fs::File::create(scratch.with_extension("lock"))?;
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(lock),
        Err((file, _)) => {
            say(format!(
                "waiting for another grading that uses {}",
                scratch.display()
            ));
            Flock::lock(file, FlockArg::LockExclusive)
                .map_err(|(_, err)| err)
                .context("cannot lock the scratch kit")
        }
    }
}

fn load(path: &Path) -> Option<StudentResult> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Makes `scratch` a copy of the kit, rewriting only files whose content changed (so cargo's
/// fingerprints stay valid across runs) and leaving out build products and `excluded` folders.
pub fn prepare_scratch(kit: &Kit, scratch: &Path, excluded: &[&Path]) -> Result<()> {
    let excluded: Vec<PathBuf> = excluded
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let root = kit.root.canonicalize()?;
    let target = kit.target_dir().canonicalize().unwrap_or_default();
    std::fs::create_dir_all(scratch)?;
    let mut wanted = std::collections::BTreeSet::new();
    for entry in WalkDir::new(&root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let p = e.path();
            let name = e.file_name().to_string_lossy();
            !(p != root
                && (matches!(name.as_ref(), "target" | ".git" | ".mlings" | "plots")
                    || p == target
                    || excluded.iter().any(|x| p == x)))
        })
    {
        let entry = entry?;
        let rel = entry.path().strip_prefix(&root)?.to_path_buf();
        let dest = scratch.join(&rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            copy_if_changed(entry.path(), &dest)?;
        }
        wanted.insert(rel);
    }
    // Remove what the kit no longer has (a previous submission's extra modules among them).
    for entry in WalkDir::new(scratch)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        let rel = entry.path().strip_prefix(scratch)?.to_path_buf();
        if rel.as_os_str().is_empty() || wanted.contains(&rel) || rel.starts_with("target") {
            continue;
        }
        if entry.file_type().is_dir() {
            let _ = std::fs::remove_dir(entry.path());
        } else {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let new = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    write_if_changed(to, &new)
}

fn write_if_changed(to: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(to).ok().as_deref() != Some(bytes) {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(to, bytes).with_context(|| format!("cannot write {}", to.display()))?;
    }
    Ok(())
}

/// Puts `files` (or the kit's own files when `None`) as the `src/` of `exercise` in `scratch`.
fn overlay(
    kit: &Kit,
    scratch: &Path,
    exercise: &Exercise,
    files: &BTreeMap<PathBuf, String>,
) -> Result<()> {
    let src = scratch.join(exercise.path()).join("src");
    let _ = kit;
    for entry in WalkDir::new(&src)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        let rel = entry.path().strip_prefix(&src)?.to_path_buf();
        if entry.file_type().is_file() && !files.contains_key(&rel) {
            std::fs::remove_file(entry.path())?;
        }
    }
    for (rel, text) in files {
        write_if_changed(&src.join(rel), text.as_bytes())?;
    }
    Ok(())
}

/// Grades every exercise of `submission` in `scratch`; `policy` is off only to test the sandbox.
#[allow(clippy::too_many_arguments)]
pub fn grade_submission(
    kit: &Kit,
    exercises: &[Exercise],
    submission: &Submission,
    hash: String,
    scratch: &Path,
    target: &Path,
    limits: Limits,
    policy: bool,
) -> Result<StudentResult> {
    let mut result = StudentResult {
        student: submission.student.clone(),
        hash,
        flags: submission.flags.clone(),
        exercises: BTreeMap::new(),
    };
    for exercise in exercises {
        let outcome = match submission.sources.get(&exercise.dir) {
            None => ExerciseOutcome::Missing,
            Some(files) => {
                let violations: Vec<String> = files
                    .iter()
                    .flat_map(|(rel, text)| {
                        let shown = exercise.path().join("src").join(rel);
                        policy::check_source(&shown, text)
                    })
                    .map(|v| v.to_string())
                    .collect();
                if violations.is_empty() || !policy {
                    overlay(kit, scratch, exercise, files)?;
                    grade_exercise(scratch, exercise, target, limits)?
                } else {
                    ExerciseOutcome::Refused { violations }
                }
            }
        };
        result.exercises.insert(exercise.dir.clone(), outcome);
    }
    Ok(result)
}

/// Builds and runs one exercise's suite in `scratch`.
pub fn grade_exercise(
    scratch: &Path,
    exercise: &Exercise,
    target: &Path,
    limits: Limits,
) -> Result<ExerciseOutcome> {
    let crate_dir = scratch.join(exercise.path());
    let executable = match build(
        scratch,
        &exercise.package,
        &crate_dir,
        target,
        limits.confine,
    )? {
        Ok(executable) => executable,
        Err(outcome) => return Ok(outcome),
    };
    run_suite(&executable, &crate_dir, &exercise.dir, limits)
}

/// Runs a built suite in the sandbox and reads its verified report.
///
/// The report goes to a file whose path holds a 128-bit random nonce, in a fresh directory only
/// this user can list; the path reaches the suite through the environment, which the source policy
/// keeps the student's code from reading (no `std::env`, `std::fs`, `env!`, `unsafe`, foreign
/// code), so the only process that can write there is the harness. The report is also checked
/// for consistency (its exercise, its points) before it is believed. Stdout is never read.
pub fn run_suite(
    executable: &Path,
    crate_dir: &Path,
    exercise: &str,
    limits: Limits,
) -> Result<ExerciseOutcome> {
    match run_once(executable, crate_dir, exercise, limits, &[])? {
        Attempt::Report(mut report) => {
            // A check the harness could not even start (a neighbour exhausted the threads or
            // the memory) is run again on its own, so it is graded on its own merits.
            for index in 0..report.checks.len() {
                if !report.checks[index]
                    .message
                    .starts_with("could not start the check")
                {
                    continue;
                }
                let trial = report
                    .steps
                    .iter()
                    .find(|s| s.number == report.checks[index].step)
                    .map(|s| format!("{}-{}::{}", s.number, s.name, report.checks[index].name));
                let Some(trial) = trial else { continue };
                let args = [OsString::from("--exact"), OsString::from(trial)];
                if let Attempt::Report(alone) =
                    run_once(executable, crate_dir, exercise, limits, &args)?
                {
                    if let Some(check) = alone
                        .checks
                        .into_iter()
                        .find(|c| c.name == report.checks[index].name)
                    {
                        report.checks[index] = check;
                    }
                }
            }
            report.score = report.checks.iter().map(|c| c.points).sum();
            Ok(ExerciseOutcome::Graded { report, note: None })
        }
        Attempt::TimedOut => Ok(ExerciseOutcome::TimedOut),
        Attempt::Crashed(detail) => check_by_check(executable, crate_dir, exercise, limits, detail),
    }
}

enum Attempt {
    Report(Report),
    TimedOut,
    Crashed(String),
}

fn run_once(
    executable: &Path,
    crate_dir: &Path,
    exercise: &str,
    limits: Limits,
    args: &[OsString],
) -> Result<Attempt> {
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
    let status = match run.ended {
        Ended::TimedOut => return Ok(Attempt::TimedOut),
        Ended::Exited(status) => status,
    };
    let text = std::fs::read_to_string(&report_path).unwrap_or_default();
    let report = serde_json::from_str::<Report>(&text)
        .ok()
        .filter(|r| plausible(r, exercise));
    Ok(match report {
        Some(report) => Attempt::Report(report),
        None => Attempt::Crashed(format!(
            "the suite ended ({status}) without a valid report; last lines of its stderr:\n{}",
            tail(&run.stderr, 12)
        )),
    })
}

/// After a crash of the whole suite: each check alone, so that a crash costs only the checks
/// that cause it. The names come from the suite's `--list`, which runs no student code.
fn check_by_check(
    executable: &Path,
    crate_dir: &Path,
    exercise: &str,
    limits: Limits,
    detail: String,
) -> Result<ExerciseOutcome> {
    let listed = sandbox::run(
        executable,
        &["--list".into()],
        crate_dir,
        &[],
        &[],
        limits,
        true,
    )?;
    // Lines read `[2 pts] 1-metrics::mse_matches_hand_value: test`.
    let names: Vec<(String, u32)> = listed
        .stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(|line| match line.split_once("] ") {
            Some((kind, name)) if kind.starts_with('[') => {
                let points = kind[1..].split(' ').next().and_then(|p| p.parse().ok());
                (name.to_owned(), points.unwrap_or(0))
            }
            _ => (line.to_owned(), 0),
        })
        .collect();
    if names.is_empty() {
        return Ok(ExerciseOutcome::Crashed { detail });
    }
    let mut steps = Vec::new();
    let mut checks = Vec::new();
    for (name, max_points) in &names {
        let args = [OsString::from("--exact"), OsString::from(name)];
        let short = name.split_once("::").map_or(name.as_str(), |(_, n)| n);
        let found = match run_once(executable, crate_dir, exercise, limits, &args)? {
            Attempt::Report(report) => {
                steps = report.steps.clone();
                report.checks.into_iter().find(|c| c.name == short)
            }
            _ => None,
        };
        // A check that crashes or hangs alone earns nothing.
        checks.push(found.unwrap_or_else(|| {
            mlings_grader::CheckReport {
                name: short.to_owned(),
                step: name
                    .split(['-', ':'])
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0),
                points: 0,
                max_points: *max_points,
                status: Status::Failed,
                message: "the grading process crashed or hung while this check ran".into(),
                hint: None,
                visibility: "unknown".into(),
            }
        }));
    }
    let report = Report {
        exercise: exercise.to_owned(),
        score: checks.iter().map(|c| c.points).sum(),
        max_score: checks.iter().map(|c| c.max_points).sum(),
        steps,
        checks,
    };
    Ok(ExerciseOutcome::Graded {
        report,
        note: Some(format!(
            "the suite crashed, so each check was run on its own: {}",
            detail.lines().next().unwrap_or_default()
        )),
    })
}

/// A report the harness could have written for `exercise`: consistent points and statuses.
fn plausible(report: &Report, exercise: &str) -> bool {
    report.exercise == exercise
        && !report.checks.is_empty()
        && report.score == report.checks.iter().map(|c| c.points).sum::<u32>()
        && report.max_score == report.checks.iter().map(|c| c.max_points).sum::<u32>()
        && report.checks.iter().all(|c| {
            (c.status == Status::Passed && c.points == c.max_points)
                || (c.status != Status::Passed && c.points == 0)
        })
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The sysroot of the toolchain cargo uses in `scratch`, asked once per batch.
fn sysroot(scratch: &Path) -> Result<PathBuf> {
    static SYSROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Some(sysroot) = SYSROOT.get() {
        return Ok(sysroot.clone());
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .current_dir(scratch)
        .output()
        .context("cannot run rustc (is Rust installed? https://rustup.rs)")?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || text.is_empty() {
        bail!(
            "rustc --print sysroot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(SYSROOT.get_or_init(|| PathBuf::from(text)).clone())
}

/// Compiles the `grade` test of `package` under a time limit; with `confine`, the student's crate
/// is compiled by the confined rustc of `rustc_wrapper`.
fn build(
    scratch: &Path,
    package: &str,
    crate_dir: &Path,
    target: &Path,
    confine: bool,
) -> Result<std::result::Result<PathBuf, ExerciseOutcome>> {
    let dir = tempfile::tempdir()?;
    let mut command = cargo();
    if confine {
        let hidden: Vec<String> = Kit {
            root: scratch.to_path_buf(),
        }
        .exercises()?
        .iter()
        .flat_map(|e| [e.package.clone(), e.solution_package()])
        .collect();
        command
            .env(
                "RUSTC_WORKSPACE_WRAPPER",
                std::env::current_exe().context("cannot find the mlings executable")?,
            )
            .env(rustc_wrapper::SRC_ENV, crate_dir.join("src"))
            .env(rustc_wrapper::SYSROOT_ENV, sysroot(scratch)?)
            .env(rustc_wrapper::HIDDEN_ENV, hidden.join(","));
    }
    let stdout_path = dir.path().join("stdout");
    let stderr_path = dir.path().join("stderr");
    // Compile time is nearly all of a batch (a suite runs in well under a second), so the build
    // is trimmed to what grading needs. The student's crate keeps the optimisation level the
    // learner's own `cargo test` uses, so it runs as fast here as it did for them; the suite,
    // which only calls it and compares, is built unoptimised (`cargo rustc` passes the flag to
    // that target alone). Neither needs debug info: a panic's location comes without it. One
    // codegen unit: without incremental builds more cost compile time and make no faster code.
    // Together these build a submission's three exercises in about 6.6 s instead of 15.
    let mut child = command
        .current_dir(scratch)
        .args([
            "rustc",
            "--profile",
            "test",
            "--test",
            "grade",
            "--message-format",
            "json",
            "-p",
            package,
        ])
        .arg("--config")
        .arg(format!("profile.dev.package.{package}.codegen-units=1"))
        .arg("--config")
        .arg(format!("profile.dev.package.{package}.debug=0"))
        .args(["--", "-C", "opt-level=0"])
        .env("CARGO_TARGET_DIR", target)
        // Every submission is a new crate for rustc: its incremental cache buys little here and
        // goes stale across students (objects that no longer link, rust-lang/rust#81280), which
        // would mark correct code as not compiling. Each build starts clean instead.
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path)?)
        .stderr(std::fs::File::create(&stderr_path)?)
        .process_group(0)
        .spawn()
        .context("cannot run cargo (is Rust installed? https://rustup.rs)")?;
    let deadline = Instant::now() + BUILD_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
            let _ = child.wait();
            return Ok(Err(ExerciseOutcome::DoesNotCompile {
                detail: "the build ran past its time limit".into(),
            }));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = std::fs::read(&stdout_path)?;
    let mut executable = None;
    let mut errors = Vec::new();
    for message in Message::parse_stream(&stdout[..]).flatten() {
        match message {
            Message::CompilerArtifact(artifact) if artifact.target.name == "grade" => {
                executable = artifact.executable.map(PathBuf::from);
            }
            Message::CompilerMessage(message) => {
                let ours = Path::new(message.target.src_path.as_std_path()).starts_with(crate_dir);
                let is_error = matches!(
                    message.message.level,
                    cargo_metadata::diagnostic::DiagnosticLevel::Error
                );
                if ours && is_error {
                    if let Some(rendered) = message.message.rendered {
                        errors.push(rendered);
                    }
                }
            }
            _ => {}
        }
    }
    match (status.success(), executable) {
        (true, Some(executable)) => Ok(Ok(executable)),
        _ => {
            let detail = if errors.is_empty() {
                tail(
                    &std::fs::read_to_string(&stderr_path).unwrap_or_default(),
                    40,
                )
            } else {
                errors.join("")
            };
            Ok(Err(ExerciseOutcome::DoesNotCompile { detail }))
        }
    }
}
