//! stablegate's configuration: finding it, reading it, validating it (SPEC §3).
//!
//! [`load`] finds the file ([`discover`]), parses and validates it
//! ([`parse`], [`gate`]) and returns [`Gate`]s ready to run: names checked,
//! exactly one finding source, paths resolved to root-relative form, globs
//! compiled. Every error names the file, line, column and key
//! ([`ConfigError`]). This crate never walks the source tree and never runs a
//! gate.

mod artifact_glob;
mod audit;
mod canonical;
mod checks;
mod detector;
mod discover;
mod duration;
mod error;
mod field;
mod fresh;
mod gate;
mod gate_bounds;
mod globs;
mod location;
mod marker;
mod parse;
mod paths;
mod raw;
mod raw_release;
mod release;
mod release_http;
mod release_stage;
mod schema;
mod scope;

use std::path::{Path, PathBuf};

pub use artifact_glob::ArtifactGlob;
pub use audit::{Audit, Columns, InventoryOnlyReference, KnownCandidatesFrom};
pub use detector::Detector;
pub use error::{ConfigError, Location};
pub use fresh::{Artifacts, Fresh, DEFAULT_FRESH_TIMEOUT};
pub use gate::{FindingSource, Gate, OnParseError, Theater};
pub use globs::Globs;
pub use marker::{template_regex, Marker, ReasonRule, TemplateError, REFERENCE};
pub use release::{
    Action, Canary, Expect, HttpCheck, Junit, OnFail, Probe, ProbeSource, Release, Report,
    Scenario, Stage, Suite, Trace, VersionSpec, DEFAULT_HTTP_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use schema::{pyproject_schema, schema};
pub use scope::Scope;

/// A loaded, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// The file's name for messages: root-relative, or as given to `--config`.
    pub display: String,
    /// The shared detectors (`[[detector]]`), in file order.
    pub detectors: Vec<Detector>,
    /// `[check] base`: the revision `shrink_only` allowlists are compared
    /// with, unless `--base` says otherwise.
    pub base: Option<String>,
    /// The code gates, in file order.
    pub gates: Vec<Gate>,
    /// Inventory audits (`[[audit]]`, SPEC §8), in file order.
    pub audits: Vec<Audit>,
    /// Marker censuses (`[[marker]]`, SPEC §9).
    pub markers: Vec<Marker>,
    /// Freshness checks (`[[fresh]]`, SPEC §9).
    pub fresh: Vec<Fresh>,
    /// Change-scope checks (`[[scope]]`, SPEC §9).
    pub scopes: Vec<Scope>,
    /// The release gates (`[release.NAME]`), in file order.
    pub releases: Vec<Release>,
}

/// Loads the configuration for the project at `root`: the `explicit` file
/// (`--config`) if given, else the one discovered in `root`. `Ok(None)` when
/// there is none.
pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Option<Config>, ConfigError> {
    let Some(candidate) = discover::discover(root, explicit) else {
        return Ok(None);
    };
    // A FIFO or `/dev/zero` named with `--config` is refused, not read
    // until memory runs out (SPEC §12.6).
    let bytes = stablegate_io::read::regular(&candidate.path, stablegate_io::read::TEXT_LIMIT)
        .map_err(|source| ConfigError::Read {
            file: candidate.display.clone(),
            source,
        })?;
    let dir = discover::config_dir(root, &candidate.path);
    from_bytes(candidate, &bytes, &dir)
}

/// What [`load`] would return if the configuration file at `path` (in
/// `root`, named `display` in messages) held `text`: for a command that
/// checks a file it is about to write (`init`) before writing it.
pub fn load_text(
    root: &Path,
    path: &Path,
    display: &str,
    text: &str,
) -> Result<Option<Config>, ConfigError> {
    let candidate = discover::Candidate {
        path: path.to_owned(),
        display: display.to_owned(),
        format: discover::format_of(path),
        explicit: false,
    };
    let dir = discover::config_dir(root, path);
    from_text(candidate, text, &dir)
}

