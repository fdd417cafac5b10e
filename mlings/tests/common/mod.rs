//! Helpers shared by the classroom tests: a tiny fixture kit (one exercise, no learner
//! dependencies) built once under the target directory, submissions, and batch runs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub const KIT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/classroom-kit");
pub const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");
pub const MAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

pub fn copy_dir(from: &Path, to: &Path) {
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
pub fn fixture_kit() -> PathBuf {
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

pub fn submission(dir: &Path, name: &str, lib: &str) {
    let src = dir.join(name).join("exercises/01-tiny/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), lib).unwrap();
}

pub fn batch(kit: &Path, submissions: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
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

pub fn result(out: &Path, student: &str) -> Value {
    // By the name inside: a result's file name is the student's made safe, not always the same.
    for entry in std::fs::read_dir(out.join("results")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        if value["student"] == student {
            return value;
        }
    }
    panic!("no result for {student}")
}

pub fn outcome(result: &Value) -> (&str, u64) {
    let exercise = &result["exercises"]["01-tiny"];
    let score = exercise["report"]["score"].as_u64().unwrap_or(0);
    (exercise["outcome"].as_str().unwrap(), score)
}
