//! The sandbox a submission's suite runs in: resource limits set on a re-executed mlings, then
//! `exec` of the suite, and a wall-clock timeout enforced by the parent on the process group.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Limits applied to one suite run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time for the whole run.
    pub timeout: Duration,
    /// Address space, in MiB.
    pub memory_mb: u64,
    /// Processes and threads of the user (ignored by the kernel for root).
    pub processes: u64,
    /// Largest file the run may write, in MiB.
    pub file_mb: u64,
}

/// The hidden `mlings __sandbox` launcher: sets the limits on its own process, then becomes
/// the command.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Address space limit in MiB.
    #[arg(long)]
    pub memory_mb: u64,
    /// Process limit.
    #[arg(long)]
    pub processes: u64,
    /// File size limit in MiB.
    #[arg(long)]
    pub file_mb: u64,
    /// CPU seconds.
    #[arg(long)]
    pub cpu_secs: u64,
    /// The command to run, then its arguments.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<OsString>,
}

/// Runs the launcher; returns only when the limits or the `exec` failed.
pub fn launch(args: &SandboxArgs) -> ExitCode {
    let mib = 1 << 20;
    let limits = [
        (Resource::RLIMIT_AS, args.memory_mb.saturating_mul(mib)),
        (Resource::RLIMIT_NPROC, args.processes),
        (Resource::RLIMIT_FSIZE, args.file_mb.saturating_mul(mib)),
        (Resource::RLIMIT_CPU, args.cpu_secs),
        (Resource::RLIMIT_CORE, 0),
    ];
    for (resource, value) in limits {
        if let Err(err) = setrlimit(resource, value, value) {
            eprintln!("mlings sandbox: cannot set {resource:?}: {err}");
            return ExitCode::from(125);
        }
    }
    let err = Command::new(&args.command[0])
        .args(&args.command[1..])
        .exec();
    eprintln!("mlings sandbox: cannot run {:?}: {err}", args.command[0]);
    ExitCode::from(126)
}

/// How a sandboxed run ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited (or was killed by a signal, such as a limit's).
    Exited(ExitStatus),
    /// It ran past the wall-clock limit and its process group was killed.
    TimedOut,
}

/// What a sandboxed run left: how it ended, the tail of its stderr, and its stdout when asked
/// for (only to list a suite's checks, never for a verdict).
#[derive(Debug)]
pub struct Run {
    /// How it ended.
    pub ended: Ended,
    /// The last 64 KiB of stderr.
    pub stderr: String,
    /// The last 1 MiB of stdout when captured, else empty.
    pub stdout: String,
}

/// Runs `program` in its own process group under `limits`. Stdout is discarded unless
/// `capture_stdout`; of stderr only the last 64 KiB are kept, for diagnostics.
pub fn run(
    program: &Path,
    args: &[OsString],
    dir: &Path,
    env: &[(&str, OsString)],
    limits: Limits,
    capture_stdout: bool,
) -> Result<Run> {
    let me = std::env::current_exe().context("cannot find the mlings executable")?;
    let mut command = Command::new(me);
    command
        .arg("__sandbox")
        .arg(format!("--memory-mb={}", limits.memory_mb))
        .arg(format!("--processes={}", limits.processes))
        .arg(format!("--file-mb={}", limits.file_mb))
        .arg(format!(
            "--cpu-secs={}",
            limits.timeout.as_secs().max(1) * 4 + 5
        ))
        .arg("--")
        .arg(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(if capture_stdout {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::piped())
        .process_group(0);
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let group = Pid::from_raw(child.id() as i32);
    let stderr = child.stderr.take().map(|pipe| drain(pipe, 64 << 10));
    let stdout = child.stdout.take().map(|pipe| drain(pipe, 1 << 20));
    let ended = wait(&mut child, group, deadline_after(limits.timeout))?;
    // The group is dead, so the pipes close and the readers end.
    let text = |t: Option<std::thread::JoinHandle<String>>| {
        t.and_then(|t| t.join().ok()).unwrap_or_default()
    };
    Ok(Run {
        ended,
        stderr: text(stderr),
        stdout: text(stdout),
    })
}

/// Reads `pipe` to its end on a thread, keeping the last `keep` bytes.
fn drain(mut pipe: impl Read + Send + 'static, keep: usize) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut kept: Vec<u8> = Vec::new();
        let mut buffer = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&buffer[..n]);
            if kept.len() > 2 * keep {
                kept.drain(..kept.len() - keep);
            }
        }
        let start = kept.len().saturating_sub(keep);
        String::from_utf8_lossy(&kept[start..]).into_owned()
    })
}

fn deadline_after(timeout: Duration) -> Instant {
    Instant::now() + timeout
}

fn wait(child: &mut std::process::Child, group: Pid, deadline: Instant) -> Result<Ended> {
    loop {
        if let Some(status) = child.try_wait()? {
            // Threads or children left behind die with the group.
            let _ = killpg(group, Signal::SIGKILL);
            return Ok(Ended::Exited(status));
        }
        if Instant::now() >= deadline {
            let _ = killpg(group, Signal::SIGKILL);
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Ended::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
