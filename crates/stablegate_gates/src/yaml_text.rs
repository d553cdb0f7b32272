//! YAML scalar text for values stablegate writes into allowlists: the one
//! rule shared by the suggestion `check` prints and the entries `allow` and
//! `convert` write, so the two can never disagree.

use std::fmt::Write;

/// `text` as a plain scalar when that is unambiguous (path and identifier
/// characters, not starting with a digit, `-` or `.`, not a YAML keyword),
/// else double-quoted.
pub(crate) fn plain_or_quoted(text: &str) -> String {
    let plain_char =
        |ch: char| ch.is_alphanumeric() || matches!(ch, '_' | '.' | '/' | '-' | '<' | '>');
    let plain = text
        .chars()
        .next()
        .is_some_and(|first| !first.is_ascii_digit() && first != '-' && first != '.')
        && text.chars().all(plain_char)
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        text.to_owned()
    } else {
        double_quoted(text)
    }
}

/// A YAML double-quoted scalar: backslash and quote escaped, and every
/// character YAML does not allow printed raw written as an escape.
pub(crate) fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
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
    out
}
