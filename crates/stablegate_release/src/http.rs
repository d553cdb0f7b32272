//! An `http` stage (SPEC §10.1): GET requests whose status and JSON body
//! must match, in order; the first that does not stops the stage.
//!
//! Every response (status, headers, body) is kept with the verdict of each
//! assertion in `probes/http/<stage>/<i>.json`, also when the request
//! failed (then with the error instead of a response). A timeout, a refused
//! connection, a status other than the expected one, a body that is not
//! JSON, an absent pointer and a value that does not match are all the
//! stage's failure reason, never the tool's: the configuration was checked
//! when it was loaded. Requests go straight to the host (no proxy) with one
//! overall timeout each; bodies are read up to 16 MiB.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use stablegate_config::{Expect, HttpCheck};

use crate::error::ReleaseError;
use crate::files;
use crate::progress::Event;
use crate::stage::{AttemptCx, StageEnd};

const BODY_LIMIT: u64 = 16 * 1024 * 1024;

/// `probes/http/<stage>/<i>.json`.
#[derive(Debug, Serialize)]
struct Snapshot<'a> {
    url: &'a str,
    expected_status: u16,
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body: Option<String>,
    error: Option<String>,
    assertions: Vec<Assertion>,
    passed: bool,
    duration_ms: u128,
}

/// One JSON assertion's verdict.
#[derive(Debug, Serialize)]
struct Assertion {
    pointer: String,
    expected: String,
    actual: Option<Value>,
    passed: bool,
}

/// Runs the stage's checks.
pub fn run(
    cx: &mut AttemptCx<'_>,
    stage: &str,
    checks: &[HttpCheck],
) -> Result<StageEnd, ReleaseError> {
    for (index, check) in checks.iter().enumerate() {
        let started = Instant::now();
        let (snapshot, failure) = probe(check);
        let snapshot = Snapshot {
            duration_ms: started.elapsed().as_millis(),
            ..snapshot
        };
        let path = (cx.dir.join("probes/http").join(stage)).join(format!("{}.json", index + 1));
        files::write_new(&path, &files::json(&path, &snapshot)?)?;
        cx.observer.event(Event::CheckEnded {
            stage,
            command: &format!("GET {}", check.url),
            passed: failure.is_none(),
            took: started.elapsed(),
        });
        if let Some(reason) = failure {
            return Ok(StageEnd::stopped(format!(
                "http GET {}: {reason}",
                check.url
            )));
        }
    }
    Ok(StageEnd::Passed)
}

/// The snapshot of one check, and why it failed (`None`: it passed).
fn probe(check: &HttpCheck) -> (Snapshot<'_>, Option<String>) {
    let mut snapshot = Snapshot {
        url: &check.url,
        expected_status: check.status,
        status: None,
        headers: Vec::new(),
        body: None,
        error: None,
        assertions: Vec::new(),
        passed: false,
        duration_ms: 0,
    };
    let (status, headers, body) = match get(&check.url, check.timeout) {
        Ok(response) => response,
        Err(message) => {
            snapshot.error = Some(message.clone());
            return (snapshot, Some(message));
        }
    };
    snapshot.status = Some(status);
    snapshot.headers = headers;
    snapshot.body = Some(String::from_utf8_lossy(&body).into_owned());
    if status != check.status {
        return (
            snapshot,
            Some(format!("status {status}, expected {}", check.status)),
        );
    }
    if check.json.is_empty() {
        snapshot.passed = true;
        return (snapshot, None);
    }
    let document: Value = match serde_json::from_slice(&body) {
        Ok(document) => document,
        Err(err) => return (snapshot, Some(format!("the body is not JSON: {err}"))),
    };
    let mut failure = None;
    for (pointer, expect) in &check.json {
        let actual = document.pointer(pointer);
        let verdict = judge(actual, expect);
        if let (Err(problem), None) = (&verdict, &failure) {
            failure = Some(format!("`{pointer}` {problem}"));
        }
        snapshot.assertions.push(Assertion {
            pointer: pointer.clone(),
            expected: expect.describe(),
            actual: actual.cloned(),
            passed: verdict.is_ok(),
        });
    }
    snapshot.passed = failure.is_none();
    (snapshot, failure)
}

type Response = (u16, Vec<(String, String)>, Vec<u8>);

fn get(url: &str, timeout: Duration) -> Result<Response, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    let shown = |err: ureq::Error| match err {
        ureq::Error::Timeout(_) => format!("no complete response within {}", show(timeout)),
        ureq::Error::Io(err) if err.kind() == std::io::ErrorKind::TimedOut => {
            format!("no complete response within {}", show(timeout))
        }
        ureq::Error::Io(err) => format!("connection failed: {err}"),
        ureq::Error::HostNotFound => "connection failed: host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        other => format!("request failed: {other}"),
    };
    let mut response = agent.get(url).call().map_err(shown)?;
    let status = response.status().as_u16();
    let headers = (response.headers().iter())
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let body = (response.body_mut().with_config())
        .limit(BODY_LIMIT)
        .read_to_vec()
        .map_err(shown)?;
    Ok((status, headers, body))
}

fn show(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

/// Whether `actual` meets `expect`; the error reads after the pointer.
#[expect(
    clippy::float_cmp,
    reason = "`equals` and the numeric operators compare the numbers as written, exactly (docs/release.md)"
)]
fn judge(actual: Option<&Value>, expect: &Expect) -> Result<(), String> {
    let Some(actual) = actual else {
        return Err("is absent from the body".to_owned());
    };
    let mismatch = || Err(format!("is {actual}, expected {}", expect.describe()));
    match expect {
        Expect::Equals(expected) => {
            let same = match (actual.as_f64(), expected.as_f64()) {
                (Some(a), Some(b)) => a == b,
                _ => actual == expected,
            };
            if same {
                Ok(())
            } else {
                mismatch()
            }
        }
        Expect::Number { op, value } => {
            let Some(number) = actual.as_f64() else {
                return mismatch();
            };
            let holds = match op.as_str() {
                "<" => number < *value,
                "<=" => number <= *value,
                ">" => number > *value,
                ">=" => number >= *value,
                "!=" => number != *value,
                _ => number == *value,
            };
            if holds {
                Ok(())
            } else {
                mismatch()
            }
        }
        Expect::Semver(range) => {
            let version = (actual.as_str())
                .map(|text| text.strip_prefix('v').unwrap_or(text))
                .and_then(|text| semver::Version::parse(text).ok());
            match version {
                Some(version) if range.matches(&version) => Ok(()),
                Some(_) => mismatch(),
                None => Err(format!(
                    "is {actual}, not a semantic version (expected {})",
                    expect.describe()
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value_and_versions_by_range() {
        let zero = Value::from(0.0);
        assert_eq!(judge(Some(&zero), &Expect::Equals(0.into())), Ok(()));
        let three = Value::from(3);
        let at_most_two = Expect::Number {
            op: "<=".into(),
            value: 2.0,
        };
        assert_eq!(
            judge(Some(&three), &at_most_two),
            Err("is 3, expected <= 2".into())
        );
        let range = Expect::Semver(semver::VersionReq::parse(">=5.1.0").unwrap());
        assert_eq!(judge(Some(&"v5.2.0".into()), &range), Ok(()));
        assert!(judge(Some(&"5.0.9".into()), &range).is_err());
        assert!(judge(Some(&"five".into()), &range)
            .unwrap_err()
            .contains("not a semantic version"));
        assert_eq!(judge(None, &range), Err("is absent from the body".into()));
    }
}
