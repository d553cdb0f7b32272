//! The prefilter: text a file must contain before it is worth parsing.
//!
//! Parsing is where scanning time goes, and most files cannot match a
//! selective rule. A [`Requirement`] is a conjunction of clauses, each a set
//! of alternatives of which the file's text must contain at least one; a file
//! that fails a clause is not parsed. An alternative is a word (a literal
//! searched with `memchr`) or a run of terminals that must stand side by side
//! ([`super::adjacency`]: `json` `.` `load`, which `json.loads` and a file
//! holding `json` and `load` apart do not satisfy). It must be sound (never
//! skip a file that has a match), so clauses are derived only where
//! ast-grep's matching guarantees them:
//!
//! - a pattern: one clause per distinct text of a *named* terminal
//!   (identifier, number, string content, …) of the compiled pattern,
//!   metavariables excluded, and one per run. Under the `cst`, `smart` (the
//!   default), `ast` and `relaxed` strictness, ast-grep matches every named
//!   terminal of a pattern against a node of the same kind and the same text,
//!   and a node's text is a slice of the file. Unnamed terminals (`(`, `.`,
//!   keywords) are matched by kind alone, so they are used only inside runs,
//!   where [`super::adjacency`] says when; under `signature` and `template`
//!   strictness nothing is derived.
//! - a rule object: its fields all hold, so the clauses of `pattern`, of each
//!   rule of `all`, of the targets of `inside`, `has`, `precedes` and
//!   `follows` (those nodes exist in the same file) and of a local util named
//!   by `matches`, together; `any` needs a clause from every branch and
//!   yields one clause, the union of each branch's most selective clause.
//!   `not`, `kind`, `regex`, `nthChild`, `range`, `constraints` and
//!   parameterised utils yield nothing.
//!
//! Dropping a clause only weakens a requirement, so at most [`MAX_CLAUSES`]
//! word clauses and [`MAX_RUN_CLAUSES`] clauses with runs are kept, the most
//! selective first; words are checked first (a `memchr` scan), runs (a regex
//! search) only in files that hold every word. For `json.loads($X)` that is
//! "contains `loads`, contains `json`, and holds `json . loads` side by side".
//! The rule is walked in its serialised form (ast-grep's own serde model), so
//! no private ast-grep type is needed. Soundness is tested against the
//! unfiltered scan over real corpora (`tests/source/prefilter.rs`).

use std::collections::HashMap;

use ast_grep_core::matcher::PatternNode;
use ast_grep_core::{MatchStrictness, Pattern};
use ast_grep_language::SupportLang;
use memchr::memmem::Finder;
use regex::bytes::Regex;
use serde_json::Value;

use super::adjacency::Grammar;

/// How many clauses are checked at most: each absent literal costs a scan of
/// the file, and four literals already rule out nearly every file that
/// cannot match.
const MAX_CLAUSES: usize = 4;

/// How many clauses with runs are checked at most: each is a regex search,
/// and one run already rules out nearly every file its words do not.
const MAX_RUN_CLAUSES: usize = 2;

/// One alternative of a clause: a word, or a run (the regex source, and the
/// length of its terminals' text, for ranking).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Alternative {
    Word(String),
    Run { length: usize, regex: String },
}

impl Alternative {
    /// How much text the alternative pins down.
    fn length(&self) -> usize {
        match self {
            Alternative::Word(word) => word.len(),
            Alternative::Run { length, .. } => *length,
        }
    }
}

/// Alternatives of which one must occur.
type Clause = Vec<Alternative>;

/// A compiled alternative.
#[derive(Debug, Clone)]
enum Needle {
    Word(Box<Finder<'static>>),
    Run(Regex),
}

impl Needle {
    fn occurs_in(&self, text: &[u8]) -> bool {
        match self {
            Needle::Word(finder) => finder.find(text).is_some(),
            Needle::Run(regex) => regex.is_match(text),
        }
    }
}

/// Clauses that must all hold; none: every file qualifies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Requirement {
    /// Word-only clauses first (cheap), then clauses with runs.
    clauses: Vec<Vec<Needle>>,
}

impl Requirement {
    fn new(mut clauses: Vec<Clause>) -> Self {
        for clause in &mut clauses {
            clause.sort();
            clause.dedup();
        }
        clauses.sort_by(|a, b| score(b).cmp(&score(a)).then_with(|| a.cmp(b)));
        clauses.dedup();
        let (runs, words): (Vec<Clause>, Vec<Clause>) = clauses.into_iter().partition(has_run);
        let kept =
            (words.into_iter().take(MAX_CLAUSES)).chain(runs.into_iter().take(MAX_RUN_CLAUSES));
        let clauses = kept
            .filter_map(|clause| clause.iter().map(compile).collect::<Option<Vec<Needle>>>())
            .collect();
        Requirement { clauses }
    }

    /// Whether `text` may hold a match.
    pub(crate) fn is_met(&self, text: &[u8]) -> bool {
        (self.clauses.iter()).all(|clause| clause.iter().any(|needle| needle.occurs_in(text)))
    }

