//! Running a gate over the tree with some files replaced: in memory for
//! gates that scan the tree themselves, in the temporary copy for `command`
//! gates. Every run goes through [`run_gate`], the entry point of `check`.

use std::collections::BTreeMap;
use std::io;

use stablegate_config::Gate;
use stablegate_keys::decode_source;
use thiserror::Error;

use super::copy;
use crate::inputs::GateInputs;
use crate::run::{run_gate, GateError, RunContext};
use crate::source::SourceError;
use crate::tree::{Overlay, Tree};
use crate::verdict::GateOutcome;

/// Why a file of the unmutated tree has no text to mutate; the leg that
/// wanted it is `inconclusive` with this message.
#[derive(Debug, Error)]
pub(super) enum TextError {
    /// The file cannot be read.
    #[error("{file} cannot be read: {source}")]
    Unreadable { file: String, source: io::Error },
    /// The file is not UTF-8 text.
    #[error("{file} is not valid UTF-8")]
    NotUtf8 { file: String },
}

/// Runs the gate over the tree with some files replaced.
pub(super) enum Runner<'a> {
    InMemory {
        cx: RunContext<'a>,
        base: &'a GateInputs,
    },
    Copied {
        copy: &'a copy::Copy,
        cx: RunContext<'a>,
    },
}

impl Runner<'_> {
    fn root(&self) -> &std::path::Path {
        match self {
            Runner::InMemory { cx, .. } | Runner::Copied { cx, .. } => cx.root,
        }
    }

    pub(super) fn run(
        &self,
        gate: &Gate,
        leg: &'static str,
        files: BTreeMap<String, String>,
    ) -> Result<GateOutcome, GateError> {
        match self {
            Runner::InMemory { cx, base } => {
                let overlay = Overlay { files };
                let mutated = RunContext {
                    overlay: Some(&overlay),
                    reuse: Some(base),
                    ..*cx
                };
                run_gate(&mutated, gate)
            }
            Runner::Copied { copy, cx } => {
                let io = |source| GateError::Read {
                    path: "a temporary copy of the project".to_owned(),
                    source,
                };
                let replaced = copy.apply(&files).map_err(io)?;
                let outcome = run_gate(cx, gate);
                copy.restore(replaced).map_err(io)?;
                outcome.map_err(|err| in_copy(err, leg, copy))
            }
        }
    }

    /// The files a `pattern` gate scans in the unmutated tree, sorted.
    pub(super) fn scanned_files(&self, gate: &Gate) -> Result<Vec<String>, SourceError> {
        crate::source::pattern_files(self.root(), gate)
    }

    /// A file's decoded text in the unmutated tree.
    pub(super) fn text(&self, file: &str) -> Result<String, TextError> {
        let bytes = Tree::disk(self.root())
            .read(file)
            .map_err(|source| TextError::Unreadable {
                file: file.to_owned(),
                source,
            })?;
        decode_source(&bytes)
            .map(std::borrow::Cow::into_owned)
            .map_err(|_| TextError::NotUtf8 {
                file: file.to_owned(),
            })
    }
}

/// A gate error in the theater's copy of the tree, said to be there.
pub(super) fn in_copy(err: GateError, leg: &'static str, copy: &copy::Copy) -> GateError {
    GateError::InTheaterCopy {
        leg,
        root: copy.root().display().to_string(),
        source: Box::new(err),
    }
}
