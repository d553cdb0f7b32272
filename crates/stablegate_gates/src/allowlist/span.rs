//! Byte spans of YAML nodes.
//!
//! Responsible for turning the YAML parser's positions (character indices)
//! into byte offsets of the original text, and for cutting a quoted scalar's
//! span at its closing quote: saphyr ends a quoted scalar where the scanner
//! stopped, which can include trailing blanks and a comment, and a surgical
//! rewrite must never swallow those. Not responsible for reading values.

use saphyr_parser::Marker;

use super::Span;

/// Character index → byte offset for one text.
pub(super) struct Offsets<'a> {
    text: &'a str,
    /// For every non-ASCII character: its character index and the byte
    /// offset just past it, in order. ASCII-only text keeps this empty.
    wide: Vec<(usize, usize)>,
}

impl<'a> Offsets<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let wide = text
            .char_indices()
            .enumerate()
            .filter(|(_, (_, ch))| !ch.is_ascii())
            .map(|(index, (byte, ch))| (index, byte + ch.len_utf8()))
            .collect();
        Offsets { text, wide }
    }

    /// The byte offset of character `index` (the text's length past its end).
    pub(super) fn byte(&self, index: usize) -> usize {
        let before = self
            .wide
            .partition_point(|&(wide_index, _)| wide_index < index);
        let byte = match before.checked_sub(1).and_then(|last| self.wide.get(last)) {
            None => index,
            Some(&(wide_index, after)) => after + (index - wide_index - 1),
        };
        byte.min(self.text.len())
    }

    /// The span from `start` to `end`.
    pub(super) fn span(&self, start: Marker, end: Marker) -> Span {
        let start_byte = self.byte(start.index());
        Span {
            start: start_byte,
            end: self.byte(end.index()).max(start_byte),
            line: start.line(),
            column: start.col(),
        }
    }

    /// The span of a scalar: quoted scalars end at their closing quote.
    pub(super) fn scalar_span(&self, start: Marker, end: Marker) -> Span {
        let mut span = self.span(start, end);
        if let Some(close) = closing_quote(self.text.as_bytes(), span.start) {
            span.end = close.min(span.end).max(span.start);
        }
        span
    }
}

/// The offset just past the quote closing the scalar that opens at `start`,
/// if a quote opens there. Quotes and backslashes are ASCII, so scanning
/// bytes never mistakes part of a multi-byte character for one.
fn closing_quote(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = *bytes.get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut index = start + 1;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'\\' if quote == b'"' => index += 2,
            b'\'' if quote == b'\'' && bytes.get(index + 1) == Some(&b'\'') => index += 2,
            _ if byte == quote => return Some(index + 1),
            _ => index += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_indices_become_byte_offsets() {
        let text = "aé😀b";
        let offsets = Offsets::new(text);
        let bytes: Vec<usize> = (0..5).map(|index| offsets.byte(index)).collect();
        assert_eq!(bytes, vec![0, 1, 3, 7, 8]);
        assert_eq!(offsets.byte(99), text.len());
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        let text = r#"k: "a\"b"  # c"#;
        assert_eq!(closing_quote(text.as_bytes(), 3), Some(9));
        let text = "k: 'it''s'  # c";
        assert_eq!(closing_quote(text.as_bytes(), 3), Some(10));
        assert_eq!(closing_quote(b"k: plain", 3), None);
        assert_eq!(closing_quote(b"k: \"open", 3), None);
    }
}
