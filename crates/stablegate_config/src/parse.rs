//! From the text of a configuration file to validated gates.
//!
//! Two steps, each failing with a located error: TOML syntax
//! ([`toml_edit::ImDocument`] keeps the spans), then serde into the
//! [`crate::raw`] types and the validation of gates, audits, markers,
//! freshness and scope checks, and releases. Keys of the SPEC this version
//! does not implement (release `http`, `trace`, …) are rejected by their
//! validators, never ignored. Finding and reading the
//! file is [`crate::discover`]'s job.

use std::collections::HashMap;

use toml_edit::ImDocument;

use crate::checks::{self, RawChecks};
use crate::error::ConfigError;
use crate::gate::{self, Gate, GateContext};
use crate::location::{push_key, SourceFile};
use crate::paths::ConfigDir;
use crate::raw::{RawConfig, RawPyproject};

/// Which file format the text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `stablegate.toml`: the whole file is ours.
    Standalone,
    /// `pyproject.toml`: only `[tool.stablegate]` is ours.
    Pyproject,
}

/// What a configuration file holds once validated.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub detectors: Vec<crate::Detector>,
    pub base: Option<String>,
    pub gates: Vec<Gate>,
    pub checks: crate::checks::Checks,
    pub releases: Vec<crate::release::Release>,
}

impl Parsed {
    /// Whether the file configures nothing at all (empty, or only comments):
    /// such a configuration is refused rather than passing vacuously.
    pub fn is_empty(&self) -> bool {
        let checks = &self.checks;
        self.gates.is_empty()
            && checks.audits.is_empty()
            && checks.markers.is_empty()
            && checks.fresh.is_empty()
            && checks.scopes.is_empty()
            && self.releases.is_empty()
    }
}

/// Parses and validates one configuration file. `Ok(None)`: a
/// `pyproject.toml` without `[tool.stablegate]`.
pub(crate) fn parse(
    display: &str,
    text: &str,
    format: Format,
    dir: &ConfigDir,
) -> Result<Option<Parsed>, ConfigError> {
    let document = ImDocument::parse(text.to_owned()).map_err(|err| ConfigError::Syntax {
        at: crate::location::location_in(display, text, err.span().map_or(0, |s| s.start)),
        message: one_line(err.message()),
    })?;
    let file = SourceFile {
        display: display.to_owned(),
        document,
    };
    let prefix = match format {
        Format::Standalone => "",
        Format::Pyproject => "tool.stablegate",
    };
    let raw = match format {
        Format::Standalone => Some(deserialize::<RawConfig>(&file)?),
        Format::Pyproject => deserialize::<RawPyproject>(&file)?
            .tool
            .and_then(|tool| tool.stablegate),
    };
    let Some(raw) = raw else {
        return Ok(None);
    };
    let detectors = crate::detector::validate_all(raw.detector, &file, dir, prefix)?;
    let base = match raw.check.and_then(|check| check.base) {
        Some(base) if base.get_ref().trim().is_empty() => {
            let mut key = prefix.to_owned();
            push_key(&mut key, "check");
            push_key(&mut key, "base");
            return Err(file.invalid(base.span(), &key, "`base` is empty".to_owned()));
        }
        Some(base) => Some(base.into_inner()),
        None => None,
    };
    let mut gate_prefix = prefix.to_owned();
    push_key(&mut gate_prefix, "gate");
    let cx = GateContext {
        file: &file,
        dir,
        prefix: &gate_prefix,
        detectors: &detectors,
    };
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut gates = Vec::with_capacity(raw.gate.len());
    for (index, raw_gate) in raw.gate.into_iter().enumerate() {
        let span = raw_gate.name.span();
        let gate = gate::validate(raw_gate, index, &cx)?;
        if let Some(line) = first_line.get(&gate.name) {
            let key = format!("{gate_prefix}[{index}].name");
            let message = format!(
                "duplicate gate name `{}`; first defined at line {line}",
                gate.name
            );
            return Err(file.invalid(span, &key, message));
        }
        first_line.insert(gate.name.clone(), gate.location.line);
        gates.push(gate);
    }
    claim_baseline_keys(&mut gates);
    let raw_checks = RawChecks {
        audit: raw.audit,
        marker: raw.marker,
        fresh: raw.fresh,
        scope: raw.scope,
    };
    let checks = checks::validate(raw_checks, &file, dir, prefix, &gates)?;
    let mut release_prefix = prefix.to_owned();
    push_key(&mut release_prefix, "release");
    let releases = crate::release::validate_all(&file, dir, &release_prefix, raw.release)?;
    Ok(Some(Parsed {
        detectors,
        base,
        gates,
        checks,
        releases,
    }))
}

