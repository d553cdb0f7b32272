//! The `human` layout of a theater triad (a gate outcome of kind
//! `theater`): a table of its legs, then the evidence of each leg that did
//! not pass (the outcome's items).
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

use stablegate_model::{GateOutcome, Item, LegVerdict};

use crate::sources::NoSources;
use crate::style::{Role, Style};
use crate::text;

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
    for leg in &gate.legs {
        let (word, role) = match leg.verdict {
            LegVerdict::Pass => ("pass", Role::Pass),
            LegVerdict::Fail => ("FAIL", Role::Fail),
            LegVerdict::Inconclusive => ("inconclusive", Role::Fail),
            LegVerdict::NotApplicable => ("n/a", Role::Pass),
        };
        let padded = format!("{word:<12}");
        let said = if leg.message.is_empty() {
            leg.detail.as_deref().unwrap_or_default()
        } else {
            &leg.message
        };
        writeln!(
            out,
            "  {:<11}  {}  {}",
            leg.leg.name(),
            style.paint(role, &padded),
            text::one_line(said)
        )?;
        if let Some(detail) = leg.detail.as_ref().filter(|_| !leg.message.is_empty()) {
            writeln!(out, "  {:<11}  {:<12}  {}", "", "", text::one_line(detail))?;
        }
    }
    writeln!(out)?;
    for item in &gate.items {
        write_item(item, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Frames are never shown for triad items (see the module doc).
pub(crate) const SOURCES: NoSources = NoSources;
