//! `convert`, writing: legacy mappings gain fields after `line:` (added
//! lines only), legacy strings become mappings in the list's style.

use stablegate_gates::edit::{freeze, Frozen, TextFill};

use crate::support::{line_diff, list};

fn frozen(entry: usize, file: &str, qualname: &str, line: usize, token: &str) -> Frozen {
    Frozen {
        entry,
        file: file.to_owned(),
        qualname: qualname.to_owned(),
        line,
        token: token.to_owned(),
        count: None,
    }
}

#[test]
fn legacy_mappings_gain_fields_on_added_lines_only() {
    let text = "\
# legacy header
k:
# importers
- qualname: Importer.implement   # twin
  line: 7
  rationale: \"vendor payloads\"
- file: src/b.py
  qualname: main
  line: 6
- line: 9
  qualname: f
";
    let seeds = [
        frozen(
            0,
            "src/a.py",
            "Importer.implement",
            7,
            "data = json . loads ( raw )",
        ),
        Frozen {
            count: Some(2),
            ..frozen(1, "src/b.py", "main", 6, "x = y")
        },
        frozen(2, "src/c.py", "f", 9, "z = 1"),
    ];
    let edited = freeze("gates/a.yaml", text, &list(text, "k"), &seeds, &[]).unwrap();
    assert_eq!(
        edited,
        "\
# legacy header
k:
# importers
- qualname: Importer.implement   # twin
  line: 7
  file: src/a.py
  token: \"data = json . loads ( raw )\"
  rationale: \"vendor payloads\"
- file: src/b.py
  qualname: main
  line: 6
  token: \"x = y\"
  count: 2
- line: 9
  file: src/c.py
  token: \"z = 1\"
  qualname: f
"
    );
    let (added, removed) = line_diff(text, &edited);
    assert!(removed.is_empty());
    assert_eq!(added.len(), 6);
}

#[test]
fn legacy_strings_become_mappings_in_block_and_flow_lists() {
    let text = "k:\n  - \"src/a.py:3\"   # why\n  - 'src/b.py:4'\nj: [\"src/a.py:3\", {qualname: f, line: 5}]\n";
    let block = freeze(
        "gates/a.yaml",
        text,
        &list(text, "k"),
        &[
            frozen(0, "src/a.py", "f", 3, "x"),
            frozen(1, "src/b.py", "g", 4, "y"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(
        block,
        "k:\n  - file: src/a.py\n    qualname: f\n    line: 3\n    token: \"x\"   # why\n  - file: src/b.py\n    qualname: g\n    line: 4\n    token: \"y\"\nj: [\"src/a.py:3\", {qualname: f, line: 5}]\n"
    );
    let flow = freeze(
        "gates/a.yaml",
        text,
        &list(text, "j"),
        &[
            frozen(0, "src/a.py", "f", 3, "x"),
            frozen(1, "src/c.py", "f", 5, "z"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(
        flow,
        "k:\n  - \"src/a.py:3\"   # why\n  - 'src/b.py:4'\nj: [{file: src/a.py, qualname: f, line: 3, token: \"x\"}, {qualname: f, line: 5, file: src/c.py, token: \"z\"}]\n"
    );
}

#[test]
fn crlf_legacy_files_stay_crlf() {
    let text = "k:\r\n- qualname: f\r\n  line: 3\r\n- \"b.py:4\"\r\n";
    let edited = freeze(
        "gates/a.yaml",
        text,
        &list(text, "k"),
        &[
            frozen(0, "a.py", "f", 3, "x"),
            frozen(1, "b.py", "g", 4, "y"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(
        edited,
        "k:\r\n- qualname: f\r\n  line: 3\r\n  file: a.py\r\n  token: \"x\"\r\n- file: b.py\r\n  qualname: g\r\n  line: 4\r\n  token: \"y\"\r\n"
    );
}

#[test]
fn token_less_entries_gain_their_text_after_the_token() {
    let text = "k:\n- file: a.py\n  qualname: f\n  line: 3\n  token: \"\"  # docstring\n  rationale: \"why\"\nj: [{file: a.py, qualname: f, line: 4, token: \"\", rule: E501}]\n";
    let fill = |entry, text: &str| TextFill {
        entry,
        file: "a.py".to_owned(),
        qualname: "f".to_owned(),
        line: 3,
        text: text.to_owned(),
    };
    let block = freeze(
        "gates/a.yaml",
        text,
        &list(text, "k"),
        &[],
        &[fill(0, "\"\"\"Read it.")],
    )
    .unwrap();
    assert_eq!(
        block,
        "k:\n- file: a.py\n  qualname: f\n  line: 3\n  token: \"\"  # docstring\n  text: \"\\\"\\\"\\\"Read it.\"\n  rationale: \"why\"\nj: [{file: a.py, qualname: f, line: 4, token: \"\", rule: E501}]\n"
    );
    let flow = freeze(
        "gates/a.yaml",
        text,
        &list(text, "j"),
        &[],
        &[fill(0, "# note")],
    )
    .unwrap();
    assert_eq!(
        flow,
        "k:\n- file: a.py\n  qualname: f\n  line: 3\n  token: \"\"  # docstring\n  rationale: \"why\"\nj: [{file: a.py, qualname: f, line: 4, token: \"\", text: \"# note\", rule: E501}]\n"
    );
}

#[test]
fn an_anchor_an_alias_uses_is_never_dropped() {
    let text = "k:\n- &a \"a.py:3\"\nj:\n- *a\n";
    let refused = freeze(
        "gates/a.yaml",
        text,
        &list(text, "k"),
        &[frozen(0, "a.py", "f", 3, "x")],
        &[],
    );
    assert!(refused.is_err());
}
