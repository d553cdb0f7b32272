//! `stablegate init`: a starter configuration that loads, passes `check` on
//! a fresh tree, fails it on a debugger call, and never overwrites.

use std::fs;

use crate::support::{assert_outcome, command, Project};

fn read(project: &Project, path: &str) -> String {
    fs::read_to_string(project.path().join(path)).expect("read a file")
}

const WROTE: &str = "wrote stablegate.toml: gate `no_debugger` is active; every other kind of \
                     table is a commented example\nnext: stablegate check\n";

#[test]
fn init_on_an_empty_tree_writes_stablegate_toml_and_check_is_green() {
    let project = Project::new();
    let outcome = project.run(&["init"]);
    assert_outcome(
        &outcome,
        &format!("exit: 0\n--- stdout\n{WROTE}--- stderr\n"),
    );
    let text = read(&project, "stablegate.toml");
    assert!(text.starts_with("# stablegate's configuration, written by `stablegate init`."));
    for kind in [
        "# [[gate]]",
        "# [[audit]]",
        "# [[marker]]",
        "# [[fresh]]",
        "# [[scope]]",
    ] {
        assert!(text.contains(kind), "{kind}");
    }
    assert!(text.contains("# [release.smoke]"));
    // One Python file for the starter gate to scan (over none, it would
    // warn that it scanned nothing).
    project.file("app.py", "x = 1\n");
    assert_outcome(
        &project.run(&["check"]),
        "exit: 0\n--- stdout\ngate no_debugger: pass (0 items, 0 ok)\n\n\
         pass: 1 of 1 gate passed\n--- stderr\n",
    );
}

#[test]
fn the_active_gate_fails_on_a_debugger_call_in_src() {
    let project = Project::new();
    project
        .file("src/app/__init__.py", "")
        .file("tests/test_a.py", "def test_a():\n    assert True\n")
        .file("tools/debug.py", "breakpoint()\n");
    assert_eq!(project.run(&["init"]).code, Some(0));
    let text = read(&project, "stablegate.toml");
    assert!(text.contains("\npaths = [\"src\", \"tests\"]\n"), "{text}");
    // tools/ is outside the gate's paths.
    assert_eq!(project.run(&["check"]).code, Some(0));
    project.file(
        "src/app/main.py",
        "import pdb\n\n\ndef main():\n    pdb.set_trace()\n",
    );
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome
            .stdout
            .contains("src/app/main.py:5 (main): violation: remove the debugger call"),
        "{outcome}"
    );
}

#[test]
fn init_appends_to_pyproject_and_keeps_every_byte_of_it() {
    let project = Project::new();
    // No final newline, a BOM-less CRLF line, a comment: all kept as they are.
    let original = "[project]\r\nname = \"x\"  # the name\n\n[tool.ruff]\nline-length = 100";
    project.file("pyproject.toml", original);
    let outcome = project.run(&["init"]);
    assert_outcome(
        &outcome,
        "exit: 0\n--- stdout\nadded [tool.stablegate] to pyproject.toml: gate `no_debugger` \
         is active; every other kind of table is a commented example\nnext: stablegate check\n\
         --- stderr\n",
    );
    let text = read(&project, "pyproject.toml");
    let added = text
        .strip_prefix(original)
        .expect("the original text is a prefix");
    assert!(
        added.starts_with("\n\n# stablegate's configuration, added by `stablegate init`."),
        "{added}"
    );
    assert!(added.contains("\n[[tool.stablegate.gate]]\nname = \"no_debugger\"\n"));
    assert!(added.contains("\n# [tool.stablegate.release.smoke]\n"));
    assert!(!project.path().join("stablegate.toml").exists());
    assert_eq!(project.run(&["check"]).code, Some(0));
}

#[test]
fn init_never_overwrites_a_configuration() {
    let project = Project::new();
    project.file("stablegate.toml", "# mine\n");
    assert_outcome(
        &project.run(&["init"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml: not written: the file \
         exists, and `init` never overwrites a configuration\n",
    );
    assert_eq!(read(&project, "stablegate.toml"), "# mine\n");

    let project = Project::new();
    let pyproject = "[project]\nname = \"x\"\n\n[tool.stablegate]\n";
    project.file("pyproject.toml", pyproject);
    assert_outcome(
        &project.run(&["init"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: pyproject.toml: not written: it already has \
         [tool.stablegate], and `init` never overwrites a configuration\n",
    );
    assert_eq!(read(&project, "pyproject.toml"), pyproject);
    let dotted = "tool.stablegate.gate = []\n";
    project.file("pyproject.toml", dotted);
    assert_eq!(project.run(&["init"]).code, Some(2));
    assert_eq!(read(&project, "pyproject.toml"), dotted);
}

#[test]
fn a_pyproject_init_cannot_extend_is_refused_with_its_place() {
    let project = Project::new();
    project.file("pyproject.toml", "[project\nname = 1\n");
    assert_outcome(
        &project.run(&["init"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: pyproject.toml:1:9: invalid TOML: invalid \
         table header; expected `.`, `]`\n",
    );
    let inline = "tool = { ruff = { line-length = 1 } }\n";
    project.file("pyproject.toml", inline);
    let outcome = project.run(&["init"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.starts_with(
            "error: pyproject.toml: not written: the starter configuration would not load there: pyproject.toml:"
        ),
        "{outcome}"
    );
    assert_eq!(read(&project, "pyproject.toml"), inline);
    assert!(!project.path().join("stablegate.toml").exists());
}

#[test]
fn init_refuses_in_ci_without_write_and_refuses_config() {
    let project = Project::new();
    let outcome = command(project.path(), &["init"])
        .env("CI", "true")
        .output()
        .expect("run stablegate");
    assert_eq!(outcome.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&outcome.stderr),
        "error: stablegate.toml: not written: CI is set, and `init` writes a configuration in \
         CI only with --write\n"
    );
    assert!(!project.path().join("stablegate.toml").exists());
    let outcome = command(project.path(), &["init", "--write"])
        .env("CI", "true")
        .output()
        .expect("run stablegate");
    assert_eq!(outcome.status.code(), Some(0));
    assert!(project.path().join("stablegate.toml").exists());

    let project = Project::new();
    let outcome = project.run(&["--config", "ci/gates.toml", "init"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.contains("`init` takes no --config"),
        "{outcome}"
    );
    assert!(!project.path().join("ci").exists());
}

#[test]
fn the_starter_configuration_validates_against_the_schema() {
    let project = Project::new();
    assert_eq!(project.run(&["init"]).code, Some(0));
    let schema = project.run(&["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&schema.stdout).expect("JSON");
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    let text = read(&project, "stablegate.toml");
    // The file as written, and with every example uncommented.
    let uncommented: String = text
        .lines()
        .map(|line| line.strip_prefix("# ").unwrap_or(line))
        .filter(|line| line.starts_with('[') || line.contains(" = "))
        .map(|line| format!("{line}\n"))
        .collect();
    for text in [text.as_str(), uncommented.as_str()] {
        let instance: serde_json::Value = toml_edit::de::from_str(text).expect("TOML");
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{text}");
    }
    assert!(
        uncommented.matches("[[gate]]").count() == 4,
        "{uncommented}"
    );
}
