//! Traceability against a real repository built by the test: the installed
//! build's commit (a captured version) before, at and after the required
//! commit, and on an unrelated branch; the evidence records both SHAs.

use std::path::Path;
use std::process::Command;

use crate::release_fixture::{json, project, ReleaseProject};

fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// `(before, at, after, unrelated)` commits of a repository at `repo`.
fn repository(repo: &Path) -> [String; 4] {
    std::fs::create_dir_all(repo).unwrap();
    git(repo, &["init", "-q"]);
    let commit = |message: &str| {
        git(repo, &["commit", "-q", "--allow-empty", "-m", message]);
        git(repo, &["rev-parse", "HEAD"])
    };
    let before = commit("before");
    let at = commit("at");
    let after = commit("after");
    git(repo, &["checkout", "-q", "--orphan", "unrelated"]);
    let unrelated = commit("unrelated");
    [before, at, after, unrelated]
}

fn config(at_or_after: &str) -> String {
    format!(
        r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[release.rel.versions]
app_commit = {{ command = "cat COMMIT" }}

[[release.rel.stage]]
name = "install"
reaches = "RC_INSTALLED"
check = ["true"]
trace = {{ repo = "app", commit = "{{versions.app_commit}}", at_or_after = "{at_or_after}" }}
"#
    )
}

fn run_with(installed: &str, at_or_after: &str) -> (ReleaseProject, Option<i32>) {
    let project = project(&config(at_or_after), "", "");
    project.file("COMMIT", format!("{installed}\n"));
    repository(&project.path().join("app"));
    let outcome = project.run(&["release", "run", "rel"]);
    (project, outcome.code)
}

#[test]
fn a_build_at_or_after_the_commit_passes_and_before_or_unrelated_stops() {
    let scratch = tempfile::tempdir().unwrap();
    // The SHAs depend on the commit times, so one repository is built and
    // copied into every project.
    let [before, at, after, unrelated] = repository(scratch.path());
    for (installed, passes) in [
        (&at, true),
        (&after, true),
        (&before, false),
        (&unrelated, false),
    ] {
        let project = project(&config(&at), "", "");
        project.file("COMMIT", format!("{installed}\n"));
        let copied = Command::new("cp")
            .arg("-r")
            .arg(scratch.path())
            .arg(project.path().join("app"))
            .status()
            .unwrap();
        assert!(copied.success());
        let outcome = project.run(&["release", "run", "rel"]);
        assert_eq!(
            outcome.code,
            Some(i32::from(!passes)),
            "{installed}: {outcome}"
        );
        let record = json(&project, "evidence/v1-attempt1/probes/trace/install.json");
        assert_eq!(record["commit_sha"].as_str(), Some(installed.as_str()));
        assert_eq!(record["at_or_after_sha"].as_str(), Some(at.as_str()));
        assert_eq!(record["passed"], passes);
        let state = json(&project, "evidence/v1-attempt1/state.json");
        if passes {
            assert_eq!(state["state"], "COMPLETE");
        } else {
            assert_eq!(
                state["reason"].as_str(),
                Some(format!("trace in app: commit {installed} (`{installed}`) is not at or after {at} (`{at}`)").as_str())
            );
        }
    }
}

#[test]
fn a_revision_the_repository_does_not_have_stops_the_stage() {
    let (project, code) = run_with("0123456789abcdef0123456789abcdef01234567", "HEAD");
    assert_eq!(code, Some(1));
    let state = json(&project, "evidence/v1-attempt1/state.json");
    let reason = state["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "trace in app: commit `0123456789abcdef0123456789abcdef01234567`: is not a commit of "
        ),
        "{reason}"
    );
    let record = json(&project, "evidence/v1-attempt1/probes/trace/install.json");
    assert_eq!(record["commit_sha"], serde_json::Value::Null);
    assert_eq!(record["at_or_after_sha"].as_str().map(str::len), Some(40));
}
