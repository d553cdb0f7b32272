//! The command line as clap reads it: global options and one struct per
//! subcommand (SPEC §5).
//!
//! Only commands that work exist; a subcommand is added here when its
//! `commands/<name>.rs` lands. Values are kept as written; resolving paths
//! against the root and reading files is the commands' job.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// CI gates you can trust: content-keyed code gates that survive refactors.
#[derive(Debug, Parser)]
#[command(name = "stablegate", version, about)]
pub struct Cli {
    /// Configuration file (default: stablegate.toml, else [tool.stablegate]
    /// in pyproject.toml, in the root). Relative to the current directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Project root: keys' file paths are relative to it.
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// Output format: human, json, sarif, junit or github (`key` prints
    /// human or json; `keys` always prints JSON Lines).
    #[arg(long, global = true, value_name = "FMT", default_value = "human")]
    pub format: Format,

    /// Print nothing on standard output; the exit code and error messages
    /// still tell the outcome.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// Output formats (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people: code frames, colour on a terminal (not with NO_COLOR).
    Human,
    /// One JSON document, format version 1 (`key`: one key record).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML, one test case per gate.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
}

impl Format {
    /// The renderer's format of the same name.
    pub fn report_format(self) -> stablegate_report::Format {
        match self {
            Format::Human => stablegate_report::Format::Human,
            Format::Json => stablegate_report::Format::Json,
            Format::Sarif => stablegate_report::Format::Sarif,
            Format::Junit => stablegate_report::Format::Junit,
            Format::Github => stablegate_report::Format::Github,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the configured gates; exit 0 when all are green, 1 when one is
    /// red, 2 when one cannot be decided.
    Check(CheckArgs),
    /// Print the content key of one line: `qualname<TAB>token`.
    Key(KeyArgs),
    /// Print JSON Lines {"file","line","qualname","token"} for every keyed
    /// line of the given files and directories (whatever --format says).
    Keys(KeysArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Gates to run (default: all of them).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The line to key, as FILE:LINE (FILE relative to the root).
    #[arg(value_name = "FILE:LINE")]
    pub location: String,
}

#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    /// Files and directories, relative to the root. Directories are walked
    /// for *.py and *.pyi files, honouring .gitignore and .ignore.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        let cli = Cli::try_parse_from(["stablegate", "keys", ".", "--root", "x"]).unwrap();
        assert_eq!(cli.root, PathBuf::from("x"));
        let cli = Cli::try_parse_from(["stablegate", "--format", "json", "key", "a.py:1"]).unwrap();
        assert_eq!(cli.format, Format::Json);
    }

    #[test]
    fn unknown_formats_are_rejected() {
        let err = Cli::try_parse_from(["stablegate", "--format", "xml", "keys", "."]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }
}
