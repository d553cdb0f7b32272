//! A token-for-token emulation of CPython 3.11's pure-Python `tokenize`
//! module (`tokenize.generate_tokens`).
//!
//! The keys' tokens are defined by that module, quirks included: its regular
//! expressions (leftmost-first alternation, `\w` meaning "alphanumeric or `_`"),
//! its ERRORTOKENs for stray characters (a space before a `$` is an ERRORTOKEN
//! too), its handling of unterminated strings, and the exceptions that end it
//! (`TokenError` at end of file inside a bracket or string, `IndentationError`
//! on a bad dedent) — the tokens produced before the exception stand. Each
//! pattern below names the regular expression of `tokenize.py` it implements.
//!
//! Besides the tokens, this pass records the lexical errors CPython's C
//! tokenizer raises that the Python module does not (tabs inconsistent with
//! spaces, too deep indentation or bracket nesting): [`Tokens::c_error`] tells
//! the parser the file cannot parse. Deciding grammar errors is not done here.
//!
//! The file is longer than the house limit on purpose: the line loop of
//! `_tokenize` and each of its regular expressions sit side by side so they
//! can be checked against `tokenize.py` in one read; split, the leftmost-first
//! order that the keys depend on would be spread over several files.

use crate::python::word::{is_keyword_word, word_at};

/// What a token is, as `tokenize` types it (COMMENT and NL are not kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Name,
    Number,
    String,
    Op,
    ErrorToken,
    Newline,
    Indent,
    Dedent,
    /// The end of the stream: always the last token, for the parser.
    End,
}

impl Kind {
    /// Whether the token belongs in a key (SPEC §2.1 drops the rest).
    pub fn is_code(self) -> bool {
        matches!(
            self,
            Kind::Name | Kind::Number | Kind::Op | Kind::ErrorToken
        )
    }
}

/// One token: byte offsets into the text and 1-based start and end lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// A NAME that is a hard keyword (cannot be an identifier).
    pub keyword: bool,
    /// For NAME and OP, the text packed by [`crate::python::word::pack`]
    /// (`u64::MAX` past eight bytes), so the parser compares integers; 0
    /// for other kinds.
    pub word: u64,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub end_line: u32,
}

/// Why `tokenize` stopped before the end of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `TokenError`: end of file inside a multi-line string or statement.
    TokenError,
    /// `IndentationError`: a dedent to a column that matches no outer level.
    Indentation,
}

/// The token stream of one file.
#[derive(Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    /// Set when `tokenize` raised before the end of the text.
    pub stop: Option<Stop>,
    /// Tokens before this index are the ones `tokenize` produced; after an
    /// IndentationError lexing goes on for the parser, as CPython's C
    /// tokenizer may accept what `tokenize` rejects.
    pub key_end: usize,
    /// Set when CPython's C tokenizer rejects the text for a reason the
    /// token stream does not show (TabError, nesting limits).
    pub c_error: bool,
    /// Number of lines of the text (a final line without `\n` counts).
    pub line_count: u32,
    /// Set when the stream is exactly what CPython's C tokenizer would hand
    /// its parser: no ERRORTOKEN, no name or operator with a non-ASCII
    /// byte, no name or number glued to the end of a number. Otherwise the
    /// parser's stream must be prepared (`parser::prepare`).
    pub plain: bool,
}

const TABSIZE: usize = 8;
/// CPython's `MAXINDENT`: more indentation levels is a syntax error.
const MAX_INDENT: usize = 100;
/// CPython's `MAXLEVEL`: more nested brackets is a syntax error.
const MAX_LEVEL: usize = 200;

