//! `command` gates: running the detector and deciding whether it worked.
//!
//! The command runs as `sh -c COMMAND` in the project root, with the
//! environment inherited and standard input closed, in its own process group
//! so that a timeout ends everything it started. Standard output is kept
//! whole (it is the findings); of standard error only the last 64 KiB, for
//! messages. Exit status 0 and 1 mean the detector ran (1 being the linters'
//! "found something"), provided its output is findings ([`super::output`]);
//! exit 1 with empty or unparsable output, any other status, death by a
//! signal, or running past the timeout is an error naming the command, the
//! status and the tail of its standard error. A detector that exits but
//! leaves a process holding its output open is waited for until the timeout.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::error::SourceError;
use super::external::Reported;
use super::output;

/// How much of standard error is kept.
const STDERR_KEPT: usize = 64 * 1024;
/// How much of it a message shows.
const STDERR_SHOWN_LINES: usize = 20;

/// Runs the gate's detector and reads its findings.
pub(crate) fn findings(
    root: &Path,
    gate: &str,
    command: &str,
    timeout: Duration,
) -> Result<Reported, SourceError> {
    let fail = |problem: String| SourceError::Command {
        command: command.to_owned(),
        problem,
    };
    let ran = run(root, command, &[], timeout).map_err(fail)?;
    let code = ran.status.code();
    let blank = ran.stdout.iter().all(u8::is_ascii_whitespace);
    match code {
        Some(0) => output::parse(root, gate, command, &ran.stdout),
        Some(1) if !blank => output::parse(root, gate, command, &ran.stdout).map_err(|err| {
            fail(format!(
                "exited with status 1 and its output is not findings ({err}){}",
                tail(&ran.stderr)
            ))
        }),
        Some(1) => Err(fail(format!(
            "exited with status 1 and printed no findings{}",
            tail(&ran.stderr)
        ))),
        _ => Err(fail(format!(
            "failed ({}){}",
            describe(ran.status),
            tail(&ran.stderr)
        ))),
    }
}

pub(crate) struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

enum Stream {
    Out(std::io::Result<Vec<u8>>),
    Err(Vec<u8>),
}

pub(crate) fn run(
    root: &Path,
    command: &str,
    env: &[(String, String)],
    timeout: Duration,
) -> Result<Ran, String> {
    let mut builder = Command::new("sh");
    builder
        .arg("-c")
        .arg(command)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        std::os::unix::process::CommandExt::process_group(&mut builder, 0);
    }
    let mut child = builder
        .spawn()
        .map_err(|err| format!("cannot start `sh`: {err}"))?;
    let deadline = Instant::now() + timeout;
    let (sender, streams) = mpsc::channel();
    if let Some(mut stdout) = child.stdout.take() {
        let sender = sender.clone();
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let result = stdout.read_to_end(&mut buffer).map(|_| buffer);
            let _ = sender.send(Stream::Out(result));
        });
    }
    if let Some(stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            let _ = sender.send(Stream::Err(read_tail(stderr)));
        });
    }
    let timed_out = || {
        format!(
            "did not finish within {} s and was killed",
            timeout.as_secs()
        )
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                kill(&mut child);
                return Err(timed_out());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(err) => {
                kill(&mut child);
                return Err(format!("cannot wait for it: {err}"));
            }
        }
    };
    let (mut stdout, mut stderr) = (None, Vec::new());
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match streams.recv_timeout(left) {
            Ok(Stream::Out(result)) => {
                stdout = Some(result.map_err(|err| format!("cannot read its output: {err}"))?)
            }
            Ok(Stream::Err(tail)) => stderr = tail,
            Err(_) => {
                kill(&mut child);
                return Err(format!(
                    "{} (a process it started kept its output open)",
                    timed_out()
                ));
            }
        }
    }
    Ok(Ran {
        status,
        stdout: stdout.unwrap_or_default(),
        stderr,
    })
}

/// Reads a stream to its end, keeping the last [`STDERR_KEPT`] bytes.
fn read_tail(mut stream: impl Read) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut chunk = [0u8; 8192];
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        kept.extend_from_slice(&chunk[..n]);
        if kept.len() > 2 * STDERR_KEPT {
            kept.drain(..kept.len() - STDERR_KEPT);
        }
    }
    let excess = kept.len().saturating_sub(STDERR_KEPT);
    kept.drain(..excess);
    kept
}

/// Kills the detector's whole process group, then reaps the shell.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Ok(group) = libc::pid_t::try_from(child.id()) {
            // SAFETY: killpg only sends a signal; the group id is the child's
            // pid, which leads the group it was started in
            // (`process_group(0)`), and the child is not reaped yet, so the id
            // cannot have been reused.
            unsafe {
                libc::killpg(group, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub(crate) fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    #[cfg(unix)]
    {
        if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

/// `"; stderr: …"` with the last lines of standard error, or nothing.
pub(crate) fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let shown = &lines[lines.len().saturating_sub(STDERR_SHOWN_LINES)..];
    format!("; stderr:\n{}", shown.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(command: &str, timeout: Duration) -> Result<Ran, String> {
        run(&std::env::temp_dir(), command, &[], timeout)
    }

    #[test]
    fn output_and_status_are_captured_with_stdin_closed() {
        let ran = sh(
            "cat; echo out; echo err >&2; exit 3",
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(ran.stdout, b"out\n");
        assert_eq!(ran.stderr, b"err\n");
        assert_eq!(ran.status.code(), Some(3));
    }

    #[test]
    fn a_detector_past_its_timeout_is_killed_with_its_children() {
        let started = Instant::now();
        let err = sh("sleep 30 & sleep 30", Duration::from_millis(300))
            .err()
            .unwrap();
        assert!(err.starts_with("did not finish within"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_background_process_holding_stdout_is_cut_at_the_timeout() {
        let started = Instant::now();
        let err = sh("echo hi; sleep 30 &", Duration::from_millis(500))
            .err()
            .unwrap();
        assert!(err.contains("kept its output open"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn only_the_tail_of_stderr_is_kept_and_shown() {
        let kept = read_tail(&vec![b'x'; 3 * STDERR_KEPT][..]);
        assert_eq!(kept.len(), STDERR_KEPT);
        let text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let shown = tail(text.as_bytes());
        assert!(
            shown.starts_with("; stderr:\nline 11\n") && shown.ends_with("line 30"),
            "{shown}"
        );
        assert_eq!(tail(b"\n \n"), "");
    }
}
