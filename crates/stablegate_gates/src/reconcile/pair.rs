//! Pairing stale entries with uncovered live keys: `moved` and `changed`.
//!
//! Responsible for turning a stale entry plus a violation that are one event
//! (code moved to another file; an accepted line edited) into one pairing, so
//! the user sees "re-approve or fix" once instead of an unrelated stale entry
//! and a new violation. Pairs are one-to-one and chosen by content only:
//!
//! 1. `moved` first: the entry's `(qualname, token, text)` is live,
//!    uncovered, in another file. Exact content is stronger evidence than a
//!    guess, so it wins over a `changed` pairing in the entry's own file.
//!    Candidates are taken in key order (file, then token).
//! 2. `changed`: within one `(file, qualname)`, the stale entries and the
//!    uncovered keys are paired greedily by similarity of token (of text,
//!    for token-less lines; a token-less entry pairs only with a token-less
//!    key and the other way round) (most similar first), ties by entry order
//!    in the allowlist, then key order.
//!
//! An entry with `rule` pairs only with keys of its rule; one without pairs
//! with keys of any rule (SPEC §12.7). A key pairs as a whole (all its
//! sites), together with the other uncovered keys of the same content whose
//! rule the entry admits, because re-approving the entry with the new token
//! covers them all. Line numbers are never used (SPEC §2). Not responsible
//! for building items.

use std::collections::{BTreeMap, BTreeSet};

use super::check::EntryKey;
use super::live::Live;
use super::similarity::{word_count, Similarity, WORD_PAIRS_LIMIT};

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
pub(super) fn pair(
    stale: &[EntryKey<'_>],
    live: &Live<'_>,
    open: &mut [bool],
    crowded: &BTreeSet<(&str, &str)>,
) -> Vec<Pairing> {
    let mut pairings = vec![Pairing::Stale; stale.len()];
    let takes = |entry: &EntryKey<'_>, index: usize, open: &[bool]| {
        let key = &live.keys[index];
        open[index] && entry.admits(key.rule)
    };
    // Closes the key and the other open keys of its content the entry admits.
    let close = |entry: &EntryKey<'_>, index: usize, open: &mut [bool]| {
        for sibling in live.content_of(index) {
            if takes(entry, sibling, open) {
                open[sibling] = false;
            }
        }
    };
    for (position, entry) in stale.iter().enumerate() {
        let moved = (live.with_content(entry.qualname, entry.pattern).into_iter()).find(|&index| {
            let key = &live.keys[index];
            takes(entry, index, open) && key.file != entry.file && key.text == entry.text
        });
        if let Some(index) = moved {
            close(entry, index, open);
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
        if crowded.contains(&(file, qualname)) {
            continue;
        }
        let keys: Vec<usize> = live
            .in_scope(file, qualname)
            .filter(|&index| open[index])
            .collect();
        let mut candidates: Vec<(Similarity, usize, usize)> = positions
            .iter()
            .flat_map(|&position| {
                let entry = &stale[position];
                (keys.iter())
                    .filter(move |&&index| {
                        let key = &live.keys[index];
                        entry.admits(key.rule) && key.token.is_empty() == entry.token.is_empty()
                    })
                    .map(move |&index| {
                        let similarity =
                            Similarity::of(entry.comparand(), live.keys[index].comparand());
                        (similarity, position, index)
                    })
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, position, index) in candidates {
            if open[index] && pairings[position] == Pairing::Stale {
                close(&stale[position], index, open);
                pairings[position] = Pairing::Changed(index);
            }
        }
    }
    pairings
}

/// The scopes whose stale entries and live keys are too many to compare
/// pairwise within [`WORD_PAIRS_LIMIT`]: no `changed` pairing, no
/// `nearest` there.
pub(super) fn crowded_scopes<'a>(
    stale: &[EntryKey<'a>],
    live: &Live<'a>,
) -> BTreeSet<(&'a str, &'a str)> {
    let mut words: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for entry in stale {
        *words.entry((entry.file, entry.qualname)).or_default() += word_count(entry.comparand());
    }
    words
        .into_iter()
        .filter(|&((file, qualname), entry_words)| {
            let key_words: u64 = (live.in_scope(file, qualname))
                .map(|index| word_count(live.keys[index].comparand()))
                .sum();
            entry_words.saturating_mul(key_words) > WORD_PAIRS_LIMIT
        })
        .map(|(scope, _)| scope)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::check::Pattern;
    use super::*;
    use crate::inputs::{Finding, Site};

    fn site(file: &str, qualname: &str, token: &str) -> Site {
        Site {
            finding: Finding {
                file: file.into(),
                line: 1,
                column: 0,
                end_line: 1,
                offset: 0,
                rule: "r".into(),
                rule_in_key: false,
                message: None,
            },
            qualname: qualname.into(),
            token: token.into(),
            text: Default::default(),
        }
    }

    fn entry<'a>(file: &'a str, qualname: &'a str, token: &'a str) -> EntryKey<'a> {
        EntryKey {
            file,
            qualname,
            token,
            pattern: Pattern::of(token),
            text: "",
            rule: None,
        }
    }

    #[test]
    fn exact_content_in_another_file_pairs_as_moved_before_changed() {
        let sites = vec![
            site("a.py", "f", "x = load ( g )"),
            site("b.py", "f", "x = load ( f )"),
        ];
        let ordered = crate::reconcile::live::order(&sites);
        let live = Live::new(&ordered);
        let mut open = vec![true; live.keys.len()];
        let pairings = pair(
            &[entry("a.py", "f", "x = load ( f )")],
            &live,
            &mut open,
            &BTreeSet::new(),
        );
        assert_eq!(pairings, vec![Pairing::Moved(1)]);
        assert_eq!(open, vec![true, false]);
    }

    #[test]
    fn changed_pairs_the_most_similar_tokens_one_to_one() {
        let sites = vec![
            site("a.py", "f", "return None"),
            site("a.py", "f", "y = load ( handle )"),
        ];
        let ordered = crate::reconcile::live::order(&sites);
        let live = Live::new(&ordered);
        let mut open = vec![true; live.keys.len()];
        let stale = [
            entry("a.py", "f", "y = load ( h )"),
            entry("a.py", "f", "z = 1"),
            entry("a.py", "f", "q"),
        ];
        let pairings = pair(&stale, &live, &mut open, &BTreeSet::new());
        assert_eq!(
            pairings,
            vec![Pairing::Changed(1), Pairing::Changed(0), Pairing::Stale]
        );
    }

    #[test]
    fn covered_keys_are_not_paired() {
        let sites = vec![site("a.py", "f", "x")];
        let ordered = crate::reconcile::live::order(&sites);
        let live = Live::new(&ordered);
        let mut open = vec![false];
        let pairings = pair(
            &[entry("a.py", "f", "y")],
            &live,
            &mut open,
            &BTreeSet::new(),
        );
        assert_eq!(pairings, vec![Pairing::Stale]);
    }
}
