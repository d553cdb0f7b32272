//! The GFM tables of a Markdown file, with the line and byte range of every
//! cell, and the heading above each table.
//!
//! `pulldown-cmark` decides what is a table (so fenced code, HTML blocks and
//! indented code that merely look like tables are not tables) and where each
//! row starts. Each row's cells are then split from the row's own source
//! text, by GFM's rule (an unescaped `|` ends a cell, even inside a code
//! span), because the parser pads or cuts rows to the header's width and
//! does not give cell ranges an edit can rely on: this module keeps the
//! count a row really has, so a row with the wrong number of cells can be
//! reported. Reading a cell's value is [`super::cell`]'s job.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One table as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The text of the nearest heading above the table, if any.
    pub heading: Option<String>,
    pub header: Row,
    pub rows: Vec<Row>,
}

/// One row: its 1-based line and its cells' byte ranges in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    /// The row's text from its first byte to the end of its line.
    pub span: Range<usize>,
    pub cells: Vec<Range<usize>>,
}

/// Every table of `text`, in file order.
pub fn tables(text: &str) -> Vec<Table> {
    let starts = line_starts(text);
    let mut tables = Vec::new();
    let mut heading: Option<String> = None;
    let mut heading_text: Option<String> = None;
    let mut current: Option<Table> = None;
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                heading = heading_text.take().map(|text| text.trim().to_owned());
            }
            Event::Text(part) | Event::Code(part) => {
                if let Some(heading) = &mut heading_text {
                    heading.push_str(&part);
                }
            }
            Event::Start(Tag::Table(_)) => {
                current = Some(Table {
                    heading: heading.clone(),
                    header: row(text, &starts, range.start),
                    rows: Vec::new(),
                });
            }
            Event::Start(Tag::TableRow) => {
                if let Some(table) = &mut current {
                    table.rows.push(row(text, &starts, range.start));
                }
            }
            Event::End(TagEnd::Table) => tables.extend(current.take()),
            _ => {}
        }
    }
    tables
}

/// The 1-based line of a byte offset.
pub fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&start| start <= offset)
}

/// Byte offsets where lines start. A line ends at `\n`, `\r\n` or a lone
/// `\r`, as in CommonMark (and so as in the parser that finds the tables): a
/// file saved with classic Mac line endings has its rows on their own lines.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    std::iter::once(0)
        .chain(bytes.iter().enumerate().filter_map(|(i, &b)| {
            let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            ends.then_some(i + 1)
        }))
        .collect()
}

fn row(text: &str, starts: &[usize], start: usize) -> Row {
    let end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| start + i);
    Row {
        line: line_of(starts, start),
        span: start..end,
        cells: split(text, start..end),
    }
}

/// The cells of one row: the ranges between unescaped pipes, without the
/// optional leading and trailing pipe.
fn split(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let bytes = &text.as_bytes()[span.clone()];
    let line = &text[span.clone()];
    let mut from = line.len() - line.trim_start().len();
    let mut end = line.trim_end().len();
    if bytes.get(from) == Some(&b'|') {
        from += 1;
    }
    if end > from && bytes[end - 1] == b'|' && !escaped(bytes, end - 1) {
        end -= 1;
    }
    let mut cells = Vec::new();
    let (mut cell, mut i) = (from, from);
    while i < end {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => {
                cells.push(cell..i);
                cell = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    cells.push(cell..end.max(cell));
    cells
        .into_iter()
        .map(|cell| span.start + cell.start..span.start + cell.end)
        .collect()
}

/// Whether the byte at `at` is escaped by an odd run of backslashes.
fn escaped(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str, row: &Row) -> Vec<String> {
        row.cells
            .iter()
            .map(|r| text[r.clone()].trim().to_owned())
            .collect()
    }

    #[test]
    fn tables_come_with_their_heading_lines_and_cells() {
        let text = "# Sinks\n\nintro\n\n| file:line | why |\n|---|---|\n| a.py:3 | `x \\| y` |\n| b.py:9 | z |\n\n## Other `table`\n\n```\n| not | a table |\n|---|---|\n```\n\na | b\n--|--\n1 | 2\n";
        let tables = tables(text);
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].heading.as_deref(), Some("Sinks"));
        assert_eq!(tables[0].header.line, 5);
        assert_eq!(cells(text, &tables[0].header), ["file:line", "why"]);
        let lines: Vec<usize> = tables[0].rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [7, 8]);
        assert_eq!(cells(text, &tables[0].rows[0]), ["a.py:3", "`x \\| y`"]);
        assert_eq!(tables[1].heading.as_deref(), Some("Other table"));
        assert_eq!(cells(text, &tables[1].rows[0]), ["1", "2"]);
    }

    #[test]
    fn a_row_keeps_the_number_of_cells_it_really_has() {
        let text = "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 1 |\n";
        let table = &tables(text)[0];
        assert_eq!(table.rows[0].cells.len(), 3);
        assert_eq!(table.rows[1].cells.len(), 1);
    }

    #[test]
    fn crlf_lines_do_not_leak_into_the_last_cell() {
        let text = "| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n";
        let table = &tables(text)[0];
        assert_eq!(cells(text, &table.rows[0]), ["1", "2"]);
        assert_eq!(table.rows[0].line, 3);
    }

    #[test]
    fn lone_carriage_returns_end_lines_as_in_commonmark() {
        let lf = "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n";
        let cr = lf.replace('\n', "\r");
        let (lf_table, cr_table) = (&tables(lf)[0], &tables(&cr)[0]);
        assert_eq!(cr_table.rows.len(), 2);
        for (l, c) in lf_table.rows.iter().zip(&cr_table.rows) {
            assert_eq!(cells(&cr, c), cells(lf, l));
            assert_eq!((c.line, &c.span), (l.line, &l.span));
        }
        assert_eq!(cr_table.heading.as_deref(), Some("T"));
    }
}
