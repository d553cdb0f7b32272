//! What the stage runners share: the attempt they run in, and how a stage
//! ends.

use std::collections::BTreeMap;
use std::path::Path;

use crate::progress::Observer;

/// The attempt a stage runs in.
pub struct AttemptCx<'a> {
    /// The attempt directory (absolute).
    pub dir: &'a Path,
    /// Where commands run: the configuration file's directory.
    pub workdir: &'a Path,
    /// The project root (absolute): root-relative paths resolve here.
    pub root: &'a Path,
    pub tag: &'a str,
    /// `NAME` → version, as captured at the attempt's start.
    pub versions: &'a BTreeMap<String, String>,
    pub observer: &'a mut dyn Observer,
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
