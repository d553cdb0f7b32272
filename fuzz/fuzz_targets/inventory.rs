//! Inventory Markdown (`stablegate_gates::inventory`): a file's text read as
//! an audit reads it ([`document::read`]: the first table, and the table
//! under the heading `Sink table`), then `refresh`'s rewrite of the locator
//! digits ([`relocate::moves`] and [`relocate::apply`]) with every row's
//! sink one line further down. Checks that each row's recorded digits are
//! the locator's line number as written, and that the refreshed text reads
//! back with the new line numbers and nothing else changed.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use regex::Regex;
use stablegate_config::{Audit, Columns, Location};
use stablegate_gates::inventory::document::{read, reference_regex, Inventory};
use stablegate_gates::inventory::relocate::{apply, moves};
use stablegate_gates::{Finding, Site};

/// The `[inventory-only]` reference regex, compiled once (as an audit does
/// once per run).
fn reference() -> &'static Regex {
    static REFERENCE: OnceLock<Regex> = OnceLock::new();
    REFERENCE.get_or_init(reference_regex)
}

fn audit(table: Option<&str>) -> Audit {
    let location = Location {
        file: "stablegate.toml".to_owned(),
        line: 1,
        column: 1,
    };
    Audit {
        name: "sinks".to_owned(),
        location: location.clone(),
        inventory: "docs/sinks.md".to_owned(),
        table: table.map(str::to_owned),
        gate: "gate".to_owned(),
        gate_location: location,
        path_prefix: "inventory/".to_owned(),
        columns: Columns {
            locator: "file:line".to_owned(),
            qualname: "qualname".to_owned(),
            token: "token".to_owned(),
        },
        known_candidates: Vec::new(),
        inventory_only_reference: Default::default(),
        known_candidates_from: Default::default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let reference = reference();
    for table in [None, Some("Sink table")] {
        let audit = audit(table);
        let Ok(inventory) = read(&audit, text, reference).map_err(|err| err.to_string()) else {
            continue;
        };
        for row in &inventory.rows {
            let digits = text
                .get(row.locator_digits.clone())
                .expect("digits in the text");
            assert_eq!(
                digits.parse::<usize>().ok(),
                Some(row.locator_line),
                "{row:?}"
            );
        }
        refresh(&audit, text, &inventory);
    }
});

fn refresh(audit: &Audit, text: &str, inventory: &Inventory) {
    let sites: Vec<Site> = (inventory.rows.iter())
        .map(|row| Site {
            finding: Finding {
                file: row.file.clone().into(),
                line: row.locator_line.saturating_add(1),
                column: 1,
                end_line: row.locator_line.saturating_add(1),
                offset: 0,
                rule: "gate".into(),
                rule_in_key: false,
                message: None,
            },
            qualname: row.qualname.clone().into(),
            token: row.token.clone().into(),
            text: "".into(),
        })
        .collect();
    let found = moves(inventory, &sites);
    if found.moves.is_empty() {
        return;
    }
    let chosen: Vec<_> = found.moves.iter().collect();
    let edited = apply(text, &chosen);
    let reread = read(audit, &edited, reference()).expect("a refreshed inventory reads");
    assert_eq!(reread.rows.len(), inventory.rows.len());
    for (before, after) in inventory.rows.iter().zip(&reread.rows) {
        let moved = found.moves.iter().find(|m| m.row == before.line);
        let expected = moved.map_or(before.locator_line, |m| m.to);
        assert_eq!(after.locator_line, expected, "{before:?} → {after:?}");
        assert_eq!(
            (&after.file, &after.qualname, &after.token, &after.tag),
            (&before.file, &before.qualname, &before.token, &before.tag)
        );
    }
}
