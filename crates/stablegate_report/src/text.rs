//! Untrusted text made safe to print on a terminal or a CI log.
//!
//! Paths, tokens, messages and rationales come from the user's files. Written
//! raw, an escape sequence in them could recolour or rewrite the terminal, and
//! a bidirectional override could make a line read differently from what it
//! holds. Text formats (human, GitHub) pass every piece of user text through
//! here; serialised formats (JSON, SARIF, JUnit) escape by their own rules.
//! Printable characters, non-ASCII included, are kept as they are.

use std::borrow::Cow;

/// `text` on one line: control characters (line ends included, tabs not) and
/// bidirectional controls are written as escapes such as `\n` or `\u{1b}`.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Like [`one_line`], but line feeds are kept (a `\r` before one is dropped).
pub(crate) fn multi_line(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_text_is_kept_as_it_is() {
        assert!(matches!(one_line("x = ünïcode\t# ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_and_line_ends_become_visible() {
        assert_eq!(one_line("a\u{1b}[31mb\r\nc"), "a\\u{1b}[31mb\\r\\nc");
        assert_eq!(one_line("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn multi_line_keeps_line_feeds() {
        assert_eq!(multi_line("a\r\nb\nc\u{7}"), "a\nb\nc\\u{7}");
    }
}
