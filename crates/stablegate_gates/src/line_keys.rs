//! The keys of a file's lines, and the sites of the findings on them: the
//! one place a source file becomes [`FileKeys`] for the gates pipeline.
//!
//! Both the ast-grep scan (which keys each file it parses on the way, since a
//! Python file's syntax check needs its keys anyway) and keying of other
//! sources ([`crate::keying`]) go through [`keys_of`] and [`sites_of`], so a
//! finding gets the same key whichever path it took. Python keys are exact
//! (SPEC §2.1); JavaScript, TypeScript, Go, Rust and Java files get
//! tree-sitter keys and every other file plain-text keys (SPEC §2.2, §12.1),
//! chosen by the file's extension ([`Language::from_path`]): the Python
//! tokenizer never keys a non-Python file. Reads through a [`Tree`], decides
//! no verdict, prints nothing.

use std::collections::HashMap;

use stablegate_keys::{decode_source, keys_for, FileKeys, Language};
use stablegate_model::SharedStr;

use crate::inputs::{Finding, Keyed, Site, Unreadable};
use crate::order;
use crate::tree::Tree;

/// The keys of a file's bytes, in the key language of its path (SPEC §2.2,
/// §12.1), or the line (if any) and reason it has none.
pub(crate) fn keys_of(file: &str, bytes: &[u8]) -> Result<FileKeys, (Option<usize>, String)> {
    let text = decode_source(bytes).map_err(|err| match err {
        stablegate_keys::SourceError::NotUtf8 { line } => {
            (Some(line), "is not valid UTF-8".to_owned())
        }
    })?;
    Ok(keys_for(Language::from_path(file), &text))
}

/// Reads and keys one file of the tree; the sites of its findings.
pub(crate) fn key_file(
    tree: &Tree<'_>,
    file: &str,
    findings: &[&Finding],
) -> (Vec<Site>, Vec<Unreadable>) {
    let keys = match tree
        .read(file)
        .map_err(|err| (None, format!("cannot be read: {err}")))
        .and_then(|bytes| keys_of(file, &bytes))
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
/// the end of the file is a problem instead.
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

/// Sites keyed file by file, put in the order keying the sorted findings
/// gives: by [`Finding::sort_key`], ties in the order given, exact
/// duplicates dropped (as [`crate::inputs::sort_findings`] drops duplicate
/// findings); problems sorted.
pub(crate) fn in_order(mut sites: Vec<Site>, mut unkeyable: Vec<Unreadable>) -> Keyed {
    order::sort_stable_by(&mut sites, |a, b| {
        a.finding.sort_key().cmp(&b.finding.sort_key())
    });
    sites.dedup_by(|a, b| a.finding == b.finding);
    unkeyable.sort();
    Keyed { sites, unkeyable }
}
