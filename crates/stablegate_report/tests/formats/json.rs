//! The JSON format: exact output and round-trips through serde_json.

use serde_json::Value;
use stablegate_report::json;

use crate::fixture;

fn render() -> (Vec<u8>, Value) {
    let mut out = Vec::new();
    json::render(&fixture::report(), &mut out).unwrap();
    let value = serde_json::from_slice(&out).unwrap();
    (out, value)
}

#[test]
fn json_output_of_every_verdict() {
    let (out, _) = render();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn json_is_one_document_on_one_line() {
    let (out, _) = render();
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
    assert!(out.ends_with(b"\n"));
}

#[test]
fn json_round_trips_to_the_model_and_the_summary() {
    let report = fixture::report();
    let (_, value) = render();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.contains(&"version") && keys.contains(&"gates") && keys.contains(&"summary"));
    assert_eq!(value["version"], 1);
    assert_eq!(value["gates"], serde_json::to_value(&report.gates).unwrap());
    assert_eq!(
        value["summary"],
        serde_json::to_value(report.summary()).unwrap()
    );
    // Written again from the parsed value, the document parses to the same value.
    let again: Value = serde_json::from_slice(&serde_json::to_vec(&value).unwrap()).unwrap();
    assert_eq!(again, value);
}

#[test]
fn summary_counts_every_verdict() {
    let (_, value) = render();
    let summary = &value["summary"];
    assert_eq!(summary["status"], "fail");
    assert_eq!(summary["gates"]["pass"], 2);
    assert_eq!(summary["gates"]["fail"], 2);
    assert_eq!(summary["failing_items"], 10);
    let verdicts = summary["verdicts"].as_object().unwrap();
    assert_eq!(verdicts.len(), 27);
    assert_eq!(verdicts["ok"], 3);
    assert_eq!(verdicts["parse_warning"], 1);
    for verdict in [
        "violation",
        "changed",
        "moved",
        "stale",
        "count",
        "baseline",
        "expired",
        "ambiguous",
        "invalid",
        "parse_error",
    ] {
        assert_eq!(verdicts[verdict], 1, "{verdict}");
    }
}
