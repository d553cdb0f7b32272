//! Runs of a pattern's terminals that a match holds side by side.
//!
//! The word prefilter ([`super::literal`]) asks that every identifier of a
//! pattern occur somewhere in a file. In a tree where a rule's words are
//! common (`json` and `load` in most files) that parses nearly every file. A
//! *run* asks more: the pattern's consecutive terminals (`json` `.` `load`)
//! must occur in that order with nothing between them but what ast-grep can
//! skip there. Which text that is follows from how ast-grep matches a pattern
//! (ast-grep-core's `match_tree`, `smart` strictness and the stricter ones):
//!
//! - a pattern node's children are matched against a candidate's children in
//!   order; a candidate child may be skipped only when it is a comment (an
//!   "extra") or an unnamed token (punctuation, a keyword);
//! - once a pattern node's children are all matched, the candidate's *further*
//!   children are skipped whatever they are. So a run ends at the end of
//!   every pattern node that has children: the next terminal may lie after
//!   arbitrary code (`if c:\n  a()\n  other()\nelse: …` matches a pattern
//!   without `other()`);
//! - a metavariable matches arbitrary code: runs end there too;
//! - a named terminal (identifier, number, string piece) matches only a node
//!   of the same text, a slice of the file; an unnamed terminal matches by
//!   kind, and in most grammars the kind *is* the text (`(`, `.`, `not`).
//!
//! - a node's text is not always covered by its children: string-like nodes
//!   hold hidden tokens (Python's string content between escape sequences, a
//!   JavaScript template's characters) that ast-grep never compares. Runs do
//!   not enter such nodes ([`is_opaque`]: kinds named like strings,
//!   templates, characters, regexes, comments, text and literals) and end on
//!   either side of them.
//!
//! So between two terminals of a run the file may hold only the gap of the
//! language ([`Grammar::gap`]): whitespace and other non-word bytes, comments,
//! and the words of the grammar's unnamed tokens. Unnamed terminals become
//! part of a run only where their text is certain: not under the `ast` and
//! `relaxed` strictness (which may skip them), not for kinds whose name has
//! a space (an alias such as Python's `not in`, written `not  in` too) and not
//! for TypeScript/TSX (whose unnamed tokens can carry a wrong span, which
//! ast-grep works around by comparing kinds only). A pattern holding an
//! `ERROR` node gives no runs: an `ERROR` goal matches any kind.
//!
//! An identifier ending in an ASCII word character is followed by a word
//! boundary (`load` does not occur in `loads`): tokenizers munch identifiers
//! whole. Languages whose comment syntax is not known here get no runs. The
//! soundness of all this is tested by comparing prefiltered and unfiltered
//! scans over real corpora (`tests/source/prefilter.rs`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ast_grep_core::matcher::PatternNode;
use ast_grep_core::tree_sitter::LanguageExt;
use ast_grep_core::MatchStrictness;
use ast_grep_language::SupportLang;

/// One terminal of a run: its text, and whether a word boundary follows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Piece {
    pub text: String,
    pub boundary: bool,
}

/// What a language allows between two terminals of a run, and which unnamed
/// kinds have a certain text.
pub(crate) struct Grammar {
    lang: SupportLang,
    /// Regex source of one gap element.
    gap: String,
    /// Kind names of the grammar, by kind id.
    names: Vec<String>,
}

