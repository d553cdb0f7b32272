//! String literals as CPython 3.11's parser checks them: bytes mixed with str
//! in one concatenation, non-ASCII characters in bytes, malformed `\x`, `\u`,
//! `\U` and `\N{...}` escapes, and the f-string grammar of 3.11
//! (`string_parser.c`): doubled braces, a lone `}`, conversions, format specs
//! nested at most two deep, no backslash or `#` inside a replacement field, and
//! each field's expression parsed as `(` + text + `)`.
//!
//! Invalid escapes that CPython only warns about (`"\d"`) are accepted. A
//! `\N{...}` name is looked up in the Unicode name table (case-insensitively,
//! as CPython does).

use super::{Fail, Parser, R};
use crate::python::tokenizer::Kind;

impl Parser<'_> {
    /// One or more adjacent STRING tokens (implicit concatenation).
    pub(crate) fn strings(&mut self) -> R<()> {
        let mut any_bytes = false;
        let mut any_str = false;
        while self.kind() == Kind::String {
            let text = self.text_of(self.tok());
            let is_bytes = check_string(text, self.depth)?;
            any_bytes |= is_bytes;
            any_str |= !is_bytes;
            self.bump();
        }
        if any_bytes && any_str {
            return Err(Fail);
        }
        Ok(())
    }
}

/// Checks one string token; returns whether it is a bytes literal.
fn check_string(token: &str, depth: u32) -> R<bool> {
    let bytes = token.as_bytes();
    let quote_at = bytes
        .iter()
        .position(|&b| b == b'\'' || b == b'"')
        .ok_or(Fail)?;
    let prefix = &bytes[..quote_at];
    let has = |c: u8| prefix.iter().any(|&p| p.to_ascii_lowercase() == c);
    let (is_bytes, raw, is_f) = (has(b'b'), has(b'r'), has(b'f'));
    let quote = bytes[quote_at];
    let triple =
        bytes.len() >= quote_at + 6 && bytes[quote_at + 1] == quote && bytes[quote_at + 2] == quote;
    let q = if triple { 3 } else { 1 };
    let body = bytes.get(quote_at + q..bytes.len() - q).ok_or(Fail)?;
    if is_bytes {
        if !body.is_ascii() {
            return Err(Fail);
        }
        if !raw {
            bytes_escapes(body)?;
        }
    } else if is_f {
        let mut i = 0;
        fstring(body, &mut i, raw, 0, depth)?;
    } else if !raw {
        str_escapes(body)?;
    }
    Ok(is_bytes)
}

fn hex_digits(body: &[u8], at: usize, n: usize) -> R<u32> {
    let digits = body.get(at..at + n).ok_or(Fail)?;
    let mut value = 0u32;
    for &d in digits {
        let v = (d as char).to_digit(16).ok_or(Fail)?;
        value = value.wrapping_mul(16).wrapping_add(v);
    }
    Ok(value)
}

/// `\x` needs two hex digits in bytes; every other escape is accepted.
fn bytes_escapes(body: &[u8]) -> R<()> {
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' && i + 1 < body.len() {
            if body[i + 1] == b'x' {
                hex_digits(body, i + 2, 2)?;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// The errors of the `unicode_escape` decoder.
fn str_escapes(body: &[u8]) -> R<()> {
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' || i + 1 >= body.len() {
            i += 1;
            continue;
        }
        let c = body[i + 1];
        i += 2;
        match c {
            b'x' => {
                hex_digits(body, i, 2)?;
                i += 2;
            }
            b'u' => {
                hex_digits(body, i, 4)?;
                i += 4;
            }
            b'U' => {
                if hex_digits(body, i, 8)? > 0x0010_ffff {
                    return Err(Fail);
                }
                i += 8;
            }
            b'N' => {
                if body.get(i) != Some(&b'{') {
                    return Err(Fail);
                }
                let close = body[i + 1..].iter().position(|&b| b == b'}').ok_or(Fail)?;
                let name = std::str::from_utf8(&body[i + 1..i + 1 + close]).map_err(|_| Fail)?;
                if name.is_empty() || unicode_names2::character(name).is_none() {
                    return Err(Fail);
                }
                i += close + 2;
            }
            _ => {}
        }
    }
    Ok(())
}

/// `fstring_parse`: literals and replacement fields up to the end of the
/// body (level 0) or a closing `}` (a format spec, level 1 and 2).
fn fstring(body: &[u8], i: &mut usize, raw: bool, level: u32, depth: u32) -> R<()> {
    loop {
        let more = fstring_literal(body, i, raw, level)?;
        if more {
            continue;
        }
        if *i >= body.len() || body[*i] == b'}' {
            break;
        }
        fstring_field(body, i, raw, level, depth)?;
    }
    if level != 0 && body.get(*i) != Some(&b'}') {
        return Err(Fail);
    }
    Ok(())
}

