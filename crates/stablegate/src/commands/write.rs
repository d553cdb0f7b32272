//! What `allow`, `convert`, `refresh` and `prune` share: the gate they run,
//! the CI guard, writing an allowlist atomically, and `--dry-run`.
//!
//! With `--dry-run` ([`Edits`]) nothing is written: every file the command
//! would change is printed instead as one unified diff on standard output
//! (`--- a/FILE` / `+++ b/FILE`, root-relative, `/dev/null` for a file that
//! would be created), which `git apply` or `patch -p1` in the root applies;
//! the command's own summary is not printed, the CI guard does not apply,
//! and the exit code is 0 whenever the edit could be made (2 otherwise, as
//! without `--dry-run`). No change prints nothing.
//!
//! In CI (`CI` set to anything but empty, `0` or `false`), a command that
//! would change a file refuses unless given `--write` (SPEC §5), so a
//! pipeline never re-baselines silently; the refusal is exit 2 and names
//! what would have changed. A write replaces the file atomically
//! ([`stablegate_io::atomic::replace`]: readers see the old file or the new
//! one, a read-only file is refused); a symlink inside the root keeps
//! pointing at the file it names. Not responsible for what is written (see
//! `stablegate_gates::edit`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use stablegate_gates::date::Date;
use stablegate_gates::inputs::GateInputs;
use stablegate_gates::run::{gather, RunContext};

use crate::cli::{Format, WriteArgs};
use crate::error::{Error, Problem};

/// Whether the process runs in CI.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| {
        let value = value.trim();
        !value.is_empty() && value != "0" && !value.eq_ignore_ascii_case("false")
    })
}

/// Refuses to write in CI without `--write`; `change` says what the write
/// would do ("add 2 entries").
pub fn guard(
    command: &'static str,
    path: &str,
    args: WriteArgs,
    change: String,
) -> Result<(), Error> {
    if in_ci() && !args.write {
        return Err(Error::CiRefusesWrite {
            command,
            path: path.to_owned(),
            change,
        });
    }
    Ok(())
}

/// These commands print a summary for people; other formats are refused
/// rather than ignored.
pub fn human_only(cx: &super::Context, command: &'static str) -> Result<(), Error> {
    match cx.format {
        Format::Human => Ok(()),
        other => Err(Error::Input {
            at: format!("--format {}", other.report_format()),
            problem: Problem::HumanOnly(command),
        }),
    }
}

/// Collects, keys and reads the allowlist of one gate, as `check` does.
/// One gate reading an allowlist file, and what its run gathered.
pub struct Part<'a> {
    pub gate: &'a stablegate_config::Gate,
    pub inputs: GateInputs,
}

