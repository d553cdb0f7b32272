//! stablegate's report model: what a gate decided, in the shape every
//! renderer reads.
//!
//! - [`Verdict`]: the verdict of one item, with its name and whether it
//!   fails a gate;
//! - [`SharedStr`]: the strings items share (a line's token, a file's
//!   path, a gate's rule and message), so memory stays proportional to
//!   the input;
//! - [`Item`] and [`EntryRef`]: one reported item and the allowlist entry it
//!   concerns;
//! - [`GateOutcome`], [`GateKind`] and [`Status`]: a gate's items and the
//!   status derived from them;
//! - [`LegOutcome`], [`Leg`] and [`LegVerdict`]: the legs of a theater
//!   triad, a typed field of its outcome;
//! - [`suggestion`]: the text an item suggests pasting (an allowlist entry,
//!   spelled by [`yaml_text`]'s rules, or an inventory row).
//!
//! The crate exists so that renderers (`stablegate_report`) depend on these
//! types alone, not on the gates crate and its parsers (ast-grep,
//! tree-sitter). It decides nothing beyond a gate's status from its items
//! and legs, reads no file and prints nothing. Format version 1 of the JSON
//! output serialises these types as they are.

mod item;
mod leg;
pub mod order;
mod outcome;
mod shared;
pub mod suggestion;
mod verdict;
pub mod yaml_text;

pub use item::{EntryRef, Item, More};
pub use leg::{Leg, LegOutcome, LegVerdict};
pub use outcome::{GateKind, GateOutcome, Status};
pub use shared::SharedStr;
pub use suggestion::Suggestion;
pub use verdict::Verdict;
