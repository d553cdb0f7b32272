//! The audit of one inventory table against the discovered sinks (SPEC §8):
//! rows and live sites in, verdict items out. Pure: no I/O, no printing.
//!
//! Row identity is the content key `(file, qualname, token)`; the locator's
//! line is never compared. A token ending in `…` selects the live tokens of
//! its `(file, qualname)` that start with the text before it (SPEC §2.3).
//! Decisions where the SPEC is silent:
//! - One row stands for one content key, whatever its number of sites (two
//!   identical lines in one function cannot be told apart by any key); the
//!   undercount item says how many sites the missing key has.
//! - A key with N live sites may have up to N rows (SPEC §12.4: a pytest
//!   inventory lists every call, and two calls may share a key); the i-th
//!   row of the key is `ok` at its i-th site (in line order). One row more
//!   than the key has sites — or a second row of an identity that selects
//!   no sink, several, or another row's key — is `duplicate`; earlier rows
//!   stand.
//! - An `[inventory-only]` row whose sink is live is simply `ok`; without a
//!   reference the tag is `unreferenced` (red) whatever it matches, unless
//!   `inventory_only_reference = "optional"`: then the bare tag is enough
//!   and a ghost row carrying it is `inventory_only`.
//! - A known candidate may be a file or a directory; it needs one sink in it
//!   (`known_candidates_from = "discovered"`), or one sink or one inventory
//!   row of any verdict whose file lies in it (`"discovered_or_inventory"`).

use std::collections::BTreeMap;
use std::ops::Bound;

use stablegate_config::{Audit, InventoryOnlyReference, KnownCandidatesFrom};

use super::cell;
use super::document::{Inventory, InventoryRow, Tag};
use crate::inputs::Site;
use crate::reconcile::check::Pattern;
use crate::verdict::{EntryRef, Item, SharedStr, Verdict};
use stablegate_model::Suggestion;

/// What one audit needs.
pub struct AuditInput<'a> {
    pub audit: &'a Audit,
    pub inventory: &'a Inventory,
    /// The live sites of the audit's gate, in any order.
    pub sites: &'a [Site],
    /// The gate's message, printed on undercount items.
    pub message: Option<&'a str>,
}

type Keys<'a> = BTreeMap<(&'a str, &'a str), BTreeMap<&'a str, Vec<&'a Site>>>;

/// The live keys of a scope that `pattern` selects, found by a range of the
/// sorted tokens (an inventory of 100,000 rows in one file costs a logarithm
/// per row, not a pass over the file's keys).
fn select<'a, 'k>(
    tokens: Option<&'k BTreeMap<&'a str, Vec<&'a Site>>>,
    pattern: Pattern<'_>,
) -> Vec<(&'a str, &'k Vec<&'a Site>)> {
    let Some(tokens) = tokens else {
        return Vec::new();
    };
    match pattern {
        Pattern::Exact(token) => (tokens.get_key_value(token).into_iter())
            .map(|(token, sites)| (*token, sites))
            .collect(),
        Pattern::Prefix(prefix) => (tokens
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded)))
        .take_while(|(token, _)| token.starts_with(prefix))
        .map(|(token, sites)| (*token, sites))
        .collect(),
    }
}

