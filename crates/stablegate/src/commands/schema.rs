//! `stablegate schema [--pyproject]`: the JSON Schema of the configuration
//! (SPEC §12.5).
//!
//! The schema itself is [`stablegate_config::schema`], derived from the
//! types the loader reads; this command only prints it, pretty and with a
//! final newline, whatever `--format` says (like `keys`). The committed copy
//! `schemas/stablegate.json` is this output (a test keeps it current).

use std::io::Write;

use crate::cli::SchemaArgs;
use crate::error::Error;
use crate::output;

pub fn run(cx: &super::Context, args: &SchemaArgs) -> Result<(), Error> {
    let schema = if args.pyproject {
        stablegate_config::pyproject_schema()
    } else {
        stablegate_config::schema()
    };
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    let mut out = cx.stdout();
    output::written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}
