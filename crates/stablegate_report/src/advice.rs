//! What to say about an item: its location, its headline and the notes that
//! tell the user what is wrong and what to do (SPEC §4.1).
//!
//! The wording lives here once so that the human, GitHub, JUnit and SARIF
//! outputs say the same thing. This module only words; it returns raw user
//! text (each renderer escapes for its medium) and never decides a verdict.

use stablegate_model::{Item, Verdict};

use stablegate_model::Status;

use crate::report::Summary;

/// One line of explanation under an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    /// What the line is: `token`, `old token`, `help`, …
    pub label: &'static str,
    /// Fact or instruction: renderers set instructions apart.
    pub kind: NoteKind,
    /// The text; may span lines (the suggested YAML entry does).
    pub text: String,
}

/// Whether a note states a fact about the item or says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteKind {
    Fact,
    Help,
}

/// `file:line (qualname)`, leaving out what the item does not have.
pub(crate) fn location(item: &Item) -> String {
    let mut out = if item.file.is_empty() {
        "<no file>".to_owned()
    } else {
        item.file.to_string()
    };
    if let Some(line) = item.line {
        out.push_str(&format!(":{line}"));
    }
    if !item.qualname.is_empty() {
        out.push_str(&format!(" ({})", item.qualname));
    }
    out
}

/// Whether an item is about an allowlist entry rather than a live site, so
/// that outputs that point at one place (SARIF, GitLab) point at the entry:
/// it is what to edit, and the source line it recorded may hold unrelated
/// code by now.
pub(crate) fn located_on_entry(item: &Item) -> bool {
    item.more().entry.is_some()
        && matches!(
            item.verdict,
            Verdict::Stale
                | Verdict::Moved
                | Verdict::Expired
                | Verdict::Invalid
                | Verdict::Ambiguous
        )
}

/// `verdict: message`, or the verdict alone when there is no message.
pub(crate) fn headline(item: &Item) -> String {
    let verdict = item.verdict.name();
    if item.message.is_empty() {
        verdict.to_owned()
    } else {
        format!("{verdict}: {}", item.message)
    }
}

/// The notes printed under an item, facts first, instructions last.
pub(crate) fn notes(item: &Item) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut fact = |label, text: String| {
        notes.push(Note {
            label,
            kind: NoteKind::Fact,
            text,
        });
    };
    // A line without code token is told apart by its text (SPEC §12.7).
    let text = item.text.as_ref().filter(|_| item.token.is_empty());
    if item.verdict == Verdict::Changed {
        match &item.more().old_text {
            Some(old_text) => fact("old text", old_text.clone()),
            None => fact(
                "old token",
                item.more().old_token.clone().unwrap_or_default(),
            ),
        }
        match text {
            Some(text) => fact("new text", text.to_string()),
            None => fact("new token", item.token.to_string()),
        }
    } else if !item.token.is_empty() {
        fact("token", item.token.to_string());
    } else if let Some(text) = text {
        fact("text", text.to_string());
    }
    if item.rule_in_key {
        fact("rule", item.rule.to_string());
    }
    match item.verdict {
        Verdict::Stale => {
            if let Some(nearest) = &item.more().nearest {
                let label = if text.is_some() {
                    "nearest live text"
                } else {
                    "nearest live token"
                };
                fact(label, nearest.clone());
            }
        }
        Verdict::Moved => {
            if let Some(moved_to) = &item.more().moved_to {
                fact("now in", moved_to.clone());
            }
        }
        Verdict::Count => {
            fact("count", counts(item, "live site", "live sites"));
        }
        Verdict::Baseline => {
            fact("baseline", counts(item, "entry", "entries"));
        }
        Verdict::Grown => {
            fact("entries", counts(item, "entry", "entries"));
        }
        Verdict::OverBaseline | Verdict::BelowBaseline => {
            fact("baseline", counts(item, "marked test", "marked tests"));
        }
        Verdict::Undercount if item.more().actual.is_some_and(|n| n > 1) => {
            fact(
                "sites",
                format!("{} sites share this key", item.more().actual.unwrap_or(0)),
            );
        }
        _ => {}
    }
    if let Some(scope) = &item.more().scope {
        fact("scope", scope.to_string());
    }
    if let Some(entry) = &item.more().entry {
        fact("entry", format!("{}:{}", entry.allowlist, entry.line));
    }
    if let Some(rationale) = &item.more().rationale {
        fact("rationale", rationale.to_string());
    }
    if let Some(detail) = &item.detail {
        fact("detail", detail.to_string());
    }
    if let Some(help) = help(item) {
        notes.push(Note {
            label: "help",
            kind: NoteKind::Help,
            text: help,
        });
    }
    notes
}

