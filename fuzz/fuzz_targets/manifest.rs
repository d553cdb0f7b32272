//! `MANIFEST.sha256` (`stablegate_release::manifest`): the manifest's bytes
//! read as `evidence verify` reads them (lossy UTF-8, then [`parse`]).
//! Checks that every line is either read or named as a problem, and that a
//! manifest rendered from what was read reads back the same: for paths a
//! `sha256sum`-style line can hold (no line break in them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stablegate_release::manifest::{parse, render, Hashes};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (hashes, problems) = parse(&text);
    assert_eq!(hashes.len() + problems.len(), text.lines().count());
    for problem in &problems {
        assert!(problem.starts_with("MANIFEST.sha256:"), "{problem}");
    }
    let writable: Hashes = (hashes.into_iter())
        .filter(|(path, _)| !path.contains(['\n', '\r']))
        .collect();
    let (again, problems) = parse(&render(&writable));
    assert_eq!(again, writable);
    assert!(problems.is_empty(), "{problems:?}");
});
