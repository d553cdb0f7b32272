//! Freshness of generated artifacts (SPEC §9, §12.4): run the generator,
//! compare its output byte for byte with the committed files.
//!
//! The generator runs as `sh -c` in the root (as `command` detectors do:
//! own process group, standard input closed, killed with its children at
//! the timeout). With one `artifact` and `{out}` in the command, `{out}` is
//! replaced by the path of a new file in a temporary directory — one shell
//! word, never shell syntax ([`stablegate_io::shell`]), since the file name
//! is the artifact's — and that file is the output; without it, standard
//! output is. With `artifacts` the generator writes a tree under `{out_dir}`
//! ([`tree`]). A generator that fails, cannot start, writes no `{out}` file,
//! or runs past its timeout is bad input (exit 2), not a red gate: nothing
//! was learned about the artifact. The committed artifacts are never
//! written. [`compare`] is pure.

mod tree;
mod walk;

use std::io;
use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

use stablegate_config::{Artifacts, Fresh};
use stablegate_io::shell;

use crate::source::command::{describe, run, tail};
use crate::source::CommandError;
use crate::verdict::{GateKind, GateOutcome, Item, Verdict};
pub use walk::WalkError;

/// How many lines of unified diff an item shows.
const DIFF_LINES: usize = 60;

/// Why a freshness check could not be decided (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{at}: fresh `{name}`: {problem}")]
pub struct FreshError {
    /// The table's place in the configuration.
    pub at: String,
    pub name: String,
    /// What went wrong, naming the generator or the file.
    #[source]
    pub problem: FreshProblem,
}

/// What went wrong in a freshness check.
#[derive(Debug, thiserror::Error)]
pub enum FreshProblem {
    /// The generator could not run, failed, or wrote something that cannot
    /// be compared.
    #[error("the generator `{command}` {problem}")]
    Generator {
        command: String,
        #[source]
        problem: GeneratorError,
    },
    /// The committed side of a multi-file check cannot be listed or read.
    #[error(transparent)]
    Tree(WalkError),
}

