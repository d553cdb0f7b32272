//! `stablegate allow GATE --reason TEXT [--issue REF]`: accepts the gate's
//! current violations by appending one entry per uncovered live key to its
//! allowlist (SPEC §6, emit-on-miss written into the file).
//!
//! The entries are exactly what `check` suggests, with the reason as
//! `rationale`: file, qualname, token and line derived by the tool, `text`
//! for a line without code token and `rule` for findings whose source
//! reports rule ids (SPEC §12.7), `count` when several live sites share a
//! key (and rule) and the gate has `strict_counts`. Each goes in sorted
//! position by `(file, qualname, token, text, rule)` among the
//! existing entries (see `stablegate_gates::edit::insert_entries`), so that
//! concurrent additions on two branches rarely touch the same lines; the
//! file is created when missing; `<key>_baseline`, when the file has one, is
//! set to the new number of entries and the output says so. Only
//! `violation`s are accepted: `changed`, `stale`, `moved` and the other
//! failing verdicts need a person (the output counts them). An allowlist
//! that still holds legacy entries (line-keyed, or `token: ""` without
//! `text`) is refused: `convert` comes first, or the sites those entries
//! accept would get a second entry. Exit 0 when the
//! entries were written or there was nothing to add; 2 for bad input,
//! refused edits and the CI guard, with the file untouched.

use stablegate_gates::edit::{insert_entries, lacks_text, new_entries, NewEntry};
use stablegate_gates::run::{outcome, RunContext};
use stablegate_gates::Verdict;
use std::collections::BTreeMap;

use super::write;
use crate::cli::AllowArgs;
use crate::error::{Error, Problem};

pub fn run(cx: &super::Context, args: &AllowArgs) -> Result<(), Error> {
    write::human_only(cx, "allow")?;
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(Error::Input {
            at: "--reason".to_owned(),
            problem: Problem::Blank,
        });
    }
    let config = cx.load_config()?;
    let gates = super::select_gates(&config, std::slice::from_ref(&args.gate))?;
    let Some(gate) = gates.first() else {
        return Ok(());
    };
    let no_allowlist = || Error::NoAllowlist {
        gate: gate.name.clone(),
        action: "add entries to",
    };
    gate.allowlist.as_ref().ok_or_else(no_allowlist)?;
    let inputs = write::gather_gate(cx, gate)?;
    let file = inputs.allowlist.as_ref().ok_or_else(no_allowlist)?;
    // Token-less entries without `text` (before SPEC §12.7) are legacy too:
    // they are invalid, and `allow` would add a second entry for their sites.
    let legacy = (file.parsed.entries.iter())
        .filter(|e| e.is_legacy() || lacks_text(e))
        .count();
    if legacy > 0 {
        return Err(Error::LegacyEntries {
            path: file.path.clone(),
            key: file.parsed.key.clone(),
            gate: gate.name.clone(),
            count: legacy,
        });
    }
    let run_cx = RunContext::new(cx.root.path(), write::today()?).with_cache(cx.cache());
    let outcome = outcome(&run_cx, gate, &inputs);
    let issue = args
        .issue
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty());
    let entries = new_entries(&outcome.items, gate.strict_counts, reason, issue);
    let mut others = remaining(&outcome.items);
    let mut edits = write::Edits::new(args.dry_run);
    let mut text = Vec::new();
    if entries.is_empty() {
        text.extend(format!("gate `{}`: no violations; nothing to allow\n", gate.name).bytes());
    } else {
        let old = file.text.as_deref().unwrap_or("");
        let inserted = insert_entries(&file.path, old, &file.parsed, &entries)?;
        let change = format!("add {}", plural(entries.len(), "entry", "entries"));
        edits.guard("allow", &file.path, args.write, change)?;
        edits.write(cx, &file.path, file.text.as_deref(), &inserted.text)?;
        summary(&mut text, file, gate, &entries, inserted.baseline);
        // The baseline now equals the number of entries.
        others.remove("baseline");
    }
    if !others.is_empty() {
        let counts: Vec<String> = others
            .iter()
            .map(|(verdict, count)| format!("{verdict}: {count}"))
            .collect();
        text.extend(
            format!(
                "note: gate `{}` still has failing items `allow` does not accept ({}): see `stablegate check {}`\n",
                gate.name,
                counts.join(", "),
                gate.name
            )
            .bytes(),
        );
    }
    edits.finish(cx, &String::from_utf8_lossy(&text))
}

fn summary(
    text: &mut Vec<u8>,
    file: &stablegate_gates::inputs::AllowlistFile,
    gate: &stablegate_config::Gate,
    entries: &[NewEntry],
    baseline: Option<(u64, u64)>,
) {
    let what = plural(entries.len(), "entry", "entries");
    let head = if file.text.is_none() {
        format!(
            "{}: created with {what} under `{}`",
            file.path, file.parsed.key
        )
    } else {
        format!("{}: added {what} to `{}`", file.path, file.parsed.key)
    };
    text.extend(format!("{head} (gate `{}`):\n", gate.name).bytes());
    for entry in entries {
        let count = entry
            .count
            .map(|count| format!(" (count: {count})"))
            .unwrap_or_default();
        let rule = (entry.rule.as_deref())
            .map(|rule| format!(" [{rule}]"))
            .unwrap_or_default();
        // A token-less line is shown by its text.
        let key = match &entry.text {
            Some(plain) if entry.token.is_empty() => format!("text: {plain}"),
            _ => entry.token.clone(),
        };
        text.extend(
            format!(
                "  {}:{} ({}) {key}{rule}{count}\n",
                entry.file, entry.line, entry.qualname
            )
            .bytes(),
        );
    }
    if let Some((from, to)) = baseline {
        let verb = match to.cmp(&from) {
            std::cmp::Ordering::Greater => "raised",
            std::cmp::Ordering::Less => "lowered",
            std::cmp::Ordering::Equal => "kept",
        };
        let key = &file.parsed.key;
        let change = if from == to {
            format!("at {to}")
        } else {
            format!("from {from} to {to}")
        };
        text.extend(format!("{}: {verb} `{key}_baseline` {change}\n", file.path).bytes());
    }
}

/// Failing items other than violations, counted by verdict.
fn remaining(items: &[stablegate_gates::Item]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        if item.verdict.fails() && item.verdict != Verdict::Violation {
            *counts.entry(item.verdict.name()).or_insert(0) += 1;
        }
    }
    counts
}

pub(super) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
