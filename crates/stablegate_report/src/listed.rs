//! What the formats that list results one after another (SARIF, JUnit,
//! GitLab, GitHub annotations, the step summary) list for a gate: a theater
//! triad's legs first, each as an item, then the gate's items.
//!
//! A leg listed as an item has the leg's verdict ([`LegVerdict::verdict`]),
//! its name as `rule`, the mutation's place as `file`/`line`, what was mutated
//! as `message` and why the leg did not pass as `detail`; no qualname or
//! token. The verdict is the leg's, decided by the gates crate: this module
//! only reshapes.
//!
//! [`LegVerdict::verdict`]: stablegate_model::LegVerdict::verdict

use std::ops::Deref;

use stablegate_model::{GateOutcome, Item, Leg, LegOutcome, SharedStr};

/// One listed result of a gate.
pub(crate) struct Listed<'a> {
    /// The leg this result is, or `None` for one of the gate's items.
    pub leg: Option<Leg>,
    pub item: ListedItem<'a>,
}

/// A gate's item, or a leg's made for listing: as small as a reference, so
/// that renderers that hold every listed item (JUnit) keep memory
/// proportional to the report.
pub(crate) enum ListedItem<'a> {
    Borrowed(&'a Item),
    Leg(Box<Item>),
}

impl Deref for ListedItem<'_> {
    type Target = Item;

    fn deref(&self) -> &Item {
        match self {
            ListedItem::Borrowed(item) => item,
            ListedItem::Leg(item) => item,
        }
    }
}

/// The gate's legs, then its items, in order.
pub(crate) fn listed(gate: &GateOutcome) -> impl Iterator<Item = Listed<'_>> {
    let legs = gate.legs.iter().map(|leg| Listed {
        leg: Some(leg.leg),
        item: ListedItem::Leg(Box::new(leg_item(leg))),
    });
    let items = gate.items.iter().map(|item| Listed {
        leg: None,
        item: ListedItem::Borrowed(item),
    });
    legs.chain(items)
}

/// The leg as an item (see the module doc).
fn leg_item(leg: &LegOutcome) -> Item {
    let mut item = Item::new(
        leg.verdict.verdict(),
        leg.file.as_deref().unwrap_or_default(),
        leg.line,
        "",
        "",
    );
    item.rule = leg.leg.name().into();
    item.message = leg.message.as_str().into();
    item.detail = leg.detail.as_deref().map(SharedStr::from);
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_model::{LegVerdict, Verdict};

    #[test]
    fn legs_come_first_as_items_of_their_verdict() {
        let leg = LegOutcome {
            leg: Leg::Content,
            verdict: LegVerdict::Fail,
            file: Some("a.py".to_owned()),
            line: Some(4),
            message: "renamed `p`".to_owned(),
            detail: Some("1 of 2 edited entries went unnoticed".to_owned()),
        };
        let evidence = Item::new(Verdict::LegFailed, "a.py", Some(4), "f", "x = p");
        let gate = GateOutcome::theater("g", vec![leg], vec![evidence.clone()]);
        let listed: Vec<Listed<'_>> = listed(&gate).collect();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].leg, Some(Leg::Content));
        let item = &listed[0].item;
        assert_eq!(item.verdict, Verdict::LegFailed);
        assert_eq!((&*item.file, item.line), ("a.py", Some(4)));
        assert_eq!((&*item.rule, &*item.message), ("content", "renamed `p`"));
        assert!(item.qualname.is_empty() && item.token.is_empty());
        assert_eq!(
            item.detail.as_deref(),
            Some("1 of 2 edited entries went unnoticed")
        );
        assert_eq!((listed[1].leg, &*listed[1].item), (None, &evidence));
    }
}
