//! The confined compiler: batch builds name the mlings executable as cargo's
//! `RUSTC_WORKSPACE_WRAPPER`, so cargo runs `mlings RUSTC ARGS…` for every workspace crate. Every
//! crate but the student's compiles unchanged; the student's compiles where nothing secret
//! exists, because `include_str!`, `#[path]` and `env!` run inside rustc, before any source
//! policy could see what a macro expands to.
//!
//! Two processes: a supervisor, unconfined, and the confined rustc it starts (mlings again, which
//! walls itself in and then becomes the toolchain's rustc). The confined rustc runs with a cleared
//! environment (only what cargo sets for that crate), `unsafe_code` forced on (so no code runs
//! before `main`, nor any `unsafe` of theirs), resource limits, the job slot's unprivileged
//! compiler user when mlings runs as root, and Landlock: it reads only the toolchain, the
//! system libraries, the student's `src/` and the dependencies' library files (never a suite's
//! executable, which embeds the hidden data, nor the artefacts of any exercise or solution, a
//! previous student's among them), has no TCP, and writes only a fresh private output folder: it
//! must read back what it writes there, and cargo's own output folder holds the suites. The
//! supervisor enforces the wall-clock limit and moves each output into cargo's folder as soon as
//! rustc announces it, so cargo's pipelining sees them where it expects.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead as _, BufReader, Write as _};
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::resource::{Resource, setrlimit};

use super::confine;
use crate::process::{self, Stop};

/// Set by batch builds to the students' `src/` directories, one per exercise built, joined as
/// `PATH` is (`std::env::join_paths`): a crate whose root lies in one of them is compiled
/// confined, reading only that one. Its presence is also what makes `mlings` act as the wrapper.
pub const SRC_ENV: &str = "MLINGS_CONFINE_RUSTC_SRC";
/// Set by batch builds to make `mlings` the wrapper of every workspace crate even without the
/// walls (`--trusted`), so that the suites get [`SUITE_FLAGS`] there too.
pub const BATCH_ENV: &str = "MLINGS_BATCH_RUSTC";
/// What a batch build adds to the command line of a grading suite (a test target named
/// `grade`): it only calls the student's crate and compares, so it is built unoptimised (the
/// student's crate keeps the learner's own optimisation level). `cargo rustc -- FLAGS` could do
/// this for one package only; here one cargo command builds every exercise of a submission.
pub const SUITE_FLAGS: &[&str] = &["-C", "opt-level=0"];
/// The toolchain's sysroot, found once by the batch (`rustc --print sysroot`), so the confined
/// compiler is the toolchain's own binary rather than a rustup proxy that needs `HOME`.
pub const SYSROOT_ENV: &str = "MLINGS_CONFINE_RUSTC_SYSROOT";
/// Crate names, comma-separated, whose library files the student's compile may not read: every
/// exercise's and every solution's.
pub const HIDDEN_ENV: &str = "MLINGS_CONFINE_RUSTC_HIDDEN";
/// Set by batch builds, when mlings runs as root, to the job slot's unprivileged compiler user
/// (`sandbox::compiler_user`): the student's rustc then runs as that user, behind its other
/// walls (`batch::build` sets it only when that user can read the toolchain and the slot).
pub const UID_ENV: &str = "MLINGS_CONFINE_RUSTC_UID";
/// Set by the supervisor on the confined rustc it starts.
const INNER_ENV: &str = "MLINGS_CONFINE_RUSTC_INNER";

/// Address space of the student's rustc, in MiB.
const MEMORY_MB: u64 = 4096;
/// Largest file it may write, in MiB: its `.rlib` and `.rmeta`.
const FILE_MB: u64 = 256;
/// Set by batch builds to the build budget, in seconds: the CPU and wall-clock time of one
/// compile of the student's crate.
pub const TIME_ENV: &str = "MLINGS_CONFINE_RUSTC_TIME";
/// The build budget when none is set, in seconds.
pub const DEFAULT_TIME_SECS: u64 = 300;

/// The build budget batch grading set ([`TIME_ENV`]), else [`DEFAULT_TIME_SECS`].
fn time() -> Duration {
    let secs = std::env::var(TIME_ENV)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(DEFAULT_TIME_SECS);
    Duration::from_secs(secs)
}

