//! The project the allowlist-command tests share: Python sources modelled on
//! a real service (two `Importer.implement` methods in different files), two
//! gates sharing one allowlist file, and helpers to read files back, run in
//! CI, and diff.

use std::fs;
use std::process::Command;

use crate::support::{command, Outcome, Project};

pub const ORDERS: &str = r#""""Orders: reading what the shop sends."""
import json


class Importer:
    def implement(self, raw):
        data = json.loads(raw)
        return data

    def fallback(self, raw):
        return json.loads(raw or "{}")


def load_all(texts):
    rows = []
    for text in texts:
        rows.append(json.loads(text))
    return rows


def evaluate(expr):
    return eval(expr)  # trusted config only
"#;

pub const BILLING: &str = r#"import json


def _noop():
    pass


class Importer:
    """Billing importer."""

    def implement(self, raw):
        payload = json.loads(raw)
        return payload

    def rate(self, expr):
        return eval(expr, {})
"#;

pub const REPORTS: &str = r#"import json


def summary(path):
    with open(path) as handle:
        meta = json.loads(handle.read())
    return meta["summary"]


def formula(cell):
    return eval(cell)


def total(cells):
    return sum(eval(cell) for cell in cells)
"#;

pub const CLI: &str = "import json
import sys


def main():
    config = json.loads(sys.stdin.read())
    return config
";

/// Two gates, one allowlist file.
pub const CONFIG: &str = r#"[[gate]]
name = "inline_json"
paths = ["src"]
pattern = "json.loads($X)"
allowlist = "gates/allowlist.yaml"

[[gate]]
name = "no_eval"
paths = ["src"]
pattern = "eval($$$ARGS)"
allowlist = "gates/allowlist.yaml"
"#;

pub const ALLOWLIST: &str = "gates/allowlist.yaml";

/// The sources and the configuration; the allowlist when given.
pub fn project(allowlist: Option<&str>) -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", CONFIG)
        .file("src/app/orders.py", ORDERS)
        .file("src/app/billing.py", BILLING)
        .file("src/app/reports.py", REPORTS)
        .file("src/app/cli.py", CLI);
    if let Some(text) = allowlist {
        project.file(ALLOWLIST, text);
    }
    project
}

/// A file of the project, as bytes are read back (lossily as text).
pub fn read(project: &Project, path: &str) -> String {
    String::from_utf8_lossy(&fs::read(project.path().join(path)).expect("read back")).into_owned()
}

pub fn exists(project: &Project, path: &str) -> bool {
    project.path().join(path).exists()
}

/// Runs stablegate with `CI=true`.
pub fn run_in_ci(project: &Project, args: &[&str]) -> Outcome {
    let mut ci: Command = command(project.path(), args);
    ci.env("CI", "true");
    Outcome::from(ci.output().expect("run stablegate"))
}

/// Asserts that the command failed with exit 2, printed nothing on
/// standard output, and left the allowlist byte for byte as it was.
#[track_caller]
pub fn assert_refused(project: &Project, outcome: &Outcome, before: &str) {
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(outcome.stdout, "", "{outcome}");
    assert!(outcome.stderr.starts_with("error: "), "{outcome}");
    if before.is_empty() {
        assert!(!exists(project, ALLOWLIST), "the allowlist was created");
    } else {
        assert_eq!(read(project, ALLOWLIST), before, "the allowlist changed");
    }
}

/// The lines of `new` that are not in `old`, and those of `old` that are
/// not in `new`, by a longest common subsequence of lines.
pub fn line_diff(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || table[i][j + 1] >= table[i + 1][j]) {
            added.push(b[j].to_owned());
            j += 1;
        } else {
            removed.push(a[i].to_owned());
            i += 1;
        }
    }
    (added, removed)
}
