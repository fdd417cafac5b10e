//! The confined compiler: batch builds name the mlings executable as cargo's
//! `RUSTC_WORKSPACE_WRAPPER`, so cargo runs `mlings RUSTC ARGS…` for every workspace crate. Every
//! crate but the student's compiles unchanged; the student's compiles where nothing secret
//! exists, because `include_str!`, `#[path]` and `env!` run inside rustc, before any source
//! policy could see what a macro expands to.
//!
//! The student's rustc runs with a cleared environment (only what cargo sets for that crate),
//! `-F unsafe_code` (so no code runs before `main`, nor any `unsafe`), resource limits, a
//! wall-clock limit, and Landlock: it reads only the toolchain, the system libraries, the
//! student's `src/` and the dependencies' library files (never the suite's executables, the
//! solutions' or other exercises' artefacts), writes only its output directory, and has no TCP.

use std::ffi::{OsStr, OsString};
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::resource::{Resource, setrlimit};

use super::confine;

/// Set by batch builds to the student's `src/` directory: the crate whose root lies in it is
/// compiled confined. Its presence is also what makes `mlings` act as the wrapper.
pub const SRC_ENV: &str = "MLINGS_CONFINE_RUSTC_SRC";
/// The toolchain's sysroot, found once by the batch (`rustc --print sysroot`), so the confined
/// compiler is the toolchain's own binary rather than a rustup proxy that needs `HOME`.
pub const SYSROOT_ENV: &str = "MLINGS_CONFINE_RUSTC_SYSROOT";
/// Crate names, comma-separated, whose library files the student's compile may not read (the
/// solutions, the other exercises).
pub const HIDDEN_ENV: &str = "MLINGS_CONFINE_RUSTC_HIDDEN";

/// Address space of the student's rustc, in MiB.
const MEMORY_MB: u64 = 4096;
/// Largest file it may write, in MiB: its `.rlib` and `.rmeta`.
const FILE_MB: u64 = 256;
/// CPU and wall-clock time of one compile of the student's crate.
const TIME: Duration = Duration::from_secs(300);

/// The environment cargo sets for a crate's compile, the only part the student's rustc keeps:
/// the instructor's own variables (tokens, paths, names) never reach `env!`.
const CARGO_SETS: &[&str] = &[
    "CARGO",
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_RUSTC_CURRENT_DIR",
    "CARGO_TARGET_TMPDIR",
    "OUT_DIR",
];

/// When this process was started as cargo's rustc wrapper, runs the compile and returns its exit
/// code; otherwise `None`, and mlings goes on as a command line.
pub fn run_if_wrapper() -> Option<ExitCode> {
    let src = std::env::var_os(SRC_ENV)?;
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("mlings: run as a rustc wrapper without a compiler to run");
        return Some(ExitCode::from(2));
    };
    let args: Vec<OsString> = args.collect();
    if !is_student_crate(&args, Path::new(&src)) {
        let err = Command::new(&rustc).args(&args).exec();
        eprintln!("mlings: cannot run {}: {err}", rustc.to_string_lossy());
        return Some(ExitCode::from(2));
    }
    Some(match compile_confined(&rustc, &args, Path::new(&src)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: mlings cannot compile the submission confined: {err:#}");
            ExitCode::from(2)
        }
    })
}

/// Whether the crate root among `args` (the one `.rs` file) lies in the student's `src`.
fn is_student_crate(args: &[OsString], src: &Path) -> bool {
    let Ok(src) = src.canonicalize() else {
        return false;
    };
    args.iter()
        .filter(|a| Path::new(a).extension() == Some(OsStr::new("rs")))
        .filter_map(|a| Path::new(a).canonicalize().ok())
        .any(|root| root.starts_with(&src))
}

