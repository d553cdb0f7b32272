//! Invariant probes (SPEC §10.1, §10.4): taking a snapshot of the state a
//! probe watches, and saying what changed between two snapshots.
//!
//! A snapshot is a list of text lines: a command's standard output lines; a
//! query's rows in order (columns joined by `|`, `NULL` for null, blobs as
//! `x'hex'`; PostgreSQL values in its text format, see
//! [`crate::postgres_probe`]); for `files`, one `<sha256>  <path>` line per matched file,
//! sorted. Its fingerprint is the SHA-256 of the lines joined by newlines.
//! When two snapshots differ, [`difference`] names the row counts and the
//! first differing row, which is what a person needs to see first. When to
//! take snapshots and where to record them is [`crate::checkpoint`]'s job.

use std::path::Path;

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};
use stablegate_config::{Globs, Probe, ProbeSource};
use stablegate_io::process::{self, Output, Spec};
use stablegate_io::read;

use crate::error::ReleaseError;
use crate::manifest;

/// What a probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub lines: Vec<String>,
}

impl Snapshot {
    pub fn fingerprint(&self) -> String {
        manifest::hex(&Sha256::digest(self.text().as_bytes()))
    }

    /// The lines as recorded in the evidence: one per line.
    pub fn text(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\n")).collect()
    }

    pub fn from_text(text: &str) -> Snapshot {
        Snapshot {
            lines: text.lines().map(str::to_owned).collect(),
        }
    }
}

/// Why a snapshot could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The probe's command could not run, or failed.
    #[error("`{command}` {problem}")]
    Command { command: String, problem: String },
    /// The query could not run (the message names the database or the
    /// query).
    #[error("{0}")]
    Query(String),
    /// A file a `files` probe matched, or a directory on the way, could not
    /// be read.
    #[error("{path}: {message}")]
    Files { path: String, message: String },
}

/// A probe that could not be taken, named.
#[derive(Debug, thiserror::Error)]
#[error("probe `{probe}`: {source}")]
pub struct ProbeFailed {
    pub probe: String,
    pub source: ProbeError,
}

/// Where a probe runs: commands in `workdir`, paths against `root`;
/// `skip` (the evidence directory, root-relative) is never a probed file.
pub struct Place<'a> {
    pub root: &'a Path,
    pub workdir: &'a Path,
    pub skip: &'a str,
}

/// Takes a snapshot.
pub fn take(probe: &Probe, place: &Place<'_>) -> Result<Snapshot, ProbeError> {
    let lines = match &probe.source {
        ProbeSource::Command(command) => command_lines(command, place.workdir)?,
        ProbeSource::Sql { sql, database } => sql_rows(sql, &place.root.join(database))?,
        ProbeSource::Postgres { sql, url } => crate::postgres_probe::rows(sql, url)?,
        ProbeSource::Files(globs) => file_lines(globs, place)?,
    };
    Ok(Snapshot { lines })
}

/// A message when the snapshot has not the expected number of lines.
pub fn check_lines(probe: &Probe, snapshot: &Snapshot) -> Option<String> {
    let expected = probe.expect_lines?;
    let seen = snapshot.lines.len();
    (seen != expected).then(|| {
        format!(
            "probe `{}` sees {seen} line(s), expected {expected}",
            probe.name
        )
    })
}

/// What changed from `before` to `after`; `None` when nothing did.
pub fn difference(before: &Snapshot, after: &Snapshot) -> Option<String> {
    if before == after {
        return None;
    }
    let (a, b) = (&before.lines, &after.lines);
    let row = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let show = |lines: &Vec<String>| {
        lines
            .get(row)
            .map_or_else(|| "(no row)".to_owned(), |line| format!("`{line}`"))
    };
    Some(format!(
        "{} row(s) → {} row(s); first differing row {}: {} → {}",
        a.len(),
        b.len(),
        row + 1,
        show(a),
        show(b)
    ))
}

