//! Why an inventory cannot be audited at all (exit 2): it cannot be read,
//! has no such table, lacks a mapped column, or has a row that cannot be
//! read. Every message names the file and the line (`inventory.md:12`) and
//! reads after "failed to audit …".

/// An unusable inventory.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{file}: {source}")]
    Read {
        file: String,
        source: stablegate_io::read::ReadError,
    },
    #[error("{file}:{line}: is not valid UTF-8")]
    NotUtf8 { file: String, line: usize },
    #[error("{file}: has no Markdown table")]
    NoTable { file: String },
    #[error("{file}: has no table under a heading `{heading}` (headings above tables: {known})")]
    NoSuchTable {
        file: String,
        heading: String,
        known: String,
    },
    #[error("{file}:{line}: the table has no column `{column}` (mapped as `columns.{role}`; its columns: {known})")]
    MissingColumn {
        file: String,
        line: usize,
        column: String,
        role: &'static str,
        known: String,
    },
    #[error("{file}:{line}: the row has {found} cells, the table's header has {expected}")]
    CellCount {
        file: String,
        line: usize,
        found: usize,
        expected: usize,
    },
    #[error("{file}:{line}: the locator's path `{path}` is not a root-relative path inside the project (no `..`, no leading `/`, `/` separators)")]
    Escapes {
        file: String,
        line: usize,
        path: String,
    },
    #[error("{file}:{line}: the locator `{locator}` is not `path:line`")]
    Locator {
        file: String,
        line: usize,
        locator: String,
    },
}
