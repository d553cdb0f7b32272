//! The prefilter: text a file must contain before it is worth parsing.
//!
//! Parsing is where scanning time goes, and most files cannot match a
//! selective rule. A [`Requirement`] is a set of literals of which every match
//! needs at least one in the file's text; a file containing none is not
//! parsed. It must be sound (never skip a file that has a match), so literals
//! are derived only where ast-grep's matching guarantees them:
//!
//! - a pattern: the longest text of a *named* terminal (identifier, number,
//!   string content, …) of the compiled pattern, metavariables excluded. Under
//!   the `cst`, `smart` (the default), `ast` and `relaxed` strictness, ast-grep
//!   matches a named terminal only against a node of the same kind and the
//!   same text, and a node's text is a slice of the file. Unnamed terminals
//!   (`(`, `.`, keywords) are matched by kind alone, so they are not used;
//!   under `signature` and `template` strictness no literal is derived.
//! - a rule object: its fields all hold, so the most selective requirement
//!   among `pattern`, each of `all`, the targets of `inside`, `has`,
//!   `precedes`, `follows` (those nodes must exist in the same file) and a
//!   local util named by `matches`; `any` needs every branch to have a
//!   requirement and yields their union. `not`, `kind`, `regex`, `nthChild`,
//!   `range`, `constraints` and parameterised utils yield nothing.
//!
//! The rule is walked in its serialised form (ast-grep's own serde model), so
//! no private ast-grep type is needed. Soundness is tested against the
//! unfiltered scan over the Python standard library (`tests/source_prefilter.rs`).

use std::collections::HashMap;

use ast_grep_core::matcher::PatternNode;
use ast_grep_core::{MatchStrictness, Pattern};
use ast_grep_language::SupportLang;
use memchr::memmem::Finder;
use serde_json::Value;

/// Literals of which a file must contain at least one; no literal: every
/// file qualifies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Requirement {
    finders: Vec<Finder<'static>>,
}

impl Requirement {
    fn new(literals: Option<Vec<String>>) -> Self {
        let finders = (literals.unwrap_or_default().iter())
            .map(|literal| Finder::new(literal.as_bytes()).into_owned())
            .collect();
        Requirement { finders }
    }

    /// Whether `text` may hold a match.
    pub(crate) fn is_met(&self, text: &[u8]) -> bool {
        self.finders.is_empty() || self.finders.iter().any(|f| f.find(text).is_some())
    }

    /// The literals, for tests.
    #[cfg(test)]
    pub(crate) fn literals(&self) -> Vec<String> {
        (self.finders.iter())
            .map(|f| String::from_utf8_lossy(f.needle()).into_owned())
            .collect()
    }
}

/// The requirement of a compiled pattern.
pub(crate) fn of_pattern(pattern: &Pattern) -> Requirement {
    Requirement::new(pattern_literal(pattern).map(|literal| vec![literal]))
}

/// The requirement of an ast-grep rule (`rule:` of a rule file, serialised)
/// with its local `utils`.
pub(crate) fn of_rule(
    rule: &Value,
    utils: &HashMap<String, Value>,
    lang: SupportLang,
) -> Requirement {
    let mut visiting = Vec::new();
    Requirement::new(rule_literals(rule, utils, lang, &mut visiting))
}

fn pattern_literal(pattern: &Pattern) -> Option<String> {
    use MatchStrictness as S;
    if !matches!(pattern.strictness, S::Cst | S::Smart | S::Ast | S::Relaxed) {
        return None;
    }
    let mut best: Option<&str> = None;
    let mut stack = vec![&pattern.node];
    while let Some(node) = stack.pop() {
        match node {
            PatternNode::Terminal {
                text,
                is_named: true,
                ..
            } if !text.is_empty() && best.is_none_or(|b| text.len() > b.len()) => {
                best = Some(text);
            }
            PatternNode::Internal { children, .. } => stack.extend(children.iter().rev()),
            _ => {}
        }
    }
    best.map(str::to_owned)
}

/// `None`: no requirement; `Some(alternatives)`: at least one must occur.
fn rule_literals(
    rule: &Value,
    utils: &HashMap<String, Value>,
    lang: SupportLang,
    visiting: &mut Vec<String>,
) -> Option<Vec<String>> {
    let Value::Object(fields) = rule else {
        return None;
    };
    let mut best = None;
    if let Some(pattern) = fields.get("pattern") {
        let literal = compile_pattern(pattern, lang)
            .as_ref()
            .and_then(pattern_literal);
        best = better(best, literal.map(|literal| vec![literal]));
    }
    if let Some(Value::Array(all)) = fields.get("all") {
        for rule in all {
            best = better(best, rule_literals(rule, utils, lang, visiting));
        }
    }
    if let Some(Value::Array(any)) = fields.get("any") {
        let mut union = Some(Vec::new());
        for rule in any {
            union = match (union, rule_literals(rule, utils, lang, visiting)) {
                (Some(mut acc), Some(more)) => {
                    acc.extend(more);
                    Some(acc)
                }
                _ => None,
            };
        }
        best = better(best, union.filter(|alternatives| !alternatives.is_empty()));
    }
    for relation in ["inside", "has", "precedes", "follows"] {
        if let Some(target) = fields.get(relation) {
            best = better(best, rule_literals(target, utils, lang, visiting));
        }
    }
    if let Some(Value::String(id)) = fields.get("matches") {
        if let Some(util) = utils.get(id).filter(|_| !visiting.contains(id)) {
            visiting.push(id.clone());
            best = better(best, rule_literals(util, utils, lang, visiting));
            visiting.pop();
        }
    }
    best
}

