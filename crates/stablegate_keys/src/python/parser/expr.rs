//! Expressions of the Python 3.11 grammar, from `star_expressions` down to
//! atoms, calls, subscripts, displays, comprehensions and lambdas.
//!
//! Each rule returns an [`Ex`]: which target rules the expression would also
//! satisfy. No tree is built; left-nested chains (binary operators, trailers)
//! report their height so that CPython's AST depth limit can be applied.
//!
//! Longer than the house limit because the expression grammar is one
//! mutually recursive family (from `star_expressions` down to atoms and back
//! through displays and calls); statements, patterns and literals are apart.

use super::{Fail, Parser, R};
use crate::python::tokenizer::Kind;

/// What an expression may also be, as a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ex(u8);

impl Ex {
    /// Valid in `star_targets` (assignment, `for`, `with ... as`).
    pub const STAR: u8 = 1;
    /// Valid in `del_targets`.
    pub const DEL: u8 = 2;
    /// Valid as `single_target` (augmented and annotated assignment).
    pub const SINGLE: u8 = 4;
    /// A starred expression `*x`.
    pub const STARRED: u8 = 8;
    /// An assignment expression `x := v`.
    pub const WALRUS: u8 = 16;

    pub const NONE: Ex = Ex(0);
    const TARGET: Ex = Ex(Self::STAR | Self::DEL | Self::SINGLE);

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

/// Target flags of a tuple or list display from its elements'.
fn sequence(all_star: bool, all_del: bool) -> Ex {
    let mut flags = 0;
    if all_star {
        flags |= Ex::STAR;
    }
    if all_del {
        flags |= Ex::DEL;
    }
    Ex(flags)
}

/// Accumulates element flags of a tuple or list.
struct Elements {
    star: bool,
    del: bool,
}

impl Elements {
    fn new() -> Self {
        Elements {
            star: true,
            del: true,
        }
    }

    fn add(&mut self, e: Ex) {
        self.star &= e.has(Ex::STAR);
        self.del &= e.has(Ex::DEL) && !e.has(Ex::STARRED);
    }

    fn finish(&self) -> Ex {
        sequence(self.star, self.del)
    }
}

impl Parser<'_> {
    /// Whether the current token can begin an expression.
    pub(crate) fn starts_expression(&self) -> bool {
        match self.kind() {
            Kind::Number | Kind::String => true,
            Kind::Name => {
                !self.tok().keyword
                    || matches!(
                        self.peek_text(0),
                        "not" | "lambda" | "await" | "None" | "True" | "False"
                    )
            }
            Kind::Op => matches!(
                self.text_of(self.tok()),
                "(" | "[" | "{" | "-" | "+" | "~" | "*" | "..."
            ),
            _ => false,
        }
    }

    /// `star_expressions`: one or more `star_expression`, a tuple if commas.
    pub(crate) fn star_expressions(&mut self) -> R<Ex> {
        let first = self.star_expression()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut elements = Elements::new();
        elements.add(first);
        while self.eat_op(",") {
            if !self.starts_expression() {
                break;
            }
            let e = self.star_expression()?;
            elements.add(e);
        }
        Ok(elements.finish())
    }

    /// `star_expression`: `'*' bitwise_or | expression`.
    pub(crate) fn star_expression(&mut self) -> R<Ex> {
        if self.eat_op("*") {
            return self.starred_tail();
        }
        self.expression()
    }

    fn starred_tail(&mut self) -> R<Ex> {
        let inner = self.bitwise_or()?;
        let mut flags = Ex::STARRED;
        if inner.has(Ex::STAR) && !inner.has(Ex::STARRED) {
            flags |= Ex::STAR;
        }
        Ok(Ex(flags))
    }

    /// `star_named_expression`: `'*' bitwise_or | named_expression`.
    pub(crate) fn star_named_expression(&mut self) -> R<Ex> {
        if self.eat_op("*") {
            return self.starred_tail();
        }
        self.named_expression()
    }

    /// `named_expression`: `NAME ':=' expression | expression !':='`.
    pub(crate) fn named_expression(&mut self) -> R<Ex> {
        if self.at_name() && self.peek_text(1) == ":=" {
            self.bump();
            self.bump();
            self.expression()?;
            return Ok(Ex(Ex::WALRUS));
        }
        let e = self.expression()?;
        if self.at_op(":=") {
            return Err(Fail);
        }
        Ok(e)
    }

    /// `expression`: a conditional expression, a disjunction or a lambda.
    pub(crate) fn expression(&mut self) -> R<Ex> {
        self.enter()?;
        let result = self.expression_inner();
        self.leave();
        result
    }

