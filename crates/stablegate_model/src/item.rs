//! One reported item ([`Item`]) and the allowlist entry it concerns
//! ([`EntryRef`]): where, what, and what to do about it.

use std::borrow::Cow;

use serde::{Serialize, Serializer};

use crate::shared::SharedStr;
use crate::suggestion::Suggestion;
use crate::verdict::Verdict;

/// One reported item: where, what, and what to do about it.
///
/// A rule that matches everywhere gives hundreds of thousands of items,
/// nearly all `violation`s; what only some verdicts carry lives behind one
/// pointer ([`Item::more`]), so a violation costs its few shared strings and
/// not the fields it never sets.
#[derive(Debug, Clone, Eq)]
pub struct Item {
    pub verdict: Verdict,
    /// Whether `rule` is part of the site's identity (SPEC §12.7: a rule id
    /// another tool reported, or an entry's `rule`), so `allow` writes it.
    /// Not serialised: `rule` says the same to a reader.
    pub rule_in_key: bool,
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
    pub text: Option<SharedStr>,
    /// The rule that fired (live sites), the entry's `rule` (items about an
    /// entry that has one), or the gate name.
    pub rule: SharedStr,
    /// The message to print: the gate's `message`, else the source's.
    pub message: SharedStr,
    /// `violation`: the ready-to-paste YAML entry (emit-on-miss);
    /// `undercount`: the inventory row. Serialised as its text
    /// ([`Item::suggestion_text`]).
    pub suggestion: Option<Suggestion>,
    /// A human sentence saying what is wrong and what to do, for items whose
    /// verdict alone does not say it (invalid, ambiguous, parse_error).
    pub detail: Option<SharedStr>,
    /// The fields only some verdicts set; read with [`Item::more`], written
    /// with [`Item::more_mut`]. `None` and an empty box mean the same.
    more: Option<Box<More>>,
}

/// The fields of an [`Item`] that only some verdicts carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct More {
    /// `changed`: the entry's old token (`token` is the live one).
    pub old_token: Option<String>,
    /// `changed`, for an entry with `text`: the entry's old text (`text` is
    /// the live one).
    pub old_text: Option<String>,
    /// `moved`: the file where the key lives now.
    pub moved_to: Option<String>,
    /// `stale`: the nearest live token in the same qualname, if any.
    pub nearest: Option<String>,
    /// `count` and `baseline`: expected and actual numbers.
    pub expected: Option<u64>,
    pub actual: Option<u64>,
    /// The allowlist entry concerned: its file and the line it starts on.
    pub entry: Option<EntryRef>,
    /// The `scope` of the scoped allowlist entry concerned (`file` or
    /// `qualname`; SPEC §12.2): on its `ok` sites and on items about the
    /// entry itself (`stale`, `count`, `invalid`, …).
    pub scope: Option<SharedStr>,
    /// The accepted entry's rationale (`ok` items; SARIF suppressions).
    pub rationale: Option<SharedStr>,
}

impl More {
    const NONE: More = More {
        old_token: None,
        old_text: None,
        moved_to: None,
        nearest: None,
        expected: None,
        actual: None,
        entry: None,
        scope: None,
        rationale: None,
    };
}

/// What [`Item::more`] reads when an item has none.
static NO_MORE: More = More::NONE;

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        (self.verdict, self.rule_in_key, &self.file, self.line)
            == (other.verdict, other.rule_in_key, &other.file, other.line)
            && (&self.qualname, &self.token, &self.text, &self.rule)
                == (&other.qualname, &other.token, &other.text, &other.rule)
            && (&self.message, &self.suggestion, &self.detail)
                == (&other.message, &other.suggestion, &other.detail)
            && self.more() == other.more()
    }
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
        let (file, qualname, token) = (file.into(), qualname.into(), token.into());
        let (rule, message) = (SharedStr::default(), SharedStr::default());
        Item::with_rule(verdict, file, line, qualname, token, rule, message)
    }

    /// An item with its rule and message too: what [`Item::new`] and two
    /// assignments give, without the two default strings they would
    /// replace (a rule that matches everywhere builds hundreds of thousands
    /// of items, on every core at once, and each default is one more count
    /// on one shared string).
    pub fn with_rule(
        verdict: Verdict,
        file: SharedStr,
        line: Option<usize>,
        qualname: SharedStr,
        token: SharedStr,
        rule: SharedStr,
        message: SharedStr,
    ) -> Self {
        Item {
            verdict,
            rule_in_key: false,
            file,
            line,
            qualname,
            token,
            text: None,
            rule,
            message,
            suggestion: None,
            detail: None,
            more: None,
        }
    }

    /// The fields only some verdicts set (all `None` when none is).
    pub fn more(&self) -> &More {
        self.more.as_deref().unwrap_or(&NO_MORE)
    }

    /// The fields only some verdicts set, to write.
    pub fn more_mut(&mut self) -> &mut More {
        self.more.get_or_insert_with(Box::default)
    }
}

/// How an item is written in JSON (format version 1): [`Item`]'s fields in
/// order, empty optional ones left out, the suggestion as its text.
#[derive(Serialize)]
struct ItemJson<'a> {
    verdict: Verdict,
    file: &'a SharedStr,
    line: Option<usize>,
    qualname: &'a SharedStr,
    token: &'a SharedStr,
    #[serde(skip_serializing_if = "absent")]
    text: &'a Option<SharedStr>,
    rule: &'a SharedStr,
    message: &'a SharedStr,
    #[serde(skip_serializing_if = "absent")]
    old_token: &'a Option<String>,
    #[serde(skip_serializing_if = "absent")]
    old_text: &'a Option<String>,
    #[serde(skip_serializing_if = "absent")]
    moved_to: &'a Option<String>,
    #[serde(skip_serializing_if = "absent")]
    nearest: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<u64>,
    #[serde(skip_serializing_if = "absent")]
    entry: &'a Option<EntryRef>,
    #[serde(skip_serializing_if = "absent")]
    scope: &'a Option<SharedStr>,
    #[serde(skip_serializing_if = "absent")]
    rationale: &'a Option<SharedStr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "absent")]
    detail: &'a Option<SharedStr>,
}

fn absent<T>(value: &&Option<T>) -> bool {
    value.is_none()
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let more = self.more();
        ItemJson {
            verdict: self.verdict,
            file: &self.file,
            line: self.line,
            qualname: &self.qualname,
            token: &self.token,
            text: &self.text,
            rule: &self.rule,
            message: &self.message,
            old_token: &more.old_token,
            old_text: &more.old_text,
            moved_to: &more.moved_to,
            nearest: &more.nearest,
            expected: more.expected,
            actual: more.actual,
            entry: &more.entry,
            scope: &more.scope,
            rationale: &more.rationale,
            suggestion: self.suggestion_text(),
            detail: &self.detail,
        }
        .serialize(serializer)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_stays_small() {
        // A rule that matches everywhere gives hundreds of thousands of
        // items: a field added to `Item` costs that many times its size.
        // Rarely set fields belong in `More`.
        let size = std::mem::size_of::<Item>();
        assert!(size <= 168, "an Item takes {size} bytes");
    }

    #[test]
    fn no_more_and_an_empty_more_are_the_same_item() {
        let plain = Item::new(Verdict::Stale, "a.py", Some(3), "f", "x");
        let mut touched = plain.clone();
        touched.more_mut().nearest = None;
        assert_eq!(plain, touched);
        touched.more_mut().nearest = Some("y".to_owned());
        assert_ne!(plain, touched);
        assert_eq!(touched.more().nearest.as_deref(), Some("y"));
        assert_eq!(plain.more(), &More::default());
    }
}
