//! Go keys.
//!
//! Dropped whole: comments, interpreted and raw string literals, rune
//! literals (a character literal is a string-like literal). The newline that
//! ends a statement is a leaf of whitespace only and adds nothing.
//!
//! Named scopes: functions; methods, named `Receiver.Method` with the
//! receiver's type stripped of `*`, parentheses and type arguments
//! (`func (s *Server[T]) Start()` is `Server.Start`); a type declared as a
//! struct or interface (`type Reader interface { Read(…) }` gives `Reader`
//! and `Reader.Read`); a function literal bound to one name by `:=`, `=` or
//! `var` (`handler := func(…) {…}`). Unbound function literals (a
//! `t.Run(…, func…)` argument, a `go func(){…}()`) are not scopes.

use tree_sitter::Node;

use super::names::{field_name, name_text, named_by_field, peel};
use super::{Grammar, ScopeDef};

const DROPPED: &[&str] = &[
    "comment",
    "interpreted_string_literal",
    "raw_string_literal",
    "rune_literal",
];

const SCOPES: &[&str] = &[
    "function_declaration",
    "method_declaration",
    "type_spec",
    "method_elem",
    "short_var_declaration",
    "assignment_statement",
    "var_spec",
];

/// The Go grammar.
pub static GO: Grammar = Grammar {
    language: || tree_sitter_go::LANGUAGE.into(),
    dropped: DROPPED,
    atomic: &[],
    scopes: SCOPES,
    jsx: false,
    scope,
    table: std::sync::OnceLock::new(),
};

fn scope(node: Node<'_>, src: &str) -> Option<ScopeDef> {
    match node.kind() {
        "function_declaration" | "method_elem" => named_by_field(node, "name", src),
        "method_declaration" => {
            let method = field_name(node, "name", src)?;
            let name = match receiver_type(node, src) {
                Some(receiver) => format!("{receiver}.{method}"),
                None => method,
            };
            ScopeDef::at(name, node)
        }
        "type_spec" => {
            let kind = node.child_by_field_name("type")?.kind();
            if kind != "struct_type" && kind != "interface_type" {
                return None;
            }
            named_by_field(node, "name", src)
        }
        "short_var_declaration" | "assignment_statement" => {
            if node.kind() == "assignment_statement" {
                let operator = node.child_by_field_name("operator")?;
                if operator.kind() != "=" {
                    return None;
                }
            }
            let left = single(node.child_by_field_name("left")?)?;
            let right = single(node.child_by_field_name("right")?)?;
            if left.kind() != "identifier" || right.kind() != "func_literal" {
                return None;
            }
            ScopeDef::at(name_text(left, src), node)
        }
        "var_spec" => {
            let mut cursor = node.walk();
            let mut names = node.children_by_field_name("name", &mut cursor);
            let name = names.next()?;
            if names.next().is_some() {
                return None;
            }
            let value = single(node.child_by_field_name("value")?)?;
            if value.kind() != "func_literal" {
                return None;
            }
            ScopeDef::at(name_text(name, src), node)
        }
        _ => None,
    }
}

/// The one named child of an expression list (`None` for two or more).
fn single(list: Node<'_>) -> Option<Node<'_>> {
    if list.named_child_count() != 1 {
        return None;
    }
    list.named_child(0)
}

/// The base type name of a method's receiver.
fn receiver_type(method: Node<'_>, src: &str) -> Option<String> {
    let receiver = method.child_by_field_name("receiver")?;
    let mut cursor = receiver.walk();
    let parameter = receiver
        .named_children(&mut cursor)
        .find(|n| n.kind() == "parameter_declaration")?;
    let ty = peel(
        parameter.child_by_field_name("type")?,
        &[
            ("pointer_type", None),
            ("parenthesized_type", None),
            ("generic_type", Some("type")),
        ],
    );
    let name = name_text(ty, src);
    (!name.is_empty()).then_some(name)
}
