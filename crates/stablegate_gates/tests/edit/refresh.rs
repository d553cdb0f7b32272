//! `refresh`: only `line:` values change, whatever else the file holds.

use stablegate_gates::edit::{relocate, relocations, Relocations};
use stablegate_gates::Site;

use crate::support::{line_diff, list, site};

/// Refreshes key `k` of `text` against `sites`.
fn refresh(text: &str, sites: &[Site]) -> (String, Relocations) {
    let parsed = list(text, "k");
    let found = relocations(&parsed, sites);
    let edited = relocate("gates/a.yaml", text, &[(&parsed, &found.moves)]).unwrap();
    (edited, found)
}

#[test]
fn only_line_values_move() {
    let text = "\
# header
k_baseline: 4
k:
# first
- file: src/a.py
  qualname: f
  line: 3   # where it was
  token: \"x = json . loads ( s )\"
  count: 2
  rationale: 'kept as is'

- {file: src/a.py, qualname: g, line: 9, token: \"y = 1\"}
- file: src/b.py
  qualname: h
  line: 4
  token: \"gone\"
- qualname: legacy
  line: 12
";
    let sites = vec![
        site("src/a.py", 15, "f", "x = json . loads ( s )"),
        site("src/a.py", 13, "f", "x = json . loads ( s )"),
        site("src/a.py", 20, "g", "y = 1"),
        site("src/b.py", 12, "legacy", "z"),
    ];
    let (edited, found) = refresh(text, &sites);
    assert_eq!(
        edited,
        text.replace("line: 3 ", "line: 13 ")
            .replace("line: 9,", "line: 20,")
    );
    assert_eq!(found.moves.len(), 2);
    assert_eq!((found.current, found.untouched), (0, 2));
    let (added, removed) = line_diff(text, &edited);
    assert_eq!(removed.len(), 2);
    assert_eq!(added.len(), 2);
    for line in added.iter().chain(&removed) {
        assert!(line.contains("line: "), "{line:?}");
    }
}

#[test]
fn truncated_tokens_are_followed_and_ambiguous_ones_left_alone() {
    let text = "k:\n- file: a.py\n  qualname: f\n  line: 1\n  token: \"x = json . lo…\"\n- file: a.py\n  qualname: g\n  line: 2\n  token: \"y…\"\n";
    let sites = vec![
        site("a.py", 8, "f", "x = json . loads ( s )"),
        site("a.py", 9, "g", "y = 1"),
        site("a.py", 10, "g", "y = 2"),
    ];
    let (edited, found) = refresh(text, &sites);
    assert_eq!(edited, text.replace("line: 1\n", "line: 8\n"));
    assert_eq!(found.untouched, 1);
}

#[test]
fn nothing_to_move_changes_nothing() {
    let text = "k:\n- file: a.py\n  qualname: f\n  line: 8\n  token: \"x\"\n";
    let (edited, found) = refresh(text, &[site("a.py", 8, "f", "x")]);
    assert_eq!(edited, text);
    assert_eq!(found.current, 1);
}

#[test]
fn keys_sharing_a_file_are_refreshed_together() {
    let text = "one:\n- {file: a.py, qualname: f, line: 1, token: \"x\"}\ntwo:\n- {file: a.py, qualname: f, line: 1, token: \"y\"}\n";
    let one = list(text, "one");
    let two = list(text, "two");
    let moved_one = relocations(&one, &[site("a.py", 5, "f", "x")]);
    let moved_two = relocations(&two, &[site("a.py", 6, "f", "y")]);
    let edited = relocate(
        "gates/a.yaml",
        text,
        &[(&one, &moved_one.moves), (&two, &moved_two.moves)],
    )
    .unwrap();
    assert_eq!(
        edited,
        "one:\n- {file: a.py, qualname: f, line: 5, token: \"x\"}\ntwo:\n- {file: a.py, qualname: f, line: 6, token: \"y\"}\n"
    );
}
