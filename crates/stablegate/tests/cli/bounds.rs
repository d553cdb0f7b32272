//! Count bounds (`min_sites`, `max_sites`), count gates, `baseline_key` and
//! `*_baseline` keys naming no list (SPEC §12.2; issue 16 items 2 and 6).

use serde_json::Value;

use crate::support::Project;

const ROUTED: &str = "route(1)\nroute(2)\nroute(3)\n";

fn json(project: &Project, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let outcome = project.run(&all);
    let value =
        serde_json::from_str(&outcome.stdout).unwrap_or_else(|err| panic!("{err}: {outcome}"));
    (outcome.code.expect("an exit code"), value)
}

fn verdicts(report: &Value) -> Vec<String> {
    (report["gates"][0]["items"].as_array().unwrap().iter())
        .map(|item| item["verdict"].as_str().unwrap().to_owned())
        .collect()
}

fn count_gate(bounds: &str) -> Project {
    let project = Project::new();
    project
        .file(
            "stablegate.toml",
            format!(
                "[[gate]]\nname = \"routed\"\npaths = [\"src\"]\npattern = \"route($X)\"\n{bounds}"
            ),
        )
        .file("src/a.py", ROUTED);
    project
}

#[test]
fn a_count_gate_counts_its_sites_and_fails_below_its_floor() {
    let project = count_gate("min_sites = 3\n");
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");
    // Counted, never violations.
    assert_eq!(verdicts(&report), ["ok", "ok", "ok"]);
    project.file("src/a.py", "route(1)\nroute(2)\n");
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert!(
        outcome
            .stdout
            .contains("stablegate.toml:2: count: 2 live site(s), fewer than `min_sites = 3`"),
        "{outcome}"
    );
    assert!(
        outcome
            .stdout
            .contains("= count: expected 3 live sites, found 2"),
        "{outcome}"
    );
    assert!(!outcome.stdout.contains("violation"), "{outcome}");
}

#[test]
fn a_ceiling_applies_without_listing_sites_and_on_top_of_an_allowlist() {
    let project = count_gate("max_sites = 2\n");
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(verdicts(&report), ["ok", "ok", "ok", "count"]);
    let item = &report["gates"][0]["items"][3];
    assert_eq!(
        (item["expected"].as_u64(), item["actual"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(item["file"], "stablegate.toml");
    // With an allowlist, the bounds come on top of its verdicts.
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"routed\"\npaths = [\"src\"]\npattern = \"route($X)\"\nallowlist = \"allow.yaml\"\nmax_sites = 3\n",
    );
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(verdicts(&report), ["violation", "violation", "violation"]);
    let allowed = project.run(&["allow", "routed", "--reason", "legacy"]);
    assert_eq!(allowed.code, Some(0), "{allowed}");
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");
    project.file("src/b.py", "route(4)\n");
    project.run(&["allow", "routed", "--reason", "more"]);
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        verdicts(&report).iter().filter(|v| *v == "count").count(),
        1,
        "{report}"
    );
}

#[test]
fn bounds_that_no_tree_satisfies_are_bad_input() {
    let project = count_gate("min_sites = 5\nmax_sites = 2\n");
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert_eq!(
        outcome.stderr,
        "error: stablegate.toml:6:13: `gate[0].max_sites`: `max_sites = 2` is below `min_sites = 5`: no tree passes gate `routed`\n"
    );
    let project = count_gate("shrink_only = true\n");
    let outcome = project.run(&["check"]);
    assert_eq!(outcome.code, Some(2), "{outcome}");
    assert!(
        outcome
            .stderr
            .contains("`gate[0].shrink_only`: `shrink_only` ratchets an allowlist"),
        "{outcome}"
    );
}

#[test]
fn the_theater_of_a_count_gate_plants_a_site_it_must_count() {
    let project = count_gate("min_sites = 3\n");
    let (code, report) = json(&project, &["theater"]);
    assert_eq!(code, 0, "{report}");
    let legs: Vec<(String, String)> = (report["gates"][0]["legs"].as_array().unwrap().iter())
        .map(|leg| {
            (
                leg["leg"].as_str().unwrap().to_owned(),
                leg["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        legs,
        [
            ("drift".to_owned(), "n/a".to_owned()),
            ("content".to_owned(), "n/a".to_owned()),
            ("non_vacuity".to_owned(), "ok".to_owned())
        ],
        "{report}"
    );
}

const TWO_GATES: &str = "[[gate]]\nname = \"evals\"\npaths = [\"src\"]\npattern = \"eval($X)\"\n\
allowlist = \"allow.yaml\"\nbaseline_key = \"eval_ceiling\"\n\n\
[[gate]]\nname = \"routed\"\npaths = [\"src\"]\npattern = \"route($X)\"\nallowlist = \"allow.yaml\"\n";

#[test]
fn baseline_key_names_the_ceiling_and_a_baseline_of_no_list_is_invalid() {
    let project = Project::new();
    project
        .file("stablegate.toml", TWO_GATES)
        .file("src/a.py", "eval(x)\nroute(1)\n");
    assert_eq!(
        project.run(&["allow", "evals", "--reason", "r"]).code,
        Some(0)
    );
    assert_eq!(
        project.run(&["allow", "routed", "--reason", "r"]).code,
        Some(0)
    );
    let text = std::fs::read_to_string(project.path().join("allow.yaml")).unwrap();
    // The configured key holds the ceiling: checked against the entries.
    project.file("allow.yaml", format!("eval_ceiling: 2\n{text}"));
    let (code, report) = json(&project, &["check", "evals"]);
    assert_eq!(code, 1, "{report}");
    let item = &report["gates"][0]["items"].as_array().unwrap()[0];
    assert_eq!(item["verdict"], "baseline", "{report}");
    assert_eq!(
        (item["expected"].as_u64(), item["actual"].as_u64()),
        (Some(2), Some(1))
    );
    project.file("allow.yaml", format!("eval_ceiling: 1\n{text}"));
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");
    // A misnamed baseline (`route_baseline` for the list `routed`) was never
    // checked: now it is `invalid`, in every gate reading the file.
    project.file(
        "allow.yaml",
        format!("eval_ceiling: 1\nroute_baseline: 7\n{text}"),
    );
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 1, "{report}");
    for gate in report["gates"].as_array().unwrap() {
        let invalid: Vec<&Value> = (gate["items"].as_array().unwrap().iter())
            .filter(|item| item["verdict"] == "invalid")
            .collect();
        assert_eq!(invalid.len(), 1, "{gate}");
        assert_eq!(invalid[0]["file"], "allow.yaml");
        assert_eq!(invalid[0]["line"], 2);
        assert_eq!(
            invalid[0]["message"],
            "`route_baseline` names no list of this file"
        );
    }
    // Named right, it is the ratchet of its list again.
    project.file(
        "allow.yaml",
        format!("eval_ceiling: 1\nrouted_baseline: 1\n{text}"),
    );
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");
}
