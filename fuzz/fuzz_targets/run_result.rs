//! Run results and result files (`stablegate_release`): the input split at
//! NUL bytes into the `run-<k>.json` files of one stage (`k` = 1, 2, …),
//! re-checked as `evidence verify` and the runner do
//! ([`run_result::check_stage`]); each part is also read as a scenario's
//! result file ([`result_file::parse`]). Checks that every problem names
//! its stage.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_release::{result_file, run_result};

fuzz_target!(|data: &[u8]| {
    let runs: Vec<(u32, Vec<u8>)> = (data.split(|&b| b == 0))
        .take(64)
        .zip(1..)
        .map(|(bytes, k)| (k, bytes.to_vec()))
        .collect();
    for problem in run_result::check_stage("runs", &runs) {
        assert!(problem.starts_with("runs"), "{problem}");
    }
    for (_, bytes) in &runs {
        let _ = result_file::parse(bytes);
    }
});
