//! `release status NAME`: the attempts of a release and what state each is
//! really in.
//!
//! A `state.json` that is neither `COMPLETE`, `STOPPED` nor `INTERRUPTED` is
//! only true while a process holds the release's lock; when nobody does, the
//! process died and the attempt is reported `INTERRUPTED` (SPEC §10.4).
//! An attempt directory whose `state.json` does not exist (or cannot be
//! read) — its process was killed between `mkdir` and the first write — is
//! reported too, `INTERRUPTED` when nobody holds the lock, with no recorded
//! state. Nothing is written: interrupted attempts are sealed by the next
//! `release run`, or continued by `release resume`.

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
    /// `state.json` as recorded; `None` when the attempt directory holds no
    /// readable `state.json` (its process was killed before writing it).
    pub recorded: Option<State>,
}

/// Every attempt of `release`, oldest first; the last is the current one.
/// An attempt directory without a readable `state.json` is listed too (it
/// cannot say which release it belongs to, so every such directory of the
/// evidence directory is), by the time it was last modified.
pub fn status(release: &Release, root: &Path) -> Result<Vec<AttemptStatus>, ReleaseError> {
    let evidence_dir = crate::protocol::evidence_dir(release, root)?;
    let held = matches!(
        lock::try_lock(&lock::lock_path(&evidence_dir, &release.name), false)?,
        Some(Try::Held)
    );
    let mut found: Vec<(String, AttemptStatus)> = Vec::new();
    for attempt in attempt::list(&evidence_dir)? {
        let sealed = attempt::is_sealed(&attempt.dir);
        let (started, recorded) = match State::read(&attempt.dir) {
            Ok(state) if state.release != release.name => continue,
            Ok(state) => (
                state
                    .history
                    .first()
                    .map(|t| t.at.clone())
                    .unwrap_or_default(),
                Some(state),
            ),
            Err(_) => (modified(&attempt.dir), None),
        };
        let open = !sealed && recorded.as_ref().is_none_or(|state| !state.finished());
        let state = match &recorded {
            _ if open && !held => AttemptState::Interrupted,
            Some(state) => state.state.clone(),
            None if open => AttemptState::Idle,
            None => AttemptState::Interrupted,
        };
        let status = AttemptStatus {
            dir: attempt.dir,
            state,
            running: open && held,
            sealed,
            recorded,
        };
        found.push((started, status));
    }
    found.sort_by(|(a, sa), (b, sb)| (a, &sa.dir).cmp(&(b, &sb.dir)));
    Ok(found.into_iter().map(|(_, status)| status).collect())
}

/// When `dir` was last modified, written like the evidence's times.
fn modified(dir: &Path) -> String {
    std::fs::metadata(dir)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|time| jiff::Timestamp::try_from(time).ok())
        .map(|time| time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
