//! `sarif` gates (and SARIF printed by a `command`): results read from a
//! SARIF 2.1.0 log.
//!
//! Every `runs[].results[]` entry is a finding unless SARIF says it is not
//! one: `kind` `pass`, `notApplicable` or `informational`, or
//! `baselineState: absent` (a result that is gone). Producer suppressions are
//! not honoured: accepting a site is the allowlist's job. A finding takes
//!
//! - `rule`: `ruleId`, else `rule.id`, else the id at `rule.index` /
//!   `ruleIndex` in the driver's `rules`, else the gate's name;
//! - `message`: `message.text`;
//! - the file: the first location's `physicalLocation.artifactLocation`
//!   (`uri` and `uriBaseId`, or `index` into `run.artifacts`), resolved by
//!   [`super::uri`];
//! - the place: `region.startLine` (required), `startColumn`, `endLine`.
//!
//! A result without a location, without `region.startLine`, or whose file
//! lies outside the root or is not a local file is skipped with the reason
//! ([`Skipped`]): it names no line of this project that could be keyed, and
//! the gate reports it as a `parse_error` (SPEC §12.6). A
//! document that is not SARIF 2.1.0 — no `runs` array, another `version`, a
//! run without `results` (SARIF's "the tool did not run to completion"), a
//! member of the wrong type — is an error naming the place.

use std::path::Path;

use serde_json::{Map, Value};

use super::error::{at, SourceError};
use super::external::{External, Reported};
use super::uri;
use crate::inputs::Skipped;

type Problem = (String, String);

/// Reads the SARIF file at root-relative `file`.
pub(crate) fn read(root: &Path, gate: &str, file: &str) -> Result<Reported, SourceError> {
    let fail = |place: String, problem: String| SourceError::Sarif {
        file: file.to_owned(),
        at: at(place),
        problem,
    };
    // Inside the root, not through a symlink leading out of it, a regular
    // file of a bounded size (SPEC §12.6).
    let bytes = stablegate_io::read::file_in_root(root, file, stablegate_io::read::REPORT_LIMIT)
        .map_err(|err| fail(String::new(), format!("cannot read the SARIF file: {err}")))?;
    from_bytes(root, gate, file, &bytes)
}

/// Reads the content of the SARIF file at root-relative `file`.
pub(crate) fn from_bytes(
    root: &Path,
    gate: &str,
    file: &str,
    bytes: &[u8],
) -> Result<Reported, SourceError> {
    let fail = |place: String, problem: String| SourceError::Sarif {
        file: file.to_owned(),
        at: at(place),
        problem,
    };
    let document: Value = serde_json::from_slice(bytes).map_err(|err| {
        fail(
            String::new(),
            format!("is not SARIF: not a JSON document ({err})"),
        )
    })?;
    parse(root, gate, &document, file).map_err(|(place, problem)| fail(place, problem))
}

/// Reads a SARIF document; `label` names it in skipped results.
pub(crate) fn parse(
    root: &Path,
    gate: &str,
    document: &Value,
    label: &str,
) -> Result<Reported, Problem> {
    let fail = |place: &str, problem: &str| Err((place.to_owned(), problem.to_owned()));
    let Value::Object(log) = document else {
        return fail("", "is not SARIF: the document is not a JSON object");
    };
    match log.get("version") {
        None => {}
        Some(Value::String(version)) if version == "2.1.0" => {}
        Some(version) => {
            return Err((
                "version".into(),
                format!("is {version}; only SARIF 2.1.0 is read"),
            ))
        }
    }
    let Some(Value::Array(runs)) = log.get("runs") else {
        return fail("", "is not SARIF: it has no `runs` array");
    };
    let mut reported = Reported::default();
    for (r, run) in runs.iter().enumerate() {
        let place = format!("runs[{r}]");
        let Value::Object(run) = run else {
            return Err((place, "is not an object".into()));
        };
        let results = match run.get("results") {
            Some(Value::Array(results)) => results,
            None | Some(Value::Null) => {
                return Err((
                    place,
                    "has no `results`: the tool did not run to completion".into(),
                ))
            }
            Some(_) => return Err((format!("{place}.results"), "is not an array".into())),
        };
        for (i, result) in results.iter().enumerate() {
            let place = format!("{place}.results[{i}]");
            match result_finding(root, gate, run, result, &place)? {
                Outcome::Finding(finding) => reported.findings.push(External {
                    at: format!("{label}: {place}"),
                    ..finding
                }),
                Outcome::Skipped(reason) => reported.skipped.push(Skipped {
                    at: format!("{label}: {place}"),
                    reason,
                }),
                Outcome::NotAFinding => {}
            }
        }
    }
    Ok(reported)
}

