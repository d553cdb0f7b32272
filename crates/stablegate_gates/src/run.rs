//! Running one code gate end to end, the pipeline in order: walk and find
//! ([`crate::source::collect`]), key ([`crate::keying::key`]), read the
//! allowlist ([`gather`]), reconcile ([`outcome`]). `check` calls
//! [`run_gate`] for each `[[gate]]`; the theater triad drives the same
//! function on a mutated view of the tree ([`RunContext::overlay`]), reusing
//! the unmutated run's results for the files the mutation left alone
//! ([`RunContext::reuse`], [`crate::reuse`]); `allow`, `convert` and
//! `refresh` start from [`gather`] and edit the allowlist it read; audits
//! take [`find`]'s sites.
//!
//! This is the only place of the crate that reads the allowlist file; it
//! prints nothing and decides nothing beyond what reconciliation returns:
//! files that could not be scanned, and results of another tool that cannot
//! be placed (a file outside the root or of another checkout, a line past
//! the end of the file, no location), become `parse_error` items naming the
//! reason, which fail the gate (SPEC §12.6); only `on_parse_error = "warn"`
//! makes them `parse_warning`.

use std::path::Path;

use stablegate_config::{FindingSource, Gate, OnParseError};

use crate::allowlist::{self, Allowlist, AllowlistError};
use crate::date::Date;
use crate::git::{GitError, MergeBaseError};
use crate::inputs::{AllowlistFile, Collected, GateInputs, Keyed, Unreadable};
use crate::reconcile::{reconcile, ReconcileInput};
use crate::source::{self, SourceError};
use crate::tree::{Overlay, Tree};
use crate::verdict::{GateKind, GateOutcome, Item, Verdict};
use crate::{keying, ratchet, reuse};
use stablegate_keys::Language;

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
    /// The allowlist is not a regular file inside the root (a symlink
    /// leading out of it, a FIFO, a device, a file above the size limit).
    #[error("{path}: {source}")]
    Unusable {
        path: String,
        source: stablegate_io::read::ReadError,
    },
    /// git could not give the allowlist at the base (`shrink_only`).
    #[error("{path}: cannot be read at the base `{base}`: {source}")]
    AtBase {
        path: String,
        base: String,
        source: GitError,
    },
    /// The gate failed in the theater's temporary copy of the tree, not in
    /// the working tree: said, so the message is not taken for `check`'s.
    #[error("{source} (in the theater's temporary copy of the tree, {leg}: {root})")]
    InTheaterCopy {
        leg: &'static str,
        root: String,
        source: Box<GateError>,
    },
}

/// The base revision of the `shrink_only` ratchet (SPEC §12.2), resolved
/// once per command: the revision as given and its merge base with `HEAD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub name: String,
    pub commit: String,
}

impl Base {
    /// Resolves `name` (`--base REF` or `[check] base`) in the repository
    /// holding `root`; git's message when it cannot (exit 2).
    pub fn resolve(root: &Path, name: &str) -> Result<Base, MergeBaseError> {
        let commit = crate::git::merge_base(root, name)?;
        Ok(Base {
            name: name.to_owned(),
            commit,
        })
    }
}

/// What a gate run needs besides the gate: the project root, today's date
/// (passed in, so runs are reproducible) and, for the theater triad, the
/// files a mutation replaced in memory and the unmutated run to reuse.
#[derive(Debug, Clone, Copy)]
pub struct RunContext<'a> {
    pub root: &'a Path,
    pub today: Date,
    /// `None` for `check`: the tree exactly as it is on disk.
    pub overlay: Option<&'a Overlay>,
    /// The inputs of the same gate over the tree without the overlay: files
    /// the overlay does not hold keep their findings and keys from it.
    pub reuse: Option<&'a GateInputs>,
    /// The scan cache's directory ([`source::cache`]), for scans of the tree
    /// on disk; `None`: no cache.
    pub cache: Option<&'a Path>,
    /// Whether `[[detector]]` runs are shared by the whole process (off in
    /// the theater's copy of the tree, which changes between legs).
    pub share_detectors: bool,
    /// The base of `shrink_only` gates; `None`: the ratchet is not checked
    /// (commands other than `check`, the theater's mutated runs).
    pub base: Option<&'a Base>,
}

impl<'a> RunContext<'a> {
    /// A run over the tree as it is on disk.
    pub fn new(root: &'a Path, today: Date) -> Self {
        RunContext {
            root,
            today,
            overlay: None,
            reuse: None,
            cache: None,
            share_detectors: true,
            base: None,
        }
    }

