//! `stablegate prune`: removing allowlist entries (stale ones, chosen by
//! the command) and lowering `<key>_baseline` to match.
//!
//! Responsible for cutting whole entries out of a block list: the entry's
//! lines from its dash (with the comment lines directly above it at the
//! dash's indentation or less, which belong to it, as `allow` places them)
//! to the end of its last line of content, with the comment lines right
//! after it that are indented deeper than the dash (they trail it). Every other byte stays: blank lines,
//! comments between entries that are not attached to one, other keys. A
//! list left with no entry becomes `key: []`. Flow lists (`key: [ … ]`) are
//! refused: rewrite them in block style first. Like every edit, the result
//! is re-read and must equal the old document minus exactly those entries
//! (and with the new baseline), or nothing is written. Not responsible for
//! deciding which entries are stale (reconciliation does) or for reading
//! files.

use super::append::{block_node_end, entry_block_start, indentation};
use super::error::EditError;
use super::text::{self, Splice};
use super::verify::{baseline_name, verify, Change, KeyChanges};
use crate::allowlist::{Allowlist, Entry};
use std::ops::Range;

/// The edited text, and per list how `<key>_baseline` changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub text: String,
    /// `(from, to)` per list (in the order given) that has a baseline.
    pub baselines: Vec<Option<(u64, u64)>>,
}

/// Removes, from each list (all parsed from `text`), the entries at the
/// given indices.
pub fn remove_entries(
    path: &str,
    text: &str,
    removals: &[(&Allowlist, &[usize])],
) -> Result<Removed, EditError> {
    let mut splices = Vec::new();
    let mut key_changes = Vec::new();
    let mut baselines = Vec::new();
    for (list, indices) in removals {
        let mut indices: Vec<usize> = indices.to_vec();
        indices.sort_unstable();
        indices.dedup();
        let mut changes = Vec::new();
        if !indices.is_empty() {
            splices.extend(cuts(path, text, list, &indices)?);
            changes.extend(indices.iter().rev().map(|&entry| Change::Remove { entry }));
        }
        let left = list.entries.len().saturating_sub(indices.len()) as u64;
        baselines.push(list.baseline.as_ref().map(|baseline| {
            if baseline.value != left {
                splices.push(Splice {
                    range: baseline.span.start..baseline.span.end,
                    text: left.to_string(),
                });
                changes.push(Change::SetBaseline {
                    text: left.to_string(),
                    name: baseline_name(text, baseline),
                });
            }
            (baseline.value, left)
        }));
        key_changes.push(KeyChanges {
            key: list.key.clone(),
            changes,
        });
    }
    let edited = text::apply(path, text, &splices)?;
    verify(path, text, &edited, &key_changes)?;
    Ok(Removed {
        text: edited,
        baselines,
    })
}

/// The splices that cut `indices` (sorted, in range) out of a block list.
fn cuts(
    path: &str,
    text: &str,
    list: &Allowlist,
    indices: &[usize],
) -> Result<Vec<Splice>, EditError> {
    let unsupported = |reason: String| EditError::Unsupported {
        path: path.to_owned(),
        reason,
    };
    let key = &list.key;
    if list
        .span
        .is_some_and(|span| text.as_bytes().get(span.start) == Some(&b'['))
    {
        return Err(unsupported(format!(
            "`{key}` is a flow list (`[ … ]`): write it in block style so that entries can be removed"
        )));
    }
    let (dash, _) = list
        .entries
        .iter()
        .find_map(|entry| indentation(text, entry))
        .ok_or_else(|| {
            unsupported(format!(
                "cannot tell how the entries of `{key}` are indented (no `- ` before them)"
            ))
        })?;
    let mut splices = Vec::new();
    for &index in indices {
        let entry = list
            .entries
            .get(index)
            .ok_or_else(|| unsupported(format!("`{key}` has no entry {index}")))?;
        let range = entry_range(text, entry, dash).ok_or_else(|| {
            unsupported(format!(
                "the entry of `{key}` at line {} does not start its line with `- `",
                entry.line
            ))
        })?;
        splices.push(Splice {
            range,
            text: String::new(),
        });
    }
    if indices.len() == list.entries.len() {
        // Nothing left: the key holds an empty flow list.
        let first = splices.first().map_or(0, |splice| splice.range.start);
        match text::previous_mark(text, first) {
            Some((colon, b':')) => splices.push(Splice::insert(colon + 1, " []".to_owned())),
            _ => {
                return Err(unsupported(format!(
                    "cannot find the `:` of `{key}` to leave it an empty list"
                )))
            }
        }
    }
    Ok(splices)
}

/// The bytes that are the entry's, as `prune` cuts them and
/// `merge-allowlist` copies them: from the comment lines attached above it
/// to past its last line of content and the comment lines trailing it.
pub(super) fn entry_range(text: &str, entry: &Entry, dash: usize) -> Option<Range<usize>> {
    let start = entry_block_start(text, entry, dash)?;
    let end = block_node_end(text, entry.span.end);
    let written = text.get(entry.span.start..end)?;
    let content_end = entry.span.start + written.trim_end().len();
    Some(start..trailing_comments_end(text, text::next_line(text, content_end), dash))
}

/// Past the comment lines starting at `at` that are indented deeper than
/// `dash`.
fn trailing_comments_end(text: &str, mut at: usize, dash: usize) -> usize {
    while at < text.len() {
        let next = text::next_line(text, at);
        let line = text[at..next].trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !line.trim_start().starts_with('#') || indent <= dash || next == at {
            break;
        }
        at = next;
    }
    at
}
