//! `stablegate keys PATH...`: JSON Lines key records for every keyed line
//! (SPEC §5, §6), whatever `--format` says.
//!
//! Paths are walked by [`crate::walk`] (sorted, ignore files honoured);
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
use crate::walk;

/// Extensions of the files taken from directories.
const PYTHON: &[&str] = &["py", "pyi"];

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
    let walked = walk::walk(&cx.root, &paths, PYTHON);
    for err in walked.errors {
        fail(Error::Input {
            at: err.path,
            problem: Problem::Walk(err.message),
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
