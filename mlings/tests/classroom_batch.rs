//! Batch grading end to end on a tiny fixture kit (one exercise, no learner dependencies) with
//! the hostile-submission corpus in `tests/hostile/`: every submission scores exactly what it
//! earns, the batch completes, and the gradebook and feedback are right.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const KIT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/classroom-kit");
const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");
const MAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&entry.path(), &dest);
        } else {
            let bytes = std::fs::read(entry.path()).unwrap();
            if std::fs::read(&dest).ok() != Some(bytes.clone()) {
                std::fs::write(&dest, bytes).unwrap();
            }
        }
    }
}

/// The fixture kit at a fixed place under the target directory, so its builds are cached.
fn fixture_kit() -> PathBuf {
    static ONCE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ONCE.get_or_init(make_fixture_kit).clone()
}

fn make_fixture_kit() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("classroom-kit");
    std::fs::create_dir_all(&root).unwrap();
    copy_dir(Path::new(KIT), &root);
    let manifest = std::fs::read(root.join("Cargo.toml.in")).unwrap();
    if std::fs::read(root.join("Cargo.toml")).ok() != Some(manifest.clone()) {
        std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    }
    std::fs::create_dir_all(root.join("grader")).unwrap();
    copy_dir(&Path::new(MAIN).join("grader"), &root.join("grader"));
    let lock = std::fs::read(Path::new(MAIN).join("Cargo.lock")).unwrap();
    if std::fs::read(root.join("Cargo.lock")).ok().is_none() {
        std::fs::write(root.join("Cargo.lock"), lock).unwrap();
    }
    root
}

