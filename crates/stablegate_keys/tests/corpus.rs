//! Differential test over real code: a deterministic sample of the `.py`
//! files of the machine's Python installation (stdlib, site-packages
//! included), keyed by CPython 3.11 (`tools/reference_keys.py`, one batched
//! run with `--jobs 2`) and by `stablegate_keys` in-process; every file must
//! agree exactly (keys, parse verdict, and skip-or-not for non-UTF-8 files).
//!
//! `STABLEGATE_CORPUS_DIR` replaces the corpus directory and
//! `STABLEGATE_CORPUS_SAMPLE` the target sample size (default 2,200; `0`
//! takes every file). Without CPython 3.11 the test prints a notice and
//! passes, except under `CI`.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::{diff, ours_bytes, python, run_reference, Outcome};

#[test]
fn sample_of_installed_python_files_matches_cpython() {
    let Some(python) = python() else {
        return;
    };
    let root = std::env::var_os("STABLEGATE_CORPUS_DIR")
        .map_or_else(|| common::stdlib_dir(python), PathBuf::from);
    let target: usize = std::env::var("STABLEGATE_CORPUS_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2200);

    let all = common::python_files(&root);
    assert!(!all.is_empty(), "no .py files under {root:?}");
    // Target 0 takes every file.
    let step = all.len().checked_div(target).unwrap_or(1).max(1);
    let sample: Vec<PathBuf> = all.iter().step_by(step).cloned().collect();

    let started = Instant::now();
    let listing: String = sample
        .iter()
        .map(|p| format!("{}\n", p.to_str().expect("UTF-8 path")))
        .collect();
    let root_arg = root.to_str().expect("UTF-8 path");
    let records = run_reference(
        python,
        &[
            "--format",
            "files",
            "--jobs",
            "2",
            "--root",
            root_arg,
            "--files-from",
            "-",
        ],
        listing.into_bytes(),
    );
    let reference_time = started.elapsed();
    assert_eq!(records.len(), sample.len(), "one reference record per file");

    let started = Instant::now();
    let mut mismatches = Vec::new();
    let (mut agree_lines, mut total_lines, mut skipped) = (0usize, 0usize, Vec::new());
    for (path, record) in sample.iter().zip(&records) {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
        let actual = ours_bytes(&bytes);
        match (&record.outcome, &actual) {
            (Outcome::Keyed { keys: e, .. }, Outcome::Keyed { keys: a, .. }) => {
                let (agree, total) = common::line_agreement(e, a);
                agree_lines += agree;
                total_lines += total;
            }
            (Outcome::Skipped(reason), _) => skipped.push(format!("{}: {reason}", record.file)),
            _ => {}
        }
        if let Some(report) = diff(&record.file, &bytes, &record.outcome, &actual) {
            mismatches.push(format!("{report}{}", record.notes()));
        }
    }
    let ours_time = started.elapsed();

    let summary = format!(
        "corpus {root:?}: {} of {} files sampled (every {step}th); {} files agree, {} differ; \
         lines agreeing {agree_lines}/{total_lines}; {} skipped as not UTF-8; \
         reference {:.1} s, ours {:.2} s",
        sample.len(),
        all.len(),
        sample.len() - mismatches.len(),
        mismatches.len(),
        skipped.len(),
        reference_time.as_secs_f64(),
        ours_time.as_secs_f64(),
    );
    eprintln!("{summary}");
    for skip in &skipped {
        eprintln!("  skipped {skip}");
    }
    assert!(
        mismatches.is_empty(),
        "{summary}\nfirst mismatching files:\n{}",
        mismatches
            .iter()
            .take(5)
            .map(|m| truncate(m, 40))
            .collect::<String>()
    );
}

/// At most `lines` lines of a report.
fn truncate(report: &str, lines: usize) -> String {
    let mut out: String = report
        .lines()
        .take(lines)
        .map(|l| format!("{l}\n"))
        .collect();
    if report.lines().count() > lines {
        out.push_str("  ...\n");
    }
    out
}
