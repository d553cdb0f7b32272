//! Commands stablegate starts (SPEC §12.6): each runs in a process group of
//! its own, which is killed at the command's timeout, when stablegate gets
//! `SIGINT`/`SIGTERM`/`SIGHUP`, and when stablegate exits; and a process a
//! command leaves holding its output cannot hold stablegate.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::release_run::live_members;
use crate::support::{assert_outcome, command, Project};

/// Writes the detector's process group to `group`.
const GROUP: &str = "cut -d' ' -f5 /proc/$$/stat > group\n";

fn gate(detector: &str, timeout: Option<&str>) -> Project {
    let project = Project::new();
    let timeout = timeout.map_or(String::new(), |t| format!("timeout = \"{t}\"\n"));
    project
        .file(
            "stablegate.toml",
            format!("[[gate]]\nname = \"slow\"\ncommand = \"sh detect.sh\"\n{timeout}"),
        )
        .file("detect.sh", format!("{GROUP}{detector}"))
        .file("a.py", "import os\n");
    project
}

/// The detector's group, once it has no live member (or a failure).
#[track_caller]
fn assert_group_dead(project: &Project) {
    let group = std::fs::read_to_string(project.path().join("group")).expect("the group");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !live_members(group.trim()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        live_members(group.trim()),
        Vec::<String>::new(),
        "the detector's process group outlived it"
    );
}

#[test]
fn a_detector_past_its_timeout_is_killed_with_its_group_and_named() {
    let project = gate("sleep 30 &\nsleep 30\n", Some("1s"));
    let started = Instant::now();
    let outcome = project.run(&["check"]);
    assert!(started.elapsed() < Duration::from_secs(10), "{outcome}");
    assert_outcome(
        &outcome,
        "exit: 2\n--- stdout\n--- stderr\nerror: gate `slow`: command `sh detect.sh`: did not finish within 1 s and was killed\n",
    );
    assert_group_dead(&project);
}

#[test]
fn a_timeout_that_is_not_a_duration_or_bounds_no_command_is_located() {
    let project = gate("true\n", Some("soon"));
    assert_outcome(
        &project.run(&["check"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:4:11: `gate[0].timeout`: `soon` is not a duration: write a whole number and one of ms, s, m, h (e.g. `10m`)\n",
    );
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"p\"\npattern = \"os.system($X)\"\ntimeout = \"1s\"\n",
    );
    assert_outcome(
        &project.run(&["check"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:4:11: `gate[0].timeout`: `timeout` bounds a `command`; gate `p` runs no command\n",
    );
    assert!(!project.path().join("group").exists(), "nothing ran");
}

#[test]
fn a_signalled_check_takes_its_running_detector_down_with_it() {
    for (signal, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        let project = gate("touch started\nexec sleep 60\n", None);
        let mut check = command(project.path(), &["check"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start stablegate");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !project.path().join("started").exists() {
            assert!(Instant::now() < deadline, "the detector never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), check.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let status = check.wait().expect("reap stablegate");
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(number),
            "SIG{signal}: stablegate dies of the signal: {status:?}"
        );
        assert_group_dead(&project);
    }
}

#[test]
fn a_background_child_holding_the_detectors_output_cannot_hold_check() {
    let project = gate(
        "echo '{\"file\": \"a.py\", \"line\": 1, \"message\": \"found\"}'\nsleep 1000 &\n",
        Some("10m"),
    );
    let started = Instant::now();
    let outcome = project.run(&["check"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "check waited for the background child: {outcome}"
    );
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(outcome.stdout.contains("a.py:1"), "{outcome}");
    assert_group_dead(&project);
}

#[test]
fn what_a_detector_leaves_running_ends_with_stablegate_also_on_an_error() {
    let project = gate("sleep 1000 > /dev/null 2>&1 &\necho 'not findings'\n", None);
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome
            .stderr
            .contains("gate `slow`: command `sh detect.sh`"),
        "{outcome}"
    );
    assert_group_dead(&project);
}
