//! The project root, and paths relative to it.
//!
//! Every path stablegate prints or compares is relative to the root and
//! `/`-separated (SPEC §2: "Path changes ARE meaningful"). [`ProjectRoot`]
//! turns paths from the command line into [`RelPath`]s and refuses those that
//! leave the root, lexically (`..`, an absolute path elsewhere) or through a
//! symlink (SPEC §11). It does not read files or walk directories.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A path relative to the project root: `/`-separated, no `.` or `..`
/// components; empty for the root itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

impl RelPath {
    /// The path as printed in keys: `/`-separated, `.` for the root.
    pub fn as_str(&self) -> &str {
        if self.0.is_empty() {
            "."
        } else {
            &self.0
        }
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a path cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    #[error("no such file or directory")]
    NotFound,
    #[error("is outside the project root")]
    OutsideRoot,
    #[error("the path is not valid UTF-8")]
    NotUtf8,
    #[error("{0}")]
    Io(io::Error),
}

impl From<io::Error> for PathError {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::NotFound => PathError::NotFound,
            _ => PathError::Io(err),
        }
    }
}

/// The directory every key's `file` is relative to.
#[derive(Debug, Clone)]
pub struct ProjectRoot {
    /// Canonical (absolute, symlinks resolved), so that containment checks
    /// compare like with like.
    path: PathBuf,
}

impl ProjectRoot {
    /// Opens the root directory given with `--root`.
    pub fn open(dir: &Path) -> io::Result<Self> {
        let path = dir.canonicalize()?;
        if !path.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a directory",
            ));
        }
        Ok(ProjectRoot { path })
    }

    /// The root's canonical path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where a root-relative path is on disk.
    pub fn absolute(&self, rel: &RelPath) -> PathBuf {
        self.path.join(&rel.0)
    }

    /// Resolves a path given on the command line (relative to the root, or
    /// absolute inside it) to an existing path inside the root.
    pub fn resolve(&self, arg: &Path) -> Result<RelPath, PathError> {
        let rel = if arg.is_absolute() {
            match arg.strip_prefix(&self.path) {
                Ok(rest) => normalize(rest)?,
                Err(_) => self.relative(&arg.canonicalize()?)?,
            }
        } else {
            normalize(arg)?
        };
        // A symlink may lead out of the root although the path reads inside.
        if !self.absolute(&rel).canonicalize()?.starts_with(&self.path) {
            return Err(PathError::OutsideRoot);
        }
        Ok(rel)
    }

    /// The root-relative form of a path found under the root (by a walk).
    pub fn relative(&self, path: &Path) -> Result<RelPath, PathError> {
        let rest = path
            .strip_prefix(&self.path)
            .map_err(|_| PathError::OutsideRoot)?;
        normalize(rest)
    }
}

/// Lexically resolves `.` and `..` in a relative path.
fn normalize(path: &Path) -> Result<RelPath, PathError> {
    let mut parts: Vec<&str> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop().ok_or(PathError::OutsideRoot)?;
            }
            Component::Normal(part) => parts.push(part.to_str().ok_or(PathError::NotUtf8)?),
            Component::RootDir | Component::Prefix(_) => return Err(PathError::OutsideRoot),
        }
    }
    Ok(RelPath(parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn fixture() -> (tempfile::TempDir, ProjectRoot) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("project/src")).unwrap();
        fs::write(dir.path().join("project/src/a.py"), "").unwrap();
        fs::write(dir.path().join("outside.py"), "").unwrap();
        let root = ProjectRoot::open(&dir.path().join("project")).unwrap();
        (dir, root)
    }

    #[test]
    fn relative_and_absolute_paths_resolve_to_root_relative_form() {
        let (_dir, root) = fixture();
        assert_eq!(
            root.resolve(Path::new("./src/../src/a.py"))
                .unwrap()
                .as_str(),
            "src/a.py"
        );
        let absolute = root.path().join("src/a.py");
        assert_eq!(root.resolve(&absolute).unwrap().as_str(), "src/a.py");
        assert_eq!(root.resolve(Path::new(".")).unwrap().as_str(), ".");
    }

    #[test]
    fn paths_leaving_the_root_are_refused() {
        let (dir, root) = fixture();
        assert!(matches!(
            root.resolve(Path::new("../outside.py")),
            Err(PathError::OutsideRoot)
        ));
        let absolute = dir.path().join("outside.py");
        assert!(matches!(
            root.resolve(&absolute),
            Err(PathError::OutsideRoot)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_leading_out_of_the_root_is_refused() {
        let (dir, root) = fixture();
        std::os::unix::fs::symlink(dir.path().join("outside.py"), root.path().join("link.py"))
            .unwrap();
        assert!(matches!(
            root.resolve(Path::new("link.py")),
            Err(PathError::OutsideRoot)
        ));
    }

    #[test]
    fn a_missing_path_is_not_found() {
        let (_dir, root) = fixture();
        assert!(matches!(
            root.resolve(Path::new("nope.py")),
            Err(PathError::NotFound)
        ));
    }
}