    /// The clauses, for tests: words as they are, runs as their regex.
    #[cfg(test)]
    pub(crate) fn clauses(&self) -> Vec<Vec<String>> {
        (self.clauses.iter())
            .map(|clause| {
                (clause.iter())
                    .map(|needle| match needle {
                        Needle::Word(f) => String::from_utf8_lossy(f.needle()).into_owned(),
                        Needle::Run(regex) => format!("run:{}", regex.as_str()),
                    })
                    .collect()
            })
            .collect()
    }

    /// The word-only clauses, for tests.
    #[cfg(test)]
    pub(crate) fn word_clauses(&self) -> Vec<Vec<String>> {
        let mut clauses = self.clauses();
        clauses.retain(|clause| {
            clause
                .iter()
                .all(|alternative| !alternative.starts_with("run:"))
        });
        clauses
    }
}

/// A clause's needles; `None` (the clause is dropped, which only weakens
/// the requirement) if a run's regex does not compile, e.g. past the size
/// limit.
fn compile(alternative: &Alternative) -> Option<Needle> {
    match alternative {
        Alternative::Word(word) => Some(Needle::Word(Box::new(
            Finder::new(word.as_bytes()).into_owned(),
        ))),
        Alternative::Run { regex, .. } => Regex::new(regex).ok().map(Needle::Run),
    }
}

fn has_run(clause: &Clause) -> bool {
    clause
        .iter()
        .any(|alternative| matches!(alternative, Alternative::Run { .. }))
}

/// How selective a clause is: whether all its alternatives are runs, its
/// shortest alternative's length, then fewer alternatives.
fn score(clause: &Clause) -> (bool, usize, std::cmp::Reverse<usize>) {
    let runs = clause
        .iter()
        .all(|alternative| matches!(alternative, Alternative::Run { .. }));
    let shortest = clause.iter().map(Alternative::length).min().unwrap_or(0);
    (runs, shortest, std::cmp::Reverse(clause.len()))
}

/// The requirement of a compiled pattern of `lang`.
pub(crate) fn of_pattern(pattern: &Pattern, lang: SupportLang) -> Requirement {
    Requirement::new(pattern_clauses(pattern, lang))
}

/// The requirement of an ast-grep rule (`rule:` of a rule file, serialised)
/// with its local `utils`.
pub(crate) fn of_rule(
    rule: &Value,
    utils: &HashMap<String, Value>,
    lang: SupportLang,
) -> Requirement {
    let mut visiting = Vec::new();
    Requirement::new(rule_clauses(rule, utils, lang, &mut visiting))
}

fn pattern_clauses(pattern: &Pattern, lang: SupportLang) -> Vec<Clause> {
    use MatchStrictness as S;
    if !matches!(pattern.strictness, S::Cst | S::Smart | S::Ast | S::Relaxed) {
        return Vec::new();
    }
    let mut clauses = Vec::new();
    let mut stack = vec![&pattern.node];
    while let Some(node) = stack.pop() {
        match node {
            PatternNode::Terminal {
                text,
                is_named: true,
                ..
            } if !text.is_empty() => clauses.push(vec![Alternative::Word(text.clone())]),
            PatternNode::Internal { children, .. } => stack.extend(children.iter()),
            _ => {}
        }
    }
    if let Some(grammar) = Grammar::of(lang) {
        for run in grammar.runs(&pattern.node, &pattern.strictness) {
            let length = run.iter().map(|piece| piece.text.len()).sum();
            let regex = grammar.regex_source(&run);
            clauses.push(vec![Alternative::Run { length, regex }]);
        }
    }
    clauses
}

