//! Scoped allowlist entries (SPEC §12.2) through the binary: `scope: file`
//! and `scope: qualname` cover every site of their file or scope; they need
//! a rationale, go stale when they cover nothing (token entries win), count
//! for `count` and the baseline, and every command that reads allowlists
//! (`check` in every format, `allow`, `refresh`, `prune`, `merge-allowlist`,
//! `theater`) handles them.

use std::fs;

use serde_json::Value;

use crate::check_fixture::{
    allowlist, check_json, items, parse_json, run, shop, ALLOWLIST, LOADER_ENTRY, READ_META_ENTRY,
};
use crate::support::Project;

/// Three sites: `read_all` line 7, `Legacy.run` lines 13 and 14.
const LEGACY_PY: &str = "\
import json


def read_all(paths):
    out = []
    for path in paths:
        out.append(json.load(open(path)))
    return out


class Legacy:
    def run(self, a, b):
        first = json.load(a)
        second = json.load(b)
        return first, second
";

const LEGACY: &str = "src/shop/legacy.py";

/// Accepts all of `legacy.py`; starts on line 12 after the two shop entries.
const SCOPED_FILE: &str = "\
- file: src/shop/legacy.py
  scope: file
  rationale: \"the legacy importer is retired in #12\"
  issue: \"#12\"
";

/// Accepts `Legacy.run` only.
const SCOPED_RUN: &str = "\
- file: src/shop/legacy.py
  scope: qualname
  qualname: Legacy.run
  rationale: \"reads the two handles it is given\"
";

/// The shop with `legacy.py` and an allowlist of the two shop entries and
/// `extra`.
fn legacy_shop(extra: &[&str]) -> Project {
    let project = shop();
    let mut entries = vec![READ_META_ENTRY, LOADER_ENTRY];
    entries.extend_from_slice(extra);
    project
        .file(LEGACY, LEGACY_PY)
        .file(ALLOWLIST, allowlist(&entries));
    project
}

fn read(project: &Project, path: &str) -> String {
    fs::read_to_string(project.path().join(path)).expect("read a fixture file")
}

/// `(verdict, file, line, scope, entry line)` of one item.
type Row = (String, String, Option<u64>, String, Option<u64>);

/// The [`Row`] of every item.
fn summary(report: &Value) -> Vec<Row> {
    items(report)
        .iter()
        .map(|item| {
            (
                item["verdict"].as_str().unwrap_or_default().to_owned(),
                item["file"].as_str().unwrap_or_default().to_owned(),
                item["line"].as_u64(),
                item["scope"].as_str().unwrap_or_default().to_owned(),
                item["entry"]["line"].as_u64(),
            )
        })
        .collect()
}

fn row(verdict: &str, file: &str, line: Option<u64>, scope: &str, entry: Option<u64>) -> Row {
    (
        verdict.to_owned(),
        file.to_owned(),
        line,
        scope.to_owned(),
        entry,
    )
}

#[test]
fn a_file_scoped_entry_covers_every_site_of_its_file_new_ones_too() {
    let project = legacy_shop(&[SCOPED_FILE]);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(
        summary(&report),
        [
            row("ok", LEGACY, Some(7), "file", Some(12)),
            row("ok", LEGACY, Some(13), "file", Some(12)),
            row("ok", LEGACY, Some(14), "file", Some(12)),
            row("ok", "src/shop/meta.py", Some(6), "", Some(2)),
            row("ok", "src/shop/meta.py", Some(12), "", Some(7)),
        ]
    );
    let ok = &items(&report)[0];
    assert_eq!(ok["rationale"], "the legacy importer is retired in #12");
    // A new site anywhere in the file is covered; one elsewhere is not.
    project.file(
        LEGACY,
        format!("{LEGACY_PY}\n\ndef more(x):\n    return json.load(x)\n"),
    );
    assert_eq!(run(&project, &["check"]).code, Some(0));
    project.file(
        "src/shop/other.py",
        "import json\n\n\ndef f(x):\n    return json.load(x)\n",
    );
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let violations: Vec<_> = summary(&report)
        .into_iter()
        .filter(|item| item.0 == "violation")
        .collect();
    assert_eq!(
        violations,
        [row("violation", "src/shop/other.py", Some(5), "", None)]
    );
}

#[test]
fn a_qualname_scoped_entry_covers_its_scope_only() {
    let project = legacy_shop(&[SCOPED_RUN]);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert_eq!(
        summary(&report)[..3],
        [
            row("violation", LEGACY, Some(7), "", None),
            row("ok", LEGACY, Some(13), "qualname", Some(12)),
            row("ok", LEGACY, Some(14), "qualname", Some(12)),
        ]
    );
}

