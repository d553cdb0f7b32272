//! The read model of an attempt directory: what reports and the HTML
//! evidence view show, gathered from the files alone.
//!
//! [`read`] turns `state.json`, every `run-<k>.json`, every probe
//! checkpoint's `fingerprints.json`, and the http and trace records into
//! one serializable [`View`]. It never judges integrity (that is
//! [`crate::verify`]'s job) and tolerates what it cannot read: a run file
//! that is not JSON, or not a regular file (a FIFO is never opened), is
//! skipped, a missing checkpoint is simply absent. The
//! field names are the template variables documented in `docs/release.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::attestation;
use crate::error::ReleaseError;
use crate::files;
use crate::state::{AttemptState, StageAction, State, Transition};

/// An attempt, as reports see it.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub release: String,
    pub tag: String,
    pub attempt: u32,
    /// The current state (`COMPLETE`, `STOPPED`, a stage's state, …).
    pub state: String,
    /// `pass`, `fail`, `undecided`, `interrupted`, or `running` (a report
    /// stage renders before the attempt ends).
    pub verdict: String,
    pub stopped: bool,
    /// The stage that stopped the attempt, and why.
    pub stage: Option<String>,
    pub reason: Option<String>,
    /// The attempt directory, as given.
    pub evidence: String,
    pub versions: BTreeMap<String, String>,
    pub history: Vec<Transition>,
    pub stages: Vec<StageView>,
    /// Every run result, in stage order, then run order.
    pub runs: Vec<RunView>,
    /// Every probe checkpoint, in path order.
    pub probes: Vec<CheckpointView>,
    /// `probes/http/**.json` and `probes/trace/*.json`, parsed, with `file`.
    pub http: Vec<Value>,
    pub traces: Vec<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    pub name: String,
    pub reaches: String,
    pub action: StageAction,
    pub evidence: Option<String>,
    pub runs: Option<u32>,
    pub reached: bool,
    /// When the state was reached.
    pub at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    /// The evidence directory and the file, relative to the attempt.
    pub evidence: String,
    pub file: String,
    pub logs: String,
    pub run_number: u64,
    pub outcome: String,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// The whole run result.
    pub result: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointView {
    /// `start`, `end`, `stages/runs/before-run-1`, …
    pub checkpoint: String,
    /// `name`, `sha256`, `lines`.
    pub probes: Vec<Value>,
}

/// Reads the attempt at `dir`.
pub fn read(dir: &Path) -> Result<View, ReleaseError> {
    let state = State::read(dir)?;
    let reached = |reaches: &str| state.history.iter().find(|t| t.state.name() == reaches);
    let stages: Vec<StageView> = (state.stages.iter())
        .map(|stage| StageView {
            name: stage.name.clone(),
            reaches: stage.reaches.clone(),
            action: stage.action,
            evidence: stage.evidence.clone(),
            runs: stage.runs,
            reached: reached(&stage.reaches).is_some(),
            at: reached(&stage.reaches).map(|t| t.at.clone()),
        })
        .collect();
    let mut runs = Vec::new();
    for evidence in stages.iter().filter_map(|s| s.evidence.as_deref()) {
        runs.extend(read_runs(dir, evidence));
    }
    let mut checkpoints = Vec::new();
    json_files(&dir.join("probes"), &mut checkpoints);
    let probes = (checkpoints.iter())
        .filter(|path| path.file_name().is_some_and(|n| n == "fingerprints.json"))
        .filter_map(|path| {
            let value: Value = serde_json::from_slice(&files::read(path).ok()?).ok()?;
            let parent = path.parent()?.strip_prefix(dir.join("probes")).ok()?;
            let probes = (value.as_object()?.iter())
                .map(|(name, v)| serde_json::json!({"name": name, "sha256": v["sha256"], "lines": v["lines"]}))
                .collect();
            Some(CheckpointView {
                checkpoint: parent.display().to_string(),
                probes,
            })
        })
        .collect();
    let records = |under: &str| -> Vec<Value> {
        (checkpoints.iter())
            .filter(|path| path.starts_with(dir.join("probes").join(under)))
            .filter_map(|path| {
                let mut value: Value = serde_json::from_slice(&files::read(path).ok()?).ok()?;
                let file = path.strip_prefix(dir).ok()?.display().to_string();
                value
                    .as_object_mut()?
                    .insert("file".into(), Value::String(file));
                Some(value)
            })
            .collect()
    };
    Ok(View {
        verdict: if state.finished() {
            attestation::verdict(Some(&state)).to_owned()
        } else {
            "running".to_owned()
        },
        stopped: state.state == AttemptState::Stopped,
        release: state.release,
        tag: state.tag,
        attempt: state.attempt,
        state: state.state.name().to_owned(),
        stage: state.stage,
        reason: state.reason,
        evidence: dir.display().to_string(),
        versions: state.versions,
        history: state.history,
        stages,
        runs,
        probes,
        http: records("http"),
        traces: records("trace"),
    })
}

fn read_runs(dir: &Path, evidence: &str) -> Vec<RunView> {
    let mut found: Vec<(u64, Value)> = fs::read_dir(dir.join(evidence))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            let k: u64 = name
                .strip_prefix("run-")?
                .strip_suffix(".json")?
                .parse()
                .ok()?;
            Some((
                k,
                serde_json::from_slice(&files::read(&entry.path()).ok()?).ok()?,
            ))
        })
        .collect();
    found.sort_by_key(|(k, _)| *k);
    (found.into_iter())
        .map(|(k, result)| {
            let count = |status: &str| {
                (result["scenarios"].as_array().into_iter().flatten())
                    .filter(|s| s["status"] == status)
                    .count()
            };
            RunView {
                evidence: evidence.to_owned(),
                file: format!("{evidence}/run-{k}.json"),
                logs: format!("logs/{evidence}/run-{k}"),
                run_number: k,
                outcome: result["outcome"].as_str().unwrap_or("unknown").to_owned(),
                passed: count("pass"),
                failed: count("fail"),
                skipped: count("skipped"),
                result,
            }
        })
        .collect()
}

/// Every `*.json` under `dir`, sorted.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = (fs::read_dir(dir).into_iter().flatten().flatten())
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
