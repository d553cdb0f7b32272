//! Values put into shell commands stay values (SPEC §12.6): a version, a
//! tag, a report's path or a generator's output path is one word of the
//! command, whatever it holds. Every payload would create `PWNED` if it ran
//! as shell syntax; each must arrive intact, as one argument, in every
//! place a placeholder is replaced: `check` commands (unquoted, in double
//! quotes, in single quotes), a scenario's command, an `on_fail` hook and a
//! report's `post` (with `{output}`), and a `[[fresh]]` generator's `{out}`.
//! (A newline cannot reach a command this way: a version must be one line
//! and a tag refuses it, as every shell metacharacter.)

use std::fs;

use crate::release_fixture::unseal;
use crate::support::{assert_outcome, Project};

const PAYLOADS: [&str; 15] = [
    "1.0$(touch PWNED)",
    "1.0`touch PWNED`",
    "1.0;touch PWNED",
    "1.0&&touch PWNED",
    "1.0|touch PWNED",
    "1.0 && touch PWNED",
    "1.0'$(touch PWNED)'",
    "1.0\"$(touch PWNED)\"",
    "1.0\\$(touch PWNED)",
    "'; touch PWNED; '",
    "\"; touch PWNED; \"",
    "*",
    "$HOME",
    "-n",
    "1.0>PWNED",
];

const CONFIG: &str = r#"[release.rel]
evidence_dir = "evidence"
tag = "fixed"

[release.rel.versions]
app = { command = "cat VERSION" }

[[release.rel.stage]]
name = "check"
reaches = "CHECKED"
check = [
  "sh record.sh check {versions.app}",
  "test \"{versions.app}\" = \"$(cat VERSION)\"",
  "test '{versions.app}' = \"$(cat VERSION)\"",
  "test \"$(printf '%s' {versions.app})\" = \"$(cat VERSION)\"",
]

[[release.rel.stage]]
name = "one"
reaches = "ONE"
canary = { suite = "s", runs = 1 }
on_fail = [{ run = "sh record.sh on_fail {versions.app}" }]

[[release.rel.stage]]
name = "comment"
reaches = "COMMENTED"
report = { template = "t.md", output = "r.md", post = "sh record.sh post {versions.app} {output}" }

[release.rel.suite.s]
scenario = [{ id = 1, name = "a", command = "sh record.sh scenario {versions.app}; exit 1" }]
"#;

/// Records how many arguments it got and each of them, under `got/<where>`.
const RECORD: &str = "where=$1\nshift\nmkdir -p got\nprintf '%s' \"$#\" > \"got/$where.count\"\nprintf '%s' \"$1\" > \"got/$where.1\"\n[ $# -lt 2 ] || printf '%s' \"$2\" > \"got/$where.2\"\n";

#[test]
fn no_payload_in_a_version_runs_and_each_arrives_as_one_argument() {
    for payload in PAYLOADS {
        let project = Project::new();
        project
            .file("stablegate.toml", CONFIG)
            .file("record.sh", RECORD)
            .file("t.md", "stopped: {{ stopped }}\n")
            .file("VERSION", format!("{payload}\n"));
        let outcome = project.run(&["release", "run", "rel"]);
        let got = |name: &str| {
            fs::read_to_string(project.path().join("got").join(name))
                .unwrap_or_else(|err| panic!("{payload:?}: got/{name}: {err}\n{outcome}"))
        };
        assert!(
            !project.path().join("PWNED").exists(),
            "{payload:?} ran as shell syntax\n{outcome}"
        );
        assert_eq!(outcome.code, Some(1), "{payload:?}\n{outcome}");
        assert!(
            outcome
                .stderr
                .contains("STOPPED at stage `one`: run 1 of 1 failed: scenario 1 (a) failed"),
            "{payload:?}: every check passed, so the values compared equal\n{outcome}"
        );
        for place in ["check", "scenario", "on_fail"] {
            assert_eq!(got(&format!("{place}.count")), "1", "{payload:?} {place}");
            assert_eq!(got(&format!("{place}.1")), payload, "{payload:?} {place}");
        }
        assert_eq!(got("post.count"), "2", "{payload:?}");
        assert_eq!(got("post.1"), payload, "{payload:?}");
        let report = project
            .path()
            .join("evidence/fixed-attempt1/reports/r.md")
            .canonicalize()
            .unwrap();
        assert_eq!(got("post.2"), report.display().to_string());
        unseal(&project.path().join("evidence"));
    }
}

#[test]
fn a_tag_holding_shell_syntax_is_refused_before_anything_runs() {
    let project = Project::new();
    project
        .file("stablegate.toml", CONFIG)
        .file("record.sh", RECORD)
        .file("t.md", "x\n")
        .file("VERSION", "1.0\n");
    for tag in ["x;touch PWNED", "$(touch PWNED)", "a b", "-rf"] {
        let outcome = project.run(&["release", "run", "rel", &format!("--tag={tag}")]);
        assert_outcome(
            &outcome,
            &format!("exit: 2\n--- stdout\n--- stderr\nerror: release `rel`: tag `{tag}` cannot name an attempt directory: it must hold only ASCII letters, digits and `._+@-`, and not start with `.` or `-`\n"),
        );
    }
    assert!(!project.path().join("PWNED").exists());
    assert!(!project.path().join("evidence").exists());
    assert!(!project.path().join("got").exists());
}

#[test]
fn a_generator_out_path_holding_shell_syntax_stays_one_word() {
    let project = Project::new();
    let artifact = "docs/a$(touch PWNED);b'c.txt";
    project
        .file(
            "stablegate.toml",
            format!(
                "[[fresh]]\nname = \"graph\"\nartifact = {artifact:?}\ncommand = \"printf 'x\\\\n' > {{out}}\"\ntimeout = 5\n"
            ),
        )
        .file(artifact, "x\n");
    let outcome = project.run(&["check"]);
    assert_outcome(
        &outcome,
        "exit: 0\n--- stdout\nfresh graph: pass (0 items, 1 ok)\n\npass: 1 of 1 gate passed; 1 ok\n--- stderr\n",
    );
    assert!(!project.path().join("PWNED").exists());
}
