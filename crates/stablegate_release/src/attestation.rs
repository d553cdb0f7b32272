//! `attestation.intoto.json`: an in-toto Statement v1 over a sealed
//! attempt (SPEC §10.3), and its verification.
//!
//! The statement's subjects are every evidence file with its SHA-256 — the
//! same list as `MANIFEST.sha256`, less the attestation itself — and its
//! predicate says what the files prove: the verdict, the gate (release)
//! name, tag, attempt, final state, and the digest of the release
//! configuration the attempt ran (`config_sha256` of `state.json`). The
//! attestation is written when the attempt is sealed, before the manifest,
//! so the manifest lists (and protects) the attestation too. It is not
//! signed: signing it (DSSE, sigstore) is the job of whoever publishes the
//! bundle; stablegate only makes the statement.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use stablegate_config::Release;

use crate::error::ReleaseError;
use crate::files;
use crate::manifest::{self, Hashes};
use crate::state::{self, AttemptState, State};

/// The attestation's file name, at the top of the attempt directory.
pub const ATTESTATION: &str = "attestation.intoto.json";
/// in-toto Statement v1.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The predicate this version writes.
pub const PREDICATE_TYPE: &str = "urn:stablegate:release-gate:v1";

/// The statement, in the field order it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    pub predicate: Predicate,
}

/// One evidence file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    pub digest: SubjectDigest,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectDigest {
    pub sha256: String,
}

/// What the evidence proves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predicate {
    /// `pass` (COMPLETE), `fail` (STOPPED), `undecided` (STOPPED by bad
    /// input), `interrupted`, or `unknown` (no readable `state.json`).
    pub verdict: String,
    /// The release gate's name.
    pub gate: Option<String>,
    pub tag: Option<String>,
    pub attempt: Option<u32>,
    pub state: Option<String>,
    pub stage: Option<String>,
    pub reason: Option<String>,
    /// `{"sha256": …}` of the release configuration's canonical text.
    pub configuration: Option<SubjectDigest>,
    pub format_version: u32,
}

/// SHA-256 of a release configuration's canonical text.
pub fn config_digest(release: &Release) -> String {
    manifest::hex(&Sha256::digest(release.canonical.as_bytes()))
}

/// The verdict a state stands for.
pub fn verdict(state: Option<&State>) -> &'static str {
    match state {
        None => "unknown",
        Some(state) => match state.state {
            AttemptState::Complete => "pass",
            AttemptState::Stopped if state.undecided => "undecided",
            AttemptState::Stopped => "fail",
            AttemptState::Interrupted => "interrupted",
            AttemptState::Idle | AttemptState::Reached(_) => "unknown",
        },
    }
}

/// The statement over `hashes` (which must not list the attestation).
pub fn statement(hashes: &Hashes, state: Option<&State>) -> Statement {
    Statement {
        statement_type: STATEMENT_TYPE.to_owned(),
        subject: (hashes.iter())
            .map(|(name, sha256)| Subject {
                name: name.clone(),
                digest: SubjectDigest {
                    sha256: sha256.clone(),
                },
            })
            .collect(),
        predicate_type: PREDICATE_TYPE.to_owned(),
        predicate: Predicate {
            verdict: verdict(state).to_owned(),
            gate: state.map(|s| s.release.clone()),
            tag: state.map(|s| s.tag.clone()),
            attempt: state.map(|s| s.attempt),
            state: state.map(|s| s.state.name().to_owned()),
            stage: state.and_then(|s| s.stage.clone()),
            reason: state.and_then(|s| s.reason.clone()),
            configuration: (state.and_then(|s| s.config_sha256.clone()))
                .map(|sha256| SubjectDigest { sha256 }),
            format_version: state::FORMAT_VERSION,
        },
    }
}

/// The statement's bytes, as written.
pub fn render(statement: &Statement) -> Result<Vec<u8>, ReleaseError> {
    files::json(std::path::Path::new(ATTESTATION), statement)
}

