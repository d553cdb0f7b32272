//! Listing the files of the two sides of a multi-file freshness check: the
//! generator's `{out_dir}` and the project tree under a glob's base.
//!
//! Both listings are of regular files only, by root-relative `/`-separated
//! path, in sorted order, and never follow a symlink. What the generator
//! wrote must be plain directories and regular files: a symlink (which
//! could point anywhere, e.g. `../../etc`), a FIFO, socket or device, or a
//! name that is not UTF-8 fails the check, so nothing outside `{out_dir}`
//! is ever read as generated content. Paths come from `read_dir`, which
//! never yields `..`, so a listed path cannot escape its directory. In the
//! tree, `.git` is skipped and symlinked directories are not entered; a
//! symlink or special file that a glob matches fails the check, since its
//! bytes are not a committed artifact's.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Regular files by root-relative path.
pub(super) type Files = BTreeMap<String, PathBuf>;

/// Why one side of the comparison could not be listed; reads after the
/// check's name (the generator "wrote …", or the tree).
#[derive(Debug, Error)]
pub enum WalkError {
    /// The generator wrote a name that is not UTF-8 (`path` shown lossily).
    #[error("wrote `{path}`, whose name is not UTF-8")]
    NameNotUtf8 { path: String },
    /// A file the generator wrote cannot be inspected.
    #[error("wrote `{path}`, which cannot be read: {source}")]
    Unreadable { path: String, source: io::Error },
    /// The generator wrote a symlink or a special file.
    #[error(
        "wrote `{path}` under {{out_dir}}, which is {}; only regular files and directories are compared",
        if *symlink { "a symlink" } else { "not a regular file" }
    )]
    NotRegular { path: String, symlink: bool },
    /// A file of the tree cannot be inspected.
    #[error("cannot read `{path}` in the tree: {source}")]
    TreeUnreadable { path: String, source: io::Error },
    /// A matched path of the tree is a symlink, a special file or a name
    /// that is not UTF-8.
    #[error("`{path}` in the tree matches `artifacts` but is not a regular file with a UTF-8 name (a symlink, a special file?): it cannot be compared")]
    TreeNotRegular { path: String },
    /// A directory cannot be listed.
    #[error("cannot list `{}`: {source}", dir.display())]
    List { dir: PathBuf, source: io::Error },
}

/// Every regular file under `dir` (the generator's output), keyed by its
/// path relative to `dir`.
pub(super) fn generated(dir: &Path) -> Result<Files, WalkError> {
    let mut files = Files::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, relative)) = pending.pop() {
        for (child, name) in entries(&path)? {
            let name = name.ok_or_else(|| WalkError::NameNotUtf8 {
                path: join(&relative, &child.to_string_lossy()),
            })?;
            let child_relative = join(&relative, &name);
            let kind = fs::symlink_metadata(path.join(&child))
                .map_err(|source| WalkError::Unreadable {
                    path: child_relative.clone(),
                    source,
                })?
                .file_type();
            if kind.is_dir() {
                pending.push((path.join(&child), child_relative));
            } else if kind.is_file() {
                files.insert(child_relative, path.join(&child));
            } else {
                return Err(WalkError::NotRegular {
                    path: child_relative,
                    symlink: kind.is_symlink(),
                });
            }
        }
    }
    Ok(files)
}

/// The regular files under `root/base` whose root-relative path satisfies
/// `matches`.
pub(super) fn committed(
    root: &Path,
    base: &str,
    matches: impl Fn(&str) -> bool,
) -> Result<Files, WalkError> {
    let mut files = Files::new();
    let start = if base == "." {
        String::new()
    } else {
        base.to_owned()
    };
    let Ok(meta) = fs::symlink_metadata(root.join(&start)) else {
        return Ok(files);
    };
    if !meta.is_dir() {
        return Ok(files);
    }
    let mut pending = vec![start];
    while let Some(relative) = pending.pop() {
        let dir = root.join(&relative);
        for (child, name) in entries(&dir)? {
            let utf8 = name.is_some();
            let name = name.unwrap_or_else(|| child.to_string_lossy().into_owned());
            let child_relative = join(&relative, &name);
            let kind = fs::symlink_metadata(dir.join(&child))
                .map_err(|source| WalkError::TreeUnreadable {
                    path: child_relative.clone(),
                    source,
                })?
                .file_type();
            if kind.is_dir() {
                if name != ".git" {
                    pending.push(child_relative);
                }
                continue;
            }
            if !matches(&child_relative) {
                continue;
            }
            if !kind.is_file() || !utf8 {
                return Err(WalkError::TreeNotRegular {
                    path: child_relative,
                });
            }
            files.insert(child_relative, dir.join(&child));
        }
    }
    Ok(files)
}

/// The entries of `dir`, with their names as UTF-8 when they are.
fn entries(dir: &Path) -> Result<Vec<(std::ffi::OsString, Option<String>)>, WalkError> {
    let list = |source| WalkError::List {
        dir: dir.to_path_buf(),
        source,
    };
    let read = fs::read_dir(dir).map_err(list)?;
    let mut names = Vec::new();
    for entry in read {
        let entry = entry.map_err(list)?;
        let name = entry.file_name();
        let text = name.to_str().map(str::to_owned);
        names.push((name, text));
    }
    names.sort();
    Ok(names)
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}/{name}")
    }
}
