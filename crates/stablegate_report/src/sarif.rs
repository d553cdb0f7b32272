//! The `sarif` format: a SARIF 2.1.0 log for code-scanning tools.
//!
//! One run; `tool.driver` is `stablegate` with the report's version and one
//! rule per gate (id = the gate's name) plus one per distinct rule id a gate's
//! findings carry (id = `GATE/RULE`), each with a `shortDescription` (the
//! gate's message) and `defaultConfiguration.level` `error`. Every item of
//! every gate is a result, accepted sites included:
//!
//! | verdict | `level` | `baselineState` | notes |
//! | --- | --- | --- | --- |
//! | `ok` | `note` | `unchanged` | `suppressions: [{"kind": "external", "status": "accepted", "justification": rationale, "location": the entry}]` |
//! | `violation` | `error` | `new` | |
//! | `changed` | `error` | `updated` | the accepted site is still there, its tokens changed |
//! | `count` | `error` | `updated` | the accepted key is there, its number of sites changed |
//! | `expired` | `error` | `updated` | the accepted site is there, its acceptance lapsed |
//! | `stale` | `error` | `absent` | the accepted site is gone |
//! | `moved` | `error` | `absent` | gone from this file; `relatedLocations` has the new file |
//! | `baseline`, `ambiguous`, `invalid`, `parse_error` | `error` | `new` | problems of this run's inputs that no baseline accepts |
//! | `parse_warning` | `warning` | `new` | reported, does not fail the gate |
//! | `ghost` | `error` | `absent` | an inventory row whose sink is gone |
//! | `over_baseline`, `stale_artifact` | `error` | `updated` | a count or an artifact that drifted from what is committed |
//! | `undercount`, `duplicate`, `missing_candidate`, `unreferenced`, `marker_reason`, `out_of_scope` | `error` | `new` | |
//! | `inventory_only`, `below_baseline` | `warning` | `new` | reported, does not fail the gate |
//!
//! Every result has `ruleId` and `ruleIndex`, `message.text` (the headline,
//! then the notes of `advice`, one per line), `partialFingerprints` with
//! `stablegate/v1` (see [`crate::fingerprint`]), a `baselineState`, and a
//! `properties` bag with `gate`, `verdict`, `qualname`, `token` and, where
//! they apply, `oldToken`, `movedTo`, `nearest`, `expected`, `actual`,
//! `detail`. Its location is the item's file (a relative URI reference,
//! percent-encoded, with `uriBaseId` `%SRCROOT%`), its line as
//! `region.startLine`, and its qualname as a logical location; the allowlist
//! entry concerned, if any, is a related location. `run.originalUriBaseIds`
//! describes `%SRCROOT%` (the project root) without an absolute URI, so the
//! log is the same on every machine; consumers resolve it to their checkout,
//! as GitHub does with relative paths.
//!
//! The log is validated against the official SARIF 2.1.0 schema in this
//! crate's tests. This module decides nothing: levels and states follow the
//! verdicts reconciliation gave.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use stablegate_model::{GateOutcome, Item, Verdict};

use crate::advice;
use crate::fingerprint::{content_key_fingerprint, FINGERPRINT_KEY};
use crate::report::Report;
use crate::sarif_log::{
    ArtifactLocation, Configuration, Driver, Location, Log, LogicalLocation, Message,
    PhysicalLocation, Region, ResultProperties, Rule, RuleProperties, Run, SarifResult,
    Suppression, Tool,
};

/// The `$schema` written into the log: the OASIS 2.1.0 (errata 01) schema.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const SRCROOT: &str = "%SRCROOT%";

