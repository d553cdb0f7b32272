//! Which top-level key of an allowlist file is the baseline of which list,
//! for the merge driver (SPEC §12.2, §12.5), and the numbers it cannot
//! place.
//!
//! git hands the driver three files and no configuration, so the command
//! reads the configuration when it can (the repository root, where git runs
//! drivers) and passes the gates' `allowlist_key` → `baseline_key` pairs
//! here as [`Baselines`]; a list no gate names keeps the convention
//! `<key>_baseline`. Two gates giving one list different baseline keys make
//! that list ambiguous. Since a baseline the driver does not know would be
//! merged as plain text — each side's `7 → 8` agreeing into an `8` that
//! should be `9` — [`unplaced`] names every other top-level integer whose
//! value is not the same in the three versions: the merge leaves those to a
//! person. Not responsible for reading the configuration (the command) or
//! merging entries ([`super::merge`]).

use std::collections::{BTreeMap, BTreeSet};

use saphyr::YamlOwned;
use thiserror::Error;

use super::verify::{load, text_of};

/// A list that two gates give different baseline keys: the driver cannot
/// tell which number to recompute, so the merge is left to a person.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "`{list}`: the configuration gives it several baseline keys ({}); cannot tell which to recompute",
    keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ")
)]
pub(super) struct AmbiguousBaseline {
    list: String,
    keys: BTreeSet<String>,
}

/// The baseline key of each list the configuration names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baselines {
    /// `allowlist_key` → `baseline_key`.
    known: BTreeMap<String, String>,
    /// Lists given two different baseline keys.
    ambiguous: BTreeMap<String, BTreeSet<String>>,
}

impl Baselines {
    /// Records that `list`'s baseline is under `baseline_key`.
    pub fn insert(&mut self, list: &str, baseline_key: &str) {
        match self.known.get(list) {
            Some(known) if known != baseline_key => {
                let keys = self.ambiguous.entry(list.to_owned()).or_default();
                keys.insert(known.clone());
                keys.insert(baseline_key.to_owned());
            }
            Some(_) => {}
            None => {
                self.known.insert(list.to_owned(), baseline_key.to_owned());
            }
        }
    }

    /// The baseline key of `list`, or why there is no single one.
    pub(super) fn key(&self, list: &str) -> Result<String, AmbiguousBaseline> {
        if let Some(keys) = self.ambiguous.get(list) {
            return Err(AmbiguousBaseline {
                list: list.to_owned(),
                keys: keys.clone(),
            });
        }
        Ok(self
            .known
            .get(list)
            .cloned()
            .unwrap_or_else(|| format!("{list}_baseline")))
    }
}

/// The top-level keys outside `placed` (the lists and their baselines)
/// whose value is an integer in some version and is not the same in all
/// three, each with why it is left to a person.
pub(super) fn unplaced(texts: [&str; 3], placed: &BTreeSet<String>) -> Vec<String> {
    let mut values: BTreeMap<String, [Option<String>; 3]> = BTreeMap::new();
    for (index, text) in texts.iter().enumerate() {
        let Ok(Some(document)) = load(text) else {
            continue;
        };
        let YamlOwned::Mapping(top) = untagged(&document) else {
            continue;
        };
        for (name, value) in top {
            let (Some(name), Some(value)) = (text_of(name), text_of(value)) else {
                continue;
            };
            if !placed.contains(name) {
                values.entry(name.to_owned()).or_default()[index] = Some(value.to_owned());
            }
        }
    }
    let integer = |value: &Option<String>| {
        value
            .as_deref()
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    };
    values
        .into_iter()
        .filter(|(_, v)| v.iter().any(integer) && !(v[0] == v[1] && v[1] == v[2]))
        .map(|(name, v)| {
            let shown = |value: &Option<String>| value.clone().unwrap_or_else(|| "–".to_owned());
            format!(
                "`{name}` changed (BASE {}, OURS {}, THEIRS {}) and is the baseline of no list the driver knows: \
                 run it in the repository root next to the configuration (a gate's `baseline_key` names it), \
                 or name it `<list>_baseline`",
                shown(&v[0]),
                shown(&v[1]),
                shown(&v[2])
            )
        })
        .collect()
}

fn untagged(node: &YamlOwned) -> &YamlOwned {
    match node {
        YamlOwned::Tagged(_, inner) => untagged(inner),
        other => other,
    }
}
