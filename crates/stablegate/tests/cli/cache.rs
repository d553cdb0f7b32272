//! The scan cache through the binary: where it goes (outside the project,
//! under `~/.cache/stablegate`, or `--cache-dir`; none with `--no-cache`),
//! that it is ignored by git, and that it never makes a red gate green: an edit after a cached
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

/// Runs stablegate with `HOME` (and so the default cache) in `home`.
fn run_home(
    project: &crate::support::Project,
    home: &std::path::Path,
    args: &[&str],
) -> Option<i32> {
    let mut command = crate::support::command(project.path(), args);
    command
        .env("HOME", home)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("STABLEGATE_CACHE_DIR")
        .env("STABLEGATE_TODAY", crate::check_fixture::TODAY);
    command.output().expect("run stablegate").status.code()
}

#[test]
fn the_default_cache_lives_outside_the_project_and_never_writes_into_it() {
    let project = shop();
    let before = crate::check_fixture::tree(project.path());
    let home = tempfile::tempdir().expect("a temporary home");
    assert_eq!(run_home(&project, home.path(), &["check"]), Some(0));
    assert_eq!(
        crate::check_fixture::tree(project.path()),
        before,
        "the project is untouched"
    );
    let base = home.path().join(".cache/stablegate");
    let dirs = cache_files(&base);
    assert_eq!(dirs.len(), 1, "one directory per project: {dirs:?}");
    let names = cache_files(&base.join(&dirs[0]));
    assert_eq!(&names[..2], [".gitignore", "CACHEDIR.TAG"]);
    assert!(
        names[2].starts_with("scan-") && names[2].ends_with(".bin"),
        "{names:?}"
    );
    // A bad input run writes nothing into the project either.
    project.file("gates/inline_load.yaml", "inline_load: [ {\n");
    let before = crate::check_fixture::tree(project.path());
    assert_eq!(run_home(&project, home.path(), &["check"]), Some(2));
    assert_eq!(crate::check_fixture::tree(project.path()), before);
}

#[test]
fn no_cache_writes_nothing_and_cache_dir_moves_it() {
    let project = shop();
    let home = tempfile::tempdir().expect("a temporary home");
    assert_eq!(
        run_home(&project, home.path(), &["--no-cache", "check"]),
        Some(0)
    );
    assert!(!home.path().join(".cache").exists());
    let elsewhere = tempfile::tempdir().expect("a temporary directory");
    let dir = elsewhere.path().join("c");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    assert_eq!(
        run_home(&project, home.path(), &["--cache-dir", dir_arg, "check"]),
        Some(0)
    );
    assert!(!home.path().join(".cache").exists());
    assert_eq!(cache_files(&dir).len(), 3);
    let status = std::process::Command::new("git")
        .args(["init", "-q", "."])
        .current_dir(elsewhere.path())
        .status()
        .expect("git");
    assert!(status.success());
    let listed = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(elsewhere.path())
        .output()
        .expect("git status");
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "",
        "git ignores the cache"
    );
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
    project.file("not-a-dir", "not a directory");
    let outcome = run(&project, &["--cache-dir", "not-a-dir/c", "check"]);
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
