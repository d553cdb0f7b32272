//! The ready-to-paste YAML entry printed with a violation (emit-on-miss).
//!
//! Responsible for the exact text of a suggested entry, in the key order and
//! layout of SPEC §4, and for writing scalars so any YAML reader gives back
//! the same string: `file` and `qualname` plain when that is unambiguous,
//! double-quoted otherwise; `token` always double-quoted, with YAML escapes.
//! Not responsible for writing it into a file (`stablegate allow` does).

use std::fmt::Write;

use crate::yaml_text::{push_double_quoted, push_plain_or_quoted};

/// The rationale a suggestion carries until a human writes one.
pub const TODO_RATIONALE: &str = "TODO: why this site is accepted";

/// A suggested entry for the live key `(file, qualname, token)` seen at
/// `line`. `count` is written when given (strict counts with several sites).
/// No trailing newline. Written into one buffer: `check` builds one per
/// violation, hundreds of thousands for a rule that matches everywhere.
pub fn suggestion(
    file: &str,
    qualname: &str,
    line: usize,
    token: &str,
    count: Option<usize>,
) -> String {
    let mut text = String::with_capacity(96 + file.len() + qualname.len() + token.len());
    text.push_str("- file: ");
    push_plain_or_quoted(&mut text, file);
    text.push_str("\n  qualname: ");
    push_plain_or_quoted(&mut text, qualname);
    let _ = write!(text, "\n  line: {line}\n  token: ");
    push_double_quoted(&mut text, token);
    text.push('\n');
    if let Some(count) = count {
        let _ = writeln!(text, "  count: {count}");
    }
    text.push_str("  rationale: ");
    push_double_quoted(&mut text, TODO_RATIONALE);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allowlist::parse;
    use crate::yaml_text::plain_or_quoted as scalar;

    #[test]
    fn a_suggestion_is_the_spec_entry_layout() {
        let text = suggestion(
            "src/pkg/m.py",
            "SchemaCheck.detect",
            56,
            "meta = json . load ( f )",
            None,
        );
        assert_eq!(
            text,
            "- file: src/pkg/m.py\n  qualname: SchemaCheck.detect\n  line: 56\n  token: \"meta = json . load ( f )\"\n  rationale: \"TODO: why this site is accepted\""
        );
    }

    #[test]
    fn a_suggestion_with_a_count_writes_it_after_the_token() {
        let text = suggestion("a.py", "<module>", 3, "x", Some(2));
        assert_eq!(
            text,
            "- file: a.py\n  qualname: <module>\n  line: 3\n  token: \"x\"\n  count: 2\n  rationale: \"TODO: why this site is accepted\""
        );
    }

    #[test]
    fn awkward_values_are_quoted_and_read_back_unchanged() {
        let file = "src/odd: name #1.py";
        let qualname = "null";
        let token = "a \"b\" \\ c\td\u{85}\u{2028}é\u{1}";
        let text = format!("k:\n{}\n", suggestion(file, qualname, 1, token, None));
        let allowlist = parse("x.yaml", &text, "k").expect("suggestion parses");
        let entry = &allowlist.entries[0];
        let value = |field: &Option<crate::allowlist::Field<String>>| {
            field
                .as_ref()
                .map(|field| field.value.clone())
                .unwrap_or_default()
        };
        assert_eq!(value(&entry.file), file);
        assert_eq!(value(&entry.qualname), qualname);
        assert_eq!(value(&entry.token), token);
        assert!(text.contains("qualname: \"null\""));
    }

    #[test]
    fn paths_and_dotted_names_stay_plain() {
        assert_eq!(scalar("src/a-b/c_d.py"), "src/a-b/c_d.py");
        assert_eq!(scalar("Outer.inner"), "Outer.inner");
        assert_eq!(scalar("2fast.py"), "\"2fast.py\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
