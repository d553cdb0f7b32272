//! JavaScript (and JSX) keys, and the ECMAScript rules TypeScript and TSX
//! share ([`super::typescript`] uses the same lists and scope rule with its
//! own grammars; TypeScript-only kinds simply never occur in JavaScript).
//!
//! Dropped whole: comments (`comment`, `html_comment`, the `#!` line),
//! string literals, template literals with their `${…}` substitutions, JSX
//! text (human text, like a string), TypeScript template literal types.
//! Kept as one leaf: a regex literal (`/a#b/g`): it is code, and one leaf
//! means a `#` or a space inside it can neither cut nor split the key.
//!
//! Named scopes: class declarations and named class expressions, functions
//! and generators (declared or named expressions), methods (object-literal
//! methods and getters/setters included), TypeScript interfaces, enums,
//! namespaces/modules and signatures; and an anonymous function, arrow
//! function or class bound to a name: `const f = () => …`,
//! `exports.f = function …`, `Foo.prototype.bar = …` (named `Foo.bar`),
//! `{ key: function () … }`, a class field `handler = () => …`. A named
//! function expression keeps its own name. Object literals, anonymous classes
//! and unbound closures are not scopes.

use tree_sitter::Node;

use super::names::{after_prefixes, field_name, name_text, named_by_field, peel, text};
use super::{Grammar, ScopeDef};

pub(crate) const DROPPED: &[&str] = &[
    "comment",
    "html_comment",
    "hash_bang_line",
    "string",
    "template_string",
    "jsx_text",
    "template_literal_type",
];

pub(crate) const ATOMIC: &[&str] = &["regex"];

pub(crate) const SCOPES: &[&str] = &[
    "class_declaration",
    "abstract_class_declaration",
    "class",
    "function_declaration",
    "generator_function_declaration",
    "function_expression",
    "generator_function",
    "function_signature",
    "method_definition",
    "method_signature",
    "abstract_method_signature",
    "interface_declaration",
    "enum_declaration",
    "internal_module",
    "module",
    "variable_declarator",
    "assignment_expression",
    "pair",
    "field_definition",
    "public_field_definition",
];

/// The JavaScript grammar (`.js .mjs .cjs .jsx`).
pub static JAVASCRIPT: Grammar = Grammar {
    language: || tree_sitter_javascript::LANGUAGE.into(),
    dropped: DROPPED,
    atomic: ATOMIC,
    scopes: SCOPES,
    jsx: true,
    scope,
    table: std::sync::OnceLock::new(),
};

/// Wrappers around a bound value that leave it the same value.
const VALUE_WRAPPERS: &[(&str, Option<&str>)] = &[
    ("parenthesized_expression", None),
    ("as_expression", None),
    ("satisfies_expression", None),
    ("non_null_expression", None),
];

/// The scope an ECMAScript node opens.
pub(crate) fn scope(node: Node<'_>, src: &str) -> Option<ScopeDef> {
    match node.kind() {
        "class_declaration" | "abstract_class_declaration" | "class" => {
            after_prefixes(field_name(node, "name", src)?, node, &["decorator"], None)
        }
        "method_definition" => {
            after_prefixes(field_name(node, "name", src)?, node, &["decorator"], None)
        }
        "function_declaration"
        | "generator_function_declaration"
        | "function_expression"
        | "generator_function"
        | "function_signature"
        | "method_signature"
        | "abstract_method_signature"
        | "interface_declaration"
        | "enum_declaration"
        | "internal_module"
        | "module" => named_by_field(node, "name", src),
        "variable_declarator" => {
            let name = node.child_by_field_name("name")?;
            if name.kind() != "identifier" || !binds_anonymous_function(node, "value") {
                return None;
            }
            ScopeDef::at(name_text(name, src), node)
        }
        "assignment_expression" => {
            if !binds_anonymous_function(node, "right") {
                return None;
            }
            ScopeDef::at(target_path(node.child_by_field_name("left")?, src)?, node)
        }
        "pair" => {
            if !binds_anonymous_function(node, "value") {
                return None;
            }
            ScopeDef::at(field_name(node, "key", src)?, node)
        }
        "field_definition" | "public_field_definition" => {
            if !binds_anonymous_function(node, "value") {
                return None;
            }
            let field = if node.kind() == "field_definition" {
                "property"
            } else {
                "name"
            };
            after_prefixes(field_name(node, field, src)?, node, &["decorator"], None)
        }
        _ => None,
    }
}

/// Whether the node's `field` holds a function, arrow function or class
/// without a name of its own (one with a name is a scope by that name).
fn binds_anonymous_function(node: Node<'_>, field: &str) -> bool {
    let Some(value) = node.child_by_field_name(field) else {
        return false;
    };
    let value = peel(value, VALUE_WRAPPERS);
    match value.kind() {
        "arrow_function" => true,
        "function_expression" | "generator_function" | "class" => {
            value.child_by_field_name("name").is_none()
        }
        _ => false,
    }
}

/// The dotted name an assignment binds: `f` for `f = …`, `exports.f = …`,
/// `module.exports.f = …` and `this.f = …`; `Foo.bar` for
/// `Foo.prototype.bar = …`; `app.get` for `app.get = …`. `None` for a target
/// with a computed part (`a[k] = …`) or nothing left (`module.exports = …`).
fn target_path(target: Node<'_>, src: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    let mut node = target;
    loop {
        match node.kind() {
            "member_expression" => {
                segments.push(text(node.child_by_field_name("property")?, src));
                node = node.child_by_field_name("object")?;
            }
            "identifier" | "this" => {
                segments.push(text(node, src));
                break;
            }
            _ => return None,
        }
    }
    segments.reverse();
    let skip = match segments.as_slice() {
        ["module", "exports", ..] => 2,
        ["exports" | "this", ..] => 1,
        _ => 0,
    };
    let kept: Vec<&str> = segments[skip..]
        .iter()
        .copied()
        .filter(|s| *s != "prototype")
        .collect();
    if kept.is_empty() {
        return None;
    }
    Some(kept.join("."))
}
