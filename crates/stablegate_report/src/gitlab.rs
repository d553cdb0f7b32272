//! The `gitlab` format: a GitLab Code Quality report (a JSON array of
//! issues, the Code Climate subset GitLab reads).
//!
//! ```json
//! [{"type":"issue","check_name":"inline_meta_read","description":"violation: read meta.json through load_meta() — meta = json . load ( f )","content":{"body":"token: …\nhelp: …"},"categories":["Style"],"severity":"major","fingerprint":"3f0c…","location":{"path":"src/pkg/loader.py","lines":{"begin":12}},"engine_name":"stablegate"}]
//! ```
//!
//! One issue per reported item (every verdict but `ok`: accepted sites are
//! not issues), in report order, a theater triad's legs listed as items
//! before its items (see `listed`), written compactly on one line with a
//! trailing newline:
//!
//! - `check_name`: the rule id, as in SARIF (`GATE`, or `GATE/RULE` for
//!   findings with a rule id of their own);
//! - `description`: the headline (`verdict: message`), then ` — ` and the
//!   token when there is one; `content.body`: the notes, one per line;
//! - `severity`: `major` for an item that fails its gate, `info` for one
//!   that does not (`parse_warning`, `inventory_only`, `below_baseline`);
//! - `location`: the item's root-relative path and line (`lines.begin`, 1
//!   when the item has no line); items about an allowlist entry (`stale`,
//!   `moved`, `expired`, `ambiguous`, `invalid`) are located on the entry,
//!   as in SARIF; an item without a file is located at `.`, line 1;
//! - `fingerprint`: GitLab matches issues between the base and the head of a
//!   merge request by it, so it is derived from the content key, never the
//!   line: the first 32 hex characters of SHA-256 over `gitlab/v1`, the
//!   check name, `site` or `entry` (where the issue is located), file,
//!   qualname and token, each followed by a NUL byte, then `n` in decimal
//!   (counting from 1 the issues with all the fields before it equal, in
//!   report order). A line shift
//!   keeps it; an edit of the line changes it; each issue has its own.
//!
//! This module decides nothing.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};
use stablegate_model::{Item, Verdict};

use crate::advice::{self, located_on_entry};
use crate::report::Report;
use crate::sarif_rules::rule_id;

/// Writes `report` as a Code Quality report and a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    let mut seen: BTreeMap<[u8; 32], usize> = BTreeMap::new();
    for gate in &report.gates {
        let listed =
            crate::listed::listed(gate).filter(|listed| listed.item.verdict != Verdict::Ok);
        for listed in listed {
            let item = &*listed.item;
            let check_name = rule_id(gate, item);
            let on_entry = located_on_entry(item);
            let prefix = prefix(&check_name, on_entry, item);
            let occurrence = seen.entry(prefix.clone().finalize().into()).or_insert(0);
            *occurrence += 1;
            let fingerprint = fingerprint(prefix, *occurrence);
            issues.push(issue(item, check_name, on_entry, fingerprint));
        }
    }
    let mut bytes = serde_json::to_vec(&issues).map_err(io::Error::other)?;
    bytes.push(b'\n');
    out.write_all(&bytes)
}

/// One Code Quality issue.
#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    content: Content,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
    engine_name: &'static str,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

fn issue(item: &Item, check_name: String, on_entry: bool, fingerprint: String) -> Issue {
    let mut description = advice::headline(item);
    if !item.token.is_empty() {
        description.push_str(" — ");
        description.push_str(&item.token);
    }
    let (path, line) = match (&item.more().entry, on_entry) {
        (Some(entry), true) => (entry.allowlist.to_string(), Some(entry.line)),
        _ => (item.file.to_string(), item.line),
    };
    let path = if path.is_empty() {
        ".".to_owned()
    } else {
        path
    };
    Issue {
        kind: "issue",
        check_name,
        description,
        content: Content {
            body: advice::note_lines(item).join("\n"),
        },
        categories: ["Style"],
        severity: if item.verdict.fails() {
            "major"
        } else {
            "info"
        },
        fingerprint,
        location: Location {
            path,
            lines: Lines {
                begin: line.filter(|&line| line >= 1).unwrap_or(1),
            },
        },
        engine_name: "stablegate",
    }
}

/// The hash of everything the fingerprint covers but the occurrence, each
/// field followed by a NUL byte.
fn prefix(check_name: &str, on_entry: bool, item: &Item) -> Sha256 {
    let place: &[u8] = if on_entry { b"entry" } else { b"site" };
    let mut hasher = Sha256::new();
    for field in [
        b"gitlab/v1".as_slice(),
        check_name.as_bytes(),
        place,
        item.file.as_bytes(),
        item.qualname.as_bytes(),
        item.token.as_bytes(),
    ] {
        hasher.update(field);
        hasher.update([0u8]);
    }
    hasher
}

/// The fingerprint of the `n`-th issue with this prefix.
fn fingerprint(prefix: Sha256, n: usize) -> String {
    let digest = prefix.chain_update(n.to_string().as_bytes()).finalize();
    digest[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_the_key_not_the_line() {
        let item = Item::new(Verdict::Violation, "a.py", Some(3), "f", "x = 1");
        let print = |item: &Item, on_entry, n| fingerprint(prefix("g", on_entry, item), n);
        // sha256(b"gitlab/v1\0g\0site\0a.py\0f\0x = 1\0" b"1")[:32] in Python.
        assert_eq!(print(&item, false, 1), "3426fa99ccf61881225ebf1c4b752546");
        let mut moved = item.clone();
        moved.line = Some(30);
        assert_eq!(print(&item, false, 1), print(&moved, false, 1));
        let mut edited = item.clone();
        edited.token = "x = 2".into();
        assert_ne!(print(&item, false, 1), print(&edited, false, 1));
        assert_ne!(print(&item, false, 1), print(&item, true, 1));
        assert_ne!(print(&item, false, 1), print(&item, false, 2));
    }
}
