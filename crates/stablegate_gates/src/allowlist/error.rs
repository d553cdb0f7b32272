//! Why an allowlist file could not be read.
//!
//! Responsible for the error values of [`super::parse`]: each names the file,
//! the 1-based line and, where there is one, the field, and its message reads
//! after "failed to …". Not responsible for entries that parse but are wrong
//! (missing fields, paths escaping the root, duplicates): those are verdicts.

use thiserror::Error;

/// A malformed allowlist file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AllowlistError {
    /// The bytes are not UTF-8 (YAML requires it); `line` holds the first
    /// bad byte.
    #[error("read allowlist {file}:{line}: is not valid UTF-8")]
    NotUtf8 { file: String, line: usize },
    /// The text is not YAML.
    #[error("parse allowlist {file}:{line}:{column}: {message}")]
    Yaml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file holds several YAML documents (`---`).
    #[error("read allowlist {file}:{line}: expected one YAML document, found a second one here")]
    SeveralDocuments { file: String, line: usize },
    /// The document is not a mapping of keys to entry lists.
    #[error("read allowlist {file}:{line}: the top level must be a mapping (`{key}:` followed by entries), found {found}")]
    TopLevel {
        file: String,
        line: usize,
        key: String,
        found: String,
    },
    /// `<key>` is not a sequence.
    #[error(
        "read allowlist {file}:{line}: `{field}` must be a sequence of entries, found {found}"
    )]
    NotSequence {
        file: String,
        line: usize,
        field: String,
        found: String,
    },
    /// An item of `<key>` is neither a mapping nor a legacy `file:line` string.
    #[error("read allowlist {file}:{line}: an entry of `{field}` must be a mapping (`- file: …`) or a legacy \"file:line\" string, found {found}")]
    EntryShape {
        file: String,
        line: usize,
        field: String,
        found: String,
    },
    /// A field holds a value of the wrong type.
    #[error("read allowlist {file}:{line}: `{field}` must be {expected}, found {found}")]
    FieldType {
        file: String,
        line: usize,
        field: String,
        expected: String,
        found: String,
    },
}

impl AllowlistError {
    /// The allowlist file, as the caller named it.
    pub fn file(&self) -> &str {
        match self {
            AllowlistError::NotUtf8 { file, .. }
            | AllowlistError::Yaml { file, .. }
            | AllowlistError::SeveralDocuments { file, .. }
            | AllowlistError::TopLevel { file, .. }
            | AllowlistError::NotSequence { file, .. }
            | AllowlistError::EntryShape { file, .. }
            | AllowlistError::FieldType { file, .. } => file,
        }
    }

    /// The 1-based line of the problem.
    pub fn line(&self) -> usize {
        match self {
            AllowlistError::NotUtf8 { line, .. }
            | AllowlistError::Yaml { line, .. }
            | AllowlistError::SeveralDocuments { line, .. }
            | AllowlistError::TopLevel { line, .. }
            | AllowlistError::NotSequence { line, .. }
            | AllowlistError::EntryShape { line, .. }
            | AllowlistError::FieldType { line, .. } => *line,
        }
    }

    /// The field concerned, where there is one (`inline_meta_read`,
    /// `count`, `inline_meta_read_baseline`).
    pub fn field(&self) -> Option<&str> {
        match self {
            AllowlistError::NotSequence { field, .. }
            | AllowlistError::EntryShape { field, .. }
            | AllowlistError::FieldType { field, .. } => Some(field),
            AllowlistError::TopLevel { key, .. } => Some(key),
            AllowlistError::NotUtf8 { .. }
            | AllowlistError::Yaml { .. }
            | AllowlistError::SeveralDocuments { .. } => None,
        }
    }
}
