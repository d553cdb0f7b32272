//! The ready-to-paste text an item suggests: the YAML entry printed with a
//! violation (emit-on-miss), or an inventory row.
//!
//! Responsible for the exact text of a suggested entry, in the key order and
//! layout of SPEC §4, and for writing scalars so any YAML reader gives back
//! the same string: `file` and `qualname` plain when that is unambiguous,
//! double-quoted otherwise; `token` always double-quoted, with YAML escapes.
//! Not responsible for writing it into a file (`stablegate allow` does).
//!
//! A violation's entry is not stored as text: it is spelled from the item's
//! own key when a renderer asks ([`Item::suggestion_text`]). A rule that
//! matches everywhere gives hundreds of thousands of violations, and their
//! texts would be most of a report's memory (and all of it wasted under
//! `--quiet`).

use std::borrow::Cow;
use std::fmt::Write;

use crate::yaml_text::{push_double_quoted, push_plain_or_quoted};
use crate::Item;

/// What an item suggests pasting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// The allowlist entry for the item's own key (`file`, `qualname`,
    /// `line`, `token`, `text` of a token-less line, `rule` when it is part
    /// of the key), with `count` when given.
    Entry { count: Option<usize> },
    /// Text given as it is (an inventory row).
    Text(Box<str>),
}

impl Item {
    /// The text of the item's suggestion, if it has one.
    pub fn suggestion_text(&self) -> Option<Cow<'_, str>> {
        match self.suggestion.as_ref()? {
            Suggestion::Text(text) => Some(Cow::Borrowed(text)),
            Suggestion::Entry { count } => Some(Cow::Owned(suggestion(&Suggested {
                file: &self.file,
                qualname: &self.qualname,
                line: self.line.unwrap_or_default(),
                token: &self.token,
                text: self.text.as_deref().filter(|_| self.token.is_empty()),
                rule: self.rule_in_key.then_some(&*self.rule),
                count: *count,
            }))),
        }
    }
}

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
    use crate::yaml_text::plain_or_quoted as scalar;
    use crate::Verdict;

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
    fn a_token_less_site_with_a_rule_suggests_text_and_rule() {
        let mut suggested = key("a.py", "f", 4, "", None);
        suggested.text = Some("\"\"\"Return the thing.");
        suggested.rule = Some("E501");
        assert_eq!(
            suggestion(&suggested),
            "- file: a.py\n  qualname: f\n  line: 4\n  token: \"\"\n  text: \"\\\"\\\"\\\"Return the thing.\"\n  rule: E501\n  rationale: \"TODO: why this site is accepted\""
        );
    }

    #[test]
    fn an_items_entry_is_spelled_from_its_own_key() {
        let mut item = Item::new(Verdict::Violation, "a.py", Some(4), "f", "");
        item.text = Some("\"\"\"Return the thing.".into());
        item.rule = "E501".into();
        item.rule_in_key = true;
        item.suggestion = Some(Suggestion::Entry { count: Some(2) });
        let mut expected = key("a.py", "f", 4, "", Some(2));
        expected.text = Some("\"\"\"Return the thing.");
        expected.rule = Some("E501");
        assert_eq!(
            item.suggestion_text().as_deref(),
            Some(&*suggestion(&expected))
        );
        // A rule that is only the gate's name is not part of the key; a
        // line with a token has no `text:`.
        let mut item = Item::new(Verdict::Violation, "a.py", Some(9), "f", "x ( )");
        item.text = Some("x()".into());
        item.rule = "gate".into();
        item.suggestion = Some(Suggestion::Entry { count: None });
        let expected = suggestion(&key("a.py", "f", 9, "x ( )", None));
        assert_eq!(item.suggestion_text().as_deref(), Some(&*expected));
        item.suggestion = Some(Suggestion::Text("| a | b |".into()));
        assert_eq!(item.suggestion_text().as_deref(), Some("| a | b |"));
        item.suggestion = None;
        assert_eq!(item.suggestion_text(), None);
    }

    #[test]
    fn paths_and_dotted_names_stay_plain() {
        assert_eq!(scalar("src/a-b/c_d.py"), "src/a-b/c_d.py");
        assert_eq!(scalar("Outer.inner"), "Outer.inner");
        assert_eq!(scalar("2fast.py"), "\"2fast.py\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
