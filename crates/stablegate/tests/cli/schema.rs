//! `stablegate schema`: the committed schemas are its current output, and the
//! schema agrees with the loader on every configuration the repository holds
//! — the example and golden files, and every TOML literal of the tests and
//! unit tests: what the loader accepts validates, and what it rejects as an
//! unknown key, a wrong type or a missing field does not.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{command, Project};

/// The checkout this test runs in (see `keys.rs` for why at run time).
fn repo() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.join("../..")
}

fn schema_text(args: &[&str]) -> String {
    let output = command(&repo(), args).output().expect("run stablegate");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn validator(args: &[&str]) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&schema_text(args)).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("the schema compiles")
}

fn toml_to_json(text: &str) -> Value {
    toml_edit::de::from_str(text).expect("TOML")
}

/// Errors of `instance`, one line each.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|err| format!("{} at {}", err, err.instance_path()))
        .collect()
}

#[test]
fn the_committed_schemas_are_current() {
    let update = std::env::var_os("UPDATE_SCHEMA").is_some_and(|value| value == "1");
    for (file, args) in [
        ("schemas/stablegate.json", &["schema"][..]),
        (
            "schemas/stablegate-pyproject.json",
            &["schema", "--pyproject"][..],
        ),
    ] {
        let path = repo().join(file);
        let generated = schema_text(args);
        if update {
            fs::write(&path, &generated).expect("write the schema");
            continue;
        }
        let committed = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{file} is not what `stablegate {}` prints now (the configuration types changed); \
             regenerate it with `cargo run --release -- {} > {file}`, or run this test with \
             UPDATE_SCHEMA=1, and commit the result",
            args.join(" "),
            args.join(" "),
        );
    }
}

#[test]
fn the_repositorys_configuration_files_validate() {
    let config = validator(&["schema"]);
    let pyproject = validator(&["schema", "--pyproject"]);
    let mut files = Vec::new();
    collect_files(&repo(), &mut files);
    let mut checked = 0;
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let validator = if name == "pyproject.toml" {
            &pyproject
        } else if name == "stablegate.toml" || name.ends_with(".stablegate.toml") {
            &config
        } else {
            continue;
        };
        let text = fs::read_to_string(&path).expect("read a configuration");
        let errors = errors(validator, &toml_to_json(&text));
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    // examples/demo, examples/release, the two golden files, pyproject.toml.
    assert!(checked >= 5, "only {checked} configuration files found");
}

/// Every file under `dir`, skipping build output and hidden directories.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// How the loader judged one configuration text.
enum Judged {
    Accepted,
    /// Rejected at the serde level: an unknown key, a wrong type, a missing
    /// field — what a schema can say.
    RejectedShape(String),
    /// Rejected by a validator or unparsable TOML: the schema may accept it.
    Other,
}

fn judge(text: &str) -> (Judged, &'static str) {
    let name = if text.contains("[tool.stablegate") {
        "pyproject.toml"
    } else {
        "stablegate.toml"
    };
    let project = Project::new();
    let root = project.path().canonicalize().expect("canonical root");
    let judged = match stablegate_config::load_text(&root, &root.join(name), name, text) {
        Ok(Some(_)) => Judged::Accepted,
        Ok(None) => Judged::Other,
        Err(err) => {
            let message = err.to_string();
            let shape = [
                "unknown field",
                "invalid type",
                "missing field",
                "unknown variant",
            ];
            if shape.iter().any(|words| message.contains(words)) {
                Judged::RejectedShape(message)
            } else {
                Judged::Other
            }
        }
    };
    (judged, name)
}

#[test]
fn the_tests_configurations_validate_exactly_when_the_loader_takes_their_shape() {
    let config = validator(&["schema"]);
    let pyproject = validator(&["schema", "--pyproject"]);
    let mut sources = Vec::new();
    collect_files(&repo().join("crates"), &mut sources);
    let (mut accepted, mut rejected) = (0, 0);
    for path in sources
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
    {
        let source = fs::read_to_string(path).expect("read a source file");
        for literal in string_literals(&source) {
            if !looks_like_configuration(&literal) {
                continue;
            }
            let Ok(instance) = toml_edit::de::from_str::<Value>(&literal) else {
                continue;
            };
            let (judged, name) = judge(&literal);
            let validator = if name == "pyproject.toml" {
                &pyproject
            } else {
                &config
            };
            let errors = errors(validator, &instance);
            match judged {
                Judged::Accepted => {
                    assert!(
                        errors.is_empty(),
                        "{}: the loader accepts this configuration, the schema does not: \
                         {errors:#?}\n{literal}",
                        path.display()
                    );
                    accepted += 1;
                }
                Judged::RejectedShape(message) => {
                    assert!(
                        !errors.is_empty(),
                        "{}: the loader rejects this configuration ({message}), the schema \
                         accepts it:\n{literal}",
                        path.display()
                    );
                    rejected += 1;
                }
                Judged::Other => {}
            }
        }
    }
    assert!(
        accepted >= 35 && rejected >= 15,
        "too few configurations found in the tests: {accepted} accepted, {rejected} rejected"
    );
}

