//! Which files a gate scans: its scope (`paths`, `include`, `exclude`) and
//! the ignore-aware walk over it.
//!
//! A file is in a gate's [`Scope`] when it is one of the gate's `paths` or
//! lies under one, when `include` is empty or matches the file or one of its
//! directories, and when `exclude` matches neither the file nor any of its
//! directories. The scope also filters findings that come from outside
//! (`command`, `sarif`), so `paths` means the same for every source.
//!
//! [`walk`] lists the files of a scope the way the `keys` command does
//! (ripgrep's `ignore` crate): hidden files and directories are skipped,
//! `.gitignore` counts inside a git repository and `.ignore` everywhere, the
//! user's global gitignore is not read (results must not depend on the
//! machine), symlinks are not followed. A path named in `paths` is taken even
//! if hidden or ignored: the configuration asked for it. The result is sorted
//! by root-relative path (byte order) and free of duplicates. This module
//! reads no file contents.

use std::path::{Component, Path};

use ignore::WalkBuilder;
use stablegate_config::{Gate, Globs};

/// The part of the tree a gate looks at.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// Root-relative, `/`-separated; `.` is the root.
    pub paths: &'a [String],
    pub include: &'a Globs,
    pub exclude: &'a Globs,
}

impl<'a> Scope<'a> {
    /// The scope of a gate.
    pub fn of(gate: &'a Gate) -> Self {
        Scope {
            paths: &gate.paths,
            include: &gate.include,
            exclude: &gate.exclude,
        }
    }

    /// Whether a root-relative file path is in the scope.
    pub fn contains(&self, file: &str) -> bool {
        self.paths.iter().any(|path| is_under(file, path))
            && (self.include.is_empty() || self_or_parents(file).any(|p| self.include.is_match(p)))
            && !excludes(self.exclude, file)
    }
}

/// Whether `exclude` matches the path or one of its directories.
fn excludes(exclude: &Globs, path: &str) -> bool {
    !exclude.is_empty() && self_or_parents(path).any(|p| exclude.is_match(p))
}

/// `file` is `path` or lies under it.
fn is_under(file: &str, path: &str) -> bool {
    path == "."
        || file == path
        || file
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `a/b/c`, `a/b`, `a`.
fn self_or_parents(path: &str) -> impl Iterator<Item = &str> {
    std::iter::once(path).chain(path.rmatch_indices('/').map(|(i, _)| &path[..i]))
}

/// A `paths` entry that does not exist or leads out of the root; `at` is the
/// gate's place in the configuration (`stablegate.toml:2`).
#[derive(Debug, thiserror::Error)]
#[error("{at}: path `{path}` {problem}")]
pub struct PathError {
    pub at: String,
    pub path: String,
    pub problem: String,
}

/// The files of a scope, and the entries that could not be read.
#[derive(Debug, Default)]
pub struct Walked {
    /// Sorted, deduplicated, root-relative. Files named in `paths` are listed
    /// whatever `select` says; walked files only when `select` accepts them.
    pub files: Vec<String>,
    /// `(path, reason)` of directory entries that could not be read.
    pub errors: Vec<(String, String)>,
}

/// Lists the files of `scope` under the canonical `root`; `select` chooses
/// among the files found in directories (by extension, typically). `at`
/// names the gate's place in the configuration, for errors about `paths`.
pub fn walk(
    root: &Path,
    at: &str,
    scope: Scope<'_>,
    select: &dyn Fn(&str) -> bool,
) -> Result<Walked, PathError> {
    let mut walked = Walked::default();
    for path in scope.paths {
        let problem = |problem: &str| PathError {
            at: at.to_owned(),
            path: path.clone(),
            problem: problem.to_owned(),
        };
        let absolute = root.join(path);
        let canonical = match absolute.canonicalize() {
            Ok(canonical) => canonical,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(problem("does not exist"))
            }
            Err(err) => return Err(problem(&format!("cannot be read: {err}"))),
        };
        if !canonical.starts_with(root) {
            return Err(problem("leads outside the project root"));
        }
        if !canonical.is_dir() {
            if scope.contains(path) {
                walked.files.push(path.clone());
            }
            continue;
        }
        let filter_root = root.to_path_buf();
        let exclude = scope.exclude.clone();
        let walker = WalkBuilder::new(&absolute)
            .git_global(false)
            .follow_links(false)
            .filter_entry(move |entry| match relative(&filter_root, entry.path()) {
                Some(rel) => !excludes(&exclude, &rel),
                None => true,
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    walked.errors.push(describe(root, &err));
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|kind| kind.is_file()) {
                continue;
            }
            match relative(root, entry.path()) {
                Some(rel) if select(&rel) && scope.contains(&rel) => walked.files.push(rel),
                Some(_) => {}
                None => walked.errors.push((
                    entry.path().display().to_string(),
                    "the path is not valid UTF-8".to_owned(),
                )),
            }
        }
    }
    walked.files.sort_unstable();
    walked.files.dedup();
    Ok(walked)
}

/// The root-relative, `/`-separated form of a path under `root`.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rest.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// Flattens an `ignore` error (nested `WithPath`, `WithDepth`,
/// `WithLineNumber`, `Partial`) into the path it names, if any, and one
/// message. Shared with the binary's `keys` walk.
pub fn flatten_ignore_error(err: &ignore::Error) -> (Option<std::path::PathBuf>, String) {
    fn inner(err: &ignore::Error, path: &mut Option<std::path::PathBuf>) -> String {
        match err {
            ignore::Error::WithPath { path: at, err } => {
                path.get_or_insert_with(|| at.clone());
                inner(err, path)
            }
            ignore::Error::WithDepth { err, .. } => inner(err, path),
            ignore::Error::WithLineNumber { line, err } => {
                format!("line {line}: {}", inner(err, path))
            }
            ignore::Error::Partial(errs) => {
                let parts: Vec<String> = errs.iter().map(|err| inner(err, path)).collect();
                parts.join("; ")
            }
            other => other.to_string(),
        }
    }
    let mut path = None;
    let message = inner(err, &mut path);
    (path, message)
}

/// Flattens an `ignore` error into a root-relative path and a message.
fn describe(root: &Path, err: &ignore::Error) -> (String, String) {
    let (path, message) = flatten_ignore_error(err);
    let path = path.map_or_else(
        || ".".to_owned(),
        |path| relative(root, &path).unwrap_or_else(|| path.display().to_string()),
    );
    (path, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_means_equal_or_below_a_directory_boundary() {
        assert!(is_under("src/a.py", "src"));
        assert!(is_under("src", "src"));
        assert!(is_under("anything.py", "."));
        assert!(!is_under("srcx/a.py", "src"));
        assert!(!is_under("lib/src/a.py", "src"));
    }

    #[test]
    fn self_or_parents_lists_every_ancestor_directory() {
        let listed: Vec<&str> = self_or_parents("a/b/c.py").collect();
        assert_eq!(listed, ["a/b/c.py", "a/b", "a"]);
        assert_eq!(self_or_parents("c.py").collect::<Vec<_>>(), ["c.py"]);
    }

    #[test]
    fn relative_paths_are_slash_separated_and_dot_for_the_root() {
        let root = Path::new("/r");
        assert_eq!(
            relative(root, Path::new("/r/a/b.py")).as_deref(),
            Some("a/b.py")
        );
        assert_eq!(relative(root, Path::new("/r")).as_deref(), Some("."));
        assert_eq!(relative(root, Path::new("/elsewhere/b.py")), None);
    }
}
