//! The legs of a theater triad (SPEC §7) as the report model holds them: a
//! [`LegOutcome`] per [`Leg`], with its [`LegVerdict`].
//!
//! A triad's outcome ([`crate::GateOutcome`] of kind `theater`) carries its
//! legs in a field of their own; its items are the evidence of the legs that
//! failed (drifted items, accepted sites whose edit went unnoticed). This
//! module words nothing and decides nothing beyond whether a leg's verdict
//! fails the triad.

use serde::{Serialize, Serializer};

use crate::verdict::Verdict;

/// The three legs, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Leg {
    /// Lines shifted around the accepted sites: the outcome must not change.
    Drift,
    /// An accepted site's line edited: the gate must go red.
    Content,
    /// A new offender planted: the gate must report it.
    NonVacuity,
}

impl Leg {
    /// Every leg, in the order reports list them.
    pub const ALL: [Leg; 3] = [Leg::Drift, Leg::Content, Leg::NonVacuity];

    /// The leg's name in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Leg::Drift => "drift",
            Leg::Content => "content",
            Leg::NonVacuity => "non_vacuity",
        }
    }
}

impl std::fmt::Display for Leg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Leg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// How a leg ended. Spelled as the [`Verdict`] it stands for ([`verdict`]),
/// so summaries count legs with items.
///
/// [`verdict`]: LegVerdict::verdict
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LegVerdict {
    /// The gate answered the mutation as it must (`ok`).
    Pass,
    /// It did not (`leg_failed`).
    Fail,
    /// The leg could not be exercised (`inconclusive`): fails the triad.
    Inconclusive,
    /// The leg cannot apply to this gate by construction (`n/a`): does not
    /// fail the triad.
    NotApplicable,
}

impl LegVerdict {
    /// The item verdict of the same name.
    pub fn verdict(self) -> Verdict {
        match self {
            LegVerdict::Pass => Verdict::Ok,
            LegVerdict::Fail => Verdict::LegFailed,
            LegVerdict::Inconclusive => Verdict::Inconclusive,
            LegVerdict::NotApplicable => Verdict::NotApplicable,
        }
    }

    /// The verdict's name as every output spells it.
    pub fn name(self) -> &'static str {
        self.verdict().name()
    }

    /// Whether the leg fails its triad.
    pub fn fails(self) -> bool {
        self.verdict().fails()
    }
}

impl Serialize for LegVerdict {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One leg of a triad: its verdict, where its mutation went, what it was and
/// why the leg did not pass. Serialised (JSON format version 1) with its
/// fields in this order, `detail` left out when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegOutcome {
    pub leg: Leg,
    pub verdict: LegVerdict,
    /// Root-relative path of the first mutated file; `None` when the leg
    /// mutated nothing.
    pub file: Option<String>,
    /// 1-based line of the first mutation there.
    pub line: Option<usize>,
    /// What was mutated, in a sentence (empty when nothing was).
    pub message: String,
    /// Why the leg failed, could not be exercised or cannot apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leg_verdicts_are_spelled_as_their_item_verdicts() {
        for (leg_verdict, name, fails) in [
            (LegVerdict::Pass, "ok", false),
            (LegVerdict::Fail, "leg_failed", true),
            (LegVerdict::Inconclusive, "inconclusive", true),
            (LegVerdict::NotApplicable, "n/a", false),
        ] {
            assert_eq!(leg_verdict.name(), name);
            assert_eq!(serde_json::to_value(leg_verdict).unwrap(), name);
            assert_eq!(leg_verdict.fails(), fails);
        }
        let names: Vec<&str> = Leg::ALL.iter().map(|leg| leg.name()).collect();
        assert_eq!(names, ["drift", "content", "non_vacuity"]);
    }

    #[test]
    fn a_leg_serialises_with_null_location_and_without_absent_detail() {
        let leg = LegOutcome {
            leg: Leg::NonVacuity,
            verdict: LegVerdict::Inconclusive,
            file: None,
            line: None,
            message: String::new(),
            detail: None,
        };
        assert_eq!(
            serde_json::to_string(&leg).unwrap(),
            r#"{"leg":"non_vacuity","verdict":"inconclusive","file":null,"line":null,"message":""}"#
        );
    }
}
