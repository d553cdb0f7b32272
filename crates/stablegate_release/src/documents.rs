//! The JSON documents the `release` and `evidence` commands print with
//! `--format json`: one type per document, each with its `version`.
//!
//! These are public formats, documented in `docs/release.md` ("JSON
//! output"). A later version adds fields; a change of a field's meaning or
//! type bumps the document's `version`. The binary fills them in and prints
//! them; nothing here decides a verdict.

use serde::Serialize;

use crate::state::{AttemptState, State};

/// The version of [`RunDocument`].
pub const RUN_VERSION: u32 = 1;
/// The version of [`StatusDocument`].
pub const STATUS_VERSION: u32 = 1;
/// The version of [`VerifyDocument`].
pub const VERIFY_VERSION: u32 = 1;

/// `release run|resume --format json`: how the attempt ended.
#[derive(Debug, Clone, Serialize)]
pub struct RunDocument {
    pub version: u32,
    pub release: String,
    /// The attempt directory, relative to the root when under it.
    pub attempt: String,
    /// `COMPLETE`, `STOPPED` or `INTERRUPTED`.
    pub state: AttemptState,
    /// Where and why it stopped (`null` when complete).
    pub stage: Option<String>,
    pub reason: Option<String>,
}

/// `release status --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusDocument {
    pub version: u32,
    pub release: String,
    /// The directory of the last attempt (`null`: none yet).
    pub current: Option<String>,
    /// Oldest first.
    pub attempts: Vec<StatusAttempt>,
}

/// One attempt in [`StatusDocument`].
#[derive(Debug, Clone, Serialize)]
pub struct StatusAttempt {
    /// Relative to the root when under it.
    pub dir: String,
    /// The effective state: the recorded one, or `INTERRUPTED` for an open
    /// attempt no process runs.
    pub state: AttemptState,
    /// A process holds the release's lock and runs this attempt.
    pub running: bool,
    pub sealed: bool,
    /// `state.json` as recorded (`null`: the attempt has none, its process
    /// was killed before writing it).
    pub recorded: Option<State>,
}

/// `evidence verify --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyDocument {
    pub version: u32,
    /// The bundle, as given.
    pub dir: String,
    pub intact: bool,
    /// How many files the manifest lists.
    pub files: usize,
    /// The recorded state (`null`: `state.json` unreadable).
    pub state: Option<String>,
    /// Empty when intact.
    pub findings: Vec<String>,
}
