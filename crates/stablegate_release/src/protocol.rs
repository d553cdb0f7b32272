//! The staged protocol (SPEC §10.4): `release run` and `release resume`.
//!
//! `run` refuses an evidence directory or report template reached through a
//! symlink leading outside the root, captures the versions, renders the tag,
//! takes the probes' start snapshots, takes the lock, seals every attempt of
//! the release that a dead process left open (recording `INTERRUPTED`), opens
//! attempt `N+1`, walks the stages from `IDLE` to `COMPLETE` (or `STOPPED`),
//! compares the probes at the end and seals the attempt. Everything that can be bad input is
//! checked before the attempt directory exists, so a refused run writes
//! nothing. `resume` picks up the open attempt a dead process left: the
//! interrupted stage starts over, its partial evidence is renamed aside
//! (`<path>.interrupted-<n>`), never overwritten.

use std::fs;
use std::path::{Path, PathBuf};

use stablegate_config::{Action, Release};
use stablegate_io::{process, read};

use crate::attempt;
use crate::canary;
use crate::check;
use crate::checkpoint::Checkpoints;
use crate::error::ReleaseError;
use crate::http;
use crate::ledger;
use crate::lock::{self, ReleaseLock, Try};
use crate::on_fail;
use crate::probe::Place;
use crate::progress::{Event, Observer};
use crate::report;
use crate::seal;
use crate::stage::{AttemptCx, StageEnd};
use crate::state::{self, AttemptState, StageAction, StageRecord, State};
use crate::trace;
use crate::versions;

/// Where a release runs: `root` (absolute) resolves the configuration's
/// paths, commands run in `workdir` (the configuration file's directory).
#[derive(Debug, Clone, Copy)]
pub struct Project<'a> {
    pub root: &'a Path,
    pub workdir: &'a Path,
}

/// The stage name a probe failure at the attempt's start or end is
/// recorded under.
pub const PROBES: &str = "probes";

/// The stage named in `STOPPED` when evidence changed after it was written
/// ([`ledger`]).
pub const EVIDENCE: &str = "evidence";

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Complete {
        dir: PathBuf,
    },
    /// stablegate received `signal` (SIGINT, SIGTERM, SIGHUP): the running
    /// command was killed, the attempt recorded `INTERRUPTED` and sealed.
    Interrupted {
        dir: PathBuf,
        stage: String,
        signal: i32,
    },
    Stopped {
        dir: PathBuf,
        stage: String,
        reason: String,
        undecided: bool,
    },
}

/// The release's evidence directory (absolute), refused when it, or a
/// directory on its path, is a symlink leading outside the root: the whole
/// bundle would be written there.
pub fn evidence_dir(release: &Release, root: &Path) -> Result<PathBuf, ReleaseError> {
    read::inside_root(root, &release.evidence_dir).map_err(|source| ReleaseError::OutsideRoot {
        at: release.location.to_string(),
        field: format!("release.{}.evidence_dir", release.name),
        path: release.evidence_dir.clone(),
        source,
    })
}