fn counts(item: &Item, one: &str, many: &str) -> String {
    let number = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
    let what = if item.more().expected == Some(1) {
        one
    } else {
        many
    };
    format!(
        "expected {} {what}, found {}",
        number(item.more().expected),
        number(item.more().actual)
    )
}

/// What to do, per verdict; `None` where `detail` already says it.
fn help(item: &Item) -> Option<String> {
    let text = match item.verdict {
        Verdict::Violation => match item.suggestion_text() {
            Some(yaml) => format!("fix it, or accept it with this allowlist entry:\n{yaml}"),
            None => "fix it, or accept it in the allowlist".to_owned(),
        },
        Verdict::Changed => "the accepted line changed: re-approve it or fix it".to_owned(),
        Verdict::Moved => {
            "the accepted key lives in another file now: re-approve it there or evict it".to_owned()
        }
        Verdict::Stale => "the entry covers no live site: evict it or re-approve it".to_owned(),
        Verdict::Count => "fix the extra sites, or correct `count` in review".to_owned(),
        Verdict::Baseline => {
            "raise the baseline in review when adding entries; lower it when shrinking".to_owned()
        }
        Verdict::Expired => {
            "the entry's `expires` date has passed: fix the site or renew the entry in review"
                .to_owned()
        }
        Verdict::LegFailed => {
            "the gate is theater here: tighten its rule or its allowlist entries".to_owned()
        }
        Verdict::Inconclusive => {
            "give the gate an allowlisted site or a `theater = { file, code }` sample the legs can use"
                .to_owned()
        }
        Verdict::Undercount => match item.suggestion_text() {
            Some(row) => format!(
                "document it: paste this row into the inventory and fill in the other columns:\n{row}"
            ),
            None => "document it in the inventory".to_owned(),
        },
        Verdict::Ghost => "delete the row, or tag it `[inventory-only]` with a reference".to_owned(),
        Verdict::Duplicate => "delete one of the rows".to_owned(),
        Verdict::Unreferenced => {
            "add a reference after the tag: #123, a URL or a commit SHA".to_owned()
        }
        Verdict::MarkerReason => {
            "give the marker a reason matching the template (trailing comment or `reason=`)"
                .to_owned()
        }
        Verdict::OverBaseline => {
            "unmark tests, or raise the baseline in review".to_owned()
        }
        Verdict::BelowBaseline => "lower the baseline to the count, so it cannot grow back".to_owned(),
        Verdict::StaleArtifact => {
            "run the generator and commit the artifact it writes".to_owned()
        }
        Verdict::OutOfScope => "keep the change out of this path, or split it".to_owned(),
        Verdict::MissingCandidate => {
            "make the gate find the sinks there, or drop the path from `known_candidates`"
                .to_owned()
        }
        Verdict::Grown => {
            "the allowlist is shrink-only: fix the new sites instead of accepting them".to_owned()
        }
        Verdict::Ok
        | Verdict::Ambiguous
        | Verdict::Invalid
        | Verdict::ParseError
        | Verdict::ParseWarning
        | Verdict::InventoryOnly
        | Verdict::NotApplicable => return None,
    };
    Some(text)
}

/// The notes as plain `label: text` lines, for the text-only outputs.
pub(crate) fn note_lines(item: &Item) -> Vec<String> {
    notes(item)
        .into_iter()
        .map(|note| format!("{}: {}", note.label, note.text))
        .collect()
}