/// Tokenizes newline-normalised text like `tokenize.generate_tokens`.
pub fn tokenize(text: &str) -> Tokens {
    let mut lexer = Lexer {
        src: text.as_bytes(),
        out: Tokens {
            tokens: Vec::with_capacity(text.len() / 6 + 16),
            plain: true,
            ..Tokens::default()
        },
        py_indents: vec![0],
        indents: vec![0],
        alt_indents: vec![0],
        pending: None,
        needcont: false,
        parenlev: 0,
        bracket_depth: 0,
    };
    // `ast.parse` refuses any NUL byte ("source code string cannot contain
    // null bytes"); `tokenize` just makes it an ERRORTOKEN.
    lexer.out.c_error = memchr::memchr(0, text.as_bytes()).is_some();
    lexer.out.line_count = count_lines(text.as_bytes());
    lexer.run();
    if !lexer.out.c_error {
        lexer.finish();
    }
    if lexer.out.stop != Some(Stop::Indentation) {
        lexer.out.key_end = lexer.out.tokens.len();
    }
    let (end, line) = lexer
        .out
        .tokens
        .last()
        .map_or((0, 1), |t| (t.end as usize, t.end_line));
    lexer.push(Kind::End, end, end, line, line);
    lexer.out
}

fn count_lines(src: &[u8]) -> u32 {
    let newlines = memchr::memchr_iter(b'\n', src).count();
    let tail = usize::from(!src.is_empty() && src[src.len() - 1] != b'\n');
    (newlines + tail) as u32
}

/// Indentation measured so far on a statement line that began with
/// whitespace and a backslash continuation (`cont_line_col`).
#[derive(Clone, Copy)]
struct PendingIndent {
    column: usize,
    alt_column: usize,
    cont_column: usize,
}

/// A string that continues past the end of its first line.
struct ContStr {
    start: usize,
    line: u32,
    quote: u8,
    triple: bool,
}

struct Lexer<'a> {
    src: &'a [u8],
    out: Tokens,
    /// `tokenize`'s indentation stack: only decides its IndentationError.
    py_indents: Vec<usize>,
    /// The C tokenizer's stacks (`indstack`, `altindstack`): INDENT and
    /// DEDENT tokens for the parser come from these.
    indents: Vec<usize>,
    alt_indents: Vec<usize>,
    /// Indentation being measured across a backslash continuation at the
    /// start of a statement, as the C tokenizer does.
    pending: Option<PendingIndent>,
    /// `tokenize`'s `needcont`: set by a single-quoted string continued with a
    /// backslash, cleared only when a continued string ends. It stays set
    /// after an unterminated one, and then applies to a later triple-quoted
    /// string too (a quirk of `tokenize.py` that keys reproduce).
    needcont: bool,
    /// `tokenize`'s `parenlev`: may go negative on a stray closer.
    parenlev: i64,
    /// Real nesting depth, for the C tokenizer's limit.
    bracket_depth: usize,
}