    /// The same run, with the scan cache in `dir` (`None`: without).
    pub fn with_cache(self, dir: Option<&'a Path>) -> Self {
        RunContext { cache: dir, ..self }
    }

    fn tree(&self) -> Tree<'a> {
        Tree {
            root: self.root,
            overlay: self.overlay,
        }
    }
}

/// Walks, finds and keys: the live sites of one gate (its allowlist is not
/// read), reusing the unmutated run where the context carries one.
pub fn find(cx: &RunContext<'_>, gate: &Gate) -> Result<(Collected, Keyed), GateError> {
    let tree = cx.tree();
    if let Some(base) = cx.reuse {
        if let Some(found) = reuse::find(&tree, gate, base)? {
            return Ok(found);
        }
    }
    let options = source::Options {
        cache: cx
            .cache
            .filter(|_| cx.overlay.is_none())
            .map(Path::to_owned),
        share_detectors: cx.share_detectors,
        ..source::Options::default()
    };
    let mut collected = source::collect(&tree, gate, &options)?;
    let keyed = keying::key(&tree, &mut collected);
    Ok((collected, keyed))
}

/// Finds, keys and reads everything one gate needs (no verdicts yet).
pub fn gather(cx: &RunContext<'_>, gate: &Gate) -> Result<GateInputs, GateError> {
    let (collected, keyed) = find(cx, gate)?;
    let allowlist = match &gate.allowlist {
        Some(path) => Some(read_allowlist(cx.root, path, gate)?),
        None => None,
    };
    let at_base = match (&gate.allowlist, cx.base) {
        (Some(path), Some(base)) if gate.shrink_only => {
            Some(allowlist_at_base(cx.root, path, gate, base)?)
        }
        _ => None,
    };
    Ok(GateInputs {
        collected,
        keyed,
        allowlist,
        at_base,
    })
}

/// Runs one code gate and returns its outcome.
pub fn run_gate(cx: &RunContext<'_>, gate: &Gate) -> Result<GateOutcome, GateError> {
    let mut inputs = gather(cx, gate)?;
    // The outcome reads the keyed sites, each holding its finding: the
    // findings' own list (a detector's; a scan keeps only those it could
    // not key) goes before the items are built (a rule that
    // matches everywhere has hundreds of thousands of them), with the
    // scan's per-file buffers, so the items reuse their pages; everything
    // else goes after, freed on rayon's pool while the caller goes on.
    drop(std::mem::take(&mut inputs.collected.findings));
    stablegate_io::memory::release_freed();
    let outcome = outcome(cx, gate, &inputs);
    rayon::spawn(move || drop(inputs));
    Ok(outcome)
}

/// The outcome of a gate from what [`gather`] read: reconciliation's items,
/// plus one item per file that could not be scanned and per result of the
/// detector that could not be placed, each `parse_error` unless the gate
/// says `on_parse_error = "warn"`: a finding the gate cannot see is not a
/// finding it may ignore.
pub fn outcome(cx: &RunContext<'_>, gate: &Gate, inputs: &GateInputs) -> GateOutcome {
    let allowlist = inputs.allowlist.as_ref().map(|file| &file.parsed);
    let escaping = allowlist
        .map(|list| escaping_files(cx.root, list))
        .unwrap_or_default();
    let canonicalize = |file: &str, token: &str| {
        stablegate_keys::canonical_token_for(Language::from_path(file), token)
    };
    let mut items = reconcile(&ReconcileInput {
        gate: &gate.name,
        message: gate.message.as_deref(),
        strict_counts: gate.strict_counts,
        sites: &inputs.keyed.sites,
        allowlist,
        allowlist_path: gate.allowlist.as_deref().unwrap_or(""),
        today: cx.today,
        canonicalize: &canonicalize,
        escaping_files: &escaping,
    });
    // The few items added below go to a list of their own and join the
    // reconciled ones with one exact reservation: pushing them one by one
    // onto a vector of hundreds of thousands of items, built to its exact
    // length, would double its capacity.
    let mut more = Vec::new();
    gate_level_items(gate, inputs, &mut items, &mut more);
    let verdict = match gate.on_parse_error {
        OnParseError::Fail => Verdict::ParseError,
        OnParseError::Warn => Verdict::ParseWarning,
    };
    let collected = &inputs.collected;
    for problem in collected.unreadable.iter().chain(&inputs.keyed.unkeyable) {
        more.push(unreadable_item(gate, problem, verdict));
    }
    // `collected.parser_gaps` (valid Python that tree-sitter could not fully
    // parse, e.g. a column-0 comment between a decorator and its `def`) are
    // not reported: they come and go with blank and comment lines, and an
    // item that appears on a drift would break the gate's drift immunity.
    for skipped in &collected.skipped {
        let mut item = Item::new(verdict, &skipped.at, None, "", "");
        item.rule = gate.name.clone().into();
        item.message = "a result of the detector could not be placed".into();
        item.detail = Some(skipped.reason.clone().into());
        more.push(item);
    }
    let scans = matches!(
        gate.source,
        FindingSource::Patterns(_) | FindingSource::RuleFile(_)
    );
    let found_nothing = collected.findings.is_empty() && inputs.keyed.sites.is_empty();
    if scans && collected.scanned_files == 0 && found_nothing {
        // Never a silent green: a scan of nothing is said (SPEC §12.1).
        let mut item = Item::new(Verdict::ParseWarning, gate.paths.join(", "), None, "", "");
        item.rule = gate.name.clone().into();
        item.message = "the gate scanned no file".into();
        item.detail = Some(
            "no file of the gate's languages under `paths`: it passes having looked at nothing; fix `paths` or `language`"
                .into(),
        );
        more.push(item);
    }
    items.reserve_exact(more.len());
    items.append(&mut more);
    GateOutcome::new(&gate.name, GateKind::Code, items)
}

