//! The audit conventions of SPEC §12.4 and `audit_only` gates (§12.2)
//! through the binary: `inventory_only_reference`, `known_candidates_from`,
//! N rows for a key of N live sites, and gates whose findings feed audits
//! only; every bad value is exit 2 naming the file, line and field.

use serde_json::Value;

use crate::audit::{project, EXECUTOR, INVENTORY};
use crate::support::Project;

fn read(project: &Project, path: &str) -> String {
    std::fs::read_to_string(project.path().join(path)).expect("read a fixture file")
}

/// Rewrites `stablegate.toml` with `from` replaced by `to`.
fn configure(project: &Project, from: &str, to: &str) {
    let config = read(project, "stablegate.toml");
    assert!(config.contains(from), "{config}");
    project.file("stablegate.toml", config.replacen(from, to, 1));
}

/// `(verdict, file)` of the items of the first outcome.
fn verdicts(outcome: &crate::support::Outcome) -> Vec<(String, String)> {
    let value: Value = serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}):\n{outcome}"));
    (value["gates"][0]["items"].as_array().expect("items").iter())
        .map(|item| {
            let text = |key: &str| item[key].as_str().unwrap_or_default().to_owned();
            (text("verdict"), text("file"))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    (expected.iter())
        .map(|(verdict, file)| (verdict.to_string(), file.to_string()))
        .collect()
}

#[test]
fn audit_only_gates_feed_their_audits_and_check_reports_no_violations() {
    let project = project();
    // Without `audit_only`, `check` judges the allowlist-less gates: red.
    assert_eq!(project.run(&["check"]).code, Some(1));
    configure(
        &project,
        "name = \"shell\"\n",
        "name = \"shell\"\naudit_only = true\n",
    );
    configure(
        &project,
        "name = \"output\"\n",
        "name = \"output\"\naudit_only = true\n",
    );
    let outcome = project.run(&["--format", "json", "check"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let value: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let kinds: Vec<(&str, &str)> = (value["gates"].as_array().expect("gates").iter())
        .map(|g| {
            (
                g["name"].as_str().unwrap_or(""),
                g["kind"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(kinds, [("sinks", "audit"), ("second", "audit")]);
    // Naming the gate checks the audits it feeds.
    let named = project.run(&["--format", "json", "check", "shell"]);
    assert_eq!(named.code, Some(0), "{named}");
    let value: Value = serde_json::from_str(&named.stdout).expect("JSON");
    assert_eq!(value["gates"].as_array().map(Vec::len), Some(1), "{named}");
    assert_eq!(value["gates"][0]["name"], "sinks");
    // A new sink is red through the audit (undercount), not as a violation.
    project.file(
        "src/pkg/merge/executor.py",
        format!("{EXECUTOR}\n\ndef more(cmd):\n    subprocess.run(cmd, shell=True)\n"),
    );
    let red = project.run(&["--format", "json", "check"]);
    assert_eq!(red.code, Some(1), "{red}");
    let value: Value = serde_json::from_str(&red.stdout).expect("JSON");
    assert_eq!(value["summary"]["verdicts"]["undercount"], 1, "{red}");
    assert_eq!(value["summary"]["verdicts"]["violation"], 0, "{red}");
}

#[test]
fn audit_only_is_bad_input_with_an_allowlist_or_without_an_audit() {
    let project = project();
    configure(
        &project,
        "name = \"shell\"\n",
        "name = \"shell\"\naudit_only = true\nallowlist = \"gates/shell.yaml\"\n",
    );
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(
        outcome.stderr,
        "error: stablegate.toml:3:14: `gate[0].audit_only`: gate `shell` is `audit_only`: `check` does not judge it, so `allowlist` would never apply; remove `allowlist` or `audit_only`\n"
    );
    let project = self::project();
    configure(
        &project,
        "name = \"output\"\n",
        "name = \"output\"\naudit_only = true\n",
    );
    configure(&project, "gate = \"output\"\n", "gate = \"shell\"\n");
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(
        outcome.stderr,
        "error: stablegate.toml:7:8: `gate[1].audit_only`: gate `output` is `audit_only` but no [[audit]] reads it: its findings would go nowhere; add an [[audit]] with `gate = \"output\"` or remove `audit_only`\n"
    );
}

#[test]
fn inventory_only_reference_optional_accepts_a_bare_tag() {
    let project = project();
    let bare = INVENTORY.replace("[inventory-only] #45 the sink", "[inventory-only] the sink");
    project.file("docs/inventory.md", &bare);
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(verdicts(&outcome).contains(&("unreferenced".into(), "docs/inventory.md".into())));
    configure(
        &project,
        "known_candidates = [",
        "inventory_only_reference = \"optional\"\nknown_candidates = [",
    );
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    assert_eq!(
        verdicts(&outcome),
        pairs(&[
            ("inventory_only", "docs/inventory.md"),
            ("ok", "src/pkg/merge/executor.py"),
            ("ok", "src/pkg/merge/executor.py"),
        ])
    );
    assert!(
        outcome.stdout.contains(
            "inventory-only row, no discovered sink (no reference) (src/pkg/merge/legacy.py:3)"
        ),
        "{outcome}"
    );
    // A row without the tag that matches nothing is still a ghost.
    project.file(
        "docs/inventory.md",
        bare.replace("| [inventory-only] the sink", "| the sink"),
    );
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(verdicts(&outcome).contains(&("ghost".into(), "docs/inventory.md".into())));
}

#[test]
fn known_candidates_from_inventory_accepts_a_documented_path() {
    let project = project();
    configure(
        &project,
        "known_candidates = [\"src/pkg/merge/executor.py\"]",
        "known_candidates = [\"src/pkg/merge/executor.py\", \"src/pkg/merge/legacy.py\"]",
    );
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(verdicts(&outcome)
        .contains(&("missing_candidate".into(), "src/pkg/merge/legacy.py".into())));
    configure(
        &project,
        "known_candidates = [",
        "known_candidates_from = \"discovered_or_inventory\"\nknown_candidates = [",
    );
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    // A path with neither a sink nor a row is still red, and says so.
    configure(
        &project,
        "\"src/pkg/merge/legacy.py\"]",
        "\"src/pkg/merge/legacy.py\", \"src/pkg/status\"]",
    );
    let outcome = project.run(&["audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome
            .stdout
            .contains("src/pkg/status: missing_candidate: a known candidate holds no discovered sink and no inventory row"),
        "{outcome}"
    );
}

#[test]
fn unknown_convention_values_are_bad_input_naming_the_field() {
    for (field, value, expected) in [
        (
            "inventory_only_reference",
            "sometimes",
            "error: stablegate.toml:17:28: `audit[0].inventory_only_reference`: unknown variant `sometimes`, expected `required` or `optional`\n",
        ),
        (
            "known_candidates_from",
            "inventory",
            "error: stablegate.toml:17:25: `audit[0].known_candidates_from`: unknown variant `inventory`, expected `discovered` or `discovered_or_inventory`\n",
        ),
    ] {
        let project = project();
        configure(
            &project,
            "known_candidates = [",
            &format!("{field} = \"{value}\"\nknown_candidates = ["),
        );
        let outcome = project.run(&["audit"]);
        assert_eq!(outcome.code, Some(2), "{outcome}");
        assert_eq!(outcome.stderr, expected, "{outcome}");
        assert_eq!(outcome.stdout, "", "{outcome}");
    }
}

#[test]
fn a_key_of_n_live_sites_takes_n_rows_and_refresh_spreads_them() {
    let project = project();
    // Two identical lines in one function: one content key, two sites.
    let twice = format!(
        "{EXECUTOR}\n\ndef twice(cmd):\n    subprocess.run(cmd, shell=True)\n    subprocess.run(cmd, shell=True)\n"
    );
    project.file("src/pkg/merge/executor.py", &twice);
    let row = |line: usize| {
        format!(
            "| merge/executor.py:{line} | twice | subprocess . run ( cmd , shell = True ) | r |\n"
        )
    };
    let table_end = "| merge/legacy.py:3 |";
    let with_rows = |rows: &[usize]| {
        let rows: String = rows.iter().map(|&line| row(line)).collect();
        INVENTORY.replacen(table_end, &format!("{rows}{table_end}"), 1)
    };
    project.file("docs/inventory.md", with_rows(&[15, 16]));
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let value: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let ok_lines: Vec<u64> = (value["gates"][0]["items"].as_array().expect("items").iter())
        .filter(|item| item["verdict"] == "ok" && item["qualname"] == "twice")
        .filter_map(|item| item["line"].as_u64())
        .collect();
    assert_eq!(ok_lines, [15, 16], "{outcome}");
    // A third row for two sites is one too many.
    project.file("docs/inventory.md", with_rows(&[15, 16, 16]));
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome.stdout.contains("the same row as line 11"),
        "{outcome}"
    );
    // One row for both sites still stands for the key (no undercount).
    project.file("docs/inventory.md", with_rows(&[15]));
    assert_eq!(project.run(&["audit", "sinks"]).code, Some(0));
    // Refresh moves the i-th row of the key to its i-th site.
    project.file("docs/inventory.md", with_rows(&[3, 3]));
    project.file("src/pkg/merge/executor.py", format!("\n\n{twice}"));
    let refreshed = project.run(&["refresh", "sinks"]);
    assert_eq!(refreshed.code, Some(0), "{refreshed}");
    let text = read(&project, "docs/inventory.md");
    assert!(text.contains(&format!("{}{}", row(17), row(18))), "{text}");
}
