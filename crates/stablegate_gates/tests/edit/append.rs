//! `allow`: entries added in the list's own style, in sorted position,
//! everything else kept.

use stablegate_gates::edit::{insert_entries, new_entries, EditError, NewEntry};
use stablegate_gates::reconcile::{suggestion, Suggested};
use stablegate_gates::{Item, Verdict};

use crate::support::list;

fn entry(file: &str, line: usize, token: &str) -> NewEntry {
    NewEntry {
        file: file.to_owned(),
        qualname: "f".to_owned(),
        line,
        token: token.to_owned(),
        text: None,
        rule: None,
        count: None,
        rationale: "why".to_owned(),
        issue: None,
    }
}

fn append(text: &str, entries: &[NewEntry]) -> Result<String, EditError> {
    let parsed = list(text, "k");
    insert_entries("gates/a.yaml", text, &parsed, entries).map(|appended| appended.text)
}

#[test]
fn entries_go_after_the_last_one_and_every_other_byte_stays() {
    let text = "\
# Header: why this gate exists.
#
# Add entries with `stablegate allow`.

k_baseline: 1   # ratchet
k:
  # the first one
  - file: a.py
    qualname: f
    line: 3
    token: 'x = 1'   # single-quoted
    rationale: >
      folded
      text

# trailing comment
other: [1, 2]
";
    let expected = "\
# Header: why this gate exists.
#
# Add entries with `stablegate allow`.

k_baseline: 2   # ratchet
k:
  # the first one
  - file: a.py
    qualname: f
    line: 3
    token: 'x = 1'   # single-quoted
    rationale: >
      folded
      text
  - file: b.py
    qualname: f
    line: 7
    token: \"y = json . loads ( s )\"
    rationale: \"why\"

# trailing comment
other: [1, 2]
";
    let parsed = list(text, "k");
    let appended = insert_entries(
        "gates/a.yaml",
        text,
        &parsed,
        &[entry("b.py", 7, "y = json . loads ( s )")],
    )
    .unwrap();
    assert_eq!(appended.text, expected);
    assert_eq!(appended.baseline, Some((1, 2)));
}

#[test]
fn an_entry_is_the_suggestion_check_prints_with_the_reason() {
    let mut new = entry("src/m.py", 56, "meta = json . load ( f )");
    new.qualname = "SchemaCheck.detect".to_owned();
    new.count = Some(2);
    new.issue = Some("#12".to_owned());
    let written = append("", &[new]).unwrap();
    let suggested = suggestion(&Suggested {
        file: "src/m.py",
        qualname: "SchemaCheck.detect",
        line: 56,
        token: "meta = json . load ( f )",
        text: None,
        rule: None,
        count: Some(2),
    });
    let (without_rationale, _) = suggested.rsplit_once('\n').unwrap();
    assert_eq!(
        written,
        format!("k:\n{without_rationale}\n  rationale: \"why\"\n  issue: \"#12\"\n")
    );
}

#[test]
fn a_token_less_entry_with_a_rule_is_the_suggestion_check_prints() {
    let mut new = entry("src/m.py", 7, "");
    new.text = Some("\"\"\"Read the meta file.".to_owned());
    new.rule = Some("E501".to_owned());
    let written = append("", &[new]).unwrap();
    let suggested = suggestion(&Suggested {
        file: "src/m.py",
        qualname: "f",
        line: 7,
        token: "",
        text: Some("\"\"\"Read the meta file."),
        rule: Some("E501"),
        count: None,
    });
    let (without_rationale, _) = suggested.rsplit_once('\n').unwrap();
    assert_eq!(
        written,
        format!("k:\n{without_rationale}\n  rationale: \"why\"\n")
    );
}

#[test]
fn a_missing_key_is_added_at_the_end() {
    let text = "# shared file\nother:\n- file: x.py\n  token: \"x\"";
    assert_eq!(
        append(text, &[entry("a.py", 1, "x")]).unwrap(),
        "# shared file\nother:\n- file: x.py\n  token: \"x\"\nk:\n- file: a.py\n  qualname: f\n  line: 1\n  token: \"x\"\n  rationale: \"why\"\n"
    );
}

#[test]
fn a_null_key_becomes_a_block_list() {
    let new = [entry("a.py", 1, "x")];
    let block = "- file: a.py\n  qualname: f\n  line: 1\n  token: \"x\"\n  rationale: \"why\"\n";
    assert_eq!(
        append("k:\nother: 1\n", &new).unwrap(),
        format!("k:\n{block}other: 1\n")
    );
    assert_eq!(
        append("k: ~  # none yet\nother: 1\n", &new).unwrap(),
        format!("k:   # none yet\n{block}other: 1\n")
    );
}

#[test]
fn a_flow_list_gets_flow_entries() {
    let new = [entry("a.py", 1, "x"), entry("b.py", 2, "y")];
    let flow = "{file: a.py, qualname: f, line: 1, token: \"x\", rationale: \"why\"}, {file: b.py, qualname: f, line: 2, token: \"y\", rationale: \"why\"}";
    assert_eq!(
        append("k: []  # empty\n", &new).unwrap(),
        format!("k: [{flow}]  # empty\n")
    );
    let text =
        "k: [ {file: c.py, qualname: g, token: \"z\", tags: [a, b]},  # c\n     \"d.py:4\", ]\n";
    assert_eq!(
        append(text, &new).unwrap(),
        format!("k: [ {{file: c.py, qualname: g, token: \"z\", tags: [a, b]}},  # c\n     \"d.py:4\", {flow}, ]\n")
    );
}