/// The verdicts about the gate as a whole ([`ratchet`]): a count gate's
/// sites counted instead of violations, a crossed `min_sites`/`max_sites`,
/// a `shrink_only` allowlist that grew, `*_baseline` keys naming no list.
fn gate_level_items(
    gate: &Gate,
    inputs: &GateInputs,
    reconciled: &mut [Item],
    items: &mut Vec<Item>,
) {
    if ratchet::is_count_gate(gate) {
        ratchet::counted(reconciled);
    }
    items.extend(ratchet::bounds(gate, inputs.keyed.sites.len() as u64));
    if let Some(file) = &inputs.allowlist {
        if let Some(then) = &inputs.at_base {
            items.extend(ratchet::grown(gate, &file.path, &file.parsed, then));
        }
        items.extend(ratchet::orphan_baselines(gate, &file.path, &file.parsed));
    }
}

/// The gate's allowlist at the merge base of the `shrink_only` base.
fn allowlist_at_base(
    root: &Path,
    path: &str,
    gate: &Gate,
    base: &Base,
) -> Result<ratchet::AtBase, GateError> {
    let fail = |source| GateError::AtBase {
        path: path.to_owned(),
        base: base.name.clone(),
        source,
    };
    let allowlist = match crate::git::file_at(root, &base.commit, path).map_err(fail)? {
        None => None,
        Some(bytes) => {
            let shown = format!("{path} (at {})", &base.commit[..base.commit.len().min(12)]);
            let text = allowlist::decode(&shown, bytes)?;
            Some(allowlist::parse_keys(
                &shown,
                &text,
                &gate.allowlist_key,
                &gate.baseline_key,
            )?)
        }
    };
    Ok(ratchet::AtBase {
        base: base.name.clone(),
        commit: base.commit.clone(),
        allowlist,
    })
}

pub(crate) fn unreadable_item(gate: &Gate, problem: &Unreadable, verdict: Verdict) -> Item {
    let mut item = Item::new(verdict, &problem.file, problem.line, "<module>", "");
    item.rule = gate.name.clone().into();
    item.message = "the file could not be scanned".into();
    item.detail = Some(format!("{} {}", problem.file, problem.reason).into());
    item
}

/// Reads and parses the gate's allowlist; a file that does not exist is an
/// empty allowlist (SPEC §4). One that is not a regular file inside the root
/// (a symlink leading out of it, a FIFO, a device) or is above the size
/// limit is refused (SPEC §12.6).
fn read_allowlist(root: &Path, path: &str, gate: &Gate) -> Result<AllowlistFile, GateError> {
    use stablegate_io::read::{file_in_root, ReadError, TEXT_LIMIT};
    let key = &gate.allowlist_key;
    let (text, parsed) = match file_in_root(root, path, TEXT_LIMIT) {
        Ok(bytes) => {
            let text = allowlist::decode(path, bytes)?;
            let parsed = allowlist::parse_keys(path, &text, key, &gate.baseline_key)?;
            (Some(text), parsed)
        }
        Err(ReadError::NotFound) => (None, Allowlist::empty(key)),
        Err(source) => {
            return Err(GateError::Unusable {
                path: path.to_owned(),
                source,
            })
        }
    };
    Ok(AllowlistFile {
        path: path.to_owned(),
        text,
        parsed,
    })
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
