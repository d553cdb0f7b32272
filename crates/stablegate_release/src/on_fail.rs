//! `on_fail` hooks (SPEC §10.1): after a stage stopped, the first of its
//! hooks that matches runs once.
//!
//! A hook matches when some failed scenario of the failing run has its
//! `scenario` id (if given) and its `failure_mode` (if given); a hook with
//! neither matches every stop of its stage, including stops without a
//! failed scenario (a failed check, an http mismatch, a probe that changed
//! between runs). It runs after the attempt recorded `STOPPED` and before
//! the seal, with `sh -c` in the configuration's directory, a 10-minute
//! timeout, and `STABLEGATE_ATTEMPT_DIR`, `STABLEGATE_STAGE` and
//! `STABLEGATE_REASON` in its environment. Its output is kept in
//! `logs/<stage>/on_fail.{stdout,stderr}` and what ran in
//! `logs/<stage>/on_fail.json`. A hook that fails changes nothing: the
//! attempt has stopped already.

use std::time::Duration;

use serde::Serialize;
use stablegate_config::{OnFail, Stage};

use crate::command;
use crate::error::ReleaseError;
use crate::files;
use crate::progress::Event;
use crate::stage::AttemptCx;
use crate::versions;

const HOOK_TIMEOUT: Duration = Duration::from_secs(600);

/// `logs/<stage>/on_fail.json`.
#[derive(Debug, Serialize)]
struct Record<'a> {
    hook: usize,
    scenario: Option<u64>,
    failure_mode: Option<&'a str>,
    command: &'a str,
    exit: String,
    success: bool,
}

/// Runs the first hook of `stage` that matches `failed`, if any.
pub fn run(
    cx: &mut AttemptCx<'_>,
    stage: &Stage,
    failed: &[(u64, Option<String>)],
    reason: &str,
) -> Result<(), ReleaseError> {
    let Some((index, hook)) = (stage.on_fail.iter().enumerate()).find(|(_, h)| matches(h, failed))
    else {
        return Ok(());
    };
    let logs = cx.dir.join("logs").join(&stage.name);
    let script = versions::script(&hook.run, cx.tag(), cx.versions(), &[]);
    let env = Vec::from(
        [
            ("STABLEGATE_ATTEMPT_DIR", cx.dir.display().to_string()),
            ("STABLEGATE_STAGE", stage.name.clone()),
            ("STABLEGATE_REASON", reason.to_owned()),
        ]
        .map(|(name, value)| (name.to_owned(), value)),
    );
    let (ended, took) = command::run(cx, &script, env, &logs.join("on_fail"), Some(HOOK_TIMEOUT))?;
    let command = &script.shown;
    let record = Record {
        hook: index + 1,
        scenario: hook.scenario,
        failure_mode: hook.failure_mode.as_deref(),
        command,
        exit: ended.describe(),
        success: ended.success(),
    };
    let path = logs.join("on_fail.json");
    files::write_new(&path, &files::json(&path, &record)?)?;
    cx.observer.event(Event::CheckEnded {
        stage: &stage.name,
        command: &format!("on_fail: {command}"),
        passed: ended.success(),
        took,
    });
    Ok(())
}

/// Whether `hook` matches the failed scenarios.
fn matches(hook: &OnFail, failed: &[(u64, Option<String>)]) -> bool {
    if hook.scenario.is_none() && hook.failure_mode.is_none() {
        return true;
    }
    failed.iter().any(|(id, mode)| {
        hook.scenario.is_none_or(|wanted| wanted == *id)
            && (hook.failure_mode.as_ref()).is_none_or(|wanted| Some(wanted) == mode.as_ref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(scenario: Option<u64>, mode: Option<&str>) -> OnFail {
        OnFail {
            scenario,
            failure_mode: mode.map(str::to_owned),
            run: "true".into(),
        }
    }

    #[test]
    fn a_hook_matches_one_failed_scenario_on_every_criterion_it_names() {
        let failed = [
            (1, Some("timeout".to_owned())),
            (4, Some("for_review".to_owned())),
        ];
        assert!(matches(&hook(Some(4), Some("for_review")), &failed));
        assert!(!matches(&hook(Some(4), Some("timeout")), &failed));
        assert!(matches(&hook(None, Some("timeout")), &failed));
        assert!(!matches(&hook(Some(2), None), &failed));
        assert!(matches(&hook(None, None), &[]));
        assert!(!matches(&hook(Some(1), None), &[]));
    }
}
