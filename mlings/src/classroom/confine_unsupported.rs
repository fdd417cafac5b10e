//! Where the operating system has no Landlock or seccomp (macOS, Windows), batch grading cannot
//! wall student code in: the probe says so, and only `--trusted` grading runs.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// Where the dynamic loader finds a program's shared libraries (unused here).
pub const LOADER_PATHS: &[&str] = &[];

/// Always fails: this system has neither Landlock nor seccomp.
pub fn probe() -> Result<()> {
    bail!("this operating system has neither Landlock nor seccomp (they are Linux's)")
}

/// What a confined process may touch (never built here).
#[derive(Debug, Default)]
pub struct Paths {
    /// Read and execute.
    pub execute: Vec<PathBuf>,
    /// Read only.
    pub read: Vec<PathBuf>,
    /// Directories that may be listed.
    pub list: Vec<PathBuf>,
    /// Existing files that may be written.
    pub write_files: Vec<PathBuf>,
    /// Directories beneath which anything may be written.
    pub write_dirs: Vec<PathBuf>,
}

/// Always fails, like [`probe`].
pub fn landlock(_paths: &Paths) -> Result<()> {
    probe()
}

/// Always fails, like [`probe`].
pub fn deny_processes(_me: u32) -> Result<()> {
    probe()
}

/// `path` made absolute against the current directory, without resolving links.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
