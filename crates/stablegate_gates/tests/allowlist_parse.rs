//! Parsing allowlist files (SPEC §4): the shapes that must read, where each
//! entry and value is written, and the message of every parse error.

use stablegate_gates::allowlist::{parse, AllowlistError, EntryForm};
use stablegate_gates::date::Date;

const FILE: &str = "gates/meta_allowlist.yaml";

fn error(text: &str) -> AllowlistError {
    match parse(FILE, text, "meta") {
        Ok(allowlist) => panic!("expected an error, parsed {allowlist:?}"),
        Err(error) => error,
    }
}

#[test]
fn reads_every_field_of_the_spec_example() {
    let text = "\
# accepted sites
meta_baseline: 1
meta:
- file: src/pkg/migrations/m_0_13.py
  qualname: SchemaCheck.detect
  line: 56                           # locator: never compared
  token: \"meta = json . load ( f )\"  # frozen comparand
  count: 2
  reason: \"why this site is accepted\"
  issue: 2477
  expires: 2027-03-31
  owner: someone
";
    let allowlist = parse(FILE, text, "meta").expect("parses");
    assert_eq!(allowlist.baseline.as_ref().map(|b| b.value), Some(1));
    assert_eq!(allowlist.entries.len(), 1);
    let entry = &allowlist.entries[0];
    assert_eq!(entry.line, 4);
    assert_eq!(entry.form, EntryForm::Mapping);
    let value = |field: &Option<stablegate_gates::allowlist::Field<String>>| {
        field.as_ref().map(|field| field.value.clone())
    };
    assert_eq!(
        value(&entry.file).as_deref(),
        Some("src/pkg/migrations/m_0_13.py")
    );
    assert_eq!(
        value(&entry.qualname).as_deref(),
        Some("SchemaCheck.detect")
    );
    assert_eq!(
        value(&entry.token).as_deref(),
        Some("meta = json . load ( f )")
    );
    assert_eq!(
        value(&entry.rationale).as_deref(),
        Some("why this site is accepted")
    );
    assert_eq!(value(&entry.issue).as_deref(), Some("2477"));
    assert_eq!(entry.locator.as_ref().map(|f| f.value), Some(56));
    assert_eq!(entry.count.as_ref().map(|f| f.value), Some(2));
    assert_eq!(
        entry.expires.as_ref().map(|f| f.value),
        Date::parse("2027-03-31")
    );
    assert!(!entry.is_legacy());
}

#[test]
fn rationale_wins_over_its_alias_reason() {
    let text = "meta:\n- reason: second\n  rationale: first\n";
    let allowlist = parse(FILE, text, "meta").expect("parses");
    let rationale = allowlist.entries[0]
        .rationale
        .as_ref()
        .map(|f| f.value.as_str());
    assert_eq!(rationale, Some("first"));
}

#[test]
fn spans_locate_values_and_entries_byte_for_byte() {
    let text = "\u{feff}meta:\n- file: é.py  # note\n  line: 56   # locator\n  token: \"x = é ( )\"  # comment\n\n# next\n- file: b.py\n";
    let allowlist = parse(FILE, text, "meta").expect("parses");
    let first = &allowlist.entries[0];
    let slice = |span: stablegate_gates::allowlist::Span| &text[span.start..span.end];
    let locator = first.locator.as_ref().expect("line");
    assert_eq!(slice(locator.span), "56");
    assert_eq!((locator.span.line, locator.span.column), (3, 8));
    assert_eq!(slice(locator.key_span), "line");
    let token = first.token.as_ref().expect("token");
    assert_eq!(slice(token.span), "\"x = é ( )\"");
    assert!(slice(first.span).starts_with("file: é.py"));
    assert!(slice(first.span).ends_with("\"x = é ( )\""));
    assert_eq!(allowlist.entries[1].line, 7);
    assert_eq!(slice(allowlist.entries[1].span), "file: b.py");
}

#[test]
fn entries_missing_key_fields_are_kept_for_reconciliation() {
    let text = "meta:\n- file: a.py\n- qualname: f\n  token: x\n";
    let allowlist = parse(FILE, text, "meta").expect("parses");
    assert_eq!(allowlist.entries.len(), 2);
    assert!(allowlist.entries[0].qualname.is_none() && allowlist.entries[0].token.is_none());
    assert!(allowlist.entries[1].file.is_none());
}

