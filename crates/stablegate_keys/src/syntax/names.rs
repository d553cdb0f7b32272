//! Reading scope names and scope starts off syntax nodes: the helpers the
//! per-language scope rules share.

use tree_sitter::Node;

use super::ScopeDef;
use crate::text::collapse;

/// The source text of a node (empty if the range is not in `src`).
pub(crate) fn text<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// The text of a node used as a name: its leaves without comments, joined
/// with no space except between two words (`Outer.Inner`,
/// `[Symbol.iterator]`, `dyn Shape`); a quoted name (a string key
/// `'foo-bar'() {}`, `declare module "x"`) is its text between the quotes.
pub(crate) fn name_text(node: Node<'_>, src: &str) -> String {
    let raw = text(node, src);
    if let Some(unquoted) = ['"', '\'', '`']
        .iter()
        .find_map(|q| raw.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
    {
        return collapse(unquoted);
    }
    let mut out = String::new();
    let mut cursor = node.walk();
    loop {
        let current = cursor.node();
        let skip = current.is_extra();
        if !skip && cursor.goto_first_child() {
            continue;
        }
        if !skip && current.child_count() == 0 {
            let leaf = collapse(text(current, src));
            let word = |c: Option<char>| c.is_some_and(|c| c == '_' || c.is_alphanumeric());
            if word(out.chars().last()) && word(leaf.chars().next()) {
                out.push(' ');
            }
            out.push_str(&leaf);
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() || cursor.node() == node {
                return out;
            }
        }
    }
}

/// The name in a node's field `field`.
pub(crate) fn field_name(node: Node<'_>, field: &str, src: &str) -> Option<String> {
    node.child_by_field_name(field)
        .map(|n| name_text(n, src))
        .filter(|n| !n.is_empty())
}

/// A scope named by the node's `field`, starting where the node starts.
pub(crate) fn named_by_field(node: Node<'_>, field: &str, src: &str) -> Option<ScopeDef> {
    ScopeDef::at(field_name(node, field, src)?, node)
}

/// A scope called `name` that starts at the first child of `node` that is
/// neither a comment nor one of the `prefix` kinds (decorators,
/// annotations); the children of a `container` kind (Java's `modifiers`)
/// are searched the same way. The prefixes belong to the enclosing scope,
/// as a Python decorator does.
pub(crate) fn after_prefixes(
    name: String,
    node: Node<'_>,
    prefix: &[&str],
    container: Option<&str>,
) -> Option<ScopeDef> {
    let start = first_unprefixed(node, prefix, container).unwrap_or(node);
    let mut def = ScopeDef::at(name, node)?;
    def.start_byte = start.start_byte();
    def.start = start.start_position();
    Some(def)
}

fn first_unprefixed<'t>(
    node: Node<'t>,
    prefix: &[&str],
    container: Option<&str>,
) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return None;
    }
    loop {
        let child = cursor.node();
        let kind = child.kind();
        if Some(kind) == container {
            let mut inner = child.walk();
            if inner.goto_first_child() {
                loop {
                    let node = inner.node();
                    if !node.is_extra() && !prefix.contains(&node.kind()) {
                        return Some(node);
                    }
                    if !inner.goto_next_sibling() {
                        break;
                    }
                }
            }
        } else if !child.is_extra() && !prefix.contains(&kind) {
            return Some(child);
        }
        if !cursor.goto_next_sibling() {
            return None;
        }
    }
}

/// The first named child that is not a comment (or other extra).
fn first_named_code_child(node: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = node.walk();
    let found = node
        .named_children(&mut cursor)
        .find(|child| !child.is_extra());
    found
}

/// `node` with wrappers that do not change what it is peeled off: each
/// `(kind, field)` pair names a wrapper kind and the field (or, when `None`,
/// the first named child) holding the wrapped node.
pub(crate) fn peel<'t>(mut node: Node<'t>, wrappers: &[(&str, Option<&str>)]) -> Node<'t> {
    // Bounded by the nesting of the source; each step goes one level down.
    while let Some((_, field)) = wrappers.iter().find(|(kind, _)| *kind == node.kind()) {
        let inner = match field {
            Some(field) => node.child_by_field_name(field),
            None => first_named_code_child(node),
        };
        match inner {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}
