//! The harness's own wall under batch grading: once the report file is open, and before any check
//! (any student code) runs, the whole process loses every system call that names a path.
//!
//! The batch grader asks for it by setting [`CONFINE_ENV`]; a learner's own `cargo test` is never
//! confined. The filter is an allow-list (anything not named fails with `EPERM`), so a system call
//! added to a future kernel, or one forgotten here, is denied rather than let through: student code
//! can then not open, create, list, stat or execute any file, nor learn whether one exists, while
//! the harness keeps writing to the report file it opened before.

use std::fmt;

pub use crate::CONFINE_ENV;

/// Whether the batch grader asked for confinement (see [`CONFINE_ENV`]).
pub fn requested() -> bool {
    std::env::var_os(CONFINE_ENV).is_some_and(|v| v == "1")
}

/// Why the process could not be confined.
#[derive(Debug)]
pub struct ConfineError(String);

impl fmt::Display for ConfineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot confine the grading process: {}", self.0)
    }
}

impl std::error::Error for ConfineError {}

/// Installs the allow-list on every thread of the process (seccomp with TSYNC).
///
/// What stays allowed is what the harness and std need to run checks on threads, catch panics,
/// tell time and write to descriptors already open: memory, threads (`clone` only with
/// `CLONE_THREAD`; `clone3` answers `ENOSYS` so glibc falls back to `clone`), futexes, signals to
/// itself, time, randomness, reads and writes on open descriptors, and `fstat`-like calls on an
/// open descriptor. Everything else fails with `EPERM`.
///
/// # Errors
///
/// When the kernel has no seccomp, on any other operating system, or when the filter cannot be
/// installed. A caller that asked for confinement must then not run the checks.
pub fn lock_down() -> Result<(), ConfineError> {
    imp::lock_down()
}

#[cfg(target_os = "linux")]
mod imp {
    use std::collections::BTreeMap;

    use seccompiler::{
        BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op,
        SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch,
    };

    use super::ConfineError;

    type Rules = BTreeMap<i64, Vec<SeccompRule>>;

    pub fn lock_down() -> Result<(), ConfineError> {
        let arch = TargetArch::try_from(std::env::consts::ARCH)
            .map_err(|e| ConfineError(format!("{e:?}")))?;
        // Two filters: one that answers ENOSYS to clone3, then the allow-list (default EPERM),
        // which lets clone3 through to the first. So clone3 reads as missing, not forbidden, and
        // glibc falls back to clone, whose flags a filter can see (clone3's sit in memory). The
        // allow-list goes last because installing a filter needs prctl, which it denies.
        let allow = program(allowed()?, SeccompAction::Errno(libc::EPERM as u32), arch)?;
        let mut clone3 = Rules::new();
        clone3.insert(libc::SYS_clone3, vec![]);
        let no_clone3 = BpfProgram::try_from(
            SeccompFilter::new(
                clone3,
                SeccompAction::Allow,
                SeccompAction::Errno(libc::ENOSYS as u32),
                arch,
            )
            .map_err(|e| ConfineError(e.to_string()))?,
        )
        .map_err(|e| ConfineError(e.to_string()))?;
        for filter in [&no_clone3, &allow] {
            seccompiler::apply_filter_all_threads(filter)
                .map_err(|e| ConfineError(e.to_string()))?;
        }
        Ok(())
    }

    fn program(
        rules: Rules,
        default: SeccompAction,
        arch: TargetArch,
    ) -> Result<BpfProgram, ConfineError> {
        let filter = SeccompFilter::new(rules, default, SeccompAction::Allow, arch)
            .map_err(|e| ConfineError(e.to_string()))?;
        BpfProgram::try_from(filter).map_err(|e| ConfineError(e.to_string()))
    }

    fn when(conditions: Vec<Cond>) -> Result<SeccompRule, ConfineError> {
        SeccompRule::new(conditions).map_err(|e| ConfineError(e.to_string()))
    }

    fn arg(index: u8, len: Len, op: Op, value: u64) -> Result<Cond, ConfineError> {
        Cond::new(index, len, op, value).map_err(|e| ConfineError(e.to_string()))
    }

