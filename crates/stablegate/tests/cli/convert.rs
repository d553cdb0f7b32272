//! `stablegate convert GATE`: a legacy allowlist frozen into content keys,
//! and every fail-closed case on its own (exit 2, nothing written).

use stablegate_gates::allowlist::parse;

use crate::allow_fixture::{assert_refused, line_diff, project, read, run_in_ci, ALLOWLIST};
use crate::support::{assert_outcome, Project};

/// Modelled on a real line-keyed allowlist: a header block, per-entry
/// comments, ten entries across two gates, `Importer.implement` in two
/// files recorded without `file`, and two `"file:line"` strings.
const LEGACY: &str = r##"# Legacy allowlist of the architecture gates.
#
# Entries were keyed by line before stablegate: qualname + line, sometimes
# with the file. Do not add entries by hand.

inline_json:
# The importers parse vendor payloads (#311).
- qualname: Importer.implement
  line: 7
  rationale: "vendor payloads are schemaless"
- qualname: Importer.implement   # the billing twin
  line: 12
  rationale: "vendor payloads are schemaless"
- file: src/app/orders.py
  qualname: Importer.fallback
  line: 11
  rationale: 'empty payloads default to {}'
# Batch loading predates the codec.
- qualname: load_all
  line: 17
  issue: "#402"
- "src/app/reports.py:6"
- qualname: main
  line: 6
  file: src/app/cli.py

no_eval:
- file: src/app/orders.py
  qualname: evaluate
  line: 22
  rationale: trusted configuration only
- qualname: Importer.rate
  line: 16
- "src/app/reports.py:11"   # formulas come from our own sheets
- qualname: total   # spreadsheet totals
  line: 15
"##;

const CONVERTED_JSON: &str = r##"# Legacy allowlist of the architecture gates.
#
# Entries were keyed by line before stablegate: qualname + line, sometimes
# with the file. Do not add entries by hand.

inline_json:
# The importers parse vendor payloads (#311).
- qualname: Importer.implement
  line: 7
  file: src/app/orders.py
  token: "data = json . loads ( raw )"
  rationale: "vendor payloads are schemaless"
- qualname: Importer.implement   # the billing twin
  line: 12
  file: src/app/billing.py
  token: "payload = json . loads ( raw )"
  rationale: "vendor payloads are schemaless"
- file: src/app/orders.py
  qualname: Importer.fallback
  line: 11
  token: "return json . loads ( raw or )"
  rationale: 'empty payloads default to {}'
# Batch loading predates the codec.
- qualname: load_all
  line: 17
  file: src/app/orders.py
  token: "rows . append ( json . loads ( text ) )"
  issue: "#402"
- file: src/app/reports.py
  qualname: summary
  line: 6
  token: "meta = json . loads ( handle . read ( ) )"
- qualname: main
  line: 6
  token: "config = json . loads ( sys . stdin . read ( ) )"
  file: src/app/cli.py

no_eval:
"##;

