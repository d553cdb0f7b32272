//! `rule_file` gates: an ast-grep rule file, read with ast-grep's own
//! deserializer so that a file written for ast-grep works here unchanged.
//!
//! The file holds one or more rules separated by `---` (empty documents are
//! skipped, as ast-grep does). Each rule is read by `ast-grep-config` — `id`,
//! `language`, `rule` (`kind`, `pattern`, `regex`, `inside`, `has`, `not`,
//! `all`, `any`, `matches`, …), `constraints`, `utils`, `transform`,
//! `message`, `severity`, `files`, `ignores`, and the rest of its schema,
//! unknown keys refused — then compiled into a [`Rule`]. What we add:
//!
//! - the language must be built in ([`super::lang`]) — checked before
//!   compiling, since compiling for a missing grammar would panic;
//! - `id` is required (it is the finding's `rule`);
//! - `severity: off` turns a rule off, as in ast-grep;
//! - `files` / `ignores` globs match root-relative paths without a `./`
//!   prefix, as ast-grep matches them from the project root; a glob that
//!   starts with `./` never matches in ast-grep, so it is refused here
//!   instead of silently scanning nothing;
//! - global utils (`utilDirs` of an `sgconfig.yml`) are not read: a rule file
//!   must be self-contained (local `utils`).
//!
//! Errors name the file and the rule (`rule \`no-eval\``) or document.

use std::collections::HashMap;
use std::path::Path;

use ast_grep_config::{GlobalRules, RuleConfig, SerializableRuleConfig, Severity};
use ast_grep_language::SupportLang;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::Value;

use super::error::{at, chain, SourceError};
use super::lang;
use super::literal;
use super::rule::Rule;

/// Reads and compiles the rule file at root-relative `file`: the rules that
/// are not turned off, and the bytes they were compiled from (what the scan
/// cache fingerprints: read once, so the two cannot disagree).
pub(crate) fn load(root: &Path, file: &str) -> Result<(Vec<Rule>, Vec<u8>), SourceError> {
    let fail = |place: &str, problem: String| SourceError::RuleFile {
        file: file.to_owned(),
        at: at(place),
        problem,
    };
    // Inside the root, not through a symlink leading out of it, a regular
    // file of a bounded size (SPEC §12.6).
    let bytes = stablegate_io::read::file_in_root(root, file, stablegate_io::read::TEXT_LIMIT)
        .map_err(|err| fail("", format!("cannot read the rule file: {err}")))?;
    let text = stablegate_keys::decode_source(&bytes)
        .map_err(|err| fail("", format!("the rule file is {err}")))?;
    let rules = parse(&text).map_err(|(place, problem)| fail(&place, problem))?;
    Ok((rules, bytes))
}

/// Compiles a rule file's text; on failure, the place and the problem.
fn parse(text: &str) -> Result<Vec<Rule>, (String, String)> {
    let documents: Vec<SerializableRuleConfig<SupportLang>> = ast_grep_config::from_multiple(text)
        .map_err(|err| {
            // The YAML library's own rendering adds a code frame naming the
            // file `<input>`; stablegate has one diagnostic renderer, so only
            // the message and the place are kept.
            let bare = err.without_snippet().to_string();
            let place = err.location().map(|at| (at.line(), at.column()));
            (String::new(), yaml_problem(&bare, place))
        })?;
    if documents.is_empty() {
        return Err((String::new(), "the rule file holds no rule".to_owned()));
    }
    let globals = GlobalRules::default();
    let mut rules = Vec::new();
    for (index, document) in documents.into_iter().enumerate() {
        if document.id.trim().is_empty() {
            return Err((
                format!("document {}", index + 1),
                "the rule has no `id`".to_owned(),
            ));
        }
        let place = format!("rule `{}`", document.id);
        lang::check(document.language).map_err(|problem| (place.clone(), problem.to_string()))?;
        let requirement = requirement(&document);
        let globs = |field: &str, value: Option<Value>| {
            compile_globs(value).map_err(|problem| (place.clone(), format!("`{field}`: {problem}")))
        };
        let files = globs("files", to_value(&document.files))?;
        let ignores = globs("ignores", to_value(&document.ignores))?;
        let config = RuleConfig::try_from(document, &globals)
            .map_err(|err| (place.clone(), format!("invalid rule: {}", chain(&err))))?;
        if config.severity != Severity::Off {
            rules.push(Rule::config(config, files, ignores, requirement));
        }
    }
    Ok(rules)
}

/// `not an ast-grep rule file: line L column C: what`, from the YAML
/// library's message without its code frame (which ends in ` at line L,
/// column C`).
fn yaml_problem(bare: &str, place: Option<(u64, u64)>) -> String {
    let message = match bare.rfind(" at line ") {
        Some(at) if bare[at..].contains(", column ") => &bare[..at],
        _ => bare,
    };
    match place {
        Some((line, column)) => {
            format!("not an ast-grep rule file: line {line} column {column}: {message}")
        }
        None => format!("not an ast-grep rule file: {message}"),
    }
}

