//! `check --format sarif|junit|github` through the binary. SARIF: one red
//! fixture holding every verdict, parsed; each result's `baselineState` and
//! `level` follow the verdict, its `stablegate/v1` fingerprint and its
//! `primaryLocationLineHash` are the documented hashes of the content key
//! and survive a line shift. JUnit (times aside) and GitHub annotations:
//! exact text for a small red fixture.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::check_fixture::{
    allowlist, parse_json, run, shop, ALLOWLIST, CONFIG, LOADER_ENTRY, READ_META_ENTRY,
};
use crate::support::{assert_outcome, Project};

/// One live-site line per file, each one accepted, stale, counted…: see
/// [`every_verdict`].
const FILES: [(&str, &str); 6] = [
    ("src/shop/cart.py", "import json\n\n\ndef load_cart(stream):\n    return json.load(stream)\n"),
    ("src/shop/old.py", "import json\n\n\ndef legacy(handle):\n    return json.load(handle)\n"),
    ("src/shop/legacy.py", "import json\n\n\ndef moved(handle):\n    return json.load(handle)\n"),
    ("src/shop/batch.py", "import json\n\n\ndef read_all(a):\n    return [\n        json.load(a),\n        json.load(a),\n        json.load(a),\n    ]\n"),
    ("src/shop/latin.py", "import json\n\n\ndef f(x):\n    return json.load(x)  # caf\u{e9}\n"),
    ("vendor/latin.py", "import json\n\n\ndef f(x):\n    return json.load(x)  # caf\u{e9}\n"),
];

fn entry(file: &str, qualname: &str, token: &str, extra: &str) -> String {
    format!(
        "- file: {file}\n  qualname: {qualname}\n  token: \"{token}\"\n  rationale: \"r\"\n{extra}"
    )
}

/// The shop made red with one item of every verdict, plus a second gate
/// (`quiet`, `on_parse_error = "warn"`) holding a parse warning.
pub fn every_verdict() -> Project {
    let project = shop();
    for (file, text) in FILES {
        let bytes = text.replace('\u{e9}', "\u{1}").into_bytes();
        // Latin-1 é: not UTF-8.
        let bytes: Vec<u8> = bytes
            .into_iter()
            .map(|b| if b == 1 { 0xe9 } else { b })
            .collect();
        project.file(file, bytes);
    }
    project
        .file(
            "stablegate.toml",
            format!(
                "{CONFIG}\n[[gate]]\nname = \"quiet\"\npaths = [\"vendor\"]\npattern = \"json.load($F)\"\non_parse_error = \"warn\"\n"
            ),
        )
        .file(
            ALLOWLIST,
            format!(
                "inline_load_baseline: 99\n{}",
                allowlist(&[
                    READ_META_ENTRY,
                    LOADER_ENTRY,
                    LOADER_ENTRY,
                    &entry("src/shop/old.py", "legacy", "return json . load ( handle )", "  expires: 2026-01-01\n"),
                    &entry("src/shop/gone.py", "moved", "return json . load ( handle )", ""),
                    &entry("src/shop/batch.py", "read_all", "json . load ( a ) ,", "  count: 2\n"),
                    &entry("src/shop/meta.py", "Loader.save", "json . dump ( x )", ""),
                    &entry("../outside.py", "<module>", "x = 1", ""),
                ])
            ),
        );
    crate::check_fixture::edit(
        &project,
        "src/shop/meta.py",
        "meta = json.load(f)",
        "data = json.load(f)",
    );
    project
}

fn sarif(project: &Project) -> Value {
    let outcome = run(project, &["--format", "sarif", "check"]);
    assert_eq!(
        (outcome.code, outcome.stderr.as_str()),
        (Some(1), ""),
        "{outcome}"
    );
    let log = parse_json(&outcome);
    assert_eq!(log["version"], "2.1.0");
    log
}

