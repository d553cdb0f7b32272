//! The few questions stablegate asks git, through the workspace's one
//! process runner ([`stablegate_io::process`]): which commit a revision
//! names, the merge base of two commits, and a file's bytes at a commit.
//! Used by change scopes ([`crate::scope`]) and the `shrink_only` ratchet
//! ([`crate::ratchet`]). Errors carry git's own first line of standard
//! error ([`GitError`]); [`MergeBaseError`] adds which of the merge base's
//! two questions (does git know the base, do the two share history) failed.

use std::path::Path;

use stablegate_io::process::{self, Output, RunError, Spec};
use stablegate_io::read;
use thiserror::Error;

/// Why one `git` run gave no answer.
#[derive(Debug, Error)]
pub enum GitError {
    /// git could not be started.
    #[error("cannot run git: {0}")]
    Start(#[source] RunError),
    /// git failed and said why: the first line of its standard error.
    #[error("{said}")]
    Said { said: String },
    /// git failed without a word; `subcommand` is its first argument.
    #[error("`git {subcommand}` failed")]
    Silent { subcommand: String },
}

/// Why the merge base of a revision and `HEAD` cannot be found.
#[derive(Debug, Error)]
pub enum MergeBaseError {
    /// git does not know the revision (or it names no commit).
    #[error("git does not know the base `{base}` ({source})")]
    UnknownBase { base: String, source: GitError },
    /// The revision and `HEAD` share no history.
    #[error("`{base}` and HEAD have no merge base ({source})")]
    NoMergeBase { base: String, source: GitError },
}

/// Runs `git ARGS` in `root`; its standard output, or git's message.
pub(crate) fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let spec = Spec::program("git", root)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdout(Output::Capture {
            limit: read::REPORT_LIMIT,
        })
        .stderr(Output::Tail { keep: 64 * 1024 });
    let output = process::run(spec).map_err(GitError::Start)?;
    if output.ended.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr.trim();
    Err(if message.is_empty() {
        GitError::Silent {
            subcommand: (*args.first().unwrap_or(&"")).to_owned(),
        }
    } else {
        GitError::Said {
            said: message.lines().next().unwrap_or(message).to_owned(),
        }
    })
}

/// The merge base of the revision `base` and `HEAD` (as `git diff
/// base...` uses it): commits that landed on `base` after the branch left
/// it are not part of the change.
pub(crate) fn merge_base(root: &Path, base: &str) -> Result<String, MergeBaseError> {
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{base}^{{commit}}"),
        ],
    )
    .map_err(|source| MergeBaseError::UnknownBase {
        base: base.to_owned(),
        source,
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    let merge_base = git(root, &["merge-base", &commit, "HEAD"]).map_err(|source| {
        MergeBaseError::NoMergeBase {
            base: base.to_owned(),
            source,
        }
    })?;
    Ok(String::from_utf8_lossy(&merge_base).trim().to_owned())
}

/// The bytes of the root-relative `file` at `commit`; `None` when the file
/// does not exist there.
pub(crate) fn file_at(root: &Path, commit: &str, file: &str) -> Result<Option<Vec<u8>>, GitError> {
    let object = format!("{commit}:./{file}");
    if git(root, &["cat-file", "-e", &object]).is_err() {
        return Ok(None);
    }
    git(root, &["cat-file", "blob", &object]).map(Some)
}