/// `stablegate key FILE:LINE`'s token.
fn key_token(project: &Project, file: &str, line: usize) -> String {
    let outcome = project.run(&["key", &format!("{file}:{line}")]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let (_, token) = outcome
        .stdout
        .trim_end_matches('\n')
        .split_once('\t')
        .unwrap();
    token.to_owned()
}

#[test]
fn convert_freezes_a_legacy_allowlist_with_tool_derived_tokens() {
    let project = project(Some(LEGACY));
    assert_eq!(project.run(&["check"]).code, Some(1));
    let outcome = project.run(&["convert", "inline_json"]);
    assert_outcome(
        &outcome,
        "exit: 0\n--- stdout\n\
         gates/allowlist.yaml: froze 6 legacy entries of `inline_json` into content keys (gate `inline_json`):\n\
         \x20 src/app/orders.py:7 (Importer.implement) data = json . loads ( raw )\n\
         \x20 src/app/billing.py:12 (Importer.implement) payload = json . loads ( raw )\n\
         \x20 src/app/orders.py:11 (Importer.fallback) return json . loads ( raw or )\n\
         \x20 src/app/orders.py:17 (load_all) rows . append ( json . loads ( text ) )\n\
         \x20 src/app/reports.py:6 (summary) meta = json . loads ( handle . read ( ) )\n\
         \x20 src/app/cli.py:6 (main) config = json . loads ( sys . stdin . read ( ) )\n\
         --- stderr\n",
    );
    let after_json = read(&project, ALLOWLIST);
    let no_eval_part = LEGACY.split_once("no_eval:\n").unwrap().1;
    assert_eq!(after_json, format!("{CONVERTED_JSON}{no_eval_part}"));

    assert_eq!(project.run(&["convert", "no_eval"]).code, Some(0));
    let after = read(&project, ALLOWLIST);
    // Only the converted fields are new; the only lines gone are the two
    // legacy strings, replaced by mappings in place.
    let (added, removed) = line_diff(LEGACY, &after);
    assert_eq!(
        removed,
        vec![
            "- \"src/app/reports.py:6\"\n",
            "- \"src/app/reports.py:11\"   # formulas come from our own sheets\n"
        ]
    );
    for line in &added {
        let field = line.trim_start_matches(['-', ' ']);
        assert!(
            ["file: ", "qualname: ", "line: ", "token: "]
                .iter()
                .any(|name| field.starts_with(name)),
            "{line:?}"
        );
    }
    // inline_json: 2 + 2 + 1 + 2 + 4 + 1 lines; no_eval: 1 + 2 + 4 + 2.
    assert_eq!(added.len(), 12 + 9);

    // Every token is what `stablegate key` says at the seed's line.
    for key in ["inline_json", "no_eval"] {
        let list = parse(ALLOWLIST, &after, key).unwrap();
        assert!(!list.entries.is_empty());
        for entry in &list.entries {
            let file = &entry.file.as_ref().unwrap().value;
            let line = entry.locator.as_ref().unwrap().value;
            let token = &entry.token.as_ref().unwrap().value;
            assert_eq!(token, &key_token(&project, file, line), "{file}:{line}");
        }
    }
    assert_eq!(project.run(&["check"]).code, Some(0));
}

/// Runs `convert no_eval` on a one-seed allowlist and returns its error.
fn refused(seed: &str) -> String {
    let before = format!("# keep me\nno_eval:\n{seed}");
    let project = project(Some(&before));
    let outcome = project.run(&["convert", "no_eval"]);
    assert_refused(&project, &outcome, &before);
    outcome.stderr
}

#[test]
fn a_seed_resolving_to_module_writes_nothing() {
    let project = project(None);
    project.file("src/app/boot.py", "SETTINGS = eval(open('s').read())\n");
    let before = "no_eval:\n- \"src/app/boot.py:1\"\n";
    project.file(ALLOWLIST, before);
    let outcome = project.run(&["convert", "no_eval"]);
    assert_refused(&project, &outcome, before);
    assert_eq!(
        outcome.stderr,
        "error: gates/allowlist.yaml: 1 of 1 legacy entries of `no_eval` cannot be frozen; nothing was written\n\
         \x20 gates/allowlist.yaml:2: \"src/app/boot.py:1\": src/app/boot.py:1 resolves to `<module>` (outside any function or class)\n"
    );
}

#[test]
fn a_seed_on_a_line_without_code_writes_nothing() {
    let stderr = refused("- file: src/app/orders.py\n  qualname: Importer\n  line: 9\n");
    assert!(
        stderr.contains("gates/allowlist.yaml:3: qualname Importer, line 9, file src/app/orders.py: src/app/orders.py:9 has no code token"),
        "{stderr}"
    );
}

#[test]
fn a_seed_whose_qualname_differs_writes_nothing() {
    let stderr =
        refused("- file: src/app/billing.py\n  qualname: Importer.implement\n  line: 16\n");
    assert!(
        stderr.contains(
            "src/app/billing.py:16 is in `Importer.rate`, not the recorded `Importer.implement`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_seed_without_a_live_finding_writes_nothing() {
    let stderr = refused("- qualname: Importer.implement\n  line: 7\n  file: src/app/orders.py\n");
    assert!(
        stderr.contains("gate `no_eval` has no live finding at src/app/orders.py:7"),
        "{stderr}"
    );
}

#[test]
fn a_seed_in_an_unreadable_file_writes_nothing() {
    let project = project(None);
    project.file(
        "src/app/latin.py",
        b"def f(x):\n    return eval(x)  # caf\xe9\n",
    );
    let before = "no_eval:\n- \"src/app/latin.py:2\"\n";
    project.file(ALLOWLIST, before);
    let outcome = project.run(&["convert", "no_eval"]);
    assert_refused(&project, &outcome, before);
    assert!(
        outcome
            .stderr
            .contains("\"src/app/latin.py:2\": src/app/latin.py is not valid UTF-8"),
        "{outcome}"
    );
}

#[test]
fn a_seed_in_an_unparseable_file_writes_nothing() {
    let project = project(None);
    project.file("src/app/broken.py", "def f(x:\n    return eval(x)\n");
    let before = "no_eval:\n- qualname: f\n  line: 2\n  file: src/app/broken.py\n";
    project.file(ALLOWLIST, before);
    let outcome = project.run(&["convert", "no_eval"]);
    assert_refused(&project, &outcome, before);
    assert!(outcome.stderr.contains("src/app/broken.py"), "{outcome}");
    assert!(
        outcome.stderr.contains("does not parse") || outcome.stderr.contains("syntax"),
        "{outcome}"
    );
}

#[test]
fn namesakes_at_the_same_line_in_two_files_cannot_be_attributed() {
    let project = project(None);
    // Like orders.py, a finding on line 7 in `Importer.implement`.
    project.file(
        "src/app/twin.py",
        "import json\n\n\nclass Importer:\n    def implement(self, raw):\n\n        return json.loads(raw)\n",
    );
    let before = "inline_json:\n- qualname: Importer.implement\n  line: 7\n";
    project.file(ALLOWLIST, before);
    let outcome = project.run(&["convert", "inline_json"]);
    assert_refused(&project, &outcome, before);
    assert!(
        outcome.stderr.contains("live findings at line 7 in `Importer.implement` in several files (src/app/orders.py, src/app/twin.py): add `file:` to the seed"),
        "{outcome}"
    );
}

#[test]
fn every_failing_seed_is_listed() {
    let before = LEGACY
        .replace("  line: 12\n", "  line: 13\n")
        .replace("\"src/app/reports.py:6\"", "\"src/app/reports.py:3\"");
    let project = project(Some(&before));
    let outcome = project.run(&["convert", "inline_json"]);
    assert_refused(&project, &outcome, &before);
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{outcome}");
    assert!(lines[0].contains("2 of 6 legacy entries of `inline_json` cannot be frozen"));
    assert!(
        lines[1].starts_with("  gates/allowlist.yaml:11: qualname Importer.implement, line 13:")
    );
    assert!(lines[2].starts_with("  gates/allowlist.yaml:22: \"src/app/reports.py:3\":"));
}

#[test]
fn convert_without_legacy_entries_is_bad_input() {
    let before = "# nothing legacy\ninline_json: []\n";
    let project = project(Some(before));
    let outcome = project.run(&["convert", "inline_json"]);
    assert_refused(&project, &outcome, before);
    assert_eq!(
        outcome.stderr,
        "error: gates/allowlist.yaml: `inline_json` has no legacy line-keyed entries (`qualname` + `line`, or \"file:line\") and no entries with `token: \"\"` lacking `text`: nothing to convert\n"
    );
    let missing = crate::allow_fixture::project(None);
    let outcome = missing.run(&["convert", "inline_json"]);
    assert_refused(&missing, &outcome, "");
}

#[test]
fn convert_on_an_allowlist_that_is_not_yaml_writes_nothing() {
    let before = "inline_json:\n- qualname: f\n  line: 3\n\t- broken\n";
    let project = project(Some(before));
    let outcome = project.run(&["convert", "inline_json"]);
    assert_refused(&project, &outcome, before);
}

#[test]
fn convert_in_ci_writes_only_with_write() {
    let project = project(Some(LEGACY));
    let outcome = run_in_ci(&project, &["convert", "no_eval"]);
    assert_refused(&project, &outcome, LEGACY);
    assert!(
        outcome.stderr.contains("it would freeze 4 legacy entries"),
        "{outcome}"
    );
    assert_eq!(
        run_in_ci(&project, &["convert", "no_eval", "--write"]).code,
        Some(0)
    );
}
