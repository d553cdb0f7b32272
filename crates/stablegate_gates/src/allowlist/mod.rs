//! Allowlists (SPEC §4): the parsed model of one gate's entries in a YAML file.
//!
//! Responsible for reading the text of an allowlist file into [`Allowlist`]:
//! the entries under one top-level key, the optional `<key>_baseline`, and
//! where every entry and field is written (line and byte span), so later
//! rewrites (`refresh`, `allow`) can change one value in place and keep every
//! other byte. Not responsible for reading the file (a missing file is an
//! empty allowlist: the caller decides), for judging entries against live
//! sites, or for the checks SPEC §4.1 lists as verdicts (missing fields, paths
//! escaping the root, duplicates, legacy entries): those entries are kept here
//! as written and judged by [`crate::reconcile`], so one bad entry does not
//! hide the verdicts of the others.

mod error;
mod load;
mod parse;
mod path;
mod scalar;
mod span;

pub use error::AllowlistError;
pub use parse::{parse, parse_keys};
pub use path::{escapes_root, is_canonical_path};

use crate::date::Date;

/// The entries of one allowlist key, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowlist {
    /// The top-level key the entries were read from.
    pub key: String,
    pub entries: Vec<Entry>,
    /// The baseline (`<key>_baseline`, or the gate's `baseline_key`), when
    /// the file sets it.
    pub baseline: Option<Field<u64>>,
    /// Every top-level key of the file ending in `_baseline`, with its line
    /// (whichever list it belongs to): one that names no list is `invalid`
    /// (SPEC §12.2), decided by the caller, which knows the configured keys.
    pub baseline_keys: Vec<(String, usize)>,
    /// Every top-level key of the file whose value is a list (or empty).
    pub lists: Vec<String>,
    /// Where the value of `<key>` is written (absent when the file has no
    /// such key). A block sequence's span runs from its first item's content
    /// to where the next top-level node starts, so comments after the last
    /// entry fall inside it; the entries' spans are tight.
    pub span: Option<Span>,
}

/// The text of an allowlist file's bytes; bytes that are not UTF-8 are an
/// error naming the line of the first bad byte.
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, AllowlistError> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        AllowlistError::NotUtf8 {
            file: file.to_owned(),
            line: 1 + valid.iter().filter(|&&b| b == b'\n').count(),
        }
    })
}

impl Allowlist {
    /// An allowlist with no entries, as a missing file reads.
    pub fn empty(key: &str) -> Self {
        Allowlist {
            key: key.to_owned(),
            entries: Vec::new(),
            baseline: None,
            baseline_keys: Vec::new(),
            lists: Vec::new(),
            span: None,
        }
    }
}

/// One entry, as written. Every field is optional here: an entry that lacks
/// `file`, `qualname` or `token` is an `invalid` verdict, not a parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line of the YAML file where the entry starts.
    pub line: usize,
    /// The entry's node: the mapping from its first key to the end of its
    /// last value (comments after it excluded), or the legacy string.
    pub span: Span,
    pub form: EntryForm,
    pub file: Option<Field<String>>,
    pub qualname: Option<Field<String>>,
    pub token: Option<Field<String>>,
    /// `text:`, the plain-text key of a line without code token, for an
    /// entry with `token: ""` (SPEC §12.7): compared like the token.
    pub text: Option<Field<String>>,
    /// `rule:`, the rule id the entry is limited to (SPEC §12.7); an entry
    /// without it covers findings of any rule.
    pub rule: Option<Field<String>>,
    /// The `line:` locator: printed for jump-to, never compared.
    pub locator: Option<Field<usize>>,
    pub count: Option<Field<u64>>,
    /// `rationale`, or its alias `reason` when `rationale` is absent.
    pub rationale: Option<Field<String>>,
    pub issue: Option<Field<String>>,
    pub expires: Option<Field<Date>>,
    /// `scope:`, written on a scoped entry (SPEC §12.2): `file` or
    /// `qualname`, kept as written (an unknown value is an `invalid`
    /// verdict, judged by [`crate::reconcile`]).
    pub scope: Option<Field<String>>,
}

impl Entry {
    /// Whether this is a line-keyed entry from before Design-P: a bare
    /// `"file:line"` string, or a mapping with `qualname` and `line` but no
    /// `token`. `stablegate convert` turns these into Design-P entries.
    pub fn is_legacy(&self) -> bool {
        match self.form {
            EntryForm::LegacyString => true,
            EntryForm::Mapping => {
                self.scope.is_none()
                    && self.token.is_none()
                    && self.qualname.is_some()
                    && self.locator.is_some()
            }
        }
    }

    /// Whether the entry is scoped (it has a `scope:` key, whatever its
    /// value): it covers a whole file or scope and has no token or line.
    pub fn is_scoped(&self) -> bool {
        self.scope.is_some()
    }

    /// The stored `scope`, if any.
    pub fn scope_value(&self) -> Option<&str> {
        self.scope.as_ref().map(|field| field.value.as_str())
    }

    /// The stored token, if any.
    pub fn token_text(&self) -> Option<&str> {
        self.token.as_ref().map(|field| field.value.as_str())
    }

    /// The stored `text`, if any.
    pub fn text_value(&self) -> Option<&str> {
        self.text.as_ref().map(|field| field.value.as_str())
    }

    /// The stored `rule`, if any.
    pub fn rule_value(&self) -> Option<&str> {
        self.rule.as_ref().map(|field| field.value.as_str())
    }
}

/// How an entry is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryForm {
    /// A YAML mapping (`- file: …`).
    Mapping,
    /// A bare `"file:line"` string (legacy).
    LegacyString,
}

/// A field's value and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    pub value: T,
    /// The value's text in the file (quotes included for quoted scalars).
    pub span: Span,
    /// The key's text (`line`, `token`, …); for the fields of a legacy
    /// string entry, the string itself.
    pub key_span: Span,
}

/// A place in the allowlist file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte (`start` for an empty value).
    pub end: usize,
    /// 1-based line of the first byte.
    pub line: usize,
    /// 0-based column of the first byte, in characters.
    pub column: usize,
}
