//! Dispatch from the parsed command line to one command, and what every
//! command shares: the root, the output options, the configuration flag.
//!
//! One file per subcommand; each returns `Ok(())` for green or an
//! [`Error`] that decides the exit code (see [`crate::error`]).

mod allow;
mod audit;
mod check;
mod checks;
mod completions;
mod convert;
mod evidence;
mod init;
mod init_template;
mod key;
mod keys;
mod man;
mod markers;
mod merge_allowlist;
mod outputs;
mod prune;
mod refresh;
mod refresh_inventory;
mod release;
mod schema;
mod step_summary;
mod theater;
mod write;

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
    /// The scan cache's directory; `None` with `--no-cache`.
    pub cache: Option<PathBuf>,
}

impl Context {
    /// The scan cache's directory, `None` with `--no-cache`.
    pub fn cache(&self) -> Option<&std::path::Path> {
        self.cache.as_deref()
    }

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

    /// The configuration, which gate commands require.
    pub fn load_config(&self) -> Result<stablegate_config::Config, Error> {
        stablegate_config::load(self.root.path(), self.config.as_deref())?.ok_or(Error::NoConfig)
    }

    /// Colour for human output: only on a terminal, never with `NO_COLOR`
    /// set to anything non-empty (no-color.org).
    pub fn style(&self) -> stablegate_report::Style {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let color = !self.quiet && !no_color && std::io::stdout().is_terminal();
        stablegate_report::Style { color }
    }

    /// Where command output goes (nowhere with `--quiet`).
    pub fn stdout(&self) -> Box<dyn Write> {
        output::stdout(self.quiet)
    }
}

/// The scan cache of the project at canonical `root` when `--cache-dir` is
/// not given: `$STABLEGATE_CACHE_DIR`, else a directory of its own under
/// `$XDG_CACHE_HOME/stablegate` (or `~/.cache/stablegate`) named after the
/// root's path, so that no run ever writes into the project tree; `None`
/// (no cache) when there is no home to put it in.
fn default_cache_dir(root: &std::path::Path) -> Option<PathBuf> {
    use sha2::{Digest, Sha256};
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(dir) = var("STABLEGATE_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = match var("XDG_CACHE_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(var("HOME")?).join(".cache"),
    };
    let digest = Sha256::digest(root.as_os_str().as_encoded_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(base.join("stablegate").join(name))
}

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<(), Error> {
    let root = ProjectRoot::open(&cli.root).map_err(|source| Error::Root {
        root: cli.root.clone(),
        source,
    })?;
    let cx = Context {
        format: cli.format,
        quiet: cli.quiet,
        cache: match (cli.no_cache, &cli.cache_dir) {
            (true, _) => None,
            (false, Some(dir)) => Some(dir.clone()),
            (false, None) => default_cache_dir(root.path()),
        },
        config: cli.config,
        root,
    };
    match &cli.command {
        Command::Check(args) => check::run(&cx, args),
        Command::Theater(args) => theater::run(&cx, args),
        Command::Key(args) => key::run(&cx, args),
        Command::Keys(args) => keys::run(&cx, args),
        Command::Allow(args) => allow::run(&cx, args),
        Command::Convert(args) => convert::run(&cx, args),
        Command::Refresh(args) => refresh::run(&cx, args),
        Command::Prune(args) => prune::run(&cx, args),
        Command::MergeAllowlist(args) => merge_allowlist::run(&cx, args),
        Command::Audit(args) => audit::run(&cx, args),
        Command::Markers(args) => markers::run(&cx, args),
        Command::Release(command) => release::run(&cx, command),
        Command::Evidence(command) => evidence::run(&cx, command),
        Command::Init(args) => init::run(&cx, args),
        Command::Schema(args) => schema::run(&cx, args),
        Command::Completions(args) => completions::run(&cx, args),
        Command::Man(args) => man::run(&cx, args),
    }
}

/// The gates `names` select (all when empty), in configuration order; an
/// unknown name is bad input.
pub fn select_gates<'a>(
    config: &'a stablegate_config::Config,
    names: &[String],
) -> Result<Vec<&'a stablegate_config::Gate>, Error> {
    for name in names {
        if !config.gates.iter().any(|gate| &gate.name == name) {
            let known: Vec<&str> = config.gates.iter().map(|gate| gate.name.as_str()).collect();
            return Err(Error::UnknownGate {
                name: name.clone(),
                config: config.display.clone(),
                known: known.join(", "),
            });
        }
    }
    Ok(config
        .gates
        .iter()
        .filter(|gate| names.is_empty() || names.contains(&gate.name))
        .collect())
}
