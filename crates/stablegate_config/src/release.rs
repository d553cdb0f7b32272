//! A validated release gate (SPEC §10.1): what a `[release.NAME]` table
//! means once checked.
//!
//! [`validate`] turns one [`RawRelease`] into a [`Release`]: names and
//! states in their alphabets and unique, exactly one action per stage, every
//! canary's suite defined, `runs >= 1`, scenario ids unique within a suite,
//! version regexes compiled, timeouts parsed, paths resolved to root-relative
//! form. Stages and suites are validated in [`crate::release_stage`].
//! Running anything (versions, probes, scenarios) is the release crate's
//! job; nothing here touches the file system. (The file passes 500 lines
//! only with its unit tests, which cover every release key at one place.)

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::globs::{self, Globs};
use crate::location::{push_key, SourceFile};
use crate::paths::{self, ConfigDir};
use crate::raw_release::{RawProbe, RawRelease};
pub use crate::release_http::{Expect, HttpCheck, Trace, DEFAULT_HTTP_TIMEOUT};

/// A release gate, ready to run.
#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    /// Where `[release.NAME]` is written.
    pub location: Location,
    /// Root-relative directory holding the attempt directories.
    pub evidence_dir: String,
    /// The attempt directory prefix, with `{versions.NAME}` placeholders
    /// (default: the release name).
    pub tag: String,
    /// Captured once per attempt, in name order.
    pub versions: Vec<VersionSpec>,
    pub probes: Vec<Probe>,
    /// In order; each reaches its own state.
    pub stages: Vec<Stage>,
    /// The table's canonical text ([`crate::canonical`]): its SHA-256 is
    /// the configuration digest an attestation records.
    pub canonical: String,
}

/// How to capture one version.
#[derive(Debug, Clone)]
pub struct VersionSpec {
    pub name: String,
    pub command: String,
    /// The version is its first capture group (the whole match without one);
    /// without a regex, the command's trimmed standard output.
    pub regex: Option<regex::Regex>,
}

/// An invariant probe: state that is fingerprinted at checkpoints.
#[derive(Debug, Clone)]
pub struct Probe {
    pub name: String,
    pub source: ProbeSource,
    /// The number of lines (rows, files) the probe must see.
    pub expect_lines: Option<usize>,
    /// Also fingerprinted around every canary run.
    pub between_runs: bool,
}

/// What a probe fingerprints.
#[derive(Debug, Clone)]
pub enum ProbeSource {
    /// A shell command's standard output.
    Command(String),
    /// The rows of a query against a SQLite file (root-relative path).
    Sql { sql: String, database: String },
    /// The rows of a query against a PostgreSQL server (`postgres://…`).
    Postgres { sql: String, url: String },
    /// The contents of the files the globs match (root-relative matching).
    Files(Globs),
}

/// One stage of the protocol.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: String,
    /// The state the release is in once the stage passed.
    pub reaches: String,
    pub action: Action,
    /// Checked after the action passed.
    pub trace: Option<Trace>,
    /// After a stop of this stage, the first hook that matches runs.
    pub on_fail: Vec<OnFail>,
}

/// `on_fail = [{ scenario, failure_mode, run }]`: a command run after the
/// stage stopped, when a failed scenario of the failing run matches every
/// criterion given (a hook with neither matches any stop of the stage).
#[derive(Debug, Clone)]
pub struct OnFail {
    pub scenario: Option<u64>,
    pub failure_mode: Option<String>,
    /// A shell command; `{tag}` and `{versions.NAME}` are replaced.
    pub run: String,
}

/// What a stage does: exactly one per stage.
#[derive(Debug, Clone)]
pub enum Action {
    /// Shell commands that must each exit 0, in order.
    Check(Vec<String>),
    Canary(Canary),
    /// GET requests whose answers must match.
    Http(Vec<HttpCheck>),
    /// A Markdown report rendered from a template.
    Report(Report),
}

/// `report = { template, output, post }`.
#[derive(Debug, Clone)]
pub struct Report {
    /// Root-relative path of the minijinja template.
    pub template: String,
    /// The file name the report gets under `reports/` in the attempt.
    pub output: String,
    /// A shell command run after rendering, `{output}` the report's path.
    pub post: Option<String>,
}

