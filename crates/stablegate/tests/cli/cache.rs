//! The scan cache through the binary: where it goes (`.stablegate_cache/` in
//! the root, `--cache-dir`, none with `--no-cache`), that it is ignored by
//! git, and that it never makes a red gate green: an edit after a cached
//! green run is found, and a cache directory that cannot be used changes
//! nothing but speed.

use crate::check_fixture::{edit, run, shop};

fn cache_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn check_keeps_its_cache_in_the_root_and_git_ignores_it() {
    let project = shop();
    assert_eq!(run(&project, &["check"]).code, Some(0));
    let cache = project.path().join(".stablegate_cache");
    let names = cache_files(&cache);
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(&names[..2], [".gitignore", "CACHEDIR.TAG"]);
    assert!(
        names[2].starts_with("scan-") && names[2].ends_with(".bin"),
        "{names:?}"
    );
    let status = std::process::Command::new("git")
        .args(["init", "-q", "."])
        .current_dir(project.path())
        .status()
        .expect("git");
    assert!(status.success());
    let listed = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(project.path())
        .output()
        .expect("git status");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(!listed.contains(".stablegate_cache"), "{listed}");
}

#[test]
fn no_cache_writes_nothing_and_cache_dir_moves_it() {
    let project = shop();
    assert_eq!(run(&project, &["--no-cache", "check"]).code, Some(0));
    assert!(!project.path().join(".stablegate_cache").exists());
    let elsewhere = tempfile::tempdir().expect("a temporary directory");
    let dir = elsewhere.path().join("c");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    assert_eq!(
        run(&project, &["--cache-dir", dir_arg, "check"]).code,
        Some(0)
    );
    assert!(!project.path().join(".stablegate_cache").exists());
    assert_eq!(cache_files(&dir).len(), 3);
}

#[test]
fn an_edit_after_a_cached_green_run_is_found() {
    let project = shop();
    assert_eq!(run(&project, &["check"]).code, Some(0));
    assert_eq!(run(&project, &["check"]).code, Some(0), "warm");
    // Same length, same line count: only the content tells.
    edit(
        &project,
        "src/shop/meta.py",
        "meta = json.load(f)",
        "meta = json.load(g)",
    );
    let outcome = run(&project, &["check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(outcome.stdout.contains("changed"), "{outcome}");
    let uncached = run(&project, &["--no-cache", "check"]);
    assert_eq!(outcome.stdout, uncached.stdout);
}

#[test]
fn a_cache_directory_that_cannot_be_used_changes_nothing_but_speed() {
    let project = shop();
    // A file where the directory would go: nothing can be read or written.
    project.file(".stablegate_cache", "not a directory");
    let outcome = run(&project, &["check"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(outcome.stderr, "");
    edit(
        &project,
        "src/shop/meta.py",
        "meta = json.load(f)",
        "meta = json.load(g)",
    );
    assert_eq!(run(&project, &["check"]).code, Some(1));
}
