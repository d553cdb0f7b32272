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
//! Where the records are in a `Vec` and only a few are out of place,
//! [`merge_into`] moves the others up in runs instead (one `memmove` per
//! record merged in), without a second list of all records.

use std::cmp::Ordering;

use rayon::prelude::*;

/// Sorts `records` stably by `compare`, swapping each record into place at
/// most once.
pub fn sort_stable_by<T: Sync>(records: &mut [T], compare: impl Fn(&T, &T) -> Ordering + Sync) {
    let before = |a: &T, b: &T| compare(a, b) == Ordering::Greater;
    let Some(split) = first_unsorted(records, &compare) else {
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

/// The first position whose record comes before the one preceding it.
/// Searched on the pool: on large inputs, already sorted, the search is all
/// there is, and it waits on memory (each comparison reads strings behind
/// two records).
fn first_unsorted<T: Sync>(
    records: &[T],
    compare: &(impl Fn(&T, &T) -> Ordering + Sync),
) -> Option<usize> {
    (1..records.len())
        .into_par_iter()
        .with_min_len(4096)
        .find_first(|&at| compare(&records[at - 1], &records[at]) == Ordering::Greater)
}

/// Sorts `records` stably by `compare`, like [`sort_stable_by`], and when
/// only a short tail is out of order (a gate's items with a few appended
/// at the end) merges that tail in with [`merge_into`]: each record then
/// moves once, in runs, instead of being swapped along a permutation.
pub fn sort_stable_vec_by<T: Sync>(
    records: &mut Vec<T>,
    compare: impl Fn(&T, &T) -> Ordering + Sync,
) {
    let Some(split) = first_unsorted(records, &compare) else {
        return;
    };
    if (records.len() - split).saturating_mul(16) > records.len() {
        sort_stable_by(records, compare);
        return;
    }
    let mut tail = records.split_off(split);
    tail.sort_by(&compare);
    merge_into(records, tail, Ties::RecordsFirst, compare);
}

/// Which list's records come first when [`merge_into`] finds a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    RecordsFirst,
    ExtraFirst,
}

/// Merges `extra` into `records`, both sorted by `compare`, in place: the
/// records move up in runs (one `memmove` per record of `extra`), each at
/// most once, and no second list of all records is ever allocated (with a
/// rule that matches everywhere, that list would be the largest allocation
/// of the run).
pub fn merge_into<T>(
    records: &mut Vec<T>,
    mut extra: Vec<T>,
    ties: Ties,
    compare: impl Fn(&T, &T) -> Ordering,
) {
    if extra.is_empty() {
        return;
    }
    let (n, k) = (records.len(), extra.len());
    // Where each extra record goes among the records: after those that come
    // before it. `extra` is sorted, so these never decrease.
    let positions: Vec<usize> = (extra.iter())
        .map(|record| {
            records.partition_point(|other| match ties {
                Ties::RecordsFirst => compare(other, record) != Ordering::Greater,
                Ties::ExtraFirst => compare(other, record) == Ordering::Less,
            })
        })
        .collect();
    records.reserve_exact(k);
    // SAFETY: `records` has room for `n + k` values. Going from the last
    // extra record down, the records at `[at, end)` (not moved yet) go
    // `j + 1` places up, just below what was placed before, and extra record
    // `j` is moved into the free slot below them (`at + j`); every slot of
    // `[0, n + k)` is written exactly once or keeps its record, so the
    // length is then `n + k`. The extra records were moved out bitwise:
    // `extra`'s length goes to 0 so that only its buffer is freed. Nothing
    // in between can panic (`positions` has `k` values, all `<= n`).
    unsafe {
        let base = records.as_mut_ptr();
        let from = extra.as_ptr();
        let mut end = n;
        for (j, &at) in positions.iter().enumerate().rev() {
            std::ptr::copy(base.add(at), base.add(at + j + 1), end - at);
            std::ptr::copy_nonoverlapping(from.add(j), base.add(at + j), 1);
            end = at;
        }
        extra.set_len(0);
        records.set_len(n + k);
    }
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
    fn merging_in_place_gives_what_a_stable_sort_gives() {
        for ties in [Ties::RecordsFirst, Ties::ExtraFirst] {
            for seed in 0..60u32 {
                let mut records: Vec<(u32, String)> = (0..40)
                    .map(|i| ((i * 7 + seed) % 13, format!("r{i}")))
                    .collect();
                let mut extra: Vec<(u32, String)> = (0..(seed % 9))
                    .map(|i| ((i * 5 + seed * 3) % 15, format!("e{i}")))
                    .collect();
                records.sort_by_key(|record| record.0);
                extra.sort_by_key(|record| record.0);
                let mut expected = match ties {
                    Ties::RecordsFirst => [records.clone(), extra.clone()].concat(),
                    Ties::ExtraFirst => [extra.clone(), records.clone()].concat(),
                };
                expected.sort_by_key(|record| record.0);
                merge_into(&mut records, extra, ties, |a, b| a.0.cmp(&b.0));
                assert_eq!(records, expected, "{ties:?} {seed}");
            }
        }
    }

    #[test]
    fn a_short_unsorted_tail_is_merged_like_a_stable_sort() {
        for tail in [0usize, 1, 3, 10, 400] {
            let mut records: Vec<(u32, usize)> = (0..1000).map(|i| ((i / 3) as u32, i)).collect();
            records.extend((0..tail).map(|i| (((i * 37) % 340) as u32, 1000 + i)));
            let mut expected = records.clone();
            expected.sort_by_key(|record| record.0);
            sort_stable_vec_by(&mut records, |a, b| a.0.cmp(&b.0));
            assert_eq!(records, expected, "{tail}");
        }
    }
}
