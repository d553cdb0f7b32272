//! Properties of reconciliation over random sites and allowlists
//! (CONVENTIONS: "a line shift never changes a verdict; a token change
//! always does").
//!
//! Sites and entries are drawn from small pools of files, qualnames and
//! tokens so that keys collide, entries cover, go stale, pair as `changed`
//! or `moved`, duplicate each other and truncate into ambiguity.

use proptest::prelude::*;
use stablegate_gates::allowlist::parse;
use stablegate_gates::date::Date;
use stablegate_gates::reconcile::{reconcile, ReconcileInput};
use stablegate_gates::verdict::{Item, Verdict};
use stablegate_gates::{Finding, Site};

const FILES: [&str; 3] = ["a.py", "b.py", "pkg/c.py"];
const QUALNAMES: [&str; 3] = ["<module>", "f", "C.m"];
const TOKENS: [&str; 6] = [
    "x = load ( f )",
    "x = load ( g )",
    "y = 1",
    "return x",
    "z = json . loads ( s )",
    "w",
];
/// A token no entry pattern can select (nothing in `TOKENS` starts with Z).
const EDITED: &str = "ZZ = edited ( )";

fn canonical(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone)]
struct EntrySpec {
    file: usize,
    qualname: usize,
    token: usize,
    /// Keep this many characters and add `…` (when shorter than the token).
    cut: usize,
    locator: usize,
    count: Option<u8>,
    expired: Option<bool>,
    /// 0..=9 a Design-P entry; 10 missing qualname; 11 legacy string.
    shape: u8,
}

fn site_strategy() -> impl Strategy<Value = Site> {
    (
        0..FILES.len(),
        0..QUALNAMES.len(),
        0..TOKENS.len(),
        1..400usize,
    )
        .prop_map(|(file, qualname, token, line)| Site {
            finding: Finding {
                file: FILES[file].to_owned().into(),
                line,
                column: 1,
                end_line: line,
                offset: line * 40,
                rule: "rule".to_owned().into(),
                rule_in_key: false,
                message: None,
            },
            qualname: QUALNAMES[qualname].to_owned().into(),
            token: TOKENS[token].to_owned().into(),
            text: Default::default(),
        })
}

fn entry_strategy() -> impl Strategy<Value = EntrySpec> {
    (
        (0..FILES.len(), 0..QUALNAMES.len(), 0..TOKENS.len()),
        (0..30usize, 1..400usize),
        (
            proptest::option::of(1..3u8),
            proptest::option::of(any::<bool>()),
            0..12u8,
        ),
    )
        .prop_map(
            |((file, qualname, token), (cut, locator), (count, expired, shape))| EntrySpec {
                file,
                qualname,
                token,
                cut,
                locator,
                count,
                expired,
                shape,
            },
        )
}

/// A plain entry that covers exactly the key of `site`.
fn accepting(site: &Site) -> EntrySpec {
    let position =
        |pool: &[&str], value: &str| pool.iter().position(|item| *item == value).unwrap_or(0);
    EntrySpec {
        file: position(&FILES, &site.finding.file),
        qualname: position(&QUALNAMES, &site.qualname),
        token: position(&TOKENS, &site.token),
        cut: 0,
        locator: site.finding.line,
        count: None,
        expired: None,
        shape: 0,
    }
}

fn yaml(entries: &[EntrySpec], baseline: Option<usize>) -> String {
    let mut text = String::new();
    if let Some(baseline) = baseline {
        text.push_str(&format!("k_baseline: {baseline}\n"));
    }
    text.push_str("k:\n");
    for spec in entries {
        let (file, qualname) = (FILES[spec.file], QUALNAMES[spec.qualname]);
        if spec.shape == 11 {
            text.push_str(&format!("- \"{file}:{}\"\n", spec.locator));
            continue;
        }
        let full = TOKENS[spec.token];
        let token = if spec.cut > 0 && spec.cut < full.len() {
            format!("{}…", &full[..spec.cut])
        } else {
            full.to_owned()
        };
        text.push_str(&format!("- file: {file}\n"));
        if spec.shape != 10 {
            text.push_str(&format!("  qualname: \"{qualname}\"\n"));
        }
        text.push_str(&format!("  line: {}\n  token: \"{token}\"\n", spec.locator));
        if let Some(count) = spec.count {
            text.push_str(&format!("  count: {count}\n"));
        }
        if let Some(expired) = spec.expired {
            let date = if expired { "2020-01-01" } else { "2099-12-31" };
            text.push_str(&format!("  expires: {date}\n"));
        }
    }
    text
}

fn run(sites: &[Site], allowlist_text: &str, strict_counts: bool) -> Vec<Item> {
    let allowlist = parse("allow.yaml", allowlist_text, "k").expect("generated YAML parses");
    reconcile(&ReconcileInput {
        gate: "k",
        message: Some("message"),
        strict_counts,
        sites,
        allowlist: Some(&allowlist),
        allowlist_path: "allow.yaml",
        today: Date::parse("2026-01-01").expect("date"),
        canonicalize: &|_: &str, token: &str| canonical(token),
        escaping_files: &[],
    })
}

