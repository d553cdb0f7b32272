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
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ReleaseError;
use crate::files;
use crate::ledger;
use crate::timestamp;

/// The bundle (and `state.json`) format version. Version 2 added
/// `config_sha256` and the attestation (`attestation.intoto.json`), which
/// `evidence verify` requires of a version-2 bundle and not of a version-1 one.
pub const FORMAT_VERSION: u32 = 2;

/// A state of the machine. In `state.json` it is written as its name:
/// `IDLE`, a stage's `reaches` (`[A-Z0-9_]+`, never one of the four fixed
/// names: the configuration refuses them), `COMPLETE`, `STOPPED` or
/// `INTERRUPTED`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttemptState {
    Idle,
    /// The state a stage reaches once it passed.
    Reached(String),
    Complete,
    Stopped,
    Interrupted,
}

impl AttemptState {
    /// Reads a state's name.
    pub fn from_name(name: &str) -> AttemptState {
        match name {
            "IDLE" => AttemptState::Idle,
            "COMPLETE" => AttemptState::Complete,
            "STOPPED" => AttemptState::Stopped,
            "INTERRUPTED" => AttemptState::Interrupted,
            other => AttemptState::Reached(other.to_owned()),
        }
    }

    /// The name written in `state.json`.
    pub fn name(&self) -> &str {
        match self {
            AttemptState::Idle => "IDLE",
            AttemptState::Reached(name) => name,
            AttemptState::Complete => "COMPLETE",
            AttemptState::Stopped => "STOPPED",
            AttemptState::Interrupted => "INTERRUPTED",
        }
    }

    /// Whether the attempt ends in this state.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            AttemptState::Complete | AttemptState::Stopped | AttemptState::Interrupted
        )
    }

    /// Whether the state is a stop (`STOPPED` or `INTERRUPTED`), which
    /// carries a stage and a reason.
    pub fn is_stop(&self) -> bool {
        matches!(self, AttemptState::Stopped | AttemptState::Interrupted)
    }
}

impl fmt::Display for AttemptState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for AttemptState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for AttemptState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(AttemptState::from_name(&name))
    }
}

/// The state document's file name, at the top of the attempt directory.
pub const STATE_FILE: &str = "state.json";

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
    pub state: AttemptState,
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
    /// The evidence ledger ([`crate::ledger`]): every evidence file
    /// (attempt-relative path) → its SHA-256 when it was written. Absent in
    /// bundles written before the ledger existed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, String>,
}

/// One stage as the attempt ran it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub name: String,
    /// The state the attempt reaches when the stage passes.
    pub reaches: String,
    /// What the stage does ([`StageAction`], as `state.json` spells it).
    pub action: StageAction,
    /// Canary stages: the evidence subdirectory and the number of runs.
    pub evidence: Option<String>,
    pub runs: Option<u32>,
}

/// What a stage does, as `state.json` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StageAction {
    Check,
    Canary,
    Http,
    Report,
}

/// One transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub state: AttemptState,
    pub at: String,
    pub stage: Option<String>,
    pub reason: Option<String>,
}

impl State {
    /// Whether the attempt ended by itself (it may still be unsealed if its
    /// process died just after).
    pub fn finished(&self) -> bool {
        self.state.is_final()
    }

    /// Records a transition (now) and writes the document atomically.
    pub fn enter(
        &mut self,
        dir: &Path,
        state: AttemptState,
        stage: Option<&str>,
        reason: Option<String>,
    ) -> Result<(), ReleaseError> {
        let stop = state.is_stop();
        self.stage = stage.filter(|_| stop).map(str::to_owned);
        self.reason = reason.clone().filter(|_| stop);
        self.state = state.clone();
        self.history.push(Transition {
            state,
            at: timestamp::now(),
            stage: stage.map(str::to_owned),
            reason,
        });
        self.write(dir)
    }

    /// The states reached so far, in order.
    pub fn reached(&self) -> impl Iterator<Item = &str> {
        self.history.iter().map(|t| t.state.name())
    }

    /// Whether the history holds the state `name`.
    pub fn has_reached(&self, name: &str) -> bool {
        self.reached().any(|reached| reached == name)
    }

    /// Writes the document atomically, with the hashes the ledger took
    /// since the last write.
    pub fn write(&mut self, dir: &Path) -> Result<(), ReleaseError> {
        ledger::take(dir, &mut self.evidence);
        let path = dir.join(STATE_FILE);
        files::replace(&path, &files::json(&path, self)?)
    }

    /// Reads `dir/state.json` (a regular file of at most 64 MiB).
    pub fn read(dir: &Path) -> Result<State, ReleaseError> {
        let path = dir.join(STATE_FILE);
        let bytes = files::read(&path)?;
        State::from_bytes(&path, &bytes)
    }

    /// Reads the content of the `state.json` at `path`.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<State, ReleaseError> {
        serde_json::from_slice(bytes).map_err(|err| ReleaseError::Corrupt {
            path: path.to_owned(),
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
            state: AttemptState::Idle,
            stage: None,
            reason: None,
            undecided: false,
            versions: BTreeMap::new(),
            stages: Vec::new(),
            history: Vec::new(),
            evidence: BTreeMap::new(),
        };
        state
            .enter(dir.path(), AttemptState::Idle, None, None)
            .unwrap();
        state
            .enter(
                dir.path(),
                AttemptState::Stopped,
                Some("four"),
                Some("run 3 failed".into()),
            )
            .unwrap();
        let read = State::read(dir.path()).unwrap();
        assert_eq!(read, state);
        assert_eq!(read.reached().collect::<Vec<_>>(), ["IDLE", "STOPPED"]);
        assert_eq!(read.stage.as_deref(), Some("four"));
        assert!(read.finished());
    }

    #[test]
    fn states_are_written_as_their_names() {
        for (state, name) in [
            (AttemptState::Idle, "IDLE"),
            (
                AttemptState::Reached("FOUR_RUN_PASSED".into()),
                "FOUR_RUN_PASSED",
            ),
            (AttemptState::Complete, "COMPLETE"),
            (AttemptState::Stopped, "STOPPED"),
            (AttemptState::Interrupted, "INTERRUPTED"),
        ] {
            assert_eq!(
                serde_json::to_string(&state).unwrap(),
                format!("\"{name}\"")
            );
            assert_eq!(AttemptState::from_name(name), state);
        }
    }
}
