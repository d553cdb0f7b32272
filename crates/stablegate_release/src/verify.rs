//! `evidence verify DIR` (SPEC §10.3): is a sealed attempt what it was when
//! it was sealed, and do its run results hold their invariants?
//!
//! Every hash is recomputed; files added, removed or changed since the seal
//! are findings, and so are files changed or removed after they were written
//! (against the hashes `state.json` recorded then, [`crate::ledger`]), and so is a FIFO, device or socket in the bundle (never
//! opened: a FIFO would block), every broken run-result invariant
//! ([`crate::run_result::check_stage`]), a `latest.json` that is not one of
//! the run results, a `COMPLETE` attempt whose canary stages do not hold
//! all their runs, passed, a probe snapshot that does not match its recorded
//! fingerprint, and a `COMPLETE` attempt whose probes ended unlike they
//! started. A directory that has neither a manifest nor a
//! `state.json` is not a bundle at all: an error, not a finding. Permissions
//! are not consulted (they do not stop root).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use stablegate_io::read;

use crate::error::ReleaseError;
use crate::files;
use crate::ledger;

use crate::attestation::{self, ATTESTATION};
use crate::manifest::{self, MANIFEST};
use crate::probe::Snapshot;
use crate::run_result;
use crate::state::{AttemptState, State, STATE_FILE};

