//! The `human` format: what a person reads on a terminal.
//!
//! Layout (format version 1; for people, not parsers):
//!
//! ```text
//! gate inline_meta_read: FAIL (2 items, 3 ok)
//!
//! src/pkg/a.py:12 (Loader.load): violation: read meta.json through load_meta()
//!    |
//! 12 |         meta = json.load(f)
//!    |         ^^^^^^^^^^^^^^^^^^^
//!    |
//!    = token: meta = json . load ( f )
//!    = help: fix it, or accept it with this allowlist entry:
//!            - file: src/pkg/a.py
//!              …
//!
//! gate other: pass (0 items, 1 ok)
//!
//! FAIL: 1 of 2 gates failed; 2 items (1 violation, 1 stale), 4 ok
//! ```
//!
//! One header per gate (`gate` for code gates, `audit`, `marker`, `fresh` or
//! `scope` for the other kinds), then one block per reported item: every item but `ok`
//! (accepted sites are only counted). The first [`FULL_BLOCKS`] reported
//! items of the report get a whole block; the others their headline line
//! only, and a note before the summary says how many (a report of 300,000
//! items is for tools: `--format json` and the other formats have every item
//! in full; drawing 300,000 frames would make the human format the slow path
//! and bury the first items). A block is the item's location and
//! headline, the code frame when the caller's [`SourceLines`] has the line
//! (never for `stale`, `moved`, `ambiguous` and `invalid`, whose line is not a
//! live site), and the notes of `advice` (token, verdict-specific facts, what
//! to do). The last
//! line sums the report up. Colour only when the [`Style`] says so; without it
//! the output is plain text, ASCII apart from the user's own content, in which
//! control characters are escaped. A theater triad (kind `theater`) is laid
//! out as a table instead ([`crate::triad`]). This module prints; it decides
//! nothing.

use std::io::{self, Write};

use stablegate_model::{GateKind, GateOutcome, Item, Status, Verdict};

use crate::advice::{self, plural};
use crate::report::Report;
use crate::sources::SourceLines;
use crate::style::{Role, Style};
use crate::{frame, text};

/// Writes `report` for a person.
pub fn render(
    report: &Report,
    sources: &dyn SourceLines,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut budget = FULL_BLOCKS;
    let mut headline_only = 0u64;
    for gate in &report.gates {
        if gate.kind == GateKind::Theater {
            let item = |item: &Item, out: &mut dyn Write| {
                write_item(item, &crate::triad::SOURCES, style, out)
            };
            crate::triad::write(gate, style, out, &item)?;
        } else {
            headline_only += write_gate(gate, sources, style, &mut budget, out)?;
        }
    }
    if headline_only > 0 {
        writeln!(
            out,
            "note: {} printed without code frame and notes (the first {FULL_BLOCKS} have them); `--format json` has every item in full\n",
            plural(headline_only, "more item"),
        )?;
    }
    let summary = report.summary();
    let word = status_word(summary.status, style);
    writeln!(out, "{word}: {}", advice::summary_tail(&summary))
}

/// How many reported items of a report get their whole block (code frame and
/// notes); the rest get their headline line (see the module doc).
pub const FULL_BLOCKS: usize = 200;

/// The items [`render`] draws whole, in order: the sources it needs frames
/// from are theirs alone.
pub fn framed_items(report: &Report) -> impl Iterator<Item = &Item> {
    report
        .gates
        .iter()
        .filter(|gate| gate.kind != GateKind::Theater)
        .flat_map(|gate| &gate.items)
        .filter(|item| item.verdict != Verdict::Ok)
        .take(FULL_BLOCKS)
}

/// Writes one gate; returns how many of its items got their headline only
/// (`budget`, the whole blocks left, ran out).
fn write_gate(
    gate: &GateOutcome,
    sources: &dyn SourceLines,
    style: &Style,
    budget: &mut usize,
    out: &mut dyn Write,
) -> io::Result<u64> {
    let reported: Vec<&Item> = gate
        .items
        .iter()
        .filter(|item| item.verdict != Verdict::Ok)
        .collect();
    let ok = (gate.items.len() - reported.len()) as u64;
    let name = text::one_line(&gate.name);
    // `gate` for code gates; audits, markers, fresh and scope checks say
    // what they are.
    let word = match gate.kind {
        GateKind::Code => "gate",
        kind => kind.name(),
    };
    writeln!(
        out,
        "{word} {}: {} ({}, {ok} ok)",
        style.paint(Role::Emphasis, &name),
        status_word(gate.status, style),
        plural(reported.len() as u64, "item"),
    )?;
    writeln!(out)?;
    let whole = reported.len().min(*budget);
    *budget -= whole;
    for item in &reported[..whole] {
        write_item(item, sources, style, out)?;
        writeln!(out)?;
    }
    let rest = &reported[whole..];
    for item in rest {
        write_headline(item, style, out)?;
    }
    if !rest.is_empty() {
        writeln!(out)?;
    }
    Ok(rest.len() as u64)
}

fn write_item(
    item: &Item,
    sources: &dyn SourceLines,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_headline(item, style, out)?;
    let source = match item.line {
        Some(line) if shows_its_line(item.verdict) && !item.file.is_empty() => {
            sources.line(&item.file, line).map(|text| (line, text))
        }
        _ => None,
    };
    let source = source.as_ref().map(|(line, text)| (*line, text.as_str()));
    let body = frame::render(source, &advice::notes(item), !item.verdict.fails(), style);
    if !body.is_empty() {
        writeln!(out, "{body}")?;
    }
    Ok(())
}

