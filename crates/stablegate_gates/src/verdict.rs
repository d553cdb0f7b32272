//! Verdicts: what reconciliation decides, per item and per gate (SPEC §4.1).
//!
//! The types live in `stablegate_model`, shared with the renderers; they are
//! re-exported here so the gates crate's paths stay as they were.

pub use stablegate_model::{EntryRef, GateKind, GateOutcome, Item, SharedStr, Status, Verdict};
