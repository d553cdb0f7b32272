//! Shared detectors (`[[detector]]`, SPEC §12.2): the command runs at most
//! once per stablegate process and per project root, and every gate that
//! names it reads the same run.
//!
//! The run (exit status, standard output, the tail of standard error) is
//! kept in a process-wide table keyed by the canonical root and the
//! detector's name and command; each gate then reads the findings out of it
//! as if it had run the command itself ([`super::command::interpret`]), so a
//! JSON Lines record without `rule` still takes the reading gate's name, and
//! a failed run is reported by every gate that reads it. A run that could
//! not be started or timed out is not kept: the next gate tries again (and
//! fails the same way, exit 2, at the first). The theater triad's copy of
//! the tree changes between legs, so its runs bypass the table
//! ([`super::Options::share_detectors`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use stablegate_config::Detector;

use super::command::{self, Ran};
use super::error::SourceError;
use super::external::Reported;

type Runs = Mutex<HashMap<(PathBuf, String, String), Arc<Ran>>>;

fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(Runs::default)
}

/// The findings of `detector` for gate `gate`, from the process's one run
/// of it in `root` (canonical) when `share` is set, else from a run of its
/// own.
pub(crate) fn findings(
    root: &Path,
    gate: &str,
    detector: &Detector,
    default_timeout: Duration,
    share: bool,
) -> Result<Reported, SourceError> {
    let timeout = detector.timeout.unwrap_or(default_timeout);
    let run = || {
        command::run(root, &detector.command, &[], timeout).map_err(|problem| {
            SourceError::Command {
                command: detector.command.clone(),
                problem: problem.into(),
            }
        })
    };
    if !share {
        return command::interpret(root, gate, &detector.command, &run()?);
    }
    let key = (
        root.to_owned(),
        detector.name.clone(),
        detector.command.clone(),
    );
    // The lock is held while the detector runs: a second gate asking for it
    // waits for this run instead of starting its own.
    let mut table = runs()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let ran = match table.get(&key) {
        Some(ran) => Arc::clone(ran),
        None => {
            let ran = Arc::new(run()?);
            table.insert(key, Arc::clone(&ran));
            ran
        }
    };
    drop(table);
    command::interpret(root, gate, &detector.command, &ran)
}
