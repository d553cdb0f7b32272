//! A temporary copy of the project, for gates whose detector reads files
//! itself (`command`): the triad mutates the copy, never the working tree.
//!
//! The copy holds what a detector may need: every file the `ignore` crate
//! lists under the root with hidden files included and `.git` left out
//! (`.gitignore`d build output and virtual environments are not copied).
//! Symlinks are recreated as symlinks. It lives in the system's temporary
//! directory and is removed when dropped; a killed process leaves it there,
//! outside the project. [`Copy::apply`] writes a mutation and returns the
//! bytes it replaced, so the next leg starts from the unmutated copy again.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// A temporary copy of a project.
pub(super) struct Copy {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

/// What a mutation replaced: each file's original bytes (`None`: the file
/// did not exist).
pub(super) struct Replaced(Vec<(PathBuf, Option<Vec<u8>>)>);

impl Copy {
    /// Copies the project at `root`.
    pub fn of(root: &Path) -> io::Result<Copy> {
        let dir = tempfile::Builder::new()
            .prefix("stablegate-theater-")
            .tempdir()?;
        let copy_root = dir.path().join("project");
        std::fs::create_dir(&copy_root)?;
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .git_global(false)
            .follow_links(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build();
        for entry in walker {
            let entry = entry.map_err(io::Error::other)?;
            let Ok(rest) = entry.path().strip_prefix(root) else {
                continue;
            };
            if rest.as_os_str().is_empty() {
                continue;
            }
            let target = copy_root.join(rest);
            let Some(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                std::fs::create_dir_all(&target)?;
            } else if kind.is_symlink() {
                symlink(&std::fs::read_link(entry.path())?, &target)?;
            } else if kind.is_file() {
                std::fs::copy(entry.path(), &target)?;
            }
        }
        Ok(Copy {
            _dir: dir,
            root: copy_root,
        })
    }

    /// The copy's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes the mutated files into the copy.
    pub fn apply(&self, files: &BTreeMap<String, String>) -> io::Result<Replaced> {
        let mut replaced = Vec::with_capacity(files.len());
        for (file, text) in files {
            let path = self.root.join(file);
            let original = match std::fs::read(&path) {
                Ok(bytes) => Some(bytes),
                Err(err) if err.kind() == io::ErrorKind::NotFound => None,
                Err(err) => return Err(err),
            };
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)?;
            replaced.push((path, original));
        }
        Ok(Replaced(replaced))
    }

    /// Puts back what [`Copy::apply`] replaced.
    #[expect(
        clippy::unused_self,
        reason = "a method of the copy like `apply`: what it restores is the copy's"
    )]
    pub fn restore(&self, replaced: Replaced) -> io::Result<()> {
        for (path, original) in replaced.0 {
            match original {
                Some(bytes) => std::fs::write(&path, bytes)?,
                None => std::fs::remove_file(&path)?,
            }
        }
        Ok(())
    }
}

#[cfg(unix)]
fn symlink(to: &Path, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(to, at)
}

#[cfg(not(unix))]
fn symlink(_to: &Path, _at: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_takes_mutations_and_gives_them_back() {
        let project = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(project.path().join("src")).unwrap();
        std::fs::create_dir_all(project.path().join(".git")).unwrap();
        std::fs::write(project.path().join(".git/HEAD"), "x").unwrap();
        std::fs::write(project.path().join("src/a.py"), "a = 1\n").unwrap();
        std::fs::write(project.path().join(".tool.toml"), "t").unwrap();
        let copy = Copy::of(project.path()).unwrap();
        assert!(copy.root().join(".tool.toml").exists());
        assert!(!copy.root().join(".git").exists());
        let mut files = BTreeMap::new();
        files.insert("src/a.py".to_owned(), "a = 2\n".to_owned());
        files.insert("src/new.py".to_owned(), "b = 1\n".to_owned());
        let replaced = copy.apply(&files).unwrap();
        let read = |file: &str| std::fs::read_to_string(copy.root().join(file));
        assert_eq!(read("src/a.py").unwrap(), "a = 2\n");
        copy.restore(replaced).unwrap();
        assert_eq!(read("src/a.py").unwrap(), "a = 1\n");
        assert!(read("src/new.py").is_err());
        let original = std::fs::read_to_string(project.path().join("src/a.py")).unwrap();
        assert_eq!(original, "a = 1\n");
    }
}
