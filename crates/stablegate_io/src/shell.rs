//! Putting values into shell commands without letting them become shell
//! syntax (SPEC §12.6): `{tag}`, `{versions.NAME}`, `{output}`, `{junit}`,
//! `{out}` and every other placeholder of a configured command.
//!
//! A value never passes through the shell's parser. [`substitute`] replaces
//! each placeholder by a *quoted parameter expansion* of an environment
//! variable (`STABLEGATE_VALUE_<n>`) and returns the value in that variable,
//! which the process runner sets for the command. The shell then expands
//! the variable as one word and never reads the value as code: `$(…)`,
//! backticks, `;`, `|`, newlines, quotes, globs and a leading `-` all arrive
//! as the characters they are, in one argument.
//!
//! The quoting of the expansion follows the placeholder's context in the
//! template, read by a small scanner of POSIX quoting: unquoted (also inside
//! `$(…)` and backticks) `"${V}"`; inside double quotes `${V}`; inside single
//! quotes `'"${V}"'` (close, expand, reopen). Whatever the scanner might
//! misjudge, the worst outcome is a value split into words or quoted
//! literally — never a value run as code, because expansion results are
//! not parsed again. A `{…}` right after `$` is the shell's own `${…}` and
//! is left alone, as is any `{…}` that is not a known placeholder.
//!
//! What this cannot protect: a command that hands its text to another
//! shell (`ssh host "…"`, `sh -c "…"`, `eval`) parses the value again.
//!
//! [`quote`] is POSIX single-quoting (`'` → `'\''`), used to show commands to
//! people ([`Script::shown`]), never to build what runs.

/// The prefix of the variables that carry substituted values.
pub const VARIABLE_PREFIX: &str = "STABLEGATE_VALUE_";

/// A command ready for `sh -c`, with the variables it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// What `sh -c` runs.
    pub text: String,
    /// `(name, value)` of every variable the text expands; set them in the
    /// command's environment.
    pub env: Vec<(String, String)>,
    /// The command as a person reads it: each value in place, single-quoted
    /// when it holds anything but plain word characters.
    pub shown: String,
}

impl Script {
    /// A command without placeholders.
    pub fn plain(text: &str) -> Script {
        Script {
            text: text.to_owned(),
            env: Vec::new(),
            shown: text.to_owned(),
        }
    }
}

/// `value` as one POSIX shell word: single-quoted, with each `'` written
/// `'\''`.
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// `value` as it reads best in a shown command: bare when it is made of
/// characters no shell treats specially, else [`quote`]d.
pub fn quote_if_needed(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+-/:=@%,".contains(&b))
        && !value.starts_with('-');
    if plain {
        value.to_owned()
    } else {
        quote(value)
    }
}

/// Where a byte of a template stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Unquoted: the top level, or inside `$(…)` (with its open parentheses).
    Plain {
        parens: u32,
    },
    Single,
    Double,
    Backtick,
}

/// Replaces every placeholder of `values` (`("{tag}", "1.0")`, …) in
/// `template` (see the module doc).
pub fn substitute(template: &str, values: &[(&str, &str)]) -> Script {
    let bytes = template.as_bytes();
    let mut text = String::with_capacity(template.len());
    let mut shown = String::with_capacity(template.len());
    let mut env: Vec<(String, String)> = Vec::new();
    // Which value each variable carries: one variable per placeholder used.
    let mut variables: Vec<(usize, String)> = Vec::new();
    let mut stack = vec![Frame::Plain { parens: 0 }];
    let mut i = 0;
    while i < bytes.len() {
        let frame = *stack.last().unwrap_or(&Frame::Plain { parens: 0 });
        let byte = bytes[i];
        if byte == b'{' {
            let after_dollar = i > 0 && bytes[i - 1] == b'$' && frame != Frame::Single;
            let found = (!after_dollar)
                .then(|| longest_match(&template[i..], values))
                .flatten();
            if let Some(index) = found {
                let (placeholder, value) = values[index];
                let name = match variables.iter().find(|(at, _)| *at == index) {
                    Some((_, name)) => name.clone(),
                    None => {
                        let name = format!("{VARIABLE_PREFIX}{}", variables.len() + 1);
                        variables.push((index, name.clone()));
                        env.push((name.clone(), value.to_owned()));
                        name
                    }
                };
                match frame {
                    Frame::Single => {
                        text.push_str(&format!("'\"${{{name}}}\"'"));
                        shown.push_str(value);
                    }
                    Frame::Double => {
                        text.push_str(&format!("${{{name}}}"));
                        shown.push_str(value);
                    }
                    Frame::Plain { .. } | Frame::Backtick => {
                        text.push_str(&format!("\"${{{name}}}\""));
                        shown.push_str(&quote_if_needed(value));
                    }
                }
                i += placeholder.len();
                continue;
            }
        }
        let step = scan(bytes, i, &mut stack);
        text.push_str(&template[i..i + step]);
        shown.push_str(&template[i..i + step]);
        i += step;
    }
    Script { text, env, shown }
}

/// The index of the longest placeholder of `values` that `rest` starts with.
fn longest_match(rest: &str, values: &[(&str, &str)]) -> Option<usize> {
    (values.iter().enumerate())
        .filter(|(_, (placeholder, _))| !placeholder.is_empty() && rest.starts_with(placeholder))
        .max_by_key(|(_, (placeholder, _))| placeholder.len())
        .map(|(index, _)| index)
}

