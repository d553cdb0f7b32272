//! What a `command` detector printed: SARIF 2.1.0 or JSON Lines, detected.
//!
//! Standard output that is one JSON object with a `runs` member is SARIF and
//! is read like a SARIF file ([`super::sarif`]). Anything else is JSON Lines
//! (format 1): one object per line, blank lines skipped,
//!
//! ```text
//! {"file": "src/a.py", "line": 12, "rule": "no-eval", "message": "…", "column": 5}
//! ```
//!
//! `file` (root-relative, or absolute inside the root) and `line` (≥ 1) are
//! required; `rule` (default: the gate's name), `message` and `column` (≥ 1,
//! in characters) are optional; other members are ignored so detectors can
//! carry more. A line that is not such an object is an error naming its
//! number and text: a detector that prints something else is broken, and
//! guessing would hide findings. A `file` outside the root is skipped with a
//! reason.

use std::path::Path;

use serde_json::{Map, Value};

use super::error::SourceError;
use super::external::{relative_to_root, External, Reported};
use super::sarif;
use crate::inputs::Skipped;

/// Reads a detector's standard output.
pub(crate) fn parse(
    root: &Path,
    gate: &str,
    command: &str,
    stdout: &[u8],
) -> Result<Reported, SourceError> {
    let fail = |at: String, problem: String| SourceError::Output {
        command: command.to_owned(),
        at,
        problem,
    };
    let text = std::str::from_utf8(stdout).map_err(|err| {
        let line = 1 + stdout[..err.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        fail(format!("line {line}"), "is not valid UTF-8".to_owned())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let label = format!("`{command}` output");
    if text.trim_start().starts_with('{') {
        if let Ok(document) = serde_json::from_str::<Value>(text) {
            if document.get("runs").is_some() {
                return sarif::parse(root, gate, &document, &label)
                    .map_err(|(at, problem)| fail(at, problem));
            }
            if text.trim().contains('\n') {
                let problem = "is a JSON document but neither SARIF (no `runs`) nor JSON Lines (one object per line)";
                return Err(fail(String::new(), problem.to_owned()));
            }
        }
    }
    let mut reported = Reported::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("line {}", index + 1);
        let record = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(record)) => record,
            Ok(_) => return Err(fail(at, format!("is not a JSON object: `{}`", clip(line)))),
            Err(err) => return Err(fail(at, format!("is not JSON ({err}): `{}`", clip(line)))),
        };
        let finding = record_finding(&record, gate).map_err(|problem| fail(at.clone(), problem))?;
        let (file, finding) = finding;
        match relative_to_root(root, Path::new(&file)) {
            Ok(file) => reported.findings.push(External {
                at: format!("{label} {at}"),
                file,
                ..finding
            }),
            Err(reason) => reported.skipped.push(Skipped {
                at: format!("{label} {at}"),
                reason: format!("file `{file}` {reason}"),
            }),
        }
    }
    Ok(reported)
}

/// The reported file and the finding of one JSON Lines record.
fn record_finding(record: &Map<String, Value>, gate: &str) -> Result<(String, External), String> {
    let file = match record.get("file") {
        Some(Value::String(file)) if !file.is_empty() => file.clone(),
        _ => return Err("has no `file` string".to_owned()),
    };
    let positive = |field: &str| match record.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n >= 1 => Ok(Some(n)),
            _ => Err(format!("`{field}` must be a positive integer, not {value}")),
        },
    };
    let text = |field: &str| match record.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(value) => Err(format!("`{field}` must be a string, not {value}")),
    };
    let line = positive("line")?.ok_or_else(|| "has no `line`".to_owned())?;
    let reported_rule = text("rule")?.filter(|rule| !rule.is_empty());
    let finding = External {
        at: String::new(),
        file: String::new(),
        line,
        column: positive("column")?.unwrap_or(0),
        end_line: None,
        rule_in_key: reported_rule.is_some(),
        rule: reported_rule.unwrap_or_else(|| gate.to_owned()),
        message: text("message")?,
    };
    Ok((file, finding))
}

/// At most 120 characters of an offending line.
fn clip(line: &str) -> String {
    match line.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Result<(String, External), String> {
        let Value::Object(map) = value else {
            unreachable!()
        };
        record_finding(&map, "gate")
    }

    #[test]
    fn a_record_needs_file_and_a_positive_line() {
        let (file, finding) = record(json!({"file": "a.py", "line": 3, "extra": true})).unwrap();
        assert_eq!(
            (file.as_str(), finding.line, finding.rule.as_str()),
            ("a.py", 3, "gate")
        );
        assert_eq!(
            record(json!({"line": 3})).unwrap_err(),
            "has no `file` string"
        );
        assert_eq!(
            record(json!({"file": "a.py"})).unwrap_err(),
            "has no `line`"
        );
        let err = record(json!({"file": "a.py", "line": 0})).unwrap_err();
        assert_eq!(err, "`line` must be a positive integer, not 0");
        let err = record(json!({"file": "a.py", "line": "3"})).unwrap_err();
        assert_eq!(err, "`line` must be a positive integer, not \"3\"");
    }

    #[test]
    fn rule_message_and_column_are_optional_but_typed() {
        let value = json!({"file": "a.py", "line": 1, "rule": "r", "message": "m", "column": 4});
        let (_, finding) = record(value).unwrap();
        assert_eq!(
            (
                finding.rule.as_str(),
                finding.message.as_deref(),
                finding.column
            ),
            ("r", Some("m"), 4)
        );
        let err = record(json!({"file": "a.py", "line": 1, "rule": 7})).unwrap_err();
        assert_eq!(err, "`rule` must be a string, not 7");
    }

    #[test]
    fn long_offending_lines_are_clipped() {
        assert_eq!(clip("short"), "short");
        let clipped = clip(&"é".repeat(200));
        assert_eq!(clipped.chars().count(), 121);
    }
}
