//! The operating system's walls around student code, shared by the confined compiler
//! (`rustc_wrapper`) and the suite's launcher (`sandbox`): Landlock for files and TCP, seccomp
//! for processes, signals and namespaces, and a probe that says whether this system has both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd,
    Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope,
};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen as Len, SeccompCmpOp as Op,
    SeccompCondition as Cond, SeccompFilter, SeccompRule, TargetArch,
};

/// The Landlock features the walls cannot do without: files (with truncation) and TCP.
const REQUIRED: ABI = ABI::V4;
/// Newer features used where the kernel has them: device ioctls, signal and socket scoping.
const WANTED: ABI = ABI::V6;

/// Where the dynamic loader finds a program's shared libraries.
pub const LOADER_PATHS: &[&str] = &[
    "/lib",
    "/lib64",
    "/lib32",
    "/usr/lib",
    "/usr/lib64",
    "/usr/lib32",
    "/etc/ld.so.cache",
];

/// Checks that this system can build the walls: Landlock (ABI 4 or later) and seccomp filters.
///
/// # Errors
///
/// Says which is missing, in words an instructor can act on.
pub fn probe() -> Result<()> {
    let landlock = Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_all(REQUIRED))
        .and_then(|r| r.handle_access(AccessNet::from_all(REQUIRED)))
        .and_then(|r| r.create());
    if let Err(err) = landlock {
        bail!("this system has no Landlock with file and TCP rules (Linux 6.7 or later): {err}");
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if !status.lines().any(|l| l.starts_with("Seccomp_filters:")) {
        bail!("this system has no seccomp filters");
    }
    Ok(())
}

/// What a confined process may touch on the file system; everything else is denied, and so is
/// every TCP bind and connect.
#[derive(Debug, Default)]
pub struct Paths {
    /// Read and execute (files, or directories with everything beneath).
    pub execute: Vec<PathBuf>,
    /// Read only (files, or directories with everything beneath).
    pub read: Vec<PathBuf>,
    /// Directories that may be listed, without reading the files in them.
    pub list: Vec<PathBuf>,
    /// Existing files that may be written and truncated (not created or removed).
    pub write_files: Vec<PathBuf>,
    /// Directories beneath which anything may be created, written and removed.
    pub write_dirs: Vec<PathBuf>,
}

/// Confines the calling thread, and every process it then starts or becomes, to `paths`, with no
/// TCP and (where the kernel has it) no signals to processes outside. Sets no-new-privileges.
/// Paths that do not exist are skipped.
///
/// # Errors
///
/// When the kernel lacks Landlock ABI 4 or a rule cannot be added.
pub fn landlock(paths: &Paths) -> Result<()> {
    let read = AccessFs::ReadFile | AccessFs::ReadDir;
    let execute = read | AccessFs::Execute;
    let write_file = AccessFs::WriteFile | AccessFs::Truncate;
    let write_dir = AccessFs::from_all(WANTED);
    // One rule per path, with the union of its rights: the kernel joins them anyway.
    let mut rules: BTreeMap<PathBuf, BitFlags<AccessFs>> = BTreeMap::new();
    let mut add = |list: &[PathBuf], access: BitFlags<AccessFs>| {
        for path in list {
            *rules.entry(path.clone()).or_insert_with(BitFlags::empty) |= access;
        }
    };
    add(&paths.execute, execute);
    add(&paths.read, read);
    add(&paths.list, AccessFs::ReadDir.into());
    add(&paths.write_files, write_file);
    add(&paths.write_dirs, write_dir);

    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_all(REQUIRED))?
        .handle_access(AccessNet::from_all(REQUIRED))?
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(WANTED))?
        .scope(Scope::from_all(WANTED))?
        .create()?;
    for (path, access) in rules {
        let Ok(fd) = PathFd::new(&path) else { continue };
        let access = if path.is_dir() {
            access
        } else {
            access & AccessFs::from_file(WANTED)
        };
        ruleset = ruleset
            .add_rule(PathBeneath::new(fd, access))
            .with_context(|| format!("cannot add a Landlock rule for {}", path.display()))?;
    }
    let status = ruleset.restrict_self()?;
    if status.ruleset == RulesetStatus::NotEnforced {
        bail!("the kernel did not enforce the Landlock rules");
    }
    Ok(())
}

