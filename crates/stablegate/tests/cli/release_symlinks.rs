//! Paths of a release configuration that lead outside the root through a
//! symlink (SPEC §12.6): an `evidence_dir` (or a directory on its path) and
//! a report `template` are refused with exit 2, naming the configuration
//! key; nothing is written on either side of the link and no command runs.
//! A symlink that stays inside the root is followed as before.

use std::os::unix::fs::symlink;

use crate::release_fixture::{project, unseal, ECHO};
use crate::support::assert_outcome;

const CONFIG: &str = r#"[release.rel]
evidence_dir = "EVIDENCE"
tag = "v1"

[release.rel.versions]
app = { command = "touch version-ran; echo 1" }

[[release.rel.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "smoke", runs = 1, evidence = "single" }

[[release.rel.stage]]
name = "comment"
reaches = "COMMENTED"
report = { template = "TEMPLATE", output = "r.md" }

[release.rel.suite.smoke]
scenario = [{ id = 1, name = "first", command = "sh s1.sh" }]
"#;

fn config(evidence_dir: &str, template: &str) -> String {
    CONFIG
        .replace("EVIDENCE", evidence_dir)
        .replace("TEMPLATE", template)
}

/// Files in `dir` (the outside directory), recursively.
fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|entry| {
                if entry.path().is_dir() {
                    1 + count_files(&entry.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

#[test]
fn an_evidence_dir_through_a_symlink_leading_outside_is_refused() {
    for (evidence_dir, link, shown) in [
        ("evidence", "evidence", "evidence"),
        ("out/evidence", "out", "out"),
    ] {
        let project = project(&config(evidence_dir, "t.md"), ECHO, ECHO);
        project.file("t.md", "{{ verdict }}\n");
        let outside = project.path().join("../outside");
        std::fs::create_dir_all(&outside).unwrap();
        symlink(&outside, project.path().join(link)).unwrap();
        let message = format!("error: stablegate.toml:1:10: `release.rel.evidence_dir`: `{evidence_dir}` leads outside the project root through the symlink `{shown}`\n");
        for args in [
            &["release", "run", "rel"][..],
            &["release", "resume", "rel"],
            &["release", "status", "rel"],
        ] {
            assert_outcome(
                &project.run(args),
                &format!("exit: 2\n--- stdout\n--- stderr\n{message}"),
            );
        }
        assert_eq!(count_files(&outside), 0, "{evidence_dir}: written outside");
        assert!(
            !project.path().join("version-ran").exists(),
            "a command ran"
        );
    }
}

#[test]
fn a_template_through_a_symlink_leading_outside_is_refused() {
    let project = project(&config("evidence", "templates/t.md"), ECHO, ECHO);
    let outside = project.path().join("../outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("t.md"), "{{ verdict }}\n").unwrap();
    std::fs::create_dir_all(project.path().join("templates")).unwrap();
    symlink(outside.join("t.md"), project.path().join("templates/t.md")).unwrap();
    assert_outcome(
        &project.run(&["release", "run", "rel"]),
        "exit: 2\n--- stdout\n--- stderr\nerror: stablegate.toml:1:10: `release.rel.stage[1].report.template`: `templates/t.md` leads outside the project root through the symlink `templates/t.md`\n",
    );
    assert!(!project.path().join("evidence").exists());
    assert!(!project.path().join("version-ran").exists());
}

#[test]
fn symlinks_that_stay_inside_the_root_are_followed() {
    let project = project(&config("evidence", "t.md"), ECHO, ECHO);
    project
        .file("real/t.md", "verdict {{ verdict }}\n")
        .dir("real/evidence");
    symlink("real/evidence", project.path().join("evidence")).unwrap();
    symlink("real/t.md", project.path().join("t.md")).unwrap();
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let report = project
        .path()
        .join("real/evidence/v1-attempt1/reports/r.md");
    assert_eq!(std::fs::read_to_string(report).unwrap(), "verdict running");
    unseal(&project.path().join("real"));
}
