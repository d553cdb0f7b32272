//! An inventory as an audit reads it: the chosen table, its mapped columns,
//! and each row's identity (SPEC §8).
//!
//! [`read`] picks the table (by the heading above it, else the first one),
//! maps the `locator`, `qualname` and `token` columns by header name
//! (case-insensitively, after the cell undos of [`super::cell`]), and turns
//! every row into an [`InventoryRow`]: the file (`path_prefix` + the
//! locator's path), the locator's line and where its digits are written (for
//! `refresh`), the qualname, the token, and the `[inventory-only]` tag. Any
//! row it cannot read makes the whole inventory bad input: an audit that
//! skipped rows could pass vacuously. Decides no verdict.

use std::ops::Range;

use regex::Regex;
use stablegate_config::Audit;

use super::cell;
use super::error::InventoryError;
use super::markdown::{self, Row, Table};

/// The mark of a row that documents a sink no finding stands for.
pub const INVENTORY_ONLY: &str = "[inventory-only]";

/// The chosen table of one inventory, read.
#[derive(Debug, Clone)]
pub struct Inventory {
    /// Root-relative path of the Markdown file.
    pub path: String,
    /// The header's column names as written (the row to paste has them all).
    pub columns: Vec<String>,
    /// Index of the locator, qualname and token columns.
    pub mapped: [usize; 3],
    /// Whether each column's cells are mostly code spans.
    pub code: Vec<bool>,
    pub rows: Vec<InventoryRow>,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryRow {
    /// 1-based line of the row in the Markdown file.
    pub line: usize,
    /// Root-relative file: `path_prefix` + the locator's path.
    pub file: String,
    /// The locator's line number (a locator only: never compared).
    pub locator_line: usize,
    /// Byte range of the locator's line digits in the file.
    pub locator_digits: Range<usize>,
    pub qualname: String,
    pub token: String,
    pub tag: Tag,
}

/// The row's `[inventory-only]` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tag {
    None,
    /// Tagged, with the reference that follows the tag in its cell.
    Referenced(String),
    /// Tagged, without a reference.
    Bare,
}

/// Reads the audit's table from the inventory's text.
pub fn read(audit: &Audit, text: &str, reference: &Regex) -> Result<Inventory, InventoryError> {
    let file = audit.inventory.as_str();
    // A byte-order mark would stop the first line from being a heading or a
    // table; three spaces keep every offset (and so `refresh`'s edits) valid.
    let unmarked;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => text,
    };
    let tables = markdown::tables(text);
    let table = choose(file, &tables, audit.table.as_deref())?;
    let columns: Vec<String> = (table.header.cells.iter())
        .map(|range| cell::value(&text[range.clone()]))
        .collect();
    let find = |name: &str, role: &'static str| {
        let wanted = name.trim().to_lowercase();
        (columns.iter())
            .position(|column| column.trim().to_lowercase() == wanted)
            .ok_or_else(|| InventoryError::MissingColumn {
                file: file.to_owned(),
                line: table.header.line,
                column: name.to_owned(),
                role,
                known: columns
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    };
    let mapped = [
        find(&audit.columns.locator, "locator")?,
        find(&audit.columns.qualname, "qualname")?,
        find(&audit.columns.token, "token")?,
    ];
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        if row.cells.len() != columns.len() {
            return Err(InventoryError::CellCount {
                file: file.to_owned(),
                line: row.line,
                found: row.cells.len(),
                expected: columns.len(),
            });
        }
        rows.push(read_row(audit, text, row, mapped, reference)?);
    }
    let code = (0..columns.len())
        .map(|index| {
            let coded = (table.rows.iter())
                .filter(|row| cell::is_code(&text[row.cells[index].clone()]))
                .count();
            coded * 2 > table.rows.len()
        })
        .collect();
    Ok(Inventory {
        path: file.to_owned(),
        columns,
        mapped,
        code,
        rows,
    })
}

fn choose<'a>(
    file: &str,
    tables: &'a [Table],
    heading: Option<&str>,
) -> Result<&'a Table, InventoryError> {
    let Some(heading) = heading else {
        return tables.first().ok_or_else(|| InventoryError::NoTable {
            file: file.to_owned(),
        });
    };
    let wanted = heading.trim().to_lowercase();
    (tables.iter())
        .find(|table| table.heading.as_deref().map(str::to_lowercase) == Some(wanted.clone()))
        .ok_or_else(|| {
            if tables.is_empty() {
                return InventoryError::NoTable {
                    file: file.to_owned(),
                };
            }
            let mut known: Vec<String> = (tables.iter())
                .filter_map(|table| table.heading.as_ref())
                .map(|h| format!("`{h}`"))
                .collect();
            known.dedup();
            InventoryError::NoSuchTable {
                file: file.to_owned(),
                heading: heading.to_owned(),
                known: if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                },
            }
        })
}

fn read_row(
    audit: &Audit,
    text: &str,
    row: &Row,
    [locator, qualname, token]: [usize; 3],
    reference: &Regex,
) -> Result<InventoryRow, InventoryError> {
    let raw = |index: usize| &text[row.cells[index].clone()];
    let written = cell::value(raw(locator));
    let bad = || InventoryError::Locator {
        file: audit.inventory.clone(),
        line: row.line,
        locator: written.clone(),
    };
    let (path, digits) = written.rsplit_once(':').ok_or_else(bad)?;
    let path = path.trim();
    let number: usize = match digits.trim().parse() {
        Ok(n) if n > 0 && digits.trim().bytes().all(|b| b.is_ascii_digit()) => n,
        _ => return Err(bad()),
    };
    if path.is_empty() || path.contains(char::is_whitespace) {
        return Err(bad());
    }
    let file = format!("{}{}", audit.path_prefix, path.trim_start_matches("./"));
    // A leading `/` is refused in the locator as written, not only in the
    // joined path: `path_prefix` would otherwise hide it (`src/` + `/a.py`).
    let absolute = path.starts_with('/') || file.starts_with('/');
    if absolute || file.contains('\\') || file.split('/').any(|part| part == "..") {
        return Err(InventoryError::Escapes {
            file: audit.inventory.clone(),
            line: row.line,
            path: file,
        });
    }
    let cell_range = row.cells[locator].clone();
    let needle = format!(":{}", digits.trim());
    let at = text[cell_range.clone()].rfind(&needle).ok_or_else(bad)?;
    let start = cell_range.start + at + 1;
    let tag = (row.cells.iter())
        .map(|range| cell::value(&text[range.clone()]))
        .find_map(|value| {
            let at = value.find(INVENTORY_ONLY)?;
            let after = &value[at + INVENTORY_ONLY.len()..];
            Some(
                match reference.captures(after).and_then(|found| found.get(1)) {
                    Some(found) => Tag::Referenced(found.as_str().to_owned()),
                    None => Tag::Bare,
                },
            )
        })
        .unwrap_or(Tag::None);
    Ok(InventoryRow {
        line: row.line,
        file,
        locator_line: number,
        locator_digits: start..start + digits.trim().len(),
        qualname: cell::value(raw(qualname)),
        token: cell::value(raw(token)),
        tag,
    })
}

/// The reference regex of the `[inventory-only]` tag: a reference
/// ([`stablegate_config::REFERENCE`]) standing as a word of its own.
pub fn reference_regex() -> Regex {
    let source = format!(r"(?:^|[\s(\[:,;])({})", stablegate_config::REFERENCE);
    // Built from constants only (no input), and compiled by the tests.
    Regex::new(&source).expect("the reference pattern is a valid regex")
}
