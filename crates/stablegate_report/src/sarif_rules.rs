//! The rules of a SARIF log: one `reportingDescriptor` per gate, and one per
//! rule id a gate's findings carry (`GATE/RULE`).
//!
//! A rule's metadata depends only on the gate — its name, kind and the
//! `message` its configuration gives ([`crate::GateAbout`]) — never on which
//! item happens to come first, so it is the same in every run and code
//! scanning never sees a rule's description flicker. Every rule carries what
//! GitHub's ingestion requires (`shortDescription`, `fullDescription`, `help`
//! as text and Markdown, saying how to fix or accept a result) and a
//! `helpUri` into the documentation. This module only words; it decides
//! nothing.

use std::collections::BTreeMap;

use stablegate_model::{GateOutcome, Item};

use crate::report::GateAbout;
use crate::sarif_log::{Configuration, Message, MultiformatMessage, Rule, RuleProperties};

/// The rules of the run, in order of first appearance.
#[derive(Default)]
pub(crate) struct Rules {
    pub list: Vec<Rule>,
    index: BTreeMap<String, usize>,
}

impl Rules {
    /// Declares the gate's own rule, so a gate with no items still has one.
    pub fn gate(&mut self, gate: &GateOutcome, about: &GateAbout) {
        self.declare(gate, about, gate.name.clone(), None);
    }

    /// The index of the rule of `item`, declaring it on first sight.
    pub fn index_of(&mut self, gate: &GateOutcome, about: &GateAbout, item: &Item) -> usize {
        let id = rule_id(gate, item);
        match self.index.get(&id) {
            Some(&index) => index,
            None => {
                let own = (id != *gate.name).then(|| item.rule.to_string());
                self.declare(gate, about, id, own)
            }
        }
    }

