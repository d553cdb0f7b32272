//! Decides whether CPython 3.11's `ast.parse` accepts a file, and collects the
//! `def`/`class` spans that give qualnames.
//!
//! A recursive-descent recogniser for the 3.11 PEG grammar: it builds no tree,
//! only a small summary of each expression ([`expr::Ex`]) so that targets of
//! assignments, `del`, `for` and `with` are validated as the grammar's
//! `star_targets`/`single_target`/`del_targets` rules do. Checks that CPython
//! makes while parsing but outside the grammar are here too: string literal
//! contents and f-string expressions ([`literal`]), identifiers and numbers
//! glued to names ([`prepare`]). Errors raised only by the compiler or symbol
//! table (`return` outside a function, duplicate arguments) are not errors of
//! `ast.parse` and are not reported. Deep nesting is bounded (CPython also
//! gives up), so no input can overflow the stack.

mod expr;
mod literal;
mod pattern;
mod prepare;
mod stmt;

use super::tokenizer::Tokens;
use super::tokenizer::{Kind, Token};
use super::word::pack;
use crate::Scope;

/// The scopes of a file that `ast.parse` accepts; `None` when it rejects it.
pub fn scopes(text: &str, tokens: &Tokens) -> Option<Vec<Scope>> {
    let toks = prepare::prepare(text, tokens)?;
    let mut parser = Parser::new(text, &toks);
    parser.file().ok()?;
    Some(parser.scopes)
}

/// Whether `text` parses as the body of an f-string replacement field, which
/// CPython 3.11 compiles as `(` + text + `)` in `fstring` mode.
pub(crate) fn fstring_expression_ok(text: &str, depth: u32) -> bool {
    let wrapped = format!("({text})");
    let tokens = super::tokenizer::tokenize(&wrapped);
    let Some(toks) = prepare::prepare(&wrapped, &tokens) else {
        return false;
    };
    let mut parser = Parser::new(&wrapped, &toks);
    parser.depth = depth;
    let ok = parser.star_expressions().is_ok();
    while parser.kind() == Kind::Newline {
        parser.bump();
    }
    ok && parser.kind() == Kind::End
}

/// The parse failed: the grammar (or a check CPython makes) rejects the file.
#[derive(Debug)]
pub(crate) struct Fail;

pub(crate) type R<T> = Result<T, Fail>;

/// Nesting limit for recursive rules. CPython 3.11 turns an AST deeper than
/// about 3,000 levels into a RecursionError; from a shallow call stack a chain
/// of 2,988 unary operators still parses and 2,989 do not, which this matches.
const MAX_DEPTH: u32 = 2989;

pub(crate) struct Parser<'a> {
    text: &'a str,
    toks: &'a [Token],
    pos: usize,
    depth: u32,
    scopes: Vec<Scope>,
    qualname: Vec<String>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, toks: &'a [Token]) -> Self {
        Parser {
            text,
            toks,
            pos: 0,
            depth: 0,
            scopes: Vec::new(),
            qualname: Vec::new(),
        }
    }

    fn tok(&self) -> &Token {
        // The stream always ends with an End token.
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn kind(&self) -> Kind {
        self.tok().kind
    }

    fn text_of(&self, t: &Token) -> &'a str {
        &self.text[t.start as usize..t.end as usize]
    }

    fn peek_text(&self, ahead: usize) -> &'a str {
        match self.toks.get(self.pos + ahead) {
            Some(t) if matches!(t.kind, Kind::Name | Kind::Op) => self.text_of(t),
            _ => "",
        }
    }

    fn bump(&mut self) {
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
    }

    /// Whether the current token is the operator `s`.
    #[inline]
    fn at_op(&self, s: &str) -> bool {
        let t = self.tok();
        t.kind == Kind::Op && t.word == pack(s)
    }

    /// Whether the current token is the (hard or soft) keyword `s`.
    #[inline]
    fn at_kw(&self, s: &str) -> bool {
        let t = self.tok();
        t.kind == Kind::Name && t.word == pack(s)
    }

    /// Whether the current token is a NAME usable as an identifier.
    fn at_name(&self) -> bool {
        let t = self.tok();
        t.kind == Kind::Name && !t.keyword
    }

    fn eat_op(&mut self, s: &str) -> bool {
        let hit = self.at_op(s);
        if hit {
            self.bump();
        }
        hit
    }

    fn eat_kw(&mut self, s: &str) -> bool {
        let hit = self.at_kw(s);
        if hit {
            self.bump();
        }
        hit
    }

    fn expect_op(&mut self, s: &str) -> R<()> {
        if self.eat_op(s) {
            Ok(())
        } else {
            Err(Fail)
        }
    }

    fn expect_kw(&mut self, s: &str) -> R<()> {
        if self.eat_kw(s) {
            Ok(())
        } else {
            Err(Fail)
        }
    }

    fn expect_name(&mut self) -> R<()> {
        if self.at_name() {
            self.bump();
            Ok(())
        } else {
            Err(Fail)
        }
    }

    fn expect(&mut self, kind: Kind) -> R<()> {
        if self.kind() == kind {
            self.bump();
            Ok(())
        } else {
            Err(Fail)
        }
    }

    /// Enters a recursive rule; fails past the nesting limit.
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Fail);
        }
        Ok(())
    }

    /// A left-nested chain (`a.b.c`, `1 + 2 + 3`) of `length` nodes under
    /// the current depth must stay within the limit too.
    fn within_depth(&self, length: u32) -> R<()> {
        if self.depth + length > MAX_DEPTH {
            return Err(Fail);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Runs `f` as a PEG alternative: on failure the position (and any scope
    /// recorded meanwhile) is restored.
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> Option<T> {
        let saved = (self.pos, self.scopes.len(), self.qualname.len(), self.depth);
        match f(self) {
            Ok(value) => Some(value),
            Err(Fail) => {
                self.pos = saved.0;
                self.scopes.truncate(saved.1);
                self.qualname.truncate(saved.2);
                self.depth = saved.3;
                None
            }
        }
    }

    /// End line of the last token consumed that belongs to a statement
    /// (NEWLINE, INDENT, DEDENT and `;` do not), for `end_lineno`.
    fn last_end_line(&self) -> u32 {
        self.toks[..self.pos]
            .iter()
            .rev()
            .find(|t| {
                let structural = matches!(t.kind, Kind::Newline | Kind::Indent | Kind::Dedent);
                let semicolon = t.kind == Kind::Op && self.text_of(t) == ";";
                !structural && !semicolon
            })
            .map_or(1, |t| t.end_line)
    }
}
