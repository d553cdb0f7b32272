//! A validated code gate (SPEC §3): what a `[[gate]]` table means once checked.
//!
//! [`validate`] turns one [`RawGate`] into a [`Gate`]: the name's shape,
//! exactly one finding source, paths resolved against the config file's
//! directory, globs compiled, defaults filled in. Checks that span several
//! gates (unique names) live in [`crate::parse`]. Nothing here touches the
//! file system: whether a path exists is for the command that reads it.

use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::error::{ConfigError, Location};
use crate::globs::{self, Globs};
use crate::location::SourceFile;
use crate::paths::{self, ConfigDir};
use crate::raw::{RawGate, RawTheater};

/// A code gate, ready to run.
#[derive(Debug, Clone)]
pub struct Gate {
    /// Unique, `[a-z0-9_-]+`.
    pub name: String,
    /// Where the gate's `name` is written, for messages about the gate.
    pub location: Location,
    /// Scan roots, root-relative and `/`-separated (`.` is the root). Default:
    /// the config file's directory.
    pub paths: Vec<String>,
    /// When not empty, only files matching one of these are scanned.
    pub include: Globs,
    /// Files and directories matching one of these are skipped.
    pub exclude: Globs,
    pub source: FindingSource,
    /// How long a `command` may run before it is killed with its process
    /// group (SPEC §12.2); `None`: the default of the command that runs it
    /// (10 minutes). Only a `command` gate may set it.
    pub timeout: Option<Duration>,
    /// The language of scanned files; `None`: by file extension.
    pub language: Option<String>,
    pub message: Option<String>,
    /// Root-relative path of the allowlist file, if any.
    pub allowlist: Option<String>,
    /// The allowlist key holding this gate's entries; default: the name.
    pub allowlist_key: String,
    /// An entry without `count` means exactly one live site.
    pub strict_counts: bool,
    /// The allowlist key of the baseline; default `<allowlist_key>_baseline`.
    pub baseline_key: String,
    /// The baseline keys of every gate of the configuration that reads the
    /// same allowlist file, this one's included, sorted: a `*_baseline` key
    /// of the file none of them claims and that names no list is `invalid`.
    pub file_baseline_keys: Vec<String>,
    /// Keep only findings whose rule id is listed; `None`: every finding.
    pub rules: Option<Vec<String>>,
    /// Floor and ceiling on the number of live sites (verdict `count`).
    pub min_sites: Option<u64>,
    pub max_sites: Option<u64>,
    /// The allowlist may not grow against the base branch (verdict `grown`).
    pub shrink_only: bool,
    /// The findings feed audits only (SPEC §12.2): `check` does not judge
    /// the gate itself. Such a gate has no allowlist, bounds or theater
    /// sample, and an `[[audit]]` reads it (checked in [`crate::checks`]).
    pub audit_only: bool,
    pub theater: Option<Theater>,
    pub on_parse_error: OnParseError,
}

/// Where a gate's findings come from: exactly one per gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingSource {
    /// `pattern` / `patterns`: ast-grep patterns (one or more).
    Patterns(Vec<String>),
    /// `rule_file`: an ast-grep rule YAML, root-relative.
    RuleFile(String),
    /// `command`: a shell command printing SARIF or JSON Lines findings.
    Command(String),
    /// `detector`: a shared `[[detector]]`, run at most once per process.
    Detector(crate::Detector),
    /// `sarif`: a SARIF file to read findings from, root-relative.
    Sarif(String),
}

/// The theater triad's offender sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theater {
    /// Root-relative file the sample is planted in.
    pub file: String,
    pub code: String,
}

/// What a scanned file that does not parse means for the gate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnParseError {
    /// A `parse_error` item that fails the gate.
    #[default]
    Fail,
    /// A `parse_error` item reported as a warning.
    Warn,
}

const SOURCES: &str = "`pattern`, `patterns`, `rule_file`, `command`, `detector` or `sarif`";

/// The context gates are validated in: the file, its directory, and the key
/// path of the gate array (`gate` or `tool.stablegate.gate`).
pub(crate) struct GateContext<'a> {
    pub file: &'a SourceFile,
    pub dir: &'a ConfigDir,
    pub prefix: &'a str,
    /// The `[[detector]]` tables a gate may name.
    pub detectors: &'a [crate::Detector],
}

