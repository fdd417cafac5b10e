//! One student's submission: which files are taken (only `exercises/*/src/**/*.rs`), which are
//! flagged as changed and ignored, and the content hash that lets a re-run skip it.
//!
//! A submission is hostile until proven otherwise: no symbolic link is ever followed (not its
//! root, `exercises/`, an exercise, `src/` nor a file), the sources taken are capped in number
//! and size, and no other file is read whole: it is compared with the kit's by size first, and
//! read in small chunks only when the sizes match.

use std::collections::BTreeMap;
use std::fs::{File, Metadata};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use super::escape;
use crate::kit::{Exercise, Kit};

/// The largest source file taken from a submission.
const MAX_SOURCE_BYTES: u64 = 1 << 20;
/// The most source bytes taken from one submission, all exercises together.
const MAX_TOTAL_BYTES: u64 = 4 << 20;
/// The most source files taken from one submission.
const MAX_SOURCE_FILES: usize = 256;
/// The most entries looked at in one submission; the rest are not examined.
const MAX_ENTRIES: usize = 10_000;
/// The most flags kept for one submission; the rest are counted.
const MAX_FLAGS: usize = 100;
/// Directories never looked into.
const SKIPPED: &[&str] = &["target", ".git", ".mlings", "plots"];

/// The files taken from one submission.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The student: the entry's name, on one line.
    pub student: String,
    /// Per exercise directory: its `src/` files, by path relative to `src/`, with their contents.
    /// An exercise the submission does not contain is absent.
    pub sources: BTreeMap<String, BTreeMap<PathBuf, String>>,
    /// Per exercise directory whose sources were not taken: why (over the intake limits).
    pub not_taken: BTreeMap<String, String>,
    /// Files that differ from the kit and were ignored, and other anomalies.
    pub flags: Vec<String>,
    /// Flags beyond [`MAX_FLAGS`], counted only.
    flags_left_out: usize,
}

impl Submission {
    /// Reads the entry `dir`: a student's copy of the kit, or just its `exercises/`. Whatever
    /// cannot be read is flagged; nothing in a submission makes this fail.
    pub fn read(kit: &Kit, exercises: &[Exercise], dir: &Path) -> Submission {
        let mut submission = Submission {
            student: super::batch::student_name(dir),
            sources: BTreeMap::new(),
            not_taken: BTreeMap::new(),
            flags: Vec::new(),
            flags_left_out: 0,
        };
        if let Err(err) = submission.read_from(kit, exercises, dir) {
            submission.flag(format!("could not be read whole: {err:#}"));
        }
        if submission.flags_left_out > 0 {
            let more = submission.flags_left_out;
            submission.flags.push(format!("… and {more} more"));
        }
        submission
    }

    fn flag(&mut self, text: String) {
        if self.flags.len() < MAX_FLAGS {
            self.flags.push(escape::one_line(&text));
        } else {
            self.flags_left_out += 1;
        }
    }

    fn read_from(&mut self, kit: &Kit, exercises: &[Exercise], dir: &Path) -> Result<()> {
        let root = std::fs::symlink_metadata(dir)?;
        if root.is_symlink() {
            self.flag("the submission is a symbolic link: not followed, nothing taken".into());
            return Ok(());
        }
        if !root.is_dir() {
            self.flag("the submission is not a folder: nothing taken".into());
            return Ok(());
        }
        let exercises_dir = dir.join("exercises");
        let kit_layout = std::fs::symlink_metadata(&exercises_dir).is_ok_and(|m| m.is_dir());
        let exercises_link =
            std::fs::symlink_metadata(&exercises_dir).is_ok_and(|m| m.is_symlink());
        // The exercises' folders; none when `exercises` is a link (flagged by the walk below).
        let base = if kit_layout {
            Some(exercises_dir)
        } else if exercises_link {
            None
        } else {
            Some(dir.to_path_buf())
        };
        // Where a file of the entry is in the kit: the same path, or under `exercises/` when
        // only the exercises were handed in.
        let kit_base = if kit_layout || exercises_link {
            kit.root.clone()
        } else {
            kit.root.join("exercises")
        };

        if let Some(base) = &base {
            if let Err(over) = self.take_sources(exercises, base) {
                self.flag(over.clone());
                self.sources.clear();
                for exercise in exercises {
                    self.not_taken.insert(exercise.dir.clone(), over.clone());
                }
            }
        }
        self.flag_other_files(exercises, dir, base.as_deref(), &kit_base);
        Ok(())
    }

