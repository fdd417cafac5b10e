//! `mlings grade-batch`: grades every submission in a scratch copy of the instructor's kit, one
//! worker per job slot, each exercise's suite in the sandbox, each verdict checked against the
//! suite's trusted listing, results kept per student.

use std::collections::{BTreeMap, VecDeque};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use mlings_grader::report::cut_to;
use mlings_grader::{Listing, Report};
use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use super::rustc_wrapper;
use super::sandbox::{self, Limits};
use super::submission::Submission;
use super::{escape, policy, verdict};
use crate::cargo::{self, cargo};
use crate::kit::{Exercise, Kit};
use crate::process::{self, Stop};

/// Longest time one exercise's build may take (the first one also builds the dependencies).
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);
/// Threads and processes a suite may start (the harness runs each check on its own thread).
const PROCESSES: u64 = 4096;
/// Largest file a suite may write (its report, its stderr), in MiB.
const FILE_MB: u64 = 16;
/// The most of a build's errors kept, in bytes.
const COMPILE_ERRORS_LIMIT: usize = 16 << 10;

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
    /// Testing only: skip the source policy, to prove that the operating system's walls stop the
    /// same submissions on their own. The policy only explains a refusal; keep it on to grade.
    #[arg(long, hide = true)]
    pub no_policy: bool,
    /// Testing only: grade without the operating system's walls, to prove that the trusted
    /// listing alone stops a forged report. Never use it to grade.
    #[arg(long, hide = true)]
    pub no_walls: bool,
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
    /// The suite ran and its results were checked against the suite's listing.
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
    // A student's folder, or a symbolic link in its place (never followed: intake flags it).
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&args.submissions)
        .with_context(|| format!("cannot read {}", args.submissions.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir() || t.is_symlink()))
        .map(|e| e.path())
        .collect();
    entries.sort();

    let target = kit.target_dir();
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout),
        memory_mb: args.memory,
        processes: PROCESSES,
        file_mb: FILE_MB,
        confine: !args.no_walls && sandbox::choose_walls(args.trusted)?,
    };
    let excluded = [out.as_path(), args.submissions.as_path()];
    let listings = {
        let scratch = slot_dir(&target, 0);
        let _lock = lock_slot(&scratch, |m| eprintln!("{m}"))?;
        trusted_listings(kit, &exercises, &scratch, &excluded, limits)?
    };
    let salt = format!(
        "mlings {} timeout {} memory {} policy {} walls {} suites {}",
        env!("CARGO_PKG_VERSION"),
        args.timeout,
        args.memory,
        !args.no_policy,
        limits.confine,
        serde_json::to_string(&listings)?
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
    let job = Job {
        kit,
        exercises: &exercises,
        listings: &listings,
        out: &out,
        excluded: &excluded,
        salt: &salt,
        limits,
        policy: !args.no_policy,
        regrade: args.regrade,
    };
    std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for slot in 0..jobs {
            let (queue, results, bar, target, job) = (&queue, &results, &bar, &target, &job);
            workers.push(scope.spawn(move || -> Result<()> {
                // Each slot is a copy of the kit at a fixed path with its own target directory,
                // shared by every submission the slot grades: cargo's fingerprints stay right and
                // only the student's crate recompiles. A lock keeps two batches apart.
                let scratch = slot_dir(target, slot);
                let _lock = lock_slot(&scratch, |m| bar.println(m))?;
                loop {
                    let Some(entry) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
                    else {
                        return Ok(());
                    };
                    let name = student_name(&entry);
                    bar.set_message(name.clone());
                    // One submission, however hostile, never stops the batch: whatever goes
                    // wrong becomes its row.
                    let graded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        job.grade(&entry, &scratch)
                    }))
                    .map_err(|_| anyhow::anyhow!("the grader panicked"))
                    .and_then(|r| r);
                    let result = graded.unwrap_or_else(|err| {
                        bar.println(format!("mlings: {}: {err:#}", escape::one_line(&name)));
                        (not_graded(&name, job.exercises, &err), false)
                    });
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(result);
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

    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let reused = results.iter().filter(|(_, reused)| *reused).count();
    let mut results: Vec<StudentResult> = results.into_iter().map(|(r, _)| r).collect();
    results.sort_by(|a, b| a.student.cmp(&b.student));
    super::gradebook::write(&out, &exercises, &listings, &results)?;
    // A submission removed since the last run leaves no result behind to be merged again.
    let kept: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r| format!("{}.json", escape::file_name(&r.student)))
        .collect();
    crate::fsutil::remove_others(&out.join("results"), "json", &kept)?;
    let unchanged = if reused > 0 {
        format!(", {reused} more unchanged since the last run (their results reused)")
    } else {
        String::new()
    };
    println!(
        "graded {} submissions{unchanged}: gradebook.csv and feedback/ in {}",
        results.len() - reused,
        out.display()
    );
    Ok(true)
}

/// What every worker of a batch shares.
struct Job<'a> {
    kit: &'a Kit,
    exercises: &'a [Exercise],
    listings: &'a BTreeMap<String, Listing>,
    out: &'a Path,
    excluded: &'a [&'a Path],
    salt: &'a str,
    limits: Limits,
    policy: bool,
    regrade: bool,
}

