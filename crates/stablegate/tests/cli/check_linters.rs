//! One content-keyed baseline for ruff over real code (SPEC §12.7): a
//! `command` gate running `ruff check --output-format sarif` over a package
//! from the registries (pip's `_internal/req`, as installed on this machine),
//! baselined with `allow`, then everyday edits made by
//! `tests/data/linter_edits.py`, which finds its places in whatever version
//! of the files is on disk:
//!
//! - a new F841 on a line whose E501 is accepted is a violation (the rule is
//!   part of the identity);
//! - a new long line inside a docstring, beside an accepted one, is a
//!   violation (token-less lines are told apart by their text);
//! - an accepted line edited is `changed`;
//! - line shifts, re-indentation and a rename of another function stay
//!   green.
//!
//! Without ruff (and pip failing to install it) or pip's sources the tests
//! print a notice and pass, unless `CI` is set: there they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::check_fixture::{check_json, items, run};
use crate::check_ruff::ruff_or_skip;
use crate::support::Project;

/// Lines longer than this are E501: short enough that real code has
/// dozens of long code and docstring lines.
const LIMIT: usize = 79;

const EDITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/linter_edits.py");

/// The configuration: a command gate running ruff's SARIF output.
fn config(ruff: &str) -> String {
    format!(
        "[[gate]]\nname = \"ruff\"\ncommand = \"{ruff} check --isolated --no-cache --output-format sarif --select E501,F841 --line-length {LIMIT} src\"\nallowlist = \"gates/ruff.yaml\"\n"
    )
}

/// The Python files of pip's `_internal/req` package, as installed.
fn real_sources() -> Option<Vec<PathBuf>> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import os, pip; print(os.path.join(os.path.dirname(pip.__file__), '_internal', 'req'))",
        ])
        .output()
        .ok()?;
    let dir = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    (!files.is_empty()).then_some(files)
}

/// A project holding pip's `_internal/req` under `src/req`, baselined with
/// `allow`; `None` (after a notice) without ruff or the sources.
fn baselined(test: &str) -> Option<(Project, Vec<String>)> {
    let ruff = ruff_or_skip(test)?;
    let Some(sources) = real_sources() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "pip's sources are not importable (CI is set: not skipping)"
        );
        eprintln!("notice: {test} skipped: pip's sources are not importable");
        return None;
    };
    let project = Project::new();
    project.file("stablegate.toml", config(ruff));
    let mut files = Vec::new();
    for source in &sources {
        let name = format!(
            "src/req/{}",
            source.file_name().unwrap_or_default().to_string_lossy()
        );
        project.file(&name, std::fs::read(source).expect("read a real source"));
        files.push(name);
    }
    let allowed = run(&project, &["allow", "ruff", "--reason", "baseline"]);
    assert_eq!(allowed.code, Some(0), "{allowed}");
    let (outcome, _) = check_json(&project);
    assert_eq!(outcome.code, Some(0), "baselined:\n{outcome}");
    Some((project, files))
}

