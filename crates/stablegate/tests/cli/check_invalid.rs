//! `check` on entries that cannot be trusted (`invalid`) and on scanned
//! files that cannot be read (`parse_error`, or `parse_warning` with
//! `on_parse_error = "warn"`), through the real binary.

use crate::check_fixture::{
    allowlist, check_json, items, run, shop, ALLOWLIST, CONFIG, LOADER_ENTRY, READ_META_ENTRY,
};
use crate::support::assert_outcome;

fn entry(file: &str, qualname: &str, token: &str, rationale: &str) -> String {
    format!("- file: {file}\n  qualname: {qualname}\n  token: \"{token}\"\n  rationale: \"{rationale}\"\n")
}

#[test]
fn entries_without_a_token_hand_typed_or_escaping_the_root_are_invalid() {
    let project = shop();
    project.file("../outside.py", "import json\nx = json.load(f)\n");
    std::os::unix::fs::symlink(
        "../../../outside.py",
        project.path().join("src/shop/link.py"),
    )
    .expect("create a symlink");
    let no_token = "- file: src/shop/meta.py\n  qualname: read_meta\n  rationale: \"no token\"\n";
    project.file(
        ALLOWLIST,
        allowlist(&[
            READ_META_ENTRY,
            LOADER_ENTRY,
            no_token,
            &entry(
                "src/shop/meta.py",
                "Loader.load",
                "return json.load(handle)",
                "typed by hand",
            ),
            &entry(
                "../outside.py",
                "<module>",
                "x = json . load ( f )",
                "dot dot",
            ),
            &entry(
                "/etc/passwd",
                "<module>",
                "x = json . load ( f )",
                "absolute",
            ),
            &entry(
                "src/shop/link.py",
                "<module>",
                "x = json . load ( f )",
                "symlink",
            ),
        ]),
    );
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (5 items, 2 ok)\n\
         \n\
         ../outside.py (<module>): invalid: read meta through load_meta()\n \
         = token: x = json . load ( f )\n \
         = entry: gates/inline_load.yaml:19\n \
         = rationale: dot dot\n \
         = detail: `file` escapes the project root: write it relative to the root, without `..`\n\
         \n\
         /etc/passwd (<module>): invalid: read meta through load_meta()\n \
         = token: x = json . load ( f )\n \
         = entry: gates/inline_load.yaml:23\n \
         = rationale: absolute\n \
         = detail: `file` escapes the project root: write it relative to the root, without `..`\n\
         \n\
         src/shop/link.py (<module>): invalid: read meta through load_meta()\n \
         = token: x = json . load ( f )\n \
         = entry: gates/inline_load.yaml:27\n \
         = rationale: symlink\n \
         = detail: `file` leads outside the project root through a symlink\n\
         \n\
         src/shop/meta.py (read_meta): invalid: read meta through load_meta()\n \
         = entry: gates/inline_load.yaml:12\n \
         = rationale: no token\n \
         = detail: missing `token`: an entry needs file, qualname and token (`stablegate allow` \
         writes them)\n\
         \n\
         src/shop/meta.py (Loader.load): invalid: read meta through load_meta()\n \
         = token: return json.load(handle)\n \
         = entry: gates/inline_load.yaml:15\n \
         = rationale: typed by hand\n \
         = detail: token is not in canonical form (re-tokenized it reads \
         `return json . load ( handle )`): copy it from `stablegate key FILE:LINE`, never type \
         it by hand\n\
         \n\
         FAIL: 1 of 1 gate failed; 5 items (5 invalid), 2 ok\n\
         --- stderr\n",
    );
}

#[test]
fn an_invalid_entry_alone_turns_the_gate_red_in_json_too() {
    let project = shop();
    project.file(
        ALLOWLIST,
        allowlist(&[
            READ_META_ENTRY,
            LOADER_ENTRY,
            &entry(
                "src/shop/meta.py",
                "read_meta",
                "meta = json.load(f)",
                "typed",
            ),
        ]),
    );
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(1), "{outcome}");
    assert_eq!(report["gates"][0]["status"], "fail");
    let invalid = items(&report)
        .iter()
        .find(|item| item["verdict"] == "invalid")
        .expect("an invalid item");
    assert_eq!(invalid["token"], "meta = json.load(f)");
    assert_eq!(invalid["line"], serde_json::Value::Null);
    assert_eq!(
        invalid["entry"],
        serde_json::json!({"allowlist": ALLOWLIST, "line": 12})
    );
}

/// A scanned file that is not UTF-8 and holds the pattern's text: the gate
/// cannot say whether it hides an offender.
const LATIN1_PY: &[u8] = b"import json\n\n\ndef f(x):\n    return json.load(x)  # caf\xe9\n";

#[test]
fn a_scanned_file_that_is_not_utf8_is_a_parse_error_by_default() {
    let project = shop();
    project.file("src/shop/latin.py", LATIN1_PY);
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 1\n--- stdout\n\
         gate inline_load: FAIL (1 item, 2 ok)\n\
         \n\
         src/shop/latin.py:5 (<module>): parse_error: the file could not be scanned\n \
         = detail: src/shop/latin.py is not valid UTF-8\n\
         \n\
         FAIL: 1 of 1 gate failed; 1 item (1 parse_error), 2 ok\n\
         --- stderr\n",
    );
}

#[test]
fn on_parse_error_warn_reports_the_file_and_keeps_the_gate_green() {
    let project = shop();
    project
        .file(
            "stablegate.toml",
            format!("{CONFIG}on_parse_error = \"warn\"\n"),
        )
        .file("src/shop/latin.py", LATIN1_PY);
    assert_outcome(
        &run(&project, &["check"]),
        "exit: 0\n--- stdout\n\
         gate inline_load: pass (1 item, 2 ok)\n\
         \n\
         src/shop/latin.py:5 (<module>): parse_warning: the file could not be scanned\n \
         = detail: src/shop/latin.py is not valid UTF-8\n\
         \n\
         pass: 1 of 1 gate passed; 1 item (1 parse_warning), 2 ok\n\
         --- stderr\n",
    );
    let (outcome, report) = check_json(&project);
    assert_eq!(outcome.code, Some(0));
    assert_eq!(report["summary"]["status"], "pass");
    assert_eq!(report["summary"]["verdicts"]["parse_warning"], 1);
    assert_eq!(report["summary"]["failing_items"], 0);
}

/// Bug (stablegate_gates reconcile): an entry whose `file` is written
/// `./src/shop/meta.py` or `src\shop\meta.py` is reported as `moved`, "now
/// in: src/shop/meta.py", i.e. moved to the file it names. A path that is
/// not in canonical form should be `invalid` (like a hand-typed token), or
/// be normalised and cover its site.
#[test]
fn a_non_canonical_entry_path_is_not_moved_to_itself() {
    let project = shop();
    for file in [
        "./src/shop/meta.py",
        "src\\shop\\meta.py",
        "src//shop/meta.py",
    ] {
        project.file(
            ALLOWLIST,
            allowlist(&[
                READ_META_ENTRY,
                &entry(
                    file,
                    "Loader.load",
                    "return json . load ( handle )",
                    "odd path",
                ),
            ]),
        );
        let (outcome, report) = check_json(&project);
        let odd = items(&report)
            .iter()
            .find(|item| item["rationale"] == "odd path")
            .unwrap_or_else(|| panic!("an item for the entry:\n{outcome}"));
        assert!(
            odd["verdict"] == "invalid" || odd["verdict"] == "ok",
            "`{file}`:\n{outcome}"
        );
    }
}
