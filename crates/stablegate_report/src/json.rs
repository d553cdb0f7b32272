//! The `json` format: one JSON document for machines (format version 1).
//!
//! ```json
//! {
//!   "version": 1,
//!   "gates": [
//!     {
//!       "name": "inline_meta_read",
//!       "kind": "code",
//!       "status": "fail",
//!       "items": [
//!         {
//!           "verdict": "violation",
//!           "file": "src/pkg/a.py",
//!           "line": 12,
//!           "qualname": "Loader.load",
//!           "token": "meta = json . load ( f )",
//!           "rule": "inline_meta_read",
//!           "message": "read meta.json through load_meta()",
//!           "suggestion": "- file: src/pkg/a.py\n  …"
//!         }
//!       ]
//!     }
//!   ],
//!   "summary": {
//!     "status": "fail",
//!     "gates": {"pass": 0, "fail": 1},
//!     "failing_items": 1,
//!     "verdicts": {"ok": 0, "violation": 1, "changed": 0, "moved": 0, "stale": 0,
//!                  "count": 0, "baseline": 0, "expired": 0, "ambiguous": 0,
//!                  "invalid": 0, "parse_error": 0, "parse_warning": 0}
//!   }
//! }
//! ```
//!
//! Schema, version 1. Keys appear in this order; the document is written
//! compactly on one line, followed by a newline.
//!
//! - `version`: the integer `1`. A consumer must check it; a change that
//!   removes or retypes a key raises it, adding an optional key does not.
//! - `gates`: every gate in the order it ran. `name` (string), `kind`
//!   (string: `code` for `[[gate]]` tables; other kinds come with audits,
//!   markers, fresh and scope checks, and `theater` triads), `status`
//!   (`pass` | `fail`, decided by the gate before rendering), `legs` (kind
//!   `theater` only, see below), `items` (array, sorted by file, line,
//!   verdict, token).
//! - A `theater` gate's `legs`: one object per leg, in the order `drift`,
//!   `content`, `non_vacuity`: `leg` (that name), `verdict` (`ok`,
//!   `leg_failed`, `inconclusive` or `n/a`), `file` and `line` (where the
//!   first mutation went; `null` when the leg mutated nothing), `message`
//!   (what was mutated; may be empty) and, when there is one, `detail` (why
//!   the leg failed, could not be exercised or cannot apply). Its `items`
//!   are the evidence of failed legs (`leg_failed`, `rule` = the leg).
//! - An item always has `verdict` (one of `ok`, `violation`, `changed`,
//!   `moved`, `stale`, `count`, `baseline`, `expired`, `ambiguous`, `invalid`,
//!   `parse_error`, `parse_warning`), `file` (root-relative, `/`-separated;
//!   the allowlist for file-level items such as `baseline`), `line` (1-based
//!   locator, or `null`), `qualname`, `token` (may be empty), `rule`,
//!   `message` (`rule` is the id the producer reported, the entry's `rule`,
//!   or the gate's name). Optional keys, present only when they apply:
//!   `text` (the plain-text key of a line without code token, `token` then
//!   empty; SPEC §12.7), `old_token` (`changed`: the entry's token; `token`
//!   is the live one), `old_text` (`changed`, token-less: the entry's
//!   text), `moved_to`
//!   (`moved`), `nearest` (`stale`: the nearest live token in the qualname),
//!   `expected` and `actual` (integers; `count`, `baseline`), `entry`
//!   (`{"allowlist": path, "line": n}`: the allowlist entry concerned),
//!   `scope` (`file` or `qualname`: the entry concerned is scoped, SPEC
//!   §12.2),
//!   `rationale` (the accepted entry's rationale), `suggestion` (`violation`:
//!   the ready-to-paste YAML entry), `detail` (a sentence saying what is
//!   wrong, for `invalid`, `ambiguous`, `parse_error`, …).
//! - `summary`: `status` (`fail` iff some gate failed), `gates` (how many
//!   passed and failed), `failing_items` (items whose verdict fails a gate:
//!   all but `ok` and `parse_warning`), `verdicts` (items per verdict, every
//!   verdict present). Theater legs count as items of their verdict here.
//!
//! Items are the model's own serialisation (`stablegate_model::Item`); the
//! tests of this crate pin the exact bytes, so a change in the model that
//! would change this format fails here first. This module decides nothing.

use std::io::{self, Write};

use rayon::prelude::*;
use stablegate_model::Item;

use crate::report::Report;

/// The version written in the document's `version` key.
pub const FORMAT_VERSION: u32 = 1;

/// Items per batch: rendered on rayon's pool while the batch before is
/// written, so memory holds two batches, not the document.
const BATCH: usize = 16 * 1024;
/// Bytes per batch, about: a batch also ends before its items' text passes
/// this, so 10,000 items that each repeat a 150 KB token are not rendered
/// all at once (SPEC §12.6: memory stays proportional to the input).
const BATCH_BYTES: usize = 16 << 20;
/// Items per piece of a batch rendered by one worker.
const PIECE: usize = 512;

