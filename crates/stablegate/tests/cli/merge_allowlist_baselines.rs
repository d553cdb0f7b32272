//! `stablegate merge-allowlist` with a gate's `baseline_key` (SPEC §12.2,
//! §12.5), through real `git merge`s: the driver reads the configuration
//! from the repository root (and narrows it with git's %P) to find the
//! custom baseline and recomputes it; without the configuration, a changed
//! number that is no list's baseline is left as a conflict.

use std::fs;

use crate::check_fixture::{
    allowlist, run, shop, ALLOWLIST, CONFIG, LOADER_ENTRY, READ_META_ENTRY,
};
use crate::merge_allowlist::{branch_allowing, git, git_ok, read, under_git_with_driver};
use crate::support::Project;

/// The shop under git with `baseline_key = "accepted_loads"` (baseline 2)
/// and the driver set up with `args` after the program.
fn repository(args: &str) -> Project {
    let project = shop();
    project.file(
        "stablegate.toml",
        format!("{CONFIG}baseline_key = \"accepted_loads\"\n"),
    );
    project.file(
        ALLOWLIST,
        format!(
            "accepted_loads: 2\n{}",
            allowlist(&[READ_META_ENTRY, LOADER_ENTRY])
        ),
    );
    under_git_with_driver(&project, args);
    assert_eq!(run(&project, &["check"]).code, Some(0));
    branch_allowing(&project, "cart", "cart", "load_cart");
    branch_allowing(&project, "basket", "basket", "load_basket");
    git_ok(project.path(), &["checkout", "-q", "cart"]);
    project
}

#[test]
fn a_custom_baseline_key_is_recomputed_from_the_configuration() {
    for args in ["%O %A %B", "%O %A %B %P"] {
        let project = repository(args);
        let dir = project.path();
        let merged = git(dir, &["merge", "--no-edit", "basket"]);
        assert!(merged.status.success(), "{args}: {merged:?}");
        let stderr = String::from_utf8_lossy(&merged.stderr);
        assert!(
            stderr.contains("`inline_load`: 4 entries (1 added from THEIRS, `accepted_loads` 4)"),
            "{stderr}"
        );
        let text = read(&project);
        assert!(
            text.starts_with("accepted_loads: 4\ninline_load:\n"),
            "{text}"
        );
        assert!(!text.contains("inline_load_baseline"), "{text}");
        let check = run(&project, &["check"]);
        assert_eq!(check.code, Some(0), "{args}: {check}");
    }
}

#[test]
fn without_the_configuration_a_changed_unknown_baseline_is_a_conflict() {
    let project = repository("%O %A %B");
    let dir = project.path();
    // The configuration is gone from the working tree (not from git):
    // both sides raised `accepted_loads` from 2 to 3, which a text merge
    // would keep as 3 for 4 entries.
    fs::remove_file(dir.join("stablegate.toml")).unwrap();
    let merged = git(dir, &["merge", "--no-edit", "basket"]);
    assert!(!merged.status.success(), "{merged:?}");
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert!(
        stderr.contains("conflict: `accepted_loads` changed (BASE 2, OURS 3, THEIRS 3) and is the baseline of no list the driver knows"),
        "{stderr}"
    );
    let status = String::from_utf8_lossy(&git(dir, &["status", "--porcelain"]).stdout).into_owned();
    assert!(status.contains("UU gates/inline_load.yaml"), "{status}");
}

#[test]
fn a_list_given_two_baseline_keys_is_a_conflict() {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"a\"\npattern = \"x\"\nallowlist = \"one.yaml\"\nallowlist_key = \"k\"\nbaseline_key = \"k_one\"\n\n[[gate]]\nname = \"b\"\npattern = \"y\"\nallowlist = \"two.yaml\"\nallowlist_key = \"k\"\nbaseline_key = \"k_two\"\n",
        )
        .file("base.yaml", "k:\n- file: a.py\n  qualname: f\n  token: \"x\"\n")
        .file("ours.yaml", "k:\n- file: a.py\n  qualname: f\n  token: \"x\"\n")
        .file("theirs.yaml", "k:\n- file: a.py\n  qualname: f\n  token: \"x\"\n- file: b.py\n  qualname: g\n  token: \"x\"\n");
    let outcome = project.run(&["merge-allowlist", "base.yaml", "ours.yaml", "theirs.yaml"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome.stderr.contains(
            "conflict: `k`: the configuration gives it several baseline keys (`k_one`, `k_two`)"
        ),
        "{outcome}"
    );
    // Given the file's path (git's %P), only its gate counts.
    let outcome = project.run(&[
        "merge-allowlist",
        "base.yaml",
        "ours.yaml",
        "theirs.yaml",
        "one.yaml",
    ]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
}