fn rule_clauses(
    rule: &Value,
    utils: &HashMap<String, Value>,
    lang: SupportLang,
    visiting: &mut Vec<String>,
) -> Vec<Clause> {
    let Value::Object(fields) = rule else {
        return Vec::new();
    };
    let mut clauses = Vec::new();
    if let Some(pattern) = fields.get("pattern") {
        if let Some(pattern) = compile_pattern(pattern, lang) {
            clauses.extend(pattern_clauses(&pattern, lang));
        }
    }
    if let Some(Value::Array(all)) = fields.get("all") {
        for rule in all {
            clauses.extend(rule_clauses(rule, utils, lang, visiting));
        }
    }
    if let Some(Value::Array(any)) = fields.get("any") {
        let mut union = Some(Vec::new());
        for rule in any {
            let best = rule_clauses(rule, utils, lang, visiting)
                .into_iter()
                .max_by_key(score);
            union = match (union, best) {
                (Some(mut acc), Some(best)) => {
                    acc.extend(best);
                    Some(acc)
                }
                _ => None,
            };
        }
        clauses.extend(union.filter(|alternatives| !alternatives.is_empty()));
    }
    for relation in ["inside", "has", "precedes", "follows"] {
        if let Some(target) = fields.get(relation) {
            clauses.extend(rule_clauses(target, utils, lang, visiting));
        }
    }
    if let Some(Value::String(id)) = fields.get("matches") {
        if let Some(util) = utils.get(id).filter(|_| !visiting.contains(id)) {
            visiting.push(id.clone());
            clauses.extend(rule_clauses(util, utils, lang, visiting));
            visiting.pop();
        }
    }
    clauses
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PY: SupportLang = SupportLang::Python;

    fn of(pattern: &str) -> Vec<Vec<String>> {
        of_pattern(&Pattern::try_new(pattern, PY).unwrap(), PY).word_clauses()
    }

    fn rule(rule: Value) -> Vec<Vec<String>> {
        of_rule(&rule, &HashMap::new(), PY).word_clauses()
    }

    fn clauses(clauses: &[&[&str]]) -> Vec<Vec<String>> {
        (clauses.iter())
            .map(|clause| {
                clause
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_pattern_requires_each_named_terminal_longest_first() {
        assert_eq!(of("json.loads($X)"), clauses(&[&["loads"], &["json"]]));
        let four = of("subprocess.run($$$ARGS, shell=True, check=False)");
        assert_eq!(
            four,
            clauses(&[&["subprocess"], &["False"], &["check"], &["shell"]])
        );
    }

    #[test]
    fn metavariables_and_punctuation_require_nothing() {
        assert!(of("$A.$B").is_empty());
        assert!(of("$F($$$)").is_empty());
    }

    #[test]
    fn signature_strictness_derives_nothing() {
        let value = json!({"pattern": {"context": "eval($X)", "strictness": "signature"}});
        assert!(rule(value).is_empty());
        let value = json!({"pattern": {"context": "eval($X)", "strictness": "relaxed"}});
        assert_eq!(rule(value), clauses(&[&["eval"]]));
    }

    #[test]
    fn all_and_relational_targets_add_clauses() {
        let value = json!({"all": [{"kind": "call"}, {"pattern": "os.$F($$$)"}],
                           "inside": {"pattern": "def $N(): $$$", "stopBy": "end"},
                           "has": {"pattern": "tempfile_name", "stopBy": {"pattern": "zzz_never_used"}}});
        assert_eq!(rule(value), clauses(&[&["tempfile_name"], &["os"]]));
    }

    #[test]
    fn any_needs_every_branch_and_yields_one_union_clause() {
        let value =
            json!({"any": [{"pattern": "pickle.load($X)"}, {"pattern": "marshal.loads($X)"}]});
        // Each branch's most selective clause is its run: one clause of two runs.
        let union = of_rule(&value, &HashMap::new(), PY).clauses();
        assert_eq!(union.len(), 1, "{union:?}");
        assert_eq!(union[0].len(), 2, "{union:?}");
        assert!(union[0].iter().any(|run| run.starts_with("run:marshal")));
        assert!(union[0].iter().any(|run| run.starts_with("run:pickle")));
        let value = json!({"any": [{"pattern": "pickle.load($X)"}, {"kind": "call"}]});
        assert!(of_rule(&value, &HashMap::new(), PY).clauses().is_empty());
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
        assert!(of_rule(&json!({"matches": "a"}), &utils, PY)
            .clauses()
            .is_empty());
        let utils: HashMap<String, Value> =
            [("u".to_owned(), json!({"pattern": "yaml.load($X)"}))].into();
        let found = of_rule(&json!({"matches": "u"}), &utils, PY).word_clauses();
        assert_eq!(found, clauses(&[&["load"], &["yaml"]]));
    }

    #[test]
    fn a_pattern_also_requires_its_terminals_side_by_side() {
        let requirement = of_pattern(&Pattern::try_new("json.load($F)", PY).unwrap(), PY);
        assert!(requirement.is_met(b"import json\nmeta = json.load(f)\n"));
        assert!(requirement.is_met(b"meta = json . load(f)  # spaced\n"));
        assert!(!requirement.is_met(b"import json\nmeta = json.loads(f)\nload(f)\n"));
        let any =
            json!({"any": [{"pattern": "pickle.load($X)"}, {"pattern": "marshal.loads($X)"}]});
        let requirement = of_rule(&any, &HashMap::new(), PY);
        assert!(requirement.is_met(b"marshal.loads(b)"));
        assert!(!requirement.is_met(b"marshal.dumps(pickle); loads(b)"));
    }

    #[test]
    fn is_met_needs_every_clause_and_one_alternative_of_each() {
        let words = |clauses: &[&[&str]]| -> Vec<Clause> {
            (clauses.iter())
                .map(|clause| {
                    clause
                        .iter()
                        .map(|s| Alternative::Word(s.to_string()))
                        .collect()
                })
                .collect()
        };
        let requirement = Requirement::new(words(&[&["pickle", "marshal"], &["loads"]]));
        assert!(requirement.is_met(b"import marshal; marshal.loads(b)"));
        assert!(!requirement.is_met(b"import marshal"));
        assert!(!requirement.is_met(b"json.loads(x)"));
        assert!(Requirement::default().is_met(b""));
    }
}
