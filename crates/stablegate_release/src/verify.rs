//! `evidence verify DIR` (SPEC §10.3): is a sealed attempt what it was when
//! it was sealed, and do its run results hold their invariants?
//!
//! Every hash is recomputed; files added, removed or changed since the seal
//! are findings, and so is every broken run-result invariant
//! ([`crate::run_result::check_stage`]), a `latest.json` that is not one of
//! the run results, and a `COMPLETE` attempt whose canary stages do not hold
//! all their runs, passed. A directory that has neither a manifest nor a
//! `state.json` is not a bundle at all: an error, not a finding. Permissions
//! are not consulted (they do not stop root).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::ReleaseError;
use crate::manifest::{self, MANIFEST};
use crate::run_result;
use crate::state::{self, State};

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
    if has_manifest {
        let path = dir.join(MANIFEST);
        let text = fs::read(&path).map_err(ReleaseError::io(&path))?;
        let (expected, problems) = manifest::parse(&String::from_utf8_lossy(&text));
        listed = expected.len();
        findings.extend(problems);
        let present = manifest::files(dir)?;
        let actual = manifest::hash_all(dir, &present)?;
        for (file, hash) in &expected {
            match actual.get(file) {
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
    } else {
        findings.push(format!(
            "{MANIFEST}: missing: the attempt was never sealed, or its manifest was deleted"
        ));
    }
    let state = match State::read(dir) {
        Ok(state) => {
            findings.extend(check_runs(dir, &state)?);
            Some(state.state)
        }
        Err(err) => {
            findings.push(format!("state.json: {err}"));
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
        let runs = read_runs(&entry.path())?;
        if runs.is_empty() {
            continue;
        }
        findings.extend(run_result::check_stage(&name, &runs));
        let record = state
            .stages
            .iter()
            .find(|stage| stage.evidence.as_deref() == Some(name.as_str()));
        if let Some(stage) = record.filter(|stage| state.reached().any(|s| s == stage.reaches)) {
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
    if state.state == state::COMPLETE {
        for stage in &state.stages {
            if !state.reached().any(|s| s == stage.reaches) {
                findings.push(format!(
                    "state.json: COMPLETE, but stage `{}` never reached {}",
                    stage.name, stage.reaches
                ));
            }
        }
    }
    match fs::read(dir.join("latest.json")) {
        Ok(latest) if !all_runs.contains(&latest) => {
            findings.push("latest.json: is not a copy of any run result".to_owned())
        }
        Ok(_) => {}
        Err(_) if all_runs.is_empty() => {}
        Err(_) => findings.push("latest.json: missing, though runs were recorded".to_owned()),
    }
    Ok(findings)
}

/// `(k, bytes)` of every `run-<k>.json` in `dir`.
fn read_runs(dir: &Path) -> Result<Vec<(u32, Vec<u8>)>, ReleaseError> {
    let mut runs = Vec::new();
    for entry in fs::read_dir(dir).map_err(ReleaseError::io(dir))? {
        let entry = entry.map_err(ReleaseError::io(dir))?;
        let name = entry.file_name();
        let number = name
            .to_str()
            .and_then(|n| n.strip_prefix("run-")?.strip_suffix(".json")?.parse().ok());
        if let Some(number) = number {
            let bytes = fs::read(entry.path()).map_err(ReleaseError::io(entry.path()))?;
            runs.push((number, bytes));
        }
    }
    runs.sort_by_key(|(k, _)| *k);
    Ok(runs)
}
