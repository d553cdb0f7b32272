//! `pattern` / `patterns` gates: ast-grep patterns compiled into [`Rule`]s.
//!
//! Every pattern is compiled for the gate's `language`. A gate that names
//! none reads each file in the language of its extension, as `ast-grep run`
//! does (SPEC §3 "default: by file extension"): each pattern is compiled for
//! every built-in language it parses in (`json.load($F)` is Python and
//! JavaScript and Java…), and files of the other languages are not scanned.
//! A pattern that parses in no built-in language is refused. Every pattern's findings carry the gate's name
//! as their `rule`, whichever pattern matched: the patterns of a gate are one
//! rule written several ways, and a node matched by two of them is one site,
//! not two. A pattern whose root does not parse (ast-grep's ERROR node) is
//! refused rather than run: it would match something other than what it says.

use ast_grep_core::{Language, Pattern};
use ast_grep_language::SupportLang;
use stablegate_config::Gate;
use stablegate_model::SharedStr;

use super::error::{gate_place, SourceError};
use super::lang;
use super::rule::Rule;

/// The gate's patterns, compiled, and the language a file named in `paths`
/// is read as when its extension says nothing (the gate's language, else
/// Python if the patterns are Python).
pub(crate) fn compile(
    gate: &Gate,
    patterns: &[String],
) -> Result<(Vec<Rule>, Option<SupportLang>), SourceError> {
    match &gate.language {
        Some(name) => {
            let lang = lang::resolve(name).map_err(|problem| SourceError::Language {
                at: gate_place(gate),
                problem,
            })?;
            Ok((compile_in(gate, patterns, lang)?, Some(lang)))
        }
        None => infer(gate, patterns),
    }
}

/// Without a `language`: the patterns compiled in every built-in language
/// where all of them parse. The first error (Python's) is the one reported
/// when they parse in none.
fn infer(
    gate: &Gate,
    patterns: &[String],
) -> Result<(Vec<Rule>, Option<SupportLang>), SourceError> {
    let mut rules = Vec::new();
    let mut first_error = None;
    let mut python = false;
    for &candidate in lang::built_in() {
        match compile_in(gate, patterns, candidate) {
            Ok(compiled) => {
                python |= candidate == SupportLang::Python;
                rules.extend(compiled);
            }
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) if rules.is_empty() => Err(err),
        _ => Ok((rules, python.then_some(SupportLang::Python))),
    }
}

/// The patterns compiled for one language.
fn compile_in(
    gate: &Gate,
    patterns: &[String],
    lang: SupportLang,
) -> Result<Vec<Rule>, SourceError> {
    let id = SharedStr::from(gate.name.as_str());
    (patterns.iter())
        .map(|source| {
            let problem = |problem: String| SourceError::Pattern {
                at: gate_place(gate),
                pattern: source.clone(),
                problem,
            };
            let pattern = Pattern::try_new(source, lang)
                .map_err(|err| problem(as_written(&err.to_string(), source, lang)))?;
            if pattern.has_error() {
                return Err(problem(format!("it does not parse as {lang}")));
            }
            Ok(Rule::pattern(id.clone(), lang, pattern))
        })
        .collect()
}

/// An ast-grep message about a pattern, with the pattern as the user wrote
/// it: ast-grep reports the text it parsed, where `$` is replaced by the
/// language's expando character (`µ` for Python).
fn as_written(message: &str, source: &str, lang: SupportLang) -> String {
    let processed = lang.pre_process_pattern(source);
    let message = message.replace(processed.as_ref(), source);
    let (expando, meta) = (lang.expando_char(), lang.meta_var_char());
    if expando == meta {
        message
    } else {
        message.replace(expando, &meta.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_errors_show_the_pattern_as_written() {
        let err = Pattern::try_new("$$$A", SupportLang::Python).err().unwrap();
        let message = as_written(&err.to_string(), "$$$A", SupportLang::Python);
        assert!(
            message.contains("`$$$A`") && !message.contains('µ'),
            "{message}"
        );
    }
}
