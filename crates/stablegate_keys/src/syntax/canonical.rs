//! The canonical form of a stored token of a tree-sitter language.
//!
//! A token is a fragment of a line (`} else {`, `</ div >`, `=> {`), which
//! may not parse alone: out of context tree-sitter's error recovery can lex
//! `=>` as `=` `>` or `</` as `<` `/`. So canonical form does not demand that
//! re-keying the fragment give back the same leaves. A token is canonical
//! when it is whitespace-normalised and each of its space-separated pieces
//! is one lexeme: either the fragment's own parse keeps the piece whole (no
//! leaf starts or ends inside it — a leaf may span several pieces, as a regex
//! `/ a b /` does), or the piece is by itself a word (identifier or number
//! characters), a lifetime or label (`'a`), or a token of the grammar
//! (`=>`, `</`, `&&`), or in JSX a hyphenated name (`aria-label`). `foo(x)` is not canonical (its one piece holds four
//! leaves); every token the keys derive is (property-tested over real code).
//! A non-canonical token's canonical form keeps its lexeme pieces and
//! replaces each other piece by the leaves the parse finds inside it.

use tree_sitter::Node;

use super::walk::{traverse, Visit};
use super::Grammar;
use crate::text::collapse;

/// The canonical form of `token` in `grammar`'s language.
pub(crate) fn canonical(grammar: &Grammar, token: &str) -> String {
    let normal = collapse(token);
    if normal.is_empty() {
        return normal;
    }
    let Some(tree) = grammar.parse(&normal) else {
        return normal;
    };
    let (language, table) = grammar.compiled();
    let mut leaves = Leaves {
        text: &normal,
        ranges: Vec::new(),
    };
    traverse(table, &tree, &mut leaves);
    let mut out = String::with_capacity(normal.len());
    let mut next_leaf = 0;
    for (start, end) in pieces(&normal) {
        // Leaves wholly before this piece are done with.
        while leaves
            .ranges
            .get(next_leaf)
            .is_some_and(|&(_, e)| e <= start)
        {
            next_leaf += 1;
        }
        let piece = &normal[start..end];
        let inside: Vec<(usize, usize)> = leaves.ranges[next_leaf..]
            .iter()
            .take_while(|&&(s, _)| s < end)
            .map(|&(s, e)| (s.max(start), e.min(end)))
            .collect();
        let whole = inside.len() == 1 && inside[0] == (start, end);
        let lexeme = is_lexeme(language, piece) || (grammar.jsx && is_jsx_name(piece));
        let kept: Vec<&str> = if whole || lexeme {
            vec![piece]
        } else {
            inside.iter().map(|&(s, e)| &normal[s..e]).collect()
        };
        for part in kept {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        }
    }
    out
}

/// The byte ranges of the space-separated pieces of single-spaced text.
fn pieces(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    text.split(' ').map(move |piece| {
        let range = (start, start + piece.len());
        start += piece.len() + 1;
        range
    })
}

/// Whether `piece` is one lexeme on its own: a word, a number, a lifetime
/// or label, or a token (keyword or punctuation) of the grammar.
fn is_lexeme(language: &tree_sitter::Language, piece: &str) -> bool {
    is_word(piece)
        || is_number(piece)
        || piece.strip_prefix('\'').is_some_and(is_word)
        || language.id_for_node_kind(piece, false) != 0
}

/// A JSX attribute or element name with hyphens (`aria-label`), which a
/// fragment outside a JSX element parses as a subtraction.
fn is_jsx_name(piece: &str) -> bool {
    piece.contains('-') && piece.split('-').all(is_word)
}

/// Identifier characters only (`$` included, as JavaScript allows).
fn is_word(piece: &str) -> bool {
    !piece.is_empty()
        && piece
            .chars()
            .all(|c| c == '$' || c == '_' || unicode_ident::is_xid_continue(c))
}

/// A numeric literal: `42`, `1.5`, `.5`, `1e-40`, `0x1p-3`, `1_000u32`. A
/// sign may only follow an exponent mark (`e` in decimal, `p` in hex).
fn is_number(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    let starts = matches!(bytes, [b'0'..=b'9', ..] | [b'.', b'0'..=b'9', ..]);
    let hex = bytes.len() > 1 && bytes[0] == b'0' && matches!(bytes[1], b'x' | b'X');
    starts
        && bytes.iter().enumerate().all(|(i, &b)| match b {
            b'+' | b'-' => {
                let mark = if hex { [b'p', b'P'] } else { [b'e', b'E'] };
                i > 0 && mark.contains(&bytes[i - 1])
            }
            _ => b.is_ascii_alphanumeric() || b == b'_' || b == b'.',
        })
}

/// The trimmed byte ranges of the kept leaves.
struct Leaves<'a> {
    text: &'a str,
    ranges: Vec<(usize, usize)>,
}

impl<'t> Visit<'t> for Leaves<'_> {
    fn leaf(&mut self, node: Node<'t>) {
        if node.is_missing() {
            return;
        }
        let range = node.byte_range();
        let Some(piece) = self.text.get(range.clone()) else {
            return;
        };
        let trimmed = piece.trim_start();
        let start = range.start + (piece.len() - trimmed.len());
        let end = start + trimmed.trim_end().len();
        if end > start {
            self.ranges.push((start, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_a_sign_only_after_an_exponent_mark() {
        for number in [
            "42", "1.5", ".5", "1e-40", "2E+3", "0x1p-3", "1_000u32", "0xFF",
        ] {
            assert!(is_number(number), "{number}");
        }
        for other in ["1+2", "0xe-1", "x1", "1-", "-1", "."] {
            assert!(!is_number(other), "{other}");
        }
    }
}
