//! The GitLab Code Quality format: exact output, the fields GitLab requires,
//! and fingerprints that follow the content key.

use serde_json::Value;
use stablegate_report::gitlab;

use crate::fixture;

fn render(report: &stablegate_report::Report) -> (String, Vec<Value>) {
    let mut out = Vec::new();
    gitlab::render(report, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    (text, value.as_array().unwrap().clone())
}

#[test]
fn gitlab_output_of_every_verdict() {
    let (text, _) = render(&fixture::report());
    insta::assert_snapshot!(text);
}

#[test]
fn every_reported_item_is_an_issue_with_the_fields_gitlab_requires() {
    let report = fixture::report();
    let (text, issues) = render(&report);
    assert!(text.ends_with("]\n") && text.lines().count() == 1);
    let reported = report
        .gates
        .iter()
        .flat_map(|gate| &gate.items)
        .filter(|item| item.verdict != stablegate_model::Verdict::Ok)
        .count();
    assert_eq!(issues.len(), reported);
    let mut prints: Vec<&str> = Vec::new();
    for issue in &issues {
        assert_eq!(issue["type"], "issue");
        for field in ["description", "check_name", "fingerprint"] {
            assert!(
                issue[field].as_str().is_some_and(|text| !text.is_empty()),
                "{field}: {issue}"
            );
        }
        assert!(["major", "info"].contains(&issue["severity"].as_str().unwrap()));
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(!path.is_empty() && !path.starts_with('/'), "{issue}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        prints.push(issue["fingerprint"].as_str().unwrap());
    }
    let count = prints.len();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), count, "fingerprints are unique");
    let warning = issues
        .iter()
        .find(|issue| {
            issue["description"]
                .as_str()
                .unwrap()
                .starts_with("parse_warning")
        })
        .unwrap();
    assert_eq!(warning["severity"], "info");
    let stale = issues
        .iter()
        .find(|issue| issue["description"].as_str().unwrap().starts_with("stale"))
        .unwrap();
    assert_eq!(stale["location"]["path"], fixture::ALLOWLIST);
    assert_eq!(stale["location"]["lines"]["begin"], 21);
}

#[test]
fn fingerprints_survive_a_line_shift_and_change_with_the_token() {
    let report = fixture::report();
    let (_, before) = render(&report);
    let mut shifted = report.clone();
    for item in &mut shifted.gates[0].items {
        if item.verdict == stablegate_model::Verdict::Violation {
            item.line = item.line.map(|line| line + 3);
        }
    }
    let (_, after) = render(&shifted);
    assert_eq!(before[0]["fingerprint"], after[0]["fingerprint"]);
    assert_ne!(before[0]["location"], after[0]["location"]);
    let mut edited = report.clone();
    edited.gates[0].items[0].token = "meta = json . load ( g )".into();
    let (_, after) = render(&edited);
    assert_ne!(before[0]["fingerprint"], after[0]["fingerprint"]);
}
