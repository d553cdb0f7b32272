//! Gates over JavaScript, Go and YAML files end to end (SPEC §12.1): sites
//! are keyed in their file's language (never by the Python tokenizer), a
//! pattern gate without `language` reads files by extension, `allow` then
//! `check` round-trips, a comment-only edit stays green, the same offender in
//! another function is red, and `theater` passes every leg on a JavaScript
//! gate.

use serde_json::Value;

use crate::support::Project;

const APP_JS: &str = "\
function load(path) {
  const data = JSON.parse(read(path)); // trusted input
  return data;
}

const parseAll = (paths) => paths.map((p) => JSON.parse(read(p)));
";

fn js_project() -> Project {
    let project = Project::new();
    project.file("web/app.js", APP_JS).file(
        "stablegate.toml",
        "[[gate]]\nname = \"json_parse\"\npaths = [\"web\"]\npattern = \"JSON.parse($X)\"\n\
         allowlist = \"allow.yaml\"\n",
    );
    project
}

fn json(project: &Project, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let outcome = project.run(&all);
    let report = serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}\n{}", outcome.stdout, outcome.stderr));
    (outcome.code.expect("exit code"), report)
}

/// `(verdict, qualname, token)` of every item of the first gate.
fn items(report: &Value) -> Vec<(String, String, String)> {
    let text = |item: &Value, key: &str| item[key].as_str().unwrap_or_default().to_owned();
    report["gates"][0]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            (
                text(item, "verdict"),
                text(item, "qualname"),
                text(item, "token"),
            )
        })
        .collect()
}

#[test]
fn a_javascript_gate_keys_by_function_and_ignores_comments() {
    let project = js_project();
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        items(&report),
        [
            (
                "violation".to_owned(),
                "load".to_owned(),
                "const data = JSON . parse ( read ( path ) ) ;".to_owned()
            ),
            (
                "violation".to_owned(),
                "parseAll".to_owned(),
                "const parseAll = ( paths ) => paths . map ( ( p ) => JSON . parse ( read ( p ) ) ) ;"
                    .to_owned()
            ),
        ]
    );
    let allowed = project.run(&["allow", "json_parse", "--reason", "trusted input"]);
    assert_eq!(allowed.code, Some(0), "{}", allowed.stderr);
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");

    // A comment edited and lines inserted: the keys do not move.
    let edited = APP_JS
        .replace("// trusted input", "// reviewed: input is trusted")
        .replace("function load", "// a new comment\n\nfunction load");
    project.file("web/app.js", &edited);
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");

    // The same line in another function is a new offender.
    project.file(
        "web/app.js",
        format!("{edited}\nfunction other(path) {{\n  const data = JSON.parse(read(path));\n}}\n"),
    );
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 1, "{report}");
    assert!(items(&report)
        .iter()
        .any(|(verdict, qualname, _)| verdict == "violation" && qualname == "other"));
}

#[test]
fn theater_proves_a_javascript_gate() {
    let project = js_project();
    assert_eq!(
        project
            .run(&["allow", "json_parse", "--reason", "trusted input"])
            .code,
        Some(0)
    );
    let (code, report) = json(&project, &["theater"]);
    assert_eq!(code, 0, "{report}");
    let legs: Vec<(String, String)> = report["gates"][0]["legs"]
        .as_array()
        .expect("legs")
        .iter()
        .map(|leg| {
            let text = |key: &str| leg[key].as_str().unwrap_or_default().to_owned();
            (text("leg"), text("verdict"))
        })
        .collect();
    assert_eq!(legs.len(), 3, "{report}");
    assert!(legs.iter().all(|(_, verdict)| verdict == "ok"), "{legs:?}");
}

#[test]
fn keys_walk_every_language_and_key_plain_text_when_named() {
    let project = Project::new();
    project
        .file(
            "src/main.go",
            "package main\n\nfunc (s *Server) Start() {\n\tgo s.loop() // bg\n}\n",
        )
        .file("src/a.py", "x = 1\n")
        .file("src/notes.txt", "not   walked\n")
        .file(".github/ci.yml", "on:   push   # trigger\n");
    let outcome = project.run(&["keys", "src", ".github/ci.yml"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let lines: Vec<Value> = (outcome.stdout.lines())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert!(
        files.contains(&"src/main.go") && files.contains(&"src/a.py"),
        "{files:?}"
    );
    assert!(!files.contains(&"src/notes.txt"), "{files:?}");
    let go = lines
        .iter()
        .find(|l| l["file"] == "src/main.go" && l["line"] == 4)
        .expect("the go line");
    assert_eq!(go["qualname"], "Server.Start");
    assert_eq!(go["token"], "go s . loop ( )");
    let yaml = lines
        .iter()
        .find(|l| l["file"] == ".github/ci.yml")
        .expect("the yaml line");
    assert_eq!(yaml["token"], "on: push # trigger");
}

#[test]
fn a_pattern_gate_over_no_file_of_its_languages_warns() {
    let project = Project::new();
    project.file("docs/readme.txt", "JSON.parse(x)\n").file(
        "stablegate.toml",
        "[[gate]]\nname = \"g\"\npaths = [\"docs\"]\npattern = \"JSON.parse($X)\"\n",
    );
    let (code, report) = json(&project, &["check"]);
    assert_eq!(code, 0, "{report}");
    let item = &report["gates"][0]["items"][0];
    assert_eq!(item["verdict"], "parse_warning", "{report}");
    assert_eq!(item["message"], "the gate scanned no file", "{report}");
}