impl Lexer<'_> {
    #[expect(
        clippy::inline_always,
        reason = "the tokenizer's inner loop; measured (bench/)"
    )]
    #[inline(always)]
    fn push(&mut self, kind: Kind, start: usize, end: usize, line: u32, end_line: u32) {
        let (mut word, mut keyword) = (0, false);
        match kind {
            Kind::Name | Kind::Op => {
                let piece = &self.src[start..end];
                word = word_at(self.src, start, end);
                if kind == Kind::Name {
                    keyword = is_keyword_word(word);
                    self.out.plain &= piece.is_ascii();
                } else {
                    self.out.plain &= piece[0] < 0x80;
                }
            }
            Kind::ErrorToken => self.out.plain = false,
            _ => {}
        }
        if matches!(kind, Kind::Name | Kind::Number) {
            if let Some(prev) = self.out.tokens.last() {
                if prev.end as usize == start && matches!(prev.kind, Kind::Name | Kind::Number) {
                    self.out.plain = false;
                }
            }
        }
        self.out.tokens.push(Token {
            kind,
            keyword,
            word,
            start: start as u32,
            end: end as u32,
            line,
            end_line,
        });
    }

    /// What `tokenize` appends at a normal end: a NEWLINE if the last logical
    /// line lacks one, and a DEDENT per open indentation level.
    fn finish(&mut self) {
        let end = self.src.len();
        let line = self.out.line_count.max(1);
        let needs_newline = matches!(
            self.out.tokens.last(),
            Some(t) if !matches!(t.kind, Kind::Newline | Kind::Dedent)
        );
        if needs_newline {
            self.push(Kind::Newline, end, end, line, line);
        }
        for _ in 1..self.indents.len() {
            self.push(Kind::Dedent, end, end, line, line);
        }
    }

    fn run(&mut self) {
        let src = self.src;
        let mut lnum: u32 = 0;
        let mut line_start = 0usize;
        let mut continued = false;
        let mut contstr: Option<ContStr> = None;
        loop {
            if line_start >= src.len() {
                // readline() returned '': end of input.
                if contstr.is_some() || self.parenlev != 0 || continued {
                    // The C tokenizer fails too; `tokenize` may already have
                    // stopped at an IndentationError.
                    self.out.c_error = true;
                    self.out.stop.get_or_insert(Stop::TokenError);
                }
                return;
            }
            let line_end = match memchr::memchr(b'\n', &src[line_start..]) {
                Some(i) => line_start + i + 1,
                None => src.len(),
            };
            lnum += 1;
            let mut pos = line_start;
            let max = line_end;
            let mut suppress_newline = false;

            if let Some(cs) = contstr.take() {
                match end_of_string(src, pos, max, cs.quote, cs.triple) {
                    Some(end) => {
                        self.push(Kind::String, cs.start, end, cs.line, lnum);
                        self.needcont = false;
                        pos = end;
                    }
                    None => {
                        let ends_with_cont =
                            max - line_start >= 2 && src[max - 1] == b'\n' && src[max - 2] == b'\\';
                        if self.needcont && !ends_with_cont {
                            self.push(Kind::ErrorToken, cs.start, max, cs.line, lnum);
                        } else {
                            contstr = Some(cs);
                        }
                        line_start = line_end;
                        continue;
                    }
                }
            } else if self.parenlev == 0 && !continued {
                // A new statement: measure indentation.
                let mut column = 0usize;
                let mut alt_column = 0usize;
                while pos < max {
                    match src[pos] {
                        b' ' => {
                            column += 1;
                            alt_column += 1;
                        }
                        b'\t' => {
                            column = (column / TABSIZE + 1) * TABSIZE;
                            alt_column += 1;
                        }
                        0x0c => {
                            column = 0;
                            alt_column = 0;
                        }
                        _ => break,
                    }
                    pos += 1;
                }
                if pos == max {
                    // A last line of only whitespace: tokenize stops here.
                    return;
                }
                let c = src[pos];
                if c == b'#' || c == b'\n' {
                    line_start = line_end;
                    continue;
                }
                self.py_indent(column, lnum);
                if c == b'\\' && pos + 1 < max && src[pos + 1] == b'\n' {
                    self.pending = Some(PendingIndent {
                        column,
                        alt_column,
                        cont_column: column,
                    });
                } else {
                    self.c_indent(column, alt_column, pos, lnum);
                }
            } else {
                continued = false;
                if let Some(pending) = self.pending.take() {
                    suppress_newline = self.resume_indent(pending, pos, max, lnum);
                }
            }

            while pos < max {
                let Some((start, end)) = pseudo_token(src, pos, max) else {
                    let width = char_width(src, pos);
                    self.push(Kind::ErrorToken, pos, pos + width, lnum, lnum);
                    pos += width;
                    continue;
                };
                pos = end;
                if start == end {
                    continue;
                }
                let initial = src[start];
                let token = &src[start..end];
                if initial.is_ascii_digit() || (initial == b'.' && token != b"." && token != b"...")
                {
                    self.push(Kind::Number, start, end, lnum, lnum);
                } else if initial == b'\n' {
                    if self.parenlev <= 0 && !suppress_newline {
                        self.push(Kind::Newline, start, end, lnum, lnum);
                    }
                } else if initial == b'#' {
                    // COMMENT: not kept.
                } else if let Some((quote, triple)) = string_open(src, start, end) {
                    if triple {
                        match end_of_string(src, end, max, quote, true) {
                            Some(string_end) => {
                                self.push(Kind::String, start, string_end, lnum, lnum);
                                pos = string_end;
                            }
                            None => {
                                contstr = Some(ContStr {
                                    start,
                                    line: lnum,
                                    quote,
                                    triple: true,
                                });
                                break;
                            }
                        }
                    } else if src[end - 1] == b'\n' {
                        contstr = Some(ContStr {
                            start,
                            line: lnum,
                            quote,
                            triple: false,
                        });
                        self.needcont = true;
                        break;
                    } else {
                        self.push(Kind::String, start, end, lnum, lnum);
                    }
                } else if initial == b'\\' {
                    continued = true;
                } else if is_identifier_start(src, start) {
                    self.push(Kind::Name, start, end, lnum, lnum);
                } else {
                    match initial {
                        b'(' | b'[' | b'{' => {
                            self.parenlev += 1;
                            self.bracket_depth += 1;
                            if self.bracket_depth > MAX_LEVEL {
                                self.out.c_error = true;
                            }
                        }
                        b')' | b']' | b'}' => {
                            self.parenlev -= 1;
                            self.bracket_depth = self.bracket_depth.saturating_sub(1);
                        }
                        _ => {}
                    }
                    self.push(Kind::Op, start, end, lnum, lnum);
                }
            }
            line_start = line_end;
        }
    }

    /// `tokenize`'s dedent check: a dedent to a column that is not on its
    /// stack raises IndentationError, which ends the key tokens here.
    fn py_indent(&mut self, column: usize, lnum: u32) {
        let _ = lnum;
        if self.out.stop.is_some() {
            return;
        }
        if column > *self.py_indents.last().unwrap_or(&0) {
            self.py_indents.push(column);
        }
        while column < *self.py_indents.last().unwrap_or(&0) {
            if !self.py_indents.contains(&column) {
                self.out.stop = Some(Stop::Indentation);
                self.out.key_end = self.out.tokens.len();
                return;
            }
            self.py_indents.pop();
        }
    }

    /// Continues measuring indentation on the line after a continuation at
    /// the start of a statement; returns whether the line is blank for the
    /// C tokenizer (then it yields no NEWLINE).
    fn resume_indent(
        &mut self,
        mut p: PendingIndent,
        mut pos: usize,
        max: usize,
        lnum: u32,
    ) -> bool {
        let src = self.src;
        while pos < max {
            match src[pos] {
                b' ' => {
                    p.column += 1;
                    p.alt_column += 1;
                }
                b'\t' => {
                    p.column = (p.column / TABSIZE + 1) * TABSIZE;
                    p.alt_column += 1;
                }
                0x0c => {
                    p.column = 0;
                    p.alt_column = 0;
                }
                _ => break,
            }
            pos += 1;
        }
        let c = if pos < max { src[pos] } else { b'\n' };
        if c == b'\\' && pos + 1 < max && src[pos + 1] == b'\n' {
            if p.cont_column == 0 {
                p.cont_column = p.column;
            }
            self.pending = Some(p);
            return false;
        }
        if c == b'#' || c == b'\n' {
            return true;
        }
        let (column, alt_column) = if p.cont_column != 0 {
            (p.cont_column, p.cont_column)
        } else {
            (p.column, p.alt_column)
        };
        self.c_indent(column, alt_column, pos, lnum);
        false
    }

    /// The C tokenizer's indentation: INDENT/DEDENT tokens, its dedent
    /// error, the tab-consistency check (`altcol`, tab size 1) and MAXINDENT.
    #[expect(
        clippy::comparison_chain,
        reason = "branch for branch as CPython's tokenizer.c"
    )]
    fn c_indent(&mut self, column: usize, alt_column: usize, pos: usize, lnum: u32) {
        let top = *self.indents.last().unwrap_or(&0);
        let alt_top = *self.alt_indents.last().unwrap_or(&0);
        if column == top {
            if alt_column != alt_top {
                self.out.c_error = true;
            }
        } else if column > top {
            if alt_column <= alt_top {
                self.out.c_error = true;
            }
            self.indents.push(column);
            self.alt_indents.push(alt_column);
            if self.indents.len() > MAX_INDENT {
                self.out.c_error = true;
            }
            self.push(Kind::Indent, pos, pos, lnum, lnum);
        } else {
            while column < *self.indents.last().unwrap_or(&0) {
                self.indents.pop();
                self.alt_indents.pop();
                self.push(Kind::Dedent, pos, pos, lnum, lnum);
            }
            if column != *self.indents.last().unwrap_or(&0)
                || alt_column != *self.alt_indents.last().unwrap_or(&0)
            {
                self.out.c_error = true;
            }
        }
    }
}

