//! The census of one marker (SPEC §9): the marks and test nodes of every
//! scanned file in, verdict items and the listing out. Pure.
//!
//! - With a reason rule configured (`reason` or `reason_pattern`), each mark
//!   needs a reason matching it: its trailing comment or its `reason=`
//!   argument. Otherwise `marker_reason` (red), at the mark's line, whatever
//!   it marks. Without a rule the marker is a pure census (SPEC §12.4): no
//!   reason is asked for, only `baseline` applies.
//! - The count is the number of distinct test nodes at least one mark
//!   applies to. Above `baseline`: `over_baseline` (red); below it:
//!   `below_baseline` (reported, passing), so the baseline can shrink.
//! - Every marked node is an `ok` item carrying its reason as rationale.

use stablegate_config::Marker;

use super::scan::{FileMarks, Mark};
use crate::verdict::{Item, Verdict};

/// One marked test node, for the listing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MarkedNode {
    /// pytest's node id: `tests/test_a.py::TestA::test_b`.
    pub node: String,
    pub file: String,
    /// Line of the `def`.
    pub line: usize,
    /// The marks that apply, outermost (module) first.
    pub marks: Vec<MarkUse>,
}

/// One mark applying to a node.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MarkUse {
    /// Line of the marker expression.
    pub line: usize,
    /// What it is written on: `<module>`, a class or the function.
    pub on: String,
    /// The reason as written (the valid one when there is one), or null.
    pub reason: Option<String>,
}

/// A census: its items and its marked nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Census {
    pub items: Vec<Item>,
    pub nodes: Vec<MarkedNode>,
}

/// Counts and checks the marks of `files` (path, scan), sorted by path.
pub fn census(marker: &Marker, files: &[(String, FileMarks)]) -> Census {
    let mut items = Vec::new();
    let mut nodes = Vec::new();
    for (file, scan) in files {
        for mark in &scan.marks {
            if let Err(detail) = reason(marker, mark) {
                let mut item =
                    Item::new(Verdict::MarkerReason, file, Some(mark.line), &mark.on, "");
                item.rule = marker.name.clone().into();
                item.message = format!("`{}` without a valid reason", marker.decorator).into();
                item.detail = Some(detail.into());
                items.push(item);
            }
        }
        for test in scan.tests.iter().filter(|test| !test.marks.is_empty()) {
            let marks: Vec<MarkUse> = (test.marks.iter())
                .filter_map(|&index| scan.marks.get(index))
                .map(|mark| MarkUse {
                    line: mark.line,
                    on: mark.on.clone(),
                    reason: shown_reason(marker, mark),
                })
                .collect();
            let mut item = Item::new(Verdict::Ok, file, Some(test.line), &test.qualname, "");
            item.rule = marker.name.clone().into();
            let reasons: Vec<&str> = marks.iter().filter_map(|m| m.reason.as_deref()).collect();
            if !reasons.is_empty() {
                item.more_mut().rationale = Some(reasons.join("; ").into());
            }
            items.push(item);
            nodes.push(MarkedNode {
                node: format!("{file}::{}", test.id),
                file: file.clone(),
                line: test.line,
                marks,
            });
        }
    }
    let count = nodes.len() as u64;
    if let Some(baseline) = marker.baseline {
        let verdict = match count.cmp(&baseline) {
            std::cmp::Ordering::Greater => Some(Verdict::OverBaseline),
            std::cmp::Ordering::Less => Some(Verdict::BelowBaseline),
            std::cmp::Ordering::Equal => None,
        };
        if let Some(verdict) = verdict {
            let place = marker.location.file.clone();
            let mut item = Item::new(verdict, &place, Some(marker.location.line), "", "");
            item.rule = marker.name.clone().into();
            item.message = format!(
                "{count} test(s) marked `{}`, baseline {baseline}",
                marker.decorator
            )
            .into();
            item.more_mut().expected = Some(baseline);
            item.more_mut().actual = Some(count);
            items.push(item);
        }
    }
    Census { items, nodes }
}

/// `Ok` when the mark has a valid reason, or the marker asks for none (a
/// pure census); else why not.
fn reason(marker: &Marker, mark: &Mark) -> Result<(), String> {
    let Some(rule) = &marker.reason else {
        return Ok(());
    };
    let given: Vec<&str> = [&mark.comment, &mark.argument]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .filter(|text| !text.trim().is_empty())
        .collect();
    if given.is_empty() {
        return Err(format!(
            "no reason: write it as a trailing comment on the marker's line (or `reason=`), matching `{}`",
            rule.written
        ));
    }
    if given.iter().any(|text| rule.regex.is_match(text.trim())) {
        Ok(())
    } else {
        Err(format!(
            "the reason `{}` does not match `{}`",
            given.join("` / `"),
            rule.written
        ))
    }
}