fn command_lines(command: &str, workdir: &Path) -> Result<Vec<String>, ProbeError> {
    let fail = |problem: String| ProbeError::Command {
        command: command.to_owned(),
        problem,
    };
    let finished = process::run(
        Spec::shell(command, workdir)
            .stdout(Output::Capture {
                limit: read::TEXT_LIMIT,
            })
            .stderr(Output::Tail { keep: 16 * 1024 }),
    )
    .map_err(|err| fail(err.to_string()))?;
    if !finished.ended.success() {
        let stderr = String::from_utf8_lossy(&finished.stderr);
        return Err(fail(format!(
            "failed ({}): {}",
            finished.ended.describe(),
            stderr.trim()
        )));
    }
    Ok(String::from_utf8_lossy(&finished.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

fn sql_rows(sql: &str, database: &Path) -> Result<Vec<String>, ProbeError> {
    sqlite_rows(sql, database).map_err(ProbeError::Query)
}

fn sqlite_rows(sql: &str, database: &Path) -> Result<Vec<String>, String> {
    use rusqlite::{Connection, OpenFlags};
    // SQLite would block on a FIFO: only a regular file (or nothing, which
    // SQLite reports) is opened.
    if let Some(kind) = std::fs::metadata(database)
        .ok()
        .and_then(|meta| read::special_kind(&meta))
    {
        return Err(format!(
            "{}: is {kind}, not a regular file",
            database.display()
        ));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(database, flags).map_err(|err| {
        format!(
            "{}: cannot open the SQLite database: {err}",
            database.display()
        )
    })?;
    let mut statement = connection
        .prepare(sql)
        .map_err(|err| format!("`{sql}`: {err}"))?;
    let columns = statement.column_count();
    let mut rows = statement
        .query([])
        .map_err(|err| format!("`{sql}`: {err}"))?;
    let mut lines = Vec::new();
    while let Some(row) = rows.next().map_err(|err| format!("`{sql}`: {err}"))? {
        let mut cells = Vec::with_capacity(columns);
        for column in 0..columns {
            let cell = match row
                .get_ref(column)
                .map_err(|err| format!("`{sql}`: {err}"))?
            {
                ValueRef::Null => "NULL".to_owned(),
                ValueRef::Integer(n) => n.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
                ValueRef::Blob(bytes) => format!("x'{}'", manifest::hex(bytes)),
            };
            cells.push(cell);
        }
        lines.push(cells.join("|"));
    }
    Ok(lines)
}

fn file_lines(globs: &Globs, place: &Place<'_>) -> Result<Vec<String>, ProbeError> {
    let mut matched = Vec::new();
    walk(place.root, "", globs, place.skip, &mut matched)?;
    matched.sort();
    matched
        .into_iter()
        .map(|path| {
            let hash = manifest::hash_file(&place.root.join(&path)).map_err(|err| {
                let message = match err {
                    ReleaseError::Unreadable { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                ProbeError::Files {
                    path: path.clone(),
                    message,
                }
            })?;
            Ok(format!("{hash}  {path}"))
        })
        .collect()
}

fn walk(
    dir: &Path,
    prefix: &str,
    globs: &Globs,
    skip: &str,
    out: &mut Vec<String>,
) -> Result<(), ProbeError> {
    let unreadable = |err: std::io::Error| ProbeError::Files {
        path: dir.display().to_string(),
        message: err.to_string(),
    };
    let entries = std::fs::read_dir(dir).map_err(unreadable)?;
    for entry in entries {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if name == ".git" || relative == skip {
            continue;
        }
        let kind = entry.file_type().map_err(|err| ProbeError::Files {
            path: relative.clone(),
            message: err.to_string(),
        })?;
        if kind.is_dir() {
            walk(&entry.path(), &relative, globs, skip, out)?;
        } else if globs.is_match(&relative) {
            out.push(relative);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(lines: &[&str]) -> Snapshot {
        Snapshot {
            lines: lines.iter().map(|&line| line.to_owned()).collect(),
        }
    }

    #[test]
    fn the_first_differing_row_and_the_counts_are_named() {
        let before = snapshot(&["1|a", "2|pending"]);
        assert_eq!(difference(&before, &before), None);
        let edited = snapshot(&["1|a", "2|done"]);
        assert_eq!(
            difference(&before, &edited).unwrap(),
            "2 row(s) → 2 row(s); first differing row 2: `2|pending` → `2|done`"
        );
        let added = snapshot(&["1|a", "2|pending", "3|x"]);
        assert_eq!(
            difference(&before, &added).unwrap(),
            "2 row(s) → 3 row(s); first differing row 3: (no row) → `3|x`"
        );
    }

    #[test]
    fn sqlite_rows_are_read_in_order_with_every_type() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch("create table t(id integer, v, b blob); insert into t values (2, null, x'ff'), (1, 'a', null), (3, 1.5, null);").unwrap();
        let rows = sql_rows("select * from t order by id", &path).unwrap();
        assert_eq!(rows, ["1|a|NULL", "2|NULL|x'ff'", "3|1.5|NULL"]);
        assert!(sql_rows("select * from nope", &path)
            .unwrap_err()
            .to_string()
            .contains("no such table"));
        assert!(sql_rows("select 1", &dir.path().join("missing.db"))
            .unwrap_err()
            .to_string()
            .contains("cannot open"));
    }

    #[test]
    fn snapshots_round_trip_through_their_text_and_fingerprint_stably() {
        let taken = snapshot(&["a", "b"]);
        assert_eq!(Snapshot::from_text(&taken.text()), taken);
        assert_eq!(taken.fingerprint(), snapshot(&["a", "b"]).fingerprint());
        assert_ne!(taken.fingerprint(), snapshot(&["a", "c"]).fingerprint());
    }
}
