//! Which configuration file applies, and where it sits relative to the root.
//!
//! Order (SPEC §3): `--config PATH`; else `stablegate.toml` in the root; else
//! `pyproject.toml` in the root, when it has `[tool.stablegate]` (whether it
//! has is decided by [`crate::parse`]). Configuration files in parent or
//! child directories are never picked up: the root decides, so the same tree
//! gives the same gates wherever it is checked out.

use std::path::{Path, PathBuf};

use crate::parse::Format;
use crate::paths::ConfigDir;

/// The configuration file to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The path to read.
    pub path: PathBuf,
    /// The name to print: as given for `--config`, root-relative otherwise.
    pub display: String,
    pub format: Format,
    /// Given with `--config`: a `pyproject.toml` without our table is an error.
    pub explicit: bool,
}

/// The file to load, if any. `explicit` relative paths are taken relative to
/// the current directory, like every other path given on the command line.
pub(crate) fn discover(root: &Path, explicit: Option<&Path>) -> Option<Candidate> {
    if let Some(path) = explicit {
        return Some(Candidate {
            path: path.to_owned(),
            display: path.display().to_string(),
            format: format_of(path),
            explicit: true,
        });
    }
    ["stablegate.toml", "pyproject.toml"]
        .into_iter()
        .map(|name| (name, root.join(name)))
        .find(|(_, path)| path.is_file())
        .map(|(name, path)| Candidate {
            format: format_of(&path),
            path,
            display: name.to_owned(),
            explicit: false,
        })
}

/// A file named `pyproject.toml` holds `[tool.stablegate]`; any other is
/// stablegate's own.
pub(crate) fn format_of(path: &Path) -> Format {
    match path.file_name() {
        Some(name) if name == "pyproject.toml" => Format::Pyproject,
        _ => Format::Standalone,
    }
}

/// The directory of `config` relative to `root`, `/`-separated (`""` for the
/// root itself); `None` when it lies outside the root. A file not written
/// yet is placed by its directory.
pub(crate) fn config_dir(root: &Path, config: &Path) -> ConfigDir {
    let root = root.canonicalize().ok()?;
    let dir = match config.canonicalize() {
        Ok(config) => config.parent()?.to_owned(),
        Err(_) => match config.parent()? {
            parent if parent.as_os_str().is_empty() => Path::new(".").canonicalize().ok()?,
            parent => parent.canonicalize().ok()?,
        },
    };
    let dir = dir.strip_prefix(&root).ok()?;
    let parts: Option<Vec<&str>> = dir.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn stablegate_toml_wins_over_pyproject() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("pyproject.toml"), "").unwrap();
        let found = discover(root.path(), None).unwrap();
        assert_eq!(
            (found.display.as_str(), found.format),
            ("pyproject.toml", Format::Pyproject)
        );
        fs::write(root.path().join("stablegate.toml"), "").unwrap();
        let found = discover(root.path(), None).unwrap();
        assert_eq!(
            (found.display.as_str(), found.format),
            ("stablegate.toml", Format::Standalone)
        );
    }

    #[test]
    fn no_file_means_no_configuration() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(discover(root.path(), None), None);
    }

    #[test]
    fn config_dir_is_root_relative_or_none_outside() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("ci/conf")).unwrap();
        fs::write(root.path().join("ci/conf/x.toml"), "").unwrap();
        let inside = config_dir(root.path(), &root.path().join("ci/conf/x.toml"));
        assert_eq!(inside.as_deref(), Some("ci/conf"));
        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("x.toml"), "").unwrap();
        assert_eq!(config_dir(root.path(), &other.path().join("x.toml")), None);
    }

    #[test]
    fn a_file_not_written_yet_is_placed_by_its_directory() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("ci")).unwrap();
        let dir = config_dir(root.path(), &root.path().join("ci/new.toml"));
        assert_eq!(dir.as_deref(), Some("ci"));
        assert_eq!(
            config_dir(root.path(), &root.path().join("nowhere/new.toml")),
            None
        );
    }
}
