//! Child processes under a deadline: every program mlings starts that might not end on its own
//! (a plot program, a batch build, the confined compiler, a suite in the sandbox) is waited for
//! here, and stopped when its time is up.

use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// What a passed deadline stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The child alone.
    Child,
    /// The child's whole process group: the child must lead its own (`process_group(0)`), and
    /// whatever it started dies with it however it ends, so nothing it left behind runs on.
    Group,
}

/// How often a running child is looked at.
const POLL: Duration = Duration::from_millis(20);

/// Waits for `child` until `deadline`: its exit status, or `None` when the deadline passed and it
/// was killed (as `stop` says) and reaped.
pub fn wait_until(
    child: &mut Child,
    deadline: Instant,
    stop: Stop,
) -> std::io::Result<Option<ExitStatus>> {
    let group = Pid::from_raw(child.id() as i32);
    let kill_group = || {
        if stop == Stop::Group {
            let _ = killpg(group, Signal::SIGKILL);
        }
    };
    loop {
        if let Some(status) = child.try_wait()? {
            kill_group();
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            kill_group();
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(POLL);
    }
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::CommandExt as _;
    use std::process::Command;

    use super::*;

    #[test]
    fn a_child_that_ends_in_time_gives_its_status() {
        let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn().unwrap();
        let status = wait_until(
            &mut child,
            Instant::now() + Duration::from_secs(60),
            Stop::Child,
        );
        assert_eq!(status.unwrap().and_then(|s| s.code()), Some(3));
    }

    #[test]
    fn a_group_past_its_deadline_is_stopped() {
        let mut child = Command::new("sh")
            .args(["-c", "sleep 60 & sleep 60"])
            .process_group(0)
            .spawn()
            .unwrap();
        let status = wait_until(&mut child, Instant::now(), Stop::Group).unwrap();
        assert!(status.is_none());
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
