//! Findings reported by another tool (`command`, `sarif`), checked against
//! the files they point at.
//!
//! A producer's word is taken only for *where*: the file and line. Each
//! reported file is read (in parallel) and decoded like any scanned file, so a
//! finding in a file that is missing, not UTF-8 or reached through a symlink
//! leading out of the root is reported as [`Unreadable`] instead of being
//! keyed blindly; a line past the end of its file (a stale report) is
//! [`Skipped`] with the reason. Findings outside the gate's scope (`paths`,
//! `include`, `exclude`) are dropped: the scope means the same for every
//! source. The byte offset used for ordering is computed from the line and
//! column (columns count characters; 0 means unknown). Keys are computed
//! later, from the file, never taken from the producer.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path};

use rayon::prelude::*;
use stablegate_model::SharedStr;
use thiserror::Error;

use crate::inputs::{Collected, Finding, Skipped, Unreadable};
use crate::walk::Scope;

/// One finding as a producer reported it, its file made root-relative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct External {
    /// Where the producer said it, for messages (`line 3`, `runs[0].results[2]`).
    pub at: String,
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based characters; 0: unknown.
    pub column: usize,
    pub end_line: Option<usize>,
    /// The producer's rule id, else the gate's name.
    pub rule: String,
    /// Whether the producer gave the rule id (see [`Finding::rule_in_key`]).
    pub rule_in_key: bool,
    pub message: Option<String>,
}

/// What a producer reported: findings, and results that could not be used.
#[derive(Debug, Default)]
pub(crate) struct Reported {
    pub findings: Vec<External>,
    pub skipped: Vec<Skipped>,
}

/// Checks reported findings against their files; see the module doc.
pub(crate) fn resolve(root: &Path, scope: Scope<'_>, reported: Reported) -> Collected {
    let mut by_file: BTreeMap<String, Vec<External>> = BTreeMap::new();
    for finding in reported.findings {
        if scope.contains(&finding.file) {
            by_file
                .entry(finding.file.clone())
                .or_default()
                .push(finding);
        }
    }
    let files: Vec<(String, Vec<External>)> = by_file.into_iter().collect();
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .map(|(file, found)| check_file(root, file, found))
        .collect();
    let mut collected = Collected {
        scanned_files: files.len(),
        skipped: reported.skipped,
        ..Collected::default()
    };
    for outcome in outcomes {
        collected.findings.extend(outcome.findings);
        collected.skipped.extend(outcome.skipped);
        collected.unreadable.extend(outcome.unreadable);
    }
    collected
}

#[derive(Default)]
struct FileOutcome {
    findings: Vec<Finding>,
    skipped: Vec<Skipped>,
    unreadable: Option<Unreadable>,
}

fn check_file<'f>(root: &Path, file: &str, found: &'f [External]) -> FileOutcome {
    let unreadable = |line: Option<usize>, reason: String| FileOutcome {
        unreadable: Some(Unreadable {
            file: file.to_owned(),
            line,
            reason: format!(
                "{reason}; {} reported finding(s) there cannot be keyed",
                found.len()
            ),
        }),
        ..FileOutcome::default()
    };
    let path = root.join(file);
    match path.canonicalize() {
        Ok(canonical) if !canonical.starts_with(root) => {
            return unreadable(
                None,
                "leads outside the project root through a symlink".to_owned(),
            )
        }
        Ok(_) => {}
        Err(err) => return unreadable(None, format!("cannot be read: {err}")),
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => return unreadable(None, format!("cannot be read: {err}")),
    };
    let text = match stablegate_keys::decode_source(&bytes) {
        Ok(text) => text,
        Err(stablegate_keys::SourceError::NotUtf8 { line }) => {
            return unreadable(Some(line), "is not valid UTF-8".to_owned())
        }
    };
    let starts = line_starts(&text);
    let mut outcome = FileOutcome::default();
    // One allocation per file name and per distinct rule and message, shared
    // by every finding that carries it (SPEC §12.6).
    let shared_file = SharedStr::from(file);
    let mut strings: HashMap<&str, SharedStr> = HashMap::new();
    let mut share = |text: &'f str| {
        strings
            .entry(text)
            .or_insert_with(|| SharedStr::from(text))
            .clone()
    };
    let mut columns = Columns::default();
    for finding in found {
        let Some(&start) = finding.line.checked_sub(1).and_then(|i| starts.get(i)) else {
            outcome.skipped.push(Skipped {
                at: finding.at.clone(),
                reason: format!(
                    "line {} is past the end of {file} ({} lines): the report may be stale",
                    finding.line,
                    starts.len() - 1
                ),
            });
            continue;
        };
        outcome.findings.push(Finding {
            file: shared_file.clone(),
            line: finding.line,
            column: finding.column,
            end_line: finding.end_line.unwrap_or(finding.line).max(finding.line),
            offset: columns.offset(&text, start, finding.column),
            rule: share(&finding.rule),
            rule_in_key: finding.rule_in_key,
            message: finding.message.as_deref().map(&mut share),
        });
    }
    outcome
}

