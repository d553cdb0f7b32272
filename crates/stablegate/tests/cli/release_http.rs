//! HTTP preflight stages against a real HTTP server on loopback: a healthy
//! service, a 503, a body that is not JSON, one too slow for the timeout, a
//! port nobody listens on; and the snapshots each leaves under
//! `probes/http/`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use crate::release_fixture::{json, project, ReleaseProject};
use crate::support::assert_outcome;

/// A server on an ephemeral loopback port, answering by path until the test
/// process ends; returns `http://127.0.0.1:<port>`.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream));
        }
    });
    base
}

fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (status, body) = match path.as_str() {
        "/health" => (
            "200 OK",
            r#"{"terminal_failed_infra_count": 0, "events_version": "5.1.2", "queue": {"depth": 3}}"#,
        ),
        "/old" => (
            "200 OK",
            r#"{"terminal_failed_infra_count": 2, "events_version": "5.0.9"}"#,
        ),
        "/down" => ("503 Service Unavailable", r#"{"status": "starting"}"#),
        "/garbled" => ("200 OK", "<html>not json"),
        "/slow" => {
            thread::sleep(Duration::from_secs(3));
            ("200 OK", "{}")
        }
        _ => ("404 Not Found", ""),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nX-Probe: yes\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn config(checks: &str) -> String {
    format!(
        r#"[release.rel]
evidence_dir = "evidence"
tag = "v1"

[[release.rel.stage]]
name = "preflight"
reaches = "PREFLIGHT_CLEAN"
http = [{checks}]
"#
    )
}

fn run(checks: &str) -> (ReleaseProject, crate::support::Outcome) {
    let project = project(&config(checks), "", "");
    let outcome = project.run(&["release", "run", "rel"]);
    (project, outcome)
}

#[track_caller]
fn stops_with(checks: &str, reason: &str) -> ReleaseProject {
    let (project, outcome) = run(checks);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let state = json(&project, "evidence/v1-attempt1/state.json");
    assert_eq!(state["state"], "STOPPED");
    assert_eq!(state["stage"], "preflight");
    assert_eq!(state["reason"].as_str(), Some(reason), "{outcome}");
    project
}

#[test]
fn a_healthy_service_passes_and_its_response_is_kept() {
    let base = serve();
    let checks = format!(
        r#"{{ url = "{base}/health", status = 200, json = {{ "/terminal_failed_infra_count" = 0, "/events_version" = ">=5.1.0", "/queue/depth" = "<= 5" }} }}"#
    );
    let (project, outcome) = run(&checks);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let snapshot = json(
        &project,
        "evidence/v1-attempt1/probes/http/preflight/1.json",
    );
    assert_eq!(snapshot["status"], 200);
    assert_eq!(snapshot["passed"], true);
    assert!(snapshot["body"].as_str().unwrap().contains("\"5.1.2\""));
    assert!(snapshot["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h[0] == "x-probe" && h[1] == "yes"));
    let verdicts: Vec<(&str, bool)> = (snapshot["assertions"].as_array().unwrap().iter())
        .map(|a| {
            (
                a["pointer"].as_str().unwrap(),
                a["passed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("/events_version", true),
            ("/queue/depth", true),
            ("/terminal_failed_infra_count", true)
        ]
    );
    let verify = project.run(&["evidence", "verify", "evidence/v1-attempt1"]);
    assert_eq!(verify.code, Some(0), "{verify}");
}

#[test]
fn a_failed_assertion_names_the_pointer_and_the_value() {
    let base = serve();
    stops_with(
        &format!(r#"{{ url = "{base}/old", json = {{ "/terminal_failed_infra_count" = 0 }} }}"#),
        &format!("http GET {base}/old: `/terminal_failed_infra_count` is 2, expected 0"),
    );
    stops_with(
        &format!(r#"{{ url = "{base}/old", json = {{ "/events_version" = ">=5.1.0" }} }}"#),
        &format!("http GET {base}/old: `/events_version` is \"5.0.9\", expected a version matching >=5.1.0"),
    );
    stops_with(
        &format!(r#"{{ url = "{base}/health", json = {{ "/missing" = 1 }} }}"#),
        &format!("http GET {base}/health: `/missing` is absent from the body"),
    );
}

#[test]
fn a_503_fails_the_stage_and_is_kept() {
    let base = serve();
    let project = stops_with(
        &format!(r#"{{ url = "{base}/down" }}"#),
        &format!("http GET {base}/down: status 503, expected 200"),
    );
    let snapshot = json(
        &project,
        "evidence/v1-attempt1/probes/http/preflight/1.json",
    );
    assert_eq!(
        (snapshot["status"].as_u64(), snapshot["passed"].as_bool()),
        (Some(503), Some(false))
    );
    assert_eq!(snapshot["body"], r#"{"status": "starting"}"#);
}

#[test]
fn a_body_that_is_not_json_fails_the_stage_not_the_tool() {
    let base = serve();
    let project = stops_with(
        &format!(r#"{{ url = "{base}/garbled", json = {{ "/ok" = true }} }}"#),
        &format!(
            "http GET {base}/garbled: the body is not JSON: expected value at line 1 column 1"
        ),
    );
    let snapshot = json(
        &project,
        "evidence/v1-attempt1/probes/http/preflight/1.json",
    );
    assert_eq!(snapshot["body"], "<html>not json");
}

#[test]
fn a_slow_service_times_out_and_a_closed_port_is_a_connection_error() {
    let base = serve();
    let project = stops_with(
        &format!(r#"{{ url = "{base}/slow", timeout = "300ms" }}"#),
        &format!("http GET {base}/slow: no complete response within 300ms"),
    );
    let snapshot = json(
        &project,
        "evidence/v1-attempt1/probes/http/preflight/1.json",
    );
    assert_eq!(snapshot["error"], "no complete response within 300ms");
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let (project, outcome) = run(&format!(r#"{{ url = "{url}" }}"#));
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let reason = json(&project, "evidence/v1-attempt1/state.json")["reason"].clone();
    assert!(
        reason
            .as_str()
            .unwrap()
            .starts_with(&format!("http GET {url}: connection failed")),
        "{reason}"
    );
}

#[test]
fn a_bad_url_pointer_or_range_is_a_configuration_error() {
    let cases = [
        (
            r#"{ url = "localhost:8000/health" }"#,
            "stablegate.toml:8:17: `release.rel.stage[0].http[0].url`: `localhost:8000/health` is not an http:// URL\n",
        ),
        (
            r#"{ url = "http://h/", json = { "count" = 0 } }"#,
            "stablegate.toml:8:39: `release.rel.stage[0].http[0].json.\"count\"`: `count` is not a JSON pointer: it must be empty or start with `/`\n",
        ),
        (
            r#"{ url = "http://h/", json = { "/v" = ">=five" } }"#,
            "stablegate.toml:8:46: `release.rel.stage[0].http[0].json.\"/v\"`: `>=five` is neither a numeric comparison (`>= 3`) nor a semver range (`>=5.1.0`): unexpected character 'f' while parsing major version number; write `{ equals = \">=five\" }` to compare the string itself\n",
        ),
    ];
    for (checks, message) in cases {
        let (project, outcome) = run(checks);
        assert_outcome(
            &outcome,
            &format!("exit: 2\n--- stdout\n--- stderr\nerror: {message}"),
        );
        assert!(!project.path().join("evidence").exists());
    }
}
