//! The evidence ledger (SPEC §12.6): every evidence file is hashed when it
//! is written and the hash kept in `state.json`, so a file changed after it
//! was written — by a later scenario of the same attempt, or by anyone
//! between a killed run and the seal — is caught: the attempt stops at the
//! stage `evidence` instead of completing, and `evidence verify` names the
//! file. The rewrite here keeps `run-1.json` valid JSON with the same
//! content (one trailing space), so only the recorded hash can tell.

use crate::release_fixture::{json, project, ECHO};
use crate::release_interrupt::{hang_in, kill_gate, start_hanging};

const CONFIG: &str = r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[[release.rel.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "smoke", runs = 3, evidence = "single" }

[release.rel.suite.smoke]
scenario = [{ id = 1, name = "first", command = "sh s1.sh" }]
"#;

const ATTEMPT: &str = "evidence/v1-attempt1";

/// Run 3 appends a space to run 1's result and a line to its log.
const REWRITES_RUN_1: &str = r#"if [ "$STABLEGATE_RUN_NUMBER" = 3 ]; then
  printf ' ' >> "$STABLEGATE_ATTEMPT_DIR/single/run-1.json"
  echo more >> "$STABLEGATE_ATTEMPT_DIR/logs/single/run-1/1.stdout"
fi
echo ok
"#;

#[test]
fn a_scenario_rewriting_earlier_evidence_stops_the_attempt() {
    let project = project(CONFIG, REWRITES_RUN_1, ECHO);
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let state = json(&project, &format!("{ATTEMPT}/state.json"));
    assert_eq!(state["state"], "STOPPED", "{state:#}");
    assert_eq!(state["stage"], "evidence", "{state:#}");
    let reason = state["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("evidence changed after it was written: logs/single/run-1/1.stdout: changed after it was written (sha256 "),
        "{reason}"
    );
    assert!(
        reason.contains("; single/run-1.json: changed after it was written (sha256 "),
        "{reason}"
    );
    let recorded = state["evidence"].as_object().unwrap();
    for file in [
        "single/run-1.json",
        "single/run-3.json",
        "latest.json",
        "logs/single/run-2/1.stderr",
        "probes/start.json",
    ]
    .iter()
    .filter(|file| project.path().join(ATTEMPT).join(file).exists())
    {
        assert!(
            recorded.contains_key(*file),
            "{file} not recorded: {state:#}"
        );
    }
    assert!(!recorded.contains_key("state.json"));

    let verify = project.run(&["evidence", "verify", ATTEMPT]);
    assert_eq!(verify.code, Some(1), "{verify}");
    assert!(
        verify
            .stdout
            .contains("single/run-1.json: changed after it was written (sha256 "),
        "{verify}"
    );
}

#[test]
fn evidence_changed_between_a_killed_run_and_the_seal_is_found_by_verify() {
    let project = project(CONFIG, &format!("{}echo ok\n", hang_in("single", 2)), ECHO);
    let gate = start_hanging(&project);
    kill_gate(project.path(), gate);
    let run_1 = project.path().join(ATTEMPT).join("single/run-1.json");
    let mut bytes = std::fs::read(&run_1).unwrap();
    bytes.push(b' ');
    std::fs::write(&run_1, bytes).unwrap();

    let next = project.run(&["release", "run", "rel"]);
    assert_eq!(next.code, Some(0), "{next}");
    let verify = project.run(&["evidence", "verify", ATTEMPT]);
    assert_eq!(verify.code, Some(1), "{verify}");
    assert!(
        verify
            .stdout
            .contains("single/run-1.json: changed after it was written (sha256 "),
        "{verify}"
    );
    let intact = project.run(&["evidence", "verify", "evidence/v1-attempt2"]);
    assert_eq!(intact.code, Some(0), "{intact}");
}

/// Run 1 plants symlinks where run 2's result and log will be written,
/// leading out of the evidence directory.
const PLANTS_LINKS: &str = r#"if [ "$STABLEGATE_RUN_NUMBER" = 1 ]; then
  ln -s "$PWD/outside.json" "$STABLEGATE_ATTEMPT_DIR/single/run-2.json"
  mkdir -p "$STABLEGATE_ATTEMPT_DIR/logs/single/run-2"
  ln -s "$PWD/outside.log" "$STABLEGATE_ATTEMPT_DIR/logs/single/run-2/1.stdout"
fi
echo ok
"#;

#[test]
fn a_symlink_planted_where_evidence_goes_is_not_written_through() {
    let project = project(CONFIG, PLANTS_LINKS, ECHO);
    let outcome = project.run(&["release", "run", "rel"]);
    for outside in ["outside.json", "outside.log"] {
        assert!(
            !project.path().join(outside).exists(),
            "{outside} was written through the planted link: {outcome}"
        );
    }
    // Undecided (not a red verdict): exit 2, as for bad input.
    assert_eq!(outcome.code, Some(2), "{outcome}");
    let state = json(&project, &format!("{ATTEMPT}/state.json"));
    assert_eq!(state["state"], "STOPPED", "{state:#}");
    assert_eq!(state["undecided"], true, "{state:#}");
    let reason = state["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "evidence could not be written: logs/single/run-2/1.stdout: it exists already: "
        ),
        "{reason}"
    );
    let verify = project.run(&["evidence", "verify", ATTEMPT]);
    assert_eq!(verify.code, Some(0), "sealed as it is: {verify}");
}