#[test]
fn legacy_line_keyed_entries_parse() {
    let text = "meta:\n- \"src/a.py:42\"\n- qualname: f\n  line: 7\n- file: b.py\n  qualname: g\n  line: 3\n";
    let allowlist = parse(FILE, text, "meta").expect("parses");
    let [bare, qualname_only, with_file] = &allowlist.entries[..] else {
        panic!("three entries expected: {allowlist:?}");
    };
    assert_eq!(bare.form, EntryForm::LegacyString);
    assert_eq!(
        bare.file.as_ref().map(|f| f.value.as_str()),
        Some("src/a.py")
    );
    assert_eq!(bare.locator.as_ref().map(|f| f.value), Some(42));
    assert!(bare.is_legacy() && qualname_only.is_legacy() && with_file.is_legacy());
}

#[test]
fn absent_key_empty_text_and_null_list_are_empty_allowlists() {
    for text in [
        "",
        "# nothing yet\n",
        "other: [1, 2]\n",
        "meta:\n",
        "meta: ~\nmeta_baseline: 0\n",
    ] {
        let allowlist = parse(FILE, text, "meta").expect("parses");
        assert!(allowlist.entries.is_empty(), "{text:?}");
    }
}

#[test]
fn other_keys_of_a_shared_file_are_ignored_even_when_malformed() {
    let text = "other: 5\nother_baseline: x\nmeta:\n- file: a.py\n";
    let allowlist = parse(FILE, text, "meta").expect("parses");
    assert_eq!(allowlist.entries.len(), 1);
}

#[test]
fn text_that_is_not_yaml_names_the_parser_position() {
    let failure = error("meta:\n- file: [a.py\n");
    assert_eq!(failure.line(), 3);
    assert_eq!(failure.field(), None);
    assert!(
        failure
            .to_string()
            .starts_with("parse allowlist gates/meta_allowlist.yaml:3:1: "),
        "{failure}"
    );
}

#[test]
fn duplicate_keys_in_an_entry_are_a_yaml_error() {
    let failure = error("meta:\n- file: a.py\n  file: b.py\n");
    assert_eq!(
        failure.to_string(),
        "parse allowlist gates/meta_allowlist.yaml:3:3: duplicated key in mapping"
    );
}

#[test]
fn several_documents_are_an_error() {
    let failure = error("meta: []\n---\nmeta: []\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:2: expected one YAML document, found a second one here"
    );
}

#[test]
fn a_top_level_that_is_not_a_mapping_is_an_error() {
    let failure = error("- file: a.py\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:1: the top level must be a mapping (`meta:` followed by entries), found a sequence"
    );
}

#[test]
fn a_key_that_is_not_a_sequence_is_an_error() {
    let failure = error("meta_baseline: 0\nmeta:\n  file: a.py\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:3: `meta` must be a sequence of entries, found a mapping"
    );
    assert_eq!(failure.field(), Some("meta"));
}

#[test]
fn an_entry_that_is_not_a_mapping_is_an_error() {
    let failure = error("meta:\n- file: a.py\n- 12\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:3: an entry of `meta` must be a mapping (`- file: …`) or a legacy \"file:line\" string, found `12`"
    );
    let failure = error("meta:\n- ~\n");
    assert!(failure.to_string().ends_with("found nothing"), "{failure}");
    let failure = error("meta:\n- [a.py, 3]\n");
    assert!(
        failure.to_string().ends_with("found a sequence"),
        "{failure}"
    );
    let failure = error("meta:\n- \"src/a.py:x\"\n");
    assert!(
        failure.to_string().ends_with("found `src/a.py:x`"),
        "{failure}"
    );
}

#[test]
fn a_line_that_is_not_a_number_is_an_error() {
    let failure = error("meta:\n- file: a.py\n  line: abc\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:3: `line` must be a line number >= 1, found `abc`"
    );
    assert_eq!(
        (failure.file(), failure.line(), failure.field()),
        (FILE, 3, Some("line"))
    );
}

