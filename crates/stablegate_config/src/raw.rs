//! What serde reads from the TOML: the `Raw*` types, one to one with the file.
//!
//! Every struct denies unknown keys. Values that later validation must point
//! at are `Spanned`, so an error can name their line and column. Nothing here
//! is checked beyond TOML types; [`crate::gate`] turns a [`RawGate`] into a
//! validated [`crate::Gate`].
//!
//! The same types give the JSON Schema of the file ([`crate::schema`]): each
//! `Raw*` type derives `JsonSchema` next to `Deserialize`, and its doc
//! comments become the descriptions editors show. A `Spanned<T>` field says
//! which type it holds with `#[schemars(with = "T")]` (schemars cannot see
//! through `serde_spanned`); a new field that forgets it does not compile.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::gate::OnParseError;

/// The top level of `stablegate.toml`, or the `[tool.stablegate]` table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    /// Settings of `check` (`[check]`): the base branch of `shrink_only`.
    pub check: Option<RawCheckSettings>,
    /// Shared detectors (`[[detector]]`): one command, run at most once per
    /// stablegate process, whose findings feed the gates that name it.
    #[serde(default)]
    pub detector: Vec<crate::detector::RawDetector>,
    /// Code gates (`[[gate]]`): findings of one source, checked against a
    /// content-keyed allowlist.
    #[serde(default)]
    pub gate: Vec<RawGate>,
    /// Inventory audits (`[[audit]]`): a Markdown table of a gate's sinks,
    /// kept in step with the sinks the gate finds.
    #[serde(default)]
    pub audit: Vec<crate::audit::RawAudit>,
    /// Marker censuses (`[[marker]]`): test nodes carrying a decorator, each
    /// with a reason, under a shrink-only baseline.
    #[serde(default)]
    pub marker: Vec<crate::marker::RawMarker>,
    /// Freshness checks (`[[fresh]]`): a generated artifact must equal what
    /// its generator prints now, byte for byte.
    #[serde(default)]
    pub fresh: Vec<crate::fresh::RawFresh>,
    /// Change-scope checks (`[[scope]]`): paths a change may not touch.
    #[serde(default)]
    pub scope: Vec<crate::scope::RawScope>,
    /// Release gates (`[release.NAME]`): staged canary runs with sealed
    /// evidence.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, crate::raw_release::RawRelease>")]
    pub release:
        std::collections::BTreeMap<serde_spanned::Spanned<String>, crate::raw_release::RawRelease>,
}

/// `[check]`: settings of the `check` command.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheckSettings {
    /// The git revision `shrink_only` allowlists are compared with (at its
    /// merge base with `HEAD`), e.g. `origin/main`; `--base REF` overrides.
    #[schemars(with = "Option<String>")]
    pub base: Option<Spanned<String>>,
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

/// One `[[gate]]` table (SPEC §3): set exactly one finding source
/// (`pattern`, `patterns`, `rule_file`, `command`, `detector` or `sarif`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGate {
    /// Unique among the configuration's names, `[a-z0-9_-]+`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Scan roots, relative to the configuration file's directory (default:
    /// that directory); `.gitignore` is respected.
    #[schemars(with = "Option<Vec<String>>")]
    pub paths: Option<Spanned<Vec<Spanned<String>>>>,
    /// Globs: when set, only matching files are scanned.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub include: Vec<Spanned<String>>,
    /// Globs: matching files and directories are skipped.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// An ast-grep pattern, e.g. `json.load($F)`.
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// Several ast-grep patterns; a site matching any of them is a finding.
    #[schemars(with = "Option<Vec<String>>")]
    pub patterns: Option<Spanned<Vec<Spanned<String>>>>,
    /// An ast-grep rule YAML file (id, language, rule, constraints, utils,
    /// message, files, ignores).
    #[schemars(with = "Option<String>")]
    pub rule_file: Option<Spanned<String>>,
    /// A shell command (run in the root) printing SARIF 2.1.0 or JSON Lines
    /// `{"file","line","rule"?,"message"?}`.
    #[schemars(with = "Option<String>")]
    pub command: Option<Spanned<String>>,
    /// A shared `[[detector]]`, by name: its findings, run once per process.
    #[schemars(with = "Option<String>")]
    pub detector: Option<Spanned<String>>,
    /// Keep only findings whose rule id is listed (any source).
    #[schemars(with = "Option<Vec<String>>")]
    pub rules: Option<Spanned<Vec<Spanned<String>>>>,
    /// How long `command` may run (`10m` when not set).
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Spanned<String>>,
    /// A SARIF file to read findings from (e.g. a linter's report).
    #[schemars(with = "Option<String>")]
    pub sarif: Option<Spanned<String>>,
    /// The language of scanned files (default: by file extension).
    #[schemars(with = "Option<String>")]
    pub language: Option<Spanned<String>>,
    /// What a violation means and what to do instead.
    pub message: Option<String>,
    /// The YAML allowlist of accepted sites (a missing file is an empty
    /// allowlist; `stablegate allow` creates it).
    #[schemars(with = "Option<String>")]
    pub allowlist: Option<Spanned<String>>,
    /// The allowlist key holding this gate's entries (default: `name`).
    #[schemars(with = "Option<String>")]
    pub allowlist_key: Option<Spanned<String>>,
    /// `true`: an allowlist entry without `count` covers exactly one site.
    #[serde(default)]
    pub strict_counts: bool,
    /// The allowlist key of the shrink-only ceiling (default:
    /// `<allowlist_key>_baseline`).
    #[schemars(with = "Option<String>")]
    pub baseline_key: Option<Spanned<String>>,
    /// Floor: fewer live sites is verdict `count`. Without an allowlist the
    /// gate is a count gate (its sites are counted, never violations).
    #[schemars(with = "Option<u64>")]
    pub min_sites: Option<Spanned<u64>>,
    /// Ceiling: more live sites is verdict `count`.
    #[schemars(with = "Option<u64>")]
    pub max_sites: Option<Spanned<u64>>,
    /// The allowlist may not grow against the base branch (`--base REF` or
    /// `[check] base`): verdict `grown`.
    #[schemars(with = "Option<bool>")]
    pub shrink_only: Option<Spanned<bool>>,
    /// `true`: the findings feed `[[audit]]` tables only; `check` reports
    /// no violations for the gate itself (it has no allowlist).
    #[schemars(with = "Option<bool>")]
    pub audit_only: Option<Spanned<bool>>,
    /// An offender sample for the theater triad's non-vacuity leg.
    pub theater: Option<RawTheater>,
    /// A scanned file that does not parse: `fail` (default) or `warn`.
    #[serde(default)]
    pub on_parse_error: OnParseError,
}

/// `theater = { file, code }`: an offender sample for the theater triad.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTheater {
    /// The file the sample is planted in (it may not exist yet).
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// Code the gate must report as a violation.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
}
