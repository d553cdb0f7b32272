//! `theater` and `check --theater` (SPEC §7): a real gate passes every leg;
//! each kind of theater gate is caught by the leg meant for it; the working
//! tree is never written, even when the run is killed.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::check_fixture::{
    allowlist, parse_json, run, shop, tree, ALLOWLIST, LOADER_ENTRY, READ_META_ENTRY,
};
use crate::support::{assert_outcome, command, Project};

/// `(leg, verdict)` of the legs of the first theater gate, sorted.
fn legs(report: &Value) -> Vec<(String, String)> {
    let mut legs: Vec<(String, String)> = leg_objects(report)
        .iter()
        .map(|leg| {
            let text = |key: &str| leg[key].as_str().unwrap_or_default().to_owned();
            (text("leg"), text("verdict"))
        })
        .collect();
    legs.sort();
    legs
}

/// The `legs` array of the first theater gate, in its order.
fn leg_objects(report: &Value) -> &Vec<Value> {
    let gate = report["gates"]
        .as_array()
        .and_then(|gates| gates.iter().find(|gate| gate["kind"] == "theater"))
        .expect("a theater gate");
    gate["legs"].as_array().expect("legs")
}

/// The leg named `name` of the first theater gate.
fn leg<'a>(report: &'a Value, name: &str) -> &'a Value {
    (leg_objects(report).iter())
        .find(|leg| leg["leg"] == name)
        .unwrap_or_else(|| panic!("no leg {name} in {report}"))
}

fn expect(legs_and_verdicts: [(&str, &str); 3]) -> Vec<(String, String)> {
    let mut expected: Vec<(String, String)> = legs_and_verdicts
        .iter()
        .map(|(leg, verdict)| (leg.to_string(), verdict.to_string()))
        .collect();
    expected.sort();
    expected
}

fn theater_json(project: &Project, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--format", "json", "theater"];
    args.extend_from_slice(extra);
    let outcome = run(project, &args);
    (outcome.code.expect("an exit code"), parse_json(&outcome))
}

/// Every leg passes, and the project is byte-identical afterwards.
#[track_caller]
fn assert_proved_untouched(project: &Project) {
    let before = tree(project.path());
    let (code, report) = theater_json(project, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        legs(&report),
        expect([("content", "ok"), ("drift", "ok"), ("non_vacuity", "ok")])
    );
    assert_eq!(tree(project.path()), before);
}

#[test]
fn a_real_gate_passes_every_leg_and_the_tree_is_untouched() {
    let project = shop();
    assert_proved_untouched(&project);
}

#[test]
fn the_human_table_names_each_leg_and_what_was_mutated() {
    let project = shop();
    let outcome = run(&project, &["theater", "--max-sites", "1"]);
    assert_outcome(
        &outcome,
        "exit: 0
--- stdout
theater inline_load: pass
  drift        pass          1 file(s), 2 site line(s): a blank line and a comment line at the top and above each site, a space inside each site's line
  content      pass          1 entry edited in one run, first: renamed `f` to `f_stablegate_theater` on line 6
  non_vacuity  pass          lines 6-6 copied into a new function `__stablegate_theater__` at line 15

pass: 1 of 1 gate passed; 3 ok
--- stderr
",
    );
}