/// Writes `report` as a SARIF 2.1.0 log (pretty-printed JSON) and a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Rules come first in the log, in order of first appearance: they are
    // all declared before a result is written. Results are then built one
    // at a time while writing (a result repeats its item's token, which may
    // be a long line's: the whole log is never held in memory).
    let mut rules = Rules::default();
    let mut indexes = Vec::new();
    for gate in &report.gates {
        rules.gate(gate);
        for item in &gate.items {
            indexes.push(rules.index_of(gate, item));
        }
    }
    let results = Results {
        report,
        rules: &rules.list,
        indexes: &indexes,
    };
    let root = ArtifactLocation {
        uri: None,
        uri_base_id: None,
        description: Some(Message {
            text: "The project root: the directory of the stablegate configuration, or --root."
                .to_owned(),
        }),
    };
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "stablegate",
                    version: report.tool_version.clone(),
                    rules: rules.list.clone(),
                },
            },
            original_uri_base_ids: BTreeMap::from([(SRCROOT, root)]),
            results,
        }],
    };
    // A failed write reaches the caller as the writer's own io::Error
    // (serde_json gives it back whole).
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The results of the log, serialised as a list built one at a time.
struct Results<'a> {
    report: &'a Report,
    rules: &'a [Rule],
    /// The rule index of every item, in report order.
    indexes: &'a [usize],
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.indexes.len()))?;
        let items = (self.report.gates.iter())
            .flat_map(|gate| gate.items.iter().map(move |item| (gate, item)));
        for ((gate, item), &rule_index) in items.zip(self.indexes) {
            let rule_id = &self.rules[rule_index].id;
            seq.serialize_element(&result(gate, item, rule_id, rule_index))?;
        }
        seq.end()
    }
}

/// The rules of the run, in order of first appearance.
#[derive(Default)]
struct Rules {
    list: Vec<Rule>,
    index: BTreeMap<String, usize>,
}

impl Rules {
    /// Declares the gate's own rule, so a gate with no items still has one.
    fn gate(&mut self, gate: &GateOutcome) {
        let id = gate.name.clone();
        let described = gate.items.iter().find(|item| rule_id(gate, item) == id);
        self.declare(gate, id, described);
    }

    /// The index of the rule of `item`, declaring it on first sight.
    fn index_of(&mut self, gate: &GateOutcome, item: &Item) -> usize {
        let id = rule_id(gate, item);
        match self.index.get(&id) {
            Some(&index) => index,
            None => self.declare(gate, id, Some(item)),
        }
    }

    fn declare(&mut self, gate: &GateOutcome, id: String, described: Option<&Item>) -> usize {
        if let Some(&index) = self.index.get(&id) {
            return index;
        }
        let text = match described {
            Some(item) if !item.message.is_empty() => item.message.to_string(),
            Some(item) if !item.rule.is_empty() && item.rule != gate.name => {
                format!("rule {} of stablegate gate {}", item.rule, gate.name)
            }
            _ => format!("stablegate {} gate {}", gate.kind, gate.name),
        };
        self.list.push(Rule {
            id: id.clone(),
            short_description: Message { text },
            default_configuration: Configuration { level: "error" },
            properties: RuleProperties {
                gate: gate.name.clone(),
                kind: gate.kind.name(),
            },
        });
        self.index.insert(id, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The gate's name for items of the gate itself, `GATE/RULE` for findings
/// that carry a rule id of their own (several gates may use the same rule
/// ids, and a result must name one gate).
fn rule_id(gate: &GateOutcome, item: &Item) -> String {
    if item.rule.is_empty() || item.rule == gate.name {
        gate.name.clone()
    } else {
        format!("{}/{}", gate.name, item.rule)
    }
}

fn result(gate: &GateOutcome, item: &Item, rule_id: &str, rule_index: usize) -> SarifResult {
    let mut text = advice::headline(item);
    for line in advice::note_lines(item) {
        text.push('\n');
        text.push_str(&line);
    }
    let entry = item.entry.as_ref().map(|entry| Location {
        id: None,
        physical_location: Some(physical(&entry.allowlist, Some(entry.line))),
        logical_locations: Vec::new(),
        message: Some(Message {
            text: "the allowlist entry".to_owned(),
        }),
    });
    let mut related = Vec::new();
    if let Some(moved_to) = &item.moved_to {
        related.push(Location {
            id: Some(related.len() + 1),
            physical_location: Some(physical(moved_to, None)),
            logical_locations: Vec::new(),
            message: Some(Message {
                text: "where the key lives now".to_owned(),
            }),
        });
    }
    let suppressions = if item.verdict == Verdict::Ok {
        vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: item.rationale.clone(),
            location: entry,
        }]
    } else {
        if let Some(mut entry) = entry {
            entry.id = Some(related.len() + 1);
            related.push(entry);
        }
        Vec::new()
    };
    SarifResult {
        rule_id: rule_id.to_owned(),
        rule_index,
        level: level(item.verdict),
        message: Message { text },
        locations: primary_location(item).into_iter().collect(),
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(
            FINGERPRINT_KEY,
            content_key_fingerprint(&item.file, &item.qualname, &item.token),
        )]),
        baseline_state: baseline_state(item.verdict),
        suppressions,
        properties: ResultProperties {
            gate: gate.name.clone(),
            verdict: item.verdict.name(),
            qualname: item.qualname.clone(),
            token: item.token.clone(),
            old_token: item.old_token.clone(),
            moved_to: item.moved_to.clone(),
            nearest: item.nearest.clone(),
            expected: item.expected,
            actual: item.actual,
            detail: item.detail.clone(),
        },
    }
}

