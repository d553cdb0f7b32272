//! A validated marker census (SPEC §9): what a `[[marker]]` table means,
//! and how a reason template becomes a regex.
//!
//! The reason rule is either `reason`, a template, or `reason_pattern`, a
//! regex used as written. A template is read like this (docs/audits.md):
//!
//! - `<name>` is a placeholder. A placeholder whose name mentions `issue`,
//!   `ref`, `url` or `sha` must be a reference: `#123`, `owner/repo#123`, an
//!   `http(s)://` URL, or a commit SHA (7–40 hex digits). Any other
//!   placeholder is free text that starts with a non-blank character.
//! - Everything else is literal, except that a run of blanks matches one or
//!   more blanks, and an em dash `—` also accepts an en dash `–` or `--`.
//! - The whole reason must match (the regex is anchored at both ends).
//!
//! So `<diagnosis> — <issue ref>` accepts `flaky on CI — #123` and rejects
//! `flaky on CI`, `— #123` and `flaky — soon`. A pattern or template that
//! does not compile is bad input, located at its key.

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;
use thiserror::Error;

use crate::error::{ConfigError, Location};
use crate::field::Fields;
use crate::globs::Globs;

/// One `[[marker]]` table as written (SPEC §9): a census of the test nodes
/// a decorator marks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMarker {
    /// Unique among the configuration's names, `[a-z0-9_-]+`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The dotted decorator, e.g. `pytest.mark.quarantine` (also found in a
    /// `pytestmark` list).
    #[schemars(with = "String")]
    pub decorator: Spanned<String>,
    /// Scan roots (default: the configuration file's directory).
    #[schemars(with = "Option<Vec<String>>")]
    pub paths: Option<Vec<Spanned<String>>>,
    /// Globs: when set, only matching files are read.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub include: Vec<Spanned<String>>,
    /// Globs: matching files and directories are skipped.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// A template the trailing comment of each marker line must match, e.g.
    /// `<diagnosis> — <issue ref>`.
    #[schemars(with = "Option<String>")]
    pub reason: Option<Spanned<String>>,
    /// A regex the reason must match, instead of a `reason` template.
    #[schemars(with = "Option<String>")]
    pub reason_pattern: Option<Spanned<String>>,
    /// Shrink-only ceiling on the number of marked test nodes.
    pub baseline: Option<u64>,
}

/// A marker census, ready to run.
#[derive(Debug, Clone)]
pub struct Marker {
    pub name: String,
    pub location: Location,
    /// The dotted decorator as written: `pytest.mark.quarantine`.
    pub decorator: String,
    /// Scan roots, root-relative.
    pub paths: Vec<String>,
    /// When not empty, only files matching one of these are read.
    pub include: Globs,
    pub exclude: Globs,
    /// What a reason must look like; `None`: no reason is asked for (a pure
    /// census: only `baseline` applies, SPEC §12.4).
    pub reason: Option<ReasonRule>,
    /// The ceiling on marked test nodes; `None`: no ratchet.
    pub baseline: Option<u64>,
}

/// A reason rule: as written (for messages) and compiled.
#[derive(Debug, Clone)]
pub struct ReasonRule {
    /// The template or pattern as written.
    pub written: String,
    pub regex: Regex,
}

/// The regex a reference placeholder stands for.
pub const REFERENCE: &str =
    r"(?:#[0-9]+|[A-Za-z0-9][\w.-]*/[\w.-]+#[0-9]+|https?://\S+|[0-9a-fA-F]{7,40})";