fn results(log: &Value) -> &[Value] {
    log["runs"][0]["results"]
        .as_array()
        .map(Vec::as_slice)
        .expect("results")
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

/// The documented fingerprint: the first 32 hex digits of
/// SHA-256(file NUL qualname NUL token).
fn fingerprint(file: &str, qualname: &str, token: &str) -> String {
    let digest = Sha256::digest(format!("{file}\0{qualname}\0{token}").as_bytes());
    digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[test]
fn sarif_results_carry_the_baseline_state_and_level_of_their_verdict() {
    let log = sarif(&every_verdict());
    let mut seen: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for result in results(&log) {
        let verdict = text(&result["properties"]["verdict"]);
        let state = (text(&result["baselineState"]), text(&result["level"]));
        if let Some(earlier) = seen.insert(verdict, state) {
            assert_eq!(earlier, state, "every {verdict} result is alike");
        }
        let suppressed = result.get("suppressions").is_some();
        assert_eq!(
            suppressed,
            verdict == "ok",
            "only accepted sites are suppressed: {result}"
        );
    }
    let expected: BTreeMap<&str, (&str, &str)> = [
        ("ok", ("unchanged", "note")),
        ("violation", ("new", "error")),
        ("changed", ("updated", "error")),
        ("count", ("updated", "error")),
        ("expired", ("updated", "error")),
        ("stale", ("absent", "error")),
        ("moved", ("absent", "error")),
        ("baseline", ("new", "error")),
        ("ambiguous", ("new", "error")),
        ("invalid", ("new", "error")),
        ("parse_error", ("new", "error")),
        ("parse_warning", ("new", "warning")),
    ]
    .into();
    assert_eq!(seen, expected);

    let ok = results(&log)
        .iter()
        .find(|result| result["properties"]["verdict"] == "ok")
        .expect("an accepted site");
    assert_eq!(ok["suppressions"][0]["status"], "accepted");
    assert_eq!(
        ok["suppressions"][0]["justification"],
        "the loader is the codec"
    );
}

#[test]
fn sarif_fingerprints_hash_the_content_key_and_survive_a_line_shift() {
    let project = every_verdict();
    let before = sarif(&project);
    let keyed = |log: &Value| -> Vec<(String, String, String, Option<u64>)> {
        let mut rows: Vec<_> = results(log)
            .iter()
            .filter(|result| result["properties"]["qualname"].is_string())
            .map(|result| {
                // Results about an entry are located on it; the site they
                // name is their first related location.
                let on_entry = ["stale", "moved", "expired", "invalid", "ambiguous"]
                    .contains(&text(&result["properties"]["verdict"]));
                let primary = &result["locations"][0]["physicalLocation"];
                assert!(
                    !on_entry || primary["artifactLocation"]["uri"] == ALLOWLIST,
                    "{result}"
                );
                let location = if on_entry {
                    &result["relatedLocations"][0]["physicalLocation"]
                } else {
                    &result["locations"][0]["physicalLocation"]
                };
                let uri = text(&location["artifactLocation"]["uri"]);
                let props = &result["properties"];
                let print = text(&result["partialFingerprints"]["stablegate/v1"]).to_owned();
                let token = props["token"].as_str().unwrap_or_default();
                assert_eq!(
                    print,
                    fingerprint(uri, text(&props["qualname"]), token),
                    "{result}"
                );
                // GitHub's alert identity: derived from the same key (with
                // a prefix for results about the entry).
                let line_hash = text(&result["partialFingerprints"]["primaryLocationLineHash"]);
                assert_eq!(line_hash.starts_with(&print[..16]), !on_entry, "{result}");
                let print = format!("{print} {line_hash}");
                let verdict = text(&props["verdict"]).to_owned();
                let state = text(&result["baselineState"]).to_owned();
                (
                    verdict,
                    state,
                    print,
                    location["region"]["startLine"].as_u64(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let rows_before = keyed(&before);
    assert!(rows_before.len() >= 10, "{rows_before:?}");

    // Two blank lines and a comment on top of every scanned Python file.
    for (file, _) in FILES.iter().chain(&[("src/shop/meta.py", "")]) {
        let path = project.path().join(file);
        let mut bytes = b"\n# moved down\n\n".to_vec();
        bytes.extend(std::fs::read(&path).expect("read a fixture file"));
        project.file(file, bytes);
    }
    let rows_after = keyed(&sarif(&project));
    let without_lines = |rows: &[(String, String, String, Option<u64>)]| -> Vec<_> {
        rows.iter()
            .map(|(v, s, p, _)| (v.clone(), s.clone(), p.clone()))
            .collect()
    };
    assert_eq!(without_lines(&rows_after), without_lines(&rows_before));
    let moved_down = rows_before
        .iter()
        .zip(&rows_after)
        .filter(|(before, after)| before.3.map(|line| line + 3) == after.3)
        .count();
    assert!(
        moved_down >= 5,
        "live sites are reported 3 lines lower: {rows_after:?}"
    );
}

/// The shop with one violation (a new module) and one stale entry.
pub fn small_red() -> Project {
    let project = shop();
    project
        .file(
            "src/shop/cart.py",
            "import json\n\n\ndef load_cart(stream):\n    cart = json.load(stream)\n    return cart\n",
        )
        .file(
            ALLOWLIST,
            allowlist(&[
                READ_META_ENTRY,
                LOADER_ENTRY,
                &entry("src/shop/meta.py", "Loader.save", "json . dump ( x )", ""),
            ]),
        );
    project
}

/// The output with every ` time="S.mmm"` written as ` time="T"`: runs
/// are timed, and the times differ from run to run.
pub fn without_times(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" time=\"") {
        out.push_str(&rest[..at]);
        let value = &rest[at + 7..];
        let end = value.find('"').expect("a closing quote");
        let number = &value[..end];
        assert!(
            number.len() >= 5
                && number[number.len() - 4..].starts_with('.')
                && number
                    .bytes()
                    .filter(|&b| b != b'.')
                    .all(|b| b.is_ascii_digit()),
            "not a time in seconds with three decimals: {number}"
        );
        out.push_str(" time=\"T\"");
        rest = &value[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn junit_has_one_testcase_per_failing_item_with_its_file_and_line() {
    let mut outcome = run(&small_red(), &["--format", "junit", "check"]);
    outcome.stdout = without_times(&outcome.stdout);
    assert_outcome(
        &outcome,
        "exit: 1\n--- stdout\n\
         <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"stablegate\" tests=\"2\" failures=\"2\" errors=\"0\" time=\"T\">\n    \
         <testsuite name=\"inline_load\" tests=\"2\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"T\">\n        \
         <properties>\n            \
         <property name=\"kind\" value=\"code\"/>\n            \
         <property name=\"status\" value=\"fail\"/>\n        \
         </properties>\n        \
         <testcase name=\"src/shop/cart.py (load_cart) cart = json . load ( stream )\" classname=\"inline_load\" file=\"src/shop/cart.py\" line=\"5\">\n            \
         <failure message=\"violation: read meta through load_meta()\" type=\"violation\">src/shop/cart.py:5 (load_cart): violation: read meta through load_meta()\n  \
         token: cart = json . load ( stream )\n  \
         help: fix it, or accept it with this allowlist entry:\n    \
         - file: src/shop/cart.py\n      \
         qualname: load_cart\n      \
         line: 5\n      \
         token: \"cart = json . load ( stream )\"\n      \
         rationale: \"TODO: why this site is accepted\"\n\
         </failure>\n        \
         </testcase>\n        \
         <testcase name=\"src/shop/meta.py (Loader.save) json . dump ( x )\" classname=\"inline_load\" file=\"src/shop/meta.py\">\n            \
         <failure message=\"stale: read meta through load_meta()\" type=\"stale\">src/shop/meta.py (Loader.save): stale: read meta through load_meta()\n  \
         token: json . dump ( x )\n  \
         entry: gates/inline_load.yaml:12\n  \
         rationale: r\n  \
         help: the entry covers no live site: evict it or re-approve it\n\
         </failure>\n        \
         </testcase>\n    \
         </testsuite>\n\
         </testsuites>\n\
         --- stderr\n",
    );
}

#[test]
fn github_format_prints_one_annotation_per_failing_item_and_a_summary() {
    assert_outcome(
        &run(&small_red(), &["--format", "github", "check"]),
        "exit: 1\n--- stdout\n\
         ::error file=src/shop/cart.py,line=5,title=inline_load%3A violation::src/shop/cart.py:5 \
         (load_cart): violation: read meta through load_meta()%0Atoken: cart = json . load ( \
         stream )%0Ahelp: fix it, or accept it with this allowlist entry:%0A- file: \
         src/shop/cart.py%0A  qualname: load_cart%0A  line: 5%0A  token: \"cart = json . \
         load ( stream )\"%0A  rationale: \"TODO: why this site is accepted\"\n\
         ::error file=src/shop/meta.py,title=inline_load%3A stale::src/shop/meta.py (Loader.save): \
         stale: read meta through load_meta()%0Atoken: json . dump ( x )%0Aentry: \
         gates/inline_load.yaml:12%0Arationale: r%0Ahelp: the entry covers no live site: evict it \
         or re-approve it\n\
         stablegate FAIL: 1 of 1 gate failed; 2 items (1 violation, 1 stale), 2 ok\n\
         --- stderr\n",
    );
}
