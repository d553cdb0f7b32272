//! The `human` layout of a theater triad (a gate outcome of kind
//! `theater`): a gate × leg table, then the evidence of each leg that did
//! not pass.
//!
//! ```text
//! theater inline_meta_read: FAIL
//!   drift        pass          src/a.py: a blank line and a comment line inserted …
//!   content      FAIL          2 entries edited one at a time, first: renamed `p` …
//!                              1 of 2 edited entries went unnoticed
//!   non_vacuity  inconclusive  the gate has no allowlisted site to copy …
//!
//! src/a.py:12 (load): leg_failed: an edit of this accepted site went unnoticed
//!    = token: data = json . loads ( p )
//!    = detail: renamed `p` to `p_stablegate_theater` on line 12: the gate stayed green
//! ```
//!
//! No code frames: the lines a mutation speaks of exist only in the mutated
//! view, not in the files on disk.

use std::io::{self, Write};

use stablegate_model::{GateOutcome, Item, Verdict};

use crate::sources::NoSources;
use crate::style::{Role, Style};
use crate::text;

/// The legs in the order the table lists them.
const LEGS: [&str; 3] = ["drift", "content", "non_vacuity"];

/// Writes one triad.
pub(crate) fn write(
    gate: &GateOutcome,
    style: &Style,
    out: &mut dyn Write,
    write_item: &dyn Fn(&Item, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    writeln!(
        out,
        "theater {}: {}",
        style.paint(Role::Emphasis, &text::one_line(&gate.name)),
        super::human::status_word(gate.status, style),
    )?;
    let is_leg = |item: &&Item| item.qualname.is_empty() && item.token.is_empty();
    for leg in LEGS {
        let Some(item) = gate
            .items
            .iter()
            .filter(is_leg)
            .find(|item| item.rule == leg)
        else {
            continue;
        };
        let (word, role) = match item.verdict {
            Verdict::Ok => ("pass", Role::Pass),
            Verdict::Inconclusive => ("inconclusive", Role::Fail),
            Verdict::NotApplicable => ("n/a", Role::Pass),
            _ => ("FAIL", Role::Fail),
        };
        let padded = format!("{word:<12}");
        let said = if item.message.is_empty() {
            item.detail.clone().unwrap_or_default()
        } else {
            item.message.clone()
        };
        writeln!(
            out,
            "  {leg:<11}  {}  {}",
            style.paint(role, &padded),
            text::one_line(&said)
        )?;
        if let Some(detail) = item.detail.as_ref().filter(|_| !item.message.is_empty()) {
            writeln!(out, "  {:<11}  {:<12}  {}", "", "", text::one_line(detail))?;
        }
    }
    writeln!(out)?;
    for item in gate.items.iter().filter(|item| !is_leg(item)) {
        write_item(item, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Frames are never shown for triad items (see the module doc).
pub(crate) const SOURCES: NoSources = NoSources;
