//! YAML scalar text for values stablegate writes into allowlists: the one
//! rule shared by the suggestion `check` prints and the entries `allow` and
//! `convert` write, so the two can never disagree.

use std::fmt::Write;

/// `text` as a plain scalar when that is unambiguous (path and identifier
/// characters, not starting with a digit, `-` or `.`, not a YAML keyword),
/// else double-quoted.
pub fn plain_or_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_plain_or_quoted(&mut out, text);
    out
}

/// [`plain_or_quoted`], appended to `out` (suggestions are built in one
/// buffer: `check` writes one per violation).
pub fn push_plain_or_quoted(out: &mut String, text: &str) {
    let plain_char =
        |ch: char| ch.is_alphanumeric() || matches!(ch, '_' | '.' | '/' | '-' | '<' | '>');
    let keywords = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    let plain = text
        .chars()
        .next()
        .is_some_and(|first| !first.is_ascii_digit() && first != '-' && first != '.')
        && text.chars().all(plain_char)
        && !keywords
            .iter()
            .any(|keyword| text.eq_ignore_ascii_case(keyword));
    if plain {
        out.push_str(text);
    } else {
        push_double_quoted(out, text);
    }
}

/// A YAML double-quoted scalar: backslash and quote escaped, and every
/// character YAML does not allow printed raw written as an escape.
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_double_quoted(&mut out, text);
    out
}

/// [`double_quoted`], appended to `out`.
pub fn push_double_quoted(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                let _ = write!(out, "\\x{:02X}", u32::from(ch));
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(ch));
            }
            _ => out.push(ch),
        }
    }
    out.push('"');
}
