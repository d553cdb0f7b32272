//! Why an allowlist edit was refused.
//!
//! Responsible for the errors of the edit functions; each names the
//! allowlist file and reads after "failed to …" ("edit gates/x.yaml: …").
//! An edit that is refused writes nothing: these are all bad input (exit 2
//! in the binary), never a half-written file. Not responsible for seeds that
//! `convert` cannot freeze (see `seed`): those are listed, not raised one by
//! one.

use thiserror::Error;

/// An allowlist edit that could not be made safely.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    /// The file is written in a shape this tool does not rewrite; the
    /// reason says which and what to do.
    #[error("edit {path}: {reason}")]
    Unsupported { path: String, reason: String },
    /// The edited text would not mean what was intended (the check that
    /// re-reads every edit found a difference). Nothing is written.
    #[error("edit {path}: {reason}; nothing was written")]
    Unsafe { path: String, reason: String },
}
