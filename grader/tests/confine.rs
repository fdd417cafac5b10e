//! The harness's wall on its own (`confine::lock_down`), without the batch's launcher: once it
//! is up, a check can still run on threads, panic, read the time and the core count and write
//! to a file opened before, but can no longer open, create, list, stat or execute any file, nor
//! start a process or open a socket.
//!
//! The filter binds the whole process for good, so the test runs itself again as a child that
//! locks itself down and reports, line by line, what worked.

#![cfg(target_os = "linux")]

use std::io::Write as _;
use std::process::Command;

const CHILD_ENV: &str = "MLINGS_GRADER_CONFINE_PROBE";

/// In the child: locks down, then tries each thing and prints `name: ok` or `name: denied`.
fn probe(report: &std::path::Path, canary: &std::path::Path) {
    // libtest has just printed the test's name without a line break.
    println!();
    let mut sink = std::fs::File::create(report).unwrap();
    mlings_grader::confine::lock_down().unwrap();
    let say = |name: &str, ok: bool| println!("{name}: {}", if ok { "ok" } else { "denied" });

    // What the harness needs.
    let thread = std::thread::Builder::new()
        .name("check".into())
        .stack_size(64 << 20)
        .spawn(|| 6 * 7)
        .map(|t| t.join().ok() == Some(42));
    say("thread", thread.unwrap_or(false));
    let caught = std::panic::catch_unwind(|| panic!("a check's panic"));
    say("panic", caught.is_err());
    say(
        "parallelism",
        std::thread::available_parallelism().is_ok_and(|n| n.get() >= 1),
    );
    let start = std::time::Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(5));
    say("time", start.elapsed().as_millis() >= 5);
    say(
        "report",
        sink.write_all(b"{}").is_ok() && sink.flush().is_ok() && sink.metadata().is_ok(),
    );
    say(
        "hashmap",
        std::collections::HashMap::<u8, u8>::from([(1, 2)]).len() == 1,
    );

    // What student code may not do.
    say("open", std::fs::read(canary).is_ok());
    say("write", std::fs::write(canary, "forged").is_ok());
    say(
        "create",
        std::fs::write(report.with_extension("new"), "x").is_ok(),
    );
    say("read_dir", std::fs::read_dir("/").is_ok());
    say("metadata", std::fs::metadata(canary).is_ok());
    say("exists", std::fs::exists(canary).unwrap_or(false));
    say("canonicalize", std::fs::canonicalize(".").is_ok());
    say("current_dir", std::env::current_dir().is_ok());
    say("remove", std::fs::remove_file(canary).is_ok());
    say("spawn", Command::new("/bin/true").status().is_ok());
    say(
        "connect",
        std::net::TcpStream::connect(("127.0.0.1", 9)).is_ok(),
    );
    say(
        "bind",
        std::net::TcpListener::bind(("127.0.0.1", 0)).is_ok(),
    );
    say("udp", std::net::UdpSocket::bind(("127.0.0.1", 0)).is_ok());
}

#[test]
fn lock_down_keeps_threads_and_the_report_and_denies_every_path() {
    let dir = tempfile_dir();
    let report = dir.join("report.json");
    let canary = dir.join("canary.txt");
    if let Some(role) = std::env::var_os(CHILD_ENV) {
        assert_eq!(role, "child");
        probe(&report, &canary);
        return;
    }
    std::fs::write(&canary, "secret").unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "lock_down_keeps_threads_and_the_report_and_denies_every_path",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "child")
        .env("MLINGS_GRADER_CONFINE_DIR", &dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results: Vec<(&str, &str)> = stdout
        .lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(_, v)| *v == "ok" || *v == "denied")
        .collect();
    let get = |name: &str| {
        results
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| {
                panic!(
                    "no result for {name}\nstdout:\n{stdout}\nstderr:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })
    };
    for name in [
        "thread",
        "panic",
        "parallelism",
        "time",
        "report",
        "hashmap",
    ] {
        assert_eq!(get(name), "ok", "{name} must keep working\n{stdout}");
    }
    for name in [
        "open",
        "write",
        "create",
        "read_dir",
        "metadata",
        "exists",
        "canonicalize",
        "current_dir",
        "remove",
        "spawn",
        "connect",
        "bind",
        "udp",
    ] {
        assert_eq!(get(name), "denied", "{name} must be denied\n{stdout}");
    }
    assert_eq!(std::fs::read_to_string(&canary).unwrap(), "secret");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "{}");
    assert!(!report.with_extension("new").exists());
}

/// A fresh directory for the parent, the same one for its child.
fn tempfile_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("MLINGS_GRADER_CONFINE_DIR") {
        return dir.into();
    }
    let dir = std::env::temp_dir().join(format!("mlings-grader-confine-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