/// Fills each gate's `file_baseline_keys`: the baseline keys of all gates
/// reading the same allowlist file.
fn claim_baseline_keys(gates: &mut [Gate]) {
    let mut by_file: HashMap<String, Vec<String>> = HashMap::new();
    for gate in gates.iter() {
        if let Some(file) = &gate.allowlist {
            by_file
                .entry(file.clone())
                .or_default()
                .push(gate.baseline_key.clone());
        }
    }
    for keys in by_file.values_mut() {
        keys.sort();
        keys.dedup();
    }
    for gate in gates.iter_mut() {
        if let Some(keys) = gate.allowlist.as_ref().and_then(|file| by_file.get(file)) {
            gate.file_baseline_keys = keys.clone();
        }
    }
}

fn deserialize<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T, ConfigError> {
    toml_edit::de::from_document(file.document.clone()).map_err(|err| {
        let offset = err.span().map_or(0, |span| span.start);
        let key = file.key_at(offset);
        let key = if key.is_empty() {
            "(top level)".to_owned()
        } else {
            key
        };
        ConfigError::Invalid {
            at: file.location(offset),
            message: one_line(err.message()),
            key,
        }
    })
}

fn one_line(message: &str) -> String {
    message.trim().replace('\n', "; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gates(text: &str) -> Result<Vec<Gate>, ConfigError> {
        parse(
            "stablegate.toml",
            text,
            Format::Standalone,
            &Some(String::new()),
        )
        .map(|parsed| parsed.map(|parsed| parsed.gates).unwrap_or_default())
    }

    fn error(text: &str) -> String {
        gates(text).unwrap_err().to_string()
    }

    const GATE: &str = "[[gate]]\nname = \"a\"\npattern = \"json.load($F)\"\n";

    #[test]
    fn a_minimal_gate_gets_the_documented_defaults() {
        let gate = gates(GATE).unwrap().remove(0);
        assert_eq!(gate.name, "a");
        assert_eq!(gate.paths, ["."]);
        assert!(gate.include.is_empty() && gate.exclude.is_empty());
        assert_eq!(
            gate.source,
            crate::FindingSource::Patterns(vec!["json.load($F)".into()])
        );
        assert_eq!(gate.allowlist_key, "a");
        assert!(!gate.strict_counts);
        assert_eq!(gate.on_parse_error, crate::OnParseError::Fail);
        assert_eq!(gate.location.to_string(), "stablegate.toml:2:8");
    }

    #[test]
    fn every_field_is_read_and_paths_resolve() {
        let text = r#"
[[gate]]
name = "inline_meta_read"
paths = ["src", "./lib/"]
include = ["*.py"]
exclude = ["src/pkg/mission_metadata.py"]
patterns = ["json.load($F)", "json.loads($F)"]
language = "python"
message = "read meta.json through load_meta()"
allowlist = "tests/allow.yaml"
allowlist_key = "meta"
strict_counts = true
theater = { file = "src/x.py", code = "json.load(f)" }
on_parse_error = "warn"
"#;
        let gate = gates(text).unwrap().remove(0);
        assert_eq!(gate.paths, ["src", "lib"]);
        assert!(gate.include.is_match("src/a.py"));
        assert!(gate.exclude.is_match("src/pkg/mission_metadata.py"));
        assert_eq!(gate.language.as_deref(), Some("python"));
        assert_eq!(gate.allowlist.as_deref(), Some("tests/allow.yaml"));
        assert_eq!(gate.allowlist_key, "meta");
        assert!(gate.strict_counts);
        assert_eq!(gate.theater.unwrap().file, "src/x.py");
        assert_eq!(gate.on_parse_error, crate::OnParseError::Warn);
    }

    #[test]
    fn an_empty_file_has_no_gates() {
        assert!(gates("").unwrap().is_empty());
    }

    #[test]
    fn two_finding_sources_are_rejected_at_the_second() {
        let text = format!("{GATE}command = \"python tools/sinks.py\"\n");
        assert_eq!(
            error(&text),
            "stablegate.toml:4:11: `gate[0].command`: gate `a` sets both `pattern` and \
             `command`; set exactly one of `pattern`, `patterns`, `rule_file`, `command`, `detector` or `sarif`"
        );
    }

    #[test]
    fn a_gate_without_finding_source_is_rejected_at_its_name() {
        assert_eq!(
            error("[[gate]]\nname = \"a\"\n"),
            "stablegate.toml:2:8: `gate[0].name`: gate `a` has no finding source; set exactly \
             one of `pattern`, `patterns`, `rule_file`, `command`, `detector` or `sarif`"
        );
    }

    #[test]
    fn duplicate_gate_names_point_at_the_second() {
        let text = format!("{GATE}\n{GATE}");
        assert_eq!(
            error(&text),
            "stablegate.toml:6:8: `gate[1].name`: duplicate gate name `a`; first defined at line 2"
        );
    }

    #[test]
    fn a_name_outside_the_alphabet_is_rejected() {
        let text = GATE.replace("\"a\"", "\"Inline Meta\"");
        assert_eq!(
            error(&text),
            "stablegate.toml:2:8: `gate[0].name`: gate name `Inline Meta` must match [a-z0-9_-]+"
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let text = format!("{GATE}patern = \"x\"\n");
        let message = error(&text);
        assert!(
            message.starts_with("stablegate.toml:4:1: `gate[0].patern`: unknown field `patern`"),
            "{message}"
        );
        assert!(error("bogus = 1\n").starts_with("stablegate.toml:1:1: `bogus`: unknown field"));
        let theater = format!("{GATE}theater = {{ file = \"x.py\", code = \"y\", extra = 1 }}\n");
        assert!(error(&theater).starts_with("stablegate.toml:4:40: `gate[0].theater.extra`"));
    }

    #[test]
    fn a_bad_glob_names_its_index() {
        let text = format!("{GATE}exclude = [\"ok.py\", \"src/[x\"]\n");
        let message = error(&text);
        assert!(
            message
                .starts_with("stablegate.toml:4:21: `gate[0].exclude[1]`: invalid glob `src/[x`"),
            "{message}"
        );
    }

    #[test]
    fn paths_may_not_leave_the_root() {
        let text = format!("{GATE}paths = [\"src\", \"../elsewhere\"]\n");
        assert_eq!(
            error(&text),
            "stablegate.toml:4:17: `gate[0].paths[1]`: `../elsewhere` resolves outside the project root"
        );
        let empty = format!("{GATE}paths = []\n");
        assert!(error(&empty).contains("`gate[0].paths`: lists no path"));
    }

    #[test]
    fn empty_sources_are_rejected() {
        let text = "[[gate]]\nname = \"a\"\npatterns = []\n";
        assert!(error(text)
            .starts_with("stablegate.toml:3:12: `gate[0].patterns`: `patterns` lists no pattern"));
        let text = "[[gate]]\nname = \"a\"\ncommand = \" \"\n";
        assert!(
            error(text).starts_with("stablegate.toml:3:11: `gate[0].command`: `command` is empty")
        );
    }

    #[test]
    fn wrong_types_and_values_name_the_key() {
        assert_eq!(
            error("[[gate]]\nname = 3\n"),
            "stablegate.toml:2:8: `gate[0].name`: invalid type: integer `3`, expected a string"
        );
        let text = format!("{GATE}on_parse_error = \"maybe\"\n");
        assert_eq!(
            error(&text),
            "stablegate.toml:4:18: `gate[0].on_parse_error`: unknown variant `maybe`, expected `fail` or `warn`"
        );
        assert!(error("[[gate]]\npattern = \"x\"\n")
            .starts_with("stablegate.toml:1:1: `gate[0]`: missing field `name`"));
    }

    #[test]
    fn syntax_errors_are_located() {
        assert_eq!(
            error("[[gate]]\nname = \"a\n"),
            "stablegate.toml:2:10: invalid TOML: invalid basic string"
        );
    }

    #[test]
    fn pyproject_keys_are_under_tool_stablegate_and_other_tools_are_ignored() {
        let text = "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 1\n\n[[tool.stablegate.gate]]\nname = \"a\"\npattern = \"x\"\nbogus = 1\n";
        let err = parse(
            "pyproject.toml",
            text,
            Format::Pyproject,
            &Some(String::new()),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("pyproject.toml:9:1: `tool.stablegate.gate[0].bogus`: unknown field"),
            "{err}"
        );
        let none = parse("pyproject.toml", "[tool.ruff]\n", Format::Pyproject, &None).unwrap();
        assert!(none.is_none());
        let release = "[tool.stablegate.release.x]\nevidence_dir = 1\n";
        let err = parse("pyproject.toml", release, Format::Pyproject, &None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("pyproject.toml:2:16: `tool.stablegate.release.x.evidence_dir`"),
            "{err}"
        );
    }
}
