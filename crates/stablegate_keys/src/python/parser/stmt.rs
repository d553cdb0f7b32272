//! Statements of the Python 3.11 grammar, blocks, and the `def`/`class` spans
//! that become qualnames (`lineno` of the `def`/`async`/`class` keyword, not of
//! a decorator; `end_lineno` of the last token of the last statement).

use super::expr::Ex;
use super::{Fail, Parser, R};
use crate::python::tokenizer::Kind;
use crate::Scope;

impl Parser<'_> {
    /// `file`: statements up to the end marker.
    pub(crate) fn file(&mut self) -> R<()> {
        while self.kind() != Kind::End {
            self.statement()?;
        }
        Ok(())
    }

    fn statement(&mut self) -> R<()> {
        match self.kind() {
            Kind::Name => match self.peek_text(0) {
                "def" | "class" | "async" => self.definition(),
                "if" => self.if_stmt(),
                "while" => self.while_stmt(),
                "for" => self.for_stmt(),
                "try" => self.try_stmt(),
                "with" => self.with_stmt(),
                "match" => match self.attempt(super::Parser::match_stmt) {
                    Some(()) => Ok(()),
                    None => self.simple_stmts(),
                },
                _ => self.simple_stmts(),
            },
            Kind::Op if self.at_op("@") => {
                while self.eat_op("@") {
                    self.named_expression()?;
                    self.expect(Kind::Newline)?;
                }
                if self.at_kw("def") || self.at_kw("class") || self.at_kw("async") {
                    self.definition()
                } else {
                    Err(Fail)
                }
            }
            Kind::Indent | Kind::Dedent | Kind::End => Err(Fail),
            _ => self.simple_stmts(),
        }
    }

    /// `block`: an indented suite, or simple statements on the same line.
    pub(crate) fn block(&mut self) -> R<()> {
        if self.eat_kind(Kind::Newline) {
            self.expect(Kind::Indent)?;
            self.enter()?;
            while !self.eat_kind(Kind::Dedent) {
                if let Err(fail) = self.statement() {
                    self.leave();
                    return Err(fail);
                }
            }
            self.leave();
            Ok(())
        } else {
            self.simple_stmts()
        }
    }

    fn eat_kind(&mut self, kind: Kind) -> bool {
        let hit = self.kind() == kind;
        if hit {
            self.bump();
        }
        hit
    }

    /// `':' block`.
    fn suite(&mut self) -> R<()> {
        self.expect_op(":")?;
        self.block()
    }

    /// `function_def`, `class_def`, `async` statements; records the scope.
    fn definition(&mut self) -> R<()> {
        let start = self.tok().line;
        if self.eat_kw("async") {
            if self.at_kw("for") {
                return self.for_stmt();
            }
            if self.at_kw("with") {
                return self.with_stmt();
            }
            if !self.at_kw("def") {
                return Err(Fail);
            }
        }
        let is_class = self.at_kw("class");
        self.bump();
        if !self.at_name() {
            return Err(Fail);
        }
        // `ast` stores identifiers NFKC-normalised (PEP 3131): `def ﬁle`
        // is named `file`.
        let raw = self.peek_text(0);
        let name = if raw.is_ascii() {
            raw.to_owned()
        } else {
            use unicode_normalization::UnicodeNormalization;
            raw.nfkc().collect()
        };
        self.bump();
        if is_class {
            if self.eat_op("(") {
                self.arguments(false)?;
            }
        } else {
            self.expect_op("(")?;
            self.parameters(true, ")")?;
            self.expect_op(")")?;
            if self.eat_op("->") {
                self.expression()?;
            }
        }
        self.expect_op(":")?;
        self.qualname.push(name);
        let qualname = self.qualname.join(".");
        let body = self.block();
        self.qualname.pop();
        body?;
        let end = self.last_end_line();
        self.scopes.push(Scope {
            qualname,
            start: start as usize,
            end: end as usize,
        });
        Ok(())
    }

    fn if_stmt(&mut self) -> R<()> {
        self.expect_kw("if")?;
        self.named_expression()?;
        self.suite()?;
        while self.eat_kw("elif") {
            self.named_expression()?;
            self.suite()?;
        }
        self.else_block()
    }

    fn else_block(&mut self) -> R<()> {
        if self.eat_kw("else") {
            self.suite()?;
        }
        Ok(())
    }

    fn while_stmt(&mut self) -> R<()> {
        self.expect_kw("while")?;
        self.named_expression()?;
        self.suite()?;
        self.else_block()
    }

    fn for_stmt(&mut self) -> R<()> {
        self.expect_kw("for")?;
        self.star_targets()?;
        self.expect_kw("in")?;
        self.star_expressions()?;
        self.suite()?;
        self.else_block()
    }

    fn try_stmt(&mut self) -> R<()> {
        self.expect_kw("try")?;
        self.suite()?;
        if self.eat_kw("finally") {
            return self.suite();
        }
        if !self.at_kw("except") {
            return Err(Fail);
        }
        let star = self.peek_text(1) == "*";
        while self.eat_kw("except") {
            if self.eat_op("*") != star {
                return Err(Fail);
            }
            if star || !self.at_op(":") {
                self.expression()?;
                if self.eat_kw("as") {
                    self.expect_name()?;
                }
            }
            self.suite()?;
        }
        self.else_block()?;
        if self.eat_kw("finally") {
            self.suite()?;
        }
        Ok(())
    }

    fn with_stmt(&mut self) -> R<()> {
        self.expect_kw("with")?;
        let parenthesized = self.attempt(|p| {
            p.expect_op("(")?;
            loop {
                p.with_item()?;
                if !p.eat_op(",") || p.at_op(")") {
                    break;
                }
            }
            p.expect_op(")")?;
            if p.at_op(":") {
                Ok(())
            } else {
                Err(Fail)
            }
        });
        if parenthesized.is_none() {
            self.with_item()?;
            while self.eat_op(",") {
                self.with_item()?;
            }
        }
        self.suite()
    }

    /// `with_item`: `expression ['as' star_target]`.
    fn with_item(&mut self) -> R<()> {
        self.expression()?;
        if self.eat_kw("as") {
            self.star_target()?;
            if !(self.at_op(",") || self.at_op(")") || self.at_op(":")) {
                return Err(Fail);
            }
        }
        Ok(())
    }

    /// `simple_stmts`: `;`-separated simple statements ending in NEWLINE.
    fn simple_stmts(&mut self) -> R<()> {
        loop {
            self.simple_stmt()?;
            if !self.eat_op(";") || self.kind() == Kind::Newline {
                break;
            }
        }
        self.expect(Kind::Newline)
    }

    fn simple_stmt(&mut self) -> R<()> {
        if self.kind() == Kind::Name {
            match self.peek_text(0) {
                "pass" | "break" | "continue" => {
                    self.bump();
                    return Ok(());
                }
                "return" => {
                    self.bump();
                    if self.starts_expression() {
                        self.star_expressions()?;
                    }
                    return Ok(());
                }
                "raise" => {
                    self.bump();
                    if self.starts_expression() {
                        self.expression()?;
                        if self.eat_kw("from") {
                            self.expression()?;
                        }
                    }
                    return Ok(());
                }
                "global" | "nonlocal" => {
                    self.bump();
                    self.expect_name()?;
                    while self.eat_op(",") {
                        self.expect_name()?;
                    }
                    return Ok(());
                }
                "del" => {
                    self.bump();
                    let e = self.star_expressions()?;
                    let ends = self.at_op(";") || self.kind() == Kind::Newline;
                    return if e.has(Ex::DEL) && !e.has(Ex::STARRED) && ends {
                        Ok(())
                    } else {
                        Err(Fail)
                    };
                }
                "assert" => {
                    self.bump();
                    self.expression()?;
                    if self.eat_op(",") {
                        self.expression()?;
                    }
                    return Ok(());
                }
                "import" => return self.import_name(),
                "from" => return self.import_from(),
                "yield" => return self.yield_expr(),
                _ => {}
            }
        }
        self.expression_or_assignment()
    }

    fn expression_or_assignment(&mut self) -> R<()> {
        let target = self.star_expressions()?;
        if self.eat_op(":") {
            if !target.has(Ex::SINGLE) {
                return Err(Fail);
            }
            self.expression()?;
            if self.eat_op("=") {
                self.assigned_value()?;
            }
            return Ok(());
        }
        if self.at_op("=") {
            let mut target = target;
            while self.eat_op("=") {
                if !target.has(Ex::STAR) {
                    return Err(Fail);
                }
                if self.at_kw("yield") {
                    self.yield_expr()?;
                    return if self.at_op("=") { Err(Fail) } else { Ok(()) };
                }
                target = self.star_expressions()?;
            }
            return Ok(());
        }
        let augmented = self.kind() == Kind::Op
            && matches!(
                self.peek_text(0),
                "+=" | "-="
                    | "*="
                    | "@="
                    | "/="
                    | "%="
                    | "&="
                    | "|="
                    | "^="
                    | "<<="
                    | ">>="
                    | "**="
                    | "//="
            );
        if augmented {
            if !target.has(Ex::SINGLE) {
                return Err(Fail);
            }
            self.bump();
            self.assigned_value()?;
        }
        Ok(())
    }

    /// The right-hand side of an assignment: `yield_expr | star_expressions`.
    fn assigned_value(&mut self) -> R<()> {
        if self.at_kw("yield") {
            self.yield_expr()
        } else {
            self.star_expressions().map(|_| ())
        }
    }

    fn dotted_name(&mut self) -> R<()> {
        self.expect_name()?;
        while self.eat_op(".") {
            self.expect_name()?;
        }
        Ok(())
    }

    fn import_name(&mut self) -> R<()> {
        self.expect_kw("import")?;
        loop {
            self.dotted_name()?;
            if self.eat_kw("as") {
                self.expect_name()?;
            }
            if !self.eat_op(",") {
                return Ok(());
            }
        }
    }

    fn import_from(&mut self) -> R<()> {
        self.expect_kw("from")?;
        let mut dots = 0;
        while self.at_op(".") || self.at_op("...") {
            dots += 1;
            self.bump();
        }
        if self.at_kw("import") {
            if dots == 0 {
                return Err(Fail);
            }
        } else {
            self.dotted_name()?;
        }
        self.expect_kw("import")?;
        if self.eat_op("*") {
            return Ok(());
        }
        let parenthesized = self.eat_op("(");
        loop {
            self.expect_name()?;
            if self.eat_kw("as") {
                self.expect_name()?;
            }
            if !self.eat_op(",") {
                break;
            }
            if !parenthesized && !self.at_name() {
                return Err(Fail);
            }
            if parenthesized && self.at_op(")") {
                break;
            }
        }
        if parenthesized {
            self.expect_op(")")?;
        }
        Ok(())
    }
}