/// `release run NAME [--tag TAG]`.
pub fn run(
    release: &Release,
    project: Project<'_>,
    tag: Option<&str>,
    observer: &mut dyn Observer,
) -> Result<Outcome, ReleaseError> {
    let evidence_dir = evidence_dir(release, project.root)?;
    report::compile_all(release, project.root)?;
    let versions = versions::capture(release, project.workdir)?;
    let tag = tag.map_or_else(
        || versions::render(&release.tag, None, &versions),
        str::to_owned,
    );
    if !versions::valid_tag(&tag) {
        return Err(ReleaseError::Tag {
            release: release.name.clone(),
            tag,
        });
    }
    let place = Place {
        root: project.root,
        workdir: project.workdir,
        skip: &release.evidence_dir,
    };
    let probes = Checkpoints::take_start(&release.probes, place).map_err(|source| {
        ReleaseError::ProbeAtStart {
            release: release.name.clone(),
            source,
        }
    })?;
    let unwritable = |source| ReleaseError::EvidenceDir {
        release: release.name.clone(),
        dir: evidence_dir.clone(),
        source,
    };
    fs::create_dir_all(&evidence_dir).map_err(unwritable)?;
    let _lock = take_lock(release, &evidence_dir, true)?
        .ok_or_else(|| unwritable(std::io::ErrorKind::NotFound.into()))?;
    for (found, mut state) in attempt::of_release(&evidence_dir, &release.name)? {
        if attempt::is_sealed(&found.dir) {
            continue;
        }
        if !state.finished() {
            let stage = first_open_stage(&state).unwrap_or(PROBES).to_owned();
            let reason = "the process running the attempt ended before the attempt did (found by the next `release run`)";
            state.enter(
                &found.dir,
                AttemptState::Interrupted,
                Some(&stage),
                Some(reason.to_owned()),
            )?;
        }
        seal::seal(&found.dir)?;
        observer.event(Event::SealedInterrupted { dir: &found.dir });
    }
    // From here on a signal does not end stablegate at once: the attempt is
    // recorded `INTERRUPTED` and sealed first ([`drive`]).
    let _signals = process::Interruptible::new();
    if let Some(signal) = process::interrupted() {
        return Err(ReleaseError::Interrupted { signal });
    }
    let (number, dir) = attempt::create(&evidence_dir, &tag).map_err(|err| match err {
        ReleaseError::Io { source, .. } => unwritable(source),
        other => other,
    })?;
    let mut state = State {
        format_version: state::FORMAT_VERSION,
        release: release.name.clone(),
        tag: tag.clone(),
        attempt: number,
        config_sha256: Some(crate::attestation::config_digest(release)),
        state: AttemptState::Idle,
        stage: None,
        reason: None,
        undecided: false,
        versions: versions.clone(),
        stages: records(release),
        history: Vec::new(),
        evidence: std::collections::BTreeMap::new(),
    };
    state.enter(&dir, AttemptState::Idle, None, None)?;
    observer.event(Event::AttemptOpened {
        dir: &dir,
        resumed: false,
    });
    let at_start = probes.record_start(&dir)?;
    let attempt = Attempt {
        release,
        project,
        dir,
        state,
        probes,
        first: 0,
        at_start,
    };
    drive(attempt, observer)
}

/// `release resume NAME`.
pub fn resume(
    release: &Release,
    project: Project<'_>,
    observer: &mut dyn Observer,
) -> Result<Outcome, ReleaseError> {
    let evidence_dir = evidence_dir(release, project.root)?;
    report::compile_all(release, project.root)?;
    let nothing = || ReleaseError::NothingToResume {
        release: release.name.clone(),
    };
    let _lock = take_lock(release, &evidence_dir, false)?.ok_or_else(nothing)?;
    let _signals = process::Interruptible::new();
    if let Some(signal) = process::interrupted() {
        return Err(ReleaseError::Interrupted { signal });
    }
    let open = attempt::of_release(&evidence_dir, &release.name)?
        .into_iter()
        .rfind(|(found, _)| !attempt::is_sealed(&found.dir));
    let (found, mut state) = open.ok_or_else(nothing)?;
    let cannot = |reason: String| ReleaseError::CannotResume {
        release: release.name.clone(),
        dir: found.dir.clone(),
        reason,
    };
    if state.finished() {
        return Err(cannot(format!(
            "it already ended as {}; the next `release run` seals it",
            state.state
        )));
    }
    if state.stages != records(release) {
        return Err(cannot(
            "the configuration's stages changed since the attempt started".to_owned(),
        ));
    }
    let first = release
        .stages
        .iter()
        .position(|s| !state.has_reached(&s.reaches))
        .unwrap_or(release.stages.len());
    let stage = release
        .stages
        .get(first)
        .map_or(PROBES, |s| s.name.as_str());
    let reason =
        "the process running the attempt ended before the attempt did (found by `release resume`)";
    state.enter(
        &found.dir,
        AttemptState::Interrupted,
        Some(stage),
        Some(reason.to_owned()),
    )?;
    match release.stages.get(first) {
        Some(interrupted) => {
            let mut places = stage_places(&evidence_key(interrupted), &interrupted.name);
            if let Action::Report(report) = &interrupted.action {
                places.push(Path::new("reports").join(&report.output));
            }
            move_aside(&found.dir, &places, &mut state.evidence)?;
        }
        None => move_aside(
            &found.dir,
            &[PathBuf::from("probes/end")],
            &mut state.evidence,
        )?,
    }
    let back_to = first.checked_sub(1).map_or(AttemptState::Idle, |i| {
        AttemptState::Reached(release.stages[i].reaches.clone())
    });
    state.enter(&found.dir, back_to, Some(stage), None)?;
    let place = Place {
        root: project.root,
        workdir: project.workdir,
        skip: &release.evidence_dir,
    };
    let probes = Checkpoints::read_start(&release.probes, place, &found.dir)?;
    observer.event(Event::AttemptOpened {
        dir: &found.dir,
        resumed: true,
    });
    let attempt = Attempt {
        release,
        project,
        dir: found.dir,
        state,
        probes,
        first,
        at_start: None,
    };
    drive(attempt, observer)
}

