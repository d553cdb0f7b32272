//! Shared detectors (`[[detector]]`, SPEC §12.2; issue 16 item 3): one run
//! per process feeds several gates, each keeping its `rules`.

use serde_json::Value;

use crate::support::Project;

/// A scanner reporting two rules, appending to a counter at each run.
const SCAN: &str = r#"
import json, pathlib, sys
with open(sys.argv[1], "a") as counter:
    counter.write("run\n")
for path in sorted(pathlib.Path("src").rglob("*.py")):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for rule in ("eval", "exec"):
            if rule + "(" in line:
                print(json.dumps({"file": str(path), "line": number, "rule": "no-" + rule}))
"#;

fn project() -> (Project, std::path::PathBuf) {
    let project = Project::new();
    let counter = project.path().parent().unwrap().join("runs.txt");
    project
        .file("tools/scan.py", SCAN)
        .file("src/a.py", "a = eval(a)\nb = exec(b)\nc = exec(c)\n")
        .file(
            "stablegate.toml",
            format!(
                "[[detector]]\nname = \"scanners\"\ncommand = \"python3 tools/scan.py '{}'\"\n\n\
                 [[gate]]\nname = \"evals\"\ndetector = \"scanners\"\nrules = [\"no-eval\"]\nmax_sites = 1\n\n\
                 [[gate]]\nname = \"execs\"\ndetector = \"scanners\"\nrules = [\"no-exec\"]\nmin_sites = 2\n\n\
                 [[gate]]\nname = \"everything\"\npaths = [\"src\"]\ndetector = \"scanners\"\n",
                counter.display()
            ),
        );
    (project, counter)
}

fn runs(counter: &std::path::Path) -> usize {
    std::fs::read_to_string(counter).map_or(0, |text| text.lines().count())
}

#[test]
fn one_detector_run_feeds_every_gate_each_with_its_rules() {
    let (project, counter) = project();
    let outcome = project.run(&["--format", "json", "check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert_eq!(runs(&counter), 1, "the detector ran once for three gates");
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    let gates = report["gates"].as_array().unwrap();
    let rules = |gate: &Value| -> Vec<(String, String)> {
        (gate["items"].as_array().unwrap().iter())
            .map(|item| {
                (
                    item["verdict"].as_str().unwrap().to_owned(),
                    item["rule"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |v: &str, r: &str| (v.to_owned(), r.to_owned());
    // Count gates over one rule each: one eval, two execs, all counted.
    assert_eq!(gates[0]["status"], "pass", "{report}");
    assert_eq!(rules(&gates[0]), [pair("ok", "no-eval")]);
    assert_eq!(gates[1]["status"], "pass", "{report}");
    assert_eq!(
        rules(&gates[1]),
        [pair("ok", "no-exec"), pair("ok", "no-exec")]
    );
    // Without `rules`, every finding, and no allowlist: violations.
    assert_eq!(gates[2]["status"], "fail");
    assert_eq!(rules(&gates[2]).len(), 3);
}

#[test]
fn a_detector_gate_goes_through_the_theater_with_runs_of_its_own() {
    let (project, counter) = project();
    let config = std::fs::read_to_string(project.path().join("stablegate.toml")).unwrap();
    project.file(
        "stablegate.toml",
        format!(
            "{config}\n[[gate]]\nname = \"listed\"\npaths = [\"src\"]\ndetector = \"scanners\"\n\
             rules = [\"no-exec\"]\nallowlist = \"allow.yaml\"\n"
        ),
    );
    assert_eq!(
        project.run(&["allow", "listed", "--reason", "r"]).code,
        Some(0)
    );
    std::fs::remove_file(&counter).unwrap();
    let outcome = project.run(&["--format", "json", "check", "listed", "--theater"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    let mut legs: Vec<(&str, &str)> = (report["gates"][1]["legs"].as_array().unwrap().iter())
        .map(|leg| {
            (
                leg["leg"].as_str().unwrap(),
                leg["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    legs.sort_unstable();
    assert_eq!(
        legs,
        [("content", "ok"), ("drift", "ok"), ("non_vacuity", "ok")],
        "{report}"
    );
    // The check's run, then the triad's four in its copy of the tree.
    assert_eq!(runs(&counter), 5);
}

#[test]
fn a_gate_naming_an_unknown_detector_is_bad_input() {
    let project = Project::new();
    project.file(
        "stablegate.toml",
        "[[detector]]\nname = \"scanners\"\ncommand = \"true\"\n\n[[gate]]\nname = \"g\"\ndetector = \"scaners\"\n",
    );
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(
        outcome.stderr,
        "error: stablegate.toml:7:12: `gate[0].detector`: no [[detector]] named `scaners` (detectors: scanners)\n"
    );
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"g\"\npattern = \"eval($X)\"\nrules = []\n",
    );
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome.stderr.contains("`gate[0].rules`: lists no rule"),
        "{outcome}"
    );
}
