//! Reading typed values out of YAML nodes loaded without scalar resolution.
//!
//! Responsible for the typing rules of allowlist fields: strings take any
//! scalar's text as written (`issue: 2477` is the string `2477`), integers
//! must be plain decimal digits, a plain `~`/`null`/empty value is absent.
//! Not responsible for which field needs which type (see `parse`).

use saphyr::{MarkedYaml, ScalarStyle, YamlData};

/// The node under any tags (`!!str x` reads as `x`).
pub(super) fn untag<'a, 'input>(node: &'a MarkedYaml<'input>) -> &'a MarkedYaml<'input> {
    let mut node = node;
    while let YamlData::Tagged(_, inner) = &node.data {
        node = inner;
    }
    node
}

/// The text and style of a scalar node.
pub(super) fn scalar<'a>(node: &'a MarkedYaml<'_>) -> Option<(&'a str, ScalarStyle)> {
    match &untag(node).data {
        YamlData::Representation(text, style, _) => Some((text.as_ref(), *style)),
        _ => None,
    }
}

/// Whether the node is YAML's null: nothing, `~` or `null`, unquoted (or an
/// empty document).
pub(super) fn is_null(node: &MarkedYaml<'_>) -> bool {
    match &untag(node).data {
        YamlData::Representation(text, ScalarStyle::Plain, _) => {
            matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
        }
        YamlData::BadValue => true,
        _ => false,
    }
}

/// A plain scalar of decimal digits that fits in a `u64`.
pub(super) fn plain_u64(node: &MarkedYaml<'_>) -> Option<u64> {
    match scalar(node)? {
        (text, ScalarStyle::Plain)
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            text.parse().ok()
        }
        _ => None,
    }
}

/// What a node is, for error messages: "a mapping", "`abc`", "nothing".
pub(super) fn describe(node: &MarkedYaml<'_>) -> String {
    if is_null(node) {
        return "nothing".to_owned();
    }
    match &untag(node).data {
        YamlData::Mapping(_) => "a mapping".to_owned(),
        YamlData::Sequence(_) => "a sequence".to_owned(),
        YamlData::Representation(text, _, _) => quote_excerpt(text),
        _ => "an unsupported YAML value".to_owned(),
    }
}

/// `text` in backticks, cut to 40 characters.
fn quote_excerpt(text: &str) -> String {
    const LIMIT: usize = 40;
    let mut excerpt: String = text.chars().take(LIMIT).collect();
    if text.chars().nth(LIMIT).is_some() {
        excerpt.push('…');
    }
    format!("`{}`", excerpt.replace('\n', "\\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> MarkedYaml<'_> {
        MarkedYaml {
            span: saphyr_parser::Span::default(),
            data: YamlData::Representation(text.into(), ScalarStyle::Plain, None),
        }
    }

    #[test]
    fn integers_are_plain_decimal_digits() {
        assert_eq!(plain_u64(&plain("56")), Some(56));
        assert_eq!(plain_u64(&plain("-3")), None);
        assert_eq!(plain_u64(&plain("0x10")), None);
        assert_eq!(plain_u64(&plain("99999999999999999999999")), None);
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(60);
        assert_eq!(quote_excerpt(&long), format!("`{}…`", "x".repeat(40)));
        assert_eq!(quote_excerpt("a\nb"), "`a\\nb`");
    }
}
