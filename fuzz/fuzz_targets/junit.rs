//! JUnit XML reports (`junit` canary suites): the report's bytes read as the
//! suite reads them (lossy UTF-8, then [`junit::scenarios`]). Checks that
//! scenario ids count from 1 in document order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_release::junit;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(scenarios) = junit::scenarios(&text) {
        for (scenario, id) in scenarios.iter().zip(1..) {
            assert_eq!(scenario.id, id);
        }
    }
});
