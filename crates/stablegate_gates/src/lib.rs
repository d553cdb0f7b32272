//! stablegate's code gates.
//!
//! The data flows one way, each step a module that only looks down:
//! walk ([`walk`]) → find ([`source::collect`]: [`Finding`]s sorted by
//! (path, offset, rule)) → key ([`keying::key`]: [`Site`]s) → read the
//! allowlist ([`allowlist`]) → reconcile ([`reconcile`], pure: sites and
//! entries in, [`verdict::Item`]s out). [`run`] drives the steps for one
//! gate; the data passed between them are plain types at the bottom
//! ([`inputs`]). `docs/architecture.md` draws the whole picture. This crate
//! never prints: renderers live in `stablegate_report`.

pub mod allowlist;
mod concat;
pub mod date;
pub mod edit;
pub mod fresh;
mod git;
pub mod inputs;
pub mod inventory;
pub mod keying;
mod line_keys;
pub mod marker;
pub mod ratchet;
pub mod reconcile;
mod reuse;
pub mod run;
pub mod scope;
pub mod source;
pub mod theater;
pub mod tree;
pub mod verdict;
pub mod walk;

pub use git::{GitError, MergeBaseError};
pub use inputs::{Collected, Finding, GateInputs, Keyed, Site};
pub use verdict::{GateKind, GateOutcome, Item, SharedStr, Status, Verdict};

/// Stable sorts and merges of large records (shared with the model).
pub(crate) use stablegate_model::order;
