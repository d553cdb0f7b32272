//! `evidence report DIR --html FILE [--markdown FILE]`: one self-contained
//! page (and a Markdown summary) of an attempt, for people.
//!
//! The context is the attempt's [`View`] plus what a page needs and a
//! template should not compute: the integrity verdict of
//! [`crate::verify`], a runs × scenarios grid (one row per scenario id,
//! one column per run, stages in order), and `base`, the relative path
//! from the written file to the attempt directory so that links to run
//! results and logs work where the page is opened. The HTML has no script
//! and loads nothing: styles are inline. Rendering uses the built-in
//! templates `evidence.html` (auto-escaped) and `evidence.md`.

use std::path::{Component, Path, PathBuf};

use minijinja::Environment;
use serde::Serialize;
use serde_json::Value;

use crate::error::ReleaseError;
use crate::verify;
use crate::view::{self, View};

const HTML: &str = include_str!("evidence.html");
const MARKDOWN: &str = include_str!("evidence.md");

/// What the templates see.
#[derive(Debug, Serialize)]
struct Context {
    #[serde(flatten)]
    view: View,
    intact: bool,
    /// Whether the bundle carries an attestation (bundles of format
    /// version 1 were sealed before attestations existed).
    attested: bool,
    findings: Vec<String>,
    columns: Vec<Column>,
    grid: Vec<Row>,
    /// From the written file's directory to the attempt, `/`-separated.
    base: String,
}

#[derive(Debug, Serialize)]
struct Column {
    evidence: String,
    run_number: u64,
    outcome: String,
    file: String,
}

#[derive(Debug, Serialize)]
struct Row {
    id: Value,
    name: String,
    /// One per column; `None` where the run has no such scenario.
    cells: Vec<Option<Cell>>,
}

#[derive(Debug, Serialize)]
struct Cell {
    status: String,
    failure_mode: Option<String>,
    log: String,
}

/// Renders the page (`html = true`) or the Markdown summary of the attempt
/// at `dir`, for a file to be written at `output`.
pub fn render(dir: &Path, output: &Path, html: bool) -> Result<String, ReleaseError> {
    let verification = verify::verify(dir)?;
    let view = view::read(dir)?;
    let columns: Vec<Column> = (view.runs.iter())
        .map(|run| Column {
            evidence: run.evidence.clone(),
            run_number: run.run_number,
            outcome: run.outcome.clone(),
            file: run.file.clone(),
        })
        .collect();
    let mut grid: Vec<Row> = Vec::new();
    for (index, run) in view.runs.iter().enumerate() {
        for scenario in run.result["scenarios"].as_array().into_iter().flatten() {
            let id = scenario["id"].clone();
            let name = scenario["name"].as_str().unwrap_or("").to_owned();
            let position = match grid.iter().position(|row| row.id == id && row.name == name) {
                Some(position) => position,
                None => {
                    grid.push(Row {
                        id: id.clone(),
                        name,
                        cells: (0..columns.len()).map(|_| None).collect(),
                    });
                    grid.len() - 1
                }
            };
            let log = match id.as_u64() {
                Some(id) if id > 0 => format!("{}/{id}.stdout", run.logs),
                _ => format!("{}/junit.stdout", run.logs),
            };
            grid[position].cells[index] = Some(Cell {
                status: scenario["status"].as_str().unwrap_or("unknown").to_owned(),
                failure_mode: scenario["failure_mode"].as_str().map(str::to_owned),
                log,
            });
        }
    }
    let context = Context {
        intact: verification.intact(),
        attested: dir.join(crate::attestation::ATTESTATION).is_file(),
        findings: verification.findings,
        columns,
        grid,
        base: relative(output, dir),
        view,
    };
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let (name, source) = if html {
        ("evidence.html", HTML)
    } else {
        ("evidence.md", MARKDOWN)
    };
    env.template_from_named_str(name, source)
        .and_then(|template| template.render(&context))
        .map_err(|err| ReleaseError::Corrupt {
            path: dir.to_owned(),
            message: format!("cannot render the evidence report: {err}"),
        })
}

/// The path from `output`'s directory to `dir`, `/`-separated.
fn relative(output: &Path, dir: &Path) -> String {
    let absolute = |path: &Path| -> PathBuf {
        let joined = std::env::current_dir().map_or_else(|_| path.to_owned(), |cwd| cwd.join(path));
        let mut clean = PathBuf::new();
        for component in joined.components() {
            match component {
                Component::ParentDir => {
                    clean.pop();
                }
                Component::CurDir => {}
                other => clean.push(other),
            }
        }
        clean
    };
    let from = absolute(output.parent().unwrap_or(Path::new(".")));
    let to = absolute(dir);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = (0..from.components().count() - common)
        .map(|_| "..".to_owned())
        .collect();
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_from_the_page_to_the_attempt() {
        assert_eq!(
            relative(
                Path::new("/a/out/page.html"),
                Path::new("/a/ev/v1-attempt1")
            ),
            "../ev/v1-attempt1"
        );
        assert_eq!(relative(Path::new("/a/page.html"), Path::new("/a")), ".");
    }
}