/// Width in bytes of the UTF-8 character at `pos` (ERRORTOKENs are one
/// character, not one byte).
fn char_width(src: &[u8], pos: usize) -> usize {
    match src[pos] {
        b if b < 0x80 => 1,
        b if b >= 0xf0 => 4,
        b if b >= 0xe0 => 3,
        _ => 2,
    }
    .min(src.len() - pos)
}

fn decode_char(src: &[u8], pos: usize) -> (char, usize) {
    let width = char_width(src, pos);
    let c = std::str::from_utf8(&src[pos..pos + width])
        .ok()
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{fffd}');
    (c, width)
}

/// Python's `\w` for str patterns: alphanumeric (`str.isalnum`) or `_`.
pub(crate) fn is_word_char(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
    )
}

/// `str.isidentifier()` of the token's first character decides NAME vs OP.
fn is_identifier_start(src: &[u8], pos: usize) -> bool {
    let b = src[pos];
    if b < 0x80 {
        return b.is_ascii_alphabetic() || b == b'_';
    }
    let (c, _) = decode_char(src, pos);
    c == '_' || unicode_ident::is_xid_start(c)
}

/// Length of a valid string prefix (`StringPrefix`) at `pos` followed by a
/// quote, with the quote byte.
fn prefix_then_quote(src: &[u8], pos: usize, max: usize) -> Option<(usize, u8)> {
    let mut letters = [0u8; 2];
    let mut n = 0;
    while n < 3 && pos + n < max {
        let b = src[pos + n];
        if b == b'\'' || b == b'"' {
            let ok = match n {
                0 => true,
                1 => matches!(letters[0], b'b' | b'r' | b'u' | b'f'),
                _ => matches!(
                    (letters[0], letters[1]),
                    (b'b' | b'f', b'r') | (b'r', b'b' | b'f')
                ),
            };
            return ok.then_some((n, b));
        }
        if n == 2 {
            return None;
        }
        letters[n] = b.to_ascii_lowercase();
        n += 1;
    }
    None
}

