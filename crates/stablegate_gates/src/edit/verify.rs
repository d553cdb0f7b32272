//! Checking an edit by what it means before anything is written.
//!
//! Every edit is made as byte splices (see `text`) and then checked here: the
//! edited text must still read as an allowlist for each key touched, and its
//! YAML document must equal the original document with exactly the intended
//! changes applied. Scalars are compared as written (text, quoting style and
//! tag, no type guessing), so a re-quoted or retyped value, a field moved
//! into another entry, another gate's key changed, or a comment that swallowed
//! a value are all caught. Comments and blank lines are not part of the
//! document; the splices never touch them by construction, and the tests
//! compare bytes. Not responsible for deciding what to change.

use saphyr::{MappingOwned, ScalarStyle, YamlLoader, YamlOwned};
use saphyr_parser::{Parser, ScanError};
use thiserror::Error;

use super::error::EditError;
use crate::allowlist;

/// One intended change to the entries of one key (or its baseline).
#[derive(Debug, Clone)]
pub(super) enum Change {
    /// The scalar value of `field` in entry `entry` becomes `text`, as
    /// written (its style and tag kept).
    SetField {
        entry: usize,
        field: &'static str,
        text: String,
    },
    /// Fields (a flow mapping's text without braces) inserted after the
    /// field `after` of entry `entry`.
    InsertFields {
        entry: usize,
        after: &'static str,
        fields: String,
    },
    /// Entry `entry` becomes this node (flow text).
    ReplaceEntry { entry: usize, node: String },
    /// These nodes (flow texts) are inserted before entry `index` of the
    /// key's entries as they are when this change applies (`index` = the
    /// number of entries: appended); the key is created (at the end of the
    /// top-level mapping) when absent, and a null value becomes the list.
    Insert { index: usize, nodes: Vec<String> },
    /// Entry `entry` is removed.
    Remove { entry: usize },
    /// The key's entries become exactly these nodes (a merge).
    SetEntries { nodes: Vec<YamlOwned> },
    /// The baseline (`<key>_baseline`, or `name` when given) becomes this
    /// number.
    SetBaseline { text: String, name: Option<String> },
}

/// The baseline's key as `text` writes it (quotes removed), for
/// [`Change::SetBaseline`]: `<key>_baseline` or a gate's `baseline_key`.
pub(super) fn baseline_name(text: &str, baseline: &crate::allowlist::Field<u64>) -> Option<String> {
    let written = text.get(baseline.key_span.start..baseline.key_span.end)?;
    let unquoted = written
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .or_else(|| {
            written
                .strip_prefix('\'')
                .and_then(|inner| inner.strip_suffix('\''))
        })
        .unwrap_or(written);
    Some(unquoted.to_owned())
}

/// The changes made to one key.
#[derive(Debug, Clone)]
pub(super) struct KeyChanges {
    pub key: String,
    pub changes: Vec<Change>,
}

/// Refuses `new` unless it reads as an allowlist for every key in `keys` and
/// means `old` with the changes applied.
pub(super) fn verify(
    path: &str,
    old: &str,
    new: &str,
    keys: &[KeyChanges],
) -> Result<(), EditError> {
    let unsafe_edit = |reason: String| EditError::Unsafe {
        path: path.to_owned(),
        reason,
    };
    for changes in keys {
        allowlist::parse(path, new, &changes.key)
            .map_err(|err| unsafe_edit(format!("the edited file would not read back ({err})")))?;
    }
    let mut expected = load(old).map_err(|err| unsafe_edit(format!("cannot re-read it: {err}")))?;
    let actual =
        load(new).map_err(|err| unsafe_edit(format!("the edited file would not parse: {err}")))?;
    for changes in keys {
        for change in &changes.changes {
            apply(&mut expected, &changes.key, change)
                .map_err(|reason| unsafe_edit(format!("`{}`: {reason}", changes.key)))?;
        }
    }
    if expected != actual {
        let which: Vec<&str> = keys.iter().map(|changes| changes.key.as_str()).collect();
        return Err(unsafe_edit(format!(
            "the edit of `{}` would change more than intended",
            which.join("`, `")
        )));
    }
    Ok(())
}

/// Why a text could not be read as a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(super) enum LoadError {
    /// The text is not YAML (the scanner's message and position).
    #[error(transparent)]
    Syntax(#[from] ScanError),
}

