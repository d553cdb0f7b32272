//! JUnit suites: a command writes its report to `{junit}` and every test
//! case becomes a scenario. Fixtures of each variant (Ant/Jenkins, xunit2,
//! pytest, Surefire with reruns), skipped cases with and without
//! `allow_skipped`, a report that is not XML, and a real `pytest
//! --junitxml` run (pytest is installed with pip when missing; if that
//! fails the test prints a notice and passes, unless `CI` is set).

use std::process::Command;

use serde_json::Value;

use crate::release_fixture::{json, project, ReleaseProject};

fn config(command: &str, allow_skipped: bool) -> String {
    format!(
        r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[[release.rel.stage]]
name = "e2e"
reaches = "E2E_PASSED"
canary = {{ suite = "e2e", runs = 2, evidence = "runs" }}

[release.rel.suite.e2e]
timeout = "60s"
junit = {{ command = "{command}", allow_skipped = {allow_skipped} }}
"#
    )
}

/// A project whose suite copies `report.xml` to `{junit}`.
fn with_report(xml: &str, allow_skipped: bool) -> (ReleaseProject, crate::support::Outcome) {
    let project = project(&config("cp report.xml {junit}", allow_skipped), "", "");
    project.file("report.xml", xml);
    let outcome = project.run(&["release", "run", "rel"]);
    (project, outcome)
}

