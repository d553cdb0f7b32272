//! The tree-sitter languages this build of stablegate can parse.
//!
//! ast-grep's [`SupportLang`] names every language ast-grep knows, but only
//! the grammars compiled in can be used: asking a missing grammar to parse
//! panics inside ast-grep. Python is always built in; further grammars are
//! cargo features of this crate (`lang-go`, `lang-java`, `lang-javascript`,
//! `lang-rust`, `lang-typescript`), all on by default: the keys crate
//! compiles the same grammar crates, so the scanner gets them for free. Every
//! language a user names (`language = ...` in a gate, `language:` in a rule)
//! goes through [`resolve`] before anything is compiled for it. Names and file
//! extensions are ast-grep's own, so a rule file means here what it means to
//! ast-grep.

use std::path::Path;
use std::str::FromStr;

use ast_grep_core::Language;
use ast_grep_language::SupportLang;
use thiserror::Error;

/// Whether the grammar of `lang` is compiled into this build.
// One arm per grammar feature reads better than a `matches!` whose shape
// depends on which features are on.
#[allow(clippy::match_like_matches_macro)]
pub(crate) fn is_built_in(lang: SupportLang) -> bool {
    match lang {
        SupportLang::Python => true,
        SupportLang::Go => cfg!(feature = "lang-go"),
        SupportLang::Java => cfg!(feature = "lang-java"),
        SupportLang::JavaScript => cfg!(feature = "lang-javascript"),
        SupportLang::Rust => cfg!(feature = "lang-rust"),
        SupportLang::TypeScript | SupportLang::Tsx => cfg!(feature = "lang-typescript"),
        _ => false,
    }
}

/// Every built-in language, Python first (the language a pattern gate
/// without `language` reports its errors in).
pub(crate) fn built_in() -> &'static [SupportLang] {
    static BUILT_IN: std::sync::LazyLock<Vec<SupportLang>> = std::sync::LazyLock::new(|| {
        let mut langs = vec![SupportLang::Python];
        langs.extend(
            (SupportLang::all_langs().iter().copied())
                .filter(|&lang| lang != SupportLang::Python && is_built_in(lang)),
        );
        langs
    });
    &BUILT_IN
}

/// Why a language cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LangError {
    /// ast-grep knows no language by this name or alias.
    #[error("language `{name}` is unknown to ast-grep")]
    Unknown { name: String },
    /// ast-grep knows the language, but its grammar is not compiled in.
    #[error("language `{lang}` is not built into this stablegate (its grammar is a cargo feature of stablegate_gates, or not offered yet)")]
    NotBuiltIn { lang: SupportLang },
}

/// The built-in language called `name` (ast-grep's names and aliases,
/// case-insensitive), or why there is none.
pub(crate) fn resolve(name: &str) -> Result<SupportLang, LangError> {
    match SupportLang::from_str(name) {
        Ok(lang) => check(lang),
        Err(_) => Err(LangError::Unknown {
            name: name.to_owned(),
        }),
    }
}

/// `lang` itself when built in, else why it cannot be used.
pub(crate) fn check(lang: SupportLang) -> Result<SupportLang, LangError> {
    if is_built_in(lang) {
        Ok(lang)
    } else {
        Err(LangError::NotBuiltIn { lang })
    }
}

/// The built-in language of a file, by its extension (ast-grep's table).
pub(crate) fn of_path(path: &str) -> Option<SupportLang> {
    SupportLang::from_path(Path::new(path)).filter(|&lang| is_built_in(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_is_always_built_in_under_every_alias() {
        for name in ["python", "Python", "py"] {
            assert_eq!(resolve(name), Ok(SupportLang::Python));
        }
    }

    #[test]
    fn an_unknown_language_is_refused_with_its_name() {
        let err = resolve("cobol").unwrap_err().to_string();
        assert!(err.contains("`cobol` is unknown"), "{err}");
    }

    #[test]
    fn a_known_language_without_its_grammar_is_refused_not_parsed() {
        let err = resolve("kotlin").unwrap_err().to_string();
        assert!(err.contains("not built into this stablegate"), "{err}");
    }

    #[cfg(feature = "lang-go")]
    #[test]
    fn a_grammar_feature_builds_its_language_in() {
        let go = resolve("go").unwrap();
        assert_eq!(of_path("cmd/main.go"), Some(go));
        let src = "package m\n\nfunc f() { g(1) }\n";
        let parsed = ast_grep_core::AstGrep::try_new(src, go).unwrap();
        assert!(!parsed.root().get_inner_node().has_error());
        assert_eq!(parsed.root().kind(), "source_file");
    }

    #[test]
    fn files_are_recognised_by_ast_greps_extensions() {
        assert_eq!(of_path("src/a.py"), Some(SupportLang::Python));
        assert_eq!(of_path("stubs/a.pyi"), Some(SupportLang::Python));
        assert_eq!(of_path("notes.txt"), None);
        assert_eq!(of_path("Makefile"), None);
        assert_eq!(of_path("web/app.js"), Some(SupportLang::JavaScript));
        assert_eq!(of_path("A.java"), Some(SupportLang::Java));
    }
}
