//! `stablegate allow GATE --reason TEXT [--issue REF]`.

use crate::allow_fixture::{assert_refused, exists, project, read, run_in_ci, ALLOWLIST, CONFIG};
use crate::support::assert_outcome;

const CREATED: &str = r##"inline_json:
- file: src/app/billing.py
  qualname: Importer.implement
  line: 12
  token: "payload = json . loads ( raw )"
  rationale: "vendor payloads"
  issue: "#311"
- file: src/app/cli.py
  qualname: main
  line: 6
  token: "config = json . loads ( sys . stdin . read ( ) )"
  rationale: "vendor payloads"
  issue: "#311"
- file: src/app/orders.py
  qualname: Importer.fallback
  line: 11
  token: "return json . loads ( raw or )"
  rationale: "vendor payloads"
  issue: "#311"
- file: src/app/orders.py
  qualname: Importer.implement
  line: 7
  token: "data = json . loads ( raw )"
  rationale: "vendor payloads"
  issue: "#311"
- file: src/app/orders.py
  qualname: load_all
  line: 17
  token: "rows . append ( json . loads ( text ) )"
  rationale: "vendor payloads"
  issue: "#311"
- file: src/app/reports.py
  qualname: summary
  line: 6
  token: "meta = json . loads ( handle . read ( ) )"
  rationale: "vendor payloads"
  issue: "#311"
"##;

#[test]
fn allow_creates_the_allowlist_and_check_goes_green() {
    let project = project(None);
    assert_eq!(project.run(&["check", "inline_json"]).code, Some(1));
    let outcome = project.run(&[
        "allow",
        "inline_json",
        "--reason",
        "vendor payloads",
        "--issue",
        "#311",
    ]);
    assert_outcome(
        &outcome,
        "exit: 0\n--- stdout\n\
         gates/allowlist.yaml: created with 6 entries under `inline_json` (gate `inline_json`):\n\
         \x20 src/app/billing.py:12 (Importer.implement) payload = json . loads ( raw )\n\
         \x20 src/app/cli.py:6 (main) config = json . loads ( sys . stdin . read ( ) )\n\
         \x20 src/app/orders.py:7 (Importer.implement) data = json . loads ( raw )\n\
         \x20 src/app/orders.py:11 (Importer.fallback) return json . loads ( raw or )\n\
         \x20 src/app/orders.py:17 (load_all) rows . append ( json . loads ( text ) )\n\
         \x20 src/app/reports.py:6 (summary) meta = json . loads ( handle . read ( ) )\n\
         --- stderr\n",
    );
    assert_eq!(read(&project, ALLOWLIST), CREATED);
    assert_outcome(
        &project.run(&["check", "inline_json"]),
        "exit: 0\n--- stdout\ngate inline_json: pass (0 items, 6 ok)\n\npass: 1 of 1 gate passed; 6 ok\n--- stderr\n",
    );
}

#[test]
fn allow_inserts_in_sorted_position_and_raises_the_baseline() {
    let before = "\
# Accepted eval calls. Add entries with `stablegate allow`.
no_eval_baseline: 1   # shrink-only

no_eval:
  # Configuration is ours.
  - file: src/app/orders.py
    qualname: evaluate
    line: 22
    token: 'return eval ( expr )'
    rationale: >-
      trusted configuration only

# inline_json has no entries yet.
inline_json: []
";
    let project = project(Some(before));
    let outcome = project.run(&["allow", "no_eval", "--reason", "sheet formulas"]);
    assert_outcome(
        &outcome,
        "exit: 0\n--- stdout\n\
         gates/allowlist.yaml: added 3 entries to `no_eval` (gate `no_eval`):\n\
         \x20 src/app/billing.py:16 (Importer.rate) return eval ( expr , { } )\n\
         \x20 src/app/reports.py:11 (formula) return eval ( cell )\n\
         \x20 src/app/reports.py:15 (total) return sum ( eval ( cell ) for cell in cells )\n\
         gates/allowlist.yaml: raised `no_eval_baseline` from 1 to 4\n\
         --- stderr\n",
    );
    // Sorted by (file, qualname, token): billing.py before the existing
    // orders.py entry (and its comment), the reports.py ones after it.
    let billing = "  - file: src/app/billing.py
    qualname: Importer.rate
    line: 16
    token: \"return eval ( expr , { } )\"
    rationale: \"sheet formulas\"
";
    let reports = "  - file: src/app/reports.py
    qualname: formula
    line: 11
    token: \"return eval ( cell )\"
    rationale: \"sheet formulas\"
  - file: src/app/reports.py
    qualname: total
    line: 15
    token: \"return sum ( eval ( cell ) for cell in cells )\"
    rationale: \"sheet formulas\"
";
    let expected = before
        .replace("no_eval_baseline: 1 ", "no_eval_baseline: 4 ")
        .replace(
            "  # Configuration is ours.\n",
            &format!("{billing}  # Configuration is ours.\n"),
        )
        .replace(
            "      trusted configuration only\n",
            &format!("      trusted configuration only\n{reports}"),
        );
    assert_eq!(read(&project, ALLOWLIST), expected);
    assert_eq!(project.run(&["check", "no_eval"]).code, Some(0));
}

