//! Running one shell command of an attempt, with its output kept as
//! evidence: `<log>.stdout` and `<log>.stderr`, created new in the attempt.
//!
//! The process itself — its own process group, the timeout, the signals,
//! what it leaves behind — is [`stablegate_io::process`]'s, the one runner
//! of the workspace. Commands run with `sh -c` in the configuration's
//! directory; `script` carries the substituted values in its environment
//! ([`stablegate_io::shell`]). What the exit status means is the caller's.
//! `state.json` is written before the command starts (with the ledger's
//! pending hashes) and again when it ends, after whatever it left in the
//! attempt is hashed into the evidence ledger ([`crate::ledger`]). A command
//! killed because stablegate received a signal is an error
//! ([`ReleaseError::CommandInterrupted`]): nothing may judge its output.

use std::path::Path;
use std::time::Duration;

use stablegate_io::process::{self, Ended, Output, Spec};
use stablegate_io::shell::Script;

use crate::error::ReleaseError;
use crate::files;
use crate::ledger;
use crate::stage::AttemptCx;

/// Runs `script` with `env` added, its output in `<log>.stdout` and
/// `<log>.stderr` (`log` absolute, without extension); returns how it ended
/// and how long it took.
pub fn run(
    cx: &mut AttemptCx<'_>,
    script: &Script,
    env: Vec<(String, String)>,
    log: &Path,
    timeout: Option<Duration>,
) -> Result<(Ended, Duration), ReleaseError> {
    let with = |extension: &str| {
        let mut name = log.as_os_str().to_owned();
        name.push(extension);
        std::path::PathBuf::from(name)
    };
    // The hashes of what stablegate wrote so far reach `state.json` before
    // the command can touch those files: a gate killed during the command
    // still leaves them recorded.
    cx.state.write(cx.dir)?;
    let stdout = files::create_new(&with(".stdout"))?;
    let stderr = files::create_new(&with(".stderr"))?;
    let spec = Spec::shell(&script.text, cx.workdir)
        .envs(script.env.iter().cloned())
        .envs(env)
        .stdout(Output::File(stdout))
        .stderr(Output::File(stderr))
        .timeout(timeout);
    let finished = process::run(spec)?;
    // What the command wrote (its logs, a result file, a report, anything
    // else in the attempt) is hashed now, before the next command can touch
    // it, and the ledger is kept in `state.json` at once.
    ledger::sweep(cx.dir, &mut cx.state.evidence)?;
    cx.state.write(cx.dir)?;
    if let Ended::Interrupted { signal } = finished.ended {
        return Err(ReleaseError::CommandInterrupted { signal });
    }
    Ok((finished.ended, finished.took))
}