fn compile_confined(rustc: &OsStr, args: &[OsString], src: &Path) -> Result<ExitCode> {
    let sysroot = match std::env::var_os(SYSROOT_ENV) {
        Some(sysroot) => PathBuf::from(sysroot),
        None => sysroot_of(rustc)?,
    };
    let real = sysroot.join("bin").join("rustc");
    let hidden: Vec<String> = std::env::var(HIDDEN_ENV)
        .unwrap_or_default()
        .split(',')
        .filter(|n| !n.is_empty())
        .map(|n| n.replace('-', "_"))
        .collect();
    let mut paths = confine::Paths {
        execute: std::iter::once(sysroot)
            .chain(confine::LOADER_PATHS.iter().map(PathBuf::from))
            .collect(),
        read: vec![src.to_path_buf()],
        ..Default::default()
    };
    let arguments = Arguments::parse(args);
    if let Some(out) = &arguments.out_dir {
        paths.write_dirs.push(confine::absolute(out));
    }
    for dir in &arguments.library_dirs {
        // rustc lists these folders to find its dependencies by name and hash; of their files
        // it may read only libraries, never an executable (a suite embeds its hidden data).
        paths.list.push(confine::absolute(dir));
        paths.read.extend(libraries(dir, &hidden));
    }
    paths
        .read
        .extend(arguments.externs.iter().map(|p| confine::absolute(p)));

    let mib = 1 << 20;
    for (resource, value) in [
        (Resource::RLIMIT_AS, MEMORY_MB * mib),
        (Resource::RLIMIT_FSIZE, FILE_MB * mib),
        (Resource::RLIMIT_CPU, TIME.as_secs()),
        (Resource::RLIMIT_CORE, 0),
    ] {
        setrlimit(resource, value, value).with_context(|| format!("cannot set {resource:?}"))?;
    }
    confine::landlock(&paths)?;

    let kept = std::env::vars_os().filter(|(key, _)| {
        let key = key.to_string_lossy();
        CARGO_SETS.contains(&key.as_ref()) || key.starts_with("CARGO_PKG_")
    });
    let mut child = Command::new(&real)
        .args(args)
        .args(["-F", "unsafe_code"])
        .env_clear()
        .envs(kept)
        .spawn()
        .with_context(|| format!("cannot run {}", real.display()))?;
    let deadline = Instant::now() + TIME;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            eprintln!(
                "error: compiling this crate took more than {} s, the limit of batch grading",
                TIME.as_secs()
            );
            return Ok(ExitCode::FAILURE);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(signal) = status.signal() {
        let name = nix::sys::signal::Signal::try_from(signal)
            .map_or_else(|_| format!("signal {signal}"), |s| s.as_str().to_owned());
        eprintln!(
            "error: the compiler was stopped ({name}): compiling this crate went past a limit of \
             batch grading ({MEMORY_MB} MiB of memory, {FILE_MB} MiB per output file, {} s of \
             CPU)",
            TIME.as_secs()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::from(
        status.code().unwrap_or(1).clamp(0, 255) as u8
    ))
}

/// The sysroot of the toolchain that `rustc` (perhaps a rustup proxy) runs.
fn sysroot_of(rustc: &OsStr) -> Result<PathBuf> {
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .context("cannot ask rustc for its sysroot")?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    anyhow::ensure!(
        out.status.success() && !text.is_empty(),
        "rustc gave no sysroot"
    );
    Ok(PathBuf::from(text))
}

/// The library files (`lib*.rlib`, `.rmeta`, `.so`) in `dir`, but those of `hidden` crates.
fn libraries(dir: &Path, hidden: &[String]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let library = name.starts_with("lib")
                && [".rlib", ".rmeta", ".so"].iter().any(|e| name.ends_with(e));
            let crate_name = name
                .strip_prefix("lib")
                .and_then(|n| n.rsplit_once('-'))
                .map_or("", |(n, _)| n);
            library && !hidden.iter().any(|h| h == crate_name)
        })
        .map(|p| confine::absolute(&p))
        .collect()
}

/// The parts of rustc's command line that say which files it needs.
#[derive(Debug, Default)]
struct Arguments {
    out_dir: Option<PathBuf>,
    library_dirs: Vec<PathBuf>,
    externs: Vec<PathBuf>,
}

impl Arguments {
    fn parse(args: &[OsString]) -> Arguments {
        let mut parsed = Arguments::default();
        let mut args = args.iter().map(|a| a.to_string_lossy().into_owned());
        while let Some(arg) = args.next() {
            let (flag, value) = match arg.split_once('=') {
                Some((flag, value)) if flag == "--out-dir" || flag == "--extern" => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ if arg.starts_with("-L") && arg.len() > 2 => {
                    ("-L".to_owned(), Some(arg[2..].to_owned()))
                }
                _ => (arg.clone(), None),
            };
            let takes_value = matches!(flag.as_str(), "--out-dir" | "--extern" | "-L");
            let value = match value {
                Some(value) => value,
                None if takes_value => match args.next() {
                    Some(value) => value,
                    None => break,
                },
                None => continue,
            };
            match flag.as_str() {
                "--out-dir" => parsed.out_dir = Some(PathBuf::from(value)),
                "-L" => {
                    // `-L dependency=DIR`, `-L native=DIR`, or a bare `-L DIR`.
                    let dir = value.split_once('=').map_or(value.as_str(), |(_, d)| d);
                    parsed.library_dirs.push(PathBuf::from(dir));
                }
                "--extern" => {
                    if let Some((_, path)) = value.split_once('=') {
                        parsed.externs.push(PathBuf::from(path));
                    }
                }
                _ => {}
            }
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_paths_from_cargos_command_line() {
        let args: Vec<OsString> = [
            "--crate-name",
            "tiny",
            "--out-dir",
            "/t/deps",
            "-L",
            "dependency=/t/deps",
            "-Lnative=/n",
            "--extern",
            "noprelude:std=/s/libstd.rlib",
            "--extern=ndarray=/t/deps/libndarray-1.rmeta",
            "src/lib.rs",
        ]
        .into_iter()
        .map(OsString::from)
        .collect();
        let parsed = Arguments::parse(&args);
        assert_eq!(parsed.out_dir, Some(PathBuf::from("/t/deps")));
        assert_eq!(
            parsed.library_dirs,
            [PathBuf::from("/t/deps"), PathBuf::from("/n")]
        );
        assert_eq!(
            parsed.externs,
            [
                PathBuf::from("/s/libstd.rlib"),
                PathBuf::from("/t/deps/libndarray-1.rmeta")
            ]
        );
    }
}
