//! Gate-level verdicts on top of reconciliation (SPEC §12.2): the count
//! bounds `min_sites` / `max_sites`, count gates, the `shrink_only` ratchet
//! against the base branch (`grown`), and `*_baseline` keys that name no
//! list (`invalid`).
//!
//! Pure: the caller ([`crate::run`]) reads the allowlist at the base through
//! git ([`crate::git`]) and passes it in. Kept apart from
//! [`crate::reconcile`], which judges entries against sites; nothing here
//! looks at single entries.
//!
//! Decisions where the SPEC is silent:
//! - A bound counts every live site of the gate (after `rules`), covered or
//!   not; the item is placed on the gate in the configuration file, with
//!   the bound as `expected` and the count as `actual`.
//! - A count gate's sites are `ok` items without an entry (so outputs list
//!   what was counted, and SARIF shows them as accepted), never violations.
//! - `grown` compares the number of entries, and the baseline where the
//!   file sets one (against the base's baseline, or its number of entries
//!   when it had none); an allowlist file absent at the base had no
//!   entries, so any entry now is growth. One item, on the allowlist file.

use stablegate_config::Gate;

use crate::allowlist::Allowlist;
use crate::verdict::{Item, SharedStr, Verdict};

/// Whether the gate is a count gate: bounds and no allowlist.
pub fn is_count_gate(gate: &Gate) -> bool {
    gate.allowlist.is_none() && (gate.min_sites.is_some() || gate.max_sites.is_some())
}

/// A count gate's items: its violations become counted `ok` sites.
pub fn counted(items: &mut [Item]) {
    for item in items.iter_mut() {
        if item.verdict == Verdict::Violation {
            item.verdict = Verdict::Ok;
            item.suggestion = None;
            item.detail = None;
        }
    }
}

/// The `count` item of a crossed bound, if any, for `live` sites.
pub fn bounds(gate: &Gate, live: u64) -> Option<Item> {
    let (bound, said) = match (gate.min_sites, gate.max_sites) {
        (Some(min), _) if live < min => (min, format!("fewer than `min_sites = {min}`")),
        (_, Some(max)) if live > max => (max, format!("more than `max_sites = {max}`")),
        _ => return None,
    };
    let mut item = Item::new(
        Verdict::Count,
        gate.location.file.as_str(),
        Some(gate.location.line),
        "",
        "",
    );
    item.rule = SharedStr::from(gate.name.as_str());
    item.message = format!("{live} live site(s), {said}").into();
    item.more_mut().expected = Some(bound);
    item.more_mut().actual = Some(live);
    Some(item)
}

/// The allowlist as it was at the base revision.
#[derive(Debug, Clone)]
pub struct AtBase {
    /// The revision as given (`origin/main`).
    pub base: String,
    /// The merge base of `base` and `HEAD` the file was read at.
    pub commit: String,
    /// `None`: the file did not exist there.
    pub allowlist: Option<Allowlist>,
}

/// The `grown` item when `now` has more entries (or a higher baseline)
/// than the allowlist at the base.
pub fn grown(gate: &Gate, path: &str, now: &Allowlist, then: &AtBase) -> Option<Item> {
    let empty = Allowlist::empty(&gate.allowlist_key);
    let before = then.allowlist.as_ref().unwrap_or(&empty);
    let (entries_then, entries_now) = (before.entries.len() as u64, now.entries.len() as u64);
    let ceiling_then = before.baseline.as_ref().map_or(entries_then, |b| b.value);
    let baseline_grew = now.baseline.as_ref().filter(|b| b.value > ceiling_then);
    if entries_now <= entries_then && baseline_grew.is_none() {
        return None;
    }
    let short = &then.commit[..then.commit.len().min(12)];
    let line = now.baseline.as_ref().map_or(1, |b| b.span.line);
    let mut item = Item::new(Verdict::Grown, path, Some(line), "", "");
    item.rule = SharedStr::from(gate.name.as_str());
    let (expected, actual) = match baseline_grew {
        Some(baseline) if entries_now <= entries_then => (ceiling_then, baseline.value),
        _ => (entries_then, entries_now),
    };
    item.message = format!(
        "`{}` is shrink-only and grew against `{}`",
        gate.allowlist_key, then.base
    )
    .into();
    item.more_mut().expected = Some(expected);
    item.more_mut().actual = Some(actual);
    let there = if then.allowlist.is_some() {
        format!("{entries_then} entr{} there", plural(entries_then))
    } else {
        "the file did not exist there".to_owned()
    };
    item.detail = Some(
        format!(
            "at the merge base {short} with `{}`: {there}; now {entries_now} entr{}{}",
            then.base,
            plural(entries_now),
            match baseline_grew {
                Some(b) => format!(", `{}` {} (was {ceiling_then})", gate.baseline_key, b.value),
                None => String::new(),
            }
        )
        .into(),
    );
    Some(item)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        "y"
    } else {
        "ies"
    }
}

/// `invalid` items for the `*_baseline` keys of the file that no gate of
/// the configuration claims (`baseline_key`) and that name no list: a
/// misnamed baseline would otherwise never be checked (SPEC §12.2).
pub fn orphan_baselines(gate: &Gate, path: &str, list: &Allowlist) -> Vec<Item> {
    let claimed = |key: &str| {
        key == gate.baseline_key || gate.file_baseline_keys.iter().any(|claimed| claimed == key)
    };
    (list.baseline_keys.iter())
        .filter(|(key, _)| !claimed(key))
        .filter(|(key, _)| {
            let named = key.strip_suffix("_baseline").unwrap_or(key);
            !list.lists.iter().any(|list| list == named)
        })
        .map(|(key, line)| {
            let mut item = Item::new(Verdict::Invalid, path, Some(*line), "", "");
            item.rule = SharedStr::from(gate.name.as_str());
            item.message = format!("`{key}` names no list of this file").into();
            item.detail = Some(
                format!(
                    "no top-level list `{}` here and no gate's `baseline_key`: it is never checked; \
                     rename it (gate `{}` reads `{}`) or set `baseline_key`",
                    key.strip_suffix("_baseline").unwrap_or(key),
                    gate.name,
                    gate.baseline_key
                )
                .into(),
            );
            item
        })
        .collect()
}