/// Byte offsets of 1-based character columns, counted on from the previous
/// finding when it is on the same line and not further right: a producer
/// reporting 10,000 findings on one long line, in order, has its characters
/// counted once, not once per finding.
#[derive(Default)]
struct Columns {
    /// The line start, 0-based character column and byte offset last found.
    last: Option<(usize, usize, usize)>,
}

impl Columns {
    /// The byte offset of 1-based `column` (0: unknown, the line start) of
    /// the line starting at `start`; a column past the line's end stops at
    /// the end of the line.
    fn offset(&mut self, text: &str, start: usize, column: usize) -> usize {
        let want = column.saturating_sub(1);
        let (mut chars, mut at) = match self.last {
            Some((line, chars, at)) if line == start && chars <= want => (chars, at),
            _ => (0, start),
        };
        let rest = text.get(at..).unwrap_or_default();
        for ch in rest.chars() {
            if chars == want || ch == '\n' {
                break;
            }
            chars += 1;
            at += ch.len_utf8();
        }
        // A column past the end stopped early: remember where it stopped as
        // the count it really reached.
        self.last = Some((start, chars, at));
        at
    }
}

/// Byte offset of the start of every line of decoded text (`\n` ends), plus
/// one past the last: a finding may sit on the empty line after a final
/// newline, or on line 1 of an empty file.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if !text.ends_with('\n') && !text.is_empty() {
        starts.push(text.len());
    }
    starts
}

/// Why a reported path cannot be used; reads after the path (``file `x` is
/// outside the project root``).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum PathError {
    /// An absolute path that is not under the root, even once symlinks are
    /// resolved (or one that cannot be resolved).
    #[error("is outside the project root")]
    Outside,
    /// A relative path whose `..` climbs above the root.
    #[error("leads outside the project root")]
    LeadsOutside,
    /// A component that is not UTF-8.
    #[error("is not valid UTF-8")]
    NotUtf8,
    /// The path is the root itself.
    #[error("names the project root, not a file")]
    IsRoot,
}

/// A reported path made root-relative and `/`-separated: relative paths are
/// taken relative to the root; absolute ones must lie under it (directly or
/// once symlinks are resolved). `Err` says why the path cannot be used.
pub(crate) fn relative_to_root(root: &Path, path: &Path) -> Result<String, PathError> {
    let rest = if path.is_absolute() {
        match path.strip_prefix(root) {
            Ok(rest) => rest.to_path_buf(),
            Err(_) => {
                let canonical = path.canonicalize().map_err(|_| PathError::Outside)?;
                canonical
                    .strip_prefix(root)
                    .map_err(|_| PathError::Outside)?
                    .to_path_buf()
            }
        }
    } else {
        path.to_path_buf()
    };
    let mut parts: Vec<&str> = Vec::new();
    for component in rest.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop().ok_or(PathError::LeadsOutside)?;
            }
            Component::Normal(part) => parts.push(part.to_str().ok_or(PathError::NotUtf8)?),
            Component::RootDir | Component::Prefix(_) => return Err(PathError::Outside),
        }
    }
    if parts.is_empty() {
        return Err(PathError::IsRoot);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_allow_the_line_after_a_final_newline() {
        assert_eq!(line_starts("a\nbc\n"), [0, 2, 5]);
        assert_eq!(line_starts("a\nbc"), [0, 2, 4]);
        assert_eq!(line_starts(""), [0]);
    }

    #[test]
    fn reported_paths_become_root_relative_or_say_why_not() {
        let root = Path::new("/project");
        let rel = |path: &str| relative_to_root(root, Path::new(path));
        assert_eq!(rel("./src/../src/a.py").as_deref(), Ok("src/a.py"));
        assert_eq!(rel("/project/src/a.py").as_deref(), Ok("src/a.py"));
        assert_eq!(rel("../a.py"), Err(PathError::LeadsOutside));
        assert_eq!(
            PathError::LeadsOutside.to_string(),
            "leads outside the project root"
        );
        assert_eq!(rel("/elsewhere/a.py"), Err(PathError::Outside));
        assert_eq!(
            PathError::Outside.to_string(),
            "is outside the project root"
        );
        assert_eq!(rel("."), Err(PathError::IsRoot));
    }
}
