//! Live sites grouped by content key.
//!
//! Responsible for putting the sites of one gate into a canonical order
//! (whatever order the caller passed them in) and grouping them by key:
//! `(file, qualname, token, text, rule)` — the content key, the plain-text
//! key of a token-less line, and the rule when the source reports rule ids
//! (SPEC §12.7) — with indexes by `(file, qualname)` and by `qualname`. The
//! keys of one content (the same file, qualname, token and text, one key per
//! rule) are adjacent: [`Live::content_of`] gives their run. Line numbers
//! only order the sites inside a key (so the first site printed is the
//! topmost); they never decide membership.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::check::Pattern;
use crate::inputs::Site;

/// All live sites of one key, in line order.
#[derive(Debug)]
pub(super) struct LiveKey<'a> {
    pub file: &'a str,
    pub qualname: &'a str,
    pub token: &'a str,
    /// The plain-text key of a token-less line; empty when `token` is not.
    pub text: &'a str,
    /// The rule, when the source reports rule ids (SPEC §12.7).
    pub rule: Option<&'a str>,
    /// One run of the ordered sites ([`order`]); never empty.
    pub sites: &'a [&'a Site],
}

impl<'a> LiveKey<'a> {
    /// The key of a run of sites that share it (never empty).
    fn of(sites: &'a [&'a Site]) -> Self {
        let site = sites[0];
        LiveKey {
            file: site.finding.file.as_str(),
            qualname: site.qualname.as_str(),
            token: site.token.as_str(),
            text: site.text.as_str(),
            rule: site.key_rule(),
            sites,
        }
    }

    /// What similarity compares: the token, or the text of a token-less line.
    pub(super) fn comparand(&self) -> &'a str {
        if self.token.is_empty() {
            self.text
        } else {
            self.token
        }
    }

    fn same_content(&self, other: &LiveKey<'_>) -> bool {
        (self.file, self.qualname, self.token, self.text)
            == (other.file, other.qualname, other.token, other.text)
    }
}

/// The live keys of a gate, sorted by `(file, qualname, token, text, rule)`.
#[derive(Debug)]
pub(super) struct Live<'a> {
    pub keys: Vec<LiveKey<'a>>,
    /// Built on first use: only entries look keys up, and a gate with a
    /// rule that matches everywhere may have hundreds of thousands of keys
    /// and no entry at all.
    indexes: OnceLock<Indexes<'a>>,
}

/// Keys by `(file, qualname)` (each scope is one run of keys, sorted by
/// token) and by `(qualname, token)` in any file (each list in key order).
#[derive(Debug)]
struct Indexes<'a> {
    scopes: BTreeMap<(&'a str, &'a str), Range<usize>>,
    by_content: BTreeMap<(&'a str, &'a str), Vec<usize>>,
}

/// The sites in their canonical order ([`total_order`]), whatever order
/// the caller passed them in: each key's sites are then one run, which
/// [`Live::new`] borrows.
pub(super) fn order(sites: &[Site]) -> Vec<&Site> {
    let mut ordered: Vec<&Site> = sites.iter().collect();
    // Sites usually come grouped by file in path order (keying sorts them
    // so): each file's run is then sorted on its own, runs in parallel,
    // which gives what one sort of all of them would (the total order
    // starts with the file) for far fewer comparisons, none of them on the
    // file.
    let grouped = (ordered.par_windows(2)).all(|pair| pair[0].finding.file <= pair[1].finding.file);
    if grouped {
        (ordered.par_chunk_by_mut(same_file))
            .for_each(|run| run.sort_by(|a, b| in_file_order(a).cmp(&in_file_order(b))));
    } else {
        ordered.par_sort_by(|a, b| total_order(a).cmp(&total_order(b)));
    }
    ordered
}

fn same_file(a: &&Site, b: &&Site) -> bool {
    a.finding.file == b.finding.file
}

