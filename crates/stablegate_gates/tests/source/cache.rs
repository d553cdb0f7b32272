//! The scan cache changes how long a scan takes, never what it finds: over
//! real files of the machine's Python standard library and random sequences
//! of edits (lines inserted, deleted and swapped, matches added in code, in
//! comments and in strings, syntax errors, a BOM, bytes that are not UTF-8,
//! files deleted and restored, files rewritten unchanged), every scan with
//! the cache collects exactly what a scan without it collects — findings,
//! keys, unreadable files, parser gaps and counts — for a pattern gate and a
//! rule-file gate. A cache file that is corrupt, truncated or of another
//! plan is never trusted.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use stablegate_gates::source::{collect, Options};
use stablegate_gates::tree::Tree;
use stablegate_gates::Collected;

use crate::support::Project;

/// How many standard library files the project holds, and how many of each
/// file's lines (the edits need variety, not size).
const FILES: usize = 8;
const LINES: usize = 250;

const GATES: &[&str] = &["pattern = \"$F($$$A)\"", "rule_file = \"rules.yml\""];

const RULES: &str = "id: loads
language: python
rule:
  any:
    - pattern: json.loads($X)
    - all:
        - pattern: $A.$B
        - inside:
            kind: function_definition
            stopBy: end
";

const INSERTS: &[&str] = &[
    "x = json.loads(y)",
    "    value = json.loads(text)",
    "# json.loads(commented)",
    "s = '''json.loads(in_a_string)'''",
    "def broken(:",
    "print(a.b.c)",
    "",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert { file: usize, at: usize, text: usize },
    Delete { file: usize, at: usize },
    Swap { file: usize, at: usize },
    Bom { file: usize },
    NotUtf8 { file: usize, at: usize },
    Remove { file: usize },
    Restore { file: usize },
    Rewrite { file: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let file = 0..FILES;
    prop_oneof![
        (file.clone(), 0..LINES, 0..INSERTS.len()).prop_map(|(file, at, text)| Edit::Insert {
            file,
            at,
            text
        }),
        (file.clone(), 0..LINES).prop_map(|(file, at)| Edit::Delete { file, at }),
        (file.clone(), 0..LINES).prop_map(|(file, at)| Edit::Swap { file, at }),
        file.clone().prop_map(|file| Edit::Bom { file }),
        (file.clone(), 0..LINES).prop_map(|(file, at)| Edit::NotUtf8 { file, at }),
        file.clone().prop_map(|file| Edit::Remove { file }),
        file.clone().prop_map(|file| Edit::Restore { file }),
        file.prop_map(|file| Edit::Rewrite { file }),
    ]
}

/// Real files: every n-th `.py` file of the standard library, cut to
/// [`LINES`] lines. `None` without a `python3`.
fn originals() -> Option<Vec<(String, Vec<u8>)>> {
    let stdlib = crate::prefilter::stdlib()?;
    let mut files = Vec::new();
    let mut dirs = vec![stdlib.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                if name != "site-packages" && name != "__pycache__" && name != "test" {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    let step = (files.len() / FILES).max(1);
    let picked = files.iter().step_by(step).take(FILES).map(|path| {
        let text = fs::read_to_string(path).unwrap_or_default();
        let cut: Vec<&str> = text.lines().take(LINES).collect();
        let name = path.strip_prefix(&stdlib).unwrap_or(path);
        (
            format!("lib/{}", name.display()),
            format!("{}\n", cut.join("\n")).into_bytes(),
        )
    });
    Some(picked.collect())
}

fn apply(root: &Path, originals: &[(String, Vec<u8>)], edit: &Edit) {
    let path = |file: usize| root.join(&originals[file % originals.len()].0);
    let lines = |file: usize| -> Vec<Vec<u8>> {
        let bytes = fs::read(path(file)).unwrap_or_default();
        bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
    };
    let write = |file: usize, lines: Vec<Vec<u8>>| {
        let target = path(file);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, lines.join(&b'\n')).unwrap();
    };
    match *edit {
        Edit::Insert { file, at, text } => {
            let mut all = lines(file);
            all.insert(at.min(all.len()), INSERTS[text].as_bytes().to_vec());
            write(file, all);
        }
        Edit::Delete { file, at } => {
            let mut all = lines(file);
            if at < all.len() {
                all.remove(at);
            }
            write(file, all);
        }
        Edit::Swap { file, at } => {
            let mut all = lines(file);
            if at + 1 < all.len() {
                all.swap(at, at + 1);
            }
            write(file, all);
        }
        Edit::Bom { file } => {
            let mut all = lines(file);
            if let Some(first) = all.first_mut() {
                first.splice(0..0, "\u{feff}".bytes());
            }
            write(file, all);
        }
        Edit::NotUtf8 { file, at } => {
            let mut all = lines(file);
            let at = at.min(all.len().saturating_sub(1));
            if let Some(line) = all.get_mut(at) {
                line.push(0xff);
            }
            write(file, all);
        }
        Edit::Remove { file } => {
            let _ = fs::remove_file(path(file));
        }
        Edit::Restore { file } => {
            let (name, bytes) = &originals[file % originals.len()];
            let target = root.join(name);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
        Edit::Rewrite { file } => {
            if let Ok(bytes) = fs::read(path(file)) {
                fs::write(path(file), bytes).unwrap();
            }
        }
    }
}

fn scan(project: &Project, gate: &str, cache: Option<&PathBuf>) -> Collected {
    let options = Options {
        cache: cache.cloned(),
        ..Options::default()
    };
    let gate = project.gate(gate);
    collect(&Tree::disk(project.path()), &gate, &options).expect("the gate scans")
}

fn project(originals: &[(String, Vec<u8>)]) -> Project {
    let project = Project::new();
    project.file("rules.yml", RULES);
    for (name, bytes) in originals {
        project.file(name, bytes);
    }
    project
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_cached_scan_collects_what_an_uncached_scan_collects(
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let Some(originals) = originals() else {
            eprintln!("no python3: skipped");
            return Ok(());
        };
        let project = project(&originals);
        let cache = project.path().join(".stablegate_cache");
        for gate in GATES {
            // A cold scan fills the cache.
            prop_assert_eq!(scan(&project, gate, Some(&cache)), scan(&project, gate, None));
        }
        for edit in &edits {
            apply(project.path(), &originals, edit);
            for gate in GATES {
                let fresh = scan(&project, gate, None);
                prop_assert_eq!(&scan(&project, gate, Some(&cache)), &fresh, "{:?}", edit);
                // Again, from the cache the scan just rewrote.
                prop_assert_eq!(&scan(&project, gate, Some(&cache)), &fresh, "{:?}", edit);
            }
        }
    }
}

#[test]
fn a_damaged_cache_file_is_never_trusted() {
    let Some(originals) = originals() else {
        eprintln!("no python3: skipped");
        return;
    };
    let project = project(&originals);
    let cache = project.path().join(".stablegate_cache");
    let gate = GATES[0];
    let fresh = scan(&project, gate, None);
    assert!(!fresh.all_findings().is_empty());
    assert_eq!(scan(&project, gate, Some(&cache)), fresh);
    let file = fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "bin"))
        .expect("a cache file was written");
    assert!(cache.join(".gitignore").exists() && cache.join("CACHEDIR.TAG").exists());
    let written = fs::read(&file).unwrap();
    let damaged: Vec<Vec<u8>> = vec![
        written[..written.len() / 2].to_vec(),
        written.iter().map(|b| b ^ 0x55).collect(),
        {
            // One finding's line number changed: only the trailing digest
            // can tell.
            let mut flipped = written.clone();
            let at = written.len() / 2;
            flipped[at] = flipped[at].wrapping_add(1);
            flipped
        },
        Vec::new(),
    ];
    for bytes in damaged {
        fs::write(&file, &bytes).unwrap();
        assert_eq!(scan(&project, gate, Some(&cache)), fresh);
    }
    // A cache written for another rule is another file: the first gate's
    // entries never answer for it.
    let other = "pattern = \"$F($A)\"";
    assert_eq!(
        scan(&project, other, Some(&cache)),
        scan(&project, other, None)
    );
}
