//! Running compiled ast-grep rules over a gate's files, in parallel.
//!
//! The gate's scope is walked ([`crate::walk`]) for files whose extension
//! belongs to a rule's language; a file named in `paths` is taken whatever
//! its extension and read as the gate's language. Then every file, on
//! rayon's pool, is read and decoded (UTF-8, BOM dropped, line ends
//! normalised, as keys read it), so a file that cannot be read or decoded is
//! always reported, prefilter or not. The rules that apply to it (language,
//! `files`/`ignores`) are kept only if their prefilter literal occurs in it;
//! when none is left the file is not parsed — that is where speed comes from.
//! A parsed file with a syntax error ([`super::syntax`]) is reported as well,
//! and its matches still count: tree-sitter recovers. A syntax error in a file
//! the prefilter skipped goes unreported: the file cannot hold a match, so the
//! error cannot hide one.
//!
//! A rule gives at most one finding per start position: nested matches that
//! start at the same place (`a.b.c` and `a.b` for `$A.$B`) are one site, the
//! outermost, so a count does not depend on how a chain is split over lines.
//!
//! tree-sitter parsers are kept per worker thread by ast-grep itself.

use std::path::Path;

use ast_grep_core::AstGrep;
use ast_grep_language::SupportLang;
use rayon::prelude::*;
use stablegate_config::Gate;

use super::error::SourceError;
use super::lang;
use super::rule::Rule;
use super::syntax::{self, Syntax};
use super::{Collected, Unreadable};
use crate::finding::Finding;
use crate::walk::{self, Scope};

/// The rules of a gate and the language of files named explicitly.
pub(crate) struct Plan {
    pub rules: Vec<Rule>,
    /// The language a file named in `paths` is read as when its extension
    /// says nothing: the gate's (or its rules' single) language.
    pub default_lang: Option<SupportLang>,
}

/// Scans the gate's files; `prefilter: false` parses every file (tests
/// compare both to prove the prefilter sound).
pub(crate) fn scan(
    root: &Path,
    gate: &Gate,
    plan: &Plan,
    prefilter: bool,
) -> Result<Collected, SourceError> {
    let mut langs: Vec<SupportLang> = Vec::new();
    for rule in &plan.rules {
        if !langs.contains(&rule.lang) {
            langs.push(rule.lang);
        }
    }
    let select = |path: &str| lang::of_path(path).is_some_and(|lang| langs.contains(&lang));
    let walked = walk::walk(
        root,
        &super::error::gate_place(gate),
        Scope::of(gate),
        &select,
    )?;
    let outcomes: Vec<FileOutcome> = (walked.files.par_iter())
        .map(|file| scan_file(root, file, plan, &langs, prefilter))
        .collect();
    let mut collected = Collected {
        scanned_files: walked.files.len(),
        ..Collected::default()
    };
    for (file, reason) in walked.errors {
        collected.unreadable.push(Unreadable {
            file,
            line: None,
            reason,
        });
    }
    for outcome in outcomes {
        collected.findings.extend(outcome.findings);
        collected.unreadable.extend(outcome.problem);
        collected.parser_gaps.extend(outcome.gap);
        collected.parsed_files += usize::from(outcome.parsed);
    }
    Ok(collected)
}

#[derive(Default)]
struct FileOutcome {
    findings: Vec<Finding>,
    problem: Option<Unreadable>,
    gap: Option<Unreadable>,
    parsed: bool,
}

fn unreadable(file: &str, line: Option<usize>, reason: String) -> Unreadable {
    Unreadable {
        file: file.to_owned(),
        line,
        reason,
    }
}

fn scan_file(
    root: &Path,
    file: &str,
    plan: &Plan,
    langs: &[SupportLang],
    prefilter: bool,
) -> FileOutcome {
    let problem = |line: Option<usize>, reason: String| FileOutcome {
        problem: Some(unreadable(file, line, reason)),
        ..FileOutcome::default()
    };
    let by_extension = lang::of_path(file).filter(|lang| langs.contains(lang));
    let Some(lang) = by_extension.or(plan.default_lang) else {
        return problem(
            None,
            "no rule's language reads files with this extension".to_owned(),
        );
    };
    let bytes = match std::fs::read(root.join(file)) {
        Ok(bytes) => bytes,
        Err(err) => return problem(None, format!("cannot be read: {err}")),
    };
    let text = match stablegate_keys::decode_source(&bytes) {
        Ok(text) => text,
        Err(stablegate_keys::SourceError::NotUtf8 { line }) => {
            return problem(Some(line), "is not valid UTF-8".to_owned())
        }
    };
    let rules: Vec<&Rule> = (plan.rules.iter())
        .filter(|rule| rule.lang == lang && rule.applies_to(file))
        .filter(|rule| !prefilter || rule.requirement.is_met(text.as_bytes()))
        .collect();
    if rules.is_empty() {
        return FileOutcome::default();
    }
    let parsed = match AstGrep::try_new(&text, lang) {
        Ok(parsed) => parsed,
        Err(err) => return problem(None, format!("tree-sitter cannot parse it: {err}")),
    };
    let mut outcome = FileOutcome {
        parsed: true,
        ..FileOutcome::default()
    };
    match syntax::check(&parsed, &text, lang) {
        Syntax::Clean => {}
        Syntax::Error { line, reason } => outcome.problem = Some(unreadable(file, line, reason)),
        Syntax::ParserGap { line, reason } => {
            outcome.gap = Some(unreadable(file, Some(line), reason))
        }
    }
    for rule in rules {
        let mut last_start = None;
        for found in rule.find_all(&parsed) {
            // Matches come in pre-order: where nested matches start at the
            // same place (`a.b.c` and `a.b` for `$A.$B`), keep the outermost.
            if last_start.replace(found.offset) == Some(found.offset) {
                continue;
            }
            let line_start = found.offset - found.byte_column;
            let column = text
                .get(line_start..found.offset)
                .map_or(0, |s| s.chars().count())
                + 1;
            outcome.findings.push(Finding {
                file: file.to_owned(),
                line: found.row + 1,
                column,
                end_line: found.end_row + 1,
                offset: found.offset,
                rule: rule.id.clone(),
                message: found.message,
            });
        }
    }
    outcome
}
