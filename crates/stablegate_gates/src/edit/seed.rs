//! `stablegate convert`: resolving legacy line-keyed entries (seeds) into
//! content keys, fail-closed (SPEC §6).
//!
//! A seed is a legacy entry: `qualname` + `line` (+ optional `file`), or a
//! `"file:line"` string. Its file comes from the seed, else from the gate's
//! live findings at that line in a function or class of that qualname
//! (two functions named `implement` in different files are told apart by
//! which of them has a finding at the line). Its key is what the tool derives
//! at the line. A seed fails, and with it the whole conversion, when:
//! its file cannot be read or does not parse; the line resolves to
//! `<module>`; the line has no code token; the derived qualname differs from
//! the recorded one; the gate has no live finding at the line; its file
//! cannot be told for certain (findings in several files, or a scanned file
//! that could not be read or parsed may hold it); or it derives the same key
//! as another seed or an existing entry (the result would be a duplicate).
//! Every failing seed is reported, not just the first.
//!
//! Entries with `token: ""` and no `text` (written before SPEC §12.7, when
//! every token-less line of a scope shared one key) get the `text` of the
//! line their `line:` locator points at ([`resolve_texts`]), fail-closed
//! too: the gate must have a live finding there, on a line without code
//! token, in the entry's qualname (and of its rule, if it has one), and the
//! filled entries may not duplicate each other or another entry. Pure: the
//! caller reads the files. Not responsible for writing (see `convert`).

use std::collections::{BTreeMap, BTreeSet};

use stablegate_keys::{FileKeys, MODULE_QUALNAME};
use thiserror::Error;

use crate::allowlist::{Allowlist, Entry, EntryForm, Field};
use crate::inputs::Site;

/// What the caller could learn about one source file.
#[derive(Debug)]
pub struct SourceFile {
    /// Its keys, or why it has none.
    pub keys: Result<FileKeys, KeysError>,
    /// Whether the gate scanned it (as opposed to only a seed naming it).
    pub scanned: bool,
}

/// Why a source file has no keys; reads after the file's name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeysError {
    /// It could not be read or keyed (`reason` as in
    /// [`crate::inputs::Unreadable`]: "cannot be read: …", "is not valid
    /// UTF-8"), at `line` when that is known.
    #[error("{reason}{}", line.map(|line| format!(" (line {line})")).unwrap_or_default())]
    Unreadable { reason: String, line: Option<usize> },
    /// A seed names it by a path that leads out of the root: never read.
    #[error("leads outside the project root")]
    OutsideRoot,
}

/// A seed resolved into a content key, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frozen {
    /// Index of the legacy entry in the allowlist's entries.
    pub entry: usize,
    pub file: String,
    pub qualname: String,
    pub line: usize,
    pub token: String,
    /// With `strict_counts`, the number of live sites of the key when more
    /// than one.
    pub count: Option<usize>,
}

/// The `text` a token-less entry gains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFill {
    /// Index of the entry in the allowlist's entries.
    pub entry: usize,
    pub file: String,
    pub qualname: String,
    pub line: usize,
    pub text: String,
}

/// Whether the entry is a token-less one from before SPEC §12.7: a
/// mapping with `token: ""` and no `text`, which `convert` completes.
pub fn lacks_text(entry: &Entry) -> bool {
    entry.form == EntryForm::Mapping
        && !entry.is_legacy()
        && entry.token_text() == Some("")
        && entry.text.is_none()
}

/// The `text` of every entry that [`lacks_text`], from the live site at its
/// locator; all of them, or the failures.
pub fn resolve_texts(
    gate: &str,
    list: &Allowlist,
    sites: &[Site],
) -> Result<Vec<TextFill>, Vec<SeedFailure>> {
    let mut fills = Vec::new();
    let mut failures = Vec::new();
    for (index, entry) in list.entries.iter().enumerate() {
        if !lacks_text(entry) {
            continue;
        }
        let (file, qualname, line) = (
            text(entry.file.as_ref()),
            text(entry.qualname.as_ref()),
            line_of(entry),
        );
        let (Some(file), Some(qualname), true) = (file, qualname, line > 0) else {
            let reason = "needs `file`, `qualname` and `line:` to find the line whose text to \
                          take: write it again with `stablegate allow`";
            failures.push(failure(entry, vec![reason.to_owned()]));
            continue;
        };
        let rule = entry.rule_value();
        let found = sites.iter().find(|site| {
            site.finding.file == file
                && site.finding.line == line
                && site.qualname == qualname
                && site.token.is_empty()
                && (rule.is_none() || site.key_rule() == rule)
        });
        match found {
            Some(site) => fills.push(TextFill {
                entry: index,
                file: file.to_owned(),
                qualname: qualname.to_owned(),
                line,
                text: site.text.to_string(),
            }),
            None => {
                let of_rule = rule
                    .map(|rule| format!(" of rule `{rule}`"))
                    .unwrap_or_default();
                failures.push(failure(
                    entry,
                    vec![format!(
                        "gate `{gate}` has no live finding{of_rule} on a line without code token at {file}:{line} in `{qualname}`: \
                         the text to add cannot be told; fix `line:` (or evict the entry) and convert again"
                    )],
                ));
            }
        }
    }
    failures.extend(text_duplicates(list, &fills));
    if failures.is_empty() {
        Ok(fills)
    } else {
        failures.sort_by_key(|failure| failure.entry_line);
        Err(failures)
    }
}

