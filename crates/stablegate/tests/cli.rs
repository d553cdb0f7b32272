//! The CLI integration tests: the real `stablegate` executable on fixture
//! trees, with exit code, standard output and standard error compared whole.
//!
//! One test binary (fast to link); topics live in `cli/<topic>.rs`, shared
//! fixtures and the runner in `cli/support.rs`.

#[path = "cli/action.rs"]
mod action;
#[path = "cli/allow.rs"]
mod allow;
#[path = "cli/allow_fixture.rs"]
mod allow_fixture;
#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/audit_conventions.rs"]
mod audit_conventions;
#[path = "cli/bounds.rs"]
mod bounds;
#[path = "cli/cache.rs"]
mod cache;
#[path = "cli/check_bad_input.rs"]
mod check_bad_input;
#[path = "cli/check_color.rs"]
mod check_color;
#[path = "cli/check_fixture.rs"]
mod check_fixture;
#[path = "cli/check_formats.rs"]
mod check_formats;
#[path = "cli/check_invalid.rs"]
mod check_invalid;
#[path = "cli/check_linters.rs"]
mod check_linters;
#[path = "cli/check_outputs.rs"]
mod check_outputs;
#[path = "cli/check_ruff.rs"]
mod check_ruff;
#[path = "cli/check_shift.rs"]
mod check_shift;
#[path = "cli/check_step_summary.rs"]
mod check_step_summary;
#[path = "cli/check_validators.rs"]
mod check_validators;
#[path = "cli/check_verdicts.rs"]
mod check_verdicts;
#[path = "cli/completions.rs"]
mod completions;
#[path = "cli/config.rs"]
mod config;
#[path = "cli/convert.rs"]
mod convert;
#[path = "cli/detectors.rs"]
mod detectors;
#[path = "cli/example_suite.rs"]
mod example_suite;
#[path = "cli/fail_closed.rs"]
mod fail_closed;
#[path = "cli/fresh_scope.rs"]
mod fresh_scope;
#[path = "cli/fresh_tree.rs"]
mod fresh_tree;
#[path = "cli/init.rs"]
mod init;
#[path = "cli/key.rs"]
mod key;
#[path = "cli/keys.rs"]
mod keys;
#[path = "cli/languages.rs"]
mod languages;
#[path = "cli/markers.rs"]
mod markers;
#[path = "cli/merge_allowlist.rs"]
mod merge_allowlist;
#[path = "cli/merge_allowlist_baselines.rs"]
mod merge_allowlist_baselines;
#[path = "cli/processes.rs"]
mod processes;
#[path = "cli/prune.rs"]
mod prune;
#[path = "cli/refresh.rs"]
mod refresh;
#[path = "cli/release_bad_input.rs"]
mod release_bad_input;
#[path = "cli/release_evidence.rs"]
mod release_evidence;
#[path = "cli/release_evidence_report.rs"]
mod release_evidence_report;
#[path = "cli/release_fixture.rs"]
mod release_fixture;
#[path = "cli/release_http.rs"]
mod release_http;
#[path = "cli/release_interrupt.rs"]
mod release_interrupt;
#[path = "cli/release_json.rs"]
mod release_json;
#[path = "cli/release_junit.rs"]
mod release_junit;
#[path = "cli/release_ledger.rs"]
mod release_ledger;
#[path = "cli/release_on_fail.rs"]
mod release_on_fail;
#[path = "cli/release_postgres.rs"]
mod release_postgres;
#[path = "cli/release_report.rs"]
mod release_report;
#[path = "cli/release_run.rs"]
mod release_run;
#[path = "cli/release_special_files.rs"]
mod release_special_files;
#[path = "cli/release_symlinks.rs"]
mod release_symlinks;
#[path = "cli/release_trace.rs"]
mod release_trace;
#[path = "cli/schema.rs"]
mod schema;
#[path = "cli/scoped.rs"]
mod scoped;
#[path = "cli/shell_values.rs"]
mod shell_values;
#[path = "cli/shrink_only.rs"]
mod shrink_only;
#[path = "cli/support.rs"]
mod support;
#[path = "cli/theater.rs"]
mod theater;
#[path = "cli/validators.rs"]
mod validators;
