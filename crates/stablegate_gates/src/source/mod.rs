//! Finding sources: where a gate's findings come from (SPEC §3).
//!
//! Each gate has exactly one source, and [`collect`] runs it:
//!
//! - `pattern` / `patterns` ([`pattern`]) and `rule_file` ([`rule_file`]):
//!   ast-grep patterns and rule files, matched by the ast-grep crates over the
//!   gate's files ([`scan`]), with a literal prefilter ([`literal`]) so files
//!   that cannot match are not parsed;
//! - `command` ([`command`], [`output`]): a detector run with `sh -c` in the
//!   root, whose standard output is SARIF 2.1.0 or JSON Lines (detected);
//! - `sarif` ([`sarif`]): findings read from a SARIF file.
//!
//! Findings of other tools are checked against the files they name
//! ([`external`]); their keys are computed later from the source, never taken
//! from the producer. The result is sorted by (path, offset, rule) with
//! [`sort_findings`], so everything downstream is deterministic. Files that
//! cannot be read, decoded or parsed are not skipped silently: they come back
//! in [`Collected::unreadable`] for the gate to turn into `parse_error` /
//! `parse_warning` items per `on_parse_error`. Nothing here prints or keys.

mod adjacency;
pub(crate) mod command;
mod error;
mod external;
mod lang;
mod literal;
mod output;
mod pattern;
mod rule;
mod rule_file;
mod sarif;
mod scan;
mod syntax;
mod uri;

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use stablegate_config::{FindingSource, Gate};

pub use error::SourceError;

use crate::finding::{sort_findings, Finding};
use crate::keying::Keyed;
use crate::tree::Tree;
use crate::walk::Scope;

/// What a source found, and what it could not look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Collected {
    /// Sorted by (path, offset, line, rule), exact duplicates dropped.
    pub findings: Vec<Finding>,
    /// Files in scope that could not be read, are not UTF-8, or (when
    /// parsed) hold a syntax error; sorted by path. A file with a syntax error
    /// may also have findings.
    pub unreadable: Vec<Unreadable>,
    /// Valid files tree-sitter could not parse in full (Python files CPython
    /// parses): not parse errors, but matches near `line` may be missed.
    /// Warnings: they never fail a gate.
    pub parser_gaps: Vec<Unreadable>,
    /// Results of another tool that were left out, each with the reason (a
    /// file outside the root, no line, a line past the end of the file).
    pub skipped: Vec<Skipped>,
    /// Files read: the files walked for ast-grep sources, the distinct files
    /// named by findings for `command` and `sarif`.
    pub scanned_files: usize,
    /// Files parsed by tree-sitter (the rest were ruled out by the prefilter).
    pub parsed_files: usize,
}

/// A file in scope that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unreadable {
    /// Root-relative, `/`-separated.
    pub file: String,
    /// The line concerned (first bad byte, first syntax error), if known.
    pub line: Option<usize>,
    /// Lowercase, reads after the file name: "is not valid UTF-8".
    pub reason: String,
}

/// A result of another tool that gave no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Where the result was: `reports/x.sarif: runs[0].results[3]`,
    /// `` `cmd` output line 4 ``.
    pub at: String,
    pub reason: String,
}

/// How to run sources; [`Options::default`] is what `check` uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// Skip files that cannot match without parsing them. Turning it off
    /// changes speed, never results.
    pub prefilter: bool,
    /// How long a `command` detector may run before it is killed (with its
    /// process group) and the gate errors: 10 minutes by default, long enough
    /// for a type checker over a large tree, short enough to end a hung CI job
    /// with a message instead of the CI's own timeout.
    pub command_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            prefilter: true,
            command_timeout: Duration::from_secs(600),
        }
    }
}

/// Runs the gate's finding source over the project at `root`.
pub fn collect(root: &Path, gate: &Gate) -> Result<Collected, SourceError> {
    collect_with(root, gate, &Options::default())
}

/// [`collect`] with explicit [`Options`].
pub fn collect_with(root: &Path, gate: &Gate, options: &Options) -> Result<Collected, SourceError> {
    collect_in(&Tree::disk(root), gate, options)
}

/// Runs the gate's finding source over a view of the project. Patterns and
/// rule files read the view, overlay included; a `command` detector and a
/// `sarif` file read the disk, so a caller that mutates the tree for them
/// must do it in a copy (the theater triad does).
pub fn collect_in(
    tree: &Tree<'_>,
    gate: &Gate,
    options: &Options,
) -> Result<Collected, SourceError> {
    collect_keyed_in(tree, gate, options, false).map(|(collected, _)| collected)
}

/// [`collect_in`], and with `key` the findings' sites when the source could
/// key them on the way (an ast-grep scan of a tree that reuses no earlier
/// run); `None` tells the caller to key the findings itself
/// ([`crate::keying::key_findings_in`]), which gives the same sites.
pub(crate) fn collect_keyed_in(
    tree: &Tree<'_>,
    gate: &Gate,
    options: &Options,
    key: bool,
) -> Result<(Collected, Option<Keyed>), SourceError> {
    let root = tree
        .root
        .canonicalize()
        .map_err(|source| SourceError::Root {
            root: tree.root.display().to_string(),
            source,
        })?;
    let tree = tree.with_root(&root);
    let (mut collected, keyed) = match &gate.source {
        FindingSource::Patterns(patterns) => {
            let (rules, lang) = pattern::compile(gate, patterns)?;
            let plan = scan::Plan {
                rules,
                default_lang: Some(lang),
            };
            scan::scan(&tree, gate, &plan, options.prefilter, key)?
        }
        FindingSource::RuleFile(file) => {
            let plan = rule_file_plan(&root, gate, file)?;
            scan::scan(&tree, gate, &plan, options.prefilter, key)?
        }
        FindingSource::Command(command) => {
            let reported = command::findings(&root, &gate.name, command, options.command_timeout)?;
            (external::resolve(&root, Scope::of(gate), reported), None)
        }
        FindingSource::Sarif(file) => {
            let reported = sarif::read(&root, &gate.name, file)?;
            (external::resolve(&root, Scope::of(gate), reported), None)
        }
    };
    sort_findings(&mut collected.findings);
    collected.unreadable.sort();
    collected.unreadable.dedup();
    collected.parser_gaps.sort();
    Ok((collected, keyed))
}

/// The rules of a rule file, checked against the gate's `language`.
fn rule_file_plan(root: &Path, gate: &Gate, file: &str) -> Result<scan::Plan, SourceError> {
    let rules = rule_file::load(root, file)?;
    let fail = |problem: String| SourceError::RuleFile {
        file: file.to_owned(),
        at: String::new(),
        problem,
    };
    let Some(first) = rules.first() else {
        return Err(fail(
            "every rule in the file is turned off (`severity: off`)".to_owned(),
        ));
    };
    if let Some(name) = &gate.language {
        let lang = lang::resolve(name).map_err(|problem| SourceError::Language {
            at: error::gate_place(gate),
            problem,
        })?;
        if let Some(other) = rules.iter().find(|rule| rule.lang != lang) {
            return Err(fail(format!(
                "rule `{}` is for {}, but gate `{}` sets `language = \"{name}\"`",
                other.id, other.lang, gate.name
            )));
        }
    }
    let single = rules.iter().all(|rule| rule.lang == first.lang);
    Ok(scan::Plan {
        default_lang: single.then_some(first.lang),
        rules,
    })
}
