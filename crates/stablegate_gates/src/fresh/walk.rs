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
use std::path::{Path, PathBuf};

/// Regular files by root-relative path.
pub(super) type Files = BTreeMap<String, PathBuf>;

/// Every regular file under `dir` (the generator's output), keyed by its
/// path relative to `dir`.
pub(super) fn generated(dir: &Path) -> Result<Files, String> {
    let mut files = Files::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, relative)) = pending.pop() {
        for (child, name) in entries(&path)? {
            let name = name.ok_or_else(|| {
                format!(
                    "wrote `{}`, whose name is not UTF-8",
                    join(&relative, &child.to_string_lossy())
                )
            })?;
            let child_relative = join(&relative, &name);
            let kind = fs::symlink_metadata(path.join(&child))
                .map_err(|err| format!("wrote `{child_relative}`, which cannot be read: {err}"))?
                .file_type();
            if kind.is_dir() {
                pending.push((path.join(&child), child_relative));
            } else if kind.is_file() {
                files.insert(child_relative, path.join(&child));
            } else {
                let what = if kind.is_symlink() {
                    "a symlink"
                } else {
                    "not a regular file"
                };
                return Err(format!(
                    "wrote `{child_relative}` under {{out_dir}}, which is {what}; only regular files and directories are compared"
                ));
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
) -> Result<Files, String> {
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
                .map_err(|err| format!("cannot read `{child_relative}` in the tree: {err}"))?
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
                return Err(format!(
                    "`{child_relative}` in the tree matches `artifacts` but is not a regular file with a UTF-8 name (a symlink, a special file?): it cannot be compared"
                ));
            }
            files.insert(child_relative, dir.join(&child));
        }
    }
    Ok(files)
}

/// The entries of `dir`, with their names as UTF-8 when they are.
fn entries(dir: &Path) -> Result<Vec<(std::ffi::OsString, Option<String>)>, String> {
    let read =
        fs::read_dir(dir).map_err(|err| format!("cannot list `{}`: {err}", dir.display()))?;
    let mut names = Vec::new();
    for entry in read {
        let entry = entry.map_err(|err| format!("cannot list `{}`: {err}", dir.display()))?;
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
