//! Python content keys, exactly as CPython 3.11's `tokenize` + `ast` give them.
//!
//! Pipeline: [`tokenizer`] emulates `tokenize.generate_tokens` token for token
//! (its code tokens, bucketed by start line, are the keys' tokens); [`parser`]
//! decides whether `ast.parse` would accept the file and, when it does, yields
//! every `def`/`class` span with its dotted qualname.

pub mod parser;
pub mod tokenizer;

use crate::FileKeys;

/// Computes the keys of one Python file from its decoded, newline-normalised
/// text (see [`crate::decode_source`]).
pub fn python_keys(text: &str) -> FileKeys {
    let tokens = tokenizer::tokenize(text);
    let line_tokens = bucket_by_line(text, &tokens);
    let scopes = parser::scopes(text, &tokens);
    let parses = scopes.is_some();
    FileKeys::new(line_tokens, scopes.unwrap_or_default(), parses)
}

/// Joins the code tokens starting on each line with one space.
fn bucket_by_line(text: &str, tokens: &tokenizer::Tokens) -> Vec<Option<String>> {
    let mut lines: Vec<Option<String>> = vec![None; tokens.line_count as usize];
    for token in tokens.tokens[..tokens.key_end].iter().filter(|t| t.kind.is_code()) {
        let piece = &text[token.start as usize..token.end as usize];
        let Some(slot) = lines.get_mut(token.line as usize - 1) else {
            continue;
        };
        match slot {
            Some(joined) => {
                joined.push(' ');
                joined.push_str(piece);
            }
            None => *slot = Some(piece.to_owned()),
        }
    }
    lines
}