fn submission(dir: &Path, name: &str, lib: &str) {
    let src = dir.join(name).join("exercises/01-tiny/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), lib).unwrap();
}

fn batch(kit: &Path, submissions: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", kit)
        .env("CARGO_TARGET_DIR", kit.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .arg("grade-batch")
        .arg(submissions)
        .arg("--out")
        .arg(out)
        .args(["--jobs", "1", "--timeout", "20", "--memory", "768"])
        .args(extra)
        .output()
        .unwrap()
}

fn result(out: &Path, student: &str) -> Value {
    let text = std::fs::read_to_string(out.join("results").join(format!("{student}.json")))
        .unwrap_or_else(|e| panic!("no result for {student}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn outcome(result: &Value) -> (&str, u64) {
    let exercise = &result["exercises"]["01-tiny"];
    let score = exercise["report"]["score"].as_u64().unwrap_or(0);
    (exercise["outcome"].as_str().unwrap(), score)
}

#[test]
fn hostile_corpus_scores_exactly_what_it_earns() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    for entry in std::fs::read_dir(HOSTILE).unwrap() {
        let path = entry.unwrap().path();
        // `hostile/os/` holds the corpus of `classroom_sandbox.rs`, graded without the policy.
        if !path.is_file() {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        submission(&subs, &name, &std::fs::read_to_string(&path).unwrap());
    }
    // Edits the tests, the manifest and adds a build script; its sources are the stub.
    let tampered = subs.join("tampered");
    submission(
        &subs,
        "tampered",
        &std::fs::read_to_string(kit.join("exercises/01-tiny/src/lib.rs")).unwrap(),
    );
    std::fs::create_dir_all(tampered.join("tests/01-tiny")).unwrap();
    std::fs::write(
        tampered.join("tests/01-tiny/hidden.rs"),
        "pub fn checks() -> Vec<()> { vec![] }",
    )
    .unwrap();
    std::fs::write(
        tampered.join("exercises/01-tiny/Cargo.toml"),
        "[package]\nname = \"tiny\"\nbuild = \"build.rs\"\n",
    )
    .unwrap();
    std::fs::write(
        tampered.join("exercises/01-tiny/build.rs"),
        "fn main() { std::process::exit(0) }",
    )
    .unwrap();
    // Only `exercises/*/src` handed in, without the kit around it.
    let bare = subs.join("bare-src/01-tiny/src");
    std::fs::create_dir_all(&bare).unwrap();
    std::fs::copy(Path::new(HOSTILE).join("partial.rs"), bare.join("lib.rs")).unwrap();

    let out = work.path().join("out");
    let run = batch(&kit, &subs, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let expected: &[(&str, &str, u64)] = &[
        ("correct", "graded", 5),
        ("partial", "graded", 3),
        ("bare-src", "graded", 3),
        ("broken", "does_not_compile", 0),
        ("fake_output", "graded", 0),
        ("exit_zero", "refused", 0),
        ("write_report", "refused", 0),
        ("read_hidden", "refused", 0),
        ("fork_bomb", "refused", 0),
        ("infinite_loop", "graded", 2),
        ("huge_output", "graded", 2),
        ("panic_in_drop", "graded", 2),
        // These crash the whole suite; each check is then run alone.
        ("thread_bomb", "graded", 2),
        ("unbounded_alloc", "graded", 0),
        ("stack_overflow", "graded", 0),
        ("tampered", "graded", 0),
    ];
    for (student, kind, score) in expected {
        let got = result(&out, student);
        assert_eq!(outcome(&got), (*kind, *score), "{student}: {got:#}");
    }
    for student in ["unbounded_alloc", "stack_overflow"] {
        let got = result(&out, student);
        assert!(
            got["exercises"]["01-tiny"]["note"].is_string(),
            "{student}: {got:#}"
        );
        assert_eq!(
            got["exercises"]["01-tiny"]["report"]["max_score"], 5,
            "{student}: {got:#}"
        );
    }
    let flags = result(&out, "tampered")["flags"].to_string();
    for file in [
        "tests/01-tiny/hidden.rs",
        "exercises/01-tiny/Cargo.toml",
        "exercises/01-tiny/build.rs",
    ] {
        assert!(flags.contains(file), "{file} not flagged: {flags}");
    }
    let refused = result(&out, "read_hidden")["exercises"]["01-tiny"]["violations"].to_string();
    assert!(
        refused.contains("lib.rs:2") && refused.contains("include_str"),
        "{refused}"
    );

    // The gradebook: a row per student, a column per exercise, step, total and flags.
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let header = gradebook.lines().next().unwrap();
    assert_eq!(
        header,
        "student,01-tiny,01-tiny step 1 add,01-tiny step 2 double,01-tiny status,total,max_total,flags"
    );
    assert_eq!(gradebook.lines().count(), expected.len() + 1);
    assert!(
        gradebook
            .lines()
            .any(|l| l.starts_with("partial,3,3,0,graded,3,5,")),
        "{gradebook}"
    );

    // Feedback: hidden checks show pass or fail and points, never their message.
    let feedback = std::fs::read_to_string(out.join("feedback/partial.md")).unwrap();
    assert!(
        feedback.contains("double_matches_secret_negative (hidden) | fail | 0 / 1"),
        "{feedback}"
    );
    assert!(!feedback.contains("-42"), "{feedback}");
    assert!(feedback.contains("double(4): got 12"), "{feedback}");

    // A re-run skips every unchanged submission; --regrade grades again.
    let before = std::fs::metadata(out.join("results/correct.json"))
        .unwrap()
        .modified()
        .unwrap();
    let again = batch(&kit, &subs, &out, &[]);
    assert!(again.status.success());
    let after = std::fs::metadata(out.join("results/correct.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "an unchanged submission was graded again");
}

#[test]
fn sandbox_alone_catches_exit_zero_without_a_report() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    submission(
        &subs,
        "exit_zero",
        &std::fs::read_to_string(Path::new(HOSTILE).join("exit_zero.rs")).unwrap(),
    );
    let out = work.path().join("out");
    let run = batch(&kit, &subs, &out, &["--no-policy"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // No report: the suite counts as crashed, each check alone crashes too.
    let got = result(&out, "exit_zero");
    assert_eq!(outcome(&got), ("graded", 0), "{got:#}");
    assert!(got["exercises"]["01-tiny"]["note"].is_string(), "{got:#}");
}

#[test]
fn gradescope_writes_results_and_hides_hidden_messages() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let subs = work.path().join("submissions");
    submission(
        &subs,
        "partial",
        &std::fs::read_to_string(Path::new(HOSTILE).join("partial.rs")).unwrap(),
    );
    let results = work.path().join("results/results.json");
    let run = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .env("CARGO_TARGET_DIR", kit.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .arg("gradescope")
        .arg("--submission")
        .arg(subs.join("partial"))
        .arg("--results")
        .arg(&results)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(json["score"], 3);
    assert_eq!(json["max_score"], 5);
    let tests = json["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 4);
    let hidden = tests
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .unwrap()
                .ends_with("double_matches_secret_negative")
        })
        .unwrap();
    assert_eq!(hidden["output"], "failed");
    assert_eq!(hidden["visibility"], "after_published");
    for key in ["name", "score", "max_score", "output", "visibility"] {
        assert!(tests.iter().all(|t| !t[key].is_null()), "{key}");
    }

    let zip_path = work.path().join("autograder.zip");
    let made = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .arg("gradescope-bundle")
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let bytes = std::fs::read(&zip_path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for name in [
        "setup.sh",
        "run_autograder",
        "kit/Cargo.toml",
        "kit/exercises/01-tiny/src/lib.rs",
    ] {
        assert!(text.contains(name), "{name} missing from the bundle");
    }
    assert!(
        !text.contains("kit/target/"),
        "the bundle holds build products"
    );
}
