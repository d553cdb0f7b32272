//! The theater triad (SPEC §7): proof that a gate is drift-immune, notices
//! content edits, and is not vacuous, obtained by mutating the tree and
//! running the gate again through [`crate::run::run_gate`] — the entry point
//! `check` uses, with the same reconciliation.
//!
//! Per gate, three legs, each judged against the unmutated run ([`judge`]):
//!
//! - **drift**: a blank line and a comment line at the top of every file with
//!   an allowlisted site and above each site, and a space inside each site's
//!   line; the outcome must not change (same items, lines aside).
//! - **content**: for each allowlisted entry (up to `max_sites`), one name on
//!   its site's line renamed while the file still parses; the gate must gain
//!   a failing item. Entries whose edit went unnoticed are listed.
//! - **non-vacuity**: the gate's `theater = { file, code }` sample, or else
//!   the statement of an allowlisted site copied into a new function at the
//!   end of its file, or else (a `pattern` gate) a sample synthesized from
//!   the pattern ([`synthesize`]) planted in the first file the gate scans;
//!   the gate must report a violation there (a count gate: count a site
//!   there).
//!
//! Where the mutated files live: for pattern and rule-file gates, in memory
//! ([`crate::tree::Overlay`]), with the unmutated run's findings reused for
//! every other file; for `command` gates, in a temporary copy of the project
//! ([`copy`]), since the detector reads files itself. The working tree is
//! never written. A `sarif` gate reads a fixed file no mutation can change,
//! so its legs are `inconclusive`. A leg that cannot be exercised is
//! `inconclusive`, which fails the triad like a failed leg; a leg that cannot
//! apply by construction is `n/a` and does not (SPEC §12.3): drift and
//! content on a gate with no allowlist (zero tolerance, or a count gate).
//!
//! The result is a [`Triad`] per gate, turned into a [`GateOutcome`] of kind
//! `theater` whose `legs` are the legs ([`Triad::outcome`]) so every renderer
//! of `check` prints it. [`Leg`] and [`LegVerdict`] are the report model's.

mod copy;
mod judge;
mod legs;
pub mod mutate;
mod outcome;
mod runner;
mod syntax_edit;
mod synthesize;

use stablegate_config::{FindingSource, Gate};

use crate::run::{gather, outcome as gate_outcome, run_gate, GateError, RunContext};
use crate::verdict::Item;
use legs::legs;
use runner::Runner;
pub use stablegate_model::{Leg, LegVerdict};

/// How far the triad goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// How many allowlisted entries the content leg edits, one run each;
    /// `None`: all of them.
    pub max_sites: Option<usize>,
}

/// One leg's result: what was mutated where, and why it did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegResult {
    pub leg: Leg,
    pub status: LegVerdict,
    /// The first mutated place (for the report's location).
    pub file: String,
    pub line: Option<usize>,
    /// What was mutated, in a sentence.
    pub mutation: String,
    /// Why the leg failed or could not be exercised.
    pub reason: Option<String>,
    /// The items behind a failure: drifted items, or the `ok` items of
    /// entries whose edit went unnoticed.
    pub misses: Vec<Item>,
}

impl LegResult {
    fn inconclusive(leg: Leg, reason: impl Into<String>) -> Self {
        LegResult {
            leg,
            status: LegVerdict::Inconclusive,
            file: String::new(),
            line: None,
            mutation: String::new(),
            reason: Some(reason.into()),
            misses: Vec::new(),
        }
    }

    fn not_applicable(leg: Leg, reason: impl Into<String>) -> Self {
        LegResult {
            status: LegVerdict::NotApplicable,
            ..LegResult::inconclusive(leg, reason)
        }
    }
}

/// The triad of one gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triad {
    pub gate: String,
    pub legs: Vec<LegResult>,
}

/// Runs the triad of one gate. Errors are those of the gate itself (exit 2);
/// a mutation that cannot be made is an `inconclusive` leg, not an error.
pub fn run_triad(cx: &RunContext<'_>, gate: &Gate, options: &Options) -> Result<Triad, GateError> {
    let legs = match &gate.source {
        FindingSource::Sarif(_) => {
            let reason = "a `sarif` gate reads a fixed file that no mutation of the tree \
                          changes; the triad needs a gate that finds its sites itself \
                          (a `command` that re-runs the producer)";
            [Leg::Drift, Leg::Content, Leg::NonVacuity]
                .map(|leg| match legs::zero_tolerance(gate, leg) {
                    Some(not_applicable) => not_applicable,
                    None => LegResult::inconclusive(leg, reason),
                })
                .to_vec()
        }
        FindingSource::Command(_) | FindingSource::Detector(_) => {
            let copy = copy::Copy::of(cx.root).map_err(|source| GateError::Read {
                path: "a temporary copy of the project".to_owned(),
                source,
            })?;
            // The copy changes between legs: its detector runs are its own.
            let copied = RunContext {
                share_detectors: false,
                ..RunContext::new(copy.root(), cx.today)
            };
            let base = run_gate(&copied, gate)
                .map_err(|err| runner::in_copy(err, "the unmutated run", &copy))?;
            let runner = Runner::Copied {
                copy: &copy,
                cx: copied,
            };
            legs(&runner, gate, &base, options)?
        }
        FindingSource::Patterns(_) | FindingSource::RuleFile(_) => {
            // The ratchet against the base branch is `check`'s: the mutated
            // runs are judged against this run without it.
            let cx = RunContext { base: None, ..*cx };
            let inputs = gather(&cx, gate)?;
            let base = gate_outcome(&cx, gate, &inputs);
            let runner = Runner::InMemory { cx, base: &inputs };
            legs(&runner, gate, &base, options)?
        }
    };
    Ok(Triad {
        gate: gate.name.clone(),
        legs,
    })
}