/// An open attempt, handed to [`drive`] by `run` and `resume`.
struct Attempt<'a> {
    release: &'a Release,
    project: Project<'a>,
    /// The attempt directory (absolute).
    dir: PathBuf,
    state: State,
    probes: Checkpoints<'a>,
    /// The index of the first stage to run (`resume` skips those passed).
    first: usize,
    /// Why the probes' start snapshots stop the attempt at once, if they do.
    at_start: Option<String>,
}

/// Why an attempt stopped.
struct Stop {
    stage: String,
    reason: String,
    undecided: bool,
}

/// Walks the stages from `first`, then the end probes, then seals. A
/// signal (SIGINT, SIGTERM, SIGHUP) kills the running command; the attempt
/// is then recorded `INTERRUPTED` at the stage it was in, and sealed.
fn drive(attempt: Attempt<'_>, observer: &mut dyn Observer) -> Result<Outcome, ReleaseError> {
    let Attempt {
        release,
        project,
        dir,
        mut state,
        mut probes,
        first,
        at_start,
    } = attempt;
    let mut stop = at_start.map(|reason| Stop {
        stage: PROBES.to_owned(),
        reason,
        undecided: false,
    });
    let mut stopped_at = None;
    if stop.is_none() {
        for (index, stage) in release.stages.iter().enumerate().skip(first) {
            if let Some(signal) = process::interrupted() {
                return interrupt(&dir, state, &stage.name, signal, observer);
            }
            observer.event(Event::StageStarted {
                stage: &stage.name,
                index,
                total: release.stages.len(),
            });
            let mut cx = AttemptCx {
                dir: &dir,
                workdir: project.workdir,
                root: project.root,
                state: &mut state,
                observer: &mut *observer,
            };
            let ran = run_stage(&mut cx, stage, &mut probes);
            let end = match (ran, process::interrupted()) {
                (_, Some(signal)) => return interrupt(&dir, state, &stage.name, signal, observer),
                // Evidence that cannot be written where it goes (a scenario
                // planted a file or a symlink there, the disk is full): the
                // attempt stops undecided and is sealed as it is.
                (Err(ReleaseError::Io { path, source }), None) if path.starts_with(&dir) => {
                    let problem = if source.kind() == std::io::ErrorKind::AlreadyExists {
                        "it exists already: something other than stablegate put it there".to_owned()
                    } else {
                        source.to_string()
                    };
                    StageEnd::Stopped {
                        reason: format!(
                            "evidence could not be written: {}: {problem}",
                            path.strip_prefix(&dir).unwrap_or(&path).display()
                        ),
                        undecided: true,
                        failed: Vec::new(),
                    }
                }
                (ran, None) => ran?,
            };
            match end {
                StageEnd::Passed => {
                    let reached = AttemptState::Reached(stage.reaches.clone());
                    state.enter(&dir, reached, Some(&stage.name), None)?;
                    observer.event(Event::StagePassed {
                        stage: &stage.name,
                        reaches: &stage.reaches,
                    });
                }
                StageEnd::Stopped {
                    reason,
                    undecided,
                    failed,
                } => {
                    stop = Some(Stop {
                        stage: stage.name.clone(),
                        reason,
                        undecided,
                    });
                    stopped_at = Some((stage, failed));
                    break;
                }
            }
        }
    }
    let at_end = probes.end(&dir);
    if let Some(signal) = process::interrupted() {
        return interrupt(&dir, state, PROBES, signal, observer);
    }
    let at_end = at_end?;
    if stop.is_none() {
        stop = at_end.map(|reason| Stop {
            stage: PROBES.to_owned(),
            reason,
            undecided: false,
        });
    }
    if stop.is_none() {
        // Nothing runs between here and the seal of a complete attempt: what
        // the ledger recorded must still be on disk, byte for byte.
        ledger::take(&dir, &mut state.evidence);
        let changed = ledger::changed(&dir, &state.evidence)?;
        if !changed.is_empty() {
            stop = Some(Stop {
                stage: EVIDENCE.to_owned(),
                reason: format!(
                    "evidence changed after it was written: {}",
                    changed.join("; ")
                ),
                undecided: false,
            });
        }
    }
    let outcome = match stop {
        None => {
            state.enter(&dir, AttemptState::Complete, None, None)?;
            observer.event(Event::Complete);
            Outcome::Complete { dir: dir.clone() }
        }
        Some(Stop {
            stage,
            reason,
            undecided,
        }) => {
            state.undecided = undecided;
            state.enter(
                &dir,
                AttemptState::Stopped,
                Some(&stage),
                Some(reason.clone()),
            )?;
            observer.event(Event::Stopped {
                stage: &stage,
                reason: &reason,
            });
            let mut cx = AttemptCx {
                dir: &dir,
                workdir: project.workdir,
                root: project.root,
                state: &mut state,
                observer: &mut *observer,
            };
            let hooks = stopped_at
                .as_ref()
                .map_or(Ok(()), |(failing, failed)| {
                    on_fail::run(&mut cx, failing, failed, &reason)
                })
                .and_then(|()| report::on_stop(&mut cx, release));
            // A signal during the hooks kills them; the stop is recorded
            // already, so the attempt is sealed as it is.
            if process::interrupted().is_none() {
                hooks?;
            }
            Outcome::Stopped {
                dir: dir.clone(),
                stage,
                reason,
                undecided,
            }
        }
    };
    seal_attempt(&dir, &mut state, observer)?;
    Ok(outcome)
}

