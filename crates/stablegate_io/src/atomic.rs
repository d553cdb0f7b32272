//! Writing files so that no reader, and no killed writer, leaves half of one.
//!
//! - [`replace`] / [`replace_with`]: the new bytes go to a temporary sibling
//!   (written from memory, or streamed by the caller), are synced, and the
//!   sibling is renamed over the target. A reader sees the old file or the new
//!   one. The file keeps its permissions; a read-only file (no write bit) is
//!   refused rather than replaced behind its owner's back. The temporary name
//!   carries the writer's process id, so temporaries a killed writer left
//!   behind are recognised and removed by the next write to the same file.
//! - [`create_new`] / [`write_new`]: create a file that must not exist yet
//!   (`O_EXCL`), so evidence can never be overwritten, even by a bug.
//!
//! Callers resolve symlinks and root containment first
//! ([`crate::read::inside_root`]); this module writes where it is told.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The suffix of temporary files: `.NAME.PID.N.stablegate-tmp`.
const SUFFIX: &str = ".stablegate-tmp";

/// Replaces `target` with `bytes` atomically (see the module doc).
pub fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(target, |file| file.write_all(bytes))
}

/// Replaces `target` atomically with what `write` writes (for contents too
/// large to hold in memory first). An error of `write` leaves `target` as it
/// was and is returned as it is.
pub fn replace_with(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let permissions = match fs::metadata(target) {
        Ok(meta) if meta.permissions().readonly() => {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "it is read-only; make it writable to let stablegate change it",
            ))
        }
        Ok(meta) if !meta.is_file() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is not a regular file",
            ))
        }
        Ok(meta) => Some(meta.permissions()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(err),
    };
    remove_abandoned(dir, &name);
    let (temporary, mut file) = open_temporary(dir, &name)?;
    let written = (|| {
        let mut buffered = io::BufWriter::new(&mut file);
        write(&mut buffered)?;
        buffered.flush()?;
        drop(buffered);
        if let Some(permissions) = &permissions {
            file.set_permissions(permissions.clone())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    } else if let Ok(dir) = File::open(dir) {
        // The rename is durable once the directory is synced; a failure
        // here loses nothing that was not already on its way to disk.
        let _ = dir.sync_all();
    }
    written
}

/// A new temporary sibling for `name` in `dir`, named after this process.
fn open_temporary(dir: &Path, name: &str) -> io::Result<(std::path::PathBuf, File)> {
    let pid = std::process::id();
    for attempt in 0..100 {
        let temporary = dir.join(format!(".{name}.{pid}.{attempt}{SUFFIX}"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary file name next to it",
    ))
}

/// Removes temporaries of `name` left in `dir` by writers that are gone.
fn remove_abandoned(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|text| text.strip_prefix(&prefix))
            .and_then(|text| text.strip_suffix(SUFFIX))
        else {
            continue;
        };
        let Some(pid) = rest
            .split('.')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_exists(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_exists(_pid: u32) -> bool {
    true
}

/// Opens a new file for writing, creating its parent directories; fails if
/// it exists.
pub fn create_new(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// Creates `path` (and its parent directories) holding `bytes`; fails if it
/// exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    create_new(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_the_permissions_and_leaves_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        replace(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = replace(&path, b"new").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporaries_of_dead_writers_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        // No process has a pid above the kernel's maximum (2^22).
        let dead = dir.path().join(".a.yaml.99999999.0.stablegate-tmp");
        let alive = dir.path().join(format!(".a.yaml.{}.7.stablegate-tmp", 1));
        let unrelated = dir.path().join(".b.yaml.99999999.0.stablegate-tmp");
        for file in [&dead, &alive, &unrelated] {
            fs::write(file, "partial").unwrap();
        }
        replace(&path, b"new").unwrap();
        assert!(!dead.exists());
        assert!(alive.exists(), "pid 1 is alive: its temporary is kept");
        assert!(unrelated.exists());
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn a_failing_writer_leaves_the_target_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        fs::write(&path, "old").unwrap();
        let err = replace_with(&path, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("renderer failed"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "renderer failed");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        replace_with(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn write_new_refuses_an_existing_file_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/run-1.json");
        write_new(&path, b"first").unwrap();
        assert!(write_new(&path, b"second").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"first");
    }
}
