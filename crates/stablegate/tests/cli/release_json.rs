//! The JSON documents of `release run`, `release status` and `evidence
//! verify` (`--format json`): one line each, every documented key and
//! nothing else, with the document's `version`.

use serde_json::Value;

use crate::release_fixture::{project, ATTEMPT1, CONFIG, ECHO};

/// The keys of a JSON object, sorted.
fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// The one JSON document a command printed.
fn document(stdout: &str) -> Value {
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    serde_json::from_str(stdout).expect("a JSON document")
}

#[test]
fn every_release_and_evidence_document_has_its_version_and_documented_keys() {
    let project = project(CONFIG, ECHO, "exit 3\n");
    let run = project.run(&["--format", "json", "release", "run", "rel"]);
    assert_eq!(run.code, Some(1), "{run}");
    let run = document(&run.stdout);
    assert_eq!(
        keys(&run),
        ["attempt", "reason", "release", "stage", "state", "version"]
    );
    assert_eq!(
        (
            run["version"].as_u64(),
            run["state"].as_str(),
            run["stage"].as_str()
        ),
        (Some(1), Some("STOPPED"), Some("single"))
    );
    assert_eq!(run["attempt"], ATTEMPT1);

    let status = project.run(&["--format", "json", "release", "status", "rel"]);
    assert_eq!(status.code, Some(0), "{status}");
    let status = document(&status.stdout);
    assert_eq!(keys(&status), ["attempts", "current", "release", "version"]);
    assert_eq!(status["version"], 1);
    assert_eq!(
        keys(&status["attempts"][0]),
        ["dir", "recorded", "running", "sealed", "state"]
    );
    assert_eq!(status["attempts"][0]["state"], "STOPPED");
    assert_eq!(status["attempts"][0]["recorded"]["state"], "STOPPED");

    let verify = project.run(&["--format", "json", "evidence", "verify", ATTEMPT1]);
    assert_eq!(verify.code, Some(0), "{verify}");
    let verify = document(&verify.stdout);
    assert_eq!(
        keys(&verify),
        ["dir", "files", "findings", "intact", "state", "version"]
    );
    assert_eq!(
        (
            verify["version"].as_u64(),
            verify["intact"].as_bool(),
            verify["state"].as_str()
        ),
        (Some(1), Some(true), Some("STOPPED"))
    );
}
