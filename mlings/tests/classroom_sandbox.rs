//! The operating system's walls of batch grading, each proven with the source policy off
//! (`--no-policy`): the confined compiler (Landlock, a cleared environment, `unsafe_code` forced,
//! limits), the launcher (Landlock, seccomp, limits) and, inside it, the harness's own lock-down.
//! Every hostile submission in `tests/hostile/os/` scores exactly what it earns, a canary outside
//! the slot keeps its content, no process of a student outlives the batch, and a listener on
//! 127.0.0.1 is never reached.

#![cfg(target_os = "linux")]

mod common;

use std::io::Read as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{HOSTILE, fixture_kit, outcome, result, submission};
use sha2::{Digest as _, Sha256};

fn sha256(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

/// Processes whose command line or working directory names `needle`.
fn processes_naming(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if !pid.bytes().all(|b| b.is_ascii_digit()) || pid == std::process::id().to_string() {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        let cwd = std::fs::read_link(entry.path().join("cwd")).unwrap_or_default();
        if cmdline.contains(needle) || cwd.to_string_lossy().contains(needle) {
            found.push(format!("{pid}: {cmdline} (in {})", cwd.display()));
        }
    }
    found
}

#[test]
fn hostile_submissions_meet_the_walls_without_the_policy() {
    let kit = fixture_kit();
    let work = tempfile::tempdir().unwrap();
    let canary = work.path().join("canary.txt");
    std::fs::write(&canary, "the instructor's private notes").unwrap();
    let canary_hash = sha256(&canary);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port().to_string();

    let subs = work.path().join("submissions");
    let corpus = Path::new(HOSTILE).join("os");
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("@CANARY@", canary.to_str().unwrap())
            .replace("@PORT@", &port);
        submission(&subs, &name, &text);
    }
    let out = work.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .env("CARGO_TARGET_DIR", kit.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("MLINGS_INSTRUCTOR_SECRET", "hunter2")
        .arg("grade-batch")
        .arg(&subs)
        .arg("--out")
        .arg(&out)
        .args(["--jobs", "1", "--timeout", "20", "--memory", "768"])
        .arg("--no-policy")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // `double` is right in each, worth 2 of 5 points; the hostile `add` earns nothing.
    let expected: &[(&str, &str, u64)] = &[
        ("include_via_macro", "does_not_compile", 0),
        ("path_attribute", "does_not_compile", 0),
        ("include_dev_zero", "does_not_compile", 0),
        ("huge_static", "does_not_compile", 0),
        ("allow_unsafe", "does_not_compile", 0),
        ("env_at_compile_time", "graded", 2),
        ("fs_canary", "graded", 2),
        ("fs_probe", "graded", 2),
        ("setsid_child", "graded", 2),
        ("tcp_connect", "graded", 2),
        ("forge_report", "graded", 2),
    ];
    for (student, kind, score) in expected {
        let got = result(&out, student);
        assert_eq!(outcome(&got), (*kind, *score), "{student}: {got:#}");
    }
    // A denied path reads as the compiler's own "cannot read" in the student's feedback.
    for student in ["include_via_macro", "path_attribute", "include_dev_zero"] {
        let detail = result(&out, student)["exercises"]["01-tiny"]["detail"].to_string();
        assert!(
            detail.contains("Permission denied") || detail.contains("couldn't read"),
            "{student}: {detail}"
        );
    }
    let unsafe_detail = result(&out, "allow_unsafe")["exercises"]["01-tiny"]["detail"].to_string();
    assert!(
        unsafe_detail.contains("usage of an `unsafe` block"),
        "{unsafe_detail}"
    );

    assert_eq!(sha256(&canary), canary_hash, "the canary was changed");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a submission reached the listener"
    );
    // The slot now holds the suite's executable (which embeds the hidden checks) and the
    // previous students' libraries; the confined compiler may read neither, even by full path.
    let deps = kit.join("target/mlings-batch/slot-0/target/debug/deps");
    let find = |wanted: &dyn Fn(&str) -> bool| {
        std::fs::read_dir(&deps)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| wanted(&p.file_name().unwrap().to_string_lossy()))
            .unwrap_or_else(|| panic!("nothing such in {}", deps.display()))
    };
    let suite = find(&|n| n.starts_with("grade-") && !n.contains('.'));
    let library = find(&|n| n.starts_with("libtiny-") && n.ends_with(".rmeta"));
    // Graded as root, the student's rustc ran as the slot's own unprivileged compiler user
    // (64500 for slot 0), so what it wrote is that user's, though rustup's toolchain sits in
    // root's home.
    if nix::unistd::geteuid().is_root() {
        use std::os::unix::fs::MetadataExt as _;
        let newest = std::fs::read_dir(&deps)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("libtiny-"))
            .max_by_key(|e| e.metadata().unwrap().modified().unwrap())
            .unwrap();
        let owner = newest.metadata().unwrap().uid();
        assert_eq!(owner, 64_500, "the student's compiler ran as user {owner}");
    }
    let again = work.path().join("again");
    for (name, path) in [("read_suite", &suite), ("read_library", &library)] {
        submission(
            &again,
            name,
            &format!(
                "const STOLEN: &[u8] = include_bytes!({:?});\n\
                 pub fn add(a: i64, b: i64) -> i64 {{ a + b + STOLEN.len() as i64 * 0 }}\n\
                 pub fn double(x: i64) -> i64 {{ 2 * x }}\n",
                path.to_str().unwrap()
            ),
        );
    }
    let run = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .env("MLINGS_ROOT", &kit)
        .env("CARGO_TARGET_DIR", kit.join("target"))
        .env("CARGO_NET_OFFLINE", "true")
        .arg("grade-batch")
        .arg(&again)
        .arg("--out")
        .arg(work.path().join("out-again"))
        .args([
            "--jobs",
            "1",
            "--timeout",
            "20",
            "--memory",
            "768",
            "--no-policy",
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for student in ["read_suite", "read_library"] {
        let got = result(&work.path().join("out-again"), student);
        assert_eq!(outcome(&got), ("does_not_compile", 0), "{student}: {got:#}");
        let detail = got["exercises"]["01-tiny"]["detail"].to_string();
        assert!(detail.contains("Permission denied"), "{student}: {detail}");
    }

    let slots = kit.join("target").join("mlings-batch");
    let alive: Vec<String> = processes_naming(slots.to_str().unwrap())
        .into_iter()
        .chain(processes_naming("sleep 3127"))
        .collect();
    assert!(alive.is_empty(), "left running: {alive:#?}");
}

/// The launcher confines a program it did not build: `/bin/cat` may not read `/etc/hostname`.
#[test]
fn launcher_lets_a_program_read_nothing_but_itself() {
    let launch = |confine: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mlings"));
        command.args([
            "__sandbox",
            "--memory-mb=512",
            "--processes=64",
            "--file-mb=1",
            "--cpu-secs=5",
        ]);
        if confine {
            command.arg("--confine");
        }
        command
            .args(["--", "/bin/cat", "/etc/hostname"])
            .output()
            .unwrap()
    };
    assert!(launch(false).status.success(), "the control run failed");
    let confined = launch(true);
    assert!(!confined.status.success());
    assert!(
        String::from_utf8_lossy(&confined.stderr).contains("Permission denied"),
        "{}",
        String::from_utf8_lossy(&confined.stderr)
    );
}

