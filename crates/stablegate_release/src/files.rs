//! How the evidence is written and read back: new files are created, never
//! replaced; the two documents that change (`state.json`, `latest.json`) are
//! replaced atomically; reads take regular files only, up to a size limit.
//!
//! The work is [`stablegate_io`]'s (one atomic-write helper and one safe
//! reader for the workspace); this module only names the file in the
//! error. Create-new (`O_EXCL`) is what makes "never overwritten" hold even
//! against a bug elsewhere: writing an existing evidence file fails instead
//! of destroying it. Atomic replacement (temporary file + `fsync` + rename)
//! means a reader, or a process killed mid-write, never sees half a state.
//! A JSON document that cannot be serialized is an error, never an empty
//! file. Every file written here is hashed from the bytes written, for the
//! evidence ledger ([`crate::ledger`]).

use std::fs::File;
use std::path::Path;

use serde::Serialize;
use stablegate_io::{atomic, read};

use crate::error::ReleaseError;
use crate::ledger;

/// The largest evidence document read whole (state, run results, records):
/// 64 MiB, far beyond anything stablegate writes.
pub const DOCUMENT_LIMIT: u64 = read::TEXT_LIMIT;

/// Creates `path` (and its parent directories) with `bytes`; fails if it
/// exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ReleaseError> {
    atomic::write_new(path, bytes).map_err(ReleaseError::io(path))?;
    ledger::written(path, bytes);
    Ok(())
}

/// Opens a new file for writing, creating parent directories; fails if it
/// exists.
pub fn create_new(path: &Path) -> Result<File, ReleaseError> {
    atomic::create_new(path).map_err(ReleaseError::io(path))
}

/// Replaces `path` with `bytes` atomically: a reader sees the old or the new
/// document, never a mix.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), ReleaseError> {
    atomic::replace(path, bytes).map_err(ReleaseError::io(path))?;
    ledger::written(path, bytes);
    Ok(())
}

/// A document as written: pretty JSON with a final newline. `path` names
/// the file in the error.
pub fn json(path: &Path, value: &impl Serialize) -> Result<Vec<u8>, ReleaseError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|err| ReleaseError::Corrupt {
        path: path.to_owned(),
        message: format!("cannot be written as JSON: {err}"),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The bytes of a regular file of at most [`DOCUMENT_LIMIT`] bytes; a FIFO,
/// a device or a directory is refused without blocking.
pub fn read(path: &Path) -> Result<Vec<u8>, ReleaseError> {
    read::regular(path, DOCUMENT_LIMIT).map_err(|err| ReleaseError::Unreadable {
        path: path.to_owned(),
        source: err,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn write_new_refuses_an_existing_file_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/run-1.json");
        write_new(&path, b"first").unwrap();
        assert!(write_new(&path, b"second").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"first");
    }

    #[test]
    fn replace_swaps_the_whole_document_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        replace(&path, b"one").unwrap();
        replace(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_document_that_is_not_json_serializable_is_an_error() {
        let map = std::collections::HashMap::from([((1, 2), 3)]);
        let err = json(Path::new("x.json"), &map).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("x.json: cannot be written as JSON"));
    }
}
