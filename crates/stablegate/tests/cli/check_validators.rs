//! The output formats checked by the validators their consumers trust, run
//! for real on the binary's output (see `validators` for how each is found):
//! the SARIF log by Microsoft's SARIF Multitool with its SARIF and its
//! GitHub (`Gh`) rules, which GitHub code scanning's ingestion follows; the
//! JUnit document by `xmllint` against the strict Jenkins xunit schema
//! (`tests/data/junit-10.xsd`) and by junitparser.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::check_fixture::run;
use crate::check_formats::every_verdict;
use crate::support::Project;
use crate::validators::{
    junitparser_read, multitool_problems, python_with_junitparser, sarif_multitool, xmllint,
    xmllint_schema,
};

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

fn xsd() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/junit-10.xsd")
}

/// `check --format junit` with `extra` options, written next to the project.
fn junit(project: &Project, extra: &[&str], name: &str) -> PathBuf {
    let mut args = vec!["--format", "junit", "check"];
    args.extend_from_slice(extra);
    let outcome = run(project, &args);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let path = project.path().join("..").join(name);
    std::fs::write(&path, &outcome.stdout).expect("write the document");
    path
}

#[test]
fn strict_junit_is_valid_against_the_jenkins_xunit_schema() {
    let Some(tool) = xmllint() else {
        return;
    };
    let project = every_verdict();
    for extra in [
        &["--junit-strict"][..],
        &["--junit-strict", "--junit-accepted"],
    ] {
        let path = junit(&project, extra, "strict.xml");
        assert_eq!(xmllint_schema(&tool, &xsd(), &path), Ok(()), "{extra:?}");
    }
    // Without --junit-strict, the test cases' file and line attributes are
    // the only difference the schema sees: it rejects them, and accepts the
    // document once they are gone.
    let path = junit(&project, &[], "default.xml");
    let refused = xmllint_schema(&tool, &xsd(), &path).expect_err("file/line refused");
    assert!(refused.contains("attribute 'file'"), "{refused}");
    let text = std::fs::read_to_string(&path).expect("read the document");
    let mut stripped = String::new();
    for line in text.lines() {
        let line = match line.find(" file=\"") {
            Some(at) if line.trim_start().starts_with("<testcase ") => {
                format!(
                    "{}{}",
                    &line[..at],
                    if line.ends_with("/>") { "/>" } else { ">" }
                )
            }
            _ => line.to_owned(),
        };
        stripped.push_str(&line);
        stripped.push('\n');
    }
    std::fs::write(&path, stripped).expect("write the stripped document");
    assert_eq!(xmllint_schema(&tool, &xsd(), &path), Ok(()));
}

#[test]
fn junitparser_reads_one_case_per_item_with_its_file_and_line() {
    let Some(python) = python_with_junitparser() else {
        return;
    };
    let project = every_verdict();
    let path = junit(&project, &[], "default.xml");
    let read = junitparser_read(&python, &path);
    let suites = read["suites"].as_array().expect("suites");
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["inline_load", "quiet"]);
    let red = &suites[0];
    let cases = red["cases"].as_array().expect("cases");
    assert_eq!(red["tests"], cases.len());
    assert_eq!(read["tests"], cases.len() + 1);
    assert_eq!(read["failures"], red["failures"]);
    assert!(cases.len() >= 10, "{red}");
    assert!(cases.iter().all(|case| case[2] == true), "{red}");
    // Every case of a site names its file and line.
    let located = cases
        .iter()
        .find(|case| {
            case[0]
                .as_str()
                .unwrap_or("")
                .starts_with("src/shop/cart.py")
        })
        .expect("the violation in cart.py");
    assert_eq!(located[3], "src/shop/cart.py");
    assert_eq!(located[4], "5");
    assert_eq!(
        suites[1]["cases"][0],
        json!([
            "vendor/latin.py (<module>): parse_warning",
            "quiet",
            false,
            "vendor/latin.py",
            "5"
        ])
    );

    // Strict and with accepted sites: the same cases without locations,
    // plus one passing case per accepted site.
    let path = junit(&project, &["--junit-strict", "--junit-accepted"], "all.xml");
    let all = junitparser_read(&python, &path);
    let all_cases = all["suites"][0]["cases"].as_array().expect("cases");
    let passing = all_cases.iter().filter(|case| case[2] == false).count();
    assert_eq!(all_cases.len(), cases.len() + passing);
    assert!(passing >= 1, "{all}");
    assert!(all_cases
        .iter()
        .all(|case| case[3].is_null() && case[4].is_null()));
}
