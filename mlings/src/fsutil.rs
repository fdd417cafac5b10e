//! File utilities every command shares: writing without leaving half a file, backing up the
//! learner's work before anything overwrites it, and finding Rust sources.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes a file through a temporary sibling and a rename, so a crash never leaves half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Copies `paths` (relative to `root`) to a new timestamped folder under `.mlings/backups/`.
pub fn backup(root: &Path, paths: &[&str]) -> Result<PathBuf> {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace(':', "-");
    let mut dir = root.join(".mlings").join("backups").join(&stamp);
    let mut n = 1;
    while dir.exists() {
        n += 1;
        dir = root
            .join(".mlings")
            .join("backups")
            .join(format!("{stamp}-{n}"));
    }
    for path in paths {
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().expect("backup path has a parent"))?;
        std::fs::copy(root.join(path), &to)
            .with_context(|| format!("cannot back up {path} to {}", to.display()))?;
    }
    Ok(dir)
}

/// Every `.rs` file under `dir`, sorted.
pub fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Removes the files of `dir` with extension `extension` whose names are not in `kept`: the
/// outputs of submissions that are gone. Nothing else is touched.
pub fn remove_others(dir: &Path, extension: &str, kept: &BTreeSet<String>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = path.extension().is_some_and(|e| e == extension)
            && entry.file_type().is_ok_and(|t| t.is_file());
        if ours && !kept.contains(&name) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}
