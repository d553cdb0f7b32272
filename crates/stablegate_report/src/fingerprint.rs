//! The `stablegate/v1` fingerprint: a content key as a short, stable hex string.
//!
//! SARIF consumers (GitHub code scanning among them) match results across runs
//! by `partialFingerprints`. stablegate's identity of a site is its content key
//! `(file, qualname, token)` (SPEC §2), never its line, so that is what the
//! fingerprint hashes:
//!
//! ```text
//! stablegate/v1 = lowercase hex of the first 16 bytes of
//!                 SHA-256( file || 0x00 || qualname || 0x00 || token )
//! ```
//!
//! with each field as UTF-8 bytes, exactly as the item carries it. A NUL byte
//! separates the fields because none of them can hold one (a source with a NUL
//! byte has no keys). 32 hex characters (128 bits) leave collisions out of
//! reach for any repository. The name carries the scheme's version: a change
//! of the input or the hash would be `stablegate/v2`, and `v1` would keep its
//! meaning.
//!
//! GitHub code scanning tracks alerts by another fingerprint,
//! `primaryLocationLineHash`, which its upload action computes (when the log
//! has none) by hashing the text around the result's line. stablegate sets it
//! itself, derived from the content key instead, so that GitHub matches an
//! alert across runs exactly as stablegate matches a site — a line shift keeps
//! it, an edit of the accepted line changes it. The value has GitHub's shape,
//! `<16 hex>:<n>`:
//!
//! ```text
//! primaryLocationLineHash = the first 16 hex characters of stablegate/v1
//!                           ":" n
//! ```
//!
//! where `n` counts, from 1, the results of the same rule with the same
//! hash, in report order (sites that share a key are told apart by their
//! order in the file, which a line shift does not change). Results located
//! on an allowlist entry rather than a site (`stale`, `expired`, …: see
//! `sarif`) hash the key with the prefix `entry` and a NUL byte
//! (`SHA-256("entry" || 0x00 || file || 0x00 || qualname || 0x00 || token)`,
//! first 16 hex characters): they are alerts about the entry, and must never
//! share an identity — or an occurrence count, whose order would then mix
//! entry lines with live lines — with the site's own result.

use sha2::{Digest, Sha256};

/// The `partialFingerprints` key under which the value is written.
pub const FINGERPRINT_KEY: &str = "stablegate/v1";

/// The `partialFingerprints` key GitHub code scanning tracks alerts by.
pub const LINE_HASH_KEY: &str = "primaryLocationLineHash";

/// The fingerprint of the content key `(file, qualname, token)`.
pub fn content_key_fingerprint(file: &str, qualname: &str, token: &str) -> String {
    key_hash(b"", file, qualname, token, 16)
}

/// The hash part of `primaryLocationLineHash` for a result about the
/// content key `(file, qualname, token)`, located on its site or, with
/// `on_entry`, on the allowlist entry (see the module doc).
pub fn line_hash_of(file: &str, qualname: &str, token: &str, on_entry: bool) -> String {
    let prefix: &[u8] = if on_entry { b"entry\0" } else { b"" };
    key_hash(prefix, file, qualname, token, 8)
}

/// Lowercase hex of the first `bytes` bytes of
/// `SHA-256(prefix || file || 0x00 || qualname || 0x00 || token)`.
fn key_hash(prefix: &[u8], file: &str, qualname: &str, token: &str, bytes: usize) -> String {
    let digest = Sha256::new()
        .chain_update(prefix)
        .chain_update(file.as_bytes())
        .chain_update([0u8])
        .chain_update(qualname.as_bytes())
        .chain_update([0u8])
        .chain_update(token.as_bytes())
        .finalize();
    digest[..bytes]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The `primaryLocationLineHash` of the `occurrence`-th (from 1) result of
/// one rule with this hash.
pub fn line_hash(hash: &str, occurrence: usize) -> String {
    format!("{hash}:{occurrence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_the_truncated_sha256_of_the_nul_joined_key() {
        // `printf 'src/a.py\0f\0x = 1' | sha256sum | cut -c1-32`
        assert_eq!(
            content_key_fingerprint("src/a.py", "f", "x = 1"),
            "485089ce68020418dc8302617fedd4de"
        );
    }

    #[test]
    fn line_hash_has_githubs_shape() {
        let hash = line_hash_of("src/a.py", "f", "x = 1", false);
        assert_eq!(line_hash(&hash, 2), "485089ce68020418:2");
        // `printf 'entry\0src/a.py\0f\0x = 1' | sha256sum | cut -c1-16`
        assert_eq!(
            line_hash_of("src/a.py", "f", "x = 1", true),
            "69ca87a37d96a05c"
        );
    }

    #[test]
    fn fields_do_not_run_into_each_other() {
        let a = content_key_fingerprint("ab", "c", "d");
        let b = content_key_fingerprint("a", "bc", "d");
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
