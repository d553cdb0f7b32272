//! The fail-closed rules of SPEC §12.6 that `check` and its siblings keep,
//! through the real binary: what cannot be placed or trusted fails the gate
//! or the run (exit 1 or 2), never passes it.

use std::collections::BTreeMap;

use crate::check_fixture::{check_json, items, run, tree, verdict_counts};
use crate::support::{assert_outcome, Project};

/// A SARIF 2.1.0 log with one result.
fn sarif(result: &str) -> String {
    format!(
        "{{\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"t\"}}}},\
         \"results\":[{result}]}}]}}\n"
    )
}

/// A result of rule `r` at `uri`, line `line`.
fn located(uri: &str, line: usize) -> String {
    format!(
        "{{\"ruleId\":\"r\",\"message\":{{\"text\":\"m\"}},\"locations\":[{{\"physicalLocation\":\
         {{\"artifactLocation\":{{\"uri\":\"{uri}\"}},\"region\":{{\"startLine\":{line}}}}}}}]}}"
    )
}

const SARIF_GATE: &str = "[[gate]]\nname = \"g\"\nsarif = \"reports/x.sarif\"\n";

/// One report per way a finding can be unplaceable: outside the root, an
/// absolute URI of another checkout, a line past the end of the file, no
/// location at all.
fn unplaceable() -> Vec<(&'static str, String)> {
    vec![
        ("outside the root", sarif(&located("../outside.py", 1))),
        (
            "another checkout",
            sarif(&located("file:///home/runner/work/other/other/src/a.py", 1)),
        ),
        ("past the end", sarif(&located("src/a.py", 9))),
        (
            "no location",
            sarif("{\"ruleId\":\"r\",\"message\":{\"text\":\"m\"}}"),
        ),
    ]
}

fn sarif_project(config: &str) -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", config)
        .file("src/a.py", "x = 1\n")
        .file("../outside.py", "x = 1\n");
    project
}

#[test]
fn unplaceable_sarif_findings_are_parse_errors_that_fail_the_gate() {
    for config in [
        SARIF_GATE.to_owned(),
        format!("{SARIF_GATE}on_parse_error = \"fail\"\n"),
    ] {
        let project = sarif_project(&config);
        for (case, report) in unplaceable() {
            project.file("reports/x.sarif", &report);
            let (outcome, json) = check_json(&project);
            assert_eq!(outcome.code, Some(1), "{case}: {outcome}");
            assert_eq!(
                verdict_counts(&json),
                BTreeMap::from([("parse_error".to_owned(), 1)]),
                "{case}: {json}"
            );
            let item = &items(&json)[0];
            assert_eq!(item["verdict"], "parse_error", "{case}: {item}");
            let detail = item["detail"].as_str().unwrap_or_default();
            assert!(!detail.is_empty(), "{case}: the reason is named: {item}");
        }
    }
}

#[test]
fn on_parse_error_warn_downgrades_unplaceable_findings_to_warnings() {
    let project = sarif_project(&format!("{SARIF_GATE}on_parse_error = \"warn\"\n"));
    for (case, report) in unplaceable() {
        project.file("reports/x.sarif", &report);
        let (outcome, json) = check_json(&project);
        assert_eq!(outcome.code, Some(0), "{case}: {outcome}");
        assert_eq!(
            verdict_counts(&json),
            BTreeMap::from([("parse_warning".to_owned(), 1)]),
            "{case}: {json}"
        );
    }
}

#[test]
fn unplaceable_json_lines_findings_fail_the_gate() {
    let project = sarif_project("[[gate]]\nname = \"g\"\ncommand = \"cat reports/found.jsonl\"\n");
    let records = [
        (
            "outside the root",
            "{\"file\": \"../outside.py\", \"line\": 1}",
        ),
        (
            "another checkout",
            "{\"file\": \"/home/runner/work/other/other/src/a.py\", \"line\": 1}",
        ),
        ("past the end", "{\"file\": \"src/a.py\", \"line\": 9}"),
    ];
    for (case, record) in records {
        project.file("reports/found.jsonl", format!("{record}\n"));
        let (outcome, json) = check_json(&project);
        assert_eq!(outcome.code, Some(1), "{case}: {outcome}");
        assert_eq!(
            verdict_counts(&json),
            BTreeMap::from([("parse_error".to_owned(), 1)]),
            "{case}: {json}"
        );
    }
}

