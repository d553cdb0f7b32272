//! A [`Triad`] as a [`GateOutcome`] of kind `theater`, so that every
//! renderer of `check` prints it without a format of its own.
//!
//! Each leg is a [`LegOutcome`] in the outcome's `legs`: its verdict (`ok`
//! passed, `leg_failed`, `inconclusive`, or `n/a`: cannot apply, passes),
//! `file`/`line` where the mutation went, `message` what it was, `detail`
//! why the leg did not pass. A failed leg's evidence is the outcome's items,
//! verdict `leg_failed` and `rule` the leg's name: the drifted items, or the
//! accepted sites whose edit went unnoticed, each with its qualname and
//! token.

use stablegate_model::LegOutcome;

use super::Triad;
use crate::verdict::{GateOutcome, Item, Verdict};

impl Triad {
    /// The triad in the report model; failing iff some leg did not pass.
    pub fn outcome(&self) -> GateOutcome {
        let mut legs = Vec::new();
        let mut items = Vec::new();
        for leg in &self.legs {
            legs.push(LegOutcome {
                leg: leg.leg,
                verdict: leg.status,
                file: (!leg.file.is_empty()).then(|| leg.file.clone()),
                line: leg.line,
                message: leg.mutation.clone(),
                detail: leg.reason.clone(),
            });
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
                item.more_mut().entry.clone_from(&miss.more().entry);
                item.detail = miss.detail.clone().or_else(|| Some(miss.message.clone()));
                items.push(item);
            }
        }
        GateOutcome::theater(&self.gate, legs, items)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Leg, LegResult, LegVerdict};
    use super::*;
    use crate::verdict::{GateKind, Status};

    fn leg(leg: Leg, status: LegVerdict) -> LegResult {
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
                leg(Leg::Drift, LegVerdict::Pass),
                leg(Leg::Content, LegVerdict::Pass),
                leg(Leg::NonVacuity, LegVerdict::Pass),
            ],
        };
        assert_eq!(triad.outcome().status, Status::Pass);
        assert_eq!(triad.outcome().kind, GateKind::Theater);
        triad.legs[2].status = LegVerdict::Inconclusive;
        let outcome = triad.outcome();
        assert_eq!(outcome.status, Status::Fail);
        assert!(outcome.items.is_empty());
        let legs: Vec<(Leg, LegVerdict)> =
            outcome.legs.iter().map(|l| (l.leg, l.verdict)).collect();
        assert_eq!(
            legs,
            [
                (Leg::Drift, LegVerdict::Pass),
                (Leg::Content, LegVerdict::Pass),
                (Leg::NonVacuity, LegVerdict::Inconclusive)
            ]
        );
        assert_eq!(outcome.legs[0].file.as_deref(), Some("a.py"));
    }
}