/// Findings about an attestation's text against the files' actual hashes
/// (`actual`, the attestation itself left out) and the state.
pub fn check(text: &[u8], actual: &Hashes, state: Option<&State>) -> Vec<String> {
    let shown = ATTESTATION;
    let value: Value = match serde_json::from_slice(text) {
        Ok(value) => value,
        Err(err) => return vec![format!("{shown}: not JSON: {err}")],
    };
    let statement: Statement = match serde_json::from_value(value) {
        Ok(statement) => statement,
        Err(err) => {
            return vec![format!(
                "{shown}: not an in-toto statement of stablegate: {err}"
            )]
        }
    };
    let mut findings = Vec::new();
    if statement.statement_type != STATEMENT_TYPE {
        findings.push(format!("{shown}: `_type` is not {STATEMENT_TYPE}"));
    }
    if statement.predicate_type != PREDICATE_TYPE {
        findings.push(format!("{shown}: `predicateType` is not {PREDICATE_TYPE}"));
    }
    let mut attested = Hashes::new();
    for subject in &statement.subject {
        if attested
            .insert(subject.name.clone(), subject.digest.sha256.clone())
            .is_some()
        {
            findings.push(format!(
                "{shown}: subject `{}` is listed twice",
                subject.name
            ));
        }
    }
    for (name, sha256) in &attested {
        match actual.get(name) {
            None => findings.push(format!("{shown}: subject `{name}` is not in the bundle")),
            Some(now) if now != sha256 => findings.push(format!(
                "{shown}: subject `{name}` does not match the file (sha256 {sha256} → {now})"
            )),
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|name| !attested.contains_key(*name)) {
        findings.push(format!("{shown}: `{name}` is not among the subjects"));
    }
    let expected = statement_predicate(state);
    let got = &statement.predicate;
    let pairs = [
        ("verdict", Some(got.verdict.clone()), Some(expected.verdict)),
        ("gate", got.gate.clone(), expected.gate),
        ("tag", got.tag.clone(), expected.tag),
        ("state", got.state.clone(), expected.state),
        (
            "attempt",
            got.attempt.map(|n| n.to_string()),
            expected.attempt.map(|n| n.to_string()),
        ),
        (
            "configuration",
            got.configuration.as_ref().map(|d| d.sha256.clone()),
            expected.configuration.map(|d| d.sha256),
        ),
    ];
    for (field, got, want) in pairs {
        if got != want {
            findings.push(format!(
                "{shown}: predicate `{field}` is {} but state.json says {}",
                got.as_deref().unwrap_or("null"),
                want.as_deref().unwrap_or("null"),
            ));
        }
    }
    findings
}

fn statement_predicate(state: Option<&State>) -> Predicate {
    statement(&Hashes::new(), state).predicate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            format_version: state::FORMAT_VERSION,
            release: "demo".into(),
            tag: "v1".into(),
            attempt: 3,
            config_sha256: Some("c".repeat(64)),
            state: AttemptState::Stopped,
            stage: Some("four".into()),
            reason: Some("run 2 failed".into()),
            undecided: false,
            versions: Default::default(),
            stages: Vec::new(),
            evidence: Default::default(),
            history: Vec::new(),
        }
    }

    fn hashes() -> Hashes {
        Hashes::from([
            ("runs/run-1.json".to_owned(), "a".repeat(64)),
            ("state.json".to_owned(), "b".repeat(64)),
        ])
    }

    #[test]
    fn the_statement_carries_every_subject_and_the_verdict() {
        let state = state();
        let statement = statement(&hashes(), Some(&state));
        let value: Value = serde_json::from_slice(&render(&statement).unwrap()).unwrap();
        assert_eq!(value["_type"], STATEMENT_TYPE);
        assert_eq!(value["subject"][0]["name"], "runs/run-1.json");
        assert_eq!(value["subject"][1]["digest"]["sha256"], "b".repeat(64));
        assert_eq!(value["predicate"]["verdict"], "fail");
        assert_eq!(value["predicate"]["gate"], "demo");
        assert_eq!(value["predicate"]["attempt"], 3);
        assert_eq!(
            value["predicate"]["configuration"]["sha256"],
            "c".repeat(64)
        );
    }

    #[test]
    fn a_faithful_attestation_has_no_finding() {
        let state = state();
        let text = render(&statement(&hashes(), Some(&state))).unwrap();
        assert_eq!(check(&text, &hashes(), Some(&state)), Vec::<String>::new());
    }

    #[test]
    fn a_changed_file_a_missing_subject_and_a_false_verdict_are_found() {
        let state = state();
        let mut text = render(&statement(&hashes(), Some(&state))).unwrap();
        text = String::from_utf8(text)
            .unwrap()
            .replace("\"fail\"", "\"pass\"")
            .into_bytes();
        let mut actual = hashes();
        actual.insert("state.json".into(), "d".repeat(64));
        actual.insert("logs/x".into(), "e".repeat(64));
        let findings = check(&text, &actual, Some(&state));
        assert_eq!(findings.len(), 3, "{findings:?}");
        assert!(findings[0].contains("subject `state.json` does not match"));
        assert!(findings[1].contains("`logs/x` is not among the subjects"));
        assert!(findings[2].contains("predicate `verdict` is pass but state.json says fail"));
    }

    #[test]
    fn a_document_that_is_not_a_statement_is_a_finding() {
        assert!(check(b"{\"a\":1}", &hashes(), None)[0].contains("not an in-toto statement"));
        assert!(check(b"nope", &hashes(), None)[0].contains("not JSON"));
    }
}
