//! The GitHub format: exact output and its line discipline.

use stablegate_report::github;

use crate::fixture;

fn render() -> String {
    let mut out = Vec::new();
    github::render(&fixture::report(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn github_output_of_every_verdict() {
    insta::assert_snapshot!(render());
}

#[test]
fn one_command_per_reported_item_then_the_summary() {
    let out = render();
    let lines: Vec<&str> = out.lines().collect();
    let errors = lines
        .iter()
        .filter(|line| line.starts_with("::error "))
        .count();
    let notices = lines
        .iter()
        .filter(|line| line.starts_with("::notice "))
        .count();
    assert_eq!((errors, notices), (10, 1));
    assert_eq!(lines.len(), 12);
    assert!(
        lines[11].starts_with("stablegate FAIL: 2 of 4 gates failed"),
        "{}",
        lines[11]
    );
}

#[test]
fn properties_are_escaped() {
    let out = render();
    assert!(
        out.contains("::notice file=src/odd%2C name.py,title=quiet%3A parse_warning::"),
        "{out}"
    );
}
