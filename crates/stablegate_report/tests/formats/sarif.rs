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

#[test]
fn every_rule_has_the_metadata_github_requires_and_it_comes_from_the_gate() {
    let (_, value) = render();
    let driver = &value["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], stablegate_report::PROJECT_URL);
    for rule in driver["rules"].as_array().unwrap() {
        for field in ["shortDescription", "fullDescription"] {
            assert!(
                rule[field]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{rule}"
            );
        }
        assert!(rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("stablegate"));
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("`stablegate "));
        assert!(rule["helpUri"]
            .as_str()
            .unwrap()
            .starts_with(stablegate_report::PROJECT_URL));
        assert_ne!(rule["name"], rule["id"]);
    }
    // The gate's rule is worded from the gate, not from its first item.
    let first = &driver["rules"][0];
    assert_eq!(first["id"], "inline_meta_read");
    assert_eq!(
        first["shortDescription"]["text"],
        "stablegate code gate inline_meta_read"
    );
    let mut report = fixture::report();
    report.about = vec![stablegate_report::GateAbout {
        description: Some("read meta.json through load_meta()".to_owned()),
        duration: None,
    }];
    report.gates[0].items.reverse();
    let mut out = Vec::new();
    sarif::render(&report, &mut out).unwrap();
    let value: Value = serde_json::from_slice(&out).unwrap();
    let rule = &value["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(
        rule["shortDescription"]["text"],
        "read meta.json through load_meta()"
    );
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("stablegate allow inline_meta_read"));
}

#[test]
fn the_run_names_its_automation() {
    let (_, value) = render();
    assert_eq!(value["runs"][0]["automationDetails"]["id"], "stablegate/");
    let mut report = fixture::report();
    report.automation_id = "stablegate/check/a/".to_owned();
    let mut out = Vec::new();
    sarif::render(&report, &mut out).unwrap();
    let value: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        value["runs"][0]["automationDetails"]["id"],
        "stablegate/check/a/"
    );
}

#[test]
fn the_line_hash_is_the_content_key_and_counts_repeated_keys() {
    let mut report = fixture::report();
    // A second site of the violation's key, further down.
    let mut again = report.gates[0].items[0].clone();
    again.line = Some(40);
    report.gates[0].items.insert(1, again);
    let mut out = Vec::new();
    sarif::render(&report, &mut out).unwrap();
    let value: Value = serde_json::from_slice(&out).unwrap();
    let results = results(&value);
    let item = &report.gates[0].items[0];
    let print = content_key_fingerprint(&item.file, &item.qualname, &item.token);
    assert_eq!(
        results[0]["partialFingerprints"]["primaryLocationLineHash"],
        format!("{}:1", &print[..16])
    );
    assert_eq!(
        results[1]["partialFingerprints"]["primaryLocationLineHash"],
        format!("{}:2", &print[..16])
    );
    for result in results {
        let hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        let (hex, n) = hash.split_once(':').unwrap();
        assert_eq!(hex.len(), 16);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()) && n.parse::<u32>().unwrap() >= 1);
    }
}

#[test]
fn entry_verdicts_are_located_on_the_entry_with_the_site_related() {
    let (_, value) = render();
    let mut seen = Vec::new();
    for result in results(&value) {
        let verdict = result["properties"]["verdict"].as_str().unwrap();
        if !matches!(
            verdict,
            "stale" | "moved" | "expired" | "ambiguous" | "invalid"
        ) {
            continue;
        }
        seen.push(verdict.to_owned());
        let primary = &result["locations"][0]["physicalLocation"];
        let uri = primary["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.ends_with(".yaml"), "{verdict}: {result}");
        let related = result["relatedLocations"].as_array().unwrap();
        assert!(
            related.iter().any(|location| {
                !location["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .ends_with(".yaml")
            }),
            "{verdict}: {result}"
        );
    }
    seen.sort();
    assert_eq!(seen, ["ambiguous", "expired", "invalid", "moved", "stale"]);
    // A violation stays on its site, with no entry.
    let violation = &results(&value)[0];
    assert_eq!(
        violation["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/pkg/loader.py"
    );
}
