//! `[[audit]]` and `stablegate audit`: inventory tables of the real shapes
//! (prefix-less locators, a second backticked table, long rationales with
//! `\|`, `[inventory-only]` rows), their tripwires, `refresh` of locators,
//! and every bad inventory.

use crate::support::{assert_outcome, Project};

pub const EXECUTOR: &str = "import subprocess


def run(cmd):
    return subprocess.run(cmd, shell=True)


class Runner:
    def go(self, cmd):
        subprocess.run(cmd, shell=True)
        return subprocess.check_output(cmd, shell=True)
";

pub const INVENTORY: &str = "# Untrusted paths

Reviewers read this table; stablegate checks it.

## Sink table

| file:line | qualname | token | rationale |
|---|---|---|---|
| merge/executor.py:5 | run | return subprocess . run ( cmd , shell = True ) | `cmd` is built from constants \\| never user text; history: moved from cli.py in #12, re-reviewed in #40 |
| merge/executor.py:10 | Runner.go | `subprocess . run ( cmd , shell = True )` | reviewed |
| merge/legacy.py:3 | Legacy.load | x = eval ( text ) | [inventory-only] #45 the sink lives in a vendored wheel |

## Second table

| `file:line` | `qualname` | `token` |
|---|---|---|
| `merge/executor.py:11` | `Runner.go` | `return subprocess . check_output …` |
";

const CONFIG: &str = r#"[[gate]]
name = "shell"
paths = ["src"]
pattern = "subprocess.run($$$A, shell=True)"

[[gate]]
name = "output"
paths = ["src"]
pattern = "subprocess.check_output($$$A)"

[[audit]]
name = "sinks"
inventory = "docs/inventory.md"
table = "Sink table"
gate = "shell"
path_prefix = "src/pkg/"
known_candidates = ["src/pkg/merge/executor.py"]

[[audit]]
name = "second"
inventory = "docs/inventory.md"
table = "Second table"
gate = "output"
path_prefix = "src/pkg"
"#;

/// Both tables document every sink: green.
pub fn project() -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", CONFIG)
        .file("src/pkg/merge/executor.py", EXECUTOR)
        .file("docs/inventory.md", INVENTORY);
    project
}

fn read(project: &Project, path: &str) -> String {
    std::fs::read_to_string(project.path().join(path)).unwrap()
}

