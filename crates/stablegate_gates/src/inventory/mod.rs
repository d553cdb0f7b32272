//! Inventory audits (SPEC §8): a reviewer-facing Markdown table of sinks,
//! checked against the findings of a code gate.
//!
//! [`markdown`] finds the tables and their cells, [`cell`] reads a cell's
//! value, [`document`] reads the chosen table into rows, [`reconcile`]
//! decides the verdicts (pure), [`relocate`] computes `refresh`'s locator
//! moves (pure). [`run_audit`] is the only function here that reads files:
//! the inventory, and the gate's findings as [`crate::run::find`] collects
//! and keys them (the gate's allowlist is not read). [`audit_gathered`]
//! reads the inventory only and takes the findings `check` gathered for the
//! gate's own run.

pub mod cell;
pub mod document;
pub mod error;
pub mod markdown;
pub mod reconcile;
pub mod relocate;

use stablegate_config::{Audit, Gate, OnParseError};

pub use document::{Inventory, InventoryRow, Tag};
pub use error::InventoryError;

use crate::inputs::GateInputs;
use crate::run::{find, unreadable_item, GateError, RunContext};
use crate::verdict::{GateKind, GateOutcome, Verdict};

/// Why an audit could not be run (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("gate `{gate}`: {source}")]
    Gate {
        gate: String,
        source: Box<GateError>,
    },
    #[error(transparent)]
    Inventory(#[from] InventoryError),
}

/// Everything one audit read, and its outcome.
#[derive(Debug)]
pub struct AuditRun {
    /// The inventory file's text, as read.
    pub text: String,
    pub inventory: Inventory,
    pub inputs: GateInputs,
    pub outcome: GateOutcome,
}

/// Reads the inventory, runs the audit's gate, and audits.
pub fn run_audit(cx: &RunContext<'_>, audit: &Audit, gate: &Gate) -> Result<AuditRun, AuditError> {
    let (text, inventory) = read_inventory(cx, audit)?;
    // The gate's findings only: its allowlist is not read at all, so an
    // allowlist being edited (or broken) cannot change an audit.
    let (collected, keyed) = find(cx, gate).map_err(|source| AuditError::Gate {
        gate: gate.name.clone(),
        source: Box::new(source),
    })?;
    let inputs = GateInputs {
        collected,
        keyed,
        allowlist: None,
        at_base: None,
    };
    let outcome = audit_outcome(audit, gate, &inventory, &inputs);
    Ok(AuditRun {
        text,
        inventory,
        inputs,
        outcome,
    })
}

/// Reads the inventory and audits it against the findings of its gate
/// that `check` has already gathered for the gate's own run ([`crate::run::gather`]):
/// the gate is not run a second time. Only the sites are read from
/// `inputs`, never the allowlist, so the outcome is [`run_audit`]'s.
pub fn audit_gathered(
    cx: &RunContext<'_>,
    audit: &Audit,
    gate: &Gate,
    inputs: &GateInputs,
) -> Result<GateOutcome, AuditError> {
    let (_, inventory) = read_inventory(cx, audit)?;
    Ok(audit_outcome(audit, gate, &inventory, inputs))
}

fn read_inventory(cx: &RunContext<'_>, audit: &Audit) -> Result<(String, Inventory), AuditError> {
    let text = read_text(cx, &audit.inventory)?;
    let inventory = document::read(audit, &text, &document::reference_regex())?;
    Ok((text, inventory))
}

/// The audit's verdicts, plus one item per file of the gate that could not
/// be scanned or keyed.
fn audit_outcome(
    audit: &Audit,
    gate: &Gate,
    inventory: &Inventory,
    inputs: &GateInputs,
) -> GateOutcome {
    let mut items = reconcile::audit(&reconcile::AuditInput {
        audit,
        inventory,
        sites: &inputs.keyed.sites,
        message: gate.message.as_deref(),
    });
    let verdict = match gate.on_parse_error {
        OnParseError::Fail => Verdict::ParseError,
        OnParseError::Warn => Verdict::ParseWarning,
    };
    let collected = &inputs.collected;
    for problem in collected.unreadable.iter().chain(&inputs.keyed.unkeyable) {
        items.push(unreadable_item(gate, problem, verdict));
    }
    GateOutcome::new(&audit.name, GateKind::Audit, items)
}

fn read_text(cx: &RunContext<'_>, path: &str) -> Result<String, InventoryError> {
    // Inside the root, not through a symlink leading out of it, a regular
    // file of a bounded size (SPEC §12.6).
    let bytes = stablegate_io::read::file_in_root(cx.root, path, stablegate_io::read::TEXT_LIMIT)
        .map_err(|source| InventoryError::Read {
        file: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        InventoryError::NotUtf8 {
            file: path.to_owned(),
            line: 1 + valid.iter().filter(|&&b| b == b'\n').count(),
        }
    })?;
    Ok(text)
}
