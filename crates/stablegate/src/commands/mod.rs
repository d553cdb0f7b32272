//! Dispatch from the parsed command line to one command, and what every
//! command shares: the root, the output options, the configuration flag.
//!
//! One file per subcommand; each returns `Ok(())` for green or an
//! [`Error`] that decides the exit code (see [`crate::error`]).

mod key;
mod keys;

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{Cli, Command, Format};
use crate::error::Error;
use crate::output;
use crate::root::ProjectRoot;

/// What every command gets from the global options.
pub struct Context {
    pub root: ProjectRoot,
    pub format: Format,
    pub quiet: bool,
    /// `--config`, as given.
    pub config: Option<PathBuf>,
}

impl Context {
    /// For commands that need no configuration: a file named with
    /// `--config` is still loaded, so that a broken one is reported rather
    /// than silently unused. A discovered file is not read at all, so a
    /// half-written `stablegate.toml` never stops `key` from helping write it.
    pub fn check_explicit_config(&self) -> Result<(), Error> {
        match &self.config {
            Some(path) => stablegate_config::load(self.root.path(), Some(path))
                .map(drop)
                .map_err(Error::Config),
            None => Ok(()),
        }
    }

    /// Where command output goes (nowhere with `--quiet`).
    pub fn stdout(&self) -> Box<dyn Write> {
        output::stdout(self.quiet)
    }
}

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<(), Error> {
    let root = ProjectRoot::open(&cli.root).map_err(|source| Error::Root {
        root: cli.root.clone(),
        source,
    })?;
    let cx = Context {
        root,
        format: cli.format,
        quiet: cli.quiet,
        config: cli.config,
    };
    match &cli.command {
        Command::Key(args) => key::run(&cx, args),
        Command::Keys(args) => keys::run(&cx, args),
    }
}
