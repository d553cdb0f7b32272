//! The JUnit format: exact output, and that it reads back as JUnit.

use stablegate_report::junit;

use crate::fixture;

fn render() -> String {
    let mut out = Vec::new();
    junit::render(&fixture::report(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn junit_output_of_every_verdict() {
    insta::assert_snapshot!(render());
}

#[test]
fn junit_reads_back_with_one_case_per_gate_and_a_failure_per_red_gate() {
    let report = quick_junit::Report::deserialize_from_str(&render()).unwrap();
    assert_eq!(report.test_suites.len(), 1);
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), "stablegate");
    let cases: Vec<(&str, &str, bool)> = suite
        .test_cases
        .iter()
        .map(|case| {
            let classname = case.classname.as_ref().map_or("", |name| name.as_str());
            (
                case.name.as_str(),
                classname,
                matches!(case.status, quick_junit::TestCaseStatus::Success { .. }),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("inline_meta_read", "code", false),
            ("no_eval", "code", false),
            ("quiet", "code", true),
            ("empty", "code", true),
        ]
    );
    assert_eq!(suite.failures, 2);
}
