//! `refresh`'s part for inventories: the locator column's line numbers move
//! to where each row's sink lives now (SPEC §6, §8).
//!
//! Audits sharing one Markdown file (several tables) are planned together
//! and the file is written once. Only the digits after a locator's `:`
//! change; every other byte stays (see `stablegate_gates::inventory::
//! relocate`). Rows that select no sink, several, or one another row took
//! are left as written and counted. Planning reads and checks everything;
//! the caller guards and writes after every plan succeeded.

use stablegate_config::Config;
use stablegate_gates::inventory::relocate::{apply, moves, Move, Moves};
use stablegate_gates::run::RunContext;

use super::allow::plural;
use super::checks;
use crate::error::Error;

/// What refreshing one inventory file will do.
pub struct Plan {
    pub path: String,
    pub moved: usize,
    /// The file's text before the edit.
    pub text: Option<String>,
    pub edited: Option<String>,
    pub report: String,
}

/// Plans the refresh of the inventories of `audits`.
pub fn plan(
    config: &Config,
    run_cx: &RunContext<'_>,
    audits: &[&stablegate_config::Audit],
) -> Result<Vec<Plan>, Error> {
    let mut files: Vec<(String, Vec<&stablegate_config::Audit>)> = Vec::new();
    for audit in audits {
        match files.iter_mut().find(|(path, _)| *path == audit.inventory) {
            Some((_, list)) => list.push(audit),
            None => files.push((audit.inventory.clone(), vec![audit])),
        }
    }
    let mut plans = Vec::new();
    for (path, audits) in files {
        let mut text = None;
        let mut found: Vec<Moves> = Vec::new();
        let mut report = String::new();
        for audit in audits {
            let run = checks::audit(config, run_cx, audit)?;
            let table = audit
                .table
                .as_deref()
                .map_or_else(|| "first table".to_owned(), |t| format!("table `{t}`"));
            let moved = moves(&run.inventory, &run.inputs.keyed.sites);
            report.push_str(&format!(
                "{path}: {table} (audit `{}`): moved {}, {} already current, {} left as written\n",
                audit.name,
                plural(moved.moves.len(), "locator", "locators"),
                moved.current,
                moved.untouched
            ));
            for m in &moved.moves {
                report.push_str(&format!(
                    "  {path}:{}: line {} -> {}\n",
                    m.row, m.from, m.to
                ));
            }
            text.get_or_insert(run.text);
            found.push(moved);
        }
        let all: Vec<&Move> = found.iter().flat_map(|f| &f.moves).collect();
        let edited = match (&text, all.is_empty()) {
            (Some(text), false) => Some(apply(text, &all)),
            _ => None,
        };
        plans.push(Plan {
            path,
            moved: all.len(),
            edited,
            text,
            report,
        });
    }
    Ok(plans)
}
