//! `prune`: whole entries cut out, the baseline lowered, every other byte
//! kept.

use stablegate_gates::edit::{remove_entries, EditError};

use crate::support::list;

const TEXT: &str = "\
# Header.
k_baseline: 4   # ratchet
k:
# why a
- file: a.py
  token: \"a\"   # trailing
- file: b.py
  token: 'b'
  rationale: |
    # not a comment: content
    kept

# a loose comment
- file: c.py
  token: \"c\"
  # about c, indented
- {file: d.py, token: \"d\"}
other: 1
";

fn remove(text: &str, indices: &[usize]) -> Result<String, EditError> {
    let parsed = list(text, "k");
    remove_entries("gates/a.yaml", text, &[(&parsed, indices)]).map(|removed| removed.text)
}

#[test]
fn removed_entries_take_their_lines_and_comments_and_nothing_else() {
    let parsed = list(TEXT, "k");
    let removed = remove_entries("gates/a.yaml", TEXT, &[(&parsed, &[0, 2][..])]).unwrap();
    assert_eq!(
        removed.text,
        "\
# Header.
k_baseline: 2   # ratchet
k:
- file: b.py
  token: 'b'
  rationale: |
    # not a comment: content
    kept

- {file: d.py, token: \"d\"}
other: 1
"
    );
    assert_eq!(removed.baselines, vec![Some((4, 2))]);
    // The entry with a block scalar, and a flow mapping entry.
    assert_eq!(
        remove(TEXT, &[1, 3]).unwrap(),
        "\
# Header.
k_baseline: 2   # ratchet
k:
# why a
- file: a.py
  token: \"a\"   # trailing

# a loose comment
- file: c.py
  token: \"c\"
  # about c, indented
other: 1
"
    );
}

#[test]
fn removing_every_entry_leaves_an_empty_list() {
    assert_eq!(
        remove(
            "k_baseline: 1\nk:\n- file: a.py\n  token: \"a\"\nz: 1\n",
            &[0]
        )
        .unwrap(),
        "k_baseline: 0\nk: []\nz: 1\n"
    );
}

#[test]
fn crlf_stays_crlf() {
    let text = "k:\r\n- file: a.py\r\n  token: \"a\"\r\n- file: b.py\r\n  token: \"b\"\r\n";
    assert_eq!(
        remove(text, &[0]).unwrap(),
        "k:\r\n- file: b.py\r\n  token: \"b\"\r\n"
    );
}

#[test]
fn a_flow_list_is_refused() {
    let refused = remove("k: [{file: a.py, token: \"a\"}, {file: b.py}]\n", &[0]);
    assert!(
        matches!(refused, Err(EditError::Unsupported { .. })),
        "{refused:?}"
    );
}
