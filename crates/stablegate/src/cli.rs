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

    /// Output format: human, json, sarif, junit, github or gitlab (`key` prints
    /// human or json; `keys` always prints JSON Lines).
    #[arg(long, global = true, value_name = "FMT", default_value = "human")]
    pub format: Format,

    /// Print nothing on standard output; the exit code and error messages
    /// still tell the outcome.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Neither read nor write the scan cache.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// The scan cache's directory (default: $STABLEGATE_CACHE_DIR, else one
    /// per project under ~/.cache/stablegate). Relative to the current
    /// directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

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
    /// JUnit XML, one test case per reported item.
    Junit,
    /// GitHub Actions workflow annotations (and a step summary).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
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
            Format::Gitlab => stablegate_report::Format::Gitlab,
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
    /// Add the gate's current violations to its allowlist as entries
    /// (file, qualname, line and token derived by the tool), each in sorted
    /// position.
    Allow(AllowArgs),
    /// Freeze legacy line-keyed entries of the gate's allowlist into
    /// content-keyed ones; writes nothing if any entry cannot be frozen.
    Convert(ConvertArgs),
    /// Move allowlist `line:` locators and inventory locator line numbers
    /// to where the keys live now, and change nothing else.
    Refresh(RefreshArgs),
    /// Remove stale entries (that cover no live site) from allowlists and
    /// lower `<key>_baseline` to match; writes nothing unless every edit is
    /// sure.
    Prune(PruneArgs),
    /// A git merge driver for allowlists: merges THEIRS into OURS in place
    /// (union of entries, entries removed on either side dropped,
    /// `<key>_baseline` recomputed); exit 1 leaves a conflict to resolve.
    MergeAllowlist(MergeAllowlistArgs),
    /// Run the theater triad: prove each gate drift-immune, alert to content
    /// edits and not vacuous, by mutating a view of the tree (never the tree).
    Theater(TheaterArgs),
    /// Run the inventory audits only (`[[audit]]`); exit codes as `check`.
    Audit(AuditArgs),
    /// List every test node a `[[marker]]` marks, with its reason.
    Markers(MarkersArgs),
    /// Run, resume or inspect a release gate ([release.NAME], SPEC §10);
    /// exit 0 complete, 1 stopped, 2 bad input.
    #[command(subcommand)]
    Release(ReleaseCommand),
    /// Work with evidence bundles written by release gates.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Write a starter configuration for this tree: [tool.stablegate] in an
    /// existing pyproject.toml, else stablegate.toml; never overwrites.
    Init(InitArgs),
    /// Print the JSON Schema of the configuration (for editors and CI).
    Schema(SchemaArgs),
    /// Print the shell completion script for SHELL.
    Completions(CompletionsArgs),
    /// Print a man page (roff): stablegate's, or a subcommand's.
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The schema of a whole pyproject.toml, with the configuration under
    /// [tool.stablegate] and every other table left open.
    #[arg(long)]
    pub pyproject: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The subcommand whose page to print, e.g. `release run` (default:
    /// stablegate's own page).
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Audits to run (default: all of them).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, clap::Args)]
pub struct MarkersArgs {
    /// Markers to list (default: all of them).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

/// `release run|resume|status NAME`.
#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Open a new attempt and walk the release's stages to COMPLETE or
    /// STOPPED; the attempt directory is sealed at the end.
    Run(ReleaseRunArgs),
    /// Continue the attempt an interrupted process left open, restarting
    /// the stage it was in.
    Resume(ReleaseArgs),
    /// Print the release's attempts, the current state and its history.
    Status(ReleaseArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReleaseRunArgs {
    /// The release (`[release.NAME]`).
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The attempt directory prefix, instead of the configured `tag`.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// The release (`[release.NAME]`).
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// `evidence verify DIR`.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Recompute every hash of a sealed attempt and re-check its run
    /// results; exit 0 intact, 1 not, 2 not a bundle.
    Verify(VerifyArgs),
    /// Write a self-contained HTML page (and/or a Markdown summary) of an
    /// attempt: verdict, versions, runs × scenarios, timeline, probes.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("output").required(true).multiple(true).args(["html", "markdown"])))]
pub struct ReportArgs {
    /// The attempt directory (relative to the current directory).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Where to write the HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Where to write the Markdown summary.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The attempt directory (relative to the current directory).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Gates to run (default: all of them).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Run the theater triad after the checks.
    #[arg(long)]
    pub theater: bool,
    /// The base revision `shrink_only` allowlists may not grow against (at
    /// its merge base with HEAD); default: `[check] base`.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    #[command(flatten)]
    pub triad: TriadArgs,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, clap::Args)]
pub struct TheaterArgs {
    /// Gates to prove (default: all of them).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub triad: TriadArgs,
    #[command(flatten)]
    pub render: RenderArgs,
}

/// How the commands that print a report (`check`, `audit`, `theater`)
/// render it beyond `--format`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RenderArgs {
    /// Also write the report in FMT to the file PATH (relative to the
    /// current directory), replacing it atomically; repeatable, e.g.
    /// `--output sarif:results.sarif --output junit:junit.xml`. FMT: human,
    /// json, sarif, junit, github or gitlab.
    #[arg(long = "output", value_name = "FMT:PATH")]
    pub outputs: Vec<OutputSpec>,
    /// JUnit: also one passing test case per accepted site, so that the
    /// number of tests counts the sites.
    #[arg(long)]
    pub junit_accepted: bool,
    /// JUnit: no `file`/`line` attributes on test cases, for the strict
    /// Jenkins xunit schema (junit-10.xsd), which does not allow them.
    #[arg(long)]
    pub junit_strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct TriadArgs {
    /// Edit at most N allowlisted entries in the content leg, one gate run
    /// each (default: all of them).
    #[arg(long, value_name = "N")]
    pub max_sites: Option<usize>,
}

/// One `--output FMT:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Format,
    /// As given: relative to the current directory.
    pub path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    /// `FMT:PATH`, split at the first `:` (a path may hold more).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (format, path) = text
            .split_once(':')
            .ok_or_else(|| "expected FMT:PATH, e.g. sarif:results.sarif".to_owned())?;
        let format = Format::from_str(format, false)?;
        if path.is_empty() {
            return Err("the PATH after `FMT:` is empty".to_owned());
        }
        Ok(OutputSpec {
            format,
            path: PathBuf::from(path),
        })
    }
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

#[derive(Debug, clap::Args)]
pub struct AllowArgs {
    /// The gate whose violations to accept.
    #[arg(value_name = "GATE")]
    pub gate: String,
    /// Why the sites are accepted: written as each new entry's `rationale`.
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
    /// An issue reference (`#123`, a URL): written as each new entry's
    /// `issue`.
    #[arg(long, value_name = "REF")]
    pub issue: Option<String>,
    /// Print what would change as a unified diff (applies with `git apply`)
    /// and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The gate whose allowlist holds legacy entries.
    #[arg(value_name = "GATE")]
    pub gate: String,
    /// Print what would change as a unified diff (applies with `git apply`)
    /// and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct RefreshArgs {
    /// Gates whose allowlists, and audits whose inventories, to refresh
    /// (default: every gate with an allowlist and every audit).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Print what would change as a unified diff (applies with `git apply`)
    /// and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Gates whose allowlists to prune (default: every gate with an
    /// allowlist).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Print what would change as a unified diff (applies with `git apply`)
    /// and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct MergeAllowlistArgs {
    /// The common ancestor's version (git's %O).
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// This branch's version (git's %A), rewritten in place with the merge.
    #[arg(value_name = "OURS")]
    pub ours: PathBuf,
    /// The other branch's version (git's %B).
    #[arg(value_name = "THEIRS")]
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P): only the gates whose
    /// `allowlist` it is say which keys are baselines.
    #[arg(value_name = "PATH")]
    pub path: Option<String>,
}

/// The CI guard of the commands that rewrite allowlists.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct WriteArgs {
    /// Write the allowlist even though CI is set (`CI=true`); without it,
    /// the command refuses to change files in CI.
    #[arg(long)]
    pub write: bool,
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
    fn outputs_are_format_and_path_and_repeat() {
        let cli = Cli::try_parse_from([
            "stablegate",
            "check",
            "--output",
            "sarif:out/a.sarif",
            "--output",
            "gitlab:C:/x.json",
        ])
        .unwrap();
        let Command::Check(args) = cli.command else {
            panic!("not check");
        };
        assert_eq!(
            args.render.outputs,
            [
                OutputSpec {
                    format: Format::Sarif,
                    path: PathBuf::from("out/a.sarif")
                },
                OutputSpec {
                    format: Format::Gitlab,
                    path: PathBuf::from("C:/x.json")
                }
            ]
        );
        for bad in ["sarif", "xml:a", "json:"] {
            let err = Cli::try_parse_from(["stablegate", "check", "--output", bad]).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation, "{bad}");
        }
    }

    #[test]
    fn unknown_formats_are_rejected() {
        let err = Cli::try_parse_from(["stablegate", "--format", "xml", "keys", "."]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }
}
