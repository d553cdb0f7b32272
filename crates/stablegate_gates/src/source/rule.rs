//! A compiled ast-grep rule: what a parsed file is matched against.
//!
//! Both `pattern`/`patterns` gates and `rule_file` gates end up as a list of
//! [`Rule`]s: an id (the finding's `rule`), a language, a matcher (a bare
//! pattern, or an ast-grep [`RuleConfig`] with its constraints and utils), the
//! rule file's `files`/`ignores` globs, and the prefilter [`Requirement`].
//! Compiling them is [`super::pattern`]'s and [`super::rule_file`]'s job;
//! deciding which files to read is [`super::scan`]'s.

use ast_grep_config::RuleConfig;
use ast_grep_core::tree_sitter::StrDoc;
use ast_grep_core::{AstGrep, NodeMatch, Pattern};
use ast_grep_language::SupportLang;
use globset::GlobSet;
use stablegate_model::SharedStr;

use super::literal::Requirement;

/// A parsed file, as ast-grep holds it.
pub(crate) type Parsed = AstGrep<StrDoc<SupportLang>>;

/// One rule, ready to match.
pub(crate) struct Rule {
    /// The finding's `rule`: the rule file's `id`, or the gate's name.
    pub id: SharedStr,
    pub lang: SupportLang,
    matcher: Matcher,
    /// A rule file's `files` globs: when present, only matching paths.
    files: Option<GlobSet>,
    /// A rule file's `ignores` globs: matching paths are skipped.
    ignores: Option<GlobSet>,
    pub requirement: Requirement,
}

enum Matcher {
    Pattern(Pattern),
    Config(Box<RuleConfig<SupportLang>>),
}

/// Where a rule matched, in the decoded text of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    /// Byte offset of the matched node's start.
    pub offset: usize,
    /// 0-based row of the start, and of the end.
    pub row: usize,
    pub end_row: usize,
    /// Byte offset of the start within its line.
    pub byte_column: usize,
    /// The rule's message with metavariables filled in, if it has one.
    pub message: Option<String>,
}

impl Rule {
    /// A bare pattern (no path globs).
    pub(crate) fn pattern(id: SharedStr, lang: SupportLang, pattern: Pattern) -> Self {
        let requirement = super::literal::of_pattern(&pattern, lang);
        Rule {
            id,
            lang,
            matcher: Matcher::Pattern(pattern),
            files: None,
            ignores: None,
            requirement,
        }
    }

    /// A rule of a rule file.
    pub(crate) fn config(
        config: RuleConfig<SupportLang>,
        files: Option<GlobSet>,
        ignores: Option<GlobSet>,
        requirement: Requirement,
    ) -> Self {
        Rule {
            id: SharedStr::from(config.id.as_str()),
            lang: config.language,
            matcher: Matcher::Config(Box::new(config)),
            files,
            ignores,
            requirement,
        }
    }

    /// Whether the rule's `files`/`ignores` let it run on a root-relative
    /// path (ast-grep's order: `ignores` first, then `files`).
    pub(crate) fn applies_to(&self, path: &str) -> bool {
        if self.ignores.as_ref().is_some_and(|set| set.is_match(path)) {
            return false;
        }
        self.files.as_ref().is_none_or(|set| set.is_match(path))
    }

    /// Every match in a parsed file, in document order.
    pub(crate) fn find_all(&self, parsed: &Parsed) -> Vec<Match> {
        let root = parsed.root();
        match &self.matcher {
            Matcher::Pattern(pattern) => root.find_all(pattern).map(|m| locate(&m, None)).collect(),
            Matcher::Config(config) => {
                // Filling in metavariables builds a template per match: only
                // do it for messages that have some.
                let fixed = Some(config.message.trim())
                    .filter(|text| !text.is_empty() && !text.contains('$'))
                    .map(str::to_owned);
                let templated = config.message.contains('$');
                (root.find_all(&config.matcher))
                    .map(|m| {
                        let message = if templated {
                            Some(config.get_message(&m)).filter(|text| !text.trim().is_empty())
                        } else {
                            fixed.clone()
                        };
                        locate(&m, message)
                    })
                    .collect()
            }
        }
    }
}

fn locate(found: &NodeMatch<'_, StrDoc<SupportLang>>, message: Option<String>) -> Match {
    let node = found.get_node();
    let start = node.start_pos();
    let (row, byte_column) = start.byte_point();
    Match {
        offset: node.range().start,
        row,
        end_row: node.end_pos().line(),
        byte_column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use globset::{Glob, GlobSetBuilder};

    fn python(src: &str) -> Parsed {
        AstGrep::try_new(src, SupportLang::Python).unwrap()
    }

    #[test]
    fn a_pattern_rule_finds_every_match_with_its_place() {
        let pattern = Pattern::try_new("eval($X)", SupportLang::Python).unwrap();
        let rule = Rule::pattern("gate".into(), SupportLang::Python, pattern);
        let found = rule.find_all(&python("a = 1\nb = eval(a)\nif x:\n    eval(\n  b)\n"));
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].row, found[0].byte_column, found[0].offset),
            (1, 4, 10)
        );
        assert_eq!(
            (found[1].row, found[1].end_row, found[1].message.clone()),
            (3, 4, None)
        );
    }

    #[test]
    fn ignores_win_over_files() {
        let set = |glob: &str| {
            let mut builder = GlobSetBuilder::new();
            builder.add(Glob::new(glob).unwrap());
            Some(builder.build().unwrap())
        };
        let pattern = Pattern::try_new("x", SupportLang::Python).unwrap();
        let mut rule = Rule::pattern("r".into(), SupportLang::Python, pattern);
        rule.files = set("src/**");
        rule.ignores = set("**/test_*.py");
        assert!(rule.applies_to("src/a.py"));
        assert!(!rule.applies_to("src/test_a.py"));
        assert!(!rule.applies_to("lib/a.py"));
    }
}
