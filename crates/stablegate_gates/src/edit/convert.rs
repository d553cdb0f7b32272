//! `stablegate convert`: writing resolved seeds into the allowlist.
//!
//! Responsible for turning each legacy entry into a Design-P entry with the
//! fewest changed bytes. A legacy mapping keeps every line it has and gains
//! `file` (when it had none), `token` and, with `strict_counts` and several
//! live sites, `count`, inserted right after its `line:` field (on new lines
//! in block style, after the value in a flow mapping), so a reviewer's diff
//! shows added lines only. A legacy `"file:line"` string is replaced by a
//! mapping in the list's style. Not responsible for resolving seeds (see
//! `seed`).

use super::error::EditError;
use super::scalar::{self, Fields};
use super::seed::Frozen;
use super::text::{self, Splice};
use super::verify::{verify, Change, KeyChanges};
use crate::allowlist::{Allowlist, Entry, EntryForm};

/// The text with every seed of `frozen` written as a Design-P entry.
pub fn freeze(
    path: &str,
    text: &str,
    list: &Allowlist,
    frozen: &[Frozen],
) -> Result<String, EditError> {
    let line_break = text::line_break(text);
    let mut splices = Vec::new();
    let mut changes = Vec::new();
    for seed in frozen {
        let entry = list
            .entries
            .get(seed.entry)
            .ok_or_else(|| EditError::Unsafe {
                path: path.to_owned(),
                reason: format!("no entry {} to convert", seed.entry),
            })?;
        let (splice, change) = match entry.form {
            EntryForm::Mapping => add_fields(path, text, entry, seed, line_break)?,
            EntryForm::LegacyString => replace_string(path, text, entry, seed)?,
        };
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

fn add_fields(
    path: &str,
    text: &str,
    entry: &Entry,
    seed: &Frozen,
    line_break: &str,
) -> Result<(Splice, Change), EditError> {
    let locator = entry.locator.as_ref().ok_or_else(|| EditError::Unsafe {
        path: path.to_owned(),
        reason: format!("the legacy entry at line {} has no `line:`", entry.line),
    })?;
    let fields = added_fields(entry, seed);
    let change = Change::InsertFields {
        entry: seed.entry,
        after: "line",
        fields: scalar::flow(&fields),
    };
    let flow = matches!(
        text::previous_mark(text, locator.key_span.start),
        Some((_, b'{' | b','))
    );
    let splice = if flow {
        Splice::insert(locator.span.end, format!(", {}", scalar::flow(&fields)))
    } else {
        let indent = " ".repeat(text::column(text, locator.key_span.start));
        let at = text::next_line(text, locator.span.end);
        let mut out = String::new();
        if text::needs_break(text, at) {
            out.push_str(line_break);
        }
        for (field, value) in &fields {
            out.push_str(&format!("{indent}{field}: {value}{line_break}"));
        }
        Splice::insert(at, out)
    };
    Ok((splice, change))
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
