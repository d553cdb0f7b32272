//! Loading YAML text into saphyr's marked tree, safely.
//!
//! Responsible for driving saphyr's parser event by event into its loader
//! with scalar resolution off, under a nesting limit and an alias budget, and
//! for turning its errors (and a second document) into [`AllowlistError`]s.
//! Not responsible for what the tree means (see `parse`).

use saphyr::{MarkedYaml, YamlLoader};
use saphyr_parser::{Event, Parser, ScanError, SpannedEventReceiver};

use super::error::AllowlistError;

/// Deeper nesting than any allowlist needs is refused while saphyr builds the
/// tree: its loader recurses once per level, and `- - - - …` on one line
/// nests without limit.
const MAX_DEPTH: usize = 64;

/// Aliases clone their anchor's subtree; a small budget keeps a hostile file
/// from growing the tree (and its depth) by repeated aliasing.
const ALIAS_LIMIT: usize = 10_000;

pub(super) fn load<'input>(
    file: &str,
    text: &'input str,
) -> Result<Vec<MarkedYaml<'input>>, AllowlistError> {
    let mut loader: YamlLoader<'input, MarkedYaml<'input>> = YamlLoader::default();
    loader.early_parse(false);
    loader.alias_limit(ALIAS_LIMIT);
    let mut guarded = DepthGuard {
        loader,
        depth: 0,
        too_deep: None,
        document_lines: Vec::new(),
    };
    // Events are pulled one by one: `Parser::load` recurses once per level.
    let mut parser = Parser::new_from_str(text);
    let mut failure = None;
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => guarded.on_event(event, span),
            Err(error) => failure = Some(error),
        }
        if failure.is_some() || guarded.too_deep.is_some() {
            break;
        }
    }
    let failure = failure
        .or_else(|| guarded.too_deep.clone())
        .or_else(|| guarded.loader.error().cloned());
    match failure {
        Some(error) => Err(AllowlistError::Yaml {
            file: file.to_owned(),
            line: error.marker().line(),
            column: error.marker().col() + 1,
            message: error.info().to_owned(),
        }),
        None => match guarded.document_lines.get(1) {
            Some(&line) => Err(AllowlistError::SeveralDocuments {
                file: file.to_owned(),
                line,
            }),
            None => Ok(guarded.loader.into_documents()),
        },
    }
}

/// Forwards events to the loader until the nesting passes [`MAX_DEPTH`].
struct DepthGuard<'input> {
    loader: YamlLoader<'input, MarkedYaml<'input>>,
    depth: usize,
    too_deep: Option<ScanError>,
    /// The line each document starts on (its `---`, if written).
    document_lines: Vec<usize>,
}

impl<'input> SpannedEventReceiver<'input> for DepthGuard<'input> {
    fn on_event(&mut self, event: Event<'input>, span: saphyr_parser::Span) {
        if self.too_deep.is_some() {
            return;
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    let message = format!("nesting deeper than {MAX_DEPTH} levels");
                    self.too_deep = Some(ScanError::new(span.start, message));
                    return;
                }
            }
            Event::SequenceEnd | Event::MappingEnd => self.depth = self.depth.saturating_sub(1),
            Event::DocumentStart(_) => self.document_lines.push(span.start.line()),
            _ => {}
        }
        self.loader.on_event(event, span);
    }
}
