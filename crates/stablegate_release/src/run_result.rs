//! The run result (SPEC §10.2): one JSON document per canary run, and the
//! invariants a set of them must hold.
//!
//! Format version 1, documented in `docs/release.md`. Field order is fixed:
//! `outcome`, `run_id` (a ULID), `run_number`, one `NAME_version` per
//! captured version (in name order), `timestamp` (the run's start, ISO 8601
//! UTC), `scenarios` (`id`, `name`, `status`, `failure_mode`, `details`),
//! then the extra fields `format_version`, `stage`, `duration_ms` and, for
//! a JUnit suite that allows skips, `allow_skipped: true`. A `skipped`
//! scenario fails the run unless `allow_skipped` is true.
//! [`check_stage`] re-checks a stage directory's results; the runner and
//! `evidence verify` both rely on it, so what is written is what is verified.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::result_file::Status;

/// The run result format version.
pub const FORMAT_VERSION: u32 = 1;

/// One canary run.
#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    pub outcome: Status,
    pub run_id: String,
    pub run_number: u32,
    /// `NAME_version` → the captured version.
    #[serde(flatten)]
    pub versions: BTreeMap<String, String>,
    pub timestamp: String,
    pub scenarios: Vec<ScenarioResult>,
    pub format_version: u32,
    pub stage: String,
    pub duration_ms: u64,
    /// A JUnit suite with `allow_skipped = true`: skipped scenarios do not
    /// fail the run. Written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_skipped: bool,
}

/// One scenario of a run.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub id: u64,
    pub name: String,
    pub status: Status,
    pub failure_mode: Option<String>,
    pub details: Option<Value>,
}

impl RunResult {
    /// The document as written: pretty JSON with a final newline; `path`
    /// names the file in the error.
    pub fn to_bytes(&self, path: &std::path::Path) -> Result<Vec<u8>, crate::ReleaseError> {
        crate::files::json(path, self)
    }
}