/// What the generator did wrong; reads after "the generator `COMMAND`".
#[derive(Debug, thiserror::Error)]
pub enum GeneratorError {
    /// It could not start, or did not exit by itself.
    #[error(transparent)]
    Run(#[from] CommandError),
    /// It exited with a status other than 0, or was killed by a signal;
    /// `stderr_tail` is the end of its standard error (`"; stderr:\n…"` or
    /// empty).
    #[error("failed ({}){stderr_tail}", describe(*status))]
    Failed {
        status: ExitStatus,
        stderr_tail: String,
    },
    /// Its temporary directory cannot be made.
    #[error("has no temporary directory: {0}")]
    NoTempDir(#[source] io::Error),
    /// A glob's base directory cannot be made under `{out_dir}`.
    #[error("has no `{{out_dir}}/{base}`: {source}")]
    NoBaseDir { base: String, source: io::Error },
    /// It was given `{out}` and wrote no such file.
    #[error("wrote no `{{out}}` file ({0})")]
    NoOutFile(#[source] io::Error),
    /// What it wrote under `{out_dir}` cannot be listed or compared.
    #[error(transparent)]
    Wrote(WalkError),
    /// A glob matches no file on either side.
    #[error("wrote no file that `{pattern}` matches, and none is committed: nothing to compare")]
    NothingMatched { pattern: String },
    /// A file it wrote cannot be read.
    #[error("left `{path}` unreadable: {source}")]
    LeftUnreadable { path: String, source: io::Error },
}

/// Runs the generator and compares its output with the artifacts.
pub fn run_fresh(root: &Path, fresh: &Fresh) -> Result<GateOutcome, FreshError> {
    let items = match &fresh.artifacts {
        Artifacts::One(artifact) => run_one(root, fresh, artifact)?,
        Artifacts::Tree(globs) => tree::run_tree(root, fresh, globs)?,
    };
    Ok(GateOutcome::new(&fresh.name, GateKind::Fresh, items))
}

/// The error of `fresh` for a `problem` of its generator.
fn failure(fresh: &Fresh, problem: GeneratorError) -> FreshError {
    unrunnable(
        fresh,
        FreshProblem::Generator {
            command: fresh.command.clone(),
            problem,
        },
    )
}

/// The error of `fresh` for a `problem`.
fn unrunnable(fresh: &Fresh, problem: FreshProblem) -> FreshError {
    FreshError {
        at: fresh.location.to_string(),
        name: fresh.name.clone(),
        problem,
    }
}

/// Runs the generator with `{placeholder}` set to `value`; its standard
/// output when it exits 0.
fn generate(
    root: &Path,
    fresh: &Fresh,
    placeholder: &str,
    value: &Path,
) -> Result<Vec<u8>, FreshError> {
    let value = value.to_string_lossy();
    let script = shell::substitute(&fresh.command, &[(placeholder, &value)]);
    let ran = run(
        root,
        &script.text,
        &script.env,
        Duration::from_secs(fresh.timeout),
    )
    .map_err(|problem| failure(fresh, problem.into()))?;
    if !ran.status.success() {
        let problem = GeneratorError::Failed {
            status: ran.status,
            stderr_tail: tail(&ran.stderr),
        };
        return Err(failure(fresh, problem));
    }
    Ok(ran.stdout)
}

/// The single-file form: `{out}` or standard output against `artifact`.
fn run_one(root: &Path, fresh: &Fresh, artifact: &str) -> Result<Vec<Item>, FreshError> {
    let dir = tempfile::tempdir().map_err(|err| failure(fresh, GeneratorError::NoTempDir(err)))?;
    let out = dir.path().join(
        Path::new(artifact)
            .file_name()
            .unwrap_or_else(|| std::ffi::OsStr::new("artifact")),
    );
    let stdout = generate(root, fresh, "{out}", &out)?;
    let generated = if fresh.command.contains("{out}") {
        std::fs::read(&out).map_err(|err| failure(fresh, GeneratorError::NoOutFile(err)))?
    } else {
        stdout
    };
    let committed = std::fs::read(root.join(artifact)).ok();
    Ok(compare(
        &fresh.name,
        artifact,
        committed.as_deref(),
        &generated,
    ))
}

/// The items of one comparison: `ok`, or `stale_artifact` with a diff.
pub fn compare(
    name: &str,
    artifact: &str,
    committed: Option<&[u8]>,
    generated: &[u8],
) -> Vec<Item> {
    let mut item = Item::new(Verdict::Ok, artifact, None, "", "");
    item.rule = name.into();
    match committed {
        Some(committed) if committed == generated => {
            item.message = "the committed artifact is what the generator writes".into();
        }
        Some(committed) => {
            item.verdict = Verdict::StaleArtifact;
            item.message = "the committed artifact differs from what the generator writes".into();
            item.detail = Some(difference(artifact, committed, generated).into());
        }
        None => {
            item.verdict = Verdict::StaleArtifact;
            item.message = "the artifact is not committed".into();
            item.detail = Some(
                format!(
                    "{artifact} does not exist; the generator writes {} bytes",
                    generated.len()
                )
                .into(),
            );
        }
    }
    vec![item]
}

/// A unified-diff excerpt (committed → generated), or sizes for binary
/// content.
pub(crate) fn difference(artifact: &str, committed: &[u8], generated: &[u8]) -> String {
    let (Ok(old), Ok(new)) = (
        std::str::from_utf8(committed),
        std::str::from_utf8(generated),
    ) else {
        return format!(
            "binary content differs: committed {} bytes, generated {} bytes",
            committed.len(),
            generated.len()
        );
    };
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{artifact} (committed)"),
            &format!("{artifact} (generated)"),
        )
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= DIFF_LINES {
        return text.trim_end().to_owned();
    }
    format!(
        "{}\n… {} more diff lines",
        lines[..DIFF_LINES].join("\n"),
        lines.len() - DIFF_LINES
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_config::Location;

    fn fresh(command: &str) -> Fresh {
        Fresh {
            name: "graph".into(),
            location: Location {
                file: "stablegate.toml".into(),
                line: 3,
                column: 8,
            },
            artifacts: Artifacts::One("docs/graph.txt".into()),
            command: command.into(),
            timeout: 10,
        }
    }

    #[test]
    fn equal_bytes_are_ok_and_a_difference_shows_a_diff() {
        let compare = |committed: Option<&[u8]>, generated: &[u8]| {
            compare("graph", "docs/graph.txt", committed, generated)
        };
        assert_eq!(compare(Some(b"a\nb\n"), b"a\nb\n")[0].verdict, Verdict::Ok);
        let item = &compare(Some(b"a\nb\nc\n"), b"a\nB\nc\n")[0];
        assert_eq!(item.verdict, Verdict::StaleArtifact);
        let detail = item.detail.as_deref().unwrap();
        assert!(detail.contains("-b\n+B"), "{detail}");
        assert!(
            detail.starts_with("--- docs/graph.txt (committed)"),
            "{detail}"
        );
        let missing = &compare(None, b"x")[0];
        assert_eq!(missing.verdict, Verdict::StaleArtifact);
        let binary = &compare(Some(&[0xff, 0]), &[0xfe])[0];
        assert!(binary
            .detail
            .as_deref()
            .unwrap()
            .starts_with("binary content differs"));
    }

    #[test]
    fn the_generator_writes_to_out_or_stdout_and_its_failure_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("docs")).unwrap();
        std::fs::write(root.path().join("docs/graph.txt"), "g\n").unwrap();
        let to_file = run_fresh(root.path(), &fresh("printf 'g\\n' > {out}")).unwrap();
        assert_eq!(to_file.items[0].verdict, Verdict::Ok);
        let to_stdout = run_fresh(root.path(), &fresh("echo h")).unwrap();
        assert_eq!(to_stdout.items[0].verdict, Verdict::StaleArtifact);
        let err = run_fresh(root.path(), &fresh("echo oops >&2; exit 3")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "stablegate.toml:3:8: fresh `graph`: the generator `echo oops >&2; exit 3` failed (exit status 3); stderr:\noops"
        );
        let mut slow = fresh("sleep 20");
        slow.timeout = 1;
        let err = run_fresh(root.path(), &slow).unwrap_err();
        assert!(
            err.to_string().contains("did not finish within 1 s"),
            "{err}"
        );
    }
}
