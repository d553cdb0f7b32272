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
use crate::verdict::{EntryRef, Item, SharedStr, Verdict};

/// The strings every item of one reconciliation carries, made once and
/// shared (SPEC §12.6): the gate's name, its message, the allowlist's path.
#[derive(Debug, Clone)]
pub(super) struct Shared {
    pub gate: SharedStr,
    pub message: Option<SharedStr>,
    pub allowlist: SharedStr,
}

impl Shared {
    pub(super) fn of(input: &ReconcileInput<'_>) -> Self {
        Shared {
            gate: SharedStr::from(input.gate),
            message: input.message.map(SharedStr::from),
            allowlist: SharedStr::from(input.allowlist_path),
        }
    }

    fn message(&self) -> SharedStr {
        self.message.clone().unwrap_or_default()
    }
}

/// An item about a live site: its file, live line, qualname and token, the
/// rule that fired, and the gate's `message` (else the source's). Takes the
/// message alone, not the whole input, so violations can be built on other
/// threads.
pub(super) fn site_item(message: Option<&SharedStr>, verdict: Verdict, site: &Site) -> Item {
    let message = (message.or(site.finding.message.as_ref()))
        .cloned()
        .unwrap_or_default();
    site_item_with(message, verdict, site)
}

/// [`site_item`] with the item's message decided.
pub(super) fn site_item_with(message: SharedStr, verdict: Verdict, site: &Site) -> Item {
    let finding = &site.finding;
    let mut item = Item::with_rule(
        verdict,
        finding.file.clone(),
        Some(finding.line),
        site.qualname.clone(),
        site.token.clone(),
        finding.rule.clone(),
        message,
    );
    item.rule_in_key = finding.rule_in_key;
    if site.token.is_empty() {
        item.text = Some(site.text.clone());
    }
    item
}

/// An item about an entry and one live site it concerns (`ok`): the site's
/// place, the entry's reference and rationale (`rationale`: the entry's,
/// shared by all its sites).
#[expect(
    clippy::ref_option,
    reason = "the callers hold the rationale as an `Option`"
)]
pub(super) fn entry_site_item(
    shared: &Shared,
    verdict: Verdict,
    entry: &Entry,
    rationale: &Option<SharedStr>,
    site: &Site,
) -> Item {
    let mut item = site_item(shared.message.as_ref(), verdict, site);
    let more = item.more_mut();
    more.entry = Some(entry_ref(shared, entry));
    more.scope = scope(entry);
    more.rationale.clone_from(rationale);
    item
}

/// The entry's `scope`, for the items about it.
fn scope(entry: &Entry) -> Option<SharedStr> {
    entry
        .scope
        .as_ref()
        .map(|field| SharedStr::from(&field.value))
}

/// The entry's rationale, to share between its items.
pub(super) fn rationale(entry: &Entry) -> Option<SharedStr> {
    entry
        .rationale
        .as_ref()
        .map(|field| SharedStr::from(&field.value))
}

/// An item about an entry that concerns a live key (`count`, `expired`,
/// `changed`): located at the key's first site.
pub(super) fn covered_item(
    shared: &Shared,
    verdict: Verdict,
    entry: &Entry,
    key: &LiveKey<'_>,
) -> Item {
    match key.sites.first() {
        Some(site) => entry_site_item(shared, verdict, entry, &rationale(entry), site),
        None => entry_item(shared, verdict, entry),
    }
}

/// An item about an entry alone (`stale`, `moved`, `invalid`, `ambiguous`):
/// the entry's file, its `line:` locator, qualname, token, text and rule as
/// written (the gate's name when it has no rule). An entry without `file` is
/// located at its own line in the allowlist.
pub(super) fn entry_item(shared: &Shared, verdict: Verdict, entry: &Entry) -> Item {
    let text = |field: &Option<crate::allowlist::Field<String>>| {
        field
            .as_ref()
            .map(|field| SharedStr::from(&field.value))
            .unwrap_or_default()
    };
    let file = text(&entry.file);
    let (file, line) = if file.is_empty() {
        (shared.allowlist.clone(), Some(entry.line))
    } else {
        (file, entry.locator.as_ref().map(|field| field.value))
    };
    let mut item = Item::new(
        verdict,
        file,
        line,
        text(&entry.qualname),
        text(&entry.token),
    );
    match &entry.rule {
        Some(rule) => {
            item.rule = SharedStr::from(&rule.value);
            item.rule_in_key = true;
        }
        None => item.rule = shared.gate.clone(),
    }
    item.text = entry.text.as_ref().map(|text| SharedStr::from(&text.value));
    item.message = shared.message();
    item.more_mut().entry = Some(entry_ref(shared, entry));
    item.more_mut().scope = scope(entry);
    item.more_mut().rationale = rationale(entry);
    item
}

/// An item about the allowlist file itself (`baseline`).
pub(super) fn file_item(shared: &Shared, verdict: Verdict, line: usize) -> Item {
    let mut item = Item::new(verdict, &shared.allowlist, Some(line), "", "");
    item.rule = shared.gate.clone();
    item.message = shared.message();
    item
}

fn entry_ref(shared: &Shared, entry: &Entry) -> EntryRef {
    EntryRef {
        allowlist: shared.allowlist.clone(),
        line: entry.line,
    }
}
