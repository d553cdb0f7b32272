//! SARIF files (`sarif` gates): the bytes of the gate's SARIF file read
//! ([`sarif_file`]: JSON, SARIF 2.1.0 shape, artifact URIs) and checked
//! against the files of a small fixed project, as `collect` does after
//! reading the file. Checks that an error prints, and that every finding is
//! root-relative, sorted, and on a line of its file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stablegate_config::Gate;
use stablegate_fuzz::{check_collected, gate_of, project_root};
use stablegate_gates::source::fuzzing::sarif_file;

fuzz_target!(|data: &[u8]| {
    static GATE: OnceLock<Gate> = OnceLock::new();
    let gate = GATE.get_or_init(|| gate_of("[[gate]]\nname = \"g\"\nsarif = \"report.sarif\"\n"));
    match sarif_file(project_root(), gate, "report.sarif", data) {
        Ok(collected) => check_collected(&collected),
        Err(err) => drop(err.to_string()),
    }
});
