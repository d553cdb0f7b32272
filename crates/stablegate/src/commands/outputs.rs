//! Where a decided report goes: standard output in `--format` and every
//! `--output FMT:PATH` file (SPEC §5, §12.5).
//! Shared by `check`, `audit` and `theater`.
//!
//! The order is fixed and part of the contract:
//!
//! 1. every gate is decided, and so is the exit code the verdict gives (0
//!    green, 1 red), before any byte is written anywhere;
//! 2. each `--output` file, in the order given, is rendered into a temporary
//!    file beside it and renamed over it (`stablegate_io::atomic`): a reader
//!    sees the old file or the whole new one, never half; missing parent
//!    directories are created;
//! 3. the GitHub step summary, appended to `$GITHUB_STEP_SUMMARY` when the
//!    report is rendered as `github` anywhere (see `step_summary`);
//! 4. standard output in `--format` (with `--quiet`, nothing is even
//!    rendered).
//!
//! A file that cannot be written (an output, the step summary) does not
//! stop the others, nor standard output: each failure is reported on standard error, naming the file, and
//! the exit code becomes 2 — the outputs the caller asked for are missing,
//! whatever the verdict. A reader that goes away from standard output is not
//! a failure (see `output`). These files are the only ones `check` ever
//! writes. Two `--output` naming the same path are bad input, refused before
//! any gate runs.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

use stablegate_gates::Status;
use stablegate_report::{MemorySources, Report};

use crate::cli::{Format, OutputSpec, RenderArgs};
use crate::error::{Error, Problem};
use crate::output;

/// Refuses two `--output` with the same path (checked before any gate runs).
pub fn check_args(args: &RenderArgs) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for spec in &args.outputs {
        if !seen.insert(&spec.path) {
            return Err(Error::Input {
                at: format!("--output {}:{}", spec.format_name(), spec.path.display()),
                problem: Problem::SameOutput,
            });
        }
    }
    Ok(())
}

impl OutputSpec {
    fn format_name(&self) -> &'static str {
        self.format.report_format().name()
    }
}

/// Writes `report` everywhere it was asked for, in the order of the module
/// doc, and turns the verdict into the result.
pub fn deliver(cx: &super::Context, report: Report, args: &RenderArgs) -> Result<(), Error> {
    let red = report.status() == Status::Fail;
    let human = (cx.format == Format::Human && !cx.quiet)
        || (args.outputs.iter()).any(|spec| spec.format == Format::Human);
    // Only `human` prints code frames: other formats need no source text.
    let sources = if human {
        frame_sources(cx, &report)
    } else {
        MemorySources::new()
    };
    let junit = stablegate_report::junit::Options {
        accepted: args.junit_accepted,
        strict: args.junit_strict,
    };
    let mut failures: Vec<Error> = Vec::new();
    let file_options = stablegate_report::Options {
        sources: &sources,
        style: stablegate_report::Style::PLAIN,
        junit,
    };
    for spec in &args.outputs {
        let format = spec.format.report_format();
        let written = write_file(&spec.path, |out| {
            stablegate_report::render_with(&report, format, &file_options, out)
        });
        if let Err(source) = written {
            failures.push(Error::Write {
                path: spec.path.display().to_string(),
                source,
            });
        }
    }
    if let Some(path) = super::step_summary::target(cx, args) {
        if let Err(source) = super::step_summary::append(cx, &report, &path) {
            failures.push(Error::Write {
                path: format!("$GITHUB_STEP_SUMMARY ({})", path.display()),
                source,
            });
        }
    }
    let options = stablegate_report::Options {
        style: cx.style(),
        ..file_options
    };
    // `--quiet` renders nothing at all (not a render thrown away).
    let printed = if cx.quiet {
        Ok(())
    } else {
        let mut out = cx.stdout();
        let written =
            stablegate_report::render_with(&report, cx.format.report_format(), &options, &mut out)
                .and_then(|()| out.flush());
        drop(out);
        output::written(written)
    };
    // The process ends right after: freeing a report of hundreds of
    // thousands of items one allocation at a time would only delay the
    // exit (the operating system takes the memory back whole).
    std::mem::forget(report);
    let count = failures.len();
    for failure in failures {
        failure.report();
    }
    printed?;
    if count > 0 {
        return Err(Error::Reported { count });
    }
    if red {
        Err(Error::Red)
    } else {
        Ok(())
    }
}

/// Replaces `path` atomically with what `render` writes, creating missing
/// parent directories.
fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    stablegate_io::atomic::replace_with(path, render)
}

/// The source text of the files that the items drawn with a code frame
/// point at.
fn frame_sources(cx: &super::Context, report: &Report) -> MemorySources {
    let mut sources = MemorySources::new();
    let mut files: Vec<&str> = stablegate_report::human::framed_items(report)
        .filter(|item| item.verdict.fails() && item.line.is_some() && !item.file.is_empty())
        .map(|item| &*item.file)
        .collect();
    files.sort_unstable();
    files.dedup();
    for file in files {
        if let Ok(text) = std::fs::read_to_string(cx.root.path().join(file)) {
            sources.insert(file, text);
        }
    }
    sources
}
