//! `stablegate refresh`: moving `line:` locators to where the keys live now.
//!
//! Responsible for deciding, per entry, the line its key lives at now (the
//! first live site of the one key the entry selects in its `(file,
//! qualname)`, by exact or truncated token, SPEC §2.3, and by `text` and
//! `rule` where the entry has them, SPEC §12.7), and for rewriting
//! the `line:` values, and nothing else. Entries that select no key or
//! several, entries without `line:`, and legacy entries (whose `line` is
//! their identity until `convert`) are left as written, and so are scoped
//! entries (SPEC §12.2: they cover a whole file or scope and have no line). Not responsible for
//! reading files (the command does).

use std::collections::BTreeSet;

use super::error::EditError;
use super::text::{self, Splice};
use super::verify::{verify, Change, KeyChanges};
use crate::allowlist::Allowlist;
use crate::inputs::Site;

/// The mark of a truncated token (SPEC §2.3).
const TRUNCATION: char = '…';

/// One locator to rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relocation {
    /// Index of the entry in the allowlist's entries.
    pub entry: usize,
    /// The line of the allowlist where the entry starts.
    pub entry_line: usize,
    pub from: usize,
    pub to: usize,
}

/// What refreshing one key found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relocations {
    /// Locators that point elsewhere than their key's first live line.
    pub moves: Vec<Relocation>,
    /// Entries whose locator is already right.
    pub current: usize,
    /// Entries left alone: legacy, incomplete, without `line:`, or
    /// selecting no live key or several.
    pub untouched: usize,
}

/// Where each entry's key lives now.
pub fn relocations(list: &Allowlist, sites: &[Site]) -> Relocations {
    let mut found = Relocations::default();
    for (index, entry) in list.entries.iter().enumerate() {
        let now = match (&entry.locator, &entry.file, &entry.qualname, &entry.token) {
            (Some(locator), Some(file), Some(qualname), Some(token))
                if !entry.is_legacy() && !entry.is_scoped() =>
            {
                let wanted = Wanted {
                    file: &file.value,
                    qualname: &qualname.value,
                    token: &token.value,
                    text: entry.text_value().unwrap_or(""),
                    rule: entry.rule_value(),
                };
                live_line(sites, &wanted).map(|line| (locator.value, line))
            }
            _ => None,
        };
        match now {
            Some((from, to)) if from == to => found.current += 1,
            Some((from, to)) => found.moves.push(Relocation {
                entry: index,
                entry_line: entry.line,
                from,
                to,
            }),
            None => found.untouched += 1,
        }
    }
    found
}

/// What an entry selects: its key, the text of a token-less line, and its
/// rule, if any (SPEC §12.7).
struct Wanted<'a> {
    file: &'a str,
    qualname: &'a str,
    token: &'a str,
    text: &'a str,
    rule: Option<&'a str>,
}

/// The first live line of the one key the entry selects, if exactly one.
fn live_line(sites: &[Site], wanted: &Wanted<'_>) -> Option<usize> {
    let selects = |site: &Site| match wanted.token.strip_suffix(TRUNCATION) {
        Some(prefix) => site.token.starts_with(prefix),
        None => site.token == wanted.token && site.text == wanted.text,
    };
    let selected: Vec<&Site> = sites
        .iter()
        .filter(|site| {
            site.finding.file == wanted.file
                && site.qualname == wanted.qualname
                && selects(site)
                && (wanted.rule.is_none() || site.key_rule() == wanted.rule)
        })
        .collect();
    let keys: BTreeSet<(&str, &str)> = (selected.iter())
        .map(|site| (site.token.as_str(), site.text.as_str()))
        .collect();
    if keys.len() != 1 {
        return None;
    }
    selected.iter().map(|site| site.finding.line).min()
}

/// The text with the locators of each list moved. `lists` are parsed from
/// `text`, one per key.
pub fn relocate(
    path: &str,
    text: &str,
    lists: &[(&Allowlist, &[Relocation])],
) -> Result<String, EditError> {
    let mut splices: Vec<Splice> = Vec::new();
    let mut keys = Vec::new();
    for (list, moves) in lists {
        let mut changes = Vec::new();
        for relocation in *moves {
            let locator = list
                .entries
                .get(relocation.entry)
                .and_then(|entry| entry.locator.as_ref())
                .ok_or_else(|| EditError::Unsafe {
                    path: path.to_owned(),
                    reason: format!("the entry at line {} has no `line:`", relocation.entry_line),
                })?;
            let splice = Splice {
                range: locator.span.start..locator.span.end,
                text: relocation.to.to_string(),
            };
            // An alias repeats its anchor's spans: one splice serves both.
            if !splices.contains(&splice) {
                splices.push(splice);
            }
            changes.push(Change::SetField {
                entry: relocation.entry,
                field: "line",
                text: relocation.to.to_string(),
            });
        }
        keys.push(KeyChanges {
            key: list.key.clone(),
            changes,
        });
    }
    let edited = text::apply(path, text, &splices)?;
    verify(path, text, &edited, &keys)?;
    Ok(edited)
}
