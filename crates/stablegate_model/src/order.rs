//! Sorting reports' large records by moving indexes, not the records.
//!
//! An [`crate::Item`] is a few hundred bytes; a rule that matches everywhere
//! gives hundreds of thousands of them. A stable sort of the records themselves
//! spends its time moving them (memmove) through every merge pass. Here the
//! indexes are sorted instead (on rayon's pool: this runs on the main thread
//! while the other cores wait), then each record is swapped into place once.
//! Inputs are often sorted already up to a few records appended at the end
//! (a gate's items after reconciliation, then its unreadable files): the
//! sorted prefix is kept as it is and only the rest is sorted and merged in.
//! Every step is stable, so the order is exactly that of a stable sort.

use std::cmp::Ordering;

use rayon::prelude::*;

/// Sorts `records` stably by `compare`, swapping each record into place at
/// most once.
pub fn sort_stable_by<T: Sync>(records: &mut [T], compare: impl Fn(&T, &T) -> Ordering + Sync) {
    let before = |a: &T, b: &T| compare(a, b) == Ordering::Greater;
    // Searched on the pool too: on large inputs, already sorted, the search
    // is all there is, and it waits on memory (each comparison reads
    // strings behind two records).
    let first_unsorted = (1..records.len())
        .into_par_iter()
        .with_min_len(4096)
        .find_first(|&at| before(&records[at - 1], &records[at]));
    let Some(split) = first_unsorted else {
        return;
    };
    let mut rest: Vec<usize> = (split..records.len()).collect();
    rest.par_sort_by(|&a, &b| compare(&records[a], &records[b]));
    // `order[i]`: the index of the record that belongs at position `i`. On
    // ties the sorted prefix goes first: it came first.
    let mut order: Vec<usize> = Vec::with_capacity(records.len());
    let (mut prefix, mut next) = (0, 0);
    while prefix < split && next < rest.len() {
        if before(&records[prefix], &records[rest[next]]) {
            order.push(rest[next]);
            next += 1;
        } else {
            order.push(prefix);
            prefix += 1;
        }
    }
    order.extend(prefix..split);
    order.extend_from_slice(&rest[next..]);
    // Applied in place, one cycle of the permutation at a time; a position
    // that holds its record is marked by `order[i] == i`.
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            records.swap(at, from);
            at = from;
        }
    }
}

/// Merges two lists sorted by `compare` into one; on ties `first`'s records
/// come before `second`'s (the order of a stable sort of `first` followed
/// by `second`). Records are moved, never compared when one list is empty.
pub fn merge_stable_by<T>(
    first: Vec<T>,
    second: Vec<T>,
    compare: impl Fn(&T, &T) -> Ordering,
) -> Vec<T> {
    if first.is_empty() {
        return second;
    }
    if second.is_empty() {
        return first;
    }
    let mut merged = Vec::with_capacity(first.len() + second.len());
    let (mut first, mut second) = (first.into_iter().peekable(), second.into_iter().peekable());
    while let (Some(a), Some(b)) = (first.peek(), second.peek()) {
        let next = if compare(b, a) == Ordering::Less {
            second.next()
        } else {
            first.next()
        };
        merged.extend(next);
    }
    merged.extend(first);
    merged.extend(second);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_records_keep_their_order() {
        let mut records = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_stable_by(&mut records, |a, b| a.0.cmp(&b.0));
        assert_eq!(records, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn a_sorted_prefix_and_an_unsorted_tail_merge_stably() {
        let mut records = vec![
            (1, 'a'),
            (2, 'b'),
            (2, 'c'),
            (4, 'd'),
            (2, 'e'),
            (0, 'f'),
            (4, 'g'),
        ];
        sort_stable_by(&mut records, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            records,
            [
                (0, 'f'),
                (1, 'a'),
                (2, 'b'),
                (2, 'c'),
                (2, 'e'),
                (4, 'd'),
                (4, 'g')
            ]
        );
    }

    #[test]
    fn any_permutation_comes_out_sorted() {
        for step in [1, 7919, 104_729] {
            let mut records: Vec<u32> = (0..500).map(|i| (i * step) % 503).collect();
            let mut expected = records.clone();
            expected.sort_unstable();
            sort_stable_by(&mut records, std::cmp::Ord::cmp);
            assert_eq!(records, expected);
        }
    }

    #[test]
    fn sorted_and_empty_inputs_stay_as_they_are() {
        let mut records = vec![(1, 'x'), (1, 'y'), (3, 'z')];
        sort_stable_by(&mut records, |a, b| a.0.cmp(&b.0));
        assert_eq!(records, [(1, 'x'), (1, 'y'), (3, 'z')]);
        let mut empty: Vec<(u8, char)> = Vec::new();
        sort_stable_by(&mut empty, |a, b| a.0.cmp(&b.0));
        assert!(empty.is_empty());
    }

    #[test]
    fn merging_keeps_the_first_list_first_on_ties() {
        let first = vec![(1, 'a'), (3, 'b'), (3, 'c')];
        let second = vec![(0, 'x'), (3, 'y'), (5, 'z')];
        let merged = merge_stable_by(first, second, |a, b| a.0.cmp(&b.0));
        assert_eq!(
            merged,
            [(0, 'x'), (1, 'a'), (3, 'b'), (3, 'c'), (3, 'y'), (5, 'z')]
        );
        let alone = merge_stable_by(Vec::new(), vec![(2, 'q')], |a, b| a.0.cmp(&b.0));
        assert_eq!(alone, [(2, 'q')]);
    }
}
