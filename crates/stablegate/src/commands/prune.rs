//! `stablegate prune [NAME...]`: removes the stale entries of allowlists
//! (entries that cover no live site) and lowers `<key>_baseline` to match
//! (SPEC §12.5). NAME is a gate; by default every gate with an allowlist.
//!
//! Each selected gate is run as `check` runs it; an entry is removed when
//! its verdict is `stale`, and, when several gates read the same key of one
//! file, only when it is stale for every one of them. `changed` and `moved`
//! entries are not stale sites but edits a person decides on: they stay.
//! Fail-closed, like `convert`: a gate whose run could not see every file
//! (a file that cannot be read, decoded, keyed or fully parsed; results of
//! another tool that were left out) might report live entries as stale, so
//! nothing is written and the reason is given (exit 2); so is an allowlist
//! that still holds legacy entries (`convert` first). The edit cuts whole
//! entries and keeps every other byte (`stablegate_gates::edit::remove`),
//! and is re-read before anything is written. Every file is planned before
//! any is written. Exit 0 (also when nothing was stale), 2 for bad input,
//! refused edits and the CI guard. `--dry-run` prints the diff instead
//! (see `write`).

use std::collections::BTreeSet;

use stablegate_gates::allowlist::{self, Allowlist};
use stablegate_gates::edit::remove_entries;
use stablegate_gates::inputs::GateInputs;
use stablegate_gates::run::{outcome, RunContext};
use stablegate_gates::Verdict;

use super::allow::plural;
use super::write::{self, Part};
use crate::cli::PruneArgs;
use crate::error::Error;

pub fn run(cx: &super::Context, args: &PruneArgs) -> Result<(), Error> {
    write::human_only(cx, "prune")?;
    let config = cx.load_config()?;
    let gates = super::select_gates(&config, &args.names)?;
    let files = write::gates_by_allowlist(cx, gates, !args.names.is_empty(), "prune")?;
    let run_cx = RunContext::new(cx.root.path(), write::today()?).with_cache(cx.cache());
    let mut plans = Vec::new();
    for (path, parts) in &files {
        plans.push(plan(&run_cx, path, parts)?);
    }
    let files: Vec<write::FileEdit<'_>> = (plans.iter())
        .map(|plan| write::FileEdit {
            path: &plan.path,
            old: plan.text.as_deref(),
            // Only an existing file has entries to remove.
            new: plan.edited.as_deref().filter(|_| plan.text.is_some()),
            report: &plan.report,
            change: format!("remove {}", plural(plan.removed, "entry", "entries")),
        })
        .collect();
    write::Edits::new(args.dry_run).apply_all(
        cx,
        "prune",
        args.write,
        &files,
        "no gate has an allowlist: nothing to prune\n",
    )
}

/// One key of an allowlist file: its entries, the lines of the entries
/// stale for every gate reading it so far, and those gates.
struct KeyPlan<'a> {
    list: Allowlist,
    stale: BTreeSet<usize>,
    gates: Vec<&'a str>,
}

/// What pruning one file will do.
struct Plan {
    path: String,
    text: Option<String>,
    edited: Option<String>,
    removed: usize,
    report: String,
}

