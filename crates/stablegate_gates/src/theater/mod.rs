//! The theater triad (SPEC §7): proof that a gate is drift-immune, notices
//! content edits, and is not vacuous, obtained by mutating the tree and
//! running the gate again through [`crate::run::run_gate`] — the entry point
//! `check` uses, with the same reconciliation.
//!
//! Per gate, three legs, each judged against the unmutated run ([`judge`]):
//!
//! - **drift**: a blank line and a comment line at the top of every file with
//!   an allowlisted site and above each site, and a space inside each site's
//!   line; the outcome must not change (same items, lines aside).
//! - **content**: for each allowlisted entry (up to `max_sites`), one name on
//!   its site's line renamed while the file still parses; the gate must gain
//!   a failing item. Entries whose edit went unnoticed are listed.
//! - **non-vacuity**: the gate's `theater = { file, code }` sample, or else
//!   the statement of an allowlisted site copied into a new function at the
//!   end of its file; the gate must report a violation there.
//!
//! Where the mutated files live: for pattern and rule-file gates, in memory
//! ([`crate::tree::Overlay`]), with the unmutated run's findings reused for
//! every other file; for `command` gates, in a temporary copy of the project
//! ([`copy`]), since the detector reads files itself. The working tree is
//! never written. A `sarif` gate reads a fixed file no mutation can change,
//! so its legs are `inconclusive`. A leg that cannot be exercised is
//! `inconclusive`, which fails the triad like a failed leg.
//!
//! The result is a [`Triad`] per gate, turned into a [`GateOutcome`] of kind
//! `theater` ([`Triad::outcome`]) so every renderer of `check` prints it.

mod copy;
mod judge;
pub mod mutate;
mod outcome;

use std::collections::BTreeMap;

use stablegate_config::{FindingSource, Gate};
use stablegate_keys::decode_source;

use crate::run::{gather, outcome as gate_outcome, run_gate, GateError, GateInputs, RunContext};
use crate::tree::{Overlay, Tree};
use crate::verdict::{GateOutcome, Item, Verdict};
use mutate::Mutated;

/// How far the triad goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// How many allowlisted entries the content leg edits, one run each;
    /// `None`: all of them.
    pub max_sites: Option<usize>,
}

/// The three legs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leg {
    Drift,
    Content,
    NonVacuity,
}

impl Leg {
    /// The leg's name in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Leg::Drift => "drift",
            Leg::Content => "content",
            Leg::NonVacuity => "non_vacuity",
        }
    }
}

/// How a leg ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegStatus {
    Pass,
    Fail,
    Inconclusive,
}

/// One leg's result: what was mutated where, and why it did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegResult {
    pub leg: Leg,
    pub status: LegStatus,
    /// The first mutated place (for the report's location).
    pub file: String,
    pub line: Option<usize>,
    /// What was mutated, in a sentence.
    pub mutation: String,
    /// Why the leg failed or could not be exercised.
    pub reason: Option<String>,
    /// The items behind a failure: drifted items, or the `ok` items of
    /// entries whose edit went unnoticed.
    pub misses: Vec<Item>,
}

impl LegResult {
    fn inconclusive(leg: Leg, reason: impl Into<String>) -> Self {
        LegResult {
            leg,
            status: LegStatus::Inconclusive,
            file: String::new(),
            line: None,
            mutation: String::new(),
            reason: Some(reason.into()),
            misses: Vec::new(),
        }
    }
}

/// The triad of one gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triad {
    pub gate: String,
    pub legs: Vec<LegResult>,
}

/// Runs the triad of one gate. Errors are those of the gate itself (exit 2);
/// a mutation that cannot be made is an `inconclusive` leg, not an error.
pub fn run_triad(cx: &RunContext<'_>, gate: &Gate, options: &Options) -> Result<Triad, GateError> {
    let legs = match &gate.source {
        FindingSource::Sarif(_) => {
            let reason = "a `sarif` gate reads a fixed file that no mutation of the tree \
                          changes; the triad needs a gate that finds its sites itself \
                          (a `command` that re-runs the producer)";
            [Leg::Drift, Leg::Content, Leg::NonVacuity]
                .map(|leg| LegResult::inconclusive(leg, reason))
                .to_vec()
        }
        FindingSource::Command(_) => {
            let copy = copy::Copy::of(cx.root).map_err(|source| GateError::Read {
                path: "a temporary copy of the project".to_owned(),
                source,
            })?;
            let copied = RunContext::new(copy.root(), cx.today);
            let base = run_gate(&copied, gate)?;
            let runner = Runner::Copied { copy: &copy, cx: copied };
            legs(&runner, gate, &base, options)?
        }
        FindingSource::Patterns(_) | FindingSource::RuleFile(_) => {
            let inputs = gather(cx, gate)?;
            let base = gate_outcome(cx, gate, &inputs);
            let runner = Runner::InMemory { cx: *cx, base: &inputs };
            legs(&runner, gate, &base, options)?
        }
    };
    Ok(Triad {
        gate: gate.name.clone(),
        legs,
    })
}

