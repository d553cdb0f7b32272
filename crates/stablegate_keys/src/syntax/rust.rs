//! Rust keys.
//!
//! Dropped whole: line and block comments (doc comments included), string,
//! raw string, byte string and char literals, a `#!` shebang line. Kept as
//! one leaf: a lifetime or loop label (`'a`, `'outer`), so editing one
//! changes the key. Attributes (`#[derive(Debug)]`) are code and kept; they
//! are siblings before the item, so they belong to the enclosing scope, as a
//! Python decorator does.
//!
//! Named scopes: functions (bodiless trait signatures too), `impl` blocks
//! named by their self type stripped of references, paths and generic
//! arguments (`impl<T> Display for Wrapper<T>` is `Wrapper`, so its methods
//! are `Wrapper.fmt`, the same as inherent methods), traits, structs, enums,
//! unions, inline modules (`mod tests { … }`), `macro_rules!` definitions,
//! and a closure bound by `let name = |…| …`. Unbound closures are not
//! scopes.

use tree_sitter::Node;

use super::names::{name_text, named_by_field, peel};
use super::{Grammar, ScopeDef};

const DROPPED: &[&str] = &[
    "line_comment",
    "block_comment",
    "string_literal",
    "raw_string_literal",
    "char_literal",
    "shebang",
];

const ATOMIC: &[&str] = &["lifetime", "label"];

const SCOPES: &[&str] = &[
    "function_item",
    "function_signature_item",
    "impl_item",
    "trait_item",
    "struct_item",
    "enum_item",
    "union_item",
    "mod_item",
    "macro_definition",
    "let_declaration",
];

/// The Rust grammar.
pub static RUST: Grammar = Grammar {
    language: || tree_sitter_rust::LANGUAGE.into(),
    dropped: DROPPED,
    atomic: ATOMIC,
    scopes: SCOPES,
    jsx: false,
    scope,
    table: std::sync::OnceLock::new(),
};

fn scope(node: Node<'_>, src: &str) -> Option<ScopeDef> {
    match node.kind() {
        "impl_item" => ScopeDef::at(self_type(node.child_by_field_name("type")?, src), node),
        "mod_item" => {
            node.child_by_field_name("body")?;
            named_by_field(node, "name", src)
        }
        "let_declaration" => {
            let pattern = node.child_by_field_name("pattern")?;
            let value = node.child_by_field_name("value")?;
            if pattern.kind() != "identifier" || value.kind() != "closure_expression" {
                return None;
            }
            ScopeDef::at(name_text(pattern, src), node)
        }
        _ => named_by_field(node, "name", src),
    }
}

/// The name of an impl's self type: `Foo` for `Foo`, `&'a mut Foo<T>`,
/// `crate::a::Foo`, `dyn Foo`; other types (tuples, arrays) by their text.
fn self_type(ty: Node<'_>, src: &str) -> String {
    let ty = peel(
        ty,
        &[
            ("reference_type", Some("type")),
            ("pointer_type", Some("type")),
            ("generic_type", Some("type")),
            ("dynamic_type", Some("trait")),
            ("scoped_type_identifier", Some("name")),
            ("scoped_identifier", Some("name")),
        ],
    );
    name_text(ty, src)
}
