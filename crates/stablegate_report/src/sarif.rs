//! The `sarif` format: a SARIF 2.1.0 log for code-scanning tools.
//!
//! One run; `tool.driver` is `stablegate` with the report's version, its
//! `informationUri`, and one rule per gate (id = the gate's name) plus one
//! per distinct rule id a gate's findings carry (id = `GATE/RULE`). A rule's
//! metadata comes from its gate alone — name, kind and configured `message` —
//! so it is the same in every run: `name` (the id in UpperCamelCase),
//! `shortDescription` (the gate's message, else `stablegate KIND NAME`),
//! `fullDescription` (what the gate guards), `help` (text and Markdown: how
//! to fix a result, or accept it with `stablegate allow`, and how to evict
//! stale entries with `stablegate prune`), `helpUri` (the documentation of
//! the gate's kind) and `defaultConfiguration.level` `error`; see
//! `sarif_rules`. `run.automationDetails.id` is the report's automation id
//! (`stablegate/` unless the caller names the run; GitHub takes the whole id,
//! which ends with `/`, as the analysis category). Every item of every gate is
//! a result, accepted sites included:
//!
//! | verdict | `level` | `baselineState` | notes |
//! | --- | --- | --- | --- |
//! | `ok` | `note` | `unchanged` | `suppressions: [{"kind": "external", "status": "accepted", "justification": rationale, "location": the entry}]` |
//! | `violation` | `error` | `new` | |
//! | `changed` | `error` | `updated` | the accepted site is still there, its tokens changed |
//! | `count` | `error` | `updated` | the accepted key is there, its number of sites changed (or the gate's `min_sites`/`max_sites` bound is crossed) |
//! | `grown` | `error` | `updated` | a `shrink_only` allowlist has more entries than at the base |
//! | `expired` | `error` | `updated` | located on the entry; the accepted site is a related location |
//! | `stale` | `error` | `absent` | the accepted site is gone: located on the entry; the recorded line is a related location |
//! | `moved` | `error` | `absent` | located on the entry; the old and the new file are related locations |
//! | `baseline`, `parse_error` | `error` | `new` | problems of this run's inputs that no baseline accepts |
//! | `ambiguous`, `invalid` | `error` | `new` | located on the entry; the site it names is a related location |
//! | `parse_warning` | `warning` | `new` | reported, does not fail the gate |
//! | `ghost` | `error` | `absent` | an inventory row whose sink is gone |
//! | `over_baseline`, `stale_artifact` | `error` | `updated` | a count or an artifact that drifted from what is committed |
//! | `undercount`, `duplicate`, `missing_candidate`, `unreferenced`, `marker_reason`, `out_of_scope` | `error` | `new` | |
//! | `inventory_only`, `below_baseline` | `warning` | `new` | reported, does not fail the gate |
//! | `n/a` (theater leg that cannot apply) | `note` | `new` | reported, does not fail the triad |
//!
//! Every result has `ruleId` and `ruleIndex`, `message.text` (the headline,
//! then the notes of `advice`, one per line), `partialFingerprints` with
//! `stablegate/v1` and `primaryLocationLineHash`, both derived from the
//! content key, never from the line (see [`crate::fingerprint`]), a
//! `baselineState`, and a
//! `properties` bag with `gate`, `verdict`, `qualname`, `token` and, where
//! they apply, `text` and `oldText` (the plain-text key of a line without
//! code token, SPEC §12.7), `rule` (the rule id when it is part of the
//! site's identity: the `ruleId` is then `GATE/RULE`), `oldToken`,
//! `movedTo`, `nearest`, `scope`, `expected`, `actual`, `detail`. Its location is the item's file (a relative URI reference,
//! percent-encoded, with `uriBaseId` `%SRCROOT%`), its line as
//! `region.startLine`, and its qualname as a logical location; the allowlist
//! entry concerned, if any, is a related location — except for the verdicts
//! about an entry (`stale`, `moved`, `expired`, `ambiguous`, `invalid`),
//! which are located on the entry, with the source line as a related
//! location. `run.originalUriBaseIds`
//! describes `%SRCROOT%` (the project root) without an absolute URI, so the
//! log is the same on every machine; consumers resolve it to their checkout,
//! as GitHub does with relative paths.
//!
//! The log is validated against the official SARIF 2.1.0 schema in this
//! crate's tests, and by Microsoft's SARIF Multitool (its SARIF and GitHub
//! rules) in the binary's tests. This module decides nothing: levels and states follow the
//! verdicts reconciliation gave.

use std::collections::BTreeMap;
use std::io::{self, Write};

use stablegate_model::{GateOutcome, Item, Verdict};

use crate::advice::{self, located_on_entry};
use crate::fingerprint::{
    content_key_fingerprint, line_hash, line_hash_of, FINGERPRINT_KEY, LINE_HASH_KEY,
};
use crate::report::Report;
use crate::sarif_log::{
    ArtifactLocation, AutomationDetails, Driver, Location, Log, LogicalLocation, Message,
    PhysicalLocation, Region, ResultProperties, Run, SarifResult, Suppression, Tool,
};
use crate::sarif_rules::Rules;

/// The `$schema` written into the log: the OASIS 2.1.0 (errata 01) schema.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const SRCROOT: &str = "%SRCROOT%";

