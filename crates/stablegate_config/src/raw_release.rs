//! What serde reads from a `[release.NAME]` table (SPEC §10.1): the `Raw*`
//! types of release gates, one to one with the file.
//!
//! Every struct denies unknown keys (the `http` and `trace` entries are in
//! [`crate::release_http`]). Nothing here is checked beyond TOML types. Like
//! [`crate::raw`], the types derive `JsonSchema` for [`crate::schema`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

/// One `[release.NAME]` table: a release gate's stages, canary suites and
/// probes; every attempt is sealed as an evidence bundle.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelease {
    /// Where attempt directories are written.
    #[schemars(required, with = "String")]
    pub evidence_dir: Option<Spanned<String>>,
    /// The attempt directory prefix, e.g. `v{versions.cli}` (default: the
    /// release's name); `--tag` overrides it.
    #[schemars(with = "Option<String>")]
    pub tag: Option<Spanned<String>>,
    /// Versions captured once per attempt: `NAME = { command, regex }`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawVersion>")]
    pub versions: BTreeMap<Spanned<String>, RawVersion>,
    /// Probes (`[[release.NAME.probe]]`): state captured before and after
    /// the attempt, which must not change.
    #[serde(default)]
    pub probe: Vec<RawProbe>,
    /// Stages (`[[release.NAME.stage]]`), walked in order.
    #[serde(default)]
    pub stage: Vec<RawStage>,
    /// Canary suites (`[release.NAME.suite.SUITE]`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSuite>")]
    pub suite: BTreeMap<Spanned<String>, RawSuite>,
}

/// `[release.NAME.versions] cli = { command, regex }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersion {
    /// A shell command printing the version.
    #[schemars(with = "String")]
    pub command: Spanned<String>,
    /// A regex whose first group (or whole match) is the version.
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
}

/// One `[[release.NAME.probe]]`: set one of `command`, `sql` (with
/// `database`) or `files`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProbe {
    /// `[a-z0-9_-]+`, unique in the release.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// A shell command whose output is the probed state.
    #[schemars(with = "Option<String>")]
    pub command: Option<Spanned<String>>,
    /// A query whose rows are the probed state.
    #[schemars(with = "Option<String>")]
    pub sql: Option<Spanned<String>>,
    /// `sqlite:path/to.db` or `postgres://user@host/db`, for `sql`.
    #[schemars(with = "Option<String>")]
    pub database: Option<Spanned<String>>,
    /// Globs of files whose contents are the probed state.
    #[schemars(with = "Option<Vec<String>>")]
    pub files: Option<Spanned<Vec<Spanned<String>>>>,
    /// The number of lines the probe must print.
    #[schemars(with = "Option<i64>")]
    pub expect_lines: Option<Spanned<i64>>,
    /// Also probe before and after every canary run.
    #[serde(default)]
    pub between_runs: bool,
}

/// One `[[release.NAME.stage]]`: what it runs (`check`, `canary`, `http`,
/// `trace` or `report`) and the state it reaches when that passes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    /// `[a-z0-9_-]+`, unique in the release.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The state the stage reaches, e.g. `PREFLIGHT_CLEAN`.
    #[schemars(with = "String")]
    pub reaches: Spanned<String>,
    /// Shell commands that must all exit 0.
    #[schemars(with = "Option<Vec<String>>")]
    pub check: Option<Spanned<Vec<Spanned<String>>>>,
    /// Canary runs of a suite.
    #[schemars(with = "Option<RawCanary>")]
    pub canary: Option<Spanned<RawCanary>>,
    /// HTTP preflight checks.
    #[schemars(with = "Option<Vec<crate::release_http::RawHttp>>")]
    pub http: Option<Spanned<Vec<crate::release_http::RawHttp>>>,
    /// Traceability of the installed build to a commit.
    #[schemars(with = "Option<crate::release_http::RawTrace>")]
    pub trace: Option<Spanned<crate::release_http::RawTrace>>,
    /// A report rendered from a template (and posted).
    #[schemars(with = "Option<RawReport>")]
    pub report: Option<Spanned<RawReport>>,
    /// Hooks run when the stage fails.
    #[schemars(with = "Option<Vec<RawOnFail>>")]
    pub on_fail: Option<Spanned<Vec<RawOnFail>>>,
}

/// `report = { template, output, post }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReport {
    /// A minijinja template.
    #[schemars(with = "String")]
    pub template: Spanned<String>,
    /// The file name written in the attempt directory.
    #[schemars(with = "String")]
    pub output: Spanned<String>,
    /// A shell command run afterwards, with `{output}`.
    #[schemars(with = "Option<String>")]
    pub post: Option<Spanned<String>>,
}

/// One `on_fail = [{ scenario, failure_mode, run }]` hook.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOnFail {
    /// Only when this scenario id failed.
    #[schemars(with = "Option<i64>")]
    pub scenario: Option<Spanned<i64>>,
    /// Only for this failure mode.
    #[schemars(with = "Option<String>")]
    pub failure_mode: Option<Spanned<String>>,
    /// The shell command to run.
    #[schemars(with = "String")]
    pub run: Spanned<String>,
}

/// `canary = { suite, runs, evidence }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCanary {
    /// The suite (`[release.NAME.suite.SUITE]`) to run.
    #[schemars(with = "String")]
    pub suite: Spanned<String>,
    /// How many consecutive runs must pass.
    #[schemars(with = "i64")]
    pub runs: Spanned<i64>,
    /// The evidence subdirectory (default: the stage's name).
    #[schemars(with = "Option<String>")]
    pub evidence: Option<Spanned<String>>,
}

/// `[release.NAME.suite.SUITE]`: scenarios, or a JUnit-producing command.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSuite {
    /// Each scenario's time limit unless it sets its own: `500ms`, `30s`,
    /// `10m`, `2h` (default 10m).
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Spanned<String>>,
    /// The scenarios, each `{ id, name, command, timeout }`.
    #[serde(default)]
    pub scenario: Vec<RawScenario>,
    /// A test command writing JUnit XML to `{junit}`: each test case is a
    /// scenario.
    #[schemars(with = "Option<RawJunit>")]
    pub junit: Option<Spanned<RawJunit>>,
}

/// `junit = { command, allow_skipped }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJunit {
    /// A shell command that writes JUnit XML to `{junit}`.
    #[schemars(with = "String")]
    pub command: Spanned<String>,
    /// `true`: skipped test cases do not fail the run.
    #[serde(default)]
    pub allow_skipped: bool,
}

/// One scenario of a suite.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    /// A number unique in the suite.
    #[schemars(with = "i64")]
    pub id: Spanned<i64>,
    /// What the scenario proves, for reports.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// A shell command; exit 0 passes, or it writes its verdict to
    /// `$STABLEGATE_RESULT_FILE`.
    #[schemars(with = "String")]
    pub command: Spanned<String>,
    /// `500ms`, `30s`, `10m`, `2h` (default: the suite's).
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Spanned<String>>,
}