/// The items of one audit.
pub fn audit(input: &AuditInput<'_>) -> Vec<Item> {
    let mut keys: Keys = BTreeMap::new();
    for site in input.sites {
        let scope = (site.finding.file.as_str(), site.qualname.as_str());
        keys.entry(scope)
            .or_default()
            .entry(&site.token)
            .or_default()
            .push(site);
    }
    for sites in keys.values_mut().flat_map(BTreeMap::values_mut) {
        sites.sort_by_key(|site| (site.finding.line, site.finding.column));
    }
    let mut items = Vec::new();
    let required = input.audit.inventory_only_reference == InventoryOnlyReference::Required;
    // Per live key: the line of the first row that selected it and how many
    // rows did; a key of N sites takes N rows (SPEC §12.4).
    let mut claimed: BTreeMap<(&str, &str, &str), (usize, usize)> = BTreeMap::new();
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for row in &input.inventory.rows {
        let identity = (row.file.as_str(), row.qualname.as_str(), row.token.as_str());
        let pattern = Pattern::of(&row.token);
        let scope = (row.file.as_str(), row.qualname.as_str());
        let selected = select(keys.get(&scope), pattern);
        if let Some(first) = seen.get(&identity) {
            // The same identity again is a duplicate, unless it selects one
            // key with a site no row has taken yet.
            let room = match selected.as_slice() {
                [(token, sites)] => (claimed.get(&(scope.0, scope.1, *token)))
                    .is_none_or(|&(_, rows)| rows < sites.len()),
                _ => false,
            };
            if !room {
                items.push(row_item(
                    input,
                    row,
                    Verdict::Duplicate,
                    format!("the same row as line {first}"),
                ));
                continue;
            }
        } else {
            seen.insert(identity, row.line);
        }
        if row.tag == Tag::Bare && required {
            let detail =
                "`[inventory-only]` needs a reference after it: #123, a URL or a commit SHA";
            items.push(row_item(
                input,
                row,
                Verdict::Unreferenced,
                detail.to_owned(),
            ));
        }
        match selected.as_slice() {
            [] => match &row.tag {
                Tag::Referenced(reference) => {
                    let detail = format!("inventory-only row, no discovered sink ({reference})");
                    items.push(row_item(input, row, Verdict::InventoryOnly, detail));
                }
                Tag::Bare if required => {}
                Tag::Bare => {
                    let detail = "inventory-only row, no discovered sink (no reference)";
                    items.push(row_item(
                        input,
                        row,
                        Verdict::InventoryOnly,
                        detail.to_owned(),
                    ));
                }
                Tag::None => {
                    let detail = "no discovered sink has this row's file, qualname and token: \
                                  delete the row, or tag it `[inventory-only]` with a reference";
                    items.push(row_item(input, row, Verdict::Ghost, detail.to_owned()));
                }
            },
            [(token, sites)] => {
                let key = (row.file.as_str(), row.qualname.as_str(), *token);
                let taken = claimed.get(&key).copied();
                match taken {
                    Some((first, rows)) if rows >= sites.len() => {
                        let detail = if sites.len() == 1 {
                            format!("selects the same sink as the row at line {first}")
                        } else {
                            format!(
                                "selects the same sink as the row at line {first}: its key has {} live sites and {} rows already",
                                sites.len(),
                                rows
                            )
                        };
                        items.push(row_item(input, row, Verdict::Duplicate, detail));
                    }
                    _ => {
                        let (first, rows) = taken.unwrap_or((row.line, 0));
                        claimed.insert(key, (first, rows + 1));
                        if row.tag != Tag::Bare || !required {
                            items.push(ok_item(input, row, token, &sites[rows..]));
                        }
                    }
                }
            }
            several => {
                for (token, _) in several {
                    claimed
                        .entry((row.file.as_str(), row.qualname.as_str(), token))
                        .or_insert((row.line, usize::MAX));
                }
                let tokens: Vec<String> = several
                    .iter()
                    .map(|(token, _)| format!("`{token}`"))
                    .collect();
                let detail = format!(
                    "the truncated token selects {} live keys ({}): lengthen it until it selects one",
                    several.len(),
                    tokens.join(", ")
                );
                items.push(row_item(input, row, Verdict::Ambiguous, detail));
            }
        }
    }
    for ((file, qualname), tokens) in &keys {
        for (token, sites) in tokens {
            if !claimed.contains_key(&(*file, *qualname, *token)) {
                items.push(undercount_item(input, sites));
            }
        }
    }
    for candidate in &input.audit.known_candidates {
        let holds = |file: &str| {
            file == candidate || candidate == "." || file.starts_with(&format!("{candidate}/"))
        };
        let documented = input.audit.known_candidates_from
            == KnownCandidatesFrom::DiscoveredOrInventory
            && input.inventory.rows.iter().any(|row| holds(&row.file));
        if !documented && !input.sites.iter().any(|site| holds(&site.finding.file)) {
            let mut item = Item::new(Verdict::MissingCandidate, candidate, None, "", "");
            item.rule = input.audit.name.clone().into();
            item.message =
                if input.audit.known_candidates_from == KnownCandidatesFrom::Discovered {
                    "a known candidate holds no discovered sink"
                } else {
                    "a known candidate holds no discovered sink and no inventory row"
                }
                .into();
            item.detail = Some(
                format!(
                    "gate `{}` finds nothing in {candidate}: the gate went blind there, or the \
                 candidate is gone (then drop it from `known_candidates`)",
                    input.audit.gate
                )
                .into(),
            );
            items.push(item);
        }
    }
    items
}

