//! Scoped allowlist entries (SPEC §12.2): `scope: file` covers every site of
//! a file, `scope: qualname` every site of one `(file, qualname)`.
//!
//! Responsible for whether a scoped entry is valid, for its duplicates, and
//! for what it covers once the token entries have been matched. Not
//! responsible for token entries (see `check` and the parent module) or for
//! the items' wording (see `outcome` and `items`).
//!
//! Decisions where the SPEC is silent:
//! - A scoped entry needs `file`, a non-empty `rationale` (`reason` is its
//!   alias), and for `scope: qualname` a `qualname`; it may not carry
//!   `token`, `text` or `line` (it has no line to refresh), and a
//!   `scope: file` entry may not carry `qualname`. Any other `scope` value is
//!   `invalid`. `rule`, `count`, `issue` and `expires` mean what they mean
//!   on any entry.
//! - Specific entries win: token entries are matched first, then
//!   `scope: qualname` entries, then `scope: file` entries (within each, an
//!   entry with `rule` before one without). A scoped entry covers the sites
//!   of its file or scope (of its rule) that no earlier entry covers; those
//!   sites are `ok` under it and count for its `count`. One that covers no
//!   site is `stale`, also when every site it would cover is already covered
//!   by more specific entries (it adds nothing: evict it).
//! - `strict_counts` does not apply: a scoped entry exists to accept however
//!   many sites its file or scope holds; write `count` to pin the number.
//! - Two scoped entries with the same scope, file, qualname and rule are
//!   duplicates (`ambiguous`), like token entries.

use std::collections::BTreeMap;

use super::check::{file_problem, rule_problem};
use super::items::{entry_item, Shared};
use super::live::{Live, LiveKey};
use super::outcome::covering_items;
use super::{KeyUse, ReconcileInput};
use crate::allowlist::Entry;
use crate::verdict::{Item, Verdict};

/// What a scoped entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Scope {
    /// Every site of one `(file, qualname)`.
    Qualname,
    /// Every site of one file.
    File,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Scope::Qualname => "qualname",
            Scope::File => "file",
        }
    }
}

/// A valid scoped entry's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ScopedKey<'a> {
    pub scope: Scope,
    pub file: &'a str,
    /// The scope's qualname (`scope: qualname` only).
    pub qualname: Option<&'a str>,
    /// The rule the entry is limited to; `None` covers every rule.
    pub rule: Option<&'a str>,
}

impl ScopedKey<'_> {
    /// Whether the entry covers this live key, used or not.
    fn selects(&self, key: &LiveKey<'_>) -> bool {
        key.file == self.file
            && self
                .qualname
                .is_none_or(|qualname| key.qualname == qualname)
            && (self.rule.is_none() || self.rule == key.rule)
    }

    /// Where the entry is described in messages: `src/a.py` or
    /// `src/a.py (Outer.run)`.
    fn place(&self) -> String {
        match self.qualname {
            Some(qualname) => format!("{} ({qualname})", self.file),
            None => self.file.to_owned(),
        }
    }
}

