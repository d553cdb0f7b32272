//! Round trips on hostile but valid YAML: flow style, quoted and block
//! scalars, anchors and aliases, comments between entries, CRLF, a BOM,
//! unicode. Every edit keeps every byte it does not own.

use stablegate_gates::edit::{insert_entries, relocate, relocations, NewEntry};

use crate::support::{line_diff, list, site};

const HOSTILE: &str = "\
# ünïcode header — keep me
%YAML 1.2
---
defaults: &why \"shared rationale\"
k:   # the list
  - &first
    file: \"src/a.py\"     # double-quoted
    qualname: 'Outer.inner'   # single-quoted
    line: 3
    token: \"x = f ( ) # not a comment\"
    rationale: *why

  # a comment between entries

  - {file: src/b.py, qualname: g, line: 4, token: 'y = 2', note: [1, {a: b}]}
  - file: src/c.py
    qualname: h
    line:    5
    token: >-
      z = 3
    rationale: |
      a literal
        block

  - *first
other: !!str 12
";

fn sites() -> Vec<stablegate_gates::Site> {
    vec![
        site("src/a.py", 30, "Outer.inner", "x = f ( ) # not a comment"),
        site("src/b.py", 40, "g", "y = 2"),
        site("src/c.py", 50, "h", "z = 3"),
    ]
}

#[test]
fn refresh_rewrites_only_the_locators() {
    let parsed = list(HOSTILE, "k");
    let found = relocations(&parsed, &sites());
    // The alias repeats the first entry: both move, through one edit.
    assert_eq!(found.moves.len(), 4);
    let edited = relocate("gates/a.yaml", HOSTILE, &[(&parsed, &found.moves)]).unwrap();
    let expected = HOSTILE
        .replace("line: 3\n", "line: 30\n")
        .replace("line: 4,", "line: 40,")
        .replace("line:    5\n", "line:    50\n");
    assert_eq!(edited, expected);
}

#[test]
fn refresh_keeps_crlf_and_a_bom() {
    let text = format!("\u{feff}{}", HOSTILE.replace('\n', "\r\n"));
    let parsed = list(&text, "k");
    let found = relocations(&parsed, &sites());
    let edited = relocate("gates/a.yaml", &text, &[(&parsed, &found.moves)]).unwrap();
    let (added, removed) = line_diff(&text, &edited);
    assert_eq!((added.len(), removed.len()), (3, 3));
    assert!(edited.starts_with('\u{feff}'));
    assert!(!edited.replace("\r\n", "").contains('\n'));
}

#[test]
fn allow_appends_after_the_alias_and_keeps_everything() {
    let parsed = list(HOSTILE, "k");
    let entry = NewEntry {
        file: "src/d.py".to_owned(),
        qualname: "<module>".to_owned(),
        line: 1,
        token: "import os".to_owned(),
        text: None,
        rule: None,
        count: None,
        rationale: "a \"quoted\" reason: with colon # and hash".to_owned(),
        issue: Some("https://example.com/1".to_owned()),
    };
    let appended = insert_entries("gates/a.yaml", HOSTILE, &parsed, &[entry]).unwrap();
    let (added, removed) = line_diff(HOSTILE, &appended.text);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added.concat(),
        "  - file: src/d.py\n    qualname: <module>\n    line: 1\n    token: \"import os\"\n    rationale: \"a \\\"quoted\\\" reason: with colon # and hash\"\n    issue: \"https://example.com/1\"\n"
    );
    let reread = list(&appended.text, "k");
    let last = reread.entries.last().unwrap();
    assert_eq!(
        last.rationale.as_ref().unwrap().value,
        "a \"quoted\" reason: with colon # and hash"
    );
}
