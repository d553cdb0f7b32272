//! Every verdict of SPEC §4.1, one behaviour per test, through the public
//! API: an allowlist text is parsed, live sites are reconciled against it.

use stablegate_gates::allowlist::{parse, Allowlist};
use stablegate_gates::date::Date;
use stablegate_gates::reconcile::{reconcile, ReconcileInput};
use stablegate_gates::verdict::{EntryRef, Item, Verdict};
use stablegate_gates::{Finding, Site};

const ALLOWLIST: &str = "gates/meta_allowlist.yaml";

fn site(file: &str, line: usize, qualname: &str, token: &str) -> Site {
    Site {
        finding: Finding {
            file: file.to_owned().into(),
            line,
            column: 1,
            end_line: line,
            offset: line * 100,
            rule: "json-load".to_owned().into(),
            rule_in_key: false,
            message: Some("the source's message".to_owned().into()),
        },
        qualname: qualname.to_owned().into(),
        token: token.to_owned().into(),
        text: Default::default(),
    }
}

/// Python's canonical form: the code tokens of the text, joined by one space.
fn python(text: &str) -> String {
    let keys = stablegate_keys::python_keys(text);
    keys.keys()
        .map(|key| key.token.to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

struct Case {
    allowlist: Option<Allowlist>,
    strict_counts: bool,
    message: Option<&'static str>,
    escaping_files: Vec<String>,
}

impl Case {
    fn new(yaml: &str) -> Self {
        let allowlist = parse(ALLOWLIST, yaml, "meta").expect("test allowlist parses");
        Case {
            allowlist: Some(allowlist),
            strict_counts: false,
            message: Some("read meta through load_meta()"),
            escaping_files: Vec::new(),
        }
    }

    fn run(&self, sites: &[Site]) -> Vec<Item> {
        reconcile(&ReconcileInput {
            gate: "meta",
            message: self.message,
            strict_counts: self.strict_counts,
            sites,
            allowlist: self.allowlist.as_ref(),
            allowlist_path: ALLOWLIST,
            today: Date::parse("2026-06-15").expect("date"),
            canonicalize: &|_: &str, token: &str| python(token),
            escaping_files: &self.escaping_files,
        })
    }
}

fn verdicts(items: &[Item]) -> Vec<Verdict> {
    items.iter().map(|item| item.verdict).collect()
}

fn only(items: &[Item]) -> &Item {
    assert_eq!(items.len(), 1, "{items:#?}");
    &items[0]
}

const ENTRY: &str = "meta:\n- file: a.py\n  qualname: load\n  line: 10\n  token: \"meta = json . load ( f )\"\n  rationale: \"legacy reader\"\n";

#[test]
fn a_covered_site_is_ok_with_the_rationale_and_the_live_line() {
    let items = Case::new(ENTRY).run(&[site("a.py", 12, "load", "meta = json . load ( f )")]);
    let item = only(&items);
    assert_eq!(item.verdict, Verdict::Ok);
    assert_eq!((item.file.as_str(), item.line), ("a.py", Some(12)));
    assert_eq!(item.more().rationale.as_deref(), Some("legacy reader"));
    assert_eq!(item.rule, "json-load");
    assert_eq!(item.message, "read meta through load_meta()");
    let entry = EntryRef {
        allowlist: ALLOWLIST.to_owned().into(),
        line: 2,
    };
    assert_eq!(item.more().entry, Some(entry));
}

#[test]
fn an_uncovered_site_is_a_violation_with_a_ready_to_paste_entry() {
    let items = Case::new("").run(&[site("b.py", 7, "Reader.read", "data = json . load ( fh )")]);
    let item = only(&items);
    assert_eq!(item.verdict, Verdict::Violation);
    assert_eq!(item.line, Some(7));
    assert_eq!(
        item.suggestion_text().as_deref(),
        Some("- file: b.py\n  qualname: Reader.read\n  line: 7\n  token: \"data = json . load ( fh )\"\n  rationale: \"TODO: why this site is accepted\"")
    );
}

#[test]
fn a_pasted_suggestion_makes_the_site_ok() {
    let live = [site("b.py", 7, "Reader.read", "data = json . load ( fh )")];
    let violation = Case::new("").run(&live);
    let suggestion = violation[0].suggestion_text().expect("suggestion");
    let items = Case::new(&format!("meta:\n{suggestion}\n")).run(&live);
    assert_eq!(verdicts(&items), vec![Verdict::Ok]);
}

#[test]
fn only_the_first_site_of_an_uncovered_key_carries_the_suggestion() {
    let live = [
        site("b.py", 9, "f", "x = load ( )"),
        site("b.py", 3, "f", "x = load ( )"),
    ];
    let mut case = Case::new("");
    case.strict_counts = true;
    let items = case.run(&live);
    assert_eq!(
        verdicts(&items),
        vec![Verdict::Violation, Verdict::Violation]
    );
    let suggestion = items[0].suggestion_text().unwrap_or_default();
    assert!(
        suggestion.contains("  line: 3\n") && suggestion.contains("  count: 2\n"),
        "{suggestion}"
    );
    assert_eq!(items[1].suggestion, None);
}

#[test]
fn a_gate_without_a_message_uses_the_source_message() {
    let mut case = Case::new("");
    case.message = None;
    let items = case.run(&[site("b.py", 7, "f", "x")]);
    assert_eq!(only(&items).message, "the source's message");
}

#[test]
fn an_edited_accepted_line_is_changed_with_old_and_new_token() {
    let items = Case::new(ENTRY).run(&[site("a.py", 10, "load", "meta = json . load ( handle )")]);
    let item = only(&items);
    assert_eq!(item.verdict, Verdict::Changed);
    assert_eq!(item.token, "meta = json . load ( handle )");
    assert_eq!(
        item.more().old_token.as_deref(),
        Some("meta = json . load ( f )")
    );
    assert_eq!(item.line, Some(10));
    assert!(item.more().entry.is_some());
}

#[test]
fn a_key_that_moved_to_another_file_is_moved() {
    let items = Case::new(ENTRY).run(&[site("b.py", 4, "load", "meta = json . load ( f )")]);
    let item = only(&items);
    assert_eq!(item.verdict, Verdict::Moved);
    assert_eq!((item.file.as_str(), item.line), ("a.py", Some(10)));
    assert_eq!(item.more().moved_to.as_deref(), Some("b.py"));
}

#[test]
fn a_stale_entry_whose_key_is_covered_elsewhere_is_stale_not_moved() {
    let yaml =
        format!("{ENTRY}- file: b.py\n  qualname: load\n  token: \"meta = json . load ( f )\"\n");
    let items = Case::new(&yaml).run(&[site("b.py", 4, "load", "meta = json . load ( f )")]);
    assert_eq!(verdicts(&items), vec![Verdict::Stale, Verdict::Ok]);
}

#[test]
fn an_entry_covering_nothing_is_stale_with_the_nearest_live_token() {
    let yaml = format!(
        "{ENTRY}- file: a.py\n  qualname: load\n  token: \"y = 2\"\n- file: a.py\n  qualname: load\n  token: \"x = 1\"\n"
    );
    let live = [
        site("a.py", 3, "load", "meta = json . load ( f )"),
        site("a.py", 5, "load", "y = 2"),
    ];
    let items = Case::new(&yaml).run(&live);
    let stale: Vec<&Item> = items
        .iter()
        .filter(|i| i.verdict == Verdict::Stale)
        .collect();
    assert_eq!(stale.len(), 1, "{items:#?}");
    assert_eq!(stale[0].token, "x = 1");
    assert_eq!(stale[0].more().nearest.as_deref(), Some("y = 2"));
}

#[test]
fn a_stale_entry_in_an_empty_scope_has_no_nearest_token() {
    let item = Case::new(ENTRY).run(&[]).remove(0);
    assert_eq!(
        (item.verdict, item.more().nearest.clone()),
        (Verdict::Stale, None)
    );
}

#[test]
fn a_count_that_differs_from_the_live_sites_is_count() {
    let yaml = ENTRY.replace("  line: 10\n", "  line: 10\n  count: 2\n");
    let items = Case::new(&yaml).run(&[site("a.py", 12, "load", "meta = json . load ( f )")]);
    let item = only(&items);
    assert_eq!(
        (item.verdict, item.more().expected, item.more().actual),
        (Verdict::Count, Some(2), Some(1))
    );
}

#[test]
fn strict_counts_make_an_entry_without_count_mean_one() {
    let live = [
        site("a.py", 12, "load", "meta = json . load ( f )"),
        site("a.py", 14, "load", "meta = json . load ( f )"),
    ];
    let mut case = Case::new(ENTRY);
    assert_eq!(verdicts(&case.run(&live)), vec![Verdict::Ok, Verdict::Ok]);
    case.strict_counts = true;
    let item = case.run(&live).remove(0);
    assert_eq!(
        (item.verdict, item.more().expected, item.more().actual),
        (Verdict::Count, Some(1), Some(2))
    );
}

#[test]
fn a_baseline_that_differs_from_the_entry_count_is_baseline() {
    let items = Case::new(&format!("meta_baseline: 2\n{ENTRY}")).run(&[]);
    let baseline = items
        .iter()
        .find(|i| i.verdict == Verdict::Baseline)
        .expect("baseline");
    assert_eq!(
        (baseline.file.as_str(), baseline.line),
        (ALLOWLIST, Some(1))
    );
    assert_eq!(
        (baseline.more().expected, baseline.more().actual),
        (Some(2), Some(1))
    );
    let items = Case::new(&format!("meta_baseline: 1\n{ENTRY}")).run(&[]);
    assert!(items.iter().all(|i| i.verdict != Verdict::Baseline));
}

#[test]
fn an_expired_entry_fails_but_still_covers_its_sites() {
    let live = [site("a.py", 12, "load", "meta = json . load ( f )")];
    let yaml = ENTRY.replace("  line: 10\n", "  line: 10\n  expires: 2026-06-14\n");
    let item = only(&Case::new(&yaml).run(&live)).clone();
    assert_eq!(item.verdict, Verdict::Expired);
    assert_eq!(
        item.detail.as_deref(),
        Some("expired on 2026-06-14: fix the site, or renew `expires` in review")
    );
    let yaml = ENTRY.replace("  line: 10\n", "  line: 10\n  expires: 2026-06-15\n");
    assert_eq!(verdicts(&Case::new(&yaml).run(&live)), vec![Verdict::Ok]);
}

#[test]
fn an_entry_missing_key_fields_is_invalid() {
    let items = Case::new("meta:\n- qualname: load\n  token: x\n").run(&[]);
    let item = only(&items);
    assert_eq!(item.verdict, Verdict::Invalid);
    assert_eq!((item.file.as_str(), item.line), (ALLOWLIST, Some(2)));
    assert_eq!(
        item.detail.as_deref(),
        Some("missing `file`: an entry needs file, qualname and token (`stablegate allow` writes them)")
    );
}

#[test]
fn a_path_escaping_the_root_is_invalid() {
    let yaml = "meta:\n- file: ../outside.py\n  qualname: f\n  token: x\n- file: linked/a.py\n  qualname: f\n  token: x\n";
    let mut case = Case::new(yaml);
    case.escaping_files = vec!["linked/a.py".to_owned()];
    let details: Vec<String> = case
        .run(&[])
        .into_iter()
        .filter_map(|item| item.detail.map(String::from))
        .collect();
    assert_eq!(
        details,
        vec![
            "`file` escapes the project root: write it relative to the root, without `..`",
            "`file` leads outside the project root through a symlink",
        ]
    );
}

#[test]
fn a_hand_typed_token_is_invalid_and_covers_nothing() {
    let yaml = ENTRY.replace("meta = json . load ( f )", "meta = json.load(f)");
    let items = Case::new(&yaml).run(&[site("a.py", 12, "load", "meta = json . load ( f )")]);
    assert_eq!(verdicts(&items), vec![Verdict::Invalid, Verdict::Violation]);
    assert_eq!(
        items[0].detail.as_deref(),
        Some("token is not in canonical form (re-tokenized it reads `meta = json . load ( f )`): copy it from `stablegate key FILE:LINE`, never type it by hand")
    );
}

#[test]
fn a_legacy_entry_is_invalid_and_points_to_convert() {
    let items =
        Case::new("meta:\n- \"a.py:10\"\n- file: a.py\n  qualname: load\n  line: 10\n").run(&[]);
    assert_eq!(verdicts(&items), vec![Verdict::Invalid, Verdict::Invalid]);
    for item in &items {
        assert_eq!(
            item.detail.as_deref(),
            Some("legacy line-keyed entry: run `stablegate convert meta`")
        );
    }
}

#[test]
fn a_duplicate_entry_is_ambiguous_and_the_first_one_still_counts() {
    let items = Case::new(&format!("{ENTRY}{}", &ENTRY[6..])).run(&[site(
        "a.py",
        12,
        "load",
        "meta = json . load ( f )",
    )]);
    let ambiguous = items
        .iter()
        .find(|i| i.verdict == Verdict::Ambiguous)
        .expect("ambiguous");
    assert_eq!(ambiguous.more().entry.as_ref().map(|e| e.line), Some(7));
    assert_eq!(
        ambiguous.detail.as_deref(),
        Some("duplicate of the entry at gates/meta_allowlist.yaml:2 (same file, qualname and token): remove one")
    );
    assert!(items.iter().any(|i| i.verdict == Verdict::Ok));
}

#[test]
fn a_truncated_token_covers_the_one_key_it_selects() {
    let yaml = ENTRY.replace("( f )\"", "…\"");
    let items = Case::new(&yaml).run(&[site("a.py", 12, "load", "meta = json . load ( f )")]);
    assert_eq!(verdicts(&items), vec![Verdict::Ok]);
}

#[test]
fn a_truncated_token_selecting_several_keys_is_ambiguous_and_hides_their_sites() {
    let yaml = ENTRY.replace("load ( f )\"", "lo…\"");
    let live = [
        site("a.py", 12, "load", "meta = json . load ( f )"),
        site("a.py", 14, "load", "meta = json . loads ( s )"),
    ];
    let item = only(&Case::new(&yaml).run(&live)).clone();
    assert_eq!(item.verdict, Verdict::Ambiguous);
    assert_eq!(
        item.detail.as_deref(),
        Some("truncated token selects 2 live keys (`meta = json . load ( f )`, `meta = json . loads ( s )`): lengthen it until it selects one")
    );
}

#[test]
fn without_an_allowlist_every_site_is_a_violation() {
    let mut case = Case::new("");
    case.allowlist = None;
    let items = case.run(&[
        site("a.py", 1, "<module>", "x"),
        site("a.py", 2, "<module>", "y"),
    ]);
    assert_eq!(
        verdicts(&items),
        vec![Verdict::Violation, Verdict::Violation]
    );
    assert_eq!(Case::new("").run(&[]), vec![]);
}

/// A site of a source that reports rule ids (SPEC §12.7).
fn ruled(line: usize, qualname: &str, token: &str, rule: &str) -> Site {
    let mut site = site("a.py", line, qualname, token);
    site.finding.rule = rule.to_owned().into();
    site.finding.rule_in_key = true;
    site
}

/// A site on a line without code token, told apart by its text.
fn token_less(line: usize, text: &str, rule: &str) -> Site {
    let mut site = ruled(line, "f", "", rule);
    site.text = text.to_owned().into();
    site
}

const E501_ENTRY: &str =
    "meta:\n- file: a.py\n  qualname: f\n  line: 3\n  token: \"x = 1\"\n  rule: E501\n";

#[test]
fn an_entry_with_a_rule_does_not_cover_another_rule_on_its_line() {
    let sites = [
        ruled(3, "f", "x = 1", "E501"),
        ruled(3, "f", "x = 1", "F841"),
    ];
    let items = Case::new(E501_ENTRY).run(&sites);
    assert_eq!(verdicts(&items), [Verdict::Ok, Verdict::Violation]);
    assert_eq!(
        (items[0].rule.as_str(), items[1].rule.as_str()),
        ("E501", "F841")
    );
    let suggestion = items[1].suggestion_text().unwrap_or_default();
    assert!(suggestion.contains("\n  rule: F841\n"), "{suggestion}");
}

#[test]
fn an_entry_without_a_rule_covers_every_rule_and_counts_them_together() {
    let yaml = "meta:\n- file: a.py\n  qualname: f\n  token: \"x = 1\"\n  count: 2\n";
    let sites = [
        ruled(3, "f", "x = 1", "E501"),
        ruled(3, "f", "x = 1", "F841"),
    ];
    assert_eq!(
        verdicts(&Case::new(yaml).run(&sites)),
        [Verdict::Ok, Verdict::Ok]
    );
    let mut strict = Case::new(E501_ENTRY);
    strict.strict_counts = true;
    // Per (key, rule): one E501 site, whatever else fires on the line.
    let items = strict.run(&sites);
    assert_eq!(verdicts(&items), [Verdict::Ok, Verdict::Violation]);
}

#[test]
fn token_less_lines_are_told_apart_by_their_text() {
    let yaml = "meta:\n- file: a.py\n  qualname: f\n  token: \"\"\n  text: \"\\\"\\\"\\\"Read the file.\"\n  rule: E501\n";
    let sites = [
        token_less(2, "\"\"\"Read the file.", "E501"),
        token_less(3, "and a second long line.", "E501"),
    ];
    let items = Case::new(yaml).run(&sites);
    assert_eq!(verdicts(&items), [Verdict::Ok, Verdict::Violation]);
    assert_eq!(items[1].text.as_deref(), Some("and a second long line."));
    let suggestion = items[1].suggestion_text().unwrap_or_default();
    assert!(
        suggestion.contains("\n  token: \"\"\n  text: \"and a second long line.\"\n  rule: E501\n"),
        "{suggestion}"
    );
}

#[test]
fn an_edited_token_less_line_is_changed_with_old_and_new_text() {
    let yaml = "meta:\n- file: a.py\n  qualname: f\n  token: \"\"\n  text: \"Read the file.\"\n  rule: E501\n";
    let items = Case::new(yaml).run(&[token_less(2, "Read the whole file.", "E501")]);
    let item = only(&items);
    assert_eq!(item.verdict, Verdict::Changed);
    assert_eq!(item.more().old_text.as_deref(), Some("Read the file."));
    assert_eq!(item.text.as_deref(), Some("Read the whole file."));
}

#[test]
fn a_token_less_entry_needs_a_canonical_text_and_a_token_forbids_one() {
    for (yaml, problem) in [
        ("  token: \"\"\n", "`text` is missing"),
        (
            "  token: \"\"\n  text: \"a  b \"\n",
            "`text` is not in canonical form",
        ),
        (
            "  token: \"x = 1\"\n  text: \"x = 1\"\n",
            "`text` is only for entries",
        ),
        ("  token: \"x = 1\"\n  rule: \"\"\n", "`rule` is empty"),
    ] {
        let yaml = format!("meta:\n- file: a.py\n  qualname: f\n{yaml}");
        let items = Case::new(&yaml).run(&[]);
        let item = only(&items);
        assert_eq!(item.verdict, Verdict::Invalid, "{yaml}");
        let detail = item.detail.as_deref().unwrap_or_default();
        assert!(detail.contains(problem), "{yaml}: {detail}");
    }
}
