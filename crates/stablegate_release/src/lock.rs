//! The lock that keeps two processes from running one release at once.
//!
//! An advisory `flock(2)` on `<evidence_dir>/.<release>.lock`, taken without
//! waiting: a second `release run` refuses at once instead of queueing
//! behind a canary that may take an hour. The kernel drops the lock when its
//! holder dies, however it dies, which is what lets `release status` tell a
//! running attempt from an interrupted one. The file is never deleted:
//! deleting a lock file races with a process about to open it.

use std::fs::{File, OpenOptions};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use crate::error::ReleaseError;

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct ReleaseLock {
    _file: File,
}

/// The lock file of `release` in `evidence_dir`.
pub fn lock_path(evidence_dir: &Path, release: &str) -> PathBuf {
    evidence_dir.join(format!(".{release}.lock"))
}

/// What trying the lock found.
#[derive(Debug)]
pub enum Try {
    Acquired(ReleaseLock),
    /// Another process holds it.
    Held,
}

/// Tries to take the lock of `path`, creating the file when `create`.
/// `Ok(None)`: the file does not exist and `create` is false.
pub fn try_lock(path: &Path, create: bool) -> Result<Option<Try>, ReleaseError> {
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(path)
    {
        Ok(file) => file,
        Err(err) if !create && err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(ReleaseError::io(path)(err)),
    };
    // SAFETY: flock on a descriptor this function owns; no memory is shared.
    let status = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if status == 0 {
        return Ok(Some(Try::Acquired(ReleaseLock { _file: file })));
    }
    let err = std::io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(Some(Try::Held))
    } else {
        Err(ReleaseError::io(path)(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = lock_path(dir.path(), "deploy");
        let first = try_lock(&path, true).unwrap();
        assert!(matches!(first, Some(Try::Acquired(_))));
        assert!(matches!(try_lock(&path, true).unwrap(), Some(Try::Held)));
        drop(first);
        assert!(matches!(
            try_lock(&path, false).unwrap(),
            Some(Try::Acquired(_))
        ));
    }

    #[test]
    fn a_missing_lock_file_is_not_created_when_only_looking() {
        let dir = tempfile::tempdir().unwrap();
        let path = lock_path(dir.path(), "deploy");
        assert!(try_lock(&path, false).unwrap().is_none());
        assert!(!path.exists());
    }
}
