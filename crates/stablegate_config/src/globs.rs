//! `include` / `exclude` globs of a gate, compiled once.
//!
//! Patterns follow gitignore's reading, which users already know: a pattern
//! without a `/` (other than a trailing one) matches a file or directory name
//! at any depth (`*_test.py`, `vendor`); a pattern with a `/` is anchored at
//! the config file's directory (`src/pkg/*.py`). `*` and `?` never cross a
//! `/`; `**` does. Matching is on root-relative, `/`-separated paths. Walking
//! and deciding what a match means (skip a directory, drop a file) belong to
//! the walker, not here.

use globset::{ErrorKind, GlobBuilder, GlobSet, GlobSetBuilder};
use thiserror::Error;

use crate::paths::ConfigDir;

/// Why a glob of a list is refused; a message fragment for the user, after
/// the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum GlobError {
    /// The pattern is blank (or only `./` or `/`).
    #[error("the glob is empty")]
    Empty,
    /// An anchored pattern in a configuration outside the project root.
    #[error("`{pattern}` is anchored at the configuration file's directory, which is outside the project root")]
    DirOutsideRoot { pattern: String },
    /// globset refuses the pattern.
    #[error("invalid glob `{pattern}`: {kind}")]
    Invalid { pattern: String, kind: ErrorKind },
    /// globset refuses the set as a whole.
    #[error("invalid globs: {0}")]
    Set(#[source] globset::Error),
}

/// A compiled set of globs, kept with the patterns as written.
#[derive(Debug, Clone)]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Default for Globs {
    /// No pattern: matches nothing.
    fn default() -> Self {
        Globs {
            patterns: Vec::new(),
            set: GlobSet::empty(),
        }
    }
}

impl Globs {
    /// The patterns as written in the configuration.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether no pattern was given.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a root-relative, `/`-separated path matches any pattern.
    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }
}

/// Compiles `patterns`; on failure, the index of the bad pattern and why.
pub(crate) fn compile<'a>(
    dir: &ConfigDir,
    patterns: impl IntoIterator<Item = &'a str>,
) -> Result<Globs, (usize, GlobError)> {
    let mut builder = GlobSetBuilder::new();
    let mut written = Vec::new();
    for (index, pattern) in patterns.into_iter().enumerate() {
        let anchored = anchor(dir, pattern).map_err(|message| (index, message))?;
        let glob = GlobBuilder::new(&anchored)
            .literal_separator(true)
            .build()
            .map_err(|err| {
                let kind = err.kind().clone();
                let pattern = pattern.to_owned();
                (index, GlobError::Invalid { pattern, kind })
            })?;
        builder.add(glob);
        written.push(pattern.to_owned());
    }
    let set = builder.build().map_err(|err| (0, GlobError::Set(err)))?;
    Ok(Globs {
        patterns: written,
        set,
    })
}

/// Rewrites a config pattern into one over root-relative paths.
fn anchor(dir: &ConfigDir, pattern: &str) -> Result<String, GlobError> {
    let trimmed = pattern.strip_prefix("./").unwrap_or(pattern);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Err(GlobError::Empty);
    }
    if !trimmed.contains('/') {
        return Ok(format!("**/{trimmed}"));
    }
    let trimmed = trimmed.strip_prefix('/').unwrap_or(trimmed);
    match dir.as_deref() {
        Some("") => Ok(trimmed.to_owned()),
        Some(dir) => Ok(format!("{}/{trimmed}", globset::escape(dir))),
        None => Err(GlobError::DirOutsideRoot {
            pattern: pattern.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(dir: &str, patterns: &[&str]) -> Globs {
        compile(&Some(dir.to_owned()), patterns.iter().copied()).unwrap()
    }

    #[test]
    fn a_pattern_without_slash_matches_at_any_depth() {
        let set = globs("", &["*_test.py", "vendor/"]);
        assert!(set.is_match("a_test.py"));
        assert!(set.is_match("src/pkg/b_test.py"));
        assert!(set.is_match("src/vendor"));
        assert!(!set.is_match("src/pkg/test.py"));
    }

    #[test]
    fn a_pattern_with_slash_is_anchored_and_star_stays_in_one_directory() {
        let set = globs("", &["src/*.py"]);
        assert!(set.is_match("src/a.py"));
        assert!(!set.is_match("src/pkg/a.py"));
        assert!(!set.is_match("lib/src/a.py"));
        assert!(globs("", &["src/**/*.py"]).is_match("src/pkg/a.py"));
    }

    #[test]
    fn anchored_patterns_are_relative_to_the_config_directory() {
        let set = globs("sub", &["./src/*.py"]);
        assert!(set.is_match("sub/src/a.py"));
        assert!(!set.is_match("src/a.py"));
    }

    #[test]
    fn a_bad_glob_reports_its_index() {
        let err = compile(&Some(String::new()), ["ok.py", "src/[x"]).unwrap_err();
        assert_eq!(err.0, 1);
        let message = err.1.to_string();
        assert!(message.starts_with("invalid glob `src/[x`"), "{message}");
    }
}
