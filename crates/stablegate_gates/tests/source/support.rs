//! A fixture project with one gate, and helpers to read what a source found.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stablegate_config::Gate;
use stablegate_gates::source::{self, Options, SourceError};
use stablegate_gates::tree::Tree;
use stablegate_gates::Collected;

/// A temporary project directory, `project/` inside a temporary directory of
/// its own so that tests can put files just outside the root.
pub struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let root = dir.path().join("project");
        fs::create_dir(&root).expect("create the project root");
        Project { _dir: dir, root }
    }

    /// Writes a file (relative to the root; `../x` is outside it), creating
    /// its parent directories.
    pub fn file(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create directories");
        fs::write(path, contents).expect("write a fixture file");
        self
    }

    /// Creates a directory (e.g. `.git`, to make the tree a git repository).
    pub fn dir(&self, path: &str) -> &Self {
        fs::create_dir_all(self.root.join(path)).expect("create a directory");
        self
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The gate `g` with the given TOML lines (its source, paths, …), loaded
    /// through the real configuration loader.
    pub fn gate(&self, table: &str) -> Gate {
        let text = format!("[[gate]]\nname = \"g\"\n{table}\n");
        fs::write(self.root.join("stablegate.toml"), text).expect("write the configuration");
        let config = stablegate_config::load(&self.root, None)
            .expect("a valid configuration")
            .expect("a configuration");
        config.gates.into_iter().next().expect("one gate")
    }

    /// Runs the gate's source.
    pub fn collect(&self, table: &str) -> Result<Collected, SourceError> {
        self.collect_with(table, &Options::default())
    }

    /// Runs the gate's source with options.
    pub fn collect_with(&self, table: &str, options: &Options) -> Result<Collected, SourceError> {
        source::collect(&Tree::disk(&self.root), &self.gate(table), options)
    }
}

/// Every finding as `file:line:column rule`.
pub fn located(collected: &Collected) -> Vec<String> {
    (collected.all_findings().iter())
        .map(|f| format!("{}:{}:{} {}", f.file, f.line, f.column, f.rule))
        .collect()
}

/// Every unreadable file as `file:line reason`.
pub fn unreadable(collected: &Collected) -> Vec<String> {
    (collected.unreadable.iter())
        .map(|u| format!("{}:{} {}", u.file, u.line.unwrap_or(0), u.reason))
        .collect()
}

/// Whether a program runs (`name --version` succeeds).
pub fn has_program(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Whether tests run in CI, where a missing tool is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}
