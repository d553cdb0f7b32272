//! `[[fresh]]` (a deterministic generator and one that is not, `{out}` and
//! standard output, failure and timeout) and `[[scope]]` (a real git
//! repository with commits made here; committed, staged, unstaged and
//! untracked changes; an unknown base).

use std::process::Command;

use crate::support::{assert_outcome, Project};

fn fresh(command: &str) -> Project {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!("[[fresh]]\nname = \"graph\"\nartifact = \"docs/graph.txt\"\ncommand = {command:?}\ntimeout = 2\n"),
        )
        .file("docs/graph.txt", "a -> b\nb -> c\n");
    project
}

#[test]
fn a_deterministic_generator_matching_the_artifact_is_green() {
    for command in [
        "printf 'a -> b\\nb -> c\\n' > {out}",
        "printf 'a -> b\\nb -> c\\n'",
    ] {
        let outcome = fresh(command).run(&["check"]);
        assert_outcome(
            &outcome,
            "exit: 0\n--- stdout\nfresh graph: pass (0 items, 1 ok)\n\npass: 1 of 1 gate passed; 1 ok\n--- stderr\n",
        );
    }
}

#[test]
fn a_stale_artifact_is_red_with_a_diff_and_is_not_rewritten() {
    let project = fresh("printf 'a -> b\\nb -> d\\n' > {out}");
    let outcome = project.run(&["check"]);
    assert_outcome(
        &outcome,
        "exit: 1
--- stdout
fresh graph: FAIL (1 item, 0 ok)

docs/graph.txt: stale_artifact: the committed artifact differs from what the generator writes
 = detail: --- docs/graph.txt (committed)
           +++ docs/graph.txt (generated)
           @@ -1,2 +1,2 @@
            a -> b
           -b -> c
           +b -> d
 = help: run the generator and commit the artifact it writes

FAIL: 1 of 1 gate failed; 1 item (1 stale_artifact)
--- stderr
",
    );
    let committed = std::fs::read_to_string(project.path().join("docs/graph.txt")).unwrap();
    assert_eq!(committed, "a -> b\nb -> c\n");
}

#[test]
fn a_non_deterministic_generator_is_red() {
    let outcome = fresh("date +%s%N > {out}").run(&["--format", "json", "check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(value["gates"][0]["kind"], "fresh");
    assert_eq!(value["gates"][0]["items"][0]["verdict"], "stale_artifact");
}

#[test]
fn a_failing_or_slow_generator_is_bad_input() {
    assert_outcome(
        &fresh("echo broken >&2; exit 4").run(&["check"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:2:8: fresh `graph`: the generator `echo broken >&2; exit 4` failed (exit status 4); stderr:\nbroken\n",
    );
    assert_outcome(
        &fresh("sleep 30").run(&["check"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:2:8: fresh `graph`: the generator `sleep 30` did not finish within 2 s and was killed\n",
    );
}

fn git(project: &Project, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(project.path())
        .output()
        .expect("run git");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A repository whose `main` has one commit, checked out on a branch.
fn repository() -> Project {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            "[[scope]]\nname = \"zero-production\"\nbase = \"main\"\nforbid = [\"src/app/**\"]\n",
        )
        .file(".gitignore", "build/\n")
        .file("src/app/core.py", "x = 1\n")
        .file("tests/test_core.py", "def test_x():\n    pass\n");
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    git(&project, &["checkout", "-q", "-b", "change"]);
    project
}

#[test]
fn changes_outside_the_forbidden_paths_are_green() {
    let project = repository();
    project.file("tests/test_more.py", "def test_y():\n    pass\n");
    project.file("build/src/app/generated.py", "ignored\n");
    git(&project, &["add", "tests"]);
    git(&project, &["commit", "-q", "-m", "tests only"]);
    assert_outcome(
        &project.run(&["check"]),
        "exit: 0\n--- stdout\nscope zero-production: pass (0 items, 0 ok)\n\npass: 1 of 1 gate passed\n--- stderr\n",
    );
}

#[test]
fn committed_staged_unstaged_and_untracked_changes_are_all_in_scope() {
    let project = repository();
    project.file("src/app/committed.py", "a = 1\n");
    git(&project, &["add", "src/app/committed.py"]);
    git(&project, &["commit", "-q", "-m", "touch production"]);
    project.file("src/app/staged.py", "b = 1\n");
    git(&project, &["add", "src/app/staged.py"]);
    project.file("src/app/core.py", "x = 2\n");
    project.file("src/app/untracked.py", "c = 1\n");
    let outcome = project.run(&["--format", "json", "check", "zero-production"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let paths: Vec<&str> = (value["gates"][0]["items"].as_array().unwrap().iter())
        .map(|item| {
            assert_eq!(item["verdict"], "out_of_scope");
            item["file"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        paths,
        [
            "src/app/committed.py",
            "src/app/core.py",
            "src/app/staged.py",
            "src/app/untracked.py"
        ]
    );
}

#[test]
fn allow_globs_bound_the_change_too() {
    let project = repository();
    project.file(
        "stablegate.toml",
        "[[scope]]\nname = \"tests-only\"\nbase = \"main\"\nallow = [\"tests/**\", \"stablegate.toml\"]\n",
    );
    project.file("README.md", "hi\n");
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome
            .stdout
            .contains("README.md: out_of_scope: changed since `main`\n"),
        "{outcome}"
    );
    assert!(
        outcome
            .stdout
            .contains("= detail: matches no `allow` glob (tests/**, stablegate.toml)"),
        "{outcome}"
    );
}

#[test]
fn a_base_git_does_not_know_is_bad_input() {
    let project = repository();
    project.file(
        "stablegate.toml",
        "[[scope]]\nname = \"zero-production\"\nbase = \"origin/nowhere\"\nforbid = [\"src/app/**\"]\n",
    );
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(outcome.stdout.is_empty(), "{outcome}");
    assert!(
        outcome.stderr.starts_with(
            "error: stablegate.toml:2:8: scope `zero-production`: git does not know the base `origin/nowhere`"
        ),
        "{outcome}"
    );
}
