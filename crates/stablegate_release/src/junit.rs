//! Reading a JUnit XML report into scenario results (SPEC §10.1 `junit`).
//!
//! Every `<testcase>` under the root (`<testsuites>` or `<testsuite>`, with
//! suites nested to any depth, as Ant/Jenkins, xunit2, pytest and Maven
//! Surefire write them) becomes one scenario in document order: id = its
//! 1-based position, name = `classname::name` (just `name` without a
//! classname). A `<failure>` or `<error>` fails it with the element's
//! `message` (else its `type`, else the element's name) as `failure_mode`
//! and its text as `details`. Surefire's `<flakyFailure>`, `<flakyError>`,
//! `<rerunFailure>` and `<rerunError>` fail it too — a pass after a rerun is
//! not a pass — with `failure_mode` `flaky: <message>`. `<skipped>` makes it
//! `skipped` (with the message, if any). Parsing is roxmltree's: DTDs are
//! refused, so a report cannot expand entities.

use serde_json::Value;
use thiserror::Error;

use crate::result_file::Status;
use crate::run_result::ScenarioResult;

/// Why a report is not a JUnit report; the run's `invalid_report` reason.
#[derive(Debug, Error)]
pub enum JunitError {
    /// The report is not well-formed XML (or has a DTD).
    #[error("not XML: {0}")]
    NotXml(#[source] roxmltree::Error),
    /// The root element is neither `<testsuites>` nor `<testsuite>`.
    #[error("not a JUnit report: the root element is <{root}>, not <testsuites> or <testsuite>")]
    NotJunit { root: String },
}

/// The scenarios of a report, or why it is not one.
pub fn scenarios(text: &str) -> Result<Vec<ScenarioResult>, JunitError> {
    let document = roxmltree::Document::parse(text).map_err(JunitError::NotXml)?;
    let root = document.root_element();
    let name = root.tag_name().name();
    if name != "testsuites" && name != "testsuite" {
        return Err(JunitError::NotJunit {
            root: name.to_owned(),
        });
    }
    let mut found = Vec::new();
    collect(root, &mut found);
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(index, case)| testcase(index as u64 + 1, case))
        .collect())
}

fn collect<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    out: &mut Vec<roxmltree::Node<'a, 'input>>,
) {
    for child in node.children().filter(roxmltree::Node::is_element) {
        if child.tag_name().name() == "testcase" {
            out.push(child);
        } else {
            collect(child, out);
        }
    }
}

fn testcase(id: u64, case: roxmltree::Node<'_, '_>) -> ScenarioResult {
    let name = case.attribute("name").unwrap_or("");
    let name = match case.attribute("classname").filter(|c| !c.is_empty()) {
        Some(classname) => format!("{classname}::{name}"),
        None => name.to_owned(),
    };
    let child = |names: &[&str]| {
        case.children()
            .find(|c| c.is_element() && names.contains(&c.tag_name().name()))
    };
    let hard = child(&["failure", "error"]);
    let flaky = child(&["flakyFailure", "flakyError", "rerunFailure", "rerunError"]);
    let skipped = child(&["skipped"]);
    let (status, failure_mode, details) = if let Some(element) = hard {
        (Status::Fail, Some(mode(element)), text(element))
    } else if let Some(element) = flaky {
        (
            Status::Fail,
            Some(format!("flaky: {}", mode(element))),
            text(element),
        )
    } else if let Some(element) = skipped {
        let message = element.attribute("message").map(str::to_owned);
        (Status::Skipped, message, text(element))
    } else {
        (Status::Pass, None, None)
    };
    ScenarioResult {
        id,
        name,
        status,
        failure_mode,
        details,
    }
}

fn mode(element: roxmltree::Node<'_, '_>) -> String {
    (element.attribute("message"))
        .or(element.attribute("type"))
        .filter(|text| !text.trim().is_empty())
        .unwrap_or(element.tag_name().name())
        .to_owned()
}

fn text(element: roxmltree::Node<'_, '_>) -> Option<Value> {
    let text: String = (element.descendants())
        .filter(roxmltree::Node::is_text)
        .filter_map(|node| node.text())
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> Vec<(u64, String, Status, Option<String>)> {
        (scenarios(text).unwrap().into_iter())
            .map(|s| (s.id, s.name, s.status, s.failure_mode))
            .collect()
    }

    #[test]
    fn ant_reports_with_nested_suites_number_cases_in_order() {
        let text = r#"<testsuites><testsuite name="a">
            <testcase classname="pkg.A" name="ok" time="0.1"/>
            <testsuite name="inner"><testcase classname="pkg.B" name="bad"><failure message="boom" type="AssertionError">trace here</failure></testcase></testsuite>
            <testcase name="crashed"><error type="RuntimeError"/></testcase>
        </testsuite></testsuites>"#;
        assert_eq!(
            summary(text),
            [
                (1, "pkg.A::ok".into(), Status::Pass, None),
                (2, "pkg.B::bad".into(), Status::Fail, Some("boom".into())),
                (
                    3,
                    "crashed".into(),
                    Status::Fail,
                    Some("RuntimeError".into())
                ),
            ]
        );
        assert_eq!(
            scenarios(text).unwrap()[1].details,
            Some(Value::String("trace here".into()))
        );
    }

    #[test]
    fn surefire_reruns_are_failures_and_skips_are_skipped() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
        <testsuite name="com.x.FooTest" tests="3">
          <testcase name="flaky" classname="com.x.FooTest"><flakyFailure message="first try" type="java.lang.AssertionError"><stackTrace>at Foo</stackTrace></flakyFailure></testcase>
          <testcase name="rerun" classname="com.x.FooTest"><rerunFailure type="java.lang.AssertionError"/></testcase>
          <testcase name="later" classname="com.x.FooTest"><skipped message="not today"/></testcase>
        </testsuite>"#;
        assert_eq!(
            summary(text),
            [
                (
                    1,
                    "com.x.FooTest::flaky".into(),
                    Status::Fail,
                    Some("flaky: first try".into())
                ),
                (
                    2,
                    "com.x.FooTest::rerun".into(),
                    Status::Fail,
                    Some("flaky: java.lang.AssertionError".into())
                ),
                (
                    3,
                    "com.x.FooTest::later".into(),
                    Status::Skipped,
                    Some("not today".into())
                ),
            ]
        );
    }

    #[test]
    fn what_is_not_a_junit_report_is_named() {
        assert!(scenarios("<testsuite><testcase")
            .unwrap_err()
            .to_string()
            .starts_with("not XML: "));
        assert!(scenarios("<html/>")
            .unwrap_err()
            .to_string()
            .contains("the root element is <html>"));
        assert!(scenarios("<!DOCTYPE x [<!ENTITY a 'b'>]><testsuite/>").is_err());
        assert_eq!(scenarios("<testsuites/>").unwrap().len(), 0);
    }
}
