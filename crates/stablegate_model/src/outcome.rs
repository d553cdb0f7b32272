//! A gate's outcome: its items (and, for a theater triad, its legs), the
//! [`Status`] derived from them, and the [`GateKind`] of table it came from.
//!
//! Renderers never decide pass/fail: a gate's status is computed here, from
//! its items and legs, before any output.

use serde::Serialize;

use crate::item::Item;
use crate::leg::LegOutcome;

/// Whether a gate is green or red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
}

impl Status {
    /// The status's name as every output spells it (its serde name).
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
        }
    }
}

/// What kind of table a gate outcome comes from; serialised as its name
/// (the `kind` of the JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// A `[[gate]]` table.
    Code,
    /// An `[[audit]]` table (SPEC §8).
    Audit,
    /// A `[[marker]]` table (SPEC §9).
    Marker,
    /// A `[[fresh]]` table (SPEC §9).
    Fresh,
    /// A `[[scope]]` table (SPEC §9).
    Scope,
    /// The theater triad of a `[[gate]]` (SPEC §7).
    Theater,
}

impl GateKind {
    /// Every kind, in declaration order.
    pub const ALL: [GateKind; 6] = [
        GateKind::Code,
        GateKind::Audit,
        GateKind::Marker,
        GateKind::Fresh,
        GateKind::Scope,
        GateKind::Theater,
    ];

    /// The kind's name as every output spells it (its serde name).
    pub fn name(self) -> &'static str {
        match self {
            GateKind::Code => "code",
            GateKind::Audit => "audit",
            GateKind::Marker => "marker",
            GateKind::Fresh => "fresh",
            GateKind::Scope => "scope",
            GateKind::Theater => "theater",
        }
    }
}

impl std::fmt::Display for GateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of one gate: its items (failing ones and accepted ones), a
/// triad's legs, and the status derived from them. Serialised (JSON format
/// version 1) with its fields in this order, `legs` left out when empty
/// (every kind but `theater`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateOutcome {
    /// The table's `name`.
    pub name: String,
    /// Which kind of table ran ([`GateKind`]: gate, audit, marker, fresh,
    /// scope, theater).
    pub kind: GateKind,
    /// Red iff some leg or item fails; decided here, never by a renderer.
    pub status: Status,
    /// The legs of a theater triad, in [`crate::Leg::ALL`] order; empty for
    /// every other kind.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legs: Vec<LegOutcome>,
    /// Items in a deterministic order: by file, line, verdict.
    pub items: Vec<Item>,
}

impl GateOutcome {
    /// Builds the outcome; the status is red iff some item fails.
    pub fn new(name: &str, kind: GateKind, items: Vec<Item>) -> Self {
        GateOutcome::with_legs(name, kind, Vec::new(), items)
    }

    /// The outcome of a theater triad: its legs (sorted by leg) and the
    /// evidence of those that failed; red iff some leg or item fails.
    pub fn theater(name: &str, legs: Vec<LegOutcome>, items: Vec<Item>) -> Self {
        GateOutcome::with_legs(name, GateKind::Theater, legs, items)
    }

    fn with_legs(
        name: &str,
        kind: GateKind,
        mut legs: Vec<LegOutcome>,
        mut items: Vec<Item>,
    ) -> Self {
        crate::order::sort_stable_vec_by(&mut items, |a, b| {
            (&a.file, a.line, a.verdict, &a.token).cmp(&(&b.file, b.line, b.verdict, &b.token))
        });
        legs.sort_by_key(|leg| leg.leg);
        let fails = items.iter().any(|item| item.verdict.fails())
            || legs.iter().any(|leg| leg.verdict.fails());
        let status = if fails { Status::Fail } else { Status::Pass };
        GateOutcome {
            name: name.to_owned(),
            kind,
            status,
            legs,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Verdict;

    #[test]
    fn names_are_the_serde_names() {
        for kind in GateKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
            assert_eq!(kind.to_string(), kind.name());
        }
        for status in [Status::Pass, Status::Fail] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.name());
        }
    }

    #[test]
    fn a_gate_is_red_iff_some_item_fails_and_items_come_sorted() {
        let item = |verdict, file: &str, line| Item::new(verdict, file, Some(line), "f", "x");
        let green = GateOutcome::new(
            "g",
            GateKind::Code,
            vec![
                item(Verdict::Ok, "b.py", 1),
                item(Verdict::ParseWarning, "a.py", 2),
            ],
        );
        assert_eq!(green.status, Status::Pass);
        assert_eq!(green.items[0].file, "a.py");
        let red = GateOutcome::new("g", GateKind::Audit, vec![item(Verdict::Ghost, "a.py", 1)]);
        assert_eq!(red.status, Status::Fail);
    }

    #[test]
    fn a_triad_is_red_iff_some_leg_or_item_fails_and_lists_its_legs_in_order() {
        use crate::{Leg, LegVerdict};
        let leg = |leg, verdict| LegOutcome {
            leg,
            verdict,
            file: Some("a.py".to_owned()),
            line: Some(3),
            message: "m".to_owned(),
            detail: None,
        };
        let legs = |last| {
            vec![
                leg(Leg::NonVacuity, last),
                leg(Leg::Drift, LegVerdict::Pass),
                leg(Leg::Content, LegVerdict::NotApplicable),
            ]
        };
        let green = GateOutcome::theater("g", legs(LegVerdict::Pass), Vec::new());
        assert_eq!(
            (green.kind, green.status),
            (GateKind::Theater, Status::Pass)
        );
        let order: Vec<Leg> = green.legs.iter().map(|leg| leg.leg).collect();
        assert_eq!(order, Leg::ALL);
        for failing in [LegVerdict::Fail, LegVerdict::Inconclusive] {
            let red = GateOutcome::theater("g", legs(failing), Vec::new());
            assert_eq!(red.status, Status::Fail);
        }
        let evidence = Item::new(Verdict::LegFailed, "a.py", Some(4), "f", "x");
        let red = GateOutcome::theater("g", legs(LegVerdict::Pass), vec![evidence]);
        assert_eq!(red.status, Status::Fail);
    }
}
