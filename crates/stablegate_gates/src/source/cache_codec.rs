//! The bytes of one cached file outcome: what a scan found in one file and
//! the keys of the findings' lines (see [`super::cache`]).
//!
//! A compact, versioned binary form: unsigned LEB128 integers (a line
//! number or a string index takes a byte or two, not eight), a per-file
//! string table (a rule id, a message, a qualname or a token is written once
//! however many findings share it), then the records: the sites (each a
//! finding and its key), the findings that have no site, the problems. An
//! optional string is its index plus one, 0 for none. [`decode`] never
//! panics and never trusts a length: anything out of range or left over is
//! `None`, and the caller scans the file instead.

use std::collections::HashMap;

use stablegate_model::SharedStr;

use crate::inputs::{Finding, Site, Unreadable};

/// What scanning one file gave (the file's name is not encoded: it is the
/// cache's key, and [`decode`] puts it back).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// The findings' sites, each holding its finding (the scan keys the
    /// file as it reads it), in the order the rules found them.
    pub sites: Vec<Site>,
    /// The findings that could not be keyed (each also an `unkeyable`
    /// problem): a finding lives in its site or here, never in both.
    pub findings: Vec<Finding>,
    /// The file cannot be read, decoded or parsed cleanly.
    pub problem: Option<Unreadable>,
    /// The parser does not know a construct of the file.
    pub gap: Option<Unreadable>,
    pub parsed: bool,
    pub unkeyable: Vec<Unreadable>,
}

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
                put_var(&mut records, strings.index(&problem.reason));
            }
        }
    }
    put_var(&mut records, outcome.sites.len() as u64);
    for site in &outcome.sites {
        put_finding(&mut records, &mut strings, &site.finding);
        put_var(&mut records, strings.index(&site.qualname));
        put_var(&mut records, strings.index(&site.token));
        put_var(&mut records, strings.index(&site.text));
    }
    put_var(&mut records, outcome.findings.len() as u64);
    for finding in &outcome.findings {
        put_finding(&mut records, &mut strings, finding);
    }
    put_var(&mut records, outcome.unkeyable.len() as u64);
    for unkeyable in &outcome.unkeyable {
        put_line(&mut records, unkeyable.line);
        put_var(&mut records, strings.index(&unkeyable.reason));
    }
    let mut out = Vec::with_capacity(records.len() + strings.bytes);
    put_var(&mut out, strings.list.len() as u64);
    for text in &strings.list {
        put_str(&mut out, text);
    }
    out.extend_from_slice(&records);
    out
}

/// A finding but its file (the entry's).
fn put_finding<'a>(out: &mut Vec<u8>, strings: &mut Strings<'a>, finding: &'a Finding) {
    for number in [
        finding.line,
        finding.column,
        finding.end_line,
        finding.offset,
    ] {
        put_var(out, number as u64);
    }
    put_var(out, strings.index(&finding.rule));
    put_u8(out, u8::from(finding.rule_in_key));
    let message = finding.message.as_ref().map_or(0, |m| strings.index(m) + 1);
    put_var(out, message);
}

/// Decodes what [`encode`] wrote for root-relative `file`; `None` when the
/// bytes are not such an encoding.
pub(crate) fn decode(file: &str, bytes: &[u8]) -> Option<Outcome> {
    let mut input = Input { bytes, at: 0 };
    let count = input.count()?;
    // Every string takes at least its 1-byte length: a count the bytes
    // cannot hold is refused before anything is allocated for it.
    if count > input.left() {
        return None;
    }
    let mut strings = Vec::with_capacity(count);
    for _ in 0..count {
        strings.push(SharedStr::from(input.str()?));
    }
    let table = Table {
        strings,
        file: SharedStr::from(file),
    };
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
                reason: table.string(input.var()?)?.to_string(),
            });
        }
    }
    // A finding takes at least 7 bytes, a site 10: counts the bytes cannot
    // hold are refused before anything is reserved for them.
    let sites = input.count()?;
    if sites > input.left() / 10 {
        return None;
    }
    outcome.sites.reserve(sites);
    for _ in 0..sites {
        outcome.sites.push(Site {
            finding: table.finding(&mut input)?,
            qualname: table.string(input.var()?)?,
            token: table.string(input.var()?)?,
            text: table.string(input.var()?)?,
        });
    }
    let findings = input.count()?;
    if findings > input.left() / 7 {
        return None;
    }
    outcome.findings.reserve(findings);
    for _ in 0..findings {
        outcome.findings.push(table.finding(&mut input)?);
    }
    let unkeyable = input.count()?;
    if unkeyable > input.left() / 2 {
        return None;
    }
    for _ in 0..unkeyable {
        let line = input.line()?;
        outcome.unkeyable.push(Unreadable {
            file: file.to_owned(),
            line,
            reason: table.string(input.var()?)?.to_string(),
        });
    }
    (input.left() == 0).then_some(outcome)
}

