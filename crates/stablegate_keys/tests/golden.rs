//! Golden key files: for each language a hand-written source under
//! `tests/golden/<language>/input.*` full of tricky scopes and literals, and
//! its expected keys in `expected.keys` (`line<TAB>qualname<TAB>token`, one
//! row per keyed line), reviewed line by line.
//!
//! `STABLEGATE_UPDATE_GOLDEN=1` rewrites the expected files instead of
//! comparing (then review the diff by hand before committing).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stablegate_keys::{decode_source, keys_for, Language};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn render(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read input");
    let text = decode_source(&bytes).expect("UTF-8 input");
    let language = Language::from_path(path.to_str().expect("UTF-8 path"));
    let mut out = String::new();
    for key in keys_for(language, &text).keys() {
        writeln!(out, "{}\t{}\t{}", key.line, key.qualname, key.token).expect("write");
    }
    out
}

fn check(language: &str, expected_language: Language) {
    let dir = golden_dir().join(language);
    let input = std::fs::read_dir(&dir)
        .expect("golden dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_stem().is_some_and(|s| s == "input"))
        .expect("an input.* file");
    assert_eq!(
        Language::from_path(input.to_str().expect("UTF-8 path")),
        expected_language
    );
    let got = render(&input);
    let expected_path = dir.join("expected.keys");
    if std::env::var_os("STABLEGATE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &got).expect("write expected");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("expected.keys");
    if got != expected {
        let mut report = String::new();
        for (i, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
            if g != e {
                writeln!(report, "row {}:\n  got:      {g}\n  expected: {e}", i + 1).ok();
            }
        }
        panic!(
            "{language}: keys differ from {} ({} rows vs {} expected)\n{report}",
            expected_path.display(),
            got.lines().count(),
            expected.lines().count()
        );
    }
}

#[test]
fn javascript_golden_keys() {
    check("javascript", Language::JavaScript);
}

#[test]
fn typescript_golden_keys() {
    check("typescript", Language::TypeScript);
}

#[test]
fn tsx_golden_keys() {
    check("tsx", Language::Tsx);
}

#[test]
fn go_golden_keys() {
    check("go", Language::Go);
}

#[test]
fn rust_golden_keys() {
    check("rust", Language::Rust);
}

#[test]
fn java_golden_keys() {
    check("java", Language::Java);
}

#[test]
fn plain_text_golden_keys() {
    check("text", Language::PlainText);
}