#[test]
fn an_empty_or_comment_only_configuration_is_refused() {
    let message = "has no [[gate]], [[audit]], [[marker]], [[fresh]], [[scope]] or \
                   [release.NAME] table: nothing would be checked";
    let cases = [
        ("stablegate.toml", ""),
        ("stablegate.toml", "\n\n"),
        (
            "stablegate.toml",
            "# the gates were here before a bad merge\n# [[gate]]\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"p\"\n\n[tool.stablegate]\n",
        ),
    ];
    for (name, text) in cases {
        let project = Project::new();
        project.file(name, text).file("src/a.py", "x = 1\n");
        let before = tree(project.path());
        for command in [&["check"][..], &["audit"], &["markers"]] {
            assert_outcome(
                &run(&project, command),
                &format!("exit: 2\n--- stdout\n--- stderr\nerror: {name}: {message}\n"),
            );
        }
        assert!(tree(project.path()) == before, "the run changed the tree");
    }
}

/// Runs stablegate in the project like [`run`], but kills it and fails the
/// test if it has not finished within 30 seconds (a FIFO read blocks).
#[track_caller]
fn run_bounded(project: &Project, args: &[&str]) -> crate::support::Outcome {
    let mut child = crate::support::command(project.path(), args)
        .env("STABLEGATE_TODAY", crate::check_fixture::TODAY)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run stablegate");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().expect("poll stablegate").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("stablegate {args:?} hung (killed after 30 s)");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    crate::support::Outcome::from(child.wait_with_output().expect("collect the output"))
}

/// Asserts exit 2, nothing on standard output, and a message on standard
/// error naming `file` and saying `problem`.
#[track_caller]
fn refused(outcome: &crate::support::Outcome, file: &str, problem: &str) {
    assert_eq!(
        (outcome.code, outcome.stdout.as_str()),
        (Some(2), ""),
        "{outcome}"
    );
    assert!(
        outcome.stderr.starts_with("error: ")
            && outcome.stderr.contains(file)
            && outcome.stderr.contains(problem),
        "expected a message naming {file} and saying {problem:?}:\n{outcome}"
    );
}

const JSON_GATE: &str = "[[gate]]\nname = \"g\"\npattern = \"json.load($F)\"\nlanguage = \"python\"\npaths = [\"src\"]\n";
const META_PY: &str = "import json\nx = json.load(f)\n";

/// Every kind of file a configuration names, each at `gates/<file>`: the
/// configuration, the file's name, and a valid body for it.
fn named_files() -> Vec<(String, &'static str, &'static str)> {
    vec![
        (
            format!("{JSON_GATE}allowlist = \"gates/allow.yaml\"\n"),
            "gates/allow.yaml",
            "g:\n- file: src/a.py\n  qualname: <module>\n  token: x = json . load ( f )\n  rationale: ok\n",
        ),
        (
            "[[gate]]\nname = \"g\"\nsarif = \"gates/x.sarif\"\n".to_owned(),
            "gates/x.sarif",
            "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[]}]}\n",
        ),
        (
            "[[gate]]\nname = \"g\"\nrule_file = \"gates/r.yml\"\npaths = [\"src\"]\n".to_owned(),
            "gates/r.yml",
            "id: r\nlanguage: python\nrule:\n  pattern: json.load($F)\n",
        ),
        (
            format!(
                "{JSON_GATE}\n[[audit]]\nname = \"rows\"\ngate = \"g\"\ninventory = \"gates/inv.md\"\n\
                 columns = {{ locator = \"file:line\", qualname = \"qualname\", token = \"token\" }}\n"
            ),
            "gates/inv.md",
            "| file:line | qualname | token |\n| --- | --- | --- |\n| src/a.py:2 | <module> | `x = json . load ( f )` |\n",
        ),
    ]
}

