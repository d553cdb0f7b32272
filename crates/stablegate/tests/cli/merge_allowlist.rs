//! `stablegate merge-allowlist` as git's merge driver, through real `git
//! merge`s: two branches that each ran `allow` merge cleanly, with every
//! entry, the right baseline and a green `check`; a real conflict is left
//! to the user with git's conflict markers.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::check_fixture::{allowlist, run, shop, ALLOWLIST, LOADER_ENTRY, READ_META_ENTRY};
use crate::support::Project;

pub(crate) fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("run git");
    output
}

#[track_caller]
pub(crate) fn git_ok(dir: &Path, args: &[&str]) {
    let output = git(dir, args);
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// The shop under git, with the driver set up as docs/allowlists.md says;
/// the allowlist has a baseline of 2.
fn repository() -> Project {
    let project = shop();
    project.file(
        ALLOWLIST,
        format!(
            "# Accepted loads.\ninline_load_baseline: 2\n{}",
            allowlist(&[READ_META_ENTRY, LOADER_ENTRY])
        ),
    );
    under_git_with_driver(&project, "%O %A %B");
    project
}

/// Puts `project` under git on `main`, with the allowlist merge driver set up
/// as docs/allowlists.md says (`args` after the program), and commits it.
pub(crate) fn under_git_with_driver(project: &Project, args: &str) {
    project.file(
        ".gitattributes",
        "gates/*.yaml merge=stablegate-allowlist\n",
    );
    let dir = project.path();
    git_ok(dir, &["init", "-q", "-b", "main"]);
    let driver = format!(
        "{} merge-allowlist {args}",
        env!("CARGO_BIN_EXE_stablegate")
    );
    git_ok(
        dir,
        &[
            "config",
            "merge.stablegate-allowlist.name",
            "stablegate allowlists",
        ],
    );
    git_ok(
        dir,
        &["config", "merge.stablegate-allowlist.driver", &driver],
    );
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "base"]);
}

/// On a new branch from main: a module with one `json.load` site, accepted
/// with `allow`, committed.
pub(crate) fn branch_allowing(project: &Project, branch: &str, module: &str, function: &str) {
    let dir = project.path();
    git_ok(dir, &["checkout", "-q", "-b", branch, "main"]);
    project.file(
        &format!("src/shop/{module}.py"),
        format!("import json\n\n\ndef {function}(stream):\n    return json.load(stream)\n"),
    );
    let allowed = run(project, &["allow", "inline_load", "--reason", branch]);
    assert_eq!(allowed.code, Some(0), "{allowed}");
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", branch]);
}

pub(crate) fn read(project: &Project) -> String {
    fs::read_to_string(project.path().join(ALLOWLIST)).expect("the allowlist")
}

#[test]
fn two_branches_that_each_allowed_a_site_merge_cleanly_with_the_right_baseline() {
    let project = repository();
    let dir = project.path();
    // Both new entries sort before the existing ones, so both branches
    // insert at the same place, and both raise the baseline from 2 to 3:
    // git's own line merge conflicts on both.
    branch_allowing(&project, "cart", "cart", "load_cart");
    branch_allowing(&project, "basket", "basket", "load_basket");
    git_ok(dir, &["checkout", "-q", "cart"]);
    let merged = git(dir, &["merge", "--no-edit", "basket"]);
    assert!(merged.status.success(), "{merged:?}");
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(
        stderr.contains("stablegate merge-allowlist: `inline_load`: 4 entries (1 added from THEIRS, `inline_load_baseline` 4)"),
        "{stderr}"
    );
    let entry = |file: &str, function: &str, reason: &str| {
        format!("- file: src/shop/{file}.py\n  qualname: {function}\n  line: 5\n  token: \"return json . load ( stream )\"\n  rationale: \"{reason}\"\n")
    };
    assert_eq!(
        read(&project),
        format!(
            "# Accepted loads.\ninline_load_baseline: 4\n{}",
            allowlist(&[
                &entry("basket", "load_basket", "basket"),
                &entry("cart", "load_cart", "cart"),
                READ_META_ENTRY,
                LOADER_ENTRY
            ])
        )
    );
    let status = String::from_utf8_lossy(&git(dir, &["status", "--porcelain"]).stdout).into_owned();
    assert_eq!(status, "");
    let check = run(&project, &["check"]);
    assert_eq!(check.code, Some(0), "{check}");

    // A branch that pruned an entry and one that accepted another: the
    // entry stays removed, the new one comes in, the baseline is 4.
    git_ok(dir, &["checkout", "-q", "-b", "prune", "cart"]);
    fs::remove_file(dir.join("src/shop/cart.py")).expect("remove");
    let pruned = run(&project, &["prune"]);
    assert_eq!(pruned.code, Some(0), "{pruned}");
    git_ok(dir, &["commit", "-q", "-am", "prune"]);
    git_ok(dir, &["checkout", "-q", "-b", "crate", "cart"]);
    project.file(
        "src/shop/crate.py",
        "import json\n\n\ndef load_crate(stream):\n    return json.load(stream)\n",
    );
    assert_eq!(
        run(&project, &["allow", "inline_load", "--reason", "crate"]).code,
        Some(0)
    );
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "crate"]);
    let merged = git(dir, &["merge", "--no-edit", "prune"]);
    assert!(merged.status.success(), "{merged:?}");
    let text = read(&project);
    assert!(
        text.starts_with("# Accepted loads.\ninline_load_baseline: 4\n"),
        "{text}"
    );
    assert!(!text.contains("src/shop/cart.py"), "{text}");
    assert!(text.contains("src/shop/crate.py"), "{text}");
    let check = run(&project, &["check"]);
    assert_eq!(check.code, Some(0), "{check}");
}

#[test]
fn an_entry_changed_differently_on_both_sides_is_left_as_a_conflict() {
    let project = repository();
    let dir = project.path();
    for (branch, reason) in [("one", "the loader is a codec"), ("two", "legacy loader")] {
        git_ok(dir, &["checkout", "-q", "-b", branch, "main"]);
        crate::check_fixture::edit(&project, ALLOWLIST, "the loader is the codec", reason);
        git_ok(dir, &["commit", "-q", "-am", branch]);
    }
    git_ok(dir, &["checkout", "-q", "one"]);
    let merged = git(dir, &["merge", "--no-edit", "two"]);
    assert!(!merged.status.success(), "{merged:?}");
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(
        stderr.contains("conflict: `inline_load`: both sides changed the entry src/shop/meta.py (Loader.load) return json . load ( handle )"),
        "{stderr}"
    );
    let text = read(&project);
    assert!(text.contains("<<<<<<< ours\n"), "{text}");
    assert!(text.contains(">>>>>>> theirs\n"), "{text}");
    let status = String::from_utf8_lossy(&git(dir, &["status", "--porcelain"]).stdout).into_owned();
    assert!(status.contains("UU gates/inline_load.yaml"), "{status}");
}

#[test]
fn a_version_that_cannot_be_read_is_exit_2() {
    let project = Project::new();
    project
        .file("base.yaml", "k: []\n")
        .file("ours.yaml", "k: []\n");
    let outcome = project.run(&["merge-allowlist", "base.yaml", "ours.yaml", "missing.yaml"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(outcome.stderr, "error: missing.yaml: does not exist\n");
}
