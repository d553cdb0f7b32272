//! Findings (what a source reports) and sites (a finding with its key).
//!
//! Their strings are [`SharedStr`]s: every finding of a file shares the
//! file's path, every finding of a rule its id, every site of a line the
//! line's token and qualname (SPEC §12.6), so many findings on one long line
//! cost one copy of the line, not one each.

use serde::Serialize;
use stablegate_model::SharedStr;

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
    /// The source's own message, if any (the gate's `message` wins).
    pub message: Option<SharedStr>,
}

impl Finding {
    /// The order every consumer sees findings in: path, offset, line, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
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
}
