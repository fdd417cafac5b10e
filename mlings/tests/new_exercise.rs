//! `mlings new` in a copy of a kit: the scaffolded exercise is graded (stub 0, solution full
//! marks), plotted, released, batch-graded and its bench target builds, with no edit outside its own
//! folders.
//!
//! The kit is the real kit's workspace manifest, grader and bench helpers without its exercises,
//! so that only the new exercise compiles; builds share the target directory the tests run with
//! (`CARGO_TARGET_DIR`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NAME: &str = "09-scratch-topic";

/// The target directory the kit's builds share: the one these tests run with.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(common::MAIN).join("target"))
}

/// A fresh kit without exercises: the grader, the bench helpers and the real kit's workspace
/// manifest (members by glob).
fn kit() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-exercise-kit");
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    for dir in ["grader", "exercises", "solutions"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    let main = Path::new(common::MAIN);
    common::copy_dir(&main.join("grader"), &root.join("grader"));
    std::fs::copy(main.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let manifest = std::fs::read_to_string(main.join("Cargo.toml")).unwrap();
    let manifest: String = manifest
        .lines()
        .filter(|l| !l.contains("path = \"exercises/") && !l.contains("path = \"solutions/"))
        .filter(|l| !l.starts_with("default-members"))
        .map(|l| l.replace("\"mlings\", ", "") + "\n")
        .collect();
    assert!(
        manifest.contains("\"exercises/*\", \"solutions/*\""),
        "{manifest}"
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir_all(root.join("benches")).unwrap();
    std::fs::copy(main.join("benches/lib.rs"), root.join("benches/lib.rs")).unwrap();
    std::fs::copy(
        main.join("benches/Cargo.toml"),
        root.join("benches/Cargo.toml"),
    )
    .unwrap();
    let font = "mlings/assets/fonts/DejaVuSans.ttf";
    std::fs::create_dir_all(root.join(font).parent().unwrap()).unwrap();
    std::fs::copy(main.join(font), root.join(font)).unwrap();
    root
}

fn mlings(kit: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", kit)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn succeeds(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Every file under `root` but build products: path → content.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn score(report: &Path) -> (u64, u64) {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let exercise = json["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exercise"] == NAME)
        .unwrap();
    (
        exercise["score"].as_u64().unwrap(),
        exercise["max_score"].as_u64().unwrap(),
    )
}

#[test]
fn a_new_exercise_is_graded_plotted_released_batch_graded_and_benched_with_no_edit_elsewhere() {
    let kit = kit();
    let work = tempfile::tempdir().unwrap();
    let before = snapshot(&kit);

    // Refusals come first and write nothing.
    for bad in ["9-x", "09-Scratch", "09-tiny-error-", "10-mlings"] {
        let refused = mlings(&kit, &["new", bad]);
        assert_eq!(refused.status.code(), Some(2), "{bad}");
    }
    assert_eq!(snapshot(&kit), before);

    succeeds(&mlings(&kit, &["new", NAME]));
    let again = mlings(&kit, &["new", NAME]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // Zero edits outside the exercise's folders but what tools generate or record.
    let after = snapshot(&kit);
    let own = ["solutions/", "exercises/", "tests/", "corpus/"].map(|top| format!("{top}{NAME}/"));
    let outside: Vec<&String> = after
        .keys()
        .filter(|path| before.get(*path) != after.get(*path))
        .filter(|path| !own.iter().any(|o| path.starts_with(o.as_str())))
        .collect();
    assert_eq!(
        outside,
        ["exercises/.stubs.sha256"],
        "edited outside the exercise"
    );
    for file in [
        "solutions/09-scratch-topic/exercise.toml",
        "solutions/09-scratch-topic/benches/scratch_topic.rs",
        "exercises/09-scratch-topic/exercise.toml",
        "exercises/09-scratch-topic/src/scale.rs",
        "tests/09-scratch-topic/hidden.rs",
        "tests/09-scratch-topic/plot.rs",
        "corpus/09-scratch-topic/corpus.toml",
    ] {
        assert!(after.contains_key(file), "{file} missing");
    }
    succeeds(&mlings(&kit, &["sync", "--check"]));
    let fmt = Command::new(env!("CARGO"))
        .current_dir(&kit)
        .args(["fmt", "--all", "--check"])
        .output()
        .unwrap();
    assert!(
        fmt.status.success(),
        "{}",
        String::from_utf8_lossy(&fmt.stdout)
    );

    // Graded: the stub scores 0, the solution full marks.
    let stub = work.path().join("stub.json");
    let graded = mlings(&kit, &["grade", "9", "--json", stub.to_str().unwrap()]);
    assert_eq!(graded.status.code(), Some(1), "{graded:?}");
    assert_eq!(score(&stub), (0, 5));
    let reference = work.path().join("reference.json");
    succeeds(&mlings(
        &kit,
        &[
            "grade",
            "9",
            "--reference",
            "--json",
            reference.to_str().unwrap(),
        ],
    ));
    assert_eq!(score(&reference), (5, 5));

    // Plotted.
    let plots = work.path().join("plots");
    succeeds(&mlings(
        &kit,
        &["plot", "9", "--reference", "--out", plots.to_str().unwrap()],
    ));
    assert!(plots.join("scale.svg").is_file() && plots.join("scale.png").is_file());

    // Released: the stub and the public check, never the hidden one or the solution.
    let release = work.path().join("release");
    succeeds(&mlings(&kit, &["release", release.to_str().unwrap()]));
    let stub_src =
        std::fs::read_to_string(release.join("exercises/09-scratch-topic/src/scale.rs")).unwrap();
    assert!(stub_src.contains("todo!(") && !stub_src.contains("x.mapv"));
    assert!(release.join("tests/09-scratch-topic/public.rs").is_file());
    assert!(
        release
            .join("exercises/09-scratch-topic/exercise.toml")
            .is_file()
    );
    for (path, content) in snapshot(&release) {
        let text = String::from_utf8_lossy(&content);
        assert!(
            !path.contains("hidden") && !path.starts_with("solutions"),
            "{path} shipped"
        );
        assert!(
            !text.contains("scale_refuses_a_nan_factor"),
            "{path} names the hidden check"
        );
    }

    // Batch-graded: a student with the solution's code gets full marks, one with the stub 0.
    let submissions = work.path().join("submissions");
    let solution_src = kit.join("solutions/09-scratch-topic/src");
    for (student, from) in [
        ("ada", solution_src),
        ("bob", kit.join("exercises/09-scratch-topic/src")),
    ] {
        let src = submissions
            .join(student)
            .join("exercises/09-scratch-topic/src");
        std::fs::create_dir_all(&src).unwrap();
        common::copy_dir(&from, &src);
    }
    let out = work.path().join("batch");
    let batch = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .args(["grade-batch", submissions.to_str().unwrap(), "--out"])
        .arg(&out)
        .args(["--jobs", "1", "--timeout", "30", "--memory", "1024"])
        .output()
        .unwrap();
    succeeds(&batch);
    let exercise_score = |student: &str| {
        let result = common::result(&out, student);
        result["exercises"][NAME]["report"]["score"].as_u64()
    };
    assert_eq!(exercise_score("ada"), Some(5));
    assert_eq!(exercise_score("bob").unwrap_or(0), 0);

    // Benched: its bench target builds. Built in the test profile, whose criterion the kit's
    // `cargo test` has already compiled: the bench profile would compile every dependency again
    // for the same proof.
    let bench = Command::new(env!("CARGO"))
        .current_dir(&kit)
        .env("CARGO_TARGET_DIR", target_dir())
        .args([
            "test",
            "--no-run",
            "--offline",
            "-p",
            "scratch-topic-solution",
            "--bench",
            "scratch_topic",
        ])
        .output()
        .unwrap();
    assert!(
        bench.status.success(),
        "{}",
        String::from_utf8_lossy(&bench.stderr)
    );

    // Synced after a solution file is removed: its stub goes too when it is as generated; when the
    // learner edited it, `sync` refuses, and `--force` backs it up before removing it.
    let solution_file = kit.join("solutions/09-scratch-topic/src/scale.rs");
    let stub_file = kit.join("exercises/09-scratch-topic/src/scale.rs");
    let solution = std::fs::read_to_string(&solution_file).unwrap();
    std::fs::remove_file(&solution_file).unwrap();
    let check = mlings(&kit, &["sync", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert!(
        String::from_utf8_lossy(&check.stdout)
            .contains("out of sync: exercises/09-scratch-topic/src/scale.rs"),
        "{check:?}"
    );
    succeeds(&mlings(&kit, &["sync"]));
    assert!(!stub_file.exists(), "an unchanged orphan stub stays");
    succeeds(&mlings(&kit, &["sync", "--check"]));

    std::fs::write(&solution_file, &solution).unwrap();
    succeeds(&mlings(&kit, &["sync"]));
    let learner = "// the learner's own work\n";
    std::fs::write(&stub_file, learner).unwrap();
    std::fs::remove_file(&solution_file).unwrap();
    let refused = mlings(&kit, &["sync"]);
    assert!(!refused.status.success(), "{refused:?}");
    assert_eq!(std::fs::read_to_string(&stub_file).unwrap(), learner);
    succeeds(&mlings(&kit, &["sync", "--force"]));
    assert!(!stub_file.exists());
    let backups: Vec<_> = snapshot(&kit.join(".mlings/backups"))
        .into_iter()
        .filter(|(path, _)| path.ends_with("exercises/09-scratch-topic/src/scale.rs"))
        .collect();
    assert_eq!(backups.len(), 1, "backed up once");
    assert_eq!(backups[0].1, learner.as_bytes());
}
