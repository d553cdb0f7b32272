//! `stablegate prune` and `--dry-run` through the binary: stale entries
//! removed with the comments attached to them and the baseline lowered,
//! every other byte kept; fail-closed when the run could not see every
//! file; `--dry-run` of allow/convert/refresh/prune prints a diff that
//! `git apply` turns into exactly what the real command writes, and writes
//! nothing.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::allow_fixture::run_in_ci;
use crate::check_fixture::{allowlist, run, shop, tree, ALLOWLIST, LOADER_ENTRY, READ_META_ENTRY};
use crate::support::Project;

/// Two live entries and two stale ones (one with its comment), under a
/// baseline of 4.
fn stale_allowlist() -> String {
    format!(
        "# Accepted json.load calls.\ninline_load_baseline: 4   # shrink-only\n{}",
        allowlist(&[
            READ_META_ENTRY,
            "# gone since the cart rewrite\n- file: src/shop/cart.py\n  qualname: load_cart\n  token: \"cart = json . load ( stream )\"\n  rationale: \"r\"\n",
            LOADER_ENTRY,
            "- file: src/shop/meta.py\n  qualname: Loader.save\n  token: \"json . dump ( x )\"\n  rationale: \"r\"\n",
        ])
    )
}

fn pruned_allowlist() -> String {
    format!(
        "# Accepted json.load calls.\ninline_load_baseline: 2   # shrink-only\n{}",
        allowlist(&[READ_META_ENTRY, LOADER_ENTRY])
    )
}

fn stale_shop() -> Project {
    let project = shop();
    project.file(ALLOWLIST, stale_allowlist());
    project
}

fn allowlist_text(project: &Project) -> String {
    fs::read_to_string(project.path().join(ALLOWLIST)).expect("the allowlist")
}

