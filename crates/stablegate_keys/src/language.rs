//! Which key builder a file gets, chosen by its extension, and the one entry
//! point that dispatches to it.
//!
//! Python files get the exact CPython emulation ([`crate::python_keys`]);
//! JavaScript, TypeScript, TSX, Go, Rust and Java get tree-sitter keys
//! ([`crate::syntax`]); every other file gets plain-text keys
//! ([`crate::plain`]). The Python tokenizer is never used on a non-Python
//! file (SPEC §12.1).

use crate::syntax;
use crate::FileKeys;

/// A key language: how the lines of one file are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// `.py`, `.pyi`: CPython 3.11 `tokenize` + `ast` (SPEC §2.1).
    Python,
    /// `.js`, `.mjs`, `.cjs`, `.jsx`: the tree-sitter JavaScript grammar,
    /// which parses JSX too.
    JavaScript,
    /// `.ts`, `.mts`, `.cts`: the tree-sitter TypeScript grammar.
    TypeScript,
    /// `.tsx`: the tree-sitter TSX grammar (TypeScript with JSX).
    Tsx,
    /// `.go`.
    Go,
    /// `.rs`.
    Rust,
    /// `.java`.
    Java,
    /// Every other file: plain-text keys (SPEC §12.1).
    PlainText,
}

impl Language {
    /// Every language, in a fixed order.
    pub const ALL: [Language; 8] = [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Go,
        Language::Rust,
        Language::Java,
        Language::PlainText,
    ];

    /// The language of a file, by the extension of its path (`/` or `\`
    /// separated; case-sensitive, as the extensions are conventionally
    /// lower-case). A file without a known extension is [`Language::PlainText`].
    pub fn from_path(path: &str) -> Language {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let Some((stem, extension)) = name.rsplit_once('.') else {
            return Language::PlainText;
        };
        if stem.is_empty() {
            // A dotfile such as `.js` has no extension.
            return Language::PlainText;
        }
        Language::from_extension(extension).unwrap_or(Language::PlainText)
    }

    /// The language of an extension without its dot (`"ts"`), or `None` when
    /// no grammar handles it.
    pub fn from_extension(extension: &str) -> Option<Language> {
        Some(match extension {
            "py" | "pyi" => Language::Python,
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "go" => Language::Go,
            "rs" => Language::Rust,
            "java" => Language::Java,
            _ => return None,
        })
    }

    /// The language's name as users write it (`python`, `javascript`,
    /// `typescript`, `tsx`, `go`, `rust`, `java`, `text`).
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Go => "go",
            Language::Rust => "rust",
            Language::Java => "java",
            Language::PlainText => "text",
        }
    }

    /// The language called `name` (the inverse of [`Language::name`]).
    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The extensions (without dot) that select this language; empty for
    /// [`Language::PlainText`].
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Language::Python => &["py", "pyi"],
            Language::JavaScript => &["js", "mjs", "cjs", "jsx"],
            Language::TypeScript => &["ts", "mts", "cts"],
            Language::Tsx => &["tsx"],
            Language::Go => &["go"],
            Language::Rust => &["rs"],
            Language::Java => &["java"],
            Language::PlainText => &[],
        }
    }

    /// What starts a line comment (`#` in Python, `//` in the tree-sitter
    /// languages); `None` for plain text, whose comment syntax is unknown.
    /// A line holding only such a comment has no key.
    pub fn line_comment(self) -> Option<&'static str> {
        match self {
            Language::Python => Some("#"),
            Language::PlainText => None,
            _ => Some("//"),
        }
    }

    /// The tree-sitter grammar of the language, if it has one.
    pub(crate) fn grammar(self) -> Option<&'static syntax::Grammar> {
        match self {
            Language::JavaScript => Some(&syntax::javascript::JAVASCRIPT),
            Language::TypeScript => Some(&syntax::typescript::TYPESCRIPT),
            Language::Tsx => Some(&syntax::typescript::TSX),
            Language::Go => Some(&syntax::go::GO),
            Language::Rust => Some(&syntax::rust::RUST),
            Language::Java => Some(&syntax::java::JAVA),
            Language::Python | Language::PlainText => None,
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The keys of one file of `language` from its decoded, newline-normalised
/// text (see [`crate::decode_source`]).
pub fn keys_for(language: Language, text: &str) -> FileKeys {
    match language {
        Language::Python => crate::python_keys(text),
        Language::PlainText => crate::plain::plain_keys(text),
        _ => match language.grammar() {
            Some(grammar) => syntax::syntax_keys(grammar, text),
            None => crate::plain::plain_keys(text),
        },
    }
}

/// The canonical form of a stored token of `language`: what keying the
/// token's text gives back. A token the tool derived is its own canonical
/// form; a hand-typed one with other spacing (`foo(x)`) is not, so a check
/// can reject it as `invalid` instead of letting it never match.
pub fn canonical_token_for(language: Language, token: &str) -> String {
    match language {
        Language::Python => crate::canonical_token(token),
        Language::PlainText => crate::plain::plain_canonical(token),
        _ => match language.grammar() {
            Some(grammar) => syntax::canonical::canonical(grammar, token),
            None => crate::plain::plain_canonical(token),
        },
    }
}

/// The leaves of the tokens of a file of a tree-sitter language, in source
/// order; `None` for Python (see [`crate::python::tokenizer`]) and plain
/// text (whose token is the whole line).
pub fn leaves_for(language: Language, text: &str) -> Option<Vec<syntax::leaves::Leaf>> {
    Some(syntax::leaves::leaves(language.grammar()?, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_select_languages() {
        for (path, language) in [
            ("a/b.py", Language::Python),
            ("x.pyi", Language::Python),
            ("web/app.js", Language::JavaScript),
            ("m.mjs", Language::JavaScript),
            ("c.cjs", Language::JavaScript),
            ("v.jsx", Language::JavaScript),
            ("s.ts", Language::TypeScript),
            ("s.mts", Language::TypeScript),
            ("s.cts", Language::TypeScript),
            ("s.d.ts", Language::TypeScript),
            ("v.tsx", Language::Tsx),
            ("main.go", Language::Go),
            ("lib.rs", Language::Rust),
            ("A.java", Language::Java),
            (".github/workflows/ci.yml", Language::PlainText),
            ("README.md", Language::PlainText),
            ("Makefile", Language::PlainText),
            (".js", Language::PlainText),
            ("dir.js/file", Language::PlainText),
            ("win\\path\\x.go", Language::Go),
            ("X.JAVA", Language::PlainText),
        ] {
            assert_eq!(Language::from_path(path), language, "{path}");
        }
    }

    #[test]
    fn names_round_trip() {
        for language in Language::ALL {
            assert_eq!(Language::from_name(language.name()), Some(language));
            for extension in language.extensions() {
                assert_eq!(Language::from_extension(extension), Some(language));
            }
        }
    }

    #[test]
    fn a_line_comment_has_no_key() {
        for language in Language::ALL {
            let Some(comment) = language.line_comment() else {
                continue;
            };
            let keys = keys_for(language, &format!("{comment} note\nx = 1\n"));
            assert_eq!(keys.token(1), None, "{language}");
            assert!(keys.token(2).is_some(), "{language}");
        }
    }

    #[test]
    fn plain_text_never_uses_the_python_tokenizer() {
        let keys = keys_for(Language::PlainText, "run: echo '#' # x\n");
        assert_eq!(keys.token(1), Some("run: echo '#' # x"));
    }
}
