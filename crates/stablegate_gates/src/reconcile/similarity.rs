//! How alike two tokens are: the `nearest` live token shown with a stale
//! entry, and the pairing of stale entries with violations into `changed`.
//!
//! Responsible for one measure: the longest common subsequence of the two
//! tokens' words (a token is words joined by one space), scaled by their
//! lengths (the Dice ratio `2·common / (len_a + len_b)`), so an edit of one
//! argument scores higher than an unrelated line. Content only: line numbers
//! never enter (SPEC §2), so a refactor that moves code cannot change which
//! token is shown. Not responsible for tie-breaks (callers order by token,
//! then by entry and key order).

use std::cmp::Ordering;

/// Words beyond this many are ignored: the measure is a hint, and a hostile
/// 100 000-word line must not make the comparison quadratic in it.
const MAX_WORDS: usize = 256;

/// The similarity of two tokens; compare with `Ord` (greater is closer).
#[derive(Debug, Clone, Copy)]
pub(super) struct Similarity {
    common: u64,
    total: u64,
}

impl Similarity {
    pub(super) fn of(a: &str, b: &str) -> Self {
        let a: Vec<&str> = words(a);
        let b: Vec<&str> = words(b);
        Similarity {
            common: common_subsequence(&a, &b) as u64,
            total: (a.len() + b.len()) as u64,
        }
    }
}

impl PartialEq for Similarity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Similarity {}

impl PartialOrd for Similarity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Similarity {
    /// Compares `common / total` exactly, by cross-multiplying; two empty
    /// tokens are as close as tokens get.
    fn cmp(&self, other: &Self) -> Ordering {
        let ratio = |s: &Similarity| {
            if s.total == 0 {
                (1, 1)
            } else {
                (s.common, s.total)
            }
        };
        let (a_common, a_total) = ratio(self);
        let (b_common, b_total) = ratio(other);
        (u128::from(a_common) * u128::from(b_total))
            .cmp(&(u128::from(b_common) * u128::from(a_total)))
    }
}

/// The most word comparisons the similarity measures of one scope may take
/// (stale entries' words times live keys' words): about a second. A scope
/// beyond it (a hostile or mass-edited file: thousands of stale entries and
/// violations in one function) is not paired into `changed` and gets no
/// `nearest`; its entries are `stale` and its sites violations, as they
/// would be without the hint. Real scopes are far below it.
pub(super) const WORD_PAIRS_LIMIT: u64 = 200_000_000;

/// How many words of `token` the measure reads (at least one, so that empty
/// tokens still count as work).
pub(super) fn word_count(token: &str) -> u64 {
    token
        .split(' ')
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .count()
        .max(1) as u64
}

fn words(token: &str) -> Vec<&str> {
    token
        .split(' ')
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .collect()
}

/// Length of the longest common subsequence, in one row of memory.
fn common_subsequence(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for word in a {
        let mut diagonal = 0;
        for (index, other) in b.iter().enumerate() {
            let above = row[index + 1];
            row[index + 1] = if word == other {
                diagonal + 1
            } else {
                above.max(row[index])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_subsequence_counts_words_in_order() {
        let a = words("x = json . load ( f )");
        let b = words("x = json . loads ( g )");
        assert_eq!(common_subsequence(&a, &b), 6);
        assert_eq!(common_subsequence(&a, &[]), 0);
    }

    #[test]
    fn an_edited_line_is_closer_than_an_unrelated_one() {
        let stored = "meta = json . load ( f )";
        let edited = Similarity::of(stored, "meta = json . load ( handle )");
        let unrelated = Similarity::of(stored, "return None");
        assert!(edited > unrelated);
    }

    #[test]
    fn the_ratio_favours_the_closer_length() {
        let stored = "f ( x )";
        let same_length = Similarity::of(stored, "f ( y )");
        let longer = Similarity::of(stored, "f ( x ) + g ( y ) + h ( z )");
        assert!(same_length > longer);
    }
}
