//! The three mutations of the theater triad, as pure text edits (SPEC §7).
//!
//! Each takes a file's decoded text and the 1-based lines of its allowlisted
//! sites and returns the mutated text, or why the mutation cannot be made.
//! The tokens come from the same tokenizer the keys come from, in the file's
//! language ([`super::syntax_edit`]), so "between two tokens" and "a name on
//! the line" mean what they mean to a key. A file that parses must still
//! parse after a mutation (checked with the same parser the keys use); a
//! mutation that would break it is refused, never applied. Nothing here
//! reads or writes files.

use stablegate_keys::python::tokenizer::{tokenize, Kind, Token};

use super::syntax_edit::{self, comment_prefix};

/// Why a mutation cannot be made; the leg that wanted it is `inconclusive`
/// with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MutateError {
    /// The content leg found no name on the site's line.
    #[error("{file}:{site} has no name to rename")]
    NoName { file: String, site: usize },
    /// The non-vacuity leg found no statement on the site's line.
    #[error("{file}:{site} holds no statement to copy")]
    NoStatement { file: String, site: usize },
    /// The non-vacuity leg cannot write a function in the file's language.
    #[error(
        "stablegate cannot write a new function in the language of {file}; \
         give the gate a `theater = {{ file, code }}` sample for it"
    )]
    NoFunction { file: String },
    /// The file parses and the mutated text would not.
    #[error("the mutation would make {file} fail to parse")]
    WouldNotParse { file: String },
}

impl MutateError {
    fn no_statement(file: &str, site: usize) -> Self {
        MutateError::NoStatement {
            file: file.to_owned(),
            site,
        }
    }
}

/// The name of the function the non-vacuity leg adds.
pub const NEW_FUNCTION: &str = "__stablegate_theater__";

/// The suffix the content leg appends to a name.
const RENAMED: &str = "_stablegate_theater";

/// A mutated file: its new text and the 1-based lines the mutation put the
/// interesting code on (the shifted sites, the edited line, the copy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutated {
    pub text: String,
    pub lines: Vec<usize>,
    /// What was done, for the report: "renamed `data` to …".
    pub what: String,
}

/// Whether the file is Python (its new-function copy is built from Python's
/// statements).
fn is_python(file: &str) -> bool {
    file.ends_with(".py") || file.ends_with(".pyi")
}

/// The drift mutation: a blank line and a comment line at the top of the
/// file and above each site, and one more space between two tokens of each
/// site's line. Insertions go above the first line of the statement when
/// the site's line continues a backslash-joined one.
pub fn drift(file: &str, text: &str, sites: &[usize]) -> Result<Mutated, MutateError> {
    let comment = comment_prefix(file).map(|prefix| format!("{prefix} stablegate theater: drift"));
    let inserted: Vec<&str> = match &comment {
        Some(comment) => vec!["", comment.as_str()],
        None => vec![""],
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let spaced = spaced_lines(file, text, sites);
    let above: Vec<usize> = sites
        .iter()
        .map(|&line| statement_start(&lines, line))
        .collect();
    let mut out = String::with_capacity(text.len() + 64 * (sites.len() + 1));
    let mut shifted = Vec::with_capacity(sites.len());
    let mut added = 0;
    let push_inserted = |out: &mut String, added: &mut usize| {
        for line in &inserted {
            out.push_str(line);
            out.push('\n');
            *added += 1;
        }
    };
    push_inserted(&mut out, &mut added);
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        if above.contains(&number) {
            push_inserted(&mut out, &mut added);
        }
        if sites.contains(&number) {
            shifted.push(number + added);
        }
        match spaced.iter().find(|(at, _)| *at == number) {
            Some((_, offset)) => {
                out.push_str(&line[..*offset]);
                out.push(' ');
                out.push_str(&line[*offset..]);
            }
            None => out.push_str(line),
        }
    }
    still_parses(file, text, &out)?;
    shifted.sort_unstable();
    shifted.dedup();
    Ok(Mutated {
        text: out,
        lines: shifted,
        what: format!(
            "{} at the top and above each site, a space inside each site's line",
            describe_inserted(comment.is_some()),
        ),
    })
}

fn describe_inserted(comment: bool) -> &'static str {
    if comment {
        "a blank line and a comment line"
    } else {
        "a blank line"
    }
}

