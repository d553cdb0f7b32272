//! Golden evidence bundles: one sealed attempt per bundle format version,
//! written by the version that introduced it and read back by every later
//! one (CONVENTIONS "Golden evidence bundles per format version").
//!
//! `golden/v1/` was written by `stablegate release run golden` with
//! `golden/v1.stablegate.toml` (a check stage, a 2-run canary with a
//! scenario passing by exit code and one by result file, a `between_runs`
//! probe). It must stay intact; a copy with one byte changed must not.
//!
//! `golden/v2/` was written the same way from `golden/v2.stablegate.toml`
//! (the same release) by the version that introduced format 2: `state.json`
//! records `config_sha256` and the bundle carries `attestation.intoto.json`.
//! Version 1 bundles are read without an attestation because they declare
//! format 1; a version 2 bundle without one is not intact.

use std::fs;
use std::path::{Path, PathBuf};

use stablegate_release::verify::verify;

fn golden(version: &str) -> PathBuf {
    // Read at run time (cargo sets it for `cargo test`): with one target
    // directory shared by several checkouts, the compile-time value may name
    // the checkout that built this test, not the one running it.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.join("tests/golden").join(version)
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_version_1_bundle_is_still_intact() {
    let verification = verify(&golden("v1")).unwrap();
    assert_eq!(verification.findings, Vec::<String>::new());
    assert_eq!(verification.files, 28);
    assert_eq!(verification.state.as_deref(), Some("COMPLETE"));
}

#[test]
fn the_version_1_bundle_with_one_byte_changed_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let copied = dir.path().join("v1");
    copy(&golden("v1"), &copied);
    let run = copied.join("runs/run-2.json");
    let text =
        fs::read_to_string(&run)
            .unwrap()
            .replacen("\"run_number\": 2", "\"run_number\": 3", 1);
    fs::write(&run, text).unwrap();
    let verification = verify(&copied).unwrap();
    assert_eq!(
        verification
            .findings
            .iter()
            .map(|f| f.split(" (sha256").next().unwrap_or(f))
            .collect::<Vec<_>>(),
        [
            "runs/run-2.json: changed since the seal",
            "runs/run-2.json: `run_number` is 3, but the file is run 2",
            "latest.json: is not a copy of any run result"
        ],
    );
}

#[test]
fn the_version_2_bundle_is_intact_and_attested() {
    let verification = verify(&golden("v2")).unwrap();
    assert_eq!(verification.findings, Vec::<String>::new());
    assert_eq!(verification.files, 29);
    assert_eq!(verification.state.as_deref(), Some("COMPLETE"));
    let statement: serde_json::Value =
        serde_json::from_slice(&fs::read(golden("v2").join("attestation.intoto.json")).unwrap())
            .unwrap();
    let manifest = fs::read_to_string(golden("v2").join("MANIFEST.sha256")).unwrap();
    let subjects: Vec<String> = statement["subject"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}  {}",
                s["digest"]["sha256"].as_str().unwrap(),
                s["name"].as_str().unwrap()
            )
        })
        .collect();
    let listed: Vec<&str> = manifest
        .lines()
        .filter(|line| !line.ends_with("  attestation.intoto.json"))
        .collect();
    assert_eq!(
        subjects, listed,
        "subjects = the manifest less the attestation"
    );
    assert_eq!(statement["predicate"]["verdict"], "pass");
    assert_eq!(statement["predicate"]["gate"], "golden");
}

#[test]
fn a_version_2_file_changed_with_its_manifest_line_is_caught_by_the_attestation() {
    let dir = tempfile::tempdir().unwrap();
    let copied = dir.path().join("v2");
    copy(&golden("v2"), &copied);
    let log = copied.join("logs/blockers/check-1.stdout");
    fs::write(&log, "forged\n").unwrap();
    let hash = stablegate_release::manifest::hash_file(&log).unwrap();
    let manifest = copied.join("MANIFEST.sha256");
    let text: String = fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .map(|line| match line.split_once("  ") {
            Some((_, "logs/blockers/check-1.stdout")) => {
                format!("{hash}  logs/blockers/check-1.stdout\n")
            }
            _ => format!("{line}\n"),
        })
        .collect();
    fs::write(&manifest, text).unwrap();
    let verification = verify(&copied).unwrap();
    assert_eq!(
        verification.findings.len(),
        1,
        "{:?}",
        verification.findings
    );
    assert!(verification.findings[0].starts_with(
        "attestation.intoto.json: subject `logs/blockers/check-1.stdout` does not match the file"
    ));
}

#[test]
fn a_version_2_bundle_without_its_attestation_is_not_intact() {
    let dir = tempfile::tempdir().unwrap();
    let copied = dir.path().join("v2");
    copy(&golden("v2"), &copied);
    fs::remove_file(copied.join("attestation.intoto.json")).unwrap();
    let manifest = copied.join("MANIFEST.sha256");
    let text: String = fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .filter(|line| !line.ends_with("  attestation.intoto.json"))
        .map(|line| format!("{line}\n"))
        .collect();
    fs::write(&manifest, text).unwrap();
    let verification = verify(&copied).unwrap();
    assert_eq!(
        verification.findings,
        ["attestation.intoto.json: missing from a bundle of format version 2 or later"]
    );
}

#[test]
fn a_version_2_bundle_whose_verdict_was_rewritten_is_not_intact() {
    let dir = tempfile::tempdir().unwrap();
    let copied = dir.path().join("v2");
    copy(&golden("v2"), &copied);
    let path = copied.join("attestation.intoto.json");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("\"golden\"", "\"other\"");
    fs::write(&path, text).unwrap();
    let findings = verify(&copied).unwrap().findings;
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings[0].starts_with("attestation.intoto.json: changed since the seal"));
    assert_eq!(
        findings[1],
        "attestation.intoto.json: predicate `gate` is other but state.json says golden"
    );
}

#[test]
fn the_evidence_page_claims_an_attestation_only_where_there_is_one() {
    let out = tempfile::tempdir().unwrap();
    let page = |version: &str| {
        let output = out.path().join(format!("{version}.html"));
        stablegate_release::evidence_report::render(&golden(version), &output, true).unwrap()
    };
    let (v1, v2) = (page("v1"), page("v2"));
    assert!(v1.contains("every hash matches its manifest.") && !v1.contains("and attestation"));
    assert!(v2.contains("every hash matches its manifest and attestation."));
}
