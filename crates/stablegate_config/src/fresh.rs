//! A validated freshness check (SPEC §9, §12.4): what a `[[fresh]]` table
//! means.
//!
//! A table names either one `artifact` (the generator writes `{out}`, a
//! temporary file, or prints the artifact) or several `artifacts` globs (the
//! generator writes a tree under `{out_dir}`, a temporary directory standing
//! for the root; see [`crate::artifact_glob`]). Exactly one of the two; the
//! placeholder must fit the form. The generator command is kept as written;
//! running it is the gates crate's job.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::artifact_glob::{self, ArtifactGlob};
use crate::error::{ConfigError, Location};
use crate::field::Fields;

/// The generator's time limit when `timeout` is not set, in seconds.
pub const DEFAULT_FRESH_TIMEOUT: u64 = 120;

/// One `[[fresh]]` table as written (SPEC §9, §12.4): committed artifacts
/// must be byte for byte what their generator makes now.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFresh {
    /// `[a-z0-9_-]+` (default: the artifact's path, or the first glob).
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The committed file (or set `artifacts`).
    #[schemars(with = "Option<String>")]
    pub artifact: Option<Spanned<String>>,
    /// Globs of committed files one generator run writes under `{out_dir}`
    /// (or set `artifact`).
    #[schemars(with = "Option<Vec<String>>")]
    pub artifacts: Option<Spanned<Vec<Spanned<String>>>>,
    /// The generator, run with `sh -c` in the root: it writes `{out}`, or
    /// prints the artifact on standard output; with `artifacts`, it writes
    /// the files under `{out_dir}` at their root-relative paths.
    #[schemars(with = "String")]
    pub command: Spanned<String>,
    /// Seconds the generator may run (default 120).
    #[schemars(with = "Option<u64>")]
    pub timeout: Option<Spanned<u64>>,
}

/// What a freshness check compares.
#[derive(Debug, Clone)]
pub enum Artifacts {
    /// Root-relative path of the one committed artifact (`artifact`).
    One(String),
    /// The files matched by these globs (`artifacts`), generated under
    /// `{out_dir}`.
    Tree(Vec<ArtifactGlob>),
}

/// A freshness check, ready to run.
#[derive(Debug, Clone)]
pub struct Fresh {
    /// `name`, or the artifact's path (the first glob) when the table has
    /// none.
    pub name: String,
    pub location: Location,
    pub artifacts: Artifacts,
    /// Run as `sh -c` in the root; `{out}` is the file to write, `{out_dir}`
    /// the directory that stands for the root.
    pub command: String,
    /// Seconds the generator may run.
    pub timeout: u64,
}

pub(crate) fn validate(raw: RawFresh, fields: &Fields<'_>) -> Result<Fresh, ConfigError> {
    let command = fields.text(&raw.command, "command")?;
    let (artifacts, span, default_name) = match (&raw.artifact, &raw.artifacts) {
        (Some(_), Some(list)) => {
            let message =
                "sets both `artifact` and `artifacts`; set exactly one of them".to_owned();
            return Err(fields.fail(list.span(), "artifacts", message));
        }
        (None, None) => {
            let message = "sets neither `artifact` nor `artifacts`; set exactly one".to_owned();
            return Err(fields.fail(raw.command.span(), "artifact", message));
        }
        (Some(artifact), None) => {
            let path = fields.path(artifact, "artifact")?;
            if command.contains("{out_dir}") {
                let message = "`{out_dir}` needs `artifacts`; with `artifact`, write `{out}` or print the artifact".to_owned();
                return Err(fields.fail(raw.command.span(), "command", message));
            }
            (Artifacts::One(path.clone()), artifact.span(), path)
        }
        (None, Some(list)) => {
            let globs = globs(list, fields)?;
            if !command.contains("{out_dir}") || command.contains("{out}") {
                let message = "with `artifacts`, the command writes its files under `{out_dir}` (not `{out}`)".to_owned();
                return Err(fields.fail(raw.command.span(), "command", message));
            }
            let first = globs.first().map_or(String::new(), |g| g.pattern.clone());
            (Artifacts::Tree(globs), list.span(), first)
        }
    };
    let name = match &raw.name {
        Some(name) => fields.name(name, "fresh")?,
        None => default_name,
    };
    let timeout = match &raw.timeout {
        None => DEFAULT_FRESH_TIMEOUT,
        Some(value) if *value.get_ref() == 0 => {
            let message = "`timeout` must be at least 1 second".to_owned();
            return Err(fields.fail(value.span(), "timeout", message));
        }
        Some(value) => *value.get_ref(),
    };
    let span = raw.name.as_ref().map_or(span, Spanned::span);
    Ok(Fresh {
        name,
        location: fields.location(span),
        artifacts,
        command,
        timeout,
    })
}

/// Compiles `artifacts`: at least one glob, each valid and listed once.
fn globs(
    list: &Spanned<Vec<Spanned<String>>>,
    fields: &Fields<'_>,
) -> Result<Vec<ArtifactGlob>, ConfigError> {
    if list.get_ref().is_empty() {
        let message = "`artifacts` lists no glob".to_owned();
        return Err(fields.fail(list.span(), "artifacts", message));
    }
    let mut compiled: Vec<ArtifactGlob> = Vec::new();
    for (index, value) in list.get_ref().iter().enumerate() {
        let field = format!("artifacts[{index}]");
        let glob = artifact_glob::compile(fields.dir, value.get_ref())
            .map_err(|err| fields.fail(value.span(), &field, err.to_string()))?;
        if compiled.iter().any(|g| g.pattern == glob.pattern) {
            let message = format!("`{}` is listed twice", glob.pattern);
            return Err(fields.fail(value.span(), &field, message));
        }
        compiled.push(glob);
    }
    Ok(compiled)
}
