//! `release` on input it cannot decide from (issue 7 "Bad input", SPEC
//! §11): a clear message naming the place, exit 2, and nothing written —
//! or, for a result file met mid-attempt, the evidence sealed and nothing
//! overwritten.

use crate::check_fixture::tree;
use crate::release_fixture::{json, project, ATTEMPT1, CONFIG, ECHO};
use crate::support::assert_outcome;

/// Runs `release run rel` on `config` and checks: exit 2, nothing on
/// standard output, `message` on standard error, the tree untouched.
#[track_caller]
fn refused(config: &str, message: &str) {
    let project = project(config, ECHO, ECHO);
    let before = tree(project.path());
    let outcome = project.run(&["release", "run", "rel"]);
    assert_outcome(
        &outcome,
        &format!("exit: 2\n--- stdout\n--- stderr\nerror: {message}\n"),
    );
    assert!(
        tree(project.path()) == before,
        "the refused run changed the tree"
    );
}

#[test]
fn a_stage_with_no_action_or_two_is_refused() {
    refused(
        &CONFIG.replace("check = [\"true\"]\n", ""),
        "stablegate.toml:9:8: `release.rel.stage[0].name`: stage `blockers` has no action; set exactly one of `check`, `canary`, `http` or `report`",
    );
    refused(
        &CONFIG.replace("check = [\"true\"]\n", "check = [\"true\"]\ncanary = { suite = \"smoke\", runs = 1 }\n"),
        "stablegate.toml:12:10: `release.rel.stage[0].canary`: stage `blockers` sets both `check` and `canary`; set exactly one of `check`, `canary`, `http` or `report`",
    );
}

#[test]
fn canary_and_suite_mistakes_are_refused_at_their_place() {
    refused(
        &CONFIG.replace("suite = \"smoke\", runs = 4", "suite = \"smoek\", runs = 4"),
        "stablegate.toml:21:20: `release.rel.stage[2].canary.suite`: no suite named `smoek` (suites: smoke)",
    );
    refused(
        &CONFIG.replace("runs = 4", "runs = 0"),
        "stablegate.toml:21:36: `release.rel.stage[2].canary.runs`: `runs = 0`: a canary needs at least 1 run",
    );
    refused(
        &CONFIG.replace("{ id = 4,", "{ id = 1,"),
        "stablegate.toml:27:10: `release.rel.suite.smoke.scenario[1].id`: duplicate scenario id 1 in suite `smoke`",
    );
    refused(
        &CONFIG.replace("FOUR_RUN_PASSED", "SINGLE_RUN_PASSED"),
        "stablegate.toml:20:11: `release.rel.stage[2].reaches`: state `SINGLE_RUN_PASSED` is already reached by stage[1]; every stage reaches a state of its own",
    );
}

#[test]
fn a_version_regex_that_does_not_compile_or_does_not_match_is_refused() {
    refused(
        &CONFIG.replace(r"'app (\S+)'", "'app ('"),
        "stablegate.toml:6:45: `release.rel.versions.app.regex`: invalid regex: regex parse error: app ( ^ error: unclosed group",
    );
    refused(
        &CONFIG.replace(r"'app (\S+)'", r"'version (\S+)'"),
        "release `rel`: version `app`: regex `version (\\S+)` does not match the output of `echo app 2.0.1`: \"app 2.0.1\"",
    );
}

#[test]
fn a_report_beside_another_action_is_refused() {
    refused(
        &CONFIG.replace("check = [\"true\"]\n", "check = [\"true\"]\nreport = { template = \"t.md\", output = \"r.md\" }\n"),
        "stablegate.toml:12:10: `release.rel.stage[0].report`: stage `blockers` sets both `check` and `report`; set exactly one of `check`, `canary`, `http` or `report`",
    );
}

#[test]
fn an_on_fail_scenario_outside_a_canary_stage_is_refused() {
    refused(
        &CONFIG.replace("check = [\"true\"]\n", "check = [\"true\"]\non_fail = [{ scenario = 4, run = \"true\" }]\n"),
        "stablegate.toml:12:25: `release.rel.stage[0].on_fail[0].scenario`: `scenario` can only match in a canary stage",
    );
}

#[test]
fn an_unwritable_evidence_directory_is_found_before_run_one() {
    let project = project(CONFIG, ECHO, ECHO);
    project.file("evidence", "a file where the directory should be");
    let before = tree(project.path());
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(outcome.stdout.is_empty(), "{outcome}");
    assert!(
        outcome
            .stderr
            .starts_with("error: release `rel`: evidence directory ")
            && outcome.stderr.contains("is not writable"),
        "{outcome}"
    );
    assert!(tree(project.path()) == before);
}

#[test]
fn an_unknown_release_and_a_bad_tag_are_refused() {
    let project = project(CONFIG, ECHO, ECHO);
    assert_outcome(
        &project.run(&["release", "run", "nope"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: no release named `nope` in stablegate.toml (releases: rel)\n",
    );
    assert_outcome(
        &project.run(&["release", "run", "rel", "--tag", "../up"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: release `rel`: tag `../up` cannot name an attempt directory: it must hold only ASCII letters, digits and `._+@-`, and not start with `.` or `-`\n",
    );
    assert_outcome(
        &project.run(&["--format", "sarif", "release", "run", "rel"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: --format sarif: `release` prints human or json\n",
    );
    assert!(!project.path().join("evidence").exists());
}

#[test]
fn a_result_file_that_is_not_the_documented_json_stops_undecided_and_keeps_the_evidence() {
    let project = project(
        CONFIG,
        "echo 'passed!' > \"$STABLEGATE_RESULT_FILE\"\n",
        ECHO,
    );
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.starts_with("error: release `rel` STOPPED at stage `single`: run 1 of 1: scenario 1 (first) wrote an invalid result file: not the documented JSON object"),
        "{outcome}"
    );
    let run = json(&project, &format!("{ATTEMPT1}/single/run-1.json"));
    assert_eq!(
        (
            run["outcome"].as_str(),
            run["scenarios"][0]["failure_mode"].as_str()
        ),
        (Some("fail"), Some("invalid_result_file"))
    );
    let state = json(&project, &format!("{ATTEMPT1}/state.json"));
    assert_eq!(
        (state["state"].as_str(), state["undecided"].as_bool()),
        (Some("STOPPED"), Some(true))
    );
    assert!(project
        .path()
        .join(ATTEMPT1)
        .join("MANIFEST.sha256")
        .exists());
}
