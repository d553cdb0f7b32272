//! `on_fail` hooks: the first hook matching a failed scenario runs after
//! the stop, its output kept in the sealed bundle; no hook runs when none
//! matches; a hook's mistakes are configuration errors.

use crate::release_fixture::{exists, json, project};

fn config(hooks: &str) -> String {
    format!(
        r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[[release.rel.stage]]
name = "four-run"
reaches = "FOUR_RUN_PASSED"
canary = {{ suite = "smoke", runs = 4, evidence = "runs" }}
on_fail = [{hooks}]

[release.rel.suite.smoke]
scenario = [
  {{ id = 1, name = "first", command = "sh s1.sh" }},
  {{ id = 4, name = "fourth", command = "sh s4.sh" }},
]
"#
    )
}

const FOR_REVIEW: &str = "printf '{\"status\":\"fail\",\"failure_mode\":\"for_review\"}' > \"$STABLEGATE_RESULT_FILE\"\n";

#[test]
fn the_first_matching_hook_runs_after_the_stop_and_its_output_is_sealed() {
    let hooks = r#"{ scenario = 1, run = "echo wrong hook" }, { scenario = 4, failure_mode = "timeout", run = "echo wrong mode" }, { scenario = 4, failure_mode = "for_review", run = "echo reopen for $STABLEGATE_STAGE: $STABLEGATE_REASON; cat $STABLEGATE_ATTEMPT_DIR/state.json | grep -c STOPPED" }, { run = "echo catch-all" }"#;
    let project = project(&config(hooks), "true\n", FOR_REVIEW);
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let attempt = project.path().join("evidence/v1-attempt1");
    let stdout = std::fs::read_to_string(attempt.join("logs/four-run/on_fail.stdout")).unwrap();
    assert_eq!(
        stdout,
        "reopen for four-run: run 1 of 4 failed: scenario 4 (fourth) failed: for_review\n2\n"
    );
    let record = json(&project, "evidence/v1-attempt1/logs/four-run/on_fail.json");
    assert_eq!(
        (&record["hook"], &record["success"]),
        (&3.into(), &true.into())
    );
    assert!(outcome.stdout.contains("on_fail: echo reopen"), "{outcome}");
    let manifest = std::fs::read_to_string(attempt.join("MANIFEST.sha256")).unwrap();
    assert!(manifest.contains("  logs/four-run/on_fail.stdout\n"));
    assert_eq!(
        project
            .run(&["evidence", "verify", "evidence/v1-attempt1"])
            .code,
        Some(0)
    );
}

#[test]
fn no_hook_runs_when_none_matches_or_the_stage_passes() {
    let hooks = r#"{ scenario = 1, run = "echo never" }"#;
    let project = project(&config(hooks), "true\n", FOR_REVIEW);
    assert_eq!(project.run(&["release", "run", "rel"]).code, Some(1));
    assert!(!exists(
        &project,
        "evidence/v1-attempt1/logs/four-run/on_fail.stdout"
    ));
    let project = project_passing();
    assert_eq!(project.run(&["release", "run", "rel"]).code, Some(0));
    assert!(!exists(
        &project,
        "evidence/v1-attempt1/logs/four-run/on_fail.stdout"
    ));
}

fn project_passing() -> crate::release_fixture::ReleaseProject {
    project(&config(r#"{ run = "echo catch-all" }"#), "true\n", "true\n")
}

#[test]
fn a_hook_naming_an_unknown_scenario_is_a_configuration_error() {
    let project = project(&config(r#"{ scenario = 2, run = "true" }"#), "", "");
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.contains(
            "`release.rel.stage[0].on_fail[0].scenario`: suite `smoke` has no scenario 2"
        ),
        "{outcome}"
    );
}
