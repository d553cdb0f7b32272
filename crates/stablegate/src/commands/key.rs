//! `stablegate key FILE:LINE`: the content key of one line (SPEC §6).
//!
//! Human output is `qualname<TAB>token`; `--format json` prints one key
//! record (see [`crate::output`]). A line without code tokens has a key with
//! an empty token; line 0 and lines past the end are bad input (exit 2), as
//! are a missing, unreadable or non-UTF-8 file. `FILE:LINE` is split at the
//! last colon, so file names containing colons work.

use std::path::Path;

use crate::cli::{Format, KeyArgs};
use crate::error::{Error, Problem};
use crate::output::{self, KeyRecord};
use crate::source;

pub fn run(cx: &super::Context, args: &KeyArgs) -> Result<(), Error> {
    cx.check_explicit_config()?;
    let (file, line) = parse_location(&args.location)?;
    let at = |file: &dyn std::fmt::Display, line: usize, problem: Problem| Error::Input {
        at: format!("{file}:{line}"),
        problem,
    };
    let rel = (cx.root.resolve(Path::new(file))).map_err(|err| at(&file, line, err.into()))?;
    let keys = source::read_keys(&cx.root.absolute(&rel))
        .map_err(|err| at(&rel, err.line().unwrap_or(line), err.into()))?;
    if line > keys.line_count() {
        let lines = keys.line_count();
        return Err(at(&rel, line, Problem::PastEnd { lines }));
    }
    let record = KeyRecord {
        file: rel.as_str(),
        line,
        qualname: keys.qualname(line),
        token: keys.token(line).unwrap_or(""),
    };
    let mut text = Vec::new();
    match cx.format {
        Format::Human => {
            text.extend_from_slice(format!("{}\t{}\n", record.qualname, record.token).as_bytes());
        }
        Format::Json => record.write_json_line(&mut text),
        other => {
            return Err(Error::Input {
                at: format!("--format {}", other.report_format()),
                problem: Problem::FormatNotFor("key"),
            })
        }
    }
    let mut out = cx.stdout();
    output::written(out.write_all(&text).and_then(|()| out.flush()))
}

/// Splits `FILE:LINE` at the last colon; checks the line is a number ≥ 1.
fn parse_location(arg: &str) -> Result<(&str, usize), Error> {
    let invalid = |at: &str, problem| Error::Input {
        at: at.to_owned(),
        problem,
    };
    let (file, line) = arg
        .rsplit_once(':')
        .ok_or_else(|| invalid(arg, Problem::NotFileLine))?;
    let number = line
        .parse::<usize>()
        .map_err(|_| invalid(arg, Problem::NotALineNumber(line.to_owned())))?;
    if number == 0 {
        return Err(invalid(arg, Problem::LineZero));
    }
    Ok((file, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(arg: &str) -> String {
        parse_location(arg).unwrap_err().to_string()
    }

    #[test]
    fn location_splits_at_the_last_colon() {
        assert_eq!(parse_location("a:b.py:12").unwrap(), ("a:b.py", 12));
    }

    #[test]
    fn malformed_locations_are_named() {
        assert_eq!(message("a.py"), "a.py: expected FILE:LINE");
        assert_eq!(message("a.py:x"), "a.py:x: `x` is not a line number");
        assert_eq!(message("a.py:-1"), "a.py:-1: `-1` is not a line number");
        assert_eq!(message("a.py:0"), "a.py:0: line numbers start at 1");
    }
}
