//! What each leg of the triad looks for in a mutated run's outcome, compared
//! with the unmutated run's: pure functions over [`GateOutcome`]s.
//!
//! Items are compared by identity — verdict, file, qualname, token, rule and
//! the allowlist entry — never by line, since moving lines is what the drift
//! leg does.

use std::collections::BTreeMap;

use crate::verdict::{GateOutcome, Item, Verdict};

type Identity<'a> = (Verdict, &'a str, &'a str, &'a str, &'a str, Option<usize>);

fn identity(item: &Item) -> Identity<'_> {
    (
        item.verdict,
        &item.file,
        &item.qualname,
        &item.token,
        &item.rule,
        item.more().entry.as_ref().map(|entry| entry.line),
    )
}

fn counts(outcome: &GateOutcome) -> BTreeMap<Identity<'_>, usize> {
    let mut counts = BTreeMap::new();
    for item in &outcome.items {
        *counts.entry(identity(item)).or_insert(0) += 1;
    }
    counts
}

/// Drift: the items of the mutated run that the unmutated run did not have
/// (new or changed verdicts) and those it lost; empty when drift changed
/// nothing.
pub(super) fn drifted<'a>(base: &GateOutcome, mutated: &'a GateOutcome) -> Vec<&'a Item> {
    let before = counts(base);
    let after = counts(mutated);
    let mut seen: BTreeMap<Identity<'_>, usize> = BTreeMap::new();
    let mut changed = Vec::new();
    for item in &mutated.items {
        let id = identity(item);
        let index = seen.entry(id).or_insert(0);
        *index += 1;
        if *index > before.get(&id).copied().unwrap_or(0) {
            changed.push(item);
        }
    }
    let lost = before
        .iter()
        .any(|(id, &count)| after.get(id).copied().unwrap_or(0) < count);
    if lost && changed.is_empty() {
        // Something disappeared without a replacement: report the mutated
        // run's failing items so the difference is visible.
        changed.extend(mutated.items.iter().filter(|item| item.verdict.fails()));
    }
    changed
}

/// Content: whether the mutated run has a failing item the unmutated run
/// did not have (the gate noticed the edit).
pub(super) fn caught(base: &GateOutcome, mutated: &GateOutcome) -> bool {
    let before = counts(base);
    let after = counts(mutated);
    after
        .iter()
        .any(|(id, &count)| id.0.fails() && count > before.get(id).copied().unwrap_or(0))
}

/// Content, for one edited entry (`site`: one of its `ok` items in the
/// unmutated run): caught when the mutated run has a failing item the
/// unmutated run did not have and no `ok` item of that entry is left (an
/// entry always gives an item, so it is then `stale`, `changed`, `moved`,
/// `count`…). Judged per entry, so several entries can be edited in one run.
pub(super) fn entry_caught(base: &GateOutcome, mutated: &GateOutcome, site: &Item) -> bool {
    let still_ok = mutated.items.iter().any(|item| {
        item.verdict == Verdict::Ok
            && item.more().entry.is_some()
            && item.more().entry == site.more().entry
    });
    !still_ok && caught(base, mutated)
}

/// Non-vacuity: whether the mutated run reports a violation (or a `changed`
/// site) on one of `lines` of `file`; for a count gate, whose sites are
/// never violations, a counted site there (an `ok` item without an entry).
pub(super) fn violation_at(mutated: &GateOutcome, file: &str, lines: &[usize]) -> bool {
    mutated.items.iter().any(|item| {
        let counted = item.verdict == Verdict::Ok && item.more().entry.is_none();
        (counted || matches!(item.verdict, Verdict::Violation | Verdict::Changed))
            && item.file == file
            && item.line.is_some_and(|line| lines.contains(&line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::GateKind;

    fn item(verdict: Verdict, line: usize, token: &str) -> Item {
        let mut item = Item::new(verdict, "a.py", Some(line), "f", token);
        item.rule = "r".into();
        item
    }

    fn outcome(items: Vec<Item>) -> GateOutcome {
        GateOutcome::new("g", GateKind::Code, items)
    }

    #[test]
    fn moved_lines_are_not_drift_but_new_verdicts_are() {
        let base = outcome(vec![item(Verdict::Ok, 3, "x")]);
        let shifted = outcome(vec![item(Verdict::Ok, 9, "x")]);
        assert!(drifted(&base, &shifted).is_empty());
        let broken = outcome(vec![
            item(Verdict::Stale, 3, "x"),
            item(Verdict::Violation, 9, "x "),
        ]);
        assert_eq!(drifted(&base, &broken).len(), 2);
    }

    #[test]
    fn a_new_failing_item_is_a_caught_edit_and_an_unchanged_outcome_is_not() {
        let base = outcome(vec![item(Verdict::Ok, 3, "x")]);
        assert!(!caught(&base, &outcome(vec![item(Verdict::Ok, 3, "x")])));
        assert!(caught(&base, &outcome(vec![item(Verdict::Stale, 3, "x")])));
    }

    #[test]
    fn each_entry_edited_in_one_run_is_judged_on_its_own() {
        use crate::verdict::EntryRef;
        let with_entry = |verdict, line, token: &str, entry_line| {
            let mut item = item(verdict, line, token);
            item.more_mut().entry = Some(EntryRef {
                allowlist: "allow.yaml".into(),
                line: entry_line,
            });
            item
        };
        let base = outcome(vec![
            with_entry(Verdict::Ok, 3, "x", 1),
            with_entry(Verdict::Ok, 7, "y", 5),
        ]);
        // The first entry's edit was noticed, the second's was not.
        let mutated = outcome(vec![
            with_entry(Verdict::Changed, 3, "x2", 1),
            with_entry(Verdict::Ok, 7, "y2", 5),
        ]);
        assert!(entry_caught(&base, &mutated, &base.items[0]));
        assert!(!entry_caught(&base, &mutated, &base.items[1]));
    }

    #[test]
    fn non_vacuity_needs_a_violation_on_the_new_lines() {
        let mutated = outcome(vec![item(Verdict::Violation, 12, "y")]);
        assert!(violation_at(&mutated, "a.py", &[11, 12]));
        assert!(!violation_at(&mutated, "a.py", &[3]));
        assert!(!violation_at(&mutated, "b.py", &[12]));
    }
}
