//! A validated freshness check (SPEC §9): what a `[[fresh]]` table means.
//!
//! The generator command is kept as written; `{out}` in it is replaced by a
//! temporary file when it runs (else its standard output is the artifact).
//! Running it is the gates crate's job.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::field::Fields;

/// The generator's time limit when `timeout` is not set, in seconds.
pub const DEFAULT_FRESH_TIMEOUT: u64 = 120;

/// One `[[fresh]]` table as written (SPEC §9): a committed artifact must be
/// byte for byte what its generator makes now.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFresh {
    /// `[a-z0-9_-]+` (default: the artifact's path).
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The committed file.
    #[schemars(with = "String")]
    pub artifact: Spanned<String>,
    /// The generator, run with `sh -c` in the root: it writes `{out}`, or
    /// prints the artifact on standard output.
    #[schemars(with = "String")]
    pub command: Spanned<String>,
    /// Seconds the generator may run (default 120).
    #[schemars(with = "Option<u64>")]
    pub timeout: Option<Spanned<u64>>,
}

/// A freshness check, ready to run.
#[derive(Debug, Clone)]
pub struct Fresh {
    /// `name`, or the artifact's path when the table has none.
    pub name: String,
    pub location: Location,
    /// Root-relative path of the committed artifact.
    pub artifact: String,
    /// Run as `sh -c` in the root; `{out}` is the file to write.
    pub command: String,
    /// Seconds the generator may run.
    pub timeout: u64,
}

pub(crate) fn validate(raw: RawFresh, fields: &Fields<'_>) -> Result<Fresh, ConfigError> {
    let artifact = fields.path(&raw.artifact, "artifact")?;
    let name = match &raw.name {
        Some(name) => fields.name(name, "fresh")?,
        None => artifact.clone(),
    };
    let timeout = match &raw.timeout {
        None => DEFAULT_FRESH_TIMEOUT,
        Some(value) if *value.get_ref() == 0 => {
            let message = "`timeout` must be at least 1 second".to_owned();
            return Err(fields.fail(value.span(), "timeout", message));
        }
        Some(value) => *value.get_ref(),
    };
    let span = raw.name.as_ref().map_or(raw.artifact.span(), Spanned::span);
    Ok(Fresh {
        name,
        location: fields.location(span),
        artifact,
        command: fields.text(&raw.command, "command")?,
        timeout,
    })
}
