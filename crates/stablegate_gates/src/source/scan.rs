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
//! The files are read through a [`Tree`]: the theater triad scans a mutated
//! view with this same code, and may ask for some files only
//! ([`super::Options::only`]) instead of a walk.
//!
//! The findings are keyed in the same pass ([`crate::line_keys::sites_of`]):
//! a Python file's syntax check needs its keys anyway, so keying them again
//! later would tokenize every file twice. Keys depend on the file alone, so
//! the sites are exactly those keying the sorted findings afterwards gives;
//! they travel in [`Collected`] to [`crate::keying::key`]. Each site holds
//! its finding, so `Collected::findings` keeps only those that could not be
//! keyed: a rule that matches everywhere has its hundreds of thousands of
//! findings built, cached and moved once, not twice.
//!
//! tree-sitter parsers are kept per worker thread by ast-grep itself.

use std::cell::RefCell;
use std::collections::HashMap;

use ast_grep_core::AstGrep;
use ast_grep_language::SupportLang;
use rayon::prelude::*;
use stablegate_config::Gate;
use stablegate_keys::{FileKeys, Language};
use stablegate_model::SharedStr;

use super::cache::{self, PlanCache};
use super::cache_codec::Outcome;
use super::error::SourceError;
use super::lang;
use super::rule::Rule;
use super::syntax::{self, Syntax};
use super::Options;
use crate::inputs::{Collected, Finding, Unreadable};
use crate::line_keys;
use crate::tree::Tree;
use crate::walk::{self, Scope};

/// The rules of a gate and the language of files named explicitly.
pub(crate) struct Plan {
    pub rules: Vec<Rule>,
    /// The language a file named in `paths` is read as when its extension
    /// says nothing: the gate's (or its rules' single) language.
    pub default_lang: Option<SupportLang>,
}

/// Scans the gate's files (`options.prefilter: false` parses every file;
/// tests compare both to prove the prefilter sound) and keys the findings.
pub(crate) fn scan(
    tree: &Tree<'_>,
    gate: &Gate,
    plan: &Plan,
    options: &Options,
    cache: Option<&PlanCache>,
) -> Result<Collected, SourceError> {
    let mut langs: Vec<SupportLang> = Vec::new();
    for rule in &plan.rules {
        if !langs.contains(&rule.lang) {
            langs.push(rule.lang);
        }
    }
    let select = |path: &str| lang::of_path(path).is_some_and(|lang| langs.contains(&lang));
    let scope = Scope::of(gate);
    let mut collected = Collected::default();
    let files: Vec<String> = match &options.only {
        Some(only) => (only.iter())
            .filter(|file| scope.contains(file))
            .filter(|file| select(file) || gate.paths.iter().any(|path| path == *file))
            .cloned()
            .collect(),
        None => {
            let place = super::error::gate_place(gate);
            let walked = walk::walk(tree.root, &place, scope, &select)?;
            collected.scanned_files = walked.files.len();
            for (file, reason) in walked.errors {
                collected.unreadable.push(unreadable(&file, None, reason));
            }
            let mut files = walked.files;
            // Files that exist only in the overlay are part of the tree too.
            let added = tree.replaced().filter(|file| {
                scope.contains(file) && select(file) && !tree.root.join(file).exists()
            });
            files.extend(added.map(str::to_owned));
            files
        }
    };
    let outcomes: Vec<FileOutcome> = (files.par_iter())
        .map(|file| scan_file(tree, file, plan, &langs, options.prefilter, cache))
        .collect();
    // A rule that matches everywhere gives hundreds of thousands of sites:
    // they are joined on rayon's pool, each moved once.
    let mut parts = Vec::with_capacity(outcomes.len());
    let mut unkeyable = Vec::new();
    for outcome in outcomes {
        collected.findings.extend(outcome.findings);
        collected.unreadable.extend(outcome.problem);
        collected.parser_gaps.extend(outcome.gap);
        collected.parsed_files += usize::from(outcome.parsed);
        parts.push(outcome.sites);
        unkeyable.extend(outcome.unkeyable);
    }
    let sites = crate::concat::concat(parts);
    collected.keyed_on_the_way = Some(line_keys::in_order(sites, unkeyable));
    Ok(collected)
}

/// What scanning one file gave: the cache keeps exactly this.
type FileOutcome = Outcome;

fn unreadable(file: &str, line: Option<usize>, reason: String) -> Unreadable {
    Unreadable {
        file: file.to_owned(),
        line,
        reason,
    }
}

fn problem(file: &str, line: Option<usize>, reason: String) -> FileOutcome {
    FileOutcome {
        problem: Some(unreadable(file, line, reason)),
        ..FileOutcome::default()
    }
}

/// Reads one file and scans it, or takes what the cache holds for its bytes.
fn scan_file(
    tree: &Tree<'_>,
    file: &str,
    plan: &Plan,
    langs: &[SupportLang],
    prefilter: bool,
    cache: Option<&PlanCache>,
) -> FileOutcome {
    let by_extension = lang::of_path(file).filter(|lang| langs.contains(lang));
    let Some(lang) = by_extension.or(plan.default_lang) else {
        return problem(
            file,
            None,
            "no rule's language reads files with this extension".to_owned(),
        );
    };
    // One read buffer per worker thread, kept from file to file. Nothing
    // below runs rayon work that could re-enter it on this thread; if it
    // ever did, that file gets a buffer of its own.
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => scan_read(tree, file, lang, plan, prefilter, cache, &mut buffer),
        Err(_) => scan_read(tree, file, lang, plan, prefilter, cache, &mut Vec::new()),
    })
}

