//! `convert`, resolving: files attributed from live findings, and every
//! fail-closed case on its own.

use std::collections::BTreeMap;

use stablegate_gates::edit::{resolve_seeds, Frozen, KeysError, SeedFailure, SourceFile};
use stablegate_gates::Site;
use stablegate_keys::python_keys;

use crate::support::{list, site};

const ORDERS: &str = "\
import json


class Importer:
    def implement(self, raw):
        data = json.loads(raw)
        # a comment
        return data


CONFIG = json.loads('{}')
";

const BILLING: &str = "\
import json


class Importer:
    \"\"\"Billing.\"\"\"

    def implement(self, raw):
        payload = json.loads(raw)
        return payload
";

/// The files and the gate's live sites (every `json.loads` line).
fn tree() -> (BTreeMap<String, SourceFile>, Vec<Site>) {
    let mut files = BTreeMap::new();
    for (name, text) in [("src/orders.py", ORDERS), ("src/billing.py", BILLING)] {
        files.insert(
            name.to_owned(),
            SourceFile {
                keys: Ok(python_keys(text)),
                scanned: true,
            },
        );
    }
    let sites = vec![
        site(
            "src/orders.py",
            6,
            "Importer.implement",
            "data = json . loads ( raw )",
        ),
        site("src/orders.py", 11, "<module>", "CONFIG = json . loads ( )"),
        site(
            "src/billing.py",
            8,
            "Importer.implement",
            "payload = json . loads ( raw )",
        ),
    ];
    (files, sites)
}

fn resolve(
    seeds: &str,
    files: &BTreeMap<String, SourceFile>,
    sites: &[Site],
) -> Result<Vec<Frozen>, Vec<SeedFailure>> {
    let text = format!("k:\n{seeds}");
    resolve_seeds("inline_json", &list(&text, "k"), sites, false, files)
}

/// The single failure of a one-seed allowlist, as one line.
fn failure(seed: &str) -> String {
    let (files, sites) = tree();
    let failures = resolve(seed, &files, &sites).expect_err("the seed fails");
    assert_eq!(failures.len(), 1, "{failures:?}");
    format!("{}: {}", failures[0].seed, failures[0].reasons.join("; "))
}

#[test]
fn namesakes_in_two_files_are_told_apart_by_their_findings() {
    let (files, sites) = tree();
    let frozen = resolve(
        "- qualname: Importer.implement\n  line: 6\n- qualname: Importer.implement\n  line: 8\n",
        &files,
        &sites,
    )
    .unwrap();
    let keys: Vec<(&str, &str, usize, &str)> = frozen
        .iter()
        .map(|f| {
            (
                f.file.as_str(),
                f.qualname.as_str(),
                f.line,
                f.token.as_str(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            (
                "src/orders.py",
                "Importer.implement",
                6,
                "data = json . loads ( raw )"
            ),
            (
                "src/billing.py",
                "Importer.implement",
                8,
                "payload = json . loads ( raw )"
            ),
        ]
    );
}

#[test]
fn a_seed_resolving_to_module_fails() {
    assert_eq!(
        failure("- \"src/orders.py:11\"\n"),
        "\"src/orders.py:11\": src/orders.py:11 resolves to `<module>` (outside any function or class)"
    );
}

#[test]
fn a_seed_on_a_line_without_code_fails() {
    let message = failure("- file: src/orders.py\n  qualname: Importer.implement\n  line: 7\n");
    assert!(
        message.contains("src/orders.py:7 has no code token"),
        "{message}"
    );
}

#[test]
fn a_seed_whose_qualname_differs_fails() {
    let message = failure("- file: src/billing.py\n  qualname: Importer.fallback\n  line: 8\n");
    assert_eq!(
        message,
        "qualname Importer.fallback, line 8, file src/billing.py: src/billing.py:8 is in `Importer.implement`, not the recorded `Importer.fallback`"
    );
}

#[test]
fn a_seed_without_a_live_finding_fails() {
    let message = failure("- file: src/orders.py\n  qualname: Importer.implement\n  line: 8\n");
    assert_eq!(
        message,
        "qualname Importer.implement, line 8, file src/orders.py: gate `inline_json` has no live finding at src/orders.py:8"
    );
    let message = failure("- qualname: Importer.implement\n  line: 9\n");
    assert!(
        message.contains("no live finding at line 9 in `Importer.implement` in any file"),
        "{message}"
    );
}

#[test]
fn a_seed_in_an_unreadable_file_fails() {
    let (mut files, sites) = tree();
    files.insert(
        "src/latin.py".to_owned(),
        SourceFile {
            keys: Err(KeysError::Unreadable {
                reason: "is not valid UTF-8".to_owned(),
                line: Some(2),
            }),
            scanned: true,
        },
    );
    let failures = resolve("- \"src/latin.py:3\"\n", &files, &sites).unwrap_err();
    assert_eq!(
        failures[0].reasons,
        vec!["src/latin.py is not valid UTF-8 (line 2)"]
    );
    // A seed without `file` cannot rule out that file either.
    let failures = resolve(
        "- qualname: Importer.implement\n  line: 6\n",
        &files,
        &sites,
    )
    .unwrap_err();
    assert!(
        failures[0].reasons[0].contains("src/latin.py could not be read or parsed"),
        "{failures:?}"
    );
}

#[test]
fn a_seed_in_an_unparseable_file_fails() {
    let (mut files, mut sites) = tree();
    files.insert(
        "src/broken.py".to_owned(),
        SourceFile {
            keys: Ok(python_keys("def f(:\n    json.loads(x)\n")),
            scanned: true,
        },
    );
    sites.push(site("src/broken.py", 2, "<module>", "json . loads ( x )"));
    let failures = resolve(
        "- qualname: f\n  line: 2\n  file: src/broken.py\n",
        &files,
        &sites,
    )
    .unwrap_err();
    assert!(
        failures[0].reasons[0].starts_with("src/broken.py does not parse"),
        "{failures:?}"
    );
}

#[test]
fn a_seed_in_several_files_fails() {
    let (files, mut sites) = tree();
    sites.push(site("src/billing.py", 6, "Importer.implement", "other = 1"));
    let message = failure_with(
        "- qualname: Importer.implement\n  line: 6\n",
        &files,
        &sites,
    );
    assert!(
        message.contains("several files (src/billing.py, src/orders.py): add `file:`"),
        "{message}"
    );
}

fn failure_with(seed: &str, files: &BTreeMap<String, SourceFile>, sites: &[Site]) -> String {
    let failures = resolve(seed, files, sites).unwrap_err();
    failures[0].reasons.join("; ")
}

#[test]
fn seeds_deriving_one_key_fail_together() {
    let (files, sites) = tree();
    let failures = resolve(
        "- \"src/orders.py:6\"\n- qualname: Importer.implement\n  line: 6\n- file: src/orders.py\n  qualname: Importer.implement\n  line: 6\n  token: \"data = json . loads ( raw )\"\n",
        &files,
        &sites,
    )
    .unwrap_err();
    let lines: Vec<usize> = failures.iter().map(|f| f.entry_line).collect();
    assert_eq!(lines, vec![2, 3]);
    assert!(
        failures[0].reasons[0].contains("of the entry at line 3, 5 too"),
        "{failures:?}"
    );
}

#[test]
fn every_failing_seed_is_listed() {
    let (files, sites) = tree();
    let failures = resolve(
        "- \"src/orders.py:11\"\n- qualname: Importer.implement\n  line: 9\n- \"src/orders.py:7\"\n",
        &files,
        &sites,
    )
    .unwrap_err();
    assert_eq!(failures.len(), 3, "{failures:?}");
}