/// For each site line, the offset within the line (bytes) where a space can
/// go between two of its code tokens.
fn spaced_lines(file: &str, text: &str, sites: &[usize]) -> Vec<(usize, usize)> {
    let line_starts = line_starts(text);
    (syntax_edit::gaps(file, text, sites).into_iter())
        .filter_map(|(site, at)| Some((site, at - line_starts.get(site.checked_sub(1)?)?)))
        .collect()
}

/// Byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
    starts
}

/// The first line of the backslash-joined run that `line` belongs to.
fn statement_start(lines: &[&str], line: usize) -> usize {
    let mut start = line;
    while start > 1 {
        let previous = lines[start - 2].trim_end_matches('\n');
        if !previous.ends_with('\\') {
            break;
        }
        start -= 1;
    }
    start
}

/// The content mutation: one name on the site's line renamed (the last one
/// whose renaming keeps the file parsing), nothing else changed.
pub fn content(file: &str, text: &str, site: usize) -> Result<Mutated, MutateError> {
    let names = syntax_edit::names(file, text, site);
    if names.is_empty() {
        return Err(MutateError::NoName {
            file: file.to_owned(),
            site,
        });
    }
    let mut last_error = MutateError::WouldNotParse {
        file: file.to_owned(),
    };
    for &(start, end) in names.iter().rev() {
        let name = &text[start..end];
        let mutated = format!("{}{name}{RENAMED}{}", &text[..start], &text[end..]);
        match still_parses(file, text, &mutated) {
            Ok(()) => {
                return Ok(Mutated {
                    text: mutated,
                    lines: vec![site],
                    what: format!("renamed `{name}` to `{name}{RENAMED}` on line {site}"),
                })
            }
            Err(err) => last_error = err,
        }
    }
    Err(last_error)
}

/// The non-vacuity mutation from a site: the statement holding the site's
/// line, copied into a new function at the end of the file.
pub fn copy_into_function(file: &str, text: &str, site: usize) -> Result<Mutated, MutateError> {
    if !is_python(file) {
        return copy_into_braced_function(file, text, site);
    }
    let (first, last) =
        statement_lines(text, site).ok_or_else(|| MutateError::no_statement(file, site))?;
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines[first - 1].len() - lines[first - 1].trim_start().len();
    let prefix = &lines[first - 1][..indent];
    let body: Vec<String> = lines[first - 1..last]
        .iter()
        .map(|line| format!("    {}", line.strip_prefix(prefix).unwrap_or(line)))
        .collect();
    let mut base = text.to_owned();
    if !base.is_empty() && !base.ends_with('\n') {
        base.push('\n');
    }
    base.push_str("\n\n");
    let def_line = base.matches('\n').count() + 1;
    let tails = [
        "",
        "        pass\n",
        "    def __stablegate_theater_target__():\n        pass\n",
    ];
    let mut last_error = MutateError::WouldNotParse {
        file: file.to_owned(),
    };
    for tail in tails {
        let mutated = format!("{base}def {NEW_FUNCTION}():\n{}\n{tail}", body.join("\n"));
        match still_parses(file, text, &mutated) {
            Ok(()) => {
                return Ok(Mutated {
                    text: mutated,
                    lines: (def_line + 1..=def_line + body.len()).collect(),
                    what: format!(
                        "lines {first}-{last} copied into a new function `{NEW_FUNCTION}` at line {def_line}"
                    ),
                })
            }
            Err(err) => last_error = err,
        }
    }
    Err(last_error)
}

/// [`copy_into_function`] for the tree-sitter languages: the site's line,
/// and as many following lines as it takes for the file to parse (a block
/// opened on the line is copied to its end), in a new function at the end.
fn copy_into_braced_function(file: &str, text: &str, site: usize) -> Result<Mutated, MutateError> {
    let (head, indent, foot) =
        syntax_edit::function_frame(file, NEW_FUNCTION).ok_or_else(|| MutateError::NoFunction {
            file: file.to_owned(),
        })?;
    let lines: Vec<&str> = text.lines().collect();
    let Some(first_line) = lines.get(site.wrapping_sub(1)) else {
        return Err(MutateError::no_statement(file, site));
    };
    let dedent = first_line.len() - first_line.trim_start_matches([' ', '\t']).len();
    let mut base = text.to_owned();
    if !base.is_empty() && !base.ends_with('\n') {
        base.push('\n');
    }
    base.push('\n');
    let head_line = base.matches('\n').count() + 1;
    let body_line = head_line + head.matches('\n').count() + 1;
    let last_line = lines.len().min(site + MAX_COPIED_LINES - 1);
    let mut last_error = MutateError::no_statement(file, site);
    for last in site..=last_line {
        let body: Vec<String> = lines[site - 1..last]
            .iter()
            .map(|line| {
                let blank = line.len() - line.trim_start_matches([' ', '\t']).len();
                format!("{indent}{}", &line[blank.min(dedent)..])
            })
            .collect();
        let mutated = format!("{base}{head}\n{}\n{foot}\n", body.join("\n"));
        match still_parses(file, text, &mutated) {
            Ok(()) => {
                return Ok(Mutated {
                    text: mutated,
                    lines: (body_line..body_line + body.len()).collect(),
                    what: format!(
                        "lines {site}-{last} copied into a new function `{NEW_FUNCTION}` at line {head_line}"
                    ),
                })
            }
            Err(err) => last_error = err,
        }
    }
    Err(last_error)
}

