//! The GitHub step summary: Markdown that `--format github` appends to
//! `$GITHUB_STEP_SUMMARY` (SPEC §12.5), shown on the run's summary page.
//!
//! ```markdown
//! ### stablegate: FAIL
//!
//! 1 of 2 gates failed; 2 items (1 violation, 1 stale), 4 ok
//!
//! | gate | kind | status | failing | items |
//! | --- | --- | --- | ---: | --- |
//! | inline_load | code | ❌ fail | 2 | 1 violation, 1 stale, 4 ok |
//!
//! #### Failing items (2)
//!
//! - **inline\_load** [src/a.py:12](…/blob/SHA/src/a.py#L12) (Loader.load): violation: …\
//!   token: `meta = json . load ( f )`
//! ```
//!
//! One table row per gate with its counts per verdict, then the first
//! [`MAX_ITEMS`] failing items (a theater triad's legs counted and listed
//! as items, see `listed`), each linked to its line when the caller
//! knows where the files are browsable ([`Links`]). GitHub shows at most
//! [`ANNOTATIONS_PER_STEP`] annotations of each level per step: when the
//! run has more errors (or notices) than that, the summary says how many
//! are not shown as annotations, and where to read them all. Text from the
//! tree (paths, messages, tokens) is escaped so that it cannot make Markdown
//! or HTML of its own. This module decides nothing and reads no
//! environment: the caller passes the links.

use std::io::{self, Write};

use stablegate_model::{Item, Status, Verdict};

use crate::advice;
use crate::listed::{listed, ListedItem};
use crate::report::Report;

/// How many failing items the summary lists.
pub const MAX_ITEMS: usize = 50;

/// How many annotations of one level (error, warning, notice) GitHub shows
/// per step; the rest are dropped from the UI.
pub const ANNOTATIONS_PER_STEP: usize = 10;

/// Where the project's files can be browsed: `{blob}/{file}#L{line}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// E.g. `https://github.com/OWNER/REPO/blob/SHA` plus, when the project
    /// root is a directory of the repository, that directory; no trailing
    /// `/`. `None`: items are not linked.
    pub blob: Option<String>,
}