impl Job<'_> {
    /// Grades the submission `entry` in the slot `scratch`, or takes its unchanged result (then
    /// the flag is set).
    fn grade(&self, entry: &Path, scratch: &Path) -> Result<(StudentResult, bool)> {
        let submission = Submission::read(self.kit, self.exercises, entry);
        let hash = submission.hash(self.salt);
        let saved = self
            .out
            .join("results")
            .join(format!("{}.json", escape::file_name(&submission.student)));
        if !self.regrade {
            if let Some(previous) = load(&saved) {
                if previous.hash == hash && previous.student == submission.student {
                    return Ok((previous, true));
                }
            }
        }
        // Nothing one student did is seen by the next: the slot is the pristine kit again.
        prepare_scratch(self.kit, scratch, self.excluded)?;
        let result = grade_submission(
            self.exercises,
            self.listings,
            &submission,
            hash,
            scratch,
            &scratch.join("target"),
            self.limits,
            self.policy,
        )?;
        crate::fsutil::write_atomic(&saved, serde_json::to_string_pretty(&result)?.as_bytes())?;
        Ok((result, false))
    }
}

/// The row of a submission the grader failed on: a clear status, never a missing row.
fn not_graded(name: &str, exercises: &[Exercise], err: &anyhow::Error) -> StudentResult {
    let reason = verdict::tail(&format!("{err:#}"), 12);
    StudentResult {
        student: name.to_owned(),
        hash: String::new(),
        flags: vec![format!("not graded: {}", escape::one_line(&reason))],
        exercises: exercises
            .iter()
            .map(|e| {
                let reason = reason.clone();
                (e.dir.clone(), ExerciseOutcome::NotGraded { reason })
            })
            .collect(),
    }
}

/// A student's name: their folder's, on one line.
pub fn student_name(entry: &Path) -> String {
    let name = entry.file_name().unwrap_or_default().to_string_lossy();
    escape::one_line(&name)
}

/// The scratch kit of job slot `slot`.
pub fn slot_dir(target: &Path, slot: usize) -> PathBuf {
    target.join("mlings-batch").join(format!("slot-{slot}"))
}

