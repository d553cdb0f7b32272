//! Entry points for the fuzz targets (`fuzz/`): the readers of other tools'
//! output, from bytes instead of from a file or a process.
//!
//! Each function is the path `collect` takes for a `sarif` or `command`
//! gate once the bytes are in hand: the same parser, the same check of the
//! reported files under `root` ([`super::external::resolve`]) and the same
//! ordering. Nothing here is part of stablegate's API: it is hidden from the
//! docs and may change with the fuzz targets.

use std::path::Path;

use stablegate_config::Gate;

use super::{external, output, sarif, tidy, Collected, SourceError};
use crate::walk::Scope;

/// What a `sarif` gate collects when its SARIF file (`file`, root-relative)
/// holds `bytes`. `root` must be canonical, as `collect` makes it.
pub fn sarif_file(
    root: &Path,
    gate: &Gate,
    file: &str,
    bytes: &[u8],
) -> Result<Collected, SourceError> {
    let reported = sarif::from_bytes(root, &gate.name, file, bytes)?;
    Ok(finish(root, gate, reported))
}

/// What a `command` gate collects when its detector exits 0 having printed
/// `stdout` (SARIF or JSON Lines). `root` must be canonical.
pub fn command_output(
    root: &Path,
    gate: &Gate,
    command: &str,
    stdout: &[u8],
) -> Result<Collected, SourceError> {
    let reported = output::parse(root, &gate.name, command, stdout)?;
    Ok(finish(root, gate, reported))
}

fn finish(root: &Path, gate: &Gate, reported: external::Reported) -> Collected {
    let mut collected = external::resolve(root, Scope::of(gate), reported);
    tidy(&mut collected);
    collected
}
