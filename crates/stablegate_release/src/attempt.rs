//! Attempt directories: `<evidence_dir>/<tag>-attempt<N>` (SPEC §10.3).
//!
//! `N` is one more than the highest existing attempt of the tag, and the
//! directory is created with `mkdir` (not "create if missing"), so an attempt
//! directory is never reused, even by a racing process. Which attempts
//! belong to a release, and which are still open (not sealed), is read from
//! their `state.json` and `MANIFEST.sha256`. Nothing here deletes anything.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::ReleaseError;
use crate::manifest::MANIFEST;
use crate::state::State;

/// An attempt directory found on disk.
#[derive(Debug, Clone)]
pub struct Found {
    pub dir: PathBuf,
    pub tag: String,
    pub number: u32,
}

/// Splits `<tag>-attempt<N>`.
pub fn parse_name(name: &str) -> Option<(&str, u32)> {
    let (tag, number) = name.rsplit_once("-attempt")?;
    if tag.is_empty() || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((tag, number.parse().ok()?))
}

/// Every attempt directory in `evidence_dir` (none when it does not exist),
/// sorted by tag and number.
pub fn list(evidence_dir: &Path) -> Result<Vec<Found>, ReleaseError> {
    let entries = match fs::read_dir(evidence_dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(ReleaseError::io(evidence_dir)(err)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(ReleaseError::io(evidence_dir))?;
        let name = entry.file_name();
        let Some((tag, number)) = name.to_str().and_then(parse_name) else {
            continue;
        };
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            found.push(Found {
                dir: entry.path(),
                tag: tag.to_owned(),
                number,
            });
        }
    }
    found.sort_by(|a, b| (&a.tag, a.number).cmp(&(&b.tag, b.number)));
    Ok(found)
}

/// Creates the next attempt directory of `tag`: `(N, path)`.
pub fn create(evidence_dir: &Path, tag: &str) -> Result<(u32, PathBuf), ReleaseError> {
    let highest = list(evidence_dir)?
        .into_iter()
        .filter(|found| found.tag == tag)
        .map(|found| found.number)
        .max()
        .unwrap_or(0);
    let number = highest + 1;
    let dir = evidence_dir.join(format!("{tag}-attempt{number}"));
    fs::create_dir(&dir).map_err(ReleaseError::io(&dir))?;
    Ok((number, dir))
}

/// Whether the attempt has been sealed.
pub fn is_sealed(dir: &Path) -> bool {
    dir.join(MANIFEST).exists()
}

/// The attempts of `release` with their state, oldest first (by start
/// time, then directory name); unreadable state documents are skipped.
pub fn of_release(evidence_dir: &Path, release: &str) -> Result<Vec<(Found, State)>, ReleaseError> {
    let mut attempts: Vec<(Found, State)> = list(evidence_dir)?
        .into_iter()
        .filter_map(|found| State::read(&found.dir).ok().map(|state| (found, state)))
        .filter(|(_, state)| state.release == release)
        .collect();
    attempts.sort_by(|(a, sa), (b, sb)| {
        let start = |s: &State| s.history.first().map(|t| t.at.clone()).unwrap_or_default();
        (start(sa), &a.dir).cmp(&(start(sb), &b.dir))
    });
    Ok(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempt_numbers_grow_per_tag_and_are_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(create(dir.path(), "v1").unwrap().0, 1);
        assert_eq!(create(dir.path(), "v1").unwrap().0, 2);
        assert_eq!(create(dir.path(), "v2").unwrap().0, 1);
        fs::create_dir(dir.path().join("v1-attempt9")).unwrap();
        assert_eq!(create(dir.path(), "v1").unwrap().0, 10);
    }

    #[test]
    fn names_are_split_at_the_last_attempt_suffix() {
        assert_eq!(
            parse_name("rc-attempt-x-attempt3"),
            Some(("rc-attempt-x", 3))
        );
        assert_eq!(parse_name("v1-attempt"), None);
        assert_eq!(parse_name("-attempt1"), None);
        assert_eq!(parse_name("v1-attempt1a"), None);
    }
}