/// Runs one stage (and its trace, once it passed).
fn run_stage(
    cx: &mut AttemptCx<'_>,
    stage: &stablegate_config::Stage,
    probes: &mut Checkpoints<'_>,
) -> Result<StageEnd, ReleaseError> {
    let end = match &stage.action {
        Action::Check(commands) => check::run(cx, &stage.name, commands)?,
        Action::Canary(canary) => canary::run(cx, &stage.name, canary, probes)?,
        Action::Http(checks) => http::run(cx, &stage.name, checks)?,
        Action::Report(report) => report::run(cx, &stage.name, report)?,
    };
    match (end, &stage.trace) {
        (StageEnd::Passed, Some(trace)) => trace::run(cx, &stage.name, trace),
        (end, _) => Ok(end),
    }
}

/// Records `INTERRUPTED` at `stage` (stablegate received `signal`) and
/// seals the attempt.
fn interrupt(
    dir: &Path,
    mut state: State,
    stage: &str,
    signal: i32,
    observer: &mut dyn Observer,
) -> Result<Outcome, ReleaseError> {
    let reason = format!(
        "stablegate received {}: the running command was killed and the attempt ended here",
        process::signal_name(signal)
    );
    state.enter(
        dir,
        AttemptState::Interrupted,
        Some(stage),
        Some(reason.clone()),
    )?;
    observer.event(Event::Interrupted {
        stage,
        reason: &reason,
    });
    seal_attempt(dir, &mut state, observer)?;
    Ok(Outcome::Interrupted {
        dir: dir.to_owned(),
        stage: stage.to_owned(),
        signal,
    })
}

