//! The three legs of the triad: each builds its mutation ([`super::mutate`]),
//! runs the gate over it ([`Runner`]) and judges the outcome against the
//! unmutated run's ([`super::judge`]).

use std::collections::BTreeMap;

use stablegate_config::Gate;

use super::mutate::{self, Mutated};
use super::runner::Runner;
use super::{judge, Leg, LegResult, LegStatus, Options};
use crate::run::GateError;
use crate::verdict::{GateOutcome, Item, Verdict};

/// The allowlisted sites of the unmutated run, grouped by entry in order.
fn entries(base: &GateOutcome) -> Vec<Vec<&Item>> {
    let mut by_entry: BTreeMap<(String, usize), Vec<&Item>> = BTreeMap::new();
    for item in &base.items {
        if let (Verdict::Ok, Some(entry), Some(_)) = (item.verdict, &item.entry, item.line) {
            by_entry
                .entry((entry.allowlist.to_string(), entry.line))
                .or_default()
                .push(item);
        }
    }
    by_entry.into_values().collect()
}

pub(super) fn legs(
    runner: &Runner<'_>,
    gate: &Gate,
    base: &GateOutcome,
    options: &Options,
) -> Result<Vec<LegResult>, GateError> {
    let entries = entries(base);
    Ok(vec![
        drift(runner, gate, base, &entries)?,
        content(runner, gate, base, &entries, options)?,
        non_vacuity(runner, gate, &entries)?,
    ])
}

fn drift(
    runner: &Runner<'_>,
    gate: &Gate,
    base: &GateOutcome,
    entries: &[Vec<&Item>],
) -> Result<LegResult, GateError> {
    if entries.is_empty() {
        return Ok(LegResult::inconclusive(
            Leg::Drift,
            "the gate has no allowlisted site to shift",
        ));
    }
    let mut lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for item in entries.iter().flatten() {
        lines.entry(&item.file).or_default().extend(item.line);
    }
    let mut files = BTreeMap::new();
    let mut what = String::new();
    let mut site_count = 0;
    for (file, mut sites) in lines {
        sites.sort_unstable();
        sites.dedup();
        let mutated = runner
            .text(file)
            .and_then(|text| mutate::drift(file, &text, &sites));
        match mutated {
            Ok(Mutated {
                text, what: said, ..
            }) => {
                site_count += sites.len();
                what = said;
                files.insert(file.to_owned(), text);
            }
            Err(reason) => return Ok(LegResult::inconclusive(Leg::Drift, reason)),
        }
    }
    let first = entries[0][0];
    let files_len = files.len();
    let mutated = runner.run(gate, files)?;
    let drifted: Vec<Item> = judge::drifted(base, &mutated)
        .into_iter()
        .cloned()
        .collect();
    Ok(LegResult {
        leg: Leg::Drift,
        status: if drifted.is_empty() { LegStatus::Pass } else { LegStatus::Fail },
        file: first.file.to_string(),
        line: Some(1),
        mutation: format!("{} file(s), {site_count} site line(s): {what}", files_len),
        reason: (!drifted.is_empty()).then(|| {
            format!(
                "the outcome changed when only blank lines, comments and spaces were added ({} item(s))",
                drifted.len()
            )
        }),
        misses: drifted,
    })
}

