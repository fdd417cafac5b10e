//! The student release of a fixture kit: no hidden check, no hidden fixture, no solution; it
//! builds from a fresh copy and its public checks run.

use std::path::Path;
use std::process::Command;

const KIT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/classroom-kit");
const MAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn all_text(dir: &Path, into: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                all_text(&entry.path(), into);
            }
        } else {
            into.push_str(&entry.path().display().to_string());
            into.push_str(&String::from_utf8_lossy(
                &std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
}

#[test]
fn release_has_no_hidden_check_and_its_public_checks_run() {
    let work = tempfile::tempdir().unwrap();
    let kit = work.path().join("kit");
    copy_dir(Path::new(KIT), &kit);
    std::fs::rename(kit.join("Cargo.toml.in"), kit.join("Cargo.toml")).unwrap();
    copy_dir(&Path::new(MAIN).join("grader"), &kit.join("grader"));
    std::fs::copy(Path::new(MAIN).join("Cargo.lock"), kit.join("Cargo.lock")).unwrap();
    // A solution the release must leave out, with its stub regions.
    copy_dir(
        &kit.join("exercises/01-tiny"),
        &kit.join("solutions/01-tiny"),
    );
    std::fs::write(kit.join("solutions/01-tiny/src/lib.rs"), SOLUTION).unwrap();
    // The author tried the exercise in the kit: the release must ship the stub, not this.
    std::fs::write(kit.join("exercises/01-tiny/src/lib.rs"), ANSWERED).unwrap();
    // A mistake corpus, which names hidden checks: authors' material, never shipped.
    std::fs::create_dir_all(kit.join("corpus/01-tiny")).unwrap();
    std::fs::write(
        kit.join("corpus/01-tiny/corpus.toml"),
        "[[mistake]]\nname = \"tiny-adds-one-too-many\"\nabout = \"adds one too many\"\n\
         check = \"add_matches_secret_sum\"\nhint = \"one\"\n",
    )
    .unwrap();

    let mlings = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mlings"))
            .env("MLINGS_ROOT", &kit)
            .args(args)
            .output()
            .unwrap()
    };
    let out = work.path().join("release");
    std::fs::create_dir_all(out.join("x")).unwrap();
    let refused = mlings(&["release", out.to_str().unwrap()]);
    assert!(!refused.status.success(), "wrote into a non-empty folder");
    std::fs::remove_dir(out.join("x")).unwrap();
    let made = mlings(&["release", out.to_str().unwrap()]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let mut text = String::new();
    all_text(&out, &mut text);
    for secret in [
        "add_matches_secret_sum",
        "double_matches_secret_negative",
        "8675309",
        "hidden.rs",
        "secret-sum",
        "solutions/",
        "corpus.toml",
        "tiny-adds-one-too-many",
    ] {
        assert!(!text.contains(secret), "the release contains `{secret}`");
    }
    assert!(text.contains("add_small_numbers"));
    assert!(
        !text.contains("AUTHOR'S ANSWER"),
        "the release ships the kit's working copy"
    );

    // The learner's sources and their pristine copy are the stubs the solution generates.
    let stub = std::fs::read_to_string(out.join("exercises/01-tiny/src/lib.rs")).unwrap();
    assert!(stub.contains("todo!(\"add {a} and {b}\")"), "{stub}");
    assert!(!stub.contains("a + b"), "{stub}");
    let pristine = out.join("exercises/.pristine/01-tiny/src/lib.rs");
    assert_eq!(std::fs::read_to_string(&pristine).unwrap(), stub);
    assert!(out.join(".ci/run").is_file());
    assert!(!out.join("data/secret-sum.txt").exists());

    // `mlings reset` works in the release: it restores the pristine stub after a backup.
    let release_lib = out.join("exercises/01-tiny/src/lib.rs");
    std::fs::write(&release_lib, ANSWERED).unwrap();
    let reset = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &out)
        .args(["reset", "1", "--yes"])
        .output()
        .unwrap();
    assert!(
        reset.status.success(),
        "{}{}",
        String::from_utf8_lossy(&reset.stdout),
        String::from_utf8_lossy(&reset.stderr)
    );
    assert_eq!(std::fs::read_to_string(&release_lib).unwrap(), stub);
    assert!(out.join(".mlings/backups").is_dir());
    std::fs::remove_dir_all(out.join(".mlings")).unwrap();

    // A fresh copy builds and runs its public checks (on the stub: not implemented).
    let fresh = work.path().join("fresh");
    copy_dir(&out, &fresh);
    let report = work.path().join("report.json");
    let run = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(&fresh)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("classroom-release-target"),
        )
        .env("CARGO_NET_OFFLINE", "true")
        .env("MLINGS_REPORT", &report)
        .args(["test", "-q", "-p", "tiny", "--test", "grade"])
        .output()
        .unwrap();
    let report = std::fs::read_to_string(&report)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&run.stderr)));
    // The harness streams its report, one record per line.
    let report = mlings_grader::read_stream(&report)
        .unwrap()
        .into_report()
        .expect("the run reached its end");
    let names: Vec<&str> = report.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["add_small_numbers", "double_small_numbers"]);
    assert!(
        report
            .checks
            .iter()
            .all(|c| c.status == mlings_grader::Status::NotImplemented)
    );
}

/// The tiny exercise's solution, with the regions its stub is generated from.
const SOLUTION: &str = r#"//! A tiny exercise for the classroom tests.

/// The sum of `a` and `b`.
pub fn add(a: i64, b: i64) -> i64 {
    // BEGIN SOLUTION
    a + b
    // STUB
    // todo!("add {a} and {b}")
    // END SOLUTION
}

/// Twice `x`.
pub fn double(x: i64) -> i64 {
    // BEGIN SOLUTION
    2 * x
    // STUB
    // todo!("double {x}")
    // END SOLUTION
}
"#;

/// The kit's working copy after its author tried the exercise.
const ANSWERED: &str = r#"//! A tiny exercise for the classroom tests.

/// The sum of `a` and `b`.
pub fn add(a: i64, b: i64) -> i64 {
    // AUTHOR'S ANSWER
    a + b
}

/// Twice `x`.
pub fn double(x: i64) -> i64 {
    x + x
}
"#;
