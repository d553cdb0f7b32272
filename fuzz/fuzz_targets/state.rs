//! `state.json` (`stablegate_release::state`): the document's bytes read as
//! [`State::read`] reads them ([`State::from_bytes`]), then what `evidence`
//! and `release status` derive from a state: the verdict and the in-toto
//! statement over a bundle. Checks that a state written back reads the
//! same, and that a statement made from a state verifies against it with no
//! finding ([`attestation::check`]).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stablegate_release::attestation;
use stablegate_release::manifest::Hashes;
use stablegate_release::state::State;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("bundle/state.json");
    let state = match State::from_bytes(path, data) {
        Ok(state) => state,
        Err(err) => return drop(err.to_string()),
    };
    let _ = state.finished();
    let _ = state.reached().count();
    let written = serde_json::to_vec_pretty(&state).expect("a state serializes");
    let reread = State::from_bytes(path, &written).expect("a written state reads");
    assert_eq!(reread, state);
    let hashes = Hashes::from([("state.json".to_owned(), "0".repeat(64))]);
    let statement = attestation::statement(&hashes, Some(&state));
    let text = attestation::render(&statement).expect("a statement renders");
    let findings = attestation::check(&text, &hashes, Some(&state));
    assert!(findings.is_empty(), "{findings:?}");
});
