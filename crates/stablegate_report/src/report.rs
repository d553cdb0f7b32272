//! The finished report every renderer reads, and its summary.
//!
//! A [`Report`] is what `check` hands to a renderer once every gate has been
//! decided: the gates' outcomes (each with the status the gates crate derived
//! from its items) and the tool's version. The [`Summary`] is computed from the
//! outcomes on demand, so it can never disagree with them; renderers print it,
//! they never decide it. This module does not print anything.

use std::time::Duration;

use serde::Serialize;
use stablegate_gates::{GateOutcome, Status, Verdict};

/// The SARIF `automationDetails.id` of a report the caller did not name.
pub const DEFAULT_AUTOMATION_ID: &str = "stablegate/";

/// Everything a renderer needs: the decided gates, in the order they ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Every gate's outcome; a gate's `status` was decided before rendering.
    pub gates: Vec<GateOutcome>,
    /// The version of stablegate that produced the report (SARIF
    /// `tool.driver.version`).
    pub tool_version: String,
    /// What the caller knows about each gate beyond its outcome, by index
    /// into `gates`; a gate past the end of this list has nothing more.
    pub about: Vec<GateAbout>,
    /// Names this kind of run for code-scanning platforms (SARIF
    /// `automationDetails.id`): runs with the same id replace each other's
    /// results. Ends with `/` so that GitHub reads all of it as the category.
    pub automation_id: String,
    /// How long the whole run took (JUnit `testsuites/@time`), when measured.
    pub elapsed: Option<Duration>,
}

/// What a renderer may say about a gate besides its items: facts of the
/// configuration and of the run, never part of the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateAbout {
    /// The gate's configured `message`: what it guards, in its author's words.
    pub description: Option<String>,
    /// How long the gate took to decide, when it was measured on its own.
    pub duration: Option<Duration>,
}

impl Report {
    /// A report of these outcomes, made by stablegate `tool_version`.
    pub fn new(gates: Vec<GateOutcome>, tool_version: impl Into<String>) -> Self {
        Report {
            gates,
            tool_version: tool_version.into(),
            about: Vec::new(),
            automation_id: DEFAULT_AUTOMATION_ID.to_owned(),
            elapsed: None,
        }
    }

    /// What is known about the gate at `index` besides its outcome.
    pub fn about(&self, index: usize) -> &GateAbout {
        static NOTHING: GateAbout = GateAbout {
            description: None,
            duration: None,
        };
        self.about.get(index).unwrap_or(&NOTHING)
    }

    /// Red iff some gate is red. An empty report is green: whether "no gate
    /// configured" is acceptable is for the caller to decide, not a renderer.
    pub fn status(&self) -> Status {
        if self.gates.iter().any(|gate| gate.status == Status::Fail) {
            Status::Fail
        } else {
            Status::Pass
        }
    }

    /// Counts per gate status and per verdict, taken from the outcomes.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            status: self.status(),
            gates: StatusCounts { pass: 0, fail: 0 },
            failing_items: 0,
            verdicts: VerdictCounts::default(),
        };
        for gate in &self.gates {
            match gate.status {
                Status::Pass => summary.gates.pass += 1,
                Status::Fail => summary.gates.fail += 1,
            }
            for item in &gate.items {
                summary.verdicts.add(item.verdict);
                if item.verdict.fails() {
                    summary.failing_items += 1;
                }
            }
        }
        summary
    }
}

/// The report in numbers (the `summary` object of the JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `fail` iff some gate failed.
    pub status: Status,
    /// How many gates passed and failed.
    pub gates: StatusCounts,
    /// Items whose verdict fails a gate (every verdict but `ok` and
    /// `parse_warning`).
    pub failing_items: u64,
    /// Items per verdict, every verdict present (zero included).
    pub verdicts: VerdictCounts,
}

/// Gates per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Green gates.
    pub pass: u64,
    /// Red gates.
    pub fail: u64,
}

impl StatusCounts {
    /// Every gate.
    pub fn total(&self) -> u64 {
        self.pass + self.fail
    }
}

/// Items per verdict. Serialises as an object with one key per verdict, in
/// [`VERDICTS`] order, zeros included, so the JSON shape never varies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerdictCounts([u64; VERDICTS.len()]);

impl VerdictCounts {
    /// The number of items with `verdict`.
    pub fn get(&self, verdict: Verdict) -> u64 {
        self.0[verdict_index(verdict)]
    }

    fn add(&mut self, verdict: Verdict) {
        self.0[verdict_index(verdict)] += 1;
    }

    /// `(verdict, count)` for every verdict with a non-zero count, in
    /// [`VERDICTS`] order.
    pub fn nonzero(&self) -> impl Iterator<Item = (Verdict, u64)> + '_ {
        VERDICTS
            .iter()
            .map(|&verdict| (verdict, self.get(verdict)))
            .filter(|&(_, count)| count > 0)
    }
}

impl Serialize for VerdictCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(VERDICTS.len()))?;
        for verdict in VERDICTS {
            map.serialize_entry(verdict_name(verdict), &self.get(verdict))?;
        }
        map.end()
    }
}

