//! `shrink_only` against the base branch (SPEC §12.2; issue 16 item 2), in
//! a real git repository: a base behind HEAD, a base ahead of the branch
//! point, an unrelated history, a missing base, no base at all.

use serde_json::Value;

use crate::support::Project;

const CONFIG: &str = "[[gate]]\nname = \"evals\"\npaths = [\"src\"]\npattern = \"eval($X)\"\n\
allowlist = \"allow.yaml\"\nshrink_only = true\n";

fn git(project: &Project, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(project.path())
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", project.path())
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn commit(project: &Project, message: &str) {
    git(project, &["add", "-A"]);
    git(project, &["commit", "-qm", message]);
}

/// A repository whose `main` accepts one `eval`, with the branch `feature`
/// checked out at the same commit.
fn repository() -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", CONFIG)
        .file("src/a.py", "eval(a)\n");
    git(&project, &["init", "-q", "-b", "main"]);
    assert_eq!(
        project.run(&["allow", "evals", "--reason", "legacy"]).code,
        Some(0)
    );
    commit(&project, "one accepted eval");
    git(&project, &["checkout", "-qb", "feature"]);
    project
}

/// Accepts a second `eval` on the current branch.
fn grow(project: &Project) {
    project.file("src/b.py", "eval(b)\n");
    assert_eq!(
        project.run(&["allow", "evals", "--reason", "new"]).code,
        Some(0)
    );
}

fn check(project: &Project, base: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["--format", "json", "check"];
    args.extend_from_slice(base);
    let outcome = project.run(&args);
    let value = serde_json::from_str(&outcome.stdout).unwrap_or(Value::Null);
    (outcome.code.expect("an exit code"), value, outcome.stderr)
}

fn grown(report: &Value) -> Vec<&Value> {
    (report["gates"][0]["items"].as_array().unwrap().iter())
        .filter(|item| item["verdict"] == "grown")
        .collect()
}

#[test]
fn an_allowlist_that_grew_since_the_base_is_grown_and_allow_still_writes() {
    let project = repository();
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 0, "{report}");
    // `allow` writes (the review sees `grown`), committed or not.
    grow(&project);
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 1, "{report}");
    let items = grown(&report);
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(items[0]["file"], "allow.yaml");
    assert_eq!(
        (items[0]["expected"].as_u64(), items[0]["actual"].as_u64()),
        (Some(1), Some(2))
    );
    commit(&project, "a second eval");
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(grown(&report).len(), 1);
    // The raised `evals_baseline` alone is growth too.
    let human = project.run(&["check", "--base", "main"]);
    assert!(
        human
            .stdout
            .contains("allow.yaml:1: grown: `evals` is shrink-only and grew against `main`"),
        "{human}"
    );
    // Shrinking is always fine.
    project.file("src/b.py", "x = 1\n");
    assert_eq!(project.run(&["prune"]).code, Some(0));
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn the_base_comes_from_the_configuration_unless_given() {
    let project = repository();
    grow(&project);
    project.file(
        "stablegate.toml",
        format!("[check]\nbase = \"main\"\n\n{CONFIG}"),
    );
    let (code, report, _) = check(&project, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(grown(&report).len(), 1);
    // `--base` wins: against the branch itself nothing grew.
    commit(&project, "grown");
    let (code, report, _) = check(&project, &["--base", "feature"]);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn commits_on_the_base_after_the_branch_point_do_not_count() {
    // Base ahead: `main` evicts its entry after `feature` left it. Compared
    // with the merge base, the unchanged branch did not grow; compared with
    // main's tip it would.
    let project = repository();
    git(&project, &["checkout", "-q", "main"]);
    project.file("src/a.py", "x = 1\n");
    assert_eq!(project.run(&["prune"]).code, Some(0));
    commit(&project, "main fixed its eval");
    git(&project, &["checkout", "-q", "feature"]);
    project.file("src/c.py", "y = 2\n");
    commit(&project, "unrelated work");
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 0, "{report}");
    // Behind: HEAD ahead of the base, which is its own merge base.
    grow(&project);
    commit(&project, "grew");
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(grown(&report).len(), 1);
}

#[test]
fn an_allowlist_new_since_the_base_grew_from_nothing() {
    let project = Project::new();
    project
        .file("stablegate.toml", CONFIG)
        .file("src/a.py", "x = 1\n");
    git(&project, &["init", "-q", "-b", "main"]);
    commit(&project, "no allowlist yet");
    project.file("src/a.py", "eval(a)\n");
    assert_eq!(
        project.run(&["allow", "evals", "--reason", "r"]).code,
        Some(0)
    );
    let (code, report, _) = check(&project, &["--base", "main"]);
    assert_eq!(code, 1, "{report}");
    let items = grown(&report);
    assert!(
        items[0]["detail"]
            .as_str()
            .unwrap()
            .contains("the file did not exist there"),
        "{report}"
    );
}

#[test]
fn a_base_that_cannot_be_resolved_is_exit_2() {
    let project = repository();
    // Missing.
    let (code, _, stderr) = check(&project, &["--base", "origin/nowhere"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: the `shrink_only` base: git does not know the base `origin/nowhere`"
        ),
        "{stderr}"
    );
    // Unrelated history: no merge base.
    git(&project, &["checkout", "-q", "--orphan", "other"]);
    commit(&project, "unrelated root");
    git(&project, &["checkout", "-q", "feature"]);
    let (code, _, stderr) = check(&project, &["--base", "other"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error: the `shrink_only` base: `other` and HEAD have no merge base"),
        "{stderr}"
    );
    // No base at all: the ratchet is never skipped silently.
    let (code, _, stderr) = check(&project, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("gate `evals` is `shrink_only`: give the base it may not grow against"),
        "{stderr}"
    );
    // Other gates and commands do not need it.
    assert_eq!(project.run(&["theater"]).code, Some(0));
}
