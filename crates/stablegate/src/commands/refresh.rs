//! `stablegate refresh [NAME...]`: moves the `line:` locators of allowlist
//! entries, and the locator line numbers of inventory tables (see
//! [`super::refresh_inventory`]), to where their keys live now (SPEC §5,
//! §6, §8). NAME may be a gate or an audit.
//!
//! Every selected gate with an allowlist (all of them by default) is
//! collected and keyed as `check` does; each entry that selects exactly one
//! live key gets the line of the key's first site. Only `line:` values are
//! rewritten: tokens, qualnames, files, counts, comments, order and quoting
//! stay byte for byte, and entries that select nothing (stale), several
//! keys, or are legacy (their `line` is their identity until `convert`) are
//! left as written and counted. Gates sharing one allowlist file are edited
//! together and the file is written once. Naming a gate without an
//! allowlist is bad input; by default such gates are skipped. Exit 0 (also
//! when nothing moved), 2 for bad input, refused edits and the CI guard.
//! `--dry-run` prints the diff instead (see `write`).

use stablegate_gates::allowlist::{self, Allowlist};
use stablegate_gates::edit::{relocate, relocations, Relocations};
use stablegate_gates::run::RunContext;

use super::allow::plural;
use super::write::{self, Part};
use crate::cli::RefreshArgs;
use crate::error::Error;

pub fn run(cx: &super::Context, args: &RefreshArgs) -> Result<(), Error> {
    write::human_only(cx, "refresh")?;
    let config = cx.load_config()?;
    let is_audit = |name: &String| config.audits.iter().any(|audit| &audit.name == name);
    let gate_names: Vec<String> = args
        .names
        .iter()
        .filter(|n| !is_audit(n))
        .cloned()
        .collect();
    let audits: Vec<&stablegate_config::Audit> = (config.audits.iter())
        .filter(|audit| args.names.is_empty() || args.names.contains(&audit.name))
        .collect();
    let gates = if args.names.is_empty() || !gate_names.is_empty() {
        super::select_gates(&config, &gate_names)?
    } else {
        Vec::new()
    };
    let files = write::gates_by_allowlist(cx, gates, !args.names.is_empty(), "refresh")?;
    let mut plans = Vec::new();
    for (path, parts) in &files {
        plans.push(plan(path, parts)?);
    }
    let run_cx = RunContext::new(cx.root.path(), write::today()?).with_cache(cx.cache());
    let inventories = super::refresh_inventory::plan(&config, &run_cx, &audits)?;
    // Every file is edited and checked before any is written, so bad input
    // in one leaves all of them untouched.
    let moves = |moved: usize| format!("move {}", plural(moved, "locator", "locators"));
    let allowlists = plans.iter().map(|plan| write::FileEdit {
        path: &plan.path,
        old: plan.text.as_deref(),
        new: plan.edited.as_deref(),
        report: &plan.report,
        change: moves(plan.found.iter().map(|found| found.moves.len()).sum()),
    });
    let tables = inventories.iter().map(|plan| write::FileEdit {
        path: &plan.path,
        old: plan.text.as_deref(),
        new: plan.edited.as_deref(),
        report: &plan.report,
        change: moves(plan.moved),
    });
    let files: Vec<write::FileEdit<'_>> = allowlists.chain(tables).collect();
    write::Edits::new(args.dry_run).apply_all(
        cx,
        "refresh",
        args.write,
        &files,
        "no gate has an allowlist: nothing to refresh\n",
    )
}

/// What refreshing one file will do.
struct Plan {
    path: String,
    /// The file's text before the edit.
    text: Option<String>,
    found: Vec<Relocations>,
    edited: Option<String>,
    report: String,
}

fn plan(path: &str, parts: &[Part]) -> Result<Plan, Error> {
    let text = parts
        .iter()
        .find_map(|part| part.inputs.allowlist.as_ref()?.text.clone());
    let Some(text) = text else {
        return Ok(Plan {
            path: path.to_owned(),
            text: None,
            found: Vec::new(),
            edited: None,
            report: format!("{path}: does not exist: nothing to refresh\n"),
        });
    };
    // Every key is read again from the one text that is edited.
    let mut lists: Vec<Allowlist> = Vec::new();
    for part in parts {
        let key = &part.gate.allowlist_key;
        let list =
            allowlist::parse_keys(path, &text, key, &part.gate.baseline_key).map_err(|source| {
                Error::Gate {
                    gate: part.gate.name.clone(),
                    source: Box::new(source.into()),
                }
            })?;
        lists.push(list);
    }
    let found: Vec<Relocations> = parts
        .iter()
        .zip(&lists)
        .map(|(part, list)| relocations(list, &part.inputs.keyed.sites))
        .collect();
    let mut report = String::new();
    for ((part, list), found) in parts.iter().zip(&lists).zip(&found) {
        report.push_str(&format!(
            "{path}: `{}` (gate `{}`): moved {}, {} already current, {} left as written\n",
            list.key,
            part.gate.name,
            plural(found.moves.len(), "locator", "locators"),
            found.current,
            found.untouched
        ));
        for relocation in &found.moves {
            report.push_str(&format!(
                "  {path}:{}: line {} -> {}\n",
                relocation.entry_line, relocation.from, relocation.to
            ));
        }
    }
    let moves: Vec<(&Allowlist, &[stablegate_gates::edit::Relocation])> = lists
        .iter()
        .zip(&found)
        .filter(|(_, found)| !found.moves.is_empty())
        .map(|(list, found)| (list, found.moves.as_slice()))
        .collect();
    let edited = if moves.is_empty() {
        None
    } else {
        Some(relocate(path, &text, &moves)?)
    };
    Ok(Plan {
        path: path.to_owned(),
        text: Some(text),
        found,
        edited,
        report,
    })
}