/// An entry's string table, and its file's name, shared by what it decodes.
struct Table {
    strings: Vec<SharedStr>,
    file: SharedStr,
}

impl Table {
    fn string(&self, index: u64) -> Option<SharedStr> {
        self.strings.get(usize::try_from(index).ok()?).cloned()
    }

    /// What [`put_finding`] wrote.
    fn finding(&self, input: &mut Input<'_>) -> Option<Finding> {
        let mut number = || input.count();
        let (line, column, end_line, offset) = (number()?, number()?, number()?, number()?);
        let rule = self.string(input.var()?)?;
        let rule_in_key = match input.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let message = match input.var()? {
            0 => None,
            index => Some(self.string(index - 1)?),
        };
        Some(Finding {
            file: self.file.clone(),
            line,
            column,
            end_line,
            offset,
            rule,
            rule_in_key,
            message,
        })
    }
}

/// The string table being built: each distinct string once.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u64>,
    bytes: usize,
}

impl<'a> Strings<'a> {
    fn index(&mut self, text: &'a str) -> u64 {
        if let Some(&index) = self.index.get(text) {
            return index;
        }
        let index = self.list.len() as u64;
        self.list.push(text);
        self.index.insert(text, index);
        self.bytes += 2 + text.len();
        index
    }
}

fn put_u8(out: &mut Vec<u8>, value: u8) {
    out.push(value);
}

/// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on
/// every byte but the last.
fn put_var(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_var(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// A line as its number plus one, 0 for none.
fn put_line(out: &mut Vec<u8>, line: Option<usize>) {
    put_var(out, line.map_or(0, |line| line as u64 + 1));
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

    /// An unsigned LEB128 integer; `None` past the end, past 64 bits, or
    /// for a byte more than needed (each value has one encoding).
    fn var(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return None;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return (byte != 0 || shift == 0).then_some(value);
            }
        }
        None
    }

    /// A [`Input::var`] that fits a `usize`.
    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.var()?).ok()
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.count()?;
        std::str::from_utf8(self.take(len)?).ok()
    }

    #[expect(
        clippy::option_option,
        reason = "the outer `None` is a truncated cache entry, the inner one an item without a line"
    )]
    fn line(&mut self) -> Option<Option<usize>> {
        match self.count()? {
            0 => Some(None),
            line => Some(Some(line - 1)),
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
        let site = |f: Finding, token: &str| Site {
            finding: f,
            qualname: "C.f".into(),
            token: token.into(),
            text: if token.is_empty() {
                "# a comment".into()
            } else {
                "".into()
            },
        };
        Outcome {
            sites: vec![
                site(finding(1, "r", None), "x = 1"),
                site(finding(2, "r", Some("no")), ""),
            ],
            unkeyable: vec![Unreadable {
                file: "a.py".to_owned(),
                line: Some(9),
                reason: "has no line 9 (it has 2): the finding cannot be keyed".to_owned(),
            }],
            findings: vec![finding(9, "s", Some("no"))],
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
    fn integers_take_as_few_bytes_as_they_need_and_read_back() {
        for value in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut bytes = Vec::new();
            put_var(&mut bytes, value);
            let expected = (64 - value.leading_zeros()).max(1).div_ceil(7) as usize;
            assert_eq!(bytes.len(), expected, "{value}");
            let mut input = Input {
                bytes: &bytes,
                at: 0,
            };
            assert_eq!((input.var(), input.left()), (Some(value), 0), "{value}");
        }
        // A redundant last byte, and a value past 64 bits, are refused.
        for bytes in [
            &[0x80, 0x00][..],
            &[0xff; 9].iter().chain(&[0x02]).copied().collect::<Vec<_>>(),
        ] {
            assert_eq!(Input { bytes, at: 0 }.var(), None, "{bytes:?}");
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
