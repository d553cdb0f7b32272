//! Content keys for stablegate: the `(file, qualname, token)` identity of a site.
//!
//! This crate turns source text into per-line keys. For Python it is an exact
//! emulation of what CPython 3.11's `tokenize` and `ast` modules compute
//! (SPEC §2.1): the token of a line is the code tokens starting on it, joined by
//! one space; the qualname is the innermost `def`/`class` whose span holds the
//! line. It never runs Python. It does not walk directories, read files or print:
//! callers hand it decoded text (see [`source`]) and get a [`FileKeys`] back.

mod language;
pub mod plain;
pub mod python;
pub mod source;
mod syntax;
mod text;

pub use language::{canonical_token_for, keys_for, leaves_for, Language};
pub use plain::{plain_keys, plain_text_key};
pub use python::python_keys;
pub use source::{decode_source, SourceError};
pub use syntax::leaves::Leaf;

/// The qualname of lines outside any function or class, and of every line of a
/// file that CPython cannot parse.
pub const MODULE_QUALNAME: &str = "<module>";

/// The keys of one file: for every line, its token (if it holds a code token)
/// and its qualname.
#[derive(Debug, Clone)]
pub struct FileKeys {
    /// Every line's token, one after the other.
    joined: String,
    /// `spans[i]` locates the token of line `i + 1` in `joined`; `None` when
    /// the line holds no code token.
    spans: Vec<Option<(u32, u32)>>,
    /// `qualnames[i]` indexes `names` for line `i + 1`; `u32::MAX` is `<module>`.
    qualnames: Vec<u32>,
    names: Vec<String>,
    parses: bool,
}

/// One keyed line, borrowed from a [`FileKeys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineKey<'a> {
    /// 1-based line number (a locator only).
    pub line: usize,
    /// Dotted name of the innermost enclosing scope, or `<module>`.
    pub qualname: &'a str,
    /// The line's code tokens joined by one space.
    pub token: &'a str,
}

/// A function or class scope: its dotted name and its inclusive line span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub qualname: String,
    pub start: usize,
    pub end: usize,
}

impl FileKeys {
    /// Builds the keys from the lines' tokens (`spans` into `joined`, one per
    /// line) and the file's scopes (empty when the file does not parse).
    /// Innermost span wins; ties go to the smaller qualname string (the
    /// reference's rule).
    pub fn new(
        joined: String,
        spans: Vec<Option<(u32, u32)>>,
        scopes: Vec<Scope>,
        parses: bool,
    ) -> Self {
        let line_count = spans.len();
        let mut qualnames = vec![u32::MAX; line_count];
        let mut best_size = vec![usize::MAX; line_count];
        let mut names: Vec<String> = Vec::with_capacity(scopes.len());
        for (index, scope) in scopes.into_iter().enumerate() {
            let size = scope.end.saturating_sub(scope.start);
            let first = scope.start.max(1);
            let last = scope.end.min(line_count);
            for line in first..=last {
                let slot = line - 1;
                let better = match size.cmp(&best_size[slot]) {
                    std::cmp::Ordering::Less => true,
                    std::cmp::Ordering::Equal => {
                        let current = qualnames[slot] as usize;
                        scope.qualname.as_str() < names[current].as_str()
                    }
                    std::cmp::Ordering::Greater => false,
                };
                if better {
                    best_size[slot] = size;
                    qualnames[slot] = index as u32;
                }
            }
            names.push(scope.qualname);
        }
        FileKeys {
            joined,
            spans,
            qualnames,
            names,
            parses,
        }
    }

    /// Builds the keys from the lines' tokens and each line's qualname,
    /// given as an index into `names` (`u32::MAX` for `<module>`).
    pub(crate) fn from_lines(
        joined: String,
        spans: Vec<Option<(u32, u32)>>,
        qualnames: Vec<u32>,
        names: Vec<String>,
        parses: bool,
    ) -> Self {
        debug_assert_eq!(spans.len(), qualnames.len());
        FileKeys {
            joined,
            spans,
            qualnames,
            names,
            parses,
        }
    }

    /// The same keys with another parse verdict.
    pub(crate) fn with_parses(mut self, parses: bool) -> Self {
        self.parses = parses;
        self
    }

    /// Number of lines in the (newline-normalised) source.
    pub fn line_count(&self) -> usize {
        self.spans.len()
    }

    /// Whether the file parses: for Python, whether CPython 3.11's
    /// `ast.parse` accepts it; for a tree-sitter language, whether the tree
    /// has no error or missing node; always true for plain text.
    pub fn parses(&self) -> bool {
        self.parses
    }

    /// The token of a 1-based line; `None` past the end or when the line
    /// holds no code token.
    pub fn token(&self, line: usize) -> Option<&str> {
        let (start, end) = (*self.spans.get(line.checked_sub(1)?)?)?;
        Some(&self.joined[start as usize..end as usize])
    }

    /// The qualname of a 1-based line (`<module>` past the end).
    pub fn qualname(&self, line: usize) -> &str {
        match line.checked_sub(1).and_then(|i| self.qualnames.get(i)) {
            Some(&index) if index != u32::MAX => &self.names[index as usize],
            _ => MODULE_QUALNAME,
        }
    }

    /// Every line that has a key, in ascending line order.
    pub fn keys(&self) -> impl Iterator<Item = LineKey<'_>> {
        self.spans.iter().enumerate().filter_map(move |(i, span)| {
            span.map(|(start, end)| LineKey {
                line: i + 1,
                qualname: self.qualname(i + 1),
                token: &self.joined[start as usize..end as usize],
            })
        })
    }
}

/// The canonical form of a stored token: the text re-tokenized as Python and
/// its code tokens joined by one space. A token that `stablegate` derived
/// survives this unchanged; a hand-typed one (`json.load(f)`) does not.
pub fn canonical_token(token: &str) -> String {
    let keys = python_keys(token);
    let mut out = String::new();
    for key in keys.keys() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(key.token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_tokens_are_canonical_and_hand_typed_ones_are_not() {
        let derived = "meta = json . load ( f )";
        assert_eq!(canonical_token(derived), derived);
        assert_ne!(
            canonical_token("meta = json.load(f)"),
            "meta = json.load(f)"
        );
        assert_eq!(canonical_token("pattern ="), "pattern =");
    }
}
