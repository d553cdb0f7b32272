//! Pairing stale entries with uncovered live keys: `moved` and `changed`.
//!
//! Responsible for turning a stale entry plus a violation that are one event
//! (code moved to another file; an accepted line edited) into one pairing, so
//! the user sees "re-approve or fix" once instead of an unrelated stale entry
//! and a new violation. Pairs are one-to-one and chosen by content only:
//!
//! 1. `moved` first: the entry's `(qualname, token)` is live, uncovered, in
//!    another file. Exact content is stronger evidence than a guess, so it
//!    wins over a `changed` pairing in the entry's own file. Candidates are
//!    taken in key order (file, then token).
//! 2. `changed`: within one `(file, qualname)`, the stale entries and the
//!    uncovered keys are paired greedily by token similarity (most similar
//!    first), ties by entry order in the allowlist, then key order.
//!
//! A key pairs as a whole (all its sites), because re-approving the entry
//! with the new token covers them all. Line numbers are never used (SPEC §2).
//! Not responsible for building items.

use std::collections::BTreeMap;

use super::check::EntryKey;
use super::live::Live;
use super::similarity::Similarity;

/// What a stale entry turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pairing {
    /// Its key lives, uncovered, in another file: the live key's index.
    Moved(usize),
    /// An uncovered key in its own `(file, qualname)`: the key's index.
    Changed(usize),
    /// Nothing to pair with.
    Stale,
}

/// The pairing of each stale entry (same order as `stale`). `open[k]` says
/// whether live key `k` is uncovered and unpaired; paired keys are closed.
pub(super) fn pair(stale: &[EntryKey<'_>], live: &Live<'_>, open: &mut [bool]) -> Vec<Pairing> {
    let mut pairings = vec![Pairing::Stale; stale.len()];
    for (position, entry) in stale.iter().enumerate() {
        let moved = live
            .with_qualname(entry.qualname)
            .iter()
            .copied()
            .find(|&index| {
                let key = &live.keys[index];
                open[index] && key.file != entry.file && entry.pattern.matches(key.token)
            });
        if let Some(index) = moved {
            open[index] = false;
            pairings[position] = Pairing::Moved(index);
        }
    }
    let mut scopes: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (position, entry) in stale.iter().enumerate() {
        if pairings[position] == Pairing::Stale {
            scopes
                .entry((entry.file, entry.qualname))
                .or_default()
                .push(position);
        }
    }
    for ((file, qualname), positions) in scopes {
        let keys: Vec<usize> = live
            .in_scope(file, qualname)
            .filter(|&index| open[index])
            .collect();
        let mut candidates: Vec<(Similarity, usize, usize)> = positions
            .iter()
            .flat_map(|&position| {
                let stored = stale[position].pattern.text();
                keys.iter().map(move |&index| {
                    (
                        Similarity::of(stored, live.keys[index].token),
                        position,
                        index,
                    )
                })
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, position, index) in candidates {
            if open[index] && pairings[position] == Pairing::Stale {
                open[index] = false;
                pairings[position] = Pairing::Changed(index);
            }
        }
    }
    pairings
}

#[cfg(test)]
mod tests {
    use super::super::check::Pattern;
    use super::*;
    use crate::inputs::{Finding, Site};

    fn site(file: &str, qualname: &str, token: &str) -> Site {
        Site {
            finding: Finding {
                file: file.to_owned(),
                line: 1,
                column: 0,
                end_line: 1,
                offset: 0,
                rule: "r".to_owned(),
                message: None,
            },
            qualname: qualname.to_owned(),
            token: token.to_owned(),
        }
    }

    fn entry<'a>(file: &'a str, qualname: &'a str, token: &'a str) -> EntryKey<'a> {
        EntryKey {
            file,
            qualname,
            token,
            pattern: Pattern::of(token),
        }
    }

    #[test]
    fn exact_content_in_another_file_pairs_as_moved_before_changed() {
        let sites = vec![
            site("a.py", "f", "x = load ( g )"),
            site("b.py", "f", "x = load ( f )"),
        ];
        let live = Live::new(&sites);
        let mut open = vec![true; live.keys.len()];
        let pairings = pair(&[entry("a.py", "f", "x = load ( f )")], &live, &mut open);
        assert_eq!(pairings, vec![Pairing::Moved(1)]);
        assert_eq!(open, vec![true, false]);
    }

    #[test]
    fn changed_pairs_the_most_similar_tokens_one_to_one() {
        let sites = vec![
            site("a.py", "f", "return None"),
            site("a.py", "f", "y = load ( handle )"),
        ];
        let live = Live::new(&sites);
        let mut open = vec![true; live.keys.len()];
        let stale = [
            entry("a.py", "f", "y = load ( h )"),
            entry("a.py", "f", "z = 1"),
            entry("a.py", "f", "q"),
        ];
        let pairings = pair(&stale, &live, &mut open);
        assert_eq!(
            pairings,
            vec![Pairing::Changed(1), Pairing::Changed(0), Pairing::Stale]
        );
    }

    #[test]
    fn covered_keys_are_not_paired() {
        let sites = vec![site("a.py", "f", "x")];
        let live = Live::new(&sites);
        let mut open = vec![false];
        let pairings = pair(&[entry("a.py", "f", "y")], &live, &mut open);
        assert_eq!(pairings, vec![Pairing::Stale]);
    }
}