/// Filled entries whose whole identity another entry has already.
fn text_duplicates<'a>(list: &'a Allowlist, fills: &'a [TextFill]) -> Vec<SeedFailure> {
    let mut owners: BTreeMap<Identity<'a>, Vec<usize>> = BTreeMap::new();
    for (index, entry) in list.entries.iter().enumerate() {
        if let Some(identity) = identity(entry) {
            owners.entry(identity).or_default().push(index);
        }
    }
    let filled = |fill: &'a TextFill| -> Identity<'a> {
        let rule = list.entries[fill.entry].rule_value();
        (&fill.file, &fill.qualname, "", &fill.text, rule)
    };
    for fill in fills {
        owners.entry(filled(fill)).or_default().push(fill.entry);
    }
    let mut failures = Vec::new();
    for fill in fills {
        let others: Vec<String> = owners[&filled(fill)]
            .iter()
            .filter(|&&index| index != fill.entry)
            .map(|&index| list.entries[index].line.to_string())
            .collect();
        if !others.is_empty() {
            failures.push(failure(
                &list.entries[fill.entry],
                vec![format!(
                    "with `text: {:?}` it is the entry at line {} again: keep one (with `count:` if the gate has strict_counts)",
                    fill.text,
                    others.join(", ")
                )],
            ));
        }
    }
    failures
}

/// What makes two entries the same: file, qualname, token, text and rule.
type Identity<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// A complete mapping entry's identity.
fn identity(entry: &Entry) -> Option<Identity<'_>> {
    if entry.is_legacy() {
        return None;
    }
    match (
        text(entry.file.as_ref()),
        text(entry.qualname.as_ref()),
        text(entry.token.as_ref()),
    ) {
        (Some(file), Some(qualname), Some(token)) => Some((
            file,
            qualname,
            token,
            entry.text_value().unwrap_or(""),
            entry.rule_value(),
        )),
        _ => None,
    }
}

/// A seed that cannot be frozen, and every reason why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedFailure {
    /// The line of the allowlist where the seed is written.
    pub entry_line: usize,
    /// The seed as written: `"src/a.py:12"` or `qualname f, line 12`.
    pub seed: String,
    pub reasons: Vec<String>,
}

/// Resolves every legacy entry of `list`; all of them, or the failures.
/// `files` must hold every file with a live site, every scanned file that
/// could not be keyed, and every file a seed names.
pub fn resolve_seeds(
    gate: &str,
    list: &Allowlist,
    sites: &[Site],
    strict_counts: bool,
    files: &BTreeMap<String, SourceFile>,
) -> Result<Vec<Frozen>, Vec<SeedFailure>> {
    let resolver = Resolver { gate, sites, files };
    let mut frozen = Vec::new();
    let mut failures = Vec::new();
    for (index, entry) in list.entries.iter().enumerate() {
        if !entry.is_legacy() {
            continue;
        }
        match resolver.resolve(entry) {
            Ok((file, qualname, token)) => {
                let live = sites
                    .iter()
                    .filter(|site| {
                        site.finding.file == file
                            && site.qualname == qualname
                            && site.token == token
                    })
                    .count();
                frozen.push(Frozen {
                    entry: index,
                    file,
                    qualname,
                    line: line_of(entry),
                    token,
                    count: (strict_counts && live > 1).then_some(live),
                });
            }
            Err(reasons) => failures.push(failure(entry, reasons)),
        }
    }
    failures.extend(duplicates(list, &frozen));
    if failures.is_empty() {
        Ok(frozen)
    } else {
        failures.sort_by_key(|failure| failure.entry_line);
        Err(failures)
    }
}

struct Resolver<'a> {
    gate: &'a str,
    sites: &'a [Site],
    files: &'a BTreeMap<String, SourceFile>,
}

