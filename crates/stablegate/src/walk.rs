//! Which files a list of paths stands for: the walk over the source tree.
//!
//! A file named explicitly is always selected, whatever its name and whether
//! or not an ignore file covers it: the user asked for it. A directory is
//! walked with ripgrep's `ignore` crate and yields the files whose extension
//! is selected, skipping what ripgrep skips by default:
//!
//! - hidden files and directories (names starting with `.`);
//! - paths matched by `.gitignore`, `.git/info/exclude` and `.ignore` files,
//!   including those in parent directories of the walked path. `.gitignore`
//!   counts only inside a git repository (ripgrep's rule); `.ignore` always.
//!   The user's global gitignore is NOT read: keys must not depend on the
//!   machine they are computed on;
//! - symlinks (not followed: they could lead outside the root).
//!
//! The result is sorted by root-relative path (byte order) and free of
//! duplicates, so output is deterministic. This module decides nothing about
//! the files' contents and prints nothing; problems met while walking are
//! returned for the caller to report.

use std::path::Path;

use std::sync::Mutex;

use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::root::{ProjectRoot, RelPath};

/// The files selected by a walk, and what went wrong on the way.
#[derive(Debug, Default)]
pub struct Walked {
    /// Sorted, deduplicated.
    pub files: Vec<RelPath>,
    pub errors: Vec<WalkError>,
}

/// A directory entry or ignore file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    /// The path concerned: root-relative when inside the root.
    pub path: String,
    pub message: String,
}

/// Selects the files `paths` stand for; directories contribute only files
/// whose extension is one of `extensions` (without the dot).
pub fn walk(root: &ProjectRoot, paths: &[RelPath], extensions: &[&str]) -> Walked {
    let mut walked = Walked::default();
    for path in paths {
        let absolute = root.absolute(path);
        if !absolute.is_dir() {
            walked.files.push(path.clone());
            continue;
        }
        // Walked on several threads (the order is restored by the sort
        // below): on large trees the walk is a good part of the run.
        let found = Mutex::new(&mut walked);
        WalkBuilder::new(&absolute)
            .git_global(false)
            .follow_links(false)
            .threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
            .build_parallel()
            .run(|| {
                let found = &found;
                Box::new(move |entry| {
                    let found_one = select(root, entry, extensions);
                    if let Some(result) = found_one {
                        if let Ok(mut walked) = found.lock() {
                            match result {
                                Ok(rel) => walked.files.push(rel),
                                Err(err) => walked.errors.push(err),
                            }
                        }
                    }
                    WalkState::Continue
                })
            });
    }
    walked.files.sort_unstable();
    walked.files.dedup();
    walked
        .errors
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    walked
}

/// What one walked entry contributes: a selected file, an error, or nothing.
fn select(
    root: &ProjectRoot,
    entry: Result<DirEntry, ignore::Error>,
    extensions: &[&str],
) -> Option<Result<RelPath, WalkError>> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => return Some(Err(describe(root, &err))),
    };
    let selected = entry.file_type().is_some_and(|kind| kind.is_file())
        && entry
            .path()
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| extensions.contains(&ext));
    if !selected {
        return None;
    }
    Some(root.relative(entry.path()).map_err(|err| WalkError {
        path: display(root, entry.path()),
        message: err.to_string(),
    }))
}

/// Flattens an `ignore` error into a root-relative path and a message.
fn describe(root: &ProjectRoot, err: &ignore::Error) -> WalkError {
    let (path, message) = stablegate_gates::walk::flatten_ignore_error(err);
    WalkError {
        path: path.map_or_else(|| ".".to_owned(), |path| display(root, &path)),
        message,
    }
}

fn display(root: &ProjectRoot, path: &Path) -> String {
    match root.relative(path) {
        Ok(rel) => rel.to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(files: &[&str]) -> (tempfile::TempDir, ProjectRoot) {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x = 1\n").unwrap();
        }
        let root = ProjectRoot::open(dir.path()).unwrap();
        (dir, root)
    }

    fn walked(root: &ProjectRoot, paths: &[&str]) -> Vec<String> {
        let paths: Vec<RelPath> = paths
            .iter()
            .map(|p| root.resolve(Path::new(p)).unwrap())
            .collect();
        let walked = walk(root, &paths, &["py", "pyi"]);
        assert_eq!(walked.errors, []);
        walked.files.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn directories_yield_python_files_sorted_by_path_bytes() {
        let (_dir, root) = tree(&["b.py", "a/z.pyi", "a.py", "a/b.py", "notes.txt", "a-b.py"]);
        assert_eq!(
            walked(&root, &["."]),
            ["a-b.py", "a.py", "a/b.py", "a/z.pyi", "b.py"]
        );
    }

    #[test]
    fn gitignore_counts_inside_a_git_repository_only() {
        let (dir, root) = tree(&[".gitignore", "kept.py", "build/gen.py", "gen.py"]);
        fs::write(dir.path().join(".gitignore"), "build/\ngen.py\n").unwrap();
        assert_eq!(walked(&root, &["."]), ["build/gen.py", "gen.py", "kept.py"]);
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(walked(&root, &["."]), ["kept.py"]);
    }

    #[test]
    fn dot_ignore_counts_everywhere_and_hidden_paths_are_skipped() {
        let (dir, root) = tree(&[".ignore", "kept.py", "skip.py", ".hidden.py", ".cache/x.py"]);
        fs::write(dir.path().join(".ignore"), "skip.py\n").unwrap();
        assert_eq!(walked(&root, &["."]), ["kept.py"]);
    }

    #[test]
    fn explicit_files_are_selected_whatever_their_name_or_ignore_status() {
        let (dir, root) = tree(&[".ignore", "script", "skip.py", ".hidden.py"]);
        fs::write(dir.path().join(".ignore"), "skip.py\n").unwrap();
        let files = walked(&root, &["script", "skip.py", ".hidden.py", "script"]);
        assert_eq!(files, [".hidden.py", "script", "skip.py"]);
    }

    #[test]
    fn a_file_reached_twice_is_listed_once() {
        let (_dir, root) = tree(&["pkg/a.py"]);
        assert_eq!(walked(&root, &["pkg", "pkg/a.py", "."]), ["pkg/a.py"]);
    }
}