/// Runs the gate over the tree with some files replaced.
enum Runner<'a> {
    InMemory { cx: RunContext<'a>, base: &'a GateInputs },
    Copied { copy: &'a copy::Copy, cx: RunContext<'a> },
}

impl Runner<'_> {
    fn root(&self) -> &std::path::Path {
        match self {
            Runner::InMemory { cx, .. } | Runner::Copied { cx, .. } => cx.root,
        }
    }

    fn run(&self, gate: &Gate, files: BTreeMap<String, String>) -> Result<GateOutcome, GateError> {
        match self {
            Runner::InMemory { cx, base } => {
                let overlay = Overlay {
                    files,
                    reuse: Some(base),
                };
                let mutated = RunContext {
                    overlay: Some(&overlay),
                    ..*cx
                };
                run_gate(&mutated, gate)
            }
            Runner::Copied { copy, cx } => {
                let io = |source| GateError::Read {
                    path: "a temporary copy of the project".to_owned(),
                    source,
                };
                let replaced = copy.apply(&files).map_err(io)?;
                let outcome = run_gate(cx, gate);
                copy.restore(replaced).map_err(io)?;
                outcome
            }
        }
    }

    /// A file's decoded text in the unmutated tree.
    fn text(&self, file: &str) -> Result<String, String> {
        let bytes = Tree::disk(self.root())
            .read(file)
            .map_err(|err| format!("{file} cannot be read: {err}"))?;
        decode_source(&bytes)
            .map(std::borrow::Cow::into_owned)
            .map_err(|_| format!("{file} is not valid UTF-8"))
    }
}

/// The allowlisted sites of the unmutated run, grouped by entry in order.
fn entries(base: &GateOutcome) -> Vec<Vec<&Item>> {
    let mut by_entry: BTreeMap<(String, usize), Vec<&Item>> = BTreeMap::new();
    for item in &base.items {
        if let (Verdict::Ok, Some(entry), Some(_)) = (item.verdict, &item.entry, item.line) {
            by_entry
                .entry((entry.allowlist.clone(), entry.line))
                .or_default()
                .push(item);
        }
    }
    by_entry.into_values().collect()
}

fn legs(
    runner: &Runner<'_>,
    gate: &Gate,
    base: &GateOutcome,
    options: &Options,
) -> Result<Vec<LegResult>, GateError> {
    let entries = entries(base);
    Ok(vec![
        drift(runner, gate, base, &entries)?,
        content(runner, gate, base, &entries, options)?,
        non_vacuity(runner, gate, &entries)?,
    ])
}

fn drift(
    runner: &Runner<'_>,
    gate: &Gate,
    base: &GateOutcome,
    entries: &[Vec<&Item>],
) -> Result<LegResult, GateError> {
    if entries.is_empty() {
        return Ok(LegResult::inconclusive(
            Leg::Drift,
            "the gate has no allowlisted site to shift",
        ));
    }
    let mut lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for item in entries.iter().flatten() {
        lines.entry(&item.file).or_default().extend(item.line);
    }
    let mut files = BTreeMap::new();
    let mut what = String::new();
    let mut site_count = 0;
    for (file, mut sites) in lines {
        sites.sort_unstable();
        sites.dedup();
        let mutated = runner
            .text(file)
            .and_then(|text| mutate::drift(file, &text, &sites));
        match mutated {
            Ok(Mutated { text, what: said, .. }) => {
                site_count += sites.len();
                what = said;
                files.insert(file.to_owned(), text);
            }
            Err(reason) => return Ok(LegResult::inconclusive(Leg::Drift, reason)),
        }
    }
    let first = entries[0][0];
    let files_len = files.len();
    let mutated = runner.run(gate, files)?;
    let drifted: Vec<Item> = judge::drifted(base, &mutated).into_iter().cloned().collect();
    Ok(LegResult {
        leg: Leg::Drift,
        status: if drifted.is_empty() { LegStatus::Pass } else { LegStatus::Fail },
        file: first.file.clone(),
        line: Some(1),
        mutation: format!("{} file(s), {site_count} site line(s): {what}", files_len),
        reason: (!drifted.is_empty()).then(|| {
            format!(
                "the outcome changed when only blank lines, comments and spaces were added ({} item(s))",
                drifted.len()
            )
        }),
        misses: drifted,
    })
}

