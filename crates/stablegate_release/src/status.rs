//! `release status NAME`: the attempts of a release and what state each is
//! really in.
//!
//! A `state.json` that is neither `COMPLETE`, `STOPPED` nor `INTERRUPTED` is
//! only true while a process holds the release's lock; when nobody does, the
//! process died and the attempt is reported `INTERRUPTED` (SPEC §10.4).
//! Nothing is written: interrupted attempts are sealed by the next `release
//! run`, or continued by `release resume`.

use std::path::{Path, PathBuf};

use stablegate_config::Release;

use crate::attempt;
use crate::error::ReleaseError;
use crate::lock::{self, Try};
use crate::state::{AttemptState, State};

/// One attempt as seen now.
#[derive(Debug, Clone)]
pub struct AttemptStatus {
    pub dir: PathBuf,
    /// The effective state: the recorded one, or `INTERRUPTED` for an open
    /// attempt that no process runs.
    pub state: AttemptState,
    /// A process holds the lock and is running this attempt.
    pub running: bool,
    pub sealed: bool,
    pub recorded: State,
}

/// Every attempt of `release`, oldest first; the last is the current one.
pub fn status(release: &Release, root: &Path) -> Result<Vec<AttemptStatus>, ReleaseError> {
    let evidence_dir = crate::protocol::evidence_dir(release, root)?;
    let held = matches!(
        lock::try_lock(&lock::lock_path(&evidence_dir, &release.name), false)?,
        Some(Try::Held)
    );
    let attempts = attempt::of_release(&evidence_dir, &release.name)?;
    Ok(attempts
        .into_iter()
        .map(|(found, recorded)| {
            let sealed = attempt::is_sealed(&found.dir);
            let open = !sealed && !recorded.finished();
            let state = if open && !held {
                AttemptState::Interrupted
            } else {
                recorded.state.clone()
            };
            AttemptStatus {
                dir: found.dir,
                state,
                running: open && held,
                sealed,
                recorded,
            }
        })
        .collect())
}