/// What the suite's process may not do, whatever Landlock allows: start processes, open
/// sockets, trace or read other processes, change namespaces or mounts, raise its limits, leave
/// its process group, or signal anything outside its own group. `me` is its process id, which
/// is also its group's.
///
/// A deny-list, because the harness installs its own allow-list on top before any student code
/// runs; this layer holds even if that one were missing. `clone3` answers `ENOSYS` so that glibc
/// falls back to `clone`, whose flags a filter can read.
///
/// # Errors
///
/// When the filter cannot be built or installed.
pub fn deny_processes(me: u32) -> Result<()> {
    let arch = TargetArch::try_from(std::env::consts::ARCH)
        .map_err(|e| anyhow::anyhow!("seccomp: {e:?}"))?;
    let me = u64::from(me);
    let group = u64::from((-(me as i64)) as u32);
    let mut deny: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for call in [
        libc::SYS_socket,
        libc::SYS_socketpair,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_pidfd_open,
        libc::SYS_pidfd_getfd,
        libc::SYS_pidfd_send_signal,
        libc::SYS_tkill,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_setsid,
        libc::SYS_setpgid,
        libc::SYS_setrlimit,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
    ] {
        deny.insert(call, vec![]);
    }
    #[cfg(target_arch = "x86_64")]
    for call in [libc::SYS_fork, libc::SYS_vfork] {
        deny.insert(call, vec![]);
    }
    let rule = |conditions: Vec<Cond>| SeccompRule::new(conditions);
    let cond = |index, op, value| Cond::new(index, Len::Dword, op, value);
    let thread = libc::CLONE_THREAD as u64;
    deny.insert(
        libc::SYS_clone,
        vec![rule(vec![Cond::new(
            0,
            Len::Qword,
            Op::MaskedEq(thread),
            0,
        )?])?],
    );
    // kill(0 | me | -me, …) reaches only its own group; anything else is refused.
    deny.insert(
        libc::SYS_kill,
        vec![rule(vec![
            cond(0, Op::Ne, 0)?,
            cond(0, Op::Ne, me)?,
            cond(0, Op::Ne, group)?,
        ])?],
    );
    for call in [
        libc::SYS_tgkill,
        libc::SYS_rt_sigqueueinfo,
        libc::SYS_rt_tgsigqueueinfo,
    ] {
        deny.insert(call, vec![rule(vec![cond(0, Op::Ne, me)?])?]);
    }
    // Reading its own limits is fine (glibc does, for thread stacks); setting any is not.
    deny.insert(
        libc::SYS_prlimit64,
        vec![
            rule(vec![cond(0, Op::Ne, 0)?, cond(0, Op::Ne, me)?])?,
            rule(vec![Cond::new(2, Len::Qword, Op::Ne, 0)?])?,
        ],
    );
    let mut clone3 = BTreeMap::new();
    clone3.insert(libc::SYS_clone3, vec![]);
    let filters = [
        SeccompFilter::new(
            deny,
            SeccompAction::Allow,
            SeccompAction::Errno(libc::EPERM as u32),
            arch,
        )?,
        SeccompFilter::new(
            clone3,
            SeccompAction::Allow,
            SeccompAction::Errno(libc::ENOSYS as u32),
            arch,
        )?,
    ];
    for filter in filters {
        let program = BpfProgram::try_from(filter)?;
        seccompiler::apply_filter(&program)?;
    }
    Ok(())
}

/// `path` made absolute against the current directory, without resolving links.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