/// Why an intended change could not be applied to the original document
/// (the edit code and the document disagree: the edit is refused).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
enum ApplyError {
    /// A fragment written by this module does not parse.
    #[error(transparent)]
    Fragment(#[from] LoadError),
    /// A fragment written by this module holds no node.
    #[error("empty fragment `{text}`")]
    EmptyFragment { text: String },
    /// The fields to insert are not a flow mapping.
    #[error("added fields are not a mapping")]
    AddedNotMapping,
    /// The entry to change is not a mapping.
    #[error("the entry is not a mapping")]
    EntryNotMapping,
    /// An insertion past the end of the list.
    #[error("no entry {index} to insert before")]
    NoInsertPoint { index: usize },
    /// A removal past the end of the list.
    #[error("no entry {entry} to remove")]
    NoEntryToRemove { entry: usize },
    /// The baseline key is absent.
    #[error("no `{name}`")]
    NoBaseline { name: String },
    /// The value to set is not a scalar.
    #[error("the value is not a scalar")]
    NotScalar,
    /// The document's top level is not a mapping.
    #[error("the top level is not a mapping")]
    TopNotMapping,
    /// The key just inserted is not found again.
    #[error("the key vanished")]
    KeyVanished,
    /// The key holds something other than a list.
    #[error("the key does not hold a list")]
    NotAList,
    /// The entry index is past the end of the list.
    #[error("no entry {index}")]
    NoEntry { index: usize },
    /// The entry has no such field.
    #[error("the entry has no `{field}`")]
    NoField { field: String },
}

/// The first document of `text`, scalars as written; `None` for no document.
pub(super) fn load(text: &str) -> Result<Option<YamlOwned>, LoadError> {
    let mut loader: YamlLoader<'_, YamlOwned> = YamlLoader::default();
    loader.early_parse(false);
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut loader, true)?;
    if let Some(err) = loader.error() {
        return Err(err.clone().into());
    }
    Ok(loader.into_documents().into_iter().next())
}

/// A fragment written by this module (a flow node).
fn fragment(text: &str) -> Result<YamlOwned, ApplyError> {
    load(text)?.ok_or_else(|| ApplyError::EmptyFragment {
        text: text.to_owned(),
    })
}

fn apply(document: &mut Option<YamlOwned>, key: &str, change: &Change) -> Result<(), ApplyError> {
    match change {
        Change::SetField { entry, field, text } => {
            let entry = entry_mut(document, key, *entry)?;
            let value = field_mut(entry, field)?;
            set_scalar(value, text)
        }
        Change::InsertFields {
            entry,
            after,
            fields,
        } => {
            let added = fragment(&format!("{{{fields}}}"))?;
            let YamlOwned::Mapping(added) = added else {
                return Err(ApplyError::AddedNotMapping);
            };
            let YamlOwned::Mapping(mapping) = untag_mut(entry_mut(document, key, *entry)?) else {
                return Err(ApplyError::EntryNotMapping);
            };
            let mut rebuilt = MappingOwned::new();
            for (name, value) in std::mem::take(mapping) {
                let is_after = text_of(&name) == Some(after);
                rebuilt.insert(name, value);
                if is_after {
                    for (name, value) in added.clone() {
                        rebuilt.insert(name, value);
                    }
                }
            }
            *mapping = rebuilt;
            Ok(())
        }
        Change::ReplaceEntry { entry, node } => {
            *entry_mut(document, key, *entry)? = fragment(node)?;
            Ok(())
        }
        Change::Insert { index, nodes } => {
            let list = list_mut(document, key)?;
            if *index > list.len() {
                return Err(ApplyError::NoInsertPoint { index: *index });
            }
            for (offset, node) in nodes.iter().enumerate() {
                list.insert(index + offset, fragment(node)?);
            }
            Ok(())
        }
        Change::SetEntries { nodes } => {
            list_mut(document, key)?.clone_from(nodes);
            Ok(())
        }
        Change::Remove { entry } => {
            let list = list_mut(document, key)?;
            if *entry >= list.len() {
                return Err(ApplyError::NoEntryToRemove { entry: *entry });
            }
            list.remove(*entry);
            Ok(())
        }
        Change::SetBaseline { text, name } => {
            let name = name.clone().unwrap_or_else(|| format!("{key}_baseline"));
            let top = top_mut(document)?;
            let value = top
                .iter_mut()
                .find(|(candidate, _)| text_of(candidate) == Some(&name))
                .map(|(_, value)| value)
                .ok_or(ApplyError::NoBaseline { name })?;
            set_scalar(value, text)
        }
    }
}

fn untag_mut(node: &mut YamlOwned) -> &mut YamlOwned {
    match node {
        YamlOwned::Tagged(_, inner) => untag_mut(inner),
        other => other,
    }
}

pub(super) fn text_of(node: &YamlOwned) -> Option<&str> {
    match node {
        YamlOwned::Representation(text, _, _) => Some(text),
        YamlOwned::Tagged(_, inner) => text_of(inner),
        _ => None,
    }
}

