//! Python content keys, exactly as CPython 3.11's `tokenize` + `ast` give them.
//!
//! Pipeline: [`tokenizer`] emulates `tokenize.generate_tokens` token for token
//! (its code tokens, bucketed by start line, are the keys' tokens); [`parser`]
//! decides whether `ast.parse` would accept the file and, when it does, yields
//! every `def`/`class` span with its dotted qualname.

pub mod parser;
pub mod tokenizer;
mod word;

use crate::FileKeys;

/// Computes the keys of one Python file from its decoded, newline-normalised
/// text (see [`crate::decode_source`]).
pub fn python_keys(text: &str) -> FileKeys {
    let tokens = tokenizer::tokenize(text);
    let (joined, spans) = bucket_by_line(text, &tokens);
    let scopes = parser::scopes(text, &tokens);
    let parses = scopes.is_some();
    FileKeys::new(joined, spans, scopes.unwrap_or_default(), parses)
}

/// Joins the code tokens starting on each line with one space. Tokens come
/// in line order, so each line's token is one run of `joined`.
fn bucket_by_line(text: &str, tokens: &tokenizer::Tokens) -> (String, Vec<Option<(u32, u32)>>) {
    let mut joined = String::with_capacity(text.len());
    let mut spans: Vec<Option<(u32, u32)>> = vec![None; tokens.line_count as usize];
    let code = tokens.tokens[..tokens.key_end]
        .iter()
        .filter(|t| t.kind.is_code());
    for token in code {
        let piece = &text[token.start as usize..token.end as usize];
        let Some(slot) = spans.get_mut(token.line as usize - 1) else {
            continue;
        };
        match slot {
            Some((_, end)) => {
                joined.push(' ');
                joined.push_str(piece);
                *end = joined.len() as u32;
            }
            None => {
                let start = joined.len() as u32;
                joined.push_str(piece);
                *slot = Some((start, joined.len() as u32));
            }
        }
    }
    (joined, spans)
}
