//! The prefilter is sound: over a sample of the machine's Python standard
//! library, every gate finds exactly the same sites with the prefilter as
//! without it (which parses every file), while parsing fewer files. Besides
//! hand-picked rules, patterns are cut from the sampled code itself (calls,
//! attribute chains, comparisons … spanning lines, with comments and trailing
//! commas inside), as they are and with a name turned into a metavariable, so
//! the runs of [`stablegate_gates`]' prefilter meet real layouts of the tokens
//! they require side by side.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stablegate_gates::source::{collect, Options};
use stablegate_gates::tree::Tree;

use crate::support::{in_ci, Project};

/// About this many files are copied from the standard library
/// (`STABLEGATE_PREFILTER_SAMPLE` overrides it; `0` copies every file).
const SAMPLE: usize = 300;

/// `STABLEGATE_PREFILTER_DIR` replaces the corpus (default: the stdlib of
/// `python3`, site-packages left out), for long campaigns outside CI.
fn corpus() -> Option<PathBuf> {
    match std::env::var_os("STABLEGATE_PREFILTER_DIR") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => stdlib(),
    }
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const PATTERNS: &[&str] = &[
    "json.loads($X)",
    "json.load($X)",
    "os.path.join($A, $B)",
    "yield from $X",
    "$A not in $B",
    "$A is not None",
    "lambda: $X",
    "super().__init__($$$)",
    "self.assertEqual($A, $B)",
    "with open($F) as $H: $$$",
    "@property",
    "return self.$M($$$)",
    "raise ValueError($$$)",
    "raise $E from None",
    "import os",
    "from . import $X",
    "[$X for $X in $Y]",
    "$D[$K] = $V",
    "print($A, file=sys.stderr)",
    "isinstance($X, (str, bytes))",
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
    let Some(stdlib) = corpus() else {
        assert!(!in_ci(), "python3 is required in CI");
        println!("notice: python3 is not installed; prefilter soundness test skipped");
        return;
    };
    let project = Project::new();
    let copied = copy_sample(&stdlib, project.path());
    assert!(
        copied >= setting("STABLEGATE_PREFILTER_SAMPLE", SAMPLE).min(SAMPLE) / 2,
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
            fast.all_findings(),
            full.all_findings(),
            "gate {} ({:?})",
            gate.name,
            gate.source
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
            fast.all_findings().len(),
            fast.parsed_files,
            fast.scanned_files,
            full.parsed_files
        );
        narrowed += usize::from(fast.parsed_files < full.parsed_files / 2);
        found += usize::from(!fast.all_findings().is_empty());
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

/// How many patterns are cut from the sample's code
/// (`STABLEGATE_PREFILTER_PATTERNS` overrides it).
const CUT_PATTERNS: usize = 160;

#[test]
fn patterns_cut_from_real_code_find_the_same_sites_with_and_without_the_prefilter() {
    let Some(stdlib) = corpus() else {
        assert!(!in_ci(), "python3 is required in CI");
        println!("notice: python3 is not installed; prefilter soundness test skipped");
        return;
    };
    let project = Project::new();
    copy_sample(&stdlib, project.path());
    let wanted = setting("STABLEGATE_PREFILTER_PATTERNS", CUT_PATTERNS);
    let patterns = cut_patterns(project.path(), wanted);
    assert!(
        patterns.len() >= wanted / 2,
        "only {} patterns cut from the sample",
        patterns.len()
    );
    // One rule per pattern, so each rule's prefilter is judged on its own.
    let rules: String = (patterns.iter().enumerate())
        .map(|(i, pattern)| {
            let quoted = serde_json::to_string(pattern).unwrap();
            format!("id: cut{i}\nlanguage: python\nrule:\n  pattern: {quoted}\n---\n")
        })
        .collect();
    project.file("cut.yml", rules).file(
        "stablegate.toml",
        "[[gate]]\nname = \"cut\"\nrule_file = \"cut.yml\"\n",
    );
    let gate = (stablegate_config::load(project.path(), None)
        .unwrap()
        .unwrap()
        .gates)
        .remove(0);
    let fast = collect(&Tree::disk(project.path()), &gate, &Options::default()).unwrap();
    let full = collect(
        &Tree::disk(project.path()),
        &gate,
        &Options {
            prefilter: false,
            ..Options::default()
        },
    )
    .unwrap();
    let (fast, full) = (fast.all_findings(), full.all_findings());
    let missed: Vec<String> = (full.iter())
        .filter(|finding| !fast.contains(finding))
        .take(5)
        .map(|finding| {
            let index: usize = finding.rule["cut".len()..].parse().unwrap();
            format!(
                "{}:{} missed by {:?}",
                finding.file, finding.line, patterns[index]
            )
        })
        .collect();
    assert!(
        missed.is_empty(),
        "the prefilter skipped matches: {missed:#?}"
    );
    assert_eq!(fast, full);
    let matched = (patterns.iter().enumerate())
        .filter(|(i, _)| fast.iter().any(|f| f.rule == format!("cut{i}")))
        .count();
    println!(
        "{} patterns cut from the sample, {matched} match; {} findings",
        patterns.len(),
        fast.len()
    );
    assert!(
        matched >= patterns.len() * 9 / 10,
        "{matched} of {} matched",
        patterns.len()
    );
}

/// Expressions and statements of the sampled files, as written (possibly
/// over several lines) and with their last identifier made a metavariable.
fn cut_patterns(root: &Path, wanted: usize) -> Vec<String> {
    use ast_grep_core::tree_sitter::LanguageExt;
    use ast_grep_core::Pattern;
    use ast_grep_language::SupportLang;

    const KINDS: &[&str] = &[
        "call",
        "attribute",
        "comparison_operator",
        "boolean_operator",
        "binary_operator",
        "not_operator",
        "assignment",
        "augmented_assignment",
        "return_statement",
        "raise_statement",
        "import_from_statement",
        "decorator",
        "subscript",
        "lambda",
        "conditional_expression",
        "list_comprehension",
        "dictionary",
        "yield",
        "await",
    ];
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(entry.path());
            } else if entry.path().extension().is_some_and(|ext| ext == "py") {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let mut candidates: Vec<(u64, String)> = Vec::new();
    for file in &files {
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        let parsed = SupportLang::Python.ast_grep(&text);
        for node in parsed.root().dfs() {
            let code = node.text();
            if !KINDS.contains(&&*node.kind()) || code.len() > 160 || code.len() < 6 {
                continue;
            }
            // A deterministic spread over kinds, files and layouts.
            let mut hash = 0xcbf2_9ce4_8422_2325_u64;
            for byte in code.bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
            }
            candidates.push((hash, code.to_string()));
            let identifier = node.dfs().filter(|n| n.kind() == "identifier").last();
            if let Some(identifier) = identifier {
                let range = identifier.range();
                let start = range.start - node.range().start;
                let end = range.end - node.range().start;
                let mut variant = code.to_string();
                variant.replace_range(start..end, "$X");
                candidates.push((hash.rotate_left(17), variant));
            }
        }
    }
    candidates.sort();
    candidates.dedup_by(|a, b| a.1 == b.1);
    (candidates.into_iter())
        .map(|(_, code)| code)
        .filter(|code| Pattern::try_new(code, SupportLang::Python).is_ok())
        .take(wanted)
        .collect()
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
pub fn stdlib() -> Option<PathBuf> {
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
    let sample = setting("STABLEGATE_PREFILTER_SAMPLE", SAMPLE);
    let step = files.len().checked_div(sample).unwrap_or(1).max(1);
    let sample: Vec<&PathBuf> = files.iter().step_by(step).collect();
    for file in &sample {
        let target = to.join("lib").join(file.strip_prefix(stdlib).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(file, target).unwrap();
    }
    sample.len()
}