/// What verifying a bundle found.
#[derive(Debug)]
pub struct Verification {
    pub dir: PathBuf,
    /// The files the manifest lists.
    pub files: usize,
    /// The attempt's state, when `state.json` could be read.
    pub state: Option<String>,
    /// Empty: intact.
    pub findings: Vec<String>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Verifies the bundle at `dir`.
pub fn verify(dir: &Path) -> Result<Verification, ReleaseError> {
    let not_a_bundle = |reason: &str| ReleaseError::NotABundle {
        dir: dir.to_owned(),
        reason: reason.to_owned(),
    };
    if !dir.is_dir() {
        return Err(not_a_bundle("no such directory"));
    }
    let has_manifest = dir.join(MANIFEST).is_file();
    if !has_manifest && !dir.join("state.json").is_file() {
        return Err(not_a_bundle(
            "it holds neither MANIFEST.sha256 nor state.json",
        ));
    }
    let mut findings = Vec::new();
    let mut listed = 0;
    let read_state = State::read(dir);
    let present = manifest::files(dir)?;
    let (actual, special) = manifest::hash_regular(dir, &present)?;
    for (file, kind) in &special {
        findings.push(format!("{file}: is {kind}, not a regular file"));
    }
    let is_special = |file: &str| special.iter().any(|(path, _)| path == file);
    if has_manifest {
        let path = dir.join(MANIFEST);
        let text = files::read(&path)?;
        let (expected, problems) = manifest::parse(&String::from_utf8_lossy(&text));
        listed = expected.len();
        findings.extend(problems);
        for (file, hash) in &expected {
            match actual.get(file) {
                None if is_special(file) => {}
                None => findings.push(format!("{file}: removed since the seal")),
                Some(now) if now != hash => findings.push(format!(
                    "{file}: changed since the seal (sha256 {hash} → {now})"
                )),
                Some(_) => {}
            }
        }
        for file in actual.keys().filter(|file| !expected.contains_key(*file)) {
            findings.push(format!("{file}: added since the seal"));
        }
        findings.extend(check_attestation(
            dir,
            actual.clone(),
            read_state.as_ref().ok(),
        ));
    } else {
        findings.push(format!(
            "{MANIFEST}: missing: the attempt was never sealed, or its manifest was deleted"
        ));
    }
    let state = match read_state {
        Ok(state) => {
            let written = ledger::compare(&state.evidence, &actual);
            findings.extend(written.into_iter().filter(|finding| {
                !special
                    .iter()
                    .any(|(path, _)| finding.starts_with(&format!("{path}: ")))
            }));
            findings.extend(check_runs(dir, &state)?);
            findings.extend(check_probes(dir, &state));
            Some(state.state.name().to_owned())
        }
        Err(err) => {
            findings.push(format!("{STATE_FILE}: {}", without_path(&err)));
            None
        }
    };
    Ok(Verification {
        dir: dir.to_owned(),
        files: listed,
        state,
        findings,
    })
}

/// An error's message without the file's path in front (findings name the
/// file relative to the bundle themselves).
fn without_path(err: &ReleaseError) -> String {
    match err {
        ReleaseError::Unreadable { source, .. } => source.to_string(),
        ReleaseError::Corrupt { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// The attestation against the files and the state. A bundle of format
/// version 1 (sealed before attestations existed) may lack one; any later
/// bundle, or one whose state cannot be read, may not.
fn check_attestation(
    dir: &Path,
    mut actual: manifest::Hashes,
    state: Option<&State>,
) -> Vec<String> {
    let path = dir.join(ATTESTATION);
    actual.remove(ATTESTATION);
    if !path.is_file() {
        return match state {
            Some(state) if state.format_version < 2 => Vec::new(),
            _ => vec![format!(
                "{ATTESTATION}: missing from a bundle of format version 2 or later"
            )],
        };
    }
    match files::read(&path) {
        Ok(text) => attestation::check(&text, &actual, state),
        Err(err) => vec![format!("{ATTESTATION}: {}", without_path(&err))],
    }
}

/// The run-result invariants of every directory holding `run-<k>.json`
/// files, and the completeness a `COMPLETE` state claims.
fn check_runs(dir: &Path, state: &State) -> Result<Vec<String>, ReleaseError> {
    let mut findings = Vec::new();
    let mut all_runs: Vec<Vec<u8>> = Vec::new();
    for entry in fs::read_dir(dir).map_err(ReleaseError::io(dir))? {
        let entry = entry.map_err(ReleaseError::io(dir))?;
        if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let (runs, unreadable) = read_runs(&entry.path(), &name)?;
        findings.extend(unreadable);
        if runs.is_empty() {
            continue;
        }
        findings.extend(run_result::check_stage(&name, &runs));
        let record = state
            .stages
            .iter()
            .find(|stage| stage.evidence.as_deref() == Some(name.as_str()));
        if let Some(stage) = record.filter(|stage| state.has_reached(&stage.reaches)) {
            let runs_wanted = stage.runs.unwrap_or(0);
            if runs.len() as u32 != runs_wanted {
                findings.push(format!(
                    "{name}: stage `{}` reached {} with {} of {runs_wanted} runs",
                    stage.name,
                    stage.reaches,
                    runs.len()
                ));
            }
        }
        all_runs.extend(runs.into_iter().map(|(_, bytes)| bytes));
    }
    if state.state == AttemptState::Complete {
        for stage in &state.stages {
            if !state.has_reached(&stage.reaches) {
                findings.push(format!(
                    "state.json: COMPLETE, but stage `{}` never reached {}",
                    stage.name, stage.reaches
                ));
            }
        }
    }
    let latest = dir.join("latest.json");
    match files::read(&latest) {
        Ok(latest) if !all_runs.contains(&latest) => {
            findings.push("latest.json: is not a copy of any run result".to_owned());
        }
        Ok(_) => {}
        Err(ReleaseError::Unreadable {
            source: read::ReadError::NotFound,
            ..
        }) if all_runs.is_empty() => {}
        Err(ReleaseError::Unreadable {
            source: read::ReadError::NotFound,
            ..
        }) => findings.push("latest.json: missing, though runs were recorded".to_owned()),
        Err(err) => findings.push(format!("latest.json: {}", without_path(&err))),
    }
    Ok(findings)
}

/// Probe checkpoints: every `fingerprints.json` agrees with the snapshots
/// beside it, and a `COMPLETE` attempt ended with the fingerprints it
/// started with.
fn check_probes(dir: &Path, state: &State) -> Vec<String> {
    let mut findings = Vec::new();
    let mut checkpoints = Vec::new();
    collect_checkpoints(&dir.join("probes"), &mut checkpoints);
    for checkpoint in &checkpoints {
        let shown = checkpoint
            .strip_prefix(dir)
            .unwrap_or(checkpoint)
            .display()
            .to_string();
        let Some(summary) = read_json(&checkpoint.join("fingerprints.json")) else {
            findings.push(format!("{shown}/fingerprints.json: not JSON"));
            continue;
        };
        for (probe, recorded) in summary.as_object().into_iter().flatten() {
            let text = files::read(&checkpoint.join(format!("{probe}.txt")))
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default();
            let snapshot = Snapshot::from_text(&text);
            if recorded.get("sha256").and_then(Value::as_str)
                != Some(snapshot.fingerprint().as_str())
            {
                findings.push(format!(
                    "{shown}/{probe}.txt: does not match its fingerprint in fingerprints.json"
                ));
            }
        }
    }
    if state.state == AttemptState::Complete {
        let start = read_json(&dir.join("probes/start/fingerprints.json"));
        let end = read_json(&dir.join("probes/end/fingerprints.json"));
        if start != end {
            findings.push(
                "probes: COMPLETE, but the probes' fingerprints at the end differ from the start"
                    .to_owned(),
            );
        }
    }
    findings
}

fn collect_checkpoints(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("fingerprints.json").is_file() {
        out.push(dir.to_owned());
    }
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            collect_checkpoints(&entry.path(), out);
        }
    }
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&files::read(path).ok()?).ok()
}

/// `(k, bytes)` of run results.
type Runs = Vec<(u32, Vec<u8>)>;

/// `(k, bytes)` of every readable `run-<k>.json` in `dir` (named `shown`
/// in findings), and a finding for each that cannot be read.
fn read_runs(dir: &Path, shown: &str) -> Result<(Runs, Vec<String>), ReleaseError> {
    let mut runs = Vec::new();
    let mut unreadable = Vec::new();
    for entry in fs::read_dir(dir).map_err(ReleaseError::io(dir))? {
        let entry = entry.map_err(ReleaseError::io(dir))?;
        let name = entry.file_name();
        let number = name
            .to_str()
            .and_then(|n| n.strip_prefix("run-")?.strip_suffix(".json")?.parse().ok());
        if let Some(number) = number {
            match files::read(&entry.path()) {
                Ok(bytes) => runs.push((number, bytes)),
                // A special file is a finding of its own already.
                Err(ReleaseError::Unreadable {
                    source: read::ReadError::NotRegular(_),
                    ..
                }) => {}
                Err(err) => unreadable.push(format!(
                    "{shown}/{}: {}",
                    name.to_string_lossy(),
                    without_path(&err)
                )),
            }
        }
    }
    runs.sort_by_key(|(k, _)| *k);
    Ok((runs, unreadable))
}
