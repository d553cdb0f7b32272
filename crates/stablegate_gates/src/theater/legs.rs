//! The three legs of the triad: each builds its mutation ([`super::mutate`]),
//! runs the gate over it ([`Runner`]) and judges the outcome against the
//! unmutated run's ([`super::judge`]).
//!
//! Scoped allowlist entries (SPEC §12.2): drift shifts every accepted site,
//! theirs included; content edits the sites of token entries only (`n/a`
//! when every accepted site is under a scoped entry); non-vacuity never
//! copies a site of a `scope: file` entry (the copy would land in the file
//! the entry accepts whole). See docs/theater.md.

use std::collections::{BTreeMap, BTreeSet};

use stablegate_config::Gate;

use stablegate_config::FindingSource;

use super::mutate::{self, Mutated};
use super::runner::Runner;
use super::{judge, synthesize, Leg, LegResult, LegVerdict, Options};
use crate::run::GateError;
use crate::verdict::{GateOutcome, Item, Verdict};

/// The allowlisted sites of the unmutated run, grouped by entry in order.
fn entries(base: &GateOutcome) -> Vec<Vec<&Item>> {
    let mut by_entry: BTreeMap<(String, usize), Vec<&Item>> = BTreeMap::new();
    for item in &base.items {
        if let (Verdict::Ok, Some(entry), Some(_)) = (item.verdict, &item.more().entry, item.line) {
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
    let drift = match zero_tolerance(gate, Leg::Drift) {
        Some(not_applicable) => not_applicable,
        None => drift(runner, gate, base, &entries)?,
    };
    // Scoped entries (SPEC §12.2) accept any content in their file or
    // scope: editing a site they cover proves nothing, so the content leg
    // edits the sites of token entries only, and is `n/a` when every
    // accepted site is covered by a scoped entry.
    let token_entries: Vec<Vec<&Item>> = (entries.iter())
        .filter(|entry| scope_of(entry).is_none())
        .cloned()
        .collect();
    let content = match zero_tolerance(gate, Leg::Content) {
        Some(not_applicable) => not_applicable,
        None if token_entries.is_empty() && !entries.is_empty() => LegResult::not_applicable(
            Leg::Content,
            "every accepted site is covered by a scoped entry (`scope: file` / `scope: qualname`), \
             which accepts any content in its scope by design: there is no token to edit",
        ),
        None => content(runner, gate, base, &token_entries, options)?,
    };
    // A new offender planted in a file a `scope: file` entry accepts whole
    // would be accepted: non-vacuity copies sites of other files only, and
    // plants a synthesized sample outside those files.
    let whole_files: BTreeSet<&str> = (entries.iter())
        .filter(|entry| scope_of(entry) == Some("file"))
        .flatten()
        .map(|item| &*item.file)
        .collect();
    let copyable: Vec<Vec<&Item>> = (entries.iter())
        .map(|entry| {
            (entry.iter().copied())
                .filter(|item| !whole_files.contains(&*item.file))
                .collect::<Vec<&Item>>()
        })
        .filter(|entry| !entry.is_empty())
        .collect();
    let non_vacuity = non_vacuity(runner, gate, &copyable, &whole_files)?;
    Ok(vec![drift, content, non_vacuity])
}

/// The `scope` of the entry whose sites these are, if it is scoped.
fn scope_of<'a>(entry: &[&'a Item]) -> Option<&'a str> {
    entry.first().and_then(|item| item.more().scope.as_deref())
}

