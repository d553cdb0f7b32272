//! stablegate's renderers: a finished [`Report`] in, bytes on a writer out.
//!
//! The gates decide; this crate only prints. Every renderer takes a report
//! whose gates already carry their status and writes it in one [`Format`]:
//! `human` (terminal, colour optional, code frames), `json` (one document,
//! format version 1), `sarif` (2.1.0), `junit` (one test case per reported
//! item), `github` (workflow annotations) or `gitlab` (Code Quality). A failed write returns the writer's
//! `io::Error` and nothing else happens: the report is borrowed immutably, so
//! a broken pipe can never turn a red gate green. Renderers read no files
//! (code frames come from the caller's [`SourceLines`]), read no environment
//! (colour comes from the caller's [`Style`]) and write only to the writer
//! they are given. Each format is documented in its module.

#![warn(missing_docs)]

mod advice;
mod frame;
mod listed;
mod sarif_log;
mod sarif_rules;
mod text;
mod triad;

pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod report;
pub mod sarif;
pub mod sources;
pub mod step_summary;
pub mod style;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

pub use report::{GateAbout, Report, StatusCounts, Summary, VerdictCounts};
pub use sources::{MemorySources, NoSources, SourceLines};
pub use style::Style;

/// The project's home: SARIF `tool.driver.informationUri`, and the base of
/// the documentation links (`helpUri`, the GitHub step summary). The one
/// place to change when the project moves.
pub const PROJECT_URL: &str = "https://github.com/stablegate/stablegate";

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// For a person on a terminal: per-gate headers, code frames, advice.
    Human,
    /// One JSON document, format version 1 (see [`json`]).
    Json,
    /// A SARIF 2.1.0 log (see [`sarif`]).
    Sarif,
    /// JUnit XML, one test case per reported item (see [`junit`]).
    Junit,
    /// GitHub Actions workflow commands (see [`github`]).
    Github,
    /// A GitLab Code Quality report (see [`gitlab`]).
    Gitlab,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Gitlab,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--format` value that names no format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
        write!(
            f,
            "unknown format `{}` (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == name)
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// What rendering needs beyond the report and the format; each field
/// matters to some formats only.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// Source lines for `human` code frames.
    pub sources: &'a dyn SourceLines,
    /// Colour for `human`.
    pub style: Style,
    /// The `junit` choices.
    pub junit: junit::Options,
}

/// Writes `report` in `format`. `sources` and `style` matter to `human` only.
pub fn render(
    report: &Report,
    format: Format,
    sources: &dyn SourceLines,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let options = Options {
        sources,
        style: *style,
        junit: junit::Options::default(),
    };
    render_with(report, format, &options, out)
}

/// Writes `report` in `format`, with `options`.
pub fn render_with(
    report: &Report,
    format: Format,
    options: &Options<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, options.sources, &options.style, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Junit => junit::render_with(report, options.junit, out),
        Format::Github => github::render(report, out),
        Format::Gitlab => gitlab::render(report, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        let error = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown format `xml` (expected one of: human, json, sarif, junit, github, gitlab)"
        );
    }
}