fn content(
    runner: &Runner<'_>,
    gate: &Gate,
    base: &GateOutcome,
    entries: &[Vec<&Item>],
    options: &Options,
) -> Result<LegResult, GateError> {
    if entries.is_empty() {
        return Ok(LegResult::inconclusive(
            Leg::Content,
            "the gate has no allowlisted site to edit",
        ));
    }
    let limit = options.max_sites.unwrap_or(usize::MAX);
    let mut misses = Vec::new();
    let mut unexercised = Vec::new();
    let mut tried = 0;
    let mut first: Option<(String, usize, String)> = None;
    for entry in entries.iter().take(limit) {
        // Every site of the entry is edited: an entry covering two equal
        // lines still covers the other when only one changes, rightly so.
        let site = entry[0];
        let Some(line) = site.line else { continue };
        let mutated = edit_entry(runner, entry);
        let (files, what) = match mutated {
            Ok(mutated) => mutated,
            Err(reason) => {
                unexercised.push(reason);
                continue;
            }
        };
        tried += 1;
        first.get_or_insert_with(|| (site.file.to_string(), line, what.clone()));
        let outcome = runner.run(gate, files)?;
        if !judge::caught(base, &outcome) {
            let mut miss = site.clone();
            miss.detail = Some(format!("{what}: the gate stayed green").into());
            misses.push(miss);
        }
    }
    let (file, line, what) = first.unwrap_or_default();
    let status = if !misses.is_empty() {
        LegStatus::Fail
    } else if tried == 0 || !unexercised.is_empty() {
        LegStatus::Inconclusive
    } else {
        LegStatus::Pass
    };
    let reason = match status {
        LegStatus::Fail => Some(format!(
            "{} of {tried} edited entr{} went unnoticed",
            misses.len(),
            if tried == 1 { "y" } else { "ies" }
        )),
        LegStatus::Inconclusive => Some(unexercised.join("; ")),
        LegStatus::Pass => None,
    };
    Ok(LegResult {
        leg: Leg::Content,
        status,
        file,
        line: Some(line).filter(|&line| line > 0),
        mutation: format!(
            "{tried} entr{} edited one at a time, first: {what}",
            if tried == 1 { "y" } else { "ies" }
        ),
        reason,
        misses,
    })
}

/// The content edit of one entry: a name renamed on each of its sites'
/// lines, and what was done (said for the first site).
fn edit_entry(
    runner: &Runner<'_>,
    entry: &[&Item],
) -> Result<(BTreeMap<String, String>, String), String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut what = String::new();
    let mut edited: Vec<(&str, usize)> = Vec::new();
    for site in entry {
        let Some(line) = site.line else { continue };
        if edited.contains(&(site.file.as_str(), line)) {
            continue;
        }
        edited.push((&site.file, line));
        let text = match files.get(site.file.as_str()) {
            Some(text) => text.clone(),
            None => runner.text(&site.file)?,
        };
        let mutated = mutate::content(&site.file, &text, line)?;
        if what.is_empty() {
            what = mutated.what;
        }
        files.insert(site.file.to_string(), mutated.text);
    }
    if entry.len() > 1 {
        what.push_str(&format!(
            " (and on the entry's {} other site(s))",
            entry.len() - 1
        ));
    }
    Ok((files, what))
}

fn non_vacuity(
    runner: &Runner<'_>,
    gate: &Gate,
    entries: &[Vec<&Item>],
) -> Result<LegResult, GateError> {
    let mutation = match &gate.theater {
        Some(sample) => {
            let existing = runner.text(&sample.file).ok();
            mutate::append_sample(&sample.file, existing.as_deref(), &sample.code)
                .map(|mutated| (sample.file.clone(), mutated))
        }
        None if entries.is_empty() => Err(
            "the gate has no allowlisted site to copy and no `theater = { file, code }` sample"
                .to_owned(),
        ),
        None => {
            let mut last = String::new();
            let mut found = None;
            for site in entries.iter().flatten() {
                let Some(line) = site.line else { continue };
                let copied = runner
                    .text(&site.file)
                    .and_then(|text| mutate::copy_into_function(&site.file, &text, line));
                match copied {
                    Ok(mutated) => {
                        found = Some((site.file.to_string(), mutated));
                        break;
                    }
                    Err(reason) => last = reason,
                }
            }
            found.ok_or(last)
        }
    };
    let (file, mutated) = match mutation {
        Ok(found) => found,
        Err(reason) => return Ok(LegResult::inconclusive(Leg::NonVacuity, reason)),
    };
    let lines = mutated.lines.clone();
    let files = BTreeMap::from([(file.clone(), mutated.text)]);
    let outcome = runner.run(gate, files)?;
    let caught = judge::violation_at(&outcome, &file, &lines);
    Ok(LegResult {
        leg: Leg::NonVacuity,
        status: if caught {
            LegStatus::Pass
        } else {
            LegStatus::Fail
        },
        file,
        line: lines.first().copied(),
        mutation: mutated.what,
        reason: (!caught).then(|| "the gate reported no violation at the new offender".to_owned()),
        misses: Vec::new(),
    })
}
