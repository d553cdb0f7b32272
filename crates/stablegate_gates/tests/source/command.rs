//! `command` gates: detectors printing JSON Lines or SARIF, and detectors
//! that fail or print something else.

use stablegate_gates::source::{self, SourceError};

use crate::support::{located, unreadable, Project};

fn project() -> Project {
    let project = Project::new();
    project
        .file("src/a.py", "import os\nx = os.system(cmd)\n")
        .file("src/b.py", "y = 1\n")
        .file("lib/c.py", "z = 2\n");
    project
}

#[test]
fn json_lines_findings_are_read_whatever_the_exit_status_0_or_1() {
    let project = project();
    let lines = r#"{"file": "src/b.py", "line": 1, "rule": "R2", "message": "m"}

{"file": "./src/a.py", "line": 2, "column": 5, "extra": [1]}
{"file": "lib/c.py", "line": 1}"#;
    project.file("detect.sh", format!("cat <<'EOF'\n{lines}\nEOF\nexit 1\n"));
    let collected = project
        .collect("command = \"sh detect.sh\"\npaths = [\"src\"]")
        .unwrap();
    assert_eq!(located(&collected), ["src/a.py:2:5 g", "src/b.py:1:0 R2"]);
    let a = &collected.findings[0];
    assert_eq!((a.offset, a.message.clone()), (14, None));
    assert_eq!(collected.findings[1].message.as_deref(), Some("m"));
    assert_eq!(collected.scanned_files, 2);
}

#[test]
fn absolute_paths_are_made_root_relative_and_outsiders_skipped_with_a_reason() {
    let project = project();
    let root = project.path().canonicalize().unwrap();
    let detector = format!(
        "echo '{{\"file\": \"{}/src/a.py\", \"line\": 1}}'\necho '{{\"file\": \"/etc/hosts\", \"line\": 1}}'\necho '{{\"file\": \"src/b.py\", \"line\": 9}}'\n",
        root.display()
    );
    project.file("detect.sh", detector);
    let collected = project.collect("command = \"sh detect.sh\"").unwrap();
    assert_eq!(located(&collected), ["src/a.py:1:0 g"]);
    let skipped: Vec<String> = collected
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.at, s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            "`sh detect.sh` output line 2: file `/etc/hosts` is outside the project root",
            "`sh detect.sh` output line 3: line 9 is past the end of src/b.py (1 lines): the report may be stale",
        ]
    );
}

#[test]
fn a_reported_file_that_is_missing_or_not_utf8_is_unreadable() {
    let project = project();
    project.file("src/latin1.py", b"s = '\xe9'\n");
    project.file(
        "detect.sh",
        "echo '{\"file\": \"src/latin1.py\", \"line\": 1}'\necho '{\"file\": \"src/gone.py\", \"line\": 1}'\n",
    );
    let collected = project.collect("command = \"sh detect.sh\"").unwrap();
    assert!(collected.findings.is_empty());
    let problems = unreadable(&collected);
    assert_eq!(problems.len(), 2);
    assert!(
        problems[0].starts_with("src/gone.py:0 cannot be read:"),
        "{problems:?}"
    );
    assert_eq!(
        problems[1],
        "src/latin1.py:1 is not valid UTF-8; 1 reported finding(s) there cannot be keyed"
    );
}

#[test]
fn sarif_on_stdout_is_detected() {
    let project = project();
    let sarif = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "d"}},
      "results": [{"ruleId": "S1", "message": {"text": "shell"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.py"},
          "region": {"startLine": 2, "startColumn": 5}}}]}]}]}"#;
    project.file("out.sarif", sarif);
    let collected = project.collect("command = \"cat out.sarif\"").unwrap();
    assert_eq!(located(&collected), ["src/a.py:2:5 S1"]);
    assert_eq!(collected.findings[0].message.as_deref(), Some("shell"));
}

#[test]
fn a_line_that_is_not_a_finding_is_an_error_naming_it() {
    let project = project();
    project.file(
        "detect.sh",
        "echo '{\"file\": \"src/a.py\", \"line\": 1}'\necho 'src/a.py:2: warning'\n",
    );
    let err = project.collect("command = \"sh detect.sh\"").unwrap_err();
    assert!(matches!(err, SourceError::Output { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with("command `sh detect.sh`: output line 2: is not JSON"),
        "{text}"
    );
    assert!(text.ends_with("`src/a.py:2: warning`"), "{text}");
}

#[test]
fn a_record_without_a_line_is_an_error() {
    let project = project();
    project.file("detect.sh", "echo '{\"file\": \"src/a.py\"}'\n");
    let err = project
        .collect("command = \"sh detect.sh\"")
        .unwrap_err()
        .to_string();
    assert_eq!(err, "command `sh detect.sh`: output line 1: has no `line`");
}

#[test]
fn a_failing_detector_is_an_error_with_its_stderr() {
    let project = project();
    project.file(
        "detect.sh",
        "echo '{\"file\": \"src/a.py\", \"line\": 1}'\necho 'Traceback: boom' >&2\nexit 2\n",
    );
    let err = project
        .collect("command = \"sh detect.sh\"")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "command `sh detect.sh`: failed (exit status 2); stderr:\nTraceback: boom"
    );
}

#[test]
fn exit_1_without_findings_on_stdout_is_an_error() {
    let project = project();
    let err = project
        .collect("command = \"echo oops >&2; exit 1\"")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "command `echo oops >&2; exit 1`: exited with status 1 and printed no findings; stderr:\noops"
    );
}

#[test]
fn a_detector_that_finds_nothing_gives_no_findings() {
    let project = project();
    let collected = project.collect("command = \"true\"").unwrap();
    assert!(collected.findings.is_empty() && collected.skipped.is_empty());
}

#[test]
fn the_detector_runs_in_the_root_with_stdin_closed() {
    let project = project();
    project.file(
        "detect.sh",
        "cat\nfor f in src/*.py; do echo \"{\\\"file\\\": \\\"$f\\\", \\\"line\\\": 1}\"; done\n",
    );
    let collected = project.collect("command = \"sh detect.sh\"").unwrap();
    assert_eq!(located(&collected), ["src/a.py:1:0 g", "src/b.py:1:0 g"]);
}

#[test]
fn the_fuzzing_entry_point_collects_what_the_command_gate_does() {
    let project = project();
    let lines = "{\"file\": \"src/b.py\", \"line\": 1, \"rule\": \"R2\"}\n{\"file\": \"src/a.py\", \"line\": 2, \"column\": 5}\n{\"file\": \"src/a.py\", \"line\": 1}\n{\"file\": \"src/gone.py\", \"line\": 1}\n{\"file\": \"/etc/hosts\", \"line\": 1}\n";
    project.file("out.jsonl", lines);
    let table = "command = \"cat out.jsonl\"";
    let collected = project.collect(table).unwrap();
    let root = project.path().canonicalize().unwrap();
    let gate = project.gate(table);
    let from_bytes =
        source::fuzzing::command_output(&root, &gate, "cat out.jsonl", lines.as_bytes()).unwrap();
    assert_eq!(from_bytes, collected);
    assert_eq!(
        located(&from_bytes),
        ["src/a.py:1:0 g", "src/a.py:2:5 g", "src/b.py:1:0 R2"]
    );
}
