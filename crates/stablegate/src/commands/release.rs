//! `stablegate release run|resume|status NAME` (SPEC §5, §10).
//!
//! Finds the `[release.NAME]` of the configuration, hands it to the release
//! crate with an observer chosen for where output goes (a live display on a
//! terminal, one line per event otherwise, nothing with `--quiet` or
//! `--format json`), and turns the outcome into an exit code: `0` complete,
//! `1` stopped, `2` bad input, `128 + signal` interrupted by SIGINT, SIGTERM
//! or SIGHUP (the attempt sealed `INTERRUPTED` first). The verdict is `state.json`'s; this file
//! only shows it.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use stablegate_config::{Config, Release};
use stablegate_release::documents::{self, RunDocument, StatusAttempt, StatusDocument};
use stablegate_release::progress::{self, Bars, Lines, Observer, Silent};
use stablegate_release::state::AttemptState;
use stablegate_release::status::{self, AttemptStatus};
use stablegate_release::{protocol, Outcome, Project};

use super::Context;
use crate::cli::{Format, ReleaseCommand};
use crate::error::{Error, Problem};

pub fn run(cx: &Context, command: &ReleaseCommand) -> Result<(), Error> {
    human_or_json(cx, "release")?;
    let config = cx.load_config()?;
    let root = cx.root.path().to_owned();
    let workdir = config_dir(&config);
    let project = Project {
        root: &root,
        workdir: &workdir,
    };
    match command {
        ReleaseCommand::Run(args) => {
            let release = find(&config, &args.name)?;
            let mut observer = observer(cx, &root);
            let outcome = protocol::run(release, project, args.tag.as_deref(), observer.as_mut());
            drop(observer);
            finish(cx, release, &root, outcome?)
        }
        ReleaseCommand::Resume(args) => {
            let release = find(&config, &args.name)?;
            let mut observer = observer(cx, &root);
            let outcome = protocol::resume(release, project, observer.as_mut());
            drop(observer);
            finish(cx, release, &root, outcome?)
        }
        ReleaseCommand::Status(args) => {
            let release = find(&config, &args.name)?;
            let attempts = status::status(release, &root)?;
            print_status(cx, release, &root, &attempts)
        }
    }
}

/// Release and evidence commands print human or json; any other format is
/// refused before anything runs.
pub(super) fn human_or_json(cx: &Context, command: &'static str) -> Result<(), Error> {
    match cx.format {
        Format::Human | Format::Json => Ok(()),
        other => Err(Error::Input {
            at: format!("--format {}", other.report_format()),
            problem: Problem::FormatNotFor(command),
        }),
    }
}

/// The directory the configuration file is in: commands run there.
fn config_dir(config: &Config) -> PathBuf {
    let dir = config.path.parent().unwrap_or(Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    dir.canonicalize().unwrap_or_else(|_| dir.to_owned())
}

fn find<'a>(config: &'a Config, name: &str) -> Result<&'a Release, Error> {
    config
        .releases
        .iter()
        .find(|release| release.name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = config.releases.iter().map(|r| r.name.as_str()).collect();
            Error::UnknownRelease {
                name: name.to_owned(),
                config: config.display.clone(),
                known: if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                },
            }
        })
}

fn observer(cx: &Context, root: &Path) -> Box<dyn Observer> {
    if cx.quiet || cx.format != Format::Human {
        Box::new(Silent)
    } else if std::io::stderr().is_terminal() && std::io::stdout().is_terminal() {
        Box::new(Bars::new(root.to_owned()))
    } else {
        Box::new(Lines {
            out: std::io::stdout(),
            base: root.to_owned(),
        })
    }
}