/// If the matched token opens a string (`single_quoted` / `triple_quoted`),
/// its quote and whether it is triple-quoted. A triple-quoted token is
/// exactly prefix + three quotes (the `Triple` pattern).
fn string_open(src: &[u8], start: usize, end: usize) -> Option<(u8, bool)> {
    let (plen, quote) = prefix_then_quote(src, start, end)?;
    let q = start + plen;
    let triple = end == q + 3 && src[q + 1] == quote && src[q + 2] == quote;
    Some((quote, triple))
}

/// `endpats`: the end of a string continuing from `pos` on this line
/// (`Single`, `Double`, `Single3`, `Double3`), matched like `re.match`.
fn end_of_string(src: &[u8], mut pos: usize, max: usize, quote: u8, triple: bool) -> Option<usize> {
    while pos < max {
        let b = src[pos];
        if b == b'\\' {
            // `\\.`: `.` matches anything but a newline.
            if pos + 1 < max && src[pos + 1] != b'\n' {
                pos += 2;
                continue;
            }
            return None;
        }
        if b == quote {
            if !triple {
                return Some(pos + 1);
            }
            if pos + 2 < max && src[pos + 1] == quote && src[pos + 2] == quote {
                return Some(pos + 3);
            }
        }
        pos += 1;
    }
    None
}

