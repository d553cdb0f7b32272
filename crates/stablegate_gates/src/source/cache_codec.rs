//! The bytes of one cached file outcome: what a scan found in one file and
//! the keys of the findings' lines (see [`super::cache`]).
//!
//! A compact, versioned binary form: little-endian integers, a per-file
//! string table (a rule id, a message, a qualname or a token is written once
//! however many findings share it), then the records. [`decode`] never
//! panics and never trusts a length: anything out of range or left over is
//! `None`, and the caller scans the file instead.

use std::collections::HashMap;

use stablegate_model::SharedStr;

use crate::inputs::{Finding, Site, Unreadable};

/// What scanning one file gave (the file's name is not encoded: it is the
/// cache's key, and [`decode`] puts it back).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub findings: Vec<Finding>,
    /// The file cannot be read, decoded or parsed cleanly.
    pub problem: Option<Unreadable>,
    /// The parser does not know a construct of the file.
    pub gap: Option<Unreadable>,
    pub parsed: bool,
    /// The findings' sites (in the findings' order, unkeyable ones left
    /// out) and the findings that could not be keyed.
    pub sites: Vec<Site>,
    pub unkeyable: Vec<Unreadable>,
}

const NONE: u32 = u32::MAX;

/// Encodes `outcome`.
pub(crate) fn encode(outcome: &Outcome) -> Vec<u8> {
    let mut strings = Strings::default();
    let mut records = Vec::new();
    put_u8(&mut records, u8::from(outcome.parsed));
    for problem in [&outcome.problem, &outcome.gap] {
        match problem {
            None => put_u8(&mut records, 0),
            Some(problem) => {
                put_u8(&mut records, 1);
                put_line(&mut records, problem.line);
                put_u32(&mut records, strings.index(&problem.reason));
            }
        }
    }
    // A site holds a clone of its finding: the sites are the findings with
    // a key, in order, so a key per finding says it all.
    let mut keys = outcome.sites.iter().peekable();
    put_u32(&mut records, len_u32(outcome.findings.len()));
    for finding in &outcome.findings {
        for number in [
            finding.line,
            finding.column,
            finding.end_line,
            finding.offset,
        ] {
            put_u64(&mut records, number as u64);
        }
        put_u32(&mut records, strings.index(&finding.rule));
        put_u8(&mut records, u8::from(finding.rule_in_key));
        let message = finding.message.as_ref().map_or(NONE, |m| strings.index(m));
        put_u32(&mut records, message);
        match keys.next_if(|site| site.finding == *finding) {
            Some(site) => {
                put_u32(&mut records, strings.index(&site.qualname));
                put_u32(&mut records, strings.index(&site.token));
                put_u32(&mut records, strings.index(&site.text));
            }
            None => {
                put_u32(&mut records, NONE);
                put_u32(&mut records, NONE);
                put_u32(&mut records, NONE);
            }
        }
    }
    put_u32(&mut records, len_u32(outcome.unkeyable.len()));
    for unkeyable in &outcome.unkeyable {
        put_line(&mut records, unkeyable.line);
        put_u32(&mut records, strings.index(&unkeyable.reason));
    }
    let mut out = Vec::with_capacity(records.len() + strings.bytes);
    put_u32(&mut out, len_u32(strings.list.len()));
    for text in &strings.list {
        put_str(&mut out, text);
    }
    out.extend_from_slice(&records);
    out
}

