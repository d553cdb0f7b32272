//! `stablegate allow`: adding entries for a gate's violations.
//!
//! Responsible for what `allow` adds (one entry per uncovered live key, from
//! the violations reconciliation reported) and for writing the entries in
//! the list's own style: a block list keeps its dash and field indentation,
//! a flow list (`key: [ … ]`) gets flow mappings; a missing key is added at
//! the end of the file, a null one (`key:`, `key: ~`) becomes a block list.
//! `<key>_baseline`, when the file has one, is set to the new number of
//! entries. Not responsible for reading the file or the CI guard (the
//! command does both).
//!
//! **Sorted insertion** (merge-friendly allowlists): in a block list, each
//! new entry goes right before the first existing entry that sorts after it
//! by `(file, qualname, token, text, rule)` (a missing field sorts as
//! empty), together
//! with the comment lines directly above that entry, which belong to it;
//! entries sorting after every existing one go after the last. A sorted list
//! stays sorted, and two branches that each accept a site usually touch
//! different lines, so git merges them without a conflict (the baseline is
//! the merge driver's business, see `merge`). A flow list is appended to. If
//! the sorted placement does not verify, the entries are appended after the
//! last one instead.

use std::collections::BTreeMap;

use super::error::EditError;
use super::scalar::{self, Fields};
use super::text::{self, Splice};
use super::verify::{baseline_name, verify, Change, KeyChanges};
use crate::allowlist::{Allowlist, Entry};
use crate::verdict::{Item, Verdict};

/// An entry `allow` adds: the live key, where it is, and why it is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub file: String,
    pub qualname: String,
    /// The key's first live line (a locator).
    pub line: usize,
    pub token: String,
    /// The plain-text key of a token-less line (SPEC §12.7), written as
    /// `text:` when the token is empty.
    pub text: Option<String>,
    /// The rule, written as `rule:` for findings whose rule id is part of
    /// their identity (SPEC §12.7).
    pub rule: Option<String>,
    /// Written when several live sites share the key (and rule) and the gate
    /// has `strict_counts`.
    pub count: Option<usize>,
    pub rationale: String,
    pub issue: Option<String>,
}

impl NewEntry {
    /// The fields in the order of SPEC §4 (and of `check`'s suggestion).
    fn fields(&self) -> Fields {
        let mut fields = vec![
            ("file", scalar::name(&self.file)),
            ("qualname", scalar::name(&self.qualname)),
            ("line", self.line.to_string()),
            ("token", scalar::quoted(&self.token)),
        ];
        if let Some(text) = &self.text {
            fields.push(("text", scalar::quoted(text)));
        }
        if let Some(rule) = &self.rule {
            fields.push(("rule", scalar::name(rule)));
        }
        if let Some(count) = self.count {
            fields.push(("count", count.to_string()));
        }
        fields.push(("rationale", scalar::quoted(&self.rationale)));
        if let Some(issue) = &self.issue {
            fields.push(("issue", scalar::quoted(issue)));
        }
        fields
    }
}

/// The entries that cover a gate's `violation` items: one per live key
/// (and rule, where the rule is part of the identity), at its first line,
/// ordered by file and line.
pub fn new_entries(
    items: &[Item],
    strict_counts: bool,
    rationale: &str,
    issue: Option<&str>,
) -> Vec<NewEntry> {
    type Key<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let mut keys: BTreeMap<Key<'_>, (usize, usize)> = BTreeMap::new();
    for item in items
        .iter()
        .filter(|item| item.verdict == Verdict::Violation)
    {
        let line = item.line.unwrap_or(0);
        let text = (item.token.is_empty()).then(|| item.text.as_deref().unwrap_or(""));
        let rule = item.rule_in_key.then_some(item.rule.as_str());
        keys.entry((&item.file, &item.qualname, &item.token, text, rule))
            .and_modify(|(first, count)| {
                *first = (*first).min(line);
                *count += 1;
            })
            .or_insert((line, 1));
    }
    let mut entries: Vec<NewEntry> = keys
        .into_iter()
        .map(
            |((file, qualname, token, text, rule), (line, count))| NewEntry {
                file: file.to_owned(),
                qualname: qualname.to_owned(),
                line,
                token: token.to_owned(),
                text: text.map(str::to_owned),
                rule: rule.map(str::to_owned),
                count: (strict_counts && count > 1).then_some(count),
                rationale: rationale.to_owned(),
                issue: issue.map(str::to_owned),
            },
        )
        .collect();
    entries.sort_by(|a, b| {
        (a.file.as_str(), a.line, new_sort_key(a)).cmp(&(b.file.as_str(), b.line, new_sort_key(b)))
    });
    entries
}

