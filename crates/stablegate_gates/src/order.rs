//! Sorting reports' large records by moving indexes, not the records.
//!
//! An [`crate::Item`] is a few hundred bytes; a rule that matches everywhere
//! gives hundreds of thousands of them. A stable sort of the records themselves
//! spends its time moving them (memmove) through every merge pass; sorting
//! their indexes and then swapping each record into place once gives the same order (the
//! index sort is stable too) for a fraction of the cost. An input that is
//! already in order is left as it is after one linear check.

use std::cmp::Ordering;

/// Sorts `records` stably by `compare`, swapping each record into place at
/// most once and allocating nothing but the indexes.
pub(crate) fn sort_stable_by<T>(records: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if records.is_sorted_by(|a, b| compare(a, b) != Ordering::Greater) {
        return;
    }
    // `order[i]`: the index of the record that belongs at position `i`.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|&a, &b| compare(&records[a], &records[b]));
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
    fn any_permutation_comes_out_sorted() {
        let mut records: Vec<u32> = (0..500).map(|i| (i * 7919) % 503).collect();
        let mut expected = records.clone();
        expected.sort();
        sort_stable_by(&mut records, |a, b| a.cmp(b));
        assert_eq!(records, expected);
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
}
