//! Key properties over real code, per tree-sitter language: the committed
//! corpus under `tests/corpus/` (see its README for the sources and
//! licences), plus a sample of the cache `tools/fetch_key_corpora.sh` fills
//! (`STABLEGATE_KEYS_CORPORA`, default `~/.cache/stablegate-key-corpora`)
//! when it is there. `STABLEGATE_KEYS_SAMPLE` sets how many cached files per
//! language are taken (default 40; `all` takes every one).
//!
//! On every file: keying is deterministic and every derived token is its own
//! canonical form. On every file that parses, with deterministic random
//! choices:
//! - a comment line or a blank line inserted before a line, or a block
//!   comment inserted between two leaves, changes no other line's
//!   `(qualname, token)` (modulo the line shift) and has no key itself;
//! - editing the text of a one-line string literal changes no key;
//! - editing an identifier changes its line's token;
//! - a statement line copied into a new function gets a key with that
//!   function's qualname and the same token;
//! - a statement inserted between two statements changes no other key.
//!
//! Edits that make the file fail to parse are skipped and counted; each test
//! asserts how many edits it checked, so none passes vacuously.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use stablegate_keys::{canonical_token_for, decode_source, keys_for, leaves_for, Language};

type Key = (usize, String, String);

fn keys(language: Language, text: &str) -> (bool, Vec<Key>) {
    let keys = keys_for(language, text);
    let list = keys
        .keys()
        .map(|k| (k.line, k.qualname.to_string(), k.token.to_string()))
        .collect();
    (keys.parses(), list)
}

/// The keys expected after inserting one line before 1-based line `at`.
fn shifted(keys: &[Key], at: usize) -> Vec<Key> {
    keys.iter()
        .map(|(line, q, t)| {
            let line = if *line >= at { line + 1 } else { *line };
            (line, q.clone(), t.clone())
        })
        .collect()
}

/// A deterministic xorshift generator seeded by a file's path.
struct Rng(u64);

impl Rng {
    fn for_path(path: &Path) -> Rng {
        let mut hasher = DefaultHasher::new();
        path.hash(&mut hasher);
        Rng(hasher.finish() | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    /// Up to `count` distinct items of `items`, in a random order.
    fn pick<T: Clone>(&mut self, items: &[T], count: usize) -> Vec<T> {
        let mut pool: Vec<T> = items.to_vec();
        let mut out = Vec::new();
        while !pool.is_empty() && out.len() < count {
            out.push(pool.swap_remove(self.below(pool.len())));
        }
        out
    }
}

fn files_under(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn of_language(root: &Path, language: Language) -> Vec<PathBuf> {
    let mut all = Vec::new();
    files_under(root, &mut all);
    all.into_iter()
        .filter(|p| {
            p.to_str()
                .is_some_and(|s| Language::from_path(s) == language)
        })
        .collect()
}

fn committed(language: Language) -> Vec<PathBuf> {
    of_language(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
        language,
    )
}

fn cached(language: Language) -> Vec<PathBuf> {
    let root = std::env::var_os("STABLEGATE_KEYS_CORPORA")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/stablegate-key-corpora"))
        });
    let Some(root) = root.filter(|r| r.is_dir()) else {
        return Vec::new();
    };
    let all = of_language(&root, language);
    let sample = std::env::var("STABLEGATE_KEYS_SAMPLE").unwrap_or_default();
    let target = match sample.as_str() {
        "all" => all.len(),
        s => s.parse().unwrap_or(40),
    };
    if target == 0 {
        return Vec::new();
    }
    let step = (all.len() / target).max(1);
    all.into_iter().step_by(step).take(target).collect()
}

/// Byte offset of the start of every line (index 0 is line 1).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn insert(text: &str, at: usize, piece: &str) -> String {
    format!("{}{piece}{}", &text[..at], &text[at..])
}

#[derive(Default, Debug)]
struct Stats {
    files: usize,
    unparsed: usize,
    tokens: usize,
    comment_lines: usize,
    blank_lines: usize,
    inline_comments: usize,
    inline_skipped: usize,
    strings: usize,
    identifiers: usize,
    copies: usize,
    copies_skipped: usize,
    statements: usize,
    statements_skipped: usize,
}

