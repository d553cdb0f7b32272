//! What serde reads from the TOML: the `Raw*` types, one to one with the file.
//!
//! Every struct denies unknown keys. Values that later validation must point
//! at are `Spanned`, so an error can name their line and column. Nothing here
//! is checked beyond TOML types; [`crate::gate`] turns a [`RawGate`] into a
//! validated [`crate::Gate`].

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::gate::OnParseError;

/// The top level of `stablegate.toml`, or the `[tool.stablegate]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    #[serde(default)]
    pub gate: Vec<RawGate>,
    #[serde(default)]
    pub audit: Vec<crate::audit::RawAudit>,
    #[serde(default)]
    pub marker: Vec<crate::marker::RawMarker>,
    #[serde(default)]
    pub fresh: Vec<crate::fresh::RawFresh>,
    #[serde(default)]
    pub scope: Vec<crate::scope::RawScope>,
    #[serde(default)]
    pub release:
        std::collections::BTreeMap<serde_spanned::Spanned<String>, crate::raw_release::RawRelease>,
}

/// `pyproject.toml`: only `[tool.stablegate]` is ours; every other key is
/// another tool's business and is ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPyproject {
    pub tool: Option<RawTool>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawTool {
    pub stablegate: Option<RawConfig>,
}

/// One `[[gate]]` table (SPEC §3).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGate {
    pub name: Spanned<String>,
    pub paths: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    pub pattern: Option<Spanned<String>>,
    pub patterns: Option<Spanned<Vec<Spanned<String>>>>,
    pub rule_file: Option<Spanned<String>>,
    pub command: Option<Spanned<String>>,
    /// How long `command` may run (`10m` when not set).
    pub timeout: Option<Spanned<String>>,
    pub sarif: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
    pub message: Option<String>,
    pub allowlist: Option<Spanned<String>>,
    pub allowlist_key: Option<Spanned<String>>,
    #[serde(default)]
    pub strict_counts: bool,
    pub theater: Option<RawTheater>,
    #[serde(default)]
    pub on_parse_error: OnParseError,
}

/// `theater = { file, code }`: an offender sample for the theater triad.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTheater {
    pub file: Spanned<String>,
    pub code: Spanned<String>,
}
