//! Whether a parsed file has a syntax error, and whose word counts.
//!
//! tree-sitter recovers from errors by inserting ERROR and MISSING nodes; its
//! grammars are close to, not equal to, the languages. For Python, stablegate
//! already has an exact answer: CPython 3.11's `ast.parse` decision, emulated
//! by `stablegate_keys` (the same decision that makes every qualname of a
//! file `<module>`). So for Python:
//!
//! - CPython cannot parse the file: a syntax [`Syntax::Error`], at
//!   tree-sitter's first bad line when it saw one (tree-sitter accepts some
//!   invalid code, e.g. Python 2 `print` statements);
//! - CPython parses it but tree-sitter does not (it stumbles on a dedent
//!   inside brackets, for one): a [`Syntax::ParserGap`]. The file is valid, so
//!   it is not a parse error, but matches in the region tree-sitter lost may be
//!   missed, and the user should hear about it.
//!
//! For other languages tree-sitter's ERROR and MISSING nodes are the answer.

use ast_grep_language::SupportLang;

use super::rule::Parsed;

/// The syntax verdict of one parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Syntax {
    Clean,
    /// The file is not valid in its language.
    Error {
        line: Option<usize>,
        reason: String,
    },
    /// The file is valid, but tree-sitter could not parse all of it.
    ParserGap {
        line: usize,
        reason: String,
    },
}

/// Checks a file parsed in `lang`. `cpython_parses` is, for Python, whether
/// CPython parses the file ([`stablegate_keys::FileKeys::parses`]: the scan
/// computes the file's keys once and passes their decision here); `None` for
/// other languages.
pub(crate) fn check(parsed: &Parsed, lang: SupportLang, cpython_parses: Option<bool>) -> Syntax {
    let first = first_error(parsed);
    let Some(parses) = cpython_parses.filter(|_| lang == SupportLang::Python) else {
        return match first {
            Some((line, reason)) => Syntax::Error {
                line: Some(line),
                reason,
            },
            None => Syntax::Clean,
        };
    };
    match (parses, first) {
        (true, None) => Syntax::Clean,
        (true, Some((line, _))) => Syntax::ParserGap {
            line,
            reason: "tree-sitter cannot parse this line, which CPython parses: matches around it may be missed".to_owned(),
        },
        (false, Some((line, reason))) => Syntax::Error {
            line: Some(line),
            reason,
        },
        (false, None) => Syntax::Error {
            line: None,
            reason: "syntax error: CPython 3.11 cannot parse it".to_owned(),
        },
    }
}

/// tree-sitter's first innermost ERROR or MISSING node: its line, and what
/// it says. Descending into the first child that holds an error finds where
/// parsing actually failed, not the start of an ERROR node that wraps half
/// the file.
fn first_error(parsed: &Parsed) -> Option<(usize, String)> {
    let mut node = parsed.root();
    if !node.get_inner_node().has_error() {
        return None;
    }
    loop {
        let inner = node
            .children()
            .find(|child| child.get_inner_node().has_error());
        match inner {
            Some(child) => node = child,
            None => break,
        }
    }
    let line = node.start_pos().line() + 1;
    let reason = if node.is_missing() {
        format!("syntax error: missing `{}`", node.kind())
    } else {
        "syntax error: tree-sitter cannot parse this line".to_owned()
    };
    Some((line, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ast_grep_core::AstGrep;

    fn python(src: &str) -> Syntax {
        let parsed = AstGrep::try_new(src, SupportLang::Python).unwrap();
        let parses = stablegate_keys::python_keys(src).parses();
        check(&parsed, SupportLang::Python, Some(parses))
    }

    #[test]
    fn a_clean_file_is_clean() {
        assert_eq!(python("def f(x):\n    return x\n"), Syntax::Clean);
    }

    #[test]
    fn a_syntax_error_names_tree_sitters_first_bad_line() {
        let found = python("x = 1\ndef f(:\n    pass\n");
        assert_eq!(
            found,
            Syntax::Error {
                line: Some(2),
                reason: "syntax error: missing `)`".to_owned()
            }
        );
    }

    #[test]
    fn python_2_code_tree_sitter_accepts_is_still_a_syntax_error() {
        let found = python("print 'hello'\n");
        assert!(matches!(found, Syntax::Error { .. }), "{found:?}");
    }

    #[test]
    fn valid_python_tree_sitter_stumbles_on_is_a_parser_gap_not_an_error() {
        // A dedent inside brackets: valid Python (from CPython's test_compile).
        let src = "import os\n\n\ndef f():\n    def g():\n        (bar.\n    baz)\n";
        let found = python(src);
        assert!(
            matches!(found, Syntax::ParserGap { line: 6, .. }),
            "{found:?}"
        );
    }
}
