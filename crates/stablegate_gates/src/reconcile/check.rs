//! Whether an entry can take part in matching at all (SPEC §4.1 `invalid`),
//! and the token pattern it matches with (SPEC §2.3).
//!
//! Responsible for legacy entries, missing `file`/`qualname`/`token`, paths
//! escaping the root, the token lint of SPEC §6 (a stored token must come
//! back unchanged from re-tokenizing: otherwise it was typed by hand), and
//! the `text` and `rule` of SPEC §12.7: an entry with `token: ""` needs
//! `text` (the plain-text key of its line, whitespace collapsed and
//! trimmed), an entry with a token may not have one, and `rule`, when
//! written, may not be empty. Not
//! responsible for tokenizing: the caller's canonicalizer does that, so this
//! module knows no language. Not responsible for duplicates (they need all
//! entries; see the parent module).

use stablegate_keys::plain_text_key;

use crate::allowlist::{escapes_root, is_canonical_path, Entry};

/// What an entry's token selects among the live tokens of its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern<'a> {
    /// The live token must equal this.
    Exact(&'a str),
    /// A token stored with a trailing `…`: the live token must start with
    /// the text before it.
    Prefix(&'a str),
}

impl<'a> Pattern<'a> {
    pub(crate) fn of(token: &'a str) -> Self {
        match token.strip_suffix(TRUNCATION) {
            Some(prefix) => Pattern::Prefix(prefix),
            None => Pattern::Exact(token),
        }
    }

    pub(crate) fn matches(self, live: &str) -> bool {
        match self {
            Pattern::Exact(token) => live == token,
            Pattern::Prefix(prefix) => live.starts_with(prefix),
        }
    }

    /// The stored text without the truncation mark, for similarity.
    pub(super) fn text(self) -> &'a str {
        match self {
            Pattern::Exact(text) | Pattern::Prefix(text) => text,
        }
    }
}

/// The mark of a truncated token, U+2026.
pub(super) const TRUNCATION: char = '…';

/// A valid entry's key.
#[derive(Debug, Clone, Copy)]
pub(super) struct EntryKey<'a> {
    pub file: &'a str,
    pub qualname: &'a str,
    pub token: &'a str,
    pub pattern: Pattern<'a>,
    /// The `text` of an entry with `token: ""`; empty otherwise.
    pub text: &'a str,
    /// The rule the entry is limited to; `None` covers every rule.
    pub rule: Option<&'a str>,
}

impl<'a> EntryKey<'a> {
    /// Whether the entry may cover sites of a key with this rule.
    pub(super) fn admits(&self, rule: Option<&str>) -> bool {
        self.rule.is_none() || self.rule == rule
    }

    /// What similarity compares: the stored token without its truncation
    /// mark, or the text of a token-less entry.
    pub(super) fn comparand(&self) -> &'a str {
        if self.token.is_empty() {
            self.text
        } else {
            self.pattern.text()
        }
    }
}

/// The entry's key, or the sentences saying why it has none.
pub(super) fn entry_key<'a>(
    entry: &'a Entry,
    gate: &str,
    canonicalize: &dyn Fn(&str, &str) -> String,
    escaping_files: &[String],
) -> Result<EntryKey<'a>, Vec<String>> {
    if entry.is_legacy() {
        return Err(vec![format!(
            "legacy line-keyed entry: run `stablegate convert {gate}`"
        )]);
    }
    let text = |field: &'a Option<crate::allowlist::Field<String>>| {
        field.as_ref().map(|field| field.value.as_str())
    };
    let file = text(&entry.file).filter(|file| !file.is_empty());
    let qualname = text(&entry.qualname).filter(|qualname| !qualname.is_empty());
    let token = text(&entry.token);
    let mut problems = Vec::new();
    let missing: Vec<String> = [
        ("file", file.is_none()),
        ("qualname", qualname.is_none()),
        ("token", token.is_none()),
    ]
    .into_iter()
    .filter(|&(_, absent)| absent)
    .map(|(name, _)| format!("`{name}`"))
    .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "missing {}: an entry needs file, qualname and token (`stablegate allow` writes them)",
            missing.join(", ")
        ));
    }
    problems.extend(file.and_then(|file| file_problem(file, escaping_files)));
    if let Some(token) = token {
        // The token is canonical in the language of the entry's file.
        let in_language = |text: &str| canonicalize(file.unwrap_or(""), text);
        problems.extend(token_problem(token, &in_language));
        problems.extend(text_problem(token, entry.text_value(), gate));
    }
    let rule = entry.rule_value();
    problems.extend(rule_problem(rule));
    match (file, qualname, token) {
        (Some(file), Some(qualname), Some(token)) if problems.is_empty() => Ok(EntryKey {
            file,
            qualname,
            token,
            pattern: Pattern::of(token),
            text: entry.text_value().unwrap_or(""),
            rule,
        }),
        _ => Err(problems),
    }
}

