//! TypeScript (`.ts .mts .cts`) and TSX (`.tsx`) keys: the ECMAScript rules
//! of [`super::javascript`] over the TypeScript grammars. The lists there
//! already hold the TypeScript-only kinds (interfaces, enums, namespaces,
//! signatures, `public_field_definition`, template literal types).

use super::javascript::{scope, ATOMIC, DROPPED, SCOPES};
use super::Grammar;

/// The TypeScript grammar.
pub static TYPESCRIPT: Grammar = Grammar {
    language: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
    dropped: DROPPED,
    atomic: ATOMIC,
    scopes: SCOPES,
    jsx: false,
    scope,
    table: std::sync::OnceLock::new(),
};

/// The TSX grammar (TypeScript with JSX).
pub static TSX: Grammar = Grammar {
    language: || tree_sitter_typescript::LANGUAGE_TSX.into(),
    dropped: DROPPED,
    atomic: ATOMIC,
    scopes: SCOPES,
    jsx: true,
    scope,
    table: std::sync::OnceLock::new(),
};