/// `canary = { suite, runs, evidence }`.
#[derive(Debug, Clone)]
pub struct Canary {
    pub suite: Suite,
    pub runs: u32,
    /// The attempt subdirectory of the run results (default: the stage name).
    pub evidence: String,
}

/// A named list of scenarios, or a JUnit-reporting command.
#[derive(Debug, Clone)]
pub struct Suite {
    pub name: String,
    /// Empty for a JUnit suite.
    pub scenarios: Vec<Scenario>,
    pub junit: Option<Junit>,
}

/// `junit = { command, allow_skipped }`: one command per run whose JUnit
/// XML report (written to `{junit}`) lists the scenarios.
#[derive(Debug, Clone)]
pub struct Junit {
    /// Holds `{junit}`.
    pub command: String,
    /// Skipped test cases do not fail the run.
    pub allow_skipped: bool,
    /// For the whole command (the suite's `timeout`).
    pub timeout: Duration,
}

/// One scenario command.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: u64,
    pub name: String,
    pub command: String,
    pub timeout: Duration,
}

/// The timeout of a scenario when neither it nor its suite sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Validates every release of the file; `prefix` is the key path of the
/// `release` table (`release` or `tool.stablegate.release`).
pub(crate) fn validate_all(
    file: &SourceFile,
    dir: &ConfigDir,
    prefix: &str,
    raw: BTreeMap<Spanned<String>, RawRelease>,
) -> Result<Vec<Release>, ConfigError> {
    let mut releases = Vec::with_capacity(raw.len());
    for (name, release) in raw {
        let mut key = prefix.to_owned();
        push_key(&mut key, name.get_ref());
        let cx = Cx { file, dir, key };
        let mut release = validate(&cx, &name, release)?;
        let mut path: Vec<&str> = prefix.split('.').collect();
        path.push(name.get_ref());
        release.canonical = crate::canonical::of_path(file.document.as_table(), &path);
        releases.push(release);
    }
    releases.sort_by_key(|release| release.location.line);
    Ok(releases)
}

/// One release's context: the file, and the key path `release.NAME`.
pub(crate) struct Cx<'a> {
    file: &'a SourceFile,
    dir: &'a ConfigDir,
    key: String,
}

impl Cx<'_> {
    pub(crate) fn fail(
        &self,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> ConfigError {
        let key = if field.is_empty() {
            self.key.clone()
        } else {
            format!("{}.{field}", self.key)
        };
        self.file.invalid(span, &key, message.into())
    }

    pub(crate) fn text(&self, value: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
        if value.get_ref().trim().is_empty() {
            return Err(self.fail(value.span(), field, format!("`{}` is empty", last(field))));
        }
        Ok(value.get_ref().clone())
    }

    pub(crate) fn path(&self, value: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
        paths::resolve(self.dir, value.get_ref())
            .map_err(|problem| self.fail(value.span(), field, problem.message(value.get_ref())))
    }
}

fn last(field: &str) -> &str {
    let field = field.rsplit('.').next().unwrap_or(field);
    field.split('[').next().unwrap_or(field)
}