    fn declare(
        &mut self,
        gate: &GateOutcome,
        about: &GateAbout,
        id: String,
        own_rule: Option<String>,
    ) -> usize {
        if let Some(&index) = self.index.get(&id) {
            return index;
        }
        let words = Words::of(gate, about);
        let (short, full) = match &own_rule {
            None => (words.short.clone(), words.full.clone()),
            Some(rule) => (
                format!("{rule}, reported through stablegate gate {}", gate.name),
                format!(
                    "Findings of rule {rule} from the finding source of stablegate gate {}. {}",
                    gate.name, words.full
                ),
            ),
        };
        self.list.push(Rule {
            id: id.clone(),
            name: rule_name(&id, own_rule.is_none().then_some(gate.kind.name())),
            short_description: Message { text: short },
            full_description: Message { text: full },
            help: MultiformatMessage {
                text: words.help_text,
                markdown: words.help_markdown,
            },
            help_uri: words.help_uri,
            default_configuration: Configuration { level: "error" },
            properties: RuleProperties {
                gate: gate.name.clone(),
                kind: gate.kind.to_string(),
            },
        });
        self.index.insert(id, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The gate's name for items of the gate itself, `GATE/RULE` for findings
/// that carry a rule id of their own (several gates may use the same rule
/// ids, and a result must name one gate).
pub(crate) fn rule_id(gate: &GateOutcome, item: &Item) -> String {
    if item.rule.is_empty() || item.rule == gate.name {
        gate.name.clone()
    } else {
        format!("{}/{}", gate.name, item.rule)
    }
}

/// A rule's `name`: its id in UpperCamelCase, the form SARIF recommends
/// (`inline_meta_read/no-eval` → `InlineMetaReadNoEval`); a gate's own rule
/// ends with its kind (`quiet` → `QuietGate`), so that the name never reads
/// as the id again.
fn rule_name(id: &str, kind: Option<&str>) -> String {
    let mut name = String::with_capacity(id.len());
    let mut upper = true;
    for c in id.chars() {
        if c.is_alphanumeric() {
            if upper {
                name.extend(c.to_uppercase());
            } else {
                name.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    name.push_str(match kind {
        None => "",
        Some("code") => "Gate",
        Some("audit") => "Audit",
        Some("marker") => "MarkerCensus",
        Some("fresh") => "Freshness",
        Some("scope") => "ChangeScope",
        Some("theater") => "Theater",
        Some(_) => "Check",
    });
    if name.is_empty() {
        "Rule".to_owned()
    } else {
        name
    }
}

/// What a gate's rule says, by the gate's kind.
struct Words {
    short: String,
    full: String,
    help_text: String,
    help_markdown: String,
    help_uri: String,
}

impl Words {
    fn of(gate: &GateOutcome, about: &GateAbout) -> Words {
        let name = &*gate.name;
        let message = about
            .description
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty());
        let (what, guards, steps, page): (&str, String, Vec<String>, &str) = match gate.kind.name() {
            "code" => (
                "code gate",
                "every site its finding source reports must be fixed or accepted by an entry of its allowlist, keyed by content (file, qualname, token), never by line number. An entry that covers no live site (stale), whose accepted line changed or moved, that expired, or whose count or baseline is off fails the gate too.".to_owned(),
                vec![
                    "Fix: change the code so that the site is no longer reported.".to_owned(),
                    format!("Accept: run `stablegate allow {name} --reason \"why\"` and commit the allowlist entries it writes (the `_baseline`, if any, is raised for review)."),
                    format!("Stale entries: run `stablegate prune {name}` to remove them and lower the baseline."),
                    "Changed or moved entries: fix the site, or re-approve it in review with `stablegate allow`.".to_owned(),
                    format!("Run `stablegate check {name}` locally to see the same report."),
                ],
                "README.md#stablegate-allow-convert-refresh-prune-editing-allowlists",
            ),
            "audit" => (
                "inventory audit",
                "every sink its gate discovers must have a row in the inventory table, and every row must have a sink.".to_owned(),
                vec![
                    "Undercount: paste the row the result suggests into the inventory and fill in the other columns.".to_owned(),
                    "Ghost: delete the row, or tag it `[inventory-only]` followed by a reference (#123, a URL or a commit SHA).".to_owned(),
                    format!("Moved locators: run `stablegate refresh {name}`."),
                ],
                "docs/audits.md#inventory-audits-audit",
            ),
            "marker" => (
                "marker census",
                "every marked test needs a reason matching the configured template, and the number of marked tests may not exceed the baseline.".to_owned(),
                vec![
                    "Give each marker a reason matching the template (a trailing comment or `reason=`).".to_owned(),
                    "Unmark tests, or raise the baseline in review; lower it when the count drops.".to_owned(),
                ],
                "docs/audits.md#marker-censuses-marker",
            ),
            "fresh" => (
                "freshness check",
                "the committed artifact must equal, byte for byte, what its generator writes now.".to_owned(),
                vec!["Run the generator and commit the artifact it writes.".to_owned()],
                "docs/audits.md#freshness-fresh",
            ),
            "scope" => (
                "change-scope check",
                "the change may not touch the paths it forbids.".to_owned(),
                vec!["Keep the change out of these paths, or split it.".to_owned()],
                "docs/audits.md#change-scope-scope",
            ),
            "theater" => (
                "theater triad",
                "the gate must stay green when accepted lines shift (drift), go red when an accepted line changes (content), and go red on a new offender (non-vacuity); otherwise it is theater.".to_owned(),
                vec![
                    "Tighten the gate's rule or its allowlist entries so that each leg answers as it must.".to_owned(),
                    "Give the gate an allowlisted site or a `theater = { file, code }` sample the legs can use.".to_owned(),
                ],
                "docs/theater.md#the-legs",
            ),
            _ => (
                "check",
                "its items must be resolved for the check to pass.".to_owned(),
                vec![format!("Run `stablegate check {name}` locally to see the same report.")],
                "README.md#stablegate-check-name",
            ),
        };
        let short = match message {
            Some(message) => message.to_owned(),
            None => format!("stablegate {what} {name}"),
        };
        let mut full = format!("stablegate {what} {name}: {guards}");
        if let Some(message) = message {
            full.push_str(&format!(" The gate's message: {message}"));
        }
        let mut help_text = format!("{full}\n");
        let mut help_markdown = format!(
            "**stablegate {what} `{name}`**: {}\n\n",
            markdown_escape(&guards)
        );
        if let Some(message) = message {
            help_markdown.push_str(&format!("> {}\n\n", markdown_escape(message)));
        }
        for step in &steps {
            help_text.push_str(&format!("- {}\n", step.replace('`', "")));
            help_markdown.push_str(&format!("- {step}\n"));
        }
        let help_uri = format!("{}/blob/main/{page}", crate::PROJECT_URL);
        help_markdown.push_str(&format!("\n[Documentation]({help_uri})\n"));
        Words {
            short,
            full,
            help_text,
            help_markdown,
            help_uri,
        }
    }
}

/// User text in Markdown: characters that would start markup are escaped.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_model::Verdict;

    #[test]
    fn findings_with_their_own_rule_ids_get_gate_scoped_rules() {
        let mut item = Item::new(Verdict::Violation, "a.py", Some(1), "f", "x");
        item.rule = "no-eval".into();
        let gate = GateOutcome::new("g", stablegate_model::GateKind::Code, vec![item.clone()]);
        assert_eq!(rule_id(&gate, &item), "g/no-eval");
        item.rule = "g".into();
        assert_eq!(rule_id(&gate, &item), "g");
    }

    #[test]
    fn a_rules_words_do_not_depend_on_its_items() {
        let mut first = Item::new(Verdict::Violation, "a.py", Some(1), "f", "x");
        first.message = "one wording".into();
        let mut second = first.clone();
        second.message = "another wording".into();
        let about = GateAbout {
            description: Some("read meta through load_meta()".to_owned()),
            duration: None,
        };
        let texts = |items: Vec<Item>| {
            let gate = GateOutcome::new("g", stablegate_model::GateKind::Code, items);
            let mut rules = Rules::default();
            rules.gate(&gate, &about);
            for item in &gate.items {
                rules.index_of(&gate, &about, item);
            }
            serde_json::to_string(&rules.list).unwrap()
        };
        let one = texts(vec![first.clone(), second.clone()]);
        assert_eq!(one, texts(vec![second, first]));
        assert!(one.contains("read meta through load_meta()"), "{one}");
        assert!(!one.contains("wording"), "{one}");
    }

    #[test]
    fn rule_names_are_upper_camel_case() {
        assert_eq!(
            rule_name("inline_meta_read/no-eval", None),
            "InlineMetaReadNoEval"
        );
        assert_eq!(rule_name("quiet", Some("code")), "QuietGate");
        assert_eq!(rule_name("--", None), "Rule");
    }

    #[test]
    fn markdown_in_messages_is_escaped() {
        assert_eq!(markdown_escape("a *b* [c](d)"), "a \\*b\\* \\[c\\](d)");
    }
}