fn summary(run: &Value) -> Vec<(u64, String, String, Value)> {
    (run["scenarios"].as_array().unwrap().iter())
        .map(|s| {
            (
                s["id"].as_u64().unwrap(),
                s["name"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
                s["failure_mode"].clone(),
            )
        })
        .collect()
}

const ANT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="all" tests="2">
  <testsuite name="api" tests="2" failures="0" errors="0">
    <testcase classname="api.Orders" name="place" time="0.01"/>
    <testcase classname="api.Orders" name="cancel" time="0.02"><system-out>ok</system-out></testcase>
  </testsuite>
</testsuites>
"#;

#[test]
fn a_passing_ant_report_passes_every_run_and_is_kept() {
    let (project, outcome) = with_report(ANT, false);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-2.json");
    assert_eq!(
        summary(&run),
        [
            (1, "api.Orders::place".into(), "pass".into(), Value::Null),
            (2, "api.Orders::cancel".into(), "pass".into(), Value::Null),
        ]
    );
    let kept = std::fs::read_to_string(
        project
            .path()
            .join("evidence/v1-attempt1/junit/runs/run-1.xml"),
    )
    .unwrap();
    assert_eq!(kept, ANT);
    let verify = project.run(&["evidence", "verify", "evidence/v1-attempt1"]);
    assert_eq!(verify.code, Some(0), "{verify}");
}

#[test]
fn xunit2_failures_and_errors_fail_the_run_with_message_and_text() {
    // pytest's default family (xunit2): one <testsuites>, one <testsuite>.
    let xml = r#"<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="0" tests="3" time="0.1" timestamp="2026-11-21T21:00:00" hostname="h"><testcase classname="tests.test_api" name="test_ok" time="0.001" /><testcase classname="tests.test_api" name="test_total" time="0.002"><failure message="assert 3 == 4">def test_total():
&gt;       assert 3 == 4
E       assert 3 == 4</failure></testcase><testcase classname="tests.test_api" name="test_db" time="0.0"><error message="failed on setup with &quot;ConnectionRefusedError&quot;">fixture trace</error></testcase></testsuite></testsuites>"#;
    let (project, outcome) = with_report(xml, false);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-1.json");
    assert_eq!(run["outcome"], "fail");
    assert_eq!(
        summary(&run)[1..],
        [
            (
                2,
                "tests.test_api::test_total".into(),
                "fail".into(),
                "assert 3 == 4".into()
            ),
            (
                3,
                "tests.test_api::test_db".into(),
                "fail".into(),
                "failed on setup with \"ConnectionRefusedError\"".into()
            ),
        ]
    );
    assert!(run["scenarios"][1]["details"]
        .as_str()
        .unwrap()
        .contains(">       assert 3 == 4"));
    assert!(
        !project
            .path()
            .join("evidence/v1-attempt1/runs/run-2.json")
            .exists(),
        "no run after a failed one"
    );
    let state = json(&project, "evidence/v1-attempt1/state.json");
    assert_eq!(state["reason"], "run 1 of 2 failed: scenario 2 (tests.test_api::test_total) failed: assert 3 == 4; scenario 3 (tests.test_api::test_db) failed: failed on setup with \"ConnectionRefusedError\"");
}

const SUREFIRE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.example.CheckoutIT" time="1.2" tests="2" errors="0" skipped="0" failures="0">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="pays" classname="com.example.CheckoutIT" time="0.5"/>
  <testcase name="refunds" classname="com.example.CheckoutIT" time="0.7">
    <flakyFailure message="expected: 200 but was: 502" type="org.opentest4j.AssertionFailedError">
      <stackTrace>at com.example.CheckoutIT.refunds(CheckoutIT.java:42)</stackTrace>
    </flakyFailure>
  </testcase>
</testsuite>
"#;

#[test]
fn a_surefire_pass_after_a_rerun_is_not_a_pass() {
    let (project, outcome) = with_report(SUREFIRE, false);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-1.json");
    assert_eq!(
        summary(&run)[1],
        (
            2,
            "com.example.CheckoutIT::refunds".into(),
            "fail".into(),
            "flaky: expected: 200 but was: 502".into()
        )
    );
}

const SKIPPED: &str = r#"<testsuite name="pytest" tests="2" skipped="1"><testcase classname="t" name="a"/><testcase classname="t" name="b"><skipped type="pytest.skip" message="needs staging">t.py:3: needs staging</skipped></testcase></testsuite>"#;

#[test]
fn a_skipped_case_fails_the_run_unless_the_suite_allows_skips() {
    let (project, outcome) = with_report(SKIPPED, false);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let state = json(&project, "evidence/v1-attempt1/state.json");
    assert_eq!(
        state["reason"],
        "run 1 of 2 failed: scenario 2 (t::b) was skipped: needs staging"
    );
    let (project, outcome) = with_report(SKIPPED, true);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-1.json");
    assert_eq!(
        (&run["outcome"], &run["allow_skipped"]),
        (&"pass".into(), &true.into())
    );
    assert_eq!(run["scenarios"][1]["status"], "skipped");
    let verify = project.run(&["evidence", "verify", "evidence/v1-attempt1"]);
    assert_eq!(verify.code, Some(0), "{verify}");
}

#[test]
fn a_report_that_is_not_xml_or_missing_fails_the_stage_not_the_tool() {
    let (project, outcome) = with_report("<testsuite><testcase", false);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-1.json");
    assert_eq!(
        summary(&run),
        [(
            0,
            "junit report".into(),
            "fail".into(),
            "invalid_report".into()
        )]
    );
    assert!(run["scenarios"][0]["details"]
        .as_str()
        .unwrap()
        .starts_with("not XML: "));
    let project = project_with("echo no report for {junit}");
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-1.json");
    assert_eq!(run["scenarios"][0]["failure_mode"], "no_report");
}

fn project_with(command: &str) -> ReleaseProject {
    project(&config(command, false), "", "")
}

#[test]
fn a_command_without_the_placeholder_is_a_configuration_error() {
    let project = project_with("pytest tests");
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(outcome.stderr.contains("`release.rel.suite.e2e.junit.command`: the command must name the report it writes as `{junit}`"), "{outcome}");
}

fn pytest_available() -> bool {
    let works = || {
        Command::new("python3")
            .args(["-m", "pytest", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works() {
        return true;
    }
    let _ = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pytest",
        ])
        .status();
    let found = works();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pytest is not installed and `pip install pytest` failed (CI is set: not skipping)"
        );
        eprintln!("notice: the pytest junit test skipped: pytest is not installed and `pip install pytest` failed");
    }
    found
}

#[test]
fn a_real_pytest_run_becomes_the_scenarios_of_each_run() {
    if !pytest_available() {
        return;
    }
    let project = project_with("python3 -m pytest -q -p no:cacheprovider tests --junitxml {junit}");
    project.file(
        "tests/test_service.py",
        "import pytest\n\ndef test_health():\n    assert 1 + 1 == 2\n\nclass TestOrders:\n    def test_total(self):\n        assert sum([1, 2]) == 4, 'total is off'\n",
    );
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, "evidence/v1-attempt1/runs/run-1.json");
    let names: Vec<(String, String)> = summary(&run)
        .into_iter()
        .map(|(_, name, status, _)| (name, status))
        .collect();
    assert_eq!(
        names,
        [
            ("tests.test_service::test_health".into(), "pass".into()),
            (
                "tests.test_service.TestOrders::test_total".into(),
                "fail".into()
            ),
        ]
    );
    let mode = run["scenarios"][1]["failure_mode"].as_str().unwrap();
    assert!(mode.starts_with("AssertionError: total is off"), "{mode}");
    let log = std::fs::read_to_string(
        project
            .path()
            .join("evidence/v1-attempt1/logs/runs/run-1/junit.stdout"),
    )
    .unwrap();
    assert!(log.contains("1 failed, 1 passed"), "{log}");
}
