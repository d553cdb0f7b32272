//! Reading one source file into its content keys.
//!
//! The bytes are read whole (a regular file only, of a bounded size: a FIFO
//! would block `keys` forever), decoded by [`stablegate_keys::decode_source`]
//! and keyed by [`stablegate_keys::python_keys`]: every file stablegate keys
//! today is Python (SPEC §2.1). Problems are returned, never printed: the
//! caller decides whether one bad file ends the command (`key`) or is
//! reported while the others go on (`keys`).

use std::io;
use std::path::Path;

use stablegate_keys::{FileKeys, SourceError};

/// Why a file could not be keyed.
#[derive(Debug, thiserror::Error)]
pub enum SourceFileError {
    #[error("no such file")]
    NotFound,
    #[error("is a directory, not a file")]
    Directory,
    /// A FIFO, device or socket: reading it could block forever or never
    /// end (SPEC §12.6).
    #[error("is {0}, not a regular file")]
    Special(&'static str),
    #[error("is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("cannot read: {0}")]
    Read(io::Error),
    #[error("not valid UTF-8")]
    NotUtf8 { line: usize },
}

impl SourceFileError {
    /// The line the problem is on, when it is on one.
    pub fn line(&self) -> Option<usize> {
        match self {
            SourceFileError::NotUtf8 { line } => Some(*line),
            SourceFileError::NotFound
            | SourceFileError::Directory
            | SourceFileError::Special(_)
            | SourceFileError::TooLarge { .. }
            | SourceFileError::Read(_) => None,
        }
    }
}

/// Reads and keys the file at `path`, in the key language of its extension
/// (Python, a tree-sitter language, or plain text).
pub fn read_keys(path: &Path) -> Result<FileKeys, SourceFileError> {
    use stablegate_io::read::{regular, ReadError, REPORT_LIMIT};
    let bytes = regular(path, REPORT_LIMIT).map_err(|err| match err {
        ReadError::NotFound => SourceFileError::NotFound,
        ReadError::NotRegular("a directory") => SourceFileError::Directory,
        ReadError::NotRegular(kind) => SourceFileError::Special(kind),
        ReadError::TooLarge { limit } => SourceFileError::TooLarge { limit },
        ReadError::Io(err) => SourceFileError::Read(err),
        // `regular` takes the path as given: no root check to fail.
        other @ (ReadError::OutsideRoot { .. } | ReadError::NotRelative) => {
            SourceFileError::Read(io::Error::other(other.to_string()))
        }
    })?;
    let text = stablegate_keys::decode_source(&bytes).map_err(|err| match err {
        SourceError::NotUtf8 { line } => SourceFileError::NotUtf8 { line },
    })?;
    let language = stablegate_keys::Language::from_path(&path.to_string_lossy());
    Ok(stablegate_keys::keys_for(language, &text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_not_a_source_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_keys(dir.path()),
            Err(SourceFileError::Directory)
        ));
        let missing = dir.path().join("missing.py");
        assert!(matches!(
            read_keys(&missing),
            Err(SourceFileError::NotFound)
        ));
    }

    #[test]
    fn non_utf8_bytes_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.py");
        std::fs::write(&path, b"x = 1\ny = '\xff'\n").unwrap();
        let err = read_keys(&path).unwrap_err();
        assert_eq!(err.line(), Some(2));
    }
}
