//! `mlings grade-batch`: grades every submission in a scratch copy of the instructor's kit, one
//! worker per job slot, each exercise's suite in the sandbox, each verdict checked against the
//! suite's trusted listing, results kept per student.
//!
//! Each job has its room: the worker pool (`pool`), the scratch kit of a job slot (`scratch`),
//! the build of a student's crate (`build`), the checks on what a run reports against the
//! suite's trusted listing (`report_checks`), and the one-at-a-time reruns after a run dies or
//! hangs (`recovery`).

mod build;
mod pool;
mod recovery;
mod report_checks;
pub mod scratch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use mlings_grader::Listing;
use mlings_grader::report::cut_to;

use super::sandbox::{self, Limits};
use super::submission::Submission;
use super::{escape, policy, rustc_wrapper};
use crate::kit::{Exercise, Kit};
use crate::outcome::{ExerciseOutcome, StudentResult};
use scratch::{lock_slot, overlay, prepare_scratch, slot_dir};

/// Threads and processes a suite may have at once (the harness runs each check on its own
/// thread). It binds where the suite runs as its slot's own user (mlings run as root, see
/// `sandbox::lease_user`); a student's thread bomb then meets it long before the memory limit.
pub const PROCESSES: u64 = 256;
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
    /// Build budget, in seconds: CPU and wall-clock time for compiling one student's crate. A
    /// submission's whole build, which the first time also compiles the dependencies, may take
    /// three budgets per exercise.
    #[arg(long, value_name = "SECONDS", default_value_t = rustc_wrapper::DEFAULT_TIME_SECS)]
    pub build_timeout: u64,
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

/// Runs `mlings grade-batch`.
pub fn run(kit: &Kit, args: &BatchArgs) -> Result<bool> {
    if !args.submissions.is_dir() {
        bail!(
            "{} is not a folder of submissions",
            args.submissions.display()
        );
    }
    if args.jobs == 0 || args.timeout == 0 || args.build_timeout == 0 || args.memory < 64 {
        bail!("--jobs, --timeout and --build-timeout must be at least 1, --memory at least 64 MiB");
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
        user: None,
        file_mb: FILE_MB,
        confine: !args.no_walls && sandbox::choose_walls(args.trusted)?,
        build: Duration::from_secs(args.build_timeout),
    };
    let excluded = [out.as_path(), args.submissions.as_path()];
    let listings = {
        let scratch = slot_dir(&target, 0);
        let _lock = lock_slot(&scratch, |m| eprintln!("{m}"))?;
        trusted_listings(kit, &exercises, &scratch, &excluded, limits)?
    };
    let salt = format!(
        "mlings {} timeout {} memory {} build {} policy {} walls {} suites {}",
        env!("CARGO_PKG_VERSION"),
        args.timeout,
        args.memory,
        args.build_timeout,
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
    let results = pool::grade_all(entries, args.jobs.min(64), &target, &bar, &job)?;
    bar.finish_with_message("done");

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
    /// Grades the submission `entry` in the job slot whose kit is `scratch` and whose suites run
    /// as `user` (leased by `sandbox::lease_user`), or takes its
    /// unchanged result (then the flag is set).
    fn grade(
        &self,
        entry: &Path,
        scratch: &Path,
        user: Option<u32>,
    ) -> Result<(StudentResult, bool)> {
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
            Limits {
                user,
                ..self.limits
            },
            self.policy,
        )?;
        crate::fsutil::write_atomic(&saved, serde_json::to_string_pretty(&result)?.as_bytes())?;
        Ok((result, false))
    }
}

/// The row of a submission the grader failed on: a clear status, never a missing row.
fn not_graded(name: &str, exercises: &[Exercise], err: &anyhow::Error) -> StudentResult {
    let reason = tail(&format!("{err:#}"), 12);
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
    let dirs: Vec<PathBuf> = exercises.iter().map(|e| scratch.join(e.path())).collect();
    let crates: Vec<build::Crate<'_>> = exercises
        .iter()
        .zip(&dirs)
        .map(|(e, dir)| build::Crate {
            package: &e.package,
            dir,
        })
        .collect();
    let built = build::build(scratch, &crates, &target, limits)?;
    let mut listings = BTreeMap::new();
    for ((exercise, crate_dir), built) in exercises.iter().zip(&dirs).zip(built) {
        let executable = match built {
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
        let listing = report_checks::listing(&executable, crate_dir, &exercise.dir, limits)?;
        listings.insert(exercise.dir.clone(), listing);
    }
    Ok(listings)
}

fn load(path: &Path) -> Option<StudentResult> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Grades every exercise of `submission` in `scratch` against its trusted `listings`; `policy`
/// is off only to test the sandbox.
///
/// Every exercise whose sources are taken and pass the policy is laid over the scratch kit and
/// built in one cargo command; then each suite runs in the sandbox, one after the other.
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
    // The exercises to build, with their folders in the scratch kit.
    let mut to_build: Vec<(&Exercise, PathBuf)> = Vec::new();
    for exercise in exercises {
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
                        to_build.push((exercise, scratch.join(exercise.path())));
                        continue;
                    }
                    ExerciseOutcome::Refused { violations }
                }
            }
        };
        result.exercises.insert(exercise.dir.clone(), outcome);
    }
    let crates: Vec<build::Crate<'_>> = to_build
        .iter()
        .map(|(exercise, dir)| build::Crate {
            package: &exercise.package,
            dir,
        })
        .collect();
    let built = build::build(scratch, &crates, target, limits)?;
    for ((exercise, crate_dir), built) in to_build.iter().zip(built) {
        let listing = listings
            .get(&exercise.dir)
            .with_context(|| format!("no listing of the checks of {}", exercise.dir))?;
        let outcome = match built {
            Ok(executable) => recovery::run_suite(&executable, crate_dir, listing, limits)?,
            // A student's crate can make rustc write megabytes of errors; the first ones say
            // enough.
            Err(ExerciseOutcome::DoesNotCompile { detail }) => ExerciseOutcome::DoesNotCompile {
                detail: cut_to(detail, build::COMPILE_ERRORS_LIMIT),
            },
            Err(outcome) => outcome,
        };
        result.exercises.insert(exercise.dir.clone(), outcome);
    }
    Ok(result)
}

/// The last `lines` lines of `text`, at most 4 KiB.
fn tail(text: &str, lines: usize) -> String {
    let kept = crate::process::tail(text, lines);
    let mut start = kept.len().saturating_sub(4096);
    while !kept.is_char_boundary(start) {
        start += 1;
    }
    kept[start..].to_owned()
}
