//! The state machine's record (SPEC §10.4): `state.json` of an attempt.
//!
//! States: `IDLE`, then each stage's `reaches` in order, then `COMPLETE`; a
//! failed stage gives `STOPPED` (with the stage and the reason); a process
//! that died leaves `INTERRUPTED`, recorded by whoever finds it. Every
//! transition is appended to `history` with its time, and the whole document
//! is replaced atomically at each one ([`crate::files::replace`]), so a
//! `kill -9` leaves the last transition, never half of one. Format version 2
//! (documented in `docs/release.md`); it is also the bundle's format
//! version. Deciding transitions is [`crate::protocol`]'s job.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::ReleaseError;
use crate::files;
use crate::timestamp;

/// The bundle (and `state.json`) format version. Version 2 added
/// `config_sha256` and the attestation (`attestation.intoto.json`), which
/// `evidence verify` requires of a version-2 bundle and not of a version-1 one.
pub const FORMAT_VERSION: u32 = 2;

pub const IDLE: &str = "IDLE";
pub const COMPLETE: &str = "COMPLETE";
pub const STOPPED: &str = "STOPPED";
pub const INTERRUPTED: &str = "INTERRUPTED";

/// `state.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub format_version: u32,
    pub release: String,
    pub tag: String,
    pub attempt: u32,
    /// SHA-256 of the release configuration's canonical text (format 2; absent
    /// in version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_sha256: Option<String>,
    /// The current state.
    pub state: String,
    /// Set when `state` is `STOPPED` or `INTERRUPTED`.
    pub stage: Option<String>,
    pub reason: Option<String>,
    /// Whether the gate could not decide (bad input met mid-attempt, e.g.
    /// an invalid result file): such a stop exits 2, not 1.
    #[serde(default)]
    pub undecided: bool,
    /// `NAME` → the version captured at the attempt's start.
    pub versions: BTreeMap<String, String>,
    /// The protocol as configured when the attempt started.
    pub stages: Vec<StageRecord>,
    pub history: Vec<Transition>,
}

/// One stage as the attempt ran it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub name: String,
    pub reaches: String,
    /// `check` or `canary`.
    pub action: String,
    /// Canary stages: the evidence subdirectory and the number of runs.
    pub evidence: Option<String>,
    pub runs: Option<u32>,
}

/// One transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub state: String,
    pub at: String,
    pub stage: Option<String>,
    pub reason: Option<String>,
}

impl State {
    /// Whether the attempt ended by itself (it may still be unsealed if its
    /// process died just after).
    pub fn finished(&self) -> bool {
        matches!(self.state.as_str(), COMPLETE | STOPPED | INTERRUPTED)
    }

    /// Records a transition (now) and writes the document atomically.
    pub fn enter(
        &mut self,
        dir: &Path,
        state: &str,
        stage: Option<&str>,
        reason: Option<String>,
    ) -> Result<(), ReleaseError> {
        self.state = state.to_owned();
        let stop = matches!(state, STOPPED | INTERRUPTED);
        self.stage = stage.filter(|_| stop).map(str::to_owned);
        self.reason = reason.clone().filter(|_| stop);
        self.history.push(Transition {
            state: state.to_owned(),
            at: timestamp::now(),
            stage: stage.map(str::to_owned),
            reason,
        });
        self.write(dir)
    }

    /// The states reached so far, in order.
    pub fn reached(&self) -> impl Iterator<Item = &str> {
        self.history.iter().map(|t| t.state.as_str())
    }

    pub fn write(&self, dir: &Path) -> Result<(), ReleaseError> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        files::replace(&dir.join("state.json"), &bytes)
    }

    /// Reads `dir/state.json`.
    pub fn read(dir: &Path) -> Result<State, ReleaseError> {
        let path = dir.join("state.json");
        let bytes = std::fs::read(&path).map_err(ReleaseError::io(&path))?;
        serde_json::from_slice(&bytes).map_err(|err| ReleaseError::Corrupt {
            path,
            message: format!("not a stablegate state document: {err}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_transition_is_written_with_its_time_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = State {
            format_version: FORMAT_VERSION,
            release: "deploy".into(),
            tag: "v1".into(),
            attempt: 1,
            config_sha256: Some("0".repeat(64)),
            state: String::new(),
            stage: None,
            reason: None,
            undecided: false,
            versions: BTreeMap::new(),
            stages: Vec::new(),
            history: Vec::new(),
        };
        state.enter(dir.path(), IDLE, None, None).unwrap();
        state
            .enter(
                dir.path(),
                STOPPED,
                Some("four"),
                Some("run 3 failed".into()),
            )
            .unwrap();
        let read = State::read(dir.path()).unwrap();
        assert_eq!(read, state);
        assert_eq!(read.reached().collect::<Vec<_>>(), [IDLE, STOPPED]);
        assert_eq!(read.stage.as_deref(), Some("four"));
        assert!(read.finished());
    }
}