#[test]
fn documented_sinks_in_two_tables_are_green() {
    assert_outcome(
        &project().run(&["audit"]),
        "exit: 0
--- stdout
audit sinks: pass (1 item, 2 ok)

docs/inventory.md:11 (Legacy.load): inventory_only: inventory-only row
 = token: x = eval ( text )
 = detail: inventory-only row, no discovered sink (#45) (src/pkg/merge/legacy.py:3)

audit second: pass (0 items, 1 ok)

pass: 2 of 2 gates passed; 1 item (1 inventory_only), 3 ok
--- stderr
",
    );
}

#[test]
fn audits_run_in_check_as_gates_of_kind_audit() {
    let project = project();
    let outcome = project.run(&["--format", "json", "check", "sinks", "second"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let kinds: Vec<(&str, &str)> = (value["gates"].as_array().unwrap().iter())
        .map(|g| (g["name"].as_str().unwrap(), g["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("sinks", "audit"), ("second", "audit")]);
    // The whole check runs the code gates too, which have no allowlist: red.
    let all = project.run(&["check"]);
    assert_eq!(all.code, Some(1), "{all}");
    assert!(all.stdout.starts_with("gate shell: FAIL"), "{all}");
}

#[test]
fn the_gates_allowlist_plays_no_part_in_an_audit() {
    let project = project();
    let config = read(&project, "stablegate.toml").replace(
        "pattern = \"subprocess.run($$$A, shell=True)\"\n",
        "pattern = \"subprocess.run($$$A, shell=True)\"\nallowlist = \"gates/shell.yaml\"\n",
    );
    project
        .file("stablegate.toml", config)
        .file("gates/shell.yaml", "shell: [ {\n");
    assert_eq!(project.run(&["audit"]).code, Some(0));
    assert_eq!(project.run(&["check", "shell"]).code, Some(2));
}

#[test]
fn a_sink_shifted_by_blank_lines_stays_green() {
    let project = project();
    project.file(
        "src/pkg/merge/executor.py",
        EXECUTOR.replace("def run(cmd):", "\n\n\n# a comment\ndef run(cmd):"),
    );
    let outcome = project.run(&["audit"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
}

#[test]
fn a_missing_sink_is_red_with_the_row_to_paste() {
    let project = project();
    project.file(
        "src/pkg/merge/executor.py",
        format!("{EXECUTOR}\n\ndef extra(cmd):\n    subprocess.run(cmd, shell=True)\n    subprocess.check_output(cmd)\n"),
    );
    let outcome = project.run(&["audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(outcome.stdout.contains(
        "src/pkg/merge/executor.py:15 (extra): undercount: discovered sink missing from the inventory\n"
    ), "{outcome}");
    assert!(outcome.stdout.contains(
        "paste this row into the inventory and fill in the other columns:\n           | merge/executor.py:15 | extra | subprocess . run ( cmd , shell = True ) |  |\n"
    ), "{outcome}");
    let second = project.run(&["audit", "second"]);
    assert!(
        second.stdout.contains(
            "| `merge/executor.py:16` | `extra` | `subprocess . check_output ( cmd )` |\n"
        ),
        "{second}"
    );
}

#[test]
fn a_deleted_sink_leaves_a_red_ghost_row() {
    let project = project();
    project.file(
        "src/pkg/merge/executor.py",
        EXECUTOR.replace("        subprocess.run(cmd, shell=True)\n", ""),
    );
    let outcome = project.run(&["audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome.stdout.contains(
            "docs/inventory.md:10 (Runner.go): ghost: inventory row without a discovered sink\n"
        ),
        "{outcome}"
    );
    assert!(
        outcome
            .stdout
            .contains("= help: delete the row, or tag it `[inventory-only]` with a reference"),
        "{outcome}"
    );
}

#[test]
fn bare_inventory_only_tags_duplicates_and_blind_candidates_are_red() {
    let project = project();
    let inventory = INVENTORY
        .replace("[inventory-only] #45 the sink", "[inventory-only] the sink")
        .replace(
            "| merge/executor.py:10 | Runner.go | `subprocess . run ( cmd , shell = True )` | reviewed |\n",
            "| merge/executor.py:10 | Runner.go | `subprocess . run ( cmd , shell = True )` | reviewed |\n| merge/executor.py:10 | Runner.go | subprocess . run ( cmd , shell = True ) | again |\n",
        );
    project.file("docs/inventory.md", &inventory);
    let config = read(&project, "stablegate.toml").replace(
        "known_candidates = [\"src/pkg/merge/executor.py\"]",
        "known_candidates = [\"src/pkg/merge/executor.py\", \"src/pkg/status\"]",
    );
    project
        .file("stablegate.toml", config)
        .file("src/pkg/status/store.py", "x = 1\n");
    let outcome = project.run(&["--format", "json", "audit", "sinks"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let verdicts: Vec<(&str, &str)> = (value["gates"][0]["items"].as_array().unwrap().iter())
        .map(|i| (i["verdict"].as_str().unwrap(), i["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("duplicate", "docs/inventory.md"),
            ("unreferenced", "docs/inventory.md"),
            ("ok", "src/pkg/merge/executor.py"),
            ("ok", "src/pkg/merge/executor.py"),
            ("missing_candidate", "src/pkg/status"),
        ]
    );
}

#[test]
fn refresh_rewrites_only_the_locator_digits() {
    let project = project();
    project.file(
        "src/pkg/merge/executor.py",
        EXECUTOR.replace("def run(cmd):", "\n\ndef run(cmd):"),
    );
    let outcome = project.run(&["refresh", "sinks", "second"]);
    assert_outcome(
        &outcome,
        "exit: 0
--- stdout
docs/inventory.md: table `Sink table` (audit `sinks`): moved 2 locators, 0 already current, 1 left as written
  docs/inventory.md:9: line 5 -> 7
  docs/inventory.md:10: line 10 -> 12
docs/inventory.md: table `Second table` (audit `second`): moved 1 locator, 0 already current, 0 left as written
  docs/inventory.md:17: line 11 -> 13
--- stderr
",
    );
    let expected = INVENTORY
        .replace("| merge/executor.py:5 |", "| merge/executor.py:7 |")
        .replace("| merge/executor.py:10 |", "| merge/executor.py:12 |")
        .replace("`merge/executor.py:11`", "`merge/executor.py:13`");
    assert_eq!(read(&project, "docs/inventory.md"), expected);
    assert_eq!(project.run(&["audit"]).code, Some(0));
}

#[test]
fn refresh_in_ci_without_write_changes_nothing() {
    let project = project();
    project.file(
        "src/pkg/merge/executor.py",
        EXECUTOR.replace("def run(cmd):", "\n\ndef run(cmd):"),
    );
    let mut command = crate::support::command(project.path(), &["refresh", "sinks"]);
    let outcome = crate::support::Outcome::from(command.env("CI", "true").output().unwrap());
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome
            .stderr
            .contains("docs/inventory.md: not written: CI is set"),
        "{outcome}"
    );
    assert_eq!(read(&project, "docs/inventory.md"), INVENTORY);
}

/// Runs `args` on the project with `inventory` in place: exit 2, the
/// message, and no file changed.
fn bad(inventory: &str, args: &[&str], message: &str) {
    let project = project();
    project.file("docs/inventory.md", inventory);
    project.file(
        "src/pkg/merge/executor.py",
        EXECUTOR.replace("def run(cmd):", "\n\ndef run(cmd):"),
    );
    let outcome = project.run(args);
    assert_outcome(
        &outcome,
        &format!("exit: 2\n--- stdout\n--- stderr\nerror: {message}\n"),
    );
    assert_eq!(read(&project, "docs/inventory.md"), inventory);
}

#[test]
fn an_inventory_without_a_table_is_bad_input() {
    bad(
        "# Sink table\n\nNo table here.\n",
        &["audit", "sinks"],
        "audit `sinks`: docs/inventory.md: has no Markdown table",
    );
    bad(
        &INVENTORY.replace("## Sink table", "## Sinks"),
        &["refresh"],
        "audit `sinks`: docs/inventory.md: has no table under a heading `Sink table` (headings above tables: `Sinks`, `Second table`)",
    );
}

#[test]
fn an_inventory_that_is_not_utf8_is_bad_input() {
    let project = project();
    project.file("docs/inventory.md", b"# Sink table\n\n| a \xff |\n");
    assert_outcome(
        &project.run(&["audit"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: audit `sinks`: docs/inventory.md:3: is not valid UTF-8\n",
    );
}

#[test]
fn a_table_missing_a_mapped_column_is_bad_input() {
    bad(
        &INVENTORY.replace("| file:line | qualname | token | rationale |", "| file:line | function | token | rationale |"),
        &["check", "sinks"],
        "audit `sinks`: docs/inventory.md:7: the table has no column `qualname` (mapped as `columns.qualname`; its columns: `file:line`, `function`, `token`, `rationale`)",
    );
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_bad_input() {
    bad(
        &INVENTORY.replace("| reviewed |", "| reviewed | extra |"),
        &["refresh", "sinks"],
        "audit `sinks`: docs/inventory.md:10: the row has 5 cells, the table's header has 4",
    );
}

#[test]
fn a_locator_that_is_not_path_line_is_bad_input() {
    bad(
        &INVENTORY.replace("| merge/executor.py:10 |", "| merge/executor.py line 10 |"),
        &["audit"],
        "audit `sinks`: docs/inventory.md:10: the locator `merge/executor.py line 10` is not `path:line`",
    );
}

#[test]
fn a_locator_leaving_the_root_is_bad_input() {
    bad(
        &INVENTORY.replace("| merge/executor.py:10 |", "| ../../etc/passwd:10 |"),
        &["audit"],
        "audit `sinks`: docs/inventory.md:10: the locator's path `src/pkg/../../etc/passwd` is not a root-relative path inside the project (no `..`, no leading `/`, `/` separators)",
    );
}

#[test]
fn an_audit_naming_no_gate_is_a_configuration_error() {
    let project = project();
    let config = read(&project, "stablegate.toml").replace(
        "gate = \"shell\"\npath_prefix = \"src/pkg/\"",
        "gate = \"shel\"\npath_prefix = \"src/pkg/\"",
    );
    project.file("stablegate.toml", config);
    assert_outcome(
        &project.run(&["audit"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:15:8: `audit[0].gate`: no [[gate]] named `shel` (gates: shell, output)\n",
    );
}

/// `check` with a gate and an audit of it runs the gate once: the audit
/// takes the findings of the gate's own run, and says what `audit` says.
#[test]
fn check_runs_an_audited_gate_once() {
    let project = project();
    // The `shell` gate's findings come from a detector that logs its runs.
    let config = CONFIG.replace(
        "pattern = \"subprocess.run($$$A, shell=True)\"",
        "command = \"python3 detect.py\"",
    );
    project.file("stablegate.toml", config).file(
        "detect.py",
        "import json\n\
             with open('runs.log', 'a') as log:\n    log.write('run\\n')\n\
             for line in (5, 10):\n    \
             print(json.dumps({'file': 'src/pkg/merge/executor.py', 'line': line}))\n",
    );
    let checked = project.run(&["--format", "json", "check"]);
    assert_eq!(checked.code, Some(1), "{checked}");
    assert_eq!(
        read(&project, "runs.log"),
        "run\n",
        "the gate ran more than once"
    );
    let audited = project.run(&["--format", "json", "audit"]);
    assert_eq!(audited.code, Some(0), "{audited}");
    let gates = |stdout: &str| -> Vec<serde_json::Value> {
        let value: serde_json::Value = serde_json::from_str(stdout).unwrap();
        value["gates"].as_array().unwrap().clone()
    };
    let (in_check, alone) = (gates(&checked.stdout), gates(&audited.stdout));
    let kinds: Vec<&str> = in_check
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["code", "code", "audit", "audit"], "{checked}");
    assert_eq!(in_check[2..], alone[..]);
}

#[test]
fn an_inventory_with_classic_mac_line_endings_reads_and_refreshes_like_lf() {
    let project = project();
    project.file("docs/inventory.md", INVENTORY.replace('\n', "\r"));
    let lf = crate::audit::project().run(&["audit"]);
    let cr = project.run(&["audit"]);
    assert_eq!(cr.code, Some(0), "{cr}");
    assert_eq!(cr.stdout, lf.stdout, "same rows, same lines");
    project.file(
        "src/pkg/merge/executor.py",
        EXECUTOR.replace("def run(cmd):", "\n\ndef run(cmd):"),
    );
    let refreshed = project.run(&["refresh", "sinks", "second"]);
    assert_eq!(refreshed.code, Some(0), "{refreshed}");
    assert!(
        refreshed
            .stdout
            .contains("docs/inventory.md:17: line 11 -> 13"),
        "{refreshed}"
    );
    let expected = INVENTORY
        .replace("| merge/executor.py:5 |", "| merge/executor.py:7 |")
        .replace("| merge/executor.py:10 |", "| merge/executor.py:12 |")
        .replace("`merge/executor.py:11`", "`merge/executor.py:13`")
        .replace('\n', "\r");
    assert_eq!(read(&project, "docs/inventory.md"), expected, "CR kept");
    assert_eq!(project.run(&["audit"]).code, Some(0));
}
