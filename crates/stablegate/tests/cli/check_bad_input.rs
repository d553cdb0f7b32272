//! `check` on input it cannot decide from (SPEC §5, §11): exit 2, one
//! message on standard error naming the file, the place and the field,
//! nothing on standard output, and no file written or changed.

use crate::check_fixture::{run, shop, tree, ALLOWLIST};
use crate::support::{assert_outcome, Project};

/// Runs `args` and checks the whole outcome: exit 2, nothing on standard
/// output, exactly `message` on standard error, the tree untouched.
#[track_caller]
fn refuses(project: &Project, args: &[&str], message: &str) {
    let before = tree(project.path());
    let outcome = run(project, args);
    assert_outcome(
        &outcome,
        &format!("exit: 2\n--- stdout\n--- stderr\nerror: {message}\n"),
    );
    assert!(tree(project.path()) == before, "the run changed the tree");
}

const META_PY: &str = "import json\nx = json.load(f)\n";

/// A project with `src/shop/meta.py` and this configuration.
fn configured(config: &str) -> Project {
    let project = Project::new();
    project
        .file("stablegate.toml", config)
        .file("src/shop/meta.py", META_PY);
    project
}

#[test]
fn a_gate_with_two_finding_sources_is_refused_at_the_second() {
    let project = configured(
        "[[gate]]\nname = \"g\"\npattern = \"json.load($F)\"\nsarif = \"reports/x.sarif\"\n",
    );
    refuses(
        &project,
        &["check"],
        "stablegate.toml:4:9: `gate[0].sarif`: gate `g` sets both `pattern` and `sarif`; set \
         exactly one of `pattern`, `patterns`, `rule_file`, `command`, `detector` or `sarif`",
    );
}

#[test]
fn an_unknown_key_is_refused_with_its_place() {
    let project =
        configured("[[gate]]\nname = \"g\"\npattern = \"json.load($F)\"\nalowlist = \"a.yaml\"\n");
    refuses(
        &project,
        &["check"],
        "stablegate.toml:4:1: `gate[0].alowlist`: unknown field `alowlist`, expected one of \
         `name`, `paths`, `include`, `exclude`, `pattern`, `patterns`, `rule_file`, `command`, \
         `detector`, `rules`, `timeout`, `sarif`, `language`, `message`, `allowlist`, \
         `allowlist_key`, `strict_counts`, `baseline_key`, `min_sites`, `max_sites`, \
         `shrink_only`, `audit_only`, `theater`, `on_parse_error`",
    );
}

#[test]
fn no_configuration_at_all_is_bad_input() {
    let project = Project::new();
    project.file("src/shop/meta.py", META_PY);
    refuses(
        &project,
        &["check"],
        "no configuration: create stablegate.toml (or [tool.stablegate] in pyproject.toml), or \
         pass --config",
    );
}

#[test]
fn an_unknown_gate_name_is_refused_with_the_known_ones_in_every_format() {
    let project = shop();
    for format in ["human", "json", "sarif", "junit", "github", "gitlab"] {
        refuses(
            &project,
            &["--format", format, "check", "inline_load", "unknown_gate"],
            "no gate, audit, marker, fresh or scope check named `unknown_gate` in \
             stablegate.toml (names: inline_load)",
        );
    }
}

#[test]
fn a_detector_printing_neither_sarif_nor_json_lines_is_refused() {
    let project = configured("[[gate]]\nname = \"g\"\ncommand = \"echo hello world\"\n");
    refuses(
        &project,
        &["check"],
        "gate `g`: command `echo hello world`: output line 1: is not JSON (expected value at line \
         1 column 1): `hello world`",
    );
    project.file(
        "stablegate.toml",
        "[[gate]]\nname = \"g\"\ncommand = \"echo '{\\\"line\\\": 2}'\"\n",
    );
    refuses(
        &project,
        &["check"],
        "gate `g`: command `echo '{\"line\": 2}'`: output line 1: has no `file` string",
    );
}

#[test]
fn a_sarif_file_that_is_not_sarif_is_refused() {
    let project = configured("[[gate]]\nname = \"g\"\nsarif = \"reports/x.sarif\"\n");
    let cases = [
        (
            "<sarif/>\n",
            "not a JSON document (expected value at line 1 column 1)",
        ),
        ("[]\n", "the document is not a JSON object"),
        ("{\"version\": \"2.1.0\"}\n", "it has no `runs` array"),
    ];
    for (text, problem) in cases {
        project.file("reports/x.sarif", text);
        refuses(
            &project,
            &["check"],
            &format!("gate `g`: reports/x.sarif: is not SARIF: {problem}"),
        );
    }
}

#[test]
fn an_allowlist_that_is_not_yaml_is_refused_at_its_line() {
    let project = shop();
    project.file(ALLOWLIST, "inline_load: [\n - : :\n");
    refuses(
        &project,
        &["check"],
        "gate `inline_load`: parse allowlist gates/inline_load.yaml:2:2: \"-\" is only valid \
         inside a block",
    );
}

