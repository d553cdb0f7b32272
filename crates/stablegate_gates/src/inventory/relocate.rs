//! `refresh` for inventories: move the locator column's line numbers to
//! where each row's sink lives now, changing nothing else in the file.
//!
//! A row is moved when it selects exactly one live key (exact or truncated
//! token); its locator takes the line of the key's first site (the i-th
//! row of a key takes its i-th site, SPEC §12.4). Only the
//! digits after the locator's `:` are replaced, so every other byte of the
//! Markdown (cells, padding, escapes, other tables) stays as it was. Ghost,
//! ambiguous and duplicate rows are left as written and counted. Pure: text
//! and sites in, text out.

use std::collections::{BTreeMap, BTreeSet};

use super::document::Inventory;
use crate::inputs::Site;
use crate::reconcile::check::Pattern;

/// One locator to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The row's line in the Markdown file.
    pub row: usize,
    pub from: usize,
    pub to: usize,
    digits: std::ops::Range<usize>,
}

/// What refreshing one table found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moves {
    pub moves: Vec<Move>,
    pub current: usize,
    pub untouched: usize,
}

/// The locators of `inventory` that point elsewhere than their sink.
pub fn moves(inventory: &Inventory, sites: &[Site]) -> Moves {
    let mut found = Moves::default();
    // Rows per key so far: the i-th row of a key of N sites takes the i-th
    // site (SPEC §12.4); a row beyond N is a duplicate, left alone.
    let mut taken: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for row in &inventory.rows {
        let pattern = Pattern::of(&row.token);
        let mut selected: Vec<&Site> = (sites.iter())
            .filter(|site| site.finding.file == row.file && site.qualname == row.qualname)
            .filter(|site| pattern.matches(&site.token))
            .collect();
        let tokens: BTreeSet<&str> = selected.iter().map(|site| site.token.as_str()).collect();
        let key = tokens
            .iter()
            .next()
            .map(|token| (row.file.as_str(), row.qualname.as_str(), *token));
        let rows = key.map_or(0, |key| taken.get(&key).copied().unwrap_or(0));
        match key {
            Some(key) if tokens.len() == 1 && rows < selected.len() => {
                taken.insert(key, rows + 1);
                selected.sort_by_key(|site| (site.finding.line, site.finding.column));
                let to = selected[rows].finding.line;
                if to == row.locator_line {
                    found.current += 1;
                } else {
                    found.moves.push(Move {
                        row: row.line,
                        from: row.locator_line,
                        to,
                        digits: row.locator_digits.clone(),
                    });
                }
            }
            _ => found.untouched += 1,
        }
    }
    found
}

/// `text` with every move applied.
pub fn apply(text: &str, moves: &[&Move]) -> String {
    let mut ordered: Vec<&&Move> = moves.iter().collect();
    ordered.sort_by_key(|m| std::cmp::Reverse(m.digits.start));
    let mut out = text.to_owned();
    for m in ordered {
        out.replace_range(m.digits.clone(), &m.to.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Finding;
    use crate::inventory::document::{read, reference_regex};
    use stablegate_config::{Audit, Columns, Location};

    #[test]
    fn only_the_digits_of_moved_locators_change() {
        let at = Location {
            file: "s.toml".into(),
            line: 1,
            column: 1,
        };
        let config = Audit {
            name: "inv".into(),
            location: at.clone(),
            inventory: "inv.md".into(),
            table: None,
            gate: "g".into(),
            gate_location: at,
            path_prefix: String::new(),
            columns: Columns {
                locator: "where".into(),
                qualname: "qualname".into(),
                token: "token".into(),
            },
            known_candidates: Vec::new(),
            inventory_only_reference: stablegate_config::InventoryOnlyReference::Required,
            known_candidates_from: stablegate_config::KnownCandidatesFrom::Discovered,
        };
        let text = "| where | qualname | token |\r\n|--|--|--|\r\n|  `a.py:3`  | f | `x = 1` |\r\n| a.py:99 | f | gone |\r\n";
        let inventory = read(&config, text, &reference_regex()).unwrap();
        let site = Site {
            finding: Finding {
                file: "a.py".into(),
                line: 1234,
                column: 1,
                end_line: 1234,
                offset: 0,
                rule: "g".into(),
                rule_in_key: false,
                message: None,
            },
            qualname: "f".into(),
            token: "x = 1".into(),
            text: Default::default(),
        };
        let found = moves(&inventory, &[site]);
        assert_eq!(
            (found.moves.len(), found.current, found.untouched),
            (1, 0, 1)
        );
        let moved: Vec<&Move> = found.moves.iter().collect();
        assert_eq!(apply(text, &moved), text.replace("`a.py:3`", "`a.py:1234`"));
    }
}
