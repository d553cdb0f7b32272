//! Release gates (SPEC §10): the staged protocol, canary runs, invariant
//! probes, sealed evidence bundles, their verification, the state machine
//! and the lock.
//!
//! The entry points are [`protocol::run`], [`protocol::resume`],
//! [`status::status`] and [`verify::verify`]. The configuration comes
//! validated from `stablegate_config`; this crate runs it and writes the
//! evidence (one concept per module), and never prints: what a person sees
//! is a [`progress::Observer`]'s business, and exit codes are the binary's.
//! The formats it writes (run result, `state.json`, manifest) are public
//! contracts, versioned and documented in `docs/release.md`.

pub mod attempt;
pub mod attestation;
mod canary;
mod check;
pub mod checkpoint;
mod command;
pub mod documents;
pub mod error;
pub mod evidence_report;
pub mod files;
mod http;
pub mod junit;
mod junit_suite;
pub mod ledger;
pub mod lock;
pub mod manifest;
mod on_fail;
mod postgres_probe;
pub mod probe;
pub mod progress;
pub mod protocol;
pub mod report;
pub mod result_file;
pub mod run_result;
pub mod seal;
mod stage;
pub mod state;
pub mod status;
pub mod timestamp;
mod trace;
pub mod verify;
pub mod versions;
pub mod view;

pub use error::ReleaseError;
pub use protocol::{Outcome, Project};
