//! One reported item ([`Item`]) and the allowlist entry it concerns
//! ([`EntryRef`]): where, what, and what to do about it.

use serde::Serialize;

use crate::shared::SharedStr;
use crate::verdict::Verdict;

/// One reported item: where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub verdict: Verdict,
    /// Root-relative path of the site (or of the allowlist for file-level
    /// items such as `baseline`).
    pub file: SharedStr,
    /// Locator: the live line, or the entry's recorded `line`.
    pub line: Option<usize>,
    pub qualname: SharedStr,
    pub token: SharedStr,
    /// The plain-text key of a line without code token (`token` is then
    /// empty; SPEC §12.7): the live line's for items about a live site, the
    /// entry's `text` for items about an entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<SharedStr>,
    /// The rule that fired (live sites), the entry's `rule` (items about an
    /// entry that has one), or the gate name.
    pub rule: SharedStr,
    /// Whether `rule` is part of the site's identity (SPEC §12.7: a rule id
    /// another tool reported, or an entry's `rule`), so `allow` writes it.
    /// Not serialised: `rule` says the same to a reader.
    #[serde(skip)]
    pub rule_in_key: bool,
    /// The message to print: the gate's `message`, else the source's.
    pub message: SharedStr,
    /// `changed`: the entry's old token (`token` is the live one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_token: Option<String>,
    /// `changed`, for an entry with `text`: the entry's old text (`text` is
    /// the live one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
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
    /// The `scope` of the scoped allowlist entry concerned (`file` or
    /// `qualname`; SPEC §12.2): on its `ok` sites and on items about the
    /// entry itself (`stale`, `count`, `invalid`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<SharedStr>,
    /// The accepted entry's rationale (`ok` items; SARIF suppressions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<SharedStr>,
    /// `violation`: the ready-to-paste YAML entry (emit-on-miss).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// A human sentence saying what is wrong and what to do, for items whose
    /// verdict alone does not say it (invalid, ambiguous, parse_error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<SharedStr>,
}

impl Item {
    /// An item with only the essentials set.
    pub fn new(
        verdict: Verdict,
        file: impl Into<SharedStr>,
        line: Option<usize>,
        qualname: impl Into<SharedStr>,
        token: impl Into<SharedStr>,
    ) -> Self {
        Item {
            verdict,
            file: file.into(),
            line,
            qualname: qualname.into(),
            token: token.into(),
            text: None,
            rule: SharedStr::default(),
            rule_in_key: false,
            message: SharedStr::default(),
            old_token: None,
            old_text: None,
            moved_to: None,
            nearest: None,
            expected: None,
            actual: None,
            entry: None,
            scope: None,
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
    pub allowlist: SharedStr,
    /// 1-based line where the entry starts in that file.
    pub line: usize,
}
