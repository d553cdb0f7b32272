//! The multi-file form of `[[fresh]]` (SPEC §12.4): one generator run
//! writes a tree under `{out_dir}`, a new temporary directory that stands
//! for the project root, and every file the `artifacts` globs match on
//! either side is compared at the same root-relative path.
//!
//! Each glob's base directory is created under `{out_dir}` before the run,
//! so `gen --output {out_dir}/docs/api` finds its directory. Verdicts: `ok`
//! for equal bytes; `stale_artifact` for a file that differs (with a diff),
//! a file the generator writes that is not committed (*added*), and a
//! committed file the generator no longer writes (*removed*). Files the
//! generator writes that no glob matches are ignored, and counted in a
//! removed file's detail, since they usually mean the generator wrote to
//! the wrong place. A glob that matches no file on either side fails the
//! check as bad input: nothing was compared. The temporary directory is
//! removed when the check ends; the tree is never written.

use std::path::Path;

use stablegate_config::{ArtifactGlob, Fresh};

use super::walk::{self, Files, WalkError};
use super::{compare, failure, generate, unrunnable, FreshError, FreshProblem, GeneratorError};
use crate::verdict::{Item, Verdict};

/// Runs the generator once and compares every matched file.
pub(super) fn run_tree(
    root: &Path,
    fresh: &Fresh,
    globs: &[ArtifactGlob],
) -> Result<Vec<Item>, FreshError> {
    let fail = |problem| failure(fresh, problem);
    let tree = |problem| unrunnable(fresh, FreshProblem::Tree(problem));
    let dir = tempfile::tempdir().map_err(|err| fail(GeneratorError::NoTempDir(err)))?;
    for glob in globs.iter().filter(|glob| glob.base != ".") {
        std::fs::create_dir_all(dir.path().join(&glob.base)).map_err(|source| {
            fail(GeneratorError::NoBaseDir {
                base: glob.base.clone(),
                source,
            })
        })?;
    }
    generate(root, fresh, "{out_dir}", dir.path())?;
    let written = walk::generated(dir.path()).map_err(|err| fail(GeneratorError::Wrote(err)))?;
    let matches = |path: &str| globs.iter().any(|glob| glob.is_match(path));
    let mut committed = Files::new();
    for glob in globs {
        let found = walk::committed(root, &glob.base, |path| glob.is_match(path)).map_err(tree)?;
        if found.is_empty() && !written.keys().any(|path| glob.is_match(path)) {
            return Err(fail(GeneratorError::NothingMatched {
                pattern: glob.pattern.clone(),
            }));
        }
        committed.extend(found);
    }
    let unmatched = written.keys().filter(|path| !matches(path)).count();
    let generated: Files = written
        .into_iter()
        .filter(|(path, _)| matches(path))
        .collect();
    let mut items = Vec::new();
    for (path, file) in &generated {
        let bytes = std::fs::read(file).map_err(|source| {
            fail(GeneratorError::LeftUnreadable {
                path: path.clone(),
                source,
            })
        })?;
        let old = match committed.get(path) {
            Some(committed) => Some(std::fs::read(committed).map_err(|source| {
                tree(WalkError::TreeUnreadable {
                    path: path.clone(),
                    source,
                })
            })?),
            None => None,
        };
        let mut compared = compare(&fresh.name, path, old.as_deref(), &bytes);
        for item in &mut compared {
            if old.is_none() {
                item.message =
                    "added: the generator writes this file, and it is not committed".into();
            }
        }
        items.extend(compared);
    }
    for path in committed
        .keys()
        .filter(|path| !generated.contains_key(*path))
    {
        items.push(removed(&fresh.name, path, unmatched));
    }
    items.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(items)
}

/// A committed file the generator no longer writes.
fn removed(name: &str, path: &str, unmatched: usize) -> Item {
    let mut item = Item::new(Verdict::StaleArtifact, path, None, "", "");
    item.rule = name.into();
    item.message =
        "removed: the file is committed, and the generator no longer writes it (delete it)".into();
    let mut detail = format!("expected at {{out_dir}}/{path}");
    if unmatched > 0 {
        detail.push_str(&format!(
            "; the generator wrote {unmatched} file(s) no glob matches: {{out_dir}} stands for the project root"
        ));
    }
    item.detail = Some(detail.into());
    item
}
