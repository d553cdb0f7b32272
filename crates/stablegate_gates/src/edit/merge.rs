//! `stablegate merge-allowlist BASE OURS THEIRS`: a three-way merge of one
//! allowlist file, for git's merge driver (SPEC §12.5).
//!
//! Every top-level key holding a list is merged entry by entry. An entry is
//! known by its identity — `file`, `qualname`, `token`, `rule`, `scope`,
//! `text` (a legacy string by its text) — and compared by its whole node:
//!
//! | base | ours | theirs | result |
//! | --- | --- | --- | --- |
//! | – | – | added | theirs' entry, in sorted position |
//! | – | added | added | one entry if both are the same, else a conflict |
//! | e | e | – | removed (theirs removed it) |
//! | e | – | e | stays removed |
//! | e | e | e' | theirs' version |
//! | e | e' | e'' | a conflict (both changed it differently) |
//! | e | e' | – or – | e' | a conflict (changed on one side, removed on the other) |
//!
//! The list's baseline is recomputed as the merged number of entries: it
//! is `<key>_baseline`, or the key [`Baselines`] gives the list (a gate's
//! `baseline_key`); another integer that changed and is no list's baseline
//! is a conflict ([`super::merge_baselines`]). The
//! result is OURS's text with byte splices: entries taken from THEIRS are
//! copied with their own lines (comments attached above them included),
//! entries removed are cut as `prune` cuts them, and every other byte of
//! OURS stays. Anything else is a conflict, left to git: a change outside
//! the entries that the two sides did not make alike (comments, other keys,
//! a new list), flow lists, duplicate identities, different indentation or
//! line breaks, a list emptied or started by the merge. Like every edit,
//! the merged text is re-read and must mean OURS with exactly the merged
//! entries and baselines. Not responsible for files or for git (the
//! command does both).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use saphyr::YamlOwned;

use super::append::indentation;
use super::error::EditError;
use super::merge_baselines::{unplaced, Baselines};
use super::remove::entry_range;
use super::text::{self, Splice};
use super::verify::{load, text_of, verify, Change, KeyChanges};
use crate::allowlist::{self, Allowlist, Entry};

/// The fields that make an entry's identity.
const IDENTITY: [&str; 6] = ["file", "qualname", "token", "rule", "scope", "text"];

/// What merging found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    /// The merged text, and a line per key saying what came from THEIRS.
    Clean { text: String, notes: Vec<String> },
    /// Why the merge is left to a person.
    Conflict { reasons: Vec<String> },
}

/// One version of the file, read for merging.
struct Version<'a> {
    text: &'a str,
    /// Per list key: the parsed entries and their nodes.
    lists: BTreeMap<String, (Allowlist, Vec<YamlOwned>)>,
    /// The text with every entry cut out and every baseline value blanked.
    skeleton: String,
}

/// Merges THEIRS into OURS against BASE; `path` names the file in messages,
/// `baselines` the baseline key of each list.
pub fn merge(
    path: &str,
    base: &str,
    ours: &str,
    theirs: &str,
    baselines: &Baselines,
) -> Result<Merge, EditError> {
    let mut reasons = Vec::new();
    let mut keys = BTreeSet::new();
    for (name, text) in [("BASE", base), ("OURS", ours), ("THEIRS", theirs)] {
        match list_keys(text) {
            Ok(found) => keys.extend(found),
            Err(reason) => reasons.push(format!("{name}: {reason}")),
        }
    }
    let mut baseline_keys = BTreeMap::new();
    for key in &keys {
        match baselines.key(key) {
            Ok(baseline) => {
                baseline_keys.insert(key.clone(), baseline);
            }
            Err(ambiguous) => reasons.push(ambiguous.to_string()),
        }
    }
    if !reasons.is_empty() {
        return Ok(Merge::Conflict { reasons });
    }
    let placed: BTreeSet<String> = keys.iter().chain(baseline_keys.values()).cloned().collect();
    reasons.extend(unplaced([base, ours, theirs], &placed));
    let mut versions = Vec::new();
    for (name, text) in [("BASE", base), ("OURS", ours), ("THEIRS", theirs)] {
        match read(path, text, &baseline_keys) {
            Ok(version) => versions.push(version),
            Err(reason) => reasons.push(format!("{name}: {reason}")),
        }
    }
    let [base_v, ours_v, theirs_v] = match <[Version; 3]>::try_from(versions) {
        Ok(all) if reasons.is_empty() => all,
        _ => return Ok(Merge::Conflict { reasons }),
    };
    if theirs_v.skeleton != base_v.skeleton && theirs_v.skeleton != ours_v.skeleton {
        reasons.push(
            "THEIRS changed the file outside its entries (comments, other keys), and OURS did not change it alike"
                .to_owned(),
        );
    }
    if text::line_break(ours) != text::line_break(theirs) {
        reasons.push("OURS and THEIRS use different line breaks".to_owned());
    }
    let mut splices = Vec::new();
    let mut key_changes = Vec::new();
    let mut notes = Vec::new();
    for key in &keys {
        let baseline = baseline_keys.get(key).map_or("", String::as_str);
        match merge_key(key, baseline, &base_v, &ours_v, &theirs_v) {
            Ok(merged) => {
                splices.extend(merged.splices);
                key_changes.push(KeyChanges {
                    key: key.clone(),
                    changes: merged.changes,
                });
                notes.extend(merged.note);
            }
            Err(mut why) => reasons.append(&mut why),
        }
    }
    if !reasons.is_empty() {
        return Ok(Merge::Conflict { reasons });
    }
    let edited = text::apply(path, ours, &splices)?;
    verify(path, ours, &edited, &key_changes)?;
    Ok(Merge::Clean {
        text: edited,
        notes,
    })
}