/// The job slot's user the student's rustc runs as ([`UID_ENV`]), if any.
fn user() -> Option<u32> {
    std::env::var(UID_ENV).ok()?.parse().ok()
}

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
    let srcs: Vec<PathBuf> = match std::env::var_os(SRC_ENV) {
        Some(list) => std::env::split_paths(&list).collect(),
        None => {
            std::env::var_os(BATCH_ENV)?;
            Vec::new()
        }
    };
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("mlings: run as a rustc wrapper without a compiler to run");
        return Some(ExitCode::from(2));
    };
    let args: Vec<OsString> = args.collect();
    let student_src = student_src(&args, &srcs);
    if std::env::var_os(INNER_ENV).is_some() {
        let err = match &student_src {
            Some(src) => confine_and_exec(&rustc, &args, src),
            None => anyhow::anyhow!("the crate to confine is in none of the students' folders"),
        };
        eprintln!("error: mlings cannot compile the submission confined: {err:#}");
        return Some(ExitCode::from(2));
    }
    let Some(src) = student_src else {
        let mut command = Command::new(&rustc);
        command.args(&args);
        if is_suite(&args) {
            command.args(SUITE_FLAGS);
        }
        let err = command.exec();
        eprintln!("mlings: cannot run {}: {err}", rustc.to_string_lossy());
        return Some(ExitCode::from(2));
    };
    Some(match supervise(&rustc, &args, &src) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: mlings cannot compile the submission confined: {err:#}");
            ExitCode::from(2)
        }
    })
}

/// The student's `src` among `srcs` in which the crate root among `args` (the one `.rs` file)
/// lies, if any.
fn student_src(args: &[OsString], srcs: &[PathBuf]) -> Option<PathBuf> {
    let roots: Vec<PathBuf> = args
        .iter()
        .filter(|a| Path::new(a).extension() == Some(OsStr::new("rs")))
        .filter_map(|a| Path::new(a).canonicalize().ok())
        .collect();
    srcs.iter()
        .filter_map(|src| src.canonicalize().ok())
        .find(|src| roots.iter().any(|root| root.starts_with(src)))
}

/// Whether `args` compile a grading suite: the test target `grade` of an exercise (cargo
/// passes `--test` for a test with libtest's harness, `--cfg test` for one without, as here).
fn is_suite(args: &[OsString]) -> bool {
    let pairs = || args.iter().zip(args.iter().skip(1));
    let named_grade = pairs().any(|(flag, name)| flag == "--crate-name" && name == "grade");
    let test = args.iter().any(|a| a == "--test")
        || pairs().any(|(flag, cfg)| flag == "--cfg" && cfg == "test");
    named_grade && test
}