pub(crate) fn validate(raw: RawMarker, fields: &Fields<'_>) -> Result<Marker, ConfigError> {
    let name = fields.name(&raw.name, "marker")?;
    let decorator = fields.text(&raw.decorator, "decorator")?;
    let dotted = decorator.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
            && chars.all(|c| c == '_' || c.is_alphanumeric())
    });
    if !dotted {
        let message =
            format!("`{decorator}` is not a dotted name such as `pytest.mark.quarantine`");
        return Err(fields.fail(raw.decorator.span(), "decorator", message));
    }
    let paths = match &raw.paths {
        None => vec![fields.default_path(raw.name.span())?],
        Some(list) => fields.paths(list, "paths")?,
    };
    let reason = match (&raw.reason, &raw.reason_pattern) {
        (Some(_), Some(pattern)) => {
            let message = "set `reason` (a template) or `reason_pattern` (a regex), not both";
            return Err(fields.fail(pattern.span(), "reason_pattern", message.to_owned()));
        }
        (Some(template), None) => {
            let source = template_regex(template.get_ref())
                .map_err(|err| fields.fail(template.span(), "reason", err.to_string()))?;
            Some(compile(template, &source, "reason", fields)?)
        }
        (None, Some(pattern)) => Some(compile(
            pattern,
            pattern.get_ref(),
            "reason_pattern",
            fields,
        )?),
        (None, None) => None,
    };
    Ok(Marker {
        location: fields.location(raw.name.span()),
        decorator,
        paths,
        include: fields.globs(&raw.include, "include")?,
        exclude: fields.globs(&raw.exclude, "exclude")?,
        reason,
        baseline: raw.baseline,
        name,
    })
}

fn compile(
    written: &Spanned<String>,
    source: &str,
    field: &str,
    fields: &Fields<'_>,
) -> Result<ReasonRule, ConfigError> {
    let regex = Regex::new(source).map_err(|err| {
        let message = format!(
            "the reason regex does not compile: {}",
            one_line(&err.to_string())
        );
        fields.fail(written.span(), field, message)
    })?;
    Ok(ReasonRule {
        written: written.get_ref().clone(),
        regex,
    })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a reason template has no regex; a message fragment for the user,
/// after the key it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// The template is blank.
    #[error("the reason template is empty")]
    Empty,
    /// A `<` without a `>` after it; `rest` is the template from the `<`.
    #[error("the placeholder `{rest}` has no closing `>`")]
    Unclosed { rest: String },
    /// A `<>` (or `< >`) placeholder.
    #[error("the template has an empty placeholder `<>`")]
    EmptyPlaceholder,
}

/// The anchored regex of a reason template (see the module doc).
pub fn template_regex(template: &str) -> Result<String, TemplateError> {
    let mut out = String::from("^");
    let mut rest = template.trim();
    if rest.is_empty() {
        return Err(TemplateError::Empty);
    }
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').ok_or_else(|| TemplateError::Unclosed {
                    rest: rest.to_owned(),
                })?;
                let name = rest[1..end].to_ascii_lowercase();
                if name.trim().is_empty() {
                    return Err(TemplateError::EmptyPlaceholder);
                }
                let reference = ["issue", "ref", "url", "sha"]
                    .iter()
                    .any(|word| name.contains(word));
                out.push_str(if reference { REFERENCE } else { r"\S.*?" });
                rest = &rest[end + 1..];
            }
            found => {
                let end = found.unwrap_or(rest.len());
                literal(&rest[..end], &mut out);
                rest = &rest[end..];
            }
        }
    }
    out.push('$');
    Ok(out)
}

fn literal(text: &str, out: &mut String) {
    let mut blank = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !blank {
                out.push_str(r"\s+");
            }
            blank = true;
            continue;
        }
        blank = false;
        match c {
            '—' => out.push_str("(?:—|–|--)"),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(template: &str, reason: &str) -> bool {
        Regex::new(&template_regex(template).unwrap())
            .unwrap()
            .is_match(reason)
    }

    #[test]
    fn the_house_template_needs_a_diagnosis_and_a_reference() {
        let t = "<diagnosis> — <issue ref>";
        assert!(matches(t, "flaky on CI — #123"));
        assert!(matches(t, "races the cache -- https://example.org/i/4"));
        assert!(matches(t, "bad clock – org/repo#9"));
        assert!(matches(t, "pinned upstream — 0a1b2c3d"));
        assert!(!matches(t, "flaky on CI"));
        assert!(!matches(t, "— #123"));
        assert!(!matches(t, "flaky — soon"));
        assert!(!matches(t, "flaky — #123 and more"));
    }

    #[test]
    fn literal_text_is_escaped_and_placeholders_must_close() {
        assert!(matches("see (<ref>)", "see (#4)"));
        assert!(!matches("see (<ref>)", "see #4"));
        assert!(template_regex("<diagnosis")
            .unwrap_err()
            .to_string()
            .contains("no closing"));
        assert!(template_regex("a <> b").is_err());
    }
}
