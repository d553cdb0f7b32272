//! The binary's one error type and its mapping to exit codes (SPEC §5).
//!
//! Exit codes are a public contract: `0` green; `1` red (at least one gate
//! failed); `2` could not decide: bad
//! input (arguments, configuration, unreadable or undecodable files) or an
//! I/O failure. [`Error::exit_code`] is an exhaustive match, so a new variant
//! cannot ship without choosing its code. Messages are printed once, by
//! [`Error::report`], on standard error.

use std::io;
use std::path::PathBuf;

use stablegate_config::ConfigError;

use crate::root::PathError;
use crate::source::SourceFileError;

/// Everything that can end a command without a verdict.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong, or `--help` / `--version` was asked for.
    #[error(transparent)]
    Usage(clap::Error),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("--root {}: {source}", root.display())]
    Root { root: PathBuf, source: io::Error },
    /// One input is wrong; `at` names it (`file`, `file:line`, or the
    /// argument as written).
    #[error("{at}: {problem}")]
    Input { at: String, problem: Problem },
    /// Errors already reported one by one while the command went on.
    #[error("{count} input(s) could not be read")]
    Reported { count: usize },
    #[error("cannot write to standard output: {0}")]
    Output(io::Error),
    /// At least one gate is red (already reported on standard output).
    #[error("at least one gate failed")]
    Red,
    #[error("no configuration: create stablegate.toml (or [tool.stablegate] in pyproject.toml), or pass --config")]
    NoConfig,
    #[error("no gate named `{name}` in {config} (gates: {known})")]
    UnknownGate {
        name: String,
        config: String,
        known: String,
    },
    /// A gate could not be run: its rule, detector or allowlist is unusable.
    #[error("gate `{gate}`: {source}")]
    Gate {
        gate: String,
        source: Box<stablegate_gates::run::GateError>,
    },
    /// `allow`, `convert` or `refresh` named a gate without an allowlist.
    #[error("gate `{gate}` has no `allowlist` to {action}: set `allowlist = \"…\"` in its [[gate]] table")]
    NoAllowlist { gate: String, action: &'static str },
    /// An allowlist edit that could not be made safely; nothing was written.
    #[error(transparent)]
    Edit(#[from] stablegate_gates::edit::EditError),
    /// CI is set and `--write` was not given: nothing was written.
    #[error("{path}: not written: CI is set, and `{command}` changes allowlists in CI only with --write (it would {change})")]
    CiRefusesWrite {
        command: &'static str,
        path: String,
        change: String,
    },
    /// `allow` on an allowlist that still holds legacy entries.
    #[error("{path}: `{key}` still has legacy entries ({count}: line-keyed, or `token: \"\"` without `text`): run `stablegate convert {gate}` first, so that `allow` does not add a second entry for the sites they accept")]
    LegacyEntries {
        path: String,
        key: String,
        gate: String,
        count: usize,
    },
    /// `convert` on an allowlist without legacy entries.
    #[error("{path}: `{key}` has no legacy line-keyed entries (`qualname` + `line`, or \"file:line\") and no entries with `token: \"\"` lacking `text`: nothing to convert")]
    NothingToConvert { path: String, key: String },
    /// `convert` met seeds that cannot be frozen; every one is listed.
    #[error("{}", seed_failures(.path, .key, *.seeds, .failures))]
    Seeds {
        path: String,
        key: String,
        seeds: usize,
        failures: Vec<stablegate_gates::edit::SeedFailure>,
    },
    #[error("{path}: cannot be written: {source}")]
    Write { path: String, source: io::Error },
    /// `check`, `audit` or `markers` named nothing the configuration has.
    #[error("no {kinds} named `{name}` in {config} (names: {known})")]
    UnknownName {
        name: String,
        kinds: &'static str,
        config: String,
        known: String,
    },
    /// An audit, marker census, freshness or scope check could not be
    /// decided; the message names the file and the place.
    #[error("{message}")]
    Check { message: String },
    /// The same, failed below the command: `what` says which check (empty,
    /// or ending in `: `), the source why, naming the file and the place.
    #[error("{what}{source}")]
    CheckFailed {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A release command could not run (bad input met at run time, I/O,
    /// the lock held, not a bundle).
    #[error(transparent)]
    Release(#[from] stablegate_release::ReleaseError),
    #[error("no release named `{name}` in {config} (releases: {known})")]
    UnknownRelease {
        name: String,
        config: String,
        known: String,
    },
    /// A release attempt stopped (red), or stopped on bad input met
    /// mid-attempt (`undecided`); its evidence is sealed either way.
    #[error("release `{release}` STOPPED at stage `{stage}`: {reason} (evidence: {dir})")]
    ReleaseStopped {
        release: String,
        stage: String,
        reason: String,
        dir: String,
        undecided: bool,
    },
    /// stablegate received `signal` during a release attempt: the attempt
    /// was recorded `INTERRUPTED` and sealed; the exit code is
    /// `128 + signal`, as if the signal had ended the process.
    #[error("release `{release}` INTERRUPTED at stage `{stage}`: stablegate received {} (evidence: {dir})", stablegate_io::process::signal_name(*signal))]
    ReleaseInterrupted {
        release: String,
        stage: String,
        signal: i32,
        dir: String,
    },
    /// `evidence verify` found differences (already printed).
    #[error("the evidence bundle is not intact")]
    BundleBroken,
    /// `init` found a configuration where it would write one.
    #[error("{path}: not written: {what}, and `init` never overwrites a configuration")]
    ConfigExists { path: String, what: &'static str },
    /// The starter configuration would not load where `init` would put it
    /// (e.g. a pyproject.toml whose `tool` is an inline table).
    #[error("{path}: not written: the starter configuration would not load there: {reason}")]
    InitInvalid { path: String, reason: String },
    /// CI is set and `init --write` was not given.
    #[error(
        "{path}: not written: CI is set, and `init` writes a configuration in CI only with --write"
    )]
    CiRefusesInit { path: String },
    /// `prune` could not tell stale entries for sure; nothing was written.
    #[error("{path}: not pruned (gate `{gate}`): {reason}; nothing was written")]
    PruneUnsure {
        path: String,
        gate: String,
        reason: String,
    },
    /// `merge-allowlist` could not read or write one of its files.
    #[error("{path}: {reason}")]
    Merge { path: String, reason: String },
    /// `merge-allowlist` left a conflict for git (already reported).
    #[error("the allowlists conflict")]
    MergeConflict,
}

/// The message of [`Error::Seeds`]: a summary line, then one line per
/// failing seed with every reason.
fn seed_failures(
    path: &str,
    key: &str,
    seeds: usize,
    failures: &[stablegate_gates::edit::SeedFailure],
) -> String {
    let mut message = format!(
        "{path}: {} of {seeds} legacy entries of `{key}` cannot be frozen; nothing was written",
        failures.len()
    );
    for failure in failures {
        message.push_str(&format!(
            "\n  {path}:{}: {}: {}",
            failure.entry_line,
            failure.seed,
            failure.reasons.join("; ")
        ));
    }
    message
}

/// What is wrong with one input.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error(transparent)]
    Path(#[from] PathError),
    #[error(transparent)]
    Source(#[from] SourceFileError),
    #[error("expected FILE:LINE")]
    NotFileLine,
    #[error("`{0}` is not a line number")]
    NotALineNumber(String),
    #[error("line numbers start at 1")]
    LineZero,
    #[error("`{0}` is not a date of the form YYYY-MM-DD")]
    NotADate(String),
    #[error("`{0}` prints human or json")]
    FormatNotFor(&'static str),
    #[error("`{0}` prints human output only")]
    HumanOnly(&'static str),
    #[error("is blank: say why the sites are accepted")]
    Blank,
    #[error("names a file another --output names already: give each its own path")]
    SameOutput,
    #[error("past the end of the file ({lines} lines)")]
    PastEnd { lines: usize },
    #[error("cannot be read: {0}")]
    Read(io::Error),
    #[error("is not valid TOML: {0}")]
    InvalidToml(String),
    #[error("`init` takes no --config: it writes stablegate.toml or [tool.stablegate] in pyproject.toml in the root (--root), where `check` finds them")]
    InitConfigFlag,
    /// `man` was asked for a page of a subcommand that does not exist.
    #[error("no such command (commands: {0})")]
    NoSuchCommand(String),
    /// A problem met while walking a directory (unreadable entry, bad
    /// ignore file).
    #[error("{0}")]
    Walk(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(err) if !err.use_stderr() => 0,
            Error::Red | Error::BundleBroken | Error::MergeConflict => 1,
            Error::ReleaseInterrupted { signal, .. } => {
                u8::try_from(128 + (*signal).clamp(0, 127)).unwrap_or(1)
            }
            Error::ReleaseStopped { undecided, .. } => {
                if *undecided {
                    2
                } else {
                    1
                }
            }
            Error::Usage(_)
            | Error::NoConfig
            | Error::UnknownGate { .. }
            | Error::Gate { .. }
            | Error::Config(_)
            | Error::Root { .. }
            | Error::Input { .. }
            | Error::Reported { .. }
            | Error::Output(_)
            | Error::NoAllowlist { .. }
            | Error::Edit(_)
            | Error::CiRefusesWrite { .. }
            | Error::LegacyEntries { .. }
            | Error::NothingToConvert { .. }
            | Error::Seeds { .. }
            | Error::Write { .. }
            | Error::Check { .. }
            | Error::CheckFailed { .. }
            | Error::UnknownName { .. }
            | Error::Release(_)
            | Error::UnknownRelease { .. }
            | Error::ConfigExists { .. }
            | Error::InitInvalid { .. }
            | Error::CiRefusesInit { .. }
            | Error::PruneUnsure { .. }
            | Error::Merge { .. } => 2,
        }
    }

    /// Prints the error for a person, on standard error (clap's help and
    /// version go to standard output, as clap decides).
    pub fn report(&self) {
        match self {
            Error::Usage(err) => {
                let _ = err.print();
            }
            Error::Reported { .. } | Error::Red | Error::BundleBroken | Error::MergeConflict => {}
            other => eprintln!("error: {other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn help_exits_zero_and_misuse_exits_two() {
        let help = crate::cli::Cli::try_parse_from(["stablegate", "--help"]).unwrap_err();
        assert_eq!(Error::Usage(help).exit_code(), 0);
        let misuse = crate::cli::Cli::try_parse_from(["stablegate", "nope"]).unwrap_err();
        assert_eq!(Error::Usage(misuse).exit_code(), 2);
    }

    #[test]
    fn input_errors_name_the_place_first() {
        let err = Error::Input {
            at: "src/a.py:12".into(),
            problem: Problem::PastEnd { lines: 3 },
        };
        assert_eq!(
            err.to_string(),
            "src/a.py:12: past the end of the file (3 lines)"
        );
        assert_eq!(err.exit_code(), 2);
    }
}
