//! The class of every node kind of a grammar, looked up by kind id in the
//! walk (one array index per node instead of string comparisons).
//!
//! Only named kinds are classed: an anonymous token can share a name with a
//! named kind (TypeScript's `string` keyword and its `string` literal), and
//! anonymous tokens are always plain leaves.

/// How the walk treats a node of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Descend into it; a node without children is a leaf of the token.
    Plain,
    /// Skip it and everything inside (comments, string-like literals).
    Dropped,
    /// One leaf of its whole text (a regex, a lifetime).
    Atomic,
    /// Descend into it; it may open a named scope.
    Scope,
}

/// The class of every kind id of one grammar.
#[derive(Debug)]
pub(crate) struct KindTable {
    classes: Vec<Class>,
}

impl KindTable {
    /// Classes the kinds of `language` by the named-kind lists of a grammar.
    pub(crate) fn new(
        language: &tree_sitter::Language,
        dropped: &[&str],
        atomic: &[&str],
        scopes: &[&str],
    ) -> KindTable {
        let count = language.node_kind_count().min(usize::from(u16::MAX) + 1);
        let classes = (0..count)
            .map(|id| {
                let id = id as u16;
                let Some(kind) = language.node_kind_for_id(id) else {
                    return Class::Plain;
                };
                if !language.node_kind_is_named(id) {
                    Class::Plain
                } else if dropped.contains(&kind) {
                    Class::Dropped
                } else if atomic.contains(&kind) {
                    Class::Atomic
                } else if scopes.contains(&kind) {
                    Class::Scope
                } else {
                    Class::Plain
                }
            })
            .collect();
        KindTable { classes }
    }

    /// The class of a kind id (`Plain` for an id the grammar does not list).
    pub(crate) fn class(&self, kind_id: u16) -> Class {
        self.classes
            .get(usize::from(kind_id))
            .copied()
            .unwrap_or(Class::Plain)
    }

    /// Whether the grammar has a named kind called `kind` (for tests that the
    /// lists name real kinds).
    #[cfg(test)]
    pub(crate) fn knows(language: &tree_sitter::Language, kind: &str) -> bool {
        (0..language.node_kind_count()).any(|id| {
            let id = id as u16;
            language.node_kind_is_named(id) && language.node_kind_for_id(id) == Some(kind)
        })
    }
}
