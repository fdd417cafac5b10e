//! The kernels an exercise's bench declares in its manifest, `solutions/NN-topic/exercise.toml`:
//! per criterion group, what limits it and the work of one iteration at each size.
//!
//! ```toml
//! [[kernel]]
//! group = "transpose"                    # the criterion group name used in the bench
//! bound = "memory"                       # "compute": GFLOP/s against the FLOP peak; "memory": GB/s
//! work = [                               # per criterion parameter (size), one iteration's work
//!   { size = "1000x1000", flops = 0, bytes = 16_000_000 },
//! ]
//! ```
//!
//! Only the `[[kernel]]` tables are read here; the manifest's other keys are someone else's.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// What limits a kernel, and so which rate the summary shows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Arithmetic: the rate is in GFLOP/s.
    Compute,
    /// Memory traffic: the rate is in GB/s.
    Memory,
}

/// The work of one iteration of a kernel at one size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Floating-point operations (a fused multiply-add counts 2).
    pub flops: f64,
    /// The bytes the kernel cannot avoid moving (its inputs read once, its outputs written once).
    pub bytes: f64,
    /// Which of the two is the kernel's limit.
    pub bound: Bound,
}

/// One `work` entry of a `[[kernel]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkAt {
    /// criterion's `BenchmarkId` parameter, such as `1000x1000`.
    pub size: String,
    /// Floating-point operations of one iteration at this size.
    pub flops: f64,
    /// Bytes one iteration must move at this size.
    pub bytes: f64,
}

/// One `[[kernel]]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kernel {
    /// The criterion group the bench measures the kernel in.
    pub group: String,
    /// What limits it.
    pub bound: Bound,
    /// Its work per size.
    #[serde(default)]
    pub work: Vec<WorkAt>,
}

/// The manifest, as far as the benches read it.
#[derive(Debug, Deserialize)]
struct Manifest {
    #[serde(default)]
    kernel: Vec<Kernel>,
}

/// Why a measurement has no rate: the declaration it lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No `[[kernel]]` names the group.
    Kernel,
    /// The group's `[[kernel]]` has no `work` entry for the size.
    Size,
}

/// The kernels of one exercise, and the manifest they come from.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    /// The manifest, as the kit's authors name it (`solutions/NN-topic/exercise.toml`).
    pub manifest: PathBuf,
    /// Its `[[kernel]]` tables, in order.
    pub kernels: Vec<Kernel>,
}

