//! The `match` statement (PEP 634) and its patterns, with the checks CPython
//! 3.11 makes while parsing them: complex literals need a real left part and an
//! imaginary right part, `_` is not a capture target, keyword patterns come
//! after positional ones.

use super::{Fail, Parser, R};
use crate::python::tokenizer::Kind;

impl<'a> Parser<'a> {
    /// `match_stmt`: `"match" subject ':' NEWLINE INDENT case_block+ DEDENT`.
    pub(crate) fn match_stmt(&mut self) -> R<()> {
        self.expect_kw("match")?;
        let first_starred = self.at_op("*");
        self.star_named_expression()?;
        if self.eat_op(",") {
            while !self.at_op(":") {
                self.star_named_expression()?;
                if !self.eat_op(",") {
                    break;
                }
            }
        } else if first_starred {
            return Err(Fail);
        }
        self.expect_op(":")?;
        self.expect(Kind::Newline)?;
        self.expect(Kind::Indent)?;
        if !self.at_kw("case") {
            return Err(Fail);
        }
        while self.eat_kw("case") {
            self.patterns()?;
            if self.eat_kw("if") {
                self.named_expression()?;
            }
            self.expect_op(":")?;
            self.block()?;
        }
        self.expect(Kind::Dedent)
    }

    /// `patterns`: an open sequence pattern or a single pattern.
    fn patterns(&mut self) -> R<()> {
        let first_star = self.maybe_star_pattern()?;
        if self.eat_op(",") {
            while !self.at_op(":") && !self.at_kw("if") {
                self.maybe_star_pattern()?;
                if !self.eat_op(",") {
                    break;
                }
            }
            Ok(())
        } else if first_star {
            Err(Fail)
        } else {
            Ok(())
        }
    }

    /// A pattern or a star pattern; returns whether it was a star pattern.
    fn maybe_star_pattern(&mut self) -> R<bool> {
        if self.eat_op("*") {
            if !self.at_name() {
                return Err(Fail);
            }
            self.bump();
            return Ok(true);
        }
        self.pattern()?;
        Ok(false)
    }

    /// `pattern`: `or_pattern ['as' capture_target]`.
    fn pattern(&mut self) -> R<()> {
        self.enter()?;
        let result = self.pattern_inner();
        self.leave();
        result
    }

    fn pattern_inner(&mut self) -> R<()> {
        self.closed_pattern()?;
        while self.eat_op("|") {
            self.closed_pattern()?;
        }
        if self.eat_kw("as") {
            self.capture_target()?;
        }
        Ok(())
    }

    /// `pattern_capture_target`: a name other than `_`, not followed by
    /// `.`, `(` or `=`.
    fn capture_target(&mut self) -> R<()> {
        if !self.at_name() || self.peek_text(0) == "_" {
            return Err(Fail);
        }
        self.bump();
        if self.at_op(".") || self.at_op("(") || self.at_op("=") {
            return Err(Fail);
        }
        Ok(())
    }

    fn closed_pattern(&mut self) -> R<()> {
        match self.kind() {
            Kind::Number => self.number_pattern(),
            Kind::String => self.strings(),
            Kind::Op if self.at_op("-") => self.number_pattern(),
            Kind::Op if self.eat_op("(") => {
                if self.eat_op(")") {
                    return Ok(());
                }
                let star = self.maybe_star_pattern()?;
                if self.eat_op(")") {
                    return if star { Err(Fail) } else { Ok(()) };
                }
                self.expect_op(",")?;
                self.sequence_rest(")")
            }
            Kind::Op if self.eat_op("[") => self.sequence_rest("]"),
            Kind::Op if self.eat_op("{") => self.mapping_pattern(),
            Kind::Name => {
                let t = self.peek_text(0);
                if matches!(t, "None" | "True" | "False") {
                    self.bump();
                    return Ok(());
                }
                if !self.at_name() {
                    return Err(Fail);
                }
                self.bump();
                while self.eat_op(".") {
                    self.expect_name()?;
                }
                if self.eat_op("(") {
                    return self.class_arguments();
                }
                Ok(())
            }
            _ => Err(Fail),
        }
    }

    /// The rest of a sequence pattern up to `close`.
    fn sequence_rest(&mut self, close: &str) -> R<()> {
        while !self.at_op(close) {
            self.maybe_star_pattern()?;
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(close)
    }

    /// `signed_number` or `complex_number`.
    fn number_pattern(&mut self) -> R<()> {
        self.eat_op("-");
        let real = self.number_literal()?;
        if self.at_op("+") || self.at_op("-") {
            self.bump();
            let second_real = self.number_literal()?;
            if !real || second_real {
                return Err(Fail);
            }
        }
        Ok(())
    }

    /// Consumes a NUMBER; returns whether it is real (not imaginary).
    fn number_literal(&mut self) -> R<bool> {
        if self.kind() != Kind::Number {
            return Err(Fail);
        }
        let real = !self.peek_number().ends_with(['j', 'J']);
        self.bump();
        Ok(real)
    }

    fn peek_number(&self) -> &'a str {
        self.text_of(self.tok())
    }

    fn mapping_pattern(&mut self) -> R<()> {
        while !self.at_op("}") {
            if self.eat_op("**") {
                self.capture_target()?;
                self.eat_op(",");
                break;
            }
            match self.kind() {
                Kind::Number => self.number_pattern()?,
                Kind::Op if self.at_op("-") => self.number_pattern()?,
                Kind::String => self.strings()?,
                Kind::Name if matches!(self.peek_text(0), "None" | "True" | "False") => self.bump(),
                Kind::Name => {
                    self.expect_name()?;
                    self.expect_op(".")?;
                    self.expect_name()?;
                    while self.eat_op(".") {
                        self.expect_name()?;
                    }
                }
                _ => return Err(Fail),
            }
            self.expect_op(":")?;
            self.pattern()?;
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op("}")
    }

    /// Class pattern arguments after `(`: positional patterns, then
    /// `name=pattern` keyword patterns.
    fn class_arguments(&mut self) -> R<()> {
        let mut keywords = false;
        while !self.at_op(")") {
            if self.at_name() && self.peek_text(1) == "=" {
                self.bump();
                self.bump();
                keywords = true;
            } else if keywords {
                return Err(Fail);
            }
            self.pattern()?;
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")
    }
}