/// `PseudoToken` matched at `pos`: `Whitespace` then the first alternative of
/// `PseudoExtras | Number | Funny | ContStr | Name` that matches. Returns the
/// span of the group (after the whitespace), or `None` when nothing matches.
fn pseudo_token(src: &[u8], pos: usize, max: usize) -> Option<(usize, usize)> {
    let mut p = pos;
    while p < max && matches!(src[p], b' ' | b'\t' | 0x0c) {
        p += 1;
    }
    if p == max {
        return Some((p, p)); // `\Z`
    }
    let c = src[p];
    match c {
        b'\\' => (p + 1 < max && src[p + 1] == b'\n').then_some((p, p + 2)),
        b'#' => Some((
            p,
            memchr::memchr(b'\n', &src[p..max]).map_or(max, |i| p + i),
        )),
        b'\n' => Some((p, p + 1)),
        b'0'..=b'9' => number(src, p, max).map(|e| (p, e)),
        b'.' => number(src, p, max)
            .or_else(|| operator(src, p, max))
            .map(|e| (p, e)),
        b'\'' | b'"' | b'b' | b'B' | b'r' | b'R' | b'u' | b'U' | b'f' | b'F' => {
            // `Triple` comes before `ContStr`, and both before `Name`.
            if let Some(e) = triple_open(src, p, max).or_else(|| cont_str(src, p, max)) {
                return Some((p, e));
            }
            name(src, p, max).map(|e| (p, e))
        }
        _ => operator(src, p, max)
            .or_else(|| name(src, p, max))
            .map(|e| (p, e)),
    }
}

/// `Triple`: a string prefix and three quotes.
fn triple_open(src: &[u8], p: usize, max: usize) -> Option<usize> {
    let (plen, quote) = prefix_then_quote(src, p, max)?;
    let q = p + plen;
    (q + 2 < max && src[q + 1] == quote && src[q + 2] == quote).then_some(q + 3)
}