fn looks_like_configuration(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        [
            "[[gate]]",
            "[[audit]]",
            "[[marker]]",
            "[[fresh]]",
            "[[scope]]",
            "[release.",
        ]
        .iter()
        .any(|header| line.starts_with(header))
            || line.starts_with("[[tool.stablegate.")
            || line.starts_with("[tool.stablegate")
    })
}

/// The string literals of a Rust source file, unescaped: `"…"` (with the
/// usual escapes and line continuations), `r"…"` and `r#"…"#`. Comments
/// and character literals are skipped; a literal that does not end is
/// dropped.
fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut literals = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '\'' => {
                // A character literal ('"', '\'', '\\', 'x'); otherwise a lifetime.
                if chars.get(i + 1) == Some(&'\\') {
                    let end = (i + 2..chars.len()).find(|&j| chars[j] == '\'');
                    i = end.map_or(chars.len(), |end| end + 1);
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            'r' if matches!(chars.get(i + 1), Some('"' | '#'))
                && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')) =>
            {
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                let open = i + 1 + hashes;
                if chars.get(open) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let closing: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let start = open + 1;
                let end = (start..chars.len()).find(|&j| chars[j..].starts_with(&closing));
                match end {
                    Some(end) => {
                        literals.push(chars[start..end].iter().collect());
                        i = end + closing.len();
                    }
                    None => i = chars.len(),
                }
            }
            '"' => {
                let mut text = String::new();
                let mut j = i + 1;
                let mut closed = false;
                while j < chars.len() {
                    match chars[j] {
                        '"' => {
                            closed = true;
                            j += 1;
                            break;
                        }
                        '\\' => {
                            j += 1;
                            match chars.get(j) {
                                Some('n') => text.push('\n'),
                                Some('t') => text.push('\t'),
                                Some('r') => text.push('\r'),
                                Some('0') => text.push('\0'),
                                Some('\n') => {
                                    while chars.get(j + 1).is_some_and(|c| c.is_whitespace()) {
                                        j += 1;
                                    }
                                }
                                Some('u') => {
                                    let close = (j..chars.len()).find(|&k| chars[k] == '}');
                                    let code = close
                                        .map(|close| chars[j + 2..close].iter().collect::<String>())
                                        .and_then(|hex| u32::from_str_radix(&hex, 16).ok())
                                        .and_then(char::from_u32);
                                    text.extend(code);
                                    j = close.unwrap_or(j);
                                }
                                Some(other) => text.push(*other),
                                None => {}
                            }
                            j += 1;
                        }
                        c => {
                            text.push(c);
                            j += 1;
                        }
                    }
                }
                if closed {
                    literals.push(text);
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    literals
}

#[test]
#[expect(
    clippy::needless_raw_string_hashes,
    reason = "the source holds `\"#`, a raw string's end with one hash"
)]
fn string_literals_are_read_like_rust_reads_them() {
    let source = r###"
        let a = "[[gate]]\nname = \"a\"\n"; // "not this"
        let b = r#"x = "y""#; /* "nor this" */
        let c = '"'; let d = '\''; fn f<'a>(x: &'a str) {}
        let e = "one \
                 two \u{e9}";
    "###;
    assert_eq!(
        string_literals(source),
        ["[[gate]]\nname = \"a\"\n", "x = \"y\"", "one two é"]
    );
}

#[test]
fn the_pyproject_schema_ignores_other_tools_and_checks_ours() {
    let pyproject = validator(&["schema", "--pyproject"]);
    let fine = "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 1\n\
                [[tool.stablegate.gate]]\nname = \"a\"\npattern = \"x\"\n";
    assert!(errors(&pyproject, &toml_to_json(fine)).is_empty());
    let wrong = fine.replace("pattern =", "patern =");
    let found = errors(&pyproject, &toml_to_json(&wrong));
    assert!(found.iter().any(|err| err.contains("patern")), "{found:#?}");
}

#[test]
fn schema_prints_json_whatever_the_format_and_nothing_when_quiet() {
    let text = schema_text(&["schema"]);
    assert_eq!(schema_text(&["--format", "sarif", "schema"]), text);
    assert_eq!(schema_text(&["--quiet", "schema"]), "");
}