/// Moves past the character at `i`, updating the quoting context; returns
/// how many bytes it covered (whole UTF-8 characters, so the caller can
/// slice).
fn scan(bytes: &[u8], i: usize, stack: &mut Vec<Frame>) -> usize {
    let frame = *stack.last().unwrap_or(&Frame::Plain { parens: 0 });
    let byte = bytes[i];
    let next = bytes.get(i + 1).copied();
    let char_len = |at: usize| -> usize {
        let lead = bytes.get(at).copied().unwrap_or(0);
        let len = match lead {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        len.min(bytes.len() - at)
    };
    match frame {
        Frame::Single => {
            if byte == b'\'' {
                stack.pop();
            }
            char_len(i)
        }
        Frame::Double => match byte {
            b'\\' if next.is_some() => 1 + char_len(i + 1),
            b'"' => {
                stack.pop();
                1
            }
            b'`' => {
                stack.push(Frame::Backtick);
                1
            }
            b'$' if next == Some(b'(') => {
                stack.push(Frame::Plain { parens: 0 });
                2
            }
            _ => char_len(i),
        },
        Frame::Backtick => match byte {
            b'\\' if next.is_some() => 1 + char_len(i + 1),
            b'`' => {
                stack.pop();
                1
            }
            b'\'' => {
                stack.push(Frame::Single);
                1
            }
            b'"' => {
                stack.push(Frame::Double);
                1
            }
            _ => char_len(i),
        },
        Frame::Plain { parens } => match byte {
            b'\\' if next.is_some() => 1 + char_len(i + 1),
            b'\'' => {
                stack.push(Frame::Single);
                1
            }
            b'"' => {
                stack.push(Frame::Double);
                1
            }
            b'`' => {
                stack.push(Frame::Backtick);
                1
            }
            b'$' if next == Some(b'(') => {
                stack.push(Frame::Plain { parens: 0 });
                2
            }
            b'(' => {
                if let Some(Frame::Plain { parens }) = stack.last_mut() {
                    *parens += 1;
                }
                1
            }
            b')' => {
                if parens > 0 {
                    if let Some(Frame::Plain { parens }) = stack.last_mut() {
                        *parens -= 1;
                    }
                } else if stack.len() > 1 {
                    stack.pop();
                }
                1
            }
            _ => char_len(i),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the script with `sh` in `dir`, the variables set, and returns
    /// what the command printed.
    #[cfg(unix)]
    fn run(script: &Script, dir: &std::path::Path) -> String {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script.text)
            .current_dir(dir)
            .envs(script.env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn quoting_is_posix_single_quotes() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote_if_needed("1.0.0+build"), "1.0.0+build");
        assert_eq!(quote_if_needed("-x"), "'-x'");
        assert_eq!(quote_if_needed("a;b"), "'a;b'");
    }

    #[test]
    fn placeholders_become_quoted_expansions_in_every_context() {
        let script = substitute(
            r#"a {tag} "b {tag}" 'c {tag}' $(d {tag}) `e {tag}` ${tag} {other} {versions.cli}"#,
            &[("{tag}", "1 0"), ("{versions.cli}", "2")],
        );
        assert_eq!(
            script.text,
            r#"a "${STABLEGATE_VALUE_1}" "b ${STABLEGATE_VALUE_1}" 'c '"${STABLEGATE_VALUE_1}"'' $(d "${STABLEGATE_VALUE_1}") `e "${STABLEGATE_VALUE_1}"` ${tag} {other} "${STABLEGATE_VALUE_2}""#
        );
        assert_eq!(
            script.env,
            [
                ("STABLEGATE_VALUE_1".to_owned(), "1 0".to_owned()),
                ("STABLEGATE_VALUE_2".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(
            script.shown,
            r#"a '1 0' "b 1 0" 'c 1 0' $(d '1 0') `e '1 0'` ${tag} {other} 2"#
        );
    }

    #[test]
    fn the_longest_placeholder_wins() {
        let script = substitute("{out}/{out_dir}", &[("{out}", "f"), ("{out_dir}", "d")]);
        assert_eq!(script.shown, "f/d");
    }

    #[cfg(unix)]
    #[test]
    fn hostile_values_arrive_intact_as_one_argument_in_every_context() {
        let payloads = [
            "1.0$(touch PWNED)",
            "`touch PWNED`",
            "a; touch PWNED",
            "a && touch PWNED",
            "a | touch PWNED",
            "a\ntouch PWNED",
            "it's",
            "say \"hi\"",
            r"back\slash",
            "*",
            "$HOME",
            "-n",
            "'; touch PWNED; '",
            "\"; touch PWNED; \"",
            "a > PWNED",
            "",
        ];
        let dir = tempfile::tempdir().unwrap();
        let templates = [
            "printf '[%s]' {v}",
            "set -- {v}; printf '[%s]' \"$1\" && printf '(%s)' $#",
            "printf '[%s]' \"{v}\"",
            "printf '[%s]' '{v}'",
            "printf '[%s]' \"$(printf '%s' {v})\"",
            "printf '[%s]' \"pre-{v}-post\"",
        ];
        for payload in payloads {
            for template in templates {
                let script = substitute(template, &[("{v}", payload)]);
                let out = run(&script, dir.path());
                assert!(
                    !dir.path().join("PWNED").exists(),
                    "{template} with {payload:?} ran the payload: {out}"
                );
                let arrived = out
                    .strip_prefix('[')
                    .and_then(|rest| rest.split_once(']'))
                    .map(|(value, _)| value);
                let expected = if template.contains("pre-") {
                    format!("pre-{payload}-post")
                } else {
                    payload.to_owned()
                };
                assert_eq!(
                    arrived,
                    Some(expected.as_str()),
                    "{template} with {payload:?}: {out}"
                );
                if template.starts_with("set --") {
                    assert!(out.ends_with("(1)"), "{template} with {payload:?}: {out}");
                }
            }
        }
    }
}
