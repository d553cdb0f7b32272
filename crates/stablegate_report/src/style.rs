//! Whether and how to colour human output.
//!
//! The caller decides colour (a terminal, `NO_COLOR`, a `--color` flag) and
//! passes a [`Style`]; renderers only obey it. Without colour nothing but the
//! text is written: no escape sequence of ours ever reaches a pipe or a file.
//! Machine formats (JSON, SARIF, JUnit, GitHub) ignore the style.

use std::fmt;

use anstyle::{AnsiColor, Effects};

/// How human output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// ANSI colours and bold text.
    pub color: bool,
}

impl Style {
    /// Plain text.
    pub const PLAIN: Style = Style { color: false };
    /// Coloured text for a terminal.
    pub const COLOR: Style = Style { color: true };

    /// `text` in the look of `role`: with colour, wrapped in its escape
    /// sequences; without, as it is.
    pub(crate) fn paint<'a>(&self, role: Role, text: &'a str) -> Painted<'a> {
        Painted {
            style: if self.color {
                role.style()
            } else {
                anstyle::Style::new()
            },
            text,
        }
    }
}

/// What a piece of human output is, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A red gate, a failing verdict.
    Fail,
    /// A green gate.
    Pass,
    /// A reported item that does not fail its gate (`parse_warning`).
    Warn,
    /// Locations and gate names.
    Emphasis,
}

impl Role {
    fn style(self) -> anstyle::Style {
        match self {
            Role::Fail => AnsiColor::BrightRed.on_default().effects(Effects::BOLD),
            Role::Pass => AnsiColor::BrightGreen.on_default().effects(Effects::BOLD),
            Role::Warn => AnsiColor::BrightYellow.on_default().effects(Effects::BOLD),
            Role::Emphasis => anstyle::Style::new().effects(Effects::BOLD),
        }
    }
}

/// Text with its look; displays as escape sequence, text, reset (nothing
/// around the text when the look is plain).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Painted<'a> {
    style: anstyle::Style,
    text: &'a str,
}

impl fmt::Display for Painted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}",
            self.style.render(),
            self.text,
            self.style.render_reset()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_style_writes_only_the_text() {
        assert_eq!(Style::PLAIN.paint(Role::Fail, "FAIL").to_string(), "FAIL");
    }

    #[test]
    fn colour_style_wraps_the_text_in_escapes() {
        let painted = Style::COLOR.paint(Role::Fail, "FAIL").to_string();
        assert!(painted.starts_with('\u{1b}'));
        assert!(painted.contains("FAIL"));
        assert!(painted.ends_with("\u{1b}[0m"));
    }
}
