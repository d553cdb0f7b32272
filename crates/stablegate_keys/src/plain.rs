//! Plain-text keys (SPEC §12.1) for files of languages without a grammar:
//! YAML, Markdown, shell, Dockerfiles, anything a `command` or `sarif` gate
//! reports on.
//!
//! Every line with a non-whitespace character has a key: its text with runs
//! of whitespace collapsed to one space and trimmed; every qualname is
//! `<module>`. Nothing is tokenized, so no character of the text (a `#`, a
//! quote) can cut or hide part of a key.

use crate::text::{line_count, push_collapsed};
use crate::FileKeys;

/// The plain-text keys of a newline-normalised text.
pub fn plain_keys(text: &str) -> FileKeys {
    let mut joined = String::with_capacity(text.len());
    let mut spans = Vec::with_capacity(line_count(text));
    for line in text.lines() {
        let start = joined.len();
        let span = push_collapsed(&mut joined, line).then_some((start as u32, joined.len() as u32));
        spans.push(span);
    }
    let lines = spans.len();
    FileKeys::from_lines(joined, spans, vec![u32::MAX; lines], Vec::new(), true)
}

/// The plain-text key of one line: its text with runs of whitespace
/// collapsed to one space and trimmed (SPEC §12.1). It is also the `text`
/// that tells apart lines without a code token in any language (SPEC §12.7).
pub fn plain_text_key(line: &str) -> String {
    crate::text::collapse(line)
}

/// The canonical form of a plain-text token: whitespace collapsed and trimmed.
pub fn plain_canonical(token: &str) -> String {
    crate::text::collapse(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_non_blank_line_is_keyed_whole_at_module_level() {
        let keys = plain_keys("key:  value # not a comment\n\n  \t\n- 'a'   \"b\"\n");
        let got: Vec<_> = keys.keys().map(|k| (k.line, k.qualname, k.token)).collect();
        assert_eq!(
            got,
            vec![
                (1, "<module>", "key: value # not a comment"),
                (4, "<module>", "- 'a' \"b\""),
            ]
        );
        assert_eq!(keys.line_count(), 4);
        assert!(keys.parses());
    }

    #[test]
    fn canonical_form_collapses_whitespace() {
        assert_eq!(plain_canonical("  a\t\tb "), "a b");
        assert_eq!(plain_canonical("a b"), "a b");
    }
}
