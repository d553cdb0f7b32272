//! `check` through the real binary, one fixture per verdict of SPEC §4.1:
//! exit code, standard output and standard error compared whole (human
//! format), and for some verdicts the JSON report parsed and checked.

use serde_json::json;

use crate::check_fixture::{
    allowlist, check_json, edit, items, run, shop, verdict_counts, ALLOWLIST, LOADER_ENTRY,
    READ_META_ENTRY,
};
use crate::support::assert_outcome;

#[test]
fn accepted_sites_keep_the_gate_green() {
    let project = shop();
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 0\n--- stdout\n\
         gate inline_load: pass (0 items, 2 ok)\n\
         \n\
         pass: 1 of 1 gate passed; 2 ok\n\
         --- stderr\n",
    );
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(0));
    assert_eq!(report["summary"]["status"], "pass");
    assert_eq!(report["gates"][0]["status"], "pass");
    let accepted: Vec<_> = items(&report)
        .iter()
        .map(|item| (&item["verdict"], &item["qualname"], &item["line"]))
        .collect();
    assert_eq!(
        accepted,
        [
            (&json!("ok"), &json!("read_meta"), &json!(6)),
            (&json!("ok"), &json!("Loader.load"), &json!(12)),
        ]
    );
}

const CART_PY: &str =
    "import json\n\n\ndef load_cart(stream):\n    cart = json.load(stream)\n    return cart\n";

#[test]
fn an_unlisted_site_is_a_violation_with_a_ready_to_paste_entry() {
    let project = shop();
    project.file("src/shop/cart.py", CART_PY);
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 2 ok)\n\
         \n\
         src/shop/cart.py:5 (load_cart): violation: read meta through load_meta()\n  \
         |\n\
         5 |     cart = json.load(stream)\n  \
         |     ^^^^^^^^^^^^^^^^^^^^^^^^\n  \
         |\n  \
         = token: cart = json . load ( stream )\n  \
         = help: fix it, or accept it with this allowlist entry:\n          \
         - file: src/shop/cart.py\n            \
         qualname: load_cart\n            \
         line: 5\n            \
         token: \"cart = json . load ( stream )\"\n            \
         rationale: \"TODO: why this site is accepted\"\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 violation), 2 ok\n\
         --- stderr\n",
    );

    // The suggestion, pasted as is under the gate's key, accepts the site.
    let (_, report) = check_json(&project);
    let suggestion = items(&report)
        .iter()
        .find(|item| item["verdict"] == "violation")
        .and_then(|item| item["suggestion"].as_str())
        .expect("the violation carries a suggestion")
        .to_owned();
    let pasted = allowlist(&[READ_META_ENTRY, LOADER_ENTRY, &format!("{suggestion}\n")]);
    project.file(ALLOWLIST, pasted);
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 0\n--- stdout\n\
         gate inline_load: pass (0 items, 3 ok)\n\
         \n\
         pass: 1 of 1 gate passed; 3 ok\n\
         --- stderr\n",
    );
}

#[test]
fn an_edited_accepted_line_is_one_changed_item_with_old_and_new_token() {
    let project = shop();
    edit(
        &project,
        "src/shop/meta.py",
        "meta = json.load(f)",
        "data = json.load(f)",
    );
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 1 ok)\n\
         \n\
         src/shop/meta.py:6 (read_meta): changed: read meta through load_meta()\n  \
         |\n\
         6 |         data = json.load(f)\n  \
         |         ^^^^^^^^^^^^^^^^^^^\n  \
         |\n  \
         = old token: meta = json . load ( f )\n  \
         = new token: data = json . load ( f )\n  \
         = entry: gates/inline_load.yaml:2\n  \
         = rationale: legacy meta files\n  \
         = help: the accepted line changed: re-approve it or fix it\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 changed), 1 ok\n\
         --- stderr\n",
    );
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1));
    assert_eq!(
        verdict_counts(&report),
        [("changed".to_owned(), 1), ("ok".to_owned(), 1)].into(),
        "one changed item, not a stale entry and a violation"
    );
    let changed = &items(&report)
        .iter()
        .find(|item| item["verdict"] == "changed")
        .expect("a changed item");
    assert_eq!(changed["file"], "src/shop/meta.py");
    assert_eq!(changed["line"], 6);
    assert_eq!(changed["qualname"], "read_meta");
    assert_eq!(changed["old_token"], "meta = json . load ( f )");
    assert_eq!(changed["token"], "data = json . load ( f )");
    assert_eq!(
        changed["entry"],
        json!({"allowlist": "gates/inline_load.yaml", "line": 2})
    );
}

