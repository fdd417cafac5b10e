//! `mlings solution EXERCISE [--force]`: the reference solution, once the exercise fully passes.
//!
//! Whether it passes comes from the best score in the progress state, else from grading it now.
//! `--force` shows it earlier, with a warning. It is shown as a learner reads it: the markers
//! that generate the stubs and the stub lines they hold are left out.

use anyhow::{Context, Result, bail};

use crate::cargo::{self, Outcome, Target};
use crate::fsutil::rust_files;
use crate::kit::{Exercise, Kit};
use crate::learner::state::{self, State};
use crate::show::Paint;
use crate::stubs;

/// Whether `exercise` fully passes: by its best score, else by grading it.
pub fn passes(kit: &Kit, exercise: &Exercise, paint: Paint) -> Result<bool> {
    if State::load(kit)
        .best
        .get(&exercise.dir)
        .is_some_and(|b| b.full())
    {
        return Ok(true);
    }
    eprintln!(
        "{}",
        paint.dim(&format!(
            "grading {} to see whether it passes…",
            exercise.dir
        ))
    );
    let outcome = cargo::grade(kit, exercise, Target::Learner, paint.enabled())?;
    state::record_outcomes(
        kit,
        std::slice::from_ref(exercise),
        std::slice::from_ref(&outcome),
    );
    Ok(matches!(outcome, Outcome::Graded(report) if report.all_passed()))
}

/// Runs `solution`; returns whether the solution was shown.
pub fn run(kit: &Kit, name: &str, force: bool) -> Result<bool> {
    let paint = Paint::stdout();
    let exercise = kit.find(name)?;
    let src = kit.root.join(exercise.solution_path()).join("src");
    if !src.is_dir() {
        bail!(
            "this kit has no reference solution for {} (a student release ships none)",
            exercise.dir
        );
    }
    if !passes(kit, &exercise, paint)? {
        if !force {
            println!(
                "{} does not pass every check yet: the solution is shown once it does. \
                 Try `mlings hint {}` first, or `mlings solution {} --force` to look anyway.",
                exercise.dir,
                exercise.number().unwrap_or(0),
                exercise.dir
            );
            return Ok(false);
        }
        println!(
            "{}",
            paint.todo(&format!(
                "warning: {} does not pass yet; reading the solution now takes away the part \
                 where you work it out.",
                exercise.dir
            ))
        );
    }
    for file in rust_files(&src)? {
        let relative = file.strip_prefix(&kit.root).unwrap_or(&file);
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        // The markers and the stub lines are for `mlings sync`, not for the learner.
        let text = stubs::solution(&text).with_context(|| format!("in {}", file.display()))?;
        println!("{}", paint.strong(&format!("── {} ──", relative.display())));
        println!("{}", text.trim_end());
        println!();
    }
    Ok(true)
}
