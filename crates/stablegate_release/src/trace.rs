//! Traceability of a stage (SPEC §10.1, §10.4): the installed build's
//! commit must be at or after a given commit, by
//! `git merge-base --is-ancestor <at_or_after> <commit>`.
//!
//! Both revisions are rendered (`{tag}`, `{versions.NAME}`) and resolved
//! to full SHAs with `git rev-parse` in the repository (relative to the
//! configuration's directory), and the evidence
//! `probes/trace/<stage>.json` records both as written and as resolved,
//! with the verdict. A revision that does not resolve, a repository that
//! is not one, and a commit that is not a descendant fail the stage: they
//! describe the build under test, which is what the gate is for.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use stablegate_config::Trace;
use stablegate_io::process::{self, Finished, Output, RunError, Spec};
use thiserror::Error;

use crate::error::ReleaseError;
use crate::files;
use crate::progress::Event;
use crate::stage::{AttemptCx, StageEnd};
use crate::versions;

/// `probes/trace/<stage>.json`.
#[derive(Debug, Serialize)]
struct Record {
    repo: String,
    commit: String,
    commit_sha: Option<String>,
    at_or_after: String,
    at_or_after_sha: Option<String>,
    passed: bool,
    reason: Option<String>,
}

/// Why a revision could not be resolved or compared; the text goes into the
/// evidence record's `reason` and the stage's stop message.
#[derive(Debug, Error)]
enum TraceError {
    /// A revision that would read as an option (`-…`).
    #[error("is not a revision")]
    NotARevision,
    /// The repository is not a directory.
    #[error("{} is not a directory", repo.display())]
    NotADirectory { repo: PathBuf },
    /// The revision does not name a commit of the repository.
    #[error("is not a commit of {}", repo.display())]
    NotACommit { repo: PathBuf },
    /// `git merge-base` ended with neither yes (0) nor no (1).
    #[error("git merge-base failed: {stderr}")]
    MergeBase { stderr: String },
    /// `git` could not be run.
    #[error(transparent)]
    Git(#[from] RunError),
}

/// Checks the stage's trace.
pub fn run(cx: &mut AttemptCx<'_>, stage: &str, trace: &Trace) -> Result<StageEnd, ReleaseError> {
    let started = Instant::now();
    let repo = cx.workdir.join(&trace.repo);
    let commit = versions::render(&trace.commit, Some(cx.tag()), cx.versions());
    let at_or_after = versions::render(&trace.at_or_after, Some(cx.tag()), cx.versions());
    let commit_sha = resolve(cx.workdir, &repo, &commit);
    let at_or_after_sha = resolve(cx.workdir, &repo, &at_or_after);
    let reason = match (&commit_sha, &at_or_after_sha) {
        (Err(problem), _) => Some(format!("commit `{commit}`: {problem}")),
        (_, Err(problem)) => Some(format!("at_or_after `{at_or_after}`: {problem}")),
        (Ok(head), Ok(base)) => match is_ancestor(cx.workdir, &repo, base, head) {
            Ok(true) => None,
            Ok(false) => Some(format!(
                "commit {head} (`{commit}`) is not at or after {base} (`{at_or_after}`)"
            )),
            Err(problem) => Some(problem.to_string()),
        },
    };
    let record = Record {
        repo: trace.repo.clone(),
        commit: commit.clone(),
        commit_sha: commit_sha.ok(),
        at_or_after: at_or_after.clone(),
        at_or_after_sha: at_or_after_sha.ok(),
        passed: reason.is_none(),
        reason: reason.clone(),
    };
    let path = cx.dir.join("probes/trace").join(format!("{stage}.json"));
    files::write_new(&path, &files::json(&path, &record)?)?;
    cx.observer.event(Event::CheckEnded {
        stage,
        command: &format!("trace {commit} at or after {at_or_after}"),
        passed: reason.is_none(),
        took: started.elapsed(),
    });
    Ok(match reason {
        None => StageEnd::Passed,
        Some(reason) => StageEnd::stopped(format!("trace in {}: {reason}", trace.repo)),
    })
}

/// The full SHA of a revision.
fn resolve(workdir: &Path, repo: &Path, revision: &str) -> Result<String, TraceError> {
    if revision.starts_with('-') {
        return Err(TraceError::NotARevision);
    }
    let output = git(
        workdir,
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )?;
    if output.ended.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else if !repo.is_dir() {
        Err(TraceError::NotADirectory {
            repo: repo.to_path_buf(),
        })
    } else {
        Err(TraceError::NotACommit {
            repo: repo.to_path_buf(),
        })
    }
}

fn is_ancestor(workdir: &Path, repo: &Path, base: &str, head: &str) -> Result<bool, TraceError> {
    let output = git(workdir, repo, &["merge-base", "--is-ancestor", base, head])?;
    match output.ended.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(TraceError::MergeBase {
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        }),
    }
}

/// Runs `git -C <repo> <args>` to its end, its output captured.
fn git(workdir: &Path, repo: &Path, args: &[&str]) -> Result<Finished, TraceError> {
    let spec = Spec::program("git", workdir)
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdout(Output::Capture { limit: 1 << 20 })
        .stderr(Output::Tail { keep: 16 * 1024 });
    Ok(process::run(spec)?)
}
