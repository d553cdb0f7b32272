//! Sealing an attempt (SPEC §10.3): the attestation over every file, the
//! manifest over every file and the attestation, then every file and
//! directory made read-only.
//!
//! The manifest is created with create-new semantics, so an attempt is
//! sealed once. A FIFO, device or socket in the attempt (only a command can
//! put one there) is not opened, so it cannot hang the seal; it is left out
//! of the manifest, and `evidence verify` reports it. Read-only bits keep honest tools and people from editing
//! evidence by accident; they stop nothing run as root, which is why
//! `evidence verify` relies on the hashes alone.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::attestation::{self, ATTESTATION};
use crate::error::ReleaseError;
use crate::files;
use crate::manifest::{self, MANIFEST};
use crate::state::State;

/// Seals `dir`; returns the number of files the manifest lists.
pub fn seal(dir: &Path) -> Result<usize, ReleaseError> {
    if dir.join(MANIFEST).exists() {
        return Err(ReleaseError::Corrupt {
            path: dir.join(MANIFEST),
            message: "the attempt is sealed already".to_owned(),
        });
    }
    let paths = manifest::files(dir)?;
    // A FIFO, device or socket a command left in the attempt cannot be
    // hashed without blocking: it is left out, and `evidence verify`
    // reports it.
    let (mut hashes, _special) = manifest::hash_regular(dir, &paths)?;
    // A dead process may leave an attempt without a readable state: it is
    // still sealed, with the verdict `unknown`.
    let state = State::read(dir).ok();
    let statement = attestation::statement(&hashes, state.as_ref());
    let bytes = attestation::render(&statement)?;
    let path = dir.join(ATTESTATION);
    files::write_new(&path, &bytes)?;
    hashes.insert(ATTESTATION.to_owned(), manifest::hash_file(&path)?);
    files::write_new(&dir.join(MANIFEST), manifest::render(&hashes).as_bytes())?;
    make_read_only(dir)?;
    Ok(hashes.len())
}

/// Files `0444`, directories `0555`, children before their directory.
fn make_read_only(dir: &Path) -> Result<(), ReleaseError> {
    for entry in fs::read_dir(dir).map_err(ReleaseError::io(dir))? {
        let entry = entry.map_err(ReleaseError::io(dir))?;
        let kind = entry.file_type().map_err(ReleaseError::io(entry.path()))?;
        if kind.is_dir() {
            make_read_only(&entry.path())?;
        } else if kind.is_file() {
            set_mode(&entry.path(), 0o444)?;
        }
    }
    set_mode(dir, 0o555)
}

fn set_mode(path: &Path, mode: u32) -> Result<(), ReleaseError> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(ReleaseError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_lists_every_file_and_makes_the_tree_read_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let attempt = dir.path().join("v1-attempt1");
        fs::create_dir_all(attempt.join("runs")).unwrap();
        fs::write(attempt.join("runs/run-1.json"), b"{}").unwrap();
        fs::write(attempt.join("state.json"), b"{}").unwrap();
        assert_eq!(seal(&attempt).unwrap(), 3);
        let text = fs::read_to_string(attempt.join(MANIFEST)).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains(&format!("  {ATTESTATION}\n")));
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&attempt.join("runs/run-1.json")), 0o444);
        assert_eq!(mode(&attempt.join("runs")), 0o555);
        assert_eq!(mode(&attempt), 0o555);
        fs::set_permissions(&attempt, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(
            seal(&attempt).is_err(),
            "a second seal must not replace the manifest"
        );
        fs::set_permissions(attempt.join("runs"), fs::Permissions::from_mode(0o755)).unwrap();
    }
}