fn content(
    runner: &Runner<'_>,
    gate: &Gate,
    base: &GateOutcome,
    entries: &[Vec<&Item>],
    options: &Options,
) -> Result<LegResult, GateError> {
    if entries.is_empty() {
        return Ok(LegResult::inconclusive(
            Leg::Content,
            "the gate has no allowlisted site to edit",
        ));
    }
    let limit = options.max_sites.unwrap_or(usize::MAX);
    let mut misses = Vec::new();
    let mut unexercised = Vec::new();
    let mut tried = 0;
    let mut first: Option<(String, usize, String)> = None;
    for entry in entries.iter().take(limit) {
        // Every site of the entry is edited: an entry covering two equal
        // lines still covers the other when only one changes, rightly so.
        let site = entry[0];
        let Some(line) = site.line else { continue };
        let mutated = edit_entry(runner, entry);
        let (files, what) = match mutated {
            Ok(mutated) => mutated,
            Err(reason) => {
                unexercised.push(reason);
                continue;
            }
        };
        tried += 1;
        first.get_or_insert_with(|| (site.file.clone(), line, what.clone()));
        let outcome = runner.run(gate, files)?;
        if !judge::caught(base, &outcome) {
            let mut miss = site.clone();
            miss.detail = Some(format!("{what}: the gate stayed green"));
            misses.push(miss);
        }
    }
    let (file, line, what) = first.unwrap_or_default();
    let status = if !misses.is_empty() {
        LegStatus::Fail
    } else if tried == 0 || !unexercised.is_empty() {
        LegStatus::Inconclusive
    } else {
        LegStatus::Pass
    };
    let reason = match status {
        LegStatus::Fail => Some(format!(
            "{} of {tried} edited entr{} went unnoticed",
            misses.len(),
            if tried == 1 { "y" } else { "ies" }
        )),
        LegStatus::Inconclusive => Some(unexercised.join("; ")),
        LegStatus::Pass => None,
    };
    Ok(LegResult {
        leg: Leg::Content,
        status,
        file,
        line: Some(line).filter(|&line| line > 0),
        mutation: format!("{tried} entr{} edited one at a time, first: {what}", if tried == 1 { "y" } else { "ies" }),
        reason,
        misses,
    })
}

/// The content edit of one entry: a name renamed on each of its sites'
/// lines, and what was done (said for the first site).
fn edit_entry(
    runner: &Runner<'_>,
    entry: &[&Item],
) -> Result<(BTreeMap<String, String>, String), String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut what = String::new();
    let mut edited: Vec<(&str, usize)> = Vec::new();
    for site in entry {
        let Some(line) = site.line else { continue };
        if edited.contains(&(site.file.as_str(), line)) {
            continue;
        }
        edited.push((&site.file, line));
        let text = match files.get(&site.file) {
            Some(text) => text.clone(),
            None => runner.text(&site.file)?,
        };
        let mutated = mutate::content(&site.file, &text, line)?;
        if what.is_empty() {
            what = mutated.what;
        }
        files.insert(site.file.clone(), mutated.text);
    }
    if entry.len() > 1 {
        what.push_str(&format!(" (and on the entry's {} other site(s))", entry.len() - 1));
    }
    Ok((files, what))
}

fn non_vacuity(
    runner: &Runner<'_>,
    gate: &Gate,
    entries: &[Vec<&Item>],
) -> Result<LegResult, GateError> {
    let mutation = match &gate.theater {
        Some(sample) => {
            let existing = runner.text(&sample.file).ok();
            mutate::append_sample(&sample.file, existing.as_deref(), &sample.code)
                .map(|mutated| (sample.file.clone(), mutated))
        }
        None if entries.is_empty() => Err(
            "the gate has no allowlisted site to copy and no `theater = { file, code }` sample"
                .to_owned(),
        ),
        None => {
            let mut last = String::new();
            let mut found = None;
            for site in entries.iter().flatten() {
                let Some(line) = site.line else { continue };
                let copied = runner
                    .text(&site.file)
                    .and_then(|text| mutate::copy_into_function(&site.file, &text, line));
                match copied {
                    Ok(mutated) => {
                        found = Some((site.file.clone(), mutated));
                        break;
                    }
                    Err(reason) => last = reason,
                }
            }
            found.ok_or(last)
        }
    };
    let (file, mutated) = match mutation {
        Ok(found) => found,
        Err(reason) => return Ok(LegResult::inconclusive(Leg::NonVacuity, reason)),
    };
    let lines = mutated.lines.clone();
    let files = BTreeMap::from([(file.clone(), mutated.text)]);
    let outcome = runner.run(gate, files)?;
    let caught = judge::violation_at(&outcome, &file, &lines);
    Ok(LegResult {
        leg: Leg::NonVacuity,
        status: if caught { LegStatus::Pass } else { LegStatus::Fail },
        file,
        line: lines.first().copied(),
        mutation: mutated.what,
        reason: (!caught).then(|| "the gate reported no violation at the new offender".to_owned()),
        misses: Vec::new(),
    })
}