/// Writes `report` as one JSON document and a newline.
///
/// The document is the tests' `Document` as serde_json writes it compactly; its
/// frame is written here and the items, the bulk of a report of a rule that
/// matches everywhere (hundreds of megabytes), are serialised in parallel
/// and streamed, never held whole in memory.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    write!(out, "{{\"version\":{FORMAT_VERSION},\"gates\":[")?;
    for (index, gate) in report.gates.iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"name\":")?;
        serde_json::to_writer(&mut out, &gate.name)?;
        out.write_all(b",\"kind\":")?;
        serde_json::to_writer(&mut out, &gate.kind)?;
        out.write_all(b",\"status\":")?;
        serde_json::to_writer(&mut out, &gate.status)?;
        if !gate.legs.is_empty() {
            out.write_all(b",\"legs\":")?;
            serde_json::to_writer(&mut out, &gate.legs)?;
        }
        out.write_all(b",\"items\":[")?;
        write_items(&gate.items, &mut out)?;
        out.write_all(b"]}")?;
    }
    out.write_all(b"],\"summary\":")?;
    serde_json::to_writer(&mut out, &report.summary())?;
    out.write_all(b"}\n")?;
    out.flush()
}

/// The items, comma-separated, in order.
fn write_items(items: &[Item], out: &mut dyn Write) -> io::Result<()> {
    let mut written = 0;
    let mut rendered: Vec<Vec<u8>> = Vec::new();
    for batch in Batches(items) {
        let mut next: Vec<Vec<u8>> = Vec::new();
        let result = rayon::in_place_scope(|scope| {
            scope.spawn(|_| next = render_pieces(batch));
            write_pieces(&rendered, &mut written, out)
        });
        result?;
        rendered = next;
    }
    write_pieces(&rendered, &mut written, out)
}

/// Consecutive runs of items of at most [`BATCH`] items and, unless one
/// item alone is larger, [`BATCH_BYTES`] of text.
struct Batches<'a>(&'a [Item]);

impl<'a> Iterator for Batches<'a> {
    type Item = &'a [Item];

    fn next(&mut self) -> Option<&'a [Item]> {
        if self.0.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut end = 0;
        while end < self.0.len().min(BATCH) {
            bytes += text_size(&self.0[end]);
            if end > 0 && bytes > BATCH_BYTES {
                break;
            }
            end += 1;
        }
        let (batch, rest) = self.0.split_at(end);
        self.0 = rest;
        Some(batch)
    }
}

/// About how many bytes an item's JSON takes: its strings and a margin for
/// the keys and numbers.
fn text_size(item: &Item) -> usize {
    let optional = [
        &item.more().old_token,
        &item.more().old_text,
        &item.more().moved_to,
        &item.more().nearest,
    ];
    let shared = [
        &item.more().rationale,
        &item.detail,
        &item.text,
        &item.more().scope,
    ];
    // A suggested entry is about as long as the key it repeats.
    let suggestion = item
        .suggestion
        .as_ref()
        .map_or(0, |_| 96 + item.token.len());
    256 + suggestion
        + item.file.len()
        + item.qualname.len()
        + item.token.len()
        + item.rule.len()
        + item.message.len()
        + optional
            .iter()
            .map(|text| text.as_ref().map_or(0, String::len))
            .sum::<usize>()
        + shared
            .iter()
            .map(|text| text.as_ref().map_or(0, |text| text.len()))
            .sum::<usize>()
}

fn render_pieces(batch: &[Item]) -> Vec<Vec<u8>> {
    // Pieces small enough that a short batch of large items still spreads
    // over the pool.
    let piece = PIECE
        .min(batch.len().div_ceil(4 * rayon::current_num_threads()))
        .max(1);
    (batch.par_chunks(piece))
        .map(|piece| {
            let mut bytes = Vec::with_capacity(piece.len() * 384);
            for (index, item) in piece.iter().enumerate() {
                if index > 0 {
                    bytes.push(b',');
                }
                // Writing into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut bytes, item);
            }
            bytes
        })
        .collect()
}

