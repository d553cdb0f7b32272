//! Reading the files stablegate is pointed at, safely.
//!
//! Every file a configuration or a report names may be hostile: a FIFO
//! blocks a reader forever, `/dev/zero` never ends, a symlink can lead
//! out of the checkout into files the gate must not depend on (SPEC §12.6).
//! So reads here:
//!
//! - refuse anything but a regular file (checked before opening, and again on
//!   the opened descriptor, which is opened non-blocking so that even a FIFO
//!   swapped in between cannot block);
//! - stop at a size limit the caller chooses, instead of reading until memory
//!   runs out;
//! - with [`inside_root`], refuse a root-relative path when the file, or a
//!   directory on its way, is a symlink whose target lies outside the root.
//!
//! Errors are lowercase fragments that read after the file's name; callers
//! wrap them in their own errors, which name the file and the field.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// A generous limit for text a person writes or a tool emits about a tree
/// (configurations, allowlists, inventories, templates): 64 MiB.
pub const TEXT_LIMIT: u64 = 64 << 20;

/// The limit for reports of other tools (SARIF files, detector output) and
/// source files: 1 GiB. A larger file is far beyond what any real linter
/// writes for one checkout.
pub const REPORT_LIMIT: u64 = 1 << 30;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("does not exist")]
    NotFound,
    #[error("is {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("leads outside the project root through the symlink `{link}`")]
    OutsideRoot { link: String },
    #[error("is not a plain path inside the project root")]
    NotRelative,
    #[error("cannot be read: {0}")]
    Io(io::Error),
}

impl ReadError {
    fn from_io(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(err)
        }
    }
}

/// What a non-regular file is, for messages; `None` for a regular file.
pub fn special_kind(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Opens a regular file for reading (following symlinks); anything else is
/// refused without blocking. Returns the file and its metadata.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let before = std::fs::metadata(path).map_err(ReadError::from_io)?;
    if let Some(kind) = special_kind(&before) {
        return Err(ReadError::NotRegular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::from_io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(ReadError::NotRegular(kind));
    }
    Ok((file, meta))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    // The file may grow between the size check and the read: read at most
    // one byte past the limit to notice.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The path of the root-relative, `/`-separated `rel` under `root`, refused
/// when `rel` is absolute or climbs with `..`, or when the file or a directory
/// on its way is a symlink that resolves outside the root. The file need not
/// exist (the caller decides what a missing file means).
pub fn inside_root(root: &Path, rel: &str) -> Result<PathBuf, ReadError> {
    let canonical_root = root.canonicalize().map_err(ReadError::from_io)?;
    let mut path = root.to_path_buf();
    // Once a part is missing, nothing below it exists: no symlink to check.
    let mut exists = true;
    for component in Path::new(rel).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => continue,
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(ReadError::NotRelative)
            }
        }
        if !exists {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            exists = false;
            continue;
        };
        if meta.file_type().is_symlink() {
            let leads_out = match path.canonicalize() {
                Ok(target) => !target.starts_with(&canonical_root),
                // A dangling link: where it would lead is checked lexically.
                Err(_) => dangling_leads_out(&path, &canonical_root),
            };
            if leads_out {
                let link = path.strip_prefix(root).unwrap_or(&path);
                return Err(ReadError::OutsideRoot {
                    link: link.to_string_lossy().replace('\\', "/"),
                });
            }
        }
    }
    Ok(path)
}

/// Whether a dangling symlink points outside the root, judged on its text.
fn dangling_leads_out(link: &Path, canonical_root: &Path) -> bool {
    let Ok(target) = std::fs::read_link(link) else {
        return true;
    };
    let base = link
        .parent()
        .and_then(|parent| parent.canonicalize().ok())
        .unwrap_or_default();
    let mut resolved = if target.is_absolute() {
        PathBuf::new()
    } else {
        base
    };
    for component in target.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    !resolved.starts_with(canonical_root)
}

/// [`inside_root`] then [`regular`]: the bytes of a root-relative file the
/// configuration names.
pub fn file_in_root(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    regular(&inside_root(root, rel)?, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "hello").unwrap();
        assert_eq!(regular(&path, 5).unwrap(), b"hello");
        assert!(matches!(
            regular(&path, 4),
            Err(ReadError::TooLarge { limit: 4 })
        ));
        assert!(matches!(
            regular(&dir.path().join("missing"), 9),
            Err(ReadError::NotFound)
        ));
        assert!(matches!(
            regular(dir.path(), 9),
            Err(ReadError::NotRegular("a directory"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_blocking() {
        let err = regular(Path::new("/dev/zero"), TEXT_LIMIT).unwrap_err();
        assert_eq!(err.to_string(), "is a character device, not a regular file");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let err = regular(&fifo, TEXT_LIMIT).unwrap_err();
        assert_eq!(err.to_string(), "is a FIFO, not a regular file");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leading_outside_the_root_are_refused_on_any_part_of_the_path() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("real")).unwrap();
        std::fs::write(root.join("real/a.yaml"), "a").unwrap();
        symlink(root.join("real"), root.join("inside")).unwrap();
        symlink(outside.path(), root.join("away")).unwrap();
        symlink(
            outside.path().join("secret.yaml"),
            root.join("real/leak.yaml"),
        )
        .unwrap();
        symlink("../../nowhere/x", root.join("real/dangling")).unwrap();

        assert_eq!(file_in_root(root, "inside/a.yaml", 9).unwrap(), b"a");
        for (rel, link) in [
            ("away/secret.yaml", "away"),
            ("real/leak.yaml", "real/leak.yaml"),
            ("away/missing.yaml", "away"),
            ("real/dangling", "real/dangling"),
        ] {
            match inside_root(root, rel) {
                Err(ReadError::OutsideRoot { link: found }) => assert_eq!(found, link, "{rel}"),
                other => panic!("{rel}: {other:?}"),
            }
        }
        assert!(matches!(
            inside_root(root, "../x"),
            Err(ReadError::NotRelative)
        ));
        assert!(matches!(
            inside_root(root, "/etc/passwd"),
            Err(ReadError::NotRelative)
        ));
        assert_eq!(
            inside_root(root, "real/new/file.yaml").unwrap(),
            root.join("real/new/file.yaml")
        );
    }
}
