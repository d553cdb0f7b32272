//! Reconciliation of one code gate (SPEC §4.1): live sites and the parsed
//! allowlist in, verdict items out.
//!
//! Responsible for deciding every verdict of a gate's allowlist: `ok`,
//! `violation`, `changed`, `moved`, `stale`, `count`, `baseline`, `expired`,
//! `ambiguous` and `invalid`. A pure function: no file I/O, no printing, no
//! clock (the caller passes `today`), no tokenizer (the caller passes the
//! canonicalizer of the gate's language). Content keys only: a site's line
//! orders sites inside a key and is printed, and is never compared (SPEC §2).
//!
//! Speed matters here: a rule that matches everywhere gives hundreds of
//! thousands of sites. Violations (one item and one suggestion per site) are
//! built on rayon's pool directly in the items' final order, then merged with
//! the few other items (sorted by moving indexes, [`crate::order`]); neither
//! changes the result (a property test holds the order).
//!
//! Decisions where the SPEC is silent:
//! - Entries that are `invalid` (legacy, missing fields, escaping paths,
//!   hand-typed tokens) or duplicates cover nothing; their sites are
//!   violations until the entry is fixed.
//! - A truncated token that selects several keys is `ambiguous`, and the
//!   keys it selects are not also violations.
//! - An entry that covers sites but fails `count` or `expired` gives one
//!   item for the entry (at its first live site) and no `ok` items; its
//!   sites are not violations. A stale entry is only `stale` (or `changed`,
//!   `moved`), whatever its `expires`.
//! - `moved` needs the key in the other file to be uncovered: if an entry
//!   there covers it already, the old entry is `stale` (evict it). The moved
//!   key's sites are reported once, in the `moved` item.
//! - `ok` items come one per covered site (SARIF suppressions are per result).
//! - A violation's suggestion sits on the first site of its key only, so
//!   pasting every suggestion gives no duplicate entries.
//! - `changed` pairs an entry with a whole live key (re-approving it covers
//!   every site of the key), reported at the key's first site.
//! - Two valid entries may select the same key (an exact token and a
//!   truncated one): each is judged on its own, so the site is `ok` twice.
//! - Items about an entry alone carry the gate's `message` (or nothing);
//!   an entry without `file` is located at its own line in the allowlist.
//! - Rules and texts (SPEC §12.7): a live key is `(file, qualname, token,
//!   text, rule)`, the rule only for sources that report rule ids. An entry
//!   with `rule` selects the keys of its rule, one without every rule of its
//!   content; the selected keys are covered together and counted together
//!   (counts per entry's key and rule). A truncated token is ambiguous only
//!   when it selects several contents, never for several rules of one.
//!   Duplicates need the same file, qualname, token, text and rule: an entry
//!   with a rule and one without on the same key are both judged.
//! - Scoped entries (SPEC §12.2, `scope: file` / `scope: qualname`) are
//!   judged after the token entries and cover only what those left
//!   uncovered; see `scoped` for their rules.

pub(crate) mod check;
mod items;
mod live;
mod outcome;
mod pair;
mod scoped;
mod similarity;

pub use stablegate_model::suggestion::{suggestion, Suggested, TODO_RATIONALE};

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::allowlist::{Allowlist, Entry};
use crate::date::Date;
use crate::inputs::Site;
use crate::verdict::{Item, Verdict};
use check::{entry_key, EntryKey};
use items::{entry_item, file_item, Shared};
use live::{Live, LiveKey};
use outcome::{covering_items, several_keys, stale_item, Violations};
use pair::{crowded_scopes, pair};
use scoped::reconcile_scoped;