/// The trusted shape of every exercise's verdict: each suite built in `scratch` with the kit's
/// own sources (no student file), listed by `--mlings-checks`, before any student code runs.
pub fn trusted_listings(
    kit: &Kit,
    exercises: &[Exercise],
    scratch: &Path,
    excluded: &[&Path],
    limits: Limits,
) -> Result<BTreeMap<String, Listing>> {
    prepare_scratch(kit, scratch, excluded)?;
    let target = scratch.join("target");
    let mut listings = BTreeMap::new();
    for exercise in exercises {
        let crate_dir = scratch.join(exercise.path());
        let executable = match build(
            scratch,
            &exercise.package,
            &crate_dir,
            &target,
            limits.confine,
        )? {
            Ok(executable) => executable,
            Err(outcome) => {
                let detail = match outcome {
                    ExerciseOutcome::DoesNotCompile { detail } => detail,
                    other => other.label().to_owned(),
                };
                bail!(
                    "the kit's own {} does not build, so its checks cannot be listed:\n{detail}",
                    exercise.dir
                );
            }
        };
        let listing = verdict::listing(&executable, &crate_dir, &exercise.dir, limits)?;
        listings.insert(exercise.dir.clone(), listing);
    }
    Ok(listings)
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
            if std::fs::symlink_metadata(&dest).is_ok_and(|m| !m.is_dir()) {
                remove_any(&dest)?;
            }
            std::fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            copy_if_changed(entry.path(), &dest)?;
        }
        wanted.insert(rel);
    }
    // Remove what the kit does not have: a previous submission's extra modules, and anything its
    // run left behind. The slot's build products stay, and are not even walked.
    let tops = std::fs::read_dir(scratch)?
        .flatten()
        .filter(|top| top.file_name() != "target");
    for top in tops {
        for entry in WalkDir::new(top.path())
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            let rel = entry.path().strip_prefix(scratch)?.to_path_buf();
            if wanted.contains(&rel) {
                continue;
            }
            if entry.file_type().is_dir() {
                let _ = std::fs::remove_dir(entry.path());
            } else {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let new = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    write_if_changed(to, &new)
}

/// Removes whatever is at `path`: a file, a link (not what it points to) or a whole folder.
fn remove_any(path: &Path) -> Result<()> {
    let removed = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    };
    removed.with_context(|| format!("cannot remove {}", path.display()))
}

fn write_if_changed(to: &Path, bytes: &[u8]) -> Result<()> {
    // A link or a folder where a file belongs is replaced, never written through.
    if std::fs::symlink_metadata(to).is_ok_and(|m| !m.is_file()) {
        remove_any(to)?;
    }
    if std::fs::read(to).ok().as_deref() != Some(bytes) {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(to, bytes).with_context(|| format!("cannot write {}", to.display()))?;
    }
    Ok(())
}

/// Puts `files` as the `src/` of `exercise` in `scratch`.
fn overlay(scratch: &Path, exercise: &Exercise, files: &BTreeMap<PathBuf, String>) -> Result<()> {
    let src = scratch.join(exercise.path()).join("src");
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

/// Grades every exercise of `submission` in `scratch` against its trusted `listings`; `policy`
/// is off only to test the sandbox.
#[allow(clippy::too_many_arguments)]
pub fn grade_submission(
    exercises: &[Exercise],
    listings: &BTreeMap<String, Listing>,
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
        let listing = listings
            .get(&exercise.dir)
            .with_context(|| format!("no listing of the checks of {}", exercise.dir))?;
        let outcome = if let Some(reason) = submission.not_taken.get(&exercise.dir) {
            ExerciseOutcome::NotTaken {
                reason: reason.clone(),
            }
        } else {
            match submission.sources.get(&exercise.dir) {
                None => ExerciseOutcome::Missing,
                Some(files) => {
                    // Every file is checked, declared as a module or not: rustc never sees an
                    // undeclared one, but the policy's parser does.
                    let violations: Vec<String> = files
                        .iter()
                        .flat_map(|(rel, text)| {
                            let shown = exercise.path().join("src").join(rel);
                            policy::check_source(&shown, text)
                        })
                        .map(|v| v.to_string())
                        .collect();
                    if violations.is_empty() || !policy {
                        overlay(scratch, exercise, files)?;
                        grade_exercise(scratch, exercise, target, limits, listing)?
                    } else {
                        ExerciseOutcome::Refused { violations }
                    }
                }
            }
        };
        result.exercises.insert(exercise.dir.clone(), outcome);
    }
    Ok(result)
}

