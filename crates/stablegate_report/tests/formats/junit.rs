//! The JUnit format: exact output, and that it reads back as JUnit (with
//! quick-junit; the binary's tests add the strict Jenkins schema and
//! junitparser).

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
fn junit_reads_back_with_one_suite_per_gate_and_one_case_per_reported_item() {
    let report = quick_junit::Report::deserialize_from_str(&render()).unwrap();
    let suites: Vec<(&str, usize, usize)> = report
        .test_suites
        .iter()
        .map(|suite| (suite.name.as_str(), suite.test_cases.len(), suite.failures))
        .collect();
    // Accepted sites are not cases; a gate with no reported item is one
    // passing case; a parse warning passes.
    assert_eq!(
        suites,
        [
            ("inline_meta_read", 7, 7),
            ("no_eval", 3, 3),
            ("quiet", 1, 0),
            ("empty", 1, 0)
        ]
    );
    let fixture = fixture::report();
    let failing: Vec<&str> = fixture.gates[0]
        .items
        .iter()
        .filter(|item| item.verdict.fails())
        .map(|item| item.file.as_str())
        .collect();
    let cases: Vec<(&str, bool)> = report.test_suites[0]
        .test_cases
        .iter()
        .map(|case| {
            let failed = matches!(
                case.status,
                quick_junit::TestCaseStatus::NonSuccess {
                    kind: quick_junit::NonSuccessKind::Failure,
                    ..
                }
            );
            (case.name.as_str(), failed)
        })
        .collect();
    assert_eq!(cases.len(), failing.len());
    for ((name, failed), file) in cases.iter().zip(&failing) {
        assert!(name.starts_with(file) && *failed, "{name}");
    }
}

#[test]
fn accepted_sites_are_cases_when_asked_and_strict_output_has_no_locations() {
    let options = junit::Options {
        accepted: true,
        strict: false,
    };
    let mut out = Vec::new();
    junit::render_with(&fixture::report(), options, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&text).unwrap();
    let counts: Vec<usize> = report
        .test_suites
        .iter()
        .map(|suite| suite.test_cases.len())
        .collect();
    assert_eq!(counts, [9, 3, 2, 1]);
    assert!(text.contains(
        "name=\"src/pkg/m_0_13.py (SchemaCheck.detect) meta = json . load ( f )\" classname=\"inline_meta_read\" file=\"src/pkg/m_0_13.py\" line=\"56\">"
    ));

    let mut out = Vec::new();
    let strict = junit::Options {
        accepted: false,
        strict: true,
    };
    junit::render_with(&fixture::report(), strict, &mut out).unwrap();
    let strict = String::from_utf8(out).unwrap();
    assert!(!strict.contains(" file=") && !strict.contains(" line="));
    assert_eq!(
        strict,
        render()
            .replace(" file=\"src/odd, name.py\"", "")
            .split(" file=\"")
            .enumerate()
            .map(|(index, part)| if index == 0 {
                part.to_owned()
            } else {
                // Drop the file value and a following line attribute.
                let rest = &part[part.find('"').unwrap() + 1..];
                match rest.strip_prefix(" line=\"") {
                    Some(line) => line[line.find('"').unwrap() + 1..].to_owned(),
                    None => rest.to_owned(),
                }
            })
            .collect::<String>()
    );
}

#[test]
fn durations_become_times() {
    let mut report = fixture::report();
    report.elapsed = Some(std::time::Duration::from_millis(1_250));
    report.about = vec![stablegate_report::GateAbout {
        description: None,
        duration: Some(std::time::Duration::from_millis(7)),
    }];
    let mut out = Vec::new();
    junit::render(&report, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("errors=\"0\" time=\"1.250\">"), "{text}");
    assert!(text.contains("skipped=\"0\" time=\"0.007\">"), "{text}");
    // The empty gate's one case carries no time of its own: it was not timed.
    assert!(
        text.contains("<testcase name=\"empty\" classname=\"empty\"/>"),
        "{text}"
    );
}
