//! Capturing the versions under test, once per attempt (SPEC §10.1), and
//! rendering the templates that name them (`{versions.cli}`, `{tag}`).
//!
//! A version that cannot be captured (the command fails, the regex does not
//! match, the output is empty) is bad input: the attempt is not opened and
//! nothing is written, since evidence without the versions it is evidence
//! for proves nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use stablegate_config::Release;

use crate::error::ReleaseError;

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
        let output = Command::new("sh")
            .arg("-c")
            .arg(&spec.command)
            .current_dir(workdir)
            .stdin(Stdio::null())
            .output()
            .map_err(|err| fail(format!("`{}` could not be started: {err}", spec.command)))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(fail(format!(
                "`{}` failed ({}): {}",
                spec.command,
                output.status,
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

/// Replaces `{tag}` and `{versions.NAME}` in `template`; other braces (a
/// shell's `${X}`, awk's `{print}`) are left as they are.
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

/// Whether a rendered tag can name an attempt directory.
pub fn valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && !tag.starts_with('.')
        && !tag.chars().any(|c| c == '/' || c == '\\' || c.is_control())
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
    fn tags_that_would_leave_the_evidence_directory_are_refused() {
        assert!(valid_tag("3.2.0rc16"));
        for tag in ["", "..", ".x", "a/b", "a\\b", "a\nb"] {
            assert!(!valid_tag(tag), "{tag:?}");
        }
    }
}
