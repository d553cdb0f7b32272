//! The SARIF format: exact output, the official schema, and the mappings.

use serde_json::Value;
use stablegate_report::fingerprint::content_key_fingerprint;
use stablegate_report::sarif;

use crate::fixture;

fn render() -> (String, Value) {
    let mut out = Vec::new();
    sarif::render(&fixture::report(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

fn results(value: &Value) -> &Vec<Value> {
    value["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sarif_output_of_every_verdict() {
    let (text, _) = render();
    insta::assert_snapshot!(text);
}

#[test]
fn sarif_output_is_valid_against_the_official_2_1_0_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let (_, value) = render();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_schema_check_rejects_a_broken_log() {
    // The validation above must be able to fail: a result without a message,
    // and a level SARIF does not know, are both refused.
    let schema: Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let (_, mut value) = render();
    value["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&value));
    let (_, mut value) = render();
    value["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&value));
}

#[test]
fn every_item_is_a_result_with_its_level_state_and_fingerprint() {
    let report = fixture::report();
    let (_, value) = render();
    let results = results(&value);
    let items: Vec<_> = report.gates.iter().flat_map(|gate| &gate.items).collect();
    assert_eq!(results.len(), items.len());
    for (result, item) in results.iter().zip(items) {
        let verdict = result["properties"]["verdict"].as_str().unwrap();
        let (level, state) = match verdict {
            "ok" => ("note", "unchanged"),
            "violation" => ("error", "new"),
            "changed" | "count" | "expired" => ("error", "updated"),
            "stale" | "moved" => ("error", "absent"),
            "baseline" | "ambiguous" | "invalid" | "parse_error" => ("error", "new"),
            "parse_warning" => ("warning", "new"),
            other => panic!("unexpected verdict {other}"),
        };
        assert_eq!(result["level"], level, "{verdict}");
        assert_eq!(result["baselineState"], state, "{verdict}");
        assert_eq!(
            result["partialFingerprints"]["stablegate/v1"],
            content_key_fingerprint(&item.file, &item.qualname, &item.token)
        );
        let suppressed = result.get("suppressions").is_some();
        assert_eq!(suppressed, verdict == "ok", "{verdict}");
    }
}

#[test]
fn accepted_sites_carry_their_rationale_as_an_accepted_external_suppression() {
    let (_, value) = render();
    let ok = results(&value)
        .iter()
        .find(|result| {
            result["properties"]["token"] == "meta = json . load ( f )"
                && result["properties"]["verdict"] == "ok"
        })
        .unwrap();
    let suppression = &ok["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["status"], "accepted");
    assert_eq!(
        suppression["justification"],
        "migration reads the raw file, données brutes"
    );
    assert_eq!(
        suppression["location"]["physicalLocation"]["artifactLocation"]["uri"],
        fixture::ALLOWLIST
    );
}

#[test]
fn rules_are_one_per_gate_and_per_gate_scoped_rule_id() {
    let (_, value) = render();
    let rules = value["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "inline_meta_read",
            "no_eval",
            "no_eval/no-eval",
            "quiet",
            "empty"
        ]
    );
    for result in results(&value) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}
