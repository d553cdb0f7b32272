//! Building the reported [`Item`]s of reconciliation.
//!
//! Responsible for the fields every item carries (file, locator line,
//! qualname, token, rule, message, entry reference) for the two kinds of
//! item: those about a live site and those about an allowlist entry. Not
//! responsible for deciding verdicts (see the parent module).

use super::live::LiveKey;
use super::ReconcileInput;
use crate::allowlist::Entry;
use crate::inputs::Site;
use crate::verdict::{EntryRef, Item, Verdict};

/// An item about a live site: its file, live line, qualname and token, the
/// rule that fired, and the gate's `message` (else the source's). Takes the
/// message alone, not the whole input, so violations can be built on other
/// threads.
pub(super) fn site_item(message: Option<&str>, verdict: Verdict, site: &Site) -> Item {
    let mut item = Item::new(
        verdict,
        &site.finding.file,
        Some(site.finding.line),
        &site.qualname,
        &site.token,
    );
    item.rule = site.finding.rule.clone();
    item.message = message
        .or(site.finding.message.as_deref())
        .unwrap_or_default()
        .to_owned();
    item
}

/// An item about an entry and one live site it concerns (`ok`): the site's
/// place, the entry's reference and rationale.
pub(super) fn entry_site_item(
    input: &ReconcileInput<'_>,
    verdict: Verdict,
    entry: &Entry,
    site: &Site,
) -> Item {
    let mut item = site_item(input.message, verdict, site);
    item.entry = Some(entry_ref(input, entry));
    item.rationale = entry.rationale.as_ref().map(|field| field.value.clone());
    item
}

/// An item about an entry that concerns a live key (`count`, `expired`,
/// `changed`): located at the key's first site.
pub(super) fn covered_item(
    input: &ReconcileInput<'_>,
    verdict: Verdict,
    entry: &Entry,
    key: &LiveKey<'_>,
) -> Item {
    match key.sites.first() {
        Some(site) => entry_site_item(input, verdict, entry, site),
        None => entry_item(input, verdict, entry),
    }
}

/// An item about an entry alone (`stale`, `moved`, `invalid`, `ambiguous`):
/// the entry's file, its `line:` locator, qualname and token as written. An
/// entry without `file` is located at its own line in the allowlist.
pub(super) fn entry_item(input: &ReconcileInput<'_>, verdict: Verdict, entry: &Entry) -> Item {
    let text = |field: &Option<crate::allowlist::Field<String>>| {
        field
            .as_ref()
            .map(|field| field.value.clone())
            .unwrap_or_default()
    };
    let file = text(&entry.file);
    let (file, line) = if file.is_empty() {
        (input.allowlist_path.to_owned(), Some(entry.line))
    } else {
        (file, entry.locator.as_ref().map(|field| field.value))
    };
    let mut item = Item::new(
        verdict,
        &file,
        line,
        &text(&entry.qualname),
        &text(&entry.token),
    );
    item.rule = input.gate.to_owned();
    item.message = input.message.unwrap_or_default().to_owned();
    item.entry = Some(entry_ref(input, entry));
    item.rationale = entry.rationale.as_ref().map(|field| field.value.clone());
    item
}

/// An item about the allowlist file itself (`baseline`).
pub(super) fn file_item(input: &ReconcileInput<'_>, verdict: Verdict, line: usize) -> Item {
    let mut item = Item::new(verdict, input.allowlist_path, Some(line), "", "");
    item.rule = input.gate.to_owned();
    item.message = input.message.unwrap_or_default().to_owned();
    item
}

fn entry_ref(input: &ReconcileInput<'_>, entry: &Entry) -> EntryRef {
    EntryRef {
        allowlist: input.allowlist_path.to_owned(),
        line: entry.line,
    }
}
