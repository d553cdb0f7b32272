//! What the theater's mutations need to know about a file's language
//! (SPEC §7, §12.1 item 3): where a space can go between two of a line's
//! tokens, which words of a line are names, whether a file still parses, and
//! how a new function is written.
//!
//! Python answers come from the keys' own tokenizer and parser (exact, as its
//! keys are); JavaScript, TypeScript, Go, Rust and Java answers from the
//! same tree-sitter leaves their keys are made of (comments and string
//! literals are not leaves, so a mutation never lands in one). Plain-text
//! files have no tokens: they get no space, no rename and no new function.
//! Pure text in, text positions out; nothing here reads files.

use stablegate_keys::python::tokenizer::{tokenize, Kind, Token};
use stablegate_keys::{keys_for, leaves_for, python_keys, Language};

/// The line comment that starts an inserted comment line, if known. Plain
/// text falls back to common conventions by extension.
pub(super) fn comment_prefix(file: &str) -> Option<&'static str> {
    if let Some(prefix) = Language::from_path(file).line_comment() {
        return Some(prefix);
    }
    let extension = file.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "rb" | "sh" | "bash" | "yml" | "yaml" | "toml" => Some("#"),
        "kt" | "c" | "h" | "cc" | "cpp" | "hpp" | "cs" | "swift" | "scala" | "dart" | "php" => {
            Some("//")
        }
        "lua" | "sql" | "hs" => Some("--"),
        _ => None,
    }
}

/// Whether `text` parses as the language of `file`; `None` when stablegate
/// has no parser for it (plain text).
pub(super) fn parses(file: &str, text: &str) -> Option<bool> {
    match Language::from_path(file) {
        Language::PlainText => None,
        Language::Python => Some(python_keys(text).parses()),
        language => Some(keys_for(language, text).parses()),
    }
}

/// `(line, start, end)` of every code token that starts and ends on one
/// line, in order (comments and string literals excluded): the file is
/// tokenized once, whatever the number of lines asked about.
fn code_tokens(file: &str, text: &str) -> Vec<(usize, usize, usize)> {
    match Language::from_path(file) {
        Language::PlainText => Vec::new(),
        Language::Python => {
            let tokens = tokenize(text);
            (tokens.tokens.iter())
                .filter(|t| t.line == t.end_line && t.kind.is_code())
                .map(|t: &Token| (t.line as usize, t.start as usize, t.end as usize))
                .collect()
        }
        language => (leaves_for(language, text).unwrap_or_default().into_iter())
            .filter(|leaf| !text[leaf.start..leaf.end].contains('\n'))
            .map(|leaf| (leaf.line, leaf.start, leaf.end))
            .collect(),
    }
}

/// For each of `lines`, where (byte offset in `text`) one more space can go
/// between two of its code tokens: the end of its first token that another
/// follows. Lines without two tokens are left out.
pub(super) fn gaps(file: &str, text: &str, lines: &[usize]) -> Vec<(usize, usize)> {
    let tokens = code_tokens(file, text);
    (lines.iter())
        .filter_map(|&line| {
            let mut on_line = tokens.iter().filter(|&&(at, _, _)| at == line);
            let first = on_line.next()?;
            on_line.next().map(|_| (line, first.2))
        })
        .collect()
}

/// The byte ranges of the names on `line`, in order: Python NAME tokens
/// that are not keywords; for the tree-sitter languages, the named leaves
/// spelled like an identifier (keywords are anonymous nodes), or every leaf
/// spelled so when none is named.
pub(super) fn names(file: &str, text: &str, line: usize) -> Vec<(usize, usize)> {
    if Language::from_path(file) == Language::Python {
        let tokens = tokenize(text);
        return (tokens.tokens.iter())
            .filter(|t| t.line as usize == line && t.kind == Kind::Name)
            .map(|t| (t.start as usize, t.end as usize))
            .filter(|&(start, end)| !PYTHON_KEYWORDS.contains(&&text[start..end]))
            .collect();
    }
    let language = Language::from_path(file);
    let on_line: Vec<_> = (leaves_for(language, text).unwrap_or_default().into_iter())
        .filter(|leaf| leaf.line == line && is_identifier(&text[leaf.start..leaf.end]))
        .collect();
    // Keywords are anonymous nodes: a named leaf is a real name. A line
    // with none falls back to every word (the caller's parse check decides).
    let named = on_line.iter().any(|leaf| leaf.named);
    (on_line.into_iter())
        .filter(|leaf| leaf.named || !named)
        .map(|leaf| (leaf.start, leaf.end))
        .collect()
}

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|first| first == '_' || first == '$' || first.is_alphabetic())
        && chars.all(|c| c == '_' || c == '$' || c.is_alphanumeric())
}

/// Python's keywords: renaming one is not a content edit but a syntax change.
const PYTHON_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// How a new function named `name` is written in the language of `file`
/// (tree-sitter languages only): the lines before the body, the body's
/// indent, and the lines after it. Java wraps it in a class of its own, as
/// a method cannot stand alone.
pub(super) fn function_frame(file: &str, name: &str) -> Option<(String, &'static str, String)> {
    Some(match Language::from_path(file) {
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            (format!("function {name}() {{"), "    ", "}".to_owned())
        }
        Language::Go => (format!("func {name}() {{"), "\t", "}".to_owned()),
        Language::Rust => (format!("fn {name}() {{"), "    ", "}".to_owned()),
        Language::Java => (
            format!("class StablegateTheater {{\n    void {name}() {{"),
            "        ",
            "    }\n}".to_owned(),
        ),
        Language::Python | Language::PlainText => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_prefixes_follow_the_language() {
        assert_eq!(comment_prefix("a.py"), Some("#"));
        assert_eq!(comment_prefix("web/a.tsx"), Some("//"));
        assert_eq!(comment_prefix("ci.yml"), Some("#"));
        assert_eq!(comment_prefix("notes.txt"), None);
    }

    #[test]
    fn javascript_tokens_skip_strings_and_comments() {
        let text = "const a = `x ${y}`; // c\nlet b = f(1);\n";
        let [(2, gap_at)] = gaps("a.js", text, &[2])[..] else {
            panic!("one gap on line 2");
        };
        assert_eq!(&text[gap_at - 3..gap_at], "let");
        let named: Vec<&str> = (names("a.js", text, 1).into_iter())
            .map(|(s, e)| &text[s..e])
            .collect();
        assert!(!named.contains(&"x") && !named.contains(&"c"), "{named:?}");
        assert!(named.contains(&"a"), "{named:?}");
        assert!(
            !named.contains(&"const"),
            "a keyword is not a name: {named:?}"
        );
        let text = "function f(x) {\n  return eval(x);\n}\n";
        let named: Vec<&str> = (names("a.js", text, 2).into_iter())
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(named, ["eval", "x"]);
    }

    #[test]
    fn parse_checks_speak_each_language() {
        assert_eq!(parses("a.go", "package m\nfunc f() {}\n"), Some(true));
        assert_eq!(parses("a.go", "package m\nfunc f( {}\n"), Some(false));
        assert_eq!(parses("a.rs", "fn f() { g(1); }\n"), Some(true));
        assert_eq!(parses("a.txt", "anything"), None);
    }
}