/// The top-level keys whose value is a list (or null, an empty list).
fn list_keys(text: &str) -> Result<Vec<String>, String> {
    let Some(document) = load(text).map_err(|err| format!("not YAML: {err}"))? else {
        return Ok(Vec::new());
    };
    let YamlOwned::Mapping(top) = untagged(&document) else {
        return Err("the top level is not a mapping".to_owned());
    };
    Ok(top
        .iter()
        .filter(|(_, value)| matches!(untagged(value), YamlOwned::Sequence(_)))
        .filter_map(|(key, _)| text_of(key).map(str::to_owned))
        .collect())
}

fn untagged(node: &YamlOwned) -> &YamlOwned {
    match node {
        YamlOwned::Tagged(_, inner) => untagged(inner),
        other => other,
    }
}

/// One version, with each list of `keys` (list → baseline key) read.
fn read<'a>(
    path: &str,
    text: &'a str,
    keys: &BTreeMap<String, String>,
) -> Result<Version<'a>, String> {
    let document = load(text).map_err(|err| format!("not YAML: {err}"))?;
    let mut lists = BTreeMap::new();
    let mut cuts: Vec<Range<usize>> = Vec::new();
    for (key, baseline_key) in keys {
        let list =
            allowlist::parse_keys(path, text, key, baseline_key).map_err(|err| err.to_string())?;
        if list
            .span
            .is_some_and(|span| text.as_bytes().get(span.start) == Some(&b'['))
        {
            return Err(format!("`{key}` is a flow list (`[ … ]`)"));
        }
        let nodes = nodes_of(document.as_ref(), key);
        if nodes.len() != list.entries.len() {
            return Err(format!("cannot match the entries of `{key}` to its list"));
        }
        if let Some((dash, _)) = list.entries.iter().find_map(|e| indentation(text, e)) {
            for entry in &list.entries {
                cuts.push(entry_range(text, entry, dash).ok_or_else(|| {
                    format!(
                        "the entry of `{key}` at line {} does not start its line with `- `",
                        entry.line
                    )
                })?);
            }
        } else if !list.entries.is_empty() {
            return Err(format!(
                "cannot tell how the entries of `{key}` are indented"
            ));
        }
        if let Some(baseline) = &list.baseline {
            cuts.push(baseline.span.start..baseline.span.end);
        }
        lists.insert(key.clone(), (list, nodes));
    }
    cuts.sort_by_key(|range| (range.start, range.end));
    let mut skeleton = String::with_capacity(text.len());
    let mut copied = 0;
    for range in cuts {
        if range.start < copied {
            return Err("entries overlap".to_owned());
        }
        skeleton.push_str(&text[copied..range.start]);
        copied = range.end;
    }
    skeleton.push_str(&text[copied..]);
    Ok(Version {
        text,
        lists,
        skeleton,
    })
}

