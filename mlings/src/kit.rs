//! The kit on disk: where it is, and which exercises it has.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The root of an mlings kit: the workspace with `exercises/` (and, for authors, `solutions/`).
#[derive(Debug, Clone)]
pub struct Kit {
    /// The workspace root.
    pub root: PathBuf,
}

/// One exercise, as found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// The directory name, such as `01-linear-regression`.
    pub dir: String,
    /// The learner's crate, such as `linear-regression`.
    pub package: String,
}

impl Exercise {
    /// The reference solution's crate.
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.package)
    }

    /// The learner's crate directory, relative to the kit root.
    pub fn path(&self) -> PathBuf {
        Path::new("exercises").join(&self.dir)
    }

    /// The solution's crate directory, relative to the kit root.
    pub fn solution_path(&self) -> PathBuf {
        Path::new("solutions").join(&self.dir)
    }

    /// The exercise's number, such as 1 for `01-linear-regression`.
    pub fn number(&self) -> Option<u32> {
        self.dir.split('-').next()?.parse().ok()
    }
}

impl Kit {
    /// Finds the kit from `MLINGS_ROOT`, else from the current directory upwards.
    pub fn locate() -> Result<Kit> {
        let start = match std::env::var_os("MLINGS_ROOT") {
            Some(root) => PathBuf::from(root),
            None => std::env::current_dir().context("cannot read the current directory")?,
        };
        let mut dir = start.as_path();
        loop {
            if dir.join("Cargo.toml").is_file() && dir.join("exercises").is_dir() {
                return Ok(Kit {
                    root: dir.to_path_buf(),
                });
            }
            match dir.parent() {
                Some(parent) => dir = parent,
                None => bail!(
                    "no mlings kit here: run mlings inside the kit (the folder with `exercises/`), \
                     or set MLINGS_ROOT to it (searched upwards from {})",
                    start.display()
                ),
            }
        }
    }

    /// Cargo's target directory for this kit: `CARGO_TARGET_DIR` when set, else `target/`.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|p| {
                if p.is_absolute() {
                    p
                } else {
                    self.root.join(p)
                }
            })
            .unwrap_or_else(|| self.root.join("target"))
    }

    /// Every exercise, in order of its directory name.
    pub fn exercises(&self) -> Result<Vec<Exercise>> {
        let dir = self.root.join("exercises");
        let mut found = Vec::new();
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry?;
            let manifest = entry.path().join("Cargo.toml");
            if !manifest.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&manifest)
                .with_context(|| format!("cannot read {}", manifest.display()))?;
            let table: toml::Table = toml::from_str(&text)
                .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
            let package = table
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
                .with_context(|| format!("{} names no package", manifest.display()))?;
            found.push(Exercise {
                dir: entry.file_name().to_string_lossy().into_owned(),
                package: package.to_owned(),
            });
        }
        found.sort_by(|a, b| a.dir.cmp(&b.dir));
        Ok(found)
    }

    /// The exercise a learner names by directory (`01-linear-regression`), crate
    /// (`linear-regression`) or number (`1`, `01`).
    pub fn find(&self, name: &str) -> Result<Exercise> {
        let exercises = self.exercises()?;
        let number = name.parse::<u32>().ok();
        exercises
            .iter()
            .find(|e| {
                e.dir == name || e.package == name || (number.is_some() && e.number() == number)
            })
            .cloned()
            .with_context(|| {
                let names: Vec<&str> = exercises.iter().map(|e| e.dir.as_str()).collect();
                format!(
                    "no exercise `{name}`; the exercises are: {}",
                    names.join(", ")
                )
            })
    }

    /// The exercises `names` select, or all of them when `names` is empty.
    pub fn select(&self, names: &[String]) -> Result<Vec<Exercise>> {
        if names.is_empty() {
            return self.exercises();
        }
        names.iter().map(|n| self.find(n)).collect()
    }
}
