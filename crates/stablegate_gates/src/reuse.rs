//! Reusing the unmutated run when the theater triad runs a gate over a
//! mutated view of the tree.
//!
//! A file's findings and keys depend on that file alone, so a run over a tree
//! in which only the overlay's files differ needs to scan and key just those
//! files: every other file keeps what the unmutated run found there. The
//! merged result is exactly what a full run over the mutated view gives (a
//! test in `tests/theater.rs` compares the two for many kinds of overlay).
//! This holds for the sources that scan the tree themselves (patterns and
//! rule files); a `command` or `sarif` source reads the disk and is run whole
//! (see [`crate::theater`]). Owned by the runner ([`crate::run`]); the
//! [`Tree`] knows nothing of it.

use std::collections::BTreeSet;

use stablegate_config::{FindingSource, Gate};

use crate::inputs::{sort_findings, Collected, GateInputs, Keyed};
use crate::source::{self, Options, SourceError};
use crate::tree::Tree;
use crate::{keying, line_keys};

/// The findings and keys of `gate` over `tree`, from `base` (the run over the
/// tree without the overlay) for every file the overlay does not replace;
/// `None` when the gate's source cannot be re-run file by file.
pub(crate) fn find(
    tree: &Tree<'_>,
    gate: &Gate,
    base: &GateInputs,
) -> Result<Option<(Collected, Keyed)>, SourceError> {
    if !matches!(
        gate.source,
        FindingSource::Patterns(_) | FindingSource::RuleFile(_)
    ) {
        return Ok(None);
    }
    let replaced: BTreeSet<String> = tree.replaced().map(str::to_owned).collect();
    let options = Options {
        only: Some(replaced),
        ..Options::default()
    };
    let mut fresh = source::collect(tree, gate, &options)?;
    let fresh_keyed = keying::key(tree, &mut fresh);
    let kept = |file: &str| !tree.replaces(file);

    let earlier = &base.collected;
    let mut collected = Collected {
        findings: (earlier.findings.iter())
            .filter(|finding| kept(&finding.file))
            .cloned()
            .chain(fresh.findings)
            .collect(),
        unreadable: (earlier.unreadable.iter())
            .filter(|problem| kept(&problem.file))
            .cloned()
            .chain(fresh.unreadable)
            .collect(),
        parser_gaps: (earlier.parser_gaps.iter())
            .filter(|problem| kept(&problem.file))
            .cloned()
            .chain(fresh.parser_gaps)
            .collect(),
        skipped: earlier.skipped.clone(),
        scanned_files: earlier.scanned_files,
        parsed_files: earlier.parsed_files + fresh.parsed_files,
        keyed_on_the_way: None,
    };
    sort_findings(&mut collected.findings);
    collected.unreadable.sort();
    collected.unreadable.dedup();
    collected.parser_gaps.sort();

    let sites = (base.keyed.sites.iter())
        .filter(|site| kept(&site.finding.file))
        .cloned()
        .chain(fresh_keyed.sites)
        .collect();
    let unkeyable = (base.keyed.unkeyable.iter())
        .filter(|problem| kept(&problem.file))
        .cloned()
        .chain(fresh_keyed.unkeyable)
        .collect();
    Ok(Some((collected, line_keys::in_order(sites, unkeyable))))
}
