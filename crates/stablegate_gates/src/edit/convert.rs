//! `stablegate convert`: writing resolved seeds into the allowlist.
//!
//! Responsible for turning each legacy entry into a Design-P entry with the
//! fewest changed bytes. A legacy mapping keeps every line it has and gains
//! `file` (when it had none), `token` and, with `strict_counts` and several
//! live sites, `count`, inserted right after its `line:` field (on new lines
//! in block style, after the value in a flow mapping), so a reviewer's diff
//! shows added lines only. A legacy `"file:line"` string is replaced by a
//! mapping in the list's style. An entry with `token: ""` and no `text`
//! (written before SPEC §12.7) gains `text` right after its `token:`, the
//! same way. Not responsible for resolving seeds (see `seed`).

use super::error::EditError;
use super::scalar::{self, Fields};
use super::seed::{Frozen, TextFill};
use super::text::{self, Splice};
use super::verify::{verify, Change, KeyChanges};
use crate::allowlist::{Allowlist, Entry, EntryForm};

/// The text with every seed of `frozen` written as a Design-P entry, and
/// every entry of `texts` given its `text`.
pub fn freeze(
    path: &str,
    text: &str,
    list: &Allowlist,
    frozen: &[Frozen],
    texts: &[TextFill],
) -> Result<String, EditError> {
    let line_break = text::line_break(text);
    let mut splices = Vec::new();
    let mut changes = Vec::new();
    let entry_at = |index: usize| {
        list.entries.get(index).ok_or_else(|| EditError::Unsafe {
            path: path.to_owned(),
            reason: format!("no entry {index} to convert"),
        })
    };
    for seed in frozen {
        let entry = entry_at(seed.entry)?;
        let (splice, change) = match entry.form {
            EntryForm::Mapping => {
                let locator = entry.locator.as_ref().ok_or_else(|| EditError::Unsafe {
                    path: path.to_owned(),
                    reason: format!("the legacy entry at line {} has no `line:`", entry.line),
                })?;
                let after = After {
                    entry: seed.entry,
                    name: "line",
                    key_start: locator.key_span.start,
                    value_end: locator.span.end,
                };
                add_fields(text, &after, added_fields(entry, seed), line_break)
            }
            EntryForm::LegacyString => replace_string(path, text, entry, seed)?,
        };
        splices.push(splice);
        changes.push(change);
    }
    for fill in texts {
        let entry = entry_at(fill.entry)?;
        let token = entry.token.as_ref().ok_or_else(|| EditError::Unsafe {
            path: path.to_owned(),
            reason: format!("the entry at line {} has no `token:`", entry.line),
        })?;
        let after = After {
            entry: fill.entry,
            name: "token",
            key_start: token.key_span.start,
            value_end: token.span.end,
        };
        let fields = vec![("text", scalar::quoted(&fill.text))];
        let (splice, change) = add_fields(text, &after, fields, line_break);
        splices.push(splice);
        changes.push(change);
    }
    let edited = text::apply(path, text, &splices)?;
    let key_changes = KeyChanges {
        key: list.key.clone(),
        changes,
    };
    verify(path, text, &edited, &[key_changes])?;
    Ok(edited)
}

/// The fields a legacy mapping lacks.
fn added_fields(entry: &Entry, seed: &Frozen) -> Fields {
    let mut fields = Vec::new();
    if entry.file.is_none() {
        fields.push(("file", scalar::name(&seed.file)));
    }
    fields.push(("token", scalar::quoted(&seed.token)));
    if let Some(count) = seed.count {
        fields.push(("count", count.to_string()));
    }
    fields
}

/// The field of an entry new fields go after.
struct After {
    entry: usize,
    name: &'static str,
    /// Where the field's key starts and its value ends.
    key_start: usize,
    value_end: usize,
}

fn add_fields(text: &str, after: &After, fields: Fields, line_break: &str) -> (Splice, Change) {
    let change = Change::InsertFields {
        entry: after.entry,
        after: after.name,
        fields: scalar::flow(&fields),
    };
    let flow = matches!(
        text::previous_mark(text, after.key_start),
        Some((_, b'{' | b','))
    );
    let splice = if flow {
        Splice::insert(after.value_end, format!(", {}", scalar::flow(&fields)))
    } else {
        let indent = " ".repeat(text::column(text, after.key_start));
        let at = text::next_line(text, after.value_end);
        let mut out = String::new();
        if text::needs_break(text, at) {
            out.push_str(line_break);
        }
        for (field, value) in &fields {
            out.push_str(&format!("{indent}{field}: {value}{line_break}"));
        }
        Splice::insert(at, out)
    };
    (splice, change)
}

fn replace_string(
    path: &str,
    text: &str,
    entry: &Entry,
    seed: &Frozen,
) -> Result<(Splice, Change), EditError> {
    let mut fields: Fields = vec![
        ("file", scalar::name(&seed.file)),
        ("qualname", scalar::name(&seed.qualname)),
        ("line", seed.line.to_string()),
        ("token", scalar::quoted(&seed.token)),
    ];
    if let Some(count) = seed.count {
        fields.push(("count", count.to_string()));
    }
    let flow_node = format!("{{{}}}", scalar::flow(&fields));
    let replacement = match text::previous_mark(text, entry.span.start) {
        Some((_, b'-')) => {
            let indent = text::column(text, entry.span.start);
            scalar::block(&fields, indent, text::line_break(text))
        }
        Some((_, b'[' | b',')) => flow_node.clone(),
        _ => {
            return Err(EditError::Unsupported {
                path: path.to_owned(),
                reason: format!(
                    "the legacy entry at line {} has an anchor or tag: remove it and convert again",
                    entry.line
                ),
            })
        }
    };
    let splice = Splice {
        range: entry.span.start..entry.span.end,
        text: replacement,
    };
    let change = Change::ReplaceEntry {
        entry: seed.entry,
        node: flow_node,
    };
    Ok((splice, change))
}
