//! Verdicts: what reconciliation decides, per item and per gate (SPEC §4.1).
//!
//! These types are the report model every renderer reads (format version 1 of
//! the JSON output serialises them). Renderers never decide pass/fail: a
//! gate's [`Status`] is computed here, from its items, before any output.

use serde::Serialize;

/// The verdict of one reported item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// An entry covers at least one live site (and its count, if any).
    Ok,
    /// A live site no entry covers.
    Violation,
    /// A stale entry and a violation in the same `(file, qualname)`.
    Changed,
    /// A stale entry whose `(qualname, token)` is live in another file.
    Moved,
    /// An entry that covers no live site.
    Stale,
    /// An entry whose `count` differs from the live number of sites.
    Count,
    /// `<key>_baseline` differs from the number of entries.
    Baseline,
    /// An entry whose `expires` date has passed.
    Expired,
    /// A truncated token that selects several live keys, or duplicate entries.
    Ambiguous,
    /// A malformed entry: missing field, non-canonical token, path escaping
    /// the root.
    Invalid,
    /// A scanned file that is not UTF-8 or does not parse, with
    /// `on_parse_error = "fail"` (the default).
    ParseError,
    /// The same with `on_parse_error = "warn"`: reported, not failing.
    ParseWarning,
    /// Theater triad: a leg whose mutation the gate did not answer as it
    /// must (and the items that show it).
    LegFailed,
    /// Theater triad: a leg that could not be exercised.
    Inconclusive,
    /// Audit: a discovered sink no inventory row documents (the item's
    /// `suggestion` is the row to paste).
    Undercount,
    /// Audit: an inventory row without a discovered sink (overcount).
    Ghost,
    /// Audit: a second row for the same sink.
    Duplicate,
    /// Audit: a known candidate path that holds no discovered sink.
    MissingCandidate,
    /// Audit: an `[inventory-only]` row with a reference and no sink:
    /// reported, not failing.
    InventoryOnly,
    /// Audit: an `[inventory-only]` tag without a reference.
    Unreferenced,
    /// Marker: a marker without a reason, or with one that does not match
    /// the configured template.
    MarkerReason,
    /// Marker: more marked test nodes than the `baseline` allows.
    OverBaseline,
    /// Marker: fewer marked test nodes than the `baseline`: reported, not
    /// failing, so the baseline can shrink.
    BelowBaseline,
    /// Fresh: the generated artifact differs from the committed one.
    StaleArtifact,
    /// Scope: a changed path the change scope does not allow.
    OutOfScope,
}

impl Verdict {
    /// Whether an item with this verdict fails its gate.
    pub fn fails(self) -> bool {
        !matches!(
            self,
            Verdict::Ok | Verdict::ParseWarning | Verdict::InventoryOnly | Verdict::BelowBaseline
        )
    }
}

/// One reported item: where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub verdict: Verdict,
    /// Root-relative path of the site (or of the allowlist for file-level
    /// items such as `baseline`).
    pub file: String,
    /// Locator: the live line, or the entry's recorded `line`.
    pub line: Option<usize>,
    pub qualname: String,
    pub token: String,
    /// The rule that fired (live sites) or the gate name.
    pub rule: String,
    /// The message to print: the gate's `message`, else the source's.
    pub message: String,
    /// `changed`: the entry's old token (`token` is the live one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_token: Option<String>,
    /// `moved`: the file where the key lives now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// `stale`: the nearest live token in the same qualname, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest: Option<String>,
    /// `count` and `baseline`: expected and actual numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<u64>,
    /// The allowlist entry concerned: its file and the line it starts on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryRef>,
    /// The accepted entry's rationale (`ok` items; SARIF suppressions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// `violation`: the ready-to-paste YAML entry (emit-on-miss).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// A human sentence saying what is wrong and what to do, for items whose
    /// verdict alone does not say it (invalid, ambiguous, parse_error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Item {
    /// An item with only the essentials set.
    pub fn new(
        verdict: Verdict,
        file: &str,
        line: Option<usize>,
        qualname: &str,
        token: &str,
    ) -> Self {
        Item {
            verdict,
            file: file.to_owned(),
            line,
            qualname: qualname.to_owned(),
            token: token.to_owned(),
            rule: String::new(),
            message: String::new(),
            old_token: None,
            moved_to: None,
            nearest: None,
            expected: None,
            actual: None,
            entry: None,
            rationale: None,
            suggestion: None,
            detail: None,
        }
    }
}

/// Where an allowlist entry is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    /// Root-relative path of the allowlist file.
    pub allowlist: String,
    /// 1-based line where the entry starts in that file.
    pub line: usize,
}

/// Whether a gate is green or red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
}

/// The outcome of one gate: its items (failing ones and accepted ones) and
/// the status derived from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateOutcome {
    pub name: String,
    /// `code` for `[[gate]]` tables, `audit`, `marker`, `fresh` and `scope`
    /// for the tables of SPEC §8–9.
    pub kind: String,
    pub status: Status,
    /// Items in a deterministic order: by file, line, verdict.
    pub items: Vec<Item>,
}

impl GateOutcome {
    /// Builds the outcome; the status is red iff some item fails.
    pub fn new(name: &str, kind: &str, mut items: Vec<Item>) -> Self {
        crate::order::sort_stable_by(&mut items, |a, b| {
            (&a.file, a.line, a.verdict, &a.token).cmp(&(&b.file, b.line, b.verdict, &b.token))
        });
        let status = if items.iter().any(|item| item.verdict.fails()) {
            Status::Fail
        } else {
            Status::Pass
        };
        GateOutcome {
            name: name.to_owned(),
            kind: kind.to_owned(),
            status,
            items,
        }
    }
}
