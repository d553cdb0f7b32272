//! The human format: exact output, colour, and ASCII safety.

use stablegate_report::{human, NoSources, Report, SourceLines, Style};

use crate::fixture;

fn render(report: &Report, sources: &dyn SourceLines, style: &Style) -> String {
    let mut out = Vec::new();
    human::render(report, sources, style, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Drops `ESC [ … m` sequences (the only escapes the renderers write).
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn human_output_of_every_verdict() {
    let out = render(&fixture::report(), &fixture::sources(), &Style::PLAIN);
    insta::assert_snapshot!(out);
}

#[test]
fn human_output_without_sources_has_no_frames() {
    let out = render(&fixture::report(), &NoSources, &Style::PLAIN);
    assert!(!out.contains(" | "), "{out}");
    assert!(out.contains("= token: meta = json . load ( f )"), "{out}");
}

#[test]
fn colour_adds_escapes_and_nothing_else() {
    let report = fixture::report();
    let plain = render(&report, &fixture::sources(), &Style::PLAIN);
    let colour = render(&report, &fixture::sources(), &Style::COLOR);
    assert!(colour.contains("\u{1b}["));
    assert_eq!(strip_sgr(&colour), plain);
}

#[test]
fn plain_output_is_ascii_apart_from_the_users_content() {
    let out = render(&fixture::report(), &fixture::sources(), &Style::PLAIN);
    assert!(!out.contains('\u{1b}'));
    // The fixture's only non-ASCII text: "données" in a source line and the
    // ellipsis of a truncated token.
    let foreign: String = out.chars().filter(|c| !c.is_ascii()).collect();
    assert_eq!(foreign, "é……");
}
