//! Probe checkpoints: when probes are fingerprinted, where the snapshots are
//! recorded, and which pairs must match (SPEC §10.4).
//!
//! Every probe is taken at the attempt's start (`probes/start/`) and end
//! (`probes/end/`), which must match. Probes with `between_runs` are also
//! taken before and after every canary run
//! (`probes/stages/<evidence>/{before,after}-run-<k>/`), each of which must
//! match the probe's previous snapshot. Each checkpoint directory holds one
//! `<probe>.txt` (the snapshot's lines) and `fingerprints.json`
//! (`{"<probe>": {"sha256", "lines"}}`), created new, never replaced.

use std::collections::BTreeMap;
use std::path::Path;

use stablegate_config::Probe;

use crate::error::ReleaseError;
use crate::files;
use crate::probe::{self, Place, ProbeFailed, Snapshot};

/// The probes of one attempt and their last snapshots.
pub struct Checkpoints<'a> {
    probes: &'a [Probe],
    place: Place<'a>,
    start: Vec<Snapshot>,
    /// The latest snapshot of each probe and where it was taken.
    last: Vec<(Snapshot, String)>,
}

impl<'a> Checkpoints<'a> {
    /// Takes every probe's start snapshot (not recorded yet: the attempt
    /// directory may not exist). The error names the probe.
    pub fn take_start(probes: &'a [Probe], place: Place<'a>) -> Result<Self, ProbeFailed> {
        let start = (probes.iter())
            .map(|p| {
                probe::take(p, &place).map_err(|source| ProbeFailed {
                    probe: p.name.clone(),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::with_start(probes, place, start))
    }

    /// Reads the start snapshots an attempt recorded (to resume it).
    pub fn read_start(
        probes: &'a [Probe],
        place: Place<'a>,
        attempt: &Path,
    ) -> Result<Self, ReleaseError> {
        let start = (probes.iter())
            .map(|p| {
                let path = attempt.join("probes/start").join(format!("{}.txt", p.name));
                let text = files::read(&path)?;
                Ok(Snapshot::from_text(&String::from_utf8_lossy(&text)))
            })
            .collect::<Result<Vec<_>, ReleaseError>>()?;
        Ok(Self::with_start(probes, place, start))
    }

    fn with_start(probes: &'a [Probe], place: Place<'a>, start: Vec<Snapshot>) -> Self {
        let last = start
            .iter()
            .map(|s| (s.clone(), "the attempt's start".to_owned()))
            .collect();
        Checkpoints {
            probes,
            place,
            start,
            last,
        }
    }

    pub fn any_between_runs(&self) -> bool {
        self.probes.iter().any(|p| p.between_runs)
    }

    /// Records the start snapshots in `probes/start/`; returns the first
    /// `expect_lines` violation.
    pub fn record_start(&self, attempt: &Path) -> Result<Option<String>, ReleaseError> {
        let all: Vec<usize> = (0..self.probes.len()).collect();
        record(attempt, "start", self.probes, &all, &self.start)?;
        Ok((self.probes.iter().zip(&self.start)).find_map(|(p, s)| probe::check_lines(p, s)))
    }

    /// Takes the `between_runs` probes at `checkpoint`
    /// (`stages/<evidence>/after-run-2`), described as `label`; returns why
    /// the gate must stop, if it must.
    pub fn between(
        &mut self,
        attempt: &Path,
        checkpoint: &str,
        label: &str,
    ) -> Result<Option<String>, ReleaseError> {
        let chosen: Vec<usize> = (0..self.probes.len())
            .filter(|&i| self.probes[i].between_runs)
            .collect();
        self.take(attempt, checkpoint, label, &chosen, false)
    }

    /// Takes every probe at the attempt's end and compares it with its start.
    pub fn end(&mut self, attempt: &Path) -> Result<Option<String>, ReleaseError> {
        let all: Vec<usize> = (0..self.probes.len()).collect();
        self.take(attempt, "end", "the attempt's end", &all, true)
    }

    fn take(
        &mut self,
        attempt: &Path,
        checkpoint: &str,
        label: &str,
        chosen: &[usize],
        against_start: bool,
    ) -> Result<Option<String>, ReleaseError> {
        let mut taken = Vec::with_capacity(chosen.len());
        for &i in chosen {
            match probe::take(&self.probes[i], &self.place) {
                Ok(snapshot) => taken.push(snapshot),
                Err(err) => {
                    return Ok(Some(format!(
                        "probe `{}` could not be taken at {label}: {err}",
                        self.probes[i].name
                    )))
                }
            }
        }
        record(attempt, checkpoint, self.probes, chosen, &taken)?;
        let mut stop = None;
        for (&i, snapshot) in chosen.iter().zip(taken) {
            let (before, since) = if against_start {
                (&self.start[i], "the attempt's start")
            } else {
                (&self.last[i].0, self.last[i].1.as_str())
            };
            if stop.is_none() {
                stop = probe::difference(before, &snapshot)
                    .map(|what| {
                        format!(
                            "probe `{}` changed between {since} and {label}: {what}",
                            self.probes[i].name
                        )
                    })
                    .or_else(|| probe::check_lines(&self.probes[i], &snapshot));
            }
            self.last[i] = (snapshot, label.to_owned());
        }
        Ok(stop)
    }
}

fn record(
    attempt: &Path,
    checkpoint: &str,
    probes: &[Probe],
    chosen: &[usize],
    snapshots: &[Snapshot],
) -> Result<(), ReleaseError> {
    if chosen.is_empty() {
        return Ok(());
    }
    let dir = attempt.join("probes").join(checkpoint);
    let mut summary = BTreeMap::new();
    for (&i, snapshot) in chosen.iter().zip(snapshots) {
        let name = &probes[i].name;
        files::write_new(&dir.join(format!("{name}.txt")), snapshot.text().as_bytes())?;
        summary.insert(
            name.clone(),
            serde_json::json!({"sha256": snapshot.fingerprint(), "lines": snapshot.lines.len()}),
        );
    }
    let path = dir.join("fingerprints.json");
    files::write_new(&path, &files::json(&path, &summary)?)
}
