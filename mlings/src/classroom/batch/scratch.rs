//! The scratch kit of a job slot: a copy of the instructor's kit at a fixed path, made pristine
//! again before each submission, with the submission's sources laid over one exercise at a time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::fcntl::{Flock, FlockArg};
use walkdir::WalkDir;

use crate::kit::{Exercise, Kit};

/// The scratch kit of job slot `slot`.
pub fn slot_dir(target: &Path, slot: usize) -> PathBuf {
    target.join("mlings-batch").join(format!("slot-{slot}"))
}

/// Locks the scratch kit `scratch` for this process, waiting (and saying so) when another
/// grading holds it.
pub fn lock_slot(scratch: &Path, say: impl Fn(String)) -> Result<Flock<std::fs::File>> {
    std::fs::create_dir_all(scratch)?;
    let file = std::fs::File::create(scratch.with_extension("lock"))?;
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => Ok(lock),
        Err((file, _)) => {
            say(format!(
                "waiting for another grading that uses {}",
                scratch.display()
            ));
            Flock::lock(file, FlockArg::LockExclusive)
                .map_err(|(_, err)| err)
                .context("cannot lock the scratch kit")
        }
    }
}

/// Makes `scratch` a copy of the kit, rewriting only files whose content changed (so cargo's
/// fingerprints stay valid across runs) and leaving out build products and `excluded` folders.
pub fn prepare_scratch(kit: &Kit, scratch: &Path, excluded: &[&Path]) -> Result<()> {
    let excluded: Vec<PathBuf> = excluded
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let root = kit.root.canonicalize()?;
    let target = kit.target_dir().canonicalize().unwrap_or_default();
    std::fs::create_dir_all(scratch)?;
    let mut wanted = BTreeSet::new();
    for entry in WalkDir::new(&root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let p = e.path();
            let name = e.file_name().to_string_lossy();
            !(p != root
                && (matches!(name.as_ref(), "target" | ".git" | ".mlings" | "plots")
                    || p == target
                    || excluded.iter().any(|x| p == x)))
        })
    {
        let entry = entry?;
        let rel = entry.path().strip_prefix(&root)?.to_path_buf();
        let dest = scratch.join(&rel);
        if entry.file_type().is_dir() {
            if std::fs::symlink_metadata(&dest).is_ok_and(|m| !m.is_dir()) {
                remove_any(&dest)?;
            }
            std::fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            copy_if_changed(entry.path(), &dest)?;
        }
        wanted.insert(rel);
    }
    // Remove what the kit does not have: a previous submission's extra modules, and anything its
    // run left behind. The slot's build products stay, and are not even walked.
    let tops = std::fs::read_dir(scratch)?
        .flatten()
        .filter(|top| top.file_name() != "target");
    for top in tops {
        for entry in WalkDir::new(top.path())
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            let rel = entry.path().strip_prefix(scratch)?.to_path_buf();
            if wanted.contains(&rel) {
                continue;
            }
            if entry.file_type().is_dir() {
                let _ = std::fs::remove_dir(entry.path());
            } else {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let new = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    write_if_changed(to, &new)
}

/// Removes whatever is at `path`: a file, a link (not what it points to) or a whole folder.
fn remove_any(path: &Path) -> Result<()> {
    let removed = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    };
    removed.with_context(|| format!("cannot remove {}", path.display()))
}

fn write_if_changed(to: &Path, bytes: &[u8]) -> Result<()> {
    // A link or a folder where a file belongs is replaced, never written through.
    if std::fs::symlink_metadata(to).is_ok_and(|m| !m.is_file()) {
        remove_any(to)?;
    }
    if std::fs::read(to).ok().as_deref() != Some(bytes) {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(to, bytes).with_context(|| format!("cannot write {}", to.display()))?;
    }
    Ok(())
}

/// Puts `files` as the `src/` of `exercise` in `scratch`.
pub fn overlay(
    scratch: &Path,
    exercise: &Exercise,
    files: &BTreeMap<PathBuf, String>,
) -> Result<()> {
    let src = scratch.join(exercise.path()).join("src");
    for entry in WalkDir::new(&src)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        let rel = entry.path().strip_prefix(&src)?.to_path_buf();
        if entry.file_type().is_file() && !files.contains_key(&rel) {
            std::fs::remove_file(entry.path())?;
        }
    }
    for (rel, text) in files {
        write_if_changed(&src.join(rel), text.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_the_pristine_kit_again_whatever_the_last_student_left() {
        let work = tempfile::tempdir().unwrap();
        let kit = Kit {
            root: work.path().join("kit"),
        };
        let src = kit.root.join("exercises/01-tiny/src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("lib.rs"), "pub fn f() {}\n").unwrap();
        std::fs::write(kit.root.join("Cargo.toml"), "[workspace]\n").unwrap();
        let slot = work.path().join("slot");
        prepare_scratch(&kit, &slot, &[]).unwrap();

        // What a student's files and run could leave: an edited source, an extra module, a
        // folder and a link where files belong, stray files, build products.
        let slot_src = slot.join("exercises/01-tiny/src");
        std::fs::write(slot_src.join("lib.rs"), "pub fn f() { loop {} }\n").unwrap();
        std::fs::write(slot_src.join("extra.rs"), "// theirs\n").unwrap();
        std::fs::remove_file(slot.join("Cargo.toml")).unwrap();
        std::fs::create_dir_all(slot.join("Cargo.toml/inside")).unwrap();
        std::fs::write(work.path().join("outside"), "[workspace]\n").unwrap();
        std::os::unix::fs::symlink(work.path().join("outside"), slot_src.join("lib2.rs")).unwrap();
        std::fs::create_dir_all(slot.join("tests/leftover")).unwrap();
        std::fs::write(slot.join("tests/leftover/x.rs"), "").unwrap();
        std::fs::create_dir_all(slot.join("target/debug")).unwrap();
        std::fs::write(slot.join("target/debug/cached"), "kept").unwrap();

        prepare_scratch(&kit, &slot, &[]).unwrap();
        let files: Vec<String> = WalkDir::new(&slot)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| e.path().strip_prefix(&slot).unwrap().display().to_string())
            .collect();
        assert_eq!(
            files,
            [
                "Cargo.toml",
                "exercises/01-tiny/src/lib.rs",
                "target/debug/cached"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(slot_src.join("lib.rs")).unwrap(),
            "pub fn f() {}\n"
        );
        assert_eq!(
            std::fs::read_to_string(slot.join("Cargo.toml")).unwrap(),
            "[workspace]\n"
        );
    }
}