    /// The system calls a confined suite may make, some only with the arguments shown.
    fn allowed() -> Result<Rules, ConfineError> {
        let mut rules = Rules::new();
        let always = [
            // Descriptors already open: stdout, stderr, the report file.
            libc::SYS_read,
            libc::SYS_write,
            libc::SYS_readv,
            libc::SYS_writev,
            libc::SYS_pread64,
            libc::SYS_pwrite64,
            libc::SYS_lseek,
            libc::SYS_close,
            libc::SYS_fstat,
            libc::SYS_fcntl,
            libc::SYS_fsync,
            libc::SYS_fdatasync,
            libc::SYS_ftruncate,
            libc::SYS_ppoll,
            // Memory.
            libc::SYS_mmap,
            libc::SYS_munmap,
            libc::SYS_mprotect,
            libc::SYS_mremap,
            libc::SYS_madvise,
            libc::SYS_brk,
            // Threads: every check runs on its own.
            libc::SYS_clone3,
            libc::SYS_futex,
            libc::SYS_set_robust_list,
            libc::SYS_rseq,
            libc::SYS_sched_getaffinity,
            libc::SYS_sched_yield,
            libc::SYS_exit,
            libc::SYS_exit_group,
            libc::SYS_restart_syscall,
            // Signals: stack-overflow guards, panics that abort.
            libc::SYS_rt_sigaction,
            libc::SYS_rt_sigprocmask,
            libc::SYS_rt_sigreturn,
            libc::SYS_sigaltstack,
            // Identity, time and randomness.
            libc::SYS_getpid,
            libc::SYS_gettid,
            libc::SYS_getuid,
            libc::SYS_geteuid,
            libc::SYS_getgid,
            libc::SYS_getegid,
            libc::SYS_getrandom,
            libc::SYS_clock_gettime,
            libc::SYS_clock_getres,
            libc::SYS_clock_nanosleep,
            libc::SYS_gettimeofday,
            libc::SYS_nanosleep,
        ];
        for call in always {
            rules.insert(call, vec![]);
        }
        #[cfg(target_arch = "x86_64")]
        rules.insert(libc::SYS_poll, vec![]);

        let thread = libc::CLONE_THREAD as u64;
        rules.insert(
            libc::SYS_clone,
            vec![when(vec![arg(
                0,
                Len::Qword,
                Op::MaskedEq(thread),
                thread,
            )?])?],
        );
        // Signals only to itself (abort raises SIGABRT with tgkill).
        let me = u64::from(std::process::id());
        rules.insert(
            libc::SYS_tgkill,
            vec![when(vec![arg(0, Len::Dword, Op::Eq, me)?])?],
        );
        // Reading limits (a thread's default stack), never setting them.
        rules.insert(
            libc::SYS_prlimit64,
            vec![when(vec![
                arg(0, Len::Dword, Op::Eq, 0)?,
                arg(2, Len::Qword, Op::Eq, 0)?,
            ])?],
        );
        // A thread names itself.
        rules.insert(
            libc::SYS_prctl,
            vec![
                when(vec![arg(0, Len::Dword, Op::Eq, libc::PR_SET_NAME as u64)?])?,
                when(vec![arg(0, Len::Dword, Op::Eq, libc::PR_GET_NAME as u64)?])?,
            ],
        );
        // Terminal queries, to colour the output. (Request numbers have a different type on
        // other targets, hence the casts.)
        #[allow(clippy::unnecessary_cast)]
        rules.insert(
            libc::SYS_ioctl,
            vec![
                when(vec![arg(1, Len::Dword, Op::Eq, libc::TCGETS as u64)?])?,
                when(vec![arg(1, Len::Dword, Op::Eq, libc::TIOCGWINSZ as u64)?])?,
            ],
        );
        // `File::metadata` on an open descriptor: an empty path relative to that descriptor,
        // never the current directory.
        let empty = libc::AT_EMPTY_PATH as u64;
        let cwd = libc::AT_FDCWD as u32 as u64;
        rules.insert(
            libc::SYS_statx,
            vec![when(vec![
                arg(0, Len::Dword, Op::Ne, cwd)?,
                arg(2, Len::Dword, Op::MaskedEq(empty), empty)?,
            ])?],
        );
        rules.insert(
            libc::SYS_newfstatat,
            vec![when(vec![
                arg(0, Len::Dword, Op::Ne, cwd)?,
                arg(3, Len::Dword, Op::MaskedEq(empty), empty)?,
            ])?],
        );
        Ok(rules)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::ConfineError;

    pub fn lock_down() -> Result<(), ConfineError> {
        Err(ConfineError(
            "it needs Linux's seccomp, which this system does not have".into(),
        ))
    }
}
