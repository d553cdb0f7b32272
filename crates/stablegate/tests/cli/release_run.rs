//! `release run` walking the protocol (SPEC §10): a clean run to
//! `COMPLETE` with every file and invariant checked, and the ways a run
//! stops (a failed run, a scenario's own verdict, a timeout, a probe).

use std::fs;
use std::os::unix::fs::PermissionsExt;

use serde_json::{json, Value};

use crate::release_fixture::{
    exists, history, is_ulid, is_utc_second, json, project, timeless, ATTEMPT1, CONFIG, ECHO,
};
use crate::support::assert_outcome;

#[test]
fn a_clean_run_walks_every_stage_to_complete_and_seals_its_evidence() {
    let project = project(CONFIG, ECHO, ECHO);
    assert_outcome(
        &project.run(&["release", "status", "rel"]),
        "exit: 0\n--- stdout\nrelease rel: no attempt yet\n--- stderr\n",
    );
    let outcome = project.run(&["release", "run", "rel"]);
    let mut expected = "exit: 0\n--- stdout\nattempt evidence/v2.0.1-attempt1\nstage 1/3 blockers: started\nstage blockers: check `true`: pass in N ms\nstage blockers: passed: BLOCKERS_VERIFIED\nstage 2/3 single: started\nstage single: run 1: scenario 1 first: pass in N ms\nstage single: run 1: scenario 4 fourth: pass in N ms\nstage single: run 1/1: pass in N ms\nstage single: passed: SINGLE_RUN_PASSED\nstage 3/3 four-run: started\n".to_owned();
    for k in 1..=4 {
        expected.push_str(&format!("stage four-run: run {k}: scenario 1 first: pass in N ms\nstage four-run: run {k}: scenario 4 fourth: pass in N ms\nstage four-run: run {k}/4: pass in N ms\n"));
    }
    expected.push_str("stage four-run: passed: FOUR_RUN_PASSED\nCOMPLETE\nsealed evidence/v2.0.1-attempt1 (30 files)\n--- stderr\n");
    assert_eq!(timeless(&outcome), expected);

    assert_eq!(
        history(&project, ATTEMPT1),
        [
            "IDLE",
            "BLOCKERS_VERIFIED",
            "SINGLE_RUN_PASSED",
            "FOUR_RUN_PASSED",
            "COMPLETE"
        ]
    );
    let state = json(&project, &format!("{ATTEMPT1}/state.json"));
    assert_eq!(
        (
            state["state"].as_str(),
            state["tag"].as_str(),
            state["attempt"].as_u64()
        ),
        (Some("COMPLETE"), Some("v2.0.1"), Some(1))
    );
    assert!(state["history"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| is_utc_second(t["at"].as_str().unwrap())));

    let mut run_ids = Vec::new();
    for (evidence, runs) in [("single", 1), ("runs", 4)] {
        for k in 1..=runs {
            let path = format!("{ATTEMPT1}/{evidence}/run-{k}.json");
            let text = fs::read_to_string(project.path().join(&path)).unwrap();
            let keys = [
                "\"outcome\"",
                "\"run_id\"",
                "\"run_number\"",
                "\"app_version\"",
                "\"timestamp\"",
                "\"scenarios\"",
            ];
            let places: Vec<usize> = keys
                .iter()
                .map(|key| text.find(key).unwrap_or_else(|| panic!("{key} in {path}")))
                .collect();
            assert!(
                places.windows(2).all(|w| w[0] < w[1]),
                "field order of {path}:\n{text}"
            );
            let run: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                (
                    run["outcome"].as_str(),
                    run["run_number"].as_u64(),
                    run["app_version"].as_str()
                ),
                (Some("pass"), Some(k), Some("2.0.1"))
            );
            assert!(
                is_ulid(run["run_id"].as_str().unwrap())
                    && is_utc_second(run["timestamp"].as_str().unwrap()),
                "{text}"
            );
            assert_eq!(
                run["scenarios"],
                json!([
                    {"id": 1, "name": "first", "status": "pass", "failure_mode": null, "details": null},
                    {"id": 4, "name": "fourth", "status": "pass", "failure_mode": null, "details": null},
                ])
            );
            let log = fs::read_to_string(
                project
                    .path()
                    .join(format!("{ATTEMPT1}/logs/{evidence}/run-{k}/4.stdout")),
            )
            .unwrap();
            assert_eq!(
                log,
                format!(
                    "run {k} scenario 4 id {}\n",
                    run["run_id"].as_str().unwrap()
                )
            );
            run_ids.push(run["run_id"].as_str().unwrap().to_owned());
        }
    }
    run_ids.sort();
    run_ids.dedup();
    assert_eq!(run_ids.len(), 5, "every run has its own run_id");
    let latest = fs::read(project.path().join(format!("{ATTEMPT1}/latest.json"))).unwrap();
    assert_eq!(
        latest,
        fs::read(project.path().join(format!("{ATTEMPT1}/runs/run-4.json"))).unwrap()
    );

    let manifest =
        fs::read_to_string(project.path().join(format!("{ATTEMPT1}/MANIFEST.sha256"))).unwrap();
    assert_eq!(manifest.lines().count(), 30);
    assert!(
        manifest
            .lines()
            .any(|line| line.ends_with("  runs/run-4.json")),
        "{manifest}"
    );
    let mode = |path: &str| {
        fs::metadata(project.path().join(path))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        (
            mode(ATTEMPT1),
            mode(&format!("{ATTEMPT1}/runs")),
            mode(&format!("{ATTEMPT1}/runs/run-1.json"))
        ),
        (0o555, 0o555, 0o444)
    );

    assert_outcome(
        &project.run(&["evidence", "verify", ATTEMPT1]),
        "exit: 0\n--- stdout\nevidence/v2.0.1-attempt1: intact (30 files, state COMPLETE)\n--- stderr\n",
    );
    let status = project.run(&["--format", "json", "release", "status", "rel"]);
    let status: Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(status["current"], "evidence/v2.0.1-attempt1");
    assert_eq!(
        (
            status["attempts"][0]["state"].as_str(),
            status["attempts"][0]["sealed"].as_bool()
        ),
        (Some("COMPLETE"), Some(true))
    );
}

