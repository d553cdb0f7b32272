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
use std::process::Command;
use std::time::Instant;

use serde::Serialize;
use stablegate_config::Trace;

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
    let commit_sha = resolve(&repo, &commit);
    let at_or_after_sha = resolve(&repo, &at_or_after);
    let reason = match (&commit_sha, &at_or_after_sha) {
        (Err(problem), _) => Some(format!("commit `{commit}`: {problem}")),
        (_, Err(problem)) => Some(format!("at_or_after `{at_or_after}`: {problem}")),
        (Ok(head), Ok(base)) => match is_ancestor(&repo, base, head) {
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
        command: &format!("trace {} at or after {}", commit, at_or_after),
        passed: reason.is_none(),
        took: started.elapsed(),
    });
    Ok(match reason {
        None => StageEnd::Passed,
        Some(reason) => StageEnd::stopped(format!("trace in {}: {reason}", trace.repo)),
    })
}

/// The full SHA of a revision.
fn resolve(repo: &Path, revision: &str) -> Result<String, String> {
    if revision.starts_with('-') {
        return Err("is not a revision".to_owned());
    }
    let output = git(repo)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{revision}^{{commit}}"))
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else if !repo.is_dir() {
        Err(format!("{} is not a directory", repo.display()))
    } else {
        Err(format!("is not a commit of {}", repo.display()))
    }
}

fn is_ancestor(repo: &Path, base: &str, head: &str) -> Result<bool, String> {
    let output = git(repo)
        .args(["merge-base", "--is-ancestor", base, head])
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    match output.status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(format!(
            "git merge-base failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

fn git(repo: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(repo).env("GIT_TERMINAL_PROMPT", "0");
    command
}