#[test]
fn prune_removes_stale_entries_and_lowers_the_baseline_and_check_goes_green() {
    let project = stale_shop();
    assert_eq!(run(&project, &["check"]).code, Some(1));
    let outcome = run(&project, &["prune"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(
        outcome.stdout,
        "gates/inline_load.yaml: `inline_load` (gate `inline_load`): removed 2 stale entries\n\
         \x20 gates/inline_load.yaml:10: src/shop/cart.py (load_cart) cart = json . load ( stream )\n\
         \x20 gates/inline_load.yaml:19: src/shop/meta.py (Loader.save) json . dump ( x )\n\
         gates/inline_load.yaml: lowered `inline_load_baseline` from 4 to 2\n",
        "{outcome}"
    );
    // Byte for byte: the other entries, the header and its comment stay.
    assert_eq!(allowlist_text(&project), pruned_allowlist());
    assert_eq!(run(&project, &["check"]).code, Some(0));
    // Nothing stale any more: nothing to write.
    let again = run(&project, &["prune", "inline_load"]);
    assert_eq!(again.code, Some(0), "{again}");
    assert!(again.stdout.contains("removed 0 stale entries"), "{again}");
    assert_eq!(allowlist_text(&project), pruned_allowlist());
}

#[test]
fn prune_refuses_when_the_run_could_not_see_every_file() {
    let project = stale_shop();
    project.file(
        "src/shop/broken.py",
        b"import json\n\n\ndef f(x):\n    return json.load(x)  # \xff\n".as_slice(),
    );
    let before = tree(project.path());
    let outcome = run(&project, &["prune"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(outcome.stdout, "");
    assert!(
        outcome.stderr.starts_with(
            "error: gates/inline_load.yaml: not pruned (gate `inline_load`): src/shop/broken.py"
        ),
        "{outcome}"
    );
    assert_eq!(tree(project.path()), before);
}

#[test]
fn prune_in_ci_writes_only_with_write() {
    let project = stale_shop();
    let refused = run_in_ci(&project, &["prune"]);
    assert_eq!(refused.code, Some(2), "{refused}");
    assert_eq!(allowlist_text(&project), stale_allowlist());
    let written = run_in_ci(&project, &["prune", "--write"]);
    assert_eq!(written.code, Some(0), "{written}");
    assert_eq!(allowlist_text(&project), pruned_allowlist());
}

/// Copies every file of `from` into a new project.
fn copy(from: &Project) -> Project {
    let to = Project::new();
    for (file, bytes) in tree(from.path()) {
        to.file(&file, bytes);
    }
    to
}

/// `git apply` of `diff` in `dir`.
fn git_apply(dir: &Path, diff: &str) {
    let patches = tempfile::tempdir().expect("a temporary directory");
    let patch = patches.path().join("change.patch");
    fs::write(&patch, diff).expect("write the patch");
    let output = Command::new("git")
        .args(["apply", "--verbose"])
        .arg(&patch)
        .current_dir(dir)
        .output()
        .expect("run git apply");
    assert!(output.status.success(), "git apply: {output:?}\n{diff}");
}

/// `--dry-run` of `args` writes nothing, exits 0 and prints a diff; the
/// diff applied to a copy gives the tree the real command writes.
#[track_caller]
fn dry_run_equals_the_real_run(project: &Project, args: &[&str]) -> String {
    let before = tree(project.path());
    let mut dry: Vec<&str> = args.to_vec();
    dry.push("--dry-run");
    // In CI too: a dry run writes nothing, so the guard does not apply.
    let mut dry_in_ci = crate::support::command(project.path(), &dry);
    dry_in_ci
        .env("STABLEGATE_TODAY", crate::check_fixture::TODAY)
        .env("CI", "true");
    let outcome = crate::support::Outcome::from(dry_in_ci.output().expect("run stablegate"));
    assert_eq!(outcome.code, Some(0), "{args:?}: {outcome}");
    assert_eq!(outcome.stderr, "", "{args:?}");
    assert_eq!(tree(project.path()), before, "{args:?} wrote");
    assert!(outcome.stdout.contains("\n+++ b/"), "{args:?}: {outcome}");
    let applied = copy(project);
    git_apply(applied.path(), &outcome.stdout);
    let real = run(project, args);
    assert_eq!(real.code, Some(0), "{args:?}: {real}");
    assert_eq!(tree(applied.path()), tree(project.path()), "{args:?}");
    outcome.stdout
}

#[test]
fn dry_run_prints_the_diff_git_applies_for_every_editing_command() {
    // prune
    let diff = dry_run_equals_the_real_run(&stale_shop(), &["prune"]);
    assert!(
        diff.starts_with("--- a/gates/inline_load.yaml\n+++ b/gates/inline_load.yaml\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-inline_load_baseline: 4   # shrink-only\n+inline_load_baseline: 2   # shrink-only\n"), "{diff}");

    // allow, into an existing file and creating one
    let project = shop();
    project.file(
        "src/shop/cart.py",
        "import json\n\n\ndef load_cart(stream):\n    return json.load(stream)\n",
    );
    dry_run_equals_the_real_run(&project, &["allow", "inline_load", "--reason", "r"]);
    let project = shop();
    fs::remove_file(project.path().join(ALLOWLIST)).expect("remove");
    let diff = dry_run_equals_the_real_run(&project, &["allow", "inline_load", "--reason", "r"]);
    assert!(
        diff.starts_with("--- /dev/null\n+++ b/gates/inline_load.yaml\n"),
        "{diff}"
    );

    // refresh: the loader moved two lines down
    let project = shop();
    crate::check_fixture::edit(
        &project,
        "src/shop/meta.py",
        "class Loader:",
        "\n\nclass Loader:",
    );
    let diff = dry_run_equals_the_real_run(&project, &["refresh"]);
    assert!(diff.contains("\n-  line: 12\n+  line: 14\n"), "{diff}");

    // convert: a legacy entry frozen
    let project = shop();
    project.file(
        ALLOWLIST,
        allowlist(&[
            READ_META_ENTRY,
            "- file: src/shop/meta.py\n  qualname: Loader.load\n  line: 12\n  rationale: \"the loader is the codec\"\n",
        ]),
    );
    let diff = dry_run_equals_the_real_run(&project, &["convert", "inline_load"]);
    assert!(
        diff.contains("+  token: \"return json . load ( handle )\"\n"),
        "{diff}"
    );
}

#[test]
fn dry_run_with_nothing_to_change_prints_nothing() {
    let project = shop();
    let before = tree(project.path());
    for args in [
        &["prune", "--dry-run"][..],
        &["refresh", "--dry-run"],
        &["allow", "inline_load", "--reason", "r", "--dry-run"],
    ] {
        let outcome = run(&project, args);
        assert_eq!(
            (outcome.code, outcome.stdout.as_str()),
            (Some(0), ""),
            "{args:?}: {outcome}"
        );
    }
    assert_eq!(tree(project.path()), before);
}