const LEGACY_PY: &str = "import json\n\n\ndef read_meta(path):\n    with open(path) as f:\n        meta = json.load(f)\n    return meta\n";
const LOADER_ONLY_PY: &str = "import json\n\n\nclass Loader:\n    def load(self, handle):\n        return json.load(handle)\n";

#[test]
fn an_accepted_key_living_in_another_file_is_moved() {
    let project = shop();
    project
        .file("src/shop/meta.py", LOADER_ONLY_PY)
        .file("src/shop/legacy.py", LEGACY_PY);
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 1 ok)\n\
         \n\
         src/shop/meta.py:6 (read_meta): moved: read meta through load_meta()\n \
         = token: meta = json . load ( f )\n \
         = now in: src/shop/legacy.py\n \
         = entry: gates/inline_load.yaml:2\n \
         = rationale: legacy meta files\n \
         = detail: its qualname and token now live in src/shop/legacy.py: update `file` and \
         re-approve, or fix the site\n \
         = help: the accepted key lives in another file now: re-approve it there or evict it\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 moved), 1 ok\n\
         --- stderr\n",
    );
    let (_, report) = check_json(&project);
    assert_eq!(
        verdict_counts(&report),
        [("moved".to_owned(), 1), ("ok".to_owned(), 1)].into()
    );
    let moved = items(&report)
        .iter()
        .find(|item| item["verdict"] == "moved")
        .expect("a moved item");
    assert_eq!(moved["file"], "src/shop/meta.py");
    assert_eq!(moved["moved_to"], "src/shop/legacy.py");
    assert_eq!(moved["token"], "meta = json . load ( f )");

    // Following the advice (update `file`) makes the gate green again.
    edit(
        &project,
        ALLOWLIST,
        "- file: src/shop/meta.py\n  qualname: read_meta",
        "- file: src/shop/legacy.py\n  qualname: read_meta",
    );
    assert_eq!(run(&project, &["check"]).code, Some(0));
}

const TWO_READS_PY: &str = "\
import json


def read_meta(path, spare):
    with open(path) as f:
        meta = json.load(f)
    backup = json.load(spare)
    return meta, backup


class Loader:
    def load(self, handle):
        return json.load(handle)
";

const BACKUP_ENTRY: &str = "\
- file: src/shop/meta.py
  qualname: read_meta
  line: 7
  token: \"backup = json . load ( spare )\"
  rationale: \"the spare copy\"
";

#[test]
fn an_entry_covering_no_live_site_is_stale_with_the_nearest_live_token() {
    let project = shop();
    project.file("src/shop/meta.py", TWO_READS_PY).file(
        ALLOWLIST,
        allowlist(&[READ_META_ENTRY, BACKUP_ENTRY, LOADER_ENTRY]),
    );
    assert_eq!(
        run(&project, &["check"]).code,
        Some(0),
        "the fixture starts green"
    );
    edit(
        &project,
        "src/shop/meta.py",
        "meta = json.load(f)",
        "meta = {}",
    );
    edit(
        &project,
        "src/shop/meta.py",
        "return json.load(handle)",
        "return handle.read()",
    );
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (2 items, 1 ok)\n\
         \n\
         src/shop/meta.py:6 (read_meta): stale: read meta through load_meta()\n \
         = token: meta = json . load ( f )\n \
         = nearest live token: backup = json . load ( spare )\n \
         = entry: gates/inline_load.yaml:2\n \
         = rationale: legacy meta files\n \
         = help: the entry covers no live site: evict it or re-approve it\n\
         \n\
         src/shop/meta.py:12 (Loader.load): stale: read meta through load_meta()\n \
         = token: return json . load ( handle )\n \
         = entry: gates/inline_load.yaml:12\n \
         = rationale: the loader is the codec\n \
         = help: the entry covers no live site: evict it or re-approve it\n\
         \n\
         FAIL: 1 of 1 gate failed; 2 items (2 stale), 1 ok\n\
         --- stderr\n",
    );
    let (_, report) = check_json(&project);
    let nearest: Vec<_> = items(&report)
        .iter()
        .filter(|item| item["verdict"] == "stale")
        .map(|item| (&item["qualname"], item.get("nearest")))
        .collect();
    assert_eq!(
        nearest,
        [
            (
                &json!("read_meta"),
                Some(&json!("backup = json . load ( spare )"))
            ),
            (&json!("Loader.load"), None),
        ]
    );
}

