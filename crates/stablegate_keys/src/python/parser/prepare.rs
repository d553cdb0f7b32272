//! Turns `tokenize`'s tokens into what CPython's C tokenizer hands its parser.
//!
//! The two tokenizers agree on valid code except in a few places, handled here:
//! an identifier with combining marks is one NAME for the C tokenizer but a
//! NAME plus ERRORTOKENs for `tokenize`; identifiers must be XID; a number may
//! only be glued to a name that starts like `and`/`else`/`for`/`if`/`in`/`is`/
//! `or`/`not` (`1if x else y`); any other ERRORTOKEN, unknown operator, or a
//! stopped `tokenize` means the C tokenizer rejects the text.

use std::borrow::Cow;

use crate::python::tokenizer::{Kind, Token, Tokens};
use crate::python::word::{is_keyword_word, pack};

/// The parser's token stream, or `None` if the C tokenizer rejects the text.
/// A [`Tokens::plain`] stream is used as it is; only the others are copied.
pub(crate) fn prepare<'t>(text: &str, tokens: &'t Tokens) -> Option<Cow<'t, [Token]>> {
    if tokens.c_error {
        return None;
    }
    if tokens.plain {
        return Some(Cow::Borrowed(&tokens.tokens));
    }
    prepare_copy(text, &tokens.tokens).map(Cow::Owned)
}

fn prepare_copy(text: &str, tokens: &[Token]) -> Option<Vec<Token>> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        let piece = &text[t.start as usize..t.end as usize];
        match t.kind {
            Kind::End => break,
            Kind::ErrorToken => {
                // Combining marks and other XID_Continue characters that `\w`
                // does not cover continue the identifier before them.
                match out.last_mut() {
                    Some(prev)
                        if prev.kind == Kind::Name
                            && prev.end == t.start
                            && piece.chars().all(is_xid_continue_14) =>
                    {
                        prev.end = t.end;
                        continue;
                    }
                    _ => return None,
                }
            }
            // `\w` runs that do not start an identifier (`²`, a non-ASCII
            // digit) come out of `tokenize` as OP; every other OP is a real
            // operator.
            Kind::Op if piece.as_bytes()[0] >= 0x80 => return None,
            _ => {}
        }
        if let Some(prev) = out.last_mut() {
            if prev.end == t.start {
                if prev.kind == Kind::Name && t.kind == Kind::Name {
                    // The rest of an identifier split by a merged mark.
                    prev.end = t.end;
                    continue;
                }
                if prev.kind == Kind::Number && !number_may_touch(t.kind, piece) {
                    return None;
                }
            }
        }
        out.push(*t);
    }
    // Names may have grown: their checks and words are redone.
    for t in out.iter_mut().filter(|t| t.kind == Kind::Name) {
        let piece = &text[t.start as usize..t.end as usize];
        if !is_identifier(piece) {
            return None;
        }
        t.word = pack(piece);
        t.keyword = is_keyword_word(t.word);
    }
    let (end, line) = out.last().map_or((0, 1), |t| (t.end, t.end_line));
    out.push(Token {
        kind: Kind::End,
        keyword: false,
        word: 0,
        start: end,
        end,
        line,
        end_line: line,
    });
    Some(out)
}

/// What may directly follow a number without a space (CPython's
/// `verify_end_of_number`): an operator or string, or a name starting like
/// one of the keywords that can follow a number in valid code.
fn number_may_touch(kind: Kind, piece: &str) -> bool {
    match kind {
        Kind::Name => {
            let b = piece.as_bytes();
            let starts = |p: &str| piece.starts_with(p);
            starts("and")
                || starts("else")
                || starts("for")
                || starts("or")
                || starts("not")
                || (b.len() >= 2 && b[0] == b'i' && matches!(b[1], b'f' | b'n' | b's'))
        }
        Kind::Number => false,
        _ => true,
    }
}

fn is_identifier(s: &str) -> bool {
    if s.is_ascii() {
        return true; // `\w+` on ASCII never starts with a digit here.
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || unicode_ident::is_xid_start(c) => {}
        _ => return false,
    }
    chars.all(is_xid_continue_14)
}

/// XID_Continue as of Unicode 14.0 (CPython 3.11): later versions added the
/// joiners and the katakana middle dots.
fn is_xid_continue_14(c: char) -> bool {
    !matches!(c, '\u{200c}' | '\u{200d}' | '\u{30fb}' | '\u{ff65}')
        && unicode_ident::is_xid_continue(c)
}
