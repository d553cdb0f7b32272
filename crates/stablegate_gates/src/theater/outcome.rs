//! A [`Triad`] as a [`GateOutcome`] of kind `theater`, so that every
//! renderer of `check` prints it without a format of its own.
//!
//! Each leg is one item whose `rule` is the leg's name (`drift`, `content`,
//! `non_vacuity`) and whose `qualname` and `token` are empty: verdict `ok`
//! (passed), `leg_failed`, `inconclusive` or `n/a` (cannot apply: passes); `file`/`line` say where the
//! mutation went, `message` what it was, `detail` why the leg did not pass.
//! A failed leg's evidence follows as more items with the same `rule`: the
//! drifted items, or the accepted sites whose edit went unnoticed, each with
//! its qualname and token.

use super::{LegStatus, Triad};
use crate::verdict::{GateKind, GateOutcome, Item, SharedStr, Verdict};

impl Triad {
    /// The triad in the report model; failing iff some leg did not pass.
    pub fn outcome(&self) -> GateOutcome {
        let mut items = Vec::new();
        for leg in &self.legs {
            let verdict = match leg.status {
                LegStatus::Pass => Verdict::Ok,
                LegStatus::Fail => Verdict::LegFailed,
                LegStatus::Inconclusive => Verdict::Inconclusive,
                LegStatus::NotApplicable => Verdict::NotApplicable,
            };
            let mut item = Item::new(verdict, &leg.file, leg.line, "", "");
            item.rule = leg.leg.name().into();
            item.message = leg.mutation.clone().into();
            item.detail = leg.reason.as_deref().map(SharedStr::from);
            items.push(item);
            for miss in &leg.misses {
                let mut item = Item::new(
                    Verdict::LegFailed,
                    &miss.file,
                    miss.line,
                    &miss.qualname,
                    &miss.token,
                );
                item.rule = leg.leg.name().into();
                item.message = match miss.verdict {
                    Verdict::Ok => "an edit of this accepted site went unnoticed".into(),
                    verdict => format!("`{}` appeared under drift", verdict.name()).into(),
                };
                item.more_mut().entry = miss.more().entry.clone();
                item.detail = miss.detail.clone().or_else(|| Some(miss.message.clone()));
                items.push(item);
            }
        }
        GateOutcome::new(&self.gate, GateKind::Theater, items)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Leg, LegResult};
    use super::*;
    use crate::verdict::Status;

    fn leg(leg: Leg, status: LegStatus) -> LegResult {
        LegResult {
            leg,
            status,
            file: "a.py".into(),
            line: Some(3),
            mutation: "m".into(),
            reason: None,
            misses: Vec::new(),
        }
    }

    #[test]
    fn the_triad_fails_unless_every_leg_passes() {
        let mut triad = Triad {
            gate: "g".into(),
            legs: vec![
                leg(Leg::Drift, LegStatus::Pass),
                leg(Leg::Content, LegStatus::Pass),
                leg(Leg::NonVacuity, LegStatus::Pass),
            ],
        };
        assert_eq!(triad.outcome().status, Status::Pass);
        assert_eq!(triad.outcome().kind, GateKind::Theater);
        triad.legs[2].status = LegStatus::Inconclusive;
        let outcome = triad.outcome();
        assert_eq!(outcome.status, Status::Fail);
        let rules: Vec<&str> = outcome.items.iter().map(|i| i.rule.as_str()).collect();
        assert_eq!(rules.len(), 3);
        assert!(rules.contains(&"non_vacuity"));
    }
}
