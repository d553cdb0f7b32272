//! Parsing one key of an allowlist file into the [`Allowlist`] model.
//!
//! Responsible for the YAML shape of SPEC §4: a top-level mapping; `<key>` →
//! a sequence of entries (mappings, or legacy `"file:line"` strings);
//! `<key>_baseline` → a non-negative integer; every other top-level key and
//! every unknown entry field ignored, so several gates can share a file. The
//! YAML is loaded with saphyr without scalar resolution (YAML 1.2 core schema
//! guessing would turn `issue: 2477` into a number and lose how it was
//! written), and the field types are checked here. Not responsible for the
//! checks that are verdicts (missing `file`/`qualname`/`token`, paths
//! escaping the root, duplicates, legacy entries): see `crate::reconcile`.

use saphyr::{MarkedYaml, YamlData};

use super::error::AllowlistError;
use super::load::load;
use super::scalar::{describe, is_null, plain_u64, scalar, untag};
use super::span::Offsets;
use super::{Allowlist, Entry, EntryForm, Field, Span};
use crate::date::Date;

/// Reads the entries under `key` from `text`, the content of the allowlist
/// named `file` in messages, with the baseline under `<key>_baseline`. A
/// text without `key` (or an empty text) gives an empty allowlist.
pub fn parse(file: &str, text: &str, key: &str) -> Result<Allowlist, AllowlistError> {
    parse_keys(file, text, key, &format!("{key}_baseline"))
}

/// [`parse`] with the baseline under `baseline_key` (a gate's
/// `baseline_key`, SPEC §12.2).
pub fn parse_keys(
    file: &str,
    text: &str,
    key: &str,
    baseline_key: &str,
) -> Result<Allowlist, AllowlistError> {
    let documents = load(file, text)?;
    let Some(root) = documents.first() else {
        return Ok(Allowlist::empty(key));
    };
    let reader = Reader {
        file,
        key,
        baseline_key,
        offsets: Offsets::new(text),
    };
    reader.allowlist(root)
}

struct Reader<'a> {
    file: &'a str,
    key: &'a str,
    baseline_key: &'a str,
    offsets: Offsets<'a>,
}

