//! SARIF round trip with a real detector, ruff: its findings baselined from
//! `check`'s own suggestions, then kept green through a line shift (ruff
//! re-run, every line number in its report moved), then red with exactly
//! one violation when a new offender is added. Once through a `sarif` file
//! the test writes with ruff, once through a `command` gate running ruff.
//!
//! ruff is installed with pip when missing. If that fails the tests print
//! a notice and pass, unless `CI` is set: there they fail.

use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::check_fixture::{check_json, items, parse_json, run};
use crate::support::{assert_outcome, Project};

/// The program to run ruff with (`ruff`, or `python3 -m ruff`), installing
/// it if needed; `None` when it cannot be had.
fn ruff() -> Option<&'static str> {
    static RUFF: OnceLock<Option<&'static str>> = OnceLock::new();
    *RUFF.get_or_init(|| {
        let works = |program: &str| {
            let mut words = program.split(' ');
            Command::new(words.next().expect("a program"))
                .args(words)
                .arg("--version")
                .output()
                .is_ok_and(|output| output.status.success())
        };
        let found = ["ruff", "python3 -m ruff"].into_iter().find(|p| works(p));
        if found.is_some() {
            return found;
        }
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "ruff"])
            .status();
        ["ruff", "python3 -m ruff"].into_iter().find(|p| works(p))
    })
}

/// ruff, or `None` after a notice (a failure under CI).
pub(crate) fn ruff_or_skip(test: &str) -> Option<&'static str> {
    let ruff = ruff();
    if ruff.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "ruff is not installed and `pip install ruff` failed (CI is set: not skipping)"
        );
        eprintln!("notice: {test} skipped: ruff is not installed and `pip install ruff` failed");
    }
    ruff
}

const SELECT: &str = "check --no-cache --output-format sarif --select F401,E711 src";

/// Four findings: two unused imports (F401), two `== None` (E711).
const APP_PY: &str = "\
import os
import sys


def is_missing(value):
    return value == None


class Store:
    def empty(self, item):
        if item == None:
            return True
        return False
";

/// APP_PY with a blank line and a comment line above every finding and at
/// the top of the file.
const SHIFTED_APP_PY: &str = "
# the imports
import os

# again
import sys


def is_missing(value):

    # compared with None on purpose
    return value == None


class Store:
    def empty(self, item):

        # the item may be None
        if item == None:
            return True
        return False
";

const NEW_OFFENDER: &str = "\n\ndef fresh(value):\n    return value != None\n";

/// Writes ruff's SARIF report of `src` to `reports/ruff.sarif`.
fn run_ruff(ruff: &str, project: &Project) {
    let command = format!("{ruff} {SELECT} > reports/ruff.sarif");
    let status = Command::new("sh")
        .args(["-c", &command])
        .current_dir(project.path())
        .status()
        .expect("run ruff");
    // ruff exits 1 when it found something: all our fixtures have findings.
    assert_eq!(status.code(), Some(1), "{command}");
}

/// `(verdict, file, line, qualname, token, rule)` of every item.
fn rows(report: &Value) -> Vec<(String, String, u64, String, String, String)> {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    items(report)
        .iter()
        .map(|item| {
            (
                text(&item["verdict"]),
                text(&item["file"]),
                item["line"].as_u64().unwrap_or(0),
                text(&item["qualname"]),
                text(&item["token"]),
                text(&item["rule"]),
            )
        })
        .collect()
}

/// Baselines the project from its violations' suggestions; the gate is
/// `ruff` and its allowlist `gates/ruff.yaml`.
fn baseline(project: &Project) {
    let (outcome, report) = check_json(project);
    assert_eq!(
        outcome.code,
        Some(1),
        "ruff's findings are violations:\n{outcome}"
    );
    let mut allowlist = String::from("ruff:\n");
    for item in items(&report) {
        assert_eq!(item["verdict"], "violation", "{item}");
        let suggestion = item["suggestion"].as_str().expect("a suggestion");
        allowlist.push_str(suggestion);
        allowlist.push('\n');
    }
    project.file("gates/ruff.yaml", allowlist);
}

