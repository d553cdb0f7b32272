//! Mapping items in parallel while consuming the results in input order.
//!
//! Keying is the expensive step of `keys`; printing must follow the sorted
//! file order. [`map_ordered`] runs `map` on rayon's pool and hands each
//! result to `consume` on the calling thread as soon as every earlier result
//! has been consumed. Workers take runs of consecutive items (a few dozen at
//! most) in order from a shared counter and send each run's results as one
//! message, so the consumer is woken once per run rather than once per item
//! (per file, for `keys`: thousands of context switches saved). At most
//! about one run per worker waits out of turn, and a bounded channel stops
//! workers from running far ahead of a slow consumer: memory stays bounded
//! by the pool size and the run length, not the input size.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Calls `consume` on `map(item)` for every item, in order, until `consume`
/// breaks. `map` runs in parallel.
pub fn map_ordered<T, R, M, C>(items: &[T], map: M, mut consume: C)
where
    T: Sync,
    R: Send,
    M: Fn(&T) -> R + Sync,
    C: FnMut(R) -> ControlFlow<()>,
{
    let workers = rayon::current_num_threads().clamp(1, items.len().max(1));
    // Long enough to make the channel cheap, short enough that every worker
    // gets several runs (the load stays balanced) and the first results
    // reach the consumer early.
    let run = (items.len() / (workers * 16)).clamp(1, 32);
    let next_run = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel::<(usize, Vec<R>)>(2 * workers);
    rayon::in_place_scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next_run, stop, map) = (&next_run, &stop, &map);
            scope.spawn(move |_| {
                while !stop.load(Ordering::Relaxed) {
                    let index = next_run.fetch_add(1, Ordering::Relaxed);
                    let start = index.saturating_mul(run);
                    let Some(chunk) = items.get(start..items.len().min(start + run)) else {
                        break;
                    };
                    if chunk.is_empty() {
                        break;
                    }
                    let results = chunk.iter().map(map).collect();
                    if sender.send((index, results)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        while let Ok((index, results)) = receiver.recv() {
            waiting.insert(index, results);
            while let Some(results) = waiting.remove(&next) {
                next += 1;
                for result in results {
                    if consume(result).is_break() {
                        stop.store(true, Ordering::Relaxed);
                        // Dropping the receiver wakes workers blocked on a full channel.
                        drop(receiver);
                        return;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_input_order() {
        let items: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        map_ordered(
            &items,
            |&n| {
                // Uneven work, so results finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                n * 2
            },
            |r| {
                seen.push(r);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(seen, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn breaking_stops_early() {
        let items: Vec<u32> = (0..10_000).collect();
        let mapped = AtomicUsize::new(0);
        let mut seen = 0;
        map_ordered(
            &items,
            |&n| {
                mapped.fetch_add(1, Ordering::Relaxed);
                n
            },
            |_| {
                seen += 1;
                if seen == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(seen, 3);
        assert!(mapped.load(Ordering::Relaxed) < items.len());
    }

    #[test]
    fn no_items_means_no_calls() {
        map_ordered(&[] as &[u8], |&b| b, |_| panic!("nothing to consume"));
    }
}
