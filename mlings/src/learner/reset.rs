//! `mlings reset EXERCISE [--step STEP] [--yes]`: restores the pristine stub of an exercise, after a
//! timestamped backup of the learner's files under `.mlings/backups/`.
//!
//! The pristine stub comes from the single source of the exercise:
//!
//! - in the authors' kit, generated from `solutions/NN-topic/src` exactly as `mlings sync` does;
//! - in a student release (no `solutions/`), copied from `exercises/.pristine/NN-topic/src`, a copy
//!   of the stubs the release ships for this purpose.
//!
//! With `--step`, only the files the step's `files` lists in the exercise's manifest
//! (`exercises/NN-topic/exercise.toml`) are restored.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::fsutil::{backup, rust_files, write_atomic};
use crate::kit::{Exercise, Kit};
use crate::learner::hints::Hints;
use crate::sync;

/// Where a student release keeps the pristine stubs, relative to the kit root.
pub const PRISTINE_DIR: &str = "exercises/.pristine";

/// What `reset` should do.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The exercise, by directory, crate or number.
    pub exercise: &'a str,
    /// Restore only this step's files.
    pub step: Option<u32>,
    /// Do not ask for confirmation.
    pub yes: bool,
}

/// The pristine stub files of `exercise`: path relative to the kit root (`/` separators) → content.
pub fn pristine(kit: &Kit, exercise: &Exercise) -> Result<BTreeMap<String, String>> {
    let generated = sync::stubs_of(kit, exercise)?;
    if !generated.is_empty() {
        return Ok(generated);
    }
    let crate_src = exercise.path().join("src");
    let mut files = BTreeMap::new();
    let pristine_src = kit.root.join(PRISTINE_DIR).join(&exercise.dir).join("src");
    if !pristine_src.is_dir() {
        bail!(
            "no pristine copy of {} to restore: neither {} nor {} exists",
            exercise.dir,
            exercise.solution_path().join("src").display(),
            Path::new(PRISTINE_DIR)
                .join(&exercise.dir)
                .join("src")
                .display()
        );
    }
    for source in rust_files(&pristine_src)? {
        let relative = source
            .strip_prefix(&pristine_src)
            .expect("walked under src");
        let content = std::fs::read_to_string(&source)
            .with_context(|| format!("cannot read {}", source.display()))?;
        files.insert(slashed(&crate_src.join(relative)), content);
    }
    Ok(files)
}

/// Runs `reset`; returns whether files were restored (false when the learner declined).
pub fn run(kit: &Kit, options: Options<'_>) -> Result<bool> {
    let exercise = kit.find(options.exercise)?;
    let mut files = pristine(kit, &exercise)?;
    if let Some(step) = options.step {
        let hints = Hints::load(kit, &exercise)?;
        let Some(step_hints) = hints.step(step) else {
            bail!(
                "{} has no step {step} in its exercise.toml; reset the whole exercise with `mlings reset {}`",
                exercise.dir,
                exercise.dir
            );
        };
        if step_hints.files.is_empty() {
            bail!(
                "step {step} of {} is not mapped to files (its `files` in exercise.toml is empty); \
                 reset the whole exercise with `mlings reset {}`",
                exercise.dir,
                exercise.dir
            );
        }
        let wanted: Vec<String> = step_hints
            .files
            .iter()
            .map(|f| slashed(&exercise.path().join(f)))
            .collect();
        files.retain(|path, _| wanted.contains(path));
        if files.is_empty() {
            bail!(
                "step {step}'s files ({}) are not in {}'s pristine stub",
                step_hints.files.join(", "),
                exercise.dir
            );
        }
    }

    let changed: Vec<&str> = files
        .iter()
        .filter(|(path, content)| {
            std::fs::read_to_string(kit.root.join(path)).ok().as_ref() != Some(*content)
        })
        .map(|(path, _)| path.as_str())
        .collect();
    if changed.is_empty() {
        println!(
            "{} is already pristine: nothing to reset.",
            what(&exercise, options.step)
        );
        return Ok(true);
    }
    println!(
        "Resetting {} restores {} file(s) to the pristine stub:",
        what(&exercise, options.step),
        changed.len()
    );
    for path in &changed {
        println!("  {path}");
    }
    if !options.yes && !confirm()? {
        println!("Nothing changed.");
        return Ok(false);
    }
    let existing: Vec<&str> = changed
        .iter()
        .copied()
        .filter(|p| kit.root.join(p).is_file())
        .collect();
    if !existing.is_empty() {
        let dir = backup(&kit.root, &existing)?;
        println!("Backed up your files to {}", dir.display());
    }
    for path in &changed {
        let target = kit.root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomic(&target, files[*path].as_bytes())?;
    }
    println!("Restored {}.", what(&exercise, options.step));
    Ok(true)
}

fn what(exercise: &Exercise, step: Option<u32>) -> String {
    match step {
        Some(step) => format!("step {step} of {}", exercise.dir),
        None => exercise.dir.clone(),
    }
}

/// Asks on the terminal; refuses when stdin is not one, since nobody could answer.
fn confirm() -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "reset asks for confirmation, and standard input is not a terminal: \
             run it with --yes to reset without asking (your files are backed up first)"
        );
    }
    print!("Your current files are backed up first. Reset? [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