pub(crate) fn is_name(text: &str) -> bool {
    !text.is_empty()
        && (text.bytes())
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn validate(cx: &Cx<'_>, name: &Spanned<String>, raw: RawRelease) -> Result<Release, ConfigError> {
    if !is_name(name.get_ref()) {
        let message = format!("release name `{}` must match [a-z0-9_-]+", name.get_ref());
        return Err(cx.fail(name.span(), "", message));
    }
    let evidence_dir = match &raw.evidence_dir {
        Some(value) => cx.path(value, "evidence_dir")?,
        None => return Err(cx.fail(name.span(), "", "missing field `evidence_dir`")),
    };
    let mut versions = Vec::new();
    for (version, spec) in &raw.versions {
        let field = format!("versions.{}", version.get_ref());
        let shape = version
            .get_ref()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if version.get_ref().is_empty() || !shape || version.get_ref() == "format" {
            let message = format!(
                "version name `{}` must match [A-Za-z0-9_]+ and not be `format` (it becomes the run result field `{0}_version`)",
                version.get_ref()
            );
            return Err(cx.fail(version.span(), &field, message));
        }
        let command = cx.text(&spec.command, &format!("{field}.command"))?;
        let regex = match &spec.regex {
            None => None,
            Some(pattern) => Some(regex::Regex::new(pattern.get_ref()).map_err(|err| {
                let words: Vec<String> = err
                    .to_string()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect();
                let message = format!("invalid regex: {}", words.join(" "));
                cx.fail(pattern.span(), &format!("{field}.regex"), message)
            })?),
        };
        versions.push(VersionSpec {
            name: version.get_ref().clone(),
            command,
            regex,
        });
    }
    let tag = match &raw.tag {
        None => name.get_ref().clone(),
        Some(tag) => {
            check_tag(cx, tag, &versions)?;
            tag.get_ref().clone()
        }
    };
    let probes = probes(cx, &raw.probe)?;
    let stages = crate::release_stage::stages(cx, &raw.stage, &raw.suite)?;
    if stages.is_empty() {
        return Err(cx.fail(
            name.span(),
            "",
            "has no stage: add a [[release.NAME.stage]]",
        ));
    }
    Ok(Release {
        name: name.get_ref().clone(),
        location: cx.file.location(name.span().start),
        evidence_dir,
        tag,
        versions,
        probes,
        stages,
        canonical: String::new(),
    })
}

/// A tag's placeholders must name declared versions.
fn check_tag(
    cx: &Cx<'_>,
    tag: &Spanned<String>,
    versions: &[VersionSpec],
) -> Result<(), ConfigError> {
    let text = tag.get_ref();
    if text.trim().is_empty() {
        return Err(cx.fail(tag.span(), "tag", "`tag` is empty"));
    }
    let mut rest = text.as_str();
    while let Some(start) = rest.find("{versions.") {
        let after = &rest[start + "{versions.".len()..];
        let Some(end) = after.find('}') else { break };
        let version = &after[..end];
        if !versions.iter().any(|spec| spec.name == version) {
            let message =
                format!("`{{versions.{version}}}` names no version in [release.NAME.versions]");
            return Err(cx.fail(tag.span(), "tag", message));
        }
        rest = &after[end..];
    }
    Ok(())
}

fn probes(cx: &Cx<'_>, raw: &[RawProbe]) -> Result<Vec<Probe>, ConfigError> {
    let mut probes: Vec<Probe> = Vec::new();
    for (index, probe) in raw.iter().enumerate() {
        let field = |name: &str| format!("probe[{index}].{name}");
        let name = probe.name.get_ref();
        if !is_name(name) {
            let message = format!("probe name `{name}` must match [a-z0-9_-]+");
            return Err(cx.fail(probe.name.span(), &field("name"), message));
        }
        if probes.iter().any(|seen| &seen.name == name) {
            let message = format!("duplicate probe name `{name}`");
            return Err(cx.fail(probe.name.span(), &field("name"), message));
        }
        let set = [
            probe.command.is_some(),
            probe.sql.is_some(),
            probe.files.is_some(),
        ];
        if set.iter().filter(|&&is| is).count() != 1 {
            let message = format!("probe `{name}` must set exactly one of `command`, `sql` (with `database`) or `files`");
            return Err(cx.fail(probe.name.span(), &field("name"), message));
        }
        let source = if let Some(command) = &probe.command {
            if let Some(database) = &probe.database {
                return Err(cx.fail(
                    database.span(),
                    &field("database"),
                    "`database` goes with `sql`, not `command`",
                ));
            }
            ProbeSource::Command(cx.text(command, &field("command"))?)
        } else if let Some(sql) = &probe.sql {
            let Some(database) = &probe.database else {
                return Err(cx.fail(
                    sql.span(),
                    &field("sql"),
                    format!("probe `{name}` has `sql` but no `database = \"sqlite:PATH\"`"),
                ));
            };
            let url = database.get_ref();
            let sql = cx.text(sql, &field("sql"))?;
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                if url
                    .split_once("://")
                    .is_none_or(|(_, rest)| rest.trim().is_empty())
                {
                    let message =
                        "a postgres URL needs a host: `postgres://user@127.0.0.1:5432/db`";
                    return Err(cx.fail(database.span(), &field("database"), message));
                }
                ProbeSource::Postgres {
                    sql,
                    url: url.clone(),
                }
            } else {
                let Some(path) = url.strip_prefix("sqlite:") else {
                    let message = format!(
                        "`{url}` is neither `sqlite:PATH` nor `postgres://…` (`postgresql://…`)"
                    );
                    return Err(cx.fail(database.span(), &field("database"), message));
                };
                let path = paths::resolve(cx.dir, path).map_err(|problem| {
                    cx.fail(database.span(), &field("database"), problem.message(path))
                })?;
                ProbeSource::Sql {
                    sql,
                    database: path,
                }
            }
        } else if let Some(files) = &probe.files {
            if files.get_ref().is_empty() {
                return Err(cx.fail(files.span(), &field("files"), "`files` lists no glob"));
            }
            let list = files.get_ref();
            let compiled = globs::compile(cx.dir, list.iter().map(|g| g.get_ref().as_str()))
                .map_err(|(i, problem)| {
                    let span = list.get(i).map_or(0..0, Spanned::span);
                    cx.fail(
                        span,
                        &format!("probe[{index}].files[{i}]"),
                        problem.to_string(),
                    )
                })?;
            ProbeSource::Files(compiled)
        } else {
            unreachable!("exactly one source is set")
        };
        let expect_lines = match &probe.expect_lines {
            None => None,
            Some(lines) => Some(usize::try_from(*lines.get_ref()).map_err(|_| {
                cx.fail(
                    lines.span(),
                    &field("expect_lines"),
                    "`expect_lines` must be 0 or more",
                )
            })?),
        };
        probes.push(Probe {
            name: name.clone(),
            source,
            expect_lines,
            between_runs: probe.between_runs,
        });
    }
    Ok(probes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse, Format};

    const BASE: &str = r#"[release.deploy]
evidence_dir = "artifacts/deploy"
tag = "v{versions.cli}"

[release.deploy.versions]
cli = { command = "echo version 1.2.3", regex = 'version (\S+)' }

[[release.deploy.probe]]
name = "rows"
sql = "select * from t order by id"
database = "sqlite:state.db"
expect_lines = 2
between_runs = true

[[release.deploy.stage]]
name = "blockers"
reaches = "BLOCKERS_VERIFIED"
check = ["true"]

[[release.deploy.stage]]
name = "four"
reaches = "FOUR_RUN_PASSED"
canary = { suite = "smoke", runs = 4, evidence = "runs" }

[release.deploy.suite.smoke]
timeout = "5s"
scenario = [
  { id = 1, name = "one", command = "./s.sh 1" },
  { id = 2, name = "two", command = "./s.sh 2", timeout = "250ms" },
]
"#;

    fn releases(text: &str) -> Result<Vec<Release>, ConfigError> {
        parse(
            "stablegate.toml",
            text,
            Format::Standalone,
            &Some(String::new()),
        )
        .map(|parsed| parsed.map(|parsed| parsed.releases).unwrap_or_default())
    }

    fn error(text: &str) -> String {
        releases(text).unwrap_err().to_string()
    }

    #[test]
    fn a_full_release_is_read_with_its_defaults() {
        let release = releases(BASE).unwrap().remove(0);
        assert_eq!(release.name, "deploy");
        assert_eq!(release.location.to_string(), "stablegate.toml:1:10");
        assert_eq!(release.evidence_dir, "artifacts/deploy");
        assert_eq!(release.tag, "v{versions.cli}");
        assert_eq!(release.versions[0].name, "cli");
        assert!(
            matches!(&release.probes[0].source, ProbeSource::Sql { database, .. } if database == "state.db")
        );
        assert_eq!(release.probes[0].expect_lines, Some(2));
        let Action::Canary(canary) = &release.stages[1].action else {
            panic!("a canary")
        };
        assert_eq!((canary.runs, canary.evidence.as_str()), (4, "runs"));
        assert_eq!(canary.suite.scenarios[0].timeout, Duration::from_secs(5));
        assert_eq!(
            canary.suite.scenarios[1].timeout,
            Duration::from_millis(250)
        );
    }

    #[test]
    fn a_stage_without_action_or_with_two_is_refused() {
        let none = BASE.replace("check = [\"true\"]\n", "");
        assert_eq!(error(&none), "stablegate.toml:16:8: `release.deploy.stage[0].name`: stage `blockers` has no action; set exactly one of `check`, `canary`, `http` or `report`");
        let two = BASE.replace(
            "check = [\"true\"]\n",
            "check = [\"true\"]\ncanary = { suite = \"smoke\", runs = 1 }\n",
        );
        assert!(
            error(&two).contains("`release.deploy.stage[0].canary`: stage `blockers` sets both"),
            "{}",
            error(&two)
        );
    }

    #[test]
    fn canary_mistakes_are_located() {
        let unknown = BASE.replace("suite = \"smoke\"", "suite = \"smok\"");
        assert!(
            error(&unknown).ends_with(
                "`release.deploy.stage[1].canary.suite`: no suite named `smok` (suites: smoke)"
            ),
            "{}",
            error(&unknown)
        );
        let zero = BASE.replace("runs = 4", "runs = 0");
        assert!(error(&zero).contains(
            "`release.deploy.stage[1].canary.runs`: `runs = 0`: a canary needs at least 1 run"
        ));
        let dup = BASE.replace("id = 2", "id = 1");
        assert!(error(&dup).starts_with("stablegate.toml:29:10: `release.deploy.suite.smoke.scenario[1].id`: duplicate scenario id 1"), "{}", error(&dup));
    }

    #[test]
    fn a_reached_state_used_twice_is_refused() {
        let text = BASE.replace("FOUR_RUN_PASSED", "BLOCKERS_VERIFIED");
        assert!(error(&text).contains("`release.deploy.stage[1].reaches`: state `BLOCKERS_VERIFIED` is already reached by stage[0]"));
        let reserved = BASE.replace("FOUR_RUN_PASSED", "COMPLETE");
        assert!(error(&reserved).contains("state `COMPLETE` must match"));
    }

    #[test]
    fn a_bad_regex_and_an_unknown_tag_placeholder_are_refused() {
        let regex = BASE.replace(r"'version (\S+)'", "'version ('");
        assert!(
            error(&regex).starts_with(
                "stablegate.toml:6:49: `release.deploy.versions.cli.regex`: invalid regex"
            ),
            "{}",
            error(&regex)
        );
        let tag = BASE.replace("{versions.cli}", "{versions.api}");
        assert!(error(&tag).contains("`release.deploy.tag`: `{versions.api}` names no version"));
    }

    #[test]
    fn a_junit_suite_with_scenarios_and_unknown_database_schemes_are_refused() {
        let junit = BASE.replace(
            "timeout = \"5s\"\n",
            "timeout = \"5s\"\njunit = { command = \"pytest\" }\n",
        );
        assert!(error(&junit).contains(
            "`release.deploy.suite.smoke.junit`: suite `smoke` sets both `junit` and `scenario`"
        ));
        let junit = junit.replace(
            "command = \"pytest\"",
            "command = \"pytest\", allow_skipped = true",
        );
        assert!(error(&junit).contains("sets both `junit` and `scenario`"));
        let postgres = BASE.replace("sqlite:state.db", "postgres://u@127.0.0.1/db");
        assert!(matches!(
            &releases(&postgres).unwrap()[0].probes[0].source,
            ProbeSource::Postgres { url, .. } if url == "postgres://u@127.0.0.1/db"
        ));
        let mysql = BASE.replace("sqlite:state.db", "mysql://u@h/db");
        assert!(
            error(&mysql).contains("`mysql://u@h/db` is neither `sqlite:PATH` nor `postgres://…`")
        );
    }

    #[test]
    fn unknown_keys_and_bad_timeouts_are_located() {
        let unknown = BASE.replace("tag = ", "tagg = ");
        assert!(
            error(&unknown)
                .starts_with("stablegate.toml:3:1: `release.deploy.tagg`: unknown field `tagg`"),
            "{}",
            error(&unknown)
        );
        let timeout = BASE.replace("\"5s\"", "\"5 minutes\"");
        assert!(error(&timeout)
            .contains("`release.deploy.suite.smoke.timeout`: `5 minutes` is not a duration"));
    }

    #[test]
    fn releases_in_pyproject_are_keyed_under_tool_stablegate() {
        let text = BASE
            .replace("[release.", "[tool.stablegate.release.")
            .replace("[[release.", "[[tool.stablegate.release.");
        let parsed = parse(
            "pyproject.toml",
            &text,
            Format::Pyproject,
            &Some(String::new()),
        )
        .unwrap()
        .unwrap();
        assert_eq!(parsed.releases[0].name, "deploy");
        let zero = text.replace("runs = 4", "runs = 0");
        let err = parse(
            "pyproject.toml",
            &zero,
            Format::Pyproject,
            &Some(String::new()),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("`tool.stablegate.release.deploy.stage[1].canary.runs`"),
            "{err}"
        );
    }
}
