//! The finished report every renderer reads, and its summary.
//!
//! A [`Report`] is what `check` hands to a renderer once every gate has been
//! decided: the gates' outcomes (each with the status the gates crate derived
//! from its items) and the tool's version. The [`Summary`] is computed from the
//! outcomes on demand, so it can never disagree with them; renderers print it,
//! they never decide it. This module does not print anything.

use std::time::Duration;

use serde::Serialize;
use stablegate_model::{GateOutcome, Status, Verdict};

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

    /// Counts per gate status and per verdict, taken from the outcomes (a
    /// theater leg counted as an item of its verdict).
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
            // A theater leg counts as an item of its verdict, so that
            // `failing_items` says how many things are red.
            let legs = gate.legs.iter().map(|leg| leg.verdict.verdict());
            for verdict in legs.chain(gate.items.iter().map(|item| item.verdict)) {
                summary.verdicts.add(verdict);
                if verdict.fails() {
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
    /// Items and theater legs whose verdict fails a gate (every verdict but
    /// `ok`, `parse_warning` and the others [`Verdict::fails`] excludes).
    pub failing_items: u64,
    /// Items and theater legs per verdict, every verdict present (zero
    /// included).
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
/// [`Verdict::ALL`] order, zeros included, so the JSON shape never varies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerdictCounts([u64; Verdict::ALL.len()]);

impl VerdictCounts {
    /// The number of items with `verdict`.
    pub fn get(&self, verdict: Verdict) -> u64 {
        self.0[verdict.index()]
    }

    fn add(&mut self, verdict: Verdict) {
        self.0[verdict.index()] += 1;
    }

    /// `(verdict, count)` for every verdict with a non-zero count, in
    /// [`Verdict::ALL`] order.
    pub fn nonzero(&self) -> impl Iterator<Item = (Verdict, u64)> + '_ {
        Verdict::ALL
            .iter()
            .map(|&verdict| (verdict, self.get(verdict)))
            .filter(|&(_, count)| count > 0)
    }
}

impl Serialize for VerdictCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Verdict::ALL.len()))?;
        for verdict in Verdict::ALL {
            map.serialize_entry(verdict.name(), &self.get(verdict))?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_model::{GateKind, Item};

    fn item(verdict: Verdict) -> Item {
        Item::new(verdict, "src/a.py", Some(1), "f", "x = 1")
    }

    #[test]
    fn summary_counts_gates_and_verdicts_from_the_outcomes() {
        let red = GateOutcome::new(
            "red",
            GateKind::Code,
            vec![
                item(Verdict::Violation),
                item(Verdict::Ok),
                item(Verdict::Stale),
            ],
        );
        let green = GateOutcome::new(
            "green",
            GateKind::Code,
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
        let mut gate = GateOutcome::new("g", GateKind::Code, vec![item(Verdict::Ok)]);
        gate.status = Status::Fail;
        assert_eq!(Report::new(vec![gate], "0").status(), Status::Fail);
    }
}
