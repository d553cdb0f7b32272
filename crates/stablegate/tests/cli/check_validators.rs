//! The output formats checked by the validators their consumers trust, run
//! for real on the binary's output (see `validators` for how each is found):
//! the SARIF log by Microsoft's SARIF Multitool with its SARIF and its
//! GitHub (`Gh`) rules, which GitHub code scanning's ingestion follows.

use std::path::Path;

use crate::check_fixture::run;
use crate::check_formats::every_verdict;
use crate::support::Project;
use crate::validators::{multitool_problems, sarif_multitool};

/// The errors of both rule kinds; warnings are printed, not failed.
fn multitool_errors(tool: &Path, log: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    for kind in ["Sarif", "Gh"] {
        for (level, rule, message) in multitool_problems(tool, log, kind) {
            if level == "error" {
                errors.push(format!("{kind} {rule}: {message}"));
            } else {
                eprintln!("{kind} {level} {rule}: {message}");
            }
        }
    }
    errors
}

fn sarif_log(project: &Project) -> std::path::PathBuf {
    let outcome = run(project, &["--format", "sarif", "check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let path = project.path().join("../stablegate.sarif");
    std::fs::write(&path, &outcome.stdout).expect("write the log");
    path
}

#[test]
fn the_sarif_multitool_finds_no_error_with_its_sarif_and_github_rules() {
    let Some(tool) = sarif_multitool() else {
        return;
    };
    let project = every_verdict();
    let log = sarif_log(&project);
    let errors = multitool_errors(&tool, &log);
    assert!(errors.is_empty(), "{errors:#?}");

    // The validation can fail: a rule without the descriptions GitHub
    // requires is a GitHub error, a result without a message a SARIF one.
    let text = std::fs::read_to_string(&log).expect("read the log");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("the log is JSON");
    let rule = value["runs"][0]["tool"]["driver"]["rules"][0]
        .as_object_mut()
        .expect("a rule");
    rule.remove("fullDescription");
    rule.remove("help");
    std::fs::write(&log, value.to_string()).expect("write the broken log");
    let errors = multitool_errors(&tool, &log);
    assert!(
        errors.iter().any(|error| error.starts_with("Gh GH2012")),
        "{errors:#?}"
    );
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("the log is JSON");
    value["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result")
        .remove("message");
    std::fs::write(&log, value.to_string()).expect("write the broken log");
    let errors = multitool_errors(&tool, &log);
    assert!(
        errors.iter().any(|error| error.starts_with("Sarif ")),
        "{errors:#?}"
    );
}