#[cfg(unix)]
#[test]
fn files_the_configuration_names_are_refused_through_a_symlink_leading_out() {
    for (config, file, body) in named_files() {
        let project = Project::new();
        project
            .file("stablegate.toml", &config)
            .file("src/a.py", META_PY)
            .file(&format!("../outside/{}", &file["gates/".len()..]), body);
        std::os::unix::fs::symlink("../outside", project.path().join("gates"))
            .expect("make a symlink");
        let before = tree(project.path());
        refused(
            &run_bounded(&project, &["check"]),
            file,
            "leads outside the project root through the symlink `gates`",
        );
        assert!(tree(project.path()) == before, "the run changed the tree");
        // The same file inside the root is used.
        fs_replace_link(&project, file, body);
        let outcome = run_bounded(&project, &["check"]);
        assert_ne!(outcome.code, Some(2), "{file} inside the root: {outcome}");
    }
}

/// Replaces the `gates` symlink by a real directory holding `file`.
fn fs_replace_link(project: &Project, file: &str, body: &str) {
    std::fs::remove_file(project.path().join("gates")).expect("remove the symlink");
    project.file(file, body);
}

/// Makes a FIFO at root-relative `path`.
#[cfg(unix)]
fn fifo(project: &Project, path: &str) {
    let full = project.path().join(path);
    std::fs::create_dir_all(full.parent().expect("a parent")).expect("create directories");
    let status = std::process::Command::new("mkfifo")
        .arg(&full)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {path}");
}

#[cfg(unix)]
#[test]
fn a_fifo_where_a_file_is_read_is_refused_without_hanging() {
    for (config, file, _) in named_files() {
        let project = Project::new();
        project
            .file("stablegate.toml", &config)
            .file("src/a.py", META_PY);
        fifo(&project, file);
        refused(
            &run_bounded(&project, &["check"]),
            file,
            "is a FIFO, not a regular file",
        );
    }
    let project = Project::new();
    project.file("src/a.py", META_PY);
    fifo(&project, "stablegate.toml");
    refused(
        &run_bounded(&project, &["check"]),
        "stablegate.toml",
        "is a FIFO, not a regular file",
    );
    refused(
        &run_bounded(&project, &["--config", "/dev/zero", "check"]),
        "/dev/zero",
        "is a character device, not a regular file",
    );
    fifo(&project, "src/pipe.py");
    refused(
        &run_bounded(&project, &["keys", "src/pipe.py"]),
        "src/pipe.py",
        "is a FIFO, not a regular file",
    );
}

#[test]
fn a_locator_with_a_leading_slash_is_refused_even_under_a_path_prefix() {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!(
                "{JSON_GATE}\n[[audit]]\nname = \"rows\"\ngate = \"g\"\ninventory = \"inv.md\"\n\
                 path_prefix = \"src/\"\n"
            ),
        )
        .file("src/a.py", META_PY)
        .file(
            "inv.md",
            "| file:line | qualname | token |\n| --- | --- | --- |\n| /a.py:2 | <module> | `x = json . load ( f )` |\n",
        );
    refused(&run_bounded(&project, &["audit"]), "inv.md:3", "/a.py");
    // Without the slash the same row is audited.
    project.file(
        "inv.md",
        "| file:line | qualname | token |\n| --- | --- | --- |\n| a.py:2 | <module> | `x = json . load ( f )` |\n",
    );
    let outcome = run_bounded(&project, &["audit"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
}

#[test]
fn an_allowlist_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte() {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!("{JSON_GATE}allowlist = \"gates/allow.yaml\"\n"),
        )
        .file("src/a.py", META_PY)
        .file(
            "gates/allow.yaml",
            b"g:\n- file: src/a.py\n  rationale: caf\xe9\n".as_slice(),
        );
    let before = tree(project.path());
    refused(
        &run_bounded(&project, &["check"]),
        "gates/allow.yaml:3",
        "is not valid UTF-8",
    );
    assert!(tree(project.path()) == before, "the run changed the tree");
}
