//! The build of one exercise of a submission: its suite compiled under a time limit, the
//! student's crate by the confined compiler.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::tail;
use crate::cargo::{self, cargo};
use crate::classroom::rustc_wrapper;
use crate::classroom::sandbox::{Limits, WHOLE_BUILD};
use crate::kit::Kit;
use crate::outcome::ExerciseOutcome;
use crate::process::{self, Stop};

/// The most of a build's errors kept, in bytes.
pub const COMPILE_ERRORS_LIMIT: usize = 16 << 10;

/// The sysroot of the toolchain cargo uses in `scratch`, asked once per batch.
fn sysroot(scratch: &Path) -> Result<PathBuf> {
    static SYSROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Some(sysroot) = SYSROOT.get() {
        return Ok(sysroot.clone());
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .current_dir(scratch)
        .output()
        .context("cannot run rustc (is Rust installed? https://rustup.rs)")?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || text.is_empty() {
        bail!(
            "rustc --print sysroot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(SYSROOT.get_or_init(|| PathBuf::from(text)).clone())
}

/// One exercise of a batch build: its package and its folder in the scratch kit.
#[derive(Debug, Clone, Copy)]
pub struct Crate<'a> {
    /// The exercise's package name.
    pub package: &'a str,
    /// Its folder in the scratch kit.
    pub dir: &'a Path,
}

/// Compiles the `grade` test of every one of `crates` in one cargo command, within
/// [`WHOLE_BUILD`] build budgets per crate; with `limits.confine`, each student's crate is
/// compiled by the confined rustc of `rustc_wrapper`, within one budget. Returns, for each crate
/// in order, its suite's executable or why it has none.
pub fn build(
    scratch: &Path,
    crates: &[Crate<'_>],
    target: &Path,
    limits: Limits,
) -> Result<Vec<std::result::Result<PathBuf, ExerciseOutcome>>> {
    if crates.is_empty() {
        return Ok(Vec::new());
    }
    let dir = tempfile::tempdir()?;
    let mut command = cargo();
    // mlings wraps every workspace crate's rustc: the suites get `SUITE_FLAGS`, and with the
    // walls the students' crates are compiled confined.
    command
        .env(
            "RUSTC_WORKSPACE_WRAPPER",
            std::env::current_exe().context("cannot find the mlings executable")?,
        )
        .env(rustc_wrapper::BATCH_ENV, "1");
    if limits.confine {
        let hidden: Vec<String> = Kit {
            root: scratch.to_path_buf(),
        }
        .exercises()?
        .iter()
        .flat_map(|e| [e.package.clone(), e.solution_package()])
        .collect();
        let srcs = std::env::join_paths(crates.iter().map(|c| c.dir.join("src")))
            .context("a scratch kit's path cannot be passed to the confined compiler")?;
        command
            .env(rustc_wrapper::SRC_ENV, srcs)
            .env(rustc_wrapper::TIME_ENV, limits.build.as_secs().to_string())
            .env(rustc_wrapper::SYSROOT_ENV, sysroot(scratch)?)
            .env(rustc_wrapper::HIDDEN_ENV, hidden.join(","));
    }
    let stdout_path = dir.path().join("stdout");
    let stderr_path = dir.path().join("stderr");
    // Compile time is nearly all of a batch (a suite runs in about a second), so the build is
    // trimmed to what grading needs. The student's crate keeps the optimisation level the
    // learner's own `cargo test` uses, so it runs as fast here as it did for them; the suite,
    // which only calls it and compares, is built unoptimised (`SUITE_FLAGS`, added by the
    // wrapper to the suites alone). Neither needs debug info: a panic's location comes without
    // it. One codegen unit: without incremental builds more cost compile time and make no faster
    // code. One cargo command for all of a submission's exercises: while one crate links or
    // waits for its dependency, another compiles, and `--keep-going` builds every exercise that
    // compiles even when another does not.
    command.current_dir(scratch).args([
        "build",
        "--profile",
        "test",
        "--test",
        "grade",
        "--keep-going",
        "--message-format",
        "json",
    ]);
    for c in crates {
        command
            .args(["-p", c.package])
            .arg("--config")
            .arg(format!("profile.dev.package.{}.codegen-units=1", c.package))
            .arg("--config")
            .arg(format!("profile.dev.package.{}.debug=0", c.package));
    }
    let mut child = command
        .env("CARGO_TARGET_DIR", target)
        // Every submission is a new crate for rustc: its incremental cache buys little here and
        // goes stale across students (objects that no longer link, rust-lang/rust#81280), which
        // would mark correct code as not compiling. Each build starts clean instead.
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path)?)
        .stderr(std::fs::File::create(&stderr_path)?)
        .process_group(0)
        .spawn()
        .context("cannot run cargo (is Rust installed? https://rustup.rs)")?;
    let budgets = WHOLE_BUILD * u32::try_from(crates.len()).unwrap_or(u32::MAX);
    let Some(status) = process::wait_until(
        &mut child,
        Instant::now() + limits.build * budgets,
        Stop::Group,
    )?
    else {
        return Ok(crates
            .iter()
            .map(|_| {
                Err(ExerciseOutcome::DoesNotCompile {
                    detail: "the build ran past its time limit".into(),
                })
            })
            .collect());
    };
    let output = Output {
        status,
        stdout: std::fs::read(&stdout_path)?,
        // Kept to the 4 KiB of a verdict's other excerpts.
        stderr: tail(
            &std::fs::read_to_string(&stderr_path).unwrap_or_default(),
            40,
        )
        .into_bytes(),
    };
    let dirs: Vec<&Path> = crates.iter().map(|c| c.dir).collect();
    // The suite holds hidden checks: its compile errors are shown by headline only.
    Ok(crates
        .iter()
        .map(|c| {
            cargo::executable_keeping_tests_private(&output, "grade", c.dir, &dirs)
                .map_err(|detail| ExerciseOutcome::DoesNotCompile { detail })
        })
        .collect())
}