#[test]
fn an_allowlist_entry_of_the_wrong_type_is_refused_with_its_field() {
    let project = shop();
    let cases = [
        (
            "inline_load:\n- 42\n",
            "gates/inline_load.yaml:2: an entry of `inline_load` must be a mapping (`- file: …`) \
             or a legacy \"file:line\" string, found `42`",
        ),
        (
            "inline_load:\n  file: src/shop/meta.py\n",
            "gates/inline_load.yaml:2: `inline_load` must be a sequence of entries, found a \
             mapping",
        ),
        (
            "inline_load:\n- file: src/shop/meta.py\n  qualname: <module>\n  token: [x]\n",
            "gates/inline_load.yaml:4: `token` must be a string, found a sequence",
        ),
        (
            "inline_load:\n- file: src/shop/meta.py\n  qualname: <module>\n  token: \"x\"\n  count: two\n",
            "gates/inline_load.yaml:5: `count` must be an integer >= 1, found `two`",
        ),
        (
            "inline_load:\n- file: src/shop/meta.py\n  qualname: <module>\n  token: \"x\"\n  expires: soon\n",
            "gates/inline_load.yaml:5: `expires` must be a date written YYYY-MM-DD, found `soon`",
        ),
        (
            "inline_load_baseline: many\ninline_load: []\n",
            "gates/inline_load.yaml:1: `inline_load_baseline` must be a non-negative integer, \
             found `many`",
        ),
    ];
    for (text, message) in cases {
        project.file(ALLOWLIST, text);
        refuses(
            &project,
            &["check"],
            &format!("gate `inline_load`: read allowlist {message}"),
        );
    }
}

#[test]
fn a_malformed_rule_file_is_refused_naming_the_file_and_the_field() {
    let project = configured("[[gate]]\nname = \"g\"\nrule_file = \"rules/g.yml\"\n");
    project.file(
        "rules/g.yml",
        "id: g\nlanguage: python\nrule:\n  patern: json.load($F)\n",
    );
    // One line, in stablegate's words: no second renderer's code frame
    // calling the file `<input>` (as ast-grep's own error display did).
    refuses(
        &project,
        &["check"],
        "gate `g`: rules/g.yml: not an ast-grep rule file: line 3 column 1: unknown field \
         `patern`, expected one of pattern, kind, regex, nthChild, range, inside, has, precedes, \
         follows, all, any, not, matches",
    );
}

#[test]
fn a_rule_file_that_is_not_yaml_is_refused() {
    let project = configured("[[gate]]\nname = \"g\"\nrule_file = \"rules/g.yml\"\n");
    project.file("rules/g.yml", "id: g\nlanguage: python\nrule: [\n");
    let outcome = run(&project, &["check"]);
    assert_eq!(
        (outcome.code, outcome.stdout.as_str()),
        (Some(2), ""),
        "{outcome}"
    );
    assert!(
        outcome
            .stderr
            .starts_with("error: gate `g`: rules/g.yml: not an ast-grep rule file: "),
        "{outcome}"
    );
    assert!(outcome.stderr.contains("line 3 column 7"), "{outcome}");
}

/// A pattern that does not compile names the configuration file and the
/// gate once (it used to read `gate `g`: gate `g`: …` with no file).
#[test]
fn a_pattern_that_does_not_compile_is_refused_naming_the_config_file() {
    let project = configured("[[gate]]\nname = \"g\"\npattern = \"json.load($F\"\n");
    let before = tree(project.path());
    let outcome = run(&project, &["check"]);
    assert_eq!(
        (outcome.code, outcome.stdout.as_str()),
        (Some(2), ""),
        "{outcome}"
    );
    assert!(tree(project.path()) == before, "the run changed the tree");
    assert!(
        outcome
            .stderr
            .contains("pattern `json.load($F` does not compile"),
        "{outcome}"
    );
    assert!(!outcome.stderr.contains("gate `g`: gate `g`"), "{outcome}");
    assert!(outcome.stderr.contains("stablegate.toml:"), "{outcome}");
    assert_eq!(outcome.stderr.lines().count(), 1, "{outcome}");
}

#[test]
fn a_broken_gate_stops_the_run_even_after_a_red_one() {
    let project = shop();
    project.file("src/shop/cart.py", "import json\ncart = json.load(s)\n");
    let config =
        std::fs::read_to_string(project.path().join("stablegate.toml")).expect("read the config");
    project.file(
        "stablegate.toml",
        format!("{config}\n[[gate]]\nname = \"broken\"\nsarif = \"reports/missing.sarif\"\n"),
    );
    let outcome = run(&project, &["check"]);
    assert_eq!(
        (outcome.code, outcome.stdout.as_str()),
        (Some(2), ""),
        "{outcome}"
    );
    assert!(
        outcome.stderr.starts_with(
            "error: gate `broken`: reports/missing.sarif: cannot read the SARIF file: "
        ),
        "{outcome}"
    );
    // Without the broken gate the same tree is red, not undecidable.
    assert_eq!(run(&project, &["check", "inline_load"]).code, Some(1));
}

#[test]
fn a_malformed_stablegate_today_is_bad_input() {
    let project = shop();
    let output = crate::support::command(project.path(), &["check"])
        .env("STABLEGATE_TODAY", "tomorrow")
        .output()
        .expect("run stablegate");
    assert_outcome(
        &output.into(),
        "exit: 2\n--- stdout\n--- stderr\n\
         error: STABLEGATE_TODAY: `tomorrow` is not a date of the form YYYY-MM-DD\n",
    );
}