/// The scoped entry's key, or the sentences saying why it has none.
pub(super) fn scoped_key<'a>(
    entry: &'a Entry,
    escaping_files: &[String],
) -> Result<ScopedKey<'a>, Vec<String>> {
    let value = |field: &'a Option<crate::allowlist::Field<String>>| {
        field.as_ref().map(|field| field.value.as_str())
    };
    let mut problems = Vec::new();
    let scope = match entry.scope_value().map(str::trim) {
        Some("file") => Some(Scope::File),
        Some("qualname") => Some(Scope::Qualname),
        other => {
            problems.push(format!(
                "unknown `scope` value `{}`: write `file` (every site of the file) or `qualname` (every site of one scope)",
                other.unwrap_or("")
            ));
            None
        }
    };
    let file = value(&entry.file).filter(|file| !file.is_empty());
    let qualname = value(&entry.qualname).filter(|qualname| !qualname.is_empty());
    match file {
        None => problems.push("missing `file`: a scoped entry names the file it covers".to_owned()),
        Some(file) => problems.extend(file_problem(file, escaping_files)),
    }
    match (scope, qualname) {
        (Some(Scope::Qualname), None) => problems.push(
            "missing `qualname`: a `scope: qualname` entry names the scope it covers (copy it from `stablegate key`)"
                .to_owned(),
        ),
        (Some(Scope::File), Some(_)) => problems.push(
            "`qualname` is only for `scope: qualname`: a `scope: file` entry covers the whole file; remove `qualname` or write `scope: qualname`"
                .to_owned(),
        ),
        _ => {}
    }
    if entry.token.is_some() {
        problems.push(
            "a scoped entry has no `token`: remove `token` to cover every site of the scope, or remove `scope` to accept one site"
                .to_owned(),
        );
    }
    if entry.text.is_some() {
        problems.push("a scoped entry has no `text`: remove it".to_owned());
    }
    if entry.locator.is_some() {
        problems.push(
            "a scoped entry has no `line` (it covers every line of its scope): remove it"
                .to_owned(),
        );
    }
    let rationale = value(&entry.rationale).filter(|text| !text.trim().is_empty());
    if rationale.is_none() {
        problems.push(
            "missing `rationale`: a scoped entry must say why every site of its file or scope is accepted"
                .to_owned(),
        );
    }
    let rule = entry.rule_value();
    problems.extend(rule_problem(rule));
    match (scope, file) {
        (Some(scope), Some(file)) if problems.is_empty() => Ok(ScopedKey {
            scope,
            file,
            qualname: qualname.filter(|_| scope == Scope::Qualname),
            rule,
        }),
        _ => Err(problems),
    }
}

/// The items of the scoped entries, judged after the token entries have
/// marked the keys they use in `uses`; marks the keys the scoped entries
/// cover.
pub(super) fn reconcile_scoped(
    input: &ReconcileInput<'_>,
    shared: &Shared,
    live: &Live<'_>,
    uses: &mut [KeyUse],
    entries: &[&Entry],
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut valid: Vec<(ScopedKey<'_>, &Entry)> = Vec::new();
    let mut first_entry: BTreeMap<ScopedKey<'_>, &Entry> = BTreeMap::new();
    for &entry in entries {
        let key = match scoped_key(entry, input.escaping_files) {
            Ok(key) => key,
            Err(problems) => {
                let mut item = entry_item(shared, Verdict::Invalid, entry);
                item.detail = Some(problems.join("; ").into());
                items.push(item);
                continue;
            }
        };
        if let Some(first) = first_entry.get(&key) {
            let mut item = entry_item(shared, Verdict::Ambiguous, entry);
            item.detail = Some(
                format!(
                    "duplicate of the scoped entry at {}:{} (same scope, file, qualname and rule): remove one",
                    input.allowlist_path, first.line
                )
                .into(),
            );
            items.push(item);
            continue;
        }
        first_entry.insert(key, entry);
        valid.push((key, entry));
    }
    // Specific first: qualname before file, a rule before any rule; the
    // sort is stable, so entries of one rank keep their file order.
    valid.sort_by_key(|(key, _)| (key.scope, key.rule.is_none()));
    for (key, entry) in valid {
        let range = match key.qualname {
            Some(qualname) => live.in_scope(key.file, qualname),
            None => live.in_file(key.file),
        };
        let covered: Vec<usize> = range
            .filter(|&index| uses[index] == KeyUse::Uncovered && key.selects(&live.keys[index]))
            .collect();
        if covered.is_empty() {
            let mut item = entry_item(shared, Verdict::Stale, entry);
            let rule = key
                .rule
                .map(|rule| format!(" of rule {rule}"))
                .unwrap_or_default();
            item.detail = Some(
                format!(
                    "`scope: {}` entry covers no live site{rule} of {} that no more specific entry covers: evict it (`stablegate prune {}`)",
                    key.scope.name(),
                    key.place(),
                    input.gate
                )
                .into(),
            );
            items.push(item);
            continue;
        }
        for &index in &covered {
            uses[index] = KeyUse::Covered;
        }
        let keys: Vec<&LiveKey<'_>> = covered.iter().map(|&index| &live.keys[index]).collect();
        items.extend(covering_items(input, shared, entry, &keys, false));
    }
    items
}