/// Re-checks the run results of one stage: `runs` holds `(k, bytes)` of
/// every `run-<k>.json`. Returns one message per broken invariant.
pub fn check_stage(stage: &str, runs: &[(u32, Vec<u8>)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut numbers: Vec<u32> = Vec::new();
    let mut failed_at = None;
    for (k, bytes) in runs {
        let at = format!("{stage}/run-{k}.json");
        let value: Value = match serde_json::from_slice(bytes) {
            Ok(value) => value,
            Err(err) => {
                problems.push(format!("{at}: not JSON: {err}"));
                continue;
            }
        };
        match check_one(&value, *k) {
            Ok(passed) => {
                numbers.push(*k);
                if !passed {
                    failed_at = failed_at.or(Some(*k));
                }
            }
            Err(message) => problems.push(format!("{at}: {message}")),
        }
    }
    numbers.sort_unstable();
    for (expected, k) in (1..).zip(&numbers) {
        if expected != *k {
            problems.push(format!("{stage}: run {expected} is missing before run {k}"));
            break;
        }
    }
    if let (Some(failed), Some(&last)) = (failed_at, numbers.last()) {
        if failed != last {
            problems.push(format!(
                "{stage}: run {failed} failed, yet run {last} was run after it"
            ));
        }
    }
    problems
}

/// Checks one document; `Ok(passed)`.
fn check_one(value: &Value, k: u32) -> Result<bool, String> {
    let field = |name: &str| value.get(name).ok_or_else(|| format!("no `{name}` field"));
    let outcome = field("outcome")?
        .as_str()
        .ok_or("`outcome` is not a string")?;
    let number = field("run_number")?
        .as_u64()
        .ok_or("`run_number` is not a number")?;
    if number != u64::from(k) {
        return Err(format!("`run_number` is {number}, but the file is run {k}"));
    }
    let run_id = field("run_id")?
        .as_str()
        .ok_or("`run_id` is not a string")?;
    if ulid::Ulid::from_string(run_id).is_err() {
        return Err(format!("`run_id` `{run_id}` is not a ULID"));
    }
    let timestamp = field("timestamp")?
        .as_str()
        .ok_or("`timestamp` is not a string")?;
    if timestamp.parse::<jiff::Timestamp>().is_err() {
        return Err(format!("`timestamp` `{timestamp}` is not ISO 8601"));
    }
    let scenarios = field("scenarios")?
        .as_array()
        .ok_or("`scenarios` is not a list")?;
    let allow_skipped = value.get("allow_skipped") == Some(&Value::Bool(true));
    let mut all_pass = true;
    for scenario in scenarios {
        match scenario.get("status").and_then(Value::as_str) {
            Some("pass") => {}
            Some("skipped") if allow_skipped => {}
            Some("fail" | "skipped") => all_pass = false,
            _ => {
                return Err(
                    "a scenario's `status` is not \"pass\", \"fail\" or \"skipped\"".to_owned(),
                )
            }
        }
    }
    match (outcome, all_pass && !scenarios.is_empty()) {
        ("pass", true) => Ok(true),
        ("fail", false) => Ok(false),
        ("pass", false) => Err("`outcome` is \"pass\" but not every scenario passed".to_owned()),
        ("fail", true) => Err("`outcome` is \"fail\" but every scenario passed".to_owned()),
        (other, _) => Err(format!("`outcome` `{other}` is not \"pass\" or \"fail\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(k: u32, outcome: Status, status: Status) -> (u32, Vec<u8>) {
        let result = RunResult {
            outcome,
            run_id: ulid::Ulid::new().to_string(),
            run_number: k,
            versions: BTreeMap::from([("cli_version".to_owned(), "1.0".to_owned())]),
            timestamp: "2026-05-20T14:03:11Z".to_owned(),
            scenarios: vec![ScenarioResult {
                id: 1,
                name: "a".into(),
                status,
                failure_mode: None,
                details: None,
            }],
            format_version: FORMAT_VERSION,
            stage: "four".into(),
            duration_ms: 3,
            allow_skipped: false,
        };
        (
            k,
            result.to_bytes(std::path::Path::new("run.json")).unwrap(),
        )
    }

    #[test]
    fn fields_are_written_in_the_documented_order() {
        let (_, bytes) = run(1, Status::Pass, Status::Pass);
        let text = String::from_utf8(bytes).unwrap();
        let order = [
            "\"outcome\"",
            "\"run_id\"",
            "\"run_number\"",
            "\"cli_version\"",
            "\"timestamp\"",
            "\"scenarios\"",
            "\"format_version\"",
        ];
        let places: Vec<usize> = order.iter().map(|key| text.find(key).unwrap()).collect();
        assert!(places.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.contains("\"failure_mode\": null"), "{text}");
    }

    #[test]
    fn a_clean_stage_and_a_stage_stopped_at_its_last_run_hold() {
        let clean: Vec<_> = (1..=4)
            .map(|k| run(k, Status::Pass, Status::Pass))
            .collect();
        assert!(check_stage("runs", &clean).is_empty());
        let mut stopped: Vec<_> = (1..=2)
            .map(|k| run(k, Status::Pass, Status::Pass))
            .collect();
        stopped.push(run(3, Status::Fail, Status::Fail));
        assert!(check_stage("runs", &stopped).is_empty());
    }

    #[test]
    fn broken_invariants_are_each_reported() {
        let lying = vec![run(1, Status::Pass, Status::Fail)];
        assert_eq!(
            check_stage("runs", &lying),
            ["runs/run-1.json: `outcome` is \"pass\" but not every scenario passed"]
        );
        let gap = vec![
            run(1, Status::Pass, Status::Pass),
            run(3, Status::Pass, Status::Pass),
        ];
        assert_eq!(
            check_stage("runs", &gap),
            ["runs: run 2 is missing before run 3"]
        );
        let retried = vec![
            run(1, Status::Fail, Status::Fail),
            run(2, Status::Pass, Status::Pass),
        ];
        assert_eq!(
            check_stage("runs", &retried),
            ["runs: run 1 failed, yet run 2 was run after it"]
        );
        let renamed = vec![(2, run(1, Status::Pass, Status::Pass).1)];
        assert!(
            check_stage("runs", &renamed)[0].contains("`run_number` is 1, but the file is run 2")
        );
    }
}