#[test]
fn allow_writes_count_for_a_key_with_several_sites_under_strict_counts() {
    let project = crate::support::Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"no_eval\"\npattern = \"eval($X)\"\nallowlist = \"gates/allowlist.yaml\"\nstrict_counts = true\n",
        )
        .file(
            "calc.py",
            "def twice(a, b):\n    x = eval(a)\n    if b:\n        x = eval(a)\n    return x\n",
        );
    let outcome = project.run(&["allow", "no_eval", "--reason", "calculator"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(
        read(&project, ALLOWLIST),
        "no_eval:\n- file: calc.py\n  qualname: twice\n  line: 2\n  token: \"x = eval ( a )\"\n  count: 2\n  rationale: \"calculator\"\n"
    );
    assert_eq!(project.run(&["check"]).code, Some(0));
}

#[test]
fn allow_with_nothing_to_add_writes_nothing() {
    let project = crate::support::Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"no_eval\"\npattern = \"eval($X)\"\nallowlist = \"gates/allowlist.yaml\"\n",
        )
        .file("a.py", "x = 1\n");
    assert_outcome(
        &project.run(&["allow", "no_eval", "--reason", "r"]),
        "exit: 0\n--- stdout\ngate `no_eval`: no violations; nothing to allow\n--- stderr\n",
    );
    assert!(!exists(&project, ALLOWLIST));
}

#[test]
fn allow_without_a_reason_writes_nothing() {
    let before = "no_eval: []\n";
    let project = project(Some(before));
    let outcome = project.run(&["allow", "no_eval"]);
    assert_refused(&project, &outcome, before);
    assert!(outcome.stderr.contains("--reason <TEXT>"), "{outcome}");
    let blank = project.run(&["allow", "no_eval", "--reason", "  "]);
    assert_outcome(
        &blank,
        "exit: 2\n--- stdout\n--- stderr\nerror: --reason: is blank: say why the sites are accepted\n",
    );
    assert_eq!(read(&project, ALLOWLIST), before);
}

#[test]
fn allow_on_an_allowlist_that_is_not_yaml_writes_nothing() {
    let before = "no_eval: [\n  - oops: {\n";
    let project = project(Some(before));
    let outcome = project.run(&["allow", "no_eval", "--reason", "r"]);
    assert_refused(&project, &outcome, before);
    assert!(
        outcome
            .stderr
            .starts_with("error: gate `no_eval`: parse allowlist gates/allowlist.yaml:"),
        "{outcome}"
    );
}

#[test]
fn allow_on_an_entry_of_the_wrong_type_writes_nothing() {
    let before = "no_eval:\n- 42\n- file: a.py\n  line: [1]\n";
    let project = project(Some(before));
    let outcome = project.run(&["allow", "no_eval", "--reason", "r"]);
    assert_refused(&project, &outcome, before);
    assert!(
        outcome.stderr.contains("gates/allowlist.yaml:2"),
        "{outcome}"
    );
}

#[test]
fn allow_refuses_while_legacy_entries_remain() {
    let before = "no_eval:\n- \"src/app/reports.py:11\"\n";
    let project = project(Some(before));
    let outcome = project.run(&["allow", "no_eval", "--reason", "r"]);
    assert_refused(&project, &outcome, before);
    assert_eq!(
        outcome.stderr,
        "error: gates/allowlist.yaml: `no_eval` still has legacy entries (1: line-keyed, or `token: \"\"` without `text`): run `stablegate convert no_eval` first, so that `allow` does not add a second entry for the sites they accept\n"
    );
}

