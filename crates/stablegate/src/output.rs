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
    /// Appends the record as one JSON line.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        // Serializing plain strings and integers into a Vec cannot fail.
        if serde_json::to_writer(&mut *out, self).is_ok() {
            out.push(b'\n');
        }
    }
}

/// Buffered standard output, or nothing with `--quiet`.
pub fn stdout(quiet: bool) -> Box<dyn Write> {
    if quiet {
        Box::new(io::sink())
    } else {
        Box::new(BufWriter::new(io::stdout().lock()))
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
    fn a_broken_pipe_is_not_an_error_but_a_full_disk_is() {
        assert!(written(Err(io::Error::from(io::ErrorKind::BrokenPipe))).is_ok());
        assert!(written(Err(io::Error::other("disk full"))).is_err());
    }
}