/// Compiles the one-file Rust program `source` into `dir/name` with the toolchain's rustc.
fn build_program(dir: &Path, name: &str, source: &str) -> PathBuf {
    let file = dir.join(format!("{name}.rs"));
    std::fs::write(&file, source).unwrap();
    let program = dir.join(name);
    let built = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("--edition=2024")
        .arg("-o")
        .arg(&program)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    program
}

/// A probe built here, run confined by the launcher: it cannot start a process, connect, read a
/// file or signal its parent; it can still run threads and write the one file it was given.
#[test]
fn launcher_denies_processes_sockets_and_files_to_a_program() {
    let work = tempfile::tempdir().unwrap();
    let probe = build_program(
        work.path(),
        "probe",
        r#"
use std::io::Write;
fn say(name: &str, ok: bool) { println!("{name}: {}", if ok { "ok" } else { "denied" }); }
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (port, writable, secret) = (&args[1], &args[2], &args[3]);
    say("thread", std::thread::spawn(|| 1).join().is_ok());
    say("write_given", std::fs::OpenOptions::new().write(true).open(writable)
        .and_then(|mut f| f.write_all(b"report")).is_ok());
    say("spawn", std::process::Command::new("/bin/true").status().is_ok());
    say("connect", std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_ok());
    say("read", std::fs::read(secret).is_ok());
    say("create", std::fs::write(format!("{writable}.new"), "x").is_ok());
    say("list", std::fs::read_dir("/").is_ok());
}
"#,
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let writable = work.path().join("report.json");
    let secret = work.path().join("secret.txt");
    std::fs::write(&secret, "secret").unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .args([
            "__sandbox",
            "--memory-mb=512",
            "--processes=64",
            "--file-mb=1",
            "--cpu-secs=5",
            "--confine",
            "--writable",
        ])
        .arg(&writable)
        .arg("--")
        .arg(&probe)
        .arg(&port)
        .arg(&writable)
        .arg(&secret)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expect = |name: &str, value: &str| {
        assert!(
            stdout.lines().any(|l| l == format!("{name}: {value}")),
            "{name} should be {value}\nstdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    expect("thread", "ok");
    expect("write_given", "ok");
    for name in ["spawn", "connect", "read", "create", "list"] {
        expect(name, "denied");
    }
    let mut written = String::new();
    std::fs::File::open(&writable)
        .unwrap()
        .read_to_string(&mut written)
        .unwrap();
    assert_eq!(written, "report");
    assert!(!PathBuf::from(format!("{}.new", writable.display())).exists());
    assert!(matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock));
}

/// Run as root, the launcher gives a program its own unprivileged user, so the process limit the
/// kernel ignores for root binds: a thread bomb stops at the limit, whatever the memory allows.
/// The program is executed through a descriptor, so it runs even from a folder only root may
/// search, and the file it is given to write is its own.
#[test]
fn launcher_runs_a_program_as_its_own_user_under_a_process_limit() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: only root can run a program as another user");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let bomb = build_program(
        work.path(),
        "bomb",
        r#"
fn main() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let uid = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    println!("{}", uid.split_whitespace().nth(1).unwrap());
    let mut threads = Vec::new();
    while let Ok(t) = std::thread::Builder::new().spawn(|| std::thread::park()) {
        threads.push(t);
    }
    println!("{}", threads.len());
    std::fs::write(std::env::args().nth(1).unwrap(), "report").unwrap();
}
"#,
    );
    let writable = work.path().join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_mlings"))
        .args([
            "__sandbox",
            "--memory-mb=4096",
            "--processes=16",
            "--file-mb=1",
            "--cpu-secs=5",
            "--uid=64123",
            "--writable",
        ])
        .arg(&writable)
        .arg("--")
        .arg(&bomb)
        .arg(&writable)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        out.status.success() && lines.len() == 2,
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines[0], "64123", "the program's user");
    let threads: usize = lines[1].parse().unwrap();
    assert!(threads < 16, "{threads} threads under a limit of 16");
    assert_eq!(std::fs::read_to_string(&writable).unwrap(), "report");
}