#[test]
fn allow_in_ci_writes_only_with_write() {
    let project = project(None);
    let outcome = run_in_ci(&project, &["allow", "no_eval", "--reason", "r"]);
    assert_refused(&project, &outcome, "");
    assert_eq!(
        outcome.stderr,
        "error: gates/allowlist.yaml: not written: CI is set, and `allow` changes allowlists in CI only with --write (it would add 4 entries)\n"
    );
    let outcome = run_in_ci(&project, &["allow", "no_eval", "--reason", "r", "--write"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(run_in_ci(&project, &["check", "no_eval"]).code, Some(0));
}

#[test]
fn allow_on_a_gate_without_an_allowlist_is_bad_input() {
    let project = project(None);
    project.file(
        "stablegate.toml",
        CONFIG
            .replace("allowlist = \"gates/allowlist.yaml\"\n", "")
            .as_str(),
    );
    assert_outcome(
        &project.run(&["allow", "no_eval", "--reason", "r"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: gate `no_eval` has no `allowlist` to add entries to: set `allowlist = \"…\"` in its [[gate]] table\n",
    );
}

#[test]
fn allow_accepts_violations_only_and_counts_what_needs_a_person() {
    // The entry's token was edited in the source since: `changed`, which
    // needs a re-approval by a person, not a second entry.
    let before = "no_eval:\n- file: src/app/reports.py\n  qualname: formula\n  line: 11\n  token: \"return eval ( cell , { } )\"\n";
    let project = project(Some(before));
    let outcome = project.run(&["allow", "no_eval", "--reason", "r"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert!(
        outcome.stdout.ends_with(
            "note: gate `no_eval` still has failing items `allow` does not accept (changed: 1): see `stablegate check no_eval`\n"
        ),
        "{outcome}"
    );
    // The entry stays as written (new entries sort around it), and no
    // second entry is added for its site.
    let after = read(&project, ALLOWLIST);
    assert!(after.contains(&before["no_eval:\n".len()..]), "{after}");
    assert_eq!(after.matches("qualname: formula").count(), 1, "{after}");
    assert_eq!(after.matches("- file: ").count(), 4);
}

#[test]
fn allow_prints_human_output_only() {
    let project = project(None);
    assert_outcome(
        &project.run(&["--format", "json", "allow", "no_eval", "--reason", "r"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: --format json: `allow` prints human output only\n",
    );
    assert!(!exists(&project, ALLOWLIST));
}

#[cfg(unix)]
#[test]
fn a_read_only_allowlist_is_refused_for_every_writer_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    // A moved entry (refresh), a stale one (prune), sites to add (allow).
    let before = "inline_json:\n- file: src/app/orders.py\n  qualname: Importer.implement\n  line: 99\n  token: \"data = json . loads ( raw )\"\n  rationale: r\n- file: src/app/orders.py\n  qualname: gone\n  line: 1\n  token: \"x = json . loads ( y )\"\n  rationale: r\n";
    let project = project(Some(before));
    let path = project.path().join(ALLOWLIST);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    for args in [
        &["allow", "inline_json", "--reason", "r"][..],
        &["refresh", "inline_json"],
        &["prune", "inline_json"],
    ] {
        let outcome = project.run(args);
        assert_refused(&project, &outcome, before);
        assert!(
            outcome.stderr.contains("gates/allowlist.yaml")
                && outcome.stderr.contains("it is read-only"),
            "{args:?}: {outcome}"
        );
        let mode = std::fs::metadata(&path).expect("kept").permissions().mode();
        assert_eq!(mode & 0o777, 0o444, "{args:?}: permissions kept");
    }
}

#[test]
fn a_temporary_left_by_a_killed_writer_is_cleaned_by_the_next_write() {
    let project = project(None);
    // What a writer killed between creating and renaming its temporary
    // leaves: named after a process that no longer runs.
    let left = "gates/.allowlist.yaml.99999999.0.stablegate-tmp";
    project.file(left, "half written");
    let outcome = project.run(&["allow", "inline_json", "--reason", "r"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert!(
        !exists(&project, left),
        "the dead writer's temporary is gone"
    );
    assert_eq!(project.run(&["check", "inline_json"]).code, Some(0));
}