#[test]
fn a_count_below_one_is_an_error() {
    let failure = error("meta:\n- file: a.py\n  qualname: f\n  count: 0\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:4: `count` must be an integer >= 1, found `0`"
    );
    let failure = error("meta:\n- count: \"2\"\n");
    assert!(failure.to_string().ends_with("found `2`"), "{failure}");
}

#[test]
fn an_expiry_that_is_not_an_iso_date_is_an_error() {
    let failure = error("meta:\n- file: a.py\n  expires: 31/03/2027\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:3: `expires` must be a date written YYYY-MM-DD, found `31/03/2027`"
    );
}

#[test]
fn a_baseline_that_is_not_a_non_negative_integer_is_an_error() {
    let failure = error("meta_baseline: -1\nmeta: []\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:1: `meta_baseline` must be a non-negative integer, found `-1`"
    );
    assert_eq!(failure.field(), Some("meta_baseline"));
}

#[test]
fn a_string_field_holding_a_collection_is_an_error() {
    let failure = error("meta:\n- file: a.py\n  token: [x, y]\n");
    assert_eq!(
        failure.to_string(),
        "read allowlist gates/meta_allowlist.yaml:3: `token` must be a string, found a sequence"
    );
}

#[test]
fn hostile_nesting_is_refused_without_a_stack_overflow() {
    let deep_block = format!("meta:\n- {}x\n", "- ".repeat(20_000));
    let failure = error(&deep_block);
    assert_eq!(
        failure.to_string(),
        "parse allowlist gates/meta_allowlist.yaml:2:127: nesting deeper than 64 levels"
    );
    let deep_flow = format!("meta: {}\n", "[".repeat(10_000));
    assert!(matches!(error(&deep_flow), AllowlistError::Yaml { .. }));
}

#[test]
fn hostile_bytes_and_dangling_aliases_do_not_panic() {
    let billion_laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nmeta: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    for text in [
        "\u{0}\u{1}".repeat(100).as_str(),
        "meta: *nowhere\n",
        billion_laughs,
    ] {
        let _ = parse(FILE, text, "meta");
    }
}

#[test]
fn the_demo_allowlist_parses_with_its_baseline_and_expiry() {
    let text = include_str!("../../../examples/demo/gates/inline_json_parse_allowlist.yaml");
    let allowlist = parse(
        "gates/inline_json_parse_allowlist.yaml",
        text,
        "inline_json_parse",
    )
    .expect("the demo allowlist parses");
    assert_eq!(allowlist.baseline.as_ref().map(|b| b.value), Some(3));
    assert_eq!(allowlist.entries.len(), 3);
    let expires: Vec<Option<Date>> = allowlist
        .entries
        .iter()
        .map(|entry| entry.expires.as_ref().map(|field| field.value))
        .collect();
    assert_eq!(expires, vec![None, Date::parse("2027-06-30"), None]);
}

/// What `check` suggests reads back, through this parser, as exactly the
/// key it was made from: awkward values are quoted and come back unchanged.
#[test]
fn a_suggestion_reads_back_as_its_key() {
    use stablegate_gates::reconcile::{suggestion, Suggested};
    let file = "src/odd: name #1.py";
    let qualname = "null";
    let token = "a \"b\" \\ c\td\u{85}\u{2028}é\u{1}";
    let suggested = |token, text, rule| Suggested {
        file,
        qualname,
        line: 1,
        token,
        text,
        rule,
        count: None,
    };
    let text = format!("k:\n{}\n", suggestion(&suggested(token, None, None)));
    let allowlist = parse(FILE, &text, "k").expect("the suggestion parses");
    let entry = &allowlist.entries[0];
    let value = |field: &Option<stablegate_gates::allowlist::Field<String>>| {
        (field.as_ref())
            .map(|field| field.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value(&entry.file), file);
    assert_eq!(value(&entry.qualname), qualname);
    assert_eq!(value(&entry.token), token);
    assert!(text.contains("qualname: \"null\""));
    let plain = "\"\"\"Return the thing.";
    let text = format!(
        "k:\n{}\n",
        suggestion(&suggested("", Some(plain), Some("E501")))
    );
    let allowlist = parse(FILE, &text, "k").expect("the suggestion parses");
    assert_eq!(allowlist.entries[0].text_value(), Some(plain));
    assert_eq!(allowlist.entries[0].rule_value(), Some("E501"));
}
