//! A `canary` stage (SPEC §10.1, §10.2): `runs` runs of a suite, each
//! scenario in order, a run result per run, and a stop at the first failed
//! run — no retry, ever.
//!
//! Per run `k` of evidence directory `E`: scenario output goes to
//! `logs/E/run-<k>/<id>.{stdout,stderr}`, a scenario's own verdict may be
//! written to `results/E/run-<k>/<id>.json` (`STABLEGATE_RESULT_FILE`), and
//! the run result is written to `E/run-<k>.json` as soon as the run ends,
//! then copied to `latest.json`. Every scenario of a run runs even when an
//! earlier one failed, so a run result always covers the whole suite.
//! Probes with `between_runs` are taken before and after every run. A
//! `junit` suite's run is one command whose report lists the scenarios
//! ([`crate::junit_suite`]); skipped cases fail the run unless the suite
//! allows them.

use std::path::Path;
use std::time::Instant;

use serde_json::Value;
use stablegate_config::{Canary, Scenario};

use crate::checkpoint::Checkpoints;
use crate::command;
use crate::error::ReleaseError;
use crate::files;
use crate::junit_suite;
use crate::progress::Event;
use crate::result_file::{self, Status};
use crate::run_result::{RunResult, ScenarioResult, FORMAT_VERSION};
use crate::stage::{AttemptCx, StageEnd};
use crate::timestamp;
use crate::versions;
use stablegate_io::process::Ended;

/// Runs the stage.
pub fn run(
    cx: &mut AttemptCx<'_>,
    stage: &str,
    canary: &Canary,
    probes: &mut Checkpoints<'_>,
) -> Result<StageEnd, ReleaseError> {
    let evidence = &canary.evidence;
    let version_fields: std::collections::BTreeMap<String, String> = cx
        .versions()
        .iter()
        .map(|(name, v)| (format!("{name}_version"), v.clone()))
        .collect();
    for k in 1..=canary.runs {
        if probes.any_between_runs() {
            let checkpoint = format!("stages/{evidence}/before-run-{k}");
            let label = format!("before run {k} of stage `{stage}`");
            if let Some(reason) = probes.between(cx.dir, &checkpoint, &label)? {
                return Ok(StageEnd::stopped(reason));
            }
        }
        cx.observer.event(Event::RunStarted {
            stage,
            run: k,
            runs: canary.runs,
        });
        let started = Instant::now();
        let run_id = ulid::Ulid::new().to_string();
        let timestamp = timestamp::now();
        let mut scenarios = Vec::with_capacity(canary.suite.scenarios.len());
        let mut undecided = None;
        if let Some(junit) = &canary.suite.junit {
            scenarios = junit_suite::run(cx, stage, evidence, k, &run_id, junit)?;
        }
        for scenario in &canary.suite.scenarios {
            let (result, bad_input) = run_scenario(cx, stage, evidence, k, &run_id, scenario)?;
            if let Some(message) = bad_input {
                undecided.get_or_insert(message);
            }
            scenarios.push(result);
        }
        let allow_skipped = canary.suite.junit.as_ref().is_some_and(|j| j.allow_skipped);
        let passed = scenarios
            .iter()
            .all(|s| counts_as_pass(s.status, allow_skipped));
        let outcome = if passed { Status::Pass } else { Status::Fail };
        let result = RunResult {
            outcome,
            run_id,
            run_number: k,
            versions: version_fields.clone(),
            timestamp,
            scenarios,
            format_version: FORMAT_VERSION,
            stage: stage.to_owned(),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            allow_skipped,
        };
        let path = cx.dir.join(evidence).join(format!("run-{k}.json"));
        let bytes = result.to_bytes(&path)?;
        files::write_new(&path, &bytes)?;
        files::replace(&cx.dir.join("latest.json"), &bytes)?;
        cx.observer.event(Event::RunEnded {
            stage,
            run: k,
            runs: canary.runs,
            outcome,
            took: started.elapsed(),
        });
        if let Some(message) = undecided {
            return Ok(StageEnd::Stopped {
                reason: format!("run {k} of {}: {message}", canary.runs),
                undecided: true,
                failed: failed(&result.scenarios, allow_skipped),
            });
        }
        if !passed {
            return Ok(StageEnd::Stopped {
                reason: failure(k, canary.runs, &result.scenarios, allow_skipped),
                undecided: false,
                failed: failed(&result.scenarios, allow_skipped),
            });
        }
        if probes.any_between_runs() {
            let checkpoint = format!("stages/{evidence}/after-run-{k}");
            let label = format!("after run {k} of stage `{stage}`");
            if let Some(reason) = probes.between(cx.dir, &checkpoint, &label)? {
                return Ok(StageEnd::stopped(reason));
            }
        }
    }
    Ok(StageEnd::Passed)
}

