//! The release crate's one error type: why a release command could not
//! decide (exit 2 in the binary).
//!
//! A stopped release is not an error: it is an outcome
//! ([`crate::Outcome::Stopped`]) with its reason recorded in `state.json`.
//! These variants are for what prevents the protocol from running or a
//! bundle from being read at all; messages read after "failed to …".

use std::io;
use std::path::PathBuf;

/// Why a release command could not run.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// A file that is not a regular file, too large, or unreadable.
    #[error("{} {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: stablegate_io::read::ReadError,
    },
    #[error("release `{release}`: evidence directory {} is not writable: {source}", dir.display())]
    EvidenceDir {
        release: String,
        dir: PathBuf,
        source: io::Error,
    },
    #[error("release `{release}` is already running (another process holds {})", lock.display())]
    Locked { release: String, lock: PathBuf },
    #[error("release `{release}`: version `{name}`: {message}")]
    Version {
        release: String,
        name: String,
        message: String,
    },
    #[error("release `{release}`: tag `{tag}` cannot name an attempt directory: it must hold only ASCII letters, digits and `._+@-`, and not start with `.` or `-`")]
    Tag { release: String, tag: String },
    #[error("release `{release}`: {source}")]
    ProbeAtStart {
        release: String,
        source: crate::probe::ProbeFailed,
    },
    #[error("release `{release}`: no interrupted attempt to resume (`release status {release}` lists the attempts)")]
    NothingToResume { release: String },
    #[error("release `{release}`: attempt {} cannot be resumed: {reason}", dir.display())]
    CannotResume {
        release: String,
        dir: PathBuf,
        reason: String,
    },
    #[error("release `{release}`: report template `{template}`: {source}")]
    Template {
        release: String,
        template: String,
        source: crate::report::TemplateError,
    },
    /// stablegate received `SIGINT`, `SIGTERM` or `SIGHUP` before an attempt
    /// was opened: nothing was written.
    #[error("interrupted by {} before an attempt was opened; nothing was written", stablegate_io::process::signal_name(*signal))]
    Interrupted { signal: i32 },
    /// stablegate received `signal` while a command of an open attempt ran
    /// (the command was killed). [`crate::protocol`] turns it into an
    /// attempt sealed as `INTERRUPTED`.
    #[error("a command was killed: stablegate received {}", stablegate_io::process::signal_name(*signal))]
    CommandInterrupted { signal: i32 },
    /// A command could not be started at all.
    #[error(transparent)]
    Run(#[from] stablegate_io::process::RunError),
    /// A path the configuration names (`evidence_dir`, a report's
    /// `template`) leads outside the root through a symlink.
    #[error("{at}: `{field}`: `{path}` {source}")]
    OutsideRoot {
        /// Where the release is configured (`file:line:column`).
        at: String,
        /// The dotted key: `release.NAME.evidence_dir`, …
        field: String,
        path: String,
        source: stablegate_io::read::ReadError,
    },
    #[error("{}: not an evidence bundle: {reason}", dir.display())]
    NotABundle { dir: PathBuf, reason: String },
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
}

impl ReleaseError {
    /// An [`ReleaseError::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> ReleaseError {
        let path = path.into();
        move |source| ReleaseError::Io { path, source }
    }
}
