//! The leaves of a file's tokens as byte ranges: what a caller that edits
//! tokens (the theater's mutations, the property tests) needs to find them.

use tree_sitter::Node;

use super::walk::{traverse, Visit};
use super::Grammar;

/// One leaf of a line's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf {
    /// 1-based line the leaf starts on.
    pub line: usize,
    /// Byte range of the leaf in the text.
    pub start: usize,
    pub end: usize,
    /// A named node of the grammar (an identifier, a literal), not an
    /// anonymous one (a keyword or punctuation spelled in the grammar).
    pub named: bool,
}

/// Every kept leaf of `text`, in source order.
pub(crate) fn leaves(grammar: &Grammar, text: &str) -> Vec<Leaf> {
    let Some(tree) = grammar.parse(text) else {
        return Vec::new();
    };
    let (_, table) = grammar.compiled();
    let mut out = Collect {
        text,
        leaves: Vec::new(),
    };
    traverse(table, &tree, &mut out);
    out.leaves
}

struct Collect<'a> {
    text: &'a str,
    leaves: Vec<Leaf>,
}

impl<'t> Visit<'t> for Collect<'_> {
    fn leaf(&mut self, node: Node<'t>) {
        let range = node.byte_range();
        let blank = self
            .text
            .get(range.clone())
            .is_none_or(|piece| piece.trim().is_empty());
        if node.is_missing() || blank {
            return;
        }
        self.leaves.push(Leaf {
            line: node.start_position().row + 1,
            start: range.start,
            end: range.end,
            named: node.is_named(),
        });
    }
}
