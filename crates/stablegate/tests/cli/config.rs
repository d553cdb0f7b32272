//! Configuration errors surfacing through the CLI. `key` and `keys` need no
//! configuration: they validate one named with `--config`, and do not read a
//! discovered one.

use crate::support::{assert_outcome, Project};

#[test]
fn a_broken_explicit_config_stops_key_with_file_line_and_key() {
    let project = Project::new();
    project.file("a.py", "a = 1\n").file(
        "ci/gates.toml",
        "[[gate]]\nname = \"meta\"\npatern = \"json.load($F)\"\n",
    );
    let outcome = project.run(&["--config", "ci/gates.toml", "key", "a.py:1"]);
    assert_outcome(
        &outcome,
        "exit: 2\n--- stdout\n--- stderr\n\
         error: ci/gates.toml:3:1: `gate[0].patern`: unknown field `patern`, expected one of \
         `name`, `paths`, `include`, `exclude`, `pattern`, `patterns`, `rule_file`, `command`, \
         `detector`, `rules`, `timeout`, `sarif`, `language`, `message`, `allowlist`, \
         `allowlist_key`, `strict_counts`, `baseline_key`, `min_sites`, `max_sites`, \
         `shrink_only`, `audit_only`, `theater`, `on_parse_error`\n",
    );
}

#[test]
fn a_broken_explicit_pyproject_stops_keys_at_its_line() {
    let project = Project::new();
    project.file("a.py", "a = 1\n").file(
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[[tool.stablegate.gate]]\nname = \"Bad Name\"\npattern = \"x\"\n",
    );
    assert_outcome(
        &project.run(&["--config", "pyproject.toml", "keys", "a.py"]),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: pyproject.toml:5:8: `tool.stablegate.gate[0].name`: gate name `Bad Name` must \
         match [a-z0-9_-]+\n",
    );
}

#[test]
fn an_empty_http_list_is_reported_not_ignored() {
    let project = Project::new();
    project.file("a.py", "a = 1\n").file(
        "stablegate.toml",
        "[release.x]\nevidence_dir = \"ev\"\n\n[[release.x.stage]]\nname = \"pre\"\n\
             reaches = \"PRE\"\nhttp = []\n",
    );
    assert_outcome(
        &project.run(&["--config", "stablegate.toml", "key", "a.py:1"]),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: stablegate.toml:7:8: `release.x.stage[0].http`: `http` lists no check\n",
    );
}

#[test]
fn a_missing_explicit_config_is_bad_input() {
    let project = Project::new();
    project.file("a.py", "a = 1\n");
    let outcome = project.run(&["--config", "nope.toml", "key", "a.py:1"]);
    assert_eq!(outcome.code, Some(2));
    assert!(
        outcome
            .stderr
            .starts_with("error: nope.toml: cannot read the configuration: "),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_discovered_config_is_not_read_by_key_tooling() {
    let project = Project::new();
    project
        .file("a.py", "a = 1\n")
        .file("stablegate.toml", "[[gate]\n");
    assert_outcome(
        &project.run(&["key", "a.py:1"]),
        "exit: 0\n--- stdout\n<module>\ta = 1\n--- stderr\n",
    );
}

#[test]
fn a_valid_explicit_config_lets_key_run() {
    let project = Project::new();
    project.file("a.py", "a = 1\n").file(
        "stablegate.toml",
        "[[gate]]\nname = \"meta\"\npattern = \"json.load($F)\"\npaths = [\"src\"]\n",
    );
    assert_outcome(
        &project.run(&["--config", "stablegate.toml", "key", "a.py:1"]),
        "exit: 0\n--- stdout\n<module>\ta = 1\n--- stderr\n",
    );
}
