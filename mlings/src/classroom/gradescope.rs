//! Gradescope: `mlings gradescope` grades the one submission of Gradescope's layout with the
//! batch grader's intake, policy, sandbox and trusted listing, and writes `results.json`;
//! `mlings gradescope-bundle` builds the autograder zip.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use mlings_grader::{Listing, Status, Visibility};
use serde::Serialize;
use walkdir::WalkDir;

use super::batch::{self, scratch};
use super::rustc_wrapper;
use super::sandbox::Limits;
use super::submission::Submission;
use crate::kit::Kit;
use crate::outcome::ExerciseOutcome;

/// Options of `mlings gradescope`.
#[derive(Debug, Clone, clap::Args)]
pub struct GradescopeArgs {
    /// The student's submission (their kit, or its `exercises/`).
    #[arg(long, default_value = "/autograder/submission")]
    pub submission: PathBuf,
    /// Where to write Gradescope's results.
    #[arg(long, default_value = "/autograder/results/results.json")]
    pub results: PathBuf,
    /// Wall-clock limit for one exercise's suite, in seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Address-space limit for one exercise's suite, in MiB.
    #[arg(long, default_value_t = 4096)]
    pub memory: u64,
    /// Build budget, in seconds: CPU and wall-clock time for compiling the student's crate. An
    /// exercise's whole build, which the first time also compiles the dependencies, may take
    /// three budgets.
    #[arg(long, value_name = "SECONDS", default_value_t = rustc_wrapper::DEFAULT_TIME_SECS)]
    pub build_timeout: u64,
    /// Grade even on a system without Landlock and seccomp, with only resource limits and the
    /// source policy around student code (see "Threat model" in docs/classroom.md).
    #[arg(long)]
    pub trusted: bool,
}

#[derive(Debug, Serialize)]
struct Results {
    score: u32,
    max_score: u32,
    output: String,
    /// Student text (messages, file names) is shown as plain text, never as Markdown or HTML.
    output_format: &'static str,
    test_output_format: &'static str,
    tests: Vec<Test>,
}

#[derive(Debug, Serialize)]
struct Test {
    name: String,
    score: u32,
    max_score: u32,
    output: String,
    visibility: &'static str,
}

/// Runs `mlings gradescope`.
pub fn run(kit: &Kit, args: &GradescopeArgs) -> Result<bool> {
    let confine = super::sandbox::choose_walls(args.trusted)?;
    if !args.submission.is_dir() {
        bail!("no submission at {}", args.submission.display());
    }
    let exercises = kit.exercises()?;
    // The batch's first slot: its dependencies are already built when a batch ran before.
    let scratch = scratch::slot_dir(&kit.target_dir(), 0);
    let _lock = scratch::lock_slot(&scratch, |m| eprintln!("{m}"))?;
    let results_dir = args.results.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(results_dir)
        .with_context(|| format!("cannot create {}", results_dir.display()))?;
    let lease = super::sandbox::lease_user(0)?;
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout.max(1)),
        memory_mb: args.memory.max(64),
        processes: batch::PROCESSES,
        user: lease.as_ref().map(|l| l.uid),
        file_mb: 16,
        confine,
        build: Duration::from_secs(args.build_timeout.max(1)),
    };
    let excluded = [args.submission.as_path(), results_dir];
    // The verdict's shape comes from the kit, listed before the student's code is compiled.
    let listings = batch::trusted_listings(kit, &exercises, &scratch, &excluded, limits)?;
    let submission = Submission::read(kit, &exercises, &args.submission);
    scratch::prepare_scratch(kit, &scratch, &excluded)?;
    let result = batch::grade_submission(
        &exercises,
        &listings,
        &submission,
        String::new(),
        &scratch,
        &scratch.join("target"),
        limits,
        true,
    )?;

    let mut tests = Vec::new();
    for (dir, outcome) in &result.exercises {
        let max = listings.get(dir).map_or(0, Listing::max_score);
        match outcome {
            ExerciseOutcome::Graded { report, note } => {
                for check in &report.checks {
                    let hidden = check.visibility == Visibility::Hidden;
                    let mut output = if check.status == Status::Passed {
                        "passed".to_owned()
                    } else if hidden {
                        "failed".to_owned()
                    } else {
                        check.message.clone()
                    };
                    if let (Some(hint), false) = (&check.hint, hidden) {
                        output.push_str(&format!("\nhint: {hint}"));
                    }
                    if let Some(note) = note {
                        output.push_str(&format!("\n({note})"));
                    }
                    tests.push(Test {
                        name: format!("{dir} step {}: {}", check.step, check.name),
                        score: check.points,
                        max_score: check.max_points,
                        output,
                        visibility: if hidden { "after_published" } else { "visible" },
                    });
                }
            }
            other => {
                let detail = match other {
                    ExerciseOutcome::Refused { violations } => violations.join("\n"),
                    ExerciseOutcome::DoesNotCompile { detail } => detail.clone(),
                    ExerciseOutcome::NotTaken { reason } => reason.clone(),
                    ExerciseOutcome::Crashed { .. } => "the grading process crashed before it \
                        began, or what it reported does not match the suite"
                        .to_owned(),
                    _ => String::new(),
                };
                // Worth the exercise's points, all lost: Gradescope's total stays the suite's.
                tests.push(Test {
                    name: format!("{dir}: {}", other.label()),
                    score: 0,
                    max_score: max,
                    output: detail,
                    visibility: "visible",
                });
            }
        }
    }
    let results = Results {
        score: tests.iter().map(|t| t.score).sum(),
        max_score: tests.iter().map(|t| t.max_score).sum(),
        output: if result.flags.is_empty() {
            String::new()
        } else {
            format!("Notes:\n{}", result.flags.join("\n"))
        },
        output_format: "text",
        test_output_format: "text",
        tests,
    };
    crate::fsutil::write_atomic(
        &args.results,
        serde_json::to_string_pretty(&results)?.as_bytes(),
    )?;
    println!(
        "{} / {} points; results in {}",
        results.score,
        results.max_score,
        args.results.display()
    );
    Ok(true)
}

const SETUP_SH: &str = include_str!("../../../templates/gradescope/setup.sh");
const RUN_AUTOGRADER: &str = include_str!("../../../templates/gradescope/run_autograder");

/// Runs `mlings gradescope-bundle OUT.zip`: `setup.sh`, `run_autograder` and the kit.
pub fn bundle(kit: &Kit, out: &Path) -> Result<bool> {
    if out.exists() {
        bail!("{} exists already: give a new file name", out.display());
    }
    let root = kit.root.canonicalize()?;
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let out_abs = out.canonicalize()?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let executable = options.unix_permissions(0o755);
    zip.start_file("setup.sh", executable)?;
    zip.write_all(SETUP_SH.as_bytes())?;
    zip.start_file("run_autograder", executable)?;
    zip.write_all(RUN_AUTOGRADER.as_bytes())?;
    let mut count = 0;
    for entry in WalkDir::new(&root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.path() == root
                || !(matches!(name.as_ref(), "target" | ".git" | ".mlings" | "plots")
                    || e.path() == out_abs)
        })
    {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&root)?;
        let name = format!("kit/{}", rel.to_string_lossy());
        zip.start_file(name, options)?;
        zip.write_all(&std::fs::read(entry.path())?)?;
        count += 1;
    }
    zip.finish()?;
    println!(
        "Gradescope autograder written to {} (setup.sh, run_autograder, {count} files of the kit)",
        out.display()
    );
    Ok(true)
}
