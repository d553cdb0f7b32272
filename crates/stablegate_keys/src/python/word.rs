//! Short token texts as integers: a NAME or OP of at most eight bytes packed
//! into a `u64`, so that the parser compares operators and keywords with
//! one integer comparison instead of a string comparison.

/// Packs a text of at most 8 bytes into a `u64` (zero-padded; tokens hold
/// no NUL), or `u64::MAX` for longer texts.
#[expect(
    clippy::inline_always,
    reason = "the tokenizer's inner loop; measured (bench/)"
)]
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

/// The word of `src[start..end]` (see [`pack`]): one unaligned load and a
/// mask when eight bytes are there to read.
#[expect(
    clippy::inline_always,
    reason = "the tokenizer's inner loop; measured (bench/)"
)]
#[inline(always)]
pub(crate) fn word_at(src: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    if len > 8 {
        return u64::MAX;
    }
    match src.get(start..start + 8) {
        Some(eight) => {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(eight);
            let all = u64::from_le_bytes(bytes);
            if len == 8 {
                all
            } else {
                all & ((1u64 << (8 * len)) - 1)
            }
        }
        None => src[start..end]
            .iter()
            .rev()
            .fold(0, |word, &b| (word << 8) | u64::from(b)),
    }
}

/// Whether a [`pack`]ed NAME is one of Python 3.11's hard keywords (soft
/// keywords `match`, `case`, `_` are names): one integer match.
pub(crate) fn is_keyword_word(word: u64) -> bool {
    const FALSE: u64 = pack("False");
    const NONE: u64 = pack("None");
    const TRUE: u64 = pack("True");
    const AND: u64 = pack("and");
    const AS: u64 = pack("as");
    const ASSERT: u64 = pack("assert");
    const ASYNC: u64 = pack("async");
    const AWAIT: u64 = pack("await");
    const BREAK: u64 = pack("break");
    const CLASS: u64 = pack("class");
    const CONTINUE: u64 = pack("continue");
    const DEF: u64 = pack("def");
    const DEL: u64 = pack("del");
    const ELIF: u64 = pack("elif");
    const ELSE: u64 = pack("else");
    const EXCEPT: u64 = pack("except");
    const FINALLY: u64 = pack("finally");
    const FOR: u64 = pack("for");
    const FROM: u64 = pack("from");
    const GLOBAL: u64 = pack("global");
    const IF: u64 = pack("if");
    const IMPORT: u64 = pack("import");
    const IN: u64 = pack("in");
    const IS: u64 = pack("is");
    const LAMBDA: u64 = pack("lambda");
    const NONLOCAL: u64 = pack("nonlocal");
    const NOT: u64 = pack("not");
    const OR: u64 = pack("or");
    const PASS: u64 = pack("pass");
    const RAISE: u64 = pack("raise");
    const RETURN: u64 = pack("return");
    const TRY: u64 = pack("try");
    const WHILE: u64 = pack("while");
    const WITH: u64 = pack("with");
    const YIELD: u64 = pack("yield");
    matches!(
        word,
        FALSE
            | NONE
            | TRUE
            | AND
            | AS
            | ASSERT
            | ASYNC
            | AWAIT
            | BREAK
            | CLASS
            | CONTINUE
            | DEF
            | DEL
            | ELIF
            | ELSE
            | EXCEPT
            | FINALLY
            | FOR
            | FROM
            | GLOBAL
            | IF
            | IMPORT
            | IN
            | IS
            | LAMBDA
            | NONLOCAL
            | NOT
            | OR
            | PASS
            | RAISE
            | RETURN
            | TRY
            | WHILE
            | WITH
            | YIELD
    )
}
