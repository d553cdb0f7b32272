//! Integration tests of the finding sources (`stablegate_gates::source`) on
//! fixture trees: patterns, ast-grep rule files, detector commands, SARIF
//! files, the prefilter's soundness over the Python standard library, and
//! the scan cache's (cached and uncached scans collect the same).
//!
//! One test binary (fast to link); topics live in `source/<topic>.rs`, the
//! fixture project in `source/support.rs`.

#[path = "source/cache.rs"]
mod cache;
#[path = "source/command.rs"]
mod command;
#[path = "source/patterns.rs"]
mod patterns;
#[path = "source/prefilter.rs"]
mod prefilter;
#[path = "source/rule_file.rs"]
mod rule_file;
#[path = "source/sarif.rs"]
mod sarif;
#[path = "source/support.rs"]
mod support;