    fn expression_inner(&mut self) -> R<Ex> {
        if self.at_kw("lambda") {
            self.lambdef()?;
            return Ok(Ex::NONE);
        }
        let e = self.disjunction()?;
        if self.eat_kw("if") {
            self.disjunction()?;
            self.expect_kw("else")?;
            self.expression()?;
            return Ok(Ex::NONE);
        }
        Ok(e)
    }

    /// `disjunction` / `conjunction`: `or` and `and` chains of inversions.
    pub(crate) fn disjunction(&mut self) -> R<Ex> {
        let mut e = self.inversion()?;
        while self.eat_kw("or") || self.eat_kw("and") {
            self.inversion()?;
            e = Ex::NONE;
        }
        Ok(e)
    }

    fn inversion(&mut self) -> R<Ex> {
        if self.eat_kw("not") {
            self.enter()?;
            let result = self.inversion();
            self.leave();
            result?;
            return Ok(Ex::NONE);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> R<Ex> {
        let mut e = self.bitwise_or()?;
        loop {
            let op = self.peek_text(0);
            let is_op =
                self.kind() == Kind::Op && matches!(op, "==" | "!=" | "<" | "<=" | ">" | ">=");
            if is_op || self.at_kw("in") {
                self.bump();
            } else if self.at_kw("not") && self.peek_text(1) == "in" {
                self.bump();
                self.bump();
            } else if self.at_kw("is") {
                self.bump();
                self.eat_kw("not");
            } else {
                return Ok(e);
            }
            self.bitwise_or()?;
            e = Ex::NONE;
        }
    }

    /// `bitwise_or` down to `term`: binary operators by precedence climbing.
    pub(crate) fn bitwise_or(&mut self) -> R<Ex> {
        self.binary(0).map(|(e, _)| e)
    }

    /// Binary operators of precedence `min` and tighter; returns the
    /// expression and the height of its left-nested operator tree, which
    /// counts towards CPython's AST depth limit.
    fn binary(&mut self, min: u8) -> R<(Ex, u32)> {
        let (mut e, mut height) = self.factor()?;
        while let Some(level) = self.binary_operator().filter(|&level| level >= min) {
            self.bump();
            let (_, right) = self.binary(level + 1)?;
            height = 1 + height.max(right);
            self.within_depth(height)?;
            e = Ex::NONE;
        }
        Ok((e, height))
    }

    /// Precedence of the binary operator at the cursor, loosest first.
    fn binary_operator(&self) -> Option<u8> {
        if self.kind() != Kind::Op {
            return None;
        }
        match self.peek_text(0) {
            "|" => Some(1),
            "^" => Some(2),
            "&" => Some(3),
            "<<" | ">>" => Some(4),
            "+" | "-" => Some(5),
            "*" | "/" | "//" | "%" | "@" => Some(6),
            _ => None,
        }
    }

    /// `factor` and `power`: unary operators, `await`, and `**`.
    fn factor(&mut self) -> R<(Ex, u32)> {
        if self.kind() == Kind::Op && matches!(self.peek_text(0), "+" | "-" | "~") {
            self.bump();
            self.enter()?;
            let result = self.factor();
            self.leave();
            let (_, height) = result?;
            return Ok((Ex::NONE, height + 1));
        }
        let awaited = self.eat_kw("await");
        let (mut e, mut height) = self.primary()?;
        if awaited {
            e = Ex::NONE;
            height += 1;
        }
        if self.eat_op("**") {
            self.enter()?;
            let result = self.factor();
            self.leave();
            let (_, right) = result?;
            return Ok((Ex::NONE, 1 + height.max(right)));
        }
        Ok((e, height))
    }

    /// `primary`: an atom followed by attribute, call and subscript
    /// trailers; returns the number of trailers as the height.
    pub(crate) fn primary(&mut self) -> R<(Ex, u32)> {
        let mut e = self.atom()?;
        let mut trailers = 0;
        loop {
            if trailers > 0 {
                self.within_depth(trailers)?;
            }
            if self.eat_op(".") {
                self.expect_name()?;
                e = Ex::TARGET;
            } else if self.eat_op("(") {
                self.arguments(true)?;
                e = Ex::NONE;
            } else if self.eat_op("[") {
                self.slices()?;
                e = Ex::TARGET;
            } else {
                return Ok((e, trailers));
            }
            trailers += 1;
        }
    }

    fn atom(&mut self) -> R<Ex> {
        match self.kind() {
            Kind::Name => {
                let t = self.peek_text(0);
                if matches!(t, "None" | "True" | "False") {
                    self.bump();
                    Ok(Ex::NONE)
                } else if self.tok().keyword {
                    Err(Fail)
                } else {
                    self.bump();
                    Ok(Ex::TARGET)
                }
            }
            Kind::Number => {
                self.bump();
                Ok(Ex::NONE)
            }
            Kind::String => {
                self.strings()?;
                Ok(Ex::NONE)
            }
            Kind::Op => match self.peek_text(0) {
                "..." => {
                    self.bump();
                    Ok(Ex::NONE)
                }
                "(" => {
                    self.bump();
                    self.enter()?;
                    let result = self.paren_atom();
                    self.leave();
                    result
                }
                "[" => {
                    self.bump();
                    self.enter()?;
                    let result = self.list_atom();
                    self.leave();
                    result
                }
                "{" => {
                    self.bump();
                    self.enter()?;
                    let result = self.brace_atom();
                    self.leave();
                    result.map(|()| Ex::NONE)
                }
                _ => Err(Fail),
            },
            _ => Err(Fail),
        }
    }

    fn at_comprehension(&self) -> bool {
        self.at_kw("for") || (self.at_kw("async") && self.peek_text(1) == "for")
    }

    /// After `(`: an empty tuple, a group, a tuple or a generator expression.
    fn paren_atom(&mut self) -> R<Ex> {
        if self.eat_op(")") {
            return Ok(sequence(true, true));
        }
        if self.at_kw("yield") {
            self.yield_expr()?;
            self.expect_op(")")?;
            return Ok(Ex::NONE);
        }
        let first = self.star_named_expression()?;
        if self.at_comprehension() {
            if first.has(Ex::STARRED) {
                return Err(Fail);
            }
            self.for_if_clauses()?;
            self.expect_op(")")?;
            return Ok(Ex::NONE);
        }
        if self.eat_op(")") {
            if first.has(Ex::STARRED) {
                return Err(Fail);
            }
            // A parenthesised assignment expression is an ordinary atom.
            return Ok(Ex(first.0 & !Ex::WALRUS));
        }
        let mut elements = Elements::new();
        elements.add(first);
        self.expect_op(",")?;
        while !self.at_op(")") {
            let e = self.star_named_expression()?;
            elements.add(e);
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        Ok(elements.finish())
    }

    /// After `[`: a list display or a list comprehension.
    fn list_atom(&mut self) -> R<Ex> {
        if self.eat_op("]") {
            return Ok(sequence(true, true));
        }
        let first = self.star_named_expression()?;
        if self.at_comprehension() {
            if first.has(Ex::STARRED) {
                return Err(Fail);
            }
            self.for_if_clauses()?;
            self.expect_op("]")?;
            return Ok(Ex::NONE);
        }
        let mut elements = Elements::new();
        elements.add(first);
        while self.eat_op(",") {
            if self.at_op("]") {
                break;
            }
            let e = self.star_named_expression()?;
            elements.add(e);
        }
        self.expect_op("]")?;
        Ok(elements.finish())
    }

    /// After `{`: a dict or set display or comprehension.
    fn brace_atom(&mut self) -> R<()> {
        if self.eat_op("}") {
            return Ok(());
        }
        let is_dict = if self.eat_op("**") {
            self.bitwise_or()?;
            if self.at_comprehension() {
                return Err(Fail);
            }
            true
        } else {
            let first = self.star_named_expression()?;
            if self.eat_op(":") {
                if first.has(Ex::STARRED) || first.has(Ex::WALRUS) {
                    return Err(Fail);
                }
                self.expression()?;
                true
            } else {
                if self.at_comprehension() && first.has(Ex::STARRED) {
                    return Err(Fail);
                }
                false
            }
        };
        if self.at_comprehension() {
            self.for_if_clauses()?;
            return self.expect_op("}");
        }
        while self.eat_op(",") {
            if self.at_op("}") {
                break;
            }
            if is_dict {
                if self.eat_op("**") {
                    self.bitwise_or()?;
                } else {
                    self.expression()?;
                    self.expect_op(":")?;
                    self.expression()?;
                }
            } else {
                self.star_named_expression()?;
            }
        }
        self.expect_op("}")
    }

    /// `for_if_clauses`: one or more `[async] for targets in disjunction
    /// (if disjunction)*`.
    pub(crate) fn for_if_clauses(&mut self) -> R<()> {
        while self.at_comprehension() {
            self.eat_kw("async");
            self.expect_kw("for")?;
            self.star_targets()?;
            self.expect_kw("in")?;
            self.disjunction()?;
            while self.eat_kw("if") {
                self.disjunction()?;
            }
        }
        Ok(())
    }

    /// `star_targets` where an expression cannot be used to find the end
    /// (before `in` of a `for`).
    pub(crate) fn star_targets(&mut self) -> R<()> {
        self.star_target()?;
        while self.eat_op(",") {
            if self.at_kw("in") || self.at_op("=") || self.at_op(":") || self.at_op(")") {
                break;
            }
            self.star_target()?;
        }
        Ok(())
    }

    /// `star_target`: `'*' target` or a target (a name, attribute, subscript,
    /// or a parenthesised or bracketed sequence of targets).
    pub(crate) fn star_target(&mut self) -> R<()> {
        let starred = self.eat_op("*");
        if starred && self.at_op("*") {
            return Err(Fail);
        }
        let (e, _) = self.primary()?;
        if e.has(Ex::STAR) && !e.has(Ex::STARRED) {
            Ok(())
        } else {
            Err(Fail)
        }
    }

    /// `yield_expr`: `yield from expression | yield [star_expressions]`.
    pub(crate) fn yield_expr(&mut self) -> R<()> {
        self.expect_kw("yield")?;
        if self.eat_kw("from") {
            self.expression()?;
        } else if self.starts_expression() {
            self.star_expressions()?;
        }
        Ok(())
    }

    fn lambdef(&mut self) -> R<()> {
        self.expect_kw("lambda")?;
        self.parameters(false, ":")?;
        self.expect_op(":")?;
        self.expression()?;
        Ok(())
    }

    /// Call arguments after `(`, through `)`. `genexp` allows a lone
    /// generator expression (`f(x for x in y)`), which class bases do not.
    pub(crate) fn arguments(&mut self, genexp: bool) -> R<()> {
        // 0: positional allowed; 1: after a keyword; 2: after `**`.
        let mut state = 0;
        let mut count = 0;
        while !self.at_op(")") {
            count += 1;
            if self.at_name() && self.peek_text(1) == "=" {
                self.bump();
                self.bump();
                self.expression()?;
                state = state.max(1);
            } else if self.eat_op("*") {
                if state == 2 {
                    return Err(Fail);
                }
                self.expression()?;
            } else if self.eat_op("**") {
                self.expression()?;
                state = 2;
            } else {
                if state > 0 {
                    return Err(Fail);
                }
                self.named_expression()?;
                if self.at_op("=") {
                    return Err(Fail);
                }
                if self.at_comprehension() {
                    if !genexp || count > 1 {
                        return Err(Fail);
                    }
                    self.for_if_clauses()?;
                    return self.expect_op(")");
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")
    }

    /// Subscript contents after `[`, through `]`.
    fn slices(&mut self) -> R<()> {
        loop {
            if self.eat_op("*") {
                self.expression()?;
            } else {
                let mut is_slice = self.at_op(":");
                if !is_slice {
                    let e = self.named_expression()?;
                    is_slice = self.at_op(":");
                    if is_slice && e.has(Ex::WALRUS) {
                        return Err(Fail);
                    }
                }
                if is_slice {
                    self.bump();
                    if !self.at_op(":") && !self.at_op(",") && !self.at_op("]") {
                        self.expression()?;
                    }
                    if self.eat_op(":") && !self.at_op(",") && !self.at_op("]") {
                        self.expression()?;
                    }
                }
            }
            if !self.eat_op(",") || self.at_op("]") {
                break;
            }
        }
        self.expect_op("]")
    }

    /// Parameters of a `def` (with annotations) or `lambda`, up to `close`.
    pub(crate) fn parameters(&mut self, annotations: bool, close: &str) -> R<()> {
        let mut seen_default = false;
        let mut seen_slash = false;
        let mut any_param = false;
        // None: no star yet; Some(false): bare `*`; Some(true): `*args`.
        let mut star: Option<bool> = None;
        let mut after_star = 0;
        while !self.at_op(close) {
            if self.eat_op("/") {
                if seen_slash || star.is_some() || !any_param {
                    return Err(Fail);
                }
                seen_slash = true;
            } else if self.eat_op("**") {
                self.expect_name()?;
                if annotations && self.eat_op(":") {
                    self.expression()?;
                }
                if star == Some(false) && after_star == 0 {
                    return Err(Fail);
                }
                self.eat_op(",");
                return if self.at_op(close) { Ok(()) } else { Err(Fail) };
            } else if self.eat_op("*") {
                if star.is_some() {
                    return Err(Fail);
                }
                if self.at_name() {
                    self.bump();
                    if annotations && self.eat_op(":") {
                        self.star_expression()?;
                    }
                    star = Some(true);
                } else {
                    star = Some(false);
                }
            } else {
                self.expect_name()?;
                if annotations && self.eat_op(":") {
                    self.expression()?;
                }
                let has_default = self.eat_op("=");
                if has_default {
                    self.expression()?;
                }
                if star.is_none() {
                    if seen_default && !has_default {
                        return Err(Fail);
                    }
                    seen_default |= has_default;
                } else {
                    after_star += 1;
                }
                any_param = true;
            }
            if !self.eat_op(",") {
                break;
            }
        }
        if star == Some(false) && after_star == 0 {
            return Err(Fail);
        }
        Ok(())
    }
}