#[test]
fn check_theater_reports_the_checks_then_the_triad() {
    let project = shop();
    let outcome = run(&project, &["--format", "json", "check", "--theater"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let report = parse_json(&outcome);
    let kinds: Vec<&str> = (report["gates"].as_array().unwrap().iter())
        .map(|gate| gate["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["code", "theater"]);
}

#[test]
fn a_truncated_token_that_matches_any_edit_fails_the_content_leg() {
    let project = shop();
    let truncated = LOADER_ENTRY.replace("return json . load ( handle )", "return json . load (…");
    project.file(ALLOWLIST, allowlist(&[READ_META_ENTRY, &truncated]));
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        legs(&report),
        expect([
            ("content", "leg_failed"),
            ("drift", "ok"),
            ("non_vacuity", "ok")
        ])
    );
    // The legs are in `legs`; the items are the failed leg's evidence alone.
    let misses = report["gates"][0]["items"].as_array().unwrap();
    assert_eq!(misses.len(), 1, "{report}");
    assert_eq!(misses[0]["rule"], "content");
    assert_eq!(misses[0]["qualname"], "Loader.load");
    assert_eq!(misses[0]["verdict"], "leg_failed");
}

#[test]
fn a_rule_that_never_matches_fails_non_vacuity_on_its_own_sample() {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"never\"\npaths = [\"src\"]\npattern = \"json.loadz($F)\"\n\
             theater = { file = \"src/sample.py\", code = \"import json\\njson.load(x)\\n\" }\n",
        )
        .file("src/a.py", "import json\n");
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 1, "{report}");
    // No allowlist: drift and content cannot apply (SPEC §12.3).
    assert_eq!(
        legs(&report),
        expect([
            ("content", "n/a"),
            ("drift", "n/a"),
            ("non_vacuity", "leg_failed"),
        ])
    );
    assert!(!project.path().join("src/sample.py").exists());
}

#[test]
fn a_zero_tolerance_gate_is_proved_with_a_sample_synthesized_from_its_pattern() {
    // Issue 16 item 1: no allowlist, no sample, no site. Drift and content
    // are `n/a` (they pass); non-vacuity plants the pattern with its
    // metavariables replaced and says which sample it used.
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"empty\"\npattern = \"json.load($F)\"\n",
        )
        .file("a.py", "x = 1\n");
    let before = tree(project.path());
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        legs(&report),
        expect([("content", "n/a"), ("drift", "n/a"), ("non_vacuity", "ok")])
    );
    let leg = leg(&report, "non_vacuity");
    assert_eq!(
        leg["message"],
        "the sample `json.load(stablegate_f)`, synthesized from the pattern `json.load($F)`, \
         added in a new function `__stablegate_theater__` at a.py:4"
    );
    assert_eq!(tree(project.path()), before);
    assert_eq!(report["summary"]["verdicts"]["n/a"], 2, "{report}");
    let human = run(&project, &["theater"]);
    assert!(
        human.stdout.contains("  drift        n/a           "),
        "{human}"
    );
    assert!(
        human
            .stdout
            .contains("pass: 1 of 1 gate passed; 2 items (2 n/a), 1 ok"),
        "{human}"
    );
}

#[test]
fn a_gate_with_an_empty_allowlist_and_nothing_to_plant_is_inconclusive() {
    // An allowlist is configured, so drift and content should apply: with no
    // accepted site they cannot be exercised (`inconclusive`, red). A rule
    // file gets no synthesized sample.
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            "[[gate]]\nname = \"empty\"\nrule_file = \"rule.yml\"\nallowlist = \"allow.yaml\"\n",
        )
        .file(
            "rule.yml",
            "id: no-load\nlanguage: python\nrule:\n  pattern: json.load($F)\n",
        )
        .file("a.py", "x = 1\n");
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        legs(&report),
        expect([
            ("content", "inconclusive"),
            ("drift", "inconclusive"),
            ("non_vacuity", "inconclusive"),
        ])
    );
}

/// A detector that really reads the tree: every `json.load(` line, as JSON
/// Lines.
const FINDER: &str = r#"
import json, pathlib
for path in sorted(pathlib.Path("src").rglob("*.py")):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if "json.load(" in line:
            print(json.dumps({"file": str(path), "line": number}))
"#;

fn command_gate(project: &Project, command: &str) {
    project.file(
        "stablegate.toml",
        format!(
            "[[gate]]\nname = \"inline_load\"\npaths = [\"src\"]\ncommand = \"{command}\"\n\
             allowlist = \"{ALLOWLIST}\"\n"
        ),
    );
}

#[test]
fn a_command_gate_is_proved_on_a_copy_of_the_tree() {
    let project = shop();
    project.file("tools/finder.py", FINDER);
    command_gate(&project, "python3 tools/finder.py");
    assert_proved_untouched(&project);
}

#[test]
fn a_detector_that_ignores_its_input_fails_non_vacuity() {
    let project = shop();
    project.file(
        "findings.jsonl",
        "{\"file\": \"src/shop/meta.py\", \"line\": 6}\n{\"file\": \"src/shop/meta.py\", \"line\": 12}\n",
    );
    command_gate(&project, "cat findings.jsonl");
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 1, "{report}");
    let legs = legs(&report);
    assert!(
        legs.contains(&("non_vacuity".to_owned(), "leg_failed".to_owned())),
        "{legs:?}"
    );
    // The frozen line numbers also give it away under drift.
    assert!(
        legs.contains(&("drift".to_owned(), "leg_failed".to_owned())),
        "{legs:?}"
    );
}

#[test]
fn a_sarif_gate_cannot_be_proved() {
    let project = shop();
    project.file("report.sarif", "{\"version\": \"2.1.0\", \"runs\": []}");
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"inline_load\"\nsarif = \"report.sarif\"\n",
    );
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        legs(&report),
        expect([
            ("content", "n/a"),
            ("drift", "n/a"),
            ("non_vacuity", "inconclusive"),
        ])
    );
}

