//! A theater triad in every format: its legs, a typed field of the outcome,
//! are listed before its evidence items, and the logs stay valid.

use serde_json::Value;
use stablegate_model::{GateOutcome, Item, Leg, LegOutcome, LegVerdict, Verdict};
use stablegate_report::{github, gitlab, human, json, junit, sarif, NoSources, Report, Style};

/// A red triad: drift passed, content failed (one unnoticed site), and
/// non-vacuity could not be exercised (it mutated nothing).
fn report() -> Report {
    let leg = |leg, verdict, file: Option<&str>, message: &str, detail: Option<&str>| LegOutcome {
        leg,
        verdict,
        file: file.map(str::to_owned),
        line: file.map(|_| 12),
        message: message.to_owned(),
        detail: detail.map(str::to_owned),
    };
    let legs = vec![
        leg(
            Leg::NonVacuity,
            LegVerdict::Inconclusive,
            None,
            "",
            Some("the gate has no allowlisted site to copy"),
        ),
        leg(
            Leg::Drift,
            LegVerdict::Pass,
            Some("src/a.py"),
            "a blank line inserted",
            None,
        ),
        leg(
            Leg::Content,
            LegVerdict::Fail,
            Some("src/a.py"),
            "renamed `p` to `p_stablegate_theater` on line 12",
            Some("1 of 1 edited entries went unnoticed"),
        ),
    ];
    let mut miss = Item::new(
        Verdict::LegFailed,
        "src/a.py",
        Some(12),
        "load",
        "data = json . loads ( p )",
    );
    miss.rule = "content".into();
    miss.message = "an edit of this accepted site went unnoticed".into();
    Report::new(
        vec![GateOutcome::theater("inline_load", legs, vec![miss])],
        "0.1.0",
    )
}

fn render(write: fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&report(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_has_the_legs_in_order_and_only_evidence_as_items() {
    let value: Value = serde_json::from_str(&render(json::render)).unwrap();
    let gate = &value["gates"][0];
    let legs: Vec<(&str, &str)> = (gate["legs"].as_array().unwrap().iter())
        .map(|leg| {
            (
                leg["leg"].as_str().unwrap(),
                leg["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        legs,
        [
            ("drift", "ok"),
            ("content", "leg_failed"),
            ("non_vacuity", "inconclusive")
        ]
    );
    assert_eq!(gate["legs"][2]["file"], Value::Null);
    assert_eq!(gate["items"].as_array().unwrap().len(), 1);
    assert_eq!(value["summary"]["failing_items"], 3);
}

#[test]
fn human_prints_the_leg_table_then_the_evidence() {
    let mut out = Vec::new();
    human::render(&report(), &NoSources, &Style::PLAIN, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let expected = "theater inline_load: FAIL
  drift        pass          a blank line inserted
  content      FAIL          renamed `p` to `p_stablegate_theater` on line 12
                             1 of 1 edited entries went unnoticed
  non_vacuity  inconclusive  the gate has no allowlisted site to copy

src/a.py:12 (load): leg_failed: an edit of this accepted site went unnoticed
";
    assert!(text.starts_with(expected), "{text}");
}

#[test]
fn sarif_lists_each_leg_as_a_result_and_stays_valid() {
    let value: Value = serde_json::from_str(&render(sarif::render)).unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = value["runs"][0]["results"].as_array().unwrap();
    let verdicts: Vec<&str> = (results.iter())
        .map(|result| result["properties"]["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["ok", "leg_failed", "inconclusive", "leg_failed"]);
    // A leg that mutated nothing has no location.
    assert!(results[2]
        .get("locations")
        .is_none_or(|l| l == &Value::Array(Vec::new())));
}

#[test]
fn junit_names_leg_cases_after_their_leg() {
    let suites = quick_junit::Report::deserialize_from_str(&render(junit::render)).unwrap();
    let suite = &suites.test_suites[0];
    assert_eq!(suite.name.as_str(), "theater inline_load");
    let cases: Vec<&str> = (suite.test_cases.iter())
        .map(|case| case.name.as_str())
        .collect();
    assert_eq!(
        cases,
        [
            "content",
            "non_vacuity",
            "src/a.py (load) data = json . loads ( p )"
        ]
    );
    assert_eq!(suite.failures, 3);
}

#[test]
fn gitlab_and_github_list_the_failed_legs_before_the_evidence() {
    let issues: Value = serde_json::from_str(&render(gitlab::render)).unwrap();
    let descriptions: Vec<&str> = (issues.as_array().unwrap().iter())
        .map(|issue| issue["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions.len(), 3, "{descriptions:?}");
    assert!(
        descriptions[0].starts_with("leg_failed: renamed `p`"),
        "{descriptions:?}"
    );
    assert_eq!(descriptions[1], "inconclusive");
    let annotations = render(github::render);
    assert_eq!(annotations.matches("::error ").count(), 3, "{annotations}");
}