#[test]
fn token_entries_win_and_a_scoped_entry_they_leave_nothing_to_is_stale() {
    // A token entry for line 13: that site is the token entry's; the
    // scoped entry covers the two others.
    let token_13 = "- file: src/shop/legacy.py\n  qualname: Legacy.run\n  line: 13\n  token: \"first = json . load ( a )\"\n  rationale: \"first handle\"\n";
    let project = legacy_shop(&[token_13, SCOPED_FILE]);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(
        summary(&report)[..3],
        [
            row("ok", LEGACY, Some(7), "file", Some(17)),
            row("ok", LEGACY, Some(13), "", Some(12)),
            row("ok", LEGACY, Some(14), "file", Some(17)),
        ]
    );
    // `read_meta` has one site, the token entry's: a `scope: qualname`
    // entry over it covers nothing more and is stale.
    let redundant =
        "- file: src/shop/meta.py\n  scope: qualname\n  qualname: read_meta\n  rationale: \"r\"\n";
    let project = legacy_shop(&[SCOPED_FILE, redundant]);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let stale: Vec<&Value> = items(&report)
        .iter()
        .filter(|item| item["verdict"] == "stale")
        .collect();
    assert_eq!(stale.len(), 1, "{report}");
    assert_eq!(stale[0]["scope"], "qualname");
    assert_eq!(stale[0]["entry"]["line"], 16);
    assert_eq!(
        stale[0]["detail"],
        "`scope: qualname` entry covers no live site of src/shop/meta.py (read_meta) that no more specific entry covers: evict it (`stablegate prune inline_load`)"
    );
}

#[test]
fn a_scoped_entry_with_count_is_held_to_it() {
    let counted = SCOPED_FILE.replace("  issue:", "  count: 2\n  issue:");
    let project = legacy_shop(&[&counted]);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let count: Vec<&Value> = items(&report)
        .iter()
        .filter(|item| item["verdict"] == "count")
        .collect();
    assert_eq!(count.len(), 1, "{report}");
    assert_eq!(
        (&count[0]["expected"], &count[0]["actual"]),
        (&2.into(), &3.into())
    );
    assert_eq!(count[0]["scope"], "file");
    assert_eq!(count[0]["line"], 7);
}

#[test]
fn a_stale_scoped_entry_is_shown_in_every_format_and_prune_removes_it() {
    let gone = "- file: src/shop/gone.py\n  scope: file\n  rationale: \"deleted soon\"\n";
    let project = legacy_shop(&[SCOPED_FILE, gone]);
    let text = read(&project, ALLOWLIST);
    project.file(ALLOWLIST, format!("inline_load_baseline: 4\n{text}"));
    let human = run(&project, &["check"]);
    assert_eq!(human.code, Some(1), "{human}");
    for line in [
        "src/shop/gone.py: stale: read meta through load_meta()",
        " = scope: file",
        " = entry: gates/inline_load.yaml:17",
        " = rationale: deleted soon",
        " = detail: `scope: file` entry covers no live site of src/shop/gone.py that no more specific entry covers: evict it (`stablegate prune inline_load`)",
    ] {
        assert!(
            human.stdout.lines().any(|printed| printed == line),
            "missing {line:?} in\n{human}"
        );
    }
    let sarif = run(&project, &["--format", "sarif", "check"]);
    let sarif = parse_json(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let stale: Vec<&Value> = results
        .iter()
        .filter(|result| result["properties"]["verdict"] == "stale")
        .collect();
    assert_eq!(stale.len(), 1, "{sarif}");
    assert_eq!(stale[0]["properties"]["scope"], "file");
    let location = &stale[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], ALLOWLIST);
    assert_eq!(location["region"]["startLine"], 17);

    let pruned = run(&project, &["prune"]);
    assert_eq!(pruned.code, Some(0), "{pruned}");
    assert_eq!(
        pruned.stdout,
        "gates/inline_load.yaml: `inline_load` (gate `inline_load`): removed 1 stale entry\n\
         \x20 gates/inline_load.yaml:17: src/shop/gone.py (scope: file)\n\
         gates/inline_load.yaml: lowered `inline_load_baseline` from 4 to 3\n",
        "{pruned}"
    );
    assert_eq!(
        read(&project, ALLOWLIST),
        format!("inline_load_baseline: 3\n{text}").replace(gone, "")
    );
    // The scoped entry counts for the baseline like any entry.
    assert_eq!(run(&project, &["check"]).code, Some(0));
}