#[test]
fn killing_theater_mid_run_leaves_git_status_clean() {
    let project = shop();
    project.file("tools/finder.py", FINDER);
    command_gate(&project, "sleep 0.4; python3 tools/finder.py");
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(project.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("run git");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "fixture"]);
    let mut child = command(project.path(), &["theater"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start theater");
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().expect("kill theater");
    child.wait().expect("reap theater");
    assert_eq!(git(&["status", "--porcelain", "--ignored"]), "");
}

/// A project with `sites` accepted `json.load(` lines found by a detector
/// that appends a line to a counter file outside the project at each run;
/// returns the project and the counter's path.
fn counted_detector(sites: usize) -> (Project, std::path::PathBuf) {
    let project = Project::new();
    let counter = project.path().parent().unwrap().join("runs.txt");
    let mut source = String::from("import json\n");
    for i in 0..sites {
        source.push_str(&format!("\n\ndef load_{i}(f):\n    return json.load(f)\n"));
    }
    project
        .file("src/a.py", source)
        .file("tools/finder.py", FINDER)
        .file(
            "stablegate.toml",
            format!(
                "[[gate]]\nname = \"loads\"\npaths = [\"src\"]\n\
                 command = \"echo run >> '{}'; python3 tools/finder.py\"\n\
                 allowlist = \"allow.yaml\"\n",
                counter.display()
            ),
        );
    assert_eq!(
        project.run(&["allow", "loads", "--reason", "r"]).code,
        Some(0)
    );
    std::fs::remove_file(&counter).unwrap();
    (project, counter)
}

fn runs(counter: &std::path::Path) -> usize {
    std::fs::read_to_string(counter).map_or(0, |text| text.lines().count())
}

#[test]
fn the_triad_of_a_command_gate_costs_four_detector_runs_whatever_its_sites() {
    // Issue 16 item 9: the unmutated run, drift, content (every entry edited
    // in one view) and non-vacuity: four runs, for 2 sites as for 7.
    for sites in [2, 7] {
        let (project, counter) = counted_detector(sites);
        let (code, report) = theater_json(&project, &[]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(
            legs(&report),
            expect([("content", "ok"), ("drift", "ok"), ("non_vacuity", "ok")])
        );
        let leg = leg(&report, "content");
        assert!(
            leg["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{sites} entries edited in one run")),
            "{leg}"
        );
        assert_eq!(runs(&counter), 4, "{sites} sites");
    }
}

#[test]
fn an_edit_that_goes_unnoticed_is_told_apart_from_the_others_in_the_same_run() {
    // Seven entries edited in one run; the one with a truncated token that
    // still matches the edit is the only miss.
    let (project, _) = counted_detector(7);
    let text = std::fs::read_to_string(project.path().join("allow.yaml")).unwrap();
    let truncated = text.replacen(
        "qualname: load_3\n  line: 17\n  token: \"return json . load ( f )\"",
        "qualname: load_3\n  line: 17\n  token: \"return json . load (…\"",
        1,
    );
    assert_ne!(truncated, text, "{text}");
    project.file("allow.yaml", truncated);
    let (code, report) = theater_json(&project, &[]);
    assert_eq!(code, 1, "{report}");
    let misses: Vec<&Value> = (report["gates"][0]["items"].as_array().unwrap().iter())
        .filter(|item| item["rule"] == "content")
        .collect();
    assert_eq!(misses.len(), 1, "{report}");
    assert_eq!(misses[0]["qualname"], "load_3");
}

#[test]
fn a_detector_failing_in_the_theaters_copy_says_so() {
    // The detector needs a file `.ignore` keeps out of the copy: `check`
    // passes, the triad's unmutated run fails, and the message says where.
    let (project, _) = counted_detector(2);
    let config = std::fs::read_to_string(project.path().join("stablegate.toml")).unwrap();
    project
        .file(".ignore", "secret.txt\n")
        .file("secret.txt", "x\n")
        .file(
            "stablegate.toml",
            config.replace(
                "python3 tools/finder.py",
                "cat secret.txt >/dev/null && python3 tools/finder.py",
            ),
        );
    assert_eq!(run(&project, &["check"]).code, Some(0));
    let outcome = run(&project, &["theater"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome
            .stderr
            .contains("(in the theater's temporary copy of the tree, the unmutated run: "),
        "{outcome}"
    );
}
