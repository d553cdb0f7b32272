//! The body of one human diagnostic: the code frame and the notes under it.
//!
//! This is stablegate's one diagnostic renderer for source spans
//! (annotate-snippets, the renderer rustc and cargo use): the source line with
//! its number and an underline beneath the code, then one `= label: text` line
//! per note, aligned on the frame's gutter. Without a source line it draws the
//! notes alone. It does not choose what to say (see `advice`) nor print the
//! item's headline (see `human`).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::advice::{Note, NoteKind};
use crate::style::Style;
use crate::text;

/// Longest prefix of a source line handed to the frame. The frame is cut to
/// the terminal width anyway; the cap bounds the work on minified or
/// generated files with megabyte-long lines.
const MAX_LINE_CHARS: usize = 1_000;

/// The frame and notes for one item, ending without a newline; empty when
/// there is neither a source line nor a note.
///
/// `source` is the item's 1-based line number and that line's text. `warn`
/// draws the underline as a warning rather than an error.
pub(crate) fn render(
    source: Option<(usize, &str)>,
    notes: &[Note],
    warn: bool,
    style: &Style,
) -> String {
    let level = if warn { Level::WARNING } else { Level::ERROR };
    let mut group = Group::with_level(level);
    if let Some(snippet) = source.and_then(|(number, line)| snippet(number, line)) {
        group = group.element(snippet);
    }
    for note in notes {
        let message = match note.kind {
            NoteKind::Fact => Level::NOTE.with_name(note.label),
            NoteKind::Help => Level::HELP.with_name(note.label),
        }
        .message(text::multi_line(&note.text).into_owned());
        group = group.element(message);
    }
    if group.is_empty() {
        return String::new();
    }
    renderer(style).render(&[group])
}

/// The source line with the code underlined: from its first to its last
/// non-blank character. Keys are per line, so the whole line's code is the
/// site. `None` for a blank line: there is nothing to point at.
fn snippet(
    number: usize,
    line: &str,
) -> Option<Snippet<'static, annotate_snippets::Annotation<'static>>> {
    // A caller may hand the line with its ending; it is not content.
    let line = line.trim_end_matches(['\n', '\r']);
    let clipped = match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((end, _)) => &line[..end],
        None => line,
    };
    // Trailing blanks are dropped: they are not code, and trailing spaces
    // in output only make diffs of captured output noisy.
    let clean = text::one_line(clipped).trim_end().to_owned();
    let start = clean.len() - clean.trim_start().len();
    let end = clean.len();
    if start >= end {
        return None;
    }
    Some(
        Snippet::source(clean)
            .line_start(number)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )
}

fn renderer(style: &Style) -> Renderer {
    if style.color {
        // Facts in bold rather than the default green: green reads as "fine".
        Renderer::styled()
            .hyperlink(false)
            .note(anstyle::Style::new().effects(anstyle::Effects::BOLD))
    } else {
        Renderer::plain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(label: &'static str, kind: NoteKind, text: &str) -> Note {
        Note {
            label,
            kind,
            text: text.to_owned(),
        }
    }

    #[test]
    fn frame_underlines_the_code_of_the_line_and_aligns_the_notes() {
        let notes = [
            note("token", NoteKind::Fact, "x = f ( )"),
            note("help", NoteKind::Help, "add:\n- file: a.py"),
        ];
        let out = render(Some((120, "    x = f()  ")), &notes, false, &Style::PLAIN);
        let expected = "    |
120 |     x = f()
    |     ^^^^^^^
    |
    = token: x = f ( )
    = help: add:
            - file: a.py";
        assert_eq!(out, expected);
    }

    #[test]
    fn without_a_source_line_only_the_notes_are_drawn() {
        let notes = [note("detail", NoteKind::Fact, "bad")];
        assert_eq!(render(None, &notes, false, &Style::PLAIN), " = detail: bad");
        assert_eq!(
            render(Some((3, "   ")), &notes, true, &Style::PLAIN),
            " = detail: bad"
        );
        assert_eq!(render(None, &[], false, &Style::PLAIN), "");
    }

    #[test]
    fn escape_sequences_in_the_source_are_shown_not_obeyed() {
        let out = render(Some((1, "x = '\u{1b}[2J'")), &[], false, &Style::PLAIN);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("\\u{1b}[2J"), "{out:?}");
    }

    #[test]
    fn a_line_ending_handed_over_with_the_line_is_not_shown() {
        let crlf = render(Some((1, "x = 1\r\n")), &[], false, &Style::PLAIN);
        assert_eq!(crlf, render(Some((1, "x = 1")), &[], false, &Style::PLAIN));
        assert!(!crlf.contains("\\r"), "{crlf}");
    }

    #[test]
    fn huge_lines_are_clipped_before_framing() {
        let line = "y".repeat(5_000_000);
        let out = render(Some((1, &line)), &[], false, &Style::PLAIN);
        assert!(out.len() < 2_000, "{}", out.len());
    }
}
