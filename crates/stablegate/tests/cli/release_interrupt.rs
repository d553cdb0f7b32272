//! A gate that dies mid-run (SPEC §10.4): `kill -9` leaves the attempt
//! `INTERRUPTED`; the next run seals it and opens attempt N+1; `resume`
//! restarts the interrupted stage and keeps its partial evidence aside; and
//! the lock refuses a second run while one is going.

use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::release_fixture::{
    exists, history, json, project, ReleaseProject, ATTEMPT1, CONFIG, ECHO,
};
use crate::support::command;

/// Hangs (and says so in `started`) in the given stage and run while the
/// file `slow` exists.
pub fn hang_in(stage: &str, run: u32) -> String {
    format!(
        "if [ -f slow ] && [ \"$STABLEGATE_STAGE\" = {stage} ] && [ \"$STABLEGATE_RUN_NUMBER\" = {run} ]; then\n  cut -d' ' -f5 /proc/$$/stat > group\n  touch started\n  exec sleep 60\nfi\n"
    )
}

/// Starts `release run rel` and waits until the scenario hangs.
pub fn start_hanging(project: &ReleaseProject) -> Child {
    project.file("slow", "");
    let child = command(project.path(), &["release", "run", "rel"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start stablegate");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !project.path().join("started").exists() {
        assert!(Instant::now() < deadline, "the scenario never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// `kill -9` of the gate, then of the scenario it left behind.
pub fn kill_gate(project: &Path, mut child: Child) {
    child.kill().expect("kill -9 the gate");
    child.wait().expect("reap the gate");
    let group = std::fs::read_to_string(project.join("group")).expect("the scenario's group");
    let _ = std::process::Command::new("kill")
        .args(["-9", "--", &format!("-{}", group.trim())])
        .status();
    std::fs::remove_file(project.join("slow")).expect("remove slow");
    std::fs::remove_file(project.join("started")).expect("remove started");
}

#[test]
fn a_killed_gate_reads_interrupted_and_the_next_run_seals_it_and_opens_the_next_attempt() {
    let project = project(CONFIG, &hang_in("single", 1), ECHO);
    let gate = start_hanging(&project);
    kill_gate(project.path(), gate);

    let status = project.run(&["release", "status", "rel"]);
    assert_eq!(status.code, Some(0), "{status}");
    assert!(
        status
            .stdout
            .contains("  evidence/v2.0.1-attempt1  INTERRUPTED  not sealed\n"),
        "{status}"
    );
    assert!(
        status
            .stdout
            .contains("current: evidence/v2.0.1-attempt1: INTERRUPTED\n"),
        "{status}"
    );
    let json_status: Value = serde_json::from_str(
        &project
            .run(&["--format", "json", "release", "status", "rel"])
            .stdout,
    )
    .unwrap();
    assert_eq!(json_status["attempts"][0]["state"], "INTERRUPTED");
    assert_eq!(
        json_status["attempts"][0]["recorded"]["state"],
        "BLOCKERS_VERIFIED"
    );

    let next = project.run(&["release", "run", "rel"]);
    assert_eq!(next.code, Some(0), "{next}");
    assert!(next.stdout.starts_with("sealed interrupted attempt evidence/v2.0.1-attempt1\nattempt evidence/v2.0.1-attempt2\n"), "{next}");
    assert_eq!(
        history(&project, ATTEMPT1),
        ["IDLE", "BLOCKERS_VERIFIED", "INTERRUPTED"]
    );
    let state = json(&project, &format!("{ATTEMPT1}/state.json"));
    assert_eq!(
        (state["state"].as_str(), state["stage"].as_str()),
        (Some("INTERRUPTED"), Some("single"))
    );
    assert!(
        !exists(&project, &format!("{ATTEMPT1}/single/run-1.json")),
        "the interrupted run left no run result"
    );
    let verify = project.run(&["evidence", "verify", ATTEMPT1]);
    assert_eq!(verify.code, Some(0), "{verify}");
    assert!(verify.stdout.ends_with("state INTERRUPTED)\n"), "{verify}");
    let status = project.run(&["release", "status", "rel"]).stdout;
    assert!(status.contains("  evidence/v2.0.1-attempt1  INTERRUPTED  sealed\n  evidence/v2.0.1-attempt2  COMPLETE  sealed\n"), "{status}");
}

#[test]
fn resume_restarts_the_interrupted_stage_and_keeps_its_partial_evidence_aside() {
    let project = project(CONFIG, &hang_in("four-run", 2), ECHO);
    let gate = start_hanging(&project);
    kill_gate(project.path(), gate);
    let partial =
        std::fs::read(project.path().join(format!("{ATTEMPT1}/runs/run-1.json"))).unwrap();

    let resumed = project.run(&["release", "resume", "rel"]);
    assert_eq!(resumed.code, Some(0), "{resumed}");
    assert!(
        resumed.stdout.starts_with(
            "resuming attempt evidence/v2.0.1-attempt1\nstage 3/3 four-run: started\n"
        ),
        "{resumed}"
    );
    assert_eq!(
        history(&project, ATTEMPT1),
        [
            "IDLE",
            "BLOCKERS_VERIFIED",
            "SINGLE_RUN_PASSED",
            "INTERRUPTED",
            "SINGLE_RUN_PASSED",
            "FOUR_RUN_PASSED",
            "COMPLETE"
        ]
    );
    let aside = std::fs::read(
        project
            .path()
            .join(format!("{ATTEMPT1}/runs.interrupted-1/run-1.json")),
    )
    .unwrap();
    assert_eq!(aside, partial, "the partial run result is kept, unchanged");
    assert!(exists(
        &project,
        &format!("{ATTEMPT1}/logs/runs.interrupted-1/run-2/1.stdout")
    ));
    for k in 1..=4 {
        assert!(
            exists(&project, &format!("{ATTEMPT1}/runs/run-{k}.json")),
            "run {k} of the restarted stage"
        );
    }
    let verify = project.run(&["evidence", "verify", ATTEMPT1]);
    assert_eq!(verify.code, Some(0), "{verify}");
    let again = project.run(&["release", "resume", "rel"]);
    assert_eq!(again.code, Some(2));
    assert!(
        again
            .stderr
            .starts_with("error: release `rel`: no interrupted attempt to resume"),
        "{again}"
    );
}

/// How CI cancels a job (SPEC §12.6): SIGTERM, SIGINT or SIGHUP kills the
/// running scenario's whole group, records the attempt `INTERRUPTED` at the
/// stage it was in, seals it, and ends with `128 + signal`.
#[test]
fn a_cancelled_gate_seals_the_attempt_interrupted_and_takes_its_scenario_down() {
    for (name, number) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let project = project(CONFIG, &hang_in("single", 1), ECHO);
        let mut gate = start_hanging(&project);
        let sent = std::process::Command::new("kill")
            .args([&format!("-{name}"), &gate.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let status = gate.wait().expect("reap the gate");
        assert_eq!(status.code(), Some(128 + number), "SIG{name}: {status:?}");
        let group =
            std::fs::read_to_string(project.path().join("group")).expect("the scenario's group");
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            crate::release_run::live_members(group.trim()),
            Vec::<String>::new(),
            "SIG{name}: the scenario outlived the gate"
        );
        assert_eq!(
            history(&project, ATTEMPT1),
            ["IDLE", "BLOCKERS_VERIFIED", "INTERRUPTED"],
            "SIG{name}"
        );
        let state = json(&project, &format!("{ATTEMPT1}/state.json"));
        assert_eq!(state["stage"], "single", "SIG{name}");
        assert_eq!(
            state["reason"].as_str(),
            Some(format!("stablegate received SIG{name}: the running command was killed and the attempt ended here").as_str())
        );
        assert!(
            exists(&project, &format!("{ATTEMPT1}/MANIFEST.sha256")),
            "SIG{name}: sealed before exit"
        );
        let verify = project.run(&["evidence", "verify", ATTEMPT1]);
        assert_eq!(verify.code, Some(0), "SIG{name}: {verify}");
        assert!(verify.stdout.ends_with("state INTERRUPTED)\n"), "{verify}");
        let status = project.run(&["release", "status", "rel"]);
        assert!(
            status
                .stdout
                .contains("  evidence/v2.0.1-attempt1  INTERRUPTED  sealed\n"),
            "SIG{name}: {status}"
        );
    }
}

#[test]
fn a_second_concurrent_run_is_refused_while_the_first_holds_the_lock() {
    let project = project(CONFIG, &hang_in("single", 1), ECHO);
    let gate = start_hanging(&project);
    let second = project.run(&["release", "run", "rel"]);
    let status = project.run(&["release", "status", "rel"]);
    kill_gate(project.path(), gate);
    assert_eq!(second.code, Some(2), "{second}");
    assert!(second.stdout.is_empty(), "{second}");
    assert!(
        second
            .stderr
            .starts_with("error: release `rel` is already running (another process holds "),
        "{second}"
    );
    assert!(
        !exists(&project, "evidence/v2.0.1-attempt2"),
        "the refused run opened no attempt"
    );
    assert!(
        status
            .stdout
            .contains("  evidence/v2.0.1-attempt1  BLOCKERS_VERIFIED  running\n"),
        "{status}"
    );
}

/// A gate killed between creating the attempt directory and writing its
/// first `state.json` leaves an attempt with no state: `release status`
/// still lists it, `INTERRUPTED`, and says why nothing is recorded.
#[test]
fn status_lists_an_attempt_killed_before_its_state_existed() {
    let project = project(CONFIG, ECHO, ECHO);
    let first = project.run(&["release", "run", "rel"]);
    assert_eq!(first.code, Some(0), "{first}");
    std::thread::sleep(Duration::from_millis(1100));
    project.dir("evidence/v2.0.1-attempt2");

    let status = project.run(&["release", "status", "rel"]);
    assert_eq!(status.code, Some(0), "{status}");
    assert!(
        status.stdout.starts_with(
            "release rel: 2 attempt(s)\n  evidence/v2.0.1-attempt1  COMPLETE  sealed\n  evidence/v2.0.1-attempt2  INTERRUPTED  not sealed  (no state.json)\ncurrent: evidence/v2.0.1-attempt2: INTERRUPTED\n  no state.json: the process running the attempt was killed before writing it; nothing was recorded\n"
        ),
        "{status}"
    );
    let json_status: Value = serde_json::from_str(
        &project
            .run(&["--format", "json", "release", "status", "rel"])
            .stdout,
    )
    .unwrap();
    assert_eq!(json_status["current"], "evidence/v2.0.1-attempt2");
    assert_eq!(json_status["attempts"][1]["state"], "INTERRUPTED");
    assert_eq!(json_status["attempts"][1]["recorded"], Value::Null);
    assert_eq!(json_status["attempts"][0]["recorded"]["state"], "COMPLETE");
}
