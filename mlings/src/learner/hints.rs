//! Tiered hints, kept out of the code in each step of the exercise's manifest (the learner's
//! generated copy, `exercises/NN-topic/exercise.toml`; see [`crate::manifest`]):
//!
//! ```toml
//! [[step]]
//! number = 1
//! name = "metrics"
//! points = 12
//! files = ["src/metrics.rs"]   # what `mlings reset 1 --step 1` restores
//! near_solution_file = "src/metrics.rs"   # optional: where the near-solution compiles
//! nudge = "What does 'mean' squared error average over?"
//! method = "Subtract, square, sum, divide by n."
//! near_solution = "let d = &y_true - &y_pred; d.dot(&d) / n as f64"
//! ```
//!
//! With `near_solution_file`, the near-solution is Rust code that `mlings verify` compiles and grades
//! in that file of the stub (see [`crate::near_solution`]); a list of files,
//! `near_solution_file = ["src/mdp.rs", "src/gridworld.rs"]`, heads each file's part of the
//! near-solution with a line naming it, `// src/gridworld.rs`. The near-solution tier names its
//! files.
//!
//! `mlings hint` reveals one tier more each time — a nudge, then the method, then a near-solution —
//! and shows the tiers already revealed again.

use anyhow::{Result, bail};

use crate::cargo::{self, Outcome, Target};
use crate::kit::{Exercise, Kit};
use crate::learner::state::{self, State};
use crate::manifest::{Manifest, Step};
use crate::show::Paint;

/// The names of the tiers, in the order they are revealed.
pub const TIER_NAMES: [&str; 3] = ["nudge", "method", "near-solution"];

/// The steps of an exercise with their hints, as the learner's copy of its manifest gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// One entry per step.
    pub step: Vec<Step>,
}

impl Hints {
    /// Reads `exercises/NN-topic/exercise.toml`; an exercise without one has no hints.
    pub fn load(kit: &Kit, exercise: &Exercise) -> Result<Hints> {
        Ok(Hints {
            step: Manifest::of_learner(kit, exercise)?
                .map(|m| m.step)
                .unwrap_or_default(),
        })
    }

    /// The hints of step `number`.
    pub fn step(&self, number: u32) -> Option<&Step> {
        self.step.iter().find(|s| s.number == number)
    }
}

/// Reveals one more tier of `step`'s hints (up to all three) and returns the lines to show: every
/// tier revealed so far, the newest last.
pub fn reveal(paint: Paint, state: &mut State, exercise: &str, hints: &Step) -> Vec<String> {
    let before = state.hints_shown(exercise, hints.number);
    let now = (before + 1).min(3);
    state.set_hints_shown(exercise, hints.number, now);
    let mut lines = vec![paint.strong(&format!(
        "Hints for {exercise}, step {} {} ({now} of 3):",
        hints.number, hints.name
    ))];
    let files = hints.near_solution_files();
    for (tier, text) in hints.tiers().iter().enumerate().take(now as usize) {
        let label = match tier {
            2 if !files.is_empty() => format!(
                "{}. {}, in {}:",
                tier + 1,
                TIER_NAMES[tier],
                files.join(" and ")
            ),
            _ => format!("{}. {}:", tier + 1, TIER_NAMES[tier]),
        };
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
    use crate::manifest::NearSolutionFiles;

    fn step() -> Step {
        Step {
            number: 1,
            name: "metrics".to_owned(),
            points: 3,
            files: Vec::new(),
            near_solution_file: None,
            nudge: "look".to_owned(),
            method: "do".to_owned(),
            near_solution: "almost".to_owned(),
        }
    }

    #[test]
    fn tiers_are_revealed_one_at_a_time_and_remembered() {
        let step = step();
        let mut state = State::default();
        let paint = Paint::stdout();
        let first = reveal(paint, &mut state, "01-a", &step).join("\n");
        assert!(first.contains("look") && !first.contains("do\n") && !first.contains("almost"));
        let second = reveal(paint, &mut state, "01-a", &step).join("\n");
        assert!(second.contains("look") && second.contains("do") && !second.contains("almost"));
        let third = reveal(paint, &mut state, "01-a", &step).join("\n");
        assert!(third.contains("almost"));
        let fourth = reveal(paint, &mut state, "01-a", &step).join("\n");
        assert!(fourth.contains("last hint"));
        assert_eq!(state.hints_shown("01-a", 1), 3);
    }

    #[test]
    fn the_near_solution_tier_names_its_files() {
        let mut step = step();
        step.near_solution_file = Some(NearSolutionFiles::Several(vec![
            "src/mdp.rs".to_owned(),
            "src/gridworld.rs".to_owned(),
        ]));
        let mut state = State::default();
        state.set_hints_shown("01-a", 1, 2);
        let shown = reveal(Paint::stdout(), &mut state, "01-a", &step).join("\n");
        assert!(
            shown.contains("near-solution, in src/mdp.rs and src/gridworld.rs:"),
            "{shown}"
        );
    }
}