    /// Takes the `src/**/*.rs` of every exercise under `base`; `Err` when over the limits.
    fn take_sources(&mut self, exercises: &[Exercise], base: &Path) -> Result<(), String> {
        let (mut count, mut total) = (0usize, 0u64);
        for exercise in exercises {
            let exercise_dir = base.join(&exercise.dir);
            let src = exercise_dir.join("src");
            // A link in place of either is never followed (the walk of other files flags it).
            let is_real_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
            if !is_real_dir(&exercise_dir) || !is_real_dir(&src) {
                continue;
            }
            let mut files = BTreeMap::new();
            let walk = WalkDir::new(&src)
                .follow_links(false)
                .follow_root_links(false)
                .max_depth(16)
                .sort_by_file_name();
            for entry in walk {
                let Ok(entry) = entry else { continue };
                let Ok(rel) = entry.path().strip_prefix(&src) else {
                    continue;
                };
                let shown = show(&exercise.dir, rel);
                if !entry.file_type().is_file() || rel.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                if !is_module_path(rel) {
                    self.flag(format!("file name that is no module's, not taken: {shown}"));
                    continue;
                }
                let size = entry.metadata().map_or(u64::MAX, |m| m.len());
                if size > MAX_SOURCE_BYTES {
                    self.flag(format!("file over 1 MiB, not taken: {shown}"));
                    continue;
                }
                count += 1;
                total += size;
                if count > MAX_SOURCE_FILES || total > MAX_TOTAL_BYTES {
                    return Err(format!(
                        "sources over the limits ({MAX_SOURCE_FILES} files, 4 MiB in all): \
                         none were taken"
                    ));
                }
                match read_source(entry.path()) {
                    Some(text) => {
                        files.insert(rel.to_path_buf(), text);
                    }
                    None => self.flag(format!("unreadable or not UTF-8: {shown}")),
                }
            }
            if !files.is_empty() {
                self.sources.insert(exercise.dir.clone(), files);
            }
        }
        Ok(())
    }

    /// Flags every file other than the taken sources that differs from the kit's, and every
    /// link and special file, without reading any file whole.
    fn flag_other_files(
        &mut self,
        exercises: &[Exercise],
        dir: &Path,
        base: Option<&Path>,
        kit_base: &Path,
    ) {
        let walk = WalkDir::new(dir)
            .follow_links(false)
            .follow_root_links(false)
            .max_depth(32)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !SKIPPED.contains(&e.file_name().to_string_lossy().as_ref()));
        for (seen, entry) in walk.enumerate() {
            if seen >= MAX_ENTRIES {
                self.flag(format!(
                    "more than {MAX_ENTRIES} files and folders: the rest were not examined"
                ));
                break;
            }
            let Ok(entry) = entry else { continue };
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let shown = rel.display().to_string();
            let kind = entry.file_type();
            if kind.is_symlink() {
                self.flag(format!("symbolic link not followed: {shown}"));
                continue;
            }
            if kind.is_dir() {
                continue;
            }
            if !kind.is_file() {
                self.flag(format!("special file ignored: {shown}"));
                continue;
            }
            let taken = base
                .and_then(|base| entry.path().strip_prefix(base).ok())
                .is_some_and(|rel| {
                    let mut parts = rel.components();
                    let exercise = parts.next();
                    let src = parts.next();
                    exercise
                        .is_some_and(|e| exercises.iter().any(|x| e.as_os_str() == x.dir.as_str()))
                        && src.is_some_and(|s| s.as_os_str() == "src")
                        && rel.extension().is_some_and(|e| e == "rs")
                });
            if taken {
                continue;
            }
            let in_kit = kit_base.join(rel);
            let same = entry
                .metadata()
                .is_ok_and(|meta| same_as_kit(entry.path(), &meta, &in_kit));
            if !same {
                self.flag(format!("changed file ignored (the kit's is used): {shown}"));
            }
        }
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
        for (exercise, reason) in &self.not_taken {
            hasher.update(exercise.as_bytes());
            hasher.update(reason.as_bytes());
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

/// Whether `rel` can be a module's file: every part a Rust identifier, so a name with spaces,
/// newlines or markup never reaches the build or the outputs.
fn is_module_path(rel: &Path) -> bool {
    let identifier = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let parts: Vec<Component<'_>> = rel.components().collect();
    parts.iter().enumerate().all(|(index, part)| {
        let Component::Normal(name) = part else {
            return false;
        };
        let Some(name) = name.to_str() else {
            return false;
        };
        if index + 1 == parts.len() {
            name.strip_suffix(".rs").is_some_and(identifier)
        } else {
            identifier(name)
        }
    })
}

/// A source file's text, opened without following a link and read no further than the limit.
fn read_source(path: &Path) -> Option<String> {
    let file = open_no_follow(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return None;
    }
    String::from_utf8(bytes).ok()
}

fn open_no_follow(path: &Path) -> Option<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// Whether the file at `path` (of `meta`) has the same bytes as the kit's `in_kit`: sizes first,
/// then both read side by side in small chunks, so a huge or sparse file is never read whole.
fn same_as_kit(path: &Path, meta: &Metadata, in_kit: &Path) -> bool {
    let Ok(kit_meta) = std::fs::symlink_metadata(in_kit) else {
        return false;
    };
    if !kit_meta.is_file() || kit_meta.len() != meta.len() {
        return false;
    }
    let (Some(mut ours), Some(mut theirs)) = (open_no_follow(path), open_no_follow(in_kit)) else {
        return false;
    };
    let mut a = vec![0u8; 64 << 10];
    let mut b = vec![0u8; 64 << 10];
    loop {
        let Ok(n) = ours.read(&mut a) else {
            return false;
        };
        if n == 0 {
            return theirs.read(&mut b[..1]).is_ok_and(|m| m == 0);
        }
        if theirs.read_exact(&mut b[..n]).is_err() || a[..n] != b[..n] {
            return false;
        }
    }
}

fn show(exercise: &str, rel: &Path) -> String {
    format!("{exercise}/src/{}", rel.display())
}
