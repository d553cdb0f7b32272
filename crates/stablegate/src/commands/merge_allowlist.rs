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
//! Needs no configuration, and reads none: every top-level list is merged.

use std::path::Path;
use std::process::Command;

use stablegate_gates::edit::{merge, Merge};

use crate::cli::MergeAllowlistArgs;
use crate::error::Error;

pub fn run(_cx: &super::Context, args: &MergeAllowlistArgs) -> Result<(), Error> {
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
    match merge(&name, &base, &ours, &theirs)? {
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
            let merged = Command::new("git")
                .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
                .arg(&args.ours)
                .arg(&args.base)
                .arg(&args.theirs)
                .status();
            if merged.is_err() {
                eprintln!(
                    "stablegate merge-allowlist: git merge-file could not run: {name} is left as OURS"
                );
            }
            Err(Error::MergeConflict)
        }
    }
}
