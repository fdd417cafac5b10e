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
    // A solution the release must leave out.
    copy_dir(
        &kit.join("exercises/01-tiny"),
        &kit.join("solutions/01-tiny"),
    );
    // A mistake corpus, which names hidden checks: authors' material, never shipped.
    std::fs::create_dir_all(kit.join("corpus/01-tiny")).unwrap();
    std::fs::write(
        kit.join("corpus/01-tiny/corpus.toml"),
        "[[mistake]]\nname = \"off-by-one\"\nabout = \"adds one too many\"\n\
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
        "off-by-one",
    ] {
        assert!(!text.contains(secret), "the release contains `{secret}`");
    }
    assert!(text.contains("add_small_numbers"));

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
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["add_small_numbers", "double_small_numbers"]);
    assert!(
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "not_implemented")
    );
}
