//! One glob of a multi-file `[[fresh]]` table (`artifacts = [...]`, SPEC
//! §12.4), compiled and rooted.
//!
//! Every pattern is anchored at the configuration file's directory, as
//! `artifact` is (the root, for a configuration at the root): `gen/*.json`
//! is `<config dir>/gen/*.json`, and unlike `include`/`exclude` a pattern
//! without `/` is *not* matched at any depth (`*.json` is the JSON files of
//! that one directory). `*` and `?` never cross a `/`; `**` does. The
//! pattern's leading components without glob characters are its
//! [`ArtifactGlob::base`]: the directory both sides are walked from, and the
//! one created under `{out_dir}` before the generator runs. `..` and `.` are
//! allowed only in that literal prefix and must stay inside the root.
//! Walking and comparing are the gates crate's job.

use globset::{ErrorKind, GlobBuilder, GlobMatcher};
use thiserror::Error;

use crate::paths::{self, ConfigDir, PathProblem};

/// A compiled `artifacts` glob.
#[derive(Debug, Clone)]
pub struct ArtifactGlob {
    /// The pattern as written.
    pub pattern: String,
    /// Root-relative directory of the pattern's literal prefix; `.` for the
    /// root.
    pub base: String,
    matcher: GlobMatcher,
}

impl ArtifactGlob {
    /// Whether a root-relative, `/`-separated path matches.
    pub fn is_match(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// Why an `artifacts` glob is refused; a message fragment for the user,
/// after the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum ArtifactGlobError {
    /// The pattern is blank.
    #[error("the glob is empty")]
    Empty,
    /// The pattern ends in `/` (`trimmed` is it without surrounding blanks).
    #[error("`{pattern}` names a directory; write the files, e.g. `{trimmed}**`")]
    Directory { pattern: String, trimmed: String },
    /// `.` or `..` after the first glob component.
    #[error(
        "`{pattern}` has `{bad}` after its first glob component; put it in the leading directories"
    )]
    DotAfterGlob { pattern: String, bad: String },
    /// The literal prefix is absolute or leads out of the root.
    #[error("{}", problem.message(pattern))]
    Path {
        pattern: String,
        problem: PathProblem,
    },
    /// globset refuses the pattern.
    #[error("invalid glob `{pattern}`: {kind}")]
    Invalid { pattern: String, kind: ErrorKind },
}

/// Characters that make a component a glob.
const GLOB_CHARS: &[char] = &['*', '?', '[', ']', '{', '}', '\\'];

/// Roots and compiles `pattern` written in a configuration in `dir`.
pub(crate) fn compile(dir: &ConfigDir, pattern: &str) -> Result<ArtifactGlob, ArtifactGlobError> {
    let trimmed = pattern.trim();
    if trimmed.is_empty() {
        return Err(ArtifactGlobError::Empty);
    }
    if trimmed.ends_with('/') {
        return Err(ArtifactGlobError::Directory {
            pattern: pattern.to_owned(),
            trimmed: trimmed.to_owned(),
        });
    }
    let parts: Vec<&str> = trimmed.split('/').collect();
    let first_glob = parts
        .iter()
        .position(|part| part.contains(GLOB_CHARS))
        .unwrap_or(parts.len() - 1);
    let (literal, rest) = parts.split_at(first_glob);
    if let Some(bad) = rest.iter().find(|part| matches!(**part, "." | "..")) {
        return Err(ArtifactGlobError::DotAfterGlob {
            pattern: pattern.to_owned(),
            bad: (*bad).to_owned(),
        });
    }
    let base = match literal.join("/") {
        prefix if prefix.is_empty() => paths::resolve(dir, "."),
        prefix => paths::resolve(dir, &prefix),
    }
    .map_err(|problem| ArtifactGlobError::Path {
        pattern: pattern.to_owned(),
        problem,
    })?;
    let rest = rest.join("/");
    let rooted = if base == "." {
        rest
    } else {
        format!("{}/{rest}", globset::escape(&base))
    };
    let matcher = GlobBuilder::new(&rooted)
        .literal_separator(true)
        .build()
        .map_err(|err| ArtifactGlobError::Invalid {
            pattern: pattern.to_owned(),
            kind: err.kind().clone(),
        })?
        .compile_matcher();
    Ok(ArtifactGlob {
        pattern: pattern.to_owned(),
        base,
        matcher,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(dir: &str, pattern: &str) -> ArtifactGlob {
        compile(&Some(dir.to_owned()), pattern).unwrap()
    }

    #[test]
    fn the_literal_prefix_is_the_base_and_every_pattern_is_anchored() {
        let g = glob("", "gen/api/**/*.md");
        assert_eq!(g.base, "gen/api");
        assert!(g.is_match("gen/api/a.md"));
        assert!(g.is_match("gen/api/x/y/b.md"));
        assert!(!g.is_match("other/gen/api/a.md"));
        let top = glob("", "*.json");
        assert_eq!(top.base, ".");
        assert!(top.is_match("a.json"));
        assert!(!top.is_match("sub/a.json"));
        let sub = glob("tools", "../gen/*.txt");
        assert_eq!(sub.base, "gen");
        assert!(sub.is_match("gen/a.txt"));
        let literal = glob("", "docs/graph.yaml");
        assert_eq!(literal.base, "docs");
        assert!(literal.is_match("docs/graph.yaml"));
    }

    #[test]
    fn escaping_empty_directory_and_bad_globs_are_refused() {
        let root = Some(String::new());
        assert!(compile(&root, "../x/*.md")
            .unwrap_err()
            .to_string()
            .contains("outside"));
        assert!(compile(&root, "/abs/*.md")
            .unwrap_err()
            .to_string()
            .contains("absolute"));
        assert!(compile(&root, "gen/*/../x")
            .unwrap_err()
            .to_string()
            .contains("`..`"));
        assert!(compile(&root, "gen/")
            .unwrap_err()
            .to_string()
            .contains("directory"));
        assert!(compile(&root, " ")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        assert!(compile(&root, "gen/[x")
            .unwrap_err()
            .to_string()
            .contains("invalid glob"));
    }
}
