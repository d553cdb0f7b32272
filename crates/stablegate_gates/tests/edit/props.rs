//! Properties of the edits over generated allowlists in mixed styles
//! (block and flow entries, plain, single- and double-quoted scalars,
//! comments between entries, LF or CRLF, indented or not): `refresh`
//! changes locators only, `allow` adds exactly the intended values (any
//! text, quotes and control characters included) and never drops a byte
//! of a block list.

use proptest::prelude::*;
use stablegate_gates::allowlist::{Allowlist, Entry};
use stablegate_gates::edit::{insert_entries, relocate, NewEntry, Relocation};

use crate::support::{line_diff, list};

const NAMES: [&str; 6] = ["a.py", "src/b c.py", "x:y.py", "null", "#c.py", "ü/ß.py"];
const TOKENS: [&str; 6] = [
    "x = f ( )",
    "s = \"q\" + 'r'",
    "a : b # c",
    "back \\ slash",
    "cut …",
    "{ [ , ] }",
];

#[derive(Debug, Clone)]
struct Spec {
    file: usize,
    token: usize,
    line: usize,
    /// 0 plain-if-safe, 1 single-quoted, 2 double-quoted.
    style: usize,
    flow: bool,
    comment: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..NAMES.len(),
        0..TOKENS.len(),
        1usize..500,
        0..3usize,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(file, token, line, style, flow, comment)| Spec {
            file,
            token,
            line,
            style,
            flow,
            comment,
        })
}

fn double(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write(text: &str, style: usize) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._".contains(c))
        && text != "null";
    match style {
        0 if plain => text.to_owned(),
        1 => format!("'{}'", text.replace('\'', "''")),
        _ => double(text),
    }
}

/// An allowlist under key `k` with the given entries, a header, another key.
fn document(specs: &[Spec], indent: usize, crlf: bool) -> String {
    let pad = " ".repeat(indent);
    let mut text = String::from("# header: keep\n\nk_baseline: 9  # ratchet\nk:\n");
    for (index, spec) in specs.iter().enumerate() {
        if spec.comment {
            text.push_str(&format!("{pad}# about entry {index}\n"));
        }
        let file = write(NAMES[spec.file], spec.style);
        let token = write(TOKENS[spec.token], spec.style);
        if spec.flow {
            text.push_str(&format!(
                "{pad}- {{file: {file}, qualname: f, line: {}, token: {token}}}\n",
                spec.line
            ));
        } else {
            text.push_str(&format!(
                "{pad}- file: {file}\n{pad}  qualname: f\n{pad}  line: {}   # locator\n{pad}  token: {token}\n",
                spec.line
            ));
        }
    }
    text.push_str("\n# trailer\nother: [1, 'two']\n");
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    text
}

/// The values of an entry, locator aside.
fn values(entry: &Entry) -> (Option<String>, Option<String>, Option<String>) {
    let text = |field: &Option<stablegate_gates::allowlist::Field<String>>| {
        field.as_ref().map(|field| field.value.clone())
    };
    (text(&entry.file), text(&entry.qualname), text(&entry.token))
}

fn locators(list: &Allowlist) -> Vec<usize> {
    list.entries
        .iter()
        .map(|entry| entry.locator.as_ref().map_or(0, |field| field.value))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn refresh_changes_locators_only(
        specs in prop::collection::vec(spec(), 1..6),
        moves in prop::collection::vec(prop::option::of(1usize..100_000), 6),
        indent in 0usize..3,
        crlf in any::<bool>(),
    ) {
        let text = document(&specs, indent, crlf);
        let before = list(&text, "k");
        let relocations: Vec<Relocation> = before
            .entries
            .iter()
            .enumerate()
            .filter_map(|(entry, parsed)| {
                let to = moves[entry]?;
                Some(Relocation { entry, entry_line: parsed.line, from: 0, to })
            })
            .collect();
        let edited = relocate("gates/a.yaml", &text, &[(&before, &relocations)]).unwrap();
        let after = list(&edited, "k");
        let mut expected = locators(&before);
        for relocation in &relocations {
            expected[relocation.entry] = relocation.to;
        }
        prop_assert_eq!(locators(&after), expected);
        let old: Vec<_> = before.entries.iter().map(values).collect();
        let new: Vec<_> = after.entries.iter().map(values).collect();
        prop_assert_eq!(old, new);
        let (added, removed) = line_diff(&text, &edited);
        prop_assert_eq!(added.len(), removed.len());
        for line in added.iter().chain(&removed) {
            prop_assert!(line.contains("line: "), "{:?}", line);
        }
        prop_assert_eq!(crlf, !edited.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn allow_adds_exactly_the_intended_values(
        specs in prop::collection::vec(spec(), 0..4),
        file in "[a-z/ :#\"'\\\\é]{1,12}",
        token in "\\PC{0,20}|[\\x00-\\x1f\"\\\\]{1,4}",
        reason in "\\PC{1,20}",
        indent in 0usize..3,
        crlf in any::<bool>(),
    ) {
        let text = document(&specs, indent, crlf);
        let before = list(&text, "k");
        let entry = NewEntry {
            file: file.clone(),
            qualname: "Outer.inner".to_owned(),
            line: 7,
            token: token.clone(),
            text: None,
            rule: None,
            count: Some(2),
            rationale: reason.clone(),
            issue: Some("#1".to_owned()),
        };
        let appended = insert_entries("gates/a.yaml", &text, &before, &[entry]).unwrap();
        prop_assert_eq!(appended.baseline, Some((9, specs.len() as u64 + 1)));
        let after = list(&appended.text, "k");
        prop_assert_eq!(after.entries.len(), specs.len() + 1);
        // The new entry goes before the first old one that sorts after it
        // by (file, qualname, token); the old ones keep their order.
        let key = (Some(file), Some("Outer.inner".to_owned()), Some(token));
        let sort = |values: &(Option<String>, Option<String>, Option<String>)| {
            let text = |value: &Option<String>| value.clone().unwrap_or_default();
            (text(&values.0), text(&values.1), text(&values.2))
        };
        let at = before
            .entries
            .iter()
            .position(|old| sort(&values(old)) > sort(&key))
            .unwrap_or(before.entries.len());
        let mut olds: Vec<_> = after.entries.iter().map(values).collect();
        let added = olds.remove(at);
        prop_assert_eq!(&added, &key);
        prop_assert_eq!(olds, before.entries.iter().map(values).collect::<Vec<_>>());
        let new = &after.entries[at];
        prop_assert_eq!(new.rationale.as_ref().map(|field| field.value.clone()), Some(reason));
        prop_assert_eq!(new.count.as_ref().map(|field| field.value), Some(2));
        let (_, removed) = line_diff(&text, &appended.text);
        // Only the baseline's line changes, unless it already said the
        // new number.
        prop_assert!(removed.len() <= 1, "{:?}", removed);
        prop_assert_eq!(crlf, !appended.text.replace("\r\n", "").contains('\n'));
    }
}
