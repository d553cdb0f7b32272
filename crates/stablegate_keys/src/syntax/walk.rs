//! The one pass over a syntax tree that every tree-sitter language shares:
//! leaves bucketed by the line they start on, and named scopes in source
//! order.
//!
//! The walk is iterative (a [`tree_sitter::TreeCursor`] and an explicit
//! stack of open scopes), so a file of 100,000 nested brackets cannot
//! overflow the stack. It keeps no per-node state beyond the open scopes.

use tree_sitter::{Node, Tree};

use super::kinds::{Class, KindTable};
use super::Grammar;
use crate::text::{line_count, push_collapsed};

/// A named scope: 1-based inclusive line span and full dotted qualname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScopeSpan {
    pub(crate) start_line: usize,
    pub(crate) end_line: usize,
    pub(crate) qualname: String,
}

/// What the walk gathers.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// Every line's token, one after the other.
    pub(crate) joined: String,
    /// `spans[i]`: the token of line `i + 1` in `joined`, if it has one.
    pub(crate) spans: Vec<Option<(u32, u32)>>,
    /// Named scopes in source order (pre-order: a scope before the scopes
    /// inside it).
    pub(crate) scopes: Vec<ScopeSpan>,
}

/// A scope whose node the walk is inside.
struct Open {
    depth: usize,
    start_byte: usize,
    scope: usize,
}

/// Bytes of qualname text allowed per byte of source, on top of a fixed
/// allowance. Real code stays far below; a hostile file of 100,000 nested
/// named functions would otherwise need gigabytes of qualnames. Scopes past
/// the budget are not scopes (their lines keep the enclosing qualname).
const QUALNAME_BYTES_PER_SOURCE_BYTE: usize = 8;
const QUALNAME_BYTES_ALLOWANCE: usize = 1 << 16;

/// What a traversal reports, in source order.
pub(crate) trait Visit<'t> {
    /// A leaf of the token: a node without children, or an atomic node.
    fn leaf(&mut self, node: Node<'t>);
    /// A node of a scope kind, at `depth` (the root is at depth 0).
    fn scope(&mut self, _node: Node<'t>, _depth: usize) {}
    /// The traversal left every node at `depth` or deeper.
    fn leave(&mut self, _depth: usize) {}
}

/// Visits the leaves and scope nodes of `tree` in source order, skipping
/// dropped nodes with everything inside them.
pub(crate) fn traverse<'t>(table: &KindTable, tree: &'t Tree, visit: &mut impl Visit<'t>) {
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        let node = cursor.node();
        let mut descend = false;
        match table.class(node.kind_id()) {
            Class::Dropped => {}
            Class::Atomic => visit.leaf(node),
            class => {
                if class == Class::Scope {
                    visit.scope(node, depth);
                }
                if node.child_count() == 0 {
                    visit.leaf(node);
                } else {
                    descend = true;
                }
            }
        }
        if descend && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            visit.leave(depth);
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            depth = depth.saturating_sub(1);
        }
    }
}

/// Walks `tree` (parsed from `text`) once: the keys' tokens and scopes.
pub(crate) fn walk(grammar: &Grammar, table: &KindTable, tree: &Tree, text: &str) -> Walked {
    let mut keying = Keying {
        grammar,
        text,
        out: Walked {
            joined: String::with_capacity(text.len() / 2),
            spans: vec![None; line_count(text)],
            scopes: Vec::new(),
        },
        open: Vec::new(),
        last_row: 0,
        budget: text
            .len()
            .saturating_mul(QUALNAME_BYTES_PER_SOURCE_BYTE)
            .saturating_add(QUALNAME_BYTES_ALLOWANCE),
    };
    traverse(table, tree, &mut keying);
    keying.out
}

/// The state of [`walk`].
struct Keying<'a> {
    grammar: &'a Grammar,
    text: &'a str,
    out: Walked,
    open: Vec<Open>,
    last_row: usize,
    budget: usize,
}

impl<'t> Visit<'t> for Keying<'_> {
    fn leaf(&mut self, node: Node<'t>) {
        push_leaf(&mut self.out, &mut self.last_row, node, self.text);
    }

    fn scope(&mut self, node: Node<'t>, depth: usize) {
        let Some(def) = (self.grammar.scope)(node, self.text) else {
            return;
        };
        // The enclosing scope is the innermost open one that has started:
        // a scope opened inside a decorator belongs outside the decorated one.
        let parent = self
            .open
            .iter()
            .rev()
            .find(|o| o.start_byte <= def.start_byte)
            .map(|o| self.out.scopes[o.scope].qualname.as_str());
        let qualname = match parent {
            Some(parent) => format!("{parent}.{}", def.name),
            None => def.name,
        };
        if qualname.len() > self.budget {
            return;
        }
        self.budget -= qualname.len();
        self.open.push(Open {
            depth,
            start_byte: def.start_byte,
            scope: self.out.scopes.len(),
        });
        self.out.scopes.push(ScopeSpan {
            start_line: def.start.row + 1,
            end_line: end_line(node).max(def.start.row + 1),
            qualname,
        });
    }

    fn leave(&mut self, depth: usize) {
        while self.open.last().is_some_and(|o| o.depth >= depth) {
            self.open.pop();
        }
    }
}

/// The 1-based last line of a node: a node that ends at the start of a line
/// (after a newline it consumed) ends on the line before.
fn end_line(node: Node<'_>) -> usize {
    let start = node.start_position();
    let end = node.end_position();
    if end.column == 0 && end.row > start.row {
        end.row
    } else {
        end.row + 1
    }
}

/// Appends a leaf's text, whitespace collapsed, to the token of the line it
/// starts on. Empty and missing (error-recovery) leaves add nothing.
fn push_leaf(out: &mut Walked, last_row: &mut usize, node: Node<'_>, text: &str) {
    if node.is_missing() {
        return;
    }
    let Some(piece) = text.get(node.byte_range()) else {
        return;
    };
    let row = node.start_position().row;
    // Leaves come in source order; a line's token must be one run of
    // `joined`, so a leaf before the last keyed line (which tree-sitter
    // never yields) is ignored rather than corrupting another line.
    if row < *last_row {
        return;
    }
    let Some(slot) = out.spans.get_mut(row) else {
        return;
    };
    let before = out.joined.len();
    match slot {
        Some((_, end)) => {
            out.joined.push(' ');
            if push_collapsed(&mut out.joined, piece) {
                *end = out.joined.len() as u32;
            } else {
                out.joined.truncate(before);
            }
        }
        None => {
            if push_collapsed(&mut out.joined, piece) {
                *slot = Some((before as u32, out.joined.len() as u32));
                *last_row = row;
            }
        }
    }
}