/// Decodes what [`encode`] wrote for root-relative `file`; `None` when the
/// bytes are not such an encoding.
pub(crate) fn decode(file: &str, bytes: &[u8]) -> Option<Outcome> {
    let mut input = Input { bytes, at: 0 };
    let count = input.u32()? as usize;
    // Every string takes at least its 4-byte length: a count the bytes
    // cannot hold is refused before anything is allocated for it.
    if count > bytes.len() / 4 {
        return None;
    }
    let mut strings = Vec::with_capacity(count);
    for _ in 0..count {
        strings.push(SharedStr::from(input.str()?));
    }
    let string = |index: u32| strings.get(index as usize).cloned();
    let shared_file = SharedStr::from(file);
    let mut outcome = Outcome {
        parsed: input.u8()? == 1,
        ..Outcome::default()
    };
    for slot in [&mut outcome.problem, &mut outcome.gap] {
        if input.u8()? == 1 {
            let line = input.line()?;
            *slot = Some(Unreadable {
                file: file.to_owned(),
                line,
                reason: string(input.u32()?)?.to_string(),
            });
        }
    }
    let findings = input.u32()? as usize;
    if findings > input.left() / 53 {
        return None;
    }
    outcome.findings.reserve(findings);
    for _ in 0..findings {
        let mut number = || input.u64().and_then(|n| usize::try_from(n).ok());
        let (line, column, end_line, offset) = (number()?, number()?, number()?, number()?);
        let rule = string(input.u32()?)?;
        let rule_in_key = match input.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let message = match input.u32()? {
            NONE => None,
            index => Some(string(index)?),
        };
        let finding = Finding {
            file: shared_file.clone(),
            line,
            column,
            end_line,
            offset,
            rule,
            rule_in_key,
            message,
        };
        match (input.u32()?, input.u32()?, input.u32()?) {
            (NONE, NONE, NONE) => {}
            (qualname, token, text) => outcome.sites.push(Site {
                finding: finding.clone(),
                qualname: string(qualname)?,
                token: string(token)?,
                text: string(text)?,
            }),
        }
        outcome.findings.push(finding);
    }
    let unkeyable = input.u32()? as usize;
    if unkeyable > input.left() / 5 {
        return None;
    }
    for _ in 0..unkeyable {
        let line = input.line()?;
        outcome.unkeyable.push(Unreadable {
            file: file.to_owned(),
            line,
            reason: string(input.u32()?)?.to_string(),
        });
    }
    (input.left() == 0).then_some(outcome)
}

/// The string table being built: each distinct string once.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
    bytes: usize,
}

impl<'a> Strings<'a> {
    fn index(&mut self, text: &'a str) -> u32 {
        if let Some(&index) = self.index.get(text) {
            return index;
        }
        let index = len_u32(self.list.len());
        self.list.push(text);
        self.index.insert(text, index);
        self.bytes += 4 + text.len();
        index
    }
}

fn len_u32(len: usize) -> u32 {
    // A file of more than 4 billion findings or strings is far beyond any
    // size stablegate reads (files are bounded); saturate rather than wrap.
    u32::try_from(len).unwrap_or(NONE - 1)
}

fn put_u8(out: &mut Vec<u8>, value: u8) {
    out.push(value);
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_u32(out, len_u32(text.len()));
    out.extend_from_slice(text.as_bytes());
}

fn put_line(out: &mut Vec<u8>, line: Option<usize>) {
    match line {
        None => put_u8(out, 0),
        Some(line) => {
            put_u8(out, 1);
            put_u64(out, line as u64);
        }
    }
}

/// A reader that refuses to read past the end.
struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Input<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(len)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }

    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }

    #[expect(
        clippy::option_option,
        reason = "the outer `None` is a truncated cache entry, the inner one an item without a line"
    )]
    fn line(&mut self) -> Option<Option<usize>> {
        match self.u8()? {
            0 => Some(None),
            1 => usize::try_from(self.u64()?).ok().map(Some),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(line: usize, rule: &str, message: Option<&str>) -> Finding {
        Finding {
            file: "a.py".into(),
            line,
            column: 3,
            end_line: line + 1,
            offset: line * 10,
            rule: rule.into(),
            rule_in_key: line.is_multiple_of(2),
            message: message.map(SharedStr::from),
        }
    }

    fn sample() -> Outcome {
        let findings = vec![
            finding(1, "r", None),
            finding(2, "r", Some("no")),
            finding(9, "s", Some("no")),
        ];
        let site = |f: &Finding, token: &str| Site {
            finding: f.clone(),
            qualname: "C.f".into(),
            token: token.into(),
            text: if token.is_empty() {
                "# a comment".into()
            } else {
                "".into()
            },
        };
        Outcome {
            sites: vec![site(&findings[0], "x = 1"), site(&findings[1], "")],
            unkeyable: vec![Unreadable {
                file: "a.py".to_owned(),
                line: Some(9),
                reason: "has no line 9 (it has 2): the finding cannot be keyed".to_owned(),
            }],
            findings,
            problem: None,
            gap: Some(Unreadable {
                file: "a.py".to_owned(),
                line: Some(2),
                reason: "parser gap".to_owned(),
            }),
            parsed: true,
        }
    }

    #[test]
    fn an_outcome_reads_back_as_it_was_written() {
        for outcome in [sample(), Outcome::default()] {
            let bytes = encode(&outcome);
            assert_eq!(decode("a.py", &bytes), Some(outcome));
        }
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_refused_or_decodes_without_panic() {
        let bytes = encode(&sample());
        for end in 0..bytes.len() {
            assert_eq!(decode("a.py", &bytes[..end]), None, "cut at {end}");
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0xff;
            let _ = decode("a.py", &flipped);
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode("a.py", &longer), None, "trailing bytes");
    }
}
