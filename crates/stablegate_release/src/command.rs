//! Running one shell command of an attempt, with its output kept as
//! evidence: `<log>.stdout` and `<log>.stderr`, created new in the attempt.
//!
//! The process itself — its own process group, the timeout, the signals,
//! what it leaves behind — is [`stablegate_io::process`]'s, the one runner
//! of the workspace. Commands run with `sh -c` in the configuration's
//! directory; `script` carries the substituted values in its environment
//! ([`stablegate_io::shell`]). What the exit status means is the caller's.

use std::path::Path;
use std::time::Duration;

use stablegate_io::process::{self, Ended, Output, Spec};
use stablegate_io::shell::Script;

use crate::error::ReleaseError;
use crate::files;
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
    let stdout = files::create_new(&with(".stdout"))?;
    let stderr = files::create_new(&with(".stderr"))?;
    let spec = Spec::shell(&script.text, cx.workdir)
        .envs(script.env.iter().cloned())
        .envs(env)
        .stdout(Output::File(stdout))
        .stderr(Output::File(stderr))
        .timeout(timeout);
    let finished = process::run(spec)?;
    Ok((finished.ended, finished.took))
}