/// Writes the ledger's last hashes into `state.json` (hooks and reports
/// wrote files since the last transition), then seals.
fn seal_attempt(
    dir: &Path,
    state: &mut State,
    observer: &mut dyn Observer,
) -> Result<(), ReleaseError> {
    state.write(dir)?;
    let files = seal::seal(dir)?;
    observer.event(Event::Sealed { dir, files });
    Ok(())
}

/// Takes the release's lock (`None`: no lock file and `create` is false).
fn take_lock(
    release: &Release,
    evidence_dir: &Path,
    create: bool,
) -> Result<Option<ReleaseLock>, ReleaseError> {
    let path = lock::lock_path(evidence_dir, &release.name);
    match lock::try_lock(&path, create) {
        Ok(Some(Try::Acquired(lock))) => Ok(Some(lock)),
        Ok(Some(Try::Held)) => Err(ReleaseError::Locked {
            release: release.name.clone(),
            lock: path,
        }),
        Ok(None) => Ok(None),
        Err(ReleaseError::Io { source, .. }) if create => Err(ReleaseError::EvidenceDir {
            release: release.name.clone(),
            dir: evidence_dir.to_owned(),
            source,
        }),
        Err(err) => Err(err),
    }
}

/// The stages as `state.json` records them.
pub fn records(release: &Release) -> Vec<StageRecord> {
    (release.stages.iter())
        .map(|stage| {
            let (action, evidence, runs) = match &stage.action {
                Action::Check(_) => (StageAction::Check, None, None),
                Action::Http(_) => (StageAction::Http, None, None),
                Action::Report(_) => (StageAction::Report, None, None),
                Action::Canary(canary) => (
                    StageAction::Canary,
                    Some(canary.evidence.clone()),
                    Some(canary.runs),
                ),
            };
            StageRecord {
                name: stage.name.clone(),
                reaches: stage.reaches.clone(),
                action,
                evidence,
                runs,
            }
        })
        .collect()
}

/// The first recorded stage whose state was not reached.
pub fn first_open_stage(state: &State) -> Option<&str> {
    (state.stages.iter())
        .find(|stage| !state.has_reached(&stage.reaches))
        .map(|stage| stage.name.as_str())
}

/// The directory name a stage's evidence is kept under.
fn evidence_key(stage: &stablegate_config::Stage) -> String {
    match &stage.action {
        Action::Check(_) | Action::Http(_) | Action::Report(_) => stage.name.clone(),
        Action::Canary(canary) => canary.evidence.clone(),
    }
}

/// Where a stage keeps its evidence: `<key>`, `logs/<key>`,
/// `results/<key>`, `probes/stages/<key>`, `junit/<key>`, and (named by the stage)
/// `probes/http/<stage>`, `probes/trace/<stage>.json`.
fn stage_places(key: &str, stage: &str) -> Vec<PathBuf> {
    vec![
        PathBuf::from(key),
        Path::new("logs").join(key),
        Path::new("results").join(key),
        Path::new("probes/stages").join(key),
        Path::new("junit").join(key),
        Path::new("probes/http").join(stage),
        Path::new("probes/trace").join(format!("{stage}.json")),
    ]
}

/// Renames the partial evidence at `places` (relative to `dir`) to
/// `<path>.interrupted-<n>`, `n` the first number free for all of them; the
/// ledger follows the files.
fn move_aside(
    dir: &Path,
    places: &[PathBuf],
    recorded: &mut ledger::Recorded,
) -> Result<(), ReleaseError> {
    let aside = |place: &Path, n: u32| dir.join(format!("{}.interrupted-{n}", place.display()));
    let n = (1..=u32::MAX)
        .find(|&n| places.iter().all(|place| !aside(place, n).exists()))
        .unwrap_or(u32::MAX);
    for place in places {
        let from = dir.join(place);
        if from.exists() {
            fs::rename(&from, aside(place, n)).map_err(ReleaseError::io(&from))?;
            let place = place.to_string_lossy();
            ledger::moved(recorded, &place, &format!("{place}.interrupted-{n}"));
        }
    }
    Ok(())
}
