//! Paths written in a configuration file, resolved to root-relative paths.
//!
//! A path in the config is relative to the config file's directory (SPEC §3)
//! and uses `/` separators. It resolves lexically to a `/`-separated path
//! relative to the project root, `.` for the root itself. Absolute paths and
//! paths that climb out of the root are rejected: a gate must not depend on
//! where the checkout sits. Whether the path exists is not checked here; the
//! command that reads it reports that.

/// The config file's directory relative to the project root: `""` for the
/// root itself, `None` when the config file lies outside the root.
pub(crate) type ConfigDir = Option<String>;

/// Why a path from the configuration cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathProblem {
    Empty,
    Absolute,
    OutsideRoot,
}

impl PathProblem {
    pub fn message(self, value: &str) -> String {
        match self {
            PathProblem::Empty => "the path is empty".to_owned(),
            PathProblem::Absolute => format!(
                "`{value}` is absolute; write it relative to the configuration file's directory"
            ),
            PathProblem::OutsideRoot => {
                format!("`{value}` resolves outside the project root")
            }
        }
    }
}

/// Resolves `value` against the config file's directory `dir`.
pub(crate) fn resolve(dir: &ConfigDir, value: &str) -> Result<String, PathProblem> {
    if value.is_empty() {
        return Err(PathProblem::Empty);
    }
    if value.starts_with('/')
        || value.starts_with('\\')
        || std::path::Path::new(value).is_absolute()
    {
        return Err(PathProblem::Absolute);
    }
    let dir = dir.as_deref().ok_or(PathProblem::OutsideRoot)?;
    let mut parts: Vec<&str> = dir.split('/').filter(|part| !part.is_empty()).collect();
    for part in value.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(PathProblem::OutsideRoot)?;
            }
            part => parts.push(part),
        }
    }
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[expect(
        clippy::unnecessary_wraps,
        reason = "`ConfigDir` is an `Option` by definition"
    )]
    fn root() -> ConfigDir {
        Some(String::new())
    }

    #[test]
    fn paths_resolve_against_the_config_directory() {
        let sub = Some("tools/ci".to_owned());
        assert_eq!(resolve(&sub, "../../src/./pkg"), Ok("src/pkg".into()));
        assert_eq!(resolve(&sub, "."), Ok("tools/ci".into()));
        assert_eq!(resolve(&root(), "./"), Ok(".".into()));
    }

    #[test]
    fn escaping_absolute_and_empty_paths_are_rejected() {
        assert_eq!(resolve(&root(), "../x"), Err(PathProblem::OutsideRoot));
        assert_eq!(resolve(&root(), "/etc"), Err(PathProblem::Absolute));
        assert_eq!(resolve(&root(), ""), Err(PathProblem::Empty));
        assert_eq!(resolve(&None, "src"), Err(PathProblem::OutsideRoot));
    }
}
