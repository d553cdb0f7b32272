//! `command` gates: running the detector and deciding whether it worked.
//!
//! The command runs as `sh -c COMMAND` in the project root, with the
//! environment inherited and standard input closed, in its own process group
//! so that a timeout, or a signal to stablegate, ends everything it started
//! ([`stablegate_io::process`], the workspace's one runner). Standard output
//! is kept whole (it is the findings, up to 1 GiB); of standard error only
//! the last 64 KiB, for messages. Exit status 0 and 1 mean the detector ran (1 being the linters'
//! "found something"), provided its output is findings ([`super::output`]);
//! exit 1 with empty or unparsable output, any other status, death by a
//! signal, or running past the timeout is an error naming the command, the
//! status and the tail of its standard error. A detector that exits but
//! leaves a process holding its output open is not waited for: after a
//! short grace that process is killed and the output read so far is the
//! detector's.

use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

use stablegate_io::process::{self, Ended, Output, RunError, Spec};
use stablegate_io::read;
use thiserror::Error;

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
    let ran = run(root, command, &[], timeout).map_err(|problem| SourceError::Command {
        command: command.to_owned(),
        problem: problem.into(),
    })?;
    interpret(root, gate, command, &ran)
}

/// What a finished detector run means for gate `gate`: its findings, or an
/// error naming the command, its status and the tail of its standard error.
pub(crate) fn interpret(
    root: &Path,
    gate: &str,
    command: &str,
    ran: &Ran,
) -> Result<Reported, SourceError> {
    let fail = |problem| SourceError::Command {
        command: command.to_owned(),
        problem,
    };
    let stderr_tail = || tail(&ran.stderr);
    let code = ran.status.code();
    let blank = ran.stdout.iter().all(u8::is_ascii_whitespace);
    match code {
        Some(0) => output::parse(root, gate, command, &ran.stdout),
        Some(1) if !blank => output::parse(root, gate, command, &ran.stdout).map_err(|err| {
            fail(DetectorError::NotFindings {
                output: Box::new(err),
                stderr_tail: stderr_tail(),
            })
        }),
        Some(1) => Err(fail(DetectorError::NoFindings {
            stderr_tail: stderr_tail(),
        })),
        _ => Err(fail(DetectorError::Failed {
            status: ran.status,
            stderr_tail: stderr_tail(),
        })),
    }
}

pub(crate) struct Ran {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why a detector gave no findings; reads after the command. `stderr_tail`
/// is [`tail`] of its standard error (`"; stderr:\n…"` or empty).
#[derive(Debug, Error)]
pub enum DetectorError {
    /// It could not start, or did not exit by itself.
    #[error(transparent)]
    Run(#[from] CommandError),
    /// It exited with status 1 and printed something that is not findings.
    #[error("exited with status 1 and its output is not findings ({output}){stderr_tail}")]
    NotFindings {
        #[source]
        output: Box<SourceError>,
        stderr_tail: String,
    },
    /// It exited with status 1 and printed nothing.
    #[error("exited with status 1 and printed no findings{stderr_tail}")]
    NoFindings { stderr_tail: String },
    /// It exited with another status, or was killed by a signal.
    #[error("failed ({}){stderr_tail}", describe(*status))]
    Failed {
        status: ExitStatus,
        stderr_tail: String,
    },
}

/// How a command did not exit by itself; `stderr_tail` is [`tail`] of its
/// standard error (`"; stderr:\n…"` or empty).
#[derive(Debug, Error)]
pub enum CommandError {
    /// The shell could not be started.
    #[error(transparent)]
    Start(#[from] RunError),
    /// The command ran past its timeout and was killed.
    #[error("did not finish within {} and was killed{stderr_tail}", process::duration(*after))]
    TimedOut {
        after: Duration,
        stderr_tail: String,
    },
    /// The command was stopped another way (interrupted, output past its
    /// limit).
    #[error("{}{stderr_tail}", ended.describe())]
    Stopped { ended: Ended, stderr_tail: String },
}

/// Runs `sh -c COMMAND` in `root` with `env` added, through the workspace's
/// one runner ([`stablegate_io::process`]). Every way it did not exit by
/// itself is an error message.
pub(crate) fn run(
    root: &Path,
    command: &str,
    env: &[(String, String)],
    timeout: Duration,
) -> Result<Ran, CommandError> {
    let spec = Spec::shell(command, root)
        .envs(env.iter().cloned())
        .stdout(Output::Capture {
            limit: read::REPORT_LIMIT,
        })
        .stderr(Output::Tail { keep: STDERR_KEPT })
        .timeout(Some(timeout));
    let finished = process::run(spec)?;
    match finished.ended {
        Ended::Exited(status) => Ok(Ran {
            status,
            stdout: finished.stdout,
            stderr: finished.stderr,
        }),
        Ended::TimedOut(after) => Err(CommandError::TimedOut {
            after,
            stderr_tail: tail(&finished.stderr),
        }),
        ended => Err(CommandError::Stopped {
            ended,
            stderr_tail: tail(&finished.stderr),
        }),
    }
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
    use std::time::Instant;

    fn sh(command: &str, timeout: Duration) -> Result<Ran, String> {
        run(&std::env::temp_dir(), command, &[], timeout).map_err(|err| err.to_string())
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
    fn a_background_process_holding_stdout_cannot_hold_the_detector() {
        let started = Instant::now();
        let ran = sh("echo hi; sleep 30 &", Duration::from_secs(60)).unwrap();
        assert_eq!(ran.stdout, b"hi\n");
        assert!(ran.status.success());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn only_the_tail_of_stderr_is_kept_and_shown() {
        let ran = sh(
            "i=0; while [ $i -lt 20000 ]; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx >&2; i=$((i+1)); done",
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(ran.stderr.len(), STDERR_KEPT);
        let text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let shown = tail(text.as_bytes());
        assert!(
            shown.starts_with("; stderr:\nline 11\n") && shown.ends_with("line 30"),
            "{shown}"
        );
        assert_eq!(tail(b"\n \n"), "");
    }
}