/// `ContStr`: a single-quoted string closed on this line, or continued by a
/// backslash at its end.
fn cont_str(src: &[u8], p: usize, max: usize) -> Option<usize> {
    let (plen, quote) = prefix_then_quote(src, p, max)?;
    let mut i = p + plen + 1;
    while i < max {
        let b = src[i];
        if b == quote {
            return Some(i + 1);
        }
        if b == b'\n' {
            return None;
        }
        if b == b'\\' {
            if i + 1 >= max {
                return None;
            }
            if src[i + 1] == b'\n' {
                return Some(i + 2);
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}

/// `Name`: `\w+`.
fn name(src: &[u8], p: usize, max: usize) -> Option<usize> {
    let mut e = p;
    while e < max {
        let b = src[e];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() || b == b'_' {
                e += 1;
                continue;
            }
            break;
        }
        let (c, width) = decode_char(src, e);
        if !is_word_char(c) {
            break;
        }
        e += width;
    }
    (e > p).then_some(e)
}

/// `Special`: the longest operator of `token.EXACT_TOKEN_TYPES` at `p`.
fn operator(src: &[u8], p: usize, max: usize) -> Option<usize> {
    let at = |i: usize| if p + i < max { src[p + i] } else { 0 };
    let (b, c) = (at(1), at(2));
    let len = match at(0) {
        // May double, and the doubled form may take `=`: `**=`, `//=`, `<<=`, `>>=`.
        first @ (b'*' | b'/' | b'<' | b'>') => {
            if b == first {
                if c == b'=' {
                    3
                } else {
                    2
                }
            } else if b == b'=' {
                2
            } else {
                1
            }
        }
        b'.' => {
            if b == b'.' && c == b'.' {
                3
            } else {
                1
            }
        }
        b'-' => {
            if b == b'=' || b == b'>' {
                2
            } else {
                1
            }
        }
        // A lone `!` is no operator in 3.11.
        b'!' if b == b'=' => 2,
        b'%' | b'&' | b'+' | b':' | b'=' | b'@' | b'^' | b'|' => {
            if b == b'=' {
                2
            } else {
                1
            }
        }
        b'(' | b')' | b',' | b';' | b'[' | b']' | b'{' | b'}' | b'~' => 1,
        _ => return None,
    };
    Some(p + len)
}

fn byte(src: &[u8], i: usize, max: usize) -> u8 {
    if i < max {
        src[i]
    } else {
        0
    }
}

/// `[0-9](?:_?[0-9])*`
fn digits(src: &[u8], p: usize, max: usize) -> Option<usize> {
    if !byte(src, p, max).is_ascii_digit() {
        return None;
    }
    let mut e = p + 1;
    loop {
        let b = byte(src, e, max);
        if b.is_ascii_digit() {
            e += 1;
        } else if b == b'_' && byte(src, e + 1, max).is_ascii_digit() {
            e += 2;
        } else {
            return Some(e);
        }
    }
}

/// `Exponent`: `[eE][-+]?[0-9](?:_?[0-9])*`
fn exponent(src: &[u8], p: usize, max: usize) -> Option<usize> {
    if !matches!(byte(src, p, max), b'e' | b'E') {
        return None;
    }
    let mut q = p + 1;
    if matches!(byte(src, q, max), b'+' | b'-') {
        q += 1;
    }
    digits(src, q, max)
}

/// `Floatnumber`: `Pointfloat | Expfloat`.
fn float(src: &[u8], p: usize, max: usize) -> Option<usize> {
    let point = match digits(src, p, max) {
        Some(a) if byte(src, a, max) == b'.' => Some(digits(src, a + 1, max).unwrap_or(a + 1)),
        Some(_) => None,
        None if byte(src, p, max) == b'.' => digits(src, p + 1, max),
        None => None,
    };
    if let Some(b) = point {
        return Some(exponent(src, b, max).unwrap_or(b));
    }
    let a = digits(src, p, max)?;
    exponent(src, a, max)
}

fn is_j(b: u8) -> bool {
    b == b'j' || b == b'J'
}

/// `Number`: `Imagnumber | Floatnumber | Intnumber`, leftmost-first.
fn number(src: &[u8], p: usize, max: usize) -> Option<usize> {
    if let Some(a) = digits(src, p, max) {
        if is_j(byte(src, a, max)) {
            return Some(a + 1);
        }
    }
    if let Some(f) = float(src, p, max) {
        if is_j(byte(src, f, max)) {
            return Some(f + 1);
        }
        return Some(f);
    }
    integer(src, p, max)
}

/// `Intnumber`: `Hexnumber | Binnumber | Octnumber | Decnumber`.
fn integer(src: &[u8], p: usize, max: usize) -> Option<usize> {
    let first = byte(src, p, max);
    if first == b'0' {
        let radix_digit: Option<fn(u8) -> bool> = match byte(src, p + 1, max) {
            b'x' | b'X' => Some(|b: u8| b.is_ascii_hexdigit()),
            b'b' | b'B' => Some(|b: u8| b == b'0' || b == b'1'),
            b'o' | b'O' => Some(|b: u8| (b'0'..=b'7').contains(&b)),
            _ => None,
        };
        if let Some(ok) = radix_digit {
            let mut e = p + 2;
            loop {
                let b = byte(src, e, max);
                if ok(b) {
                    e += 1;
                } else if b == b'_' && ok(byte(src, e + 1, max)) {
                    e += 2;
                } else {
                    break;
                }
            }
            if e > p + 2 {
                return Some(e);
            }
        }
        let mut e = p + 1;
        loop {
            let b = byte(src, e, max);
            if b == b'0' {
                e += 1;
            } else if b == b'_' && byte(src, e + 1, max) == b'0' {
                e += 2;
            } else {
                return Some(e);
            }
        }
    }
    if first.is_ascii_digit() {
        return digits(src, p, max);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(Kind, &str)> {
        tokenize(src)
            .tokens
            .iter()
            .filter(|t| t.kind != Kind::End)
            .map(|t| (t.kind, &src[t.start as usize..t.end as usize]))
            .collect()
    }

    #[test]
    fn numbers_follow_leftmost_first_alternation() {
        let got: Vec<_> = texts("0777 1e5j 1.j .5 0x 1__0\n")
            .into_iter()
            .filter(|(k, _)| k.is_code())
            .map(|(_, s)| s)
            .collect();
        assert_eq!(got, ["0", "777", "1e5j", "1.j", ".5", "0", "x", "1", "__0"]);
    }

    #[test]
    fn whitespace_before_a_stray_character_is_an_error_token() {
        let got: Vec<_> = texts("x = $\n").into_iter().map(|(_, s)| s).collect();
        assert_eq!(got, ["x", "=", " ", "$", "\n"]);
    }
}