/// The reason to show: the valid one when there is one, else the first.
fn shown_reason(marker: &Marker, mark: &Mark) -> Option<String> {
    let given: Vec<&String> = [&mark.comment, &mark.argument]
        .into_iter()
        .flatten()
        .collect();
    let valid = given.iter().find(|text| match &marker.reason {
        Some(rule) => rule.regex.is_match(text.trim()),
        None => !text.trim().is_empty(),
    });
    valid.or(given.first()).map(|text| (*text).clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marker::scan::TestNode;
    use stablegate_config::{Location, ReasonRule};

    fn marker(baseline: Option<u64>) -> Marker {
        let regex = stablegate_config::template_regex("<why> — <issue>").unwrap();
        Marker {
            name: "q".into(),
            location: Location {
                file: "s.toml".into(),
                line: 2,
                column: 8,
            },
            decorator: "pytest.mark.q".into(),
            paths: vec!["tests".into()],
            include: empty_globs(),
            exclude: empty_globs(),
            reason: Some(ReasonRule {
                written: "<why> — <issue>".into(),
                regex: regex::Regex::new(&regex).unwrap(),
            }),
            baseline,
        }
    }

    fn empty_globs() -> stablegate_config::Globs {
        // The only way to build globs is a configuration: read one.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("stablegate.toml"),
            "[[marker]]\nname = \"m\"\ndecorator = \"x\"\n",
        )
        .unwrap();
        let config = stablegate_config::load(dir.path(), None).unwrap().unwrap();
        config.markers[0].exclude.clone()
    }

    fn mark(line: usize, comment: Option<&str>, argument: Option<&str>) -> Mark {
        Mark {
            line,
            on: "f".into(),
            comment: comment.map(Into::into),
            argument: argument.map(Into::into),
        }
    }

    fn files() -> Vec<(String, FileMarks)> {
        let test = |id: &str, line, marks: Vec<usize>| TestNode {
            id: id.into(),
            qualname: id.into(),
            line,
            marks,
        };
        vec![(
            "tests/test_a.py".into(),
            FileMarks {
                marks: vec![
                    mark(1, Some("flaky — #1"), None),
                    mark(5, Some("flaky"), Some("db lock — #2")),
                    mark(9, Some("flaky"), None),
                ],
                tests: vec![
                    test("test_a", 2, vec![0]),
                    test("test_b", 6, vec![0, 1]),
                    test("test_c", 10, vec![2]),
                    test("test_d", 12, vec![]),
                ],
            },
        )]
    }

    fn verdicts(census: &Census) -> Vec<(Verdict, Option<usize>)> {
        census
            .items
            .iter()
            .map(|item| (item.verdict, item.line))
            .collect()
    }

    #[test]
    fn one_valid_reason_source_is_enough_and_nodes_count_once() {
        let census = census(&marker(Some(3)), &files());
        assert_eq!(
            verdicts(&census),
            [
                (Verdict::MarkerReason, Some(9)),
                (Verdict::Ok, Some(2)),
                (Verdict::Ok, Some(6)),
                (Verdict::Ok, Some(10))
            ]
        );
        assert_eq!(census.nodes.len(), 3);
        assert_eq!(
            census.nodes[1].marks[1].reason.as_deref(),
            Some("db lock — #2")
        );
    }

    #[test]
    fn the_baseline_ratchets_both_ways() {
        let above = census(&marker(Some(2)), &files());
        assert!(verdicts(&above).contains(&(Verdict::OverBaseline, Some(2))));
        let below = census(&marker(Some(7)), &files());
        let item = below
            .items
            .iter()
            .find(|item| item.verdict == Verdict::BelowBaseline)
            .unwrap();
        assert_eq!(
            (item.more().expected, item.more().actual),
            (Some(7), Some(3))
        );
        let none = census(&marker(None), &files());
        assert!(none
            .items
            .iter()
            .all(|item| !matches!(item.verdict, Verdict::OverBaseline | Verdict::BelowBaseline)));
    }

    #[test]
    fn a_marker_without_a_reason_rule_is_a_pure_census() {
        let mut census_only = marker(Some(2));
        census_only.reason = None;
        let census = census(&census_only, &files());
        assert_eq!(
            verdicts(&census),
            [
                (Verdict::Ok, Some(2)),
                (Verdict::Ok, Some(6)),
                (Verdict::Ok, Some(10)),
                (Verdict::OverBaseline, Some(2))
            ]
        );
    }
}
