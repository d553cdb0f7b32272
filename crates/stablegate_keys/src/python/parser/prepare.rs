//! Turns `tokenize`'s tokens into what CPython's C tokenizer hands its parser.
//!
//! The two tokenizers agree on valid code except in a few places, handled here:
//! an identifier with combining marks is one NAME for the C tokenizer but a
//! NAME plus ERRORTOKENs for `tokenize`; identifiers must be XID; a number may
//! only be glued to a name that starts like `and`/`else`/`for`/`if`/`in`/`is`/
//! `or`/`not` (`1if x else y`); any other ERRORTOKEN, unknown operator, or a
//! stopped `tokenize` means the C tokenizer rejects the text.

use crate::python::tokenizer::{Kind, Tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PKind {
    Name,
    Number,
    String,
    Op,
    Newline,
    Indent,
    Dedent,
    End,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct PTok {
    pub kind: PKind,
    /// A hard keyword (a NAME that cannot be an identifier).
    pub keyword: bool,
    /// The text packed by [`pack`] when at most 8 bytes, for cheap
    /// comparisons with operators and keywords; `u64::MAX` otherwise.
    pub word: u64,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub end_line: u32,
}

/// Packs a text of at most 8 bytes into a `u64` (zero-padded; tokens hold
/// no NUL), or `u64::MAX` for longer texts.
#[inline(always)]
pub(crate) const fn pack(s: &str) -> u64 {
    let b = s.as_bytes();
    if b.len() > 8 {
        return u64::MAX;
    }
    let mut word = 0u64;
    let mut i = 0;
    while i < b.len() {
        word |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    word
}

/// The word of `text[start..end]` (see [`pack`]), read as one unaligned
/// load when eight bytes are there to read.
#[inline(always)]
fn word_at(text: &str, start: u32, end: u32) -> u64 {
    let (start, len) = (start as usize, (end - start) as usize);
    if len > 8 {
        return u64::MAX;
    }
    match text.as_bytes().get(start..start + 8) {
        Some(eight) => {
            let all = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
            if len == 8 {
                all
            } else {
                all & ((1u64 << (8 * len)) - 1)
            }
        }
        None => pack(&text[start..start + len]),
    }
}

/// Fills `out` with the parser's token stream; `false` if the C tokenizer
/// rejects the text (`out` is then unspecified).
pub(crate) fn prepare(text: &str, tokens: &Tokens, out: &mut Vec<PTok>) -> bool {
    out.clear();
    if tokens.c_error {
        return false;
    }
    out.reserve(tokens.tokens.len() + 1);
    // Set when a name grew after it was pushed (combining marks) or is not
    // ASCII: identifier checks, words and keywords are then redone for every
    // name (rare).
    let mut merged = false;
    for t in &tokens.tokens {
        let kind = match t.kind {
            Kind::Name => PKind::Name,
            Kind::Number => PKind::Number,
            Kind::String => PKind::String,
            Kind::Op => PKind::Op,
            Kind::Newline => PKind::Newline,
            Kind::Indent => PKind::Indent,
            Kind::Dedent => PKind::Dedent,
            Kind::ErrorToken => {
                // Combining marks and other XID_Continue characters that `\w`
                // does not cover continue the identifier before them.
                let piece = &text[t.start as usize..t.end as usize];
                match out.last_mut() {
                    Some(prev)
                        if prev.kind == PKind::Name
                            && prev.end == t.start
                            && piece.chars().all(is_xid_continue_14) =>
                    {
                        prev.end = t.end;
                        merged = true;
                        continue;
                    }
                    _ => return false,
                }
            }
        };
        if let Some(prev) = out.last_mut() {
            if prev.end == t.start && matches!(prev.kind, PKind::Name | PKind::Number) {
                if prev.kind == PKind::Name && kind == PKind::Name {
                    // The rest of an identifier split by a merged mark.
                    prev.end = t.end;
                    merged = true;
                    continue;
                }
                let piece = &text[t.start as usize..t.end as usize];
                if prev.kind == PKind::Number && !number_may_touch(kind, piece) {
                    return false;
                }
            }
        }
        let mut tok = PTok {
            kind,
            keyword: false,
            word: 0,
            start: t.start,
            end: t.end,
            line: t.line,
            end_line: t.end_line,
        };
        if matches!(kind, PKind::Name | PKind::Op) {
            // `\w` runs that do not start an identifier (`²`, a non-ASCII
            // digit) come out of `tokenize` as OP; every other OP is a real
            // operator.
            if kind == PKind::Op && text.as_bytes()[t.start as usize] >= 0x80 {
                return false;
            }
            tok.word = word_at(text, t.start, t.end);
            tok.keyword = kind == PKind::Name && super::is_keyword_word(tok.word);
            if kind == PKind::Name && !merged {
                merged = !text.as_bytes()[t.start as usize..t.end as usize].is_ascii();
            }
        }
        out.push(tok);
    }
    if merged {
        for t in out.iter_mut().filter(|t| t.kind == PKind::Name) {
            let piece = &text[t.start as usize..t.end as usize];
            if !is_identifier(piece) {
                return false;
            }
            t.word = pack(piece);
            t.keyword = super::is_keyword_word(t.word);
        }
    }
    let (end, line) = out.last().map_or((0, 1), |t| (t.end, t.end_line));
    out.push(PTok {
        kind: PKind::End,
        keyword: false,
        word: 0,
        start: end,
        end,
        line,
        end_line: line,
    });
    true
}

/// What may directly follow a number without a space (CPython's
/// `verify_end_of_number`): an operator or string, or a name starting like
/// one of the keywords that can follow a number in valid code.
fn number_may_touch(kind: PKind, piece: &str) -> bool {
    match kind {
        PKind::Name => {
            let b = piece.as_bytes();
            let starts = |p: &str| piece.starts_with(p);
            starts("and")
                || starts("else")
                || starts("for")
                || starts("or")
                || starts("not")
                || (b.len() >= 2 && b[0] == b'i' && matches!(b[1], b'f' | b'n' | b's'))
        }
        PKind::Number => false,
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
