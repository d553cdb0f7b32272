//! Finding sources: where a gate's findings come from (SPEC §3).
//!
//! Each gate has exactly one source, and [`collect`] (the one entry point)
//! runs it:
//!
//! - `pattern` / `patterns` ([`pattern`]) and `rule_file` ([`rule_file`]):
//!   ast-grep patterns and rule files, matched by the ast-grep crates over the
//!   gate's files ([`scan`]), with a literal prefilter ([`literal`]) so files
//!   that cannot match are not parsed;
//! - `command` ([`command`], [`output`]): a detector run with `sh -c` in the
//!   root, whose standard output is SARIF 2.1.0 or JSON Lines (detected);
//! - `detector` ([`shared`]): a `[[detector]]` command shared by several
//!   gates, run at most once per process;
//! - `sarif` ([`sarif`]): findings read from a SARIF file.
//!
//! Findings of other tools are checked against the files they name
//! ([`external`]); their keys are computed later from the source, never taken
//! from the producer. The result is sorted by (path, offset, rule) with
//! [`sort_findings`], so everything downstream is deterministic. A gate's
//! `rules` keeps only the findings of the listed rule ids, whatever the
//! source. Files that
//! cannot be read, decoded or parsed are not skipped silently: they come back
//! in [`Collected::unreadable`] for the gate to turn into `parse_error` /
//! `parse_warning` items per `on_parse_error`. An ast-grep scan keys the
//! findings of each file it parses on the way (the file is decoded anyway);
//! every other source leaves keying to [`crate::keying`]. Nothing here
//! prints.

mod adjacency;
pub mod cache;
mod cache_codec;
pub(crate) mod command;
mod error;
mod external;
#[doc(hidden)]
pub mod fuzzing;
mod lang;
mod literal;
mod output;
mod pattern;
mod rule;
mod rule_file;
mod sarif;
mod scan;
mod shared;
mod syntax;
mod uri;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use stablegate_config::{FindingSource, Gate};

pub use command::{CommandError, DetectorError};
pub use error::SourceError;
pub use lang::LangError;

use crate::inputs::{sort_findings, Collected};
use crate::tree::Tree;
use crate::walk::Scope;

/// How to run sources; [`Options::default`] is what `check` uses.
#[derive(Debug, Clone)]
pub struct Options {
    /// Skip files that cannot match without parsing them. Turning it off
    /// changes speed, never results.
    pub prefilter: bool,
    /// How long a `command` detector may run before it is killed (with its
    /// process group) and the gate errors, unless the gate sets its own
    /// `timeout`: 10 minutes by default, long enough
    /// for a type checker over a large tree, short enough to end a hung CI job
    /// with a message instead of the CI's own timeout.
    pub command_timeout: Duration,
    /// Scan only these root-relative files of the gate's scope instead of
    /// walking it (an ast-grep source; files of the set outside the scope are
    /// left out). The theater's runner re-scans just the files a mutation
    /// replaced ([`crate::reuse`]).
    pub only: Option<BTreeSet<String>>,
    /// The scan cache's directory ([`cache`]); `None`: no cache. Used only
    /// by a walk of the tree as it is on disk with the prefilter on.
    pub cache: Option<PathBuf>,
    /// Read a `[[detector]]` from the process's one run of it ([`shared`]);
    /// off where the tree changes between runs (the theater's copy).
    pub share_detectors: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            prefilter: true,
            command_timeout: Duration::from_secs(600),
            only: None,
            cache: None,
            share_detectors: true,
        }
    }
}

