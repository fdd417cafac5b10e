//! `mlings reset EXERCISE [--step STEP] [--yes]`: restores the pristine stub of an exercise, after a
//! timestamped backup of the learner's files under `.mlings/backups/`.
//!
//! The pristine stub comes from the single source of the exercise:
//!
//! - in the authors' kit, generated from `solutions/NN-topic/src` exactly as `mlings sync` does;
//! - in a student release (no `solutions/`), copied from `exercises/.pristine/NN-topic/src`, a copy
//!   of the stubs the release ships for this purpose.
//!
//! With `--step`, only the files the step's `files` lists in `hints.toml` are restored.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::kit::{Exercise, Kit};
use crate::learner::hints::Hints;
use crate::stubs;
use crate::sync::{backup, write_atomic};

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
    let solution_src = kit.root.join(exercise.solution_path()).join("src");
    let crate_src = exercise.path().join("src");
    let mut files = BTreeMap::new();
    if solution_src.is_dir() {
        for source in rust_files(&solution_src)? {
            let relative = source
                .strip_prefix(&solution_src)
                .expect("walked under src");
            let text = std::fs::read_to_string(&source)
                .with_context(|| format!("cannot read {}", source.display()))?;
            let content = if stubs::has_regions(&text) {
                let stub =
                    stubs::generate(&text).with_context(|| format!("in {}", source.display()))?;
                rustfmt(&stub)?
            } else {
                text
            };
            files.insert(slashed(&crate_src.join(relative)), content);
        }
        return Ok(files);
    }
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
                "{} has no step {step} in its hints.toml; reset the whole exercise with `mlings reset {}`",
                exercise.dir,
                exercise.dir
            );
        };
        if step_hints.files.is_empty() {
            bail!(
                "step {step} of {} is not mapped to files (its `files` in hints.toml is empty); \
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

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Formats a generated stub as `mlings sync` does, so a reset file is byte for byte the stub.
fn rustfmt(source: &str) -> Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .expect("writer thread")
        .context("writing to rustfmt")?;
    if !output.status.success() {
        bail!(
            "rustfmt rejected the generated stub:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}
