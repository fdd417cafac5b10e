//! The sandbox a submission's suite runs in: a re-executed mlings sets resource limits and, where
//! the system has them, the operating system's walls (`confine`) on its own process, then `exec`s
//! the suite; the parent enforces a wall-clock timeout on the process group.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::resource::{Resource, setrlimit};

use crate::process::{self, Stop};

/// Limits applied to grading one exercise: its build and its suite's run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time for the whole run.
    pub timeout: Duration,
    /// Address space, in MiB.
    pub memory_mb: u64,
    /// Processes and threads of the user the run is under (see `user`).
    pub processes: u64,
    /// The unprivileged user the suite runs as, when mlings runs as root: its own per job slot,
    /// so the process limit binds (the kernel ignores it for root) and one slot's processes
    /// never count against another's. `None`: the suite runs as whoever runs mlings.
    pub user: Option<u32>,
    /// Largest file the run may write, in MiB.
    pub file_mb: u64,
    /// Build and run inside the operating system's walls (Landlock, seccomp); off only for an
    /// instructor's `--trusted` grading on a system without them.
    pub confine: bool,
    /// The build budget: CPU and wall-clock time for compiling the student's crate; the whole
    /// build of a submission, which the first time also compiles the dependencies, may take
    /// [`WHOLE_BUILD`] budgets per exercise.
    pub build: Duration,
}

/// How many build budgets the whole build of a submission may take per exercise.
pub const WHOLE_BUILD: u32 = 3;

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
    /// Confine the command: it may read and execute only itself and the shared libraries, write
    /// only the `--writable` files, start no process, open no socket (Landlock and seccomp).
    #[arg(long)]
    pub confine: bool,
    /// A file the command writes: created empty when missing, given to `--uid`'s user, and,
    /// when confined, the only kind of file it may write.
    #[arg(long, value_name = "FILE")]
    pub writable: Vec<PathBuf>,
    /// Run the command as this user (and group), with no supplementary groups; the launcher
    /// must run as root. The command is executed through a descriptor opened before the switch,
    /// so the user needs no access to the folders above it.
    #[arg(long)]
    pub uid: Option<u32>,
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
    let fail = |err: anyhow::Error| {
        eprintln!("mlings sandbox: {err:#}");
        ExitCode::from(125)
    };
    if let Err(err) = create_writable(&args.writable, args.uid) {
        return fail(err);
    }
    let program = match args.uid {
        Some(uid) => match become_user(&args.command[0], uid) {
            Ok(program) => Some(program),
            Err(err) => return fail(err),
        },
        None => None,
    };
    if args.confine {
        if let Err(err) = confine(&args.command[0], &args.writable) {
            return fail(err);
        }
    }
    let err = match program {
        Some(program) => exec_descriptor(&program, &args.command),
        None => Command::new(&args.command[0])
            .args(&args.command[1..])
            .exec()
            .into(),
    };
    eprintln!("mlings sandbox: cannot run {:?}: {err:#}", args.command[0]);
    ExitCode::from(126)
}

/// Creates the files the confined command may write, empty when missing, owned by `uid` when
/// the command will run as that user.
fn create_writable(writable: &[PathBuf], uid: Option<u32>) -> Result<()> {
    for file in writable {
        let handle = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .with_context(|| format!("cannot create {}", file.display()))?;
        if let Some(uid) = uid {
            std::os::unix::fs::fchown(&handle, Some(uid), Some(uid))
                .with_context(|| format!("cannot give {} to user {uid}", file.display()))?;
        }
    }
    Ok(())
}

/// Opens `program` for execution, then becomes `uid` (group `uid`, no supplementary groups) for
/// good; returns the open program.
fn become_user(program: &OsStr, uid: u32) -> Result<std::fs::File> {
    let file = std::fs::File::open(program).with_context(|| format!("cannot open {program:?}"))?;
    switch_user(uid)?;
    Ok(file)
}

/// Becomes `uid` (group `uid`, no supplementary groups) for good, and checks that root cannot
/// be taken back.
///
/// # Errors
///
/// When this process may not switch (it is not root) or the switch did not hold.
pub fn switch_user(uid: u32) -> Result<()> {
    use nix::unistd::{Gid, Uid, getuid, setgid, setgroups, setuid};
    setgroups(&[]).context("cannot drop the supplementary groups")?;
    setgid(Gid::from_raw(uid)).with_context(|| format!("cannot become group {uid}"))?;
    setuid(Uid::from_raw(uid)).with_context(|| format!("cannot become user {uid}"))?;
    if setuid(Uid::from_raw(0)).is_ok() || getuid().as_raw() != uid {
        anyhow::bail!("the switch to user {uid} did not hold");
    }
    Ok(())
}