/// Runs the gate's finding source over a view of the project. Patterns and
/// rule files read the view, overlay included (and key what they find on the
/// way: see [`crate::keying::key`]); a `command` detector and a `sarif` file
/// read the disk, so a caller that mutates the tree for them must do it in a
/// copy (the theater triad does).
pub fn collect(tree: &Tree<'_>, gate: &Gate, options: &Options) -> Result<Collected, SourceError> {
    let root = tree
        .root
        .canonicalize()
        .map_err(|source| SourceError::Root {
            root: tree.root.display().to_string(),
            source,
        })?;
    let tree = tree.with_root(&root);
    let mut collected = match &gate.source {
        FindingSource::Patterns(patterns) => {
            let (rules, default_lang) = pattern::compile(gate, patterns)?;
            let plan = scan::Plan {
                rules,
                default_lang,
            };
            let rules = format!("{patterns:?}");
            scan_cached(&tree, gate, &plan, options, || rules.into_bytes())?
        }
        FindingSource::RuleFile(file) => {
            let (plan, bytes) = rule_file_plan(&root, gate, file)?;
            scan_cached(&tree, gate, &plan, options, || bytes)?
        }
        FindingSource::Command(command) => {
            let timeout = gate.timeout.unwrap_or(options.command_timeout);
            let reported = command::findings(&root, &gate.name, command, timeout)?;
            external::resolve(&root, Scope::of(gate), of_rules(gate, reported))
        }
        FindingSource::Detector(detector) => {
            let reported = shared::findings(
                &root,
                &gate.name,
                detector,
                options.command_timeout,
                options.share_detectors,
            )?;
            external::resolve(&root, Scope::of(gate), of_rules(gate, reported))
        }
        FindingSource::Sarif(file) => {
            let reported = sarif::read(&root, &gate.name, file)?;
            external::resolve(&root, Scope::of(gate), of_rules(gate, reported))
        }
    };
    if let Some(rules) = &gate.rules {
        // Scanned sources (patterns, rule files) keyed their findings on the
        // way: both lists keep the same findings.
        let listed = |rule: &str| rules.iter().any(|listed| listed == rule);
        collected.findings.retain(|finding| listed(&finding.rule));
        if let Some(keyed) = &mut collected.keyed_on_the_way {
            keyed.sites.retain(|site| listed(&site.finding.rule));
        }
    }
    tidy(&mut collected);
    Ok(collected)
}

/// Scans with the cache when the options have one and the scan is a walk of
/// the tree on disk; `rules` gives what the rules were compiled from.
fn scan_cached(
    tree: &Tree<'_>,
    gate: &Gate,
    plan: &scan::Plan,
    options: &Options,
    rules: impl FnOnce() -> Vec<u8>,
) -> Result<Collected, SourceError> {
    let cache = match &options.cache {
        Some(dir) if options.only.is_none() && tree.overlay.is_none() && options.prefilter => {
            Some(cache::PlanCache::open(dir, gate, &rules()))
        }
        _ => None,
    };
    let collected = scan::scan(tree, gate, plan, options, cache.as_ref())?;
    if let Some(cache) = cache {
        cache.store();
    }
    Ok(collected)
}

/// Puts what a source collected into the order everything downstream sees.
fn tidy(collected: &mut Collected) {
    sort_findings(&mut collected.findings);
    collected.unreadable.sort();
    collected.unreadable.dedup();
    collected.parser_gaps.sort();
}

/// The reported findings of the gate's `rules` (all of them without).
fn of_rules(gate: &Gate, mut reported: external::Reported) -> external::Reported {
    if let Some(rules) = &gate.rules {
        (reported.findings).retain(|finding| rules.contains(&finding.rule));
    }
    reported
}

/// The files a `pattern` gate scans in the tree on disk, sorted (the
/// theater plants a synthesized sample in the first); empty for other
/// sources.
pub fn pattern_files(root: &Path, gate: &Gate) -> Result<Vec<String>, SourceError> {
    let FindingSource::Patterns(patterns) = &gate.source else {
        return Ok(Vec::new());
    };
    let root = root.canonicalize().map_err(|source| SourceError::Root {
        root: root.display().to_string(),
        source,
    })?;
    let (rules, _) = pattern::compile(gate, patterns)?;
    let select =
        |path: &str| lang::of_path(path).is_some_and(|lang| rules.iter().any(|r| r.lang == lang));
    let walked = crate::walk::walk(&root, &error::gate_place(gate), Scope::of(gate), &select)?;
    Ok(walked.files)
}

/// The rules of a rule file, checked against the gate's `language`, and the
/// file's bytes.
fn rule_file_plan(
    root: &Path,
    gate: &Gate,
    file: &str,
) -> Result<(scan::Plan, Vec<u8>), SourceError> {
    let (rules, bytes) = rule_file::load(root, file)?;
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
    let plan = scan::Plan {
        default_lang: single.then_some(first.lang),
        rules,
    };
    Ok((plan, bytes))
}
