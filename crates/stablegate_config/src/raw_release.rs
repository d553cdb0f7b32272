//! What serde reads from a `[release.NAME]` table (SPEC §10.1): the `Raw*`
//! types of release gates, one to one with the file.
//!
//! Every struct denies unknown keys (the `http` and `trace` entries are in
//! [`crate::release_http`]). Nothing here is checked beyond TOML types.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_spanned::Spanned;

/// One `[release.NAME]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelease {
    pub evidence_dir: Option<Spanned<String>>,
    pub tag: Option<Spanned<String>>,
    #[serde(default)]
    pub versions: BTreeMap<Spanned<String>, RawVersion>,
    #[serde(default)]
    pub probe: Vec<RawProbe>,
    #[serde(default)]
    pub stage: Vec<RawStage>,
    #[serde(default)]
    pub suite: BTreeMap<Spanned<String>, RawSuite>,
}

/// `[release.NAME.versions] cli = { command, regex }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVersion {
    pub command: Spanned<String>,
    pub regex: Option<Spanned<String>>,
}

/// One `[[release.NAME.probe]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProbe {
    pub name: Spanned<String>,
    pub command: Option<Spanned<String>>,
    pub sql: Option<Spanned<String>>,
    pub database: Option<Spanned<String>>,
    pub files: Option<Spanned<Vec<Spanned<String>>>>,
    pub expect_lines: Option<Spanned<i64>>,
    #[serde(default)]
    pub between_runs: bool,
}

/// One `[[release.NAME.stage]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    pub name: Spanned<String>,
    pub reaches: Spanned<String>,
    pub check: Option<Spanned<Vec<Spanned<String>>>>,
    pub canary: Option<Spanned<RawCanary>>,
    pub http: Option<Spanned<Vec<crate::release_http::RawHttp>>>,
    pub trace: Option<Spanned<crate::release_http::RawTrace>>,
    pub report: Option<Spanned<RawReport>>,
    pub on_fail: Option<Spanned<Vec<RawOnFail>>>,
}

/// `report = { template, output, post }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReport {
    pub template: Spanned<String>,
    pub output: Spanned<String>,
    pub post: Option<Spanned<String>>,
}

/// One `on_fail = [{ scenario, failure_mode, run }]` hook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOnFail {
    pub scenario: Option<Spanned<i64>>,
    pub failure_mode: Option<Spanned<String>>,
    pub run: Spanned<String>,
}

/// `canary = { suite, runs, evidence }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCanary {
    pub suite: Spanned<String>,
    pub runs: Spanned<i64>,
    pub evidence: Option<Spanned<String>>,
}

/// `[release.NAME.suite.SUITE]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSuite {
    pub timeout: Option<Spanned<String>>,
    #[serde(default)]
    pub scenario: Vec<RawScenario>,
    pub junit: Option<Spanned<RawJunit>>,
}

/// `junit = { command, allow_skipped }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJunit {
    pub command: Spanned<String>,
    #[serde(default)]
    pub allow_skipped: bool,
}

/// One scenario of a suite.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub id: Spanned<i64>,
    pub name: Spanned<String>,
    pub command: Spanned<String>,
    pub timeout: Option<Spanned<String>>,
}