/// The selected gates' runs grouped by the allowlist file they read, in
/// first-seen order (`prune` and `refresh` edit a file once for all its
/// gates). A gate without an allowlist is skipped, unless it was `named`:
/// then it is an error for `action`.
pub fn gates_by_allowlist<'a>(
    cx: &super::Context,
    gates: Vec<&'a stablegate_config::Gate>,
    named: bool,
    action: &'static str,
) -> Result<Vec<(String, Vec<Part<'a>>)>, Error> {
    let mut files: Vec<(String, Vec<Part<'a>>)> = Vec::new();
    for gate in gates {
        let Some(path) = &gate.allowlist else {
            if !named {
                continue;
            }
            return Err(Error::NoAllowlist {
                gate: gate.name.clone(),
                action,
            });
        };
        let inputs = gather_gate(cx, gate)?;
        let part = Part { gate, inputs };
        match files.iter_mut().find(|(known, _)| known == path) {
            Some((_, parts)) => parts.push(part),
            None => files.push((path.clone(), vec![part])),
        }
    }
    Ok(files)
}

pub fn gather_gate(
    cx: &super::Context,
    gate: &stablegate_config::Gate,
) -> Result<GateInputs, Error> {
    let run_cx = RunContext::new(cx.root.path(), today()?).with_cache(cx.cache());
    gather(&run_cx, gate).map_err(|source| Error::Gate {
        gate: gate.name.clone(),
        source: Box::new(source),
    })
}

/// Today's date, by the rule `check` uses: `STABLEGATE_TODAY=YYYY-MM-DD`
/// when set, else the clock's UTC date.
pub fn today() -> Result<Date, Error> {
    if let Ok(text) = std::env::var("STABLEGATE_TODAY") {
        return Date::parse(&text).ok_or_else(|| Error::Input {
            at: "STABLEGATE_TODAY".to_owned(),
            problem: Problem::NotADate(text),
        });
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_unix_days((seconds / 86_400) as i64).ok_or_else(|| Error::Input {
        at: "the system clock".to_owned(),
        problem: Problem::NotADate(seconds.to_string()),
    })
}

/// One file a command that edits several (`prune`, `refresh`) plans to
/// change.
pub struct FileEdit<'a> {
    /// Root-relative path.
    pub path: &'a str,
    /// The text now (`None`: the file does not exist).
    pub old: Option<&'a str>,
    /// The text to write; `None` leaves the file as it is.
    pub new: Option<&'a str>,
    /// What the command says about the file.
    pub report: &'a str,
    /// The change, as the CI guard names it (`remove 2 entries`).
    pub change: String,
}

/// Where the edits of one command go: written, or printed as a diff.
pub struct Edits {
    dry_run: bool,
    diff: String,
}

impl Edits {
    pub fn new(dry_run: bool) -> Self {
        Edits {
            dry_run,
            diff: String::new(),
        }
    }

    /// The CI guard ([`guard`]); a dry run writes nothing, so it passes.
    pub fn guard(
        &self,
        command: &'static str,
        path: &str,
        args: WriteArgs,
        change: String,
    ) -> Result<(), Error> {
        if self.dry_run {
            return Ok(());
        }
        guard(command, path, args, change)
    }

    /// Replaces the root-relative file `rel` (now `old`, `None` when it
    /// does not exist) with `new`, or records the diff.
    pub fn write(
        &mut self,
        cx: &super::Context,
        rel: &str,
        old: Option<&str>,
        new: &str,
    ) -> Result<(), Error> {
        if !self.dry_run {
            return write_allowlist(cx, rel, new);
        }
        let from = match old {
            Some(_) => format!("a/{rel}"),
            None => "/dev/null".to_owned(),
        };
        let diff = similar::TextDiff::from_lines(old.unwrap_or(""), new);
        self.diff.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&from, &format!("b/{rel}"))
                .to_string(),
        );
        Ok(())
    }

    /// Edits several files: every file's report, then the CI guard of every
    /// edited file, then the writes, so one refused file leaves all of them
    /// untouched; `nothing` is the report when there is no file at all.
    pub fn apply_all(
        mut self,
        cx: &super::Context,
        command: &'static str,
        args: WriteArgs,
        files: &[FileEdit<'_>],
        nothing: &str,
    ) -> Result<(), Error> {
        let mut report = String::new();
        for file in files {
            report.push_str(file.report);
            if file.new.is_some() {
                self.guard(command, file.path, args, file.change.clone())?;
            }
        }
        for file in files {
            if let Some(new) = file.new {
                self.write(cx, file.path, file.old, new)?;
            }
        }
        if files.is_empty() {
            report.push_str(nothing);
        }
        self.finish(cx, &report)
    }

    /// Prints `report` (the command's summary), or with `--dry-run` the
    /// diff instead.
    pub fn finish(self, cx: &super::Context, report: &str) -> Result<(), Error> {
        let text = if self.dry_run { &self.diff } else { report };
        let mut out = cx.stdout();
        crate::output::written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
    }
}

/// Replaces the root-relative file `rel` with `text`, atomically.
pub fn write_allowlist(cx: &super::Context, rel: &str, text: &str) -> Result<(), Error> {
    let failed = |source: io::Error| Error::Write {
        path: rel.to_owned(),
        source,
    };
    let target = target(cx.root.path(), rel).map_err(failed)?;
    stablegate_io::atomic::replace(&target, text.as_bytes()).map_err(failed)
}

/// Where to write: the file a symlink points at, inside the root; the
/// parent directories of a new file are created.
fn target(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let path = root.join(rel);
    let target = match fs::canonicalize(&path) {
        Ok(target) => target,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let parent = path.parent().unwrap_or(root);
            fs::create_dir_all(parent)?;
            let name = path
                .file_name()
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
            fs::canonicalize(parent)?.join(name)
        }
        Err(err) => return Err(err),
    };
    if !target.starts_with(root) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it leads outside the project root",
        ));
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symlinked_allowlist_is_written_through_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("real.yaml"), "old").unwrap();
        std::os::unix::fs::symlink(root.join("real.yaml"), root.join("link.yaml")).unwrap();
        let target = target(&root, "link.yaml").unwrap();
        stablegate_io::atomic::replace(&target, b"new").unwrap();
        assert!(fs::symlink_metadata(root.join("link.yaml"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(root.join("real.yaml")).unwrap(), "new");
    }
}
