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

/// Compiles the `grade` test of `package` within [`WHOLE_BUILD`] build budgets; with
/// `limits.confine`, the student's crate is compiled by the confined rustc of `rustc_wrapper`,
/// within one budget.
pub fn build(
    scratch: &Path,
    package: &str,
    crate_dir: &Path,
    target: &Path,
    limits: Limits,
) -> Result<std::result::Result<PathBuf, ExerciseOutcome>> {
    let dir = tempfile::tempdir()?;
    let mut command = cargo();
    if limits.confine {
        let hidden: Vec<String> = Kit {
            root: scratch.to_path_buf(),
        }
        .exercises()?
        .iter()
        .flat_map(|e| [e.package.clone(), e.solution_package()])
        .collect();
        command
            .env(
                "RUSTC_WORKSPACE_WRAPPER",
                std::env::current_exe().context("cannot find the mlings executable")?,
            )
            .env(rustc_wrapper::SRC_ENV, crate_dir.join("src"))
            .env(rustc_wrapper::TIME_ENV, limits.build.as_secs().to_string())
            .env(rustc_wrapper::SYSROOT_ENV, sysroot(scratch)?)
            .env(rustc_wrapper::HIDDEN_ENV, hidden.join(","));
    }
    let stdout_path = dir.path().join("stdout");
    let stderr_path = dir.path().join("stderr");
    // Compile time is nearly all of a batch (a suite runs in well under a second), so the build
    // is trimmed to what grading needs. The student's crate keeps the optimisation level the
    // learner's own `cargo test` uses, so it runs as fast here as it did for them; the suite,
    // which only calls it and compares, is built unoptimised (`cargo rustc` passes the flag to
    // that target alone). Neither needs debug info: a panic's location comes without it. One
    // codegen unit: without incremental builds more cost compile time and make no faster code.
    // Together these build a submission's three exercises in about 6.6 s instead of 15.
    let mut child = command
        .current_dir(scratch)
        .args([
            "rustc",
            "--profile",
            "test",
            "--test",
            "grade",
            "--message-format",
            "json",
            "-p",
            package,
        ])
        .arg("--config")
        .arg(format!("profile.dev.package.{package}.codegen-units=1"))
        .arg("--config")
        .arg(format!("profile.dev.package.{package}.debug=0"))
        .args(["--", "-C", "opt-level=0"])
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
    let Some(status) = process::wait_until(
        &mut child,
        Instant::now() + limits.build * WHOLE_BUILD,
        Stop::Group,
    )?
    else {
        return Ok(Err(ExerciseOutcome::DoesNotCompile {
            detail: "the build ran past its time limit".into(),
        }));
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
    Ok(cargo::executable(&output, "grade", crate_dir)
        .map_err(|detail| ExerciseOutcome::DoesNotCompile { detail }))
}