impl Reader<'_> {
    fn allowlist(&self, root: &MarkedYaml<'_>) -> Result<Allowlist, AllowlistError> {
        if is_null(root) {
            return Ok(Allowlist::empty(self.key));
        }
        let YamlData::Mapping(mapping) = &untag(root).data else {
            return Err(AllowlistError::TopLevel {
                file: self.file.to_owned(),
                line: root.span.start.line(),
                key: self.key.to_owned(),
                found: describe(root),
            });
        };
        let baseline_key = self.baseline_key;
        let mut allowlist = Allowlist::empty(self.key);
        for (name, value) in mapping {
            if let Some((text, _)) = scalar(name) {
                if text.ends_with("_baseline") {
                    let line = name.span.start.line();
                    allowlist.baseline_keys.push((text.to_owned(), line));
                }
                let list = is_null(value) || matches!(untag(value).data, YamlData::Sequence(_));
                if list {
                    allowlist.lists.push(text.to_owned());
                }
            }
            match scalar(name).map(|(text, _)| text) {
                Some(text) if text == self.key => {
                    allowlist.span = Some(self.span(value));
                    allowlist.entries = self.entries(value)?;
                }
                Some(text) if text == baseline_key => {
                    let count = plain_u64(value).ok_or_else(|| {
                        self.wrong_type(baseline_key, "a non-negative integer", value)
                    })?;
                    allowlist.baseline = Some(self.field(count, name, value));
                }
                _ => {}
            }
        }
        Ok(allowlist)
    }

    fn entries(&self, value: &MarkedYaml<'_>) -> Result<Vec<Entry>, AllowlistError> {
        if is_null(value) {
            return Ok(Vec::new());
        }
        let YamlData::Sequence(items) = &untag(value).data else {
            return Err(AllowlistError::NotSequence {
                file: self.file.to_owned(),
                line: value.span.start.line(),
                field: self.key.to_owned(),
                found: describe(value),
            });
        };
        items.iter().map(|item| self.entry(item)).collect()
    }

    fn entry(&self, item: &MarkedYaml<'_>) -> Result<Entry, AllowlistError> {
        let node = untag(item);
        match &node.data {
            YamlData::Mapping(mapping) => self.mapping_entry(node, mapping),
            YamlData::Representation(text, _, _) if !is_null(node) => self
                .legacy_string(node, text)
                .ok_or_else(|| self.entry_shape(node)),
            _ => Err(self.entry_shape(node)),
        }
    }

    fn mapping_entry(
        &self,
        node: &MarkedYaml<'_>,
        mapping: &saphyr::AnnotatedMapping<'_, MarkedYaml<'_>>,
    ) -> Result<Entry, AllowlistError> {
        // A block mapping's own end lies past the comments that follow it:
        // the entry ends where its last value does.
        let mut span = self.span(node);
        span.end = span.start;
        let mut entry = Entry {
            line: node.span.start.line(),
            span,
            form: EntryForm::Mapping,
            file: None,
            qualname: None,
            token: None,
            text: None,
            rule: None,
            locator: None,
            count: None,
            rationale: None,
            issue: None,
            expires: None,
            scope: None,
        };
        let mut reason = None;
        for (name, value) in mapping {
            entry.span.end = entry.span.end.max(self.tight_end(value));
            let Some((field, _)) = scalar(name) else {
                continue;
            };
            match field {
                "file" => entry.file = self.string(field, name, value)?,
                "qualname" => entry.qualname = self.string(field, name, value)?,
                "token" => entry.token = self.string(field, name, value)?,
                "text" => entry.text = self.string(field, name, value)?,
                "rule" => entry.rule = self.string(field, name, value)?,
                "rationale" => entry.rationale = self.string(field, name, value)?,
                "reason" => reason = self.string(field, name, value)?,
                "issue" => entry.issue = self.string(field, name, value)?,
                "line" => entry.locator = self.locator(name, value)?,
                "count" => entry.count = self.positive(field, name, value, "an integer >= 1")?,
                "expires" => entry.expires = self.date(name, value)?,
                "scope" => entry.scope = self.string(field, name, value)?,
                _ => {}
            }
        }
        entry.rationale = entry.rationale.or(reason);
        Ok(entry)
    }

    /// A bare `"path:line"` item, as line-keyed allowlists wrote them.
    fn legacy_string(&self, node: &MarkedYaml<'_>, text: &str) -> Option<Entry> {
        let (path, line) = text.rsplit_once(':')?;
        if path.is_empty() || line.is_empty() || !line.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let line: usize = line.parse().ok().filter(|&line| line >= 1)?;
        let span = self.span(node);
        Some(Entry {
            line: node.span.start.line(),
            span,
            form: EntryForm::LegacyString,
            file: Some(Field {
                value: path.to_owned(),
                span,
                key_span: span,
            }),
            qualname: None,
            token: None,
            text: None,
            rule: None,
            locator: Some(Field {
                value: line,
                span,
                key_span: span,
            }),
            count: None,
            rationale: None,
            issue: None,
            expires: None,
            scope: None,
        })
    }

    fn string(
        &self,
        field: &str,
        name: &MarkedYaml<'_>,
        value: &MarkedYaml<'_>,
    ) -> Result<Option<Field<String>>, AllowlistError> {
        if is_null(value) {
            return Ok(None);
        }
        let (text, _) = scalar(value).ok_or_else(|| self.wrong_type(field, "a string", value))?;
        Ok(Some(self.field(text.to_owned(), name, value)))
    }

    /// An integer >= 1 (`count`, and `line` through [`Self::locator`]).
    fn positive(
        &self,
        field: &str,
        name: &MarkedYaml<'_>,
        value: &MarkedYaml<'_>,
        expected: &str,
    ) -> Result<Option<Field<u64>>, AllowlistError> {
        if is_null(value) {
            return Ok(None);
        }
        let number = plain_u64(value)
            .filter(|&number| number >= 1)
            .ok_or_else(|| self.wrong_type(field, expected, value))?;
        Ok(Some(self.field(number, name, value)))
    }

    fn locator(
        &self,
        name: &MarkedYaml<'_>,
        value: &MarkedYaml<'_>,
    ) -> Result<Option<Field<usize>>, AllowlistError> {
        const EXPECTED: &str = "a line number >= 1";
        let Some(field) = self.positive("line", name, value, EXPECTED)? else {
            return Ok(None);
        };
        let line =
            usize::try_from(field.value).map_err(|_| self.wrong_type("line", EXPECTED, value))?;
        Ok(Some(Field {
            value: line,
            span: field.span,
            key_span: field.key_span,
        }))
    }

    fn date(
        &self,
        name: &MarkedYaml<'_>,
        value: &MarkedYaml<'_>,
    ) -> Result<Option<Field<Date>>, AllowlistError> {
        if is_null(value) {
            return Ok(None);
        }
        let date = scalar(value)
            .and_then(|(text, _)| Date::parse(text))
            .ok_or_else(|| self.wrong_type("expires", "a date written YYYY-MM-DD", value))?;
        Ok(Some(self.field(date, name, value)))
    }

    fn field<T>(&self, value: T, name: &MarkedYaml<'_>, node: &MarkedYaml<'_>) -> Field<T> {
        Field {
            value,
            span: self.span(node),
            key_span: self.span(name),
        }
    }

    /// The node's span; scalars end at their last character.
    fn span(&self, node: &MarkedYaml<'_>) -> Span {
        match &untag(node).data {
            YamlData::Representation(..) => {
                self.offsets.scalar_span(node.span.start, node.span.end)
            }
            _ => self.offsets.span(node.span.start, node.span.end),
        }
    }

    /// Where the node's last scalar ends (a block collection's own end lies
    /// past the comments and blank lines after it). Walks with a stack, not
    /// recursion, so hostile nesting cannot exhaust the call stack.
    fn tight_end(&self, node: &MarkedYaml<'_>) -> usize {
        let mut end = self.span(node).start;
        let mut pending = vec![node];
        while let Some(node) = pending.pop() {
            match &untag(node).data {
                YamlData::Mapping(mapping) => {
                    pending.extend(mapping.iter().flat_map(|(name, value)| [name, value]));
                }
                YamlData::Sequence(items) => pending.extend(items.iter()),
                _ => end = end.max(self.span(node).end),
            }
        }
        end
    }

    fn wrong_type(&self, field: &str, expected: &str, value: &MarkedYaml<'_>) -> AllowlistError {
        AllowlistError::FieldType {
            file: self.file.to_owned(),
            line: value.span.start.line(),
            field: field.to_owned(),
            expected: expected.to_owned(),
            found: describe(value),
        }
    }

    fn entry_shape(&self, node: &MarkedYaml<'_>) -> AllowlistError {
        AllowlistError::EntryShape {
            file: self.file.to_owned(),
            line: node.span.start.line(),
            field: self.key.to_owned(),
            found: describe(node),
        }
    }
}
