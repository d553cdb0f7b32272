//! `report` stages (SPEC §10.1): Markdown rendered from a minijinja
//! template over the attempt's [`View`], then an optional `post` command.
//!
//! Templates are compiled before an attempt opens ([`compile_all`]): a
//! syntax error, a variable that is not one of [`VARIABLES`], or a template
//! that is (or lies under) a symlink leading outside the root is bad input
//! (exit 2, nothing written). Rendering is strict — an undefined attribute
//! is an error, never an empty string. The report goes to
//! `reports/<output>` in the attempt; `post` runs with `{output}` replaced
//! by its absolute path (one shell word, as every value), output in
//! `logs/<stage>/post.{stdout,stderr}`. When the attempt stops, every report
//! stage not yet rendered is rendered then ([`on_stop`]), with `stopped`,
//! `stage` and `reason` set, and its `post` runs too.

use std::path::Path;
use std::time::Duration;

use minijinja::{Environment, UndefinedBehavior};
use stablegate_config::{Action, Release, Report};
use stablegate_io::read;

use crate::command;
use crate::error::ReleaseError;
use crate::files;
use crate::progress::Event;
use crate::stage::{AttemptCx, StageEnd};
use crate::versions;
use crate::view;

/// The variables a template may use: the fields of [`view::View`].
pub const VARIABLES: [&str; 16] = [
    "release", "tag", "attempt", "state", "verdict", "stopped", "stage", "reason", "evidence",
    "versions", "history", "stages", "runs", "probes", "http", "traces",
];

const POST_TIMEOUT: Duration = Duration::from_secs(600);

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

/// Why a template cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot be read: {0}")]
    Read(String),
    /// The template, or a directory on its path, is a symlink leading out
    /// of the root.
    #[error("{0}")]
    OutsideRoot(read::ReadError),
    /// A syntax or rendering error (with its line, when known).
    #[error("{0}")]
    Template(String),
    #[error("unknown variable{} {} (known: {})", if .0.len() > 1 { "s" } else { "" }, .0.join(", "), VARIABLES.join(", "))]
    Unknown(Vec<String>),
}

/// Reads and compiles every report template of `release`.
pub fn compile_all(release: &Release, root: &Path) -> Result<(), ReleaseError> {
    for (index, stage) in release.stages.iter().enumerate() {
        if let Action::Report(report) = &stage.action {
            load(report, root).map_err(|source| match source {
                TemplateError::OutsideRoot(source) => ReleaseError::OutsideRoot {
                    at: release.location.to_string(),
                    field: format!("release.{}.stage[{index}].report.template", release.name),
                    path: report.template.clone(),
                    source,
                },
                source => ReleaseError::Template {
                    release: release.name.clone(),
                    template: report.template.clone(),
                    source,
                },
            })?;
        }
    }
    Ok(())
}

/// The template's source, once it compiled and names only known variables.
fn load(report: &Report, root: &Path) -> Result<String, TemplateError> {
    let bytes = read::file_in_root(root, &report.template, read::TEXT_LIMIT).map_err(|err| {
        if matches!(err, read::ReadError::OutsideRoot { .. }) {
            TemplateError::OutsideRoot(err)
        } else {
            TemplateError::Read(err.to_string())
        }
    })?;
    let source = String::from_utf8(bytes)
        .map_err(|_| TemplateError::Read("is not UTF-8 text".to_owned()))?;
    let env = environment();
    let template = env.template_from_str(&source).map_err(describe)?;
    let mut unknown: Vec<String> = (template.undeclared_variables(false).into_iter())
        .filter(|name| !VARIABLES.contains(&name.as_str()))
        .collect();
    unknown.sort();
    if !unknown.is_empty() {
        return Err(TemplateError::Unknown(unknown));
    }
    Ok(source)
}

fn describe(err: minijinja::Error) -> TemplateError {
    let mut message = err.to_string();
    if let Some(line) = err.line() {
        message = format!("line {line}: {message}");
    }
    TemplateError::Template(message)
}

/// Renders the report of stage `stage` and runs its `post`.
pub fn run(cx: &mut AttemptCx<'_>, stage: &str, report: &Report) -> Result<StageEnd, ReleaseError> {
    match render(cx, stage, report)? {
        Err(err) => Ok(StageEnd::Stopped {
            reason: format!("report `{}`: {err}", report.template),
            undecided: true,
            failed: Vec::new(),
        }),
        Ok(None) => Ok(StageEnd::Passed),
        Ok(Some(reason)) => Ok(StageEnd::stopped(reason)),
    }
}

/// Renders every report stage that has not rendered yet (after a stop);
/// a report that cannot render leaves `reports/<output>.error.txt`.
pub fn on_stop(cx: &mut AttemptCx<'_>, release: &Release) -> Result<(), ReleaseError> {
    for stage in &release.stages {
        let Action::Report(report) = &stage.action else {
            continue;
        };
        if cx.dir.join("reports").join(&report.output).exists() {
            continue;
        }
        if let Err(err) = render(cx, &stage.name, report)? {
            let path = cx
                .dir
                .join("reports")
                .join(format!("{}.error.txt", report.output));
            files::write_new(&path, format!("{err}\n").as_bytes())?;
        }
    }
    Ok(())
}

/// `Err`: the template failed; `Ok(Some)`: `post` failed; `Ok(None)`: done.
fn render(
    cx: &mut AttemptCx<'_>,
    stage: &str,
    report: &Report,
) -> Result<Result<Option<String>, TemplateError>, ReleaseError> {
    let view = view::read(cx.dir)?;
    let source = match load(report, cx.root) {
        Ok(source) => source,
        Err(err) => return Ok(Err(err)),
    };
    let env = environment();
    let rendered = env
        .template_from_str(&source)
        .and_then(|template| template.render(&view));
    let text = match rendered {
        Ok(text) => text,
        Err(err) => return Ok(Err(describe(err))),
    };
    let output = cx.dir.join("reports").join(&report.output);
    files::write_new(&output, text.as_bytes())?;
    let Some(post) = &report.post else {
        return Ok(Ok(None));
    };
    let output_path = output.display().to_string();
    let script = versions::script(post, cx.tag(), cx.versions(), &[("{output}", &output_path)]);
    let env = vec![crate::check::attempt_dir(cx.dir)];
    let log = cx.dir.join("logs").join(stage).join("post");
    let (ended, took) = command::run(cx, &script, env, &log, Some(POST_TIMEOUT))?;
    let command = &script.shown;
    cx.observer.event(Event::CheckEnded {
        stage,
        command: &format!("post: {command}"),
        passed: ended.success(),
        took,
    });
    Ok(Ok((!ended.success()).then(|| {
        format!("report post `{command}` {}", ended.describe())
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(dir: &Path, text: &str) -> Result<String, String> {
        std::fs::write(dir.join("t.md"), text).unwrap();
        let report = Report {
            template: "t.md".into(),
            output: "r.md".into(),
            post: None,
        };
        load(&report, dir).map_err(|err| err.to_string())
    }

    #[test]
    fn known_variables_compile_and_syntax_errors_or_unknown_names_do_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(report(
            dir.path(),
            "{{ tag }} {% for r in runs %}{{ r.outcome }}{% endfor %}"
        )
        .is_ok());
        let syntax = report(dir.path(), "line\n{% for r in runs %}").unwrap_err();
        assert!(syntax.starts_with("line 2: "), "{syntax}");
        let unknown = report(dir.path(), "{{ verdcit }} {{ tag }}").unwrap_err();
        assert!(
            unknown.starts_with("unknown variable verdcit (known: release, tag,"),
            "{unknown}"
        );
    }
}
