//! Joining many lists into one, each moved into its place on rayon's pool.
//!
//! A scan gives each file's sites in a list of its own. A rule that matches
//! everywhere has hundreds of thousands of them, tens of megabytes: moving
//! them into one list on the main thread is a serial pass over fresh memory
//! (each page faulted in on its first write) while the other cores wait.
//! [`concat`] splits the joined list's memory into one run per part up front
//! and fills the runs in parallel.

use std::mem::MaybeUninit;

use rayon::prelude::*;

/// The records of `parts`, in order, as one list.
pub(crate) fn concat<T: Send>(mut parts: Vec<Vec<T>>) -> Vec<T> {
    let total = parts.iter().map(Vec::len).sum();
    let mut all: Vec<T> = Vec::with_capacity(total);
    let mut spare: &mut [MaybeUninit<T>] = &mut all.spare_capacity_mut()[..total];
    let mut runs = Vec::with_capacity(parts.len());
    for part in &parts {
        let (run, rest) = std::mem::take(&mut spare).split_at_mut(part.len());
        runs.push(run);
        spare = rest;
    }
    (parts.par_iter_mut().zip(runs)).for_each(|(part, run)| {
        for (slot, record) in run.iter_mut().zip(part.drain(..)) {
            slot.write(record);
        }
    });
    // SAFETY: the runs are the first `total` slots of `all`'s capacity, one
    // per part and of exactly its length, and each was written in full from
    // its part (drained: no record is left to be dropped twice). Writing a
    // slot and draining a `Vec` do not panic; were a part's thread to panic
    // anyway, `for_each` would propagate it before this line and the
    // written records would only leak.
    unsafe { all.set_len(total) };
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_come_out_in_order_each_record_once() {
        let parts: Vec<Vec<String>> = (0..200)
            .map(|part| (0..part % 7).map(|i| format!("{part}.{i}")).collect())
            .collect();
        let expected: Vec<String> = parts.iter().flatten().cloned().collect();
        assert_eq!(concat(parts), expected);
        assert_eq!(concat(Vec::<Vec<u8>>::new()), Vec::<u8>::new());
        assert_eq!(concat(vec![Vec::<u8>::new(), vec![1], vec![]]), vec![1]);
    }
}
