//! A `check` stage: shell commands that must each exit 0, in order.
//!
//! Each command's output goes to `logs/<stage>/check-<i>.{stdout,stderr}`;
//! the first that fails stops the stage (the rest do not run). `{tag}` and
//! `{versions.NAME}` in a command are replaced before it runs, each by one
//! shell word ([`stablegate_io::shell`]); messages show the command with
//! the values in place.

use crate::command;
use crate::error::ReleaseError;
use crate::progress::Event;
use crate::stage::{AttemptCx, StageEnd};
use crate::versions;

/// `STABLEGATE_ATTEMPT_DIR`, which every command of an attempt gets.
pub fn attempt_dir(dir: &std::path::Path) -> (String, String) {
    (
        "STABLEGATE_ATTEMPT_DIR".to_owned(),
        dir.display().to_string(),
    )
}

/// Runs the stage's commands.
pub fn run(
    cx: &mut AttemptCx<'_>,
    stage: &str,
    commands: &[String],
) -> Result<StageEnd, ReleaseError> {
    let logs = cx.dir.join("logs").join(stage);
    for (index, command) in commands.iter().enumerate() {
        let script = versions::script(command, cx.tag(), cx.versions(), &[]);
        let env = vec![attempt_dir(cx.dir)];
        let log = logs.join(format!("check-{}", index + 1));
        let (ended, took) = command::run(cx, &script, env, &log, None)?;
        let passed = ended.success();
        let rendered = &script.shown;
        cx.observer.event(Event::CheckEnded {
            stage,
            command: rendered,
            passed,
            took,
        });
        if !passed {
            return Ok(StageEnd::stopped(format!(
                "check `{rendered}` {}",
                ended.describe()
            )));
        }
    }
    Ok(StageEnd::Passed)
}