#[test]
fn a_failure_in_run_three_keeps_runs_one_to_three_and_stops_without_a_fourth() {
    let fail_in_run_3 = "[ \"$STABLEGATE_RUN_NUMBER\" != 3 ]\n";
    let project = project(CONFIG, ECHO, fail_in_run_3);
    let outcome = project.run(&["release", "run", "rel"]);
    let text = timeless(&outcome);
    assert!(text.starts_with("exit: 1\n"), "{text}");
    assert!(text.contains("stage four-run: run 3: scenario 4 fourth: fail (exit_status) in N ms\nstage four-run: run 3/4: fail in N ms\nSTOPPED at stage four-run: run 3 of 4 failed: scenario 4 (fourth) failed: exit_status\nsealed evidence/v2.0.1-attempt1"), "{text}");
    assert!(text.ends_with("--- stderr\nerror: release `rel` STOPPED at stage `four-run`: run 3 of 4 failed: scenario 4 (fourth) failed: exit_status (evidence: evidence/v2.0.1-attempt1)\n"), "{text}");
    for k in 1..=3 {
        assert!(
            exists(&project, &format!("{ATTEMPT1}/runs/run-{k}.json")),
            "run {k} is kept"
        );
    }
    assert!(!exists(&project, &format!("{ATTEMPT1}/runs/run-4.json")));
    assert!(
        !exists(&project, &format!("{ATTEMPT1}/logs/runs/run-4")),
        "run 4 never started"
    );
    let run3 = json(&project, &format!("{ATTEMPT1}/runs/run-3.json"));
    assert_eq!(run3["outcome"], "fail");
    assert_eq!(
        run3["scenarios"][1],
        json!({"id": 4, "name": "fourth", "status": "fail", "failure_mode": "exit_status", "details": "exited with 1"})
    );
    assert_eq!(json(&project, &format!("{ATTEMPT1}/latest.json")), run3);
    let state = json(&project, &format!("{ATTEMPT1}/state.json"));
    assert_eq!(
        (state["state"].as_str(), state["stage"].as_str()),
        (Some("STOPPED"), Some("four-run"))
    );
    assert_eq!(
        history(&project, ATTEMPT1),
        ["IDLE", "BLOCKERS_VERIFIED", "SINGLE_RUN_PASSED", "STOPPED"]
    );
    assert_outcome(
        &project.run(&["evidence", "verify", ATTEMPT1]),
        "exit: 0\n--- stdout\nevidence/v2.0.1-attempt1: intact (25 files, state STOPPED)\n--- stderr\n",
    );
}