/// The edited text, and how `<key>_baseline` changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    pub text: String,
    /// `(from, to)` when the file has a baseline.
    pub baseline: Option<(u64, u64)>,
}

/// Adds `entries` to the entries of `list` (parsed from `text`; an empty
/// text for a file that does not exist yet), in sorted position (see the
/// module doc).
pub fn insert_entries(
    path: &str,
    text: &str,
    list: &Allowlist,
    entries: &[NewEntry],
) -> Result<Inserted, EditError> {
    let mut sorted: Vec<&NewEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| new_sort_key(a).cmp(&new_sort_key(b)));
    let in_order: Vec<NewEntry> = sorted.into_iter().cloned().collect();
    if let (Some(span), Some(_)) = (list.span, list.entries.last()) {
        if text.as_bytes().get(span.start) != Some(&b'[') {
            if let Some(inserted) = sorted_into_block(path, text, list, &in_order)? {
                return Ok(inserted);
            }
        }
    }
    append_entries(path, text, list, &in_order)
}

/// How entries sort: `(file, qualname, token, text, rule)`, a missing field
/// as empty.
fn sort_key(entry: &Entry) -> [&str; 5] {
    fn value(field: Option<&crate::allowlist::Field<String>>) -> &str {
        field.map_or("", |field| field.value.as_str())
    }
    [
        value(entry.file.as_ref()),
        value(entry.qualname.as_ref()),
        value(entry.token.as_ref()),
        value(entry.text.as_ref()),
        value(entry.rule.as_ref()),
    ]
}

fn new_sort_key(entry: &NewEntry) -> [&str; 5] {
    [
        &entry.file,
        &entry.qualname,
        &entry.token,
        entry.text.as_deref().unwrap_or(""),
        entry.rule.as_deref().unwrap_or(""),
    ]
}

/// Each entry before the first existing one that sorts after it, verified;
/// `None` when every entry sorts last (plain appending does that) or the
/// placement does not verify.
fn sorted_into_block(
    path: &str,
    text: &str,
    list: &Allowlist,
    entries: &[NewEntry],
) -> Result<Option<Inserted>, EditError> {
    let line_break = text::line_break(text);
    let Some((dash, content)) = list
        .entries
        .iter()
        .rev()
        .find_map(|entry| indentation(text, entry))
    else {
        return Ok(None);
    };
    // Groups of new entries by the index of the existing entry they go
    // before (`len`: after the last).
    let mut groups: BTreeMap<usize, Vec<NewEntry>> = BTreeMap::new();
    for entry in entries {
        let before = list
            .entries
            .iter()
            .position(|old| sort_key(old) > new_sort_key(entry))
            .unwrap_or(list.entries.len());
        groups.entry(before).or_default().push(entry.clone());
    }
    if groups.keys().all(|&before| before == list.entries.len()) {
        return Ok(None);
    }
    let mut fixed = Vec::new();
    let mut changes = Vec::new();
    let mut last_group = None;
    for (&before, group) in groups.iter().rev() {
        changes.push(Change::Insert {
            index: before,
            nodes: flow_nodes(group),
        });
        let Some(old) = list.entries.get(before) else {
            last_group = Some(group);
            continue;
        };
        let Some(at) = entry_block_start(text, old, dash) else {
            return Ok(None);
        };
        fixed.push(Splice::insert(
            at,
            block_entries(group, dash, content, line_break),
        ));
    }
    let placements: Vec<Vec<Splice>> = match (last_group, list.entries.last()) {
        (Some(group), Some(last)) => into_block(path, text, list, last, group, line_break)?
            .into_iter()
            .map(|splice| vec![splice])
            .collect(),
        _ => vec![Vec::new()],
    };
    let (baseline, baseline_splice) = new_baseline(text, list, entries.len(), &mut changes);
    let key_changes = [KeyChanges {
        key: list.key.clone(),
        changes,
    }];
    for mut splices in placements {
        splices.extend(fixed.iter().cloned());
        splices.extend(baseline_splice.clone());
        let edited = text::apply(path, text, &splices)?;
        if verify(path, text, &edited, &key_changes).is_ok() {
            return Ok(Some(Inserted {
                text: edited,
                baseline,
            }));
        }
    }
    Ok(None)
}

