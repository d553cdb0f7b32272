//! The non-vacuity sample of a `pattern` gate that has none (SPEC §12.3):
//! the pattern itself with every metavariable replaced by a fresh
//! identifier, planted in a file the gate scans.
//!
//! `$NAME`, `$$NAME` and `$$$NAME` become `stablegate_name` (the same name
//! gives the same identifier, so `$A == $A` stays a match); the anonymous
//! `$_` and `$$$` each get a numbered one. The sample goes into a new
//! function `__stablegate_theater__` at the end of the file (a new class
//! around it for Java), or at the end of the file when that is the only place
//! it parses; a file that parsed must still parse ([`super::mutate`]'s
//! rule). Which file is the caller's choice: the first file the gate scans.
//! Pure text in, text out.

use super::mutate::{self, MutateError, Mutated, NEW_FUNCTION};
use super::syntax_edit;

/// The pattern with its metavariables replaced by fresh identifiers.
pub(super) fn sample(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut anonymous = 0;
    let mut rest = pattern;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let dollars = after.bytes().take_while(|&b| b == b'$').count();
        let name_len = after[dollars..]
            .bytes()
            .take_while(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            .count();
        let name = &after[dollars..dollars + name_len];
        let starts_well = name.bytes().next().is_some_and(|b| !b.is_ascii_digit());
        if dollars > 3 || (name.is_empty() && dollars != 3) || (!name.is_empty() && !starts_well) {
            // Not a metavariable (a `$` of the language itself): kept.
            out.push_str(&after[..dollars + name_len]);
        } else if name.is_empty() || name == "_" {
            anonymous += 1;
            out.push_str(&format!("stablegate_{anonymous}"));
        } else {
            out.push_str("stablegate_");
            out.push_str(&name.to_ascii_lowercase());
        }
        rest = &after[dollars + name_len..];
    }
    out.push_str(rest);
    out
}

/// `code` planted at the end of `text` (the file `file`): in a new
/// function if it parses there, else at the end of the file.
pub(super) fn plant(file: &str, text: &str, code: &str) -> Result<Mutated, MutateError> {
    let mut base = text.to_owned();
    if !base.is_empty() && !base.ends_with('\n') {
        base.push('\n');
    }
    base.push_str("\n\n");
    let head_line = base.matches('\n').count() + 1;
    let code_lines: Vec<&str> = code.lines().collect();
    let framed = match syntax_edit::function_frame(file, NEW_FUNCTION) {
        Some((head, indent, foot)) => Some((head, indent, foot)),
        None if is_python(file) => Some((format!("def {NEW_FUNCTION}():"), "    ", String::new())),
        None => None,
    };
    if let Some((head, indent, foot)) = framed {
        let body: Vec<String> = code_lines
            .iter()
            .map(|line| format!("{indent}{line}"))
            .collect();
        let mut mutated = format!("{base}{head}\n{}\n", body.join("\n"));
        if !foot.is_empty() {
            mutated.push_str(&foot);
            mutated.push('\n');
        }
        if mutate::still_parses(file, text, &mutated).is_ok() {
            let first = head_line + head.matches('\n').count() + 1;
            return Ok(Mutated {
                text: mutated,
                lines: (first..first + code_lines.len().max(1)).collect(),
                what: format!("in a new function `{NEW_FUNCTION}` at {file}:{head_line}"),
            });
        }
    }
    let mut appended = mutate::append_sample(file, Some(text), code)?;
    let first = appended.lines.first().copied().unwrap_or(1);
    appended.what = format!("at the end of {file}, line {first}");
    Ok(appended)
}

fn is_python(file: &str) -> bool {
    file.ends_with(".py") || file.ends_with(".pyi")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metavariables_become_fresh_identifiers() {
        assert_eq!(sample("json.load($F)"), "json.load(stablegate_f)");
        assert_eq!(sample("$A == $A"), "stablegate_a == stablegate_a");
        assert_eq!(
            sample("warnings.warn($$$ARGS)"),
            "warnings.warn(stablegate_args)"
        );
        assert_eq!(
            sample("f($_, $_, $$$)"),
            "f(stablegate_1, stablegate_2, stablegate_3)"
        );
        assert_eq!(sample("$$OP x"), "stablegate_op x");
        // A `$` that is no metavariable stays as written.
        assert_eq!(sample("a = '$1'"), "a = '$1'");
        assert_eq!(sample("$x"), "$x");
    }

    #[test]
    fn the_sample_goes_into_a_new_function_or_at_the_end() {
        let planted = plant("a.py", "import json\n", "json.load(stablegate_f)").unwrap();
        assert_eq!(
            planted.text,
            "import json\n\n\ndef __stablegate_theater__():\n    json.load(stablegate_f)\n"
        );
        assert_eq!(planted.lines, [5]);
        // An import in Go only parses at the top level.
        let go = plant("m.go", "package m\n", "import \"os\"").unwrap();
        assert!(go.text.ends_with("\nimport \"os\"\n"), "{}", go.text);
        assert_eq!(syntax_edit::parses("m.go", &go.text), Some(true));
        let js = plant("a.js", "let a = 1;\n", "eval(stablegate_x)").unwrap();
        assert!(js
            .text
            .contains("function __stablegate_theater__() {\n    eval(stablegate_x)\n}"));
        assert_eq!(js.lines, [5]);
    }
}
