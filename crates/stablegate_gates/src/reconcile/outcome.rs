//! The items of one entry or live key once matching has placed it.
//!
//! Responsible for the verdict-specific parts of items: `ok`, `count` and
//! `expired` for an entry that selects one key; `stale`, `changed` and
//! `moved` for an entry that selects none (after pairing); `violation`s with
//! their suggestion; the detail of an ambiguous truncated token. Not
//! responsible for matching or pairing (see the parent module and `pair`).

use super::check::EntryKey;
use super::items::{covered_item, entry_item, entry_site_item, rationale, site_item_with, Shared};
use super::live::{Live, LiveKey};
use super::pair::Pairing;
use super::similarity::Similarity;
use super::ReconcileInput;
use crate::allowlist::Entry;
use crate::verdict::{Item, SharedStr, Verdict};
use stablegate_model::Suggestion;

/// The items of an entry that selects exactly one live content: `keys` are
/// its keys of the rules the entry admits (one, for an entry with `rule`),
/// counted together (SPEC §12.7: counts are per key and rule). For a scoped
/// entry, `keys` are every key it covers; `strict` says whether an entry
/// without `count` means exactly one site (`strict_counts`, which scoped
/// entries do not follow).
pub(super) fn covering_items(
    input: &ReconcileInput<'_>,
    shared: &Shared,
    entry: &Entry,
    keys: &[&LiveKey<'_>],
    strict: bool,
) -> Vec<Item> {
    let mut items = Vec::new();
    let actual = keys.iter().map(|key| key.sites.len() as u64).sum::<u64>();
    // Items about the entry as a whole sit at its topmost live site.
    let Some(key) = keys
        .iter()
        .copied()
        .min_by_key(|key| key.sites.first().map(|site| site.finding.line))
    else {
        return items;
    };
    let expected = entry
        .count
        .as_ref()
        .map(|count| count.value)
        .or(strict.then_some(1));
    if let Some(expected) = expected.filter(|&expected| expected != actual) {
        let mut item = covered_item(shared, Verdict::Count, entry, key);
        item.more_mut().expected = Some(expected);
        item.more_mut().actual = Some(actual);
        items.push(item);
    }
    if let Some(expires) = entry
        .expires
        .as_ref()
        .filter(|expires| expires.value < input.today)
    {
        let mut item = covered_item(shared, Verdict::Expired, entry, key);
        item.detail = Some(
            format!(
                "expired on {}: fix the site, or renew `expires` in review",
                expires.value
            )
            .into(),
        );
        items.push(item);
    }
    if items.is_empty() {
        let rationale = rationale(entry);
        for site in keys.iter().flat_map(|key| key.sites) {
            items.push(entry_site_item(
                shared,
                Verdict::Ok,
                entry,
                &rationale,
                site,
            ));
        }
    }
    items
}

pub(super) fn several_keys(live: &Live<'_>, selected: &[usize]) -> String {
    let tokens: Vec<String> = selected
        .iter()
        .map(|&index| format!("`{}`", live.keys[index].token))
        .collect();
    format!(
        "truncated token selects {} live keys ({}): lengthen it until it selects one",
        selected.len(),
        tokens.join(", ")
    )
}

/// The item of an entry that selects no live key in its own scope.
pub(super) fn stale_item(
    shared: &Shared,
    live: &Live<'_>,
    entry: &Entry,
    key: &EntryKey<'_>,
    pairing: Pairing,
    nearest_hint: bool,
) -> Item {
    match pairing {
        Pairing::Moved(index) => {
            let target = &live.keys[index];
            let mut item = entry_item(shared, Verdict::Moved, entry);
            item.more_mut().moved_to = Some(target.file.to_owned());
            item.detail = Some(format!(
                "its qualname and token now live in {}: update `file` and re-approve, or fix the site",
                target.file
            ).into());
            item
        }
        Pairing::Changed(index) => {
            let mut item = covered_item(shared, Verdict::Changed, entry, &live.keys[index]);
            item.more_mut().old_token = Some(key.token.to_owned());
            if key.token.is_empty() {
                item.more_mut().old_text = Some(key.text.to_owned());
            }
            item
        }
        Pairing::Stale => {
            let mut item = entry_item(shared, Verdict::Stale, entry);
            item.more_mut().nearest = nearest_hint.then(|| nearest(live, key)).flatten();
            item
        }
    }
}

/// The live token in the entry's `(file, qualname)` most like its token
/// (for a token-less entry, the text of a token-less line most like its
/// text); ties go to the smaller one.
fn nearest(live: &Live<'_>, key: &EntryKey<'_>) -> Option<String> {
    let stored = key.comparand();
    let mut best: Option<(Similarity, &str)> = None;
    for index in live.in_scope(key.file, key.qualname) {
        let live_key = &live.keys[index];
        if live_key.token.is_empty() != key.token.is_empty() {
            continue;
        }
        let token = live_key.comparand();
        let similarity = Similarity::of(stored, token);
        let closer = match best {
            Some((best_similarity, _)) => similarity > best_similarity,
            None => true,
        };
        if closer {
            best = Some((similarity, token));
        }
    }
    best.map(|(_, token)| token.to_owned())
}

/// The detail of a violation that is not the first site of its key.
pub(super) const COVERS_TOO: &str =
    "the entry suggested for the first site of this key covers this one too";

/// The strings a violation may carry besides its site's, one copy per
/// worker job ([`Violations::new`]): clones of one shared string from
/// every core at once contend for its count, clones of a job's own copy do
/// not. Equal texts, so the items are the same.
pub(super) struct Violations {
    /// The gate's message, if it has one.
    message: Option<SharedStr>,
    /// The message of an item whose gate and finding have none.
    empty: SharedStr,
    /// [`COVERS_TOO`].
    covers_too: SharedStr,
    strict_counts: bool,
}

impl Violations {
    pub(super) fn new(message: Option<&str>, strict_counts: bool) -> Self {
        Violations {
            message: message.map(SharedStr::from),
            empty: SharedStr::from(""),
            covers_too: SharedStr::from(COVERS_TOO),
            strict_counts,
        }
    }

    /// The `violation` of the site at `position` in an uncovered key: the
    /// first site carries the suggested entry, the others say it covers
    /// them too.
    pub(super) fn of(&self, key: &LiveKey<'_>, position: usize) -> Item {
        let site = key.sites[position];
        let message = (self.message.as_ref())
            .or(site.finding.message.as_ref())
            .unwrap_or(&self.empty);
        let mut item = site_item_with(message.clone(), Verdict::Violation, site);
        if position == 0 {
            let count = key.sites.len();
            let count = (self.strict_counts && count > 1).then_some(count);
            // Spelled from the item's key when rendered: the item carries the
            // key's file, qualname, line, token, text and rule already.
            item.suggestion = Some(Suggestion::Entry { count });
        } else {
            item.detail = Some(self.covers_too.clone());
        }
        item
    }
}
