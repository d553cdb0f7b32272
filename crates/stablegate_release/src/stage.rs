//! What the stage runners share: the attempt they run in, and how a stage
//! ends.

use std::collections::BTreeMap;
use std::path::Path;

use crate::progress::Observer;
use crate::state::State;

/// The attempt a stage runs in.
pub struct AttemptCx<'a> {
    /// The attempt directory (absolute).
    pub dir: &'a Path,
    /// Where commands run: the configuration file's directory.
    pub workdir: &'a Path,
    /// The project root (absolute): root-relative paths resolve here.
    pub root: &'a Path,
    /// The attempt's state document (its tag and versions).
    pub state: &'a mut State,
    pub observer: &'a mut dyn Observer,
}

impl AttemptCx<'_> {
    pub fn tag(&self) -> &str {
        &self.state.tag
    }

    /// `NAME` → version, as captured at the attempt's start.
    pub fn versions(&self) -> &BTreeMap<String, String> {
        &self.state.versions
    }
}

/// How a stage ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageEnd {
    Passed,
    /// The stage failed; `undecided` when bad input (not a red verdict)
    /// stopped it.
    Stopped {
        reason: String,
        undecided: bool,
        /// `(id, failure_mode)` of every failed scenario of the failing run
        /// (what `on_fail` hooks match on); empty for other stops.
        failed: Vec<(u64, Option<String>)>,
    },
}

impl StageEnd {
    pub fn stopped(reason: String) -> StageEnd {
        StageEnd::Stopped {
            reason,
            undecided: false,
            failed: Vec::new(),
        }
    }
}