#[test]
fn a_scenario_writes_its_own_verdict_over_its_exit_code() {
    let pass_despite_exit = "echo '{\"status\": \"pass\"}' > \"$STABLEGATE_RESULT_FILE\"\nexit 3\n";
    let fail_for_review = "printf '{\"status\":\"fail\",\"failure_mode\":\"for_review\",\"details\":{\"ticket\":41}}' > \"$STABLEGATE_RESULT_FILE\"\n";
    let project = project(CONFIG, pass_despite_exit, fail_for_review);
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, &format!("{ATTEMPT1}/single/run-1.json"));
    assert_eq!(run["outcome"], "fail");
    assert_eq!(
        run["scenarios"],
        json!([
            {"id": 1, "name": "first", "status": "pass", "failure_mode": null, "details": null},
            {"id": 4, "name": "fourth", "status": "fail", "failure_mode": "for_review", "details": {"ticket": 41}},
        ])
    );
    let state = json(&project, &format!("{ATTEMPT1}/state.json"));
    assert_eq!(
        state["reason"],
        "run 1 of 1 failed: scenario 4 (fourth) failed: for_review"
    );
    assert!(
        exists(&project, &format!("{ATTEMPT1}/results/single/run-1/4.json")),
        "the result file is evidence too"
    );
}

/// Live (not zombie) processes whose process group is `group`.
pub fn live_members(group: &str) -> Vec<String> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((_, fields)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = fields.split_whitespace().collect();
        if fields.get(2) == Some(&group) && fields.first() != Some(&"Z") {
            members.push(stat);
        }
    }
    members
}

#[test]
fn a_timeout_kills_the_scenarios_process_group_and_records_timeout() {
    let config = CONFIG.replace("timeout = \"20s\"", "timeout = \"1s\"");
    let slow = "cut -d' ' -f5 /proc/$$/stat > group\nsleep 30 &\nsleep 30\n";
    let project = project(&config, slow, ECHO);
    let started = std::time::Instant::now();
    let outcome = project.run(&["release", "run", "rel"]);
    assert!(
        started.elapsed().as_secs() < 15,
        "the timeout did not stop the scenario"
    );
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let run = json(&project, &format!("{ATTEMPT1}/single/run-1.json"));
    assert_eq!(run["scenarios"][0]["status"], "fail");
    assert_eq!(run["scenarios"][0]["failure_mode"], "timeout");
    assert_eq!(
        run["scenarios"][1]["status"], "pass",
        "the run still ran every scenario"
    );
    let group = fs::read_to_string(project.path().join("group")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        live_members(group.trim()),
        Vec::<String>::new(),
        "processes of the timed-out group survived"
    );
}

