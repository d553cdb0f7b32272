//! `stablegate refresh [NAME...]`: after code moves, only `line:` values
//! change.

use crate::allow_fixture::{
    assert_refused, line_diff, project, read, run_in_ci, ALLOWLIST, BILLING, ORDERS, REPORTS,
};
use crate::support::{assert_outcome, Project};

/// Both gates allowed, then the code drifts: blank lines and comments
/// above the sites, nothing else.
fn drifted() -> (Project, String) {
    let project = project(Some(
        "# Accepted sites.\n\ninline_json:  # JSON\n\nno_eval:\n",
    ));
    for gate in ["inline_json", "no_eval"] {
        let outcome = project.run(&["allow", gate, "--reason", "accepted"]);
        assert_eq!(outcome.code, Some(0), "{outcome}");
    }
    let allowed = read(&project, ALLOWLIST);
    project
        .file("src/app/orders.py", format!("# moved\n\n{ORDERS}"))
        .file(
            "src/app/billing.py",
            BILLING.replace("class Importer:", "# note\nclass Importer:"),
        )
        .file("src/app/reports.py", format!("\n\n\n{REPORTS}"));
    (project, allowed)
}

#[test]
fn refresh_after_drift_changes_only_line_values() {
    let (project, allowed) = drifted();
    assert_eq!(project.run(&["check"]).code, Some(0));
    let outcome = project.run(&["refresh"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert!(outcome.stdout.starts_with(
        "gates/allowlist.yaml: `inline_json` (gate `inline_json`): moved 5 locators, 1 already current, 0 left as written\n"
    ), "{outcome}");
    let refreshed = read(&project, ALLOWLIST);
    let (added, removed) = line_diff(&allowed, &refreshed);
    assert_eq!(added.len(), 9, "{added:?}");
    assert_eq!(removed.len(), 9, "{removed:?}");
    for (old, new) in removed.iter().zip(&added) {
        assert!(
            old.starts_with("  line: ") && new.starts_with("  line: "),
            "{old:?} {new:?}"
        );
    }
    assert!(refreshed.contains("  qualname: Importer.rate\n  line: 17\n"));
    assert_eq!(project.run(&["check"]).code, Some(0));
    assert_outcome(
        &project.run(&["refresh", "no_eval"]),
        "exit: 0\n--- stdout\ngates/allowlist.yaml: `no_eval` (gate `no_eval`): moved 0 locators, 4 already current, 0 left as written\n--- stderr\n",
    );
}

#[test]
fn refresh_keeps_crlf_and_flow_style() {
    let project = project(None);
    let before = "# crlf\r\nno_eval: [\r\n  {file: src/app/reports.py, qualname: formula, line: 1, token: \"return eval ( cell )\"},\r\n  'src/app/orders.py:22',  # legacy\r\n]\r\n";
    project.file(ALLOWLIST, before);
    let outcome = project.run(&["refresh", "no_eval"]);
    assert_outcome(
        &outcome,
        "exit: 0\n--- stdout\n\
         gates/allowlist.yaml: `no_eval` (gate `no_eval`): moved 1 locator, 0 already current, 1 left as written\n\
         \x20 gates/allowlist.yaml:3: line 1 -> 11\n\
         --- stderr\n",
    );
    assert_eq!(
        read(&project, ALLOWLIST),
        before.replace("line: 1,", "line: 11,")
    );
}

#[test]
fn refresh_in_ci_writes_only_with_write() {
    let (project, allowed) = drifted();
    let outcome = run_in_ci(&project, &["refresh"]);
    assert_refused(&project, &outcome, &allowed);
    assert_eq!(
        outcome.stderr,
        "error: gates/allowlist.yaml: not written: CI is set, and `refresh` changes allowlists in CI only with --write (it would move 9 locators)\n"
    );
    assert_eq!(run_in_ci(&project, &["refresh", "--write"]).code, Some(0));
    assert_ne!(read(&project, ALLOWLIST), allowed);
}

#[test]
fn refresh_on_an_entry_of_the_wrong_type_writes_nothing() {
    let before = "no_eval:\n- file: src/app/orders.py\n  qualname: evaluate\n  line: twenty-two\n  token: \"return eval ( expr )\"\n";
    let project = project(Some(before));
    let outcome = project.run(&["refresh"]);
    assert_refused(&project, &outcome, before);
    assert!(
        outcome
            .stderr
            .contains("gates/allowlist.yaml:4: `line` must be a line number >= 1"),
        "{outcome}"
    );
}

#[test]
fn refresh_of_a_gate_without_an_allowlist_is_bad_input() {
    let project = project(None);
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"no_eval\"\npaths = [\"src\"]\npattern = \"eval($X)\"\n",
    );
    assert_eq!(project.run(&["refresh"]).code, Some(0));
    assert_outcome(
        &project.run(&["refresh", "no_eval"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: gate `no_eval` has no `allowlist` to refresh: set `allowlist = \"…\"` in its [[gate]] table\n",
    );
}
