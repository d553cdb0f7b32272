//! A whole evidence bundle: the input split at NUL bytes into the files of
//! an attempt directory ([`FILES`], in order; an empty part leaves the file
//! out), written to a fresh directory, then read by everything that reads a
//! bundle: `evidence verify` ([`verify::verify`]: manifest, attestation,
//! state, run results, probe checkpoints), the read model of reports
//! ([`view::read`]) and `evidence report` in HTML and Markdown
//! ([`evidence_report::render`]). Checks that a bundle with a `state.json`
//! is never "not a bundle".
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_release::{evidence_report, verify, view};

/// The files, in the order of the input's parts.
const FILES: [&str; 9] = [
    "state.json",
    "MANIFEST.sha256",
    "attestation.intoto.json",
    "runs/run-1.json",
    "runs/run-2.json",
    "latest.json",
    "probes/start/fingerprints.json",
    "probes/start/queue.txt",
    "probes/end/fingerprints.json",
];

fuzz_target!(|data: &[u8]| {
    // In memory when the machine has /dev/shm: creating and deleting files
    // on a disk file system costs more than the readers do.
    let shm = std::path::Path::new("/dev/shm");
    let scratch = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a scratch directory");
    let dir = scratch.path().join("v1-attempt1");
    std::fs::create_dir(&dir).expect("the attempt directory");
    for (name, bytes) in FILES.iter().zip(data.split(|&b| b == 0)) {
        if bytes.is_empty() {
            continue;
        }
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write a bundle file");
    }
    let has_state = dir.join("state.json").is_file();
    match verify::verify(&dir) {
        Ok(verification) => drop(verification.findings),
        Err(err) => assert!(!has_state, "{err}"),
    }
    let _ = view::read(&dir).map_err(|err| err.to_string());
    let output = scratch.path().join("report/evidence.html");
    for html in [true, false] {
        let _ = evidence_report::render(&dir, &output, html).map_err(|err| err.to_string());
    }
});