const BATCH_PY: &str = "\
import json


def read_all(a):
    return [
        json.load(a),
        json.load(a),
        json.load(a),
    ]
";

fn batch_entry(count: Option<u32>) -> String {
    let mut entry = String::from(
        "- file: src/shop/batch.py\n  qualname: read_all\n  line: 6\n  token: \"json . load ( a ) ,\"\n  rationale: \"three copies\"\n",
    );
    if let Some(count) = count {
        entry.push_str(&format!("  count: {count}\n"));
    }
    entry
}

const BATCH_COUNT_2: &str = "\
gate inline_load: FAIL (1 item, 2 ok)

src/shop/batch.py:6 (read_all): count: read meta through load_meta()
  |
6 |         json.load(a),
  |         ^^^^^^^^^^^^^
  |
  = token: json . load ( a ) ,
  = count: expected 2 live sites, found 3
  = entry: gates/inline_load.yaml:12
  = rationale: three copies
  = help: fix the extra sites, or correct `count` in review

FAIL: 1 of 1 gate failed; 1 item (1 count), 2 ok
";

#[test]
fn an_entry_whose_count_differs_from_its_live_sites_is_count() {
    let project = shop();
    project.file("src/shop/batch.py", BATCH_PY);
    let with_count = |count| {
        project.file(
            ALLOWLIST,
            allowlist(&[READ_META_ENTRY, LOADER_ENTRY, &batch_entry(count)]),
        );
        run(&project, &["check"])
    };
    assert_outcome(
        &with_count(Some(2)),
        &format!("exit: 1\n--- stdout\n{BATCH_COUNT_2}--- stderr\n"),
    );
    let (_, report) = check_json(&project);
    let count = items(&report)
        .iter()
        .find(|item| item["verdict"] == "count")
        .expect("a count item");
    assert_eq!(
        (&count["expected"], &count["actual"]),
        (&json!(2), &json!(3))
    );

    assert_eq!(with_count(Some(3)).code, Some(0), "count: 3 matches");
    let loose = with_count(None);
    assert_eq!(
        loose.code,
        Some(0),
        "without count any number is ok:\n{loose}"
    );
    assert!(loose.stdout.contains("(0 items, 5 ok)"), "{loose}");
}

#[test]
fn strict_counts_makes_an_entry_without_count_mean_exactly_one() {
    let project = shop();
    project
        .file(
            "stablegate.toml",
            format!("{}strict_counts = true\n", crate::check_fixture::CONFIG),
        )
        .file("src/shop/batch.py", BATCH_PY)
        .file(
            ALLOWLIST,
            allowlist(&[READ_META_ENTRY, LOADER_ENTRY, &batch_entry(None)]),
        );
    assert_outcome(
        &run(&project, &["check"]),
        &format!(
            "exit: 1\n--- stdout\n{}--- stderr\n",
            BATCH_COUNT_2.replace("expected 2 live sites", "expected 1 live site")
        ),
    );
    project.file(
        ALLOWLIST,
        allowlist(&[READ_META_ENTRY, LOADER_ENTRY, &batch_entry(Some(3))]),
    );
    assert_eq!(
        run(&project, &["check"]).code,
        Some(0),
        "an explicit count still rules"
    );
}

/// A count of one reads in the singular ("expected 1 live site").
#[test]
fn a_count_of_one_is_written_in_the_singular() {
    let project = shop();
    project
        .file(
            "stablegate.toml",
            format!("{}strict_counts = true\n", crate::check_fixture::CONFIG),
        )
        .file("src/shop/batch.py", BATCH_PY)
        .file(
            ALLOWLIST,
            allowlist(&[READ_META_ENTRY, LOADER_ENTRY, &batch_entry(None)]),
        );
    let outcome = run(&project, &["check"]);
    assert!(
        outcome
            .stdout
            .contains("= count: expected 1 live site, found 3\n"),
        "{outcome}"
    );
}