/// Runs an edit of `tests/data/linter_edits.py` on one file; its
/// `key=value` words, or `None` when the file offers no such place.
fn edit(project: &Project, action: &str, file: &str) -> Option<Vec<(String, String)>> {
    let output = Command::new("python3")
        .args([EDITS, action, file, &LIMIT.to_string()])
        .current_dir(project.path())
        .output()
        .expect("run linter_edits.py");
    assert!(output.status.success(), "{action} {file}: {output:?}");
    let said = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (said != "none").then(|| {
        said.split(' ')
            .filter_map(|word| word.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect()
    })
}

fn number(said: &[(String, String)], key: &str) -> u64 {
    said.iter()
        .find(|(name, _)| name == key)
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or_else(|| panic!("no {key} in {said:?}"))
}

/// Runs `action` on the first file that offers a place for it; that file
/// and what the edit said. Panics when none does: the real sources always
/// have one.
fn edit_first(
    project: &Project,
    files: &[String],
    action: &str,
) -> (String, Vec<(String, String)>) {
    files
        .iter()
        .find_map(|file| edit(project, action, file).map(|said| (file.clone(), said)))
        .unwrap_or_else(|| panic!("no file of {files:?} offers a place for {action}"))
}

/// The items whose verdict fails the gate.
fn failing(report: &Value) -> Vec<&Value> {
    items(report)
        .iter()
        .filter(|item| item["verdict"] != "ok")
        .collect()
}

fn restore(project: &Project, file: &str) {
    let source = real_sources()
        .expect("sources")
        .into_iter()
        .find(|path| file.ends_with(&*path.file_name().unwrap_or_default().to_string_lossy()))
        .expect("the file's source");
    project.file(file, std::fs::read(source).expect("read a real source"));
}

#[test]
fn allow_writes_the_rule_of_every_entry_and_the_text_of_token_less_lines() {
    let Some((project, _)) = baselined("ruff allow") else {
        return;
    };
    let allowlist = std::fs::read_to_string(project.path().join("gates/ruff.yaml")).unwrap();
    let entries = allowlist.matches("\n- file: ").count();
    assert!(entries > 20, "{allowlist}");
    assert_eq!(allowlist.matches("\n  rule: E501\n").count(), entries);
    let token_less = allowlist.matches("\n  token: \"\"\n  text: ").count();
    assert!(
        token_less > 3,
        "real docstrings have long lines:\n{allowlist}"
    );
}

#[test]
fn a_new_rule_on_an_accepted_line_is_a_violation() {
    let Some((project, files)) = baselined("ruff new rule") else {
        return;
    };
    let (file, said) = edit_first(&project, &files, "f841");
    let assigned = number(&said, "assigned");
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let failing = failing(&report);
    assert_eq!(failing.len(), 1, "{failing:#?}");
    let item = failing[0];
    assert_eq!(
        (
            &item["verdict"],
            &item["rule"],
            &item["file"],
            &item["line"]
        ),
        (
            &Value::from("violation"),
            &Value::from("F841"),
            &Value::from(file.as_str()),
            &Value::from(assigned)
        ),
        "{item}"
    );
    // The E501 of that line is still accepted by its own entry.
    let accepted = items(&report)
        .iter()
        .any(|item| item["verdict"] == "ok" && item["line"] == assigned && item["rule"] == "E501");
    assert!(accepted, "{report}");
    let suggestion = item["suggestion"].as_str().unwrap_or_default();
    assert!(suggestion.contains("\n  rule: F841\n"), "{suggestion}");
    // Human and SARIF outputs show the rule.
    let human = run(&project, &["check"]);
    assert!(human.stdout.contains("= rule: F841"), "{human}");
    let sarif = run(&project, &["--format", "sarif", "check"]);
    let log: Value = serde_json::from_str(&sarif.stdout).expect("a SARIF log");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let new: Vec<&Value> = results
        .iter()
        .filter(|result| result["baselineState"] == "new")
        .collect();
    assert_eq!(new.len(), 1, "{sarif}");
    assert_eq!(new[0]["ruleId"], "ruff/F841");
    assert_eq!(new[0]["properties"]["rule"], "F841");
}

#[test]
fn a_new_long_docstring_line_beside_an_accepted_one_is_a_violation() {
    let Some((project, files)) = baselined("ruff docstring") else {
        return;
    };
    let (file, said) = edit_first(&project, &files, "docline");
    let inserted = number(&said, "inserted");
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let failing = failing(&report);
    assert_eq!(failing.len(), 1, "{failing:#?}");
    let item = failing[0];
    assert_eq!(item["verdict"], "violation", "{item}");
    assert_eq!(item["rule"], "E501");
    assert_eq!(item["file"], file.as_str());
    assert_eq!(item["line"], inserted);
    assert_eq!(item["token"], "");
    let text = item["text"].as_str().unwrap_or_default();
    assert!(text.ends_with("and then some more words"), "{item}");
}

#[test]
fn an_edited_accepted_line_is_changed_with_its_rule() {
    let Some((project, _)) = baselined("ruff changed") else {
        return;
    };
    let (_, report) = check_json(&project);
    // An accepted E501 on `name = …`: annotating the name edits its token
    // and keeps the line long.
    let target = items(&report)
        .iter()
        .find(|item| {
            let token = item["token"].as_str().unwrap_or_default();
            let name = token.split(" = ").next().unwrap_or_default();
            token.contains(" = ")
                && !name.is_empty()
                && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
        .expect("an accepted assignment");
    let file = target["file"].as_str().unwrap_or_default().to_owned();
    let line = target["line"].as_u64().unwrap_or(0) as usize;
    let path = project.path().join(&file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let name = target["token"]
        .as_str()
        .unwrap()
        .split(" = ")
        .next()
        .unwrap();
    lines[line - 1] =
        lines[line - 1].replacen(&format!("{name} = "), &format!("{name}: object = "), 1);
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let failing = failing(&report);
    assert_eq!(failing.len(), 1, "{failing:#?}");
    let item = failing[0];
    assert_eq!(item["verdict"], "changed", "{item}");
    assert_eq!(item["rule"], "E501");
    assert_eq!(item["old_token"], target["token"]);
    assert_eq!(item["line"], line);
}

#[test]
fn shifts_reindentation_and_a_rename_elsewhere_stay_green() {
    let Some((project, files)) = baselined("ruff drift") else {
        return;
    };
    for action in ["shift", "reindent"] {
        for file in &files {
            edit(&project, action, file);
        }
        let (outcome, report) = check_json(&project);
        assert_eq!(outcome.code, Some(0), "after {action}:\n{outcome}");
        assert!(failing(&report).is_empty());
    }
    edit_first(&project, &files, "rename");
    let (outcome, _) = check_json(&project);
    assert_eq!(outcome.code, Some(0), "after a rename:\n{outcome}");
    // The edits were real: the files differ from their sources.
    let first = Path::new(&files[0]);
    let now = std::fs::read(project.path().join(first)).unwrap();
    restore(&project, &files[0]);
    assert_ne!(now, std::fs::read(project.path().join(first)).unwrap());
}

/// A JSON Lines detector reporting E501 on the two docstring lines of `f`.
const DOC_PY: &str = "def f():\n    \"\"\"First long line of the docstring.\n\n    Second long line of the docstring.\n    \"\"\"\n    return 1\n";

fn jsonl_project(allowlist: &str) -> Project {
    let project = Project::new();
    let record = |line: u32| {
        format!("{{\\\"file\\\": \\\"src/doc.py\\\", \\\"line\\\": {line}, \\\"rule\\\": \\\"E501\\\"}}")
    };
    project
        .file(
            "stablegate.toml",
            format!(
                "[[gate]]\nname = \"long\"\ncommand = \"printf '%s\\\\n%s\\\\n' '{}' '{}'\"\nallowlist = \"gates/long.yaml\"\n",
                record(2),
                record(4)
            ),
        )
        .file("src/doc.py", DOC_PY)
        .file("gates/long.yaml", allowlist);
    project
}

#[test]
fn convert_gives_token_less_entries_from_before_text_the_text_of_their_line() {
    // Written before SPEC §12.7: one `token: ""` entry stood for every
    // token-less line of `f`.
    let old = "long:\n- file: src/doc.py\n  qualname: f\n  line: 2\n  token: \"\"\n  rule: E501\n  rationale: \"docs\"\n";
    let project = jsonl_project(old);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let invalid = items(&report)
        .iter()
        .find(|item| item["verdict"] == "invalid")
        .expect("the entry without text is invalid");
    let detail = invalid["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("stablegate convert long"), "{detail}");
    let allow = run(&project, &["allow", "long", "--reason", "x"]);
    assert_eq!(allow.code, Some(2), "allow waits for convert:\n{allow}");

    let converted = run(&project, &["convert", "long"]);
    assert_eq!(converted.code, Some(0), "{converted}");
    let written = std::fs::read_to_string(project.path().join("gates/long.yaml")).unwrap();
    assert_eq!(
        written,
        "long:\n- file: src/doc.py\n  qualname: f\n  line: 2\n  token: \"\"\n  text: \"\\\"\\\"\\\"First long line of the docstring.\"\n  rule: E501\n  rationale: \"docs\"\n"
    );
    // The entry now accepts its own line only: the other one is new.
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let failing = failing(&report);
    assert_eq!(failing.len(), 1, "{failing:#?}");
    assert_eq!(failing[0]["verdict"], "violation");
    assert_eq!(failing[0]["line"], 4);
    assert_eq!(failing[0]["text"], "Second long line of the docstring.");
}

#[test]
fn convert_refuses_a_token_less_entry_whose_line_has_no_finding() {
    let old = "long:\n- file: src/doc.py\n  qualname: f\n  line: 6\n  token: \"\"\n  rationale: \"docs\"\n";
    let project = jsonl_project(old);
    let converted = run(&project, &["convert", "long"]);
    assert_eq!(converted.code, Some(2), "{converted}");
    assert!(
        converted
            .stderr
            .contains("has no live finding on a line without code token at src/doc.py:6 in `f`"),
        "{converted}"
    );
    let kept = std::fs::read_to_string(project.path().join("gates/long.yaml")).unwrap();
    assert_eq!(kept, old, "nothing written");
}