/// Becomes the program open as `program`, with `command` as its arguments (the first is its
/// name) and this process's environment; returns only on failure.
fn exec_descriptor(program: &std::fs::File, command: &[OsString]) -> anyhow::Error {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let text = |bytes: &[u8]| CString::new(bytes).context("a NUL byte in an argument");
    let args: Result<Vec<CString>> = command.iter().map(|a| text(a.as_bytes())).collect();
    let env: Result<Vec<CString>> = std::env::vars_os()
        .map(|(key, value)| text(&[key.as_bytes(), b"=", value.as_bytes()].concat()))
        .collect();
    match (args, env) {
        (Ok(args), Ok(env)) => match nix::unistd::fexecve(program, &args, &env) {
            Ok(never) => match never {},
            Err(err) => anyhow::Error::new(err),
        },
        (Err(err), _) | (_, Err(err)) => err,
    }
}

/// Walls this process, and the program it then becomes, in: Landlock lets it read and execute
/// only `program` and the shared libraries, write only `writable`; seccomp keeps it from starting
/// processes, opening sockets or signalling outside its process group.
fn confine(program: &OsStr, writable: &[PathBuf]) -> anyhow::Result<()> {
    let mut execute = vec![super::confine::absolute(Path::new(program))];
    execute.extend(super::confine::LOADER_PATHS.iter().map(PathBuf::from));
    super::confine::landlock(&super::confine::Paths {
        execute,
        write_files: writable.to_vec(),
        ..Default::default()
    })?;
    super::confine::deny_processes(std::process::id())
}

/// Whether grading here can wall student code in (Landlock and seccomp); without the walls it
/// refuses, unless the instructor said `trusted`, and then it says what is missing.
///
/// # Errors
///
/// When the walls are missing and `trusted` is not set: the message names the container recipe.
pub fn choose_walls(trusted: bool) -> Result<bool> {
    match super::confine::probe() {
        Ok(()) => Ok(true),
        Err(err) if trusted => {
            eprintln!(
                "mlings: grading --trusted, without the operating system's walls ({err:#}): \
                 only resource limits and the source policy stand between student code and \
                 this machine"
            );
            Ok(false)
        }
        Err(err) => anyhow::bail!(
            "{err:#}.\nStudent code cannot be walled in on this system, so mlings does not grade \
             it here. Grade in a Linux container (docs/classroom.md, \"Threat model\", has a \
             Docker and Podman recipe), or, inside a throw-away machine, pass --trusted to grade \
             with resource limits and the source policy only."
        ),
    }
}

/// The first of the users the job slots' suites run as (slot `n` runs as `SLOT_USERS + n`): high
/// in the range every container maps, and clear of the users distributions create.
pub const SLOT_USERS: u32 = 64_000;

/// The unprivileged user the suites of job slot `slot` run as: `Some` only when mlings runs as
/// root (a user cannot become another) and this system maps that user id.
pub fn slot_user(slot: usize) -> Option<u32> {
    let uid = SLOT_USERS.checked_add(u32::try_from(slot).ok()?)?;
    (uid < COMPILER_USERS && can_become(uid)).then_some(uid)
}

/// A user leased to one job slot for as long as this value lives: its suites run as `uid` and its
/// compiler as `uid + (COMPILER_USERS − SLOT_USERS)`, and no other slot on this machine, in this
/// batch or in another grading, runs as either meanwhile. A thread bomb in one slot therefore
/// never uses up another's process limit, and never has its own shared.
#[derive(Debug)]
pub struct UserLease {
    /// The user the slot's suites run as.
    pub uid: u32,
    _lock: nix::fcntl::Flock<std::fs::File>,
}

