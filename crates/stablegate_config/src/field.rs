//! Checking the fields of one `[[audit]]`, `[[marker]]`, `[[fresh]]` or
//! `[[scope]]` table, naming `kind[index].field` and its place on failure.
//!
//! The code-gate validator ([`crate::gate`]) has its own checker; this one
//! serves the other table kinds, so that their validation lives in their own
//! modules and the gate module is left alone. Nothing here reads files.

use std::ops::Range;

use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::globs::{self, Globs};
use crate::location::{push_key, SourceFile};
use crate::paths::{self, ConfigDir};

/// The file, the config directory and the key path (`audit[2]`,
/// `tool.stablegate.marker[0]`) of the table being checked.
pub(crate) struct Fields<'a> {
    pub file: &'a SourceFile,
    pub dir: &'a ConfigDir,
    /// `audit[2]`, with the pyproject prefix when there is one.
    pub key: String,
}

impl<'a> Fields<'a> {
    pub fn new(
        file: &'a SourceFile,
        dir: &'a ConfigDir,
        prefix: &str,
        kind: &str,
        index: usize,
    ) -> Self {
        let mut key = prefix.to_owned();
        push_key(&mut key, kind);
        key.push_str(&format!("[{index}]"));
        Fields { file, dir, key }
    }

    pub fn fail(&self, span: Range<usize>, field: &str, message: String) -> ConfigError {
        let key = format!("{}.{field}", self.key);
        self.file.invalid(span, &key, message)
    }

    pub fn location(&self, span: Range<usize>) -> Location {
        self.file.location(span.start)
    }

    /// A name of the form `[a-z0-9_-]+`.
    pub fn name(&self, value: &Spanned<String>, kind: &str) -> Result<String, ConfigError> {
        let name = value.get_ref();
        let good = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if good {
            Ok(name.clone())
        } else {
            let message = format!("{kind} name `{name}` must match [a-z0-9_-]+");
            Err(self.fail(value.span(), "name", message))
        }
    }

    /// A non-blank string.
    pub fn text(&self, value: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
        if value.get_ref().trim().is_empty() {
            Err(self.fail(value.span(), field, format!("`{field}` is empty")))
        } else {
            Ok(value.get_ref().clone())
        }
    }

    /// A path, resolved to root-relative form.
    pub fn path(&self, value: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
        paths::resolve(self.dir, value.get_ref())
            .map_err(|problem| self.fail(value.span(), field, problem.message(value.get_ref())))
    }

    /// The config file's directory, for a table that leaves `paths` out.
    pub fn default_path(&self, span: Range<usize>) -> Result<String, ConfigError> {
        paths::resolve(self.dir, ".")
            .map_err(|problem| self.fail(span, "paths", problem.message(".")))
    }

    pub fn paths(&self, list: &[Spanned<String>], field: &str) -> Result<Vec<String>, ConfigError> {
        (list.iter().enumerate())
            .map(|(i, value)| self.path(value, &format!("{field}[{i}]")))
            .collect()
    }

    pub fn globs(&self, list: &[Spanned<String>], field: &str) -> Result<Globs, ConfigError> {
        globs::compile(self.dir, list.iter().map(|value| value.get_ref().as_str())).map_err(
            |(i, problem)| {
                let span = list.get(i).map_or(0..0, Spanned::span);
                self.fail(span, &format!("{field}[{i}]"), problem.to_string())
            },
        )
    }
}
