//! The release project the `release` tests start from, and helpers to read
//! its evidence.
//!
//! Release `rel`: version `app` 2.0.1 (so attempts are
//! `evidence/v2.0.1-attempt<N>`), a check stage, a 1-run canary (`single`)
//! and a 4-run canary (`runs`) of suite `smoke` (scenarios 1 and 4, the
//! scripts `s1.sh` and `s4.sh`, which each test writes). Sealed attempts are
//! read-only; [`ReleaseProject`] makes them writable again when dropped so
//! the temporary directory can be removed.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::check_fixture::tree;
use crate::support::{Outcome, Project};

pub const CONFIG: &str = r#"[release.rel]
evidence_dir = "evidence"
tag = "v{versions.app}"

[release.rel.versions]
app = { command = "echo app 2.0.1", regex = 'app (\S+)' }

[[release.rel.stage]]
name = "blockers"
reaches = "BLOCKERS_VERIFIED"
check = ["true"]

[[release.rel.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "smoke", runs = 1, evidence = "single" }

[[release.rel.stage]]
name = "four-run"
reaches = "FOUR_RUN_PASSED"
canary = { suite = "smoke", runs = 4, evidence = "runs" }

[release.rel.suite.smoke]
timeout = "20s"
scenario = [
  { id = 1, name = "first", command = "sh s1.sh" },
  { id = 4, name = "fourth", command = "sh s4.sh" },
]
"#;

/// Prints what the scenario was given, and passes.
pub const ECHO: &str =
    "echo \"run $STABLEGATE_RUN_NUMBER scenario $STABLEGATE_SCENARIO_ID id $STABLEGATE_RUN_ID\"\n";

/// The first attempt directory, relative to the root.
pub const ATTEMPT1: &str = "evidence/v2.0.1-attempt1";

/// A project whose sealed evidence is made writable again on drop.
pub struct ReleaseProject(pub Project);

impl std::ops::Deref for ReleaseProject {
    type Target = Project;
    fn deref(&self) -> &Project {
        &self.0
    }
}

impl Drop for ReleaseProject {
    fn drop(&mut self) {
        unseal(&self.0.path().join("evidence"));
    }
}

/// A release project with `config` and the two scenario scripts.
pub fn project(config: &str, s1: &str, s4: &str) -> ReleaseProject {
    let project = Project::new();
    project
        .file("stablegate.toml", config)
        .file("s1.sh", s1)
        .file("s4.sh", s4);
    ReleaseProject(project)
}

/// Makes every directory under `dir` writable (and so removable) again.
pub fn unseal(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if meta.is_dir() {
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o755));
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            unseal(&entry.path());
        }
    } else if meta.is_file() {
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o644));
    }
}

/// The outcome with every `in <n> ms` replaced by `in N ms`.
pub fn timeless(outcome: &Outcome) -> String {
    let text = outcome.to_string();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(" in ") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" ms") {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// A JSON file of the project.
pub fn json(project: &Project, path: &str) -> Value {
    let bytes =
        fs::read(project.path().join(path)).unwrap_or_else(|err| panic!("read {path}: {err}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|err| panic!("{path} is not JSON: {err}"))
}

/// The states of `state.json`'s history, in order.
pub fn history(project: &Project, attempt: &str) -> Vec<String> {
    let state = json(project, &format!("{attempt}/state.json"));
    let history = state["history"].as_array().expect("a history list");
    history
        .iter()
        .map(|t| t["state"].as_str().expect("a state").to_owned())
        .collect()
}

/// Every file of an attempt with its bytes.
pub fn files(project: &Project, attempt: &str) -> BTreeMap<String, Vec<u8>> {
    tree(&project.path().join(attempt))
}

pub fn exists(project: &Project, path: &str) -> bool {
    project.path().join(path).exists()
}

/// Whether a string is an ISO 8601 UTC time to the second.
pub fn is_utc_second(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && text.bytes().filter(u8::is_ascii_digit).count() == 14
}

/// Whether a string is a ULID (26 Crockford base32 characters).
pub fn is_ulid(text: &str) -> bool {
    text.len() == 26
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// Makes a sealed file or directory writable, to tamper with it.
pub fn writable(path: &PathBuf) {
    let mode = if path.is_dir() { 0o755 } else { 0o644 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}
