//! `sarif` gates: a real `ruff check --output-format sarif` log, the SARIF
//! features producers use (base ids, artifact indexes, rule indexes), and
//! documents that are not SARIF.

use std::process::Command;

use stablegate_gates::source::SourceError;

use crate::support::{has_program, in_ci, located, Project};

#[test]
fn a_real_ruff_sarif_log_gives_ruffs_findings() {
    if !has_program("ruff") {
        assert!(!in_ci(), "ruff is required in CI (pip install ruff)");
        println!("notice: ruff is not installed (pip install ruff); ruff SARIF test skipped");
        return;
    }
    let project = Project::new();
    project
        .file(
            "src/pkg/a.py",
            "import os\nimport json\n\n\ndef f():\n    unused = 1\n    return json.loads('1')\n",
        )
        .file("src/b c.py", "import sys\n")
        .file("outside.py", "import re\n")
        .dir("reports");
    let output = Command::new("ruff")
        .args(["check", "--no-cache", "--isolated", "--select", "F401,F841"])
        .args([
            "--output-format",
            "sarif",
            "--output-file",
            "reports/ruff.sarif",
            "src",
            "outside.py",
        ])
        .current_dir(project.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let collected = project
        .collect("sarif = \"reports/ruff.sarif\"\npaths = [\"src\"]")
        .unwrap();
    assert_eq!(
        located(&collected),
        [
            "src/b c.py:1:8 F401",
            "src/pkg/a.py:1:8 F401",
            "src/pkg/a.py:6:5 F841"
        ]
    );
    assert_eq!(
        collected.findings[1].message.as_deref(),
        Some("`os` imported but unused")
    );
    assert!(collected.skipped.is_empty() && collected.unreadable.is_empty());
}

const BASED: &str = r#"{
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "x", "rules": [{"id": "R0"}, {"id": "R1"}]}},
    "originalUriBaseIds": {"SRC": {"uri": "src/"}},
    "artifacts": [{"location": {"uri": "pkg/a.py", "uriBaseId": "SRC"}}],
    "results": [
      {"ruleIndex": 1, "message": {"text": "by rule index"},
       "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 2}}}]},
      {"rule": {"id": "R2"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1, "startColumn": 3, "endLine": 2}}}]},
      {"ruleId": "P", "kind": "pass", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 1}}}]},
      {"ruleId": "GONE", "baselineState": "absent", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 1}}}]},
      {"ruleId": "NOREGION", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"}}}]},
      {"ruleId": "NOLOC", "message": {"text": "whole project"}},
      {"ruleId": "FAR", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///usr/lib/x.py"}, "region": {"startLine": 1}}}]}
    ]
  }]
}"#;

#[test]
fn base_ids_indexes_and_kinds_are_followed_and_unusable_results_skipped() {
    let project = Project::new();
    project
        .file("src/pkg/a.py", "x = 1\ny = 2\n")
        .file("a.py", "z = 3\n")
        .file("r.sarif", BASED);
    let collected = project.collect("sarif = \"r.sarif\"").unwrap();
    assert_eq!(located(&collected), ["a.py:1:3 R2", "src/pkg/a.py:2:0 R1"]);
    assert_eq!(collected.findings[0].end_line, 2);
    assert_eq!(
        collected.findings[1].message.as_deref(),
        Some("by rule index")
    );
    let skipped: Vec<String> = collected
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.at, s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            "r.sarif: runs[0].results[4]: its region has no `startLine`",
            "r.sarif: runs[0].results[5]: has no physical location",
            "r.sarif: runs[0].results[6]: file `file:///usr/lib/x.py` is outside the project root",
        ]
    );
}

#[test]
fn a_document_that_is_not_sarif_is_an_error_naming_what_is_missing() {
    let project = Project::new();
    let cases = [
        ("not json", "r.sarif: is not SARIF: not a JSON document (expected ident at line 1 column 2)"),
        ("[1]", "r.sarif: is not SARIF: the document is not a JSON object"),
        ("{\"version\": \"2.1.0\"}", "r.sarif: is not SARIF: it has no `runs` array"),
        ("{\"version\": \"2.0.0\", \"runs\": []}", "r.sarif: version: is \"2.0.0\"; only SARIF 2.1.0 is read"),
        ("{\"runs\": [{\"tool\": {}}]}", "r.sarif: runs[0]: has no `results`: the tool did not run to completion"),
        (
            "{\"runs\": [{\"results\": [{\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a.py\"}, \"region\": {\"startLine\": \"3\"}}}]}]}]}",
            "r.sarif: runs[0].results[0].locations[0].physicalLocation.region.startLine: must be a positive integer, not \"3\"",
        ),
        ("{\"runs\": [{\"results\": [{\"ruleId\": 5}]}]}", "r.sarif: runs[0].results[0].ruleId: is not a string"),
    ];
    for (text, expected) in cases {
        project.file("r.sarif", text);
        let err = project.collect("sarif = \"r.sarif\"").unwrap_err();
        assert!(matches!(err, SourceError::Sarif { .. }), "{err}");
        assert_eq!(err.to_string(), expected);
    }
}

#[test]
fn a_missing_sarif_file_is_an_error() {
    let project = Project::new();
    let err = project
        .collect("sarif = \"reports/none.sarif\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("reports/none.sarif: cannot read the SARIF file:"),
        "{err}"
    );
}

#[test]
fn the_fuzzing_entry_point_collects_what_the_sarif_gate_does() {
    let project = Project::new();
    project
        .file("src/pkg/a.py", "x = 1\ny = 2\n")
        .file("a.py", "z = 3\n")
        .file("r.sarif", BASED);
    let collected = project.collect("sarif = \"r.sarif\"").unwrap();
    let root = project.path().canonicalize().unwrap();
    let gate = project.gate("sarif = \"r.sarif\"");
    let from_bytes =
        stablegate_gates::source::fuzzing::sarif_file(&root, &gate, "r.sarif", BASED.as_bytes())
            .unwrap();
    assert_eq!(from_bytes, collected);
    assert_eq!(from_bytes.findings.len(), 2);
}
