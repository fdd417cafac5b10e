//! The learner's progress, kept in `.mlings/state.json`: the current exercise, the hints revealed
//! per exercise and step, and the best score of each exercise with when it was reached.
//!
//! The file is written atomically (a temporary sibling and a rename). A corrupt file is set aside
//! as `state.json.corrupt` and rebuilt with a one-line notice; a missing one simply starts afresh.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::cargo::Outcome;
use crate::fsutil::write_atomic;
use crate::kit::{Exercise, Kit};

/// Where the state lives, relative to the kit root.
pub const STATE_FILE: &str = ".mlings/state.json";

/// The best score an exercise reached, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Best {
    /// Points earned.
    pub score: u32,
    /// Points available when it was earned.
    pub max_score: u32,
    /// When, in RFC 3339.
    pub at: String,
}

impl Best {
    /// Whether every check passed.
    pub fn full(&self) -> bool {
        self.max_score > 0 && self.score == self.max_score
    }
}

/// The learner's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The exercise the learner works on, by directory name.
    pub current: Option<String>,
    /// Hint tiers revealed: exercise directory → step number → tiers shown (1 to 3).
    pub hints: BTreeMap<String, BTreeMap<u32, u8>>,
    /// Best score per exercise directory.
    pub best: BTreeMap<String, Best>,
}

impl State {
    /// The state file of `kit`.
    pub fn path(kit: &Kit) -> PathBuf {
        kit.root.join(STATE_FILE)
    }

    /// Reads the state of `kit`; a missing file gives a fresh state, a corrupt one is set aside
    /// and rebuilt with a notice on stderr. Never fails.
    pub fn load(kit: &Kit) -> State {
        Self::load_from(&Self::path(kit))
    }

    /// Reads the state at `path`, as [`State::load`] does.
    pub fn load_from(path: &Path) -> State {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return State::default(),
            Err(err) => {
                eprintln!(
                    "mlings: cannot read {} ({err}); starting a fresh progress file",
                    path.display()
                );
                return State::default();
            }
        };
        match serde_json::from_str(&text) {
            Ok(state) => state,
            Err(err) => {
                let aside = path.with_extension("json.corrupt");
                let _ = std::fs::rename(path, &aside);
                eprintln!(
                    "mlings: {} was unreadable ({err}); rebuilt it (the old one is {})",
                    path.display(),
                    aside.display()
                );
                State::default()
            }
        }
    }

    /// Writes the state of `kit` atomically.
    pub fn save(&self, kit: &Kit) -> Result<()> {
        self.save_to(&Self::path(kit))
    }

    /// Writes the state to `path` atomically.
    pub fn save_to(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_atomic(path, serde_json::to_string_pretty(self)?.as_bytes())
    }

    /// Records a graded score if it beats the best so far; returns whether it did.
    pub fn record(&mut self, exercise: &str, score: u32, max_score: u32) -> bool {
        let better = match self.best.get(exercise) {
            None => true,
            // A suite that grew (more points available) resets what "best" means.
            Some(best) => score > best.score || max_score != best.max_score,
        };
        if better {
            self.best.insert(
                exercise.to_owned(),
                Best {
                    score,
                    max_score,
                    at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
                },
            );
        }
        better
    }

    /// Tiers of hints revealed for one step.
    pub fn hints_shown(&self, exercise: &str, step: u32) -> u8 {
        self.hints
            .get(exercise)
            .and_then(|steps| steps.get(&step))
            .copied()
            .unwrap_or(0)
    }

    /// Sets the tiers of hints revealed for one step.
    pub fn set_hints_shown(&mut self, exercise: &str, step: u32, tiers: u8) {
        self.hints
            .entry(exercise.to_owned())
            .or_default()
            .insert(step, tiers);
    }
}

/// Records the best scores of the learner's graded `outcomes` in the state of `kit`.
///
/// Progress is a convenience: a state that cannot be written gives a notice, never an error.
pub fn record_outcomes(kit: &Kit, exercises: &[Exercise], outcomes: &[Outcome]) {
    let mut state = State::load(kit);
    let mut changed = false;
    for (exercise, outcome) in exercises.iter().zip(outcomes) {
        if let Outcome::Graded(report) = outcome {
            changed |= state.record(&exercise.dir, report.score, report.max_score);
        }
    }
    if changed {
        if let Err(err) = state.save(kit) {
            eprintln!("mlings: could not save progress: {err:#}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_gives_a_fresh_state() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            State::load_from(&dir.path().join("state.json")),
            State::default()
        );
    }

    #[test]
    fn a_corrupt_file_is_set_aside_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(State::load_from(&path), State::default());
        assert!(!path.exists());
        assert!(dir.path().join("state.json.corrupt").exists());
        // A wrong shape is just as recoverable.
        std::fs::write(&path, r#"{"best": 3}"#).unwrap();
        assert_eq!(State::load_from(&path), State::default());
    }

    #[test]
    fn a_state_survives_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("state.json");
        let mut state = State {
            current: Some("01-a".into()),
            ..State::default()
        };
        state.set_hints_shown("01-a", 2, 3);
        assert!(state.record("01-a", 5, 10));
        state.save_to(&path).unwrap();
        let back = State::load_from(&path);
        assert_eq!(back, state);
        assert_eq!(back.hints_shown("01-a", 2), 3);
        assert_eq!(back.hints_shown("01-a", 1), 0);
    }

    #[test]
    fn only_a_better_score_replaces_the_best() {
        let mut state = State::default();
        assert!(state.record("01-a", 5, 10));
        assert!(!state.record("01-a", 3, 10));
        assert_eq!(state.best["01-a"].score, 5);
        assert!(state.record("01-a", 10, 10));
        assert!(state.best["01-a"].full());
    }
}
