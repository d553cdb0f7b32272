//! Java keys.
//!
//! Dropped whole: line and block comments (Javadoc included), string
//! literals (text blocks and template arguments included) and character
//! literals. Annotations are code and kept; a declaration's scope starts at
//! its first token that is not an annotation, so annotations on their own
//! lines belong to the enclosing scope, as a Python decorator does.
//!
//! Named scopes: classes, interfaces, enums, records, annotation types,
//! methods (bodiless ones too), constructors (named by the class:
//! `Point.Point`), compact record constructors, annotation elements, enum
//! constants with a body (`Op.PLUS.apply`), modules, and a lambda bound to
//! a variable or field (`Runnable task = () -> …` is `task`). Anonymous
//! classes and unbound lambdas are not scopes; the methods of an anonymous
//! class are scopes inside the enclosing one (`Outer.run.call`).

use tree_sitter::Node;

use super::names::{after_prefixes, field_name, name_text};
use super::{Grammar, ScopeDef};

const DROPPED: &[&str] = &[
    "line_comment",
    "block_comment",
    "string_literal",
    "character_literal",
];

const SCOPES: &[&str] = &[
    "class_declaration",
    "interface_declaration",
    "enum_declaration",
    "record_declaration",
    "annotation_type_declaration",
    "method_declaration",
    "constructor_declaration",
    "compact_constructor_declaration",
    "annotation_type_element_declaration",
    "enum_constant",
    "module_declaration",
    "variable_declarator",
];

const ANNOTATIONS: &[&str] = &["annotation", "marker_annotation"];

/// The Java grammar.
pub static JAVA: Grammar = Grammar {
    language: || tree_sitter_java::LANGUAGE.into(),
    dropped: DROPPED,
    atomic: &[],
    scopes: SCOPES,
    jsx: false,
    scope,
    table: std::sync::OnceLock::new(),
};

fn scope(node: Node<'_>, src: &str) -> Option<ScopeDef> {
    match node.kind() {
        "enum_constant" => {
            node.child_by_field_name("body")?;
            after_prefixes(
                field_name(node, "name", src)?,
                node,
                ANNOTATIONS,
                Some("modifiers"),
            )
        }
        "variable_declarator" => {
            let value = node.child_by_field_name("value")?;
            if value.kind() != "lambda_expression" {
                return None;
            }
            ScopeDef::at(name_text(node.child_by_field_name("name")?, src), node)
        }
        _ => after_prefixes(
            field_name(node, "name", src)?,
            node,
            ANNOTATIONS,
            Some("modifiers"),
        ),
    }
}
