//! `stablegate keys PATH...`: JSON Lines key records for every keyed line
//! (SPEC §5, §6), whatever `--format` says.
//!
//! Directories are walked by the gates' walker (sorted, ignore files
//! honoured, as for a gate's `paths`); a file named on the command line is
//! keyed whatever its name;
//! files are keyed in parallel and printed in sorted order, lines ascending,
//! as soon as their turn comes. A path or file that cannot be read is
//! reported on standard error and the others go on; the exit code is then 2.

use std::ops::ControlFlow;

use crate::cli::KeysArgs;
use crate::error::{Error, Problem};
use crate::ordered::map_ordered;
use crate::output::{self, KeyLines};
use crate::root::RelPath;
use crate::source;
use stablegate_config::Globs;
use stablegate_gates::walk::{self, Scope};
use stablegate_keys::Language;

pub fn run(cx: &super::Context, args: &KeysArgs) -> Result<(), Error> {
    cx.check_explicit_config()?;
    let mut failures = 0;
    let mut fail = |err: Error| {
        failures += 1;
        err.report();
    };
    let mut paths = Vec::with_capacity(args.paths.len());
    for path in &args.paths {
        match cx.root.resolve(path) {
            Ok(rel) => paths.push(rel),
            Err(err) => fail(Error::Input {
                at: path.display().to_string(),
                problem: err.into(),
            }),
        }
    }
    let walked = walk_paths(cx, &paths);
    for (path, message) in walked.errors {
        fail(Error::Input {
            at: path,
            problem: Problem::Walk(message),
        });
    }
    let mut out = cx.stdout();
    let mut written = Ok(());
    map_ordered(
        &walked.files,
        |file| render(cx, file),
        |rendered| match rendered {
            Ok(lines) => match out.write_all(&lines) {
                Ok(()) => ControlFlow::Continue(()),
                Err(err) => {
                    written = Err(err);
                    ControlFlow::Break(())
                }
            },
            Err(err) => {
                fail(err);
                ControlFlow::Continue(())
            }
        },
    );
    output::written(written.and_then(|()| out.flush()))?;
    match failures {
        0 => Ok(()),
        count => Err(Error::Reported { count }),
    }
}

/// The files `paths` stand for: a directory gives its files of the keyed
/// languages (Python, JavaScript, TypeScript, Go, Rust, Java), any
/// other path itself (a path that does not exist fails when it is read,
/// in its place in the output). Sorted, deduplicated.
fn walk_paths(cx: &super::Context, paths: &[RelPath]) -> Walked {
    let mut walked = Walked::default();
    // Files of every language with a grammar; plain-text files only when
    // named (a directory holds too many that are not code).
    let keyed = |file: &str| Language::from_path(file) != Language::PlainText;
    let no_globs = Globs::default();
    for path in paths {
        if !cx.root.absolute(path).is_dir() {
            walked.files.push(path.clone());
            continue;
        }
        let one = [match path.as_str() {
            "" => ".".to_owned(),
            path => path.to_owned(),
        }];
        let scope = Scope {
            paths: &one,
            include: &no_globs,
            exclude: &no_globs,
        };
        match walk::walk(cx.root.path(), "the command line", scope, &keyed) {
            Ok(found) => {
                walked.errors.extend(found.errors);
                for file in found.files {
                    // A walked path is under the root and UTF-8; were it not,
                    // it is reported, never dropped.
                    match cx.root.relative(&cx.root.path().join(&file)) {
                        Ok(rel) => walked.files.push(rel),
                        Err(err) => walked.errors.push((file, err.to_string())),
                    }
                }
            }
            Err(err) => walked.errors.push((path.to_string(), err.problem)),
        }
    }
    walked.files.sort_unstable();
    walked.files.dedup();
    walked
}

/// The files a walk selected, and the entries it could not read.
#[derive(Default)]
struct Walked {
    files: Vec<RelPath>,
    errors: Vec<(String, String)>,
}

/// The JSON Lines of one file, or why it has none.
fn render(cx: &super::Context, file: &RelPath) -> Result<Vec<u8>, Error> {
    let keys = source::read_keys(&cx.root.absolute(file)).map_err(|err| Error::Input {
        at: match err.line() {
            Some(line) => format!("{file}:{line}"),
            None => file.to_string(),
        },
        problem: err.into(),
    })?;
    // Roughly what a line's record takes, to grow the buffer once or twice
    // rather than a dozen times.
    let mut lines = Vec::with_capacity(keys.line_count() * (file.as_str().len() + 64));
    let mut records = KeyLines::new(file.as_str());
    for key in keys.keys() {
        records.write(&mut lines, key.line, key.qualname, key.token);
    }
    Ok(lines)
}
