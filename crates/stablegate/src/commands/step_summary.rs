//! The GitHub step summary (SPEC §12.5): when the report is rendered as
//! `github` (on standard output or in an `--output` file) and
//! `$GITHUB_STEP_SUMMARY` names a file, the Markdown summary of
//! `stablegate_report::step_summary` is appended to it, once per run.
//!
//! Items are linked to their lines on GitHub when the runner says where:
//! `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/`, plus the
//! project root's directory inside `$GITHUB_WORKSPACE` when the root is a
//! subdirectory of the checkout (a root outside the workspace gets no
//! links). The summary is built in memory and appended with one write, so
//! other steps' summaries around it stay whole.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use stablegate_report::step_summary::{self, Links};
use stablegate_report::Report;

use crate::cli::{Format, RenderArgs};

/// The file to append to, when the run renders `github` and the variable is
/// set to a non-empty path.
pub fn target(cx: &super::Context, args: &RenderArgs) -> Option<PathBuf> {
    let github = cx.format == Format::Github
        || (args.outputs.iter()).any(|spec| spec.format == Format::Github);
    if !github {
        return None;
    }
    std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// Appends the summary of `report` to `path`.
pub fn append(cx: &super::Context, report: &Report, path: &Path) -> io::Result<()> {
    let mut markdown = Vec::new();
    step_summary::render(report, &links(cx.root.path()), &mut markdown)?;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(&markdown)?;
    file.flush()
}

/// Where the root's files are browsable, from the runner's variables.
fn links(root: &Path) -> Links {
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let (Some(repository), Some(sha)) = (var("GITHUB_REPOSITORY"), var("GITHUB_SHA")) else {
        return Links::default();
    };
    let server = var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".to_owned());
    let mut blob = format!("{}/{repository}/blob/{sha}", server.trim_end_matches('/'));
    if let Some(workspace) = var("GITHUB_WORKSPACE") {
        let inside = match (Path::new(&workspace).canonicalize(), root.canonicalize()) {
            (Ok(workspace), Ok(root)) => root
                .strip_prefix(&workspace)
                .ok()
                .map(|dir| dir.to_string_lossy().replace('\\', "/")),
            _ => None,
        };
        match inside {
            Some(dir) if dir.is_empty() => {}
            Some(dir) => {
                blob.push('/');
                blob.push_str(&dir);
            }
            None => return Links::default(),
        }
    }
    Links { blob: Some(blob) }
}