fn is_null(node: &YamlOwned) -> bool {
    match node {
        YamlOwned::Representation(text, ScalarStyle::Plain, _) => {
            matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
        }
        YamlOwned::BadValue => true,
        _ => false,
    }
}

fn set_scalar(node: &mut YamlOwned, text: &str) -> Result<(), ApplyError> {
    match untag_mut(node) {
        YamlOwned::Representation(old, _, _) => {
            text.clone_into(old);
            Ok(())
        }
        _ => Err(ApplyError::NotScalar),
    }
}

/// The top-level mapping; a missing or null document becomes an empty one.
fn top_mut(document: &mut Option<YamlOwned>) -> Result<&mut MappingOwned, ApplyError> {
    if document.as_ref().is_none_or(is_null) {
        *document = Some(YamlOwned::Mapping(MappingOwned::new()));
    }
    match document.as_mut().map(untag_mut) {
        Some(YamlOwned::Mapping(mapping)) => Ok(mapping),
        _ => Err(ApplyError::TopNotMapping),
    }
}

/// The key's list of entries, created empty when absent or null.
fn list_mut<'a>(
    document: &'a mut Option<YamlOwned>,
    key: &str,
) -> Result<&'a mut Vec<YamlOwned>, ApplyError> {
    let top = top_mut(document)?;
    if !top.keys().any(|name| text_of(name) == Some(key)) {
        let name = YamlOwned::Representation(key.to_owned(), ScalarStyle::Plain, None);
        top.insert(name, YamlOwned::Sequence(Vec::new()));
    }
    let value = top
        .iter_mut()
        .find(|(name, _)| text_of(name) == Some(key))
        .map(|(_, value)| value)
        .ok_or(ApplyError::KeyVanished)?;
    if is_null(value) {
        *value = YamlOwned::Sequence(Vec::new());
    }
    match untag_mut(value) {
        YamlOwned::Sequence(items) => Ok(items),
        _ => Err(ApplyError::NotAList),
    }
}

fn entry_mut<'a>(
    document: &'a mut Option<YamlOwned>,
    key: &str,
    index: usize,
) -> Result<&'a mut YamlOwned, ApplyError> {
    list_mut(document, key)?
        .get_mut(index)
        .ok_or(ApplyError::NoEntry { index })
}

fn field_mut<'a>(entry: &'a mut YamlOwned, field: &str) -> Result<&'a mut YamlOwned, ApplyError> {
    match untag_mut(entry) {
        YamlOwned::Mapping(mapping) => mapping
            .iter_mut()
            .find(|(name, _)| text_of(name) == Some(field))
            .map(|(_, value)| value)
            .ok_or_else(|| ApplyError::NoField {
                field: field.to_owned(),
            }),
        _ => Err(ApplyError::EntryNotMapping),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_line(entry: usize, text: &str) -> KeyChanges {
        KeyChanges {
            key: "k".to_owned(),
            changes: vec![Change::SetField {
                entry,
                field: "line",
                text: text.to_owned(),
            }],
        }
    }

    #[test]
    fn an_edit_that_does_what_was_intended_passes() {
        let old = "# c\nk:\n- file: a\n  line: 3\n";
        let new = "# c\nk:\n- file: a\n  line: 30\n";
        assert_eq!(verify("x", old, new, &[set_line(0, "30")]), Ok(()));
    }

    #[test]
    fn an_edit_that_changes_anything_else_is_refused() {
        let old = "k:\n- file: a\n  line: 3\nother: 'q'\n";
        let requoted = "k:\n- file: a\n  line: 30\nother: \"q\"\n";
        assert!(verify("x", old, requoted, &[set_line(0, "30")]).is_err());
        let swallowed = "k:\n- file: a\n  line: # 30\nother: 'q'\n";
        assert!(verify("x", old, swallowed, &[set_line(0, "30")]).is_err());
    }

    #[test]
    fn appending_creates_the_key_in_an_empty_document() {
        let changes = KeyChanges {
            key: "k".to_owned(),
            changes: vec![Change::Insert {
                index: 0,
                nodes: vec!["{file: a.py, token: \"x\"}".to_owned()],
            }],
        };
        let new = "# header\nk:\n- file: a.py\n  token: \"x\"\n";
        assert_eq!(
            verify("x", "# header\n", new, std::slice::from_ref(&changes)),
            Ok(())
        );
        let wrong = "# header\nk:\n- file: a.py\n  token: x\n";
        assert!(verify("x", "# header\n", wrong, &[changes]).is_err());
    }
}