/// Runs the confined rustc with its output redirected to a private folder next to cargo's, under
/// the wall-clock limit, and moves every output into cargo's folder.
fn supervise(rustc: &OsStr, args: &[OsString], src: &Path) -> Result<ExitCode> {
    let Some(out_dir) = Arguments::parse(args).out_dir else {
        bail!("cargo gave rustc no --out-dir");
    };
    let out_dir = confine::absolute(&out_dir);
    let private = tempfile::Builder::new()
        .prefix(".mlings-confined-")
        .tempdir_in(out_dir.parent().unwrap_or(&out_dir))
        .context("cannot create the confined compiler's output folder")?;
    if let Some(uid) = user() {
        std::os::unix::fs::chown(private.path(), Some(uid), Some(uid))
            .with_context(|| format!("cannot give the output folder to user {uid}"))?;
    }
    let mut redirected = Vec::with_capacity(args.len());
    let mut next_is_out_dir = false;
    for arg in args {
        if next_is_out_dir {
            redirected.push(private.path().as_os_str().to_owned());
            next_is_out_dir = false;
        } else if arg == "--out-dir" {
            next_is_out_dir = true;
            redirected.push(arg.clone());
        } else if arg.to_string_lossy().starts_with("--out-dir=") {
            let mut flag = OsString::from("--out-dir=");
            flag.push(private.path());
            redirected.push(flag);
        } else {
            redirected.push(arg.clone());
        }
    }
    let mut child = Command::new(std::env::current_exe()?)
        .arg(rustc)
        .args(&redirected)
        .env(INNER_ENV, "1")
        // The confined rustc reads only this crate's `src`, not the student's other exercises'.
        .env(SRC_ENV, src)
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start the confined compiler")?;
    let stderr = child.stderr.take().context("no stderr")?;
    let (from, to) = (private.path().to_path_buf(), out_dir.clone());
    let src = src.canonicalize()?;
    // rustc announces each output on stderr (`{"artifact":"…"}`); cargo starts the crates that
    // need only its metadata at that moment, so the file must already be where cargo looks.
    let forward = std::thread::spawn(move || {
        let (from_text, to_text) = (from.to_string_lossy(), to.to_string_lossy());
        let mut err = std::io::stderr();
        let mut used_unsafe = false;
        // Bytes, not text: a line that is not UTF-8 must still be passed on, or rustc would
        // block on a full pipe.
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            let text = String::from_utf8_lossy(&line);
            if text.starts_with("{\"artifact\":") && text.contains(from_text.as_ref()) {
                if let Some(name) = artifact_name(&text) {
                    let _ = std::fs::copy(from.join(&name), to.join(&name));
                }
                let _ = writeln!(
                    err,
                    "{}",
                    text.replace(from_text.as_ref(), to_text.as_ref())
                );
            } else if let Some(raised) = raise_unsafe(&text, &src) {
                used_unsafe = true;
                let _ = writeln!(err, "{raised}");
            } else {
                let _ = err.write_all(&line).and_then(|()| err.write_all(b"\n"));
            }
        }
        used_unsafe
    });
    let time = time();
    let status = process::wait_until(&mut child, Instant::now() + time, Stop::Child)?;
    let used_unsafe = forward.join().unwrap_or(true);
    let Some(status) = status else {
        eprintln!(
            "error: compiling this crate took more than {} s, the limit of batch grading",
            time.as_secs()
        );
        return Ok(ExitCode::FAILURE);
    };
    if let Some(signal) = status.signal() {
        let name = nix::sys::signal::Signal::try_from(signal)
            .map_or_else(|_| format!("signal {signal}"), |s| s.as_str().to_owned());
        eprintln!(
            "error: the compiler was stopped ({name}): compiling this crate went past a limit of \
             batch grading ({MEMORY_MB} MiB of memory, {FILE_MB} MiB per output file, {} s of \
             CPU)",
            time.as_secs()
        );
        return Ok(ExitCode::FAILURE);
    }
    if used_unsafe {
        eprintln!(
            "error: graded code may not use `unsafe` (nor `#[no_mangle]`, `#[export_name]`, `#[link_section]`)"
        );
        return Ok(ExitCode::FAILURE);
    }
    if status.success() {
        for entry in std::fs::read_dir(private.path())?.flatten() {
            let to = out_dir.join(entry.file_name());
            std::fs::rename(entry.path(), &to)
                .with_context(|| format!("cannot move {} into place", to.display()))?;
        }
    }
    Ok(ExitCode::from(
        status.code().unwrap_or(1).clamp(0, 255) as u8
    ))
}

/// A diagnostic of the `unsafe_code` lint about the student's own code (not from inside a
/// dependency's macro, such as ndarray's `s![…]`, which wraps its own `unsafe`), made an error.
///
/// Why not `-F unsafe_code`: a forbidden lint makes every `#[allow(unsafe_code)]` an error,
/// those that dependencies' macros expand to included, so `s![…]` would not compile.
/// `--force-warn unsafe_code` cannot be lifted by the student's `#![allow(unsafe_code)]` either,
/// and what it reports about their own code is turned into an error here.
fn raise_unsafe(line: &str, src: &Path) -> Option<String> {
    if !line.starts_with("{\"$message_type\":\"diagnostic\"") {
        return None;
    }
    let mut diagnostic: serde_json::Value = serde_json::from_str(line).ok()?;
    if diagnostic["code"]["code"] != "unsafe_code" || diagnostic["level"] != "warning" {
        return None;
    }
    let primary = diagnostic["spans"]
        .as_array()?
        .iter()
        .find(|s| s["is_primary"] == true)?;
    let defined = primary["expansion"]["def_site_span"]["file_name"].as_str();
    let from_dependency = defined.is_some_and(|file| {
        !Path::new(file)
            .canonicalize()
            .is_ok_and(|file| file.starts_with(src))
    });
    if from_dependency {
        return None;
    }
    diagnostic["level"] = "error".into();
    if let Some(rendered) = diagnostic["rendered"].as_str() {
        let rendered = rendered.replacen("warning", "error", 1);
        diagnostic["rendered"] = rendered.into();
    }
    Some(diagnostic.to_string())
}

