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
use crate::classroom::sandbox::{self, Limits, WHOLE_BUILD};
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

/// Whether every folder from the root down to `path` lets any user through.
fn open_to_all(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.ancestors().all(|dir| {
        std::fs::metadata(dir).is_ok_and(|m| !m.is_dir() || m.permissions().mode() & 0o001 != 0)
    })
}

/// A sysroot that the job slot's unprivileged user can read, for its rustc to run as that user;
/// `None` when the slot itself (`scratch`, `target`) is closed to other users, or no such sysroot
/// can be made (the student's rustc then stays root, behind its other walls, and the batch says
/// so once). The toolchain's own sysroot when it is open to all (a container recipe installs
/// it so); otherwise a mirror of its `bin/rustc` and `lib/` under `target`, made once per
/// toolchain of hard links (copies across file systems): rustup's usual home, `~/.rustup`, sits
/// in root's home, closed to other users. The mirror lives beside the job slots, which are reset
/// between students, not inside one.
fn for_user(sysroot: &Path, scratch: &Path, target: &Path) -> Option<PathBuf> {
    static MIRROR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    if !open_to_all(scratch) || !open_to_all(target) {
        warn_root_once("the job slots' folders are closed to other users");
        return None;
    }
    if open_to_all(&sysroot.join("lib")) {
        return Some(sysroot.to_path_buf());
    }
    MIRROR
        .get_or_init(
            || match mirror_toolchain(sysroot, scratch.parent().unwrap_or(target)) {
                Ok(mirror) => Some(mirror),
                Err(err) => {
                    warn_root_once(&format!("{err:#}"));
                    None
                }
            },
        )
        .clone()
}

/// Says once per batch why the students' compilers run as root.
fn warn_root_once(why: &str) {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        eprintln!(
            "mlings: the students' compilers run as root, inside their other walls: {why} \
             (docs/classroom.md, \"Threat model\")"
        );
    });
}

/// Makes (or finds, when the same toolchain made it before) `beside/toolchain/NAME`, a copy of
/// `sysroot`'s `bin/rustc` and `lib/` that every user can read.
fn mirror_toolchain(sysroot: &Path, beside: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::MetadataExt as _;
    let rustc = sysroot.join("bin").join("rustc");
    let meta =
        std::fs::metadata(&rustc).with_context(|| format!("cannot read {}", rustc.display()))?;
    let stamp = format!("{}\n{}\n{}\n", sysroot.display(), meta.len(), meta.mtime());
    let home = beside.join("toolchain");
    let name = sysroot.file_name().unwrap_or_else(|| "toolchain".as_ref());
    let mirror = home.join(name);
    let made = || std::fs::read_to_string(mirror.join(".source")).is_ok_and(|s| s == stamp);
    if made() {
        return Ok(mirror);
    }
    let building = home.join(format!(".building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    open_dir(&building.join("bin"))?;
    link_or_copy(&rustc, &building.join("bin").join("rustc"))?;
    mirror_tree(&sysroot.join("lib"), &building.join("lib"))?;
    std::fs::write(building.join(".source"), &stamp)?;
    if mirror.exists() {
        // Another toolchain's: this batch's replaces it.
        std::fs::remove_dir_all(&mirror)?;
    }
    if let Err(err) = std::fs::rename(&building, &mirror) {
        let _ = std::fs::remove_dir_all(&building);
        // A batch started at the same time made it first.
        if !made() {
            return Err(err)
                .with_context(|| format!("cannot move the toolchain into {}", mirror.display()));
        }
    }
    Ok(mirror)
}

/// Creates `dir` and its parents, each open to every user (`rwxr-xr-x`).
fn open_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))
}

/// `from` at `to`, readable by every user: a hard link when both are on one file system and
/// `from` is readable by all, else a copy made so.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(from)?.permissions().mode();
    if mode & 0o004 != 0 && std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    let open = if mode & 0o111 != 0 { 0o755 } else { 0o644 };
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(open))?;
    Ok(())
}

/// The files of `from`, recursively, at `to` (see [`link_or_copy`]); symbolic links are made
/// again as they are.
fn mirror_tree(from: &Path, to: &Path) -> Result<()> {
    open_dir(to)?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))?
    {
        let entry = entry?;
        let (path, dest) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            mirror_tree(&path, &dest)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&path)?, &dest)?;
        } else {
            link_or_copy(&path, &dest)?;
        }
    }
    Ok(())
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
            .env(rustc_wrapper::HIDDEN_ENV, hidden.join(","));
        let sysroot = sysroot(scratch)?;
        let compiler = limits.user.and_then(sandbox::compiler_user);
        match compiler.and_then(|uid| for_user(&sysroot, scratch, target).map(|s| (uid, s))) {
            Some((uid, readable)) => command
                .env(rustc_wrapper::SYSROOT_ENV, readable)
                .env(rustc_wrapper::UID_ENV, uid.to_string()),
            None => command.env(rustc_wrapper::SYSROOT_ENV, sysroot),
        };
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
