//! Keying: turning findings into live sites by computing the content key of
//! each finding's line from the source (SPEC §2), never taking it from the
//! producer.
//!
//! Each file named by a finding is read and keyed once, files in parallel;
//! the sites come out in the findings' order. Python keys are exact (SPEC
//! §2.1); until the tree-sitter keys of SPEC §2.2 exist, files of other
//! languages are keyed by the same tokenizer, which is stable and
//! deterministic but gives every line the qualname `<module>`. This module
//! reads files but decides no verdict and prints nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use stablegate_keys::{decode_source, python_keys, FileKeys};
use stablegate_model::SharedStr;

use crate::finding::{Finding, Site};
use crate::source::Unreadable;
use crate::tree::Tree;

/// The sites of a list of findings, and the files that could not be keyed.
#[derive(Debug, Default)]
pub struct Keyed {
    /// One per finding whose file could be keyed, in the findings' order.
    pub sites: Vec<Site>,
    /// Files named by findings that could not be read or decoded, or
    /// findings past the end of their file; sorted by path.
    pub unkeyable: Vec<Unreadable>,
}

/// Keys every finding from the files under `root`.
pub fn key_findings(root: &Path, findings: &[Finding]) -> Keyed {
    key_findings_in(&Tree::disk(root), findings)
}

/// Keys every finding from a view of the tree. When the view carries the
/// unmutated run's inputs, files it does not replace keep the sites and
/// problems they had there.
pub fn key_findings_in(tree: &Tree<'_>, findings: &[Finding]) -> Keyed {
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        by_file.entry(&finding.file).or_default().push(finding);
    }
    let files: Vec<(&str, Vec<&Finding>)> = by_file.into_iter().collect();
    let keyed: Vec<(Vec<Site>, Vec<Unreadable>)> = files
        .par_iter()
        .map(|(file, findings)| match tree.reuse() {
            Some(base) if !tree.replaces(file) => reused(&base.keyed, file),
            _ => key_file(tree, file, findings),
        })
        .collect();
    let mut out = Keyed::default();
    for (sites, problems) in keyed {
        out.sites.extend(sites);
        out.unkeyable.extend(problems);
    }
    out.sites
        .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    out.unkeyable.sort();
    out
}

/// The sites a scan keyed file by file ([`sites_of`]), in the order
/// [`key_findings_in`] gives them for the scan's sorted findings: by
/// [`Finding::sort_key`], ties in scan order, exact duplicates dropped (as
/// [`crate::finding::sort_findings`] drops duplicate findings).
pub(crate) fn keyed_by_scan(mut sites: Vec<Site>, mut unkeyable: Vec<Unreadable>) -> Keyed {
    crate::order::sort_stable_by(&mut sites, |a, b| {
        a.finding.sort_key().cmp(&b.finding.sort_key())
    });
    sites.dedup_by(|a, b| a.finding == b.finding);
    unkeyable.sort();
    Keyed { sites, unkeyable }
}

/// The sites and problems an earlier keying found in one file.
/// Both lists are sorted by file first, so each file's part is one run.
fn reused(base: &Keyed, file: &str) -> (Vec<Site>, Vec<Unreadable>) {
    let sites = &base.sites;
    let start = sites.partition_point(|site| site.finding.file.as_str() < file);
    let end = sites.partition_point(|site| site.finding.file.as_str() <= file);
    let problems = &base.unkeyable;
    let first = problems.partition_point(|problem| problem.file.as_str() < file);
    let last = problems.partition_point(|problem| problem.file.as_str() <= file);
    (sites[start..end].to_vec(), problems[first..last].to_vec())
}

/// Reads and keys one file; the keys of each of its findings.
fn key_file(tree: &Tree<'_>, file: &str, findings: &[&Finding]) -> (Vec<Site>, Vec<Unreadable>) {
    let keys = match tree
        .read(file)
        .map_err(|err| (None, format!("cannot be read: {err}")))
        .and_then(|bytes| keys_of(&bytes))
    {
        Ok(keys) => keys,
        Err((line, reason)) => {
            let problem = Unreadable {
                file: file.to_owned(),
                line,
                reason,
            };
            return (Vec::new(), vec![problem]);
        }
    };
    sites_of(file, &keys, findings.iter().copied())
}

