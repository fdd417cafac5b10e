//! Tiered hints, kept out of the code in `exercises/NN-topic/hints.toml`:
//!
//! ```toml
//! [[step]]
//! number = 1
//! name = "metrics"
//! nudge = "What does 'mean' squared error average over?"
//! method = "Subtract, square, sum, divide by n."
//! near_solution = "let d = &y_true - &y_pred; d.dot(&d) / n as f64"
//! files = ["src/metrics.rs"]   # optional: what `mlings reset 1 --step 1` restores
//! near_solution_file = "src/metrics.rs"   # optional: where the near-solution compiles
//! ```
//!
//! With `near_solution_file`, the near-solution is Rust code that `mlings verify` compiles in that
//! file of the stub (see [`crate::near_solution`]).
//!
//! `mlings hint` reveals one tier more each time — a nudge, then the method, then a near-solution —
//! and shows the tiers already revealed again.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cargo::{self, Outcome, Target};
use crate::kit::{Exercise, Kit};
use crate::learner::state::{self, State};
use crate::show::Paint;

/// The name of each exercise's hint file, in its crate directory.
pub const HINTS_FILE: &str = "hints.toml";

/// The names of the tiers, in the order they are revealed.
pub const TIER_NAMES: [&str; 3] = ["nudge", "method", "near-solution"];

/// The hints of one step.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepHints {
    /// The step's number, as in the suite's `STEPS`.
    pub number: u32,
    /// The step's name, as in the suite's `STEPS`.
    pub name: String,
    /// Tier 1: where to look.
    pub nudge: String,
    /// Tier 2: how to do it.
    pub method: String,
    /// Tier 3: all but the code.
    pub near_solution: String,
    /// The source files of the step, relative to the crate (`src/dense.rs`): what
    /// `mlings reset EXERCISE --step N` restores.
    #[serde(default)]
    pub files: Vec<String>,
    /// The source file, relative to the crate, that `near_solution` is code for: its functions
    /// replace the stub's functions of the same names there, and `mlings verify` compiles the
    /// result. Without it, the near-solution is prose and is not compiled.
    #[serde(default)]
    pub near_solution_file: Option<String>,
}

impl StepHints {
    /// The three tiers, in order.
    pub fn tiers(&self) -> [&str; 3] {
        [&self.nudge, &self.method, &self.near_solution]
    }
}

/// An exercise's hint file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hints {
    /// One entry per step.
    #[serde(default)]
    pub step: Vec<StepHints>,
}

impl Hints {
    /// Reads `exercises/NN-topic/hints.toml`; an exercise without one has no hints.
    pub fn load(kit: &Kit, exercise: &Exercise) -> Result<Hints> {
        Self::load_from(&kit.root.join(exercise.path()).join(HINTS_FILE))
    }

    /// Reads a hint file; a missing one gives no hints.
    pub fn load_from(path: &Path) -> Result<Hints> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Hints::default()),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// The hints of step `number`.
    pub fn step(&self, number: u32) -> Option<&StepHints> {
        self.step.iter().find(|s| s.number == number)
    }
}

/// Reveals one more tier of `step`'s hints (up to all three) and returns the lines to show: every
/// tier revealed so far, the newest last.
pub fn reveal(paint: Paint, state: &mut State, exercise: &str, hints: &StepHints) -> Vec<String> {
    let before = state.hints_shown(exercise, hints.number);
    let now = (before + 1).min(3);
    state.set_hints_shown(exercise, hints.number, now);
    let mut lines = vec![paint.strong(&format!(
        "Hints for {exercise}, step {} {} ({now} of 3):",
        hints.number, hints.name
    ))];
    for (tier, text) in hints.tiers().iter().enumerate().take(now as usize) {
        let label = format!("{}. {}:", tier + 1, TIER_NAMES[tier]);
        lines.push(format!("  {}", paint.todo(&label)));
        lines.extend(text.trim_end().lines().map(|l| format!("     {l}")));
    }
    if before == 3 {
        lines.push(paint.dim("  That was the last hint for this step; `mlings solution` shows the reference once the exercise passes."));
    } else if now < 3 {
        lines.push(paint.dim("  Run `mlings hint` again (h in watch mode) for the next tier."));
    }
    lines
}