/// The file name in a `{"artifact":"/dir/name",…}` notification.
fn artifact_name(line: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let path = Path::new(value.get("artifact")?.as_str()?);
    Some(path.file_name()?.to_string_lossy().into_owned())
}

/// In the confined rustc's own process: limits, Landlock, then `exec` of the toolchain's rustc
/// with a cleared environment and `--force-warn unsafe_code`. Returns only on failure.
fn confine_and_exec(rustc: &OsStr, args: &[OsString], src: &Path) -> anyhow::Error {
    match confine_self(rustc, args, src) {
        Ok(real) => {
            let kept: Vec<(OsString, OsString)> = std::env::vars_os()
                .filter(|(key, _)| {
                    let key = key.to_string_lossy();
                    CARGO_SETS.contains(&key.as_ref()) || key.starts_with("CARGO_PKG_")
                })
                .collect();
            let err = Command::new(&real)
                .args(args)
                .args(["--force-warn", "unsafe_code"])
                .env_clear()
                .envs(kept)
                .exec();
            anyhow::Error::new(err).context(format!("cannot run {}", real.display()))
        }
        Err(err) => err,
    }
}

/// Sets the limits and Landlock on this process; returns the toolchain's rustc to run.
fn confine_self(rustc: &OsStr, args: &[OsString], src: &Path) -> Result<PathBuf> {
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
    paths.read.extend(
        arguments
            .externs
            .iter()
            .filter(|p| !is_hidden(p, &hidden))
            .map(|p| confine::absolute(p)),
    );

    let mib = 1 << 20;
    for (resource, value) in [
        (Resource::RLIMIT_AS, MEMORY_MB * mib),
        (Resource::RLIMIT_FSIZE, FILE_MB * mib),
        (Resource::RLIMIT_CPU, time().as_secs()),
        (Resource::RLIMIT_CORE, 0),
    ] {
        setrlimit(resource, value, value).with_context(|| format!("cannot set {resource:?}"))?;
    }
    if let Some(uid) = user() {
        // Last, once every limit is set: an unprivileged rustc cannot raise them again, and a
        // break through the walls below finds an account that owns nothing.
        super::sandbox::switch_user(uid)?;
    }
    confine::landlock(&paths)?;
    Ok(real)
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
            name.starts_with("lib")
                && [".rlib", ".rmeta", ".so"].iter().any(|e| name.ends_with(e))
                && !is_hidden(path, hidden)
        })
        .map(|p| confine::absolute(&p))
        .collect()
}

/// Whether the library file `path` (`lib<crate>-<hash>.<ext>`) belongs to a `hidden` crate.
fn is_hidden(path: &Path, hidden: &[String]) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let crate_name = name
        .strip_prefix("lib")
        .and_then(|n| n.rsplit_once('-'))
        .map_or("", |(n, _)| n);
    hidden.iter().any(|h| h == crate_name)
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
    fn tells_a_suite_from_the_other_crates() {
        let args = |line: &str| -> Vec<OsString> { line.split(' ').map(OsString::from).collect() };
        assert!(is_suite(&args(
            "--crate-name grade --edition=2024 tests/grade.rs --emit=dep-info,link --cfg test"
        )));
        assert!(is_suite(&args("--crate-name grade tests/grade.rs --test")));
        assert!(!is_suite(&args(
            "--crate-name grade src/lib.rs --crate-type lib --emit=dep-info,metadata,link"
        )));
        assert!(!is_suite(&args(
            "--crate-name tiny tests/tiny.rs --cfg test"
        )));
    }

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