/// The sites of findings in one file, from the file's keys; a finding past
/// the end of the file is a problem instead. The scan of ast-grep sources
/// calls this with the keys it computed anyway (a Python file's syntax check
/// needs them), so no file is keyed twice.
pub(crate) fn sites_of<'f>(
    file: &str,
    keys: &FileKeys,
    findings: impl ExactSizeIterator<Item = &'f Finding>,
) -> (Vec<Site>, Vec<Unreadable>) {
    let mut sites = Vec::with_capacity(findings.len());
    let mut problems = Vec::new();
    let mut shared = SharedKeys::default();
    for finding in findings {
        if finding.line == 0 || finding.line > keys.line_count() {
            problems.push(Unreadable {
                file: file.to_owned(),
                line: Some(finding.line),
                reason: format!(
                    "has no line {} (it has {}): the finding cannot be keyed",
                    finding.line,
                    keys.line_count()
                ),
            });
            continue;
        }
        let (qualname, token) = shared.of(keys, finding.line);
        sites.push(Site {
            finding: finding.clone(),
            qualname,
            token,
        });
    }
    (sites, problems)
}

/// The qualname and token of a file's lines as [`SharedStr`]s, each made
/// once: every site of a line shares its line's token, every site of a
/// scope its qualname (SPEC §12.6).
#[derive(Default)]
struct SharedKeys<'k> {
    lines: HashMap<usize, (SharedStr, SharedStr)>,
    qualnames: HashMap<&'k str, SharedStr>,
}

impl<'k> SharedKeys<'k> {
    fn of(&mut self, keys: &'k FileKeys, line: usize) -> (SharedStr, SharedStr) {
        if let Some((qualname, token)) = self.lines.get(&line) {
            return (qualname.clone(), token.clone());
        }
        let name = keys.qualname(line);
        let qualname = (self.qualnames.entry(name))
            .or_insert_with(|| SharedStr::from(name))
            .clone();
        let token = SharedStr::from(keys.token(line).unwrap_or(""));
        self.lines.insert(line, (qualname.clone(), token.clone()));
        (qualname, token)
    }
}

/// The keys of one file, or the line (if any) and reason it has none.
pub fn read_keys(path: &Path) -> Result<FileKeys, (Option<usize>, String)> {
    let bytes = std::fs::read(path).map_err(|err| (None, format!("cannot be read: {err}")))?;
    keys_of(&bytes)
}

/// The keys of a file's bytes, or the line and reason it has none.
fn keys_of(bytes: &[u8]) -> Result<FileKeys, (Option<usize>, String)> {
    let text = decode_source(bytes).map_err(|err| match err {
        stablegate_keys::SourceError::NotUtf8 { line } => {
            (Some(line), "is not valid UTF-8".to_owned())
        }
    })?;
    Ok(python_keys(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, line: usize) -> Finding {
        Finding {
            file: file.into(),
            line,
            column: 1,
            end_line: line,
            offset: line * 100,
            rule: "r".into(),
            message: None,
        }
    }

    #[test]
    fn sites_carry_the_key_of_their_line_not_the_producers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.py"),
            "import json\n\ndef f(p):\n    return json.load(p)  # why\n",
        )
        .unwrap();
        let keyed = key_findings(dir.path(), &[finding("a.py", 4), finding("a.py", 2)]);
        let keys: Vec<(usize, &str, &str)> = keyed
            .sites
            .iter()
            .map(|s| (s.finding.line, s.qualname.as_str(), s.token.as_str()))
            .collect();
        assert_eq!(
            keys,
            [(2, "<module>", ""), (4, "f", "return json . load ( p )")]
        );
        assert!(keyed.unkeyable.is_empty());
    }

    #[test]
    fn unreadable_files_and_lines_past_the_end_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.py"), b"x = 1\n\xff\n").unwrap();
        std::fs::write(dir.path().join("short.py"), "x = 1\n").unwrap();
        let keyed = key_findings(
            dir.path(),
            &[
                finding("bad.py", 1),
                finding("short.py", 9),
                finding("gone.py", 1),
            ],
        );
        assert!(keyed.sites.is_empty());
        let reasons: Vec<String> = keyed
            .unkeyable
            .iter()
            .map(|u| format!("{}:{:?} {}", u.file, u.line, u.reason))
            .collect();
        assert_eq!(reasons.len(), 3);
        assert!(
            reasons[0].starts_with("bad.py:Some(2) is not valid UTF-8"),
            "{reasons:?}"
        );
        assert!(
            reasons[1].starts_with("gone.py:None cannot be read"),
            "{reasons:?}"
        );
        assert!(
            reasons[2].contains("has no line 9 (it has 1)"),
            "{reasons:?}"
        );
    }
}
