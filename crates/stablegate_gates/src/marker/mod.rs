//! Marker censuses (SPEC §9): how many tests carry a pytest marker, and
//! whether each use of it says why.
//!
//! [`scan`] reads one file's marks and test nodes (tree-sitter), [`census`]
//! decides the verdicts (pure). [`run_marker`] is the only function here
//! that touches the file system: it walks the marker's `paths` for pytest's
//! default test files (`test_*.py`, `*_test.py`; a file named in `paths` is
//! read whatever its name) and reads them. A file that cannot be read or is
//! not UTF-8 is a `parse_error` item: an unread file could hide marks.

pub mod census;
pub mod scan;

use std::path::Path;

use stablegate_config::Marker;

pub use census::{Census, MarkUse, MarkedNode};

use crate::source::SourceError;
use crate::verdict::{GateKind, GateOutcome, Item, Verdict};
use crate::walk::{walk, Scope};

/// One census run: the outcome (kind `marker`) and the marked nodes.
#[derive(Debug, Clone)]
pub struct MarkerRun {
    pub outcome: GateOutcome,
    pub nodes: Vec<MarkedNode>,
}

/// Whether pytest collects a file by default.
pub fn is_test_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"))
}

/// Scans the marker's files and takes the census. `root` is canonical.
pub fn run_marker(root: &Path, marker: &Marker) -> Result<MarkerRun, SourceError> {
    let scope = Scope {
        paths: &marker.paths,
        include: &marker.include,
        exclude: &marker.exclude,
    };
    let at = format!("marker `{}` ({})", marker.name, marker.location);
    let walked = walk(root, &at, scope, &is_test_file)?;
    let mut problems = Vec::new();
    for (path, reason) in &walked.errors {
        problems.push((path.clone(), None, reason.clone()));
    }
    let mut files = Vec::new();
    for file in &walked.files {
        match std::fs::read(root.join(file)) {
            Err(err) => problems.push((file.clone(), None, format!("cannot be read: {err}"))),
            Ok(bytes) => match stablegate_keys::decode_source(&bytes) {
                Err(stablegate_keys::SourceError::NotUtf8 { line }) => {
                    problems.push((file.clone(), Some(line), "is not valid UTF-8".to_owned()));
                }
                Ok(text) => files.push((file.clone(), scan::scan(&text, &marker.decorator))),
            },
        }
    }
    let Census { mut items, nodes } = census::census(marker, &files);
    for (file, line, reason) in problems {
        let mut item = Item::new(Verdict::ParseError, &file, line, "<module>", "");
        item.rule = marker.name.clone().into();
        item.message = "the file could not be scanned".into();
        item.detail = Some(format!("{file} {reason}").into());
        items.push(item);
    }
    Ok(MarkerRun {
        outcome: GateOutcome::new(&marker.name, GateKind::Marker, items),
        nodes,
    })
}
