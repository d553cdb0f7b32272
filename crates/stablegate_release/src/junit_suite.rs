//! One run of a `junit` suite: the command runs once, writes its JUnit XML
//! report to `{junit}`, and every test case of the report becomes a
//! scenario of the run ([`crate::junit`]).
//!
//! The report is written straight into the attempt at
//! `junit/<evidence>/run-<k>.xml` and kept there; the command's output goes
//! to `logs/<evidence>/run-<k>/junit.{stdout,stderr}`. The suite's
//! `timeout` bounds the whole command. When the report cannot stand for
//! the run — the command timed out, wrote no report, wrote one that is not
//! JUnit XML (or not a regular file of at most 256 MiB: a FIFO there is
//! never opened) or lists no test case, or exited non-zero although every case
//! passed — the run gets one more scenario, id 0 `junit report`, failed
//! with `failure_mode` `timeout`, `no_report`, `invalid_report`,
//! `no_testcases` or `exit_status`: the stage fails, the tool does not.

use serde_json::Value;
use stablegate_config::Junit;

use crate::command;
use crate::error::ReleaseError;
use crate::junit;
use crate::progress::Event;
use crate::result_file::{self, Status};
use crate::run_result::ScenarioResult;
use crate::stage::AttemptCx;
use crate::versions;
use stablegate_io::process::Ended;

/// The largest JUnit report read: 256 MiB.
const REPORT_LIMIT: u64 = 256 << 20;

/// The placeholder the command names its report with.
pub const PLACEHOLDER: &str = "{junit}";

/// Runs the suite once (run `k` of stage `stage`, evidence `evidence`).
pub fn run(
    cx: &mut AttemptCx<'_>,
    stage: &str,
    evidence: &str,
    k: u32,
    run_id: &str,
    suite: &Junit,
) -> Result<Vec<ScenarioResult>, ReleaseError> {
    let report = cx
        .dir
        .join("junit")
        .join(evidence)
        .join(format!("run-{k}.xml"));
    if let Some(parent) = report.parent() {
        std::fs::create_dir_all(parent).map_err(ReleaseError::io(parent))?;
    }
    let logs = cx.dir.join("logs").join(evidence).join(format!("run-{k}"));
    let report_path = report.display().to_string();
    let script = versions::script(
        &suite.command,
        cx.tag(),
        cx.versions(),
        &[(PLACEHOLDER, &report_path)],
    );
    let env = Vec::from(
        [
            ("STABLEGATE_RUN_NUMBER", k.to_string()),
            ("STABLEGATE_RUN_ID", run_id.to_owned()),
            ("STABLEGATE_ATTEMPT_DIR", cx.dir.display().to_string()),
            ("STABLEGATE_STAGE", stage.to_owned()),
            ("STABLEGATE_JUNIT", report_path.clone()),
        ]
        .map(|(name, value)| (name.to_owned(), value)),
    );
    let (ended, took) = command::run(cx, &script, env, &logs.join("junit"), Some(suite.timeout))?;
    let mut scenarios = Vec::new();
    let problem = if let Ended::TimedOut(_) = ended {
        Some((
            "timeout",
            format!(
                "no report within {} ms; its process group was killed",
                suite.timeout.as_millis()
            ),
        ))
    } else {
        match result_file::read_present(&report, REPORT_LIMIT) {
            Err(err) => Some(("invalid_report", format!("the report {err}"))),
            Ok(None) => Some((
                "no_report",
                format!(
                    "the command {} without writing {}",
                    ended.describe(),
                    PLACEHOLDER
                ),
            )),
            Ok(Some(bytes)) => match junit::scenarios(&String::from_utf8_lossy(&bytes)) {
                Err(err) => Some(("invalid_report", err.to_string())),
                Ok(found) if found.is_empty() => {
                    Some(("no_testcases", "the report lists no test case".to_owned()))
                }
                Ok(found) => {
                    scenarios = found;
                    let all_passed = scenarios.iter().all(|s| s.status != Status::Fail);
                    (!ended.success() && all_passed).then(|| {
                        (
                            "exit_status",
                            format!(
                                "the command {} though no test case failed",
                                ended.describe()
                            ),
                        )
                    })
                }
            },
        }
    };
    if let Some((mode, details)) = problem {
        scenarios.insert(
            0,
            ScenarioResult {
                id: 0,
                name: "junit report".to_owned(),
                status: Status::Fail,
                failure_mode: Some(mode.to_owned()),
                details: Some(Value::String(details)),
            },
        );
    }
    for scenario in &scenarios {
        cx.observer.event(Event::ScenarioEnded {
            stage,
            run: k,
            id: scenario.id,
            name: &scenario.name,
            status: scenario.status,
            failure_mode: scenario.failure_mode.as_deref(),
            took,
        });
    }
    Ok(scenarios)
}
