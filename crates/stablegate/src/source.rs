//! Reading one source file into its content keys.
//!
//! The bytes are read whole, decoded by [`stablegate_keys::decode_source`]
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
            SourceFileError::NotFound | SourceFileError::Directory | SourceFileError::Read(_) => {
                None
            }
        }
    }
}

/// Reads and keys the file at `path`, in the key language of its extension
/// (Python, a tree-sitter language, or plain text).
pub fn read_keys(path: &Path) -> Result<FileKeys, SourceFileError> {
    let bytes = std::fs::read(path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => SourceFileError::NotFound,
        _ if path.is_dir() => SourceFileError::Directory,
        _ => SourceFileError::Read(err),
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