fn row_item(input: &AuditInput<'_>, row: &InventoryRow, verdict: Verdict, detail: String) -> Item {
    let mut item = Item::new(
        verdict,
        &input.inventory.path,
        Some(row.line),
        &row.qualname,
        &row.token,
    );
    item.rule = input.audit.name.clone().into();
    item.message = match verdict {
        Verdict::Ghost => "inventory row without a discovered sink",
        Verdict::Duplicate => "duplicate inventory row",
        Verdict::Unreferenced => "`[inventory-only]` without a reference",
        Verdict::InventoryOnly => "inventory-only row",
        _ => "inventory row",
    }
    .to_owned()
    .into();
    item.detail = Some(format!("{} ({}:{})", detail, row.file, row.locator_line).into());
    item
}

fn ok_item(input: &AuditInput<'_>, row: &InventoryRow, token: &str, sites: &[&Site]) -> Item {
    let first = sites[0];
    let mut item = Item::new(
        Verdict::Ok,
        &first.finding.file,
        Some(first.finding.line),
        &first.qualname,
        token,
    );
    item.rule = input.audit.name.clone().into();
    item.more_mut().entry = Some(EntryRef {
        allowlist: input.inventory.path.clone().into(),
        line: row.line,
    });
    item
}

fn undercount_item(input: &AuditInput<'_>, sites: &[&Site]) -> Item {
    let first = sites[0];
    let finding = &first.finding;
    let mut item = Item::new(
        Verdict::Undercount,
        &finding.file,
        Some(finding.line),
        &first.qualname,
        &first.token,
    );
    item.rule = input.audit.name.clone().into();
    item.message = input
        .message
        .map(SharedStr::from)
        .or_else(|| finding.message.clone())
        .unwrap_or_else(|| "discovered sink missing from the inventory".into());
    item.more_mut().actual = Some(sites.len() as u64);
    item.suggestion = Some(Suggestion::Text(paste_row(input, first).into()));
    item.detail = Some(
        format!(
            "no row of {} documents this sink{}",
            input.inventory.path,
            match &input.audit.table {
                Some(table) => format!(" (table `{table}`)"),
                None => String::new(),
            }
        )
        .into(),
    );
    item
}