impl<'a> Live<'a> {
    /// Groups sites in [`order`] by key; each key borrows its run.
    pub(super) fn new(ordered: &'a [&'a Site]) -> Self {
        let keys = (ordered.par_chunk_by(same_file))
            .flat_map_iter(group)
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
            let mut by_content: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
            for (index, key) in self.keys.iter().enumerate() {
                match scopes.last_mut() {
                    Some((scope, range)) if *scope == (key.file, key.qualname) => {
                        range.end = index + 1;
                    }
                    _ => scopes.push(((key.file, key.qualname), index..index + 1)),
                }
                (by_content.entry((key.qualname, key.token)))
                    .or_default()
                    .push(index);
            }
            Indexes {
                scopes: scopes.into_iter().collect(),
                by_content,
            }
        })
    }

    /// Indexes of the keys in `(file, qualname)`.
    pub(super) fn in_scope(&self, file: &str, qualname: &str) -> Range<usize> {
        (self.indexes().scopes.get(&(file, qualname)))
            .cloned()
            .unwrap_or(0..0)
    }

    /// Indexes of the keys of `file`, every scope (keys are sorted by file).
    pub(super) fn in_file(&self, file: &str) -> Range<usize> {
        let start = self.keys.partition_point(|key| key.file < file);
        let count = self.keys[start..].partition_point(|key| key.file == file);
        start..start + count
    }

    /// Indexes of the keys in `(file, qualname)` whose token `pattern`
    /// selects and, for an exact token, whose text is `text` (the text of
    /// keys with a token is empty; a truncated token is never empty, so it
    /// selects no token-less key), in key order, every rule. A scope's keys
    /// are sorted by token and text, so the selected ones are one run found
    /// by binary search: an allowlist with thousands of entries in one scope
    /// costs a logarithm per entry, not a pass over the scope.
    pub(super) fn selected(
        &self,
        file: &str,
        qualname: &str,
        pattern: Pattern<'_>,
        text: &str,
    ) -> Range<usize> {
        let scope = self.in_scope(file, qualname);
        let keys = &self.keys[scope.clone()];
        let (first, count) = match pattern {
            Pattern::Exact(token) => {
                let first = keys.partition_point(|key| (key.token, key.text) < (token, text));
                let count =
                    keys[first..].partition_point(|key| (key.token, key.text) == (token, text));
                (first, count)
            }
            Pattern::Prefix(prefix) => {
                let first = keys.partition_point(|key| key.token < prefix);
                let count = keys[first..].partition_point(|key| pattern.matches(key.token));
                (first, count)
            }
        };
        scope.start + first..scope.start + first + count
    }

    /// The run of keys with the same content as key `index` (one per rule).
    pub(super) fn content_of(&self, index: usize) -> Range<usize> {
        let key = &self.keys[index];
        let mut start = index;
        while start > 0 && self.keys[start - 1].same_content(key) {
            start -= 1;
        }
        let mut end = index + 1;
        while end < self.keys.len() && self.keys[end].same_content(key) {
            end += 1;
        }
        start..end
    }

    /// Indexes of the keys, in any file, with this qualname and a token
    /// `pattern` selects, in key order.
    pub(super) fn with_content(&self, qualname: &str, pattern: Pattern<'_>) -> Vec<usize> {
        let by_content = &self.indexes().by_content;
        match pattern {
            Pattern::Exact(token) => {
                (by_content.get(&(qualname, token))).map_or_else(Vec::new, Vec::clone)
            }
            Pattern::Prefix(prefix) => {
                let mut indexes: Vec<usize> = (by_content.range((qualname, prefix)..))
                    .take_while(|((name, token), _)| *name == qualname && token.starts_with(prefix))
                    .flat_map(|(_, indexes)| indexes.iter().copied())
                    .collect();
                indexes.sort_unstable();
                indexes
            }
        }
    }
}

/// The keys of one file's sites, sorted by [`in_file_order`]: that order
/// starts with the key, so each key's sites are one run, in line order.
fn group<'a>(run: &'a [&'a Site]) -> Vec<LiveKey<'a>> {
    let mut keys: Vec<LiveKey<'a>> = Vec::new();
    let mut start = 0;
    for (at, &site) in run.iter().enumerate() {
        // Sites of one line share their token, text and qualname: comparing
        // them with the key's first site is then a pointer comparison.
        let first = run[start];
        let same_key = (&first.token, &first.qualname, &first.text)
            == (&site.token, &site.qualname, &site.text)
            && first.key_rule() == site.key_rule();
        if at > start && !same_key {
            keys.push(LiveKey::of(&run[start..at]));
            start = at;
        }
    }
    if start < run.len() {
        keys.push(LiveKey::of(&run[start..]));
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
        (&site.qualname, &site.token, &site.text, site.key_rule()),
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
                file: file.into(),
                line,
                column: 0,
                end_line: line,
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

    #[test]
    fn sites_are_grouped_by_key_whatever_their_order() {
        let sites = vec![
            site("b.py", 9, "f", "x"),
            site("a.py", 7, "g", "y"),
            site("a.py", 3, "g", "y"),
            site("a.py", 5, "f", "z"),
        ];
        let ordered = order(&sites);
        let live = Live::new(&ordered);
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
        assert_eq!(live.in_file("a.py"), 0..2);
        assert_eq!(live.in_file("b.py"), 2..3);
        assert_eq!(live.in_file("ab.py"), 2..2);
        assert_eq!(live.with_content("f", Pattern::Exact("x")), [2]);
        assert_eq!(live.with_content("f", Pattern::Prefix("")), [0, 2]);
        assert_eq!(
            live.with_content("g", Pattern::Prefix("z")),
            Vec::<usize>::new()
        );
        assert_eq!(live.selected("a.py", "g", Pattern::Exact("y"), ""), 1..2);
        assert!(live
            .selected("a.py", "f", Pattern::Exact("y"), "")
            .is_empty());
    }

    #[test]
    fn selection_in_a_scope_is_the_run_of_matching_tokens() {
        let tokens = ["a", "ab", "abc", "abd", "b", "ba"];
        let sites: Vec<Site> = tokens
            .iter()
            .map(|token| site("m.py", 1, "f", token))
            .collect();
        let ordered = order(&sites);
        let live = Live::new(&ordered);
        for pattern in ["a", "ab", "abc", "b", "c", ""] {
            for pattern in [Pattern::Exact(pattern), Pattern::Prefix(pattern)] {
                let expected: Vec<usize> = (0..live.keys.len())
                    .filter(|&index| pattern.matches(live.keys[index].token))
                    .collect();
                let selected: Vec<usize> = live.selected("m.py", "f", pattern, "").collect();
                assert_eq!(selected, expected, "{pattern:?}");
                assert_eq!(live.with_content("f", pattern), expected, "{pattern:?}");
            }
        }
    }
}
