//! Keys from tree-sitter for JavaScript, TypeScript, TSX, Go, Rust and Java
//! (SPEC §2.2, §12.1).
//!
//! The token of a line is the leaves of the syntax tree that start on it,
//! joined by one space, minus comments and string-like literals (each dropped
//! whole, interpolations included). A few kinds are kept as one leaf of their
//! whole text (a JavaScript regex, a Rust lifetime). The qualname of a line is
//! the dotted chain of the named scopes enclosing it. What is dropped, what is
//! atomic and what is a scope is data per language: a [`Grammar`] in one
//! module per language; [`walk`] does the one iterative pass over the tree
//! every language shares, [`lines`] turns scope spans into per-line qualnames
//! and [`canonical`] re-derives stored tokens. `docs/keys.md` lists the
//! decisions per language.
//!
//! Nothing here panics on any input, and no recursion depends on the input:
//! tree-sitter's parser keeps its own stack, our walk uses a tree cursor.

pub mod canonical;
pub mod go;
pub mod java;
pub mod javascript;
mod kinds;
pub mod leaves;
mod lines;
mod names;
pub mod rust;
pub mod typescript;
mod walk;

use std::cell::RefCell;
use std::sync::OnceLock;

use tree_sitter::{Node, Parser, Point, Tree};

use crate::FileKeys;
use kinds::KindTable;

/// What one language's keys drop, keep whole, and name as scopes.
pub struct Grammar {
    /// The tree-sitter grammar.
    pub(crate) language: fn() -> tree_sitter::Language,
    /// Named node kinds dropped whole, with everything inside them: comments
    /// and string-like literals.
    pub(crate) dropped: &'static [&'static str],
    /// Named node kinds kept as one leaf: their whole text, whitespace
    /// collapsed.
    pub(crate) atomic: &'static [&'static str],
    /// Named node kinds that may open a scope; [`Grammar::scope`] decides.
    pub(crate) scopes: &'static [&'static str],
    /// Whether the grammar parses JSX, whose attribute names are one leaf
    /// with hyphens inside (`aria-label`).
    pub(crate) jsx: bool,
    /// The scope a node of one of the `scopes` kinds opens, if any.
    pub(crate) scope: for<'t> fn(Node<'t>, &str) -> Option<ScopeDef>,
    /// The kind table, built on first use.
    pub(crate) table: OnceLock<(tree_sitter::Language, KindTable)>,
}

impl Grammar {
    fn compiled(&self) -> &(tree_sitter::Language, KindTable) {
        self.table.get_or_init(|| {
            let language = (self.language)();
            let table = KindTable::new(&language, self.dropped, self.atomic, self.scopes);
            (language, table)
        })
    }

    /// Parses `text`; `None` only if tree-sitter refuses the language (an
    /// ABI mismatch, which the tests rule out).
    pub(crate) fn parse(&self, text: &str) -> Option<Tree> {
        thread_local! {
            static PARSER: RefCell<Parser> = RefCell::new(Parser::new());
        }
        let (language, _) = self.compiled();
        PARSER.with(|parser| {
            let mut parser = parser.try_borrow_mut().ok()?;
            parser.set_language(language).ok()?;
            parser.reset();
            parser.parse(text, None)
        })
    }
}

/// A named scope opened by a node: its own name (one component of the dotted
/// qualname) and where its span starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeDef {
    pub(crate) name: String,
    /// Where the scope starts: the node's start, or the first token after
    /// its decorators, annotations or attributes (which belong to the
    /// enclosing scope, as a Python decorator does).
    pub(crate) start_byte: usize,
    pub(crate) start: Point,
}

impl ScopeDef {
    /// A scope called `name` that starts where `node` starts.
    pub(crate) fn at(name: String, node: Node<'_>) -> Option<ScopeDef> {
        if name.is_empty() {
            return None;
        }
        Some(ScopeDef {
            name,
            start_byte: node.start_byte(),
            start: node.start_position(),
        })
    }
}

/// The keys of one file in a tree-sitter language.
pub(crate) fn syntax_keys(grammar: &Grammar, text: &str) -> FileKeys {
    let Some(tree) = grammar.parse(text) else {
        // Fail closed but keyed: plain text still tells lines apart.
        let plain = crate::plain::plain_keys(text);
        return plain.with_parses(false);
    };
    let (_, table) = grammar.compiled();
    let walked = walk::walk(grammar, table, &tree, text);
    let line_count = walked.spans.len();
    let (qualnames, names) = lines::assign(walked.scopes, line_count);
    FileKeys::from_lines(
        walked.joined,
        walked.spans,
        qualnames,
        names,
        !tree.root_node().has_error(),
    )
}

#[cfg(test)]
mod tests {
    use super::kinds::KindTable;
    use super::*;
    use crate::{canonical_token_for, keys_for, Language};

    const GRAMMARS: [(Language, &Grammar); 6] = [
        (Language::JavaScript, &javascript::JAVASCRIPT),
        (Language::TypeScript, &typescript::TYPESCRIPT),
        (Language::Tsx, &typescript::TSX),
        (Language::Go, &go::GO),
        (Language::Rust, &rust::RUST),
        (Language::Java, &java::JAVA),
    ];

    #[test]
    fn every_listed_kind_is_a_named_kind_of_the_grammar() {
        for (language, grammar) in GRAMMARS {
            let lists = [grammar.dropped, grammar.atomic, grammar.scopes];
            for kind in lists.iter().flat_map(|l| l.iter()) {
                // The ECMAScript lists are shared: a kind must exist in
                // JavaScript or in TypeScript.
                let known = if matches!(
                    language,
                    Language::JavaScript | Language::TypeScript | Language::Tsx
                ) {
                    KindTable::knows(&(javascript::JAVASCRIPT.language)(), kind)
                        || KindTable::knows(&(typescript::TYPESCRIPT.language)(), kind)
                } else {
                    KindTable::knows(&(grammar.language)(), kind)
                };
                assert!(known, "{language}: no named kind {kind}");
            }
        }
    }

    #[test]
    fn derived_tokens_are_canonical_and_hand_typed_spacing_is_not() {
        let samples = [
            (
                Language::JavaScript,
                "if (a) { f(x); } else { g(`t${y}`, /a b#/g); }",
            ),
            (
                Language::TypeScript,
                "const f = (a: Array<number>): void => { return; };",
            ),
            (
                Language::Tsx,
                "const v = <div className=\"x\">hi {a && b}</div>;",
            ),
            (
                Language::Go,
                "func (s *Server) Start() error { return s.run(\"x\") }",
            ),
            (
                Language::Rust,
                "fn f<'a>(x: &'a str) -> bool { x.len() >= 2 && true }",
            ),
            (
                Language::Java,
                "@Override public int f(int a) { return a >>> 2; }",
            ),
        ];
        for (language, source) in samples {
            let keys = keys_for(language, source);
            let token = keys.token(1).expect("the line has a token");
            assert_eq!(canonical_token_for(language, token), token, "{language}");
            assert_eq!(
                canonical_token_for(language, "foo(x)"),
                "foo ( x )",
                "{language}"
            );
            assert_eq!(canonical_token_for(language, " foo ( x ) "), "foo ( x )");
        }
    }

    #[test]
    fn a_hand_typed_string_is_not_canonical() {
        assert_eq!(
            canonical_token_for(Language::JavaScript, "f ( \"x\" )"),
            "f ( )"
        );
    }
}