struct Syntax {
    /// Starts a line comment.
    line_comment: &'static str,
    /// Names the kind of a (possibly one-line) string literal.
    string_kind: &'static str,
    /// Wraps a copied line into a new function; the qualname it gets.
    wrap: fn(&str) -> String,
    probe_qualname: &'static str,
    /// A statement that fits between two statements.
    statement: &'static str,
    tree: fn() -> tree_sitter::Language,
}

fn syntax(language: Language) -> Syntax {
    let c_like = |line: &str| format!("\nfunction stablegateProbe() {{\n{line}\n}}\n");
    match language {
        Language::JavaScript => Syntax {
            line_comment: "//",
            string_kind: "string",
            wrap: c_like,
            probe_qualname: "stablegateProbe",
            statement: "stablegateProbe();",
            tree: || tree_sitter_javascript::LANGUAGE.into(),
        },
        Language::TypeScript => Syntax {
            line_comment: "//",
            string_kind: "string",
            wrap: c_like,
            probe_qualname: "stablegateProbe",
            statement: "stablegateProbe();",
            tree: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        },
        Language::Tsx => Syntax {
            line_comment: "//",
            string_kind: "string",
            wrap: c_like,
            probe_qualname: "stablegateProbe",
            statement: "stablegateProbe();",
            tree: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        },
        Language::Go => Syntax {
            line_comment: "//",
            string_kind: "interpreted_string_literal",
            wrap: |line| format!("\nfunc stablegateProbe() {{\n{line}\n}}\n"),
            probe_qualname: "stablegateProbe",
            statement: "stablegateProbe()",
            tree: || tree_sitter_go::LANGUAGE.into(),
        },
        Language::Rust => Syntax {
            line_comment: "//",
            string_kind: "string_literal",
            wrap: |line| format!("\nfn stablegate_probe() {{\n{line}\n}}\n"),
            probe_qualname: "stablegate_probe",
            statement: "stablegate_probe();",
            tree: || tree_sitter_rust::LANGUAGE.into(),
        },
        Language::Java => Syntax {
            line_comment: "//",
            string_kind: "string_literal",
            wrap: |line| format!("\nclass StablegateProbe {{ void probe() {{\n{line}\n}} }}\n"),
            probe_qualname: "StablegateProbe.probe",
            statement: "stablegateProbe();",
            tree: || tree_sitter_java::LANGUAGE.into(),
        },
        other => panic!("{other} has no grammar"),
    }
}