/// Everything reconciliation of one gate needs.
pub struct ReconcileInput<'a> {
    /// The gate's name (the `rule` of entry items; `stablegate convert NAME`).
    pub gate: &'a str,
    /// The gate's `message`; when absent, a site's own message is used.
    pub message: Option<&'a str>,
    /// Whether an entry without `count` means exactly one site.
    pub strict_counts: bool,
    /// The live sites, in any order.
    pub sites: &'a [Site],
    /// The parsed allowlist; `None` when the gate has none configured.
    pub allowlist: Option<&'a Allowlist>,
    /// Root-relative path of the allowlist file, for entry references.
    pub allowlist_path: &'a str,
    /// Entries whose `expires` is before this date are `expired`.
    pub today: Date,
    /// The canonical form of a token of a file (`(file, token)`): re-keyed in
    /// the key language of the file and joined with one space. A stored token that does not survive it
    /// unchanged is `invalid` (SPEC §6 token lint).
    pub canonicalize: &'a dyn Fn(&str, &str) -> String,
    /// Entry `file` values the caller found to lead outside the root through
    /// a symlink (the lexical check is [`crate::allowlist::escapes_root`]).
    pub escaping_files: &'a [String],
}

/// What makes two valid entries duplicates: file, qualname, token, text and
/// rule.
type Identity<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// How far a live key is accounted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum KeyUse {
    Uncovered,
    /// Selected by an ambiguous truncated token: not a violation.
    Claimed,
    Covered,
}

/// The items of one gate, in a deterministic order.
pub fn reconcile(input: &ReconcileInput<'_>) -> Vec<Item> {
    let ordered = live::order(input.sites);
    let live = Live::new(&ordered);
    let shared = Shared::of(input);
    let no_entries = Allowlist::empty("");
    let allowlist = input.allowlist.unwrap_or(&no_entries);
    let mut uses = vec![KeyUse::Uncovered; live.keys.len()];
    let mut items = Vec::new();
    let mut stale: Vec<(&Entry, EntryKey)> = Vec::new();
    let mut first_entry: BTreeMap<Identity<'_>, &Entry> = BTreeMap::new();
    let mut scoped: Vec<&Entry> = Vec::new();
    for entry in &allowlist.entries {
        if entry.is_scoped() {
            scoped.push(entry);
            continue;
        }
        let key = match entry_key(entry, input.gate, input.canonicalize, input.escaping_files) {
            Ok(key) => key,
            Err(problems) => {
                let mut item = entry_item(&shared, Verdict::Invalid, entry);
                item.detail = Some(problems.join("; ").into());
                items.push(item);
                continue;
            }
        };
        let identity = (key.file, key.qualname, key.token, key.text, key.rule);
        if let Some(first) = first_entry.get(&identity) {
            let mut item = entry_item(&shared, Verdict::Ambiguous, entry);
            let mut same = vec!["file", "qualname", "token"];
            same.extend(key.token.is_empty().then_some("text"));
            same.extend(key.rule.map(|_| "rule"));
            let last = same.pop().unwrap_or_default();
            item.detail = Some(
                format!(
                    "duplicate of the entry at {}:{} (same {} and {last}): remove one",
                    input.allowlist_path,
                    first.line,
                    same.join(", ")
                )
                .into(),
            );
            items.push(item);
            continue;
        }
        first_entry.insert(identity, entry);
        let selected: Vec<usize> = (live.selected(key.file, key.qualname, key.pattern, key.text))
            .filter(|&index| key.admits(live.keys[index].rule))
            .collect();
        // The selected keys are sorted: those of one content are adjacent.
        let contents: Vec<usize> = (selected.iter().enumerate())
            .filter(|&(position, &index)| {
                position == 0 || live.content_of(index).start > selected[position - 1]
            })
            .map(|(_, &index)| index)
            .collect();
        match contents[..] {
            [] => stale.push((entry, key)),
            [_] => {
                for &index in &selected {
                    uses[index] = KeyUse::Covered;
                }
                let keys: Vec<&LiveKey<'_>> =
                    selected.iter().map(|&index| &live.keys[index]).collect();
                items.extend(covering_items(
                    input,
                    &shared,
                    entry,
                    &keys,
                    input.strict_counts,
                ));
            }
            _ => {
                for &index in &selected {
                    uses[index] = uses[index].max(KeyUse::Claimed);
                }
                let mut item = entry_item(&shared, Verdict::Ambiguous, entry);
                item.detail = Some(several_keys(&live, &contents).into());
                items.push(item);
            }
        }
    }
    // Scoped entries cover what the token entries left, before stale token
    // entries are paired with the keys still open.
    items.extend(reconcile_scoped(input, &shared, &live, &mut uses, &scoped));
    let mut open: Vec<bool> = uses
        .iter()
        .map(|&key_use| key_use == KeyUse::Uncovered)
        .collect();
    let stale_keys: Vec<EntryKey> = stale.iter().map(|&(_, key)| key).collect();
    let crowded = crowded_scopes(&stale_keys, &live);
    let pairings = pair(&stale_keys, &live, &mut open, &crowded);
    for ((entry, key), pairing) in stale.iter().zip(pairings) {
        let hint = !crowded.contains(&(key.file, key.qualname));
        items.push(stale_item(&shared, &live, entry, key, pairing, hint));
    }
    let violations = violations(input, &live, &open);
    if let Some(baseline) = &allowlist.baseline {
        let entries = allowlist.entries.len() as u64;
        if baseline.value != entries {
            let mut item = file_item(&shared, Verdict::Baseline, baseline.span.line);
            item.more_mut().expected = Some(baseline.value);
            item.more_mut().actual = Some(entries);
            items.push(item);
        }
    }
    sort(&mut items);
    let mut all = violations;
    let ties = crate::order::Ties::ExtraFirst;
    crate::order::merge_into(&mut all, items, ties, |a, b| order(a).cmp(&order(b)));
    all
}