fn finish(cx: &Context, release: &Release, root: &Path, outcome: Outcome) -> Result<(), Error> {
    let (dir, state, stage, reason) = match &outcome {
        Outcome::Complete { dir } => (dir, AttemptState::Complete, None, None),
        Outcome::Interrupted { dir, stage, .. } => {
            (dir, AttemptState::Interrupted, Some(stage), None)
        }
        Outcome::Stopped {
            dir, stage, reason, ..
        } => (dir, AttemptState::Stopped, Some(stage), Some(reason)),
    };
    let shown = progress::shown(dir, root);
    if cx.format == Format::Json {
        let document = RunDocument {
            version: documents::RUN_VERSION,
            release: release.name.clone(),
            attempt: shown.clone(),
            state,
            stage: stage.cloned(),
            reason: reason.cloned(),
        };
        print_json(cx, &document)?;
    }
    match outcome {
        Outcome::Complete { .. } => Ok(()),
        Outcome::Interrupted { stage, signal, .. } => Err(Error::ReleaseInterrupted {
            release: release.name.clone(),
            stage,
            signal,
            dir: shown,
        }),
        Outcome::Stopped {
            stage,
            reason,
            undecided,
            ..
        } => Err(Error::ReleaseStopped {
            release: release.name.clone(),
            stage,
            reason,
            dir: shown,
            undecided,
        }),
    }
}

/// One JSON document on its own line.
pub(super) fn print_json(cx: &Context, document: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_string(document).map_err(|err| Error::Output(err.into()))?;
    let mut out = cx.stdout();
    writeln!(out, "{text}").map_err(Error::Output)?;
    out.flush().map_err(Error::Output)
}

fn print_status(
    cx: &Context,
    release: &Release,
    root: &Path,
    attempts: &[AttemptStatus],
) -> Result<(), Error> {
    let mut out = cx.stdout();
    let write =
        |out: &mut Box<dyn Write>, text: String| writeln!(out, "{text}").map_err(Error::Output);
    if cx.format == Format::Json {
        let document = StatusDocument {
            version: documents::STATUS_VERSION,
            release: release.name.clone(),
            current: attempts.last().map(|a| progress::shown(&a.dir, root)),
            attempts: (attempts.iter())
                .map(|a| StatusAttempt {
                    dir: progress::shown(&a.dir, root),
                    state: a.state.clone(),
                    running: a.running,
                    sealed: a.sealed,
                    recorded: a.recorded.clone(),
                })
                .collect(),
        };
        return print_json(cx, &document);
    }
    let Some(current) = attempts.last() else {
        return write(
            &mut out,
            format!("release {}: no attempt yet", release.name),
        );
    };
    write(
        &mut out,
        format!("release {}: {} attempt(s)", release.name, attempts.len()),
    )?;
    for attempt in attempts {
        let how = match (attempt.running, attempt.sealed) {
            (true, _) => "running",
            (false, true) => "sealed",
            (false, false) => "not sealed",
        };
        let how = if attempt.recorded.is_none() {
            format!("{how}  (no state.json)")
        } else {
            how.to_owned()
        };
        write(
            &mut out,
            format!(
                "  {}  {}  {how}",
                progress::shown(&attempt.dir, root),
                attempt.state
            ),
        )?;
    }
    write(
        &mut out,
        format!(
            "current: {}: {}",
            progress::shown(&current.dir, root),
            current.state
        ),
    )?;
    let Some(recorded) = &current.recorded else {
        return write(
            &mut out,
            "  no state.json: the process running the attempt was killed before writing it; nothing was recorded".to_owned(),
        );
    };
    if let (Some(stage), Some(reason)) = (&recorded.stage, &recorded.reason) {
        write(&mut out, format!("  at stage {stage}: {reason}"))?;
    }
    write(&mut out, "history:".to_owned())?;
    for step in &recorded.history {
        let stage = step
            .stage
            .as_ref()
            .map(|s| format!("  (stage {s})"))
            .unwrap_or_default();
        write(&mut out, format!("  {}  {}{stage}", step.at, step.state))?;
    }
    if current.state != recorded.state {
        write(&mut out, format!("  (now)  {}: no process runs this attempt; `release run` seals it, `release resume` continues it", current.state))?;
    }
    Ok(())
}