/// Builds and runs one exercise's suite in `scratch`, its verdict assembled against `listing`.
pub fn grade_exercise(
    scratch: &Path,
    exercise: &Exercise,
    target: &Path,
    limits: Limits,
    listing: &Listing,
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
        // A student's crate can make rustc write megabytes of errors; the first ones say enough.
        Err(ExerciseOutcome::DoesNotCompile { detail }) => {
            return Ok(ExerciseOutcome::DoesNotCompile {
                detail: cut_to(detail, COMPILE_ERRORS_LIMIT),
            });
        }
        Err(outcome) => return Ok(outcome),
    };
    verdict::run_suite(&executable, &crate_dir, listing, limits)
}

fn tail(text: &str, lines: usize) -> String {
    verdict::tail(text, lines)
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
    let Some(status) =
        process::wait_until(&mut child, Instant::now() + BUILD_TIMEOUT, Stop::Group)?
    else {
        return Ok(Err(ExerciseOutcome::DoesNotCompile {
            detail: "the build ran past its time limit".into(),
        }));
    };
    let output = Output {
        status,
        stdout: std::fs::read(&stdout_path)?,
        // Kept to the 4 KiB of a verdict's other excerpts.
        stderr: tail(
            &std::fs::read_to_string(&stderr_path).unwrap_or_default(),
            40,
        )
        .into_bytes(),
    };
    Ok(cargo::executable(&output, "grade", crate_dir)
        .map_err(|detail| ExerciseOutcome::DoesNotCompile { detail }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_the_pristine_kit_again_whatever_the_last_student_left() {
        let work = tempfile::tempdir().unwrap();
        let kit = Kit {
            root: work.path().join("kit"),
        };
        let src = kit.root.join("exercises/01-tiny/src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("lib.rs"), "pub fn f() {}\n").unwrap();
        std::fs::write(kit.root.join("Cargo.toml"), "[workspace]\n").unwrap();
        let slot = work.path().join("slot");
        prepare_scratch(&kit, &slot, &[]).unwrap();

        // What a student's files and run could leave: an edited source, an extra module, a
        // folder and a link where files belong, stray files, build products.
        let slot_src = slot.join("exercises/01-tiny/src");
        std::fs::write(slot_src.join("lib.rs"), "pub fn f() { loop {} }\n").unwrap();
        std::fs::write(slot_src.join("extra.rs"), "// theirs\n").unwrap();
        std::fs::remove_file(slot.join("Cargo.toml")).unwrap();
        std::fs::create_dir_all(slot.join("Cargo.toml/inside")).unwrap();
        std::fs::write(work.path().join("outside"), "[workspace]\n").unwrap();
        std::os::unix::fs::symlink(work.path().join("outside"), slot_src.join("lib2.rs")).unwrap();
        std::fs::create_dir_all(slot.join("tests/leftover")).unwrap();
        std::fs::write(slot.join("tests/leftover/x.rs"), "").unwrap();
        std::fs::create_dir_all(slot.join("target/debug")).unwrap();
        std::fs::write(slot.join("target/debug/cached"), "kept").unwrap();

        prepare_scratch(&kit, &slot, &[]).unwrap();
        let files: Vec<String> = WalkDir::new(&slot)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| e.path().strip_prefix(&slot).unwrap().display().to_string())
            .collect();
        assert_eq!(
            files,
            [
                "Cargo.toml",
                "exercises/01-tiny/src/lib.rs",
                "target/debug/cached"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(slot_src.join("lib.rs")).unwrap(),
            "pub fn f() {}\n"
        );
        assert_eq!(
            std::fs::read_to_string(slot.join("Cargo.toml")).unwrap(),
            "[workspace]\n"
        );
    }
}