/// One violation per site of an uncovered key, already in the items' order
/// ([`order`]): by file, line, then key (a file's keys are in `(qualname,
/// token)` order) and site (the first site of a key, which carries the
/// suggestion and no `detail`, comes first). A rule that matches everywhere
/// gives one per site, hundreds of thousands: the order is decided on
/// integers and the items are built on rayon's pool in place, never sorted.
fn violations(input: &ReconcileInput<'_>, live: &Live<'_>, open: &[bool]) -> Vec<Item> {
    // (file ordinal, line, key index, site position): keys are sorted by
    // file, so ordinals follow the files' order.
    let count = (live.keys.iter().zip(open))
        .filter(|&(_, &open)| open)
        .map(|(key, _)| key.sites.len())
        .sum();
    let mut places: Vec<(u32, usize, u32, u32)> = Vec::with_capacity(count);
    let mut file_ordinal = 0u32;
    for (index, key) in live.keys.iter().enumerate() {
        if index > 0 && live.keys[index - 1].file != key.file {
            file_ordinal += 1;
        }
        if open[index] {
            for (position, site) in key.sites.iter().enumerate() {
                places.push((
                    file_ordinal,
                    site.finding.line,
                    index as u32,
                    position as u32,
                ));
            }
        }
    }
    places.par_sort_unstable();
    let (message, strict_counts) = (input.message, input.strict_counts);
    (places.par_iter())
        .map_init(
            || Violations::new(message, strict_counts),
            |violations, &(_, _, index, position)| {
                violations.of(&live.keys[index as usize], position as usize)
            },
        )
        .collect()
}

/// A total order: by place, then verdict, then content.
fn sort(items: &mut [Item]) {
    crate::order::sort_stable_by(items, |a, b| order(a).cmp(&order(b)));
}

fn order(item: &Item) -> impl Ord + '_ {
    (
        (&item.file, item.line, item.verdict),
        (&item.qualname, &item.token, &item.more().old_token),
        (
            item.more().entry.as_ref().map(|entry| entry.line),
            &item.detail,
        ),
    )
}
