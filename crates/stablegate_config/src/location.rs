//! Where a byte offset of a configuration file is: `line:column`, and which key.
//!
//! TOML errors and `serde_spanned` values carry byte spans. This module turns a
//! span into a [`Location`] and into the dotted key path a user would write to
//! name the spot (`gate[1].pattern`, `tool.stablegate.gate[0].name`), by walking
//! the parsed document. It neither parses nor validates anything.

use std::ops::Range;

use toml_edit::{ImDocument, Item, TableLike, Value};

use crate::error::{ConfigError, Location};

/// A parsed configuration file kept with its text, for error reporting.
pub(crate) struct SourceFile {
    /// The name to print: root-relative when the file is inside the root.
    pub display: String,
    pub document: ImDocument<String>,
}

impl SourceFile {
    /// The 1-based line and column of a byte offset.
    pub fn location(&self, offset: usize) -> Location {
        location_in(&self.display, self.document.raw(), offset)
    }

    /// The dotted path of the innermost key whose key or value holds `offset`;
    /// empty when the offset is outside every key (e.g. the end of the file).
    pub fn key_at(&self, offset: usize) -> String {
        let mut path = String::new();
        find_in_table(self.document.as_table(), offset, &mut path);
        path
    }

    /// An [`ConfigError::Invalid`] at the start of `span`.
    pub fn invalid(&self, span: Range<usize>, key: &str, message: String) -> ConfigError {
        ConfigError::Invalid {
            at: self.location(span.start),
            key: key.to_owned(),
            message,
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset of `text`.
pub(crate) fn location_in(file: &str, text: &str, offset: usize) -> Location {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + String::from_utf8_lossy(&bytes[line_start..])
        .chars()
        .count();
    Location {
        file: file.to_owned(),
        line,
        column,
    }
}

/// Appends `name` to a dotted key path, quoting it when TOML would.
pub(crate) fn push_key(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        path.push_str(name);
    } else {
        path.push_str(&format!("{name:?}"));
    }
}

fn contains(span: Option<Range<usize>>, offset: usize) -> bool {
    span.is_some_and(|span| span.start <= offset && offset < span.end.max(span.start + 1))
}

fn find_in_table(table: &dyn TableLike, offset: usize, path: &mut String) -> bool {
    for (name, _) in table.iter() {
        let Some((key, item)) = table.get_key_value(name) else {
            continue;
        };
        let len = path.len();
        push_key(path, name);
        if contains(key.span(), offset) || find_in_item(item, offset, path) {
            return true;
        }
        path.truncate(len);
    }
    false
}

fn find_in_item(item: &Item, offset: usize, path: &mut String) -> bool {
    match item {
        Item::None => false,
        Item::Value(value) => find_in_value(value, offset, path),
        Item::Table(table) => find_in_table(table, offset, path) || contains(table.span(), offset),
        Item::ArrayOfTables(tables) => tables.iter().enumerate().any(|(index, table)| {
            let len = path.len();
            path.push_str(&format!("[{index}]"));
            let found = find_in_table(table, offset, path) || contains(table.span(), offset);
            if !found {
                path.truncate(len);
            }
            found
        }),
    }
}

fn find_in_value(value: &Value, offset: usize, path: &mut String) -> bool {
    match value {
        Value::Array(array) => {
            for (index, element) in array.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                if find_in_value(element, offset, path) {
                    return true;
                }
                path.truncate(len);
            }
            contains(array.span(), offset)
        }
        Value::InlineTable(table) => {
            find_in_table(table, offset, path) || contains(table.span(), offset)
        }
        _ => contains(value.span(), offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceFile {
        SourceFile {
            display: "stablegate.toml".into(),
            document: ImDocument::parse(text.to_owned()).unwrap(),
        }
    }

    #[test]
    fn offsets_become_one_based_lines_and_character_columns() {
        let at = location_in("f", "a = 1\nbé = 2\n", 10);
        assert_eq!((at.line, at.column), (2, 4));
        assert_eq!(location_in("f", "", 0).to_string(), "f:1:1");
    }

    #[test]
    fn offset_inside_an_array_of_tables_value_names_its_index() {
        let text = "[[gate]]\nname = \"a\"\n[[gate]]\nname = \"b\"\npaths = [\"x\", \"y\"]\n";
        let file = source(text);
        let offset = text.find("\"y\"").unwrap();
        assert_eq!(file.key_at(offset), "gate[1].paths[1]");
        assert_eq!(file.key_at(text.find("\"b\"").unwrap()), "gate[1].name");
    }

    #[test]
    fn offset_of_a_key_names_the_key_and_odd_keys_are_quoted() {
        let text = "[tool.stablegate]\n\"odd key\" = 1\n";
        let file = source(text);
        assert_eq!(
            file.key_at(text.find("\"odd").unwrap()),
            "tool.stablegate.\"odd key\""
        );
    }

    #[test]
    fn inline_tables_are_searched() {
        let text = "theater = { file = \"x.py\", code = \"y\" }\n";
        let file = source(text);
        assert_eq!(file.key_at(text.find("\"y\"").unwrap()), "theater.code");
    }
}