/// Writes `report` as a SARIF 2.1.0 log (pretty-printed JSON) and a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut rules = Rules::default();
    let mut results = Vec::new();
    // Results of one rule with one line hash, counted.
    let mut seen: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for (index, gate) in report.gates.iter().enumerate() {
        let about = report.about(index);
        rules.gate(gate, about);
        for listed in crate::listed::listed(gate) {
            let item = &*listed.item;
            let rule_index = rules.index_of(gate, about, item);
            let print = content_key_fingerprint(&item.file, &item.qualname, &item.token);
            let on_entry = located_on_entry(item);
            let hash = line_hash_of(&item.file, &item.qualname, &item.token, on_entry);
            let occurrence = seen.entry((rule_index, hash.clone())).or_insert(0);
            *occurrence += 1;
            let fingerprints = BTreeMap::from([
                (LINE_HASH_KEY, line_hash(&hash, *occurrence)),
                (FINGERPRINT_KEY, print),
            ]);
            let rule_id = rules.list[rule_index].id.clone();
            results.push(result(gate, item, rule_id, rule_index, fingerprints));
        }
    }
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
                    information_uri: crate::PROJECT_URL,
                    rules: rules.list,
                },
            },
            automation_details: AutomationDetails {
                id: report.automation_id.clone(),
            },
            original_uri_base_ids: BTreeMap::from([(SRCROOT, root)]),
            results,
        }],
    };
    // Serialised into memory first so a failed write reaches the caller as
    // the writer's own io::Error.
    let bytes = serde_json::to_vec_pretty(&log).map_err(io::Error::other)?;
    out.write_all(&bytes)?;
    out.write_all(b"\n")
}

fn result(
    gate: &GateOutcome,
    item: &Item,
    rule_id: String,
    rule_index: usize,
    partial_fingerprints: BTreeMap<&'static str, String>,
) -> SarifResult {
    let mut text = advice::headline(item);
    for line in advice::note_lines(item) {
        text.push('\n');
        text.push_str(&line);
    }
    let entry = item.more().entry.as_ref().map(|entry| Location {
        id: None,
        physical_location: Some(physical(&entry.allowlist, Some(entry.line))),
        logical_locations: Vec::new(),
        message: Some(Message {
            text: "the allowlist entry".to_owned(),
        }),
    });
    let mut related = Vec::new();
    let on_entry = located_on_entry(item);
    let mut primary = primary_location(item);
    if on_entry {
        let site = primary.take().filter(|_| {
            item.more()
                .entry
                .as_ref()
                .is_some_and(|entry| *entry.allowlist != *item.file)
        });
        if let Some(mut site) = site {
            site.message = Some(Message {
                text: match item.verdict {
                    Verdict::Stale | Verdict::Moved => {
                        "where the accepted site was (the entry's recorded line)"
                    }
                    _ => "the accepted site",
                }
                .to_owned(),
            });
            related.push(site);
        }
    }
    if let Some(moved_to) = &item.more().moved_to {
        related.push(Location {
            id: None,
            physical_location: Some(physical(moved_to, None)),
            logical_locations: Vec::new(),
            message: Some(Message {
                text: "where the key lives now".to_owned(),
            }),
        });
    }
    let mut locations = Vec::new();
    let suppressions = if item.verdict == Verdict::Ok {
        locations.extend(primary);
        vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: item
                .more()
                .rationale
                .as_ref()
                .map(std::string::ToString::to_string),
            location: entry,
        }]
    } else {
        match entry {
            Some(mut entry) if on_entry => {
                entry.message = None;
                locations.push(entry);
            }
            Some(entry) => {
                locations.extend(primary);
                related.push(entry);
            }
            None => locations.extend(primary),
        }
        Vec::new()
    };
    for (index, location) in related.iter_mut().enumerate() {
        location.id = Some(index + 1);
    }
    SarifResult {
        rule_id,
        rule_index,
        level: level(item.verdict),
        message: Message { text },
        locations,
        related_locations: related,
        partial_fingerprints,
        baseline_state: baseline_state(item.verdict),
        suppressions,
        properties: ResultProperties {
            gate: gate.name.clone(),
            verdict: item.verdict.name(),
            qualname: item.qualname.to_string(),
            token: item.token.to_string(),
            text: item.text.as_ref().map(std::string::ToString::to_string),
            old_text: item.more().old_text.clone(),
            rule: item.rule_in_key.then(|| item.rule.to_string()),
            old_token: item.more().old_token.clone(),
            moved_to: item.more().moved_to.clone(),
            nearest: item.more().nearest.clone(),
            scope: item
                .more()
                .scope
                .as_ref()
                .map(std::string::ToString::to_string),
            expected: item.more().expected,
            actual: item.more().actual,
            detail: item.detail.as_ref().map(std::string::ToString::to_string),
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
            fully_qualified_name: item.qualname.to_string(),
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
        Verdict::NotApplicable => "note",
        _ => "error",
    }
}

/// The SARIF `baselineState` of a verdict (see the table in the module doc).
pub fn baseline_state(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ok => "unchanged",
        Verdict::Changed | Verdict::Count | Verdict::Expired => "updated",
        Verdict::Stale | Verdict::Moved | Verdict::Ghost => "absent",
        Verdict::StaleArtifact | Verdict::OverBaseline | Verdict::Grown => "updated",
        Verdict::Violation
        | Verdict::Baseline
        | Verdict::Ambiguous
        | Verdict::Invalid
        | Verdict::ParseError
        | Verdict::ParseWarning
        | Verdict::LegFailed
        | Verdict::Inconclusive
        | Verdict::NotApplicable => "new",
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

    #[test]
    fn paths_become_percent_encoded_uri_references() {
        assert_eq!(uri_reference("src/pkg/a.py"), "src/pkg/a.py");
        assert_eq!(uri_reference("my dir/ä%:b.py"), "my%20dir/%C3%A4%25%3Ab.py");
    }
}
