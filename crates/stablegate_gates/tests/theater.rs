//! The theater triad's shortcut is sound: a run over an overlay that reuses
//! the unmutated run's findings for untouched files gives exactly the
//! outcome of a full rescan of the same overlay.

#[path = "source/support.rs"]
#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;

use stablegate_gates::date::Date;
use stablegate_gates::run::{gather, run_gate, RunContext};
use stablegate_gates::tree::Overlay;

use support::Project;

const A: &str = "import json\n\n\ndef f(p):\n    return json.load(p)\n";
const B: &str =
    "import json\n\nclass C:\n    def g(self, q):\n        x = json.load(q)\n        return x\n";
const BROKEN: &str = "import json\njson.load(x\n";

fn project() -> (Project, stablegate_config::Gate) {
    let project = Project::new();
    project
        .file("src/a.py", A)
        .file("src/b.py", B)
        .file("src/broken.py", BROKEN)
        .file("src/latin.py", b"x = '\xe9'\njson.load(y)\n")
        .file(
            "allow.yaml",
            "g:\n- file: src/a.py\n  qualname: f\n  token: return json . load ( p )\n",
        );
    let gate = project.gate(
        "paths = [\"src\"]\npattern = \"json.load($F)\"\nallowlist = \"allow.yaml\"\non_parse_error = \"warn\"",
    );
    (project, gate)
}

#[test]
fn reusing_untouched_files_gives_the_outcome_of_a_full_rescan() {
    let (project, gate) = project();
    let today = Date::parse("2026-01-01").unwrap();
    let cx = RunContext::new(project.path(), today);
    let base = gather(&cx, &gate).unwrap();
    let mutations: Vec<Vec<(&str, String)>> = vec![
        vec![("src/a.py", format!("\n# c\n{A}"))],
        vec![("src/a.py", A.replace("(p)", "(p2)"))],
        vec![("src/b.py", String::new())],
        vec![("src/new.py", "import json\njson.load(z)\n".to_owned())],
        vec![("src/broken.py", "import json\njson.load(x)\n".to_owned())],
        vec![("src/a.py", "def (:\n    json.load(p)\n".to_owned())],
        vec![
            (
                "src/a.py",
                format!("{A}\ndef h():\n    return json.load(p)\n"),
            ),
            ("src/b.py", B.replace("x = ", "y = ")),
        ],
        vec![("outside/c.py", "json.load(q)\n".to_owned())],
    ];
    for mutation in mutations {
        let files: BTreeMap<String, String> = mutation
            .iter()
            .map(|(file, text)| (file.to_string(), text.clone()))
            .collect();
        let overlay = Overlay { files };
        let with_reuse = run_gate(
            &RunContext {
                overlay: Some(&overlay),
                reuse: Some(&base),
                ..cx
            },
            &gate,
        )
        .unwrap();
        let rescanned = run_gate(
            &RunContext {
                overlay: Some(&overlay),
                ..cx
            },
            &gate,
        )
        .unwrap();
        assert_eq!(with_reuse, rescanned, "{mutation:?}");
    }
    // And the overlay never reached the disk.
    assert_eq!(
        std::fs::read_to_string(project.path().join("src/a.py")).unwrap(),
        A
    );
    assert!(!project.path().join("src/new.py").exists());
}
