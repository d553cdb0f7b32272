//! Line-shift invariance through the binary (SPEC §2: `line` is a locator
//! only). On a fixture with several accepted sites (nested scopes, a
//! decorator, a call spread over lines, two sites on one line), inserting
//! a blank or comment line at every position, or re-spacing an accepted
//! line, never changes the verdicts (the JSON report without `line`
//! fields); renaming any one identifier of an accepted line always turns
//! the gate red.

use serde_json::Value;

use crate::check_fixture::{check_json, items, shop, ALLOWLIST, META_PY};
use crate::support::Project;

const STORE_PY: &str = "\
import json


class Store:
    \"\"\"Keeps rows.\"\"\"

    class Index:
        def rebuild(self, blob):
            return json.load(blob)

    @staticmethod
    def restore(stream):
        rows = json.load(
            stream
        )
        return rows


def merge(left, right):
    return {**json.load(left), **json.load(right)}
";

const FILES: [(&str, &str); 2] = [
    ("src/shop/meta.py", META_PY),
    ("src/shop/store.py", STORE_PY),
];

/// Lines that may be inserted anywhere in the fixture without changing a
/// code token.
const INSERTIONS: [&str; 3] = ["", "# shifted", "            # shifted, indented"];

/// The shop with the store module, its allowlist written from the
/// violations' suggestions (one entry per key): green.
fn accepted_project() -> Project {
    let project = shop();
    project.file("src/shop/store.py", STORE_PY);
    project.file(ALLOWLIST, "inline_load: []\n");
    let (_, report) = check_json(&project);
    // One suggestion per key: the second site of `merge`'s line has none.
    let entries: Vec<&str> = items(&report)
        .iter()
        .filter_map(|item| item["suggestion"].as_str())
        .collect();
    assert_eq!(entries.len(), 5, "{report}");
    let mut text = String::from("inline_load:\n");
    for entry in entries {
        text.push_str(entry);
        text.push('\n');
    }
    project.file(ALLOWLIST, text);
    project
}

/// The report with every item's `line` removed.
fn without_lines(report: &Value) -> Value {
    let mut report = report.clone();
    for gate in report["gates"].as_array_mut().expect("gates") {
        for item in gate["items"].as_array_mut().expect("items") {
            item.as_object_mut().expect("an item").remove("line");
        }
    }
    report
}

/// `(file, line, text)` of every accepted site, from a green report.
fn accepted_lines(report: &Value) -> Vec<(String, usize, String)> {
    let mut lines: Vec<(String, usize, String)> = items(report)
        .iter()
        .map(|item| {
            assert_eq!(item["verdict"], "ok", "the fixture is green: {item}");
            let file = item["file"].as_str().expect("a file").to_owned();
            let line = item["line"].as_u64().expect("a line") as usize;
            let source = FILES
                .iter()
                .find(|(name, _)| *name == file)
                .expect("a fixture file")
                .1;
            let text = source.lines().nth(line - 1).expect("the line").to_owned();
            (file, line, text)
        })
        .collect();
    lines.dedup();
    lines
}

/// `source` with `line` (1-based) replaced.
fn replace_line(source: &str, line: usize, text: &str) -> String {
    let mut lines: Vec<&str> = source.lines().collect();
    lines[line - 1] = text;
    lines.join("\n") + "\n"
}

#[test]
fn inserting_blank_and_comment_lines_anywhere_never_changes_a_verdict() {
    let project = accepted_project();
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(0), "the fixture is green:\n{outcome}");
    assert_eq!(items(&report).len(), 6, "six accepted sites:\n{outcome}");
    let expected = without_lines(&report);
    let mut runs = 0;
    let mut changed = Vec::new();
    for (file, source) in FILES {
        let lines: Vec<&str> = source.lines().collect();
        for position in 0..=lines.len() {
            for insertion in INSERTIONS {
                let mut shifted = lines.clone();
                shifted.insert(position, insertion);
                project.file(file, shifted.join("\n") + "\n");
                let (outcome, report) = check_json(&project);
                if (outcome.code, without_lines(&report)) != (Some(0), expected.clone()) {
                    changed.push(format!(
                        "`{insertion}` before line {} of {file}:\n{}",
                        position + 1,
                        outcome.stdout
                    ));
                }
                runs += 1;
            }
        }
        // Every position at once: each line of the file pushed down.
        let doubled: Vec<&str> = lines.iter().flat_map(|line| ["", *line]).collect();
        project.file(file, doubled.join("\n") + "\n");
        let (outcome, shifted) = check_json(&project);
        assert_eq!(
            (outcome.code, without_lines(&shifted)),
            (Some(0), expected.clone())
        );
        assert_ne!(shifted, report, "the lines did move in {file}");
        project.file(file, source);
    }
    assert_eq!(
        runs,
        3 * (META_PY.lines().count() + STORE_PY.lines().count() + 2)
    );
    assert!(
        changed.is_empty(),
        "{} shifts changed the verdicts:\n{}",
        changed.len(),
        changed.join("\n")
    );
}

