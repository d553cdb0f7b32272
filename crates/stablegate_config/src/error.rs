//! The one error type of configuration loading, and the place it points at.
//!
//! Every problem a user can fix names the file, the line and column, and the
//! dotted key (`gate[1].pattern`) it concerns, so the message can be acted on
//! without opening a debugger. Turning byte offsets into places is
//! [`crate::location`]'s job; this module only carries and prints them.

use std::fmt;

/// A place in a configuration file: `file:line:column`, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user knows it: root-relative when inside the root.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read (a missing `--config` file, permissions,
    /// a FIFO or device, a file above the size limit).
    #[error("{file}: cannot read the configuration: {source}")]
    Read {
        file: String,
        #[source]
        source: stablegate_io::read::ReadError,
    },
    /// The file is not UTF-8; TOML requires it.
    #[error("{file}:{line}: the configuration is not valid UTF-8")]
    NotUtf8 { file: String, line: usize },
    /// The file is not TOML.
    #[error("{at}: invalid TOML: {message}")]
    Syntax { at: Location, message: String },
    /// The TOML is well-formed but a key or value is wrong.
    #[error("{at}: `{key}`: {message}")]
    Invalid {
        at: Location,
        key: String,
        message: String,
    },
    /// A `pyproject.toml` given with `--config` has no `[tool.stablegate]`.
    #[error("{file}: has no [tool.stablegate] table")]
    NoToolTable { file: String },
    /// The file holds no gate, audit, marker, fresh, scope or release table
    /// (empty, only comments, e.g. after a bad merge): running it would pass
    /// vacuously (SPEC §12.6).
    #[error(
        "{file}: has no [[gate]], [[audit]], [[marker]], [[fresh]], [[scope]] or \
         [release.NAME] table: nothing would be checked"
    )]
    Empty { file: String },
}

impl ConfigError {
    /// Where the error points, when it points inside the file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ConfigError::Syntax { at, .. } | ConfigError::Invalid { at, .. } => Some(at),
            ConfigError::Read { .. }
            | ConfigError::NotUtf8 { .. }
            | ConfigError::NoToolTable { .. }
            | ConfigError::Empty { .. } => None,
        }
    }
}
