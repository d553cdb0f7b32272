//! Keying: turning a source's findings into live sites by computing the
//! content key of each finding's line from the source file (SPEC §2), never
//! taking it from the producer.
//!
//! [`key`] is the one entry point. When the source keyed its findings on the
//! way (an ast-grep scan reads every file it parses once), those sites are
//! taken as they are; otherwise each file named by a finding is read through
//! the [`Tree`] and keyed once, files in parallel ([`crate::line_keys`]). The
//! sites come out in the findings' order. Reads files, decides no verdict,
//! prints nothing.

use std::collections::BTreeMap;

use rayon::prelude::*;

use stablegate_keys::FileKeys;

use crate::inputs::{Collected, Finding, Keyed};
use crate::line_keys;
pub use crate::line_keys::UnkeyableFile;
use crate::tree::Tree;

/// The sites of everything `collected` found in `tree`.
pub fn key(tree: &Tree<'_>, collected: &mut Collected) -> Keyed {
    if let Some(keyed) = collected.keyed_on_the_way.take() {
        return keyed;
    }
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &collected.findings {
        by_file.entry(&finding.file).or_default().push(finding);
    }
    let files: Vec<(&str, Vec<&Finding>)> = by_file.into_iter().collect();
    let keyed: Vec<_> = files
        .par_iter()
        .map(|(file, findings)| line_keys::key_file(tree, file, findings))
        .collect();
    let (mut sites, mut unkeyable) = (Vec::new(), Vec::new());
    for (file_sites, problems) in keyed {
        sites.extend(file_sites);
        unkeyable.extend(problems);
    }
    line_keys::in_order(sites, unkeyable)
}

/// The keys of one root-relative file of the tree, or why it has none
/// (`convert` keys the files its seeds name).
pub fn keys_of_file(tree: &Tree<'_>, file: &str) -> Result<FileKeys, UnkeyableFile> {
    let bytes = tree.read(file).map_err(UnkeyableFile::Unreadable)?;
    line_keys::keys_of(file, &bytes)
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
            rule_in_key: false,
            message: None,
        }
    }

    fn key_findings(root: &std::path::Path, findings: Vec<Finding>) -> Keyed {
        let mut collected = Collected {
            findings,
            ..Collected::default()
        };
        crate::inputs::sort_findings(&mut collected.findings);
        key(&Tree::disk(root), &mut collected)
    }

    #[test]
    fn sites_carry_the_key_of_their_line_not_the_producers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.py"),
            "import json\n\ndef f(p):\n    return json.load(p)  # why\n",
        )
        .unwrap();
        let keyed = key_findings(dir.path(), vec![finding("a.py", 4), finding("a.py", 2)]);
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
            vec![
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

    #[test]
    fn sites_keyed_on_the_way_are_taken_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let on_the_way = Keyed {
            sites: Vec::new(),
            unkeyable: Vec::new(),
        };
        let mut collected = Collected {
            findings: vec![finding("missing.py", 1)],
            keyed_on_the_way: Some(on_the_way.clone()),
            ..Collected::default()
        };
        assert_eq!(key(&Tree::disk(dir.path()), &mut collected), on_the_way);
        assert!(collected.keyed_on_the_way.is_none());
    }
}