#[test]
fn a_baseline_that_differs_from_the_entry_count_is_baseline() {
    let project = shop();
    let entries = allowlist(&[READ_META_ENTRY, LOADER_ENTRY]);
    project.file(ALLOWLIST, format!("inline_load_baseline: 3\n{entries}"));
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 2 ok)\n\
         \n\
         gates/inline_load.yaml:1: baseline: read meta through load_meta()\n  \
         |\n\
         1 | inline_load_baseline: 3\n  \
         | ^^^^^^^^^^^^^^^^^^^^^^^\n  \
         |\n  \
         = baseline: expected 3 entries, found 2\n  \
         = help: raise the baseline in review when adding entries; lower it when shrinking\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 baseline), 2 ok\n\
         --- stderr\n",
    );
    let (_, report) = check_json(&project);
    let baseline = &items(&report)[0];
    assert_eq!(baseline["verdict"], "baseline");
    assert_eq!(
        (&baseline["expected"], &baseline["actual"]),
        (&json!(3), &json!(2))
    );

    project.file(ALLOWLIST, format!("inline_load_baseline: 2\n{entries}"));
    assert_eq!(
        run(&project, &["check"]).code,
        Some(0),
        "a matching baseline is green"
    );
}

#[test]
fn an_entry_whose_expires_date_has_passed_is_expired() {
    let project = shop();
    let expiring = |date: &str| {
        let loader = format!("{LOADER_ENTRY}  expires: {date}\n");
        project.file(ALLOWLIST, allowlist(&[READ_META_ENTRY, &loader]));
    };
    expiring("2026-01-14");
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 1 ok)\n\
         \n\
         src/shop/meta.py:12 (Loader.load): expired: read meta through load_meta()\n   \
         |\n\
         12 |         return json.load(handle)\n   \
         |         ^^^^^^^^^^^^^^^^^^^^^^^^\n   \
         |\n   \
         = token: return json . load ( handle )\n   \
         = entry: gates/inline_load.yaml:7\n   \
         = rationale: the loader is the codec\n   \
         = detail: expired on 2026-01-14: fix the site, or renew `expires` in review\n   \
         = help: the entry's `expires` date has passed: fix the site or renew the entry in review\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 expired), 1 ok\n\
         --- stderr\n",
    );
    // The day it expires is still accepted; the day after is not.
    expiring("2026-01-15");
    assert_eq!(run(&project, &["check"]).code, Some(0));
    let tomorrow = crate::support::command(project.path(), &["check"])
        .env("STABLEGATE_TODAY", "2026-01-16")
        .output()
        .expect("run stablegate");
    assert_eq!(tomorrow.status.code(), Some(1));
}

const PAIR_PY: &str = "\
import json


def read_pair(meta_file, old_file):
    meta = json.load(meta_file)
    meta_old = json.load(old_file)
    return meta, meta_old
";

#[test]
fn a_truncated_token_selecting_two_keys_is_ambiguous() {
    let project = shop();
    project.file("src/shop/meta.py", PAIR_PY).file(
        ALLOWLIST,
        "inline_load:\n- file: src/shop/meta.py\n  qualname: read_pair\n  line: 5\n  token: \"meta…\"\n  rationale: \"both reads\"\n",
    );
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 0 ok)\n\
         \n\
         src/shop/meta.py:5 (read_pair): ambiguous: read meta through load_meta()\n \
         = token: meta…\n \
         = entry: gates/inline_load.yaml:2\n \
         = rationale: both reads\n \
         = detail: truncated token selects 2 live keys (`meta = json . load ( meta_file )`, \
         `meta_old = json . load ( old_file )`): lengthen it until it selects one\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 ambiguous)\n\
         --- stderr\n",
    );
    // Lengthened until it selects one key (per site), the entries are ok.
    project.file(
        ALLOWLIST,
        "inline_load:\n- file: src/shop/meta.py\n  qualname: read_pair\n  token: \"meta = …\"\n  rationale: \"first\"\n- file: src/shop/meta.py\n  qualname: read_pair\n  token: \"meta_old…\"\n  rationale: \"second\"\n",
    );
    let outcome = run(&project, &["check"]);
    assert_eq!(outcome.code, Some(0), "{outcome}");
}

#[test]
fn duplicate_entries_are_ambiguous() {
    let project = shop();
    project.file(
        ALLOWLIST,
        allowlist(&[READ_META_ENTRY, LOADER_ENTRY, READ_META_ENTRY]),
    );
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 2 ok)\n\
         \n\
         src/shop/meta.py:6 (read_meta): ambiguous: read meta through load_meta()\n \
         = token: meta = json . load ( f )\n \
         = entry: gates/inline_load.yaml:12\n \
         = rationale: legacy meta files\n \
         = detail: duplicate of the entry at gates/inline_load.yaml:2 (same file, qualname and \
         token): remove one\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 ambiguous), 2 ok\n\
         --- stderr\n",
    );
}
