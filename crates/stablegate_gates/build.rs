//! Fingerprints the locked dependency versions (the tree-sitter grammars
//! among them) for the scan cache: a cache written by a build with other
//! grammars is never read (see `src/source/cache.rs`).

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // The workspace's lock file; a build outside the workspace (a published
    // crate) has none and fingerprints the crate version alone.
    let lock = Path::new(&manifest).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let bytes = std::fs::read(&lock).unwrap_or_default();
    // FNV-1a, 64 bits: enough to tell two lock files apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    println!("cargo:rustc-env=STABLEGATE_LOCK_HASH={hash:016x}");
}