/// How many lines a copy into a new function may take from the site on.
const MAX_COPIED_LINES: usize = 40;

/// The non-vacuity mutation from the gate's sample: `code` appended to the
/// file (or the file created with it).
pub fn append_sample(
    file: &str,
    existing: Option<&str>,
    code: &str,
) -> Result<Mutated, MutateError> {
    let mut text = existing.unwrap_or("").to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    let first = text.matches('\n').count() + 1;
    text.push_str(code);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let last = text.matches('\n').count();
    if let Some(existing) = existing {
        still_parses(file, existing, &text)?;
    }
    Ok(Mutated {
        text,
        lines: (first..=last).collect(),
        what: format!("the gate's theater sample added at {file}:{first}"),
    })
}

/// The first and last line of the logical line (statement) holding `line`.
fn statement_lines(text: &str, line: usize) -> Option<(usize, usize)> {
    let tokens = tokenize(text);
    let tokens = &tokens.tokens;
    let at = tokens
        .iter()
        .position(|t| t.line as usize == line && t.kind.is_code())?;
    let boundary = |t: &Token| matches!(t.kind, Kind::Newline | Kind::Indent | Kind::Dedent);
    let first = tokens[..at]
        .iter()
        .rposition(boundary)
        .map_or(0, |index| index + 1);
    let end = tokens[at..].iter().position(boundary).map(|i| at + i)?;
    let last = tokens[end - 1].end_line as usize;
    Some((tokens[first].line as usize, last))
}

