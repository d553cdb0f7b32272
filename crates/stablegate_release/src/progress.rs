//! What a running release tells the person watching (SPEC §10, issue 7
//! "Progress"): events, and two ways to show them.
//!
//! [`Event`]s are emitted by the protocol as it goes. [`Lines`] prints one
//! plain line per event (logs, CI, pipes); [`Bars`] draws a live indicatif
//! display of the stage, run and scenario with elapsed time, for a terminal,
//! and keeps the finished lines above it. Neither decides anything: the
//! verdict is in `state.json` whatever is shown.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::result_file::Status;

/// One thing that happened.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// An open attempt found interrupted was sealed.
    SealedInterrupted {
        dir: &'a Path,
    },
    AttemptOpened {
        dir: &'a Path,
        resumed: bool,
    },
    StageStarted {
        stage: &'a str,
        index: usize,
        total: usize,
    },
    RunStarted {
        stage: &'a str,
        run: u32,
        runs: u32,
    },
    ScenarioStarted {
        stage: &'a str,
        run: u32,
        id: u64,
        name: &'a str,
    },
    ScenarioEnded {
        stage: &'a str,
        run: u32,
        id: u64,
        name: &'a str,
        status: Status,
        failure_mode: Option<&'a str>,
        took: Duration,
    },
    RunEnded {
        stage: &'a str,
        run: u32,
        runs: u32,
        outcome: Status,
        took: Duration,
    },
    CheckEnded {
        stage: &'a str,
        command: &'a str,
        passed: bool,
        took: Duration,
    },
    StagePassed {
        stage: &'a str,
        reaches: &'a str,
    },
    Stopped {
        stage: &'a str,
        reason: &'a str,
    },
    Complete,
    /// stablegate received a signal: the attempt is recorded `INTERRUPTED`.
    Interrupted {
        stage: &'a str,
        reason: &'a str,
    },
    Sealed {
        dir: &'a Path,
        files: usize,
    },
}

/// Receives events.
pub trait Observer {
    fn event(&mut self, event: Event<'_>);
}

/// Shows nothing (`--quiet`).
pub struct Silent;

impl Observer for Silent {
    fn event(&mut self, _: Event<'_>) {}
}

/// One line per event (except run and scenario starts) on a writer;
/// paths are shown relative to `base` when under it.
pub struct Lines<W: Write> {
    pub out: W,
    pub base: PathBuf,
}

impl<W: Write> Observer for Lines<W> {
    fn event(&mut self, event: Event<'_>) {
        if let Some(line) = line(event, &self.base) {
            let _ = writeln!(self.out, "{line}");
            let _ = self.out.flush();
        }
    }
}

/// A live display on the terminal (standard error).
pub struct Bars {
    bar: ProgressBar,
    stage: String,
    base: PathBuf,
}

impl Bars {
    pub fn new(base: PathBuf) -> Self {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Bars {
            bar,
            stage: String::new(),
            base,
        }
    }
}

impl Observer for Bars {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::StageStarted {
                stage,
                index,
                total,
            } => {
                self.stage = format!("stage {}/{total} {stage}", index + 1);
                self.bar.set_message(self.stage.clone());
            }
            Event::RunStarted { run, runs, .. } => self
                .bar
                .set_message(format!("{}: run {run}/{runs}", self.stage)),
            Event::ScenarioStarted { run, id, name, .. } => {
                self.bar
                    .set_message(format!("{}: run {run}: scenario {id} {name}", self.stage));
            }
            _ => {}
        }
        if let Some(line) = line(event, &self.base) {
            self.bar.println(line);
        }
        if matches!(event, Event::Sealed { .. }) {
            self.bar.finish_and_clear();
        }
    }
}

fn ms(took: Duration) -> u128 {
    took.as_millis()
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Skipped => "skipped",
    }
}

/// `dir` relative to `base` when under it.
pub fn shown(dir: &Path, base: &Path) -> String {
    dir.strip_prefix(base).unwrap_or(dir).display().to_string()
}

/// The plain line of an event, if it has one.
pub fn line(event: Event<'_>, base: &Path) -> Option<String> {
    let show = |dir: &Path| shown(dir, base);
    Some(match event {
        Event::SealedInterrupted { dir } => format!("sealed interrupted attempt {}", show(dir)),
        Event::AttemptOpened {
            dir,
            resumed: false,
        } => format!("attempt {}", show(dir)),
        Event::AttemptOpened { dir, resumed: true } => {
            format!("resuming attempt {}", show(dir))
        }
        Event::StageStarted {
            stage,
            index,
            total,
        } => format!("stage {}/{total} {stage}: started", index + 1),
        Event::RunStarted { .. } | Event::ScenarioStarted { .. } => return None,
        Event::ScenarioEnded {
            stage,
            run,
            id,
            name,
            status: s,
            failure_mode,
            took,
        } => {
            let mode = failure_mode.map(|m| format!(" ({m})")).unwrap_or_default();
            format!(
                "stage {stage}: run {run}: scenario {id} {name}: {}{mode} in {} ms",
                status(s),
                ms(took)
            )
        }
        Event::RunEnded {
            stage,
            run,
            runs,
            outcome,
            took,
        } => {
            format!(
                "stage {stage}: run {run}/{runs}: {} in {} ms",
                status(outcome),
                ms(took)
            )
        }
        Event::CheckEnded {
            stage,
            command,
            passed,
            took,
        } => {
            format!(
                "stage {stage}: check `{command}`: {} in {} ms",
                if passed { "pass" } else { "fail" },
                ms(took)
            )
        }
        Event::StagePassed { stage, reaches } => format!("stage {stage}: passed: {reaches}"),
        Event::Stopped { stage, reason } => format!("STOPPED at stage {stage}: {reason}"),
        Event::Complete => "COMPLETE".to_owned(),
        Event::Interrupted { stage, reason } => {
            format!("INTERRUPTED at stage {stage}: {reason}")
        }
        Event::Sealed { dir, files } => format!("sealed {} ({files} files)", show(dir)),
    })
}
