//! Sealed bundles against tampering (SPEC §10.3): `evidence verify` exits 1
//! for a flipped byte, an added file, a deleted file or a deleted manifest,
//! 2 for a directory that is not a bundle; and earlier attempts stay byte
//! for byte what they were while later ones are written.

use std::fs;

use crate::release_fixture::{files, json, project, writable, ReleaseProject, ATTEMPT1, ECHO};
use crate::support::assert_outcome;

/// One check stage and a 1-run canary: a small bundle, quickly.
const SMALL: &str = r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[[release.rel.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "smoke", runs = 1, evidence = "single" }

[release.rel.suite.smoke]
scenario = [{ id = 1, name = "first", command = "sh s1.sh" }]
"#;

fn sealed_attempts(count: usize) -> ReleaseProject {
    let project = project(SMALL, ECHO, "");
    for _ in 0..count {
        let outcome = project.run(&["release", "run", "rel"]);
        assert_eq!(outcome.code, Some(0), "{outcome}");
    }
    project
}

#[track_caller]
fn verify_finds(project: &ReleaseProject, attempt: &str, finding: &str) {
    let outcome = project.run(&["evidence", "verify", attempt]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome
            .stdout
            .starts_with(&format!("{attempt}: NOT intact")),
        "{outcome}"
    );
    assert!(
        outcome.stdout.contains(finding),
        "expected `{finding}` in\n{outcome}"
    );
}

#[test]
fn a_flipped_byte_is_a_changed_file() {
    let project = sealed_attempts(1);
    let attempt = "evidence/v1-attempt1";
    let path = project.path().join(attempt).join("single/run-1.json");
    writable(&path);
    let mut bytes = fs::read(&path).unwrap();
    let at = bytes.iter().position(|&b| b == b'p').unwrap();
    bytes[at] = b'q';
    fs::write(&path, bytes).unwrap();
    verify_finds(
        &project,
        attempt,
        "  single/run-1.json: changed since the seal (sha256 ",
    );
    verify_finds(
        &project,
        attempt,
        "single/run-1.json: `outcome` `qass` is not \"pass\" or \"fail\"",
    );
}

#[test]
fn an_added_file_and_a_deleted_file_are_each_found() {
    let project = sealed_attempts(2);
    let first = project.path().join("evidence/v1-attempt1");
    writable(&first.join("logs/single/run-1"));
    fs::write(first.join("logs/single/run-1/extra.txt"), "planted").unwrap();
    verify_finds(
        &project,
        "evidence/v1-attempt1",
        "  logs/single/run-1/extra.txt: added since the seal\n",
    );
    let second = project.path().join("evidence/v1-attempt2");
    writable(&second.join("logs/single/run-1"));
    fs::remove_file(second.join("logs/single/run-1/1.stdout")).unwrap();
    verify_finds(
        &project,
        "evidence/v1-attempt2",
        "  logs/single/run-1/1.stdout: removed since the seal\n",
    );
}

#[test]
fn a_deleted_manifest_is_a_finding_and_a_plain_directory_is_not_a_bundle() {
    let project = sealed_attempts(1);
    let attempt = project.path().join("evidence/v1-attempt1");
    writable(&attempt);
    fs::remove_file(attempt.join("MANIFEST.sha256")).unwrap();
    verify_finds(&project, "evidence/v1-attempt1", "MANIFEST.sha256: missing");
    project.dir("plain");
    assert_outcome(
        &project.run(&["evidence", "verify", "plain"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: plain: not an evidence bundle: it holds neither MANIFEST.sha256 nor state.json\n",
    );
    assert_outcome(
        &project.run(&["evidence", "verify", "nowhere"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: nowhere: not an evidence bundle: no such directory\n",
    );
}

#[test]
fn earlier_attempts_are_byte_identical_after_later_ones() {
    let project = sealed_attempts(1);
    let first = files(&project, "evidence/v1-attempt1");
    for _ in 0..2 {
        assert_eq!(project.run(&["release", "run", "rel"]).code, Some(0));
    }
    assert_eq!(files(&project, "evidence/v1-attempt1"), first);
    assert!(project
        .path()
        .join("evidence/v1-attempt3/MANIFEST.sha256")
        .exists());
    let tagged = project.run(&["release", "run", "rel", "--tag", "rc2"]);
    assert!(
        tagged.stdout.starts_with("attempt evidence/rc2-attempt1\n"),
        "{tagged}"
    );
    assert_eq!(files(&project, "evidence/v1-attempt1"), first);
    assert_ne!(
        ATTEMPT1, "evidence/v1-attempt1",
        "the fixture's default tag differs from SMALL's"
    );
}

#[test]
fn a_probe_snapshot_edited_after_the_seal_no_longer_matches_its_fingerprint() {
    let config = format!(
        "{SMALL}\n[[release.rel.probe]]\nname = \"queue\"\ncommand = \"echo one; echo two\"\n"
    );
    let project = project(&config, ECHO, "");
    assert_eq!(project.run(&["release", "run", "rel"]).code, Some(0));
    let snapshot = project
        .path()
        .join("evidence/v1-attempt1/probes/end/queue.txt");
    writable(&snapshot);
    fs::write(&snapshot, "one\nthree\n").unwrap();
    verify_finds(
        &project,
        "evidence/v1-attempt1",
        "  probes/end/queue.txt: changed since the seal",
    );
    verify_finds(
        &project,
        "evidence/v1-attempt1",
        "  probes/end/queue.txt: does not match its fingerprint in fingerprints.json\n",
    );
}

#[test]
fn the_attestation_lists_every_sealed_file_and_states_the_verdict() {
    let project = project(SMALL, "exit 1\n", "");
    assert_eq!(project.run(&["release", "run", "rel"]).code, Some(1));
    let attempt = "evidence/v1-attempt1";
    let statement = json(&project, &format!("{attempt}/attestation.intoto.json"));
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    let manifest =
        fs::read_to_string(project.path().join(attempt).join("MANIFEST.sha256")).unwrap();
    let subjects: Vec<String> = (statement["subject"].as_array().unwrap().iter())
        .map(|s| {
            format!(
                "{}  {}",
                s["digest"]["sha256"].as_str().unwrap(),
                s["name"].as_str().unwrap()
            )
        })
        .collect();
    let listed: Vec<&str> = (manifest.lines())
        .filter(|line| !line.ends_with("  attestation.intoto.json"))
        .collect();
    assert_eq!(subjects, listed);
    assert!(listed
        .iter()
        .any(|line| line.ends_with("  single/run-1.json")));
    let predicate = &statement["predicate"];
    assert_eq!(
        (
            &predicate["verdict"],
            &predicate["gate"],
            &predicate["tag"],
            &predicate["attempt"]
        ),
        (&"fail".into(), &"rel".into(), &"v1".into(), &1.into())
    );
    let state = json(&project, &format!("{attempt}/state.json"));
    assert_eq!(predicate["configuration"]["sha256"], state["config_sha256"]);
    assert_eq!(state["config_sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn a_changed_configuration_changes_the_attested_digest() {
    let project = sealed_attempts(1);
    let changed = SMALL.replace("name = \"first\"", "name = \"renamed\"");
    project.file("stablegate.toml", changed);
    assert_eq!(project.run(&["release", "run", "rel"]).code, Some(0));
    let digest = |n: u32| {
        json(
            &project,
            &format!("evidence/v1-attempt{n}/attestation.intoto.json"),
        )["predicate"]["configuration"]["sha256"]
            .clone()
    };
    assert_ne!(digest(1), digest(2));
    assert_eq!(
        json(&project, "evidence/v1-attempt2/attestation.intoto.json")["predicate"]["verdict"],
        "pass"
    );
}
