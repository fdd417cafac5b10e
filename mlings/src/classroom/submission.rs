//! One student's submission: which files are taken (only `exercises/*/src/**/*.rs`), which are
//! flagged as changed and ignored, and the content hash that lets a re-run skip it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use crate::kit::{Exercise, Kit};

/// The largest source file taken from a submission.
const MAX_SOURCE_BYTES: u64 = 1 << 20;
/// Directories never looked into.
const SKIPPED: &[&str] = &["target", ".git", ".mlings", "plots"];

/// The files taken from one submission.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The student: the entry's name.
    pub student: String,
    /// Per exercise directory: its `src/` files, by path relative to `src/`, with their contents.
    /// An exercise the submission does not contain is absent.
    pub sources: BTreeMap<String, BTreeMap<PathBuf, String>>,
    /// Files that differ from the kit and were ignored, and other anomalies.
    pub flags: Vec<String>,
}

impl Submission {
    /// Reads the entry `dir`: a student's copy of the kit, or just its `exercises/`.
    pub fn read(kit: &Kit, exercises: &[Exercise], dir: &Path) -> Result<Submission> {
        let student = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .context("a submission has no name")?;
        let (base, kit_base) = if dir.join("exercises").is_dir() {
            (dir.join("exercises"), kit.root.clone())
        } else {
            (dir.to_path_buf(), kit.root.join("exercises"))
        };
        let prefix_in_entry = base
            .strip_prefix(dir)
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let mut submission = Submission {
            student,
            sources: BTreeMap::new(),
            flags: Vec::new(),
        };
        for exercise in exercises {
            let src = base.join(&exercise.dir).join("src");
            if !src.is_dir() {
                continue;
            }
            let mut files = BTreeMap::new();
            for entry in WalkDir::new(&src).follow_links(false).sort_by_file_name() {
                let entry = entry?;
                let rel = entry.path().strip_prefix(&src)?.to_path_buf();
                if entry.file_type().is_symlink() {
                    submission.flags.push(format!(
                        "symbolic link ignored: {}",
                        show(dir, entry.path())
                    ));
                    continue;
                }
                if !entry.file_type().is_file() || rel.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                if entry.metadata()?.len() > MAX_SOURCE_BYTES {
                    submission.flags.push(format!(
                        "file over 1 MiB ignored: {}",
                        show(dir, entry.path())
                    ));
                    continue;
                }
                match std::fs::read_to_string(entry.path()) {
                    Ok(text) => {
                        files.insert(rel, text);
                    }
                    Err(_) => submission.flags.push(format!(
                        "unreadable or not UTF-8: {}",
                        show(dir, entry.path())
                    )),
                }
            }
            if !files.is_empty() {
                submission.sources.insert(exercise.dir.clone(), files);
            }
        }
        // Every other file that differs from the kit is reported and ignored.
        for entry in WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !SKIPPED.contains(&e.file_name().to_string_lossy().as_ref()))
        {
            let entry = entry?;
            if !entry.file_type().is_file() && !entry.file_type().is_symlink() {
                continue;
            }
            let rel_base = entry.path().strip_prefix(&base);
            let taken = rel_base.is_ok_and(|rel| {
                let mut parts = rel.components();
                let exercise = parts.next();
                let src = parts.next();
                exercise.is_some_and(|e| exercises.iter().any(|x| e.as_os_str() == x.dir.as_str()))
                    && src.is_some_and(|s| s.as_os_str() == "src")
                    && rel.extension().is_some_and(|e| e == "rs")
            });
            if taken {
                continue;
            }
            let rel = entry.path().strip_prefix(dir)?;
            let in_kit = match rel.strip_prefix(&prefix_in_entry) {
                Ok(r) if !prefix_in_entry.as_os_str().is_empty() => kit_base.join(r),
                _ => kit_base.join(rel),
            };
            let same = !entry.file_type().is_symlink()
                && std::fs::read(entry.path()).ok() == std::fs::read(&in_kit).ok();
            if !same {
                submission.flags.push(format!(
                    "changed file ignored (the kit's is used): {}",
                    rel.display()
                ));
            }
        }
        Ok(submission)
    }

    /// A hash of everything graded, plus `salt` (the grading settings).
    pub fn hash(&self, salt: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(salt.as_bytes());
        for (exercise, files) in &self.sources {
            for (path, text) in files {
                hasher.update(exercise.as_bytes());
                hasher.update([0]);
                hasher.update(path.to_string_lossy().as_bytes());
                hasher.update([0]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
        }
        for flag in &self.flags {
            hasher.update(flag.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn show(entry: &Path, path: &Path) -> String {
    path.strip_prefix(entry)
        .unwrap_or(path)
        .display()
        .to_string()
}
