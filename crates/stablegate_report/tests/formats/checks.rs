//! The verdicts of audits, marker censuses, freshness and scope checks in
//! all five formats: each is named, non-failing ones stay out of the red,
//! and the SARIF log stays valid.

use serde_json::Value;
use stablegate_model::{GateKind, GateOutcome, Item, Status, Suggestion, Verdict};
use stablegate_report::{render, Format, NoSources, Report, Style};

fn item(verdict: Verdict, file: &str, line: Option<usize>) -> Item {
    let mut item = Item::new(verdict, file, line, "Runner.go", "subprocess . run ( cmd )");
    item.rule = "check".to_owned().into();
    item.message = "a message".to_owned().into();
    item
}

fn report() -> Report {
    let mut undercount = item(Verdict::Undercount, "src/app/x.py", Some(4));
    undercount.suggestion = Some(Suggestion::Text(
        "| app/x.py:4 | Runner.go | subprocess . run ( cmd ) |  |".into(),
    ));
    let mut over = item(Verdict::OverBaseline, "stablegate.toml", Some(2));
    over.more_mut().expected = Some(5);
    over.more_mut().actual = Some(6);
    let audit = GateOutcome::new(
        "inventory",
        GateKind::Audit,
        vec![
            undercount,
            item(Verdict::Ghost, "docs/inv.md", Some(9)),
            item(Verdict::Duplicate, "docs/inv.md", Some(10)),
            item(Verdict::MissingCandidate, "src/app/status", None),
            item(Verdict::InventoryOnly, "docs/inv.md", Some(11)),
            item(Verdict::Unreferenced, "docs/inv.md", Some(12)),
        ],
    );
    let marker = GateOutcome::new(
        "quarantine",
        GateKind::Marker,
        vec![
            item(Verdict::MarkerReason, "tests/test_a.py", Some(3)),
            over,
        ],
    );
    let shrink = GateOutcome::new(
        "slow",
        GateKind::Marker,
        vec![item(Verdict::BelowBaseline, "stablegate.toml", Some(9))],
    );
    let fresh = GateOutcome::new(
        "graph",
        GateKind::Fresh,
        vec![item(Verdict::StaleArtifact, "docs/graph.yaml", None)],
    );
    let scope = GateOutcome::new(
        "zero-production",
        GateKind::Scope,
        vec![item(Verdict::OutOfScope, "src/app/core.py", None)],
    );
    Report::new(vec![audit, marker, shrink, fresh, scope], "0.1.0")
}

fn rendered(format: Format) -> String {
    let mut out = Vec::new();
    render(&report(), format, &NoSources, &Style::PLAIN, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const NAMES: [&str; 11] = [
    "undercount",
    "ghost",
    "duplicate",
    "missing_candidate",
    "inventory_only",
    "unreferenced",
    "marker_reason",
    "over_baseline",
    "below_baseline",
    "stale_artifact",
    "out_of_scope",
];

#[test]
fn every_new_verdict_is_named_in_every_format() {
    for format in Format::ALL {
        let text = rendered(format);
        for name in NAMES {
            assert!(text.contains(name), "{format}: {name} missing in\n{text}");
        }
    }
}

#[test]
fn a_count_below_its_baseline_passes_and_is_reported_as_a_notice() {
    let report = report();
    let statuses: Vec<Status> = report.gates.iter().map(|gate| gate.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Fail,
            Status::Fail,
            Status::Pass,
            Status::Fail,
            Status::Fail
        ]
    );
    let github = rendered(Format::Github);
    assert!(
        github.contains("::notice file=stablegate.toml,line=9,title=slow%3A below_baseline::"),
        "{github}"
    );
    assert!(
        github.contains("::notice file=docs/inv.md,line=11,title=inventory%3A inventory_only::"),
        "{github}"
    );
    assert!(
        github.contains("::error file=src/app/x.py,line=4,title=inventory%3A undercount::"),
        "{github}"
    );
    let human = rendered(Format::Human);
    assert!(
        human.contains("marker slow: pass (1 item, 0 ok)"),
        "{human}"
    );
    assert!(
        human.contains("| app/x.py:4 | Runner.go | subprocess . run ( cmd ) |  |"),
        "{human}"
    );
    let junit = rendered(Format::Junit);
    assert!(
        junit.contains("<testsuite name=\"marker slow\" tests=\"1\" failures=\"0\""),
        "{junit}"
    );
    assert!(
        junit.contains("classname=\"marker quarantine\" file=\"tests/test_a.py\" line=\"3\""),
        "{junit}"
    );
}

#[test]
fn the_sarif_log_stays_valid_and_maps_levels() {
    let schema: Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let value: Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let levels: Vec<(&str, &str, &str)> = (value["runs"][0]["results"].as_array().unwrap().iter())
        .map(|r| {
            (
                r["properties"]["verdict"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                r["baselineState"].as_str().unwrap(),
            )
        })
        .filter(|(verdict, _, _)| ["ghost", "inventory_only", "stale_artifact"].contains(verdict))
        .collect();
    assert_eq!(
        levels,
        [
            ("ghost", "error", "absent"),
            ("inventory_only", "warning", "new"),
            ("stale_artifact", "error", "updated")
        ]
    );
}
