//! Running one shell command of the protocol: in its own process group,
//! with its output in log files, under a timeout.
//!
//! The command runs as `sh -c COMMAND` in a new process group
//! (`process_group(0)`), so that a timeout can kill everything it started
//! (`killpg(SIGKILL)`), not only the shell. A thread waits for the child and
//! the caller waits on a channel with the timeout, so a fast command costs no
//! polling delay. What the exit status means is for the caller.
//!
//! Because the command has a process group of its own, a Ctrl-C on the
//! terminal reaches only stablegate; so while a command runs, `SIGINT`,
//! `SIGTERM` and `SIGHUP` kill its group before stablegate dies of the same
//! signal (the attempt is then `INTERRUPTED`, as after any death). `SIGKILL`
//! cannot be caught: after `kill -9` of stablegate the command runs on.

use std::fs::File;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{mpsc, Once};
use std::time::{Duration, Instant};

use crate::error::ReleaseError;

/// A command to run.
pub struct Shell<'a> {
    pub command: &'a str,
    pub cwd: &'a Path,
    /// Variables added to the inherited environment.
    pub env: Vec<(String, String)>,
    pub stdout: File,
    pub stderr: File,
    pub timeout: Option<Duration>,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It exited by itself (with a code or by a signal).
    Exited(ExitStatus),
    /// It ran past its timeout; its process group was killed.
    TimedOut,
}

impl Ended {
    pub fn success(self) -> bool {
        matches!(self, Ended::Exited(status) if status.success())
    }

    /// For messages: `exited with 3`, `killed by signal 9`, `timed out`.
    pub fn describe(self) -> String {
        match self {
            Ended::Exited(status) => match (status.code(), status.signal()) {
                (Some(code), _) => format!("exited with {code}"),
                (None, Some(signal)) => format!("killed by signal {signal}"),
                (None, None) => "ended without a status".to_owned(),
            },
            Ended::TimedOut => "timed out".to_owned(),
        }
    }
}

/// The process group of the command running now (0: none).
static RUNNING_GROUP: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(signal: libc::c_int) {
    let group = RUNNING_GROUP.load(Ordering::SeqCst);
    // SAFETY: killpg, signal and raise are async-signal-safe.
    unsafe {
        if group > 0 {
            libc::killpg(group, libc::SIGKILL);
        }
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

fn forward_signals() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: installs a handler that only calls async-signal-safe
            // functions.
            unsafe { libc::signal(signal, forward as *const () as libc::sighandler_t) };
        }
    });
}

/// Runs the command to its end (or its timeout) and reports how it ended
/// and how long it took.
pub fn run(shell: Shell<'_>) -> Result<(Ended, Duration), ReleaseError> {
    let started = Instant::now();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(shell.command)
        .current_dir(shell.cwd)
        .stdin(Stdio::null())
        .stdout(shell.stdout)
        .stderr(shell.stderr)
        .process_group(0);
    for (key, value) in &shell.env {
        command.env(key, value);
    }
    forward_signals();
    let child = command.spawn().map_err(ReleaseError::io("sh"))?;
    let group = child.id() as libc::pid_t;
    RUNNING_GROUP.store(group, Ordering::SeqCst);
    let ended = wait(child, group, shell.timeout);
    RUNNING_GROUP.store(0, Ordering::SeqCst);
    Ok((ended?, started.elapsed()))
}

/// Waits for the child, killing its group at the timeout.
fn wait(
    mut child: std::process::Child,
    group: libc::pid_t,
    timeout: Option<Duration>,
) -> Result<Ended, ReleaseError> {
    let Some(timeout) = timeout else {
        return Ok(Ended::Exited(child.wait().map_err(ReleaseError::io("sh"))?));
    };
    let (sender, receiver) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = sender.send(child.wait());
    });
    let ended = match receiver.recv_timeout(timeout) {
        Ok(status) => Ended::Exited(status.map_err(ReleaseError::io("sh"))?),
        Err(_) => {
            // SAFETY: signals the process group this function created; the
            // child is not reaped yet (the waiter still waits), so its id,
            // and with it the group id, cannot have been reused.
            unsafe { libc::killpg(group, libc::SIGKILL) };
            let _ = receiver.recv();
            Ended::TimedOut
        }
    };
    let _ = waiter.join();
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell<'a>(dir: &'a Path, command: &'a str, timeout: Option<Duration>) -> Shell<'a> {
        Shell {
            command,
            cwd: dir,
            env: Vec::new(),
            stdout: File::create(dir.join("out")).unwrap(),
            stderr: File::create(dir.join("err")).unwrap(),
            timeout,
        }
    }

    #[test]
    fn output_goes_to_the_log_files_and_the_status_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (ended, _) = run(shell(dir.path(), "echo hi; echo oops >&2; exit 3", None)).unwrap();
        assert_eq!(ended.describe(), "exited with 3");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out")).unwrap(),
            "hi\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("err")).unwrap(),
            "oops\n"
        );
    }

    #[test]
    fn a_timeout_kills_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let command = "sleep 30 & echo $! > bg; wait";
        let (ended, took) =
            run(shell(dir.path(), command, Some(Duration::from_millis(300)))).unwrap();
        assert_eq!(ended, Ended::TimedOut);
        assert!(took < Duration::from_secs(5), "{took:?}");
        let background: i32 = std::fs::read_to_string(dir.path().join("bg"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // SAFETY: signal 0 only asks whether the process exists.
        let alive = unsafe { libc::kill(background, 0) } == 0;
        let zombie = std::fs::read_to_string(format!("/proc/{background}/stat"))
            .map_or(true, |stat| stat.contains(") Z "));
        assert!(
            !alive || zombie,
            "the background sleep survived the timeout"
        );
    }
}