/// [`scan_file`] once the file's language is known, reading it into
/// `buffer`.
fn scan_read(
    tree: &Tree<'_>,
    file: &str,
    lang: SupportLang,
    plan: &Plan,
    prefilter: bool,
    cache: Option<&PlanCache>,
    buffer: &mut Vec<u8>,
) -> FileOutcome {
    let bytes = match tree.read_into(file, buffer) {
        Ok(bytes) => bytes,
        Err(err) => return problem(file, None, format!("cannot be read: {err}")),
    };
    scan_bytes(file, bytes, lang, plan, prefilter, cache)
}

/// Scans the bytes of one file, read as `lang`, or takes what the cache
/// holds for them. The file is decoded and the prefilter run once, before
/// the cache is asked: a file the prefilter rules out is neither hashed
/// nor stored (deciding that again costs less than the hash).
fn scan_bytes(
    file: &str,
    bytes: &[u8],
    lang: SupportLang,
    plan: &Plan,
    prefilter: bool,
    cache: Option<&PlanCache>,
) -> FileOutcome {
    let text = match stablegate_keys::decode_source(bytes) {
        Ok(text) => text,
        Err(stablegate_keys::SourceError::NotUtf8 { line }) => {
            return problem(file, Some(line), "is not valid UTF-8".to_owned())
        }
    };
    let rules: Vec<&Rule> = (plan.rules.iter())
        .filter(|rule| rule.lang == lang && rule.applies_to(file))
        .filter(|rule| !prefilter || rule.requirement.is_met(text.as_bytes()))
        .collect();
    if rules.is_empty() {
        return FileOutcome::default();
    }
    let cached = cache.map(|cache| (cache, cache::hash(bytes)));
    if let Some((cache, hash)) = &cached {
        if let Some(outcome) = cache.get(file, hash) {
            return outcome;
        }
    }
    let outcome = scan_text(file, &text, lang, &rules);
    if let Some((cache, hash)) = &cached {
        cache.put(file, hash, &outcome);
    }
    outcome
}

/// Parses a file's decoded text and runs the rules that apply to it.
fn scan_text(file: &str, text: &str, lang: SupportLang, rules: &[&Rule]) -> FileOutcome {
    let problem = |line: Option<usize>, reason: String| problem(file, line, reason);
    let parsed = match AstGrep::try_new(text, lang) {
        Ok(parsed) => parsed,
        Err(err) => return problem(None, format!("tree-sitter cannot parse it: {err}")),
    };
    let mut outcome = FileOutcome {
        parsed: true,
        ..FileOutcome::default()
    };
    // A Python file's syntax check needs its Python keys (CPython's
    // decision). Sites are keyed in the key language of the file's path, so
    // a finding gets the same key whichever way it is keyed; for a `.py`
    // file those are the same keys.
    let key_language = Language::from_path(file);
    let python_keys = (lang == SupportLang::Python).then(|| stablegate_keys::python_keys(text));
    let parses = python_keys.as_ref().map(FileKeys::parses);
    let mut keys: Option<FileKeys> = python_keys.filter(|_| key_language == Language::Python);
    match syntax::check(&parsed, lang, parses) {
        Syntax::Clean => {}
        Syntax::Error { line, reason } => outcome.problem = Some(unreadable(file, line, reason)),
        Syntax::ParserGap { line, reason } => {
            outcome.gap = Some(unreadable(file, Some(line), reason));
        }
    }
    // One allocation per file name and per distinct message, shared by
    // every finding that carries it.
    let shared_file = SharedStr::from(file);
    let mut messages: HashMap<String, SharedStr> = HashMap::new();
    let mut findings = Vec::new();
    for rule in rules {
        let mut last_start = None;
        let mut columns = Columns::default();
        for found in rule.find_all(&parsed) {
            // Matches come in pre-order: where nested matches start at the
            // same place (`a.b.c` and `a.b` for `$A.$B`), keep the outermost.
            if last_start.replace(found.offset) == Some(found.offset) {
                continue;
            }
            let column = columns.at(text, found.offset - found.byte_column, found.offset);
            let message = found.message.map(|message| match messages.get(&message) {
                Some(shared) => shared.clone(),
                None => {
                    let shared = SharedStr::from(message.as_str());
                    messages.insert(message, shared.clone());
                    shared
                }
            });
            findings.push(Finding {
                file: shared_file.clone(),
                line: found.row + 1,
                column,
                end_line: found.end_row + 1,
                offset: found.offset,
                rule: rule.id.clone(),
                rule_in_key: false,
                message,
            });
        }
    }
    if !findings.is_empty() {
        let keys = keys.get_or_insert_with(|| stablegate_keys::keys_for(key_language, text));
        let keyed = line_keys::sites_of(file, keys, text, findings.into_iter());
        (outcome.sites, outcome.findings, outcome.unkeyable) =
            (keyed.sites, keyed.unkeyed, keyed.problems);
    }
    outcome
}

/// 1-based character columns of match starts, counted on from the previous
/// match when it is on the same line and before: matches come in pre-order
/// (start offsets never decrease), so 10,000 matches on one long line count
/// its characters once, not once per match.
#[derive(Default)]
struct Columns {
    /// The line start, byte offset and 1-based column of the last match.
    last: Option<(usize, usize, usize)>,
}

impl Columns {
    fn at(&mut self, text: &str, line_start: usize, offset: usize) -> usize {
        let (from, base) = match self.last {
            Some((start, last, column)) if start == line_start && last <= offset => (last, column),
            _ => (line_start, 1),
        };
        let column = text.get(from..offset).map_or(0, |s| s.chars().count()) + base;
        self.last = Some((line_start, offset, column));
        column
    }
}
