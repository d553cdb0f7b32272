//! Fixture trees and a runner that captures everything a command did.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary project directory, `project/` inside a temporary directory
/// of its own so that tests can put files just outside the root.
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

    /// A project holding a copy of the repository's directory `dir` (an
    /// example project), so that tests may edit it.
    pub fn copy_of(dir: &str) -> Self {
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
        let project = Project::new();
        copy_dir(&manifest.join("../..").join(dir), project.path());
        project
    }

    /// Creates a directory (e.g. `.git`, to make the tree a git repository).
    pub fn dir(&self, path: &str) -> &Self {
        fs::create_dir_all(self.root.join(path)).expect("create a directory");
        self
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Runs stablegate with the project as the current directory.
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.run_in(self.path(), args)
    }

    /// Runs stablegate in another directory (to exercise `--root`).
    #[expect(
        clippy::unused_self,
        reason = "a method of the project, like `run`, though the directory is given"
    )]
    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Outcome {
        let output = command(cwd, args).output().expect("run stablegate");
        Outcome::from(output)
    }
}

/// The stablegate command, ready to run in `cwd`.
pub fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stablegate"));
    command
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    command
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a directory");
    for entry in fs::read_dir(from).expect("read a directory").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy a file");
        }
    }
}

/// What a run did, printed as one text for whole-output comparison.
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Outcome {
    fn from(output: Output) -> Self {
        Outcome {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => writeln!(f, "exit: {code}")?,
            None => writeln!(f, "exit: killed by a signal")?,
        }
        write!(f, "--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr)
    }
}

/// Compares a run with the expected text, showing both whole on failure.
#[track_caller]
pub fn assert_outcome(outcome: &Outcome, expected: &str) {
    let actual = outcome.to_string();
    assert!(
        actual == expected,
        "\n=== expected\n{expected}\n=== actual\n{actual}\n==="
    );
}
