//! Byte surgery on an allowlist's text: splices at parsed offsets, line
//! breaks, and the layout facts an insertion has to copy.
//!
//! Responsible for applying a set of non-overlapping replacements in one pass
//! (every byte outside them is copied as it was), for finding the line break
//! a file uses (`\r\n` files stay `\r\n`) and for reading the indentation and
//! flow/block context around a parsed node. Not responsible for deciding what
//! to write (the command modules) or for checking the result (`verify`).

use std::ops::Range;

use super::error::EditError;

/// Replace `range` of the original text with `text` (an insertion when the
/// range is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

impl Splice {
    pub(super) fn insert(at: usize, text: String) -> Self {
        Splice {
            range: at..at,
            text,
        }
    }
}

/// The text with every splice applied. Splices at the same offset keep
/// their given order; overlapping ones, or ones that cut a character, are a
/// bug of the caller and refused rather than guessed at.
pub(super) fn apply(path: &str, text: &str, splices: &[Splice]) -> Result<String, EditError> {
    let mut order: Vec<&Splice> = splices.iter().collect();
    order.sort_by_key(|splice| (splice.range.start, splice.range.end));
    let mut out =
        String::with_capacity(text.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut copied = 0;
    for splice in order {
        let Range { start, end } = splice.range.clone();
        let valid = copied <= start
            && start <= end
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            return Err(EditError::Unsafe {
                path: path.to_owned(),
                reason: format!("overlapping or misplaced edits at byte {start}"),
            });
        }
        out.push_str(&text[copied..start]);
        out.push_str(&splice.text);
        copied = end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// The line break the file uses: its first one, else `\n`.
pub(super) fn line_break(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(at) if text[at..].starts_with("\r\n") => "\r\n",
        Some(at) if text[at..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// The offset just past the line break ending the line that holds `offset`
/// (the end of the text on the last line).
pub(super) fn next_line(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    match text[offset..].find(['\n', '\r']) {
        None => text.len(),
        Some(found) => {
            let at = offset + found;
            if text[at..].starts_with("\r\n") {
                at + 2
            } else {
                at + 1
            }
        }
    }
}

/// The offset where the line holding `offset` starts.
pub(super) fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset].rfind(['\n', '\r']).map_or(0, |at| at + 1)
}

/// Whether an insertion at `offset` needs a line break first: it is at the
/// end of a text whose last line is not terminated.
pub(super) fn needs_break(text: &str, offset: usize) -> bool {
    offset == text.len() && !text.is_empty() && !text.ends_with(['\n', '\r'])
}

/// The last byte before `offset` that is not a blank or a line break, with
/// its offset. Comments are not skipped: callers use this where a comment
/// cannot sit (between a dash or bracket and the node it introduces).
pub(super) fn previous_mark(text: &str, offset: usize) -> Option<(usize, u8)> {
    let bytes = text.as_bytes();
    let mut at = offset.min(bytes.len());
    while at > 0 {
        at -= 1;
        match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            byte => return Some((at, byte)),
        }
    }
    None
}

/// The offset of the first byte at or after `offset` that is not a blank, a
/// line break or part of a comment, and that byte.
pub(super) fn next_mark(text: &str, offset: usize) -> Option<(usize, u8)> {
    let bytes = text.as_bytes();
    let mut at = offset;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => at += 1,
            b'#' => at = next_line(text, at),
            _ => return Some((at, byte)),
        }
    }
    None
}

/// The column (in bytes, which for indentation is in spaces) of `offset`.
pub(super) fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_replace_and_insert_and_keep_everything_else() {
        let text = "a: 1 # one\nb: 2\n";
        let splices = [
            Splice {
                range: 3..4,
                text: "10".to_owned(),
            },
            Splice::insert(16, "c: 3\n".to_owned()),
        ];
        assert_eq!(
            apply("x", text, &splices).unwrap(),
            "a: 10 # one\nb: 2\nc: 3\n"
        );
    }

    #[test]
    fn overlapping_splices_are_refused() {
        let splices = [
            Splice {
                range: 0..3,
                text: String::new(),
            },
            Splice {
                range: 2..4,
                text: String::new(),
            },
        ];
        assert!(apply("x", "abcdef", &splices).is_err());
        let cut = [Splice::insert(1, "x".to_owned())];
        assert!(apply("x", "é", &cut).is_err());
    }

    #[test]
    fn the_files_line_break_is_its_first_one() {
        assert_eq!(line_break("a\r\nb\n"), "\r\n");
        assert_eq!(line_break("a\nb\r\n"), "\n");
        assert_eq!(line_break("a\rb"), "\r");
        assert_eq!(line_break("a"), "\n");
    }

    #[test]
    fn lines_end_after_their_break() {
        let text = "ab\r\ncd\nef";
        assert_eq!(next_line(text, 0), 4);
        assert_eq!(next_line(text, 4), 7);
        assert_eq!(next_line(text, 8), 9);
        assert_eq!(line_start(text, 5), 4);
        assert!(needs_break(text, 9));
        assert!(!needs_break("a\n", 2));
        assert!(!needs_break("", 0));
    }

    #[test]
    fn marks_skip_blanks_and_comments() {
        let text = "k: [ # c\n  x ]";
        assert_eq!(previous_mark(text, 3), Some((1, b':')));
        assert_eq!(next_mark(text, 4), Some((11, b'x')));
        assert_eq!(column(text, 11), 2);
    }
}
