//! SARIF artifact URIs made root-relative paths.
//!
//! A SARIF `artifactLocation` is a URI (RFC 3986), absolute (`file:///…`) or
//! relative, optionally relative to a named base (`uriBaseId`) that the run
//! may define in `originalUriBaseIds` (whose entries may themselves name a
//! base). The rules here:
//!
//! - `file:` URIs (`file:///p`, `file://localhost/p`, `file:/p`) are local
//!   absolute paths; another host, or another scheme, cannot be read;
//! - a relative URI is resolved against its base when the run defines it,
//!   and against the project root otherwise — an undefined base such as
//!   `%SRCROOT%` is, by the convention of SARIF consumers, the checkout's root,
//!   and tools run from the root (ruff, semgrep) print root-relative URIs;
//! - percent-escapes are decoded (`%20`), and must decode to UTF-8;
//! - the result must lie inside the root ([`relative_to_root`]).
//!
//! `Err` ([`UriError`]) is the reason the location cannot be used, to report
//! the result as skipped; it reads after "file" (``file `x` names another
//! host``).

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use thiserror::Error;

use super::external::{relative_to_root, PathError};

/// How many `uriBaseId` links are followed before giving up (a cycle).
const MAX_BASE_DEPTH: usize = 16;

/// Why an artifact location cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum UriError {
    /// A URI with a scheme other than `file:`.
    #[error("`{uri}` is not a file URI")]
    NotFile { uri: String },
    /// A `file:` URI naming a host other than `localhost`.
    #[error("`{uri}` names another host")]
    OtherHost { uri: String },
    /// A `file:` URI whose path is not absolute.
    #[error("`{uri}` is not an absolute file URI")]
    NotAbsolute { uri: String },
    /// Percent-escapes that do not decode to UTF-8 (`text` is the part
    /// decoded, query and fragment cut).
    #[error("`{text}` does not decode to UTF-8")]
    NotUtf8 { text: String },
    /// `uriBaseId` links that go on past [`MAX_BASE_DEPTH`] (a cycle).
    #[error("`uriBaseId` chain of `{uri}` does not end")]
    EndlessBases { uri: String },
    /// The resolved path cannot be made root-relative.
    #[error("`{uri}` {source}")]
    Path { uri: String, source: PathError },
}

/// The root-relative path an artifact location stands for.
pub(crate) fn resolve(
    root: &Path,
    uri: &str,
    base_id: Option<&str>,
    bases: Option<&Map<String, Value>>,
) -> Result<String, UriError> {
    let path = absolute_or_relative(uri, base_id, bases, 0)?;
    relative_to_root(root, &path).map_err(|source| UriError::Path {
        uri: uri.to_owned(),
        source,
    })
}

/// The path of `uri` after its base chain: absolute, or relative to the root.
fn absolute_or_relative(
    uri: &str,
    base_id: Option<&str>,
    bases: Option<&Map<String, Value>>,
    depth: usize,
) -> Result<PathBuf, UriError> {
    if let Some(path) = file_uri(uri)? {
        return Ok(path);
    }
    let relative = decode(uri)?;
    let base = match base_id.and_then(|id| bases?.get(id)) {
        Some(base) if depth < MAX_BASE_DEPTH => {
            let base_uri = base.get("uri").and_then(Value::as_str).unwrap_or_default();
            let parent = base.get("uriBaseId").and_then(Value::as_str);
            absolute_or_relative(base_uri, parent, bases, depth + 1)?
        }
        Some(_) => {
            return Err(UriError::EndlessBases {
                uri: uri.to_owned(),
            })
        }
        None => PathBuf::new(),
    };
    Ok(base.join(relative))
}

/// `Some(path)` for a `file:` URI, `None` for a relative reference, `Err`
/// for anything else.
fn file_uri(uri: &str) -> Result<Option<PathBuf>, UriError> {
    let Some(colon) = uri.find(':') else {
        return Ok(None);
    };
    let scheme = &uri[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !is_scheme || scheme.contains('/') {
        return Ok(None);
    }
    if !scheme.eq_ignore_ascii_case("file") {
        return Err(UriError::NotFile {
            uri: uri.to_owned(),
        });
    }
    let rest = &uri[colon + 1..];
    let path = match rest.strip_prefix("//") {
        Some(authority_and_path) => {
            let slash = authority_and_path
                .find('/')
                .unwrap_or(authority_and_path.len());
            let host = &authority_and_path[..slash];
            if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
                return Err(UriError::OtherHost {
                    uri: uri.to_owned(),
                });
            }
            &authority_and_path[slash..]
        }
        None => rest,
    };
    if !path.starts_with('/') {
        return Err(UriError::NotAbsolute {
            uri: uri.to_owned(),
        });
    }
    decode(path).map(Some)
}

fn decode(text: &str) -> Result<PathBuf, UriError> {
    let text = text.split(['?', '#']).next().unwrap_or_default();
    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| PathBuf::from(decoded.into_owned()))
        .map_err(|_| UriError::NotUtf8 {
            text: text.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOT: &str = "/work/project";

    fn resolved(uri: &str, base: Option<&str>, bases: Value) -> Result<String, String> {
        resolve(Path::new(ROOT), uri, base, bases.as_object()).map_err(|err| err.to_string())
    }

    #[test]
    fn file_uris_inside_the_root_become_relative_paths() {
        for uri in [
            "file:///work/project/src/a%20b.py",
            "file://localhost/work/project/src/a%20b.py",
            "file:/work/project/src/a%20b.py",
        ] {
            assert_eq!(
                resolved(uri, None, json!(null)).as_deref(),
                Ok("src/a b.py"),
                "{uri}"
            );
        }
    }

    #[test]
    fn relative_uris_resolve_against_a_defined_base_or_the_root() {
        let bases = json!({"SRC": {"uri": "src/", "uriBaseId": "ROOT"},
                           "ROOT": {"uri": "file:///work/project/"}});
        assert_eq!(
            resolved("pkg/a.py", Some("SRC"), bases.clone()).as_deref(),
            Ok("src/pkg/a.py")
        );
        assert_eq!(
            resolved("pkg/a.py", Some("%SRCROOT%"), bases).as_deref(),
            Ok("pkg/a.py")
        );
        assert_eq!(
            resolved("./pkg/a.py", None, json!(null)).as_deref(),
            Ok("pkg/a.py")
        );
    }

    #[test]
    fn locations_that_cannot_be_read_say_why() {
        let err = resolved("file:///etc/passwd", None, json!(null)).unwrap_err();
        assert!(err.ends_with("is outside the project root"), "{err}");
        assert!(resolved("https://example.org/a.py", None, json!(null))
            .unwrap_err()
            .contains("not a file URI"));
        assert!(resolved("file://server/share/a.py", None, json!(null))
            .unwrap_err()
            .contains("another host"));
        assert!(resolved("../a.py", None, json!(null))
            .unwrap_err()
            .contains("leads outside"));
        assert!(resolved("a%FF.py", None, json!(null))
            .unwrap_err()
            .contains("UTF-8"));
    }

    #[test]
    fn a_cyclic_base_chain_is_refused() {
        let bases =
            json!({"A": {"uri": "a/", "uriBaseId": "B"}, "B": {"uri": "b/", "uriBaseId": "A"}});
        assert!(resolved("x.py", Some("A"), bases)
            .unwrap_err()
            .contains("does not end"));
    }
}
