//! `--output FMT:PATH` through the binary:
//! every format written at once equals the same format on standard output,
//! and a file that cannot be written is exit 2 without stopping the others.

use std::fs;

use crate::check_fixture::{run, tree};
use crate::check_formats::{every_verdict, small_red, without_times};

const FORMATS: [(&str, &str); 6] = [
    ("human", "out/report.txt"),
    ("json", "out/report.json"),
    ("sarif", "out/report.sarif"),
    ("junit", "out/junit/report.xml"),
    ("github", "out/annotations.txt"),
    ("gitlab", "out/gl-code-quality.json"),
];

fn with_outputs<'a>(args: &mut Vec<&'a str>, specs: &'a [String]) {
    for spec in specs {
        args.push("--output");
        args.push(spec);
    }
}

#[test]
fn every_format_written_at_once_equals_the_same_format_on_standard_output() {
    let project = every_verdict();
    let specs: Vec<String> = FORMATS
        .iter()
        .map(|(format, path)| format!("{format}:../{path}"))
        .collect();
    let mut files_of_first_run = Vec::new();
    for (format, path) in FORMATS {
        let mut args = vec!["--format", format, "check"];
        with_outputs(&mut args, &specs);
        let outcome = run(&project, &args);
        assert_eq!(
            (outcome.code, outcome.stderr.as_str()),
            (Some(1), ""),
            "{format}: {outcome}"
        );
        assert!(!outcome.stdout.is_empty(), "{format}");
        let written = fs::read_to_string(project.path().join("..").join(path))
            .unwrap_or_else(|err| panic!("{path}: {err}"));
        // The same report, rendered twice: byte for byte, times included.
        assert_eq!(written, outcome.stdout, "{format}");
        if files_of_first_run.is_empty() {
            for (_, path) in FORMATS {
                let text = fs::read_to_string(project.path().join("..").join(path))
                    .expect("an output file");
                files_of_first_run.push(without_times(&text));
            }
        }
    }
    // Every run wrote every file, the same but for the times.
    for ((format, path), first) in FORMATS.iter().zip(&files_of_first_run) {
        let text = fs::read_to_string(project.path().join("..").join(path)).expect("a file");
        assert_eq!(&without_times(&text), first, "{format}");
    }
    // Nothing was written inside the project.
    assert!(
        !tree(project.path())
            .keys()
            .any(|file| file.starts_with("out")),
        "{:?}",
        tree(project.path()).keys().collect::<Vec<_>>()
    );
}

#[test]
fn quiet_prints_nothing_and_still_writes_the_outputs() {
    let project = small_red();
    let outcome = run(
        &project,
        &["--quiet", "check", "--output", "json:report.json"],
    );
    assert_eq!(
        (
            outcome.code,
            outcome.stdout.as_str(),
            outcome.stderr.as_str()
        ),
        (Some(1), "", "")
    );
    let json = fs::read_to_string(project.path().join("report.json")).expect("written");
    assert!(json.starts_with("{\"version\":1,"), "{json}");
}

#[test]
fn a_file_that_cannot_be_written_is_exit_2_and_the_others_are_written() {
    let project = small_red();
    project.file("blocker", "a file where a directory should be");
    let outcome = run(
        &project,
        &[
            "--format",
            "github",
            "check",
            "--output",
            "sarif:blocker/report.sarif",
            "--output",
            "json:ok/report.json",
        ],
    );
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome
            .stderr
            .starts_with("error: blocker/report.sarif: cannot be written: "),
        "{outcome}"
    );
    assert_eq!(outcome.stderr.lines().count(), 1, "{outcome}");
    // Standard output still has the report; the other file is whole.
    assert!(outcome.stdout.contains("stablegate FAIL:"), "{outcome}");
    let json = fs::read_to_string(project.path().join("ok/report.json")).expect("written");
    assert!(json.ends_with("}\n"));
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_refused_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    let project = small_red();
    project.file("report.json", "old");
    let path = project.path().join("report.json");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let outcome = run(&project, &["check", "--output", "json:report.json"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(outcome
        .stderr
        .contains("report.json: cannot be written: it is read-only"));
    assert_eq!(fs::read_to_string(&path).expect("kept"), "old");
}

#[test]
fn two_outputs_to_one_file_are_refused_before_any_gate_runs() {
    let project = small_red();
    let before = tree(project.path());
    let outcome = run(
        &project,
        &[
            "check",
            "--output",
            "json:a.json",
            "--output",
            "sarif:a.json",
        ],
    );
    assert_eq!(
        outcome.to_string(),
        "exit: 2\n--- stdout\n--- stderr\nerror: --output sarif:a.json: names a file another \
         --output names already: give each its own path\n"
    );
    assert_eq!(tree(project.path()), before);
}

#[test]
fn a_green_run_with_outputs_exits_zero() {
    let project = crate::check_fixture::shop();
    let outcome = run(&project, &["check", "--output", "junit:junit.xml"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let xml = fs::read_to_string(project.path().join("junit.xml")).expect("written");
    assert!(xml.contains("failures=\"0\""), "{xml}");
}
