//! Running one code gate end to end: collect findings, key them, read the
//! allowlist, reconcile. `check` calls [`run_gate`] for each `[[gate]]`; the
//! theater triad will drive the same function on a mutated tree.
//!
//! This is the only place of the crate that reads the allowlist file; it
//! prints nothing and decides nothing beyond what reconciliation returns:
//! files that could not be scanned become `parse_error` items (or
//! `parse_warning` with `on_parse_error = "warn"`), results of another tool
//! that were left out become `parse_warning` items naming the reason.

use std::path::Path;

use stablegate_config::{Gate, OnParseError};

use crate::allowlist::{self, Allowlist, AllowlistError};
use crate::date::Date;
use crate::keying::key_findings;
use crate::reconcile::{reconcile, ReconcileInput};
use crate::source::{self, SourceError, Unreadable};
use crate::verdict::{GateOutcome, Item, Verdict};

/// Why a gate could not be run at all (exit 2): its configuration, rule,
/// detector or allowlist is unusable.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Allowlist(#[from] AllowlistError),
    #[error("{path}: cannot be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// What a gate run needs besides the gate: the project root and today's date
/// (passed in, so runs are reproducible).
#[derive(Debug, Clone, Copy)]
pub struct RunContext<'a> {
    pub root: &'a Path,
    pub today: Date,
}

/// Runs one code gate and returns its outcome.
pub fn run_gate(cx: &RunContext<'_>, gate: &Gate) -> Result<GateOutcome, GateError> {
    let collected = source::collect(cx.root, gate)?;
    let keyed = key_findings(cx.root, &collected.findings);
    let allowlist = match &gate.allowlist {
        Some(path) => Some(read_allowlist(cx.root, path, &gate.allowlist_key)?),
        None => None,
    };
    let escaping = allowlist
        .as_ref()
        .map(|list| escaping_files(cx.root, list))
        .unwrap_or_default();
    let canonicalize = |token: &str| stablegate_keys::canonical_token(token);
    let mut items = reconcile(&ReconcileInput {
        gate: &gate.name,
        message: gate.message.as_deref(),
        strict_counts: gate.strict_counts,
        sites: &keyed.sites,
        allowlist: allowlist.as_ref(),
        allowlist_path: gate.allowlist.as_deref().unwrap_or(""),
        today: cx.today,
        canonicalize: &canonicalize,
        escaping_files: &escaping,
    });
    let verdict = match gate.on_parse_error {
        OnParseError::Fail => Verdict::ParseError,
        OnParseError::Warn => Verdict::ParseWarning,
    };
    for problem in collected.unreadable.iter().chain(&keyed.unkeyable) {
        items.push(unreadable_item(gate, problem, verdict));
    }
    for skipped in &collected.skipped {
        let mut item = Item::new(Verdict::ParseWarning, &skipped.at, None, "", "");
        item.rule = gate.name.clone();
        item.message = "a result of the detector was left out".to_owned();
        item.detail = Some(skipped.reason.clone());
        items.push(item);
    }
    Ok(GateOutcome::new(&gate.name, "code", items))
}

fn unreadable_item(gate: &Gate, problem: &Unreadable, verdict: Verdict) -> Item {
    let mut item = Item::new(verdict, &problem.file, problem.line, "<module>", "");
    item.rule = gate.name.clone();
    item.message = "the file could not be scanned".to_owned();
    item.detail = Some(format!("{} {}", problem.file, problem.reason));
    item
}

/// Reads and parses the gate's allowlist; a file that does not exist is an
/// empty allowlist (SPEC §4).
fn read_allowlist(root: &Path, path: &str, key: &str) -> Result<Allowlist, GateError> {
    match std::fs::read_to_string(root.join(path)) {
        Ok(text) => Ok(allowlist::parse(path, &text, key)?),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Allowlist::empty(key)),
        Err(source) => Err(GateError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Entry files that exist but resolve, through a symlink, outside the root.
fn escaping_files(root: &Path, list: &Allowlist) -> Vec<String> {
    let Ok(root) = root.canonicalize() else {
        return Vec::new();
    };
    let mut escaping: Vec<String> = list
        .entries
        .iter()
        .filter_map(|entry| entry.file.as_ref())
        .map(|file| file.value.clone())
        .filter(|file| !allowlist::escapes_root(file))
        .filter(|file| {
            root.join(file)
                .canonicalize()
                .is_ok_and(|resolved| !resolved.starts_with(&root))
        })
        .collect();
    escaping.sort();
    escaping.dedup();
    escaping
}
