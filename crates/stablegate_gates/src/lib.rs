//! stablegate's code gates.
//!
//! The data flows one way: a finding source ([`source`]) walks the tree and
//! yields [`Finding`]s sorted by (path, offset, rule); keys are computed for
//! their lines ([`Site`]); the allowlist ([`allowlist`]) is parsed; the pure
//! [`reconcile`] function turns sites and entries into [`verdict::Item`]s. This
//! crate never prints: renderers live in `stablegate_report`.

pub mod allowlist;
pub mod date;
pub mod edit;
pub mod finding;
pub mod fresh;
pub mod inventory;
pub mod keying;
pub mod marker;
pub mod reconcile;
pub mod run;
pub mod scope;
pub mod source;
pub mod theater;
pub mod tree;
pub mod verdict;
pub mod walk;
mod yaml_text;

pub use finding::{Finding, Site};
pub use verdict::{GateKind, GateOutcome, Item, SharedStr, Status, Verdict};

/// Stable sorts and merges of large records (shared with the model).
pub(crate) use stablegate_model::order;
