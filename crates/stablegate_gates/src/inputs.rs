//! The plain data a gate's run passes along, at the bottom of the crate: what
//! a source found ([`Finding`], [`Collected`]), the keys of the findings'
//! lines ([`Site`], [`Keyed`]) and everything a run reads before deciding
//! ([`GateInputs`]).
//!
//! The gates pipeline flows one way through these types: the walk and a
//! finding source ([`crate::source`]) produce a [`Collected`], keying
//! ([`crate::keying`]) turns it into [`Keyed`] sites, the runner
//! ([`crate::run`]) adds the allowlist, and the pure reconciliation
//! ([`crate::reconcile`]) turns that into verdicts. This module holds data
//! and their ordering only: no file is read here, nothing is decided.
//!
//! Their strings are [`SharedStr`]s: every finding of a file shares the
//! file's path, every finding of a rule its id, every site of a line the
//! line's token and qualname (SPEC §12.6), so many findings on one long line
//! cost one copy of the line, not one each.

use serde::Serialize;
use stablegate_model::SharedStr;

use crate::allowlist::Allowlist;

/// One finding of a source, before keying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Root-relative, `/`-separated path.
    pub file: SharedStr,
    /// 1-based start line.
    pub line: usize,
    /// 1-based start column (in characters); 0 when the source does not say.
    pub column: usize,
    /// 1-based end line; equals `line` when unknown.
    pub end_line: usize,
    /// Byte offset of the start in the file, for ordering; 0 when unknown.
    pub offset: usize,
    /// The rule that fired: the ast-grep rule id, the SARIF `ruleId`, or
    /// the gate's name when the source has no rule ids.
    pub rule: SharedStr,
    /// Whether `rule` is part of the site's identity (SPEC §12.7): true for
    /// the rule ids another tool reports (a SARIF `ruleId`, a JSON Lines
    /// `rule`), false for ast-grep sources and for the gate's name standing
    /// in for a rule id the producer did not give.
    pub rule_in_key: bool,
    /// The source's own message, if any (the gate's `message` wins).
    pub message: Option<SharedStr>,
}

impl Finding {
    /// The order every consumer sees findings in: path, offset, line, rule
    /// (as texts: [`SharedStr`]'s order, which skips reading a path or rule
    /// that two findings share).
    pub fn sort_key(&self) -> (&SharedStr, usize, usize, &SharedStr) {
        (&self.file, self.offset, self.line, &self.rule)
    }
}

/// Sorts findings into the deterministic order and drops exact duplicates.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
}

/// A live site: a finding and the content key of its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    pub finding: Finding,
    pub qualname: SharedStr,
    /// The line's token; empty when the line holds no code token.
    pub token: SharedStr,
    /// The plain-text key of a line without code token (SPEC §12.1, §12.7):
    /// its text with runs of whitespace collapsed to one space and trimmed,
    /// which tells two token-less lines of one scope apart. Empty when the
    /// line has a token.
    pub text: SharedStr,
}

impl Site {
    /// The rule, when it is part of the site's identity (SPEC §12.7).
    pub fn key_rule(&self) -> Option<&str> {
        self.finding
            .rule_in_key
            .then_some(self.finding.rule.as_str())
    }
}

/// A file in scope that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unreadable {
    /// Root-relative, `/`-separated.
    pub file: String,
    /// The line concerned (first bad byte, first syntax error), if known.
    pub line: Option<usize>,
    /// Lowercase, reads after the file name: "is not valid UTF-8".
    pub reason: String,
}

/// A result of another tool that gave no finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Where the result was: `reports/x.sarif: runs[0].results[3]`,
    /// `` `cmd` output line 4 ``.
    pub at: String,
    pub reason: String,
}

/// What a source found, and what it could not look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Collected {
    /// The findings no site holds yet: every finding of a source keyed
    /// afterwards (`command`, `sarif`, `detector`); for an ast-grep scan,
    /// which keys each file as it reads it (`keyed_on_the_way`), only those
    /// that could not be keyed. [`Collected::all_findings`] gives them all.
    /// Sorted by (path, offset, line, rule), exact duplicates dropped.
    pub findings: Vec<Finding>,
    /// Files in scope that could not be read, are not UTF-8, or (when
    /// parsed) hold a syntax error; sorted by path. A file with a syntax error
    /// may also have findings.
    pub unreadable: Vec<Unreadable>,
    /// Valid files tree-sitter could not parse in full (Python files CPython
    /// parses): not parse errors, but matches near `line` may be missed.
    /// Warnings: they never fail a gate.
    pub parser_gaps: Vec<Unreadable>,
    /// Results of another tool that could not be placed, each with the
    /// reason (a file outside the root, no line, a line past the end of the
    /// file): `parse_error` items unless the gate says
    /// `on_parse_error = "warn"`.
    pub skipped: Vec<Skipped>,
    /// Files read: the files walked for ast-grep sources, the distinct files
    /// named by findings for `command` and `sarif`.
    pub scanned_files: usize,
    /// Files parsed by tree-sitter (the rest were ruled out by the prefilter).
    pub parsed_files: usize,
    /// The findings' sites, when the source keyed them on its way (an
    /// ast-grep scan reads and keys each file once); [`crate::keying::key`]
    /// takes them from here instead of reading the files again.
    #[serde(skip)]
    pub(crate) keyed_on_the_way: Option<Keyed>,
}

impl Collected {
    /// Every finding, before keying: those the sites keyed on the way hold
    /// and the rest, sorted by (path, offset, line, rule), exact duplicates
    /// dropped.
    pub fn all_findings(&self) -> Vec<Finding> {
        let on_the_way = self.keyed_on_the_way.iter().flat_map(|keyed| &keyed.sites);
        let mut all: Vec<Finding> = (on_the_way.map(|site| site.finding.clone()))
            .chain(self.findings.iter().cloned())
            .collect();
        sort_findings(&mut all);
        all
    }
}

/// The sites of a list of findings, and the files that could not be keyed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyed {
    /// One per finding whose file could be keyed, in the findings' order.
    pub sites: Vec<Site>,
    /// Files named by findings that could not be read or decoded, or
    /// findings past the end of their file; sorted by path.
    pub unkeyable: Vec<Unreadable>,
}

/// What a gate's run reads before deciding anything: the findings of its
/// source, their keys, and its allowlist as parsed and as written. `check`
/// reconciles it; `allow`, `convert` and `refresh` edit the allowlist from
/// it, so every command sees the same live sites.
#[derive(Debug)]
pub struct GateInputs {
    pub collected: Collected,
    pub keyed: Keyed,
    /// `None` when the gate configures no allowlist.
    pub allowlist: Option<AllowlistFile>,
    /// The allowlist at the base revision, for a `shrink_only` gate run with
    /// a base (`check`); `None` otherwise.
    pub at_base: Option<crate::ratchet::AtBase>,
}

/// A gate's allowlist file: its root-relative path, its text (`None` when
/// the file does not exist), and the entries of the gate's key.
#[derive(Debug)]
pub struct AllowlistFile {
    pub path: String,
    pub text: Option<String>,
    pub parsed: Allowlist,
}
