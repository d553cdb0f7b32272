//! Why a finding source could not produce findings at all.
//!
//! A [`SourceError`] means the gate cannot decide (exit 2 upstream): its
//! configuration points at something that does not work — a pattern that does
//! not compile, a malformed rule file, a detector that fails or prints
//! something that is not findings, a SARIF file that is not SARIF. Problems
//! with single scanned files are not errors: they are reported in
//! [`crate::inputs::Collected`] so the gate can turn them into `parse_error` items.
//! Every message starts with the place it concerns (`file`, `file: where`, the
//! gate's `config:line`, or the command as written) and then says what is
//! wrong, in lowercase. Messages do not name the gate: the caller prefixes
//! `gate \`NAME\`: `. A variant with a typed cause (`Language`, `Command`)
//! keeps it as its `source()` and also says it in its message, as the
//! workspace's errors do: the binary prints the message alone, and
//! [`chain`] skips a cause whose text is already there, so no cause is
//! lost or shown twice.

use std::io;

use super::command::DetectorError;
use super::lang::LangError;

/// A finding source that cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A `paths` entry that does not exist or leads out of the root.
    #[error(transparent)]
    Path(#[from] crate::walk::PathError),
    /// A language name that is unknown or not built in.
    #[error("{at}: {problem}")]
    Language {
        at: String,
        #[source]
        problem: LangError,
    },
    /// A `pattern` / `patterns` entry that does not compile.
    #[error("{at}: pattern `{pattern}` does not compile: {problem}")]
    Pattern {
        at: String,
        pattern: String,
        problem: String,
    },
    /// A rule file that cannot be read or is not a valid ast-grep rule file;
    /// `at` names the document or rule (`rule \`no-eval\``, `document 2`).
    #[error("{file}: {at}{problem}")]
    RuleFile {
        file: String,
        at: String,
        problem: String,
    },
    /// A detector command that cannot be run, fails or times out.
    #[error("command `{command}`: {problem}")]
    Command {
        command: String,
        #[source]
        problem: DetectorError,
    },
    /// A detector whose standard output is neither SARIF nor JSON Lines
    /// findings; `at` names the line or the SARIF place.
    #[error("command `{command}`: output {at}: {problem}")]
    Output {
        command: String,
        at: String,
        problem: String,
    },
    /// A SARIF file that cannot be read or is not SARIF 2.1.0.
    #[error("{file}: {at}{problem}")]
    Sarif {
        file: String,
        at: String,
        problem: String,
    },
    /// The project root itself cannot be used.
    #[error("project root {root}: {source}")]
    Root {
        root: String,
        #[source]
        source: io::Error,
    },
}

/// `"place: "` for messages that may or may not name a place inside a file.
pub(crate) fn at(place: impl std::fmt::Display) -> String {
    let place = place.to_string();
    if place.is_empty() {
        place
    } else {
        format!("{place}: ")
    }
}

/// A gate's place in its configuration, `file:line`, for errors about its
/// settings.
pub(crate) fn gate_place(gate: &stablegate_config::Gate) -> String {
    format!("{}:{}", gate.location.file, gate.location.line)
}

/// An error and its chain of causes on one line: ast-grep's errors put the
/// useful part ("cannot parse rule", then why) in their sources.
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("inner detail")]
    struct Inner;

    #[test]
    fn chain_joins_every_cause_once() {
        assert_eq!(chain(&Outer(Inner)), "outer: inner detail");
    }

    #[test]
    fn typed_causes_are_said_once_in_the_message() {
        // The causes a variant carries as its source are already in its
        // message: walking the chain adds nothing, so no cause is shown
        // twice, and `Display` alone (what the binary prints) loses none.
        let language = SourceError::Language {
            at: "stablegate.toml:3".to_owned(),
            problem: super::super::lang::resolve("cobol").unwrap_err(),
        };
        assert_eq!(
            language.to_string(),
            "stablegate.toml:3: language `cobol` is unknown to ast-grep"
        );
        assert_eq!(chain(&language), language.to_string());
        let output = SourceError::Output {
            command: "lint".to_owned(),
            at: "line 1".to_owned(),
            problem: "not JSON".to_owned(),
        };
        let command = SourceError::Command {
            command: "lint".to_owned(),
            problem: super::super::command::DetectorError::NotFindings {
                output: Box::new(output),
                stderr_tail: "; stderr:\noops".to_owned(),
            },
        };
        assert_eq!(
            command.to_string(),
            "command `lint`: exited with status 1 and its output is not findings \
             (command `lint`: output line 1: not JSON); stderr:\noops"
        );
        assert_eq!(chain(&command), command.to_string());
    }

    #[test]
    fn at_is_empty_for_no_place() {
        assert_eq!(at(""), "");
        assert_eq!(at("document 2"), "document 2: ");
    }
}
