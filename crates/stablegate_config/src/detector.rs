//! Shared detectors (`[[detector]]`, SPEC §12.2): one command whose findings
//! feed several gates. A gate names it with `detector = "NAME"` (a finding
//! source like `command`) and usually keeps only some of its rules with
//! `rules = [...]`; the command runs at most once per stablegate process
//! (the runner's business, `stablegate_gates::source`). This module only
//! validates the tables; names are unique among detectors (they are not
//! selected by `check NAME`, so they do not share the gates' namespace).

use std::collections::HashMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::field::Fields;
use crate::location::SourceFile;
use crate::paths::ConfigDir;

/// One `[[detector]]` table as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDetector {
    /// Unique among detectors, `[a-z0-9_-]+`; gates name it in `detector`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// A shell command (run in the root) printing SARIF 2.1.0 or JSON Lines
    /// `{"file","line","rule"?,"message"?}`, as a gate's `command`.
    #[schemars(with = "String")]
    pub command: Spanned<String>,
    /// How long the command may run (`10m` when not set).
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Spanned<String>>,
}

/// A shared detector, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detector {
    pub name: String,
    pub location: Location,
    pub command: String,
    /// `None`: the runner's default (10 minutes).
    pub timeout: Option<Duration>,
}

/// Validates every `[[detector]]` table; `prefix` is `""` or
/// `tool.stablegate`.
pub(crate) fn validate_all(
    raw: Vec<RawDetector>,
    file: &SourceFile,
    dir: &ConfigDir,
    prefix: &str,
) -> Result<Vec<Detector>, ConfigError> {
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut detectors = Vec::with_capacity(raw.len());
    for (index, raw) in raw.into_iter().enumerate() {
        let fields = Fields::new(file, dir, prefix, "detector", index);
        let name = fields.name(&raw.name, "detector")?;
        if let Some(line) = first_line.get(&name) {
            let message = format!("duplicate detector name `{name}`; first defined at line {line}");
            return Err(fields.fail(raw.name.span(), "name", message));
        }
        let location = fields.location(raw.name.span());
        first_line.insert(name.clone(), location.line);
        let command = fields.text(&raw.command, "command")?;
        let timeout = match &raw.timeout {
            None => None,
            Some(value) => Some(
                crate::duration::parse(value.get_ref())
                    .map_err(|err| fields.fail(value.span(), "timeout", err.to_string()))?,
            ),
        };
        detectors.push(Detector {
            name,
            location,
            command,
            timeout,
        });
    }
    Ok(detectors)
}
