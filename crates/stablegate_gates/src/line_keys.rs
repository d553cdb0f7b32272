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

use std::borrow::Cow;
use std::collections::HashMap;

use stablegate_keys::{decode_source, keys_for, plain_text_key, FileKeys, Language};
use stablegate_model::SharedStr;

use crate::inputs::{Finding, Keyed, Site, Unreadable};
use crate::order;
use crate::tree::Tree;

/// Why a file of the tree has no keys; reads after the file's name, as an
/// [`Unreadable`]'s reason does.
#[derive(Debug, thiserror::Error)]
pub enum UnkeyableFile {
    #[error("cannot be read: {0}")]
    Unreadable(#[source] std::io::Error),
    /// `line` holds the first byte that is not UTF-8.
    #[error("is not valid UTF-8")]
    NotUtf8 { line: usize },
}

impl UnkeyableFile {
    /// The line concerned, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            UnkeyableFile::Unreadable(_) => None,
            UnkeyableFile::NotUtf8 { line } => Some(*line),
        }
    }

    /// The problem, as the gates report it for `file`.
    fn of(self, file: &str) -> Unreadable {
        Unreadable {
            file: file.to_owned(),
            line: self.line(),
            reason: self.to_string(),
        }
    }
}

/// The keys of a file's bytes, in the key language of its path (SPEC §2.2,
/// §12.1), or why it has none.
pub(crate) fn keys_of(file: &str, bytes: &[u8]) -> Result<FileKeys, UnkeyableFile> {
    let text = decode(bytes)?;
    Ok(keys_for(Language::from_path(file), &text))
}

/// The text keys are computed from, or the line of the first bad byte.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, UnkeyableFile> {
    decode_source(bytes).map_err(|err| match err {
        stablegate_keys::SourceError::NotUtf8 { line } => UnkeyableFile::NotUtf8 { line },
    })
}

/// Reads and keys one file of the tree; the sites of its findings (each a
/// copy: the findings stay where they are).
pub(crate) fn key_file(
    tree: &Tree<'_>,
    file: &str,
    findings: &[&Finding],
) -> (Vec<Site>, Vec<Unreadable>) {
    let unreadable = |problem: UnkeyableFile| (Vec::new(), vec![problem.of(file)]);
    let bytes = match tree.read(file) {
        Ok(bytes) => bytes,
        Err(err) => return unreadable(UnkeyableFile::Unreadable(err)),
    };
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(problem) => return unreadable(problem),
    };
    let keys = keys_for(Language::from_path(file), &text);
    let owned = findings.iter().map(|&finding| finding.clone());
    let sites = sites_of(file, &keys, &text, owned);
    (sites.sites, sites.problems)
}

/// What [`sites_of`] makes of one file's findings.
pub(crate) struct FileSites {
    /// One per finding on a line of the file, holding the finding.
    pub sites: Vec<Site>,
    /// The findings past the end of the file, each also in `problems`.
    pub unkeyed: Vec<Finding>,
    pub problems: Vec<Unreadable>,
}

/// The sites of findings in one file, from the file's keys and its
/// (decoded) text, which gives the plain-text key of token-less lines; a
/// finding past the end of the file is a problem instead. Each site takes
/// its finding: a scan keeps no second list of them.
pub(crate) fn sites_of(
    file: &str,
    keys: &FileKeys,
    text: &str,
    findings: impl ExactSizeIterator<Item = Finding>,
) -> FileSites {
    let mut sites = Vec::with_capacity(findings.len());
    let (mut unkeyed, mut problems) = (Vec::new(), Vec::new());
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
            unkeyed.push(finding);
            continue;
        }
        let (qualname, token, text) = shared.of(keys, text, finding.line);
        sites.push(Site {
            finding,
            qualname,
            token,
            text,
        });
    }
    FileSites {
        sites,
        unkeyed,
        problems,
    }
}

/// The qualname, token and text of a file's lines as [`SharedStr`]s, each
/// made once: every site of a line shares its line's token, every site of a
/// scope its qualname (SPEC §12.6). The text (the plain-text key, SPEC
/// §12.7) is only made for lines without a token, from an index of line
/// starts built on the first such line.
#[derive(Default)]
struct SharedKeys<'k> {
    lines: HashMap<usize, (SharedStr, SharedStr, SharedStr)>,
    qualnames: HashMap<&'k str, SharedStr>,
    line_starts: Option<Vec<usize>>,
}

impl<'k> SharedKeys<'k> {
    fn of(
        &mut self,
        keys: &'k FileKeys,
        text: &str,
        line: usize,
    ) -> (SharedStr, SharedStr, SharedStr) {
        if let Some((qualname, token, plain)) = self.lines.get(&line) {
            return (qualname.clone(), token.clone(), plain.clone());
        }
        let name = keys.qualname(line);
        let qualname = (self.qualnames.entry(name))
            .or_insert_with(|| SharedStr::from(name))
            .clone();
        let (token, plain) = match keys.token(line) {
            Some(token) => (SharedStr::from(token), SharedStr::default()),
            None => {
                let starts = self.line_starts.get_or_insert_with(|| line_starts(text));
                let plain = plain_text_key(line_text(text, starts, line));
                (SharedStr::default(), SharedStr::from(plain.as_str()))
            }
        };
        let shared = (qualname, token, plain);
        self.lines.insert(line, shared.clone());
        shared
    }
}

/// Byte offsets where the lines of newline-normalised text start.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
    starts
}

/// The text of a 1-based line, without its newline; empty past the end.
fn line_text<'t>(text: &'t str, starts: &[usize], line: usize) -> &'t str {
    let Some(&start) = line.checked_sub(1).and_then(|index| starts.get(index)) else {
        return "";
    };
    let end = starts.get(line).map_or(text.len(), |&next| next - 1);
    text.get(start..end).unwrap_or("")
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