/// Decodes the bytes of the `candidate` file (UTF-8, an optional BOM) and
/// parses them ([`from_text`]).
fn from_bytes(
    candidate: discover::Candidate,
    bytes: &[u8],
    dir: &paths::ConfigDir,
) -> Result<Option<Config>, ConfigError> {
    let text = std::str::from_utf8(bytes).map_err(|err| ConfigError::NotUtf8 {
        file: candidate.display.clone(),
        line: 1 + bytes[..err.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    from_text(candidate, text, dir)
}

/// Parses and validates the text of the `candidate` file, whose directory
/// relative to the root is `dir`.
fn from_text(
    candidate: discover::Candidate,
    text: &str,
    dir: &paths::ConfigDir,
) -> Result<Option<Config>, ConfigError> {
    match parse::parse(&candidate.display, text, candidate.format, dir)? {
        Some(parsed) if parsed.is_empty() => Err(ConfigError::Empty {
            file: candidate.display,
        }),
        Some(parsed) => Ok(Some(Config {
            path: candidate.path,
            display: candidate.display,
            detectors: parsed.detectors,
            base: parsed.base,
            gates: parsed.gates,
            audits: parsed.checks.audits,
            markers: parsed.checks.markers,
            fresh: parsed.checks.fresh,
            scopes: parsed.checks.scopes,
            releases: parsed.releases,
        })),
        None if candidate.explicit => Err(ConfigError::NoToolTable {
            file: candidate.display,
        }),
        None => Ok(None),
    }
}

/// Entry points for the fuzz targets (`fuzz/`): the loader without the
/// file system. Not a stable interface.
#[doc(hidden)]
pub mod fuzzing {
    use std::path::Path;

    use super::{discover, from_bytes, Config, ConfigError};

    /// What [`super::load`] gives when the configuration file `name`
    /// (`stablegate.toml`, `pyproject.toml`, …) holds `bytes`. `explicit`:
    /// it was given with `--config`. `dir`: its directory relative to the
    /// root (`Some("")` for the root itself), `None` when outside the root.
    pub fn load_bytes(
        name: &str,
        bytes: &[u8],
        explicit: bool,
        dir: Option<&str>,
    ) -> Result<Option<Config>, ConfigError> {
        let candidate = discover::Candidate {
            path: Path::new(name).to_owned(),
            display: name.to_owned(),
            format: discover::format_of(Path::new(name)),
            explicit,
        };
        from_bytes(candidate, bytes, &dir.map(str::to_owned))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const GATE: &str = "[[gate]]\nname = \"a\"\npattern = \"x\"\npaths = [\"src\"]\n";

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = root.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        root
    }

    #[test]
    fn no_configuration_file_loads_nothing() {
        let root = project(&[("pyproject.toml", "[project]\nname = \"x\"\n")]);
        assert!(load(root.path(), None).unwrap().is_none());
    }

    #[test]
    fn pyproject_tool_table_is_discovered() {
        let text = format!(
            "[project]\nname = \"x\"\n\n{}",
            GATE.replace("[[gate]]", "[[tool.stablegate.gate]]")
        );
        let root = project(&[("pyproject.toml", &text)]);
        let config = load(root.path(), None).unwrap().unwrap();
        assert_eq!(config.display, "pyproject.toml");
        assert_eq!(config.gates[0].paths, ["src"]);
        assert_eq!(config.gates[0].location.to_string(), "pyproject.toml:5:8");
    }

    #[test]
    fn explicit_config_paths_resolve_against_its_directory() {
        let root = project(&[("ci/gates.toml", GATE), ("stablegate.toml", "# none\n")]);
        let explicit = root.path().join("ci/gates.toml");
        let config = load(root.path(), Some(&explicit)).unwrap().unwrap();
        assert_eq!(config.gates[0].paths, ["ci/src"]);
    }

    #[test]
    fn explicit_config_that_is_missing_is_an_error() {
        let root = project(&[]);
        let err = load(root.path(), Some(Path::new("nowhere.toml"))).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("nowhere.toml: cannot read the configuration:"),
            "{err}"
        );
    }

    #[test]
    fn explicit_pyproject_without_our_table_is_an_error() {
        let root = project(&[("pyproject.toml", "[project]\n")]);
        let explicit = root.path().join("pyproject.toml");
        let err = load(root.path(), Some(&explicit)).unwrap_err();
        assert!(matches!(err, ConfigError::NoToolTable { .. }), "{err}");
    }

    #[test]
    fn the_fuzzing_loader_gives_what_load_gives() {
        let text = format!(
            "\u{feff}[project]\n\n{}",
            GATE.replace("[[gate]]", "[[tool.stablegate.gate]]")
        );
        let root = project(&[("pyproject.toml", &text)]);
        let loaded = load(root.path(), None).unwrap().unwrap();
        let from_bytes = fuzzing::load_bytes("pyproject.toml", text.as_bytes(), false, Some(""))
            .unwrap()
            .unwrap();
        assert_eq!(from_bytes.gates[0].location, loaded.gates[0].location);
        assert_eq!(from_bytes.gates[0].paths, loaded.gates[0].paths);
        let err = fuzzing::load_bytes("x.toml", b"# ok\n\xff", true, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.toml:2: the configuration is not valid UTF-8"
        );
        let none = fuzzing::load_bytes("pyproject.toml", b"[project]\n", true, None).unwrap_err();
        assert!(matches!(none, ConfigError::NoToolTable { .. }), "{none}");
    }

    #[test]
    fn a_non_utf8_configuration_names_its_line() {
        let root = project(&[]);
        fs::write(root.path().join("stablegate.toml"), b"# ok\n# \xff\n").unwrap();
        let err = load(root.path(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "stablegate.toml:2: the configuration is not valid UTF-8"
        );
    }
}