/// A `pattern:` value (a string, or `{context, selector, strictness}`)
/// compiled as ast-grep compiles it.
fn compile_pattern(value: &Value, lang: SupportLang) -> Option<Pattern> {
    match value {
        Value::String(source) => Pattern::try_new(source, lang).ok(),
        Value::Object(style) => {
            let context = style.get("context")?.as_str()?;
            let mut pattern = match style.get("selector").and_then(Value::as_str) {
                Some(selector) => Pattern::contextual(context, selector, lang).ok()?,
                None => Pattern::try_new(context, lang).ok()?,
            };
            if let Some(strictness) = style.get("strictness") {
                pattern.strictness = strictness.as_str()?.parse().ok()?;
            }
            Some(pattern)
        }
        _ => None,
    }
}

/// The more selective of two requirements: the one whose shortest literal is
/// longer, then the one with fewer alternatives.
fn better(a: Option<Vec<String>>, b: Option<Vec<String>>) -> Option<Vec<String>> {
    fn score(alternatives: &[String]) -> (usize, std::cmp::Reverse<usize>) {
        let shortest = alternatives.iter().map(String::len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(alternatives.len()))
    }
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PY: SupportLang = SupportLang::Python;

    fn of(pattern: &str) -> Vec<String> {
        of_pattern(&Pattern::try_new(pattern, PY).unwrap()).literals()
    }

    fn rule(rule: Value) -> Vec<String> {
        of_rule(&rule, &HashMap::new(), PY).literals()
    }

    #[test]
    fn a_pattern_requires_its_longest_named_terminal() {
        assert_eq!(of("json.loads($X)"), ["loads"]);
        assert_eq!(of("subprocess.run($$$ARGS, shell=True)"), ["subprocess"]);
    }

    #[test]
    fn metavariables_and_punctuation_require_nothing() {
        assert!(of("$A.$B").is_empty());
        assert!(of("$F($$$)").is_empty());
    }

    #[test]
    fn signature_strictness_derives_no_literal() {
        let value = json!({"pattern": {"context": "eval($X)", "strictness": "signature"}});
        assert!(rule(value).is_empty());
        let value = json!({"pattern": {"context": "eval($X)", "strictness": "relaxed"}});
        assert_eq!(rule(value), ["eval"]);
    }

    #[test]
    fn all_keeps_the_most_selective_and_inside_counts() {
        let value = json!({"all": [{"kind": "call"}, {"pattern": "os.$F($$$)"}],
                           "inside": {"pattern": "def $N(): $$$", "stopBy": "end"},
                           "has": {"pattern": "tempfile_name", "stopBy": {"pattern": "zzz_never_used"}}});
        assert_eq!(rule(value), ["tempfile_name"]);
    }

    #[test]
    fn any_needs_every_branch_and_yields_the_union() {
        let value =
            json!({"any": [{"pattern": "pickle.load($X)"}, {"pattern": "marshal.loads($X)"}]});
        assert_eq!(rule(value), ["pickle", "marshal"]);
        let value = json!({"any": [{"pattern": "pickle.load($X)"}, {"kind": "call"}]});
        assert!(rule(value).is_empty());
    }

    #[test]
    fn not_regex_and_kind_require_nothing() {
        assert!(rule(json!({"not": {"pattern": "secret_value"}, "kind": "call"})).is_empty());
        assert!(rule(json!({"regex": "^eval$"})).is_empty());
    }

    #[test]
    fn local_utils_are_followed_once_even_when_cyclic() {
        let utils: HashMap<String, Value> = [
            (
                "a".to_owned(),
                json!({"any": [{"matches": "b"}, {"pattern": "alpha_call()"}]}),
            ),
            ("b".to_owned(), json!({"matches": "a"})),
        ]
        .into();
        let literals = of_rule(&json!({"matches": "a"}), &utils, PY).literals();
        assert!(literals.is_empty(), "{literals:?}");
        let utils: HashMap<String, Value> =
            [("u".to_owned(), json!({"pattern": "yaml.load($X)"}))].into();
        assert_eq!(
            of_rule(&json!({"matches": "u"}), &utils, PY).literals(),
            ["yaml"]
        );
    }

    #[test]
    fn is_met_needs_one_alternative_or_none_at_all() {
        let requirement = Requirement::new(Some(vec!["pickle".into(), "marshal".into()]));
        assert!(requirement.is_met(b"import marshal"));
        assert!(!requirement.is_met(b"import json"));
        assert!(Requirement::default().is_met(b""));
    }
}