/// A comment at column 0 between a method's decorator and its `def` is
/// valid Python (CPython's `ast` parses it), but tree-sitter-python reports
/// an error there; the scan used to turn that into `parse_error: … syntax
/// error: tree-sitter cannot parse this line` (found by the loop above), so
/// a comment line turned a green gate red.
#[test]
fn a_column_zero_comment_after_an_indented_decorator_is_not_a_parse_error() {
    let project = accepted_project();
    let shifted = STORE_PY.replace("    @staticmethod\n", "    @staticmethod\n# shifted\n");
    project.file("src/shop/store.py", shifted);
    let (outcome, report) = check_json(&project);
    let parse_errors: Vec<&Value> = items(&report)
        .iter()
        .filter(|item| item["verdict"] == "parse_error")
        .collect();
    assert_eq!(parse_errors, Vec::<&Value>::new(), "{outcome}");
    assert_eq!(outcome.code, Some(0), "{outcome}");
}

/// Extra spaces around the tokens of a line: the same tokens.
fn respaced(text: &str) -> String {
    text.replace('(', " (  ")
        .replace(')', "  ) ")
        .replace(" = ", "   =   ")
        .replace(", ", " ,   ")
        + "   "
}

#[test]
fn respacing_an_accepted_line_never_changes_a_verdict() {
    let project = accepted_project();
    let (_, report) = check_json(&project);
    let expected = without_lines(&report);
    for (file, line, text) in accepted_lines(&report) {
        let source = FILES
            .iter()
            .find(|(name, _)| *name == file)
            .expect("a file")
            .1;
        let spaced = respaced(&text);
        assert_ne!(spaced, text);
        project.file(&file, replace_line(source, line, &spaced));
        let (outcome, report) = check_json(&project);
        assert_eq!(
            (outcome.code, without_lines(&report)),
            (Some(0), expected.clone()),
            "{file}:{line} re-spaced as `{spaced}`"
        );
        project.file(&file, source);
    }
}

/// Identifiers in `text` as (byte offset, word), keywords left out so that
/// the file still parses after a rename.
fn identifiers(text: &str) -> Vec<(usize, &str)> {
    const KEYWORDS: [&str; 3] = ["return", "with", "as"];
    let mut words = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let starts = bytes[at].is_ascii_alphabetic() || bytes[at] == b'_';
        if !starts {
            at += 1;
            continue;
        }
        let end = (at..bytes.len())
            .find(|&i| !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_'))
            .unwrap_or(bytes.len());
        if !KEYWORDS.contains(&&text[at..end]) {
            words.push((at, &text[at..end]));
        }
        at = end;
    }
    words
}

#[test]
fn renaming_any_identifier_of_an_accepted_line_turns_the_gate_red() {
    let project = accepted_project();
    let (_, report) = check_json(&project);
    let mut mutations = 0;
    for (file, line, text) in accepted_lines(&report) {
        let source = FILES
            .iter()
            .find(|(name, _)| *name == file)
            .expect("a file")
            .1;
        for (at, word) in identifiers(&text) {
            let renamed = format!("{}{word}_x{}", &text[..at], &text[at + word.len()..]);
            project.file(&file, replace_line(source, line, &renamed));
            let (outcome, report) = check_json(&project);
            assert_eq!(
                outcome.code,
                Some(1),
                "{file}:{line} `{text}` became `{renamed}`: still green\n{outcome}"
            );
            let failing: Vec<&Value> = items(&report)
                .iter()
                .filter(|item| item["verdict"] != "ok")
                .collect();
            assert!(
                failing.iter().all(|item| item["file"] == file.as_str()),
                "only {file} is affected: {failing:?}"
            );
            assert!(
                failing.iter().all(|item| item["verdict"] != "parse_error"),
                "the renamed file still parses: {failing:?}"
            );
            mutations += 1;
        }
        project.file(&file, source);
    }
    // meta = json.load(f): 4; return json.load(handle): 3;
    // return json.load(blob): 3; rows = json.load(: 3; merge's line: 6.
    assert_eq!(mutations, 19);
}
