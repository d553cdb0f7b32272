//! Inventory audits (SPEC §8): a reviewer-facing Markdown table of sinks,
//! checked against the findings of a code gate.
//!
//! [`markdown`] finds the tables and their cells, [`cell`] reads a cell's
//! value, [`document`] reads the chosen table into rows, [`reconcile`]
//! decides the verdicts (pure), [`relocate`] computes `refresh`'s locator
//! moves (pure). [`run_audit`] is the only function here that reads files:
//! the inventory, and through [`crate::run::gather`] the gate's findings (the
//! gate's allowlist is read but plays no part).

pub mod cell;
pub mod document;
pub mod error;
pub mod markdown;
pub mod reconcile;
pub mod relocate;

use stablegate_config::{Audit, Gate, OnParseError};

pub use document::{Inventory, InventoryRow, Tag};
pub use error::InventoryError;

use crate::run::{gather, unreadable_item, GateError, GateInputs, RunContext};
use crate::verdict::{GateOutcome, Verdict};

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
    let text = read_text(cx, &audit.inventory)?;
    let inventory = document::read(audit, &text, &document::reference_regex())?;
    let inputs = gather(cx, gate).map_err(|source| AuditError::Gate {
        gate: gate.name.clone(),
        source: Box::new(source),
    })?;
    let mut items = reconcile::audit(&reconcile::AuditInput {
        audit,
        inventory: &inventory,
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
    let outcome = GateOutcome::new(&audit.name, "audit", items);
    Ok(AuditRun {
        text,
        inventory,
        inputs,
        outcome,
    })
}

fn read_text(cx: &RunContext<'_>, path: &str) -> Result<String, InventoryError> {
    let bytes = std::fs::read(cx.root.join(path)).map_err(|source| InventoryError::Read {
        file: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| InventoryError::NotUtf8 {
        file: path.to_owned(),
    })?;
    Ok(text)
}
