//! The canonical text of a `[release.NAME]` table: what its digest (in the
//! attestation of every bundle it produces) is taken over.
//!
//! The table is written as compact JSON with object keys sorted bytewise,
//! strings JSON-escaped, integers and booleans as such, floats in Rust's
//! shortest round-trip form, dates as their TOML text. Comments,
//! whitespace, key order and the choice between inline and standard tables
//! do not change it; any change of a value does. Nothing here validates.

use toml_edit::{Item, Table, TableLike, Value};

/// The canonical text of the item at `path` (`["release", "demo"]`), or of
/// nothing (`null`) when the path does not lead to one.
pub(crate) fn of_path(root: &Table, path: &[&str]) -> String {
    let mut item: Option<&Item> = None;
    let mut table: Option<&dyn TableLike> = Some(root);
    for key in path {
        item = table.and_then(|t| t.get(key));
        table = item.and_then(Item::as_table_like);
    }
    let mut out = String::new();
    match item {
        Some(item) => write_item(item, &mut out),
        None => out.push_str("null"),
    }
    out
}

fn write_item(item: &Item, out: &mut String) {
    match item {
        Item::None => out.push_str("null"),
        Item::Value(value) => write_value(value, out),
        Item::Table(table) => write_pairs(table.iter(), out),
        Item::ArrayOfTables(array) => {
            out.push('[');
            for (index, table) in array.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_pairs(table.iter(), out);
            }
            out.push(']');
        }
    }
}

fn write_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a Item)>, out: &mut String) {
    let mut pairs: Vec<(&str, &Item)> = pairs.collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    out.push('{');
    for (index, (key, item)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(key, out);
        out.push(':');
        write_item(item, out);
    }
    out.push('}');
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => write_string(text.value(), out),
        Value::Integer(number) => out.push_str(&number.value().to_string()),
        Value::Float(number) => out.push_str(&format!("{:?}", number.value())),
        Value::Boolean(flag) => out.push_str(if *flag.value() { "true" } else { "false" }),
        Value::Datetime(date) => write_string(&date.value().to_string(), out),
        Value::Array(array) => {
            out.push('[');
            for (index, value) in array.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(value, out);
            }
            out.push(']');
        }
        Value::InlineTable(table) => {
            let pairs: Vec<(&str, Item)> = table
                .iter()
                .map(|(key, value)| (key, Item::Value(value.clone())))
                .collect();
            write_pairs(pairs.iter().map(|(key, item)| (*key, item)), out);
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        let document: toml_edit::DocumentMut = text.parse().unwrap();
        of_path(document.as_table(), &["release", "demo"])
    }

    #[test]
    fn layout_and_comments_do_not_change_the_canonical_text() {
        let standard = "[release.demo]\n# note\nb = 1\na = \"x\"\n[release.demo.versions]\napp = { regex = 'v', command = \"c\" }\n";
        let inline = "release.demo = { a = 'x', b = 1, versions = { app = { command = 'c', regex = 'v' } } }";
        assert_eq!(canonical(standard), canonical(inline));
        assert_eq!(
            canonical(standard),
            r#"{"a":"x","b":1,"versions":{"app":{"command":"c","regex":"v"}}}"#
        );
    }

    #[test]
    fn a_changed_value_changes_the_canonical_text() {
        let one = "[[release.demo.stage]]\nname = \"a\"\ncheck = [\"true\"]\n";
        let two = one.replace("true", "false");
        assert_ne!(canonical(one), canonical(&two));
        assert_eq!(
            canonical(one),
            r#"{"stage":[{"check":["true"],"name":"a"}]}"#
        );
        assert_eq!(canonical("[release.other]\n"), "null");
    }
}
