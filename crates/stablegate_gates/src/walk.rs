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

use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};
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
/// Directories are walked on every core (on large trees the walk is a good
/// part of a run); the sort restores a deterministic order.
pub fn walk(
    root: &Path,
    at: &str,
    scope: Scope<'_>,
    select: &(dyn Fn(&str) -> bool + Sync),
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
        walk_directory(root, &absolute, scope, select, &mut walked);
    }
    walked.files.sort_unstable();
    walked.files.dedup();
    walked.errors.sort();
    walked.errors.dedup();
    Ok(walked)
}

/// Adds the selected files under the directory `absolute` (and the entries
/// that could not be read) to `walked`.
fn walk_directory(
    root: &Path,
    absolute: &Path,
    scope: Scope<'_>,
    select: &(dyn Fn(&str) -> bool + Sync),
    walked: &mut Walked,
) {
    let filter_root = root.to_path_buf();
    let exclude = scope.exclude.clone();
    let found = Mutex::new(walked);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    WalkBuilder::new(absolute)
        .git_global(false)
        .follow_links(false)
        .threads(threads)
        .filter_entry(move |entry| match relative(&filter_root, entry.path()) {
            Some(rel) => !excludes(&exclude, &rel),
            None => true,
        })
        .build_parallel()
        .run(|| {
            let found = &found;
            Box::new(move |entry| {
                let one = match entry {
                    Err(err) => Some(Err(describe(root, &err))),
                    Ok(entry) if !entry.file_type().is_some_and(|kind| kind.is_file()) => None,
                    Ok(entry) => match relative(root, entry.path()) {
                        Some(rel) if select(&rel) && scope.contains(&rel) => Some(Ok(rel)),
                        Some(_) => None,
                        None => Some(Err((
                            entry.path().display().to_string(),
                            "the path is not valid UTF-8".to_owned(),
                        ))),
                    },
                };
                if let (Some(one), Ok(mut walked)) = (one, found.lock()) {
                    match one {
                        Ok(file) => walked.files.push(file),
                        Err(error) => walked.errors.push(error),
                    }
                }
                WalkState::Continue
            })
        });
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
/// message.
fn flatten_ignore_error(err: &ignore::Error) -> (Option<std::path::PathBuf>, String) {
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

    use std::fs;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x = 1\n").unwrap();
        }
        dir
    }

    fn walked(dir: &tempfile::TempDir, paths: &[&str], exclude: &Globs) -> Vec<String> {
        let root = dir.path().canonicalize().unwrap();
        let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
        let scope = Scope {
            paths: &paths,
            include: &Globs::default(),
            exclude,
        };
        let python = |file: &str| file.ends_with(".py") || file.ends_with(".pyi");
        let walked = walk(&root, "test", scope, &python).unwrap();
        assert_eq!(walked.errors, []);
        walked.files
    }

    #[test]
    fn directories_yield_selected_files_sorted_by_path_bytes() {
        let dir = tree(&["b.py", "a/z.pyi", "a.py", "a/b.py", "notes.txt", "a-b.py"]);
        assert_eq!(
            walked(&dir, &["."], &Globs::default()),
            ["a-b.py", "a.py", "a/b.py", "a/z.pyi", "b.py"]
        );
    }

    #[test]
    fn gitignore_counts_inside_a_git_repository_only() {
        let dir = tree(&[".gitignore", "kept.py", "build/gen.py", "gen.py"]);
        fs::write(dir.path().join(".gitignore"), "build/\ngen.py\n").unwrap();
        let all = walked(&dir, &["."], &Globs::default());
        assert_eq!(all, ["build/gen.py", "gen.py", "kept.py"]);
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(walked(&dir, &["."], &Globs::default()), ["kept.py"]);
    }

    #[test]
    fn dot_ignore_counts_everywhere_and_hidden_paths_are_skipped() {
        let dir = tree(&[".ignore", "kept.py", "skip.py", ".hidden.py", ".cache/x.py"]);
        fs::write(dir.path().join(".ignore"), "skip.py\n").unwrap();
        assert_eq!(walked(&dir, &["."], &Globs::default()), ["kept.py"]);
    }

    #[test]
    fn named_files_are_taken_whatever_their_name_or_ignore_status() {
        let dir = tree(&[".ignore", "script", "skip.py", ".hidden.py"]);
        fs::write(dir.path().join(".ignore"), "skip.py\n").unwrap();
        let files = walked(
            &dir,
            &["script", "skip.py", ".hidden.py", "script"],
            &Globs::default(),
        );
        assert_eq!(files, [".hidden.py", "script", "skip.py"]);
    }

    #[test]
    fn a_file_reached_twice_is_listed_once() {
        let dir = tree(&["pkg/a.py"]);
        let files = walked(&dir, &["pkg", "pkg/a.py", "."], &Globs::default());
        assert_eq!(files, ["pkg/a.py"]);
    }

    #[test]
    fn a_missing_path_is_an_error_naming_the_place() {
        let dir = tree(&["a.py"]);
        let root = dir.path().canonicalize().unwrap();
        let paths = vec!["nope".to_owned()];
        let empty = Globs::default();
        let scope = Scope {
            paths: &paths,
            include: &empty,
            exclude: &empty,
        };
        let err = walk(&root, "stablegate.toml:2", scope, &|_: &str| true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "stablegate.toml:2: path `nope` does not exist"
        );
    }

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