/// Drift and content cannot apply to a gate with no allowlist: it accepts
/// no site, so there is none to shift or edit (SPEC §12.3).
pub(super) fn zero_tolerance(gate: &Gate, leg: Leg) -> Option<LegResult> {
    if gate.allowlist.is_some() || leg == Leg::NonVacuity {
        return None;
    }
    Some(LegResult::not_applicable(
        leg,
        "the gate has no allowlist (zero tolerance): it accepts no site to shift or edit",
    ))
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
            .map_err(|err| err.to_string())
            .and_then(|text| mutate::drift(file, &text, &sites).map_err(|err| err.to_string()));
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
    let mutated = runner.run(gate, "the drift leg", files)?;
    let drifted: Vec<Item> = judge::drifted(base, &mutated)
        .into_iter()
        .cloned()
        .collect();
    Ok(LegResult {
        leg: Leg::Drift,
        status: if drifted.is_empty() { LegVerdict::Pass } else { LegVerdict::Fail },
        file: first.file.to_string(),
        line: Some(1),
        mutation: format!("{files_len} file(s), {site_count} site line(s): {what}"),
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
    // Every entry (up to the limit) is edited in the same view and the gate
    // runs once: an entry's verdict depends on its own key alone, so each
    // edited entry must lose its `ok` items in that one run. Every site of
    // an entry is edited: an entry covering two equal lines still covers the
    // other when only one changes, rightly so.
    let limit = options.max_sites.unwrap_or(usize::MAX);
    let mut misses = Vec::new();
    let mut unexercised = Vec::new();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut edited: Vec<(&Item, String)> = Vec::new();
    let mut first: Option<(String, usize, String)> = None;
    for entry in entries.iter().take(limit) {
        let site = entry[0];
        let Some(line) = site.line else { continue };
        match edit_entry(runner, entry, &files) {
            Ok((changed, what)) => {
                files.extend(changed);
                first.get_or_insert_with(|| (site.file.to_string(), line, what.clone()));
                edited.push((site, what));
            }
            Err(reason) => unexercised.push(reason),
        }
    }
    let tried = edited.len();
    if tried > 0 {
        let outcome = runner.run(gate, "the content leg", files)?;
        for (site, what) in edited {
            if !judge::entry_caught(base, &outcome, site) {
                let mut miss = site.clone();
                miss.detail = Some(format!("{what}: the gate stayed green").into());
                misses.push(miss);
            }
        }
    }
    let (file, line, what) = first.unwrap_or_default();
    let status = if !misses.is_empty() {
        LegVerdict::Fail
    } else if tried == 0 || !unexercised.is_empty() {
        LegVerdict::Inconclusive
    } else {
        LegVerdict::Pass
    };
    let reason = match status {
        LegVerdict::Fail => Some(format!(
            "{} of {tried} edited entr{} went unnoticed",
            misses.len(),
            if tried == 1 { "y" } else { "ies" }
        )),
        LegVerdict::Inconclusive => Some(unexercised.join("; ")),
        LegVerdict::Pass | LegVerdict::NotApplicable => None,
    };
    Ok(LegResult {
        leg: Leg::Content,
        status,
        file,
        line: Some(line).filter(|&line| line > 0),
        mutation: format!(
            "{tried} entr{} edited in one run, first: {what}",
            if tried == 1 { "y" } else { "ies" }
        ),
        reason,
        misses,
    })
}

/// The content edit of one entry over the edits made so far (`done`): a
/// name renamed on each of its sites' lines. Returns the files it changed
/// (all or nothing) and what was done (said for the first site), or the
/// reason the content leg reports for the entry.
fn edit_entry(
    runner: &Runner<'_>,
    entry: &[&Item],
    done: &BTreeMap<String, String>,
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
        let text = match files
            .get(site.file.as_str())
            .or(done.get(site.file.as_str()))
        {
            Some(text) => text.clone(),
            None => runner.text(&site.file).map_err(|err| err.to_string())?,
        };
        let mutated = mutate::content(&site.file, &text, line).map_err(|err| err.to_string())?;
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
    whole_files: &BTreeSet<&str>,
) -> Result<LegResult, GateError> {
    let mutation = match &gate.theater {
        Some(sample) => {
            let existing = runner.text(&sample.file).ok();
            mutate::append_sample(&sample.file, existing.as_deref(), &sample.code)
                .map(|mutated| (sample.file.clone(), mutated))
                .map_err(|err| err.to_string())
        }
        None if entries.is_empty() => synthesized(runner, gate, whole_files),
        None => {
            let mut last = String::new();
            let mut found = None;
            for site in entries.iter().flatten() {
                let Some(line) = site.line else { continue };
                let copied = runner
                    .text(&site.file)
                    .map_err(|err| err.to_string())
                    .and_then(|text| {
                        mutate::copy_into_function(&site.file, &text, line)
                            .map_err(|err| err.to_string())
                    });
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
    let outcome = runner.run(gate, "the non-vacuity leg", files)?;
    let caught = judge::violation_at(&outcome, &file, &lines);
    let synthesized = gate.theater.is_none() && entries.is_empty();
    Ok(LegResult {
        leg: Leg::NonVacuity,
        status: if caught {
            LegVerdict::Pass
        } else {
            LegVerdict::Fail
        },
        file,
        line: lines.first().copied(),
        mutation: mutated.what,
        reason: (!caught).then(|| {
            let mut reason = "the gate reported no violation at the new offender".to_owned();
            if synthesized {
                reason.push_str(
                    " (a sample synthesized from the pattern: give the gate a \
                     `theater = { file, code }` sample if the pattern needs more context)",
                );
            }
            reason
        }),
        misses: Vec::new(),
    })
}

/// The non-vacuity mutation of a gate with neither a sample nor an
/// allowlisted site: its first pattern, metavariables replaced, planted in
/// the first file it scans that no `scope: file` entry accepts whole (SPEC
/// §12.3); else the reason the leg reports as `inconclusive`. Errors of
/// the modules below become that text here, where they are reported.
fn synthesized(
    runner: &Runner<'_>,
    gate: &Gate,
    whole_files: &BTreeSet<&str>,
) -> Result<(String, Mutated), String> {
    let no_sample =
        "the gate has no allowlisted site to copy and no `theater = { file, code }` sample";
    let FindingSource::Patterns(patterns) = &gate.source else {
        return Err(format!(
            "{no_sample}, and only a `pattern` gate can have one synthesized"
        ));
    };
    let files = runner.scanned_files(gate).map_err(|err| err.to_string())?;
    let open = files
        .iter()
        .find(|file| !whole_files.contains(file.as_str()));
    let Some(file) = open.or(files.first()) else {
        return Err(format!(
            "{no_sample}, and the gate scans no file to plant one synthesized from its pattern in"
        ));
    };
    let text = runner.text(file).map_err(|err| err.to_string())?;
    let mut last = String::new();
    for pattern in patterns {
        let code = synthesize::sample(pattern);
        match synthesize::plant(file, &text, &code) {
            Ok(mut mutated) => {
                mutated.what = format!(
                    "the sample `{code}`, synthesized from the pattern `{pattern}`, added {}",
                    mutated.what
                );
                return Ok((file.clone(), mutated));
            }
            Err(reason) => last = reason.to_string(),
        }
    }
    Err(format!(
        "no sample synthesized from the gate's patterns could be planted: {last}"
    ))
}
