//! Capturing the versions under test, once per attempt (SPEC §10.1), and
//! rendering the templates that name them (`{versions.cli}`, `{tag}`).
//!
//! A version that cannot be captured (the command fails, the regex does not
//! match, the output is empty) is bad input: the attempt is not opened and
//! nothing is written, since evidence without the versions it is evidence
//! for proves nothing.

use std::collections::BTreeMap;
use std::path::Path;

use stablegate_config::Release;
use stablegate_io::process::{self, Ended, Output, Spec};
use stablegate_io::shell::{self, Script};

use crate::error::ReleaseError;

/// The most a version command may print: a version is one line.
const OUTPUT_LIMIT: u64 = 1 << 20;
/// How much of a failing command's standard error a message keeps.
const STDERR_KEPT: usize = 16 * 1024;

/// The signal that ended a command, when stablegate was interrupted.
pub(crate) fn interrupted_by(ended: Ended) -> Option<i32> {
    match ended {
        Ended::Interrupted { signal } => Some(signal),
        _ => None,
    }
}

/// Runs every version command of `release` in `workdir`: `NAME` → version.
pub fn capture(
    release: &Release,
    workdir: &Path,
) -> Result<BTreeMap<String, String>, ReleaseError> {
    let mut versions = BTreeMap::new();
    for spec in &release.versions {
        let fail = |message: String| ReleaseError::Version {
            release: release.name.clone(),
            name: spec.name.clone(),
            message,
        };
        let finished = process::run(
            Spec::shell(&spec.command, workdir)
                .stdout(Output::Capture {
                    limit: OUTPUT_LIMIT,
                })
                .stderr(Output::Tail { keep: STDERR_KEPT }),
        )
        .map_err(|err| fail(format!("`{}`: {err}", spec.command)))?;
        if let Some(signal) = interrupted_by(finished.ended) {
            return Err(ReleaseError::Interrupted { signal });
        }
        let stdout = String::from_utf8_lossy(&finished.stdout);
        if !finished.ended.success() {
            let stderr = String::from_utf8_lossy(&finished.stderr);
            return Err(fail(format!(
                "`{}` failed ({}): {}",
                spec.command,
                finished.ended.describe(),
                stderr.trim()
            )));
        }
        let version = match &spec.regex {
            None => stdout.trim().to_owned(),
            Some(regex) => {
                let Some(found) = regex.captures(&stdout) else {
                    return Err(fail(format!(
                        "regex `{}` does not match the output of `{}`: {:?}",
                        regex.as_str(),
                        spec.command,
                        stdout.trim()
                    )));
                };
                found
                    .get(1)
                    .or_else(|| found.get(0))
                    .map_or("", |m| m.as_str())
                    .trim()
                    .to_owned()
            }
        };
        if version.is_empty() || version.contains('\n') {
            return Err(fail(format!(
                "`{}` gave {:?}, not one version",
                spec.command, version
            )));
        }
        versions.insert(spec.name.clone(), version);
    }
    Ok(versions)
}

/// Replaces `{tag}` and `{versions.NAME}` in `template` with the values as
/// they are: for text that is not a shell command (the tag itself, a
/// trace's revisions, which git gets as arguments). Other braces (awk's
/// `{print}`) are left as they are.
pub fn render(template: &str, tag: Option<&str>, versions: &BTreeMap<String, String>) -> String {
    let mut text = template.to_owned();
    for (name, version) in versions {
        text = text.replace(&format!("{{versions.{name}}}"), version);
    }
    match tag {
        Some(tag) => text.replace("{tag}", tag),
        None => text,
    }
}

/// A shell command with `{tag}`, `{versions.NAME}` and the `extra`
/// placeholders (`("{output}", path)`) replaced by single shell words, never
/// by shell syntax ([`shell::substitute`]).
pub fn script(
    template: &str,
    tag: &str,
    versions: &BTreeMap<String, String>,
    extra: &[(&str, &str)],
) -> Script {
    let names: Vec<String> = versions
        .keys()
        .map(|name| format!("{{versions.{name}}}"))
        .collect();
    let mut values: Vec<(&str, &str)> = vec![("{tag}", tag)];
    values.extend(
        names
            .iter()
            .zip(versions.values())
            .map(|(name, version)| (name.as_str(), version.as_str())),
    );
    values.extend_from_slice(extra);
    shell::substitute(template, &values)
}

/// Whether a rendered tag can name an attempt directory: ASCII letters,
/// digits and `._+@-`, not starting with `.` or `-`. Stricter than a
/// directory name must be: a tag is also a value commands get (`{tag}`),
/// and one without shell metacharacters cannot become shell syntax even in
/// a command that hands it to a second shell (`ssh host "… {tag}"`).
pub fn valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && !tag.starts_with(['.', '-'])
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+@-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_versions_and_the_tag_and_leave_other_braces() {
        let versions = BTreeMap::from([("cli".to_owned(), "3.2.0".to_owned())]);
        assert_eq!(render("v{versions.cli}", None, &versions), "v3.2.0");
        assert_eq!(
            render(
                "pip install x=={tag} ${HOME} {print}",
                Some("3.2.0"),
                &versions
            ),
            "pip install x==3.2.0 ${HOME} {print}"
        );
    }

    #[test]
    fn scripts_carry_the_values_as_quoted_words() {
        let versions = BTreeMap::from([("cli".to_owned(), "1$(x)".to_owned())]);
        let script = script(
            "install {versions.cli} {tag} {output} {versions.other}",
            "v1",
            &versions,
            &[("{output}", "/a b")],
        );
        assert_eq!(
            script.text,
            r#"install "${STABLEGATE_VALUE_1}" "${STABLEGATE_VALUE_2}" "${STABLEGATE_VALUE_3}" {versions.other}"#
        );
        assert_eq!(script.shown, "install '1$(x)' v1 '/a b' {versions.other}");
    }

    #[test]
    fn tags_that_would_leave_the_evidence_directory_or_hold_shell_syntax_are_refused() {
        assert!(valid_tag("3.2.0rc16"));
        assert!(valid_tag("v1.0.0+build.5"));
        for tag in [
            "", "..", ".x", "-x", "a/b", "a\\b", "a\nb", "a;b", "a b", "$(x)", "a'b", "a\"b", "*",
        ] {
            assert!(!valid_tag(tag), "{tag:?}");
        }
    }
}
