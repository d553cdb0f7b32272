//! What `check` and `audit` share: choosing the tables a command runs by
//! name, and running audits, marker censuses, freshness and scope checks
//! to their outcomes (code gates run through `stablegate_gates::run`).
//!
//! An `audit_only` gate (SPEC §12.2) is never a selected gate of `check`:
//! its findings reach the report through the audits that read it, and
//! `check NAME` with its name selects those audits.
//!
//! Names share one namespace across `[[gate]]`, `[[audit]]`, `[[marker]]`,
//! `[[fresh]]` and `[[scope]]` (the configuration rejects duplicates). A
//! check that cannot be decided (unusable inventory, failing generator,
//! unknown git base) is bad input: exit 2, with the message of the library,
//! which names the file and the place.

use stablegate_config::{Audit, Config, Fresh, Gate, Marker, Scope};
use stablegate_gates::inputs::GateInputs;
use stablegate_gates::inventory::{audit_gathered, run_audit, AuditRun};
use stablegate_gates::marker::{run_marker, MarkerRun};
use stablegate_gates::run::RunContext;
use stablegate_gates::GateOutcome;

use crate::error::Error;

/// The tables one command runs, each kind in configuration order.
#[derive(Default)]
pub struct Selection<'a> {
    pub gates: Vec<&'a Gate>,
    pub audits: Vec<&'a Audit>,
    pub markers: Vec<&'a Marker>,
    pub fresh: Vec<&'a Fresh>,
    pub scopes: Vec<&'a Scope>,
}

/// Which kinds a command may select.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kinds {
    /// `check`: every kind.
    All,
    /// `audit`: audits only.
    Audits,
    /// `markers`: marker censuses only.
    Markers,
}

/// Selects the tables `names` name (all of `kinds` when empty).
pub fn select<'a>(
    config: &'a Config,
    names: &[String],
    kinds: Kinds,
) -> Result<Selection<'a>, Error> {
    let all = kinds == Kinds::All;
    let mut known: Vec<&str> = Vec::new();
    if all {
        known.extend(config.gates.iter().map(|g| g.name.as_str()));
    }
    if all || kinds == Kinds::Audits {
        known.extend(config.audits.iter().map(|a| a.name.as_str()));
    }
    if all || kinds == Kinds::Markers {
        known.extend(config.markers.iter().map(|m| m.name.as_str()));
    }
    if all {
        known.extend(config.fresh.iter().map(|f| f.name.as_str()));
        known.extend(config.scopes.iter().map(|s| s.name.as_str()));
    }
    if let Some(name) = names.iter().find(|name| !known.contains(&name.as_str())) {
        return Err(Error::UnknownName {
            name: name.clone(),
            kinds: match kinds {
                Kinds::All => "gate, audit, marker, fresh or scope check",
                Kinds::Audits => "audit",
                Kinds::Markers => "marker",
            },
            config: config.display.clone(),
            known: if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            },
        });
    }
    let chosen = |name: &String| names.is_empty() || names.contains(name);
    let mut selection = Selection::default();
    if all {
        // An `audit_only` gate is judged through the audits that read it
        // (SPEC §12.2): naming it selects them.
        selection.gates = (config.gates.iter())
            .filter(|g| chosen(&g.name) && !g.audit_only)
            .collect();
        selection.fresh = config.fresh.iter().filter(|f| chosen(&f.name)).collect();
        selection.scopes = config.scopes.iter().filter(|s| chosen(&s.name)).collect();
    }
    if all || kinds == Kinds::Audits {
        let fed = |audit: &Audit| {
            all && (config.gates.iter())
                .any(|g| g.audit_only && g.name == audit.gate && names.contains(&g.name))
        };
        selection.audits = (config.audits.iter())
            .filter(|a| chosen(&a.name) || fed(a))
            .collect();
    }
    if all || kinds == Kinds::Markers {
        selection.markers = config.markers.iter().filter(|m| chosen(&m.name)).collect();
    }
    Ok(selection)
}

/// Runs one audit with its gate.
pub fn audit(config: &Config, run_cx: &RunContext<'_>, audit: &Audit) -> Result<AuditRun, Error> {
    let gate = audited_gate(config, audit)?;
    run_audit(run_cx, audit, gate).map_err(|err| audit_failed(audit, err))
}

/// The outcome of one audit, from its gate's inputs when `check` gathered
/// them already (the gate is not run again), else from a run of its own.
fn audit_outcome(
    config: &Config,
    run_cx: &RunContext<'_>,
    audit: &Audit,
    gathered: &[(&str, GateInputs)],
) -> Result<GateOutcome, Error> {
    let gate = audited_gate(config, audit)?;
    match gathered.iter().find(|(name, _)| *name == gate.name) {
        Some((_, inputs)) => {
            audit_gathered(run_cx, audit, gate, inputs).map_err(|err| audit_failed(audit, err))
        }
        None => Ok(run_audit(run_cx, audit, gate)
            .map_err(|err| audit_failed(audit, err))?
            .outcome),
    }
}

fn audited_gate<'c>(config: &'c Config, audit: &Audit) -> Result<&'c Gate, Error> {
    (config.gates.iter())
        .find(|gate| gate.name == audit.gate)
        .ok_or_else(|| Error::Check {
            message: format!(
                "{}: audit `{}`: no [[gate]] named `{}`",
                audit.gate_location, audit.name, audit.gate
            ),
        })
}

fn audit_failed(audit: &Audit, err: impl std::error::Error + Send + Sync + 'static) -> Error {
    failed(format!("audit `{}`: ", audit.name))(err)
}

/// An error of the gates crate with `what` (empty, or ending in `: `) said
/// before it, kept as the source.
fn failed<E: std::error::Error + Send + Sync + 'static>(what: String) -> impl FnOnce(E) -> Error {
    move |err| Error::CheckFailed {
        what,
        source: Box::new(err),
    }
}

/// Takes one marker census.
pub fn marker(run_cx: &RunContext<'_>, marker: &Marker) -> Result<MarkerRun, Error> {
    // The walk's errors already name the marker and its place.
    run_marker(run_cx.root, marker).map_err(failed(String::new()))
}

/// Every outcome of the selection except code gates': audits, markers,
/// freshness, scope, in that order. `gathered` holds the inputs of gates
/// that ran already, by name: an audit of one of them reuses its findings
/// rather than running the gate again.
pub fn outcomes(
    config: &Config,
    run_cx: &RunContext<'_>,
    selection: &Selection<'_>,
    gathered: &[(&str, GateInputs)],
) -> Result<Vec<GateOutcome>, Error> {
    let mut outcomes = Vec::new();
    for item in &selection.audits {
        let outcome = audit_outcome(config, run_cx, item, gathered)?;
        outcomes.push(outcome);
    }
    for item in &selection.markers {
        outcomes.push(marker(run_cx, item)?.outcome);
    }
    for item in &selection.fresh {
        let outcome =
            stablegate_gates::fresh::run_fresh(run_cx.root, item).map_err(failed(String::new()))?;
        outcomes.push(outcome);
    }
    for item in &selection.scopes {
        let outcome =
            stablegate_gates::scope::run_scope(run_cx.root, item).map_err(failed(String::new()))?;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}