impl Grammar {
    /// The grammar of `lang`, built once per process; `None` when its comment
    /// syntax is not known here.
    pub(crate) fn of(lang: SupportLang) -> Option<&'static Grammar> {
        static CACHE: OnceLock<Mutex<HashMap<SupportLang, Option<&'static Grammar>>>> =
            OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let mut cache = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *cache
            .entry(lang)
            .or_insert_with(|| Grammar::build(lang).map(|grammar| &*Box::leak(Box::new(grammar))))
    }

    fn build(lang: SupportLang) -> Option<Grammar> {
        let comments = match lang {
            SupportLang::Python => r"#[^\n]*",
            SupportLang::JavaScript | SupportLang::TypeScript | SupportLang::Tsx => {
                r"//[^\n]*|/\*(?s:.)*?\*/|<!--[^\n]*|-->[^\n]*"
            }
            SupportLang::Go | SupportLang::Rust | SupportLang::Java => r"//[^\n]*|/\*(?s:.)*?\*/",
            _ => return None,
        };
        let language = lang.get_ts_language();
        let count = u16::try_from(language.node_kind_count()).unwrap_or(u16::MAX);
        let mut names = Vec::with_capacity(usize::from(count));
        let mut words: Vec<String> = Vec::new();
        for id in 0..count {
            let name = language.node_kind_for_id(id).unwrap_or_default();
            names.push(name.to_owned());
            if language.node_kind_is_named(id) || !language.node_kind_is_visible(id) {
                continue;
            }
            for word in name.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if !word.is_empty() {
                    words.push(regex::escape(word));
                }
            }
        }
        words.sort();
        words.dedup();
        // Longest first, so that the alternation reads well; the regex engine
        // finds a match whatever the order.
        words.sort_by_key(|word| std::cmp::Reverse(word.len()));
        let mut gap = format!(r"(?-u:[^0-9A-Za-z_])|{comments}");
        if !words.is_empty() {
            gap.push('|');
            gap.push_str(&words.join("|"));
        }
        Some(Grammar { lang, gap, names })
    }

    /// The regex source of a run: its pieces with gaps between them.
    pub(crate) fn regex_source(&self, run: &[Piece]) -> String {
        let mut source = String::new();
        for (index, piece) in run.iter().enumerate() {
            if index > 0 {
                source.push_str("(?:");
                source.push_str(&self.gap);
                source.push_str(")*");
            }
            source.push_str(&regex::escape(&piece.text));
            if piece.boundary {
                source.push_str(r"(?-u:\b)");
            }
        }
        source
    }

    /// The runs of at least two terminals of a pattern matched with
    /// `strictness`.
    pub(crate) fn runs(&self, node: &PatternNode, strictness: &MatchStrictness) -> Vec<Vec<Piece>> {
        use MatchStrictness as S;
        let with_unnamed = matches!(strictness, S::Cst | S::Smart)
            && !matches!(self.lang, SupportLang::TypeScript | SupportLang::Tsx);
        let mut runs = Vec::new();
        // Each piece with whether it is a named terminal.
        let mut current: Vec<(Piece, bool)> = Vec::new();
        let mut end = |current: &mut Vec<(Piece, bool)>| {
            // Unnamed terminals count only between named ones: right after an
            // ellipsis ast-grep skips the pattern's unnamed terminals, and
            // before one it may not need them either.
            let first = current.iter().position(|(_, named)| *named);
            let last = current.iter().rposition(|(_, named)| *named);
            if let (Some(first), Some(last)) = (first, last) {
                if last > first {
                    runs.push(
                        current
                            .drain(first..=last)
                            .map(|(piece, _)| piece)
                            .collect(),
                    );
                }
            }
            current.clear();
        };
        // Pre-order walk; `None` marks the end of a node with children.
        let mut stack: Vec<Option<&PatternNode>> = vec![Some(node)];
        while let Some(next) = stack.pop() {
            let Some(node) = next else {
                end(&mut current);
                continue;
            };
            match node {
                PatternNode::MetaVar { .. } => end(&mut current),
                PatternNode::Internal { kind_id, children } => {
                    if self.is_error(*kind_id) {
                        return Vec::new();
                    }
                    if is_opaque(self.name(*kind_id)) {
                        end(&mut current);
                        continue;
                    }
                    stack.push(None);
                    stack.extend(children.iter().rev().map(Some));
                }
                PatternNode::Terminal {
                    text,
                    is_named,
                    kind_id,
                } => {
                    if self.is_error(*kind_id) {
                        return Vec::new();
                    }
                    let name = self.name(*kind_id);
                    if name.contains("comment") || text.is_empty() {
                        end(&mut current);
                    } else if *is_named || (with_unnamed && name == text && !text.contains(' ')) {
                        let boundary = text
                            .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                            && text
                                .starts_with(|c: char| c.is_alphabetic() || c == '_' || c == '$');
                        let piece = Piece {
                            text: text.clone(),
                            boundary,
                        };
                        current.push((piece, *is_named));
                    }
                    // An unnamed terminal left out is part of the gap: the
                    // gap allows its text, present or not.
                }
            }
        }
        end(&mut current);
        runs
    }

    fn name(&self, kind: u16) -> &str {
        self.names.get(usize::from(kind)).map_or("", String::as_str)
    }

    fn is_error(&self, kind: u16) -> bool {
        kind == u16::MAX || self.name(kind) == "ERROR"
    }
}

/// Whether a node of this kind may hold text that none of its children
/// covers (see the module doc). Judged by name across the grammars, and
/// checked by the soundness tests over real code.
fn is_opaque(kind: &str) -> bool {
    const WORDS: &[&str] = &[
        "string",
        "template",
        "char",
        "regex",
        "heredoc",
        "comment",
        "text",
        "content",
        "interpolation",
        "literal",
        "fragment",
    ];
    WORDS.iter().any(|word| kind.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ast_grep_core::Pattern;

    fn runs(pattern: &str) -> Vec<Vec<String>> {
        let pattern = Pattern::try_new(pattern, SupportLang::Python).unwrap();
        let grammar = Grammar::of(SupportLang::Python).unwrap();
        (grammar.runs(&pattern.node, &pattern.strictness).into_iter())
            .map(|run| run.into_iter().map(|piece| piece.text).collect())
            .collect()
    }

    fn regex(pattern: &str) -> regex::bytes::Regex {
        let pattern = Pattern::try_new(pattern, SupportLang::Python).unwrap();
        let grammar = Grammar::of(SupportLang::Python).unwrap();
        let run = grammar.runs(&pattern.node, &pattern.strictness).remove(0);
        regex::bytes::Regex::new(&grammar.regex_source(&run)).unwrap()
    }

    #[test]
    fn a_run_ends_at_metavariables_and_at_the_end_of_each_node() {
        assert_eq!(runs("json.load($F)"), [["json", ".", "load"]]);
        assert!(runs("$A.$B").is_empty());
        assert_eq!(runs("os.path.join($$$)"), [["os", ".", "path"]]);
        // After an ellipsis ast-grep may skip `,`: only named ends count.
        assert_eq!(runs("f($$$, x, y)"), [["x", ",", "y"]]);
        // A string's content between escapes is never compared: no run enters it.
        assert_eq!(runs(r#"x = "[a]\nb = c""#), Vec::<Vec<String>>::new());
        assert_eq!(runs(r#"f(a, "s\n", b)"#), [["f", "(", "a"]]);
    }

    #[test]
    fn a_run_allows_comments_continuations_and_keywords_between_terminals() {
        let json_load = regex("json.load($F)");
        assert!(json_load.is_match(b"x = json.load(f)"));
        assert!(json_load.is_match(b"x = (json  # why\n   .load)(f)"));
        assert!(json_load.is_match(b"x = json \\\n .load(f)"));
        assert!(!json_load.is_match(b"x = json.loads(f)"));
        assert!(!json_load.is_match(b"json.dump(x); load(f)"));
        assert!(regex("not_a_keyword(a, b)").is_match(b"not_a_keyword (\n a, b,)"));
    }
}
