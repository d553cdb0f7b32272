//! `refresh` for inventories: move the locator column's line numbers to
//! where each row's sink lives now, changing nothing else in the file.
//!
//! A row is moved when it selects exactly one live key (exact or truncated
//! token); its locator takes the line of the key's first site. Only the
//! digits after the locator's `:` are replaced, so every other byte of the
//! Markdown (cells, padding, escapes, other tables) stays as it was. Ghost,
//! ambiguous and duplicate rows are left as written and counted. Pure: text
//! and sites in, text out.

use std::collections::BTreeSet;

use super::document::Inventory;
use crate::finding::Site;
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
    let mut taken: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
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
        match key {
            Some(key) if tokens.len() == 1 && taken.insert(key) => {
                selected.sort_by_key(|site| site.finding.line);
                let to = selected[0].finding.line;
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
