//! Live sites grouped by content key.
//!
//! Responsible for putting the sites of one gate into a canonical order
//! (whatever order the caller passed them in) and grouping them by
//! `(file, qualname, token)`, with indexes by `(file, qualname)` and by
//! `qualname`. Line numbers only order the sites inside a key (so the first
//! site printed is the topmost); they never decide membership.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::inputs::Site;

/// All live sites of one key, in line order.
#[derive(Debug)]
pub(super) struct LiveKey<'a> {
    pub file: &'a str,
    pub qualname: &'a str,
    pub token: &'a str,
    pub sites: Vec<&'a Site>,
}

/// The live keys of a gate, sorted by `(file, qualname, token)`.
#[derive(Debug)]
pub(super) struct Live<'a> {
    pub keys: Vec<LiveKey<'a>>,
    /// Built on first use: only entries look keys up, and a gate with a
    /// rule that matches everywhere may have hundreds of thousands of keys
    /// and no entry at all.
    indexes: OnceLock<Indexes<'a>>,
}

/// Keys by `(file, qualname)` (each scope is one run of keys) and by
/// `qualname` alone.
#[derive(Debug)]
struct Indexes<'a> {
    scopes: BTreeMap<(&'a str, &'a str), Range<usize>>,
    by_qualname: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> Live<'a> {
    pub(super) fn new(sites: &'a [Site]) -> Self {
        let mut ordered: Vec<&Site> = sites.iter().collect();
        // Sites usually come grouped by file in path order (keying sorts
        // them so): each file's run is then sorted and grouped on its own,
        // runs in parallel, which gives what one sort of all of them would
        // (the total order starts with the file) for far fewer comparisons,
        // none of them on the file.
        let by_file = |a: &&Site, b: &&Site| a.finding.file == b.finding.file;
        let grouped =
            (ordered.par_windows(2)).all(|pair| pair[0].finding.file <= pair[1].finding.file);
        if !grouped {
            ordered.par_sort_by(|a, b| total_order(a).cmp(&total_order(b)));
        }
        let keys = (ordered.par_chunk_by_mut(by_file))
            .flat_map_iter(|run| {
                if grouped {
                    run.sort_by(|a, b| in_file_order(a).cmp(&in_file_order(b)));
                }
                group(run)
            })
            .collect();
        Live {
            keys,
            indexes: OnceLock::new(),
        }
    }

    fn indexes(&self) -> &Indexes<'a> {
        self.indexes.get_or_init(|| {
            // Keys are sorted by `(file, qualname)` too: each scope is one run.
            let mut scopes: Vec<((&str, &str), Range<usize>)> = Vec::new();
            let mut by_qualname: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (index, key) in self.keys.iter().enumerate() {
                match scopes.last_mut() {
                    Some((scope, range)) if *scope == (key.file, key.qualname) => {
                        range.end = index + 1
                    }
                    _ => scopes.push(((key.file, key.qualname), index..index + 1)),
                }
                by_qualname.entry(key.qualname).or_default().push(index);
            }
            Indexes {
                scopes: scopes.into_iter().collect(),
                by_qualname,
            }
        })
    }

    /// Indexes of the keys in `(file, qualname)`.
    pub(super) fn in_scope(&self, file: &str, qualname: &str) -> Range<usize> {
        (self.indexes().scopes.get(&(file, qualname)))
            .cloned()
            .unwrap_or(0..0)
    }

    /// Indexes of the keys with this qualname, in any file.
    pub(super) fn with_qualname(&self, qualname: &str) -> &[usize] {
        (self.indexes().by_qualname.get(qualname)).map_or(&[], Vec::as_slice)
    }
}

/// The keys of one file's sites, sorted by [`in_file_order`]: that order
/// starts with the key, so each key's sites are one run, in line order.
fn group<'a>(run: &[&'a Site]) -> Vec<LiveKey<'a>> {
    let mut keys: Vec<LiveKey<'a>> = Vec::new();
    for &site in run {
        let (file, qualname, token) = (
            site.finding.file.as_str(),
            site.qualname.as_str(),
            site.token.as_str(),
        );
        match keys.last_mut() {
            Some(key) if (key.token, key.qualname) == (token, qualname) => key.sites.push(site),
            _ => keys.push(LiveKey {
                file,
                qualname,
                token,
                sites: vec![site],
            }),
        }
    }
    keys
}

/// A total order on sites from their content, so the result cannot depend
/// on the order the caller passed them in.
fn total_order(site: &Site) -> impl Ord + '_ {
    (&site.finding.file, in_file_order(site))
}

/// [`total_order`] between two sites of the same file.
fn in_file_order(site: &Site) -> impl Ord + '_ {
    let finding = &site.finding;
    (
        (&site.qualname, &site.token),
        (
            finding.line,
            finding.column,
            finding.end_line,
            finding.offset,
        ),
        (&finding.rule, &finding.message),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Finding;

    fn site(file: &str, line: usize, qualname: &str, token: &str) -> Site {
        Site {
            finding: Finding {
                file: file.to_owned(),
                line,
                column: 0,
                end_line: line,
                offset: 0,
                rule: "r".to_owned(),
                message: None,
            },
            qualname: qualname.to_owned(),
            token: token.to_owned(),
        }
    }

    #[test]
    fn sites_are_grouped_by_key_whatever_their_order() {
        let sites = vec![
            site("b.py", 9, "f", "x"),
            site("a.py", 7, "g", "y"),
            site("a.py", 3, "g", "y"),
            site("a.py", 5, "f", "z"),
        ];
        let live = Live::new(&sites);
        let keys: Vec<(&str, &str, &str, Vec<usize>)> = live
            .keys
            .iter()
            .map(|key| {
                let lines = key.sites.iter().map(|site| site.finding.line).collect();
                (key.file, key.qualname, key.token, lines)
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                ("a.py", "f", "z", vec![5]),
                ("a.py", "g", "y", vec![3, 7]),
                ("b.py", "f", "x", vec![9]),
            ]
        );
        assert_eq!(live.in_scope("a.py", "g"), 1..2);
        assert_eq!(live.in_scope("c.py", "g"), 0..0);
        assert_eq!(live.with_qualname("f"), &[0, 2]);
    }
}
