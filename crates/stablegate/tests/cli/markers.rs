//! `[[marker]]` censuses in `check`, and the `markers` listing: decorators,
//! stacked decorators, `pytestmark` list and single value, class markers
//! counting their methods, good and bad reasons, the baseline ratchet.

use crate::support::{assert_outcome, Project};

const TEST_API: &str = r"import pytest

pytestmark = [pytest.mark.slow, pytest.mark.quarantine]  # shared db — #11


def test_get():
    pass


class TestPost:
    def test_ok(self):
        pass

    def helper(self):
        pass
";

const TEST_UI: &str = r#"import pytest


@pytest.mark.slow
@pytest.mark.quarantine  # renders late on CI — #12
def test_render():
    pass


@pytest.mark.quarantine(reason="timezone — https://example.org/issues/13")
def test_clock():
    pass


@pytest.mark.quarantine  # TestCart flakes — 1a2b3c4d
class TestCart:
    pytestmark = pytest.mark.quarantine  # twice — #14

    def test_add(self):
        pass

    def test_remove(self):
        pass


def test_plain():
    pass
"#;

fn project(baseline: u64) -> Project {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!(
                "[[marker]]\nname = \"quarantine\"\ndecorator = \"pytest.mark.quarantine\"\npaths = [\"tests\"]\nreason = \"<diagnosis> — <issue ref>\"\nbaseline = {baseline}\n"
            ),
        )
        .file("tests/test_api.py", TEST_API)
        .file("tests/test_ui.py", TEST_UI)
        .file("tests/helpers.py", "import pytest\n\n@pytest.mark.quarantine\ndef test_not_collected():\n    pass\n");
    project
}

#[test]
fn marked_nodes_are_counted_as_pytest_collects_them() {
    assert_outcome(
        &project(6).run(&["markers"]),
        "exit: 0
--- stdout
marker quarantine (pytest.mark.quarantine): 6 marked tests, baseline 6
  tests/test_api.py:6  tests/test_api.py::test_get  shared db — #11
  tests/test_api.py:11  tests/test_api.py::TestPost::test_ok  shared db — #11
  tests/test_ui.py:6  tests/test_ui.py::test_render  renders late on CI — #12
  tests/test_ui.py:11  tests/test_ui.py::test_clock  timezone — https://example.org/issues/13
  tests/test_ui.py:19  tests/test_ui.py::TestCart::test_add  TestCart flakes — 1a2b3c4d; twice — #14
  tests/test_ui.py:22  tests/test_ui.py::TestCart::test_remove  TestCart flakes — 1a2b3c4d; twice — #14
--- stderr
",
    );
    let green = project(6).run(&["check"]);
    assert_eq!(green.code, Some(0), "{green}");
    assert!(
        green.stdout.ends_with("pass: 1 of 1 gate passed; 6 ok\n"),
        "{green}"
    );
}