impl Declared {
    /// The `[[kernel]]` tables of the manifest at `root`/`manifest`; none when it does not
    /// exist. A table that is not well formed is an error naming the file.
    pub fn read(root: &Path, manifest: &Path) -> Result<Declared> {
        let path = root.join(manifest);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Declared {
                    manifest: manifest.to_owned(),
                    kernels: Vec::new(),
                });
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        Declared::parse(manifest, &text)
    }

    /// The `[[kernel]]` tables of `text`, the manifest `manifest`.
    pub fn parse(manifest: &Path, text: &str) -> Result<Declared> {
        let parsed: Manifest = toml::from_str(text)
            .with_context(|| format!("{}: a [[kernel]] table is not valid", manifest.display()))?;
        for (at, kernel) in parsed.kernel.iter().enumerate() {
            if parsed.kernel[..at].iter().any(|k| k.group == kernel.group) {
                bail!(
                    "{}: two [[kernel]] tables for group \"{}\"",
                    manifest.display(),
                    kernel.group
                );
            }
            for (i, work) in kernel.work.iter().enumerate() {
                if kernel.work[..i].iter().any(|w| w.size == work.size) {
                    bail!(
                        "{}: [[kernel]] \"{}\" gives the work of size \"{}\" twice",
                        manifest.display(),
                        kernel.group,
                        work.size
                    );
                }
                let valid = |v: f64| v.is_finite() && v >= 0.0;
                if !valid(work.flops) || !valid(work.bytes) {
                    bail!(
                        "{}: [[kernel]] \"{}\", size \"{}\": flops and bytes must be finite and \
                         not negative (got {} and {})",
                        manifest.display(),
                        kernel.group,
                        work.size,
                        work.flops,
                        work.bytes
                    );
                }
            }
        }
        Ok(Declared {
            manifest: manifest.to_owned(),
            kernels: parsed.kernel,
        })
    }

    /// Whether a `[[kernel]]` names `group`.
    pub fn has(&self, group: &str) -> bool {
        self.kernels.iter().any(|k| k.group == group)
    }

    /// The work of one iteration of `group` at `size`, or the declaration that is missing.
    pub fn work(&self, group: &str, size: &str) -> Result<Work, Missing> {
        let kernel = self
            .kernels
            .iter()
            .find(|k| k.group == group)
            .ok_or(Missing::Kernel)?;
        let at = kernel
            .work
            .iter()
            .find(|w| w.size == size)
            .ok_or(Missing::Size)?;
        Ok(Work {
            flops: at.flops,
            bytes: at.bytes,
            bound: kernel.bound,
        })
    }

    /// One line saying what `group` at `sizes` lacks to be given a rate.
    pub fn missing_note(&self, group: &str, sizes: &[&str], missing: &Missing) -> String {
        let manifest = self.manifest.display();
        match missing {
            Missing::Kernel => format!(
                "{group}: times without rates: {manifest} has no [[kernel]] with group = \"{group}\""
            ),
            Missing::Size => {
                let sizes: Vec<String> = sizes.iter().map(|s| format!("\"{s}\"")).collect();
                let sizes = sizes.join(", ");
                format!(
                    "{group}: times without rates: the [[kernel]] \"{group}\" of {manifest} \
                     declares no work for size {sizes}"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
title = "ignored: the rest of the manifest is read elsewhere"

[[step]]
number = 1
name = "ignored"

[[kernel]]
group = "g"
bound = "memory"
work = [ { size = "10x10", flops = 300, bytes = 6.4e3 } ]
"#;

    #[test]
    fn reads_the_kernels_and_ignores_the_rest_of_the_manifest() {
        let declared = Declared::parse(Path::new("m.toml"), MANIFEST).unwrap();
        assert_eq!(
            declared.work("g", "10x10"),
            Ok(Work {
                flops: 300.0,
                bytes: 6400.0,
                bound: Bound::Memory
            })
        );
        assert_eq!(declared.work("g", "20x20"), Err(Missing::Size));
        assert_eq!(declared.work("h", "10x10"), Err(Missing::Kernel));
    }

    #[test]
    fn a_manifest_without_kernels_declares_none() {
        let declared = Declared::parse(Path::new("m.toml"), "title = \"t\"\n").unwrap();
        assert!(declared.kernels.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let absent = Declared::read(dir.path(), Path::new("exercise.toml")).unwrap();
        assert!(absent.kernels.is_empty());
    }

    #[test]
    fn a_malformed_kernel_is_an_error_naming_the_manifest() {
        for (text, says) in [
            ("[[kernel]]\ngroup = \"g\"\nbound = \"disk\"\n", "disk"),
            ("[[kernel]]\nbound = \"compute\"\n", "group"),
            (
                "[[kernel]]\ngroup = \"g\"\nbound = \"compute\"\nwork = [{ size = \"1\", flops = 1 }]\n",
                "bytes",
            ),
            (
                "[[kernel]]\ngroup = \"g\"\nbound = \"compute\"\n[[kernel]]\ngroup = \"g\"\nbound = \"memory\"\n",
                "two [[kernel]]",
            ),
            (
                "[[kernel]]\ngroup = \"g\"\nbound = \"compute\"\nwork = [{ size = \"1\", flops = -1, bytes = 0 }]\n",
                "not negative",
            ),
        ] {
            let err = format!(
                "{:#}",
                Declared::parse(Path::new("solutions/x/exercise.toml"), text).unwrap_err()
            );
            assert!(err.contains("solutions/x/exercise.toml"), "{err}");
            assert!(err.contains(says), "{says}: {err}");
        }
    }

    #[test]
    fn the_note_names_the_missing_declaration() {
        let declared = Declared::parse(Path::new("solutions/x/exercise.toml"), MANIFEST).unwrap();
        let note = declared.missing_note("h", &["1"], &Missing::Kernel);
        assert!(
            note.contains("solutions/x/exercise.toml has no [[kernel]] with group = \"h\""),
            "{note}"
        );
        let note = declared.missing_note("g", &["20x20"], &Missing::Size);
        assert!(
            note.contains("declares no work for size \"20x20\""),
            "{note}"
        );
    }
}