#[test]
fn the_lists_indentation_is_kept() {
    let text = "k:\n    -   file: a.py\n        token: \"x\"\n";
    assert_eq!(
        append(text, &[entry("b.py", 2, "y")]).unwrap(),
        "k:\n    -   file: a.py\n        token: \"x\"\n    -   file: b.py\n        qualname: f\n        line: 2\n        token: \"y\"\n        rationale: \"why\"\n"
    );
}

#[test]
fn crlf_files_stay_crlf() {
    let text = "# h\r\nk:\r\n- file: a.py\r\n  token: \"x\"\r\n";
    let edited = append(text, &[entry("b.py", 2, "y")]).unwrap();
    assert!(edited.starts_with(text));
    assert!(
        !edited.replace("\r\n", "").contains(['\n', '\r']),
        "{edited:?}"
    );
    assert_eq!(edited.matches("\r\n").count(), 9);
}

#[test]
fn a_keep_chomped_block_scalar_keeps_its_trailing_lines() {
    let text = "k:\n- file: a.py\n  rationale: |+\n    kept\n\n\nz: 1\n";
    let edited = append(text, &[entry("b.py", 2, "y")]).unwrap();
    assert!(edited.starts_with("k:\n- file: a.py\n  rationale: |+\n    kept\n\n\n- file: b.py\n"));
    let clipped = "k:\n- file: a.py\n  rationale: |\n    clipped\n\n# c\nz: 1\n";
    let edited = append(clipped, &[entry("b.py", 2, "y")]).unwrap();
    assert!(edited.starts_with("k:\n- file: a.py\n  rationale: |\n    clipped\n- file: b.py\n"));
    assert!(edited.ends_with("  rationale: \"why\"\n\n# c\nz: 1\n"));
}

#[test]
fn a_shape_that_cannot_take_entries_is_refused_not_corrupted() {
    let refused = append("# c\n---\n{other: 1}\n", &[entry("a.py", 1, "x")]);
    assert!(
        matches!(refused, Err(EditError::Unsupported { .. })),
        "{refused:?}"
    );
    // A document end marker: appending after it would start a second one.
    let refused = append("other: 1\n...\n", &[entry("a.py", 1, "x")]);
    assert!(
        matches!(refused, Err(EditError::Unsafe { .. })),
        "{refused:?}"
    );
}

fn violation(file: &str, line: usize, qualname: &str, token: &str) -> Item {
    Item::new(Verdict::Violation, file, Some(line), qualname, token)
}

#[test]
fn one_entry_per_live_key_ordered_by_file_and_line() {
    let items = vec![
        violation("b.py", 9, "g", "y"),
        violation("a.py", 7, "f", "x"),
        violation("a.py", 3, "f", "x"),
        violation("a.py", 5, "h", "z"),
        Item::new(Verdict::Stale, "a.py", Some(1), "f", "old"),
    ];
    let lax: Vec<(String, usize, Option<usize>)> = new_entries(&items, false, "r", None)
        .into_iter()
        .map(|entry| (entry.file, entry.line, entry.count))
        .collect();
    assert_eq!(
        lax,
        vec![
            ("a.py".to_owned(), 3, None),
            ("a.py".to_owned(), 5, None),
            ("b.py".to_owned(), 9, None)
        ]
    );
    let strict = new_entries(&items, true, "r", Some("#1"));
    assert_eq!(strict[0].count, Some(2));
    assert_eq!(strict[1].count, None);
    assert_eq!(strict[0].issue.as_deref(), Some("#1"));
}

#[test]
fn entries_go_in_sorted_position_with_the_comments_above_staying_on_their_entry() {
    let text = "\
k_baseline: 3
k:
# why a.py is accepted
- file: a.py
  qualname: f
  token: \"x\"
# why c.py
- file: c.py
  qualname: f
  token: \"x\"

- file: e.py
  qualname: f
  token: \"x\"
";
    let new = [
        entry("d.py", 4, "y"),
        entry("b.py", 2, "y"),
        entry("z.py", 9, "y"),
        entry("a.py", 1, "w"),
    ];
    let block = |file: &str, line: usize| {
        format!(
            "- file: {file}\n  qualname: f\n  line: {line}\n  token: \"y\"\n  rationale: \"why\"\n"
        )
    };
    let expected = format!(
        "k_baseline: 7\nk:\n- file: a.py\n  qualname: f\n  line: 1\n  token: \"w\"\n  rationale: \"why\"\n# why a.py is accepted\n- file: a.py\n  qualname: f\n  token: \"x\"\n{}# why c.py\n- file: c.py\n  qualname: f\n  token: \"x\"\n\n{}- file: e.py\n  qualname: f\n  token: \"x\"\n{}",
        block("b.py", 2),
        block("d.py", 4),
        block("z.py", 9)
    );
    assert_eq!(append(text, &new).unwrap(), expected);
    // Inserting into a sorted list keeps it sorted.
    let reread = list(&expected, "k");
    let files: Vec<&str> = reread
        .entries
        .iter()
        .map(|entry| entry.file.as_ref().unwrap().value.as_str())
        .collect();
    assert_eq!(
        files,
        ["a.py", "a.py", "b.py", "c.py", "d.py", "e.py", "z.py"]
    );
}
