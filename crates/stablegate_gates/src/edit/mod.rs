//! Lossless edits of allowlist files: what `stablegate allow`, `convert`,
//! `refresh`, `prune` and `merge-allowlist` write (SPEC §4, §6, §12.5).
//!
//! The choice: **surgical byte edits on the parsed spans**, not a
//! re-serialised document. The allowlist parser records where every entry,
//! field and value is written; an edit is a handful of splices at those
//! offsets (a value replaced, lines inserted after an entry or a field), and
//! every other byte — comments, blank lines, key order, quoting, the header
//! block, anchors, `\r\n` line breaks — is copied as it was. No maintained
//! Rust YAML library round-trips comments and styles, so a CST would have had
//! to be written here; splices need only positions the parser already has.
//!
//! Every edit is then re-read before it is returned (`verify`): the new text
//! must parse as an allowlist and its YAML document must equal the old one
//! with exactly the intended changes, scalars compared as written. An edit
//! that fails this is refused ([`EditError::Unsafe`]) and nothing is written.
//! Block and flow lists (`key: [ {…}, "a.py:3" ]`) are both edited in their
//! own style; shapes that cannot be edited in place (an anchored legacy
//! string, a list whose indentation cannot be read) are refused with a
//! message ([`EditError::Unsupported`]).
//!
//! Not responsible for reading or writing files, running gates, or the CI
//! guard: the commands in the binary do those.

mod append;
mod convert;
mod error;
mod merge;
mod merge_baselines;
mod refresh;
mod remove;
mod scalar;
mod seed;
mod text;
mod verify;

pub use append::{insert_entries, new_entries, Inserted, NewEntry};
pub use convert::freeze;
pub use error::EditError;
pub use merge::{merge, Merge};
pub use merge_baselines::Baselines;
pub use refresh::{relocate, relocations, Relocation, Relocations};
pub use remove::{remove_entries, Removed};
pub use seed::{
    lacks_text, resolve_seeds, resolve_texts, Frozen, KeysError, SeedFailure, SourceFile, TextFill,
};
