//! Change scope (SPEC §9): the paths a change touches, by real `git`, and
//! which of them the scope forbids.
//!
//! The change is everything between the merge base of `base` and `HEAD`
//! and the working tree: committed since the branch left `base`, staged,
//! unstaged, and untracked files that are not ignored. The merge base (as
//! in `git diff base...`) keeps commits that landed on `base` after the
//! branch left it out of the change. Renames count as both paths. Paths are
//! relative to the project root (`--relative`), so the scope's globs read as
//! everywhere else. git runs through the workspace's one runner
//! ([`crate::git`]). A `base` git does not know, or a root outside a git
//! repository, is bad input. [`judge`] is pure.

use std::path::Path;

use crate::git::{git, GitError, MergeBaseError};
use stablegate_config::Scope;

use crate::verdict::{GateKind, GateOutcome, Item, Verdict};

/// Why a scope check could not be decided (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{at}: scope `{name}`: {source}")]
pub struct ScopeError {
    pub at: String,
    pub name: String,
    pub source: ChangeError,
}

/// Why git could not say what changed since the base.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The base is unknown, or shares no history with `HEAD`.
    #[error(transparent)]
    MergeBase(#[from] MergeBaseError),
    /// Listing the changed or untracked paths failed.
    #[error(transparent)]
    Git(#[from] GitError),
}

/// Asks git what changed and judges it.
pub fn run_scope(root: &Path, scope: &Scope) -> Result<GateOutcome, ScopeError> {
    let paths = changed_paths(root, &scope.base).map_err(|source| ScopeError {
        at: scope.location.to_string(),
        name: scope.name.clone(),
        source,
    })?;
    Ok(GateOutcome::new(
        &scope.name,
        GateKind::Scope,
        judge(scope, &paths),
    ))
}

/// Root-relative paths changed since `base`, sorted, without duplicates.
pub fn changed_paths(root: &Path, base: &str) -> Result<Vec<String>, ChangeError> {
    let merge_base = crate::git::merge_base(root, base)?;
    let diff = git(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
            &merge_base,
            "--",
        ],
    )?;
    let untracked = git(
        root,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--",
            ".",
        ],
    )?;
    let mut paths: Vec<String> = (diff.split(|&b| b == 0))
        .chain(untracked.split(|&b| b == 0))
        .filter(|path| !path.is_empty())
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// One `out_of_scope` item per changed path the scope forbids, or that
/// matches none of its `allow` globs.
pub fn judge(scope: &Scope, paths: &[String]) -> Vec<Item> {
    let mut items = Vec::new();
    for path in paths {
        let forbidden = scope.forbid.is_match(path);
        let outside = !scope.allow.is_empty() && !scope.allow.is_match(path);
        if !forbidden && !outside {
            continue;
        }
        let mut item = Item::new(Verdict::OutOfScope, path, None, "", "");
        item.rule = scope.name.clone().into();
        item.message = format!("changed since `{}`", scope.base).into();
        item.detail = Some(if forbidden {
            format!("matches `forbid` ({})", scope.forbid.patterns().join(", ")).into()
        } else {
            format!(
                "matches no `allow` glob ({})",
                scope.allow.patterns().join(", ")
            )
            .into()
        });
        items.push(item);
    }
    items
}
