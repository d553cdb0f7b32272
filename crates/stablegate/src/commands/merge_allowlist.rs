//! `stablegate merge-allowlist BASE OURS THEIRS`: git's merge driver for
//! allowlist files (SPEC §12.5; the merge itself is
//! `stablegate_gates::edit::merge`).
//!
//! Set up once per clone (see docs/allowlists.md):
//!
//! ```text
//! # .gitattributes
//! gates/*.yaml merge=stablegate-allowlist
//! # git config
//! git config merge.stablegate-allowlist.driver "stablegate merge-allowlist %O %A %B"
//! ```
//!
//! git passes the three versions as temporary files and expects the result
//! in OURS (%A). A clean merge replaces OURS atomically, says on standard
//! error what came from THEIRS, and exits 0; this is a merge, not a rewrite
//! behind a pipeline's back, so the CI guard does not apply. When the merge
//! would lose something, the reasons go to standard error, OURS gets git's
//! own line merge with conflict markers (`git merge-file`; kept as it was
//! when git cannot be run), and the exit code is 1: git then reports the
//! file as conflicted, as it would without a driver. A file that cannot be
//! read or written is exit 2 (git treats any non-zero exit as a conflict).
//! Every top-level list is merged. Which key is a list's baseline comes
//! from the configuration when one is found from the working directory
//! (git runs drivers in the repository root): each gate's `allowlist_key`
//! and `baseline_key` — only the gates whose `allowlist` is PATH (git's %P)
//! when it is given. Without a configuration, or for a list no gate names,
//! the baseline is `<key>_baseline`; an integer that changed and is no
//! list's baseline is a conflict, never merged as text
//! (`stablegate_gates::edit::Baselines`). A configuration that cannot be
//! loaded is said on standard error and the convention is used.

use std::path::Path;

use stablegate_gates::edit::{merge, Baselines, Merge};
use stablegate_io::process::{self, Output, Spec};

use crate::cli::MergeAllowlistArgs;
use crate::error::Error;

pub fn run(cx: &super::Context, args: &MergeAllowlistArgs) -> Result<(), Error> {
    let read = |path: &Path| {
        let failed = |reason: String| Error::Merge {
            path: path.display().to_string(),
            reason,
        };
        let bytes = stablegate_io::read::regular(path, stablegate_io::read::TEXT_LIMIT)
            .map_err(|err| failed(err.to_string()))?;
        String::from_utf8(bytes).map_err(|_| failed("is not valid UTF-8".to_owned()))
    };
    let base = read(&args.base)?;
    let ours = read(&args.ours)?;
    let theirs = read(&args.theirs)?;
    let name = args.ours.display().to_string();
    let baselines = baselines(cx, args.path.as_deref());
    match merge(&name, &base, &ours, &theirs, &baselines)? {
        Merge::Clean { text, notes } => {
            if text != ours {
                stablegate_io::atomic::replace(&args.ours, text.as_bytes()).map_err(|err| {
                    Error::Merge {
                        path: name.clone(),
                        reason: format!("cannot be written: {err}"),
                    }
                })?;
            }
            for note in notes {
                eprintln!("stablegate merge-allowlist: {note}");
            }
            Ok(())
        }
        Merge::Conflict { reasons } => {
            for reason in &reasons {
                eprintln!("stablegate merge-allowlist: conflict: {reason}");
            }
            // Through the one process runner (own process group, killed
            // with stablegate), in the directory git runs the driver in.
            let here = std::env::current_dir().unwrap_or_else(|_| ".".into());
            let spec = Spec::program("git", &here)
                .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
                .arg(&args.ours)
                .arg(&args.base)
                .arg(&args.theirs)
                .stderr(Output::Tail { keep: 64 * 1024 });
            let merged = process::run(spec);
            if merged.is_err() {
                eprintln!(
                    "stablegate merge-allowlist: git merge-file could not run: {name} is left as OURS"
                );
            }
            Err(Error::MergeConflict)
        }
    }
}

/// The baseline keys the configuration gives the lists of the file at
/// `path` (of every allowlist when `path` is unknown).
fn baselines(cx: &super::Context, path: Option<&str>) -> Baselines {
    let mut baselines = Baselines::default();
    let config = match stablegate_config::load(cx.root.path(), cx.config.as_deref()) {
        Ok(Some(config)) => config,
        Ok(None) => return baselines,
        Err(err) => {
            eprintln!(
                "stablegate merge-allowlist: the configuration is not used ({err}); baselines are `<key>_baseline`"
            );
            return baselines;
        }
    };
    let path = path.map(|path| path.strip_prefix("./").unwrap_or(path));
    for gate in &config.gates {
        let Some(allowlist) = &gate.allowlist else {
            continue;
        };
        if path.is_none_or(|path| path == allowlist) {
            baselines.insert(&gate.allowlist_key, &gate.baseline_key);
        }
    }
    baselines
}
