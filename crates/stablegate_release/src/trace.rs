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

use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use stablegate_config::Trace;
use stablegate_io::process::{self, Finished, Output, Spec};

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
            Err(problem) => Some(problem),
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
fn resolve(workdir: &Path, repo: &Path, revision: &str) -> Result<String, String> {
    if revision.starts_with('-') {
        return Err("is not a revision".to_owned());
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
        Err(format!("{} is not a directory", repo.display()))
    } else {
        Err(format!("is not a commit of {}", repo.display()))
    }
}

fn is_ancestor(workdir: &Path, repo: &Path, base: &str, head: &str) -> Result<bool, String> {
    let output = git(workdir, repo, &["merge-base", "--is-ancestor", base, head])?;
    match output.ended.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(format!(
            "git merge-base failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// Runs `git -C <repo> <args>` to its end, its output captured.
fn git(workdir: &Path, repo: &Path, args: &[&str]) -> Result<Finished, String> {
    let spec = Spec::program("git", workdir)
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdout(Output::Capture { limit: 1 << 20 })
        .stderr(Output::Tail { keep: 16 * 1024 });
    process::run(spec).map_err(|err| err.to_string())
}