/// The row to paste for a missing sink: the mapped cells filled in, every
/// other column left empty for the human.
pub fn paste_row(input: &AuditInput<'_>, site: &Site) -> String {
    let inventory = input.inventory;
    let file = &site.finding.file;
    let path = file.strip_prefix(&input.audit.path_prefix).unwrap_or(file);
    let [locator, qualname, token] = inventory.mapped;
    let cells: Vec<String> = (0..inventory.columns.len())
        .map(|index| {
            let text = if index == locator {
                format!("{path}:{}", site.finding.line)
            } else if index == qualname {
                site.qualname.to_string()
            } else if index == token {
                site.token.to_string()
            } else {
                String::new()
            };
            cell::write(&text, inventory.code[index])
        })
        .collect();
    format!("| {} |", cells.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::Finding;
    use crate::inventory::document::{read, reference_regex};
    use stablegate_config::{Columns, Location};

    fn audit_config() -> Audit {
        let at = Location {
            file: "stablegate.toml".into(),
            line: 1,
            column: 1,
        };
        Audit {
            name: "inv".into(),
            location: at.clone(),
            inventory: "inv.md".into(),
            table: None,
            gate: "g".into(),
            gate_location: at,
            path_prefix: "src/".into(),
            columns: Columns {
                locator: "file:line".into(),
                qualname: "qualname".into(),
                token: "token".into(),
            },
            known_candidates: Vec::new(),
            inventory_only_reference: InventoryOnlyReference::Required,
            known_candidates_from: KnownCandidatesFrom::Discovered,
        }
    }

    fn site(file: &str, line: usize, qualname: &str, token: &str) -> Site {
        Site {
            finding: Finding {
                file: file.into(),
                line,
                column: 1,
                end_line: line,
                offset: line,
                rule: "g".into(),
                rule_in_key: false,
                message: None,
            },
            qualname: qualname.into(),
            token: token.into(),
            text: Default::default(),
        }
    }

    fn verdicts(rows: &str, sites: &[Site]) -> Vec<(Verdict, Option<usize>)> {
        let text = format!("| file:line | qualname | token | note |\n|---|---|---|---|\n{rows}");
        let config = audit_config();
        let inventory = read(&config, &text, &reference_regex()).unwrap();
        let input = AuditInput {
            audit: &config,
            inventory: &inventory,
            sites,
            message: None,
        };
        audit(&input)
            .into_iter()
            .map(|item| (item.verdict, item.line))
            .collect()
    }

    #[test]
    fn line_numbers_are_never_compared() {
        let sites = [site("src/a.py", 40, "f", "x = eval ( s )")];
        assert_eq!(
            verdicts("| a.py:3 | f | x = eval ( s ) | |\n", &sites),
            [(Verdict::Ok, Some(40))]
        );
    }

    #[test]
    fn a_truncated_token_selects_one_key_or_is_ambiguous() {
        let one = [site("src/a.py", 4, "f", "x = eval ( s )")];
        assert_eq!(
            verdicts("| a.py:3 | f | x = eval … | |\n", &one),
            [(Verdict::Ok, Some(4))]
        );
        let two = [
            site("src/a.py", 4, "f", "x = eval ( s )"),
            site("src/a.py", 5, "f", "x = eval ( t )"),
        ];
        assert_eq!(
            verdicts("| a.py:3 | f | x = eval … | |\n", &two),
            [(Verdict::Ambiguous, Some(3))]
        );
    }

    #[test]
    fn the_qualname_and_file_are_part_of_the_identity() {
        let sites = [site("src/a.py", 4, "g", "x = eval ( s )")];
        assert_eq!(
            verdicts("| a.py:4 | f | x = eval ( s ) | |\n", &sites),
            [(Verdict::Ghost, Some(3)), (Verdict::Undercount, Some(4))]
        );
    }

    #[test]
    fn inventory_only_needs_a_reference_in_its_own_cell() {
        let rows = "| a.py:1 | f | y | [inventory-only] see https://example.org/x |\n| a.py:2 | f | z | [inventory-only] later |\n| a.py:3 | f | w | [inventory-only] (0123abc) |\n";
        assert_eq!(
            verdicts(rows, &[]),
            [
                (Verdict::InventoryOnly, Some(3)),
                (Verdict::Unreferenced, Some(4)),
                (Verdict::InventoryOnly, Some(5))
            ]
        );
    }

    #[test]
    fn the_row_to_paste_fills_the_mapped_columns_only() {
        let text = "| note | token | file:line | qualname |\n|---|---|---|---|\n| x | `a` | a.py:1 | `f` |\n";
        let config = audit_config();
        let inventory = read(&config, text, &reference_regex()).unwrap();
        let input = AuditInput {
            audit: &config,
            inventory: &inventory,
            sites: &[],
            message: None,
        };
        let row = paste_row(&input, &site("src/b/c.py", 9, "C.m", "y = a | b"));
        assert_eq!(row, "|  | `y = a \\| b` | b/c.py:9 | `C.m` |");
    }

    proptest::proptest! {
        #[test]
        fn shifting_the_sinks_never_changes_a_verdict(shifts in proptest::collection::vec(0usize..500, 3)) {
            let rows = "| a.py:1 | f | x = eval ( s ) | |\n| a.py:2 | g | y = eval ( t ) | |\n| b.py:3 | h | gone | |\n";
            let at = |shift: usize, line: usize| line + shift;
            let base = [
                site("src/a.py", 1, "f", "x = eval ( s )"),
                site("src/a.py", 2, "g", "y = eval ( t )"),
                site("src/c.py", 3, "k", "z = eval ( u )"),
            ];
            let shifted: Vec<Site> = base
                .iter()
                .zip(&shifts)
                .map(|(s, &shift)| site(&s.finding.file, at(shift, s.finding.line), &s.qualname, &s.token))
                .collect();
            let strip = |v: Vec<(Verdict, Option<usize>)>| {
                let mut v: Vec<Verdict> = v.into_iter().map(|(verdict, _)| verdict).collect();
                v.sort();
                v
            };
            proptest::prop_assert_eq!(strip(verdicts(rows, &base)), strip(verdicts(rows, &shifted)));
        }
    }
}