#[test]
fn malformed_scoped_entries_are_invalid_naming_the_entry_and_field() {
    let cases = [
        (
            "- file: src/shop/legacy.py\n  scope: file\n",
            "missing `rationale`: a scoped entry must say why every site of its file or scope is accepted",
        ),
        (
            "- file: src/shop/legacy.py\n  scope: file\n  rationale: \"  \"\n",
            "missing `rationale`",
        ),
        (
            "- file: src/shop/legacy.py\n  scope: file\n  token: \"first = json . load ( a )\"\n  rationale: \"r\"\n",
            "a scoped entry has no `token`",
        ),
        (
            "- file: src/shop/legacy.py\n  scope: qualname\n  rationale: \"r\"\n",
            "missing `qualname`: a `scope: qualname` entry names the scope it covers",
        ),
        (
            "- file: src/shop/legacy.py\n  scope: module\n  rationale: \"r\"\n",
            "unknown `scope` value `module`: write `file` (every site of the file) or `qualname` (every site of one scope)",
        ),
        (
            "- file: src/shop/legacy.py\n  scope: file\n  qualname: Legacy.run\n  rationale: \"r\"\n",
            "`qualname` is only for `scope: qualname`",
        ),
        (
            "- file: src/shop/legacy.py\n  scope: file\n  line: 7\n  rationale: \"r\"\n",
            "a scoped entry has no `line`",
        ),
        (
            "- scope: file\n  rationale: \"r\"\n",
            "missing `file`: a scoped entry names the file it covers",
        ),
        (
            "- file: ../legacy.py\n  scope: file\n  rationale: \"r\"\n",
            "`file` escapes the project root",
        ),
    ];
    for (entry, expected) in cases {
        let project = legacy_shop(&[entry]);
        let (outcome, report) = check_json(&project);
        assert_eq!(outcome.code, Some(1), "{entry}\n{outcome}");
        let invalid: Vec<&Value> = items(&report)
            .iter()
            .filter(|item| item["verdict"] == "invalid")
            .collect();
        assert_eq!(invalid.len(), 1, "{entry}\n{report}");
        assert_eq!(invalid[0]["entry"]["line"], 12, "{entry}");
        let detail = invalid[0]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(expected), "{entry}\n{detail}");
        // An invalid entry covers nothing: the file's sites are violations.
        let violations = items(&report)
            .iter()
            .filter(|item| item["verdict"] == "violation" && item["file"] == LEGACY)
            .count();
        assert_eq!(violations, 3, "{entry}\n{report}");
    }
    // The human output names the allowlist, the entry's line and the field.
    let project = legacy_shop(&["- file: src/shop/legacy.py\n  scope: file\n"]);
    let human = run(&project, &["check"]);
    assert!(
        human
            .stdout
            .contains(" = entry: gates/inline_load.yaml:12\n = detail: missing `rationale`"),
        "{human}"
    );
}

#[test]
fn two_scoped_entries_with_one_identity_are_duplicates() {
    let again = SCOPED_FILE.replace("retired in #12", "retired soon");
    let project = legacy_shop(&[SCOPED_FILE, &again]);
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let ambiguous: Vec<&Value> = items(&report)
        .iter()
        .filter(|item| item["verdict"] == "ambiguous")
        .collect();
    assert_eq!(ambiguous.len(), 1, "{report}");
    assert_eq!(ambiguous[0]["entry"]["line"], 16);
    assert_eq!(
        ambiguous[0]["detail"],
        "duplicate of the scoped entry at gates/inline_load.yaml:12 (same scope, file, qualname and rule): remove one"
    );
}

