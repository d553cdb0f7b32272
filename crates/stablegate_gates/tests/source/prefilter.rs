//! The prefilter is sound: over a sample of the machine's Python standard
//! library, every gate finds exactly the same sites with the prefilter as
//! without it (which parses every file), while parsing fewer files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stablegate_gates::source::{collect, Options};
use stablegate_gates::tree::Tree;

use crate::support::{in_ci, Project};

/// About this many files are copied from the standard library.
const SAMPLE: usize = 300;

const PATTERNS: &[&str] = &[
    "json.loads($X)",
    "open($F)",
    "os.path.join($$$PARTS)",
    "self.$M($$$ARGS)",
    "isinstance($A, $B)",
    "raise $E from $C",
    "$X is None",
    "print($$$)",
    "'utf-8'",
    "sys.exit(1)",
    "if __name__ == '__main__': $$$",
];

const RULES: &str = r#"id: shell
language: python
rule:
  any:
    - pattern: subprocess.$F($$$)
    - pattern: os.system($X)
---
id: append-in-loop
language: python
rule:
  pattern: $OBJ.append($X)
  inside:
    kind: for_statement
    stopBy: end
---
id: call-with-encoding
language: python
rule:
  kind: call
  has:
    pattern: encoding
    stopBy: end
---
id: method
language: python
rule:
  pattern:
    context: "class A:\n    def $M(self): $$$"
    selector: function_definition
---
id: utf8-string
language: python
rule:
  all:
    - kind: string
    - regex: "utf-?8"
---
id: util-call
language: python
utils:
  logged:
    pattern: logging.$F($$$)
rule:
  all:
    - matches: logged
    - inside:
        kind: function_definition
        stopBy: end
"#;

#[test]
fn prefiltered_and_unfiltered_scans_find_the_same_sites_over_the_stdlib() {
    let Some(stdlib) = stdlib() else {
        assert!(!in_ci(), "python3 is required in CI");
        println!("notice: python3 is not installed; prefilter soundness test skipped");
        return;
    };
    let project = Project::new();
    let copied = copy_sample(&stdlib, project.path());
    assert!(
        copied >= SAMPLE / 2,
        "only {copied} files sampled from {}",
        stdlib.display()
    );
    let mut config: String = (PATTERNS.iter().enumerate())
        .map(|(i, pattern)| {
            format!(
                "[[gate]]\nname = \"p{i}\"\npattern = {}\n\n",
                toml_string(pattern)
            )
        })
        .collect();
    config.push_str("[[gate]]\nname = \"rules\"\nrule_file = \"rules.yml\"\n");
    project
        .file("rules.yml", RULES)
        .file("stablegate.toml", config);
    let gates = stablegate_config::load(project.path(), None)
        .unwrap()
        .unwrap()
        .gates;
    let unfiltered = Options {
        prefilter: false,
        ..Options::default()
    };
    let (mut narrowed, mut found) = (0, 0);
    for gate in &gates {
        let fast = collect(&Tree::disk(project.path()), gate, &Options::default()).unwrap();
        let full = collect(&Tree::disk(project.path()), gate, &unfiltered).unwrap();
        assert_eq!(
            fast.findings, full.findings,
            "gate {} ({:?})",
            gate.name, gate.source
        );
        assert!(
            fast.unreadable.iter().all(|u| full.unreadable.contains(u)),
            "gate {}",
            gate.name
        );
        assert_eq!(
            full.parsed_files + not_utf8(&full),
            full.scanned_files,
            "gate {}",
            gate.name
        );
        println!(
            "{}: {} findings; parsed {} of {} files (unfiltered: {})",
            gate.name,
            fast.findings.len(),
            fast.parsed_files,
            fast.scanned_files,
            full.parsed_files
        );
        narrowed += usize::from(fast.parsed_files < full.parsed_files / 2);
        found += usize::from(!fast.findings.is_empty());
    }
    assert!(
        narrowed >= gates.len() / 2,
        "the prefilter ruled out little: {narrowed} of {} gates",
        gates.len()
    );
    assert!(
        found >= gates.len() - 2,
        "only {found} of {} gates found anything",
        gates.len()
    );
}

fn not_utf8(collected: &stablegate_gates::Collected) -> usize {
    (collected.unreadable.iter())
        .filter(|u| u.reason.contains("UTF-8"))
        .count()
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The standard library directory of `python3`, if there is one.
fn stdlib() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && path.is_dir()).then_some(path)
}

/// Copies every n-th `.py` file (sorted, site-packages left out) into `to`,
/// keeping relative paths; returns how many.
fn copy_sample(stdlib: &Path, to: &Path) -> usize {
    let mut files = Vec::new();
    let mut dirs = vec![stdlib.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                if name != "site-packages" && name != "__pycache__" {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    let step = (files.len() / SAMPLE).max(1);
    let sample: Vec<&PathBuf> = files.iter().step_by(step).collect();
    for file in &sample {
        let target = to.join("lib").join(file.strip_prefix(stdlib).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(file, target).unwrap();
    }
    sample.len()
}
