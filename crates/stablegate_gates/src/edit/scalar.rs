//! Writing new allowlist values as YAML text.
//!
//! Responsible for the text of values stablegate adds to an allowlist:
//! `file` and `qualname` plain when every YAML reader takes them as the same
//! string, double-quoted otherwise; `token`, `rationale` and `issue` always
//! double-quoted with YAML escapes; numbers plain. These are the rules of the
//! suggestion `check` prints (`crate::reconcile::suggestion`), so an entry
//! written by `allow` is the one `check` suggested; a test holds the two
//! together. A plain scalar here never holds `, [ ] { } #` or `: `, so it
//! reads the same in block and flow context. Not responsible for where the
//! text goes (see `append` and `convert`).

use std::fmt::Write;

pub(super) use stablegate_model::yaml_text::{double_quoted as quoted, plain_or_quoted as name};

/// Fields as `(name, YAML text)` pairs, in the order they are written.
pub(super) type Fields = Vec<(&'static str, String)>;

/// The fields as a block mapping: the first line starts at the caller's
/// position (after `- `), the others are indented by `indent` spaces. No
/// line break after the last one.
pub(super) fn block(fields: &Fields, indent: usize, line_break: &str) -> String {
    let mut out = String::new();
    for (index, (field, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.push_str(line_break);
            out.push_str(&" ".repeat(indent));
        }
        let _ = write!(out, "{field}: {value}");
    }
    out
}

/// The fields as a flow mapping without braces: `file: a.py, line: 3`.
pub(super) fn flow(fields: &Fields) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(field, value)| format!("{field}: {value}"))
        .collect();
    pairs.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_plain_when_unambiguous() {
        assert_eq!(name("src/a-b/c_d.py"), "src/a-b/c_d.py");
        assert_eq!(name("<module>"), "<module>");
        assert_eq!(name("Outer.inner"), "Outer.inner");
        assert_eq!(name("2fast.py"), "\"2fast.py\"");
        assert_eq!(name("no"), "\"no\"");
        assert_eq!(name("a b.py"), "\"a b.py\"");
        assert_eq!(name(""), "\"\"");
    }

    #[test]
    fn quoted_escapes_what_yaml_cannot_print_raw() {
        assert_eq!(quoted("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(quoted("x\u{1}\u{2028}"), r#""x\x01\u2028""#);
    }

    #[test]
    fn fields_are_written_in_block_or_flow_form() {
        let fields: Fields = vec![("file", "a.py".to_owned()), ("line", "3".to_owned())];
        assert_eq!(block(&fields, 2, "\r\n"), "file: a.py\r\n  line: 3");
        assert_eq!(flow(&fields), "file: a.py, line: 3");
    }
}