#[test]
fn the_listing_has_a_json_form() {
    let outcome = project(6).run(&["--format", "json", "markers", "quarantine"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(value["version"], 1);
    let marker = &value["markers"][0];
    assert_eq!(marker["count"], 6);
    assert_eq!(marker["baseline"], 6);
    let node = &marker["nodes"][4];
    assert_eq!(node["node"], "tests/test_ui.py::TestCart::test_add");
    assert_eq!(
        node["marks"][0],
        serde_json::json!({"line": 15, "on": "TestCart", "reason": "TestCart flakes — 1a2b3c4d"})
    );
}

#[test]
fn a_count_above_the_baseline_is_red_and_below_is_reported_green() {
    let above = project(5).run(&["check"]);
    assert_eq!(above.code, Some(1), "{above}");
    assert!(
        above.stdout.contains(
            "stablegate.toml:2: over_baseline: 6 test(s) marked `pytest.mark.quarantine`, baseline 5\n"
        ),
        "{above}"
    );
    assert!(
        above
            .stdout
            .contains("= baseline: expected 5 marked tests, found 6"),
        "{above}"
    );
    let below = project(9).run(&["check"]);
    assert_eq!(below.code, Some(0), "{below}");
    assert!(
        below.stdout.contains("below_baseline: 6 test(s) marked"),
        "{below}"
    );
    assert!(
        below
            .stdout
            .contains("= help: lower the baseline to the count, so it cannot grow back"),
        "{below}"
    );
}

#[test]
fn a_marker_without_a_valid_reason_is_red() {
    let project = project(6);
    project.file(
        "tests/test_bad.py",
        "import pytest\n\n@pytest.mark.quarantine\ndef test_a():\n    pass\n\n@pytest.mark.quarantine  # flaky\ndef test_b():\n    pass\n",
    );
    let outcome = project.run(&["--format", "json", "check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let reasons: Vec<(u64, &str)> = (value["gates"][0]["items"].as_array().unwrap().iter())
        .filter(|item| item["verdict"] != "ok")
        .map(|item| {
            (
                item["line"].as_u64().unwrap_or(0),
                item["detail"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (2, ""),
            (3, "no reason: write it as a trailing comment on the marker's line (or `reason=`), matching `<diagnosis> — <issue ref>`"),
            (7, "the reason `flaky` does not match `<diagnosis> — <issue ref>`"),
        ]
    );
}

#[test]
fn a_reason_regex_that_does_not_compile_is_bad_input() {
    let project = project(6);
    project.file(
        "stablegate.toml",
        "[[marker]]\nname = \"quarantine\"\ndecorator = \"pytest.mark.quarantine\"\nreason_pattern = \"(unclosed\"\n",
    );
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(outcome.stderr.starts_with(
        "error: stablegate.toml:4:18: `marker[0].reason_pattern`: the reason regex does not compile: regex parse error:"
    ), "{outcome}");
    project.file(
        "stablegate.toml",
        "[[marker]]\nname = \"quarantine\"\ndecorator = \"pytest.mark.quarantine\"\nreason = \"<diagnosis — #1\"\n",
    );
    assert_outcome(
        &project.run(&["markers"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:4:10: `marker[0].reason`: the placeholder `<diagnosis — #1` has no closing `>`\n",
    );
}

#[test]
fn a_marker_path_that_does_not_exist_is_bad_input() {
    let project = project(6);
    let config = std::fs::read_to_string(project.path().join("stablegate.toml")).unwrap();
    project.file(
        "stablegate.toml",
        config.replace("paths = [\"tests\"]", "paths = [\"tset\"]"),
    );
    assert_outcome(
        &project.run(&["check"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: marker `quarantine` (stablegate.toml:2:8): path `tset` does not exist\n",
    );
}

#[test]
fn a_marker_without_a_reason_rule_is_a_pure_census() {
    // Issue 16 item 8 (SPEC §12.4): no `reason`, no `reason_pattern`: marks
    // without a comment are fine and only the baseline counts.
    let project = project(6);
    project
        .file(
            "stablegate.toml",
            "[[marker]]\nname = \"quarantine\"\ndecorator = \"pytest.mark.quarantine\"\npaths = [\"tests\"]\nbaseline = 7\n",
        )
        .file(
            "tests/test_bare.py",
            "import pytest\n\n@pytest.mark.quarantine\ndef test_a():\n    pass\n",
        );
    let green = project.run(&["check"]);
    assert_eq!(green.code, Some(0), "{green}");
    assert!(!green.stdout.contains("marker_reason"), "{green}");
    assert!(green.stdout.contains("7 ok"), "{green}");
    project.file(
        "tests/test_more.py",
        "import pytest\n\n@pytest.mark.quarantine\ndef test_b():\n    pass\n",
    );
    let above = project.run(&["check"]);
    assert_eq!(above.code, Some(1), "{above}");
    assert!(
        above.stdout.contains("over_baseline: 8 test(s) marked"),
        "{above}"
    );
    assert!(!above.stdout.contains("marker_reason"), "{above}");
}
