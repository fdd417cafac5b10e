//! `mlings plot EXERCISE`: figures of the learner's own model, as SVG and PNG under `plots/`.
//!
//! The exercise's plot program (the example `plot` of its crate, `tests/NN-topic/plot.rs`) runs
//! the learner's code in a child process built by cargo and writes its figures as JSON
//! ([`mlings_grader::plot::Figures`]); this module draws them. Nothing here knows an exercise:
//! a new exercise gets plots by adding its plot program.

mod render;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mlings_grader::plot::{Figure, Figures, check_name};

use crate::cargo::{self, cargo, output_healing_incremental};
use crate::kit::{Exercise, Kit};
use crate::process::{self, Stop};
use crate::show::Paint;

/// What `mlings plot` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The exercise, by directory, crate or number.
    pub exercise: &'a str,
    /// Plot the reference solution's model instead of the learner's.
    pub reference: bool,
    /// How long the plot program may run.
    pub timeout: Duration,
    /// Where to write the pictures; `plots/NN-topic/` (or its `reference/`) by default.
    pub out: Option<&'a Path>,
}

/// Builds and runs the exercise's plot program, draws its figures and prints their paths.
/// `Ok(false)` when some figure could not be made or was made only in part (why is printed: the
/// step it waits for) or the crate does not compile.
pub fn run(kit: &Kit, options: Options<'_>) -> Result<bool> {
    let paint = Paint::stdout();
    let exercise = kit.find(options.exercise)?;
    let (package, dir) = if options.reference {
        (exercise.solution_package(), exercise.solution_path())
    } else {
        (exercise.package.clone(), exercise.path())
    };
    let crate_dir = kit.root.join(&dir);
    let program = crate_dir.join("examples").join("plot.rs");
    if !program.is_file() {
        bail!(
            "{} has no plots yet: {} does not exist",
            exercise.dir,
            dir.join("examples").join("plot.rs").display()
        );
    }
    eprintln!("building the plot program of {} ({package})…", exercise.dir);
    let example = if options.reference {
        reference_example(&exercise.package)
    } else {
        "plot".to_owned()
    };
    let executable = match build(kit, &package, &example, &crate_dir, paint.enabled())? {
        Ok(executable) => executable,
        Err(diagnostics) => {
            println!("{diagnostics}");
            println!(
                "{} {package} does not compile: fix the errors above, then run `mlings plot {}` again",
                paint.bad("✗"),
                options.exercise
            );
            return Ok(false);
        }
    };
    eprintln!(
        "running {} model…",
        if options.reference {
            "the reference"
        } else {
            "your"
        }
    );
    let figures = figures_of(&executable, &crate_dir, options.timeout)?;
    let out = match options.out {
        Some(out) => out.to_path_buf(),
        None => plots_dir(kit, &exercise, options.reference),
    };
    let written = write_all(&figures, &out)?;
    for path in &written {
        let shown = path.strip_prefix(&kit.root).unwrap_or(path);
        println!("{} {}", paint.good("✓"), shown.display());
    }
    // A figure drawn in part says what it waits for; `○` lines are the figures not drawn at all.
    for figure in &figures.figures {
        for note in &figure.notes {
            println!("{} {}: {note}", paint.todo("◐"), paint.strong(&figure.name));
        }
    }
    for skipped in &figures.skipped {
        println!(
            "{} {}: {}",
            paint.todo("○"),
            paint.strong(&skipped.name),
            skipped.reason
        );
    }
    if figures.figures.is_empty() && figures.skipped.is_empty() {
        println!("the plot program of {} made no figures", exercise.dir);
    }
    let complete = figures.figures.iter().all(|f| f.notes.is_empty());
    Ok(figures.skipped.is_empty() && complete)
}

/// `plots/NN-topic/`, or `plots/NN-topic/reference/` for the reference solution.
pub fn plots_dir(kit: &Kit, exercise: &Exercise, reference: bool) -> PathBuf {
    let dir = kit.root.join("plots").join(&exercise.dir);
    if reference {
        dir.join("reference")
    } else {
        dir
    }
}

/// Draws every figure into `out` as `<name>.svg` and `<name>.png`, and removes the pictures of
/// skipped figures left by an earlier run, so that no stale picture passes for the current one.
/// Returns the files written.
pub fn write_all(figures: &Figures, out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut written = Vec::new();
    for figure in &figures.figures {
        written.extend(write_one(figure, out)?);
    }
    for skipped in &figures.skipped {
        if check_name(&skipped.name).is_ok() {
            for ext in ["svg", "png"] {
                let _ = std::fs::remove_file(out.join(format!("{}.{ext}", skipped.name)));
            }
        }
    }
    Ok(written)
}

/// Draws one figure into `out`; refuses a figure whose name is not a plain file stem or whose
/// data cannot be drawn.
pub fn write_one(figure: &Figure, out: &Path) -> Result<[PathBuf; 2]> {
    figure
        .check()
        .map_err(|reason| anyhow::anyhow!("figure `{}`: {reason}", figure.name))?;
    let svg_path = out.join(format!("{}.svg", figure.name));
    let png_path = out.join(format!("{}.png", figure.name));
    std::fs::write(&svg_path, render::svg(figure)?)
        .with_context(|| format!("cannot write {}", svg_path.display()))?;
    render::png(figure, &png_path)?;
    Ok([svg_path, png_path])
}

/// Runs the plot program with a time limit and reads the figures it wrote.
fn figures_of(executable: &Path, crate_dir: &Path, timeout: Duration) -> Result<Figures> {
    let json = tempfile::Builder::new()
        .prefix("mlings-figures-")
        .suffix(".json")
        .tempfile()
        .context("cannot create a temporary file for the figures")?;
    let mut child = Command::new(executable)
        .arg(json.path())
        .current_dir(crate_dir)
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot run {}", executable.display()))?;
    let Some(status) = process::wait_until(&mut child, Instant::now() + timeout, Stop::Child)?
    else {
        bail!(
            "the plot program ran longer than {} s and was stopped: look for a loop that never \
             ends (or allow more time with --timeout)",
            timeout.as_secs()
        );
    };
    let text = std::fs::read_to_string(json.path()).unwrap_or_default();
    if text.trim().is_empty() {
        bail!("the plot program ended ({status}) without writing its figures");
    }
    serde_json::from_str(&text).context("the plot program wrote figures mlings cannot read")
}

/// The name of a solution's plot example: one per exercise, since cargo puts every example of a
/// workspace in one folder and equal names would overwrite each other.
pub fn reference_example(package: &str) -> String {
    format!("{package}-reference-plot")
}

/// Compiles the plot program (the example `example`) of `package`; returns its executable, or
/// the compile errors of the crate's own files (its `src/` and the plot program) as rustc
/// rendered them. The exercise names it `plot`, the solution `<package>-reference-plot` (see
/// [`reference_example`]), so no two share an output file.
fn build(
    kit: &Kit,
    package: &str,
    example: &str,
    crate_dir: &Path,
    color: bool,
) -> Result<std::result::Result<PathBuf, String>> {
    let output = output_healing_incremental(kit, || {
        let mut command = cargo();
        command
            .current_dir(&kit.root)
            .args(["build", "--example", example])
            .args(["--message-format", cargo::message_format(color)])
            .args(["-p", package])
            .stdin(Stdio::null());
        command
    })?;
    Ok(cargo::executable(&output, example, crate_dir))
}