fn primary_location(item: &Item) -> Option<Location> {
    if item.file.is_empty() {
        return None;
    }
    let logical = if item.qualname.is_empty() {
        Vec::new()
    } else {
        vec![LogicalLocation {
            fully_qualified_name: item.qualname.clone(),
        }]
    };
    Some(Location {
        id: None,
        physical_location: Some(physical(&item.file, item.line)),
        logical_locations: logical,
        message: None,
    })
}

fn physical(file: &str, line: Option<usize>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: Some(uri_reference(file)),
            uri_base_id: Some(SRCROOT),
            description: None,
        },
        region: line
            .filter(|&line| line >= 1)
            .map(|start_line| Region { start_line }),
    }
}

/// The SARIF `level` of a verdict (see the table in the module doc).
pub fn level(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ok => "note",
        Verdict::ParseWarning | Verdict::InventoryOnly | Verdict::BelowBaseline => "warning",
        _ => "error",
    }
}

/// The SARIF `baselineState` of a verdict (see the table in the module doc).
pub fn baseline_state(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ok => "unchanged",
        Verdict::Changed | Verdict::Count | Verdict::Expired => "updated",
        Verdict::Stale | Verdict::Moved | Verdict::Ghost => "absent",
        Verdict::StaleArtifact | Verdict::OverBaseline => "updated",
        Verdict::Violation
        | Verdict::Baseline
        | Verdict::Ambiguous
        | Verdict::Invalid
        | Verdict::ParseError
        | Verdict::ParseWarning
        | Verdict::LegFailed
        | Verdict::Inconclusive => "new",
        Verdict::Undercount
        | Verdict::Duplicate
        | Verdict::MissingCandidate
        | Verdict::InventoryOnly
        | Verdict::Unreferenced
        | Verdict::MarkerReason
        | Verdict::BelowBaseline
        | Verdict::OutOfScope => "new",
    }
}

/// A root-relative path as a relative URI reference: every byte outside the
/// unreserved set, `/` and the sub-delimiters is percent-encoded. `:` is
/// encoded too, so a first segment such as `c:x.py` cannot read as a scheme.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_model::GateKind;

    #[test]
    fn paths_become_percent_encoded_uri_references() {
        assert_eq!(uri_reference("src/pkg/a.py"), "src/pkg/a.py");
        assert_eq!(uri_reference("my dir/ä%:b.py"), "my%20dir/%C3%A4%25%3Ab.py");
    }

    #[test]
    fn findings_with_their_own_rule_ids_get_gate_scoped_rules() {
        let mut item = Item::new(Verdict::Violation, "a.py", Some(1), "f", "x");
        item.rule = "no-eval".into();
        let gate = GateOutcome::new("g", GateKind::Code, vec![item.clone()]);
        assert_eq!(rule_id(&gate, &item), "g/no-eval");
        item.rule = "g".into();
        assert_eq!(rule_id(&gate, &item), "g");
    }
}
