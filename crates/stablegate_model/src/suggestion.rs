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

/// The live key a suggestion is for, seen first at `line`.
#[derive(Debug, Clone, Copy)]
pub struct Suggested<'a> {
    pub file: &'a str,
    pub qualname: &'a str,
    pub line: usize,
    pub token: &'a str,
    /// The plain-text key of a token-less line (written as `text:`).
    pub text: Option<&'a str>,
    /// The rule, when the source reports rule ids (written as `rule:`).
    pub rule: Option<&'a str>,
    /// Written when given (strict counts with several sites).
    pub count: Option<usize>,
}

/// A suggested entry for a live key: `file`, `qualname`, `line`, `token`,
/// then `text` and `rule` where they apply (SPEC §12.7), `count` and the
/// rationale. No trailing newline. Written into one buffer: `check` builds
/// one per violation, hundreds of thousands for a rule that matches
/// everywhere.
pub fn suggestion(key: &Suggested<'_>) -> String {
    let text_len = key.text.map_or(0, str::len) + key.rule.map_or(0, str::len);
    let mut text = String::with_capacity(
        96 + key.file.len() + key.qualname.len() + key.token.len() + text_len,
    );
    text.push_str("- file: ");
    push_plain_or_quoted(&mut text, key.file);
    text.push_str("\n  qualname: ");
    push_plain_or_quoted(&mut text, key.qualname);
    let _ = write!(text, "\n  line: {}\n  token: ", key.line);
    push_double_quoted(&mut text, key.token);
    text.push('\n');
    if let Some(plain) = key.text {
        text.push_str("  text: ");
        push_double_quoted(&mut text, plain);
        text.push('\n');
    }
    if let Some(rule) = key.rule {
        text.push_str("  rule: ");
        push_plain_or_quoted(&mut text, rule);
        text.push('\n');
    }
    if let Some(count) = key.count {
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

    fn key<'a>(
        file: &'a str,
        qualname: &'a str,
        line: usize,
        token: &'a str,
        count: Option<usize>,
    ) -> Suggested<'a> {
        Suggested {
            file,
            qualname,
            line,
            token,
            text: None,
            rule: None,
            count,
        }
    }

    #[test]
    fn a_token_less_site_with_a_rule_suggests_text_and_rule() {
        let mut suggested = key("a.py", "f", 4, "", None);
        suggested.text = Some("\"\"\"Return the thing.");
        suggested.rule = Some("E501");
        let text = suggestion(&suggested);
        assert_eq!(
            text,
            "- file: a.py\n  qualname: f\n  line: 4\n  token: \"\"\n  text: \"\\\"\\\"\\\"Return the thing.\"\n  rule: E501\n  rationale: \"TODO: why this site is accepted\""
        );
        let allowlist = parse("x.yaml", &format!("k:\n{text}\n"), "k").expect("parses");
        let entry = &allowlist.entries[0];
        assert_eq!(entry.text_value(), Some("\"\"\"Return the thing."));
        assert_eq!(entry.rule_value(), Some("E501"));
    }

    #[test]
    fn a_suggestion_is_the_spec_entry_layout() {
        let text = suggestion(&key(
            "src/pkg/m.py",
            "SchemaCheck.detect",
            56,
            "meta = json . load ( f )",
            None,
        ));
        assert_eq!(
            text,
            "- file: src/pkg/m.py\n  qualname: SchemaCheck.detect\n  line: 56\n  token: \"meta = json . load ( f )\"\n  rationale: \"TODO: why this site is accepted\""
        );
    }

    #[test]
    fn a_suggestion_with_a_count_writes_it_after_the_token() {
        let text = suggestion(&key("a.py", "<module>", 3, "x", Some(2)));
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
        let text = format!("k:\n{}\n", suggestion(&key(file, qualname, 1, token, None)));
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