impl Resolver<'_> {
    /// The seed's `(file, qualname, token)`, or why it has none.
    fn resolve(&self, entry: &Entry) -> Result<(String, String, String), Vec<String>> {
        let line = line_of(entry);
        let recorded = text(entry.qualname.as_ref());
        let file = match text(entry.file.as_ref()) {
            Some(file) => file.to_owned(),
            None => self.attribute(line, recorded.unwrap_or_default())?,
        };
        let keys = match self.files.get(&file).map(|source| &source.keys) {
            Some(Ok(keys)) => keys,
            Some(Err(reason)) => return Err(vec![format!("{file} {reason}")]),
            None => return Err(vec![format!("{file} cannot be read")]),
        };
        if line > keys.line_count() {
            return Err(vec![format!(
                "line {line} is past the end of {file} ({} lines)",
                keys.line_count()
            )]);
        }
        if !keys.parses() {
            return Err(vec![format!(
                "{file} does not parse (CPython 3.11 rejects it), so it has no qualnames to check the seed against"
            )]);
        }
        let qualname = keys.qualname(line);
        let token = keys.token(line).unwrap_or("");
        let mut reasons = Vec::new();
        if qualname == MODULE_QUALNAME {
            reasons.push(format!(
                "{file}:{line} resolves to `{MODULE_QUALNAME}` (outside any function or class)"
            ));
        } else if let Some(recorded) = recorded.filter(|&recorded| recorded != qualname) {
            reasons.push(format!(
                "{file}:{line} is in `{qualname}`, not the recorded `{recorded}`"
            ));
        }
        if token.is_empty() {
            reasons.push(format!(
                "{file}:{line} has no code token (blank, comment or string line)"
            ));
        }
        let live = self
            .sites
            .iter()
            .any(|site| site.finding.file == file && site.finding.line == line);
        if !live {
            reasons.push(format!(
                "gate `{}` has no live finding at {file}:{line}",
                self.gate
            ));
        }
        if reasons.is_empty() {
            Ok((file, qualname.to_owned(), token.to_owned()))
        } else {
            Err(reasons)
        }
    }

    /// The one file where the gate has a live finding at `line` in
    /// `qualname`, when no scanned file that could not be keyed or parsed
    /// might be the seed's instead.
    fn attribute(&self, line: usize, qualname: &str) -> Result<String, Vec<String>> {
        let candidates: BTreeSet<&str> = self
            .sites
            .iter()
            .filter(|site| site.finding.line == line && site.qualname == qualname)
            .map(|site| site.finding.file.as_str())
            .collect();
        let doubtful: Vec<&str> = self
            .files
            .iter()
            .filter(|(_, source)| {
                source.scanned && source.keys.as_ref().map_or(true, |keys| !keys.parses())
            })
            .map(|(file, _)| file.as_str())
            .collect();
        let mut reasons = Vec::new();
        match candidates.len() {
            0 => reasons.push(format!(
                "gate `{}` has no live finding at line {line} in `{qualname}` in any file",
                self.gate
            )),
            1 => {}
            _ => reasons.push(format!(
                "live findings at line {line} in `{qualname}` in several files ({}): add `file:` to the seed",
                candidates.iter().copied().collect::<Vec<_>>().join(", ")
            )),
        }
        if !doubtful.is_empty() {
            reasons.push(format!(
                "its file cannot be told for certain: {} could not be read or parsed and may hold it; fix that, or add `file:` to the seed",
                doubtful.join(", ")
            ));
        }
        match (reasons.is_empty(), candidates.first()) {
            (true, Some(file)) => Ok((*file).to_owned()),
            _ => Err(reasons),
        }
    }
}

/// Seeds that derive the same key as another seed or as an existing entry.
fn duplicates(list: &Allowlist, frozen: &[Frozen]) -> Vec<SeedFailure> {
    let mut owners: BTreeMap<Identity<'_>, Vec<usize>> = BTreeMap::new();
    for (index, entry) in list.entries.iter().enumerate() {
        if let Some(identity) = identity(entry) {
            owners.entry(identity).or_default().push(index);
        }
    }
    for seed in frozen {
        let key = (
            seed.file.as_str(),
            seed.qualname.as_str(),
            seed.token.as_str(),
            "",
            None,
        );
        owners.entry(key).or_default().push(seed.entry);
    }
    let mut failures = Vec::new();
    for seed in frozen {
        let key = (
            seed.file.as_str(),
            seed.qualname.as_str(),
            seed.token.as_str(),
            "",
            None,
        );
        let mut others: Vec<usize> = owners[&key]
            .iter()
            .filter(|&&index| index != seed.entry)
            .map(|&index| list.entries[index].line)
            .collect();
        others.sort_unstable();
        let others: Vec<String> = others.iter().map(usize::to_string).collect();
        if !others.is_empty() {
            let entry = &list.entries[seed.entry];
            failures.push(failure(
                entry,
                vec![format!(
                    "derives the key ({}, {}, `{}`) of the entry at line {} too: keep one (with `count:` if the gate has strict_counts)",
                    seed.file,
                    seed.qualname,
                    seed.token,
                    others.join(", ")
                )],
            ));
        }
    }
    failures
}

fn failure(entry: &Entry, reasons: Vec<String>) -> SeedFailure {
    let seed = match entry.form {
        EntryForm::LegacyString => format!(
            "\"{}:{}\"",
            text(entry.file.as_ref()).unwrap_or_default(),
            line_of(entry)
        ),
        EntryForm::Mapping => {
            let mut seed = format!(
                "qualname {}, line {}",
                text(entry.qualname.as_ref()).unwrap_or_default(),
                line_of(entry)
            );
            if let Some(file) = text(entry.file.as_ref()) {
                seed.push_str(&format!(", file {file}"));
            }
            seed
        }
    };
    SeedFailure {
        entry_line: entry.line,
        seed,
        reasons,
    }
}

fn text(field: Option<&Field<String>>) -> Option<&str> {
    field.map(|field| field.value.as_str())
}

fn line_of(entry: &Entry) -> usize {
    entry.locator.as_ref().map_or(0, |field| field.value)
}
