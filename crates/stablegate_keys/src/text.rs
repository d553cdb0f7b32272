//! Line arithmetic and whitespace normalisation shared by the non-Python
//! key builders ([`crate::plain`] and [`crate::syntax`]).
//!
//! Lines are counted the way the Python keys count them: a final line without
//! a newline counts, an empty text has no line. Whitespace is Unicode
//! `White_Space` (what `str::split_whitespace` splits on), so a form feed or a
//! no-break space separates words like a space does.

/// Number of lines of newline-normalised text.
pub(crate) fn line_count(text: &str) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Appends `piece` to `out` with runs of whitespace collapsed to one space
/// and both ends trimmed. Returns whether anything was appended.
pub(crate) fn push_collapsed(out: &mut String, piece: &str) -> bool {
    // Most pieces are one word: copy them without splitting.
    if piece.bytes().all(|b| b.is_ascii_graphic()) {
        out.push_str(piece);
        return !piece.is_empty();
    }
    let before = out.len();
    for (i, word) in piece.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.len() > before
}

/// `piece` with runs of whitespace collapsed to one space and trimmed.
pub(crate) fn collapse(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    push_collapsed(&mut out, piece);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_like_the_python_keys_count_them() {
        assert_eq!(line_count(""), 0);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 1);
        assert_eq!(line_count("a\n\nb"), 3);
        assert_eq!(line_count("\n"), 1);
    }

    #[test]
    fn whitespace_runs_collapse_to_one_space() {
        assert_eq!(collapse("  a \t b\u{a0}\u{c}c  "), "a b c");
        assert_eq!(collapse(" \n "), "");
        assert_eq!(collapse("x"), "x");
    }
}