/// Why an entry's `file` cannot name a file of the tree: it escapes the
/// root (lexically, or through a symlink the caller found), or it is not
/// written the way keys write paths.
pub(super) fn file_problem(file: &str, escaping_files: &[String]) -> Option<String> {
    if escapes_root(file) {
        Some(
            "`file` escapes the project root: write it relative to the root, without `..`"
                .to_owned(),
        )
    } else if escaping_files.iter().any(|escaping| escaping == file) {
        Some("`file` leads outside the project root through a symlink".to_owned())
    } else if !is_canonical_path(file) {
        Some(
            "`file` is not written as keys write paths: root-relative, `/`-separated, \
             without `./` (copy it from `stablegate key`)"
                .to_owned(),
        )
    } else {
        None
    }
}

/// Why an entry's `rule`, when written, cannot limit it: it is empty.
pub(super) fn rule_problem(rule: Option<&str>) -> Option<String> {
    rule.is_some_and(|rule| rule.trim().is_empty()).then(|| {
        "`rule` is empty: write the rule id the entry accepts, or leave `rule` out to accept any rule"
            .to_owned()
    })
}

/// Why the entry's `text` does not fit its token (SPEC §12.7): a token-less
/// entry needs it, in the plain-text key's form; an entry with a token may
/// not have it.
fn text_problem(token: &str, text: Option<&str>, gate: &str) -> Option<String> {
    match (token.is_empty(), text) {
        (true, None) => Some(format!(
            "`token` is empty and `text` is missing: a site on a line without code token is told \
             apart by the line's text; run `stablegate convert {gate}` to add it"
        )),
        (true, Some(text)) => {
            let canonical = plain_text_key(text);
            (canonical != text).then(|| {
                format!(
                    "`text` is not in canonical form (whitespace collapsed and trimmed it reads `{canonical}`): copy it from `stablegate allow`, never type it by hand"
                )
            })
        }
        (false, Some(_)) => Some(
            "`text` is only for entries with `token: \"\"` (a line without code token): remove it"
                .to_owned(),
        ),
        (false, None) => None,
    }
}

/// The token lint: why `token` is not what the tool would have written.
fn token_problem(token: &str, canonicalize: &dyn Fn(&str) -> String) -> Option<String> {
    let Some(prefix) = token.strip_suffix(TRUNCATION) else {
        let canonical = canonicalize(token);
        return (canonical != token).then(|| not_canonical(&canonical));
    };
    if prefix.trim().is_empty() {
        return Some("truncated token keeps no text before `…`".to_owned());
    }
    // A cut may fall between two tokens (`x = json . …`, written with the
    // space) or inside the last one (`x = json . lo…`), which then need not
    // re-tokenize to itself; everything before it must.
    let (whole, tail) = if let Some(whole) = prefix.strip_suffix(' ') {
        (whole, " ".to_owned())
    } else if canonicalize(prefix) == prefix {
        return None;
    } else {
        match prefix.rsplit_once(' ') {
            Some((head, last)) => (head, format!(" {last}")),
            // A single cut word: nothing before it to check.
            None => return None,
        }
    };
    let canonical = canonicalize(whole);
    (canonical != whole).then(|| not_canonical(&format!("{canonical}{tail}{TRUNCATION}")))
}

fn not_canonical(canonical: &str) -> String {
    format!(
        "token is not in canonical form (re-tokenized it reads `{canonical}`): copy it from `stablegate key FILE:LINE`, never type it by hand"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits on whitespace and joins with one space: enough of a tokenizer
    /// to tell canonical text from hand-typed text.
    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn truncated_tokens_match_by_prefix() {
        let pattern = Pattern::of("x = json . lo…");
        assert_eq!(pattern, Pattern::Prefix("x = json . lo"));
        assert!(pattern.matches("x = json . loads ( s )"));
        assert!(!pattern.matches("y = json . loads ( s )"));
        assert!(Pattern::of("x = 1").matches("x = 1"));
        assert!(!Pattern::of("x = 1").matches("x = 1 + 2"));
    }

    #[test]
    fn canonical_tokens_pass_the_lint() {
        for token in ["x = 1", "", "x = json . lo…", "x = json . …", "x…"] {
            assert_eq!(token_problem(token, &words), None, "{token:?}");
        }
    }

    #[test]
    fn hand_typed_tokens_fail_the_lint() {
        assert_eq!(
            token_problem("x  = 1", &words),
            Some(not_canonical("x = 1"))
        );
        assert_eq!(
            token_problem("x  = …", &words),
            Some(not_canonical("x = …"))
        );
        assert_eq!(
            token_problem("…", &words).as_deref(),
            Some("truncated token keeps no text before `…`")
        );
    }

    #[test]
    fn the_cut_last_token_need_not_re_tokenize() {
        // `1e` re-tokenizes as `1 e` in Python; cut from `1e5`, it is fine.
        let python_like = |text: &str| words(&text.replace("1e", "1 e"));
        assert_eq!(token_problem("x = 1e…", &python_like), None);
        assert!(token_problem("x  = 1e…", &python_like).is_some());
    }
}
