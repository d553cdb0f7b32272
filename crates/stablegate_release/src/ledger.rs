//! The evidence ledger (SPEC §12.6): the SHA-256 of every evidence file,
//! taken when the file is written and kept in `state.json` (`evidence`:
//! attempt-relative path → hash).
//!
//! A command of the attempt (a scenario of run 3, a probe, a hook) can
//! write anywhere in the attempt directory until the seal, so the seal's
//! manifest alone would bless a `single/run-1.json` rewritten after it was
//! written. The hash taken at write time is what the seal and
//! `evidence verify` compare against instead:
//!
//! - every file stablegate writes ([`crate::files::write_new`],
//!   [`crate::files::replace`]) is hashed from the bytes written, at once;
//! - a command's output (its logs, a result file, a JUnit report, anything
//!   it left in the attempt) is hashed when the command ends, by a sweep of
//!   the files not recorded yet ([`sweep`]);
//! - hashes taken between two writes of `state.json` wait here, in memory
//!   ([`pending`]), and move into the state at its next write.
//!
//! `state.json` itself is never recorded: it changes at every transition,
//! and the manifest covers it once sealed. A FIFO, device or socket is not
//! recorded (it cannot be hashed without blocking; `evidence verify` reports
//! it). Before an attempt is recorded `COMPLETE`, [`changed`] compares every
//! recorded hash with the file on disk; a difference stops the attempt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};

use crate::error::ReleaseError;
use crate::manifest;
use crate::state::STATE_FILE;

/// Attempt-relative path → lowercase hex SHA-256.
pub type Recorded = BTreeMap<String, String>;

/// Hashes taken since the state last took them: absolute path → hash.
static PENDING: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());

/// Records the hash of `bytes`, just written to `path`.
pub fn written(path: &Path, bytes: &[u8]) {
    let hash = manifest::hex(&Sha256::digest(bytes));
    pending().insert(path.to_owned(), hash);
}

fn pending() -> std::sync::MutexGuard<'static, BTreeMap<PathBuf, String>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Moves the hashes taken for files under `dir` into `recorded` (keys made
/// relative to `dir`); `state.json` is left out.
pub fn take(dir: &Path, recorded: &mut Recorded) {
    let mut pending = pending();
    let under: Vec<PathBuf> = pending
        .keys()
        .filter(|path| path.starts_with(dir))
        .cloned()
        .collect();
    for path in under {
        let Some(hash) = pending.remove(&path) else {
            continue;
        };
        if let Some(relative) = relative(dir, &path).filter(|r| r != STATE_FILE) {
            recorded.insert(relative, hash);
        }
    }
}

fn relative(dir: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Records every file under `dir` that is not recorded yet (what a command
/// that just ended left): regular files and symlinks, hashed as the
/// manifest hashes them.
pub fn sweep(dir: &Path, recorded: &mut Recorded) -> Result<(), ReleaseError> {
    take(dir, recorded);
    let new: Vec<String> = manifest::files(dir)?
        .into_iter()
        .filter(|path| path != STATE_FILE && !recorded.contains_key(path))
        .collect();
    let (hashes, _special) = manifest::hash_regular(dir, &new)?;
    recorded.extend(hashes);
    Ok(())
}

/// Every recorded file that is no longer what it was when written, as
/// `path: …` findings (empty: all intact). `hashes` are the files' hashes
/// now (the ones missing are removed files).
pub fn compare(recorded: &Recorded, hashes: &manifest::Hashes) -> Vec<String> {
    recorded
        .iter()
        .filter_map(|(path, hash)| match hashes.get(path) {
            None => Some(format!("{path}: removed after it was written")),
            Some(now) if now != hash => Some(format!(
                "{path}: changed after it was written (sha256 {hash} → {now})"
            )),
            Some(_) => None,
        })
        .collect()
}

/// [`compare`] against the files under `dir` now.
pub fn changed(dir: &Path, recorded: &Recorded) -> Result<Vec<String>, ReleaseError> {
    let present: Vec<String> = manifest::files(dir)?
        .into_iter()
        .filter(|path| recorded.contains_key(path))
        .collect();
    let (hashes, _special) = manifest::hash_regular(dir, &present)?;
    Ok(compare(recorded, &hashes))
}

/// Renames recorded paths after `from` (a file or a directory, relative)
/// was moved to `to`.
pub fn moved(recorded: &mut Recorded, from: &str, to: &str) {
    let inside = format!("{from}/");
    let keys: Vec<String> = recorded
        .keys()
        .filter(|key| *key == from || key.starts_with(&inside))
        .cloned()
        .collect();
    for key in keys {
        if let Some(hash) = recorded.remove(&key) {
            recorded.insert(format!("{to}{}", &key[from.len()..]), hash);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_file_rewritten_after_it_was_written_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("single/run-1.json");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, b"pass").unwrap();
        written(&path, b"pass");
        written(&dir.path().join(STATE_FILE), b"{}");
        fs::write(dir.path().join("log.txt"), b"out").unwrap();
        let mut recorded = Recorded::new();
        sweep(dir.path(), &mut recorded).unwrap();
        assert_eq!(
            recorded.keys().collect::<Vec<_>>(),
            ["log.txt", "single/run-1.json"]
        );
        assert!(changed(dir.path(), &recorded).unwrap().is_empty());
        fs::write(&path, b"fail").unwrap();
        fs::remove_file(dir.path().join("log.txt")).unwrap();
        let found = changed(dir.path(), &recorded).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], "log.txt: removed after it was written");
        assert!(found[1].starts_with("single/run-1.json: changed after it was written"));
    }

    #[test]
    fn moved_paths_keep_their_hashes() {
        let mut recorded = Recorded::from([
            ("single/run-1.json".to_owned(), "a".to_owned()),
            ("singles/x".to_owned(), "b".to_owned()),
        ]);
        moved(&mut recorded, "single", "single.interrupted-1");
        assert_eq!(
            recorded.keys().collect::<Vec<_>>(),
            ["single.interrupted-1/run-1.json", "singles/x"]
        );
    }
}