fn write_pieces(pieces: &[Vec<u8>], written: &mut usize, out: &mut dyn Write) -> io::Result<()> {
    for piece in pieces {
        if *written > 0 {
            out.write_all(b",")?;
        }
        out.write_all(piece)?;
        *written += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use stablegate_model::{
        GateKind, GateOutcome, Leg, LegOutcome, LegVerdict, SharedStr, Verdict,
    };

    use crate::report::Summary;

    /// The whole document, in key order: what [`render`] writes, byte for
    /// byte.
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        gates: &'a [GateOutcome],
        summary: Summary,
    }

    fn legs() -> Vec<LegOutcome> {
        Leg::ALL
            .into_iter()
            .zip([LegVerdict::Pass, LegVerdict::Fail, LegVerdict::Inconclusive])
            .map(|(leg, verdict)| LegOutcome {
                leg,
                verdict,
                file: (verdict != LegVerdict::Inconclusive).then(|| "a \"b\".py".to_owned()),
                line: Some(3),
                message: "renamed `p`".to_owned(),
                detail: (verdict != LegVerdict::Pass).then(|| "why\nnot".to_owned()),
            })
            .collect()
    }

    #[test]
    fn a_theater_gate_has_its_legs_before_its_items() {
        let report = Report::new(vec![GateOutcome::theater("t", legs(), Vec::new())], "0");
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let gate = value["gates"][0].as_object().unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        let order = [
            "\"name\"",
            "\"kind\"",
            "\"status\"",
            "\"legs\"",
            "\"items\"",
        ]
        .map(|key| text.find(key).unwrap());
        assert!(order.is_sorted(), "{text}");
        assert_eq!(gate["kind"], "theater");
        assert_eq!(gate["status"], "fail");
        assert_eq!(
            gate["legs"][1],
            serde_json::json!({"leg": "content", "verdict": "leg_failed", "file": "a \"b\".py",
                "line": 3, "message": "renamed `p`", "detail": "why\nnot"})
        );
        assert_eq!(gate["legs"][2]["file"], serde_json::Value::Null);
        assert!(gate["legs"][0].get("detail").is_none());
        assert_eq!(value["summary"]["failing_items"], 2);
        assert_eq!(value["summary"]["verdicts"]["ok"], 1);
    }

    #[test]
    fn document_has_exactly_the_spec_keys() {
        let item = Item::new(Verdict::Violation, "a.py", None, "<module>", "x = 1");
        let report = Report::new(vec![GateOutcome::new("g", GateKind::Code, vec![item])], "0");
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 3);
        assert_eq!(value["version"], 1);
        assert_eq!(value["gates"][0]["status"], "fail");
        assert_eq!(
            value["gates"][0]["items"][0]["line"],
            serde_json::Value::Null
        );
        assert_eq!(value["summary"]["verdicts"]["violation"], 1);
        assert!(out.ends_with(b"}\n"));
    }

    #[test]
    fn the_streamed_document_is_serde_json_of_the_document() {
        // Enough items for several batches and pieces, odd names and a
        // gate with no items.
        let items = |count: usize| -> Vec<Item> {
            (0..count)
                .map(|n| {
                    let mut item = Item::new(
                        if n % 3 == 0 {
                            Verdict::Ok
                        } else {
                            Verdict::Violation
                        },
                        format!("pkg/m{}.py", n / 7),
                        Some(n % 50 + 1),
                        "C.f",
                        format!("x = \"{n}\" \\ é"),
                    );
                    item.detail = (n % 5 == 0).then(|| "a \"quoted\"\nline".into());
                    item
                })
                .collect()
        };
        let report = Report::new(
            vec![
                GateOutcome::new("big \"one\"", GateKind::Code, items(2 * BATCH + 7)),
                GateOutcome::new("empty", GateKind::Audit, Vec::new()),
                GateOutcome::new("small", GateKind::Code, items(3)),
                GateOutcome::theater("triad", legs(), items(2)),
            ],
            "0",
        );
        let mut streamed = Vec::new();
        render(&report, &mut streamed).unwrap();
        let document = Document {
            version: FORMAT_VERSION,
            gates: &report.gates,
            summary: report.summary(),
        };
        let mut expected = serde_json::to_vec(&document).unwrap();
        expected.push(b'\n');
        assert!(streamed == expected, "the streamed document differs");
    }

    #[test]
    fn items_with_long_tokens_are_batched_by_size_and_streamed_unchanged() {
        // 40 items sharing one 1 MB token: batches end by size, not count.
        let token = SharedStr::from("x . y , ".repeat(1 << 17));
        let items: Vec<Item> = (0..40)
            .map(|n| {
                Item::new(
                    Verdict::Violation,
                    "a.py",
                    Some(1 + n % 2),
                    "<module>",
                    &token,
                )
            })
            .collect();
        let sizes: Vec<usize> = Batches(&items).map(<[Item]>::len).collect();
        assert!(
            sizes.len() > 1 && sizes.iter().sum::<usize>() == 40,
            "{sizes:?}"
        );
        assert!(sizes
            .iter()
            .all(|&size| size * (1 << 20) <= BATCH_BYTES + (1 << 20)));
        let report = Report::new(vec![GateOutcome::new("g", GateKind::Code, items)], "0");
        let mut streamed = Vec::new();
        render(&report, &mut streamed).unwrap();
        let document = Document {
            version: FORMAT_VERSION,
            gates: &report.gates,
            summary: report.summary(),
        };
        let mut expected = serde_json::to_vec(&document).unwrap();
        expected.push(b'\n');
        assert!(streamed == expected, "the streamed document differs");
    }
}
