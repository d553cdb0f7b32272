//! HTTP preflight checks and traceability of a release stage (SPEC §10.1):
//! validation of `http = [...]` and `trace = { ... }`.
//!
//! An `http` check is a GET of a URL that must answer `status` within
//! `timeout`, and whose JSON body must satisfy every assertion of `json`,
//! keyed by JSON pointer (RFC 6901). An assertion's value is compared by
//! equality, except a string that starts with a comparison operator: a
//! number after the operator makes a numeric comparison (`"<= 3"`),
//! anything else a semver range (`">=5.1.0"`, `">=5, <6"`). A literal
//! string that starts with an operator is written `{ equals = "..." }`.
//! Everything is checked here so that a bad URL, pointer or range is a
//! configuration error (exit 2), never a failed stage. Running the checks
//! is the release crate's job.

use std::collections::BTreeMap;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use serde_spanned::Spanned;

use crate::error::ConfigError;
use crate::release::Cx;

/// The timeout of an HTTP check that sets none.
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// One `http = [{ url, status, json, timeout }]` entry, as read: a GET
/// that must answer `status` with a JSON body satisfying `json`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHttp {
    /// `http://host[:port]/path`.
    #[schemars(with = "String")]
    pub url: Spanned<String>,
    /// The expected HTTP status (default 200).
    #[schemars(with = "Option<i64>")]
    pub status: Option<Spanned<i64>>,
    /// JSON pointer → expected value: equal, or a string starting with a
    /// comparison (`"<= 3"`, `">=5.1.0"`), or `{ equals = "..." }`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub json: BTreeMap<Spanned<String>, Spanned<Value>>,
    /// `500ms`, `30s`, `10m`, `2h` (default 10s).
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Spanned<String>>,
}

/// `trace = { repo, commit, at_or_after }`, as read: the installed build's
/// commit must be at or after a commit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrace {
    /// The git repository (relative to the configuration's directory).
    #[schemars(with = "String")]
    pub repo: Spanned<String>,
    /// The installed build's revision, usually `{versions.NAME}`.
    #[schemars(with = "String")]
    pub commit: Spanned<String>,
    /// The revision `commit` must descend from.
    #[schemars(with = "String")]
    pub at_or_after: Spanned<String>,
}

/// A validated HTTP check.
#[derive(Debug, Clone)]
pub struct HttpCheck {
    /// `http://host[:port]/path` (no TLS in this build).
    pub url: String,
    pub status: u16,
    /// Pointer → expectation, in pointer order.
    pub json: Vec<(String, Expect)>,
    pub timeout: Duration,
}

/// What a JSON value must be.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Equal (numbers compare by value: `0` equals `0.0`).
    Equals(Value),
    /// A number compared with `op` (`<`, `<=`, `>`, `>=`, `=`, `==`, `!=`).
    Number { op: String, value: f64 },
    /// A string holding a semantic version (a leading `v` allowed) that the
    /// range matches.
    Semver(semver::VersionReq),
}

impl Expect {
    /// How the expectation reads in a message.
    pub fn describe(&self) -> String {
        match self {
            Expect::Equals(value) => value.to_string(),
            Expect::Number { op, value } => format!("{op} {value}"),
            Expect::Semver(range) => format!("a version matching {range}"),
        }
    }
}

/// `trace`: the installed build's commit must be at or after a commit.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The repository, as written (relative to the configuration's
    /// directory; it may lie outside the root: it is only read).
    pub repo: String,
    /// A revision, usually `{versions.NAME}`; rendered when the stage runs.
    pub commit: String,
    /// A revision (`{versions.NAME}` allowed).
    pub at_or_after: String,
}

const OPERATORS: [&str; 7] = [">=", "<=", "==", "!=", ">", "<", "="];

pub(crate) fn http(
    cx: &Cx<'_>,
    field: &str,
    raw: &[RawHttp],
) -> Result<Vec<HttpCheck>, ConfigError> {
    let mut checks = Vec::new();
    for (index, check) in raw.iter().enumerate() {
        let field = |part: &str| format!("{field}[{index}].{part}");
        let url = check.url.get_ref();
        url_problem(url).map_or(Ok(()), |problem| {
            Err(cx.fail(
                check.url.span(),
                &field("url"),
                format!("`{url}` {problem}"),
            ))
        })?;
        let status = match &check.status {
            None => 200,
            Some(status) => u16::try_from(*status.get_ref())
                .ok()
                .filter(|code| (100..=599).contains(code))
                .ok_or_else(|| {
                    let message = format!(
                        "status {} is not an HTTP status (100-599)",
                        status.get_ref()
                    );
                    cx.fail(status.span(), &field("status"), message)
                })?,
        };
        let timeout = match &check.timeout {
            None => DEFAULT_HTTP_TIMEOUT,
            Some(value) => crate::duration::parse(value.get_ref())
                .map_err(|err| cx.fail(value.span(), &field("timeout"), err.to_string()))?,
        };
        let mut json = Vec::new();
        for (pointer, expected) in &check.json {
            let at = field(&format!("json.\"{}\"", pointer.get_ref()));
            if let Some(problem) = pointer_problem(pointer.get_ref()) {
                let message = format!("`{}` is not a JSON pointer: {problem}", pointer.get_ref());
                return Err(cx.fail(pointer.span(), &at, message));
            }
            let expect = expectation(expected.get_ref())
                .map_err(|message| cx.fail(expected.span(), &at, message))?;
            json.push((pointer.get_ref().clone(), expect));
        }
        checks.push(HttpCheck {
            url: url.clone(),
            status,
            json,
            timeout,
        });
    }
    Ok(checks)
}

