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
//!   markers, fresh and scope checks), `status` (`pass` | `fail`, decided by
//!   the gate before rendering), `items` (array, sorted by file, line,
//!   verdict, token).
//! - An item always has `verdict` (one of `ok`, `violation`, `changed`,
//!   `moved`, `stale`, `count`, `baseline`, `expired`, `ambiguous`, `invalid`,
//!   `parse_error`, `parse_warning`), `file` (root-relative, `/`-separated;
//!   the allowlist for file-level items such as `baseline`), `line` (1-based
//!   locator, or `null`), `qualname`, `token` (may be empty), `rule`,
//!   `message`. Optional keys, present only when they apply: `old_token`
//!   (`changed`: the entry's token; `token` is the live one), `moved_to`
//!   (`moved`), `nearest` (`stale`: the nearest live token in the qualname),
//!   `expected` and `actual` (integers; `count`, `baseline`), `entry`
//!   (`{"allowlist": path, "line": n}`: the allowlist entry concerned),
//!   `rationale` (the accepted entry's rationale), `suggestion` (`violation`:
//!   the ready-to-paste YAML entry), `detail` (a sentence saying what is
//!   wrong, for `invalid`, `ambiguous`, `parse_error`, …).
//! - `summary`: `status` (`fail` iff some gate failed), `gates` (how many
//!   passed and failed), `failing_items` (items whose verdict fails a gate:
//!   all but `ok` and `parse_warning`), `verdicts` (items per verdict, every
//!   verdict present).
//!
//! Items are the model's own serialisation (`stablegate_gates::Item`); the
//! tests of this crate pin the exact bytes, so a change in the model that
//! would change this format fails here first. This module decides nothing.

use std::io::{self, Write};

use serde::Serialize;
use stablegate_gates::GateOutcome;

use crate::report::{Report, Summary};

/// The version written in the document's `version` key.
pub const FORMAT_VERSION: u32 = 1;

/// The whole document, in key order.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    gates: &'a [GateOutcome],
    summary: Summary,
}

/// Writes `report` as one JSON document and a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: FORMAT_VERSION,
        gates: &report.gates,
        summary: report.summary(),
    };
    // Streamed, not built in memory first: a report of a rule that matches
    // everywhere is hundreds of megabytes. serde_json hands a failed write's
    // io::Error back unchanged when its error is converted.
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer(&mut out, &document).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_gates::{Item, Verdict};

    #[test]
    fn document_has_exactly_the_spec_keys() {
        let item = Item::new(Verdict::Violation, "a.py", None, "<module>", "x = 1");
        let report = Report::new(vec![GateOutcome::new("g", "code", vec![item])], "0");
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
}
