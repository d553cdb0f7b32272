//! Golden evidence bundles: one sealed attempt per bundle format version,
//! written by the version that introduced it and read back by every later
//! one (CONVENTIONS "Golden evidence bundles per format version").
//!
//! `golden/v1/` was written by `stablegate release run golden` with
//! `golden/v1.stablegate.toml` (a check stage, a 2-run canary with a
//! scenario passing by exit code and one by result file, a `between_runs`
//! probe). It must stay intact; a copy with one byte changed must not.

use std::fs;
use std::path::{Path, PathBuf};

use stablegate_release::verify::verify;

fn golden(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(version)
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