/// Leases the first free user for job slot `slot`, `SLOT_USERS + slot` first, each held by a lock
/// file that every grading on the machine shares: `None` where mlings cannot switch users (see
/// [`slot_user`]).
///
/// # Errors
///
/// When the lock files cannot be made, or other gradings hold every user of the range.
pub fn lease_user(slot: usize) -> Result<Option<UserLease>> {
    let Some(first) = slot_user(slot) else {
        return Ok(None);
    };
    // Root's run-time folder where there is one, so that every grading finds the same locks.
    let dir = match Path::new("/run") {
        run if run.is_dir() => run.join("mlings-users"),
        _ => std::env::temp_dir().join("mlings-users"),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let count = COMPILER_USERS - SLOT_USERS;
    for k in 0..count {
        let uid = SLOT_USERS + (first - SLOT_USERS + k) % count;
        if !can_become(uid) || compiler_user(uid).is_none() {
            continue;
        }
        let path = dir.join(format!("{uid}.lock"));
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        if let Ok(lock) = nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock)
        {
            return Ok(Some(UserLease { uid, _lock: lock }));
        }
    }
    anyhow::bail!(
        "other gradings on this machine hold every sandbox user ({SLOT_USERS} to {}): wait for \
         them, or grade with fewer --jobs",
        COMPILER_USERS - 1
    )
}

/// The first of the users the job slots' compilers run as (slot `n` compiles as
/// `COMPILER_USERS + n`): apart from the suites' users, so that a compile, in this batch or in
/// another on the same machine, never counts against a suite's process limit.
pub const COMPILER_USERS: u32 = 64_500;

/// The unprivileged user the student's compiler runs as in the job slot whose suites run as
/// `suite_user` ([`slot_user`]); `None` where that user cannot be taken.
pub fn compiler_user(suite_user: u32) -> Option<u32> {
    let slot = suite_user.checked_sub(SLOT_USERS)?;
    let uid = COMPILER_USERS.checked_add(slot)?;
    (uid < 2 * COMPILER_USERS - SLOT_USERS && can_become(uid)).then_some(uid)
}

/// Whether this process may become `uid`: it runs as root and this system maps that user id.
fn can_become(uid: u32) -> bool {
    if !nix::unistd::geteuid().is_root() {
        return false;
    }
    // Inside a user namespace only the mapped ids exist: "inside outside count" per line.
    let map = std::fs::read_to_string("/proc/self/uid_map").unwrap_or_default();
    map.lines().any(|line| {
        let numbers: Vec<u64> = line.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        matches!(numbers[..], [inside, _, count] if (inside..inside + count).contains(&u64::from(uid)))
    })
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

/// Runs `program` in its own process group under `limits`; when they confine it, it may write
/// only the `writable` files. Stdout is discarded unless `capture_stdout`; of stderr only the last
/// 64 KiB are kept, for diagnostics.
pub fn run(
    program: &Path,
    args: &[OsString],
    dir: &Path,
    env: &[(&str, OsString)],
    writable: &[&Path],
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
        .args(limits.confine.then_some("--confine"))
        .args(limits.user.map(|uid| format!("--uid={uid}")))
        .args(
            writable
                .iter()
                .flat_map(|file| [OsStr::new("--writable"), file.as_os_str()]),
        )
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
    if limits.confine {
        // The harness then walls itself in too, before any check runs.
        command.env(mlings_grader::CONFINE_ENV, "1");
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let stderr = child.stderr.take().map(|pipe| drain(pipe, 64 << 10));
    let stdout = child.stdout.take().map(|pipe| drain(pipe, 1 << 20));
    let ended = wait(&mut child, limits.timeout)?;
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

fn wait(child: &mut std::process::Child, timeout: Duration) -> Result<Ended> {
    // Threads or children left behind die with the group, however it ends.
    Ok(
        match process::wait_until(child, Instant::now() + timeout, Stop::Group)? {
            Some(status) => Ended::Exited(status),
            None => Ended::TimedOut,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_held_at_once_never_share_a_user() {
        // Only root switches users; elsewhere there is nothing to lease.
        let Some(first) = lease_user(0).expect("a lease") else {
            return;
        };
        let second = lease_user(0).expect("a lease").expect("root leases");
        assert_ne!(first.uid, second.uid);
        assert_ne!(compiler_user(first.uid), compiler_user(second.uid));
        let uid = first.uid;
        drop(first);
        let slot = usize::try_from(uid - SLOT_USERS).expect("a slot");
        let again = lease_user(slot).expect("a lease").expect("root leases");
        assert_eq!(again.uid, uid, "a dropped lease frees its user");
    }
}