pub(crate) fn trace(cx: &Cx<'_>, field: &str, raw: &RawTrace) -> Result<Trace, ConfigError> {
    Ok(Trace {
        repo: cx.text(&raw.repo, &format!("{field}.repo"))?,
        commit: cx.text(&raw.commit, &format!("{field}.commit"))?,
        at_or_after: cx.text(&raw.at_or_after, &format!("{field}.at_or_after"))?,
    })
}

fn url_problem(url: &str) -> Option<&'static str> {
    if url.starts_with("https://") {
        return Some("uses https, which this build does not speak (no TLS): use an http:// URL");
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Some("is not an http:// URL");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, port)| {
            if port.parse::<u16>().is_ok() {
                host
            } else {
                ""
            }
        });
    if host.is_empty() || authority.contains('@') {
        return Some("has no host (or a bad port, or user information)");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("holds whitespace or a control character");
    }
    None
}

fn pointer_problem(pointer: &str) -> Option<&'static str> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Some("it must be empty or start with `/`");
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Some("`~` must be followed by 0 or 1");
        }
    }
    None
}

fn expectation(value: &Value) -> Result<Expect, String> {
    if let Some(table) = value.as_object() {
        return match (table.len(), table.get("equals")) {
            (1, Some(literal)) => Ok(Expect::Equals(literal.clone())),
            _ => Err("a table here must be exactly `{ equals = VALUE }`".to_owned()),
        };
    }
    let Some(text) = value.as_str() else {
        return Ok(Expect::Equals(value.clone()));
    };
    let text = text.trim();
    if !text.starts_with(['<', '>', '=', '!', '~', '^']) {
        return Ok(Expect::Equals(value.clone()));
    }
    if let Some(op) = OPERATORS.iter().find(|op| text.starts_with(**op)) {
        if let Ok(number) = text[op.len()..].trim().parse::<f64>() {
            return Ok(Expect::Number {
                op: (*op).to_owned(),
                value: number,
            });
        }
    }
    semver::VersionReq::parse(text)
        .map(Expect::Semver)
        .map_err(|err| {
            format!("`{text}` is neither a numeric comparison (`>= 3`) nor a semver range (`>=5.1.0`): {err}; write `{{ equals = \"{text}\" }}` to compare the string itself")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_without_host_or_scheme_are_refused() {
        assert_eq!(url_problem("http://127.0.0.1:8000/health/"), None);
        assert!(url_problem("127.0.0.1:8000").is_some());
        assert!(url_problem("http:///x").is_some());
        assert!(url_problem("http://h:99999/").is_some());
        assert!(url_problem("https://h/").unwrap().contains("no TLS"));
    }

    #[test]
    fn pointers_must_start_with_a_slash_and_escape_tildes() {
        assert_eq!(pointer_problem("/a~1b/0"), None);
        assert_eq!(pointer_problem(""), None);
        assert!(pointer_problem("a").is_some());
        assert!(pointer_problem("/a~2").is_some());
    }

    #[test]
    #[expect(
        clippy::float_cmp,
        reason = "the parsed value is exactly the one written"
    )]
    fn operators_make_numeric_or_semver_comparisons_and_the_rest_equality() {
        assert!(
            matches!(expectation(&"<= 3".into()), Ok(Expect::Number { op, value }) if op == "<=" && value == 3.0)
        );
        assert!(matches!(
            expectation(&">=5.1.0".into()),
            Ok(Expect::Semver(_))
        ));
        assert!(matches!(expectation(&"ok".into()), Ok(Expect::Equals(_))));
        assert!(matches!(expectation(&0.into()), Ok(Expect::Equals(_))));
        let literal = serde_json::json!({"equals": ">=x"});
        assert!(
            matches!(expectation(&literal), Ok(Expect::Equals(Value::String(s))) if s == ">=x")
        );
        assert!(expectation(&">=five".into())
            .unwrap_err()
            .contains("semver range"));
    }
}
