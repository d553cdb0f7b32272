//! The value of a table cell as compared, and a value written back as a
//! cell (for the row to paste).
//!
//! A cell is compared after two undos (SPEC §8): a cell that is one code
//! span (`` `x` ``, ``` `` x `` ```) loses its backticks (and, as in
//! CommonMark, one space on each side when both are there), and `\|`
//! becomes `|`. Nothing else is unescaped: other backslashes, emphasis and
//! links stay as written, so a cell that is not plain text does not match
//! by accident.

/// The compared value of a cell's source text.
pub fn value(raw: &str) -> String {
    let raw = raw.trim();
    let inner = code_span(raw).unwrap_or(raw);
    inner.replace("\\|", "|")
}

/// Whether the cell is written as one code span.
pub fn is_code(raw: &str) -> bool {
    code_span(raw.trim()).is_some()
}

fn code_span(raw: &str) -> Option<&str> {
    let ticks = raw.len() - raw.trim_start_matches('`').len();
    if ticks == 0 || raw.len() <= 2 * ticks {
        return None;
    }
    let inner = raw.strip_suffix(&raw[..ticks])?;
    let inner = &inner[ticks..];
    if inner.ends_with('`') || inner.contains(&raw[..ticks]) {
        return None;
    }
    let both = inner.starts_with(' ') && inner.ends_with(' ') && inner.trim() != "";
    Some(if both {
        &inner[1..inner.len() - 1]
    } else {
        inner
    })
}

/// `text` written as a cell: `|` escaped, in a code span when `code`.
pub fn write(text: &str, code: bool) -> String {
    let escaped = text.replace('|', "\\|");
    if !code || text.is_empty() {
        return escaped;
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    if longest > 0 {
        format!("{ticks} {escaped} {ticks}")
    } else {
        format!("{ticks}{escaped}{ticks}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_and_escaped_pipes_are_undone() {
        assert_eq!(value(" `a . b ( x )` "), "a . b ( x )");
        assert_eq!(value("`x \\| y`"), "x | y");
        assert_eq!(value("a \\| b"), "a | b");
        assert_eq!(value("`` a ` b ``"), "a ` b");
        assert_eq!(value("`a` and `b`"), "`a` and `b`");
        assert_eq!(value("plain"), "plain");
        assert!(is_code("`x`") && !is_code("x") && !is_code("``"));
    }

    #[test]
    fn written_cells_read_back_to_their_value() {
        for (text, code) in [
            ("a | b", true),
            ("a | b", false),
            ("x ` y", true),
            ("", true),
        ] {
            assert_eq!(value(&write(text, code)), text, "{text:?}");
        }
    }
}
