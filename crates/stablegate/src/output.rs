//! Standard output: the key record format and the writer commands print to.
//!
//! Key records are a public format (format version 1): one JSON object
//! `{"file","line","qualname","token"}` in exactly that field order, `file`
//! root-relative and `/`-separated, `line` 1-based, `token` the line's code
//! tokens joined by one space (SPEC §2). `keys` prints one per line (JSON
//! Lines); `key --format json` prints one.
//!
//! A reader that goes away (`stablegate keys . | head`) is not an error: a
//! broken pipe ends output quietly, as ripgrep does. The exit code is decided
//! by what the command found, never by the pipe.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::error::Error;

/// The content key of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyRecord<'a> {
    pub file: &'a str,
    pub line: usize,
    pub qualname: &'a str,
    pub token: &'a str,
}

impl KeyRecord<'_> {
    /// Appends the record as one JSON line, byte for byte what serde_json
    /// writes for this struct (a test holds them equal).
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        KeyLines::new(self.file).write(out, self.line, self.qualname, self.token);
    }
}

/// The key records of one file, each byte for byte what serde_json writes
/// for its [`KeyRecord`] (tests hold them equal), with the escaped
/// file written once per file and each qualname once per run of lines that
/// share it: every record of a file repeats the file, and most repeat the
/// qualname of the line before.
pub struct KeyLines {
    /// `{"file":"…","line":`
    head: Vec<u8>,
    /// The qualname last written, and `,"qualname":"…","token":` for it.
    qualname: String,
    middle: Vec<u8>,
}

impl KeyLines {
    pub fn new(file: &str) -> Self {
        let mut head = b"{\"file\":".to_vec();
        write_json_string(&mut head, file);
        head.extend_from_slice(b",\"line\":");
        let mut lines = KeyLines {
            head,
            qualname: String::new(),
            middle: Vec::new(),
        };
        lines.set_qualname("");
        lines
    }

    fn set_qualname(&mut self, qualname: &str) {
        self.qualname.clear();
        self.qualname.push_str(qualname);
        self.middle.clear();
        self.middle.extend_from_slice(b",\"qualname\":");
        write_json_string(&mut self.middle, qualname);
        self.middle.extend_from_slice(b",\"token\":");
    }

    /// Appends the record of one line of the file.
    pub fn write(&mut self, out: &mut Vec<u8>, line: usize, qualname: &str, token: &str) {
        if qualname != self.qualname {
            self.set_qualname(qualname);
        }
        out.extend_from_slice(&self.head);
        write_decimal(out, line);
        out.extend_from_slice(&self.middle);
        write_json_string(out, token);
        out.extend_from_slice(b"}\n");
    }
}

/// Appends `n` in decimal without allocating.
fn write_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A JSON string literal with serde_json's escapes: `\"`, `\\`, the short
/// forms of control characters, `\u00XX` (lowercase hex) for the others.
fn write_json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Keys hold no string literals, so nearly every value needs no escape:
    // test 16 bytes at a time without branching (the fold vectorises), and
    // copy the value whole.
    let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let clean =
        (bytes.chunks(16)).all(|chunk| !chunk.iter().fold(false, |any, &b| any | special(b)));
    if clean {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Buffered standard output, or nothing with `--quiet`.
pub fn stdout(quiet: bool) -> Box<dyn Write> {
    if quiet {
        Box::new(io::sink())
    } else {
        // Large writes: `keys` prints hundreds of megabytes on big trees.
        Box::new(BufWriter::with_capacity(1 << 18, io::stdout().lock()))
    }
}

/// Maps the outcome of writing: a broken pipe is a quiet end, any other
/// failure an error.
pub fn written(result: io::Result<()>) -> Result<(), Error> {
    match result {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(Error::Output(err)),
        Ok(()) | Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_records_keep_their_field_order_and_escape_json() {
        let record = KeyRecord {
            file: "src/a.py",
            line: 3,
            qualname: "A.f",
            token: "x = \"",
        };
        let mut out = Vec::new();
        record.write_json_line(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"file\":\"src/a.py\",\"line\":3,\"qualname\":\"A.f\",\"token\":\"x = \\\"\"}\n"
        );
    }

    #[test]
    fn key_lines_are_byte_identical_to_serde_json_line_after_line() {
        let tricky = "a \"q\" \\ \n\t\u{1f} é";
        for file in ["src/a.py", tricky, ""] {
            let mut lines = KeyLines::new(file);
            let (mut ours, mut expected) = (Vec::new(), Vec::new());
            for (line, qualname, token) in [
                (1, "<module>", "import os"),
                (2, "<module>", ""),
                (7, "A.f", tricky),
                (8, "A.f", "x = 1"),
                (9, "", "y"),
                (12, "<module>", "z"),
            ] {
                lines.write(&mut ours, line, qualname, token);
                let record = KeyRecord {
                    file,
                    line,
                    qualname,
                    token,
                };
                serde_json::to_writer(&mut expected, &record).unwrap();
                expected.push(b'\n');
            }
            assert_eq!(String::from_utf8(ours), String::from_utf8(expected));
        }
    }

    #[test]
    fn key_records_are_byte_identical_to_serde_json() {
        let tricky = "a \"q\" \\ \n\t\r\u{8}\u{c}\u{0}\u{1f}\u{7f} é ℌ 😀 </script>";
        for (file, qualname, token) in [
            ("src/a.py", "A.f", "x = 1"),
            (tricky, tricky, tricky),
            ("", "<module>", ""),
            // A byte to escape past the first 16, and at the very end.
            (
                "abcdefghijklmnopqrstuvwxyz\"",
                "0123456789abcdef\\",
                "0123456789abcdefg\u{1}",
            ),
        ] {
            let record = KeyRecord {
                file,
                line: 123_456,
                qualname,
                token,
            };
            let mut ours = Vec::new();
            record.write_json_line(&mut ours);
            let mut expected = serde_json::to_vec(&record).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn a_broken_pipe_is_not_an_error_but_a_full_disk_is() {
        assert!(written(Err(io::Error::from(io::ErrorKind::BrokenPipe))).is_ok());
        assert!(written(Err(io::Error::other("disk full"))).is_err());
    }
}