/// The prefilter of a rule, from its serialised `rule` and local `utils`.
fn requirement(document: &SerializableRuleConfig<SupportLang>) -> literal::Requirement {
    let rule = to_value(&document.core.rule).unwrap_or(Value::Null);
    let utils: HashMap<String, Value> = (document.core.utils.iter().flatten())
        .filter_map(|(id, util)| Some((id.clone(), to_value(util)?)))
        .collect();
    literal::of_rule(&rule, &utils, document.language)
}

fn to_value<T: serde::Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value)
        .ok()
        .filter(|value| !value.is_null())
}

/// ast-grep's `files`/`ignores` list (strings or `{glob, caseInsensitive}`),
/// compiled as ast-grep compiles it (`*` may cross `/`).
fn compile_globs(value: Option<Value>) -> Result<Option<GlobSet>, String> {
    let Some(Value::Array(entries)) = value else {
        return Ok(None);
    };
    let mut builder = GlobSetBuilder::new();
    for entry in &entries {
        let (glob, case_insensitive) = match entry {
            Value::String(glob) => (glob.as_str(), false),
            Value::Object(fields) => (
                fields
                    .get("glob")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                fields
                    .get("caseInsensitive")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            ),
            _ => return Err("expected a glob".to_owned()),
        };
        if glob.starts_with("./") {
            return Err(format!(
                "glob `{glob}` starts with `./`, which never matches (paths are relative to the project root); write `{}`",
                glob.trim_start_matches("./")
            ));
        }
        let compiled = GlobBuilder::new(glob)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|err| format!("invalid glob `{glob}`: {}", err.kind()))?;
        builder.add(compiled);
    }
    builder.build().map(Some).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|rule| rule.id.to_string())
            .collect()
    }

    #[test]
    fn documents_are_rules_and_empty_ones_are_skipped() {
        let text = "id: a\nlanguage: python\nrule: {pattern: eval($X)}\n---\n---\nid: b\nlanguage: Python\nrule: {kind: call}\n";
        assert_eq!(ids(text), ["a", "b"]);
    }

    #[test]
    fn severity_off_turns_a_rule_off() {
        let text = "id: a\nlanguage: python\nseverity: off\nrule: {pattern: eval($X)}\n";
        assert!(ids(text).is_empty());
    }

    #[test]
    fn a_rule_without_id_is_refused_by_document_number() {
        let text = "id: a\nlanguage: python\nrule: {kind: call}\n---\nlanguage: python\nrule: {kind: call}\n";
        let (place, problem) = parse(text).err().unwrap();
        assert_eq!(place, "document 2");
        assert!(problem.contains("no `id`"), "{problem}");
    }

    #[test]
    fn unknown_keys_and_bad_rules_name_the_rule() {
        let (place, problem) = parse("id: a\nlanguage: python\nrule: {kind: call}\nfoo: 1\n")
            .err()
            .unwrap();
        assert_eq!(place, "");
        assert!(problem.contains("foo"), "{problem}");
        let (place, problem) = parse("id: a\nlanguage: python\nrule: {kind: no_such_kind}\n")
            .err()
            .unwrap();
        assert_eq!(place, "rule `a`");
        assert!(problem.starts_with("invalid rule"), "{problem}");
    }

    #[test]
    fn yaml_errors_name_line_and_column_without_a_code_frame() {
        let (_, problem) = parse("id: g\nlanguage: python\nrule: [\n").err().unwrap();
        assert_eq!(
            problem,
            "not an ast-grep rule file: line 3 column 7: unclosed bracket '['"
        );
        let (_, problem) = parse("id: g\nlanguage: python\nrule:\n  patern: x\n")
            .err()
            .unwrap();
        assert!(
            problem
                .starts_with("not an ast-grep rule file: line 3 column 1: unknown field `patern`"),
            "{problem}"
        );
        assert!(
            !problem.contains("<input>") && !problem.contains('\n'),
            "{problem}"
        );
    }

    #[test]
    fn a_language_without_its_grammar_is_refused_before_compiling() {
        let (place, problem) = parse("id: a\nlanguage: zig\nrule: {kind: call}\n")
            .err()
            .unwrap();
        assert_eq!(place, "rule `a`");
        assert!(problem.contains("not built into"), "{problem}");
    }

    #[test]
    fn a_dot_slash_glob_is_refused_instead_of_matching_nothing() {
        let text = "id: a\nlanguage: python\nrule: {kind: call}\nfiles: ['./src/**']\n";
        let (_, problem) = parse(text).err().unwrap();
        assert!(problem.contains("write `src/**`"), "{problem}");
    }

    #[test]
    fn files_and_ignores_apply_like_ast_grep() {
        let text = "id: a\nlanguage: python\nrule: {kind: call}\nfiles: ['src/**/*.py']\nignores: [{glob: '**/TEST_*.py', caseInsensitive: true}]\n";
        let rules = parse(text).unwrap();
        assert!(rules[0].applies_to("src/pkg/a.py"));
        assert!(!rules[0].applies_to("src/pkg/test_a.py"));
        assert!(!rules[0].applies_to("lib/a.py"));
    }
}
