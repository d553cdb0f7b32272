//! `report` stages: Markdown rendered from a minijinja template over the
//! attempt, `post` run with `{output}`; a stop renders the report too,
//! naming the failing stage and reason; template mistakes are exit 2 with
//! nothing written.

use std::fs;

use crate::release_fixture::{json, project, ReleaseProject};

fn config(s1_fails_in_run: &str) -> String {
    format!(
        r#"[release.rel]
evidence_dir = "evidence"
tag = "v{{versions.app}}"

[release.rel.versions]
app = {{ command = "echo 3.1.0" }}

[[release.rel.probe]]
name = "rows"
command = "echo a; echo b"

[[release.rel.stage]]
name = "two-run"
reaches = "TWO_RUN_PASSED"
canary = {{ suite = "smoke", runs = 2, evidence = "runs" }}

[[release.rel.stage]]
name = "comment"
reaches = "GATE_CLOSED"
report = {{ template = "templates/gate.md", output = "gate.md", post = "cp {{output}} posted.md" }}

[release.rel.suite.smoke]
scenario = [
  {{ id = 1, name = "first", command = "test \"$STABLEGATE_RUN_NUMBER\" != {s1_fails_in_run}" }},
  {{ id = 4, name = "fourth", command = "true" }},
]
"#
    )
}

const TEMPLATE: &str = "\
# Release {{ release }} {{ tag }} (attempt {{ attempt }})

Verdict: **{{ verdict }}**, state {{ state }}; app {{ versions.app }}.
{% if stopped %}Stopped at `{{ stage }}`: {{ reason }}
{% endif %}
| run | outcome | passed | failed |
|---|---|---|---|
{% for run in runs %}| {{ run.file }} | {{ run.outcome }} | {{ run.passed }} | {{ run.failed }} |
{% endfor %}
Probes at start: {% for p in probes if p.checkpoint == \"start\" %}{% for probe in p.probes %}{{ probe.name }}={{ probe.lines }} lines{% endfor %}{% endfor %}
Evidence: {{ evidence }}
";

fn with_template(template: &str, fails_in: &str) -> ReleaseProject {
    let project = project(&config(fails_in), "", "");
    project.file("templates/gate.md", template);
    project
}

#[test]
fn a_report_stage_renders_the_attempt_and_posts_it() {
    let project = with_template(TEMPLATE, "9");
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let report = fs::read_to_string(
        project
            .path()
            .join("evidence/v3.1.0-attempt1/reports/gate.md"),
    )
    .unwrap();
    let attempt = project.path().join("evidence/v3.1.0-attempt1");
    let expected = format!(
        "# Release rel v3.1.0 (attempt 1)\n\nVerdict: **running**, state TWO_RUN_PASSED; app 3.1.0.\n\n| run | outcome | passed | failed |\n|---|---|---|---|\n| runs/run-1.json | pass | 2 | 0 |\n| runs/run-2.json | pass | 2 | 0 |\n\nProbes at start: rows=2 lines\nEvidence: {}",
        attempt.display()
    );
    assert_eq!(report, expected);
    assert_eq!(
        fs::read_to_string(project.path().join("posted.md")).unwrap(),
        report
    );
    assert_eq!(
        json(&project, "evidence/v3.1.0-attempt1/state.json")["state"],
        "COMPLETE"
    );
}

#[test]
fn a_stop_renders_the_report_naming_the_stage_and_reason() {
    let project = with_template(TEMPLATE, "2");
    let outcome = project.run(&["release", "run", "rel"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    let report = fs::read_to_string(
        project
            .path()
            .join("evidence/v3.1.0-attempt1/reports/gate.md"),
    )
    .unwrap();
    assert!(
        report.contains("Verdict: **fail**, state STOPPED"),
        "{report}"
    );
    assert!(
        report.contains(
            "Stopped at `two-run`: run 2 of 2 failed: scenario 1 (first) failed: exit_status\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("| runs/run-2.json | fail | 1 | 1 |"),
        "{report}"
    );
    assert!(
        project.path().join("posted.md").exists(),
        "post runs after a stop too"
    );
    let verify = project.run(&["evidence", "verify", "evidence/v3.1.0-attempt1"]);
    assert_eq!(verify.code, Some(0), "{verify}");
}

#[test]
fn a_template_with_a_syntax_error_or_an_unknown_variable_is_refused_before_anything_is_written() {
    for (template, message) in [
        (
            "ok\n{% for run in runs %}\n",
            "error: release `rel`: report template `templates/gate.md`: line 2: syntax error: unexpected end of input",
        ),
        (
            "{{ verdcit }}",
            "error: release `rel`: report template `templates/gate.md`: unknown variable verdcit (known: release,",
        ),
    ] {
        let project = with_template(template, "9");
        let outcome = project.run(&["release", "run", "rel"]);
        assert_eq!(outcome.code, Some(2), "{outcome}");
        assert!(outcome.stderr.starts_with(message), "{outcome}");
        assert!(!project.path().join("evidence/v3.1.0-attempt1").exists());
    }
}