fn accepted(
    file: &str,
    line: u64,
    qualname: &str,
    token: &str,
    rule: &str,
) -> (String, String, u64, String, String, String) {
    let s = |text: &str| text.to_owned();
    (s("ok"), s(file), line, s(qualname), s(token), s(rule))
}

/// The round trip; `refresh` brings the findings up to date with the code
/// (re-running ruff for a `sarif` gate, nothing for a `command` gate).
fn round_trip(project: &Project, refresh: &dyn Fn()) {
    refresh();
    baseline(project);
    let (outcome, report) = check_json(project);
    assert_eq!(outcome.code, Some(0), "baselined:\n{outcome}");
    assert_eq!(
        rows(&report),
        [
            accepted("src/app.py", 1, "<module>", "import os", "F401"),
            accepted("src/app.py", 2, "<module>", "import sys", "F401"),
            accepted(
                "src/app.py",
                6,
                "is_missing",
                "return value == None",
                "E711"
            ),
            accepted("src/app.py", 11, "Store.empty", "if item == None :", "E711"),
        ]
    );

    project.file("src/app.py", SHIFTED_APP_PY);
    refresh();
    let (outcome, report) = check_json(project);
    assert_eq!(outcome.code, Some(0), "shifted:\n{outcome}");
    assert_eq!(
        rows(&report),
        [
            accepted("src/app.py", 3, "<module>", "import os", "F401"),
            accepted("src/app.py", 6, "<module>", "import sys", "F401"),
            accepted(
                "src/app.py",
                12,
                "is_missing",
                "return value == None",
                "E711"
            ),
            accepted("src/app.py", 19, "Store.empty", "if item == None :", "E711"),
        ],
        "the same keys at their new lines"
    );

    project.file("src/app.py", format!("{SHIFTED_APP_PY}{NEW_OFFENDER}"));
    refresh();
    let outcome = run(project, &["check"]);
    assert_outcome(
        &outcome,
        "exit: 1\n--- stdout\n\
         gate ruff: FAIL (1 item, 4 ok)\n\
         \n\
         src/app.py:25 (fresh): violation: Comparison to `None` should be `cond is not None`\n   \
         |\n\
         25 |     return value != None\n   \
         |     ^^^^^^^^^^^^^^^^^^^^\n   \
         |\n   \
         = token: return value != None\n   \
         = rule: E711\n   \
         = help: fix it, or accept it with this allowlist entry:\n           \
         - file: src/app.py\n             \
         qualname: fresh\n             \
         line: 25\n             \
         token: \"return value != None\"\n             \
         rule: E711\n             \
         rationale: \"TODO: why this site is accepted\"\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 violation), 4 ok\n\
         --- stderr\n",
    );
    let report = parse_json(&run(project, &["--format", "json", "check"]));
    let violation = items(&report)
        .iter()
        .find(|item| item["verdict"] == "violation")
        .expect("a violation");
    assert_eq!(violation["rule"], "E711");
}

#[test]
fn ruff_sarif_findings_baselined_stay_green_through_a_shift_and_catch_a_new_offender() {
    let Some(ruff) = ruff_or_skip("ruff sarif round trip") else {
        return;
    };
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"ruff\"\nsarif = \"reports/ruff.sarif\"\nallowlist = \"gates/ruff.yaml\"\n",
        )
        .file("src/app.py", APP_PY)
        .dir("reports");
    round_trip(&project, &|| run_ruff(ruff, &project));
}

#[test]
fn a_command_gate_running_ruff_round_trips_like_its_sarif_file() {
    let Some(ruff) = ruff_or_skip("ruff command round trip") else {
        return;
    };
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!(
                "[[gate]]\nname = \"ruff\"\ncommand = \"{ruff} {SELECT}\"\nallowlist = \"gates/ruff.yaml\"\n"
            ),
        )
        .file("src/app.py", APP_PY);
    round_trip(&project, &|| {});
}