/// The step whose hints to show when none is named: the first step with a failing check.
pub fn first_failing_step(outcome: &Outcome) -> Option<u32> {
    match outcome {
        Outcome::Graded(report) => report.first_failure().map(|c| c.step),
        // Code that does not compile or crashes: the first step is as good a start as any.
        _ => Some(1),
    }
}

/// The exercise a learner works on when none is named: the state's current one if it is not fully
/// passed yet, else the first exercise whose best score is not full.
pub fn current_exercise(kit: &Kit, state: &State) -> Result<Exercise> {
    let exercises = kit.exercises()?;
    if exercises.is_empty() {
        bail!("this kit has no exercises");
    }
    if let Some(current) = &state.current {
        if let Some(exercise) = exercises.iter().find(|e| &e.dir == current) {
            return Ok(exercise.clone());
        }
    }
    Ok(exercises
        .iter()
        .find(|e| !state.best.get(&e.dir).is_some_and(|b| b.full()))
        .unwrap_or(&exercises[0])
        .clone())
}

/// `mlings hint [EXERCISE] [STEP]`.
pub fn run(kit: &Kit, exercise: Option<&str>, step: Option<u32>) -> Result<bool> {
    let paint = Paint::stdout();
    let mut state = State::load(kit);
    let exercise = match exercise {
        Some(name) => kit.find(name)?,
        None => current_exercise(kit, &state)?,
    };
    let hints = Hints::load(kit, &exercise)?;
    if hints.step.is_empty() {
        println!("{} has no hints yet.", exercise.dir);
        return Ok(true);
    }
    let number = match step {
        Some(number) => number,
        None => {
            eprintln!(
                "{}",
                paint.dim(&format!(
                    "grading {} to find the first failing step…",
                    exercise.dir
                ))
            );
            let outcome = cargo::grade(kit, &exercise, Target::Learner, paint.enabled())?;
            state::record_outcomes(
                kit,
                std::slice::from_ref(&exercise),
                std::slice::from_ref(&outcome),
            );
            // Re-read: recording may have changed the file.
            state = State::load(kit);
            match first_failing_step(&outcome) {
                Some(number) => number,
                None => {
                    println!(
                        "{} passes every check: name a step (`mlings hint {} STEP`) to read its hints.",
                        exercise.dir,
                        exercise.number().unwrap_or(0)
                    );
                    return Ok(true);
                }
            }
        }
    };
    let Some(step_hints) = hints.step(number) else {
        let known: Vec<String> = hints.step.iter().map(|s| s.number.to_string()).collect();
        bail!(
            "{} has no hints for step {number}; its steps with hints are {}",
            exercise.dir,
            known.join(", ")
        );
    };
    for line in reveal(paint, &mut state, &exercise.dir, step_hints) {
        println!("{line}");
    }
    state.save(kit)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[step]]
number = 1
name = "metrics"
nudge = "look"
method = "do"
near_solution = "almost"
"#;

    #[test]
    fn tiers_are_revealed_one_at_a_time_and_remembered() {
        let hints: Hints = toml::from_str(SAMPLE).unwrap();
        let step = hints.step(1).unwrap();
        let mut state = State::default();
        let paint = Paint::stdout();
        let first = reveal(paint, &mut state, "01-a", step).join("\n");
        assert!(first.contains("look") && !first.contains("do\n") && !first.contains("almost"));
        let second = reveal(paint, &mut state, "01-a", step).join("\n");
        assert!(second.contains("look") && second.contains("do") && !second.contains("almost"));
        let third = reveal(paint, &mut state, "01-a", step).join("\n");
        assert!(third.contains("almost"));
        let fourth = reveal(paint, &mut state, "01-a", step).join("\n");
        assert!(fourth.contains("last hint"));
        assert_eq!(state.hints_shown("01-a", 1), 3);
    }

    #[test]
    fn a_missing_file_means_no_hints_and_a_bad_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Hints::load_from(&dir.path().join("hints.toml"))
                .unwrap()
                .step
                .is_empty()
        );
        std::fs::write(dir.path().join("hints.toml"), "[[step]]\nnumber = 1\n").unwrap();
        assert!(Hints::load_from(&dir.path().join("hints.toml")).is_err());
    }
}