/// The items with every line number erased (suggestions included), in a
/// line-independent order.
fn without_lines(items: Vec<Item>) -> Vec<String> {
    let mut erased: Vec<String> = items
        .into_iter()
        .map(|mut item| {
            let suggestion = item.suggestion_text().map(|text| {
                text.lines()
                    .filter(|line| !line.starts_with("  line: "))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            item.line = None;
            item.suggestion = None;
            format!("{item:?} {suggestion:?}")
        })
        .collect();
    erased.sort();
    erased
}

type Case = (Vec<Site>, Vec<EntrySpec>, Option<usize>, bool);

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(site_strategy(), 0..16),
        proptest::collection::vec(entry_strategy(), 0..10),
        proptest::option::of(0..12usize),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        max_global_rejects: 5000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_line_shift_never_changes_a_verdict(
        (sites, entries, baseline, strict) in case_strategy(),
        shift in 1..1000usize,
    ) {
        let text = yaml(&entries, baseline);
        let before = run(&sites, &text, strict);
        let shifted: Vec<Site> = sites
            .iter()
            .cloned()
            .map(|mut site| {
                site.finding.line += shift;
                site.finding.end_line += shift;
                site.finding.offset += shift * 40;
                site
            })
            .collect();
        let after = run(&shifted, &text, strict);
        prop_assert_eq!(without_lines(before), without_lines(after));
    }

    #[test]
    fn renumbering_lines_arbitrarily_never_changes_a_verdict(
        (sites, entries, baseline, strict) in case_strategy(),
        lines in proptest::collection::vec(1..5000usize, 16),
    ) {
        let text = yaml(&entries, baseline);
        let renumbered: Vec<Site> = sites
            .iter()
            .cloned()
            .zip(lines)
            .map(|(mut site, line)| {
                site.finding.line = line;
                site.finding.end_line = line;
                site
            })
            .collect();
        prop_assert_eq!(
            without_lines(run(&sites, &text, strict)),
            without_lines(run(&renumbered, &text, strict))
        );
    }

    #[test]
    fn editing_an_accepted_line_fails_its_entry(
        (sites, mut entries, baseline, strict) in case_strategy(),
        accept in any::<prop::sample::Index>(),
        pick in any::<prop::sample::Index>(),
    ) {
        // Accept one live site exactly, so most cases have an `ok` entry
        // (an earlier entry may still shadow it: those cases are skipped).
        if !sites.is_empty() {
            entries.push(accepting(&sites[accept.index(sites.len())]));
        }
        let text = yaml(&entries, baseline);
        let before = run(&sites, &text, strict);
        let accepted: Vec<&Item> = before.iter().filter(|item| item.verdict == Verdict::Ok).collect();
        prop_assume!(!accepted.is_empty());
        let chosen = accepted[pick.index(accepted.len())];
        let entry_line = chosen.more().entry.as_ref().map(|entry| entry.line);
        let key = (chosen.file.clone(), chosen.qualname.clone(), chosen.token.clone());
        let edited: Vec<Site> = sites
            .iter()
            .cloned()
            .map(|mut site| {
                if (&site.finding.file, &site.qualname, &site.token) == (&key.0, &key.1, &key.2) {
                    site.token = EDITED.to_owned().into();
                }
                site
            })
            .collect();
        let after = run(&edited, &text, strict);
        let of_entry: Vec<Verdict> = after
            .iter()
            .filter(|item| item.more().entry.as_ref().map(|entry| entry.line) == entry_line)
            .map(|item| item.verdict)
            .collect();
        prop_assert!(
            of_entry.iter().any(|v| matches!(v, Verdict::Stale | Verdict::Changed | Verdict::Moved)),
            "entry verdicts after the edit: {:?}", of_entry
        );
        prop_assert!(!of_entry.contains(&Verdict::Ok), "still ok: {:?}", of_entry);
        let at_edit: Vec<&Item> = after.iter().filter(|item| item.token == EDITED).collect();
        prop_assert!(!at_edit.is_empty());
        prop_assert!(at_edit.iter().all(|item| item.verdict.fails()), "{:?}", at_edit);
    }

    #[test]
    fn reconciliation_is_deterministic_and_ignores_input_order(
        ((sites, entries, baseline, strict), shuffled) in case_strategy().prop_flat_map(|case| {
            let sites = case.0.clone();
            (Just(case), Just(sites).prop_shuffle())
        }),
    ) {
        let text = yaml(&entries, baseline);
        let first = run(&sites, &text, strict);
        prop_assert_eq!(&first, &run(&sites, &text, strict));
        prop_assert_eq!(&first, &run(&shuffled, &text, strict));
    }

    #[test]
    fn pasting_every_suggestion_leaves_no_violation(
        (sites, entries, baseline, strict) in case_strategy(),
    ) {
        let mut text = yaml(&entries, baseline);
        for item in run(&sites, &text, strict) {
            if let Some(suggestion) = item.suggestion_text() {
                text.push_str(&suggestion);
                text.push('\n');
            }
        }
        let after = run(&sites, &text, strict);
        prop_assert!(after.iter().all(|item| item.verdict != Verdict::Violation), "{:#?}", after);
    }

    #[test]
    fn items_come_in_the_documented_order(
        (sites, entries, baseline, strict) in case_strategy(),
    ) {
        // By place, then verdict, then content (the violations are built in
        // this order rather than sorted: this checks they agree).
        let items = run(&sites, &yaml(&entries, baseline), strict);
        let order = |item: &Item| {
            (
                (item.file.clone(), item.line, item.verdict),
                (item.qualname.clone(), item.token.clone(), item.more().old_token.clone()),
                (item.more().entry.as_ref().map(|entry| entry.line), item.detail.clone()),
            )
        };
        for pair in items.windows(2) {
            prop_assert!(order(&pair[0]) <= order(&pair[1]), "{:#?}", pair);
        }
    }
}
