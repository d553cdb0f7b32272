//! Source lines for code frames, fetched by the caller.
//!
//! Renderers never read files: the human renderer asks a [`SourceLines`] for
//! the one line an item points at and draws a frame only if it gets one. The
//! caller decides where text comes from (the files it already decoded while
//! keying, a cache, nothing at all), how much of a huge line to hand over, and
//! what to do about files that have changed since. This module does no I/O.

use std::collections::BTreeMap;

/// Gives the text of one line of one file.
pub trait SourceLines {
    /// The text of 1-based `line` of root-relative `file`, without its line
    /// ending; `None` when the file or the line is not available (no frame is
    /// drawn then).
    fn line(&self, file: &str, line: usize) -> Option<String>;
}

/// No sources: every item is printed without a code frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSources;

impl SourceLines for NoSources {
    fn line(&self, _file: &str, _line: usize) -> Option<String> {
        None
    }
}

/// Whole files held in memory, by root-relative path, with the span of
/// every line found once on insertion: a report of 80,000 items in one
/// file looks up 80,000 lines, and must not split the file for each.
#[derive(Debug, Clone, Default)]
pub struct MemorySources {
    files: BTreeMap<String, Lines>,
}

/// A file's text and the byte span of each of its lines, line ending left
/// out.
#[derive(Debug, Clone, Default)]
struct Lines {
    text: String,
    spans: Vec<(usize, usize)>,
}

impl Lines {
    /// Splits on `\n`, `\r\n` and `\r`, the line ends a Python source may
    /// use; the text after the last line end is a line too (empty when the
    /// file ends with one).
    fn new(text: String) -> Self {
        let bytes = text.as_bytes();
        let mut spans = Vec::new();
        let (mut start, mut at) = (0, 0);
        while at < bytes.len() {
            match bytes[at] {
                b'\n' => {
                    spans.push((start, at));
                    start = at + 1;
                }
                b'\r' => {
                    spans.push((start, at));
                    if bytes.get(at + 1) == Some(&b'\n') {
                        at += 1;
                    }
                    start = at + 1;
                }
                _ => {}
            }
            at += 1;
        }
        spans.push((start, bytes.len()));
        Lines { text, spans }
    }
}

impl MemorySources {
    /// No files yet.
    pub fn new() -> Self {
        MemorySources::default()
    }

    /// Adds (or replaces) the text of `file`.
    pub fn insert(&mut self, file: impl Into<String>, text: impl Into<String>) {
        self.files.insert(file.into(), Lines::new(text.into()));
    }
}

impl SourceLines for MemorySources {
    /// Lines end at `\n`, `\r\n` or `\r`, the line ends a Python source
    /// may use.
    fn line(&self, file: &str, line: usize) -> Option<String> {
        let lines = self.files.get(file)?;
        let &(start, end) = lines.spans.get(line.checked_sub(1)?)?;
        lines.text.get(start..end).map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sources_count_lines_from_one_across_line_endings() {
        let mut sources = MemorySources::new();
        sources.insert("a.py", "one\r\ntwo\rthree\nfour");
        assert_eq!(sources.line("a.py", 1).as_deref(), Some("one"));
        assert_eq!(sources.line("a.py", 2).as_deref(), Some("two"));
        assert_eq!(sources.line("a.py", 3).as_deref(), Some("three"));
        assert_eq!(sources.line("a.py", 4).as_deref(), Some("four"));
        assert_eq!(sources.line("a.py", 5), None);
        assert_eq!(sources.line("a.py", 0), None);
        sources.insert("b.py", "a\r\r\nb\n");
        let lines: Vec<Option<String>> = (1..=5).map(|n| sources.line("b.py", n)).collect();
        assert_eq!(
            lines,
            [
                Some("a".into()),
                Some(String::new()),
                Some("b".into()),
                Some(String::new()),
                None
            ]
        );
        assert_eq!(sources.line("c.py", 1), None);
        assert_eq!(NoSources.line("a.py", 1), None);
    }
}
