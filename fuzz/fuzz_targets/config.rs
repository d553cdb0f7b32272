//! The configuration loader (`stablegate_config`): the bytes of a
//! configuration file read as `stablegate.toml` (in the root, and given with
//! `--config` from outside the root) and as `pyproject.toml` (its
//! `[tool.stablegate]`, given with `--config` from a subdirectory), through
//! UTF-8 decoding, TOML parsing and the whole validation, as
//! [`stablegate_config::load`] does after reading the file. Checks that
//! every error prints and points at a line of the file, and that loaded
//! gates have distinct names and lines inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_config::fuzzing::load_bytes;
use stablegate_fuzz::line_bound;

fuzz_target!(|data: &[u8]| {
    let lines = line_bound(&String::from_utf8_lossy(data));
    for (name, explicit, dir) in [
        ("stablegate.toml", false, Some("")),
        ("stablegate.toml", true, None),
        ("pyproject.toml", true, Some("ci")),
    ] {
        match load_bytes(name, data, explicit, dir) {
            Ok(Some(config)) => {
                let mut names: Vec<&str> = config.gates.iter().map(|g| g.name.as_str()).collect();
                let count = names.len();
                names.sort_unstable();
                names.dedup();
                assert_eq!(names.len(), count, "duplicate gate names were accepted");
                for gate in &config.gates {
                    assert!((1..=lines).contains(&gate.location.line));
                }
                for release in &config.releases {
                    let _ = format!("{release:?}");
                }
            }
            Ok(None) => {}
            Err(err) => {
                let message = err.to_string();
                assert!(message.starts_with(name), "{message}");
                if let Some(at) = err.location() {
                    assert!(
                        (1..=lines).contains(&at.line) && at.column >= 1,
                        "{message}"
                    );
                }
            }
        }
    }
});