/// The nodes of `key`'s list in a loaded document.
fn nodes_of(document: Option<&YamlOwned>, key: &str) -> Vec<YamlOwned> {
    let Some(YamlOwned::Mapping(top)) = document.map(untagged) else {
        return Vec::new();
    };
    top.iter()
        .find(|(name, _)| text_of(name) == Some(key))
        .and_then(|(_, value)| match untagged(value) {
            YamlOwned::Sequence(items) => Some(items.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// An entry's identity: its identity fields as written, or a legacy
/// string's text.
fn identity(node: &YamlOwned) -> String {
    match untagged(node) {
        YamlOwned::Mapping(mapping) => {
            let mut id = String::new();
            for field in IDENTITY {
                let value = mapping
                    .iter()
                    .find(|(name, _)| text_of(name) == Some(field))
                    .and_then(|(_, value)| text_of(value))
                    .unwrap_or("");
                id.push_str(value);
                id.push('\0');
            }
            id
        }
        other => format!("\u{1}{}", text_of(other).unwrap_or("")),
    }
}

/// What merging one key gives.
struct KeyMerge {
    splices: Vec<Splice>,
    changes: Vec<Change>,
    note: Option<String>,
}

/// The entries of one version by identity, with their indices; a duplicate
/// identity is an error.
fn by_identity(
    name: &str,
    key: &str,
    nodes: &[YamlOwned],
) -> Result<BTreeMap<String, usize>, String> {
    let mut map = BTreeMap::new();
    for (index, node) in nodes.iter().enumerate() {
        if map.insert(identity(node), index).is_some() {
            return Err(format!(
                "{name}: `{key}` holds two entries with the same identity"
            ));
        }
    }
    Ok(map)
}

fn merge_key(
    key: &str,
    baseline_key: &str,
    base: &Version,
    ours: &Version,
    theirs: &Version,
) -> Result<KeyMerge, Vec<String>> {
    let empty = (Allowlist::empty(key), Vec::new());
    let (_, base_nodes) = base.lists.get(key).unwrap_or(&empty);
    let (ours_list, ours_nodes) = ours.lists.get(key).unwrap_or(&empty);
    let (theirs_list, theirs_nodes) = theirs.lists.get(key).unwrap_or(&empty);
    let ids = [
        by_identity("BASE", key, base_nodes),
        by_identity("OURS", key, ours_nodes),
        by_identity("THEIRS", key, theirs_nodes),
    ];
    let errors: Vec<String> = ids.iter().filter_map(|r| r.clone().err()).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let [Ok(base_ids), Ok(ours_ids), Ok(theirs_ids)] = ids else {
        return Err(vec![format!("`{key}`: cannot read the entries")]);
    };
    let mut conflicts = Vec::new();
    // Per OURS entry: kept, removed, or replaced by a THEIRS entry.
    let mut removed = BTreeSet::new();
    let mut replaced: BTreeMap<usize, usize> = BTreeMap::new();
    // THEIRS entries new to OURS.
    let mut added: Vec<usize> = Vec::new();
    let all: BTreeSet<&String> = base_ids
        .keys()
        .chain(ours_ids.keys())
        .chain(theirs_ids.keys())
        .collect();
    for id in all {
        let b = base_ids.get(id).map(|&i| &base_nodes[i]);
        let o = ours_ids.get(id).copied();
        let t = theirs_ids.get(id).copied();
        let on = o.map(|i| &ours_nodes[i]);
        let tn = t.map(|i| &theirs_nodes[i]);
        let what = || describe(on.or(tn).or(b));
        match (b, o, t) {
            (None, None, Some(t)) => added.push(t),
            (None, Some(_), Some(_)) if on != tn => {
                conflicts.push(format!("`{key}`: both sides added {} differently", what()));
            }
            (Some(b), Some(o), None) => {
                if on == Some(b) {
                    removed.insert(o);
                } else {
                    conflicts.push(format!(
                        "`{key}`: OURS changed {} and THEIRS removed it",
                        what()
                    ));
                }
            }
            (Some(b), None, Some(_)) if tn != Some(b) => conflicts.push(format!(
                "`{key}`: THEIRS changed {} and OURS removed it",
                what()
            )),
            (Some(b), Some(o), Some(t)) if on != tn => {
                if on == Some(b) {
                    replaced.insert(o, t);
                } else if tn != Some(b) {
                    conflicts.push(format!("`{key}`: both sides changed {}", what()));
                }
            }
            _ => {}
        }
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let count = ours_nodes.len() - removed.len() + added.len();
    if (ours_nodes.is_empty() && !added.is_empty()) || (count == 0 && !ours_nodes.is_empty()) {
        return Err(vec![format!(
            "`{key}`: the merge would start or empty the list; merge it by hand"
        )]);
    }
    let ours_dash = ours_list
        .entries
        .iter()
        .find_map(|e| indentation(ours.text, e));
    let theirs_dash = theirs_list
        .entries
        .iter()
        .find_map(|e| indentation(theirs.text, e));
    let text_of_theirs = |index: usize| -> Result<String, String> {
        let entry = &theirs_list.entries[index];
        let dash = theirs_dash.map_or(0, |(dash, _)| dash);
        let range = entry_range(theirs.text, entry, dash)
            .ok_or_else(|| format!("`{key}`: cannot cut THEIRS's entry at line {}", entry.line))?;
        let mut block = theirs.text[range].to_owned();
        if !block.ends_with(['\n', '\r']) {
            block.push_str(text::line_break(theirs.text));
        }
        Ok(block)
    };
    if !added.is_empty() || !replaced.is_empty() {
        if let (Some(o), Some(t)) = (ours_dash, theirs_dash) {
            if o != t {
                return Err(vec![format!(
                    "`{key}`: OURS and THEIRS indent their entries differently"
                )]);
            }
        }
    }
    let dash = ours_dash.map_or(0, |(dash, _)| dash);
    let mut splices = Vec::new();
    let range_of = |index: usize| -> Result<Range<usize>, Vec<String>> {
        entry_range(ours.text, &ours_list.entries[index], dash)
            .ok_or_else(|| vec![format!("`{key}`: cannot cut OURS's entry {index}")])
    };
    for &index in &removed {
        splices.push(Splice {
            range: range_of(index)?,
            text: String::new(),
        });
    }
    for (&index, &from) in &replaced {
        splices.push(Splice {
            range: range_of(index)?,
            text: text_of_theirs(from).map_err(|e| vec![e])?,
        });
    }
    // New entries go before the first OURS entry that sorts after them.
    let sort_key = |entry: &Entry| {
        let value = |field: &Option<allowlist::Field<String>>| {
            field
                .as_ref()
                .map_or(String::new(), |field| field.value.clone())
        };
        (
            value(&entry.file),
            value(&entry.qualname),
            value(&entry.token),
        )
    };
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut added_sorted = added.clone();
    added_sorted.sort_by_key(|&t| sort_key(&theirs_list.entries[t]));
    for &t in &added_sorted {
        let new = sort_key(&theirs_list.entries[t]);
        let before = (ours_list.entries.iter())
            .position(|entry| sort_key(entry) > new)
            .unwrap_or(ours_list.entries.len());
        groups.entry(before).or_default().push(t);
    }
    for (&before, group) in &groups {
        let at = if before < ours_list.entries.len() {
            range_of(before)?.start
        } else {
            range_of(ours_list.entries.len() - 1)?.end
        };
        let mut block = String::new();
        if text::needs_break(ours.text, at) {
            block.push_str(text::line_break(ours.text));
        }
        for &t in group {
            block.push_str(&text_of_theirs(t).map_err(|e| vec![e])?);
        }
        splices.push(Splice::insert(at, block));
    }
    // The merged list, in the order the splices leave it.
    let mut nodes = Vec::with_capacity(count);
    for (index, node) in ours_nodes.iter().enumerate() {
        for &t in groups.get(&index).into_iter().flatten() {
            nodes.push(theirs_nodes[t].clone());
        }
        if removed.contains(&index) {
            continue;
        }
        match replaced.get(&index) {
            Some(&t) => nodes.push(theirs_nodes[t].clone()),
            None => nodes.push(node.clone()),
        }
    }
    for &t in groups.get(&ours_nodes.len()).into_iter().flatten() {
        nodes.push(theirs_nodes[t].clone());
    }
    let mut changes = vec![Change::SetEntries { nodes }];
    let mut note_parts = Vec::new();
    if let Some(baseline) = &ours_list.baseline {
        if baseline.value != count as u64 {
            splices.push(Splice {
                range: baseline.span.start..baseline.span.end,
                text: count.to_string(),
            });
            changes.push(Change::SetBaseline {
                text: count.to_string(),
                name: Some(baseline_key.to_owned()),
            });
        }
        note_parts.push(format!("`{baseline_key}` {count}"));
    }
    if !added.is_empty() {
        note_parts.insert(0, format!("{} added from THEIRS", added.len()));
    }
    if !removed.is_empty() {
        note_parts.insert(
            0,
            format!("{} removed as THEIRS removed them", removed.len()),
        );
    }
    if !replaced.is_empty() {
        note_parts.insert(
            0,
            format!("{} changed as THEIRS changed them", replaced.len()),
        );
    }
    let note = (!added.is_empty() || !removed.is_empty() || !replaced.is_empty())
        .then(|| format!("`{key}`: {count} entries ({})", note_parts.join(", ")));
    Ok(KeyMerge {
        splices,
        changes,
        note,
    })
}

/// `file (qualname) token` of an entry node, for messages.
fn describe(node: Option<&YamlOwned>) -> String {
    let Some(node) = node else {
        return "an entry".to_owned();
    };
    match untagged(node) {
        YamlOwned::Mapping(mapping) => {
            let field = |name: &str| {
                mapping
                    .iter()
                    .find(|(key, _)| text_of(key) == Some(name))
                    .and_then(|(_, value)| text_of(value))
                    .unwrap_or("")
                    .to_owned()
            };
            format!(
                "the entry {} ({}) {}",
                field("file"),
                field("qualname"),
                field("token")
            )
        }
        other => format!("the entry {}", text_of(other).unwrap_or("?")),
    }
}