/// `fstring_find_literal`: scans literal text; returns true when it stopped
/// after a doubled brace (scanning goes on).
fn fstring_literal(body: &[u8], i: &mut usize, raw: bool, level: u32) -> R<bool> {
    let start = *i;
    let mut s = *i;
    let end = body.len();
    let mut result = false;
    while s < end {
        let mut ch = body[s];
        s += 1;
        if !raw && ch == b'\\' && s < end {
            ch = body[s];
            s += 1;
            if ch == b'N' {
                if s < end {
                    let opens = body[s] == b'{';
                    s += 1;
                    if opens {
                        while s < end {
                            let c = body[s];
                            s += 1;
                            if c == b'}' {
                                break;
                            }
                        }
                    }
                }
                continue;
            }
        }
        if ch == b'{' || ch == b'}' {
            if level == 0 {
                if s < end && body[s] == ch {
                    *i = s + 1;
                    result = true;
                    break;
                }
                if ch == b'}' {
                    return Err(Fail);
                }
            }
            s -= 1;
            *i = s;
            break;
        }
    }
    if !result && s >= end {
        *i = end;
    }
    let literal_end = if result { *i - 1 } else { *i };
    if !raw {
        str_escapes(&body[start..literal_end])?;
    }
    Ok(result)
}

/// `fstring_find_expr`: one replacement field starting at `{`.
fn fstring_field(body: &[u8], i: &mut usize, raw: bool, level: u32, depth: u32) -> R<()> {
    if level >= 2 {
        return Err(Fail);
    }
    let end = body.len();
    *i += 1;
    let expr_start = *i;
    let mut quote: u8 = 0;
    let mut triple = false;
    let mut stack: Vec<u8> = Vec::new();
    while *i < end {
        let ch = body[*i];
        if ch == b'\\' {
            return Err(Fail);
        }
        if quote != 0 {
            if ch == quote {
                if triple {
                    if *i + 2 < end && body[*i + 1] == ch && body[*i + 2] == ch {
                        *i += 2;
                        quote = 0;
                        triple = false;
                    }
                } else {
                    quote = 0;
                }
            }
        } else if ch == b'\'' || ch == b'"' {
            if *i + 2 < end && body[*i + 1] == ch && body[*i + 2] == ch {
                triple = true;
                *i += 2;
            }
            quote = ch;
        } else if matches!(ch, b'[' | b'{' | b'(') {
            if stack.len() >= 200 {
                return Err(Fail);
            }
            stack.push(ch);
        } else if ch == b'#' {
            return Err(Fail);
        } else if stack.is_empty() && matches!(ch, b'!' | b':' | b'}' | b'=' | b'>' | b'<') {
            let next = body.get(*i + 1).copied().unwrap_or(0);
            if next == b'=' && matches!(ch, b'!' | b'=' | b'<' | b'>') {
                *i += 2;
                continue;
            }
            if ch != b'>' && ch != b'<' {
                break;
            }
        } else if matches!(ch, b']' | b'}' | b')') {
            let opening = stack.pop().ok_or(Fail)?;
            let matched = matches!((opening, ch), (b'(', b')') | (b'[', b']') | (b'{', b'}'));
            if !matched {
                return Err(Fail);
            }
        }
        *i += 1;
    }
    if quote != 0 || !stack.is_empty() || *i >= end {
        return Err(Fail);
    }
    let expr = &body[expr_start..*i];
    if expr
        .iter()
        .all(|&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0c))
    {
        return Err(Fail);
    }
    let expr_text = std::str::from_utf8(expr).map_err(|_| Fail)?;
    if !super::fstring_expression_ok(expr_text, depth + 1) {
        return Err(Fail);
    }
    if body[*i] == b'=' {
        *i += 1;
        while *i < end && matches!(body[*i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            *i += 1;
        }
        if *i >= end {
            return Err(Fail);
        }
    }
    if body[*i] == b'!' {
        *i += 1;
        let conversion = *body.get(*i).ok_or(Fail)?;
        *i += 1;
        if !matches!(conversion, b's' | b'r' | b'a') {
            return Err(Fail);
        }
    }
    if *i < end && body[*i] == b':' {
        *i += 1;
        if *i >= end {
            return Err(Fail);
        }
        fstring(body, i, raw, level + 1, depth)?;
    }
    if *i >= end || body[*i] != b'}' {
        return Err(Fail);
    }
    *i += 1;
    Ok(())
}
