//! The `github` format: GitHub Actions workflow commands (annotations).
//!
//! ```text
//! ::error file=src/pkg/a.py,line=12,title=inline_meta_read%3A violation::src/pkg/a.py:12 (Loader.load): violation: read meta.json through load_meta()%0Atoken: meta = json . load ( f )%0Ahelp: …
//! ::notice file=src/b.py,title=inline_meta_read%3A parse_warning::src/b.py: parse_warning%0Adetail: …
//! stablegate FAIL: 1 of 2 gates failed; 2 items (1 violation, 1 parse_warning), 4 ok
//! ```
//!
//! One `::error` command per failing item and one `::notice` per reported
//! item that does not fail (parse warnings, inventory-only rows, a count
//! below its baseline), in report order, a theater triad's legs listed as
//! items before its items (see `listed`); accepted sites and passed legs
//! print nothing. `file` is the
//! item's root-relative path (GitHub resolves it against the checkout) and
//! `line` its locator, both left out when the item has none; `title` is
//! `GATE: VERDICT`. The message is the item's location and headline, then its
//! notes, one per line. Escaping follows the runner's rules: in the message
//! `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`; in properties `:` and `,`
//! also become `%3A` and `%2C`. Other control characters of user text are
//! written as visible escapes (`\u{1b}`), so no input can start a command of
//! its own. The last line, `stablegate FAIL: …` or `stablegate pass: …`, sums
//! the report up. This module decides nothing.

use std::io::{self, Write};

use stablegate_model::{Item, Status, Verdict};

use crate::advice;
use crate::report::Report;
use crate::text;

/// Writes `report` as workflow commands and a summary line.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for gate in &report.gates {
        for listed in crate::listed::listed(gate) {
            let item = &*listed.item;
            let command = match item.verdict {
                Verdict::Ok => continue,
                verdict if !verdict.fails() => "notice",
                _ => "error",
            };
            let mut properties = Vec::new();
            if !item.file.is_empty() {
                properties.push(format!("file={}", property(&item.file)));
                if let Some(line) = item.line {
                    properties.push(format!("line={line}"));
                }
            }
            let title = format!("{}: {}", gate.name, item.verdict.name());
            properties.push(format!("title={}", property(&title)));
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                data(&message(item))
            )?;
        }
    }
    let summary = report.summary();
    let word = match summary.status {
        Status::Fail => "FAIL",
        Status::Pass => Status::Pass.name(),
    };
    writeln!(out, "stablegate {word}: {}", advice::summary_tail(&summary))
}

fn message(item: &Item) -> String {
    let mut text = format!("{}: {}", advice::location(item), advice::headline(item));
    for line in advice::note_lines(item) {
        text.push('\n');
        text.push_str(&line);
    }
    text
}

/// A command's message: `%`, `\r`, `\n` escaped.
fn data(value: &str) -> String {
    let value = text::multi_line(value);
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A command's property value: as [`data`], plus `:` and `,`.
fn property(value: &str) -> String {
    let value = text::one_line(value);
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_escapes_percent_and_line_ends() {
        assert_eq!(data("50% done\r\nnext: a,b"), "50%25 done%0Anext: a,b");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(property("a:b,c%d\ne"), "a%3Ab%2Cc%25d\\ne");
    }

    #[test]
    fn user_text_cannot_start_a_command_of_its_own() {
        let item = Item::new(
            Verdict::Violation,
            "a.py",
            Some(1),
            "f",
            "x\n::error::fake\u{1b}[2J",
        );
        let out = data(&message(&item));
        assert!(!out.contains('\n') && !out.contains('\u{1b}'), "{out}");
    }
}
