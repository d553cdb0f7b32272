//! The `stablegate` binary: parse the command line, run one command, turn
//! the outcome into an exit code (see [`error`] for the codes).
//!
//! Everything that decides anything lives in the library crates and in
//! `commands/`; this file only wires them together.

mod allocator;
mod cli;
mod commands;
mod error;
mod ordered;
mod output;
mod root;
mod source;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    allocator::tree_sitter_on_mimalloc();
    allocator::large_buffers_mapped();
    // Whatever a command left running in its process group ends with
    // stablegate, however `main` returns (SPEC §12.6).
    let _children = stablegate_io::process::ExitGuard::new();
    let result = cli::Cli::try_parse()
        .map_err(error::Error::Usage)
        .and_then(commands::run);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            err.report();
            ExitCode::from(err.exit_code())
        }
    }
}
