//! The fixture the `check` tests start from, and the runner they share.
//!
//! The "shop" project has one gate, `inline_load` (`json.load($F)` under
//! `src/`), two live sites in `src/shop/meta.py`, and an allowlist that
//! accepts both: green. Each test edits a copy into the case it is about.
//! Runs fix today's date with `STABLEGATE_TODAY` so that `expires` is
//! reproducible, and never set `CI`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::{command, Outcome, Project};

/// The date every `check` run takes as today.
pub const TODAY: &str = "2026-01-15";

pub const CONFIG: &str = "\
[[gate]]
name = \"inline_load\"
paths = [\"src\"]
pattern = \"json.load($F)\"
message = \"read meta through load_meta()\"
allowlist = \"gates/inline_load.yaml\"
";

/// Two sites: `read_meta` line 6 and `Loader.load` line 12.
pub const META_PY: &str = "\
import json


def read_meta(path):
    with open(path) as f:
        meta = json.load(f)
    return meta


class Loader:
    def load(self, handle):
        return json.load(handle)
";

pub const READ_META_ENTRY: &str = "\
- file: src/shop/meta.py
  qualname: read_meta
  line: 6
  token: \"meta = json . load ( f )\"
  rationale: \"legacy meta files\"
";

pub const LOADER_ENTRY: &str = "\
- file: src/shop/meta.py
  qualname: Loader.load
  line: 12
  token: \"return json . load ( handle )\"
  rationale: \"the loader is the codec\"
";

/// The allowlist path, root-relative.
pub const ALLOWLIST: &str = "gates/inline_load.yaml";

/// The green shop: config, code, and an allowlist accepting both sites.
pub fn shop() -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", CONFIG)
        .file("src/shop/meta.py", META_PY)
        .file(ALLOWLIST, allowlist(&[READ_META_ENTRY, LOADER_ENTRY]));
    project
}

/// An allowlist document for `inline_load` holding these entries.
pub fn allowlist(entries: &[&str]) -> String {
    let mut text = String::from("inline_load:\n");
    for entry in entries {
        text.push_str(entry);
    }
    text
}

/// Runs stablegate in the project with today fixed to [`TODAY`].
pub fn run(project: &Project, args: &[&str]) -> Outcome {
    let output = command(project.path(), args)
        .env("STABLEGATE_TODAY", TODAY)
        .output()
        .expect("run stablegate");
    Outcome::from(output)
}

/// Runs `--format json check` and parses its standard output.
#[track_caller]
pub fn check_json(project: &Project) -> (Outcome, Value) {
    let outcome = run(project, &["--format", "json", "check"]);
    let value = parse_json(&outcome);
    (outcome, value)
}

#[track_caller]
pub fn parse_json(outcome: &Outcome) -> Value {
    match serde_json::from_str(&outcome.stdout) {
        Ok(value) => value,
        Err(err) => panic!("standard output is not one JSON document ({err}):\n{outcome}"),
    }
}

/// The items of the first gate of a JSON report.
#[track_caller]
pub fn items(report: &Value) -> &[Value] {
    report["gates"][0]["items"]
        .as_array()
        .map_or_else(|| panic!("no items array in {report}"), Vec::as_slice)
}

/// The report's summary verdict counts that are not zero, e.g.
/// `{"changed": 1, "ok": 1}`.
#[track_caller]
pub fn verdict_counts(report: &Value) -> BTreeMap<String, u64> {
    let counts = report["summary"]["verdicts"]
        .as_object()
        .unwrap_or_else(|| panic!("no summary.verdicts in {report}"));
    counts
        .iter()
        .filter_map(|(verdict, count)| {
            let count = count.as_u64().expect("a verdict count is an integer");
            (count > 0).then(|| (verdict.clone(), count))
        })
        .collect()
}

/// Every file under `dir` with its bytes, to show that a run wrote nothing.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).expect("read a fixture directory") {
            let path = entry.expect("a directory entry").path();
            let kind = fs::symlink_metadata(&path).expect("stat a fixture file");
            if kind.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("under the root");
                let bytes = fs::read(&path).unwrap_or_default();
                files.insert(name.to_string_lossy().into_owned(), bytes);
            }
        }
    }
    files
}

/// Replaces the first occurrence of `from` in a fixture file, failing the
/// test if it is not there (an edit that does nothing proves nothing).
#[track_caller]
pub fn edit(project: &Project, file: &str, from: &str, to: &str) {
    let path = project.path().join(file);
    let text = fs::read_to_string(&path).expect("read a fixture file");
    assert!(text.contains(from), "`{from}` is not in {file}:\n{text}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write a fixture file");
}
