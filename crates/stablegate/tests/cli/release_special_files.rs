//! Special files where the release and evidence code reads (SPEC §12.6): a
//! FIFO, `/dev/zero` or a directory at `$STABLEGATE_RESULT_FILE` fails the
//! scenario as an invalid result file (exit 2) instead of hanging the run,
//! and a FIFO inside a bundle is a finding of `evidence verify` and does not
//! hang `evidence report`. Every run here has a deadline: a hang fails the
//! test instead of stalling the suite.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::release_fixture::{json, project, writable, ReleaseProject, ECHO};
use crate::support::{command, Outcome};

const SMALL: &str = r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[[release.rel.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "smoke", runs = 1, evidence = "single" }

[release.rel.suite.smoke]
timeout = "5s"
scenario = [{ id = 1, name = "first", command = "sh s1.sh" }]
"#;

const ATTEMPT: &str = "evidence/v1-attempt1";

/// Runs stablegate, killing it (and failing) when it takes over 20 s.
fn run_within(dir: &Path, args: &[&str]) -> Outcome {
    let mut child = command(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start stablegate");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("poll").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("stablegate {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Outcome::from(child.wait_with_output().expect("collect the output"))
}

#[test]
fn a_fifo_a_device_or_a_directory_as_result_file_is_an_invalid_result_file() {
    for (make, kind) in [
        ("mkfifo \"$STABLEGATE_RESULT_FILE\"", "a FIFO"),
        (
            "ln -s /dev/zero \"$STABLEGATE_RESULT_FILE\"",
            "a character device",
        ),
        ("mkdir \"$STABLEGATE_RESULT_FILE\"", "a directory"),
    ] {
        let project = project(SMALL, &format!("{make}\n"), ECHO);
        let outcome = run_within(project.path(), &["release", "run", "rel"]);
        assert_eq!(outcome.code, Some(2), "{kind}: {outcome}");
        let reason = format!("run 1 of 1: scenario 1 (first) wrote an invalid result file: the result file is {kind}, not a regular file");
        assert!(outcome.stderr.contains(&reason), "{kind}: {outcome}");
        let run = json(&project, &format!("{ATTEMPT}/single/run-1.json"));
        assert_eq!(
            run["scenarios"][0]["failure_mode"], "invalid_result_file",
            "{kind}"
        );
        let state = json(&project, &format!("{ATTEMPT}/state.json"));
        assert_eq!(
            (state["state"].as_str(), state["undecided"].as_bool()),
            (Some("STOPPED"), Some(true)),
            "{kind}"
        );
        let verify = run_within(project.path(), &["evidence", "verify", ATTEMPT]);
        if kind == "a FIFO" {
            assert_eq!(verify.code, Some(1), "{verify}");
            assert!(
                verify
                    .stdout
                    .contains("  results/single/run-1/1.json: is a FIFO, not a regular file\n"),
                "{verify}"
            );
        } else {
            assert_eq!(verify.code, Some(0), "{kind}: {verify}");
        }
    }
}

/// A sealed attempt with one file replaced by a FIFO and one FIFO added.
fn bundle_with_fifos() -> ReleaseProject {
    let project = project(SMALL, ECHO, ECHO);
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let attempt = project.path().join(ATTEMPT);
    for dir in ["single", "logs"] {
        writable(&attempt.join(dir));
    }
    std::fs::remove_file(attempt.join("single/run-1.json")).unwrap();
    for fifo in ["single/run-1.json", "logs/pipe"] {
        let made = std::process::Command::new("mkfifo")
            .arg(attempt.join(fifo))
            .status()
            .expect("mkfifo");
        assert!(made.success());
    }
    project
}

#[test]
fn fifos_in_a_bundle_are_findings_of_verify_and_do_not_hang_report() {
    let project = bundle_with_fifos();
    let verify = run_within(project.path(), &["evidence", "verify", ATTEMPT]);
    assert_eq!(verify.code, Some(1), "{verify}");
    for finding in [
        "  single/run-1.json: is a FIFO, not a regular file\n",
        "  logs/pipe: is a FIFO, not a regular file\n",
    ] {
        assert!(verify.stdout.contains(finding), "{finding}: {verify}");
    }
    let report = run_within(
        project.path(),
        &["evidence", "report", ATTEMPT, "--html", "page.html"],
    );
    assert_eq!(report.code, Some(0), "{report}");
    let page = std::fs::read_to_string(project.path().join("page.html")).unwrap();
    assert!(
        page.contains("pipe: is a FIFO, not a regular file"),
        "the page lists the finding"
    );
}