/// The item's location, verdict and message, on one line.
fn write_headline(item: &Item, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let location = advice::location(item);
    let location = text::one_line(&location);
    let role = if item.verdict.fails() {
        Role::Fail
    } else {
        Role::Warn
    };
    write!(
        out,
        "{}: {}",
        style.paint(Role::Emphasis, &location),
        style.paint(role, item.verdict.name()),
    )?;
    if item.message.is_empty() {
        writeln!(out)
    } else {
        writeln!(out, ": {}", text::one_line(&item.message))
    }
}

/// Whether the item's line holds what the item is about. A stale or moved
/// entry's line is only where its site used to be, and an ambiguous or
/// invalid entry has no single live site: framing whatever is on that line now
/// would point at the wrong code.
fn shows_its_line(verdict: Verdict) -> bool {
    !matches!(
        verdict,
        Verdict::Stale
            | Verdict::Moved
            | Verdict::Ambiguous
            | Verdict::Invalid
            | Verdict::MissingCandidate
            | Verdict::OverBaseline
            | Verdict::BelowBaseline
            | Verdict::StaleArtifact
            | Verdict::OutOfScope
    )
}

pub(crate) fn status_word(status: Status, style: &Style) -> String {
    match status {
        Status::Fail => style.paint(Role::Fail, "FAIL").to_string(),
        Status::Pass => style.paint(Role::Pass, "pass").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{MemorySources, NoSources};

    fn render_to_string(report: &Report, sources: &dyn SourceLines, style: &Style) -> String {
        let mut out = Vec::new();
        render(report, sources, style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn ok_items_are_counted_not_printed() {
        let ok = Item::new(Verdict::Ok, "a.py", Some(1), "f", "x = 1");
        let report = Report::new(vec![GateOutcome::new("g", GateKind::Code, vec![ok])], "0");
        assert_eq!(
            render_to_string(&report, &NoSources, &Style::PLAIN),
            "gate g: pass (0 items, 1 ok)\n\npass: 1 of 1 gate passed; 1 ok\n"
        );
    }

    #[test]
    fn a_failing_item_gets_its_location_headline_frame_and_notes() {
        let mut item = Item::new(Verdict::Expired, "a.py", Some(2), "f", "y = 3");
        item.message = "no globals".into();
        let report = Report::new(vec![GateOutcome::new("g", GateKind::Code, vec![item])], "0");
        let mut sources = MemorySources::new();
        sources.insert("a.py", "def f():\n    y = 3\n");
        let out = render_to_string(&report, &sources, &Style::PLAIN);
        let expected = "gate g: FAIL (1 item, 0 ok)

a.py:2 (f): expired: no globals
  |
2 |     y = 3
  |     ^^^^^
  |
  = token: y = 3
  = help: the entry's `expires` date has passed: fix the site or renew the entry in review

FAIL: 1 of 1 gate failed; 1 item (1 expired)
";
        assert_eq!(out, expected);
    }

    #[test]
    fn a_stale_entry_does_not_frame_what_is_on_its_old_line_now() {
        let item = Item::new(Verdict::Stale, "a.py", Some(2), "f", "y = 2");
        let report = Report::new(vec![GateOutcome::new("g", GateKind::Code, vec![item])], "0");
        let mut sources = MemorySources::new();
        sources.insert("a.py", "def f():\n    z = 9\n");
        let out = render_to_string(&report, &sources, &Style::PLAIN);
        assert!(!out.contains("z = 9"), "{out}");
        assert!(out.contains("= token: y = 2"), "{out}");
    }

    #[test]
    fn colour_only_when_the_style_asks_for_it() {
        let item = Item::new(Verdict::Violation, "a.py", Some(1), "f", "x");
        let report = Report::new(vec![GateOutcome::new("g", GateKind::Code, vec![item])], "0");
        let plain = render_to_string(&report, &NoSources, &Style::PLAIN);
        assert!(plain.is_ascii() && !plain.contains('\u{1b}'), "{plain:?}");
        let colour = render_to_string(&report, &NoSources, &Style::COLOR);
        assert!(colour.contains("\u{1b}["), "{colour:?}");
    }

    #[test]
    fn past_the_first_full_blocks_items_get_their_headline_and_a_note_counts_them() {
        let items = |n: usize| -> Vec<Item> {
            (1..=n)
                .map(|line| Item::new(Verdict::Violation, "a.py", Some(line), "f", "x = 1"))
                .collect()
        };
        let report = Report::new(
            vec![
                GateOutcome::new("g", GateKind::Code, items(FULL_BLOCKS - 1)),
                GateOutcome::new("h", GateKind::Code, items(3)),
            ],
            "0",
        );
        let mut sources = MemorySources::new();
        sources.insert("a.py", "x = 1\n".repeat(FULL_BLOCKS + 5));
        let out = render_to_string(&report, &sources, &Style::PLAIN);
        assert_eq!(out.matches("= token: x = 1").count(), FULL_BLOCKS, "{out}");
        assert_eq!(framed_items(&report).count(), FULL_BLOCKS);
        let tail = "gate h: FAIL (3 items, 0 ok)

a.py:1 (f): violation
  |
1 | x = 1
  | ^^^^^
  |
  = token: x = 1
  = help: fix it, or accept it in the allowlist

a.py:2 (f): violation
a.py:3 (f): violation

note: 2 more items printed without code frame and notes (the first 200 have them); `--format json` has every item in full

FAIL: 2 of 2 gates failed; 202 items (202 violation)
";
        assert!(out.ends_with(tail), "{}", &out[out.len() - 900..]);
    }
}
