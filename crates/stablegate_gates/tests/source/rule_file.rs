//! `rule_file` gates: a real ast-grep rule file, run unchanged, and the
//! errors a broken rule file gives. When the ast-grep CLI is installed, its
//! own findings on the same tree are compared with ours.

use std::process::Command;

use stablegate_gates::source::SourceError;
use stablegate_gates::Collected;

use crate::support::{has_program, located, Project};

/// Two rules in one file, using `utils`/`matches`, `all`, `any`, `not`,
/// `has`, `inside` with `stopBy`, `regex`, `constraints`, `files`, `ignores`,
/// `severity`, `note` and a metavariable in `message`.
const RULES: &str = r#"# Deserialising with pickle or yaml inside functions, unless a safe loader is given.
id: unsafe-deserialise
language: python
severity: error
message: "$MOD.$FUNC in a function: use a safe loader"
note: ast-grep notes are accepted
utils:
  in-function:
    inside:
      kind: function_definition
      stopBy: end
rule:
  all:
    - pattern: $MOD.$FUNC($$$ARGS)
    - matches: in-function
    - any:
        - pattern: pickle.$FUNC($$$ARGS)
        - pattern: yaml.$FUNC($$$ARGS)
    - not:
        has:
          kind: keyword_argument
          regex: ^Loader=yaml\.SafeLoader$
          stopBy: end
constraints:
  FUNC:
    regex: ^loads?$
files:
  - "src/**/*.py"
ignores:
  - "src/vendor/**"
---
id: print-in-class
language: Python
message: no print in classes
rule:
  pattern: print($$$)
  inside:
    kind: class_definition
    stopBy: end
  not:
    inside:
      kind: if_statement
      stopBy: end
---
id: retired
language: python
severity: off
rule:
  pattern: eval($X)
"#;

const APP: &str = r#"import pickle, yaml

data = pickle.loads(b)

def load(path):
    with open(path) as f:
        cfg = yaml.load(f)
    safe = yaml.load(f, Loader=yaml.SafeLoader)
    obj = pickle.load(f)
    txt = pickle.dumps(obj)
    eval(txt)
    return json.loads(txt)

class Thing:
    def show(self):
        print(self)
        if self:
            print("no")
"#;

fn project() -> Project {
    let project = Project::new();
    let in_function = "def f():\n    pickle.loads(x)\n";
    project
        .file("rules/unsafe.yml", RULES)
        .file("src/app.py", APP)
        .file("src/vendor/lib.py", in_function)
        .file("tools/script.py", in_function)
        .file("tools/cls.py", "class A:\n    x = print(1)\n");
    project
}

#[test]
fn an_ast_grep_rule_file_runs_unchanged() {
    let project = project();
    let collected = project.collect("rule_file = \"rules/unsafe.yml\"").unwrap();
    assert_eq!(
        located(&collected),
        [
            "src/app.py:7:15 unsafe-deserialise",
            "src/app.py:9:11 unsafe-deserialise",
            "src/app.py:16:9 print-in-class",
            "tools/cls.py:2:9 print-in-class",
        ]
    );
    let all = collected.all_findings();
    let messages: Vec<_> = all.iter().map(|f| f.message.as_deref()).collect();
    assert_eq!(
        messages[..3],
        [
            Some("yaml.load in a function: use a safe loader"),
            Some("pickle.load in a function: use a safe loader"),
            Some("no print in classes"),
        ]
    );
}

#[test]
fn the_ast_grep_cli_finds_the_same_sites() {
    let Some(cli) = ["ast-grep", "sg"]
        .into_iter()
        .find(|name| is_ast_grep(name))
    else {
        println!("notice: the ast-grep CLI is not installed (pip install ast-grep-cli); comparison skipped");
        return;
    };
    let project = project();
    let ours = project.collect("rule_file = \"rules/unsafe.yml\"").unwrap();
    let output = Command::new(cli)
        .args(["scan", "-r", "rules/unsafe.yml", "--json=stream", "."])
        .current_dir(project.path())
        .output()
        .unwrap();
    let mut theirs: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let m: serde_json::Value = serde_json::from_str(line).unwrap();
            let start = &m["range"]["start"];
            let file = m["file"].as_str().unwrap().trim_start_matches("./");
            format!(
                "{file}:{}:{} {} {}",
                start["line"].as_u64().unwrap() + 1,
                start["column"].as_u64().unwrap() + 1,
                m["ruleId"].as_str().unwrap(),
                m["message"].as_str().unwrap()
            )
        })
        .collect();
    theirs.sort();
    assert_eq!(with_messages(&ours), theirs);
}

fn with_messages(collected: &Collected) -> Vec<String> {
    let mut all: Vec<String> = (collected.all_findings().iter())
        .map(|f| {
            let message = f.message.as_deref().unwrap_or_default();
            format!("{}:{}:{} {} {message}", f.file, f.line, f.column, f.rule)
        })
        .collect();
    all.sort();
    all
}

fn is_ast_grep(name: &str) -> bool {
    has_program(name)
        && Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("ast-grep"))
}

#[test]
fn a_malformed_rule_file_is_an_error_naming_the_file() {
    let project = Project::new();
    project.file(
        "rules/bad.yml",
        "id: a\nlanguage: python\nrule:\n  pattern: [unclosed\n",
    );
    let err = project
        .collect("rule_file = \"rules/bad.yml\"")
        .unwrap_err();
    assert!(matches!(err, SourceError::RuleFile { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("rules/bad.yml: not an ast-grep rule file:"),
        "{err}"
    );
}

#[test]
fn an_invalid_rule_is_an_error_naming_the_rule() {
    let project = Project::new();
    project.file("r.yml", "id: a\nlanguage: python\nrule: {kind: call}\n---\nid: b\nlanguage: python\nrule:\n  matches: nowhere\n");
    let err = project
        .collect("rule_file = \"r.yml\"")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("r.yml: rule `b`: invalid rule:"), "{err}");
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn a_missing_rule_file_is_an_error() {
    let project = Project::new();
    let err = project
        .collect("rule_file = \"rules/none.yml\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("rules/none.yml: cannot read the rule file:"),
        "{err}"
    );
}

#[test]
fn a_rule_file_whose_rules_are_all_off_is_an_error() {
    let project = Project::new();
    project.file(
        "r.yml",
        "id: a\nlanguage: python\nseverity: off\nrule: {kind: call}\n",
    );
    let err = project
        .collect("rule_file = \"r.yml\"")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "r.yml: every rule in the file is turned off (`severity: off`)"
    );
}
