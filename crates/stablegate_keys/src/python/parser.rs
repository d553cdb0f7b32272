//! placeholder
use super::tokenizer::Tokens;
use crate::Scope;
pub fn scopes(_text: &str, _tokens: &Tokens) -> Option<Vec<Scope>> { None }
