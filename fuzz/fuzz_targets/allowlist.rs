//! Allowlist YAML (`stablegate_gates::allowlist`): a file's text read for the
//! key `gate` ([`parse`], as `check` does after `read_to_string`), then the
//! two rewrites built on the parsed spans: `refresh` moving every complete
//! entry's `line:` ([`relocate`]) and `allow` appending an entry
//! ([`insert_entries`], in sorted position). Checks that every recorded span lies on character
//! boundaries of the text, and that an edit the editor returns parses back
//! with exactly the intended change.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_fuzz::on_worker_stack;
use stablegate_gates::allowlist::{parse, Allowlist, Span};
use stablegate_gates::edit::{insert_entries, relocate, NewEntry, Relocation};

const FILE: &str = "gates/allow.yaml";
const KEY: &str = "gate";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_owned();
    on_worker_stack(move || check(&text));
});

fn check(text: &str) {
    let Ok(list) = parse(FILE, text, KEY).map_err(|err| err.to_string()) else {
        return;
    };
    check_spans(text, &list);
    refresh(text, &list);
    allow(text, &list);
}

fn check_spans(text: &str, list: &Allowlist) {
    let inside = |span: &Span| {
        assert!(span.start <= span.end, "{span:?}");
        assert!(text.get(span.start..span.end).is_some(), "{span:?}");
    };
    list.span.iter().for_each(inside);
    if let Some(baseline) = &list.baseline {
        inside(&baseline.span);
        inside(&baseline.key_span);
    }
    for entry in &list.entries {
        inside(&entry.span);
        let spans = [
            entry.file.as_ref().map(|f| (f.span, f.key_span)),
            entry.qualname.as_ref().map(|f| (f.span, f.key_span)),
            entry.token.as_ref().map(|f| (f.span, f.key_span)),
            entry.locator.as_ref().map(|f| (f.span, f.key_span)),
            entry.count.as_ref().map(|f| (f.span, f.key_span)),
            entry.rationale.as_ref().map(|f| (f.span, f.key_span)),
            entry.issue.as_ref().map(|f| (f.span, f.key_span)),
            entry.expires.as_ref().map(|f| (f.span, f.key_span)),
        ];
        for (value, key) in spans.into_iter().flatten() {
            inside(&value);
            inside(&key);
        }
    }
}

/// `refresh`: every complete Design-P entry's locator moves one line down.
fn refresh(text: &str, list: &Allowlist) {
    let moves: Vec<Relocation> = (list.entries.iter().enumerate())
        .filter(|(_, e)| !e.is_legacy() && e.file.is_some() && e.qualname.is_some())
        .filter(|(_, e)| e.token.is_some())
        .filter_map(|(index, entry)| {
            let from = entry.locator.as_ref()?.value;
            Some(Relocation {
                entry: index,
                entry_line: entry.line,
                from,
                to: from.checked_add(1)?,
            })
        })
        .collect();
    if moves.is_empty() {
        return;
    }
    let Ok(edited) = relocate(FILE, text, &[(list, &moves)]) else {
        return;
    };
    let reread = parse(FILE, &edited, KEY).expect("a refreshed allowlist parses");
    assert_eq!(reread.entries.len(), list.entries.len());
    for relocation in &moves {
        let locator = reread.entries[relocation.entry].locator.as_ref();
        assert_eq!(locator.map(|l| l.value), Some(relocation.to));
    }
}

/// `allow`: one new entry among the existing ones.
fn allow(text: &str, list: &Allowlist) {
    let entry = NewEntry {
        file: "src/new.py".to_owned(),
        qualname: "C.f".to_owned(),
        line: 7,
        token: "x = json . loads ( \"é\" )".to_owned(),
        text: None,
        rule: Some("F841".to_owned()),
        count: Some(2),
        rationale: "fuzz: a: b # c".to_owned(),
        issue: Some("#12".to_owned()),
    };
    let Ok(inserted) = insert_entries(FILE, text, list, &[entry]) else {
        return;
    };
    let reread = parse(FILE, &inserted.text, KEY).expect("an edited allowlist parses");
    assert_eq!(reread.entries.len(), list.entries.len() + 1);
    let token = Some("x = json . loads ( \"é\" )");
    let holding = |list: &Allowlist| {
        list.entries
            .iter()
            .filter(|e| e.token_text() == token)
            .count()
    };
    assert_eq!(
        holding(&reread),
        holding(list) + 1,
        "the new entry reads back"
    );
}