fn plan(run_cx: &RunContext<'_>, path: &str, parts: &[Part]) -> Result<Plan, Error> {
    let text = parts
        .iter()
        .find_map(|part| part.inputs.allowlist.as_ref()?.text.clone());
    let Some(text) = text else {
        return Ok(Plan {
            path: path.to_owned(),
            text: None,
            edited: None,
            removed: 0,
            report: format!("{path}: does not exist: nothing to prune\n"),
        });
    };
    // Per key of the file: its entries re-read from the one text that is
    // edited, and the lines of the entries stale for every gate reading it.
    let mut keys: Vec<KeyPlan> = Vec::new();
    for part in parts {
        let gate = part.gate;
        unsure(path, gate, &part.inputs)?;
        let key = &gate.allowlist_key;
        let list =
            allowlist::parse_keys(path, &text, key, &gate.baseline_key).map_err(|source| {
                Error::Gate {
                    gate: gate.name.clone(),
                    source: Box::new(source.into()),
                }
            })?;
        let legacy = list.entries.iter().filter(|e| e.is_legacy()).count();
        if legacy > 0 {
            return Err(Error::PruneUnsure {
                path: path.to_owned(),
                gate: gate.name.clone(),
                reason: format!(
                    "`{key}` still has {}: run `stablegate convert {}` first",
                    plural(
                        legacy,
                        "legacy line-keyed entry",
                        "legacy line-keyed entries"
                    ),
                    gate.name
                ),
            });
        }
        let decided = outcome(run_cx, gate, &part.inputs);
        let stale: BTreeSet<usize> = decided
            .items
            .iter()
            .filter(|item| item.verdict == Verdict::Stale)
            .filter_map(|item| item.more().entry.as_ref())
            .map(|entry| entry.line)
            .collect();
        match keys.iter_mut().find(|known| known.list.key == *key) {
            Some(known) => {
                known.stale = known.stale.intersection(&stale).copied().collect();
                known.gates.push(&gate.name);
            }
            None => keys.push(KeyPlan {
                list,
                stale,
                gates: vec![&gate.name],
            }),
        }
    }
    let mut removals: Vec<(&Allowlist, Vec<usize>)> = Vec::new();
    for known in &keys {
        let indices: Vec<usize> = (known.list.entries.iter().enumerate())
            .filter(|(_, entry)| known.stale.contains(&entry.line))
            .map(|(index, _)| index)
            .collect();
        removals.push((&known.list, indices));
    }
    let removed: usize = removals.iter().map(|(_, indices)| indices.len()).sum();
    let mut report = String::new();
    let edited = if removed == 0 {
        None
    } else {
        let borrowed: Vec<(&Allowlist, &[usize])> = removals
            .iter()
            .map(|(list, indices)| (*list, indices.as_slice()))
            .collect();
        Some(remove_entries(path, &text, &borrowed)?)
    };
    for (index, ((list, indices), known)) in removals.iter().zip(&keys).enumerate() {
        let gates = &known.gates;
        let what = plural(indices.len(), "stale entry", "stale entries");
        report.push_str(&format!(
            "{path}: `{}` ({} `{}`): removed {what}\n",
            list.key,
            if gates.len() == 1 { "gate" } else { "gates" },
            gates.join("`, `")
        ));
        for &at in indices {
            let entry = &list.entries[at];
            fn field(field: Option<&allowlist::Field<String>>) -> &str {
                field.as_ref().map_or("", |field| field.value.as_str())
            }
            let (file, qualname) = (field(entry.file.as_ref()), field(entry.qualname.as_ref()));
            let what = match entry.scope_value() {
                Some(scope) if qualname.is_empty() => format!("{file} (scope: {scope})"),
                Some(scope) => format!("{file} ({qualname}) (scope: {scope})"),
                None => format!("{file} ({qualname}) {}", field(entry.token.as_ref())),
            };
            report.push_str(&format!("  {path}:{}: {what}\n", entry.line));
        }
        let baseline = edited
            .as_ref()
            .and_then(|edited| edited.baselines.get(index).copied().flatten());
        if let Some((from, to)) = baseline.filter(|(from, to)| from != to) {
            report.push_str(&format!(
                "{path}: lowered `{}_baseline` from {from} to {to}\n",
                list.key
            ));
        }
    }
    Ok(Plan {
        path: path.to_owned(),
        text: Some(text),
        edited: edited.map(|edited| edited.text),
        removed,
        report,
    })
}

/// Refuses a gate whose run did not see every file it should have: an
/// entry for a site in such a file would look stale.
fn unsure(path: &str, gate: &stablegate_config::Gate, inputs: &GateInputs) -> Result<(), Error> {
    let collected = &inputs.collected;
    let blind = collected
        .unreadable
        .iter()
        .chain(&collected.parser_gaps)
        .chain(&inputs.keyed.unkeyable)
        .next();
    let reason = match (blind, collected.skipped.first()) {
        (Some(file), _) => format!(
            "{}{} {}: an entry for a site there would look stale (fix the file, or prune another time)",
            file.file,
            file.line.map(|line| format!(":{line}")).unwrap_or_default(),
            file.reason
        ),
        (None, Some(skipped)) => format!(
            "a finding was left out ({}: {}): an entry for it would look stale",
            skipped.at, skipped.reason
        ),
        (None, None) => return Ok(()),
    };
    Err(Error::PruneUnsure {
        path: path.to_owned(),
        gate: gate.name.clone(),
        reason,
    })
}