#[test]
fn allow_adds_nothing_for_covered_sites_and_keeps_the_scoped_entry() {
    let project = legacy_shop(&[SCOPED_FILE]);
    let before = read(&project, ALLOWLIST);
    project.file(
        LEGACY,
        format!("{LEGACY_PY}\n\ndef more(x):\n    return json.load(x)\n"),
    );
    project.file(
        "src/shop/other.py",
        "import json\n\n\ndef f(x):\n    return json.load(x)\n",
    );
    let outcome = run(&project, &["allow", "inline_load", "--reason", "new"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let after = read(&project, ALLOWLIST);
    assert!(after.contains(SCOPED_FILE), "{after}");
    assert_eq!(after.matches("- file:").count(), 4, "{after}");
    assert!(after.contains("file: src/shop/other.py"), "{after}");
    assert!(!after.contains("qualname: more"), "{after}");
    assert_eq!(after.replace(
        "- file: src/shop/other.py\n  qualname: f\n  line: 5\n  token: \"return json . load ( x )\"\n  rationale: \"new\"\n",
        "",
    ), before);
    assert_eq!(run(&project, &["check"]).code, Some(0));
    // Nothing left to accept: a second run adds nothing.
    let again = run(&project, &["allow", "inline_load", "--reason", "new"]);
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(read(&project, ALLOWLIST), after);
}

#[test]
fn refresh_moves_token_locators_and_leaves_scoped_entries_alone() {
    let project = legacy_shop(&[
        SCOPED_FILE,
        SCOPED_RUN.replace("Legacy.run", "read_all").as_str(),
    ]);
    let before = read(&project, ALLOWLIST);
    project.file(
        "src/shop/meta.py",
        format!("# moved\n\n{}", crate::check_fixture::META_PY),
    );
    project.file(LEGACY, format!("# moved\n\n{LEGACY_PY}"));
    let outcome = run(&project, &["refresh"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let after = read(&project, ALLOWLIST);
    assert_eq!(
        after,
        before
            .replace("  line: 6\n", "  line: 8\n")
            .replace("  line: 12\n", "  line: 14\n")
    );
    assert_eq!(run(&project, &["check"]).code, Some(0));
}

#[test]
fn merge_allowlist_knows_scoped_entries_by_scope_file_qualname_and_rule() {
    let project = Project::new();
    let base = allowlist(&[READ_META_ENTRY]);
    let with = |entries: &[&str]| {
        let mut all = vec![READ_META_ENTRY];
        all.extend_from_slice(entries);
        allowlist(&all)
    };
    // Ours adds a file scope, theirs a qualname scope of the same file:
    // two identities, both kept.
    project
        .file("base.yaml", &base)
        .file("ours.yaml", with(&[SCOPED_FILE]))
        .file("theirs.yaml", with(&[SCOPED_RUN]));
    let outcome = project.run(&["merge-allowlist", "base.yaml", "ours.yaml", "theirs.yaml"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let merged = read(&project, "ours.yaml");
    assert!(
        merged.contains(SCOPED_FILE) && merged.contains(SCOPED_RUN),
        "{merged}"
    );
    // Both add the same file scope with different rationales: a conflict.
    let other = SCOPED_FILE.replace("retired in #12", "kept");
    project
        .file("ours.yaml", with(&[SCOPED_FILE]))
        .file("theirs.yaml", with(&[&other]));
    let outcome = project.run(&["merge-allowlist", "base.yaml", "ours.yaml", "theirs.yaml"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    // The same file scope limited to a rule is another identity.
    let ruled = SCOPED_FILE.replace("  issue:", "  rule: F841\n  issue:");
    project
        .file("ours.yaml", with(&[SCOPED_FILE]))
        .file("theirs.yaml", with(&[&ruled]));
    let outcome = project.run(&["merge-allowlist", "base.yaml", "ours.yaml", "theirs.yaml"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let merged = read(&project, "ours.yaml");
    assert!(
        merged.contains(SCOPED_FILE) && merged.contains(&ruled),
        "{merged}"
    );
}

/// `(leg, verdict)` of the theater legs, sorted.
fn legs(report: &Value) -> Vec<(String, String)> {
    let gate = report["gates"]
        .as_array()
        .and_then(|gates| gates.iter().find(|gate| gate["kind"] == "theater"))
        .expect("a theater gate");
    let mut legs: Vec<(String, String)> = (gate["legs"].as_array().expect("legs").iter())
        .map(|leg| {
            let text = |key: &str| leg[key].as_str().unwrap_or_default().to_owned();
            (text("leg"), text("verdict"))
        })
        .collect();
    legs.sort();
    legs
}

fn pairs(expected: [(&str, &str); 3]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(leg, verdict)| (leg.to_string(), verdict.to_string()))
        .collect()
}

#[test]
fn theater_edits_token_entries_only_and_is_na_for_content_when_all_are_scoped() {
    // Token entries and a scoped file: content edits the token entries
    // (editing a site the scoped entry covers would stay green by design).
    let project = legacy_shop(&[SCOPED_FILE]);
    let outcome = run(&project, &["--format", "json", "theater"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(
        legs(&parse_json(&outcome)),
        pairs([("content", "ok"), ("drift", "ok"), ("non_vacuity", "ok")])
    );
    // Only scoped entries: content is n/a; drift shifts the covered sites;
    // non-vacuity copies a site of a `scope: qualname` entry into a new
    // function, outside that scope.
    let read_meta =
        "- file: src/shop/meta.py\n  scope: qualname\n  qualname: read_meta\n  rationale: \"r\"\n";
    let load = "- file: src/shop/meta.py\n  scope: qualname\n  qualname: Loader.load\n  rationale: \"r\"\n";
    let project = shop();
    project
        .file(LEGACY, LEGACY_PY)
        .file(ALLOWLIST, allowlist(&[read_meta, load, SCOPED_FILE]));
    assert_eq!(run(&project, &["check"]).code, Some(0));
    let outcome = run(&project, &["--format", "json", "theater"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let report = parse_json(&outcome);
    assert_eq!(
        legs(&report),
        pairs([("content", "n/a"), ("drift", "ok"), ("non_vacuity", "ok")])
    );
    let text = report.to_string();
    assert!(text.contains("src/shop/meta.py"), "{text}");
}
