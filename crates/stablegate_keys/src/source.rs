//! Decoding source bytes into the text keys are computed from.
//!
//! The reference reads a file as UTF-8 (one leading BOM dropped) with universal
//! newlines: `\r\n` and a lone `\r` both become `\n`, exactly as Python's text
//! I/O does. Line numbers everywhere in stablegate count lines of this text.

use std::borrow::Cow;

/// Why bytes could not be decoded as Python source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The bytes are not UTF-8; `line` is the 1-based line of the first bad byte.
    #[error("not valid UTF-8 (line {line})")]
    NotUtf8 { line: usize },
}

/// Decodes UTF-8 source, drops a leading BOM and normalises line ends to `\n`.
pub fn decode_source(bytes: &[u8]) -> Result<Cow<'_, str>, SourceError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let line = 1 + bytes[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(SourceError::NotUtf8 { line });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_are_normalised_and_bom_dropped() {
        let text = decode_source(b"\xef\xbb\xbfa\r\nb\rc\n").unwrap();
        assert_eq!(text, "a\nb\nc\n");
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        assert_eq!(
            decode_source(b"a\nb\n\xff\n"),
            Err(SourceError::NotUtf8 { line: 3 })
        );
    }
}
