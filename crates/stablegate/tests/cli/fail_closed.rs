//! The fail-closed rules of SPEC §12.6 that `check` and its siblings keep,
//! through the real binary: what cannot be placed or trusted fails the gate
//! or the run (exit 1 or 2), never passes it.

use std::collections::BTreeMap;

use crate::check_fixture::{check_json, items, run, tree, verdict_counts};
use crate::support::{assert_outcome, Project};

/// A SARIF 2.1.0 log with one result.
fn sarif(result: &str) -> String {
    format!(
        "{{\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"t\"}}}},\
         \"results\":[{result}]}}]}}\n"
    )
}

/// A result of rule `r` at `uri`, line `line`.
fn located(uri: &str, line: usize) -> String {
    format!(
        "{{\"ruleId\":\"r\",\"message\":{{\"text\":\"m\"}},\"locations\":[{{\"physicalLocation\":\
         {{\"artifactLocation\":{{\"uri\":\"{uri}\"}},\"region\":{{\"startLine\":{line}}}}}}}]}}"
    )
}

const SARIF_GATE: &str = "[[gate]]\nname = \"g\"\nsarif = \"reports/x.sarif\"\n";

/// One report per way a finding can be unplaceable: outside the root, an
/// absolute URI of another checkout, a line past the end of the file, no
/// location at all.
fn unplaceable() -> Vec<(&'static str, String)> {
    vec![
        ("outside the root", sarif(&located("../outside.py", 1))),
        (
            "another checkout",
            sarif(&located("file:///home/runner/work/other/other/src/a.py", 1)),
        ),
        ("past the end", sarif(&located("src/a.py", 9))),
        (
            "no location",
            sarif("{\"ruleId\":\"r\",\"message\":{\"text\":\"m\"}}"),
        ),
    ]
}

fn sarif_project(config: &str) -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", config)
        .file("src/a.py", "x = 1\n")
        .file("../outside.py", "x = 1\n");
    project
}

#[test]
fn unplaceable_sarif_findings_are_parse_errors_that_fail_the_gate() {
    for config in [
        SARIF_GATE.to_owned(),
        format!("{SARIF_GATE}on_parse_error = \"fail\"\n"),
    ] {
        let project = sarif_project(&config);
        for (case, report) in unplaceable() {
            project.file("reports/x.sarif", &report);
            let (outcome, json) = check_json(&project);
            assert_eq!(outcome.code, Some(1), "{case}: {outcome}");
            assert_eq!(
                verdict_counts(&json),
                BTreeMap::from([("parse_error".to_owned(), 1)]),
                "{case}: {json}"
            );
            let item = &items(&json)[0];
            assert_eq!(item["verdict"], "parse_error", "{case}: {item}");
            let detail = item["detail"].as_str().unwrap_or_default();
            assert!(!detail.is_empty(), "{case}: the reason is named: {item}");
        }
    }
}

#[test]
fn on_parse_error_warn_downgrades_unplaceable_findings_to_warnings() {
    let project = sarif_project(&format!("{SARIF_GATE}on_parse_error = \"warn\"\n"));
    for (case, report) in unplaceable() {
        project.file("reports/x.sarif", &report);
        let (outcome, json) = check_json(&project);
        assert_eq!(outcome.code, Some(0), "{case}: {outcome}");
        assert_eq!(
            verdict_counts(&json),
            BTreeMap::from([("parse_warning".to_owned(), 1)]),
            "{case}: {json}"
        );
    }
}

#[test]
fn unplaceable_json_lines_findings_fail_the_gate() {
    let project = sarif_project(
        "[[gate]]\nname = \"g\"\ncommand = \"cat reports/found.jsonl\"\n",
    );
    let records = [
        ("outside the root", "{\"file\": \"../outside.py\", \"line\": 1}"),
        (
            "another checkout",
            "{\"file\": \"/home/runner/work/other/other/src/a.py\", \"line\": 1}",
        ),
        ("past the end", "{\"file\": \"src/a.py\", \"line\": 9}"),
    ];
    for (case, record) in records {
        project.file("reports/found.jsonl", format!("{record}\n"));
        let (outcome, json) = check_json(&project);
        assert_eq!(outcome.code, Some(1), "{case}: {outcome}");
        assert_eq!(
            verdict_counts(&json),
            BTreeMap::from([("parse_error".to_owned(), 1)]),
            "{case}: {json}"
        );
    }
}

#[test]
fn an_empty_or_comment_only_configuration_is_refused() {
    let message = "has no [[gate]], [[audit]], [[marker]], [[fresh]], [[scope]] or \
                   [release.NAME] table: nothing would be checked";
    let cases = [
        ("stablegate.toml", ""),
        ("stablegate.toml", "\n\n"),
        (
            "stablegate.toml",
            "# the gates were here before a bad merge\n# [[gate]]\n",
        ),
        ("pyproject.toml", "[project]\nname = \"p\"\n\n[tool.stablegate]\n"),
    ];
    for (name, text) in cases {
        let project = Project::new();
        project.file(name, text).file("src/a.py", "x = 1\n");
        let before = tree(project.path());
        for command in [&["check"][..], &["audit"], &["markers"]] {
            assert_outcome(
                &run(&project, command),
                &format!("exit: 2\n--- stdout\n--- stderr\nerror: {name}: {message}\n"),
            );
        }
        assert!(tree(project.path()) == before, "the run changed the tree");
    }
}