#[test]
fn a_probe_row_edited_by_a_scenario_stops_the_gate_naming_the_probe() {
    let config = format!(
        "{CONFIG}\n[[release.rel.probe]]\nname = \"settled\"\nsql = \"select id, status from orders order by id\"\ndatabase = \"sqlite:state.db\"\nexpect_lines = 2\nbetween_runs = true\n"
    );
    let edit_in_run_2 = "if [ \"$STABLEGATE_STAGE\" = four-run ] && [ \"$STABLEGATE_RUN_NUMBER\" = 2 ]; then\n  python3 -c 'import sqlite3; d = sqlite3.connect(\"state.db\"); d.execute(\"update orders set status = ? where id = 2\", (\"closed\",)); d.commit()'\nfi\n";
    let project = project(&config, ECHO, edit_in_run_2);
    let seeded = std::process::Command::new("python3")
        .args(["-c", "import sqlite3; d = sqlite3.connect('state.db'); d.execute('create table orders (id integer, status text)'); d.execute(\"insert into orders values (1, 'settled'), (2, 'open')\"); d.commit()"])
        .current_dir(project.path())
        .status()
        .expect("python3 runs");
    assert!(seeded.success());
    let outcome = project.run(&["release", "run", "rel"]);
    let reason = "probe `settled` changed between before run 2 of stage `four-run` and after run 2 of stage `four-run`: 2 row(s) → 2 row(s); first differing row 2: `2|open` → `2|closed`";
    assert!(outcome.stderr.contains(reason), "{outcome}");
    assert_eq!(outcome.code, Some(1));
    let state = json(&project, &format!("{ATTEMPT1}/state.json"));
    assert_eq!(
        (
            state["state"].as_str(),
            state["stage"].as_str(),
            state["reason"].as_str()
        ),
        (Some("STOPPED"), Some("four-run"), Some(reason))
    );
    assert!(
        !exists(&project, &format!("{ATTEMPT1}/runs/run-3.json")),
        "no run after the change"
    );
    let recorded = fs::read_to_string(project.path().join(format!(
        "{ATTEMPT1}/probes/stages/runs/after-run-2/settled.txt"
    )))
    .unwrap();
    assert_eq!(recorded, "1|settled\n2|closed\n");
}

#[test]
fn a_probe_with_the_wrong_number_of_lines_stops_the_gate_before_any_stage() {
    let config = format!("{CONFIG}\n[[release.rel.probe]]\nname = \"queue\"\ncommand = \"printf 'a\\\\nb\\\\n'\"\nexpect_lines = 3\n");
    let project = project(&config, ECHO, ECHO);
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome
            .stderr
            .contains("STOPPED at stage `probes`: probe `queue` sees 2 line(s), expected 3"),
        "{outcome}"
    );
    assert_eq!(history(&project, ATTEMPT1), ["IDLE", "STOPPED"]);
    assert_eq!(
        fs::read_to_string(
            project
                .path()
                .join(format!("{ATTEMPT1}/probes/start/queue.txt"))
        )
        .unwrap(),
        "a\nb\n"
    );
}

#[test]
fn a_file_probe_changed_during_the_attempt_stops_it_at_the_end() {
    let config = format!(
        "{CONFIG}\n[[release.rel.probe]]\nname = \"state-files\"\nfiles = [\"state/**\"]\n"
    );
    let touch_state =
        "if [ \"$STABLEGATE_STAGE\" = single ]; then echo changed >> state/b.txt; fi\n";
    let project = project(&config, ECHO, touch_state);
    project
        .file("state/a.txt", "a\n")
        .file("state/b.txt", "b\n");
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome.stderr.contains("STOPPED at stage `probes`: probe `state-files` changed between the attempt's start and the attempt's end: 2 row(s) → 2 row(s); first differing row 2: `"),
        "{outcome}"
    );
    assert_eq!(
        history(&project, ATTEMPT1),
        [
            "IDLE",
            "BLOCKERS_VERIFIED",
            "SINGLE_RUN_PASSED",
            "FOUR_RUN_PASSED",
            "STOPPED"
        ]
    );
    let start = fs::read_to_string(
        project
            .path()
            .join(format!("{ATTEMPT1}/probes/start/state-files.txt")),
    )
    .unwrap();
    let paths: Vec<&str> = start
        .lines()
        .map(|line| line.split_once("  ").map_or("", |(_, path)| path))
        .collect();
    assert_eq!(paths, ["state/a.txt", "state/b.txt"], "{start}");
}