/// A file that parsed must still parse after a mutation (files stablegate
/// cannot parse are taken as they are).
pub(super) fn still_parses(file: &str, before: &str, after: &str) -> Result<(), MutateError> {
    match (
        syntax_edit::parses(file, before),
        syntax_edit::parses(file, after),
    ) {
        (Some(true), Some(false)) => Err(MutateError::WouldNotParse {
            file: file.to_owned(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stablegate_keys::python_keys;

    const FILE: &str = "import json\n\n\ndef load(p):\n    data = json.loads(p)\n    return data\n";

    #[test]
    fn drift_inserts_above_sites_and_spaces_inside_them() {
        let mutated = drift("a.py", FILE, &[5]).unwrap();
        assert_eq!(
            mutated.text,
            "\n# stablegate theater: drift\nimport json\n\n\ndef load(p):\n\n\
             # stablegate theater: drift\n    data  = json.loads(p)\n    return data\n"
        );
        assert_eq!(mutated.lines, [9]);
    }

    #[test]
    fn drift_goes_above_a_backslash_joined_statement() {
        let text = "x = 1 + \\\n    len([])\n";
        let mutated = drift("a.py", text, &[2]).unwrap();
        assert!(python_keys(&mutated.text).parses());
        assert!(
            mutated.text.contains("drift\nx = 1 + \\\n    len ([])\n"),
            "{}",
            mutated.text
        );
        assert_eq!(mutated.lines, [6]);
    }

    #[test]
    fn drift_in_an_unknown_language_inserts_only_blank_lines() {
        let mutated = drift("a.txt", "a\nb\n", &[2]).unwrap();
        assert_eq!(mutated.text, "\na\n\nb\n");
    }

    #[test]
    fn content_renames_the_last_name_of_the_line() {
        let mutated = content("a.py", FILE, 5).unwrap();
        assert!(mutated
            .text
            .contains("data = json.loads(p_stablegate_theater)\n"));
        assert_eq!(mutated.lines, [5]);
    }

    #[test]
    fn content_skips_renames_that_break_the_parse() {
        let text = "match x:\n    case 1:\n        pass\n";
        let mutated = content("a.py", text, 1).unwrap();
        assert!(mutated.text.starts_with("match x_stablegate_theater:"));
        let no_name = content("a.py", "x = (\n 1)\n", 2).unwrap_err();
        assert!(no_name.to_string().contains("no name"), "{no_name}");
    }

    #[test]
    fn the_site_statement_is_copied_into_a_new_function() {
        let mutated = copy_into_function("a.py", FILE, 5).unwrap();
        assert!(
            mutated
                .text
                .ends_with("\n\n\ndef __stablegate_theater__():\n    data = json.loads(p)\n"),
            "{}",
            mutated.text
        );
        assert_eq!(mutated.lines, [10]);
    }

    #[test]
    fn a_compound_header_gets_a_body_and_a_multi_line_statement_is_copied_whole() {
        let text = "def f(p):\n    with open(\n        p,\n    ) as fh:\n        pass\n";
        let mutated = copy_into_function("a.py", text, 3).unwrap();
        assert!(
            mutated.text.ends_with("def __stablegate_theater__():\n    with open(\n        p,\n    ) as fh:\n        pass\n"),
            "{}",
            mutated.text
        );
        assert_eq!(mutated.lines.len(), 3);
    }

    #[test]
    fn a_decorator_site_gets_a_function_to_decorate() {
        let text = "@app.route('/')\ndef f():\n    pass\n";
        let mutated = copy_into_function("a.py", text, 1).unwrap();
        assert!(python_keys(&mutated.text).parses());
        assert_eq!(mutated.lines, [7]);
    }

    #[test]
    fn samples_are_appended_or_create_the_file() {
        let added = append_sample("t.py", Some("x = 1"), "json.loads(y)").unwrap();
        assert_eq!(added.text, "x = 1\n\njson.loads(y)\n");
        assert_eq!(added.lines, [3]);
        let created = append_sample("t.py", None, "a\nb\n").unwrap();
        assert_eq!(
            (created.text.as_str(), created.lines),
            ("a\nb\n", vec![1, 2])
        );
        let broken = append_sample("t.py", Some("x = 1\n"), "def (:").unwrap_err();
        assert!(broken.to_string().contains("fail to parse"), "{broken}");
    }

    #[test]
    fn drift_in_javascript_uses_line_comments_and_spaces_between_leaves() {
        let text = "function f(p) {\n  const re = /#x/; return g(p);\n}\n";
        let mutated = drift("a.js", text, &[2]).unwrap();
        assert!(mutated.text.starts_with("\n// stablegate theater: drift\n"));
        assert!(
            mutated.text.contains("  const  re = /#x/;"),
            "{}",
            mutated.text
        );
        assert_eq!(syntax_edit::parses("a.js", &mutated.text), Some(true));
    }

    #[test]
    fn content_in_go_renames_an_identifier_not_a_string() {
        let text = "package m\n\nfunc f() {\n\tlog(\"name\", value)\n}\n";
        let mutated = content("m.go", text, 4).unwrap();
        assert!(
            mutated
                .text
                .contains("log(\"name\", value_stablegate_theater)"),
            "{}",
            mutated.text
        );
    }

    #[test]
    fn a_site_is_copied_into_a_new_function_of_its_language() {
        let rust = "fn f() {\n    let x = unsafe_call(1);\n}\n";
        let mutated = copy_into_function("a.rs", rust, 2).unwrap();
        assert!(mutated
            .text
            .ends_with("fn __stablegate_theater__() {\n    let x = unsafe_call(1);\n}\n"));
        assert_eq!(mutated.lines, [6]);
        let go = "package m\n\nfunc f() {\n\tif err := g(); err != nil {\n\t\treturn\n\t}\n}\n";
        let mutated = copy_into_function("m.go", go, 4).unwrap();
        assert_eq!(mutated.lines.len(), 3, "{}", mutated.text);
        assert_eq!(syntax_edit::parses("m.go", &mutated.text), Some(true));
        let java = "class A {\n  void f() {\n    System.exit(1);\n  }\n}\n";
        let mutated = copy_into_function("A.java", java, 3).unwrap();
        assert!(mutated.text.contains("class StablegateTheater {"));
        assert_eq!(syntax_edit::parses("A.java", &mutated.text), Some(true));
        let err = copy_into_function("ci.yml", "a: 1\n", 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "stablegate cannot write a new function in the language of ci.yml; \
             give the gate a `theater = { file, code }` sample for it"
        );
    }
}