/// One-line string literals of `text` not in a name position, as byte
/// ranges of their contents (between the quotes).
fn string_contents(syntax: &Syntax, text: &str) -> Vec<(usize, usize)> {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&(syntax.tree)()).expect("grammar");
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let named_by_it = matches!(cursor.field_name(), Some("name" | "key" | "property"));
        if node.kind() == syntax.string_kind && !named_by_it {
            let raw = &text[node.byte_range()];
            if let (Some(open), Some(close)) = (raw.find(['"', '\'']), raw.chars().last()) {
                let quote = raw[open..].chars().next();
                if !raw.contains('\n') && quote == Some(close) && raw.len() >= open + 2 {
                    out.push((node.start_byte() + open + 1, node.end_byte() - 1));
                }
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// The 1-based lines spanned by nodes of `kind`.
fn lines_of_kind(syntax: &Syntax, text: &str, kind: &str) -> std::collections::HashSet<usize> {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&(syntax.tree)()).expect("grammar");
    let mut out = std::collections::HashSet::new();
    let Some(tree) = parser.parse(text, None) else {
        return out;
    };
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.kind() == kind {
            out.extend(node.start_position().row + 1..=node.end_position().row + 1);
        } else if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

fn balanced(token: &str) -> bool {
    let mut depth = 0i64;
    for piece in token.split(' ') {
        match piece {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_file(language: Language, path: &Path, stats: &mut Stats) {
    let shown = path.display();
    let bytes = std::fs::read(path).expect("read corpus file");
    let Ok(text) = decode_source(&bytes) else {
        return;
    };
    let text = text.into_owned();
    stats.files += 1;
    let (parses, old) = keys(language, &text);
    assert_eq!(
        keys(language, &text),
        (parses, old.clone()),
        "{shown}: not deterministic"
    );
    if !parses {
        stats.unparsed += 1;
        return;
    }
    for (line, _, token) in &old {
        stats.tokens += 1;
        assert_eq!(
            canonical_token_for(language, token),
            *token,
            "{shown}:{line}: a derived token is not canonical"
        );
    }

    let syntax = syntax(language);
    let mut rng = Rng::for_path(path);
    let starts = line_starts(&text);
    let leaves = leaves_for(language, &text).expect("a tree-sitter language");
    // Lines whose first leaf is their first non-blank character: a line
    // inserted before one of them lands between two tokens.
    let mut line_heads: Vec<usize> = Vec::new();
    let mut previous_line = 0;
    for leaf in &leaves {
        if leaf.line != previous_line {
            previous_line = leaf.line;
            let start = starts[leaf.line - 1];
            if text[start..leaf.start].trim().is_empty() {
                line_heads.push(leaf.line);
            }
        }
    }
    let indent_of = |line: usize| -> &str {
        let start = starts[line - 1];
        let rest = &text[start..];
        &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
    };

    for line in rng.pick(&line_heads, 8) {
        let at = starts[line - 1];
        let comment = format!(
            "{}{} stablegate probe comment\n",
            indent_of(line),
            syntax.line_comment
        );
        let (_, got) = keys(language, &insert(&text, at, &comment));
        assert_eq!(
            got,
            shifted(&old, line),
            "{shown}: a comment line inserted before line {line}"
        );
        stats.comment_lines += 1;
        let (_, got) = keys(language, &insert(&text, at, "\n"));
        assert_eq!(
            got,
            shifted(&old, line),
            "{shown}: a blank line inserted before line {line}"
        );
        stats.blank_lines += 1;
    }

    let inner: Vec<usize> = leaves
        .windows(2)
        .filter(|w| w[0].line == w[1].line)
        .map(|w| w[1].start)
        // tree-sitter-rust reads `#!` then a comment at the very start of a
        // file as a shebang line (rustc still sees an inner attribute).
        .filter(|&at| !(language == Language::Rust && text[..at].trim_end() == "#!"))
        .collect();
    for at in rng.pick(&inner, 8) {
        let (parses, got) = keys(language, &insert(&text, at, "/* stablegate probe */ "));
        if !parses {
            stats.inline_skipped += 1;
            continue;
        }
        assert_eq!(got, old, "{shown}: a block comment inserted at byte {at}");
        stats.inline_comments += 1;
    }

    for (start, end) in rng.pick(&string_contents(&syntax, &text), 8) {
        let edited = format!("{}stablegate probe text{}", &text[..start], &text[end..]);
        let (_, got) = keys(language, &edited);
        assert_eq!(
            got, old,
            "{shown}: editing the string literal at byte {start}"
        );
        stats.strings += 1;
    }

    let words: Vec<_> = leaves
        .iter()
        .filter(|l| is_identifier(&text[l.start..l.end]))
        .copied()
        .collect();
    for leaf in rng.pick(&words, 8) {
        let edited = insert(&text, leaf.end, "Zq");
        let (_, got) = keys(language, &edited);
        let before = old.iter().find(|k| k.0 == leaf.line).map(|k| &k.2);
        let after = got.iter().find(|k| k.0 == leaf.line).map(|k| &k.2);
        assert_ne!(
            before,
            after,
            "{shown}:{}: editing the identifier {} did not change the token",
            leaf.line,
            &text[leaf.start..leaf.end]
        );
        stats.identifiers += 1;
    }

    // The lines of a `macro_rules!` body are token templates, not
    // statements (`$x`, lifetimes are plain tokens there).
    let templates = lines_of_kind(&syntax, &text, "macro_definition");
    let statements: Vec<&Key> = old
        .iter()
        .filter(|(line, qualname, token)| {
            let line_text = text[starts[*line - 1]..].lines().next().unwrap_or("");
            // Go and semicolon-free JavaScript end a statement line with
            // the `)` of a call.
            let ends = token.ends_with(';') || token.ends_with(')');
            qualname != "<module>"
                && !templates.contains(line)
                && ends
                && balanced(token)
                && line_heads.contains(line)
                && !line_text.contains("/*")
        })
        .collect();
    for (line, _, token) in rng.pick(&statements, 6) {
        let line_text = text[starts[line - 1]..].lines().next().unwrap_or("");
        let copied = format!("{text}{}", (syntax.wrap)(line_text));
        let (parses, got) = keys(language, &copied);
        if !parses {
            stats.copies_skipped += 1;
            continue;
        }
        let copy_line = text.lines().count() + if text.ends_with('\n') { 3 } else { 2 };
        let key = got.iter().find(|k| k.0 == copy_line);
        // A line that opens a scope of its own (`const f = () => …`,
        // `exports.a.b = function …`) opens it inside the new function.
        let original = old.iter().find(|k| k.0 == *line).map(|k| k.1.as_str());
        let qualname_ok = key.is_some_and(|k| {
            let own =
                k.1.strip_prefix(syntax.probe_qualname)
                    .and_then(|r| r.strip_prefix('.'));
            k.1 == syntax.probe_qualname
                || own.zip(original).is_some_and(|(own, original)| {
                    original == own || original.ends_with(&format!(".{own}"))
                })
        });
        assert!(
            qualname_ok && key.is_some_and(|k| k.2 == *token),
            "{shown}:{line}: the line copied into a new function (line {copy_line}) has key {key:?}, \
             expected qualname {} and token {token}",
            syntax.probe_qualname
        );
        stats.copies += 1;
    }

    let after_statement: Vec<usize> = line_heads
        .iter()
        .copied()
        .filter(|&line| {
            let previous = old.iter().rev().find(|k| k.0 < line);
            let here = old.iter().find(|k| k.0 == line);
            previous.is_some_and(|p| p.2.ends_with([';', '{', '}']))
                && here.is_some_and(|h| h.1 != "<module>")
        })
        .collect();
    for line in rng.pick(&after_statement, 6) {
        let statement = format!("{}{}\n", indent_of(line), syntax.statement);
        let (parses, got) = keys(language, &insert(&text, starts[line - 1], &statement));
        if !parses {
            stats.statements_skipped += 1;
            continue;
        }
        let got: Vec<Key> = got.into_iter().filter(|k| k.0 != line).collect();
        assert_eq!(
            got,
            shifted(&old, line),
            "{shown}: a statement inserted before line {line}"
        );
        stats.statements += 1;
    }
}

fn properties(language: Language) {
    let committed = committed(language);
    assert!(!committed.is_empty(), "no committed {language} corpus");
    let cached = cached(language);
    let mut stats = Stats::default();
    for path in committed.iter().chain(&cached) {
        check_file(language, path, &mut stats);
    }
    eprintln!(
        "{language}: {} committed + {} cached files: {stats:?}",
        committed.len(),
        cached.len()
    );
    // Every property is exercised, and most edits of each kind parse.
    assert!(stats.tokens > 300, "{language}: {stats:?}");
    assert!(
        stats.comment_lines >= 20 && stats.blank_lines >= 20,
        "{language}: {stats:?}"
    );
    assert!(stats.inline_comments >= 20, "{language}: {stats:?}");
    assert!(
        stats.inline_skipped * 10 <= stats.inline_comments,
        "{language}: {stats:?}"
    );
    assert!(stats.strings >= 10, "{language}: {stats:?}");
    assert!(stats.identifiers >= 20, "{language}: {stats:?}");
    assert!(stats.copies >= 10, "{language}: {stats:?}");
    assert!(
        stats.copies_skipped <= stats.copies,
        "{language}: {stats:?}"
    );
    assert!(stats.statements >= 10, "{language}: {stats:?}");
}

#[test]
fn javascript_properties() {
    properties(Language::JavaScript);
}

#[test]
fn typescript_properties() {
    properties(Language::TypeScript);
}

#[test]
fn tsx_properties() {
    properties(Language::Tsx);
}

#[test]
fn go_properties() {
    properties(Language::Go);
}

#[test]
fn rust_properties() {
    properties(Language::Rust);
}

#[test]
fn java_properties() {
    properties(Language::Java);
}
