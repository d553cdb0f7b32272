//! How the evidence is written: new files are created, never replaced; the
//! two documents that change (`state.json`, `latest.json`) are replaced
//! atomically.
//!
//! Create-new (`O_EXCL`) is what makes "never overwritten" hold even against
//! a bug elsewhere: writing an existing evidence file fails instead of
//! destroying it. Atomic replacement (temporary file + `fsync` + rename)
//! means a reader, or a process killed mid-write, never sees half a state.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::ReleaseError;

/// Creates `path` (and its parent directories) with `bytes`; fails if it
/// exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ReleaseError> {
    let mut file = create_new(path)?;
    file.write_all(bytes).map_err(ReleaseError::io(path))?;
    Ok(())
}

/// Opens a new file for writing, creating parent directories; fails if it
/// exists.
pub fn create_new(path: &Path) -> Result<File, ReleaseError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(ReleaseError::io(parent))?;
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(ReleaseError::io(path))
}

/// Replaces `path` with `bytes` atomically: a reader sees the old or the new
/// document, never a mix.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), ReleaseError> {
    let name = path
        .file_name()
        .map_or_else(Default::default, |name| name.to_string_lossy());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = create_new(&temp)?;
    file.write_all(bytes).map_err(ReleaseError::io(&temp))?;
    file.sync_all().map_err(ReleaseError::io(&temp))?;
    fs::rename(&temp, path).map_err(ReleaseError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