/// Validates the `index`-th gate.
pub(crate) fn validate(
    raw: RawGate,
    index: usize,
    cx: &GateContext<'_>,
) -> Result<Gate, ConfigError> {
    let check = Checker { cx, index };
    let name = raw.name.get_ref().clone();
    if name.is_empty() || !name.bytes().all(is_name_byte) {
        let message = format!("gate name `{name}` must match [a-z0-9_-]+");
        return Err(check.fail(raw.name.span(), "name", message));
    }
    let paths = match &raw.paths {
        None => vec![paths::resolve(cx.dir, ".")
            .map_err(|problem| check.fail(raw.name.span(), "paths", problem.message(".")))?],
        Some(list) if list.get_ref().is_empty() => {
            let message =
                "lists no path; leave `paths` out to scan the configuration file's directory";
            return Err(check.fail(list.span(), "paths", message.to_owned()));
        }
        Some(list) => (list.get_ref().iter().enumerate())
            .map(|(i, value)| check.path(value, &format!("paths[{i}]")))
            .collect::<Result<_, _>>()?,
    };
    let optional = |value: &Option<Spanned<String>>, field: &str| {
        value
            .as_ref()
            .map(|value| check.text(value, field))
            .transpose()
    };
    let theater = match &raw.theater {
        Some(RawTheater { file, code }) => Some(Theater {
            file: check.path(file, "theater.file")?,
            code: check.text(code, "theater.code")?,
        }),
        None => None,
    };
    let source = finding_source(&raw, &name, &check)?;
    let timeout = match &raw.timeout {
        None => None,
        Some(value) if !matches!(source, FindingSource::Command(_)) => {
            let message = format!("`timeout` bounds a `command`; gate `{name}` runs no command");
            return Err(check.fail(value.span(), "timeout", message));
        }
        Some(value) => Some(
            crate::duration::parse(value.get_ref())
                .map_err(|err| check.fail(value.span(), "timeout", err.to_string()))?,
        ),
    };
    let allowlist = (raw.allowlist.as_ref())
        .map(|value| check.path(value, "allowlist"))
        .transpose()?;
    let allowlist_key =
        optional(&raw.allowlist_key, "allowlist_key")?.unwrap_or_else(|| name.clone());
    let bounds =
        crate::gate_bounds::validate(&raw, &name, allowlist.is_some(), &|span, field, message| {
            check.fail(span, field, message)
        })?;
    let audit_only = audit_only(&raw, &name, &check)?;
    let rules = match &raw.rules {
        None => None,
        Some(list) if list.get_ref().is_empty() => {
            let message = "lists no rule; leave `rules` out to keep every finding".to_owned();
            return Err(check.fail(list.span(), "rules", message));
        }
        Some(list) => Some(
            (list.get_ref().iter().enumerate())
                .map(|(i, value)| check.text(value, &format!("rules[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(Gate {
        location: cx.file.location(raw.name.span().start),
        paths,
        include: check.globs(&raw.include, "include")?,
        exclude: check.globs(&raw.exclude, "exclude")?,
        source,
        timeout,
        language: optional(&raw.language, "language")?,
        message: raw.message,
        allowlist,
        baseline_key: optional(&raw.baseline_key, "baseline_key")?
            .unwrap_or_else(|| format!("{allowlist_key}_baseline")),
        file_baseline_keys: Vec::new(),
        allowlist_key,
        strict_counts: raw.strict_counts,
        rules,
        min_sites: bounds.min_sites,
        max_sites: bounds.max_sites,
        shrink_only: bounds.shrink_only,
        audit_only,
        theater,
        on_parse_error: raw.on_parse_error,
        name,
    })
}

/// `audit_only`, checked against the settings that judge the gate itself:
/// an audit-only gate has no allowlist, bounds or theater sample (they would
/// never be applied), so setting one is bad input rather than a silent no-op.
fn audit_only(raw: &RawGate, name: &str, check: &Checker<'_>) -> Result<bool, ConfigError> {
    let Some(written) = raw.audit_only.as_ref().filter(|value| *value.get_ref()) else {
        return Ok(false);
    };
    let judged = [
        ("allowlist", raw.allowlist.is_some()),
        ("allowlist_key", raw.allowlist_key.is_some()),
        ("baseline_key", raw.baseline_key.is_some()),
        ("strict_counts", raw.strict_counts),
        ("min_sites", raw.min_sites.is_some()),
        ("max_sites", raw.max_sites.is_some()),
        ("shrink_only", raw.shrink_only.is_some()),
        ("theater", raw.theater.is_some()),
    ];
    if let Some((field, _)) = judged.iter().find(|(_, set)| *set) {
        let message = format!(
            "gate `{name}` is `audit_only`: `check` does not judge it, so `{field}` would never apply; \
             remove `{field}` or `audit_only`"
        );
        return Err(check.fail(written.span(), "audit_only", message));
    }
    Ok(true)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
}

/// Checks the values of one gate, naming `gate[index].field` on failure.
struct Checker<'a> {
    cx: &'a GateContext<'a>,
    index: usize,
}

impl Checker<'_> {
    fn fail(&self, span: Range<usize>, field: &str, message: String) -> ConfigError {
        let key = format!("{}[{}].{field}", self.cx.prefix, self.index);
        self.cx.file.invalid(span, &key, message)
    }

    /// A non-blank string.
    fn text(&self, value: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
        if value.get_ref().trim().is_empty() {
            Err(self.fail(value.span(), field, format!("`{field}` is empty")))
        } else {
            Ok(value.get_ref().clone())
        }
    }

    /// A path, resolved to root-relative form.
    fn path(&self, value: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
        paths::resolve(self.cx.dir, value.get_ref())
            .map_err(|problem| self.fail(value.span(), field, problem.message(value.get_ref())))
    }

    fn globs(&self, list: &[Spanned<String>], field: &str) -> Result<Globs, ConfigError> {
        globs::compile(
            self.cx.dir,
            list.iter().map(|value| value.get_ref().as_str()),
        )
        .map_err(|(i, problem)| {
            let span = list.get(i).map_or(0..0, Spanned::span);
            self.fail(span, &format!("{field}[{i}]"), problem.to_string())
        })
    }
}

/// A finding source as written, before it is checked.
enum Written<'a> {
    Pattern(&'a Spanned<String>),
    Patterns(&'a Spanned<Vec<Spanned<String>>>),
    RuleFile(&'a Spanned<String>),
    Command(&'a Spanned<String>),
    Detector(&'a Spanned<String>),
    Sarif(&'a Spanned<String>),
}

impl Written<'_> {
    fn field(&self) -> &'static str {
        match self {
            Written::Pattern(_) => "pattern",
            Written::Patterns(_) => "patterns",
            Written::RuleFile(_) => "rule_file",
            Written::Command(_) => "command",
            Written::Detector(_) => "detector",
            Written::Sarif(_) => "sarif",
        }
    }

    fn span(&self) -> Range<usize> {
        match self {
            Written::Patterns(list) => list.span(),
            Written::Pattern(value)
            | Written::RuleFile(value)
            | Written::Command(value)
            | Written::Detector(value)
            | Written::Sarif(value) => value.span(),
        }
    }
}

/// Picks the one finding source, or says why there is not exactly one.
fn finding_source(
    raw: &RawGate,
    name: &str,
    check: &Checker<'_>,
) -> Result<FindingSource, ConfigError> {
    let written: Vec<Written<'_>> = [
        raw.pattern.as_ref().map(Written::Pattern),
        raw.patterns.as_ref().map(Written::Patterns),
        raw.rule_file.as_ref().map(Written::RuleFile),
        raw.command.as_ref().map(Written::Command),
        raw.detector.as_ref().map(Written::Detector),
        raw.sarif.as_ref().map(Written::Sarif),
    ]
    .into_iter()
    .flatten()
    .collect();
    let one = match written.as_slice() {
        [] => {
            let message =
                format!("gate `{name}` has no finding source; set exactly one of {SOURCES}");
            return Err(check.fail(raw.name.span(), "name", message));
        }
        [one] => one,
        [first, second, ..] => {
            let (first, field) = (first.field(), second.field());
            let message = format!(
                "gate `{name}` sets both `{first}` and `{field}`; set exactly one of {SOURCES}"
            );
            return Err(check.fail(second.span(), field, message));
        }
    };
    match one {
        Written::Pattern(value) => Ok(FindingSource::Patterns(vec![check.text(value, "pattern")?])),
        Written::Patterns(list) if list.get_ref().is_empty() => {
            let message = "`patterns` lists no pattern".to_owned();
            Err(check.fail(list.span(), "patterns", message))
        }
        Written::Patterns(list) => (list.get_ref().iter().enumerate())
            .map(|(i, value)| check.text(value, &format!("patterns[{i}]")))
            .collect::<Result<_, _>>()
            .map(FindingSource::Patterns),
        Written::RuleFile(value) => Ok(FindingSource::RuleFile(check.path(value, "rule_file")?)),
        Written::Command(value) => Ok(FindingSource::Command(check.text(value, "command")?)),
        Written::Sarif(value) => Ok(FindingSource::Sarif(check.path(value, "sarif")?)),
        Written::Detector(value) => {
            let wanted = value.get_ref();
            match check.cx.detectors.iter().find(|d| &d.name == wanted) {
                Some(detector) => Ok(FindingSource::Detector(detector.clone())),
                None => {
                    let known: Vec<&str> =
                        check.cx.detectors.iter().map(|d| d.name.as_str()).collect();
                    let message = format!(
                        "no [[detector]] named `{wanted}` (detectors: {})",
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    );
                    Err(check.fail(value.span(), "detector", message))
                }
            }
        }
    }
}