enum Outcome {
    Finding(External),
    Skipped(String),
    NotAFinding,
}

fn result_finding(
    root: &Path,
    gate: &str,
    run: &Map<String, Value>,
    result: &Value,
    place: &str,
) -> Result<Outcome, Problem> {
    let Value::Object(result) = result else {
        return Err((place.to_owned(), "is not an object".into()));
    };
    let get = |path: &str| lookup(result, path);
    let text = |path: &str| match get(path) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.as_str())),
        Some(_) => Err((format!("{place}.{path}"), "is not a string".to_owned())),
    };
    if matches!(
        text("kind")?,
        Some("pass" | "notApplicable" | "informational")
    ) || text("baselineState")? == Some("absent")
    {
        return Ok(Outcome::NotAFinding);
    }
    let rule_index = get("rule.index")
        .or_else(|| get("ruleIndex"))
        .and_then(Value::as_u64);
    let indexed_rule = rule_index.and_then(|index| {
        let rules = lookup(run, "tool.driver.rules")?.as_array()?;
        rules.get(usize::try_from(index).ok()?)?.get("id")?.as_str()
    });
    let reported_rule =
        (text("ruleId")?.or(text("rule.id")?).or(indexed_rule)).filter(|rule| !rule.is_empty());
    let rule_in_key = reported_rule.is_some();
    let rule = reported_rule.unwrap_or(gate).to_owned();
    let message = text("message.text")?.map(str::to_owned);
    let Some(location) = get("locations.0.physicalLocation") else {
        return Ok(Outcome::Skipped("has no physical location".into()));
    };
    let mut artifact = location.get("artifactLocation");
    if artifact.and_then(|a| a.get("uri")).is_none() {
        let index = artifact
            .and_then(|a| a.get("index"))
            .and_then(Value::as_u64);
        let indexed = index.and_then(|index| lookup(run, &format!("artifacts.{index}.location")));
        artifact = indexed.or(artifact);
    }
    let Some(uri) = artifact.and_then(|a| a.get("uri")).and_then(Value::as_str) else {
        return Ok(Outcome::Skipped(
            "its location has no `artifactLocation.uri`".into(),
        ));
    };
    let base_id = artifact
        .and_then(|a| a.get("uriBaseId"))
        .and_then(Value::as_str);
    let bases = run.get("originalUriBaseIds").and_then(Value::as_object);
    let file = match uri::resolve(root, uri, base_id, bases) {
        Ok(file) => file,
        Err(reason) => return Ok(Outcome::Skipped(format!("file {reason}"))),
    };
    let region = format!("{place}.locations[0].physicalLocation.region");
    let positive = |field: &str| match location.get("region").and_then(|r| r.get(field)) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n >= 1 => Ok(Some(n)),
            _ => Err((
                format!("{region}.{field}"),
                format!("must be a positive integer, not {value}"),
            )),
        },
    };
    let Some(line) = positive("startLine")? else {
        return Ok(Outcome::Skipped("its region has no `startLine`".into()));
    };
    Ok(Outcome::Finding(External {
        at: String::new(),
        file,
        line,
        column: positive("startColumn")?.unwrap_or(0),
        end_line: positive("endLine")?,
        rule,
        rule_in_key,
        message,
    }))
}

/// The value at a dotted path (`locations.0.physicalLocation`), numbers
/// indexing arrays.
fn lookup<'a>(object: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut value = object.get(parts.next()?)?;
    for part in parts {
        value = match value {
            Value::Object(map) => map.get(part)?,
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_walks_objects_and_arrays() {
        let value = json!({"a": [{"b": 1}, {"b": 2}]});
        let map = value.as_object().unwrap();
        assert_eq!(lookup(map, "a.1.b"), Some(&json!(2)));
        assert_eq!(lookup(map, "a.2.b"), None);
        assert_eq!(lookup(map, "a.x"), None);
    }
}