/// `1 item`, `2 items`.
pub(crate) fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The closing line of the text outputs, after its `FAIL`/`pass` word:
/// `1 of 2 gates failed; 3 items (2 violation, 1 stale), 4 ok`.
pub(crate) fn summary_tail(summary: &Summary) -> String {
    let gates = summary.gates;
    let mut out = match (gates.total(), summary.status) {
        (0, _) => "no gates ran".to_owned(),
        (total, Status::Fail) => format!("{} of {} failed", gates.fail, plural(total, "gate")),
        (total, Status::Pass) => format!("{} of {} passed", gates.pass, plural(total, "gate")),
    };
    let reported: Vec<String> = summary
        .verdicts
        .nonzero()
        .filter(|&(verdict, _)| verdict != Verdict::Ok)
        .map(|(verdict, count)| format!("{count} {}", verdict.name()))
        .collect();
    let reported_count: u64 = summary
        .verdicts
        .nonzero()
        .filter(|&(verdict, _)| verdict != Verdict::Ok)
        .map(|(_, count)| count)
        .sum();
    if reported_count > 0 {
        out.push_str(&format!(
            "; {} ({})",
            plural(reported_count, "item"),
            reported.join(", ")
        ));
    }
    let ok = summary.verdicts.get(Verdict::Ok);
    if ok > 0 {
        out.push_str(&format!(
            "{} {ok} ok",
            if reported_count > 0 { "," } else { ";" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_model::EntryRef;
    use stablegate_model::{GateKind, GateOutcome};

    use crate::report::Report;

    #[test]
    fn summary_tail_counts_gates_items_and_ok() {
        let items = vec![
            Item::new(Verdict::Violation, "a.py", Some(1), "f", "x"),
            Item::new(Verdict::Violation, "a.py", Some(2), "f", "y"),
            Item::new(Verdict::Ok, "a.py", Some(3), "f", "z"),
        ];
        let red = GateOutcome::new("red", GateKind::Code, items);
        let green = GateOutcome::new("green", GateKind::Code, Vec::new());
        let report = Report::new(vec![red, green.clone()], "0");
        assert_eq!(
            summary_tail(&report.summary()),
            "1 of 2 gates failed; 2 items (2 violation), 1 ok"
        );
        let report = Report::new(vec![green], "0");
        assert_eq!(summary_tail(&report.summary()), "1 of 1 gate passed");
        let report = Report::new(Vec::new(), "0");
        assert_eq!(summary_tail(&report.summary()), "no gates ran");
    }

    #[test]
    fn location_leaves_out_what_is_missing() {
        let mut item = Item::new(Verdict::Baseline, "allow.yaml", None, "", "");
        assert_eq!(location(&item), "allow.yaml");
        item.line = Some(3);
        item.qualname = "A.f".into();
        assert_eq!(location(&item), "allow.yaml:3 (A.f)");
        item.file = "".into();
        assert_eq!(location(&item), "<no file>:3 (A.f)");
    }

    #[test]
    fn changed_shows_old_and_new_token_and_asks_to_re_approve() {
        let mut item = Item::new(Verdict::Changed, "a.py", Some(2), "f", "x = 2");
        item.more_mut().old_token = Some("x = 1".into());
        item.more_mut().entry = Some(EntryRef {
            allowlist: "allow.yaml".into(),
            line: 7,
        });
        let lines = note_lines(&item);
        assert_eq!(
            lines,
            [
                "old token: x = 1",
                "new token: x = 2",
                "entry: allow.yaml:7",
                "help: the accepted line changed: re-approve it or fix it",
            ]
        );
    }

    #[test]
    fn every_failing_verdict_without_a_detail_says_what_to_do() {
        for verdict in Verdict::ALL {
            let item = Item::new(verdict, "a.py", Some(1), "f", "x");
            let has_help = notes(&item).iter().any(|n| n.kind == NoteKind::Help);
            let told_by_detail = matches!(
                verdict,
                Verdict::Ambiguous | Verdict::Invalid | Verdict::ParseError | Verdict::ParseWarning
            );
            // A count below its baseline passes, and still says what to do.
            let advised = verdict == Verdict::BelowBaseline;
            assert_eq!(
                has_help,
                (verdict.fails() && !told_by_detail) || advised,
                "{verdict:?}"
            );
        }
    }
}
