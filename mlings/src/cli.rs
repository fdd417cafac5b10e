//! The command line: clap derive, where each doc comment is the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Graded, hands-on exercises in machine-learning fundamentals.
///
/// With no command: the progress of every exercise, then what to fix next in the current one.
#[derive(Debug, Parser)]
#[command(name = "mlings", version, about, long_about)]
pub struct Cli {
    /// What to do; with none, show progress and the next thing to fix.
    #[command(subcommand)]
    pub command: Option<Commands>,
    /// With no command, in a terminal: re-grade when you press r instead of watching files (for
    /// file systems that report no changes, such as WSL on a Windows drive or network mounts).
    #[arg(long)]
    pub manual: bool,
}

/// The commands of mlings.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// List the exercises, their steps, and the points scored out of the points available.
    List,
    /// Grade exercises and print every check's result.
    ///
    /// The exit status is 0 only when every graded check passed.
    Grade {
        /// Exercises to grade, by directory, crate or number (`01-linear-regression`,
        /// `linear-regression`, `1`); all of them when none is named.
        exercises: Vec<String>,
        /// Grade the reference solutions instead of the exercises.
        #[arg(long)]
        reference: bool,
        /// Also write a machine-readable report of every check to this file.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
    },
    /// Check the kit's invariants (for authors and CI): the stubs are in sync with the solutions,
    /// every check fails on the pristine stubs as not implemented, every check passes on the
    /// reference solutions.
    Verify,
    /// Grade the kit's own grader (for authors and CI): apply every known mistake and correct
    /// variant of `corpus/NN-topic/corpus.toml` to the reference solution, one at a time, in a
    /// scratch copy of the kit.
    ///
    /// A mistake must lose a point, fail its named check with its hint (publicly when it says
    /// so); a variant must score full marks. The exit status is 0 only when every case does.
    Corpus {
        /// Exercises whose corpus to run, by directory, crate or number; every exercise with a
        /// corpus when none is named.
        exercises: Vec<String>,
    },
    /// Check the hints' near-solutions (for authors): splice every step's near-solution into a
    /// scratch copy of the stub and grade it; no check may fail but at a `todo!()` they leave.
    NearSolutions {
        /// Exercises to check, by directory, crate or number; every exercise when none is named.
        exercises: Vec<String>,
    },
    /// Reveal the next hint: a nudge, then the method, then a near-solution.
    ///
    /// Without a step, for the first step of the exercise that does not pass yet; hints already
    /// revealed are shown again.
    Hint {
        /// The exercise, by directory, crate or number; the current one when omitted.
        exercise: Option<String>,
        /// The step's number; the first failing step when omitted.
        step: Option<u32>,
    },
    /// Restore an exercise's pristine stub, after backing up your files under .mlings/backups/.
    Reset {
        /// The exercise, by directory, crate or number.
        exercise: String,
        /// Restore only the files of this step (as the exercise's exercise.toml maps them).
        #[arg(long, value_name = "STEP")]
        step: Option<u32>,
        /// Do not ask for confirmation (your files are still backed up).
        #[arg(long, short)]
        yes: bool,
    },
    /// Show the reference solution of an exercise, once it passes every check.
    Solution {
        /// The exercise, by directory, crate or number.
        exercise: String,
        /// Show it even though the exercise does not pass yet.
        #[arg(long)]
        force: bool,
    },
    /// Draw figures of your own model: runs the exercise's plot program on your code (through
    /// cargo) and writes SVG and PNG files under plots/NN-topic/, then prints their paths.
    ///
    /// A figure whose code is not written yet is skipped, with the reason.
    Plot {
        /// The exercise, by directory, crate or number.
        exercise: String,
        /// Plot the reference solution's model instead (into plots/NN-topic/reference/).
        #[arg(long)]
        reference: bool,
        /// Stop the plot program after this many seconds.
        #[arg(long, value_name = "SECS", default_value_t = 300)]
        timeout: u64,
        /// Write the pictures into DIR instead of plots/NN-topic/.
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
    /// Grade many students' submissions safely (for instructors): a gradebook and feedback.
    ///
    /// Only `exercises/*/src/**/*.rs` is taken from each submission; code that uses the file
    /// system, processes, the network, the environment, `unsafe` or file inclusion is refused;
    /// the student's crate compiles, and each suite runs, inside Linux's walls (Landlock,
    /// seccomp) with time, memory and process limits. See docs/classroom.md.
    GradeBatch(crate::classroom::batch::BatchArgs),
    /// Write the students' copy of the kit into OUT (for instructors): the stubs, the public
    /// checks, the CLI and a README for students; no solutions, hidden checks or benches.
    ///
    /// OUT must not exist or be empty.
    Release {
        /// The folder to create.
        out: PathBuf,
    },
    /// Grade one submission inside Gradescope's autograder (for instructors' bundles).
    ///
    /// Reads /autograder/submission and writes /autograder/results/results.json, with the
    /// batch grader's source policy and sandbox.
    Gradescope(crate::classroom::gradescope::GradescopeArgs),
    /// Build Gradescope's autograder zip: setup.sh, run_autograder and this kit.
    GradescopeBundle {
        /// The zip file to create.
        out: PathBuf,
    },
    /// Run an exercise's benches and summarise them: the learner's time as a ratio of the
    /// reference's, and the rate each reaches against one core's peak.
    ///
    /// Runs `cargo bench -p <crate>-solution --bench <crate>` (every exercise's bench when none
    /// is named: each `solutions/*/benches/*.rs`), then reads criterion's results; the work behind
    /// the rates is what the `[[kernel]]` tables of `solutions/*/exercise.toml` declare. The
    /// learner's kernels are benchmarked only once they give the reference's answer.
    Bench(crate::bench::BenchArgs),
    /// Internal: runs a command under resource limits, confined with --confine (used by
    /// grade-batch).
    #[command(name = "__sandbox", hide = true)]
    Sandbox(crate::classroom::sandbox::SandboxArgs),
    /// Scaffold a new exercise (for authors): a manifest with one step, a solution with one
    /// marked function and a typed error, a suite with one public and one hidden check, a plot,
    /// a bench and an empty mistake corpus; then sync generates the learner's crate.
    ///
    /// The stub scores 0 and the solution full marks at once; docs/authoring.md goes on from there.
    New {
        /// The exercise's directory name: two digits, a hyphen and a topic in kebab-case
        /// (`04-logistic-regression`); the topic is the learner's crate.
        name: String,
    },
    /// Regenerate the exercises' stubs from the reference solutions, and each exercise's crates'
    /// Cargo.toml, tests/grade.rs, examples/plot.rs and learner's exercise.toml from its manifest
    /// (for authors).
    ///
    /// Never overwrites a learner's edits silently: files changed since mlings generated them are
    /// only replaced with --force, after a backup under .mlings/backups/.
    Sync {
        /// Write nothing; fail when a stub or a generated file differs from what the solutions and
        /// their manifests generate.
        #[arg(long, conflicts_with = "force")]
        check: bool,
        /// Replace stub files that were edited by hand, after backing them up.
        #[arg(long)]
        force: bool,
    },
}