/// `(id, failure_mode)` of the scenarios that failed the run.
fn failed(scenarios: &[ScenarioResult], allow_skipped: bool) -> Vec<(u64, Option<String>)> {
    (scenarios.iter())
        .filter(|s| !counts_as_pass(s.status, allow_skipped))
        .map(|s| (s.id, s.failure_mode.clone()))
        .collect()
}

/// Whether a scenario's status lets its run pass.
fn counts_as_pass(status: Status, allow_skipped: bool) -> bool {
    status == Status::Pass || (allow_skipped && status == Status::Skipped)
}

/// The stop reason of a failed run: every failing (or skipped, when skips
/// are not allowed) scenario.
fn failure(k: u32, runs: u32, scenarios: &[ScenarioResult], allow_skipped: bool) -> String {
    let failed: Vec<String> = (scenarios.iter())
        .filter(|s| !counts_as_pass(s.status, allow_skipped))
        .map(|s| {
            let verb = if s.status == Status::Skipped {
                "was skipped"
            } else {
                "failed"
            };
            match &s.failure_mode {
                Some(mode) => format!("scenario {} ({}) {verb}: {mode}", s.id, s.name),
                None => format!("scenario {} ({}) {verb}", s.id, s.name),
            }
        })
        .collect();
    format!("run {k} of {runs} failed: {}", failed.join("; "))
}

/// Runs one scenario; the second value is set when its result file is bad
/// input.
fn run_scenario(
    cx: &mut AttemptCx<'_>,
    stage: &str,
    evidence: &str,
    k: u32,
    run_id: &str,
    scenario: &Scenario,
) -> Result<(ScenarioResult, Option<String>), ReleaseError> {
    let logs = cx.dir.join("logs").join(evidence).join(format!("run-{k}"));
    let results = cx
        .dir
        .join("results")
        .join(evidence)
        .join(format!("run-{k}"));
    std::fs::create_dir_all(&results).map_err(ReleaseError::io(&results))?;
    let result_path = results.join(format!("{}.json", scenario.id));
    let script = versions::script(&scenario.command, cx.tag(), cx.versions(), &[]);
    let env = Vec::from(
        [
            ("STABLEGATE_RUN_NUMBER", k.to_string()),
            ("STABLEGATE_RUN_ID", run_id.to_owned()),
            ("STABLEGATE_SCENARIO_ID", scenario.id.to_string()),
            ("STABLEGATE_ATTEMPT_DIR", cx.dir.display().to_string()),
            ("STABLEGATE_RESULT_FILE", result_path.display().to_string()),
            ("STABLEGATE_STAGE", stage.to_owned()),
        ]
        .map(|(name, value)| (name.to_owned(), value)),
    );
    cx.observer.event(Event::ScenarioStarted {
        stage,
        run: k,
        id: scenario.id,
        name: &scenario.name,
    });
    let log = logs.join(scenario.id.to_string());
    let (ended, took) = command::run(cx, &script, env, &log, Some(scenario.timeout))?;
    let (status, failure_mode, details, bad) = verdict(ended, &result_path, scenario);
    cx.observer.event(Event::ScenarioEnded {
        stage,
        run: k,
        id: scenario.id,
        name: &scenario.name,
        status,
        failure_mode: failure_mode.as_deref(),
        took,
    });
    let result = ScenarioResult {
        id: scenario.id,
        name: scenario.name.clone(),
        status,
        failure_mode,
        details,
    };
    Ok((result, bad))
}

type Verdict = (Status, Option<String>, Option<Value>, Option<String>);

/// The timeout decides first, then the result file, then the exit code.
fn verdict(ended: Ended, result_path: &Path, scenario: &Scenario) -> Verdict {
    if let Ended::TimedOut(_) = ended {
        let details = format!(
            "no result within {} ms; its process group was killed",
            scenario.timeout.as_millis()
        );
        return (
            Status::Fail,
            Some("timeout".to_owned()),
            Some(Value::String(details)),
            None,
        );
    }
    let invalid = |message: String| {
        let bad = format!(
            "scenario {} ({}) wrote an invalid result file: {message}",
            scenario.id, scenario.name
        );
        (
            Status::Fail,
            Some("invalid_result_file".to_owned()),
            Some(Value::String(message)),
            Some(bad),
        )
    };
    match result_file::read(result_path) {
        Ok(Some(bytes)) => match result_file::parse(&bytes) {
            Ok(file) => (file.status, file.failure_mode, file.details, None),
            Err(err) => invalid(err.to_string()),
        },
        Err(err) => invalid(format!("the result file {err}")),
        Ok(None) if ended.success() => (Status::Pass, None, None, None),
        Ok(None) => (
            Status::Fail,
            Some("exit_status".to_owned()),
            Some(Value::String(ended.describe())),
            None,
        ),
    }
}
