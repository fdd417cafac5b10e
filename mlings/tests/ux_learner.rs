//! The learner's commands (`hint`, `reset`, `solution`) and the progress state, on a tiny fixture
//! kit in a temporary directory: no exercise of the real kit is read.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const SOLUTION: &str = "//! Fixture.\n\n/// Adds one.\npub fn add_one(x: u32) -> u32 {\n    // BEGIN SOLUTION\n    x + 1\n    // STUB\n    // todo!(\"add one to {x}\")\n    // END SOLUTION\n}\n";
const STUB: &str = "//! Fixture.\n\n/// Adds one.\npub fn add_one(x: u32) -> u32 {\n    todo!(\"add one to {x}\")\n}\n";
const HINTS: &str = r#"
title = "Fixture"
package = "fixture"
summary = "adding one."

[[step]]
number = 1
name = "adding"
points = 1
nudge = "NUDGE-TEXT"
method = "METHOD-TEXT"
near_solution = "NEAR-TEXT"
files = ["src/lib.rs"]
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A kit with one exercise `01-fixture` (crate `fixture`), its solution and its hints.
fn kit() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"exercises/01-fixture\", \"solutions/01-fixture\"]\n",
    );
    write(
        &root.join("exercises/01-fixture/Cargo.toml"),
        "[package]\nname = \"fixture\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    write(&root.join("exercises/01-fixture/src/lib.rs"), STUB);
    write(&root.join("exercises/01-fixture/exercise.toml"), HINTS);
    write(
        &root.join("solutions/01-fixture/Cargo.toml"),
        "[package]\nname = \"fixture-solution\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    write(&root.join("solutions/01-fixture/src/lib.rs"), SOLUTION);
    dir
}

fn mlings(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlings"))
        .args(args)
        .current_dir(root)
        .env("MLINGS_ROOT", root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn hints_are_revealed_tier_by_tier_and_remembered() {
    let kit = kit();
    let first = mlings(kit.path(), &["hint", "1", "1"]);
    assert!(first.status.success(), "{first:?}");
    let text = stdout(&first);
    assert!(text.contains("NUDGE-TEXT") && !text.contains("METHOD-TEXT"));

    let second = stdout(&mlings(kit.path(), &["hint", "fixture", "1"]));
    assert!(second.contains("NUDGE-TEXT") && second.contains("METHOD-TEXT"));
    assert!(!second.contains("NEAR-TEXT"));

    let third = stdout(&mlings(kit.path(), &["hint", "01-fixture", "1"]));
    assert!(third.contains("NEAR-TEXT"));
    let state = std::fs::read_to_string(kit.path().join(".mlings/state.json")).unwrap();
    assert!(state.contains("01-fixture"), "{state}");

    let missing = mlings(kit.path(), &["hint", "1", "9"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no hints for step 9"));
}

#[test]
fn a_corrupt_state_is_rebuilt_with_a_notice() {
    let kit = kit();
    write(&kit.path().join(".mlings/state.json"), "{{{ not json");
    let output = mlings(kit.path(), &["hint", "1", "1"]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("rebuilt"));
    assert!(kit.path().join(".mlings/state.json.corrupt").exists());
    let state = std::fs::read_to_string(kit.path().join(".mlings/state.json")).unwrap();
    assert!(state.contains("\"hints\""), "{state}");
}

#[test]
fn reset_backs_up_the_learners_work_and_restores_the_stub() {
    let kit = kit();
    let lib = kit.path().join("exercises/01-fixture/src/lib.rs");
    let work = STUB.replace("todo!(\"add one to {x}\")", "x + 2 // my attempt");
    std::fs::write(&lib, &work).unwrap();

    // Without --yes and without a terminal to ask on: refused, nothing touched.
    let refused = mlings(kit.path(), &["reset", "1"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), work);

    let done = mlings(kit.path(), &["reset", "1", "--step", "1", "--yes"]);
    assert!(done.status.success(), "{done:?}");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), STUB);
    let backups: Vec<_> = std::fs::read_dir(kit.path().join(".mlings/backups"))
        .unwrap()
        .collect();
    assert_eq!(backups.len(), 1);
    let saved = backups[0]
        .as_ref()
        .unwrap()
        .path()
        .join("exercises/01-fixture/src/lib.rs");
    assert_eq!(std::fs::read_to_string(saved).unwrap(), work);

    let again = stdout(&mlings(kit.path(), &["reset", "1", "--yes"]));
    assert!(again.contains("already pristine"), "{again}");
}

#[test]
fn reset_works_from_a_pristine_copy_without_solutions() {
    let kit = kit();
    std::fs::remove_dir_all(kit.path().join("solutions")).unwrap();
    write(
        &kit.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"exercises/01-fixture\"]\n",
    );
    let lib = kit.path().join("exercises/01-fixture/src/lib.rs");
    std::fs::write(&lib, "pub fn add_one(x: u32) -> u32 { x }\n").unwrap();
    let missing = mlings(kit.path(), &["reset", "1", "--yes"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no pristine copy"));

    write(
        &kit.path().join("exercises/.pristine/01-fixture/src/lib.rs"),
        STUB,
    );
    let done = mlings(kit.path(), &["reset", "1", "--yes"]);
    assert!(done.status.success(), "{done:?}");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), STUB);
}

#[test]
fn the_solution_is_shown_only_once_the_exercise_passes() {
    let kit = kit();
    // Not graded and no suite: grading finds no passing report, so the solution stays hidden.
    let refused = mlings(kit.path(), &["solution", "1"]);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(!stdout(&refused).contains("x + 1"));

    let forced = mlings(kit.path(), &["solution", "1", "--force"]);
    assert!(forced.status.success(), "{forced:?}");
    let text = stdout(&forced);
    assert!(text.contains("warning") && text.contains("x + 1"), "{text}");

    // A full best score in the progress state opens it without grading.
    write(
        &kit.path().join(".mlings/state.json"),
        r#"{"best": {"01-fixture": {"score": 3, "max_score": 3, "at": "2026-01-01T00:00:00Z"}}}"#,
    );
    let shown = mlings(kit.path(), &["solution", "1"]);
    assert!(shown.status.success(), "{shown:?}");
    assert!(!stdout(&shown).contains("warning") && stdout(&shown).contains("x + 1"));
}