/// Where an entry's lines start: its dash line, or the comment lines
/// directly above it that are indented no deeper than its dash (a deeper
/// comment trails the entry before). `None` when the dash is not the first
/// thing on its line.
pub(super) fn entry_block_start(text: &str, entry: &Entry, dash: usize) -> Option<usize> {
    let (mut dash_at, mut byte) = text::previous_mark(text, entry.span.start)?;
    // A flow mapping entry (`- {file: …}`): its span starts inside the brace.
    while byte == b'{' {
        (dash_at, byte) = text::previous_mark(text, dash_at)?;
    }
    let start = text::line_start(text, dash_at);
    if byte != b'-' || !text[start..dash_at].bytes().all(|b| b == b' ') {
        return None;
    }
    let mut at = start;
    while at > 0 {
        let end = text[..at].trim_end_matches(['\n', '\r']).len();
        let above = text::line_start(text, end);
        if above == at {
            break;
        }
        let line = &text[above..end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !line.trim_start().starts_with('#') || indent > dash {
            break;
        }
        at = above;
    }
    Some(at)
}

/// The new entries as flow mappings (what `verify` expects to find).
fn flow_nodes(entries: &[NewEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|entry| format!("{{{}}}", scalar::flow(&entry.fields())))
        .collect()
}

/// The baseline's change for `added` more entries: `(from, to)`, and the
/// splice (pushing its change) when it moves.
fn new_baseline(
    text: &str,
    list: &Allowlist,
    added: usize,
    changes: &mut Vec<Change>,
) -> (Option<(u64, u64)>, Option<Splice>) {
    let mut splice = None;
    let baseline = list.baseline.as_ref().map(|baseline| {
        let to = (list.entries.len() + added) as u64;
        if to != baseline.value {
            splice = Some(Splice {
                range: baseline.span.start..baseline.span.end,
                text: to.to_string(),
            });
            changes.push(Change::SetBaseline {
                text: to.to_string(),
                name: baseline_name(text, baseline),
            });
        }
        (baseline.value, to)
    });
    (baseline, splice)
}

/// Appends `entries` after the entries of `list`.
fn append_entries(
    path: &str,
    text: &str,
    list: &Allowlist,
    entries: &[NewEntry],
) -> Result<Inserted, EditError> {
    let line_break = text::line_break(text);
    // Where the entries go; after a block list, first right after the last
    // entry's last line of content, then (for a `|+` scalar, whose
    // trailing blank lines are part of its value) after those blank lines.
    let placements: Vec<Vec<Splice>> = match list.span {
        None if flow_top_level(text) => {
            return Err(EditError::Unsupported {
                path: path.to_owned(),
                reason: format!(
                    "the file is one flow mapping (`{{…}}`): write it in block style so that `{}` can be added",
                    list.key
                ),
            })
        }
        None => vec![vec![new_key(text, &list.key, entries, line_break)]],
        Some(span) if text.as_bytes().get(span.start) == Some(&b'[') => {
            vec![vec![into_flow(path, text, list, entries)?]]
        }
        Some(span) => match list.entries.last() {
            Some(last) => into_block(path, text, list, last, entries, line_break)?
                .into_iter()
                .map(|splice| vec![splice])
                .collect(),
            None => vec![into_null(path, text, span, entries, line_break)?],
        },
    };
    let mut changes = vec![Change::Insert {
        index: list.entries.len(),
        nodes: flow_nodes(entries),
    }];
    let (baseline, baseline_splice) = new_baseline(text, list, entries.len(), &mut changes);
    let key_changes = [KeyChanges {
        key: list.key.clone(),
        changes,
    }];
    let mut refused = None;
    for mut splices in placements {
        splices.extend(baseline_splice.clone());
        let edited = text::apply(path, text, &splices)?;
        match verify(path, text, &edited, &key_changes) {
            Ok(()) => {
                return Ok(Inserted {
                    text: edited,
                    baseline,
                })
            }
            Err(err) => refused = Some(err),
        }
    }
    Err(refused.unwrap_or_else(|| EditError::Unsafe {
        path: path.to_owned(),
        reason: "found no place for the new entries".to_owned(),
    }))
}

/// Whether the document is a flow mapping (`{a: 1}`), after comments and
/// a `---` marker.
fn flow_top_level(text: &str) -> bool {
    let mut at = 0;
    while let Some((mark, byte)) = text::next_mark(text, at) {
        match byte {
            b'{' => return true,
            b'-' if text[mark..].starts_with("---") => at = mark + 3,
            b'%' => at = text::next_line(text, mark),
            _ => return false,
        }
    }
    false
}

/// `key:` and its entries at the end of the file.
fn new_key(text: &str, key: &str, entries: &[NewEntry], line_break: &str) -> Splice {
    let mut out = String::new();
    if text::needs_break(text, text.len()) {
        out.push_str(line_break);
    }
    out.push_str(&scalar::name(key));
    out.push(':');
    out.push_str(line_break);
    out.push_str(&block_entries(entries, 0, 2, line_break));
    Splice::insert(text.len(), out)
}

/// Entries as block list items, each line ended.
fn block_entries(entries: &[NewEntry], dash: usize, content: usize, line_break: &str) -> String {
    let gap = content.saturating_sub(dash + 1).max(1);
    let mut out = String::new();
    for entry in entries {
        out.push_str(&" ".repeat(dash));
        out.push('-');
        out.push_str(&" ".repeat(gap));
        out.push_str(&scalar::block(&entry.fields(), dash + 1 + gap, line_break));
        out.push_str(line_break);
    }
    out
}

/// After the last entry of a block list, in its indentation: after the
/// line its content ends on, else after the blank lines its span ends with.
fn into_block(
    path: &str,
    text: &str,
    list: &Allowlist,
    last: &Entry,
    entries: &[NewEntry],
    line_break: &str,
) -> Result<Vec<Splice>, EditError> {
    let (dash, content) = list
        .entries
        .iter()
        .rev()
        .find_map(|entry| indentation(text, entry))
        .ok_or_else(|| EditError::Unsupported {
            path: path.to_owned(),
            reason: format!(
                "cannot tell how the entries of `{}` are indented (no `- ` before them)",
                list.key
            ),
        })?;
    let end = block_node_end(text, last.span.end);
    let written = text.get(last.span.start..end).unwrap_or_default();
    let content_end = last.span.start + written.trim_end().len();
    let after_content = text::next_line(text, content_end);
    let after_span = if text[..end].ends_with(['\n', '\r']) {
        end
    } else {
        text::next_line(text, end)
    };
    let mut places = vec![after_content];
    if after_span != after_content {
        places.push(after_span);
    }
    let block = block_entries(entries, dash, content, line_break);
    Ok(places
        .into_iter()
        .map(|at| {
            let mut out = String::new();
            if text::needs_break(text, at) {
                out.push_str(line_break);
            }
            out.push_str(&block);
            Splice::insert(at, out)
        })
        .collect())
}

/// The columns of an entry's dash and of its content, when it is written
/// `- content` (the content possibly on the next line).
pub(super) fn indentation(text: &str, entry: &Entry) -> Option<(usize, usize)> {
    let (dash_at, byte) = text::previous_mark(text, entry.span.start)?;
    if byte != b'-' {
        return None;
    }
    let dash = text::column(text, dash_at);
    let same_line = text::line_start(text, entry.span.start) == text::line_start(text, dash_at);
    let content = if same_line {
        text::column(text, entry.span.start)
    } else {
        dash + 2
    };
    Some((dash, content))
}

/// Where a block-context node whose last scalar ends at `end` ends: past
/// the brackets that close a flow collection it is (`- {file: a}`). In
/// block context no token can start with `}` or `]`, so every closer found
/// here belongs to the node.
pub(super) fn block_node_end(text: &str, mut end: usize) -> usize {
    while let Some((at, byte)) = text::next_mark(text, end) {
        if byte != b'}' && byte != b']' {
            break;
        }
        end = at + 1;
    }
    end
}

/// Before the `]` closing a flow list: after its last item, or after `[`.
fn into_flow(
    path: &str,
    text: &str,
    list: &Allowlist,
    entries: &[NewEntry],
) -> Result<Splice, EditError> {
    let span = list.span.map_or(0..0, |span| span.start..span.end);
    let unsupported = || EditError::Unsupported {
        path: path.to_owned(),
        reason: format!("cannot find the `]` closing the flow list `{}`", list.key),
    };
    if text.as_bytes().get(span.end) != Some(&b']') {
        return Err(unsupported());
    }
    let nodes: Vec<String> = entries
        .iter()
        .map(|entry| format!("{{{}}}", scalar::flow(&entry.fields())))
        .collect();
    let Some(last) = list.entries.last() else {
        return Ok(Splice::insert(span.start + 1, nodes.join(", ")));
    };
    // The last item ends at its last scalar, or past the brackets closing
    // it (a flow mapping, a nested list) before the list's own `]`.
    let mut end = last.span.end;
    while let Some((at, byte)) = text::next_mark(text, end) {
        if at >= span.end || (byte != b'}' && byte != b']') {
            break;
        }
        end = at + 1;
    }
    match text::next_mark(text, end) {
        Some((_, b',' | b']')) => Ok(Splice::insert(end, format!(", {}", nodes.join(", ")))),
        _ => Err(unsupported()),
    }
}

/// A null value (`key:`, `key: ~`, `key: null`) becomes a block list on the
/// lines after the key.
fn into_null(
    path: &str,
    text: &str,
    span: crate::allowlist::Span,
    entries: &[NewEntry],
    line_break: &str,
) -> Result<Vec<Splice>, EditError> {
    let value = text.get(span.start..span.end).unwrap_or("?");
    if !matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Err(EditError::Unsupported {
            path: path.to_owned(),
            reason: format!("cannot append to the value `{value}`"),
        });
    }
    let line = text::line_start(text, span.start);
    let dash = text[line..].len() - text[line..].trim_start_matches(' ').len();
    let at = text::next_line(text, span.start);
    let mut out = String::new();
    if text::needs_break(text, at) {
        out.push_str(line_break);
    }
    out.push_str(&block_entries(entries, dash, dash + 2, line_break));
    let mut splices = vec![Splice::insert(at, out)];
    if !value.is_empty() {
        splices.push(Splice {
            range: span.start..span.end,
            text: String::new(),
        });
    }
    Ok(splices)
}