/// Every verdict, in the order reports list them: accepted first, then the
/// failing verdicts of SPEC §4.1, then parse problems, then the theater
/// triad's, then the verdicts of audits, markers, freshness and scope
/// (SPEC §8–9).
pub const VERDICTS: [Verdict; 25] = [
    Verdict::Ok,
    Verdict::Violation,
    Verdict::Changed,
    Verdict::Moved,
    Verdict::Stale,
    Verdict::Count,
    Verdict::Baseline,
    Verdict::Expired,
    Verdict::Ambiguous,
    Verdict::Invalid,
    Verdict::ParseError,
    Verdict::ParseWarning,
    Verdict::LegFailed,
    Verdict::Inconclusive,
    Verdict::Undercount,
    Verdict::Ghost,
    Verdict::Duplicate,
    Verdict::MissingCandidate,
    Verdict::InventoryOnly,
    Verdict::Unreferenced,
    Verdict::MarkerReason,
    Verdict::OverBaseline,
    Verdict::BelowBaseline,
    Verdict::StaleArtifact,
    Verdict::OutOfScope,
];

/// The position of `verdict` in [`VERDICTS`]. The match is exhaustive on
/// purpose: a verdict added to the model fails to compile here until it is
/// given a place in every report.
fn verdict_index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Ok => 0,
        Verdict::Violation => 1,
        Verdict::Changed => 2,
        Verdict::Moved => 3,
        Verdict::Stale => 4,
        Verdict::Count => 5,
        Verdict::Baseline => 6,
        Verdict::Expired => 7,
        Verdict::Ambiguous => 8,
        Verdict::Invalid => 9,
        Verdict::ParseError => 10,
        Verdict::ParseWarning => 11,
        Verdict::LegFailed => 12,
        Verdict::Inconclusive => 13,
        Verdict::Undercount => 14,
        Verdict::Ghost => 15,
        Verdict::Duplicate => 16,
        Verdict::MissingCandidate => 17,
        Verdict::InventoryOnly => 18,
        Verdict::Unreferenced => 19,
        Verdict::MarkerReason => 20,
        Verdict::OverBaseline => 21,
        Verdict::BelowBaseline => 22,
        Verdict::StaleArtifact => 23,
        Verdict::OutOfScope => 24,
    }
}

/// The verdict's name as every output spells it (the model's serde name).
pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ok => "ok",
        Verdict::Violation => "violation",
        Verdict::Changed => "changed",
        Verdict::Moved => "moved",
        Verdict::Stale => "stale",
        Verdict::Count => "count",
        Verdict::Baseline => "baseline",
        Verdict::Expired => "expired",
        Verdict::Ambiguous => "ambiguous",
        Verdict::Invalid => "invalid",
        Verdict::ParseError => "parse_error",
        Verdict::ParseWarning => "parse_warning",
        Verdict::LegFailed => "leg_failed",
        Verdict::Inconclusive => "inconclusive",
        Verdict::Undercount => "undercount",
        Verdict::Ghost => "ghost",
        Verdict::Duplicate => "duplicate",
        Verdict::MissingCandidate => "missing_candidate",
        Verdict::InventoryOnly => "inventory_only",
        Verdict::Unreferenced => "unreferenced",
        Verdict::MarkerReason => "marker_reason",
        Verdict::OverBaseline => "over_baseline",
        Verdict::BelowBaseline => "below_baseline",
        Verdict::StaleArtifact => "stale_artifact",
        Verdict::OutOfScope => "out_of_scope",
    }
}

/// The status's name as every output spells it (the model's serde name).
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_gates::Item;

    fn item(verdict: Verdict) -> Item {
        Item::new(verdict, "src/a.py", Some(1), "f", "x = 1")
    }

    #[test]
    fn names_are_the_models_serde_names() {
        for (index, verdict) in VERDICTS.into_iter().enumerate() {
            assert_eq!(verdict_index(verdict), index);
            let json = serde_json::to_value(verdict).unwrap();
            assert_eq!(json, verdict_name(verdict));
        }
        for status in [Status::Pass, Status::Fail] {
            assert_eq!(serde_json::to_value(status).unwrap(), status_name(status));
        }
    }

    #[test]
    fn summary_counts_gates_and_verdicts_from_the_outcomes() {
        let red = GateOutcome::new(
            "red",
            "code",
            vec![
                item(Verdict::Violation),
                item(Verdict::Ok),
                item(Verdict::Stale),
            ],
        );
        let green = GateOutcome::new(
            "green",
            "code",
            vec![item(Verdict::Ok), item(Verdict::ParseWarning)],
        );
        let summary = Report::new(vec![red, green], "0.1.0").summary();
        assert_eq!(summary.status, Status::Fail);
        assert_eq!((summary.gates.pass, summary.gates.fail), (1, 1));
        assert_eq!(summary.gates.total(), 2);
        assert_eq!(summary.failing_items, 2);
        assert_eq!(summary.verdicts.get(Verdict::Ok), 2);
        assert_eq!(summary.verdicts.get(Verdict::ParseWarning), 1);
        assert_eq!(summary.verdicts.get(Verdict::Count), 0);
        let nonzero: Vec<_> = summary.verdicts.nonzero().collect();
        assert_eq!(
            nonzero,
            [
                (Verdict::Ok, 2),
                (Verdict::Violation, 1),
                (Verdict::Stale, 1),
                (Verdict::ParseWarning, 1)
            ]
        );
    }

    #[test]
    fn report_without_gates_is_green() {
        let report = Report::new(Vec::new(), "0.1.0");
        assert_eq!(report.status(), Status::Pass);
        assert_eq!(report.summary().gates.total(), 0);
    }

    #[test]
    fn status_follows_the_gates_statuses_not_the_items() {
        // A renderer must not re-decide: the summary trusts each gate's status.
        let mut gate = GateOutcome::new("g", "code", vec![item(Verdict::Ok)]);
        gate.status = Status::Fail;
        assert_eq!(Report::new(vec![gate], "0").status(), Status::Fail);
    }
}