/// Writes the summary of `report` as Markdown.
pub fn render(report: &Report, links: &Links, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    let word = match summary.status {
        Status::Fail => "FAIL",
        Status::Pass => Status::Pass.name(),
    };
    writeln!(out, "### stablegate: {word}")?;
    writeln!(out)?;
    writeln!(out, "{}", escape(&advice::summary_tail(&summary)))?;
    writeln!(out)?;
    if !report.gates.is_empty() {
        writeln!(out, "| gate | kind | status | failing | items |")?;
        writeln!(out, "| --- | --- | --- | ---: | --- |")?;
        for gate in &report.gates {
            let status = match gate.status {
                Status::Fail => "❌ fail",
                Status::Pass => "✅ pass",
            };
            let verdicts: Vec<Verdict> = listed(gate).map(|listed| listed.item.verdict).collect();
            let failing = verdicts.iter().filter(|verdict| verdict.fails()).count();
            writeln!(
                out,
                "| {} | {} | {status} | {failing} | {} |",
                escape(&gate.name),
                escape(gate.kind.name()),
                verdict_counts(&verdicts)
            )?;
        }
        writeln!(out)?;
    }
    let failing: Vec<(&str, ListedItem<'_>)> = report
        .gates
        .iter()
        .flat_map(|gate| listed(gate).map(move |listed| (gate.name.as_str(), listed.item)))
        .filter(|(_, item)| item.verdict.fails())
        .collect();
    if !failing.is_empty() {
        if failing.len() > MAX_ITEMS {
            writeln!(
                out,
                "#### Failing items (the first {MAX_ITEMS} of {})",
                failing.len()
            )?;
        } else {
            writeln!(out, "#### Failing items ({})", failing.len())?;
        }
        writeln!(out)?;
        for (gate, item) in failing.iter().take(MAX_ITEMS) {
            write!(
                out,
                "- **{}** {}: {}",
                escape(gate),
                location(item, links),
                escape(&advice::headline(item))
            )?;
            if item.token.is_empty() {
                writeln!(out)?;
            } else {
                // A trailing backslash is a hard line break (no raw HTML:
                // renderers that drop it, and GitHub's sanitizer, agree).
                writeln!(out, "\\\n  token: {}", code_span(&item.token))?;
            }
        }
        writeln!(out)?;
    }
    let notices = report
        .gates
        .iter()
        .flat_map(listed)
        .filter(|listed| listed.item.verdict != Verdict::Ok && !listed.item.verdict.fails())
        .count();
    let hidden: Vec<String> = [(failing.len(), "error"), (notices, "notice")]
        .into_iter()
        .filter(|&(count, _)| count > ANNOTATIONS_PER_STEP)
        .map(|(count, level)| {
            format!(
                "{} of {count} {level} annotations",
                count - ANNOTATIONS_PER_STEP
            )
        })
        .collect();
    if !hidden.is_empty() {
        writeln!(
            out,
            "> [!NOTE]\n> GitHub shows at most {ANNOTATIONS_PER_STEP} annotations of each level per step: {} are not shown on the files. Every item is in the step's log{}.",
            hidden.join(" and "),
            if failing.len() > MAX_ITEMS {
                ""
            } else {
                " and in the list above"
            }
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// `1 violation, 1 stale, 4 ok`, or `no items`.
fn verdict_counts(verdicts: &[Verdict]) -> String {
    let mut counts: Vec<(Verdict, usize)> = Vec::new();
    for &listed in verdicts {
        match counts.iter_mut().find(|(verdict, _)| *verdict == listed) {
            Some((_, count)) => *count += 1,
            None => counts.push((listed, 1)),
        }
    }
    // Failing verdicts first, `ok` last, each group in verdict order.
    counts.sort_by_key(|&(verdict, _)| (!verdict.fails(), verdict == Verdict::Ok, verdict));
    if counts.is_empty() {
        return "no items".to_owned();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(verdict, count)| format!("{count} {}", verdict.name()))
        .collect();
    parts.join(", ")
}

/// The item's `file:line (qualname)`, the `file:line` part linked when
/// `links` has a base and the item a file.
fn location(item: &Item, links: &Links) -> String {
    let (file, line) = match &item.more().entry {
        Some(entry) if advice::located_on_entry(item) => {
            (entry.allowlist.as_str(), Some(entry.line))
        }
        _ => (item.file.as_str(), item.line),
    };
    let mut place = if file.is_empty() {
        "&lt;no file&gt;".to_owned()
    } else {
        escape(file)
    };
    if let Some(line) = line {
        place.push_str(&format!(":{line}"));
    }
    let mut out = match (&links.blob, file.is_empty()) {
        (Some(blob), false) => {
            let anchor = line.map(|line| format!("#L{line}")).unwrap_or_default();
            format!("[{place}]({blob}/{}{anchor})", url_path(file))
        }
        _ => place,
    };
    if !item.qualname.is_empty() {
        out.push_str(&format!(" ({})", escape(&item.qualname)));
    }
    out
}

/// Text as Markdown that shows it literally on one line: HTML special
/// characters as entities, Markdown punctuation backslash-escaped, line
/// breaks and other control characters as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '{' | '}' | '#' | '+' | '!' | '|'
            | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text as a Markdown code span: fenced with one backtick more than its
/// longest run of backticks, padded with a space when it starts or ends
/// with a backtick; line breaks and control characters as spaces.
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A root-relative path as a URL path: each segment percent-encoded but
/// for the characters URLs allow unencoded.
fn url_path(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for byte in file.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char);
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape("a|b <script> `x` *y* [l](u)\nz"),
            "a\\|b &lt;script&gt; \\`x\\` \\*y\\* \\[l\\]\\(u\\) z"
        );
        assert_eq!(url_path("src/a b#.py"), "src/a%20b%23.py");
        assert_eq!(code_span("a ` b"), "``a ` b``");
        assert_eq!(code_span("`x`\n"), "`` `x`  ``");
    }
}
