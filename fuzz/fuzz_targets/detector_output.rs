//! Detector output (`command` gates): what a detector printed, read as SARIF
//! or JSON Lines ([`command_output`]) and checked against the files of a
//! small fixed project, as `collect` does once the detector exited 0.
//! Checks that an error prints, and that every finding is root-relative,
//! sorted, and on a line of its file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stablegate_config::Gate;
use stablegate_fuzz::{check_collected, gate_of, project_root};
use stablegate_gates::source::fuzzing::command_output;

fuzz_target!(|data: &[u8]| {
    static GATE: OnceLock<Gate> = OnceLock::new();
    let gate = GATE.get_or_init(|| gate_of("[[gate]]\nname = \"g\"\ncommand = \"detector\"\n"));
    match command_output(project_root(), gate, "detector", data) {
        Ok(collected) => check_collected(&collected),
        Err(err) => drop(err.to_string()),
    }
});
